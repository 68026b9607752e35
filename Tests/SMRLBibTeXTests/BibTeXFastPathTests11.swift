import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 11's fast paths against their references: a lone `-` or `'` is plain text for ``LaTeXDecoder/isPlain(_:)``
/// and part of the decoder's text runs (against the decoder whose runs end at every `-` and `'`, and the old
/// `isPlain`, ``LaTeXDecoder/isPlainSlowly(_:)``); the scanner's one range test for the bytes that end a run of
/// eight (against `readDelimitedSlowly`, whose runs test each stop byte on its own).
@Suite struct BibTeXFastPathTests11 {
    /// `isPlain` spelled out byte by byte: no `\ { } $ ~ `` ` ``, no white space but single spaces inside, and no
    /// `--` or `''`.
    static func referenceIsPlain(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return bytes.isEmpty }
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "$"), UInt8(ascii: "~"),
                UInt8(ascii: "`"), 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                return false
            case UInt8(ascii: "-"), UInt8(ascii: "'"), 0x20:
                if previous == byte { return false }
            default:
                break
            }
            previous = byte
        }
        return true
    }

    /// `text` decoded with the runs that take lone `-` and `'` and with the reference's runs, in both modes, with and
    /// without paragraphs, on the stack and in the heap; a value `isPlain` takes decodes to itself.
    static func checkRuns(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        var text = text
        text.withUTF8 { bytes in
            let plain = LaTeXDecoder.isPlain(bytes)
            #expect(plain == referenceIsPlain(Array(bytes)), "isPlain: \(String(decoding: bytes, as: UTF8.self))",
                sourceLocation: sourceLocation)
            // The old test is the stricter one: what it calls plain, the new one does too.
            if LaTeXDecoder.isPlainSlowly(bytes) { #expect(plain, sourceLocation: sourceLocation) }
            for mode in [LaTeXDecoder.Mode.plain, .rich] {
                for paragraphs in [false, true] {
                    let reference = LaTeXDecoder.decodeNonPlain(buffer: bytes, mode: mode, paragraphs: paragraphs,
                        referenceRuns: true)
                    let runs = LaTeXDecoder.decodeNonPlain(buffer: bytes, mode: mode, paragraphs: paragraphs)
                    let heap = LaTeXDecoder.decodeNonPlain(buffer: bytes, mode: mode, paragraphs: paragraphs,
                        stackLimit: -1)
                    #expect(runs == reference && heap == reference,
                        "\(mode) \(paragraphs): \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
                    if plain {
                        #expect(reference == String(decoding: bytes, as: UTF8.self),
                            "plain: \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
                    }
                }
                #expect(LaTeXDecoder.decode(buffer: bytes, mode: mode)
                    == LaTeXDecoder.decodeNonPlain(buffer: bytes, mode: mode, paragraphs: false, referenceRuns: true)
                        || !String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes),
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// Dashes and apostrophes in every position: alone, doubled, tripled, at the ends, next to spaces, braces,
    /// commands, math, accents and non-ASCII text; CRLF, tabs, a BOM, empty values.
    @Test func lonePairBytesDecodeAsTheReference() {
        var values = [
            "", "-", "'", "--", "''", "---", "'''", "----", "-'", "'-", "a-b", "a--b", "a---b", "a----b", "-a", "a-",
            "--a", "a--", "O'Neil", "O''Neil", "d'Alembert", "rock 'n' roll", "'quoted'", "''quoted''", "`a'", "``a''",
            "a - b", "a -- b", "a -b", "a- b", "a  - b", " -a", "a- ", "a -", "- a", "' a", "a '", "co-author's",
            "Jean-Pierre", "Smith-Jones, Anne-Marie", "M{\\\"u}ller-Lüdenscheidt", "{\\'e}-{\\'e}", "\\'-", "\\-",
            "\\'e-'", "$a-b$", "$x'$", "a-$b$", "{a-b}", "{-}", "{'}", "a-{b}", "a'{b}", "a-\\textbf{b}",
            "\\emph{a-b} c'd", "{\\em a-b}", "caf\u{E9}-cr\u{E8}me", "\u{65E5}-\u{672C}", "\u{1F389}-'", "a-\u{00A0}b",
            "a-~b", "a'~b", "a-\r\nb", "a'\r\n\r\nb", "a-\tb", "\u{FEFF}a-b", "a-b\u{FEFF}", "x-y-z-w", "x'y'z'w",
            "self-report, peer-review; meta-analysis", "{Diversity, inclusion \\& belonging}-x", "1-2", "1--2",
            "10.1000/a-b'c", "https://example.org/a-b", "a-}", "}-a", "a'}", "{a'", "-\\", "'\\",
        ]
        for length in [382, 383, 384, 385, 512, 513] {
            values.append(String(repeating: "a-", count: length / 2))
            values.append(String(repeating: "b'c ", count: length / 4) + "-")
        }
        for value in values { Self.checkRuns(value) }
    }

    /// Text with spaces, double spaces, pair bytes, specials, line ends and non-ASCII letters at every offset of
    /// the eight bytes the decoder's runs take at once, and around the ninth it reads ahead.
    @Test func textRunsAtEveryOffset() {
        let stops = [" ", "  ", " -", "- ", "--", "-", "'", "''", " '", "' ", "\\'e", "{x}", "$x$", "~", "\t", "\n",
            "\r\n", "\n\n", "\u{E9}", " \u{E9}", "\u{00A0}", "}", "{", "\\", "`", " x ", "a b c", " \\emph{y} "]
        for stop in stops {
            for offset in 0..<19 {
                for tail in ["", "z", "zz", " z", "wxyz wxyz wxyz"] {
                    Self.checkRuns(String(repeating: "a", count: offset) + stop + tail)
                    Self.checkRuns("q r " + String(repeating: "a b", count: offset / 3) + stop + tail)
                }
            }
        }
    }

    /// Every value of every corpus file.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusDecodesAsTheReference() throws {
        let values = try BibTeXTest.corpusValueParts()
        var withPairBytes = 0
        for bytes in values {
            let text = String(decoding: bytes, as: UTF8.self)
            if bytes.contains(UInt8(ascii: "-")) || bytes.contains(UInt8(ascii: "'")) { withPairBytes += 1 }
            Self.checkRuns(text)
        }
        #expect(values.count > 1000)
        #expect(withPairBytes > 100)
    }

    /// The range mask flags exactly the bytes outside 0x20...0x7A, each byte value at each place among neighbours
    /// that are in the range, below it and above it.
    @Test func rangeMaskIsExact() {
        for neighbour: UInt8 in [0x61, 0x20, 0x7A, 0x00, 0x1F, 0x7B, 0x7F, 0x80, 0xFF] {
            for value in 0...255 {
                for place in 0..<8 {
                    var bytes = [UInt8](repeating: neighbour, count: 8)
                    bytes[place] = UInt8(value)
                    var word: UInt64 = 0
                    for (index, byte) in bytes.enumerated() { word |= UInt64(byte) << (8 * UInt64(index)) }
                    var expected: UInt64 = 0
                    for (index, byte) in bytes.enumerated() where byte < 0x20 || byte > 0x7A {
                        expected |= 0x80 << (8 * UInt64(index))
                    }
                    #expect(BibTeXScanner.outsideTextRange(word) == expected, "\(neighbour) \(value) \(place)")
                }
            }
        }
    }

    /// Tabs, `|`, `~`, DEL and other control bytes, alone and next to braces, quotes, line ends and non-ASCII
    /// letters, at every offset of an eight-byte word, in braced and quoted values: the scanner gives what its
    /// reference gives (parts, locations, diagnostics).
    @Test func rangeStopsAtEveryOffsetReadAsTheReference() {
        let stops = ["\t", "|", "~", "\u{7F}", "\u{01}", "\u{1F}", "\u{0B}", "\u{0C}", "a~b|c", "\t{x}\t", "~\"~",
            "|}", "é~", "\r\n\t|", "\n\t  ~", "{|}", "\u{7F}\n"]
        for quoted in [false, true] {
            for stop in stops {
                for offset in 0..<17 {
                    let value = String(repeating: "a", count: offset) + stop + String(repeating: "b", count: 9 + offset % 5)
                    let text = "@misc{k,\n  note = " + (quoted ? "\"" + value + "\"" : "{" + value + "}")
                        + ", title = {T}}\n@misc{m, title = {ok}}\n"
                    BibTeXFastPathTests9.compare(Array(text.utf8))
                }
            }
        }
    }
}
