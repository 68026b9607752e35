import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The RIS writer builds each record as bytes in one buffer, checks each value there eight bytes at a time, writes
/// names, dates, pages and library tags straight from their parts, and decides more names without reading them
/// back. It must write what the writer before it wrote (``oldRISText(for:newline:)``, kept in
/// RISWriterReference.swift), byte for byte, with the same losses.
@Suite("RIS writer: the byte paths write what the old writer wrote")
struct RISWriterBytePathTests {
    /// Values with something at every place a word-at-a-time scan can get wrong.
    static let edgeValues: [String] = {
        var values = [
            "", " ", "a", "é", "\u{A0}", "\u{FEFF}", "\r", "\n", "\r\n", "\u{2028}", "\u{2029}", "\u{85}", "\t",
            "plain value", "two  spaces", " lead", "trail ", "line\nbreak", "line\r\nbreak", "line\rbreak",
            "para\u{2028}sep", "para\u{2029}sep", "nel\u{85}x", "vt\u{0B}ff\u{0C}x", "del\u{7F}x", "nul\u{0}x",
            "tab\there", "\u{FEFF}TY  - JOUR", "x\u{FEFF}", "\u{FEFF}x", "é\u{FEFF}x", "x\u{FEFF}é", "\u{A0}edge\u{A0}",
            "\u{3000}ideo", "ideo\u{3000}", "Title   DO  - 10.1/x", "first\nTI  - second", "first\nER  - ", "a\n\n\nb",
            "a \n b", "  \n  ", "\n\n", "χ² = 12.4 (p ≤ 0.05)", "1.2–2.6", "“quoted”", "e\u{0301}", "\u{0301}x",
            "abcdefg\u{80}", "€€€€€€€€", "<i>italic</i> and <b>bold</b>", "p < 0.05", "H<sub>2</sub>O", "a;b;c",
            "Smith, John", "World Health Organization", "12-19", "e123", "S12-S19", "12 - 19", "12–19", "1,3-5",
        ]
        let long = String(repeating: "Rural background was associated with practice intention (OR 1.8). ", count: 80)
        values += [long, long + "\n" + long, long + "é", "é" + long, long + "  AU  - Smith", long + "\u{2028}x"]
        // Each special sequence at every byte offset of a word, after ASCII and after non-ASCII text.
        let specials = ["\r", "\n", "\r\n", "\u{2028}", "\u{2029}", "\u{85}", "\u{7F}", "\u{1}", "\u{FEFF}", "  ",
            "  KW  - x", "\u{A0}", "\u{A8}", "\u{A9}", "\u{2018}", "é"]
        for base in ["Abcdefghijklmnopqrstuvwx", "Ab€déf–ghij“kl”mnoé"] {
            let scalars = Array(base.unicodeScalars)
            for special in specials {
                for offset in 0...scalars.count {
                    var value = scalars
                    value.insert(contentsOf: special.unicodeScalars, at: offset)
                    values.append(String(String.UnicodeScalarView(value)))
                }
            }
        }
        return values
    }()

    /// A record with a value in every field the writer writes.
    static func fullRecord(type: ItemType = .articleJournal) -> Resource {
        var record = Resource(id: "smith2020", type: type)
        record.resourceType = "peer-reviewed-article"
        record.title = "A title"
        record.subtitle = "its subtitle"
        record.shortTitle = "Short"
        record.containerTitle = "Journal of Things"
        record.containerTitleShort = "J Things"
        record.collectionTitle = "Series"
        record.authors = [Person(family: "Smith", given: "John"), Person(literal: "World Health Organization")]
        record.editors = [Person(family: "Berg", given: "Hans", particle: "van der")]
        record.translators = [Person(family: "Núñez", given: "María José", suffix: "Jr.")]
        record.issued = EDTFDate(year: 2020, month: 6, day: 5)
        record.accessed = EDTFDate(year: 2021, month: 1)
        record.volume = "12"
        record.issue = "3"
        record.pages = "101-119"
        record.articleNumber = "e123"
        record.edition = "2"
        record.publisher = "Publisher"
        record.publisherPlace = "London"
        record.event = "A Conference"
        record.doi = "10.1000/xyz"
        record.pmid = "12345678"
        record.pmcid = "PMC1234567"
        record.isbn = ["978-0-00-000000-2"]
        record.issn = ["1234-5678"]
        record.url = "https://example.org/a"
        record.abstract = "An abstract."
        record.description = "Our summary."
        record.keywords = ["health", "rural; remote"]
        record.language = "en"
        record.note = "A note\nwith two lines"
        record.domains = ["community-engagement"]
        record.topics = ["specialty-choice", "rural"]
        record.professions = ["pharmacy"]
        record.openAccess = true
        record.extra = ["ris": ["N1": ["kept note"], "M3": ["Journal Article"], "x1": ["bad tag"]], "bibtex": ["note": ["n"]]]
        return record
    }

    /// Expects the writer and the old writer to agree on `record` with every newline.
    static func expectSame(_ record: Resource, _ comment: @autoclosure () -> String = "",
        newlines: [String] = ["\r\n", "\n", "\r"])
    {
        for newline in newlines {
            let new = RISWriter.text(for: record, newline: newline)
            let old = oldRISText(for: record, newline: newline)
            #expect(Array(new.text.utf8) == Array(old.text.utf8), "\(comment()) \(newline.debugDescription)")
            #expect(new.losses == old.losses, "\(comment()) \(newline.debugDescription)")
        }
    }

    @Test("the one-line test of the bytes agrees with the byte loop at every offset")
    func singleLineAtEveryOffset() {
        for value in Self.edgeValues {
            #expect(RISRecordText.isSingleLine(value) == RISFastPathTests.referenceSingleLine(value), "\(value.debugDescription)")
            #expect(RISRecordText.isSingleLine(value) == OldRISRecordText.isSingleLine(value), "\(value.debugDescription)")
        }
    }

    @Test("every string field holding each edge value is written as before")
    func edgeValuesInEveryField() {
        let fields: [WritableKeyPath<Resource, String?>] = [
            \.id, \.title, \.subtitle, \.shortTitle, \.containerTitle, \.containerTitleShort, \.collectionTitle,
            \.volume, \.issue, \.pages, \.articleNumber, \.edition, \.publisher, \.publisherPlace, \.event, \.doi,
            \.pmid, \.pmcid, \.url, \.abstract, \.description, \.language, \.note, \.resourceType,
        ]
        for value in Self.edgeValues {
            for field in fields {
                var record = Self.fullRecord()
                record[keyPath: field] = value
                Self.expectSame(record, "\(field) = \(value.debugDescription)")
            }
            var record = Self.fullRecord()
            record.keywords = [value, "x"]
            record.domains = [value]
            record.topics = [value, value]
            record.professions = [value]
            record.issn = [value]
            record.isbn = [value]
            record.extra["ris"]?["N1"] = [value]
            record.extra["ris"]?["DA"] = [value]
            Self.expectSame(record, "lists = \(value.debugDescription)")
            record = Self.fullRecord()
            record.authors = [Person(family: value, given: "John"), Person(family: "Smith", given: value),
                Person(literal: value), Person(family: "Doe", given: "J", suffix: value),
                Person(family: "Roe", given: value, particle: "van", suffix: "Jr.")]
            Self.expectSame(record, "names = \(value.debugDescription)")
        }
    }

    /// The writer keeps one buffer from record to record (a ``ByteBuffer``, copy on write): copies of a writer
    /// share it until one writes, and each must then write what it would alone, also across records that grow the
    /// buffer, and with the `lf` setting.
    @Test("copies of a writer write independently, records that grow the buffer included")
    func copiedWritersAreIndependent() throws {
        var long = Self.fullRecord()
        long.abstract = String(repeating: "Rural background was associated with practice intention (OR 1.8). ", count: 200)
        long.authors = (0..<60).map { Person(family: "Núñez\($0)", given: "María José") }
        let records = [Self.fullRecord(), long, Self.fullRecord(type: .book), long, Self.fullRecord(type: .chapter)]
        for settings in [[:], ["ris.newline": "lf"]] {
            var options = WriterOptions()
            options.settings = settings
            // Each record alone, through a writer of its own.
            var alone: [[UInt8]] = []
            for record in records {
                let sink = OutputSink.inMemory()
                var writer = RISWriter(options: options)
                _ = try writer.write(record, into: sink)
                try sink.flush()
                alone.append(sink.memory)
            }
            var first = RISWriter(options: options)
            let firstSink = OutputSink.inMemory()
            _ = try first.write(records[0], into: firstSink)
            // The copy shares the first writer's buffer; both write in turn, the long records growing each.
            var second = first
            let secondSink = OutputSink.inMemory()
            for record in records.dropFirst() {
                _ = try second.write(record, into: secondSink)
                _ = try first.write(record, into: firstSink)
            }
            try firstSink.flush()
            try secondSink.flush()
            #expect(firstSink.memory == alone.joined().map { $0 })
            #expect(secondSink.memory == alone.dropFirst().joined().map { $0 })
            #expect(alone[1].count > 8192, "the long record must outgrow the 4 KB buffer")
        }
    }

    @Test("every type, date form and open-access value is written as before")
    func typesAndDates() {
        let dates: [EDTFDate?] = [
            nil, EDTFDate(year: 2020), EDTFDate(year: 2020, month: 2), EDTFDate(year: 2020, month: 21),
            EDTFDate(year: 2020, month: 24), EDTFDate(year: 999), EDTFDate(year: 10000), EDTFDate(year: 0),
            EDTFDate(literal: "in press"), EDTFDate(edtf: "2020-05/2021"), EDTFDate(edtf: "2020~"),
            EDTFDate(edtf: "2020-06-31?"), EDTFDate(year: 2020, month: 6, day: 30),
        ]
        for type in ItemType.allCases {
            for date in dates {
                var record = Self.fullRecord(type: type)
                record.issued = date
                record.accessed = date
                record.openAccess = date == nil ? nil : date?.year == 2020
                Self.expectSame(record, "\(type) \(String(describing: date))")
            }
            var record = Self.fullRecord(type: type)
            record.extra["ris"]?["DA"] = ["2020/06/05/"]
            record.extra["ris"]?["Y2"] = ["2021/01//extra"]
            record.extra["ris"]?["TY"] = ["CHAP"]
            Self.expectSame(record, "\(type) with DA, Y2 and TY kept")
        }
    }

    @Test("every name shape is written and reported as before")
    func names() throws {
        var people = try RISWriterNameCheckTests.people()
        people += [
            Person(literal: "Council on Graduate Medical Education"), Person(literal: "WHO"), Person(literal: "Smith JA"),
            Person(literal: "Health Resources and Services Administration"), Person(literal: "Org, Inc"),
            Person(literal: "Org; Other"), Person(literal: "The ÉÉ"), Person(literal: "Group 2"),
            Person(family: "García Márquez", given: "François"), Person(family: "de Souza", given: "Ana"),
            Person(family: "Le Roux", given: "Mary", suffix: "III"), Person(family: "Beethoven", given: "Jr", suffix: "II"),
            Person(family: "Smith", given: "John", suffix: "Jr., PhD"), Person(family: "Dubois", given: "Thandiwe", particle: "da"),
            Person(family: "Smith", given: "John", particle: "d'"), Person(family: "Smith", given: "John", particle: "van-"),
        ]
        for chunk in stride(from: 0, to: people.count, by: 7) {
            var record = Resource(id: "x", type: .chapter)
            record.title = "T"
            record.authors = Array(people[chunk..<min(chunk + 7, people.count)])
            record.editors = record.authors.reversed()
            Self.expectSame(record, "\(record.authors)")
            for person in record.authors {
                var single = Resource(id: "y", type: .book)
                single.authors = [person]
                Self.expectSame(single, "\(person)", newlines: ["\r\n"])
            }
        }
    }

    @Test("every corpus RIS record is written as before", .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusRecords() throws {
        var count = 0
        for url in TestCorpus.files(in: "ris", extensions: ["ris", "nbib", "txt"]) {
            for medline in [false, true] {
                let results = try RISTest.results(ByteReader(path: url.path), medline: medline)
                for record in results.compactMap(\.record) {
                    Self.expectSame(record, "\(url.lastPathComponent) \(record.id ?? "-")")
                    count += 1
                }
            }
        }
        #expect(count > 500)
    }

    @Test("records written through a sink, the buffer kept and grown, match the old text; settings too")
    func throughSink() throws {
        var records = [Self.fullRecord(), Resource(id: "empty", type: .book)]
        var long = Self.fullRecord(type: .report)
        long.abstract = String(repeating: "A long abstract with é and “quotes” in it. ", count: 400)
        long.keywords = (0..<300).map { "keyword \($0)" }
        records += [long, Self.fullRecord(type: .chapter), long, Self.fullRecord()]
        for (settings, newline, bom) in [
            ([String: String](), "\r\n", false), (["ris.newline": "lf"], "\n", false),
            (["ris.newline": "LF", "ris.bom": "TRUE"], "\n", true), (["ris.newline": "crlf", "ris.bom": "false"], "\r\n", false),
        ] {
            var options = WriterOptions()
            options.settings = settings
            var writer = RISWriter(options: options)
            let sink = OutputSink.inMemory()
            try writer.begin(into: sink)
            var expected: [UInt8] = bom ? [0xEF, 0xBB, 0xBF] : []
            for record in records {
                let losses = try writer.write(record, into: sink)
                let old = oldRISText(for: record, newline: newline)
                expected += Array(old.text.utf8)
                #expect(losses == old.losses)
            }
            // A copy of the writer writes on its own memory.
            var copy = writer
            _ = try copy.write(records[0], into: sink)
            _ = try writer.write(records[2], into: sink)
            expected += Array(oldRISText(for: records[0], newline: newline).text.utf8)
            expected += Array(oldRISText(for: records[2], newline: newline).text.utf8)
            try writer.end(into: sink)
            try sink.flush()
            #expect(sink.memory == expected, "\(settings)")
        }
    }

    @Test("literal, several-word and suffixed names decided without reading them back do read back")
    func newNameShortcuts() {
        let decided = [
            Person(literal: "Council on Graduate Medical Education"), Person(family: "García Márquez", given: "François"),
            Person(family: "Le Roux", given: "Mary", suffix: "III"), Person(family: "Patel", given: "Siobhán", particle: "van der", suffix: "Jr."),
        ]
        for person in decided {
            let name = RISValues.risName(person)
            #expect(RISRecordEncoder.readsBackUnchanged(person, as: name), "\(person)")
            #expect(RISValues.person(name) == person, "\(person)")
        }
        let undecided = [
            Person(literal: "WHO"), Person(literal: "Smith JA"), Person(literal: "Org, Inc"), Person(literal: "A  B"),
            Person(family: "de Souza", given: "Ana"), Person(family: "Doe", given: "Jr", suffix: "II"),
            Person(family: "Doe", given: "J", suffix: "Jr., PhD"), Person(family: "Doe", given: "J", suffix: ""),
        ]
        for person in undecided {
            #expect(!RISRecordEncoder.readsBackUnchanged(person, as: RISValues.risName(person)), "\(person)")
        }
    }
}
