import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// The writer's byte paths give what the general paths give: the LaTeX encoder (byte by byte against scalar by
/// scalar), the test for braces around a name part, and the search for `, ; < \` without Foundation.
@Suite struct BibTeXWriterFastPathTests {
    /// Hand-picked values for every branch of the encoder.
    static let edgeValues: [String] = [
        "", " ", "a", "Plain title", "Müller", "Mu\u{0308}ller", "Gödel, Escher, Bach", "{Le} Menestrel",
        "p < 0.05", "p<0.05 and q > 1", "<i>Italic</i> and <b>bold</b>", "<span class=\"nocase\">DNA</span> repair",
        "x <sup>2</sup> <sub>i</sub> <sc>Caps</sc>", "a < b <i>c</i>", "<\u{0338} not less", "≮ 3", "≤ 0.05",
        "50% of 100 & more", "C# and F#", "snake_case_name", "a ~ b ^ c ` d", "back\\slash", "\\", "$", "$$",
        "costs $5 and $10", "$x^2$ and $\\alpha$", "$ x$", "$x $", "$5$", "$\\{$", "$a}{b$", "$}$", "$\\$$",
        "price $ 5", "\\emph{kept}", "\\textit{decoded}", "\\unknown{arg}{two}", "\\cmd{unclosed", "\\url{x}",
        "\\\\", "\\$", "a\\", "http://example.org/a_b%20c#frag?x=1&y=2", "https://doi.org/10.1000/xyz_123",
        "en–dash em—dash a--b a---b - -", "it's ''quoted'' ``text''", "'", "''", "---", "a\u{00A0}b",
        "line\nbreak", "two\n\nparagraphs", "crlf\r\n\r\nend", "tab\there", "\u{2028}sep\u{2029}\u{2029}x",
        " \n \n ", "ctrl\u{0001}\u{007F}char", "Ångström ǿ ǖ ṩ", "q\u{0303} ı\u{0301} x\u{0301}\u{0308}",
        "1\u{0301} .\u{0301} \u{0301}start", "a\u{0338}", "ß æ œ ø ł Đ ŋ þ ð ĳ", "“quotes” ‘single’ ’ „low“",
        "α β γ Ω ∞ ≠ → ⇒ ∑", "Ελληνικά", "中文标题", "😀 emoji 👍🏽", "𝔄 non-BMP 𐐷", "Ŭ ǅ ǈ ǲ",
        "thin\u{2009}space quad\u{2003}", "© ® ™ ° ½ € £ ¥", "\u{00AD}soft", "zero\u{200B}width", "\u{FEFF}bom",
        "ẞ", "Å (U+212B) K (U+212A)", "\u{037E} greek question", "a\u{0301}\u{0302}b", "e\u{0327}\u{0301}",
        "{Braces} {nested {deep}} }unbalanced{", "\\{escaped\\}", "Title: Subtitle", "AND and And",
        "van der Berg", "de la Fontaine", "d'Alembert", "O'Neil", "{\\'E}mile", "\\'Emile", "'t Hooft", "ten Have",
        "McDonald", "Jr.", "III", "Smith, Jr", "Anne-Marie", "von", "x and y", "d\u{0301}e la", "é la", "Émile Zola",
        "a ,b", "a\u{0301} ,b", "a \u{0301}b", "World Health Organization", "A & B, Inc.",
    ]

    /// Every string of a record: its fields, names and lists.
    static func strings(of record: Resource) -> [String] {
        guard let data = try? JSONEncoder().encode(record), let json = try? JSONSerialization.jsonObject(with: data)
        else { return [] }
        var result: [String] = []
        collect(json, into: &result)
        return result
    }

    static func collect(_ value: Any, into result: inout [String]) {
        if let text = value as? String {
            result.append(text)
        } else if let array = value as? [Any] {
            for item in array { collect(item, into: &result) }
        } else if let object = value as? [String: Any] {
            for (_, item) in object { collect(item, into: &result) }
        }
    }

    /// Checks every byte path on one value.
    static func check(_ text: String) {
        for ascii in [true, false] {
            for rich in [false, true] {
                for paragraphs in [false, true] {
                    let fast = LaTeXEncoder.encode(text, rich: rich, ascii: ascii, paragraphs: paragraphs)
                    let slow = LaTeXEncoder.encodeSlowly(text, rich: rich, ascii: ascii, paragraphs: paragraphs)
                    #expect(fast.latex == slow.latex && fast.unencodable == slow.unencodable,
                        "\(text.debugDescription) ascii \(ascii) rich \(rich) paragraphs \(paragraphs)")
                    // The comparison above uses String ==, which ignores normalisation: compare the bytes too.
                    #expect(Array(fast.latex.utf8) == Array(slow.latex.utf8), "\(text.debugDescription)")
                }
            }
            for protectWords in [false, true] {
                let slow = BibTeXEntryWriterProbe.needsBracesSlowly(text, protectWords: protectWords, ascii: ascii)
                if let fast = BibTeXEntryWriterProbe.needsBraces(text, protectWords: protectWords, ascii: ascii) {
                    #expect(fast == slow, "\(text.debugDescription) protectWords \(protectWords)")
                }
            }
        }
        #expect(LaTeXEncoder.isNFCByConstruction(text) == LaTeXEncoder.isNFCByConstructionSlowly(text))
        #expect(BibTeXWriter.pagesWithDashes(text) == BibTeXWriter.pagesWithDashesSlowly(text))
        for needle in [",", ";", "<", "\\"] {
            #expect(text.bibContainsPunctuation(UInt8(ascii: Unicode.Scalar(needle)!)) == text.bibContains(needle),
                "\(text.debugDescription) \(needle)")
        }
    }

    @Test func edgeCases() {
        for value in Self.edgeValues { Self.check(value) }
        // Every ASCII byte alone, between letters, doubled and before a combining mark.
        for byte in UInt8(0)..<128 {
            let character = String(Unicode.Scalar(byte))
            for text in [character, "a" + character + "b", character + character, character + "\u{0301}x",
                "$" + character + "$", "\\" + character + "{x}"]
            {
                Self.check(text)
            }
        }
    }

    @Test func plainByteTestMatchesTheTable() {
        for byte in 0..<256 {
            #expect(LaTeXEncoder.isPlain(UInt8(byte)) == (byte < 128 && LaTeXEncoder.plainASCII[byte]), "\(byte)")
        }
        for text in Self.edgeValues {
            #expect(LaTeXEncoder.isNFCByConstruction(text) == LaTeXEncoder.isNFCByConstructionSlowly(text))
            #expect(LaTeXEncoder.hasLessThan(text) == text.utf8.contains(UInt8(ascii: "<")))
        }
    }

    /// Every scalar of the table blocks, alone and in context: the table gives what the general path gives.
    @Test func nonASCIITableMatchesTheGeneralPath() {
        for value in Array(0x80..<0x250) + Array(0x370..<0x400) + Array(0x2000..<0x2300) + Array(0x1E00..<0x1F00)
            + [0x2C00, 0x1F600, 0x10437, 0x1DFF, 0x1F00]
        {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let character = String(scalar)
            for text in [character, "a" + character, character + "\u{0301}", "x" + character + "y"] {
                for ascii in [true, false] {
                    let fast = LaTeXEncoder.encode(text, rich: false, ascii: ascii)
                    let slow = LaTeXEncoder.encodeSlowly(text, rich: false, ascii: ascii)
                    #expect(Array(fast.latex.utf8) == Array(slow.latex.utf8) && fast.unencodable == slow.unencodable,
                        "U+\(String(value, radix: 16)) in \(text.debugDescription)")
                }
            }
        }
    }

    /// The scalars taken as inert for the punctuation search: Foundation finds `, ; < \` beside them exactly where
    /// the bytes are, and never in them.
    @Test func punctuationSearchMatchesFoundation() {
        for value in Array(0x80..<0x250) + Array(0x370..<0x400) + Array(0x2000..<0x2C00) + Array(0x1E00..<0x1F00) {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let s = String(scalar)
            for needle in [",", ";", "<", "\\"] {
                let byte = UInt8(ascii: Unicode.Scalar(needle)!)
                for text in [s, s + needle, needle + s, "a" + s + needle + "b", "a" + needle + s + "b", s + "x" + s,
                    needle + s + needle, s + s]
                {
                    #expect(text.bibContainsPunctuation(byte) == text.bibContains(needle),
                        "U+\(String(value, radix: 16)) \(text.debugDescription) \(needle)")
                }
            }
        }
    }

    /// The scalars whose decomposition holds one of `, ; < \` are the ones the inert table lists.
    @Test func punctuationDecompositionsAreComplete() {
        for value in Array(0x80..<0x250) + Array(0x370..<0x400) + Array(0x2000..<0x2C00) + Array(0x1E00..<0x1F00) {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let decomposed = String(scalar).decomposedStringWithCanonicalMapping
            let holds = decomposed.utf8.contains { ",;<\\".utf8.contains($0) }
            #expect(holds == LaTeXEncoder.punctuationDecompositions.contains(scalar), "U+\(String(value, radix: 16))")
        }
    }

    /// No character but the ASCII letters lowercases to `a`, `n` or `d` (the byte test for the word `and`).
    @Test func onlyASCIILettersLowercaseToAND() {
        for value in UInt32(0x80)..<0x30000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let lowered = String(scalar).lowercased()
            #expect(!lowered.utf8.contains { $0 == UInt8(ascii: "a") || $0 == UInt8(ascii: "n") || $0 == UInt8(ascii: "d") },
                "U+\(String(value, radix: 16))")
        }
    }

    /// Every string of every record of the corpus BibTeX files and the samples, every RIS value and every
    /// CSL-JSON string.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusValues() throws {
        var values = Set<String>()
        var bibFiles = TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
        bibFiles += [TestCorpus.repositoryFile("Samples/library.bib"), TestCorpus.repositoryFile("Samples/library.biblatex.bib")]
        for url in bibFiles {
            guard let results = try? BibTeXTest.readFile(url) else { continue }
            for record in results.compactMap(\.record) { values.formUnion(Self.strings(of: record)) }
        }
        let bibValues = values.count
        // RIS: the value of every tagged line.
        var risFiles = TestCorpus.files(in: "ris", extensions: ["ris", "txt", "nbib"])
        risFiles.append(TestCorpus.repositoryFile("Samples/library.ris"))
        for url in risFiles {
            guard let data = try? Data(contentsOf: url) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                guard let dash = line.range(of: "  - ") else { continue }
                let value = String(line[dash.upperBound...])
                if !value.isEmpty { values.insert(value) }
            }
        }
        // CSL-JSON and smrl-json: every string.
        var jsonFiles = TestCorpus.files(in: "csljson", extensions: ["json"])
        jsonFiles += [TestCorpus.repositoryFile("Samples/library.csl.json"), TestCorpus.repositoryFile("Samples/library.json")]
        for url in jsonFiles {
            guard let data = try? Data(contentsOf: url), let json = try? JSONSerialization.jsonObject(with: data) else {
                continue
            }
            var strings: [String] = []
            Self.collect(json, into: &strings)
            values.formUnion(strings)
        }
        #expect(bibValues > 1000)
        #expect(values.count > bibValues)
        for value in values {
            Self.check(value)
            // Each word alone too (name parts are encoded word by word).
            for word in value.split(separator: " ").prefix(40) { Self.check(String(word)) }
        }
    }
}

/// The writer's brace test, reached through the (private) entry writer's static functions.
enum BibTeXEntryWriterProbe {
    static func needsBraces(_ text: String, protectWords: Bool, ascii: Bool) -> Bool? {
        BibTeXWriter.namePartNeedsBraces(text, protectWords: protectWords, ascii: ascii)
    }

    static func needsBracesSlowly(_ text: String, protectWords: Bool, ascii: Bool) -> Bool {
        BibTeXWriter.namePartNeedsBracesSlowly(text, protectWords: protectWords, ascii: ascii)
    }
}
