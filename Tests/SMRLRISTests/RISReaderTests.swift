import SMRLCore
import Testing

@testable import SMRLRIS

private func one(_ text: String) throws -> Resource {
    let records = try RISTest.records(text)
    #expect(records.count == 1)
    return try #require(records.first)
}

private func codes(_ text: String) throws -> [DiagnosticCode] {
    try RISTest.results(text).flatMap(\.diagnostics).map(\.code)
}

@Suite("RIS reader: framing")
struct RISFramingTests {
    @Test("BOM, CRLF, LF and CR line ends read the same")
    func lineEnds() throws {
        let body = ["TY  - JOUR", "TI  - A title", "AU  - Doe, Jane", "ER  - ", ""]
        for newline in ["\n", "\r\n", "\r"] {
            let text = body.joined(separator: newline)
            let plain = try one(text)
            let withBOM = try RISTest.results(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8)).compactMap(\.record)
            #expect(plain.title == "A title" && plain.authors == [Person(family: "Doe", given: "Jane")])
            #expect(withBOM == [plain])
        }
    }

    @Test("one or two spaces around the dash, lower-case tags, no space after ER")
    func tagSpacing() throws {
        // `TY-JUNK` has no space around its dash: a continuation of the title, not a tag.
        let record = try one("ty - jour\nti -  Spaced title\nTY-JUNK\nAu  - Doe, J\ner  -")
        #expect(record.type == .articleJournal)
        #expect(record.title == "Spaced title TY-JUNK")
        #expect(record.authors.count == 1)
    }

    @Test("text before the first TY and between records is reported with its line")
    func junk() throws {
        let text = "Record #1 of 2\nProvider: X\n\nTY  - JOUR\nTI  - One\nER  - \n\nRecord #2 of 2\nTY  - BOOK\nTI  - Two\nER  - \n"
        let results = try RISTest.results(text, file: "junk.ris")
        #expect(results.compactMap(\.record).map(\.title) == ["One", "Two"])
        let junk = results.flatMap(\.diagnostics).filter { $0.code == .risTextOutsideRecord }
        #expect(junk.map { $0.location?.line } == [1, 8])
        #expect(junk.allSatisfy { $0.severity == .warning && $0.location?.file == "junk.ris" })
    }

    @Test("a record without ER ends at the next TY or at the end of the input, with a warning")
    func missingEnd() throws {
        let results = try RISTest.results("TY  - JOUR\nTI  - One\n\nTY  - JOUR\nTI  - Two\n")
        #expect(results.compactMap(\.record).map(\.title) == ["One", "Two"])
        let warnings = results.flatMap(\.diagnostics).filter { $0.code == .risMissingEnd }
        #expect(warnings.count == 2)
        #expect(warnings.map { $0.location?.line } == [1, 4])
    }

    @Test("a record without TY is kept as a generic document; a stray ER is reported")
    func missingType() throws {
        let results = try RISTest.results("TI  - Orphan\nER  - \nER  - \n")
        #expect(results.compactMap(\.record).map(\.type) == [.document])
        #expect(results.flatMap(\.diagnostics).map(\.code).contains(.risMissingType))
        #expect(results.flatMap(\.diagnostics).map(\.code).contains(.risStrayEnd))
    }

    @Test("empty tags carry nothing; continuation lines join; U+2028 is a line break")
    func values() throws {
        let record = try one(
            "TY  - JOUR\nTI  - Blood-brain barrier breach following\ncortical contusion in the rat\nDB  -\nEP  - \nAB  - First paragraph.\nSecond paragraph\nwraps here.\nN1  - one\u{2028}two\nER  - ")
        #expect(record.title == "Blood-brain barrier breach following cortical contusion in the rat")
        #expect(record.abstract == "First paragraph.\nSecond paragraph wraps here.")
        #expect(record.note == "one\ntwo")
        #expect(record.extra.isEmpty)
    }

    @Test("a Windows-1252 line in the input is decoded and named")
    func latin1() throws {
        var bytes = Array("TY  - JOUR\nTI  - Caf".utf8) + [0xE9] + Array("\nAU  - M".utf8) + [0xFC] + Array("ller, K.\nER  - \n".utf8)
        let results = try RISTest.results(bytes: bytes, file: "old.ris")
        let record = try #require(results.first?.record)
        #expect(record.title == "Café")
        #expect(record.authors == [Person(family: "Müller", given: "K.")])
        let warning = try #require(results.first?.diagnostics.first { $0.code == .legacyEncoding })
        #expect(warning.location?.line == 2)
        #expect(warning.message.contains("2, 3"))
        bytes = []
    }

    @Test("a second tag glued into a DO line is split off")
    func gluedTag() throws {
        let results = try RISTest.results("TY  - JOUR\nDO  - 10.1038/s41586-020-2649-2     LK  - https://example.org/x\nER  - ")
        let record = try #require(results.first?.record)
        #expect(record.doi == "10.1038/s41586-020-2649-2")
        #expect(record.extra["ris"]?["LK"] == ["https://example.org/x"])
        let warning = try #require(results.first?.diagnostics.first { $0.code == .risGluedTag })
        #expect(warning.location?.line == 2)
        #expect(warning.location?.column == 37)
    }

    @Test("MEDLINE text given as RIS is read as MEDLINE, with a warning")
    func medline() throws {
        let results = try RISTest.results("PMID- 123456\nTI  - A title\n      continued.\nFAU - Smith, John\nAU  - Smith J\nDP  - 2019 May-Jun\nLID - 10.1000/xyz [doi]\n\nPMID- 654321\nTI  - Second\n")
        #expect(results.first?.diagnostics.first?.code == .risMedlineInput)
        let records = results.compactMap(\.record)
        #expect(records.count == 2)
        #expect(records[0].pmid == "123456" && records[0].title == "A title continued.")
        #expect(records[0].authors == [Person(family: "Smith", given: "John")])
        #expect(records[0].issued == EDTFDate(start: .init(year: 2019, month: 5), end: .init(year: 2019, month: 6)))
        #expect(records[0].doi == "10.1000/xyz")
    }

    @Test("an input with text but no record is an error, an empty input is no record")
    func noRecords() throws {
        #expect(try codes("just some text\nand more\n") == [.risTextOutsideRecord, .risNoRecords])
        #expect(try RISTest.results("").isEmpty)
        #expect(try RISTest.results("\n\n").isEmpty)
    }

    @Test("a record larger than the limit is skipped with an error and the next one is read")
    func tooLarge() throws {
        var options = ReaderOptions()
        options.maxRecordBytes = 200
        let big = String(repeating: "x", count: 300)
        let results = try RISTest.results("TY  - JOUR\nAB  - \(big)\nER  - \nTY  - JOUR\nTI  - Small\nER  - \n", options: options)
        #expect(results.count == 2)
        #expect(results[0].record == nil && results[0].diagnostics.contains { $0.code == .recordTooLarge && $0.severity == .error })
        #expect(results[1].record?.title == "Small")
    }
}

@Suite("RIS reader: damage")
struct RISDamageTests {
    /// A file with a broken record in the middle: the records around it come out, and each problem is reported at
    /// its line and column.
    @Test("a broken record in the middle")
    func brokenMiddle() throws {
        let text = """
            TY  - JOUR
            TI  - Before
            AU  - Doe, Jane
            ER  - 
            TY  - NONSENSE
            TI  - Broken
            DO  - not a doi at all
            PY  - sometime
            KW  - smrl:domain:
            TY  - JOUR
            TI  - After
            ER  - 
            """
        let results = try RISTest.results(text, file: "damaged.ris")
        let records = results.compactMap(\.record)
        #expect(records.map(\.title) == ["Before", "Broken", "After"])
        #expect(records[1].type == .document)
        #expect(records[1].extra["ris"]?["DO"] == ["not a doi at all"])
        #expect(records[1].extra["ris"]?["TY"] == ["NONSENSE"])
        let diagnostics = results[1].diagnostics
        func at(_ code: DiagnosticCode) -> (Int, Int)? {
            diagnostics.first { $0.code == code }.flatMap { $0.location }.map { ($0.line, $0.column) }
        }
        #expect(at(.risUnknownType)! == (5, 7))
        #expect(at(.risInvalidDOI)! == (7, 7))
        #expect(at(.risUnparsedDate)! == (8, 7))
        #expect(at(.risBadLibraryTag)! == (9, 7))
        #expect(at(.risMissingEnd)! == (5, 1))
        #expect(diagnostics.allSatisfy { $0.recordIndex == 1 && $0.location?.file == "damaged.ris" })
        #expect(results[0].diagnostics.isEmpty && results[2].diagnostics.isEmpty)
        // Columns count Unicode scalars, not bytes.
        let unicode = try RISTest.results("TY  - JOUR\nDO  - é10.x\nER  - ")
        #expect(unicode[0].diagnostics.first { $0.code == .risInvalidDOI }?.location?.column == 7)
        #expect(results[2].location?.line == 10)
        #expect(results[1].fieldLocations["title"]?.line == 6)
    }
}

@Suite("RIS reader: values")
struct RISValueTests {
    @Test("author shapes")
    func authors() throws {
        let record = try one("""
            TY  - JOUR
            AU  - Smith, John, Jr.
            AU  - Smith J
            AU  - World Health Organization
            AU  - Smith, A.; Jones, B.
            AU  - van Beethoven, Ludwig
            AU  - Homerus
            AU  - Lucas J.S.
            AU  - Ford, Jr., Henry
            ER  - 
            """)
        #expect(record.authors == [
            Person(family: "Smith", given: "John", suffix: "Jr."),
            Person(family: "Smith", given: "J"),
            Person(literal: "World Health Organization"),
            Person(family: "Smith", given: "A."),
            Person(family: "Jones", given: "B."),
            Person(family: "Beethoven", given: "Ludwig", particle: "van"),
            Person(family: "Homerus"),
            Person(family: "Lucas", given: "J.S."),
            Person(family: "Ford", given: "Henry", suffix: "Jr."),
        ])
    }

    @Test("keywords split only on semicolons and lines, never on commas; library tags map back")
    func keywords() throws {
        let record = try one("""
            TY  - JOUR
            KW  - Pathways, Admission, & Graduation
            KW  - asthma; air pollution
            Keyword4; Keyword5
            KW  - smrl:domain:community-engagement
            KW  - SMRL:Topic:specialty-choice
            KW  - smrl:open-access:true
            KW  - smrl:resource-type:peer-reviewed-article
            KW  - smrl:profession:pharmacy
            ER  - 
            """)
        #expect(record.keywords == ["Pathways, Admission, & Graduation", "asthma", "air pollution", "Keyword4", "Keyword5"])
        #expect(record.domains == ["community-engagement"])
        #expect(record.topics == ["specialty-choice"])
        #expect(record.professions == ["pharmacy"])
        #expect(record.openAccess == true)
        #expect(record.resourceType == "peer-reviewed-article")
    }

    @Test("dates: DA over PY over Y1, partial forms, seasons, Y2 accessed", arguments: [
        ("Y1  - 2013/05/28\nPY  - 2013\nDA  - 2014/04/01\nY2  - 2020/02/19", "2014-04-01", "2020-02-19"),
        ("PY  - 1998///Spring", "1998-21", nil),
        ("DA  - 2014/04/01/", "2014-04-01", nil),
        ("PY  - 2017/04/07/online", "2017-04-07", nil),
        ("DA  - 2010/00/00", "2010", nil),
        ("DA  - May 15\nPY  - 2019", "2019-05-15", nil),
        ("PY  - 2019/03//", "2019-03", nil),
        ("PY  - 1984 - 1985", "1984/1985", nil),
        ("PY  - 2015\nY1  - 2015/09/10", "2015-09-10", nil),
        ("Y1  - 1900/01/01\nDA  - 1950/01/01", "1950-01-01", nil),
        ("PY  - in press", "in press", nil),
    ] as [(String, String, String?)])
    func dates(input: String, issued: String, accessed: String?) throws {
        let record = try one("TY  - JOUR\n\(input)\nER  - ")
        #expect(record.issued?.description == issued)
        #expect(record.accessed?.description == accessed)
    }

    @Test("dates that disagree with the chosen one are kept")
    func keptDates() throws {
        let record = try one("TY  - JOUR\nY1  - 1900/01/01\nDA  - 1950/01/01\nPY  - 1950\nPY  - 2017/04/07/online\nER  - ")
        #expect(record.issued == EDTFDate(year: 1950, month: 1, day: 1))
        #expect(record.extra["ris"]?["Y1"] == ["1900/01/01"])
        #expect(record.extra["ris"]?["PY"] == ["2017/04/07/online"])
    }

    @Test("pages", arguments: [
        ("SP  - 123-145", "123-145"), ("SP  - 1209\nEP  - 19", "1209-19"), ("SP  - e0123456", "e0123456"),
        ("SP  - 12\nEP  -", "12"), ("SP  - 1279‐1297", "1279-1297"), ("SP  - 123-145\nEP  - 145", "123-145"),
    ])
    func pages(input: String, pages: String) throws {
        let record = try one("TY  - JOUR\n\(input)\nER  - ")
        #expect(record.pages == pages)
        #expect(record.extra.isEmpty)
    }

    @Test("DOIs in DO, M3, N1 and doi.org links", arguments: [
        "DO  - https://dx.doi.org/10.1000/XYZ.", "M3  - doi: 10.1000/XYZ", "N1  - doi: 10.1000/XYZ",
        "UR  - https://doi.org/10.1000/XYZ", "DO  - doi:10.1000/XYZ",
    ])
    func dois(input: String) throws {
        let record = try one("TY  - JOUR\n\(input)\nER  - ")
        #expect(record.doi == "10.1000/XYZ")
        #expect(record.note == nil)
    }

    @Test("a DOI in another site's link is not taken")
    func doiInQuery() throws {
        let record = try one("TY  - JOUR\nUR  - https://example.org/link?id=doi:10.1002%2Far.25520&x=1\nER  - ")
        #expect(record.doi == nil)
    }

    @Test("SN split into ISSN and ISBN by shape")
    func serials() throws {
        let record = try one("TY  - JOUR\nSN  - 1932-8494; 1932-8486\nSN  - 2325-9671 (electronic)\nSN  - 978-1-4822-5326-9\nSN  - 2050084X\nER  - ")
        #expect(record.issn == ["1932-8494", "1932-8486", "2325-9671", "2050-084X"])
        #expect(record.isbn == ["978-1-4822-5326-9"])
    }

    @Test("PMID and PMCID from their usual places", arguments: [
        ("DB  - PubMed\nAN  - 26957754", "26957754", nil),
        ("U1  - 26957754[pmid]\nU2  - PMC4756000[pmcid]", "26957754", "PMC4756000"),
        ("C3  - PUBMED 38407106,EMBASE 643589775", "38407106", nil),
        ("C2  - 38580657", "38580657", nil),
        ("C2  - PMC3654245", nil, "PMC3654245"),
        ("N1  - PMID: 123\nN1  - PMCID: PMC42", "123", "PMC42"),
        ("AN  - 26957754", nil, nil),
    ] as [(String, String?, String?)])
    func pubmed(input: String, pmid: String?, pmcid: String?) throws {
        let record = try one("TY  - JOUR\n\(input)\nER  - ")
        #expect(record.pmid == pmid)
        #expect(record.pmcid == pmcid)
    }

    @Test("type-dependent tags: A2/A3 by type, EDBOOK authors are editors, T2 series of books, C7")
    func typeDependent() throws {
        let book = try one("TY  - BOOK\nA2  - Series, Ed\nA3  - Book, Ed\nT2  - A Series\nER  - ")
        #expect(book.editors == [Person(family: "Book", given: "Ed")])
        #expect(book.extra["ris"]?["A2"] == ["Series, Ed"])
        #expect(book.collectionTitle == "A Series" && book.containerTitle == nil)
        let chapter = try one("TY  - CHAP\nA2  - Book, Ed\nA3  - Series, Ed\nT2  - The Book\nT3  - The Series\nER  - ")
        #expect(chapter.editors == [Person(family: "Book", given: "Ed")])
        #expect(chapter.containerTitle == "The Book" && chapter.collectionTitle == "The Series")
        let edited = try one("TY  - EDBOOK\nAU  - Editor, An\nER  - ")
        #expect(edited.editors.count == 1 && edited.authors.isEmpty && edited.type == .book)
        let article = try one("TY  - JOUR\nC7  - e2210900\nM1  - 4\nET  - 2020/01/02\nER  - ")
        #expect(article.articleNumber == "e2210900" && article.issue == "4" && article.edition == nil)
        #expect(article.extra["ris"]?["ET"] == ["2020/01/02"])
        let electronic = try one("TY  - EJOUR\nDA  - 2019/09/18/\nPY  - 2018\nER  - ")
        #expect(electronic.accessed == EDTFDate(year: 2019, month: 9, day: 18) && electronic.issued == EDTFDate(year: 2018))
        let conference = try one("TY  - CONF\nT2  - Conference Name\nC3  - Proceedings Title\nER  - ")
        #expect(conference.containerTitle == "Proceedings Title" && conference.event == "Conference Name")
    }

    @Test("every TY code and alias maps to a CSL type; an unknown one is a warning and a document")
    func types() throws {
        for info in RISTypeInfo.all {
            #expect(try one("TY  - \(info.code)\nER  - ").type == info.type)
        }
        for (alias, code) in RISTypeInfo.aliases {
            let results = try RISTest.results("TY  - \(alias.lowercased())\nER  - ")
            #expect(results.first?.record?.type == RISTypeInfo.byCode[code]?.type, "\(alias)")
            #expect(results.first?.diagnostics.map(\.code) == [.risTypeAlias])
        }
        let unknown = try RISTest.results("TY  - WHATEVER\nTI  - Kept\nER  - ")
        #expect(unknown.first?.record?.type == .document && unknown.first?.record?.title == "Kept")
        #expect(unknown.first?.diagnostics.first?.code == .risUnknownType)
        #expect(unknown.first?.diagnostics.first?.severity == .warning)
    }
}

/// A source that fails after its first chunk.
private final class FailingSource: ByteSource {
    var sent = false
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if sent { throw InputError(path: "broken", reason: "device error") }
        sent = true
        let bytes = Array("TY  - JOUR\nTI  - Partial\n".utf8)
        buffer.copyBytes(from: bytes)
        return bytes.count
    }
}

@Suite("RIS reader: detection and I/O")
struct RISDetectionTests {
    @Test("sniffers tell RIS, MEDLINE, Ovid and Web of Science apart", arguments: [
        ("TY  - JOUR\nTI  - x\nER  - \n", 90, 0),
        ("Record #1 of 2\nProvider: X\n\nTY  - JOUR\n", 90, 0),
        ("PMID- 123\nOWN - NLM\n", 0, 95),
        ("OWN - ERIC\nTI  - x\n", 0, 95),
        ("<1. >\nVN  - Ovid Technologies\nDB  - Embase\n", 60, 0),
        ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n", 60, 0),
        ("{\"id\": 1}\n", 0, 0),
        ("@article{key,\n  title = {x}\n}\n", 0, 0),
    ] as [(String, Int, Int)])
    func sniff(text: String, ris: Int, medline: Int) {
        let bytes = Array(text.utf8)[...]
        #expect(RISFormat.sniffRIS(bytes) == ris)
        #expect(RISFormat.sniffMEDLINE(bytes) == medline)
    }

    @Test("an input that fails part way throws after the records read so far")
    func unreadable() throws {
        var reader = RISReader(reader: ByteReader(source: FailingSource(), fileName: "broken", chunkSize: 64))
        let first = try reader.next()
        #expect(first?.record?.title == "Partial")
        #expect(throws: InputError.self) { _ = try reader.next() }
    }

    @Test("records are produced one at a time from a stream")
    func streaming() throws {
        // 5,000 records through a 4 KB buffer: each next() returns one record; nothing is read ahead
        // beyond the current line.
        let record = "TY  - JOUR\r\nTI  - Title\r\nAU  - Doe, Jane\r\nPY  - 2020\r\nER  - \r\n"
        let bytes = Array(String(repeating: record, count: 5_000).utf8)
        let source = MemoryByteSource(bytes)
        let input = ByteReader(source: source, fileName: "big.ris", chunkSize: 4096)
        var reader = RISReader(reader: input)
        var count = 0
        while let result = try reader.next() {
            count += 1
            if count == 10 { #expect(input.bytesRead < 16_384) }
            #expect(result.record?.title == "Title")
        }
        #expect(count == 5_000)
    }
}

@Suite("RIS reader: robustness")
struct RISRobustnessTests {
    /// A small deterministic generator (xorshift), so failures can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    @Test("random bytes and tag soup never crash and never hang")
    func garbage() throws {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        let pieces = [
            "TY  - ", "ER  - ", "JOUR", "\n", "\r\n", "\r", "AU  - ", "Smith, ", ";", ",", "DA  - ", "/", "2019",
            "SP  - ", "-", "KW  - smrl:", "DO  - 10.", "PMID- ", "FAU - ", "<1. >", "PT J\n", "   ", "\u{2028}",
            "é", "\u{FEFF}", "A2  - ", "TY - BOOK", "C7  - PMC", "\t", "  LK  - x",
        ]
        for round in 0..<500 {
            var bytes: [UInt8] = []
            let length = Int(generator.next() % 400)
            for _ in 0..<length {
                if round % 3 == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: generator.next()))
                } else {
                    bytes += Array(pieces[Int(generator.next() % UInt64(pieces.count))].utf8)
                }
            }
            let results = try RISTest.results(bytes: bytes)
            // Whatever came out can be written and read again, record for record.
            let records = results.compactMap(\.record)
            let (_, again, _) = try RISTest.roundTrip(records)
            let (text, _, _) = try RISTest.roundTrip(records)
            #expect(again.count == records.count, "\(text.debugDescription)")
            // (Field equality is not asked of garbage: unknown TY codes, stray BOMs and the extras of other
            // dialects are not written back as they came; the corpus round-trip test covers real files.)
            var medline = MEDLINEReader(reader: ByteReader(bytes: bytes))
            while try medline.next() != nil {}
        }
    }
}
