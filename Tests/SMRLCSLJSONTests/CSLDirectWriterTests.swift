import Foundation
import SMRLBibTeX
import SMRLCore
import SMRLNative
import SMRLRIS
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// The writer writes each item straight into its output (``CSLItemEncoder``); these tests hold it to the
/// tree-building encoder it replaced (``CSLItemTreeEncoder``, a ``JSONValue`` per item serialised by
/// ``JSONOutput/value(_:)``): the same bytes, compact and indented, inside an array as the writer writes them,
/// and the same losses, for every record of the corpus in every combination of the writer's settings.
@Suite("CSL-JSON direct writer = tree encoder")
struct CSLDirectWriterTests {
    /// The four combinations of `csl-json.library-tags` and `csl-json.foreign-extra`.
    static let settings: [(libraryTags: Bool, foreignExtra: Bool)] = [(true, true), (false, true), (true, false), (false, false)]

    /// Writes `records` both ways into one array per indent and setting combination; returns the records that
    /// differ (by index and combination) — none is expected.
    static func differences(_ records: [Resource]) -> [String] {
        var found: [String] = []
        for (libraryTags, foreignExtra) in settings {
            for indent in [0, 2] {
                var direct = CSLItemEncoder(libraryTags: libraryTags, foreignExtra: foreignExtra)
                var directOutput = JSONOutput(indent: indent)
                var treeOutput = JSONOutput(indent: indent)
                directOutput.beginArray()
                treeOutput.beginArray()
                for (index, record) in records.enumerated() {
                    let id = record.id ?? "item\(index)"
                    // One encoder for all records, as in the writer (its slots are reused).
                    let directStart = directOutput.bytes.count
                    direct.encode(record, id: id, into: &directOutput)
                    var tree = CSLItemTreeEncoder(libraryTags: libraryTags, foreignExtra: foreignExtra)
                    let treeStart = treeOutput.bytes.count
                    treeOutput.value(tree.encodeSlowly(record, id: id))
                    let label = "record \(index) (\(id)), libraryTags \(libraryTags), foreignExtra \(foreignExtra), indent \(indent)"
                    if directOutput.bytes[directStart...] != treeOutput.bytes[treeStart...] {
                        found.append(label + ": bytes differ\n"
                            + String(decoding: directOutput.bytes[directStart...], as: UTF8.self) + "\n"
                            + String(decoding: treeOutput.bytes[treeStart...], as: UTF8.self))
                    }
                    if direct.losses != tree.losses {
                        found.append(label + ": losses differ: \(direct.losses) vs \(tree.losses)")
                    }
                }
                directOutput.endArray()
                treeOutput.endArray()
                if found.isEmpty, directOutput.bytes != treeOutput.bytes {
                    found.append("the arrays differ (libraryTags \(libraryTags), foreignExtra \(foreignExtra), indent \(indent))")
                }
            }
        }
        return found
    }

    /// The readers a corpus file can be read with here, best sniff first.
    static let descriptors: [FormatDescriptor] = [
        CSLJSONFormat.descriptor, NativeFormat.json, NativeFormat.ndjson, RISFormat.descriptor, RISFormat.medline,
        BibTeXFormat.bibtex, BibTeXFormat.biblatex,
    ]

    /// Every record of every corpus file that one of ``descriptors`` reads (read once for the suite).
    static let corpus: [Resource] = corpusRecords()

    static func corpusRecords() -> [Resource] {
        let files = TestCorpus.files(in: ".", extensions: ["json", "ndjson", "ris", "bib", "bibtex", "biblatex", "nbib", "txt"])
            .filter { !$0.path.contains("/schemas/") }
            // The sample library: records with the library fields (domains, topics, …), which the corpus rarely has.
            + ["library.json", "library.ndjson", "library.csl.json", "library.ris", "library.bib", "library.biblatex.bib"]
            .map { TestCorpus.repositoryFile("Samples/" + $0) }
        var records: [Resource] = []
        for file in files {
            guard let bytes = try? Array(Data(contentsOf: file)), !bytes.isEmpty else { continue }
            let prefix = bytes.prefix(8192)
            guard let best = descriptors.filter({ $0.canRead }).max(by: { $0.sniff(prefix) < $1.sniff(prefix) }),
                best.sniff(prefix) > 0, let makeReader = best.makeReader
            else { continue }
            var reader = makeReader(ByteReader(bytes: bytes, fileName: file.lastPathComponent), ReaderOptions())
            while let result = try? reader.next() {
                if let record = result.record { records.append(record) }
            }
        }
        return records
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func everyCorpusRecordGivesTheTreeEncodersBytesAndLosses() {
        let records = Self.corpus
        // CSL-JSON (with its shadows in extra["csl-json"]), smrl-json, RIS and BibTeX records (foreign extras).
        #expect(records.count > 2_000)
        #expect(records.contains { $0.extra["csl-json"] != nil })
        #expect(records.contains { $0.extra["bibtex"] != nil })
        #expect(records.contains { $0.extra["ris"] != nil })
        let found = Self.differences(records)
        #expect(found.isEmpty, "\(found.count) differences; first: \(found.first ?? "")")
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func writtenCorpusReadBackGivesTheTreeEncodersBytes() {
        // What the writer writes, read back: shadows of every kind, as a CSL → CSL conversion meets them.
        let records = Self.corpus
        let written = CSLTest.write(records, pretty: false).text
        let readBack = CSLTest.records(written)
        #expect(readBack.count == records.count)
        let found = Self.differences(readBack)
        #expect(found.isEmpty, "\(found.count) differences; first: \(found.first ?? "")")
    }

    /// Records that take the rare branches: `extra["csl-json"]` custom objects (merged with the model's
    /// `custom.smrl`, an `smrl` that is no object, one that is not an object at all), variables CSL does not
    /// have, names and dates of every spelling, aliases, repeated values, edited shadows, foreign extras that
    /// become CSL variables, every date form, ORCIDs of some people only, and text that needs escaping.
    static func edgeRecords() -> [Resource] {
        var records: [Resource] = []
        func library(_ record: inout Resource) {
            record.resourceType = "journal-article"
            record.domains = ["community-engagement"]
            record.topics = ["a \"topic\""]
            record.professions = []
            record.openAccess = false
            record.description = "line\nbreak\ttab \u{1} \\ back"
        }

        var merged = Resource(id: "merged")
        library(&merged)
        merged.title = "Title"
        merged.subtitle = "Sub"
        merged.extra["csl-json"] = [
            "custom": [#"{"smrl":{"domains":["x"],"foo":1,"foo":2,"subtitle":"old"},"other":true,"other":false}"#],
            "zzz-unknown": ["plain text"],
            "smrl": [#"{"q":[1,{"r":null}]}"#],
        ]
        records.append(merged)

        var notObject = Resource(id: "not-object")
        library(&notObject)
        notObject.extra["csl-json"] = ["custom": [#"{"smrl":5,"a":[]}"#]]
        records.append(notObject)

        var noLibrary = Resource(id: "no-library")
        noLibrary.extra["csl-json"] = ["custom": [#"{"smrl":{"k":"v"},"a":{}}"#], "weird": ["[1,2"]]
        records.append(noLibrary)

        var badCustom = Resource(id: "bad-custom", type: .book)
        badCustom.extra["csl-json"] = ["custom": ["[1]"], "type": ["journalArticle"]]
        records.append(badCustom)

        var variables = Resource(id: "variables", type: .report)
        variables.articleNumber = "12"
        variables.authors = [Person(family: "Doe", given: "Jane", orcid: nil), Person(literal: "ACME \"Inc\"")]
        variables.editors = [Person(family: "Roe", orcid: "0000-0002-1825-0097"), Person()]
        variables.translators = [
            Person(given: "Only"),
            Person(family: "F", given: "G", particle: "van", droppingParticle: "de", suffix: "Jr.", literal: "L", orcid: "x"),
        ]
        variables.extra["csl-json"] = [
            "chair": ["Doe || John"],
            "composer": [#"[{"family":"X","isInstitution":true}]"#],
            "compiler": [#"[{"family":"Valid","comma-suffix":true}]"#],
            "curator": ["Plain Name"],
            "event-date": ["2020-05-01"],
            "submitted": [#"{"date-parts":[[2019,"3"]],"circa":"yes"}"#],
            "original-date": [#"{"foo":1}"#],
            "available-date": [#"{"date-parts":[["x"]],"season":[1]}"#],
            "number": ["7", "8"],
            "shortTitle": ["Short"],
            "event": ["Conf"],
            "archive": ["A", "B", "C"],
            "author": [#"[{"family":"Other"}]"#],
            "editor": ["not json"],
            "issued": [#"{"date-parts":[[1999]]}"#],
            "accessed": ["[1,2]"],
            "keyword": ["x, y"],
            "categories": ["[]"],
            "ISBN": [""],
            "ISSN": [#"["1234-5678"]"#],
        ]
        variables.issued = EDTFDate(year: 2000)
        variables.accessed = EDTFDate(year: 2001, month: 2, day: 3)
        variables.keywords = ["alpha, beta", "gamma"]
        variables.isbn = ["978-3-16-148410-0", "0-306-40615-2"]
        variables.issn = ["1234-5679"]
        records.append(variables)

        var emptyShadows = Resource(id: "empty-shadows", type: .articleJournal)
        emptyShadows.extra["csl-json"] = ["categories": ["[]"], "keyword": [" "], "ISBN": [""], "ISSN": [""], "DOI": ["10.1/X"]]
        emptyShadows.doi = "10.1/x"
        emptyShadows.pmcid = "PMC123"
        emptyShadows.extra["csl-json"]?["PMCID"] = ["pmc123"]
        records.append(emptyShadows)

        var foreign = Resource(id: "foreign", type: .thesis)
        foreign.extra["bibtex"] = [
            "pagetotal": ["{123}"], "eventdate": ["2020/2021"], "origdate": ["not a date"], "chapter": ["3 \\emph{x}"],
            "venue": ["  Town,\n   Land "], "number": ["9"], "empty": [],
        ]
        foreign.extra["ris"] = ["DP": ["Database"], "M3": ["PhD thesis"], "CN": [""]]
        foreign.extra["jats"] = [:]
        foreign.extra["csl-json"] = ["source": ["Own"]]
        records.append(foreign)

        for (index, date) in [
            EDTFDate(literal: "Spring \"1999\""),
            EDTFDate(start: nil, end: EDTFDate.Point(year: 2000), isInterval: true),
            EDTFDate(start: EDTFDate.Point(year: 2001, month: 21)),
            EDTFDate(start: EDTFDate.Point(year: -44, month: 3, day: 15), approximate: true, uncertain: true),
            EDTFDate(start: EDTFDate.Point(year: 0), end: nil, isInterval: true),
            EDTFDate(start: EDTFDate.Point(year: 1990, month: 1), end: EDTFDate.Point(year: 1991, month: 22)),
        ].enumerated() {
            var dated = Resource(id: "date-\(index)", type: .book)
            dated.issued = date
            dated.accessed = date
            dated.title = "<i>Markup</i> <sc>caps</sc> & <span class=\"nocase\">x</span>"
            dated.containerTitle = "a < b"
            dated.abstract = "<b>bold</b>"
            records.append(dated)
        }

        var bare = Resource(id: "")
        bare.title = ""
        bare.subtitle = ""
        records.append(bare)
        return records
    }

    @Test func rareBranchesGiveTheTreeEncodersBytesAndLosses() {
        let records = Self.edgeRecords()
        let found = Self.differences(records)
        #expect(found.isEmpty, "\(found.count) differences; first: \(found.first ?? "")")
        // The branches were taken: a merged smrl, losses of several kinds.
        var encoder = CSLItemEncoder(libraryTags: true, foreignExtra: false)
        var output = JSONOutput(indent: 0)
        var losses: [Loss] = []
        for record in records {
            encoder.encode(record, id: record.id ?? "x", into: &output)
            losses += encoder.losses
        }
        let text = String(decoding: output.bytes, as: UTF8.self)
        #expect(text.contains(#""smrl":{"resourceType":"journal-article","domains":["community-engagement"]"#))
        #expect(text.contains(#""foo":1,"q":[1,{"r":null}]}"#))
        #expect(text.contains(#""number-of-pages":"123""#))
        #expect(losses.contains { $0.field == "extra.csl-json.custom" })
        #expect(losses.contains { $0.field == "extra.bibtex.pagetotal" })
        #expect(losses.contains { $0.field == "extra.csl-json.composer" })
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func libraryTagsAreLibraryTagsTags() {
        var tagged = 0
        for record in Self.corpus + Self.edgeRecords() {
            var keywords = ["kept"]
            CSLItemEncoder.appendLibraryTags(of: record, to: &keywords)
            #expect(keywords == ["kept"] + LibraryTags.tags(for: record))
            if keywords.count > 1 { tagged += 1 }
        }
        #expect(tagged >= 30)
        var every = Resource()
        every.resourceType = "peer-reviewed-article"
        every.domains = ["community-engagement", "ünïcode"]
        every.topics = ["specialty-choice"]
        every.professions = ["pharmacy", ""]
        for openAccess in [true, false] {
            every.openAccess = openAccess
            var keywords: [String] = []
            CSLItemEncoder.appendLibraryTags(of: every, to: &keywords)
            #expect(keywords == LibraryTags.tags(for: every))
        }
    }

    @Test func outputKeysAreTheOutputOrder() {
        #expect(CSLItemEncoder.outputOrder.count <= 128)  // the slots' two 64-bit words
        #expect(CSLItemEncoder.outputKeys.map { $0.description } == CSLItemEncoder.outputOrder)
        let named: [(Int, String)] = [
            (CSLItemEncoder.S.id, "id"), (CSLItemEncoder.S.type, "type"), (CSLItemEncoder.S.title, "title"),
            (CSLItemEncoder.S.titleShort, "title-short"), (CSLItemEncoder.S.author, "author"),
            (CSLItemEncoder.S.editor, "editor"), (CSLItemEncoder.S.translator, "translator"),
            (CSLItemEncoder.S.containerTitle, "container-title"),
            (CSLItemEncoder.S.containerTitleShort, "container-title-short"),
            (CSLItemEncoder.S.collectionTitle, "collection-title"), (CSLItemEncoder.S.issued, "issued"),
            (CSLItemEncoder.S.accessed, "accessed"), (CSLItemEncoder.S.volume, "volume"),
            (CSLItemEncoder.S.issue, "issue"), (CSLItemEncoder.S.page, "page"), (CSLItemEncoder.S.number, "number"),
            (CSLItemEncoder.S.edition, "edition"), (CSLItemEncoder.S.publisher, "publisher"),
            (CSLItemEncoder.S.publisherPlace, "publisher-place"), (CSLItemEncoder.S.eventTitle, "event-title"),
            (CSLItemEncoder.S.doi, "DOI"), (CSLItemEncoder.S.pmid, "PMID"), (CSLItemEncoder.S.pmcid, "PMCID"),
            (CSLItemEncoder.S.isbn, "ISBN"), (CSLItemEncoder.S.issn, "ISSN"), (CSLItemEncoder.S.url, "URL"),
            (CSLItemEncoder.S.abstract, "abstract"), (CSLItemEncoder.S.language, "language"),
            (CSLItemEncoder.S.categories, "categories"), (CSLItemEncoder.S.keyword, "keyword"),
            (CSLItemEncoder.S.note, "note"), (CSLItemEncoder.S.custom, "custom"),
        ]
        for (slot, name) in named { #expect(CSLItemEncoder.outputOrder[slot] == name) }
        #expect(CSLItemEncoder.S.custom == CSLItemEncoder.outputOrder.count - 1)
    }

    @Test func writerSettingsGiveTheTreeEncodersDocument() {
        // The whole document through the writer (pretty array, compact array, lines) against the old way.
        let records = Self.edgeRecords().filter { $0.id?.isEmpty == false }
        for (pretty, lines) in [(true, false), (false, false), (false, true), (true, true)] {
            let written = CSLTest.write(records, settings: ["csl-json.lines": lines ? "true" : "false"], pretty: pretty)
            var output = JSONOutput(indent: pretty && !lines ? 2 : 0)
            if !lines { output.beginArray() }
            var expectedLosses: [[Loss]] = []
            for record in records {
                var tree = CSLItemTreeEncoder(libraryTags: true, foreignExtra: true)
                output.value(tree.encodeSlowly(record, id: record.id ?? ""))
                expectedLosses.append(tree.losses)
                if lines { output.raw(0x0A) }
            }
            if !lines {
                output.endArray()
                output.raw(0x0A)
            }
            #expect(written.text == String(decoding: output.bytes, as: UTF8.self), "pretty \(pretty), lines \(lines)")
            #expect(written.losses == expectedLosses)
        }
    }
}
