import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The RIS scanner's UTF-8 check as it was before it became the core's (``RISScanner/utf8Check(_:)`` now calls
/// ``UTF8Strings/checkNotingLineSeparators(_:)``): eight ASCII bytes skipped at a time, every other sequence checked
/// against the Unicode standard's table, U+2028/U+2029 noted. Kept as the reference the new path is compared with.
enum RISUTF8CheckReference {
    static func utf8CheckSlowly(_ bytes: UnsafeBufferPointer<UInt8>) -> (valid: Bool, lineSeparator: Bool, ascii: Bool) {
        let count = bytes.count
        var index = 0
        var separator = false
        var ascii = true
        while index < count {
            if let base = bytes.baseAddress, index + 8 <= count {
                // Eight ASCII bytes are skipped at once; otherwise the ASCII bytes before the first that is not.
                let high = ByteWord.load(base, index) & 0x8080_8080_8080_8080
                if high == 0 {
                    index += 8
                    continue
                }
                index += high.trailingZeroBitCount >> 3
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            ascii = false
            func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
                index + offset < count && bytes[index + offset] >= low && bytes[index + offset] <= high
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(1) else { return (false, false, false) }
                index += 2
            case 0xE0:
                guard continuation(1, 0xA0), continuation(2) else { return (false, false, false) }
                index += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continuation(1), continuation(2) else { return (false, false, false) }
                if lead == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 { separator = true }
                index += 3
            case 0xED:
                guard continuation(1, 0x80, 0x9F), continuation(2) else { return (false, false, false) }
                index += 3
            case 0xF0:
                guard continuation(1, 0x90), continuation(2), continuation(3) else { return (false, false, false) }
                index += 4
            case 0xF1...0xF3:
                guard continuation(1), continuation(2), continuation(3) else { return (false, false, false) }
                index += 4
            case 0xF4:
                guard continuation(1, 0x80, 0x8F), continuation(2), continuation(3) else { return (false, false, false) }
                index += 4
            default:
                return (false, false, false)
            }
        }
        return (true, separator, ascii)
    }
}

@Suite("the RIS UTF-8 check made by the core's loop")
struct RISUTF8CheckTests {
    /// The crafted and corpus cases of ``RISCheckedDecodingTests/cases()``, and a sequence that is not ASCII (or is
    /// broken) at every offset of the core's 32-byte skip and of the eight-byte one after it, followed by ASCII or
    /// by a second sequence.
    static func cases() -> [[UInt8]] {
        var cases = RISCheckedDecodingTests.cases()
        let sequences: [[UInt8]] = [[0xC3, 0xA9], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xE2, 0x80, 0xAA], [0xE2, 0x81, 0xA8],
            [0xE3, 0x80, 0xA8], [0xF0, 0x9F, 0x8E, 0x93], [0xE9], [0xE2, 0x80], [0xE2], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xC0, 0x80], [0x80], [0xFF]]
        for sequence in sequences {
            for offset in 0...70 {
                let head = Array(repeating: UInt8(0x61), count: offset) + sequence
                cases.append(head)
                cases.append(head + Array(repeating: 0x62, count: 40 - offset % 37))
                cases.append(head + Array(repeating: 0x20, count: offset % 5) + [0xE2, 0x80, 0xA9])
            }
        }
        return cases
    }

    @Test("the check answers as the scanner's loop of before on every case, valid or not")
    func sameAsBefore() {
        var separators = 0
        var invalid = 0
        for bytes in Self.cases() {
            bytes.withUnsafeBufferPointer { buffer in
                let new = RISScanner.utf8Check(buffer)
                let old = RISUTF8CheckReference.utf8CheckSlowly(buffer)
                #expect(new.valid == old.valid, "\(bytes)")
                #expect(new.lineSeparator == old.lineSeparator, "\(bytes)")
                #expect(new.ascii == old.ascii, "\(bytes)")
                if new.valid && new.lineSeparator { separators += 1 }
                if !new.valid { invalid += 1 }
                // The core's own check gives the same validity with or without the separator noted.
                let plain = UTF8Strings.check(buffer)
                #expect(plain == UTF8Strings.checkNotingLineSeparators(buffer).validity, "\(bytes)")
            }
        }
        // The cases hold both answers of each.
        #expect(separators > 100)
        #expect(invalid > 100)
    }
}
