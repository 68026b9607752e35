import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

@Suite("CSL-JSON reader")
struct CSLReaderTests {
    // MARK: Layouts and recovery

    @Test func readsAnArrayItemByItemWithLocations() throws {
        let text = "[\n  {\"id\": \"a\", \"type\": \"book\", \"title\": \"One\"},\n  {\"id\": \"b\", \"type\": \"book\"}\n]"
        let results = CSLTest.read(text)
        #expect(results.count == 2)
        #expect(results.map { $0.record?.id } == ["a", "b"])
        #expect(results[0].location?.line == 2 && results[0].location?.column == 3)
        #expect(results[0].fieldLocations["title"] == SourceLocation(file: "t.json", line: 2, column: 31))
        #expect(results[1].location?.line == 3)
    }

    @Test func readsASingleObjectAndOneItemPerLine() {
        #expect(CSLTest.records("{\"id\": \"x\", \"type\": \"book\"}").map(\.id) == ["x"])
        let pretty = "{\n  \"id\": \"x\",\n  \"type\": \"book\"\n}\n"
        #expect(CSLTest.records(pretty).map(\.id) == ["x"])
        let lines = "{\"id\": \"a\", \"type\": \"book\"}\n\n{\"id\": \"b\", \"type\": \"report\"}\n"
        let records = CSLTest.records(lines)
        #expect(records.map(\.id) == ["a", "b"])
        #expect(records.map(\.type) == [.book, .report])
        // Forced layouts.
        #expect(CSLTest.records(lines, settings: ["csl-json.lines": "true"]).count == 2)
        #expect(CSLTest.records("[{\"id\": \"a\", \"type\": \"book\"}]", settings: ["csl-json.lines": "false"]).count == 1)
    }

    @Test func readsACSL11Document() throws {
        let text = """
            {"version": 1.1, "references": [{"id": "a", "type": "book", "title": "T"}, {"id": "b", "type": "preprint"}]}
            """
        let results = CSLTest.read(text)
        #expect(results.compactMap(\.record).map(\.id) == ["a", "b"])
        #expect(results[0].diagnostics.contains { $0.code == .cslVersion11Document && $0.severity == .note })
        #expect(results[1].record?.type == .article)
    }

    @Test func aBrokenItemIsReportedWithLineAndColumnAndTheOthersAreRead() throws {
        let text = """
            [
              {"id": "good1", "type": "book"},
              {"id": "bad", "type": "book" "title": "x"},
              {"id": "good2", "type": "book"}
            ]
            """
        let results = CSLTest.read(text)
        #expect(results.compactMap(\.record).map(\.id) == ["good1", "good2"])
        let failure = try #require(results.first { $0.record == nil })
        let diagnostic = try #require(failure.diagnostics.first)
        #expect(diagnostic.code == .jsonSyntax)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location?.line == 3)
        #expect(diagnostic.location?.column == 32)
        #expect(diagnostic.recordIndex == 1)
    }

    @Test func anElementThatIsNoObjectIsReportedNotDropped() throws {
        let results = CSLTest.read("[{\"id\": \"a\", \"type\": \"book\"}, 42, [1], {\"id\": \"b\", \"type\": \"book\"}]")
        #expect(results.compactMap(\.record).map(\.id) == ["a", "b"])
        let errors = results.flatMap(\.diagnostics).filter { $0.code == .cslNotAnItem }
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.severity == .error && $0.location != nil })
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        var options = ReaderOptions()
        options.maxDepth = 20
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let text = "[{\"id\": \"a\", \"type\": \"book\", \"custom\": {\"x\": \(deep)}}, {\"id\": \"b\", \"type\": \"book\"}]"
        var reader = CSLJSONReader(reader: ByteReader(text: text), options: options)
        var records: [Resource] = []
        var codes: [DiagnosticCode] = []
        while let result = try? reader.next() {
            if let record = result.record { records.append(record) }
            codes += result.diagnostics.map(\.code)
        }
        #expect(records.map(\.id) == ["b"])
        #expect(codes.contains(.nestingTooDeep))
    }

    @Test func trailingGarbageAndAByteOrderMarkAreReported() {
        let results = CSLTest.read(bytes: [0xEF, 0xBB, 0xBF] + Array("[{\"id\": \"a\", \"type\": \"book\"}] x".utf8))
        #expect(results.compactMap(\.record).count == 1)
        let codes = results.flatMap(\.diagnostics).map(\.code)
        #expect(codes.contains(.byteOrderMark))
        #expect(codes.contains(.jsonSyntax))
    }

    @Test func emptyInputsGiveNothing() {
        #expect(CSLTest.read("").isEmpty)
        #expect(CSLTest.read("[]").isEmpty)
        #expect(CSLTest.read("  \n ").isEmpty)
    }

    // MARK: Types (hard case 27)

    @Test func typesMiscasedUnknownMissingAndFromOtherVocabularies() throws {
        func read(_ type: String) throws -> (ItemType, [Diagnostic], String?) {
            let results = CSLTest.read("[{\"id\": \"a\", \"type\": \"\(type)\"}]")
            let record = try #require(results.first?.record)
            return (record.type, results[0].diagnostics, record.extra["csl-json"]?["type"]?.first)
        }
        let exact = try read("article-journal")
        #expect(exact.0 == .articleJournal && exact.1.isEmpty && exact.2 == nil)
        let miscased = try read("Article")
        #expect(miscased.0 == .article)
        #expect(miscased.1.map(\.code) == [.cslUnknownType])
        #expect(miscased.2 == nil)
        let preprint = try read("preprint")
        #expect(preprint.0 == .article)
        #expect(preprint.2 == "preprint")
        #expect(preprint.1.first?.severity == .warning)
        #expect(try read("journalArticle").0 == .articleJournal)
        #expect(try read("journal-article").0 == .articleJournal)
        #expect(try read("book-chapter").0 == .chapter)
        #expect(try read("inproceedings").0 == .paperConference)
        #expect(try read("video").0 == .motionPicture)
        #expect(try read("motion-picture").0 == .motionPicture)
        let unknown = try read("frobnicate")
        #expect(unknown.0 == .document && unknown.2 == "frobnicate")
        let missing = try #require(CSLTest.read("[{\"id\": \"a\", \"title\": \"x\"}]").first)
        #expect(missing.record?.type == .document)
        #expect(missing.diagnostics.map(\.code) == [.cslMissingType])
        let empty = try #require(CSLTest.read("[{\"id\": \"a\", \"type\": \"\"}]").first)
        #expect(empty.record?.type == .document)
        #expect(empty.diagnostics.map(\.code) == [.cslMissingType])
    }

    @Test func idFallsBackToCitationKeyAndNumbersAreAccepted() throws {
        #expect(try CSLTest.record("{\"id\": 12, \"type\": \"book\"}").id == "12")
        #expect(try CSLTest.record("{\"citation-key\": \"smith2020\", \"type\": \"book\"}").id == "smith2020")
        let both = try CSLTest.record("{\"id\": \"x\", \"citation-key\": \"smith2020\", \"type\": \"book\"}")
        #expect(both.id == "x")
        #expect(both.extra["csl-json"]?["citation-key"] == ["smith2020"])
    }

    // MARK: Names (hard case 28)

    @Test func namesSplitIntoParts() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "book", "author": [
              {"literal": "World Health Organization"},
              {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
              {"family": "Smith", "given": "John", "suffix": "Jr."},
              {"family": "Gaulle", "given": "Charles", "dropping-particle": "de"}],
             "editor": [{"family": "Doe", "given": "Jane"}], "translator": [{"family": "Roe", "given": "R."}]}
            """)
        #expect(record.authors == [
            Person(literal: "World Health Organization"),
            Person(family: "Gogh", given: "Vincent", particle: "van"),
            Person(family: "Smith", given: "John", suffix: "Jr."),
            Person(family: "Gaulle", given: "Charles", droppingParticle: "de"),
        ])
        #expect(record.editors == [Person(family: "Doe", given: "Jane")])
        #expect(record.translators == [Person(family: "Roe", given: "R.")])
        #expect(record.extra.isEmpty, "plain names need no shadow")
    }

    @Test func otherNameVariablesAndNameFlagsAreKeptForTheRoundTrip() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "motion_picture", "director": [{"family": "Varda", "given": "Agnès"}],
             "author": [{"family": "Doe", "given": "James", "suffix": "Jr", "comma-suffix": true}]}
            """)
        #expect(record.authors == [Person(family: "Doe", given: "James", suffix: "Jr")])
        let extra = try #require(record.extra["csl-json"])
        #expect(extra["director"] == ["[{\"family\":\"Varda\",\"given\":\"Agnès\"}]"])
        #expect(extra["author"] == ["[{\"family\":\"Doe\",\"given\":\"James\",\"suffix\":\"Jr\",\"comma-suffix\":true}]"])
    }

    @Test func oddNamesAreWarnedAboutAndReadAsWellAsPossible() throws {
        let results = CSLTest.read("""
            [{"id": "a", "type": "book", "author": [{"family": "Doe Co.", "isInstitution": true}, "Plain String",
              {}, 7, {"family": "Ok", "given": "A", "nickname": "x"}]}]
            """)
        let record = try #require(results.first?.record)
        #expect(record.authors == [
            Person(literal: "Doe Co."), Person(literal: "Plain String"), Person(family: "Ok", given: "A"),
        ])
        let warning = try #require(results.first?.diagnostics.first { $0.code == .cslInvalidName })
        #expect(warning.message.contains("isInstitution"))
        #expect(warning.message.contains("nickname"))
        #expect(warning.message.contains("empty name"))
        // A single name object instead of an array.
        #expect(try CSLTest.record("{\"id\": \"a\", \"type\": \"book\", \"author\": {\"family\": \"X\"}}").authors
            == [Person(family: "X")])
    }

    // MARK: Dates (hard case 26)

    @Test(arguments: [
        (#"{"date-parts": [["2016", 2, 9]]}"#, "2016-02-09"),
        (#"{"date-parts": [[2016, "2", "09"]]}"#, "2016-02-09"),
        (#"{"raw": "2000-03-15/2000-03-17"}"#, "2000-03-15/2000-03-17"),
        (#"{"literal": "Spring 2019"}"#, "Spring 2019"),
        (#"{"date-parts": [[1950]], "season": 1}"#, "1950-21"),
        (#"{"date-parts": [[1950]], "season": "Winter"}"#, "1950-24"),
        (#"{"date-parts": [[2013, 13], [2013, 14]]}"#, "2013-21/2013-22"),
        (#"{"date-parts": [[2013, 21], [2014, 24]]}"#, "2013-21/2014-24"),
        (#"{"date-parts": [[1950]], "circa": true}"#, "1950~"),
        (#"{"date-parts": [[1950]], "circa": 1}"#, "1950~"),
        (#"{"date-parts": [[1950]], "circa": "true"}"#, "1950~"),
        (#"{"date-parts": [[1950]], "circa": false}"#, "1950"),
        (#""2019-05""#, "2019-05"),
        (#""2019-05-17?""#, "2019-05-17?"),
        (#"{"date-parts": [[1987], [0]]}"#, "1987/.."),
        (#"{"date-parts": [[-44, 3, 15]]}"#, "-0043-03-15"),
        (#"{"date-parts": [["2000", "", ""]]}"#, "2000"),
        (#"{"date-parts": [[2000, 0, 0]]}"#, "2000"),
        (#"{"date-parts": [[2005, 11, 15], [2006, 12, 20]]}"#, "2005-11-15/2006-12-20"),
        (#"{"raw": "May 15, 2019"}"#, "2019-05-15"),
        (#"{"raw": "15 May 2019"}"#, "2019-05-15"),
        (#"{"raw": "Spring 1999 - Summer 2001"}"#, "1999-21/2001-22"),
        (#"{"raw": "2019/05/17"}"#, "2019-05-17"),
        (#"{"raw": "1999-2001"}"#, "1999/2001"),
        (#"{"raw": "ca. 1950"}"#, "1950~"),
        (#"{"raw": "250 BC"}"#, "-0249"),
        (#"{"raw": "15.05.2019"}"#, "2019-05-15"),
        (#"{"raw": "2019-05-17T10:20:00Z"}"#, "2019-05-17"),
        (#"{"raw": "May–June 2019"}"#, "2019-05/2019-06"),
        (#"{"raw": "Bogus Date"}"#, "Bogus Date"),
        (#"{"date-parts": [], "literal": "(in press)"}"#, "(in press)"),
        (#"{"date-parts": [[2019]], "raw": "2019?"}"#, "2019?"),
    ])
    func dateForms(_ json: String, _ expected: String) throws {
        let record = try CSLTest.record("{\"id\": \"a\", \"type\": \"book\", \"issued\": \(json)}")
        #expect(record.issued?.description == expected)
    }

    @Test func invalidDatePartsAreWarningsAndKeepWhatMakesSense() throws {
        let results = CSLTest.read("""
            [{"id": "a", "type": "book", "issued": {"date-parts": [[1965, 60, 1]]}},
             {"id": "b", "type": "book", "issued": {"date-parts": [["circa 2000"]]}},
             {"id": "c", "type": "book", "accessed": {"date-parts": [["2013", 1, 30]], "season": "22:56:08"}},
             {"id": "d", "type": "book", "issued": 2019},
             {"id": "e", "type": "book", "issued": {"date-parts": "2019-05"}}]
            """)
        let records = results.compactMap(\.record)
        #expect(records.count == 5)
        #expect(records[0].issued == EDTFDate(year: 1965))
        #expect(records[1].issued == nil)
        #expect(records[2].accessed == EDTFDate(year: 2013, month: 1, day: 30))
        #expect(records[3].issued == EDTFDate(year: 2019))
        #expect(records[4].issued == EDTFDate(year: 2019, month: 5))
        for result in results {
            #expect(result.diagnostics.contains { $0.code == .cslInvalidDate && $0.severity == .warning })
        }
        // What was not read exactly is kept verbatim for the round trip.
        #expect(records[2].extra["csl-json"]?["accessed"] == ["{\"date-parts\":[[\"2013\",1,30]],\"season\":\"22:56:08\"}"])
    }

    @Test func otherDateVariablesGoToExtraAsJSON() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "book", "original-date": {"date-parts": [[1859]]}, "event-date": "2004-10-01/2004-10-14",
             "submitted": {"raw": "2001"}, "available-date": {"date-parts": [["1930"], ["1952"]]}}
            """)
        let extra = try #require(record.extra["csl-json"])
        #expect(extra["original-date"] == ["{\"date-parts\":[[1859]]}"])
        #expect(extra["event-date"] == ["\"2004-10-01/2004-10-14\""])
        #expect(extra["submitted"] == ["{\"raw\":\"2001\"}"])
        #expect(extra["available-date"] == ["{\"date-parts\":[[\"1930\"],[\"1952\"]]}"])
    }

    // MARK: Other variables

    @Test func numberVariablesAsNumbersOrStrings() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "article-journal", "volume": 12, "issue": "3", "page": 45, "edition": 2,
             "number": "e1002", "number-of-pages": 300, "PMID": 123456}
            """)
        #expect(record.volume == "12")
        #expect(record.issue == "3")
        #expect(record.pages == "45")
        #expect(record.edition == "2")
        #expect(record.articleNumber == "e1002")
        #expect(record.pmid == "123456")
        #expect(record.extra["csl-json"]?["number-of-pages"] == ["300"])
        // For a report the number is the report number, not an article number.
        let report = try CSLTest.record("{\"id\": \"r\", \"type\": \"report\", \"number\": \"WHO/123\"}")
        #expect(report.articleNumber == nil)
        #expect(report.extra["csl-json"]?["number"] == ["WHO/123"])
    }

    @Test func identifiersAreNormalisedAndTheSpellingKept() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "book", "DOI": "https://doi.org/10.1000/XYZ", "PMCID": "1234567",
             "ISBN": "978-1-107-04452-4 978-1-107-68637-3", "ISSN": "2055-7671, 2055768X"}
            """)
        #expect(record.doi == "10.1000/XYZ")
        #expect(record.pmcid == "PMC1234567")
        #expect(record.isbn == ["978-1-107-04452-4", "978-1-107-68637-3"])
        #expect(record.issn == ["2055-7671", "2055-768X"])
        let extra = try #require(record.extra["csl-json"])
        #expect(extra["DOI"] == ["https://doi.org/10.1000/XYZ"])
        #expect(extra["PMCID"] == ["1234567"])
        #expect(extra["ISBN"] == nil, "joined back with a space as given")
        #expect(extra["ISSN"] == ["2055-7671, 2055768X"])
        // A short DOI is no full DOI and is kept as given.
        #expect(try CSLTest.record("{\"id\": \"a\", \"type\": \"book\", \"DOI\": \"10/fqd6hj\"}").doi == "10/fqd6hj")
    }

    @Test func fieldsMapToTheModel() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "paper-conference", "title": "T", "title-short": "S", "container-title": "C",
             "container-title-short": "CS", "collection-title": "Series", "publisher": "P", "publisher-place": "Pl",
             "event-title": "Conf", "URL": "https://x.org", "abstract": "Ab", "language": "en", "note": "plain note",
             "accessed": {"date-parts": [[2020, 1, 2]]}}
            """)
        #expect(record.title == "T")
        #expect(record.shortTitle == "S")
        #expect(record.containerTitle == "C")
        #expect(record.containerTitleShort == "CS")
        #expect(record.collectionTitle == "Series")
        #expect(record.publisher == "P")
        #expect(record.publisherPlace == "Pl")
        #expect(record.event == "Conf")
        #expect(record.url == "https://x.org")
        #expect(record.abstract == "Ab")
        #expect(record.language == "en")
        #expect(record.note == "plain note")
        #expect(record.accessed == EDTFDate(year: 2020, month: 1, day: 2))
        #expect(record.extra.isEmpty)
    }

    @Test func legacyAliasesAndMiscasedKeys() throws {
        let results = CSLTest.read("""
            [{"id": "a", "type": "book", "shortTitle": "S", "journalAbbreviation": "J", "event": "E", "url": "https://x",
              "doi": "10.1/x"}]
            """)
        let record = try #require(results.first?.record)
        #expect(record.shortTitle == "S")
        #expect(record.containerTitleShort == "J")
        #expect(record.event == "E")
        #expect(record.url == "https://x")
        #expect(record.doi == "10.1/x")
        #expect(results[0].diagnostics.filter { $0.code == .cslMiscasedVariable }.count == 2)
        // When both spellings are there, the alias is kept as it is.
        let both = try CSLTest.record(#"{"id": "a", "type": "book", "shortTitle": "Old", "title-short": "New"}"#)
        #expect(both.shortTitle == "New")
        #expect(both.extra["csl-json"]?["shortTitle"] == ["Old"])
    }

    @Test func unknownKeysAreKeptAsJSONWithAWarning() throws {
        let results = CSLTest.read("""
            [{"id": "a", "type": "book", "GSCC": "0021819", "multi": {"main": {"title": "x"}}, "part-number": 2}]
            """)
        let record = try #require(results.first?.record)
        let extra = try #require(record.extra["csl-json"])
        #expect(extra["GSCC"] == ["\"0021819\""])
        #expect(extra["multi"] == ["{\"main\":{\"title\":\"x\"}}"])
        #expect(extra["part-number"] == ["2"])
        let diagnostics = results[0].diagnostics.filter { $0.code == .cslUnknownVariable }
        #expect(diagnostics.count == 3)
        #expect(diagnostics.first { $0.field == "part-number" }?.severity == .note)
        #expect(diagnostics.first { $0.field == "GSCC" }?.severity == .warning)
        #expect(diagnostics.allSatisfy { $0.location?.line == 1 })
    }

    @Test func duplicateKeysUseTheLastOne() throws {
        let results = CSLTest.read(#"[{"id": "a", "type": "book", "title": "First", "title": "Second"}]"#)
        #expect(results.first?.record?.title == "Second")
        #expect(results.first?.diagnostics.map(\.code) == [.cslDuplicateVariable])
    }

    @Test func wrongValueTypesAreWarnedAndKept() throws {
        let results = CSLTest.read(#"[{"id": "a", "type": "book", "title": 1984, "publisher": ["A", "B"]}]"#)
        let record = try #require(results.first?.record)
        #expect(record.title == "1984")
        #expect(record.publisher == nil)
        #expect(record.extra["csl-json"]?["publisher"] == ["[\"A\",\"B\"]"])
        #expect(results[0].diagnostics.filter { $0.code == .cslWrongValueType }.count == 2)
    }

    // MARK: Rich text

    @Test func markupBecomesRichText() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "article-journal",
             "title": "Effects of <i>S. aureus</i> on CO<sub>2</sub> and x<sup>2</sup>: <b>bold</b> <span style=\\"font-variant:small-caps;\\">Caps</span> <span class=\\"nocase\\">DNA</span>",
             "container-title": "<em>Nature</em> <strong>Reviews</strong> <span class=\\"nodecor\\">plain</span>"}
            """)
        #expect(record.title
            == "Effects of <i>S. aureus</i> on CO<sub>2</sub> and x<sup>2</sup>: <b>bold</b> <sc>Caps</sc> <span class=\"nocase\">DNA</span>")
        #expect(record.containerTitle == "<i>Nature</i> <b>Reviews</b> <span class=\"nodecor\">plain</span>")
        #expect(CSLMarkup.toRich("a < b and c > d") == "a < b and c > d")
        #expect(CSLMarkup.toRich("<SPAN STYLE='font-variant: small-caps'>X</SPAN>") == "<sc>X</sc>")
        #expect(CSLMarkup.toCSL("<sc>X</sc> & <i>y</i>") == "<span style=\"font-variant:small-caps;\">X</span> & <i>y</i>")
    }

    // MARK: Keywords (hard cases 1, 38)

    @Test func categoriesAreTheKeywordListAndNeverSplit() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "book", "categories": ["Pathways, Admission, & Graduation", "equity"],
             "keyword": "Pathways, Admission, & Graduation, equity"}
            """)
        #expect(record.keywords == ["Pathways, Admission, & Graduation", "equity"])
        #expect(record.extra["csl-json"]?["keyword"] == ["Pathways, Admission, & Graduation, equity"])
    }

    @Test(arguments: [
        ("Pathways, Admission, & Graduation", ["Pathways, Admission, & Graduation"]),
        ("asthma; air pollution, urban", ["asthma", "air pollution, urban"]),
        ("asthma, air pollution", ["asthma", "air pollution"]),
        ("asthma,air pollution", ["asthma", "air pollution"]),
        ("1,25-dihydroxyvitamin D, bone", ["1,25-dihydroxyvitamin D", "bone"]),
        ("health (social, economic), policy", ["health (social, economic)", "policy"]),
        ("one\ntwo", ["one", "two"]),
        ("single", ["single"]),
        ("", []),
    ])
    func keywordStringsAreSplitCarefully(_ text: String, _ expected: [String]) {
        #expect(CSLKeywords.split(text) == expected)
    }

    // MARK: custom and library fields (hard case 29)

    @Test func libraryFieldsComeFromCustomSmrl() throws {
        let results = CSLTest.read("""
            [{"id": "a", "type": "article-journal", "title": "Main: Sub", "author": [{"family": "A", "given": "B"}],
              "categories": ["equity", "smrl:domain:ignored-copy"],
              "custom": {"smrl": {"resourceType": "peer-reviewed-article", "domains": ["community-engagement"],
                "topics": ["specialty-choice"], "professions": ["pharmacy", "nursing"], "openAccess": true,
                "description": "Our summary", "subtitle": "Sub", "orcid": {"author": ["https://orcid.org/0000-0002-1825-0097"]},
                "extra": {"ris": {"M1": ["x"]}}},
                "other-tool": {"k": 1}}}]
            """)
        let record = try #require(results.first?.record)
        #expect(results[0].diagnostics.isEmpty)
        #expect(record.resourceType == "peer-reviewed-article")
        #expect(record.domains == ["community-engagement"])
        #expect(record.topics == ["specialty-choice"])
        #expect(record.professions == ["pharmacy", "nursing"])
        #expect(record.openAccess == true)
        #expect(record.description == "Our summary")
        #expect(record.title == "Main")
        #expect(record.subtitle == "Sub")
        #expect(record.authors.first?.orcid == "0000-0002-1825-0097")
        #expect(record.keywords == ["equity"])
        #expect(record.extra["ris"]?["M1"] == ["x"])
        #expect(record.extra["csl-json"]?["custom"] == ["{\"other-tool\":{\"k\":1}}"])
        #expect(results[0].fieldLocations["domains"]?.line == 3)
    }

    @Test func flatCustomKeysAndLibraryTagsAreReadToo() throws {
        let flat = try CSLTest.record("""
            {"id": "a", "type": "book", "custom": {"domain": "community-engagement", "topics": ["a", "b"], "open-access": "yes", "note2": "x"}}
            """)
        #expect(flat.domains == ["community-engagement"])
        #expect(flat.topics == ["a", "b"])
        #expect(flat.openAccess == true)
        #expect(flat.extra["csl-json"]?["custom"] == ["{\"note2\":\"x\"}"])
        let tags = try CSLTest.record("""
            {"id": "a", "type": "book", "keyword": "asthma, smrl:domain:community-engagement, smrl:open-access:false, smrl:topic:x"}
            """)
        #expect(tags.keywords == ["asthma"])
        #expect(tags.domains == ["community-engagement"])
        #expect(tags.topics == ["x"])
        #expect(tags.openAccess == false)
        let bad = CSLTest.read(#"[{"id": "a", "type": "book", "categories": ["smrl:open-access:maybe"]}]"#)
        #expect(bad.first?.record?.keywords == ["smrl:open-access:maybe"])
        #expect(bad.first?.diagnostics.map(\.code) == [.cslInvalidLibraryField])
    }

    // MARK: Zotero note variables (hard case 29)

    @Test func zoteroNoteLinesBecomeVariables() throws {
        let results = CSLTest.read("""
            [{"id": "a", "type": "article-journal", "note": "original-date: 2012\\nPMID: 123\\nPMCID: PMC99\\nDOI: 10.1/x\\nMy own remark: keep me\\n{:reviewed-title: The Book}\\nreviewed-author: Hall || W.C.\\nreviewed-author: Ng || A."}]
            """)
        let record = try #require(results.first?.record)
        #expect(record.pmid == "123")
        #expect(record.pmcid == "PMC99")
        #expect(record.doi == "10.1/x")
        #expect(record.note == "My own remark: keep me")
        let extra = try #require(record.extra["csl-json"])
        #expect(extra["original-date"] == ["{\"date-parts\":[[2012]]}"])
        #expect(extra["reviewed-title"] == ["The Book"])
        #expect(extra["reviewed-author"] == ["[{\"family\":\"Hall\",\"given\":\"W.C.\"},{\"family\":\"Ng\",\"given\":\"A.\"}]"])
        #expect(extra["DOI"] == nil, "no shadow for values taken from the note")
        #expect(results[0].diagnostics.allSatisfy { $0.code == .cslNoteVariable && $0.severity == .note })
    }

    @Test func noteLinesNeverOverwriteAndTypeLinesSetTheType() throws {
        let record = try CSLTest.record("""
            {"id": "a", "type": "book", "PMID": "1", "note": "PMID: 2\\ntype: musical_score\\nArticleType: research-article"}
            """)
        #expect(record.pmid == "1")
        #expect(record.type == .musicalScore)
        #expect(record.note == "PMID: 2\nArticleType: research-article")
        let off = try CSLTest.record(#"{"id": "a", "type": "book", "note": "PMID: 2"}"#,
            settings: ["csl-json.note-variables": "false"])
        #expect(off.pmid == nil && off.note == "PMID: 2")
    }

    // MARK: Zotero's own expectation

    /// The Zotero CSL JSON translator's test case, compared field by field with the Zotero item it expects.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func zoteroTranslatorCase() throws {
        let text = try String(contentsOf: TestCorpus.url("csljson/zotero-CSL-JSON.testcases.json"), encoding: .utf8)
        let cases = try #require(CSLJSON.parse(text)?.elements)
        for testCase in cases {
            let input = try #require(testCase["input"]?.stringValue)
            let expected = try #require(testCase["items"]?.elements?.first)
            let record = try #require(CSLTest.records(input).first)
            #expect(record.type.rawValue == "book" && expected["itemType"]?.stringValue == "book")
            #expect(record.title == expected["title"]?.stringValue)
            #expect(record.isbn.first == expected["ISBN"]?.stringValue)
            #expect(record.language == expected["language"]?.stringValue)
            #expect(record.publisher == expected["publisher"]?.stringValue)
            #expect(record.publisherPlace == expected["place"]?.stringValue)
            #expect(record.collectionTitle == expected["series"]?.stringValue)
            #expect(record.volume == expected["volume"]?.stringValue)
            #expect(record.extra["csl-json"]?["number-of-pages"]?.first == expected["numPages"]?.stringValue)
            #expect(record.id == expected["itemID"]?.stringValue)
            let creator = try #require(expected["creators"]?.elements?.first)
            #expect(record.authors.first?.family == creator["lastName"]?.stringValue)
            #expect(record.authors.first?.given == creator["firstName"]?.stringValue)
            // Zotero shows "January 1, 2013"; the date itself:
            #expect(record.issued == EDTFDate(year: 2013, month: 1, day: 1))
            #expect(expected["date"]?.stringValue == "January 1, 2013")
        }
    }

    @Test func sniffing() {
        #expect(CSLJSONFormat.sniff(ArraySlice("[{\"id\": \"a\", \"container-title\": \"x\", \"issued\": {\"date-parts\": [[2000]]}}]".utf8)) >= 80)
        #expect(CSLJSONFormat.sniff(ArraySlice("[{\"id\": \"a\", \"containerTitle\": \"x\", \"authors\": []}]".utf8)) == 0)
        #expect(CSLJSONFormat.sniff(ArraySlice("TY  - JOUR".utf8)) == 0)
        #expect(CSLJSONFormat.sniff(ArraySlice("[{\"id\": \"a\"}]".utf8)) == 10)
    }
}
