import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// Session 16 of the RIS reading speed work (issue 7): the record is moved, not copied, from the interpreter's
/// builder to the ``ReadResult`` (``RecordBuilder/finish()``, the reader's pending closure taking it out of the
/// interpretation). What the reader passes on must be what the interpreters made: the same record, the same field
/// locations, and every diagnostic of the interpretation stamped with the record's index and id (the id is read
/// before the record is moved).
@Suite("RIS records moved to the result are the records interpreted")
struct RISRecordMoveTests {
    /// One interpreted record as the test's reference reads it: straight from the scanner and the interpreters,
    /// the record copied out of the interpretation.
    struct Reference {
        var record: Resource
        var diagnostics: [Diagnostic]
        var locations: FieldLocationList
    }

    /// The interpreted records of `bytes`, in order, read without ``RISReader``.
    static func references(_ bytes: [UInt8], file: String) -> [Reference] {
        var scanner = RISScanner(
            reader: ByteReader(source: MemoryByteSource(bytes), fileName: file), maxRecordBytes: ReaderOptions().maxRecordBytes)
        var out: [Reference] = []
        while let item = scanner.next() {
            guard let raw = item.record, !raw.oversized else { continue }
            let interpretation: RISInterpretation
            switch raw.dialect {
            case .ris: interpretation = RISRecordInterpreter(file: file).interpret(raw)
            case .ovid: interpretation = OvidInterpreter(file: file).interpret(raw)
            case .webOfScience: interpretation = WebOfScienceInterpreter(file: file).interpret(raw)
            case .medline: interpretation = MEDLINEInterpreter(file: file).interpret(raw)
            }
            guard let record = interpretation.resource else {
                Issue.record("\(file): an interpretation without its record")
                continue
            }
            out.append(Reference(record: record, diagnostics: interpretation.diagnostics, locations: interpretation.locations))
        }
        return out
    }

    /// True when `part` appears in `whole` in order (other diagnostics of the reader may come between).
    static func isSubsequence(_ part: [Diagnostic], of whole: [Diagnostic]) -> Bool {
        var next = whole.startIndex
        for diagnostic in part {
            guard let found = whole[next...].firstIndex(of: diagnostic) else { return false }
            next = found + 1
        }
        return true
    }

    /// Compares what ``RISReader`` gives for `bytes` with ``references(_:file:)``; returns the number of records
    /// compared and of interpretation diagnostics checked.
    @discardableResult
    static func expectSameRecords(_ bytes: [UInt8], file: String) throws -> (records: Int, diagnostics: Int) {
        let expected = references(bytes, file: file)
        var reader = RISReader(reader: ByteReader(source: MemoryByteSource(bytes), fileName: file))
        var results: [ReadResult] = []
        while let result = try reader.next() { results.append(result) }
        let read = results.filter { $0.record != nil }
        #expect(read.count == expected.count, "\(file)")
        var diagnostics = 0
        for (index, (result, reference)) in zip(read, expected).enumerated() {
            #expect(result.record == reference.record, "\(file) record \(index)")
            #expect(result.fieldLocationList == reference.locations, "\(file) record \(index)")
            // What the reader adds to a diagnostic: the record's index and id where it had none.
            let recordIndex = result.diagnostics.first?.recordIndex
            let stamped = reference.diagnostics.map { diagnostic in
                var diagnostic = diagnostic
                if diagnostic.recordIndex == nil { diagnostic.recordIndex = recordIndex }
                if diagnostic.recordID == nil { diagnostic.recordID = reference.record.id }
                return diagnostic
            }
            #expect(isSubsequence(stamped, of: result.diagnostics), "\(file) record \(index): \(result.diagnostics)")
            for diagnostic in result.diagnostics {
                #expect(diagnostic.recordIndex != nil, "\(file) record \(index)")
                if reference.record.id != nil { #expect(diagnostic.recordID != nil, "\(file) record \(index)") }
            }
            diagnostics += stamped.count
        }
        return (read.count, diagnostics)
    }

    /// Records made by hand around the edges: ids with diagnostics, BOM, CRLF, empty values, non-ASCII text,
    /// Windows-1252 bytes, a record without `ER`, text between records, and each dialect's interpreter.
    static let craftedInputs: [(String, [UInt8])] = [
        ("ids.ris", Array("TY  - WHATEVER\r\nID  - rec-1\r\nTI  - Ünïcode tïtle — ok\r\nPY  - 2019/13/45\r\nER  - \r\n\r\nTY  - JOUR\r\nID  - rec-2\r\nDO  - not a doi\r\nSP  - 12\r\nEP  - 10\r\nER  - \r\n".utf8)),
        ("bom.ris", [0xEF, 0xBB, 0xBF] + Array("TY  - BOOK\nTI  - \nAU  - \nKW  - \nER  - \n".utf8)),
        ("legacy.ris", Array("TY  - JOUR\nID  - w1252\nTI  - Caf".utf8) + [0xE9] + Array("\nAU  - M".utf8) + [0xFC] + Array("ller, A.\nER  - \n".utf8)),
        ("noend.ris", Array("junk before\nTY  - JOUR\nID  - open\nTI  - no end\nTY  - CHAP\nTI  - second\nDA  - May 15\nPY  - 2019\n".utf8)),
        ("empty.ris", Array("TY  - \nER  - \n".utf8)),
        ("medline.nbib", Array("PMID- 12345678\nTI  - A MEDLINE record.\nAU  - Smith J\nFAU - Smith, John\nDP  - 2019 May\nPT  - Journal Article\n\nPMID- 23456789\nTI  - Second.\nAID - 10.1000/xyz [doi]\n".utf8)),
        ("wos.isi", Array("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nTI A Web of Science record\nSO JOURNAL OF TESTS\nPY 2018\nDI 10.1000/abc\nER\n\nEF\n".utf8)),
        ("ovid.ovd", Array("<1. >\nTI  - An Ovid record\nAU  - Smith J\nYR  - 2017\nJN  - Journal of Tests\n\n<2. >\nTI  - Another\n".utf8)),
    ]

    @Test("hand-made records: the reader's result is the interpreted record, diagnostics stamped with its id")
    func craftedRecords() throws {
        var total = 0
        var withDiagnostics = 0
        for (file, bytes) in Self.craftedInputs {
            let (records, diagnostics) = try Self.expectSameRecords(bytes, file: file)
            total += records
            withDiagnostics += diagnostics
        }
        #expect(total >= 10)
        #expect(withDiagnostics >= 3)
        // The id is read before the record moves: an interpretation's diagnostic carries it.
        let results = try RISTest.results("TY  - WHATEVER\nID  - rec-1\nTI  - T\nER  - \n")
        let result = try #require(results.first { $0.record != nil })
        #expect(result.record?.id == "rec-1" && result.record?.title == "T")
        #expect(result.diagnostics.contains { $0.code == .risUnknownType && $0.recordID == "rec-1" && $0.recordIndex == 0 })
    }

    @Test(
        "every RIS corpus file: the reader's results are the interpreted records",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusRecords() throws {
        let files = TestCorpus.files(in: "ris", extensions: ["ris", "nbib", "txt", "isi", "ovd"])
        #expect(!files.isEmpty)
        var total = 0
        var withDiagnostics = 0
        for url in files {
            let (records, diagnostics) = try Self.expectSameRecords([UInt8](try Data(contentsOf: url)), file: url.lastPathComponent)
            total += records
            withDiagnostics += diagnostics
        }
        #expect(total > 100)
        #expect(withDiagnostics > 10)
    }
}
