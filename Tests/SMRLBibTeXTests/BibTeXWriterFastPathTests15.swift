import Foundation
import SMRLCore
import Testing
@testable import SMRLBibTeX

/// Session 15's writer paths: the letters of U+1E00–U+1EFF (Latin Extended Additional: Vietnamese `ễ`, `ạ`, Welsh
/// `ẁ`) encoded from the constant tables, taken as NFC by construction and as punctuation-inert, where they used to
/// ask Foundation three times; name parts written as they are copied without the encoder; a particle's capital read
/// from its first byte; field names as literals.
@Suite struct BibTeXWriterFastPathTests15 {
    static let block = (UInt32(0x1E00)..<0x1F00).compactMap(Unicode.Scalar.init)

    /// Each letter of the block is of class 0 and its own NFC, alone, after and before other letters (of the block
    /// too) and before a letter with an accent; NFC changes a text once a combining mark follows, and the check says
    /// so.
    @Test func blockLettersAreStableUnderNFC() {
        #expect(Self.block.count == 256)
        let neighbours: [String] = ["A", "e", "o", "u", "y", "i", "ı", "ơ", "ư", "é", "ß", "ø", "α", "–", "中", " "]
            + (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(Unicode.Scalar($0)) }
        for scalar in Self.block {
            let single = String(scalar)
            #expect(scalar.properties.canonicalCombiningClass == .notReordered, "U+\(String(scalar.value, radix: 16))")
            #expect(LaTeXEncoder.isStablePrecomposedLetter(scalar.value))
            let texts = [single] + neighbours.flatMap { [$0 + single, single + $0, "x" + $0 + single + "y"] }
                + Self.block.map { String($0) + single }
            for text in texts {
                #expect(LaTeXEncoder.isNFCByConstruction(text) == text.unicodeScalars.allSatisfy { $0.value < 0x300
                    || LaTeXEncoder.isStablePrecomposedLetter($0.value) || $0 == "α" || $0 == "–" }, "\(text.debugDescription)")
                if LaTeXEncoder.isNFCByConstruction(text) {
                    #expect(Array(text.precomposedStringWithCanonicalMapping.unicodeScalars) == Array(text.unicodeScalars),
                        "\(text.debugDescription)")
                }
            }
            #expect(!LaTeXEncoder.isNFCByConstruction(single + "\u{0301}"))
            #expect(!LaTeXEncoder.isNFCByConstruction(single + "\u{0323}x"))
        }
        #expect(!LaTeXEncoder.isStablePrecomposedLetter(0x1DFF) && !LaTeXEncoder.isStablePrecomposedLetter(0x1F00))
        // A letter of the block with a mark that composes: NFC changes it (the check must say no).
        #expect("\u{1EA1}\u{0302}".precomposedStringWithCanonicalMapping == "\u{1EAD}")
        #expect(!LaTeXEncoder.isNFCByConstruction("\u{1EA1}\u{0302}"))
    }

    /// The byte paths (encoding, braces around name parts, punctuation) give what the general paths give for the
    /// block's letters in names and text, beside commas, semicolons, markup, marks and unencodable characters.
    @Test func blockLettersEncodeAsTheGeneralPath() {
        var texts: [String] = []
        for scalar in Self.block {
            let letter = String(scalar)
            texts += [letter, "Nguy" + letter + "n", "Tr" + letter + "n, V.", letter + " and " + letter,
                "van " + letter + "x", letter + ";" + letter, "<i>" + letter + "</i> < 3", letter + "\u{0301}",
                letter + "\u{0323}\u{0302} x", "q\u{0303}" + letter, letter + " 中", "\\emph{" + letter + "}",
                "$" + letter + "$", letter + "--" + letter, letter + "\u{00A0}" + letter]
        }
        texts += ["Nguyễn Thị Minh Khai", "Phạm Văn Đồng", "Lê, Đức Thọ", "trần hưng đạo", "Ẁales and Ŵ",
            "ễ\u{0301}", "Nguyễn\u{0301}", "ḁ ḿ ẞ ỹ ỿ"]
        for text in texts { BibTeXWriterFastPathTests.check(text) }
    }

    /// A record with Vietnamese names (the corpus's case), written whole: what main wrote before the tables covered
    /// the block (`ứ`, with a horn, has no LaTeX form and stays UTF-8).
    @Test func vietnameseNamesInAnEntry() {
        var record = Resource(id: "nguyen2020", type: .articleJournal)
        record.title = "Sức khỏe cộng đồng ở Việt Nam"
        record.authors = [Person(family: "Nguyễn", given: "Thị Minh"), Person(family: "Trần Văn", given: "Đức"),
            Person(family: "Lê, Ễ", given: "ạ")]
        let bibtex = BibTeXTest.write([record], dialect: .bibtex)
        #expect(bibtex.text.contains(#"""
              author = {Nguy{\~{\^e}}n, Th{\d{\i}} Minh and Tr{\`{\^a}}n V{\u{a}}n, {\DJ}ức and {L{\^e}, {\~{\^E}}}, {\d{a}}},
              title = {Sức kh{\h{o}}e c{\^{\d{o}}}ng {\dj}{\`{\^o}}ng ở Vi{\^{\d{e}}}t Nam}
            }
            """#), "\(bibtex.text)")
        #expect(bibtex.losses.first?.map(\.detail) == ["1 character(s) without a LaTeX command kept as UTF-8",
            "2 character(s) without a LaTeX command kept as UTF-8"])
        let biblatex = BibTeXTest.write([record], dialect: .biblatex)
        #expect(biblatex.text.contains("  author = {Nguyễn, Thị Minh and Trần Văn, Đức and {Lê, Ễ}, ạ},\n"
            + "  title = {Sức khỏe cộng đồng ở Việt Nam}\n}"), "\(biblatex.text)")
        #expect(biblatex.losses.first?.isEmpty == true)
    }

    /// The first byte decides `first?.isUppercase` only where it is the whole first Character.
    @Test func startsUppercaseMatchesCharacter() {
        var texts = ["", "van", "Van", "V", "v", "De la", "\r\n", "\rA", "A\u{0301}", "A\u{0345}", "É", "éa", "Ébc", "ǅ",
            "1a", "'t", "'T", "A\u{200D}", "Z", "z", "[A", "@"]
        for first in UInt8(0)..<128 {
            for second in [nil, UInt8(ascii: "a"), UInt8(ascii: "A"), 0x0A, 0x20] as [UInt8?] {
                var bytes = [first]
                if let second { bytes.append(second) }
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
            texts.append(String(Unicode.Scalar(first)) + "\u{0301}")
            texts.append(String(Unicode.Scalar(first)) + "é")
        }
        for text in texts {
            #expect(BibTeXWriter.startsUppercase(text) == (text.first?.isUppercase ?? false), "\(text.debugDescription)")
        }
    }

    /// Names written whole are their parts by the general paths: each part encoded by ``LaTeXEncoder/encodeSlowly``
    /// and braced when ``BibTeXWriter/namePartNeedsBracesSlowly`` says so, for plain parts (copied without the
    /// encoder) and every other kind.
    @Test func namePartsMatchTheGeneralPaths() {
        let parts = ["Smith", "O'Brien", "Anne-Marie", "Smith-Jones", "and", "AND", "Smith, Jr", "van Dyke", "de la Cruz",
            "Ng", "a", "Mary Ann", "Li and Wu", "x--y", "D''Arcy", "Müller", "Nguyễn", "Lê", "Łódź", "50%", "T_1", "{Braced}",
            "e\u{0301}", "Jean-\u{00C9}mile", "van der Berg", "'t Hooft", "mixed-case Name", "Trailing ", " Leading", "tab\there",
            "semi;colon", "ǅemal", "中村", "Ω-x"]
        for dialect in [BibTeXDialect.bibtex, .biblatex] {
            let ascii = dialect == .bibtex
            func reference(_ part: String, protectWords: Bool) -> String {
                let latex = LaTeXEncoder.encodeSlowly(part, rich: false, ascii: ascii).latex
                return BibTeXWriter.namePartNeedsBracesSlowly(part, protectWords: protectWords, ascii: ascii)
                    ? "{" + latex + "}" : latex
            }
            for family in parts {
                for given in ["John", "Thị Minh", "and", "J. R. R.", "Ève"] {
                    var record = Resource(id: "k", type: .book)
                    record.authors = [Person(family: family, given: given)]
                    let written = BibTeXTest.write([record], dialect: dialect).text
                    let expected = "author = {" + reference(family, protectWords: true) + ", "
                        + reference(given, protectWords: false) + "}"
                    #expect(written.contains(expected), "\(family.debugDescription) \(given.debugDescription): \(written)")
                }
            }
        }
    }
}
