import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

@Suite("CSL-JSON writer")
struct CSLWriterTests {
    /// Records that use every field of the model and the awkward shapes of each.
    static let richRecords: [Resource] = {
        var article = Resource(id: "adams2015novel", type: .articleJournal)
        article.resourceType = "peer-reviewed-article"
        article.title = "Effects of <i>Staphylococcus aureus</i> on CO<sub>2</sub>"
        article.subtitle = "A <sc>Randomised</sc> Trial of <span class=\"nocase\">DNA</span> x<sup>2</sup>"
        article.shortTitle = "Effects of S. aureus"
        article.containerTitle = "American Journal of Pharmaceutical Education"
        article.containerTitleShort = "Am J Pharm Educ"
        article.collectionTitle = "Special Series"
        article.authors = [
            Person(family: "Adams", given: "Alex J.", orcid: "0000-0002-1825-0097"),
            Person(family: "Beethoven", given: "Ludwig", particle: "van"),
            Person(family: "Gaulle", given: "Charles", droppingParticle: "de"),
            Person(family: "Ford", given: "Henry", suffix: "Jr."),
            Person.organization("World Health Organization"),
        ]
        article.editors = [Person(family: "Editor", given: "Ed")]
        article.translators = [Person(family: "Translator", given: "Tess", orcid: "0000-0001-5109-3700")]
        article.issued = EDTFDate(year: 2015, month: 9, day: 25)
        article.accessed = EDTFDate(year: 2020, month: 2, day: 19)
        article.volume = "79"
        article.issue = "7"
        article.pages = "804-811"
        article.articleNumber = "95"
        article.edition = "2"
        article.publisher = "AACP"
        article.publisherPlace = "Arlington, VA"
        article.event = "Annual Meeting"
        article.doi = "10.5688/ajpe79795"
        article.pmid = "26430272"
        article.pmcid = "PMC4584383"
        article.isbn = ["978-3-16-148410-0", "0-306-40615-2"]
        article.issn = ["0002-9459", "1553-6467"]
        article.url = "https://example.org/a?b=1&c=2"
        article.abstract = "Line one.\nLine \"two\" with \\ and <i>italic</i> & tab\t."
        article.description = "Students learn advocacy."
        article.keywords = ["Pathways, Admission, & Graduation", "pharmacy policy"]
        article.language = "en"
        article.note = "A note"
        article.domains = ["curriculum-programming", "students-faculty"]
        article.topics = ["health-equity-champions"]
        article.professions = ["pharmacy"]
        article.openAccess = true
        article.extra = ["ris": ["M1": ["one", "two"]], "bibtex": ["owner": ["me"]]]

        var season = Resource(id: "season", type: .book)
        season.title = "Seasons"
        season.issued = EDTFDate(year: 1999, month: 21)
        season.accessed = EDTFDate(start: .init(year: 1999, month: 21), end: .init(year: 2001, month: 22))

        var approximate = Resource(id: "approx", type: .manuscript)
        approximate.issued = EDTFDate(start: .init(year: 1950), approximate: true)
        approximate.accessed = EDTFDate(start: .init(year: 2019, month: 5), uncertain: true)

        var open = Resource(id: "open", type: .report)
        open.issued = EDTFDate(start: .init(year: 1987), end: nil, isInterval: true)
        open.accessed = EDTFDate(start: nil, end: .init(year: 2019), isInterval: true)

        var bc = Resource(id: "bc", type: .classic)
        bc.issued = EDTFDate(year: -43, month: 3, day: 15)
        bc.accessed = EDTFDate(literal: "in press")

        var bare = Resource(type: .webpage)
        bare.title = "The Web Page"
        bare.authors = [Person(family: "Müller", given: "K.")]
        bare.issued = EDTFDate(year: 2020)

        var organisation = Resource(type: .report)
        organisation.authors = [Person.organization("World Health Organization")]
        organisation.title = "Report"

        var empty = Resource(type: .document)
        empty.keywords = ["a"]

        var preprint = Resource(id: "pre", type: .article)
        preprint.extra = ["csl-json": ["type": ["preprint"], "genre": ["Preprint"], "GSCC": ["\"0021819\""],
            "director": ["[{\"family\":\"Varda\",\"given\":\"Agnès\"}]"], "original-date": ["{\"date-parts\":[[1859]]}"]]]

        return [article, season, approximate, open, bc, bare, organisation, empty, preprint]
    }()

    @Test(.enabled(if: CSLSchema.canValidate, Comment(rawValue: CSLSchema.skipMessage)))
    func everyWrittenItemValidatesAgainstTheSchema() throws {
        guard CSLSchema.requirePython() else { return }
        let items = CSLTest.items(Self.richRecords)
        #expect(items.count == Self.richRecords.count)
        let verdicts = try #require(CSLSchema.validate(items))
        for (index, verdict) in verdicts.enumerated() {
            #expect(verdict.isEmpty, "\(Self.richRecords[index].id ?? "#\(index)"): \(verdict)")
        }
        // Compact and one-per-line output too.
        let lines = CSLTest.write(Self.richRecords, settings: ["csl-json.lines": "true"]).text
        let lineItems = lines.split(separator: "\n").compactMap { CSLJSON.parse(String($0)) }
        #expect(try #require(CSLSchema.validate(lineItems)).allSatisfy { $0.isEmpty })
    }

    @Test func smrlToCSLToSmrlIsLossless() throws {
        let (text, losses) = CSLTest.write(Self.richRecords)
        let back = CSLTest.read(text)
        #expect(back.flatMap(\.diagnostics).filter { $0.severity != .note }.isEmpty, "\(back.flatMap(\.diagnostics))")
        let records = back.compactMap(\.record)
        try #require(records.count == Self.richRecords.count)
        for (original, read) in zip(Self.richRecords, records) {
            var expected = original
            if expected.id == nil { expected.id = read.id }  // made by the writer
            if original.id == "pre" {
                // CSL 1.0.2 cannot say "preprint" (a Loss), and a key that is no CSL variable travels in custom.
                expected.extra["csl-json"]?["type"] = nil
                expected.extra["csl-json"]?["GSCC"] = nil
                expected.extra["csl-json"]?["custom"] = ["{\"GSCC\":\"0021819\"}"]
            }
            #expect(read == expected, "\(original.id ?? "?")")
        }
        // Only the non-CSL type name is lost.
        #expect(losses.flatMap { $0 }.map(\.field) == ["extra.csl-json.type"])
    }

    @Test func itemShape() throws {
        let item = try CSLTest.item(Self.richRecords[0])
        #expect(item["id"] == .string("adams2015novel"))
        #expect(item["type"] == .string("article-journal"))
        #expect(item["title"]?.stringValue
            == "Effects of <i>Staphylococcus aureus</i> on CO<sub>2</sub>: A <span style=\"font-variant:small-caps;\">Randomised</span> Trial of <span class=\"nocase\">DNA</span> x<sup>2</sup>")
        #expect(CSLJSON.text(item["author"] ?? .null) == """
            [{"family":"Adams","given":"Alex J."},{"family":"Beethoven","given":"Ludwig","non-dropping-particle":"van"},\
            {"family":"Gaulle","given":"Charles","dropping-particle":"de"},{"family":"Ford","given":"Henry","suffix":"Jr."},\
            {"literal":"World Health Organization"}]
            """)
        #expect(CSLJSON.text(item["issued"] ?? .null) == #"{"date-parts":[[2015,9,25]]}"#)
        #expect(item["number"] == .string("95"))
        #expect(item["page"] == .string("804-811"))
        #expect(item["ISBN"] == .string("978-3-16-148410-0 0-306-40615-2"))
        #expect(item["ISSN"] == .string("0002-9459, 1553-6467"))
        #expect(item["event-title"] == .string("Annual Meeting"))
        // Keywords: categories is the list (with the library tags at the end), keyword joined with "; " because a
        // keyword holds a comma.
        #expect(CSLJSON.text(item["categories"] ?? .null) == """
            ["Pathways, Admission, & Graduation","pharmacy policy","smrl:resource-type:peer-reviewed-article",\
            "smrl:domain:curriculum-programming","smrl:domain:students-faculty","smrl:topic:health-equity-champions",\
            "smrl:profession:pharmacy","smrl:open-access:true"]
            """)
        #expect(item["keyword"]?.stringValue?.hasPrefix("Pathways, Admission, & Graduation; pharmacy policy; smrl:") == true)
        // Library fields and the rest of the model in custom.smrl.
        #expect(CSLJSON.text(item["custom"] ?? .null) == """
            {"smrl":{"resourceType":"peer-reviewed-article","domains":["curriculum-programming","students-faculty"],\
            "topics":["health-equity-champions"],"professions":["pharmacy"],"openAccess":true,\
            "description":"Students learn advocacy.",\
            "subtitle":"A <sc>Randomised</sc> Trial of <span class=\\"nocase\\">DNA</span> x<sup>2</sup>",\
            "orcid":{"author":["0000-0002-1825-0097",null,null,null,null],"translator":["0000-0001-5109-3700"]},\
            "extra":{"bibtex":{"owner":["me"]},"ris":{"M1":["one","two"]}}}}
            """)
        #expect(item.members?.first?.key == "id")
        #expect(item.members?.last?.key == "custom")
    }

    @Test func datesAreDatePartsWithSeasonsCircaAndRawOnlyWhereNeeded() throws {
        let items = CSLTest.items(Self.richRecords)
        func date(_ id: String, _ variable: String) -> String {
            guard let item = items.first(where: { $0["id"]?.stringValue == id }) else { return "missing item" }
            return item[variable].map(CSLJSON.text) ?? "missing"
        }
        #expect(date("season", "issued") == #"{"date-parts":[[1999]],"season":1}"#)
        #expect(date("season", "accessed") == #"{"date-parts":[[1999,21],[2001,22]]}"#)
        #expect(date("approx", "issued") == #"{"date-parts":[[1950]],"circa":true}"#)
        #expect(date("approx", "accessed") == #"{"date-parts":[[2019,5]],"raw":"2019-05?"}"#)
        #expect(date("open", "issued") == #"{"date-parts":[[1987],[0]]}"#)
        #expect(date("open", "accessed") == #"{"raw":"../2019"}"#)
        #expect(date("bc", "issued") == #"{"date-parts":[[-44,3,15]]}"#)
        #expect(date("bc", "accessed") == #"{"literal":"in press"}"#)
    }

    @Test func idsAreMadeWhenMissingStableAndUnique() throws {
        var a = Resource(type: .book)
        a.title = "The Novel Approach"
        a.authors = [Person(family: "Müller", given: "K.")]
        a.issued = EDTFDate(year: 2020)
        let b = a
        var c = Resource(type: .report)
        c.authors = [Person.organization("World Health Organization")]
        var d = Resource(type: .document)
        d.url = "https://example.org"
        let items = CSLTest.items([a, b, c, d])
        #expect(items.prefix(3).map { $0["id"]?.stringValue } == ["müller2020novel", "müller2020novel-2", "world"])
        #expect(items[3]["id"]?.stringValue?.hasPrefix("item-") == true)
        // Stable: the same records give the same ids in another run.
        #expect(CSLTest.items([a, b, c, d]).map { $0["id"] } == items.map { $0["id"] })
    }

    @Test func streamingFraming() throws {
        let records = Array(Self.richRecords.prefix(3))
        let pretty = CSLTest.write(records).text
        #expect(pretty.hasPrefix("[\n  {\n    \"id\": \"adams2015novel\""))
        #expect(pretty.hasSuffix("}\n]\n"))
        let compact = CSLTest.write(records, pretty: false).text
        #expect(compact.hasPrefix("[{\"id\":\"adams2015novel\""))
        #expect(!compact.dropLast().contains("\n"))
        let lines = CSLTest.write(records, settings: ["csl-json.lines": "true"]).text
        let split = lines.split(separator: "\n")
        #expect(split.count == 3)
        #expect(split.allSatisfy { $0.hasPrefix("{\"id\":") && $0.hasSuffix("}") })
        #expect(CSLTest.records(lines).map(\.id) == records.map(\.id))
        #expect(CSLTest.write([]).text == "[]\n")
        #expect(CSLTest.write([], settings: ["csl-json.lines": "true"]).text == "")
    }

    @Test func settingsForTagsAndForeignExtra() throws {
        let record = Self.richRecords[0]
        let item = try CSLTest.item(record, settings: ["csl-json.library-tags": "false", "csl-json.foreign-extra": "false"])
        #expect(CSLJSON.text(item["categories"] ?? .null) == #"["Pathways, Admission, & Graduation","pharmacy policy"]"#)
        #expect(item["custom"]?["smrl"]?["extra"] == nil)
        let losses = CSLTest.write([record], settings: ["csl-json.foreign-extra": "false"]).losses[0]
        #expect(Set(losses.map(\.field)) == ["extra.ris.M1", "extra.bibtex.owner"])
        // Without custom (a tool that dropped it), the tags still carry the library fields back.
        let withTags = try CSLTest.item(record)
        let noCustom: JSONValue = .object((withTags.members ?? []).filter { $0.key != "custom" })
        let back = try CSLTest.record(CSLJSON.text(noCustom))
        #expect(back.domains == record.domains)
        #expect(back.topics == record.topics)
        #expect(back.professions == record.professions)
        #expect(back.resourceType == record.resourceType)
        #expect(back.openAccess == record.openAccess)
        #expect(back.keywords == record.keywords)
    }

    @Test func cslExtrasAreWrittenBackAndUnknownOnesGoIntoCustom() throws {
        let item = try CSLTest.item(Self.richRecords[8])
        #expect(item["type"] == .string("article"))
        #expect(item["genre"] == .string("Preprint"))
        #expect(CSLJSON.text(item["director"] ?? .null) == #"[{"family":"Varda","given":"Agnès"}]"#)
        #expect(CSLJSON.text(item["original-date"] ?? .null) == #"{"date-parts":[[1859]]}"#)
        #expect(CSLJSON.text(item["custom"] ?? .null) == #"{"GSCC":"0021819"}"#)
        let losses = CSLTest.write([Self.richRecords[8]]).losses[0]
        #expect(losses == [Loss("extra.csl-json.type", "CSL 1.0.2 has no type \"preprint\"; written as article")])
    }

    @Test("An article number outside the article types is written as number and reported as changed")
    func articleNumberOfAChapterIsReportedAsChanged() throws {
        var chapter = Resource(id: "c", type: .chapter)
        chapter.title = "T"
        chapter.articleNumber = "e12"
        var article = Resource(id: "a", type: .articleJournal)
        article.title = "T"
        article.articleNumber = "e12"
        let written = CSLTest.write([chapter, article])
        #expect(written.losses[0].contains { $0.field == "articleNumber" && $0.kind == .changed })
        #expect(!written.losses[1].contains { $0.field == "articleNumber" })
        #expect(try CSLTest.item(chapter)["number"] == .string("e12"))
    }

    @Test func shadowsAreUsedOnlyWhileTheyStillMeanTheSame() throws {
        var record = try CSLTest.record("""
            {"id": "a", "type": "book", "DOI": "https://doi.org/10.1/X", "title": "<em>T</em>",
             "author": [{"family": "Doe", "given": "J", "suffix": "Jr", "comma-suffix": true}],
             "issued": {"date-parts": [["2019", "5"]], "season": "ignored"}, "keyword": "a; b"}
            """)
        var item = try CSLTest.item(record)
        #expect(item["DOI"] == .string("https://doi.org/10.1/X"))
        #expect(item["title"] == .string("<em>T</em>"))
        #expect(item["author"]?.elements?.first?["comma-suffix"] == .bool(true))
        #expect(CSLJSON.text(item["issued"] ?? .null) == #"{"date-parts":[["2019","5"]],"season":"ignored"}"#)
        #expect(item["keyword"] == .string("a; b"))
        #expect(CSLTest.write([record]).losses[0].isEmpty)
        // After edits the fields win.
        record.doi = "10.2/Y"
        record.title = "<i>U</i>"
        record.authors[0].given = "John"
        record.issued = EDTFDate(year: 2020)
        record.keywords.append("c")
        item = try CSLTest.item(record)
        #expect(item["DOI"] == .string("10.2/Y"))
        #expect(item["title"] == .string("<i>U</i>"))
        #expect(CSLJSON.text(item["author"] ?? .null) == #"[{"family":"Doe","given":"John","suffix":"Jr"}]"#)
        #expect(CSLJSON.text(item["issued"] ?? .null) == #"{"date-parts":[[2020]]}"#)
        #expect(item["keyword"] == .string("a, b, c"))
        let losses = CSLTest.write([record]).losses[0].map(\.field)
        #expect(losses == ["extra.csl-json.author", "extra.csl-json.issued"])
    }

    @Test func otherFormatsFieldsWithACSLVariableAreWrittenAsIt() throws {
        var record = Resource(id: "t", type: .thesis)
        record.extra = [
            "bibtex": ["pagetotal": ["{250}"], "type": ["PhD thesis"], "eventdate": ["2019-05-01/2019-05-03"],
                "venue": ["Aspen{\\\"a}sgarden"], "annotation": ["A line\n      broken"]],
            "ris": ["DP": ["PubMed"], "M3": ["Dissertation"], "CN": ["QA76"]],
        ]
        let item = try CSLTest.item(record)
        #expect(item["number-of-pages"] == .string("250"))
        #expect(item["genre"] == .string("PhD thesis"), "the BibTeX type comes first")
        #expect(CSLJSON.text(item["event-date"] ?? .null) == #"{"date-parts":[[2019,5,1],[2019,5,3]]}"#)
        #expect(item["event-place"] == nil, "LaTeX is left to the BibTeX module")
        #expect(item["annote"] == .string("A line broken"))
        #expect(item["source"] == .string("PubMed"))
        #expect(item["call-number"] == .string("QA76"))
        // The originals travel in custom.smrl.extra and the copies are dropped on reading: nothing changes.
        let back = try CSLTest.record(CSLJSON.text(item))
        #expect(back == record)
        // A variable of the item's own wins over the copy.
        var own = record
        own.extra["csl-json"] = ["genre": ["Doctoral dissertation"]]
        #expect(try CSLTest.item(own)["genre"] == .string("Doctoral dissertation"))
    }

    @Test func writtenTitlesSplitBackIntoTitleAndSubtitle() throws {
        var record = Resource(id: "x", type: .book)
        record.title = "Main"
        record.subtitle = "Sub: With Colon"
        let item = try CSLTest.item(record)
        #expect(item["title"] == .string("Main: Sub: With Colon"))
        let back = try CSLTest.record(CSLJSON.text(item))
        #expect(back.title == "Main" && back.subtitle == "Sub: With Colon")
        // An edited title in another tool: kept whole.
        var edited = item
        if case .object(var members) = item, let index = members.firstIndex(where: { $0.key == "title" }) {
            members[index].value = .string("Completely New")
            edited = .object(members)
        }
        let results = CSLTest.read("[" + CSLJSON.text(edited) + "]")
        #expect(results.first?.record?.title == "Completely New")
        #expect(results.first?.record?.subtitle == nil)
    }

    /// The sample library: `Samples/library.json`, or the file named by `$SMRL_SAMPLE_LIBRARY`.
    static let sampleLibraryURL: URL = {
        if let path = ProcessInfo.processInfo.environment["SMRL_SAMPLE_LIBRARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return TestCorpus.repositoryFile("Samples/library.json")
    }()

    /// The sample library as CSL-JSON: nothing lost, every item validates and reads back as it was.
    @Test(.enabled(
        if: FileManager.default.fileExists(atPath: sampleLibraryURL.path),
        "skipped: Samples/library.json is not in this checkout"))
    func sampleLibrary() throws {
        let data = try Data(contentsOf: Self.sampleLibraryURL)
        let records = try JSONDecoder().decode([Resource].self, from: data)
        let (text, losses) = CSLTest.write(records)
        #expect(losses.allSatisfy { $0.isEmpty })
        // `SMRL_SAMPLE_CSL_OUT=path` keeps the CSL-JSON (for Samples/library.csl.json).
        if let out = ProcessInfo.processInfo.environment["SMRL_SAMPLE_CSL_OUT"], !out.isEmpty {
            try text.write(toFile: out, atomically: true, encoding: .utf8)
        }
        let back = CSLTest.read(text).compactMap(\.record)
        #expect(back == records)
        if CSLSchema.canValidate, CSLSchema.requirePython() {
            let verdicts = try #require(CSLSchema.validate(CSLTest.parseArray(text)))
            #expect(verdicts.allSatisfy { $0.isEmpty }, "\(verdicts.filter { !$0.isEmpty })")
        }
    }
}

@Suite("CSL-JSON round-trip checks")
struct CSLRoundTripCheckTests {
    private func value(_ text: String) -> JSONValue { CSLJSON.parse(text) ?? .null }

    @Test func theComparisonSeesRealDifferencesAndAcceptsOnlyTheDocumentedOnes() {
        let original = value(#"{"id": "a", "type": "book", "volume": 3, "shortTitle": "S", "note": "PMID: 1\nkeep"}"#)
        let fine = value(#"{"id": "a", "type": "book", "volume": "3", "title-short": "S", "PMID": "1", "note": "keep", "categories": []}"#)
        #expect(CSLRoundTrip.differences(original, fine).isEmpty)
        let changed = value(#"{"id": "a", "type": "book", "volume": "4", "title-short": "S", "note": "PMID: 1\nkeep"}"#)
        #expect(CSLRoundTrip.differences(original, changed) == [#"volume: 3 came back as "4""#])
        let missing = value(#"{"id": "a", "type": "book", "title-short": "S", "note": "PMID: 1\nkeep", "genre": "x"}"#)
        #expect(CSLRoundTrip.differences(original, missing) == ["volume is missing", "genre was added"])
        let lostNote = value(#"{"id": "a", "type": "book", "volume": 3, "title-short": "S", "note": "keep"}"#)
        #expect(CSLRoundTrip.differences(original, lostNote) == [#"note line "PMID: 1" is gone"#])
    }

    @Test func emptyAndOddValuesComeBack() throws {
        let items = [
            #"{"id": "a", "type": "book", "keyword": "", "categories": []}"#,
            #"{"id": "b", "type": "book", "issued": "2019-05", "accessed": ""}"#,
            #"{"id": "c", "type": "book", "issued": {"date-parts": [["2019", "5", "01"]]}, "title": "", "author": [{"family": "", "given": "X"}]}"#,
        ]
        let (records, output, results) = CSLTest.roundTrip(items.map { CSLJSON.parse($0) ?? .null })
        #expect(records.count == 3)
        #expect(CSLRoundTrip.differences(CSLJSON.parse(items[0])!, output[0]).isEmpty)
        #expect(CSLRoundTrip.differences(CSLJSON.parse(items[2])!, output[2]).isEmpty)
        // A CSL 1.1 EDTF string is written as a 1.0.2 date object, without a loss report.
        #expect(CSLJSON.text(output[1]["issued"] ?? .null) == #"{"date-parts":[[2019,5]]}"#)
        #expect(output[1]["accessed"] == nil)
        #expect(CSLTest.write(records.compactMap { $0 }).losses.allSatisfy { $0.isEmpty })
        #expect(results.flatMap(\.diagnostics).isEmpty)
    }
}
