import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// Session 16 (issue 7): ``RISRecordInterpreter/readPages(info:byTag:builder:)`` finds the SP and EP fields by
/// position instead of making two filtered lists of them. The code it replaced is kept here as the reference;
/// both must leave the same record, kept values and field locations.
@Suite("RIS pages read by position as the filtered lists did")
struct RISPagesReferenceTests {
    /// The reading of SP and EP before session 16.
    static func readPagesSlowly(info: RISTypeInfo, byTag: RISRawRecord, builder: inout RecordBuilder) {
        let starts = (byTag.fields("SP")).filter { !$0.joined.isEmpty }
        let ends = (byTag.fields("EP")).filter { !$0.joined.isEmpty }
        guard info.role("SP") == .pages
            || (starts.count == 1 && RISValues.pageRange(RISValues.normalizePages(starts[0].joined)) != nil)
        else {
            for field in starts + ends { builder.keep(field) }
            return
        }
        var usedEnd = false
        if let start = starts.first {
            let first = RISValues.normalizePages(start.joined)
            if let range = RISValues.pageRange(first) {
                builder.resource.pages = first
                if let end = ends.first, RISValues.normalizePages(end.joined) == range.last { usedEnd = true }
            } else if let end = ends.first {
                let last = RISValues.normalizePages(end.joined)
                builder.resource.pages = last == first ? first : first + "-" + last
                usedEnd = true
            } else {
                builder.resource.pages = first
            }
            builder.mark(.pages, start)
        }
        for field in starts.dropFirst() where RISValues.normalizePages(field.joined) != builder.resource.pages {
            builder.keep(field)
        }
        for (index, field) in ends.enumerated() where !(index == 0 && usedEnd) { builder.keep(field) }
    }

    /// Reads the pages of every RIS record of `bytes` both ways, under the record's own type and under a type
    /// whose SP is a number of pages (BOOK); returns how many readings were compared.
    @discardableResult
    static func expectSamePages(_ bytes: [UInt8], file: String) -> Int {
        var scanner = RISScanner(reader: ByteReader(source: MemoryByteSource(bytes), fileName: file), maxRecordBytes: 1 << 24)
        var compared = 0
        while let item = scanner.next() {
            guard let raw = item.record, !raw.oversized, raw.dialect == .ris else { continue }
            var infos = [RISTypeInfo.generic]
            if let code = raw.first("TY")?.joined, let (info, _) = RISTypeInfo.lookup(code) { infos.append(info) }
            if let (book, _) = RISTypeInfo.lookup("BOOK") { infos.append(book) }
            for info in infos {
                var fast = RecordBuilder(file: file, format: "ris", type: info.type)
                var slow = RecordBuilder(file: file, format: "ris", type: info.type)
                RISRecordInterpreter(file: file).readPages(info: info, byTag: raw, builder: &fast)
                Self.readPagesSlowly(info: info, byTag: raw, builder: &slow)
                #expect(fast.resource == slow.resource, "\(file) line \(raw.line) \(info.code)")
                #expect(fast.locations == slow.locations, "\(file) line \(raw.line) \(info.code)")
                #expect(fast.diagnostics == slow.diagnostics, "\(file) line \(raw.line) \(info.code)")
                compared += 1
            }
        }
        return compared
    }

    /// SP and EP as exports give them and as they should not: ranges in SP, EP alone, empty values (before,
    /// between and after the others), repeated and disagreeing fields, en dashes, non-ASCII, CRLF, a BOM.
    static let craftedRecords: [String] = [
        "TY  - JOUR\nSP  - 804\nEP  - 811\nER  - \n",
        "TY  - JOUR\nSP  - 804-811\nEP  - 811\nER  - \n",
        "TY  - JOUR\nSP  - 804–811\nEP  - 812\nER  - \n",
        "TY  - JOUR\nSP  - e0123\nER  - \n",
        "TY  - JOUR\nEP  - 811\nER  - \n",
        "TY  - JOUR\nSP  - \nSP  - 12\nEP  - \nEP  - 20\nER  - \n",
        "TY  - JOUR\nSP  - 12\nSP  - 12\nSP  - 13\nEP  - 20\nEP  - 21\nER  - \n",
        "TY  - JOUR\nSP  - 12\nEP  - 12\nER  - \n",
        "TY  - BOOK\nSP  - 350\nER  - \n",
        "TY  - BOOK\nSP  - 350\nSP  - 12-14\nEP  - 400\nER  - \n",
        "TY  - BOOK\nSP  - 12-14\nER  - \n",
        "TY  - BOOK\nSP  - \nEP  - \nER  - \n",
        "TY  - THES\nSP  - xii, 240\nEP  - 9\nER  - \n",
        "\u{FEFF}TY  - JOUR\r\nSP  - Ⅳ\r\nEP  - Ⅸ\r\nER  - \r\n",
        "TY  - JOUR\nSP  - 10 - 20\nEP  - 20\nSP  - 30\nER  - \n",
        "TY  - CHAP\nSP  - S12\nEP  - S19\nEP  - S20\nER  - \n",
    ]

    @Test("hand-made SP and EP fields read the same by position")
    func craftedPages() {
        var compared = 0
        for text in Self.craftedRecords { compared += Self.expectSamePages(Array(text.utf8), file: "x.ris") }
        #expect(compared >= 3 * Self.craftedRecords.count - 1)
    }

    @Test(
        "every RIS corpus record's pages read the same by position",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusPages() throws {
        var compared = 0
        for url in TestCorpus.files(in: "ris", extensions: ["ris", "txt"]) {
            compared += Self.expectSamePages([UInt8](try Data(contentsOf: url)), file: url.lastPathComponent)
        }
        #expect(compared > 100)
    }
}
