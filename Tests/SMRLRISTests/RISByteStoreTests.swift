import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// Session 9 of the RIS reading speed work (issue 7): the tag chains that replaced the per-record index, the name
/// and keyword lines kept as bytes, and the byte readings of UTF-8, line separators, value columns and page
/// ranges must give what the code they replaced gave.
@Suite("RIS values kept as bytes read as the Strings did")
struct RISByteStoreTests {
    /// One record as read: everything the reader passes on about it.
    struct Reading: Equatable {
        var resource: Resource?
        var diagnostics: [Diagnostic]
        var legacyLines: [Int]
        var oversized: Bool
        var locations: FieldLocationList
    }

    /// Reads `bytes` as RIS with names and keywords kept as bytes, and with every value a String; returns both.
    static func bothReadings(_ bytes: [UInt8], chunk: Int = 1 << 16) -> (stored: [Reading], strings: [Reading]) {
        (readings(bytes, chunk: chunk) { $0.keepsValuesAsBytes = true }, readings(bytes, chunk: chunk) { $0.keepsValuesAsBytes = false })
    }

    /// Reads `bytes` with a scanner set up by `configure` (its test switches), the dialect found from the input.
    static func readings(_ bytes: [UInt8], chunk: Int = 1 << 16, configure: (inout RISScanner) -> Void) -> [Reading] {
        var scanner = RISScanner(
            reader: ByteReader(source: MemoryByteSource(bytes), fileName: "x.ris", chunkSize: chunk),
            maxRecordBytes: 1 << 20)
        configure(&scanner)
        var out: [Reading] = []
        while let item = scanner.next() {
            guard let raw = item.record else {
                out.append(Reading(resource: nil, diagnostics: item.diagnostics, legacyLines: [], oversized: false, locations: FieldLocationList()))
                continue
            }
            // The chains give each tag's fields in input order, as a filter of the list does.
            for tag in Set(raw.fields.map(\.key)) {
                #expect(raw.fields(tag).map(\.line) == raw.fields.filter { $0.key == tag }.map(\.line))
                #expect(raw.fields(tag).map(\.column) == raw.fields.filter { $0.key == tag }.map(\.column))
            }
            let result: RISInterpretation
            switch raw.dialect {
            case .ris: result = RISRecordInterpreter(file: "x.ris").interpret(raw)
            case .ovid: result = OvidInterpreter(file: "x.ris").interpret(raw)
            case .webOfScience: result = WebOfScienceInterpreter(file: "x.ris").interpret(raw)
            case .medline: result = MEDLINEInterpreter(file: "x.ris").interpret(raw)
            }
            out.append(
                Reading(
                    resource: result.resource, diagnostics: raw.diagnostics + result.diagnostics,
                    legacyLines: raw.legacyLines, oversized: raw.oversized, locations: result.locations))
        }
        return out
    }

    @Test("hand-made records read the same with names and keywords kept as bytes")
    func craftedRecords() {
        let records: [String] = [
            "TY  - JOUR\r\nAU  - Núñez, María\r\nAU  - Council on Graduate Medical Education\r\nAU  - Smith JA\r\nER  - \r\n",
            "\u{FEFF}TY  - BOOK\nA1  - van der Berg, Jan\nA2  - Editor, E.\nA3  - Series, S.\nA4  - Tr, T.\nED  - Ed, E\nER  - \n",
            "TY  - JOUR\nAU  - Smith, John\n  continued, line\nKW  - first\n\n  second\nKW  - a; b;;c\nER  - \n",
            "TY  - JOUR\nAU  - Lee, A; Kim, B\nAU  - \nAU  -   \t  Spaced ,  Name  \t\nKW  - \nKW  -    \nER  - \n",
            "TY  - JOUR\nKW  - smrl:topic:x\nKW  - SMRL:Topic:x\nKW  - smrl:topic:x\nKW  - smrl:open-access:maybe\n"
                + "KW  - smrl:open-access:true\nKW  - smrl:domain:a b\nKW  - smrl:\nKW  - smrl:topic:\nKW  - smrl:unknown:x\n"
                + "KW  - smrl:topic:y;smrl:domain:z\nKW  - smrl:resource-type:case-study\nKW  - smrl:profession:nursing\n"
                + "KW  - plain  words\nKW  - tab\tinside\nKW  - smrl:topic:é\nER  - \n",
            "TY  - JOUR\nAU  - Li\u{2028}Wei, X\nKW  - line\u{2029}sep\nKW  - \u{00A0}nbsp\u{00A0}\nAU  - \u{3000}Wide, Y\nER  - \n",
            "TY  - JOUR\nAU  - Smith, John  KW  - glued\nKW  - kw  AU  - Glued, Name\nTI  - t  AU  - Also, Glued\nER  - \n",
            "TY  - JFULL\nAU  - Pérez, Ana\nA3  - Extra, Name\nER  - \nTY  - CONF\nA4  - Trans, T\nAU  - X\nER  - \n",
            "AU  - No, Type\nKW  - smrl:domain:d\nER  - \nER  - \nTY  - JOUR\nAU  - Open, Record\nKW  - end\n",
        ]
        var inputs = records.map { Array($0.utf8) }
        // Windows-1252 name and keyword lines (é as 0xE9), a lone continuation byte, a truncated sequence.
        inputs.append(Array("TY  - JOUR\nAU  - Caf".utf8) + [0xE9] + Array(", Ana\nKW  - caf".utf8) + [0xE9] + Array("\nER  - \n".utf8))
        inputs.append(Array("TY  - JOUR\nAU  - A".utf8) + [0x80] + Array(", B\nKW  - k".utf8) + [0xC3] + Array("\nER  - \n".utf8))
        inputs.append(Array("TY  - JOUR\nAU  - A, B\u{301}\nKW  - e\u{301}\nKW  - \u{301}x\nER  - \n".utf8))
        for input in inputs {
            for chunk in [3, 7, 1 << 16] {
                let (stored, strings) = Self.bothReadings(input, chunk: chunk)
                #expect(stored == strings, "\(String(decoding: input, as: UTF8.self).debugDescription) chunk \(chunk)")
            }
        }
        // The readings compared differ: names and keywords were kept as bytes in the first.
        var probe = RISScanner(reader: ByteReader(source: MemoryByteSource(inputs[0]), fileName: "x"), maxRecordBytes: 1 << 20)
        let probed = probe.next()?.record
        #expect(probed?.fields.filter(\.isStored).map(\.tag) == ["AU", "AU", "AU"])
        #expect(probed.map { $0.fields.filter(\.isStored).map($0.value) } == ["Núñez, María", "Council on Graduate Medical Education", "Smith JA"])
        // An oversized record drops its stored values with its fields.
        var big = Array("TY  - JOUR\n".utf8)
        for index in 0..<2000 { big += Array("AU  - Name\(index), Given\nKW  - keyword \(index)\n".utf8) }
        big += Array("ER  - \nTY  - JOUR\nAU  - After, Big\nER  - \n".utf8)
        var scanner = RISScanner(reader: ByteReader(source: MemoryByteSource(big), fileName: "x"), maxRecordBytes: 4096)
        let first = scanner.next()?.record
        #expect(first?.oversized == true && first?.fields.isEmpty == true && first?.valueBytes.isEmpty == true)
        let second = scanner.next()?.record
        #expect(second.map { RISRecordInterpreter(file: "x").interpret($0).resource?.authors.first?.family } == "After")
    }

    @Test(
        "every RIS corpus file reads the same with names and keywords kept as bytes",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusRecords() throws {
        let files = TestCorpus.files(in: "ris", extensions: ["ris", "nbib", "txt", "isi", "ovd"])
        #expect(!files.isEmpty)
        for url in files {
            let bytes = [UInt8](try Data(contentsOf: url))
            let (stored, strings) = Self.bothReadings(bytes)
            #expect(stored.count == strings.count, "\(url.lastPathComponent)")
            if let first = stored.indices.first(where: { $0 < strings.count && stored[$0] != strings[$0] }) {
                Issue.record("\(url.lastPathComponent) record \(first): \(stored[first]) ≠ \(strings[first])")
            }
        }
    }

    /// Every line of the corpus and the crafted byte strings of the decoding tests.
    static func byteCases() -> [[UInt8]] {
        var cases = RISReadSpeedPathTests.craftedBytes
        if TestCorpus.isAvailable { cases += RISReadSpeedPathTests.corpusLines() }
        return cases
    }

    @Test("the UTF-8 check answers as String decoding does, and a plain value is the bytes the decoding gives")
    func utf8AndPlainValues() {
        for bytes in Self.byteCases() {
            let roundTrip = Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
            #expect(bytes.withUnsafeBufferPointer { RISScanner.isValidUTF8($0) } == roundTrip, "\(bytes)")
            for padded in [bytes, [0x20, 0x09] + bytes + [0x20], [0x41] + bytes + [0x42]] {
                let slice = ([0x58] + padded)[1...]
                guard let plain = RISScanner.plainValue(slice, ascii: nil) else { continue }
                // What the scanner's decoding makes of the same bytes.
                var start = slice.startIndex
                var end = slice.endIndex
                while start < end, slice[start] == 0x20 || slice[start] == 0x09 { start += 1 }
                while end > start, slice[end - 1] == 0x20 || slice[end - 1] == 0x09 { end -= 1 }
                let core = slice[start..<end]
                let (text, legacy) = RISScanner.decodeText(core)
                #expect(!legacy, "\(padded)")
                #expect(Array(plain) == Array(text.utf8), "\(padded)")
                #expect(!text.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" }, "\(padded)")
            }
        }
    }

    /// U+2028/U+2029 searched a byte at a time.
    static func referenceLineSeparator(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 3 else { return false }
        return (0..<(bytes.count - 2)).contains { bytes[$0] == 0xE2 && bytes[$0 + 1] == 0x80 && (bytes[$0 + 2] == 0xA8 || bytes[$0 + 2] == 0xA9) }
    }

    @Test("the line separator search and the value column agree with byte-at-a-time readings")
    func separatorsAndColumns() {
        var cases = Self.byteCases()
        for offset in 0...17 {
            for tail: [UInt8] in [[0xE2, 0x80, 0xA9], [0xE2, 0x80], [0xE2], [0xE2, 0xE2, 0x80, 0xA8], [0xE2, 0x81, 0xA8]] {
                cases.append(Array(repeating: 0x61, count: offset) + tail + Array(repeating: 0xE2, count: offset % 3))
            }
        }
        for bytes in cases {
            let slice = ([0x58] + bytes)[1...]
            #expect(RISScanner.containsLineSeparator(slice) == Self.referenceLineSeparator(bytes), "\(bytes)")
            for offset in [-1, 0, 1, 3, 6, 7, 8, 9, bytes.count, bytes.count + 2] {
                #expect(
                    RISScanner.column(ofByte: offset, in: slice)
                        == 1 + slice.prefix(max(0, min(offset, slice.count))).filter { $0 & 0xC0 != 0x80 }.count,
                    "\(bytes) \(offset)")
            }
        }
    }

    @Test("page ranges of ASCII text read on bytes as by Characters")
    func pageRanges() throws {
        var values = [
            "12-15", " 12 - 15 ", "12--15", "S12-S19", "12-", "-5", "1,2-3", "12 -15 x", "12\t-\t15", "12\r\n-15", "é-1",
            "12-1\u{301}", "-", "", "  -  ", "12-15-18", "e1234-e1240", "12\u{0B}-\u{0C}15", "12\u{1C}-15", "a b-c", "x;y-z",
            "1209-19", "\u{1}1-2\u{1}",
        ]
        values += try RISValueFastPathTests.values()
        for value in values {
            let fast = RISValues.pageRange(value)
            let slow = RISValues.pageRangeSlowly(value)
            #expect(fast?.first == slow?.first && fast?.last == slow?.last, "\(value.debugDescription)")
        }
    }

    @Test("names read from bytes as from Strings; keyword lines as bytes as the String path reads them")
    func namesAndKeywordLines() throws {
        var values = try RISValueFastPathTests.values()
        values += [
            "Council on Graduate Medical Education", "Smith JA", "Smith J A B", "Smith J A B C", "WHO", "van der Berg JA",
            "Group A B C", "Smith 2nd JA", "O'Neil J.-P.", "Müller H", "müller H", "Smith ja", "AB CD EF GH IJ",
            "smrl:topic:x", "smrl:open-access:maybe", "SMRL:DOMAIN:Students", "a; b", "",
        ]
        for value in values {
            let bytes = Array(value.utf8)
            let fromBytes = bytes.withUnsafeBufferPointer { RISValues.person(bytes: $0) }
            #expect(RISValueFastPathTests.describe(fromBytes) == RISValueFastPathTests.describe(RISValues.person(value)),
                "\(value.debugDescription)")
            Self.expectSameKeywordReading(value)
        }
    }

    /// One keyword line read from its bytes and as the keyword loop reads the String (twice: repeats too) give the
    /// same record, diagnostics and locations.
    static func expectSameKeywordReading(_ value: String) {
        let bytes = Array(value.utf8)
        let field = RISField(tag: "KW", value: value, line: 3, column: 7)
        var viaBytes = RecordBuilder(file: "x", format: "ris", type: .book)
        var viaString = RecordBuilder(file: "x", format: "ris", type: .book)
        for _ in 0..<2 {
            bytes.withUnsafeBufferPointer { viaBytes.addKeyword(line: $0, field.place) }
            // The keyword loop's reading of one String line.
            if !value.isEmpty {
                if value.containsByte(0x3B) {
                    for keyword in value.splitASCII(0x3B) { viaString.addKeyword(String(keyword), field) }
                } else {
                    viaString.addKeyword(value, field)
                }
            }
        }
        #expect(viaBytes.resource == viaString.resource, "\(value.debugDescription)")
        #expect(viaBytes.diagnostics == viaString.diagnostics, "\(value.debugDescription)")
        #expect(viaBytes.locations == viaString.locations, "\(value.debugDescription)")
        #expect(viaBytes.resource.keywords.map(\.count) == viaString.resource.keywords.map(\.count))
    }
}
