import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

/// ``UTF8Strings`` against the standard library's `String(decoding:as:)`, the reference: bytes are well-formed
/// exactly when decoding them gives them back unchanged (a repair puts in EF BF BD where the bytes are not
/// well-formed, so it cannot give the same bytes), and the strings made must be the decoded ones, byte for byte.
@Suite struct UTF8StringsTests {
    static func reference(_ bytes: [UInt8]) -> (valid: Bool, ascii: Bool, text: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        return (Array(text.utf8) == bytes, bytes.allSatisfy { $0 < 0x80 }, text)
    }

    /// Checks one byte sequence; false (and an issue recorded) when it disagrees.
    @discardableResult
    static func check(_ bytes: [UInt8], _ context: @autoclosure () -> String = "") -> Bool {
        let expected = reference(bytes)
        let validity = bytes.withUnsafeBufferPointer { UTF8Strings.check($0) }
        let wanted: UTF8Strings.Validity = !expected.valid ? .invalid : expected.ascii ? .ascii : .valid
        let made = bytes.withUnsafeBufferPointer { UTF8Strings.string($0) }
        let validated = bytes.withUnsafeBufferPointer { UTF8Strings.validating($0) }
        let standardValidated = String(validating: bytes, as: UTF8.self)
        var agrees = validity == wanted && Array(made.utf8) == Array(expected.text.utf8) && made == expected.text
        // The check that notes U+2028/U+2029: the same validity, and a separator exactly when valid text holds one
        // (false for ASCII and for bytes that are not well-formed).
        let noting = bytes.withUnsafeBufferPointer { UTF8Strings.checkNotingLineSeparators($0) }
        let separator = validity == .valid
            && expected.text.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" }
        agrees = agrees && noting.validity == validity && noting.lineSeparator == separator
        agrees = agrees && validated == standardValidated && (validated == nil) == (validity == .invalid)
            && validated.map { Array($0.utf8) == bytes } != false
        if validity != .invalid {
            // The unchecked maker, given the check's answer: the decoded String, byte for byte and scalar for scalar.
            let unchecked = bytes.withUnsafeBufferPointer { UTF8Strings.string(validUTF8: $0, ascii: validity == .ascii) }
            agrees = agrees && Array(unchecked.utf8) == bytes && unchecked == expected.text
                && unchecked.unicodeScalars.count == expected.text.unicodeScalars.count
        }
        if !agrees {
            Issue.record("\(bytes.map { String($0, radix: 16) }) \(context()): \(validity), wanted \(wanted)")
        }
        return agrees
    }

    /// Every byte value after a run of ASCII of every length around the 8- and 32-byte steps, and before one.
    @Test func everySingleByteInEveryPlace() {
        for value in 0...255 {
            for prefix in [0, 1, 7, 8, 9, 31, 32, 33, 40] {
                for suffix in [0, 1, 8] {
                    let bytes = [UInt8](repeating: 0x61, count: prefix) + [UInt8(value)]
                        + [UInt8](repeating: 0x62, count: suffix)
                    if !Self.check(bytes, "prefix \(prefix)") { return }
                }
            }
        }
    }

    /// Every two-byte sequence, at a place that varies with it, with ASCII on both sides or at the end.
    @Test func everyTwoByteSequence() {
        for first in 0...255 {
            for second in 0...255 {
                let prefix = (first &* 7 &+ second) % 37
                let pair = [UInt8(first), UInt8(second)]
                let bytes = [UInt8](repeating: 0x41, count: prefix) + pair
                if !Self.check(bytes, "prefix \(prefix)") { return }
                if !Self.check(bytes + [0x20, 0x7A], "prefix \(prefix), ASCII after") { return }
            }
        }
    }

    /// The bytes that decide three- and four-byte sequences: every lead from C0 up with every second byte, and
    /// third and fourth bytes at the edges of the continuation range and outside it.
    @Test func threeAndFourByteSequences() {
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xFF]
        for lead in 0xC0...0xFF {
            for second in 0...255 {
                for third in edges {
                    let prefix = (lead &+ second) % 11
                    let ascii = [UInt8](repeating: 0x30, count: prefix)
                    if !Self.check(ascii + [UInt8(lead), UInt8(second), third], "3") { return }
                    for fourth in [0x41, 0x80, 0xBF, 0xC0] as [UInt8] where lead >= 0xF0 {
                        if !Self.check(ascii + [UInt8(lead), UInt8(second), third, fourth] + [0x61], "4") { return }
                    }
                }
            }
        }
    }

    @Test(arguments: [
        "", "a", "plain ASCII text that runs past thirty-two bytes at least once",
        "café", "naïve Ünïcode", "\u{FEFF}bom", "replacement \u{FFFD}", "日本語のタイトル", "emoji 🎉 and 𝔘",
        "line\r\nbreak", String(repeating: "é", count: 40), String(repeating: "x", count: 31) + "ß",
        "U+10FFFF \u{10FFFF} end",
    ])
    func handMadeText(text: String) {
        let bytes = Array(text.utf8)
        Self.check(bytes)
        // Cut at every place: the cuts inside a sequence are not well-formed.
        for end in 0...bytes.count { Self.check(Array(bytes[..<end]), "cut at \(end)") }
    }

    @Test func edgesOfTheTable() {
        for bytes in UTF8Edges.malformed {
            #expect(bytes.withUnsafeBufferPointer { UTF8Strings.check($0) } == .invalid, "\(bytes)")
            Self.check(bytes)
            Self.check([UInt8](repeating: 0x61, count: 33) + bytes + [0x62])
        }
        for bytes in UTF8Edges.wellFormed {
            #expect(bytes.withUnsafeBufferPointer { UTF8Strings.check($0) } == .valid, "\(bytes)")
            Self.check(bytes)
            Self.check([UInt8](repeating: 0x61, count: 33) + bytes + [0x62])
            Self.check(bytes + bytes + [0x20] + bytes)
        }
    }

    /// The ASCII entry point falls back to decoding when a byte is not ASCII after all.
    @Test func asciiEntryPoint() {
        for bytes in [Array("plain".utf8), Array(String(repeating: "abc", count: 20).utf8), [0x61, 0xC3, 0xA9], [0xE9]] {
            let made = bytes.withUnsafeBufferPointer { UTF8Strings.string(ascii: $0) }
            #expect(Array(made.utf8) == Array(String(decoding: bytes, as: UTF8.self).utf8))
        }
    }

    /// Slices of every corpus file of every format, cut at seeded places (many inside a multi-byte sequence).
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusSlices() throws {
        var generator = SeededGenerator(seed: SeededGenerator.seed(for: "UTF8StringsTests.corpusSlices"))
        var nonASCII = 0
        var invalid = 0
        var slices = 0
        for folder in ["bibtex", "ris", "csljson", "jats"] {
            for url in TestCorpus.files(in: folder, extensions: ["bib", "bibtex", "biblatex", "ris", "json", "xml", "txt"]) {
                let bytes = try [UInt8](Data(contentsOf: url))
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + Int.random(in: 1...3000, using: &generator))
                    let slice = Array(bytes[start..<end])
                    let validity = slice.withUnsafeBufferPointer { UTF8Strings.check($0) }
                    if validity == .valid { nonASCII += 1 }
                    if validity == .invalid { invalid += 1 }
                    if !Self.check(slice, url.lastPathComponent) { return }
                    slices += 1
                    start = end
                }
            }
        }
        #expect(slices > 100)
        #expect(nonASCII > 10)
        #expect(invalid > 0)
    }
}
