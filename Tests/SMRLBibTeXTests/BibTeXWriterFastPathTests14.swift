import Foundation
import SMRLCore
import Testing
@testable import SMRLBibTeX

/// Session 14's writer paths: a lone `-` or `'` inside a run copied at once, the NFC check made while encoding
/// (the encoding taken back when the text is not NFC by construction), the one-word test for braces around a name
/// part, and the bit that answers most asks whether a field was written.
@Suite struct BibTeXWriterFastPathTests14 {
    /// Values for the merged runs and the check while encoding: hyphens and apostrophes beside every kind of byte,
    /// and texts that turn out not to be NFC by construction only late (after a command, math, line breaks, an
    /// unencodable character, markup).
    static let values: [String] = [
        "-", "'", "--", "''", "-'", "'-", "a-", "a'", "-a", "'a", "a-b", "a'b", "a--b", "a''b", "a-'b", "a'-b",
        "a-b-c-d--e", "co-op's", "l'été", "d'Alembert-Müller", "Anne-Marie Müller-Lüdenscheidt", "a -b", "a- b",
        "a-\u{0301}b", "a-b\u{0301}", "x-é", "é-x", "a-\n", "a-\nb", "a-\tb", "a-$x$", "a-$5", "a-\\emph{x}",
        "a-\\", "a-{b}", "a-%", "a-~", "a-\u{00A0}b", "a-–b", "a-—b", "mixed-methods evaluation (n = 38)",
        "students-faculty", "patient-community-health; specialty-choice", "x-ray's 'quoted' -- text",
        "plain text then e\u{0301}", "plain text then Å", "$x$ then Å", "\\emph{e\u{0301}} after",
        "\\unknown{Å}", "$e\u{0301}$", "中 then e\u{0301}", "中-x then q\u{0303}", "line\n\nbreak then A\u{030A}",
        "\u{2028}x e\u{0301}", "– dash then \u{0340}", "ǖ then e\u{0301}", "<i>a-b</i> e\u{0301} <b>Å</b>",
        "<i>café</i> and <b>naïve</b>-ness", "a\u{0301}-b", "Ω-x K", "Greek ; question", "x\u{0338}-y",
    ]

    @Test func mergedRunsAndLateNormalisation() {
        for value in Self.values {
            BibTeXWriterFastPathTests.check(value)
            // And between other text, so that the runs and steps start at other offsets.
            BibTeXWriterFastPathTests.check("Start " + value + " end")
        }
        // Every ASCII byte after a hyphen and an apostrophe, and before one.
        for byte in UInt8(0)..<128 {
            let character = String(Unicode.Scalar(byte))
            for text in ["a-" + character + "b", "a'" + character + "b", "a" + character + "-b", "-" + character,
                "'" + character, character + "'"]
            {
                BibTeXWriterFastPathTests.check(text)
            }
        }
    }

    /// The definition of ``LaTeXEncoder/writtenRunEnd(_:from:)``, byte by byte.
    static func writtenRunEndSlowly(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if LaTeXEncoder.plainASCII.indices.contains(Int(byte)) && LaTeXEncoder.plainASCII[Int(byte)] {
                index += 1
            } else if (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'")) && index + 1 < bytes.count
                && Int(bytes[index + 1]) < 128 && LaTeXEncoder.plainASCII[Int(bytes[index + 1])]
            {
                index += 2
            } else {
                break
            }
        }
        return index
    }

    @Test func writtenRunEndMatchesItsDefinition() {
        var texts = Self.values
        texts += ["", "a", "abcdefghijklmnop-qrstuvwxyz'abcdefg", "12345678-12345678", "1234567-", "1234567'x",
            "-------", "a-a-a-a-a-a-a-a-a-a-a-a-a-a-a", "abcdefgh-", "abcdefg-h", "abcdefgh'-"]
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count {
                    #expect(LaTeXEncoder.writtenRunEnd(buffer, from: start) == Self.writtenRunEndSlowly(bytes, from: start),
                        "\(text.debugDescription) from \(start)")
                }
            }
        }
    }

    /// The run end found eight and one byte at a time is the first byte that is not plain, wherever it lies
    /// (``LaTeXEncoder/writtenRunEnd(_:from:)`` builds on it).
    @Test func plainRunEndMatchesTheByteTest() {
        for length in 0..<50 {
            for position in 0...length {
                for bad in [UInt8(0x00), 0x1F, 0x23, 0x27, 0x2D, 0x5C, 0x5E, 0x60, 0x7B, 0x7D, 0x7F, 0x80, 0xC3, 0xFF] {
                    var bytes = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
                    // A `|` and a space or two (plain) on the way.
                    if length > 3 { bytes[length / 3] = UInt8(ascii: "|") }
                    if length > 5 { bytes[length / 2] = 0x20 }
                    if position < length { bytes[position] = bad }
                    bytes.withUnsafeBufferPointer { buffer in
                        for start in [0, 1, 7, 9] where start <= length {
                            var expected = start
                            while expected < length && LaTeXEncoder.isPlain(bytes[expected]) { expected += 1 }
                            #expect(LaTeXEncoder.plainRunEnd(buffer, from: start) == expected,
                                "\(length) \(position) \(bad) \(start)")
                        }
                    }
                }
            }
        }
    }

    /// The list's `,`/`;` search gives what searching every item for each gives (`;` U+037E and combining marks
    /// beside the punctuation send items to Foundation).
    @Test func listPunctuationMatchesTheSearches() {
        let items = ["", "plain", "a, b", "a; b", "a,b;c", "x\u{0301},", ",\u{0301}", "Greek \u{037E} mark", "≮ 3",
            "café", "a\u{0338}", "中文, 标题", "Diversity, inclusion & belonging", "asthma", "air pollution"]
        var lists: [[String]] = [[]]
        for first in items {
            lists.append([first])
            for second in items { lists.append([first, second]) }
        }
        lists.append(items)
        lists.append(Self.values)
        lists.append(BibTeXWriterFastPathTests.edgeValues)
        for list in lists {
            let expected = (list.contains { $0.bibContainsPunctuation(UInt8(ascii: ",")) },
                list.contains { $0.bibContainsPunctuation(UInt8(ascii: ";")) })
            let found = BibTeXWriter.listPunctuation(list)
            #expect(found.comma == expected.0 && found.semicolon == expected.1, "\(list)")
        }
    }

    /// Extra fields whose names share the written-field bit with a field written from the record (`annote` with
    /// `author`, `venue` with `abstract`) are written; those named like a written field are dropped as before.
    @Test func extraFieldsBesideWrittenFields() {
        var record = Resource(id: "key2020", type: .articleJournal)
        record.title = "A title"
        record.authors = [Person(family: "Doe", given: "Jane")]
        record.abstract = "An abstract."
        record.extra = ["bibtex": ["annote": ["an annotation"], "venue": ["a venue"], "author": ["Someone Else"],
            "abstract": ["Another"], "ytitle": ["y"]]]
        let (text, losses) = BibTeXTest.write([record], dialect: .biblatex)
        #expect(text.contains("  annote = {an annotation}"))
        #expect(text.contains("  venue = {a venue}"))
        #expect(text.contains("  ytitle = {y}"))
        #expect(!text.contains("Someone Else"))
        #expect(!text.contains("Another"))
        #expect(losses[0].contains { $0.field == "extra.bibtex.author" })
        #expect(losses[0].contains { $0.field == "extra.bibtex.abstract" })
        #expect(!losses[0].contains { $0.field == "extra.bibtex.annote" || $0.field == "extra.bibtex.venue" })
    }
}
