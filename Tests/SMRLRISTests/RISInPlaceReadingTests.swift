import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The tag-line test read through the line's buffer and the name reading that decides organisations and single
/// words on the bytes must give what the code they replaced gives. The references are that code, kept verbatim;
/// they are compared over every corpus line and value and over crafted lines (CR, BOM, tabs, lower case, non-ASCII,
/// malformed tags).
@Suite("RIS tag lines and plain names read in place agree with the code they replaced")
struct RISInPlaceReadingTests {
    // MARK: References

    /// ``RISScanner/risTag(_:)`` as it was: the slice read with index checks, the tag's String made each time.
    static func referenceRISTag(_ bytes: ArraySlice<UInt8>) -> (tag: String, valueOffset: Int)? {
        let start = bytes.startIndex
        guard bytes.count >= 3, RISScanner.isLetter(bytes[start]),
            RISScanner.isLetter(bytes[start + 1]) || RISScanner.isDigit(bytes[start + 1])
        else { return nil }
        var index = start + 2
        var spaces = 0
        while index < bytes.endIndex, bytes[index] == 0x20 {
            spaces += 1
            index += 1
        }
        guard (1...4).contains(spaces), index < bytes.endIndex, bytes[index] == 0x2D else { return nil }
        index += 1
        if index < bytes.endIndex {
            guard bytes[index] == 0x20 || bytes[index] == 0x09 else { return nil }
            while index < bytes.endIndex, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        let name = String(decoding: [RISScanner.upper(bytes[start]), RISScanner.upper(bytes[start + 1])], as: UTF8.self)
        return (name, index - start)
    }

    /// ``RISLibraryTag/plainTag(bytes:)`` as it was: the bytes after `smrl:` tested one at a time.
    static func referencePlainTag(_ bytes: UnsafeBufferPointer<UInt8>) -> (field: LibraryTags.Field, value: String)? {
        let count = bytes.count
        guard count > 7, bytes[0] | 0x20 == 0x73, bytes[1] | 0x20 == 0x6D, bytes[2] | 0x20 == 0x72,
            bytes[3] | 0x20 == 0x6C, bytes[4] == 0x3A
        else { return nil }
        var colon = -1
        var index = 5
        while index < count {
            let byte = bytes[index]
            if byte &- 0x21 > 0x5D || byte == 0x3B { return nil }
            if byte == 0x3A, colon < 0 { colon = index }
            index += 1
        }
        guard colon > 0, colon < count - 1 else { return nil }
        // The field as ``RISLibraryTag/fastParse(bytes:)`` names it (its own test agrees on printable ASCII).
        guard let parsed = RISLibraryTag.fastParse(bytes: bytes) else { return nil }
        return (parsed.field, String(decoding: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...]), as: UTF8.self))
    }

    static let craftedLines: [String] = [
        "TY  - JOUR", "ty  - jour", "Ty  -", "TY  -", "TY -", "TY     - X", "TY    - X", "TY- X", "TY  -X", "TY  -\tX",
        "TY  - \t  X", "T1  - ", "A1  - Smith, J", "a1  - x", "1A  - x", "\u{FEFF}TY  - JOUR", "TY", "T", "",
        "TY  - Ünïcödé", "ÄB  - x", "AB\t - x", "AB  –  x", "AB  - x  KW  - y", "AB  - \r", "Ab  -  ", "AU  - Müller, A",
        "ER  - ", "ER  -", "XY  - x", "X1  - x", "9Z  - x", "AB  -- x", "AB  - -", "A   - x",
    ]

    static func lines() throws -> [ArraySlice<UInt8>] {
        var lines = craftedLines.map { Array($0.utf8)[...] }
        // Slices that do not start at 0 (the scanner's lines are slices of the reader's buffer).
        for text in craftedLines {
            let bytes = Array(("xx\n" + text + "\nyy").utf8)
            lines.append(bytes[3..<(3 + text.utf8.count)])
        }
        if TestCorpus.isAvailable {
            for url in TestCorpus.files(in: "ris", extensions: ["ris", "nbib", "txt"]) {
                guard let data = try? Data(contentsOf: url) else { continue }
                let bytes = [UInt8](data)
                var start = 0
                for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A || bytes[index] == 0x0D {
                    lines.append(bytes[start..<index])
                    start = index + 1
                }
            }
        }
        return lines
    }

    static func describe(_ person: Person?) -> String { RISValueFastPathTests.describe(person) }

    // MARK: Tests

    @Test("the tag-line test on the buffer gives the tag and value offset of the slice reading")
    func tagLines() throws {
        let lines = try Self.lines()
        var tagged = 0
        for line in lines {
            let expected = Self.referenceRISTag(line)
            let found = RISScanner.risTag(line)
            #expect(found?.tag == expected?.tag && found?.valueOffset == expected?.valueOffset,
                "\(String(decoding: line, as: UTF8.self).debugDescription)")
            #expect(RISScanner.risTagValueOffset(line) == expected?.valueOffset)
            if expected != nil { tagged += 1 }
        }
        #expect(tagged > 20)
    }

    @Test("a value the scanner marks compact is one whose spaces collapse to itself, also with tabs, CR and BOM")
    func compactValues() throws {
        var inputs: [[UInt8]] = [
            Array("TY  - JOUR\nTI  - A plain title\nT2  - Two  spaces\nJ2  - Tab\there\nPB  - Trailing  \nCY  - é\n".utf8),
            Array("\u{FEFF}TY  - JOUR\r\nTI  - Title\r\nT2  - J\u{0001}x\r\nVL  - 12 \r\nIS  - \r\nER  - \r\n".utf8),
            Array("TY  - JOUR\nTI  - A title  AU  - Smith, J\nST  - Short\n  continued\nER  - \n".utf8),
        ]
        if TestCorpus.isAvailable {
            for url in TestCorpus.files(in: "ris", extensions: ["ris", "txt"]) {
                if let data = try? Data(contentsOf: url) { inputs.append([UInt8](data)) }
            }
        }
        var marked = 0
        var unmarkedCompact = 0
        for input in inputs {
            var scanner = RISScanner(reader: ByteReader(bytes: input, fileName: "t.ris"), maxRecordBytes: 1 << 24)
            while let item = scanner.next() {
                guard let record = item.record else { continue }
                for field in record.fields where field.valueIsCompact {
                    marked += 1
                    #expect(!field.isStored && RISValues.isCompact(field.value)
                        && RISValues.collapseSpaces(field.value) == field.value, "\(field.value.debugDescription)")
                }
                for field in record.fields
                where !field.valueIsCompact && !field.isStored && field.more.isEmpty && !["TY", "AB", "N2"].contains(field.tag) {
                    if RISValues.isCompact(field.value) && field.value.utf8.allSatisfy({ $0 < 0x80 }) { unmarkedCompact += 1 }
                }
            }
        }
        // Without the corpus only the crafted inputs above are read (five compact values).
        #expect(marked > (TestCorpus.isAvailable ? 10 : 3))
        // Values the scanner does not mark take the general test: allowed (a cut glued line, a TY, an abstract),
        // but rare.
        #expect(unmarkedCompact < marked)
    }

    @Test("records read the same whether the interpreter trusts the scanner's compact marks or tests every value")
    func compactMarksChangeNothing() throws {
        var inputs = [
            "TY  - JOUR\nTI  - A  title\nTI  - A title\nT1  - A title \nST  - S\tT\nT2  - J\nJO  - J\nJ2  - J  \nER  - \n",
            "\u{FEFF}TY  - BOOK\r\nTI  - Ünïcödé title\r\nT1  - Other\r\nBT  - Book\r\n  more\r\nPB  - P\u{00A0}B\r\nCY  - \r\nER  - \r\n",
            "TY  - CONF\nC3  - Proc\nT2  - Event  AU  - Glued, Name\nVL  - 3\nIS  - 4\nET  - 2nd\nLA  - en\nID  - x\nER  - \n",
            "TY  - JOUR\nTI  - \nTI  - Second\nAB  - Abstract.\nN2  - Other\nER  - \n",
        ].map { Array($0.utf8) }
        if TestCorpus.isAvailable {
            for url in TestCorpus.files(in: "ris", extensions: ["ris", "nbib", "txt", "isi", "ovd"]) {
                inputs.append([UInt8](try Data(contentsOf: url)))
            }
        }
        for input in inputs {
            let marked = RISByteStoreTests.readings(input) { _ in }
            let unmarked = RISByteStoreTests.readings(input) { $0.marksCompactValues = false }
            #expect(marked.count == unmarked.count)
            if let first = marked.indices.first(where: { $0 < unmarked.count && marked[$0] != unmarked[$0] }) {
                Issue.record("record \(first): \(marked[first]) ≠ \(unmarked[first])")
            }
        }
    }

    @Test("the library tag test eight bytes at a time answers as the byte loop did")
    func plainTags() throws {
        var lines = try RISCheckedDecodingTests.keywordLines()
        let base = "smrl:topic:patient-community-health"
        let bytes = Array(base.utf8)
        // Each position of a long tag replaced by every byte class the test tells apart.
        for position in 5..<bytes.count {
            for byte: UInt8 in [0x00, 0x09, 0x20, 0x21, 0x3A, 0x3B, 0x7E, 0x7F, 0x80, 0xC3, 0xFF, 0x41] {
                var changed = bytes
                changed[position] = byte
                lines.append(String(decoding: changed, as: UTF8.self))
            }
        }
        lines += ["smrl:domain:", "smrl:domain:x", "smrl:open-access:true", "SMRL:RESOURCE-TYPE:X", "smrl:topicx:y:z",
            "smrl::topic", "smrl:topic:é", "smrl:profession:abcdefgh;", "smrl:profession:abcdefghijklmnop"]
        var found = 0
        for line in lines {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                let new = RISLibraryTag.plainTag(bytes: buffer)
                let old = Self.referencePlainTag(buffer)
                #expect(new?.field == old?.field && new?.value == old?.value, "\(line.debugDescription)")
                if new != nil { found += 1 }
            }
        }
        #expect(found > 20)
    }

    @Test("names without a comma decided on the bytes are what the general reading makes of them")
    func plainGeneralNames() throws {
        var values = try RISValueFastPathTests.values()
        values += [
            "World Health Organization", "Council on Graduate Medical Education", "Smith", "Smith J", "Smith JA",
            "Smith J.-P.", "Smith ABCDE", "van der Berg H", "WHO", "Müller", "Müller Å", "Smith É", "Smith Éa",
            "Smith é", "Smith aÉ", "Smith jA", "Smith J;", "Smith J,", "Smith  J", " Smith", "Smith ", "Smith\tJ",
            "Smith\u{00A0}J", "Smith 1", "Smith J-", "Smith .", "A B C D", "A B C D E", "A B C", "Ødegård Åse",
            "Cochrane Collaboration 2019", "Ng T", "Li X.", "de la Cruz M",
            "National Academies of Sciences, Engineering, and Medicine", "Smith, John, Jr.", "Smith, Jr., John",
            "Smith, JR., John", "Smith, John, III, PhD", ", John, Jr.", "Smith, , Jr.", "Smith, John ,Jr", "Smith,John,Jr",
            "van der Berg, Jan, Jr.", "Šimić, Łukasz, Sr.", "Smith, JUNIOR, X", "Smith, Jr", ", , x", ",, Jr.",
            "Smith, Ⅱ, x", "Smith, \u{212A}, x", "Smith, Jr., ", "a,b,c", "a, b, c, d", "Nguyễn, Hiroshi",
            "Müller‐Lüdenscheidt, Anna‐Lena", "山田, 太郎", "Smith, John,  Jr.", "Smith, John, Jr.\u{00A0}", "x, 2nd, y",
        ]
        var decided = 0
        for value in values where !value.isEmpty {
            let bytes = Array(value.utf8)
            let fast = bytes.withUnsafeBufferPointer { RISValues.plainGeneralPerson(bytes: $0) }
            if let fast {
                decided += 1
                #expect(Self.describe(fast) == Self.describe(RISValues.generalPerson(value)), "\(value.debugDescription)")
            }
            let whole = bytes.withUnsafeBufferPointer { RISValues.person(bytes: $0) }
            #expect(Self.describe(whole) == Self.describe(RISValueFastPathTests.referencePerson(value)),
                "\(value.debugDescription)")
        }
        // Organisations and single words are decided here (the test would pass trivially otherwise).
        #expect(decided > 20)
        for name in ["World Health Organization", "Smith", "Cochrane Collaboration 2019", "Smith jA", "A B C D E",
            "Smith, John, Jr.", "National Academies of Sciences, Engineering, and Medicine", "Smith, Jr., John"] {
            #expect(Array(name.utf8).withUnsafeBufferPointer { RISValues.plainGeneralPerson(bytes: $0) } != nil, "\(name)")
        }
        for name in ["Smith J", "Smith É", "Smith, J", "Smith J;", "Smith  J", "van der Berg H", "Smith, Ⅱ, x"] {
            #expect(Array(name.utf8).withUnsafeBufferPointer { RISValues.plainGeneralPerson(bytes: $0) } == nil, "\(name)")
        }
    }
}
