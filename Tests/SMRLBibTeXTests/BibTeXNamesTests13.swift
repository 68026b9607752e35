import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 13: a name part that is text, single spaces and groups of one accented or special letter is decoded in
/// one pass (``BibTeXNames/decodeSimplePart(_:)``) instead of by the LaTeX decoder. Whenever the pass takes a part,
/// it gives what the decoder gives (``BibTeXNames/decodeTokenSlowly(_:)``, the path before); whatever it declines
/// goes to the decoder. The name lists themselves are compared with ``BibTeXNames/parseSlowly(_:)``.
@Suite struct BibTeXNamesTests13 {
    static func simple(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBufferPointer { BibTeXNames.decodeSimplePart($0) }
    }

    static func slowly(_ text: String) -> String {
        Array(text.utf8).withUnsafeBufferPointer { BibTeXNames.decodeTokenSlowly($0) }
    }

    /// Checks one part: a fast result is the decoder's. Returns true when the fast path took it.
    @discardableResult
    static func check(_ bytes: [UInt8]) -> Bool {
        let fast = bytes.withUnsafeBufferPointer { BibTeXNames.decodeSimplePart($0) }
        let reference = bytes.withUnsafeBufferPointer { BibTeXNames.decodeTokenSlowly($0) }
        if let fast {
            #expect(fast == reference, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            return true
        }
        return false
    }

    /// Parts the pass must take (and decode as the decoder does).
    static let taken = [
        "Smith", "M{\\\"u}ller", "Fran{\\c{c}}ois", "Garc{\\'{\\i}}a M{\\'a}rquez", "{\\v{S}}imi{\\'c}", "{\\L}ukasz",
        "{\\O}verg{\\aa}rd", "{\\.I}lker", "Y{\\i}lmaz", "O'Connor", "Smith-Jones", "Jos{\\'e} Luis",
        "{\\'e}", "{\\'E}mile", "{\\ss}", "{\\AA}se", "{\\k{a}}", "{\\r{a}}", "{\\H{o}}", "{\\u{g}}", "{\\d{a}}",
        "{\\o}", "{\\i}", "Zoë", "Ærø", "{\\'e}{\\'e}", "a-b-c", "d'Alembert", "J. R. R.", "A.-B.", "{\\=a}", "{\\.{z}}",
        "{\\~n}", "{\\\"{U}}", "{\\`{\\i}}", "{\\^{\\j}}", "x{\\l}y", "{\\OE}uvre", "{\\ae}", "{\\ng}", "{\\NG}",
        "1st", "a,b", "(x)", "x\u{0301}", "😀 a",
    ]

    /// Parts the pass must leave to the decoder: each holds something it does not read.
    static let declined = [
        "Nguy{\\~{\\^e}}n", "a--b", "O''x", "{\\c c}", "{\\v s}", "{\\v{\\i}}", "{\\dj}", "{\\th}", "{\\unknown}", "{\\'}",
        "{\\'{}}", "{", "}", "{\\", "{\\'", "{\\'e", "{\\'{e}", "{\\'{\\i}", "$x$", "~", "a~b", "`a", " x", "x ", "a  b",
        "a\tb", "a\nb", "\\'e", "\\o", "{\\'\\i}", "{ö}", "{A}", "{\\t{oo}}", "{\\L }", "{\\L{}}", "{\\nobreakspace}",
        "a\u{00A0}b", "\\", "a\\", "{\\'{\\I}}", "{\\textit{x}}", "{\\em x}",
    ]

    @Test func handMadeParts() {
        for text in Self.taken {
            #expect(Self.check(Array(text.utf8)), "not taken: \(text.debugDescription)")
        }
        for text in Self.declined {
            #expect(!Self.check(Array(text.utf8)), "taken: \(text.debugDescription)")
        }
        // A sample of the answers themselves, written out.
        #expect(Self.simple("Garc{\\'{\\i}}a M{\\'a}rquez") == "García Márquez")
        #expect(Self.simple("{\\L}ukasz") == "Łukasz")
        #expect(Self.simple("{\\O}verg{\\aa}rd") == "Øvergård")
        #expect(Self.simple("{\\.I}lker") == "İlker")
        #expect(Self.simple("Fran{\\c{c}}ois") == "François")
        #expect(Self.simple("") == "")
        #expect(Self.slowly("Nguy{\\~{\\^e}}n") == "Nguyễn")
    }

    /// Every accent over every ASCII letter and both dotless letters, in each group shape, between text and
    /// after a space: taken or not, a fast result is the decoder's.
    @Test func everyAccentAndLetter() {
        let accents = ["'", "`", "^", "\"", "~", "=", ".", "u", "v", "H", "c", "k", "r", "b", "d", "t", "G", "h", "f"]
        var takenCount = 0
        for accent in accents {
            var shapes: [String] = []
            for letter in UInt8(ascii: "A")...UInt8(ascii: "z") where BibTeXScanner.isLetter(letter) {
                let base = String(Unicode.Scalar(letter))
                shapes += ["{\\\(accent){\(base)}}", "{\\\(accent)\(base)}", "{\\\(accent) \(base)}"]
            }
            shapes += ["{\\\(accent){\\i}}", "{\\\(accent){\\j}}", "{\\\(accent)\\i}", "{\\\(accent){\\i }}"]
            for shape in shapes {
                for text in [shape, "a" + shape + "b", "x " + shape, shape + " y", shape + shape] {
                    if Self.check(Array(text.utf8)) { takenCount += 1 }
                }
            }
        }
        #expect(takenCount > 1000)
    }

    /// Every symbol command of the tables alone in a group, between text and spaces.
    @Test func everySymbolCommand() {
        var takenCount = 0
        for name in LaTeXTables.symbols.keys {
            for text in ["{\\\(name)}", "a{\\\(name)}b", "A {\\\(name)} B", "{\\\(name)}{\\\(name)}"] {
                if Self.check(Array(text.utf8)) { takenCount += 1 }
            }
        }
        #expect(takenCount > 100)
    }

    /// Random parts from the pieces names are made of: a fast result is always the decoder's.
    @Test func randomParts() {
        let pieces = ["a", "Z", " ", "-", "'", "{\\'e}", "{\\'{e}}", "{\\\"u}", "{\\c{c}}", "{\\'{\\i}}", "{\\L}", "{\\aa}",
            "{\\ss}", "{", "}", "\\", "~", "$", "`", "é", "\u{00A0}", "\t", "{\\v{s}}", "{\\i}", "{\\'}", "{\\dj}", ".", ",",
            "\u{C2}", "{\\nobreakspace}", "--", "''"]
        var takenCount = 0
        for text in BibTeXTest.randomTexts(pieces, maxPieces: 6, seed: "BibTeXNamesTests13.randomParts") {
            if Self.check(Array(text.utf8)) { takenCount += 1 }
        }
        #expect(takenCount > 1000)
    }

    /// Name lists with these parts read as the reference parser reads them.
    @Test func nameListsAsTheReference() {
        let values = [
            "Garc{\\'{\\i}}a M{\\'a}rquez, Fran{\\c{c}}ois and M{\\\"u}ller, Anna and {\\v{S}}imi{\\'c}, Anna",
            "{\\L}ukasiewicz, Zo{\\\"e} and van {\\'S}wi{\\k{a}}tek, Bj{\\\"o}rn and Nguy{\\~{\\^e}}n, Fran{\\c{c}}ois",
            "de la Beethoven, {\\AA}se and S{\\'a}nchez, M. K. and others", "{\\'E}mile Zola and {\\'e}mile zola",
            "von {\\'S}wi{\\k{a}}tek, Jr, Jean-Luc", "A {\\'e}  B, C", "{Barnes and Noble, Inc.} and J{\\\"a}ger, John",
            "O'Connor, Jos{\\'e} Luis and Y{\\i}lmaz, {\\.I}lker", "Last, First~Middle", "Last,  {\\'E}douard",
            "{\\'{\\i}}, {\\L} and {\\o} {\\ss}", "d'{\\'E}tienne, Ren{\\'e}e and {\\O}degaard, A.",
            "Jean\u{00A0}Dupont, {\\'e}", "M{\\\"u}ller,", ", M{\\\"u}ller", "and M{\\\"u}ller and",
        ]
        // Latin-1 input (read as Windows-1252) and invalid UTF-8 (repaired), as the reader hands them on.
        let latin1 = TextDecoding.decode(Array("M".utf8) + [0xFC] + Array("ller, J{\\'e}r".utf8) + [0xF4, 0x6D, 0x65]).text
        let invalid = String(decoding: Array("Gar".utf8) + [0xC3] + Array("c{\\'{\\i}}a, A".utf8) + [0xFF], as: UTF8.self)
        #expect(latin1.hasPrefix("Müller"))
        for value in values + [latin1, invalid, latin1 + " and " + invalid] {
            let fast = BibTeXNames.parse(value)
            let slow = BibTeXNames.parseSlowly(value)
            #expect(fast.people == slow.people && fast.others == slow.others && fast.problems == slow.problems,
                "\(value)")
        }
    }

    /// Every word and every name of every corpus value: a fast result is the decoder's, and the corpus's names
    /// mostly take the fast path.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusParts() throws {
        var takenCount = 0
        for bytes in try BibTeXTest.corpusValueParts() {
            let text = TextDecoding.decode(bytes).text
            let utf8 = Array(text.utf8)
            Self.check(utf8)
            for word in BibTeXNames.splitWordSlices(utf8[...], tilde: true) {
                if Self.check(Array(word)) { takenCount += 1 }
            }
            for name in BibTeXNames.splitNames(utf8) {
                Self.check(Array(name))
            }
        }
        #expect(takenCount > 1000)
    }

    /// The test for a library tag as it was (a lazy drop over the UTF-8 view): the reference for the byte form.
    static func mayBeLibraryTagSlowly(_ keyword: String) -> Bool {
        var iterator = keyword.utf8.drop { $0 == 0x20 }.makeIterator()
        for expected in "smrl:".utf8 {
            guard let byte = iterator.next(), byte | 0x20 == expected | 0x20 else { return false }
        }
        return true
    }

    @Test func libraryTagTestOnBytes() {
        let keywords = ["", " ", "smrl:", "SMRL:x", "  smrl:domain:x", "smrl", "smrl;", "smr:", "\tsmrl:", "smrl\u{1A}",
            "SmRl:", " \u{00A0}smrl:", "smrlx", "xsmrl:", "sm", "smrl: ", "     ", "ſmrl:", "smrl:é", "é", "smrl\u{1A}x",
            "\u{13}\u{0D}\u{12}\u{0C}\u{1A}", "S\u{0D}RL:"]
        for keyword in keywords {
            #expect(BibTeXMapping.mayBeLibraryTag(keyword) == Self.mayBeLibraryTagSlowly(keyword), "\(keyword.debugDescription)")
        }
        #expect(BibTeXMapping.mayBeLibraryTag("  SMRL:topic:x"))
        #expect(!BibTeXMapping.mayBeLibraryTag("smr"))
    }
}
