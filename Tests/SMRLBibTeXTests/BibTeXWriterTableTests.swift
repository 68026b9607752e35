import Foundation
import SMRLCore
import Testing
@testable import SMRLBibTeX

/// The writer's constant tables are their definitions computed again (from Foundation's decompositions and the
/// Unicode properties), and its word-at-a-time scans give what a byte-by-byte loop gives.
@Suite struct BibTeXWriterTableTests {
    /// The constant LaTeX forms are what the general path (``LaTeXEncoderState/encodeNonASCIISlowly(_:)``) writes.
    @Test func constantFormsMatchTheGeneralPath() {
        let ranges: [Range<UInt32>] = [0x80..<0x250, 0x370..<0x400, 0x2000..<0x2300, 0x1E00..<0x1F00]
        #expect(LaTeXEncoder.formEnds.count == ranges.reduce(0) { $0 + $1.count })
        #expect(Int(LaTeXEncoder.formEnds.last.map { $0 & 0x7FFF } ?? 0) == LaTeXEncoder.formBytes.utf8CodeUnitCount)
        for range in ranges {
            let slow = LaTeXEncoder.nonASCIIFormsSlowly(range)
            for (offset, value) in range.enumerated() {
                let fast = LaTeXEncoder.nonASCIIForm(value)
                #expect(fast?.latex == slow[offset].latex && fast?.unencodable == slow[offset].unencodable,
                    "U+\(String(value, radix: 16))")
            }
        }
        #expect(LaTeXEncoder.nonASCIIForm(0x7F) == nil && LaTeXEncoder.nonASCIIForm(0x2300) == nil)
        #expect(LaTeXEncoder.nonASCIIForm(0x1DFF) == nil && LaTeXEncoder.nonASCIIForm(0x1F00) == nil)
        #expect(LaTeXEncoder.nonASCIIForm(0x1EC5)?.latex == Array("{\\~{\\^e}}".utf8))
        #expect(LaTeXEncoder.nonASCIIForm(0xE9)?.latex == Array("{\\'e}".utf8))
        #expect(LaTeXEncoder.nonASCIIForm(0x3B1)?.latex == Array("$\\alpha$".utf8))
    }

    /// The constant punctuation-inert bits are ``LaTeXEncoder/isPunctuationInertSlowly(_:)``.
    @Test func constantPunctuationInertBitsMatchTheDefinition() {
        #expect(LaTeXEncoder.punctuationInertBits.count == (0x1D0 + 0x90 + 0xC00 + 63) / 64)
        for value in Array(UInt32(0)..<0x3000) + [0x1F600, 0x10437, 0xFEFF] {
            let inBlocks = (0x80..<0x250).contains(value) || (0x370..<0x400).contains(value)
                || (0x2000..<0x2C00).contains(value) || (0x1E00..<0x1F00).contains(value)
            #expect(LaTeXEncoder.isPunctuationInert(value) == (inBlocks && LaTeXEncoder.isPunctuationInertSlowly(value)),
                "U+\(String(value, radix: 16))")
        }
    }

    /// Every byte at every place of a word: marked exactly when it is not plain.
    @Test func notPlainBitsMarkExactlyTheBytesThatAreNotPlain() {
        for byte in 0..<256 {
            for place in 0..<8 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[place] = UInt8(byte)
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let bits = LaTeXEncoder.notPlainBits(UInt64(littleEndian: word))
                let expected: UInt64 = LaTeXEncoder.isPlain(UInt8(byte)) ? 0 : 0x80 << UInt64(place * 8)
                #expect(bits == expected, "byte \(byte) at \(place)")
            }
        }
        // Words of mixed bytes.
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(0..<128).map(UInt8.init) + [0xC3, 0xA9, 0xE2, 0x80, 0x93, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in alphabet.randomElement(using: &generator)! }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            var expected: UInt64 = 0
            for (place, byte) in bytes.enumerated() where !LaTeXEncoder.isPlain(byte) { expected |= 0x80 << UInt64(place * 8) }
            #expect(LaTeXEncoder.notPlainBits(UInt64(littleEndian: word)) == expected, "\(bytes)")
        }
    }

    /// The end of a plain run found a word at a time is the one a byte loop finds, from every start.
    @Test func plainRunEndMatchesAByteLoop() {
        var texts = BibTeXWriterFastPathTests.edgeValues
        for byte in UInt8(0)..<128 {
            for place in [0, 1, 7, 8, 9, 15, 16, 23] {
                var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 24)
                bytes[place] = byte
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        texts.append(String(repeating: "plain text, 123 (ok)! ", count: 9) + "é")
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...buffer.count {
                    var end = start
                    while end < buffer.count, LaTeXEncoder.isPlain(buffer[end]) { end += 1 }
                    #expect(LaTeXEncoder.plainRunEnd(buffer, from: start) == end, "\(text.debugDescription) from \(start)")
                }
            }
        }
    }

    /// A value the byte test finds no tag in is one text for ``RichText/tokenize(_:)``.
    @Test func noTagStartMeansOneText() {
        var texts = BibTeXWriterFastPathTests.edgeValues
        for byte in UInt8(0)..<128 {
            let character = String(Unicode.Scalar(byte))
            texts += ["<" + character, "a <" + character + "b>", "x<" + character + ">y</" + character + ">"]
        }
        texts += ["<i>", "</i>", "<sc>x</sc>", "<span class=\"nocase\">x</span>", "a < b", "<", "x<", "<\u{0301}i>"]
        for text in texts {
            let mayHold = Array(text.utf8).withUnsafeBufferPointer { LaTeXEncoder.mayHoldTag($0) }
            let tokens = RichText.tokenize(text)
            let oneText = tokens.allSatisfy { if case .text = $0 { return true } else { return false } }
            if !mayHold { #expect(oneText, "\(text.debugDescription)") }
            #expect(mayHold == (text.utf8.indices.contains { index in
                let next = text.utf8.index(after: index)
                return text.utf8[index] == UInt8(ascii: "<") && next < text.utf8.endIndex
                    && "ibs/".utf8.contains(text.utf8[next])
            }), "\(text.debugDescription)")
        }
    }

    /// Encoding into a buffer appends to what it holds, and gives the String path's bytes.
    @Test func encodingIntoABufferAppends() {
        for text in BibTeXWriterFastPathTests.edgeValues {
            for ascii in [true, false] {
                for rich in [false, true] {
                    var buffer = ByteBuffer(capacity: 4)
                    buffer.append(contentsOf: Array("prefix ".utf8))
                    let unencodable = LaTeXEncoder.encode(text, rich: rich, ascii: ascii, paragraphs: true, into: &buffer)
                    let slow = LaTeXEncoder.encodeSlowly(text, rich: rich, ascii: ascii, paragraphs: true)
                    #expect(buffer.array == Array("prefix ".utf8) + Array(slow.latex.utf8) && unencodable == slow.unencodable,
                        "\(text.debugDescription)")
                }
            }
        }
    }

    /// Texts for the byte tests of the keys, lists and verbatim fields: the edge values, each ASCII byte in
    /// context, and long values (past eight bytes) with the byte late.
    static var byteTestTexts: [String] {
        var texts = BibTeXWriterFastPathTests.edgeValues
        for byte in UInt8(0)..<128 {
            let character = String(Unicode.Scalar(byte))
            texts += [character, "key" + character + "2020", "a long ASCII value " + character + " x",
                "smrl:domain:" + character, "Müller" + character + "2001", String(repeating: "x", count: 17) + character]
        }
        texts += ["", " ", "  padded  ", "\tkey\n", "é", "ÉTUDE2020", "10.1000/xyz", "a,b;c", "x\u{037E}y",
            "≮ and ≤", "long value without any of them at all", "long value, with a comma late in it",
            "long value; with a semicolon late", "ａ full-width", "\u{00A0}nbsp", "💡idea", "k\u{0301}ey"]
        return texts
    }

    /// The key made from an id on bytes is the one made by scalars and Characters.
    @Test func keySanitisingMatchesTheGeneralPath() {
        for text in Self.byteTestTexts {
            #expect(CitationKeys.sanitize(text) == CitationKeys.sanitizeSlowly(text), "\(text.debugDescription)")
        }
    }

    /// The one-pass search for a comma or semicolon gives what the two searches give, and they what Foundation gives.
    @Test func commaOrSemicolonMatchesTwoSearches() {
        for text in Self.byteTestTexts {
            let two = text.bibContainsPunctuation(UInt8(ascii: ",")) || text.bibContainsPunctuation(UInt8(ascii: ";"))
            #expect(text.bibContainsCommaOrSemicolon == two, "\(text.debugDescription)")
            #expect(two == (text.bibContains(",") || text.bibContains(";")), "\(text.debugDescription)")
            #expect(text.bibContainsPunctuation(UInt8(ascii: "<")) == text.bibContains("<"), "\(text.debugDescription)")
        }
    }

    /// A verbatim value the byte test passes is one the general path would write as it is, with no loss.
    @Test func plainVerbatimValuesNeedNothing() {
        for text in Self.byteTestTexts {
            guard BibTeXWriter.isPlainVerbatim(text) else { continue }
            #expect(text.replacingNoBreakSpaces == text)
            #expect(!text.utf8.contains(0x0A) && !text.utf8.contains(0x0D))
            #expect(BibTeXMapping.isBalanced(text))
            #expect(text.utf8.allSatisfy { $0 < 0x80 })
        }
        #expect(BibTeXWriter.isPlainVerbatim("https://doi.org/10.1000/xyz_123"))
        #expect(!BibTeXWriter.isPlainVerbatim("a{b"))
        #expect(!BibTeXWriter.isPlainVerbatim("a\u{00A0}b"))
        #expect(!BibTeXWriter.isPlainVerbatim("line\nbreak"))
    }

    /// Written records: names with particles, suffixes, literal and extended forms, lists and verbatim fields, in
    /// both dialects, come out as the general paths would make them, losses in the same order.
    @Test func writtenNamesAndLists() throws {
        var record = Resource(type: .articleJournal)
        record.id = "Müller{2020}, x"
        record.authors = [
            Person(family: "Beethoven", given: "Ludwig", particle: "van"),
            Person(family: "Méndez", given: "Ana", particle: "De la"),
            Person(family: "King", given: "Martin Luther", suffix: "Jr."),
            Person(literal: "World Health Organization"),
            Person(given: "Madonna"),
            Person(family: "de Gaulle ✓", given: "Charles", droppingParticle: "de"),
            Person(family: "Ωmega 😀", given: "Ω"),
        ]
        record.keywords = ["a, b", "c; d", "plain"]
        record.topics = ["x, y", "z"]
        record.url = "http://example.org/a{b"
        record.doi = "10.1000/ok"
        for dialect in [BibTeXDialect.bibtex, .biblatex] {
            let (text, allLosses) = BibTeXTest.write([record], dialect: dialect)
            let losses = allLosses.first ?? []
            #expect(text.contains("van Beethoven, Ludwig"))
            #expect(text.contains("King, Jr., Martin Luther"))
            #expect(text.contains("{World Health Organization}"))
            #expect(text.contains("keywords = {{a, b}, {c; d}, plain}"))
            #expect(text.contains("smrl-topics = {{x, y}; z}"))
            #expect(text.contains("url = {http://example.org/a\\{b}"))
            #expect(text.contains("doi = {10.1000/ok}"))
            if dialect == .bibtex {
                #expect(text.contains("{De la} M{\\'e}ndez, Ana"))
                #expect(text.contains("{}, Madonna"))
                let keys = losses.map(\.field)
                #expect(keys.filter { $0 == "authors" }.count >= 3)
            } else {
                #expect(text.contains("family={Méndez}, given={Ana}, prefix={De la}, useprefix=true"))
                #expect(text.contains("given={Madonna}"))
            }
        }
    }
}
