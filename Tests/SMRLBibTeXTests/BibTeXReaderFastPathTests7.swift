import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// The fast paths added to the reader in issue 7 give what the general paths give.
@Suite struct BibTeXReaderFastPathTests7 {
    // MARK: Dates

    /// `BibTeXMapping.plainISODate` is `EDTFDate(edtf:)` wherever it answers, and it answers for every strict
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` text that the general parser reads.
    static func checkDate(_ text: String) {
        let general = EDTFDate(edtf: text)
        if let fast = BibTeXMapping.plainISODate(text) {
            #expect(fast == general, "\(text)")
            #expect(fast.description == general?.description, "\(text)")
        }
    }

    @Test func plainISODatesAgreeWithTheEDTFParser() {
        // Every month code 00–99 and every day 00–39, over a few years (and the digit edges).
        for year in ["0000", "0001", "0999", "1899", "1999", "2000", "2024", "9999"] {
            Self.checkDate(year)
            #expect(BibTeXMapping.plainISODate(year) != nil)
            for month in 0...99 {
                let monthText = year + "-" + (month < 10 ? "0\(month)" : "\(month)")
                Self.checkDate(monthText)
                let valid = (1...12).contains(month) || (21...24).contains(month)
                #expect((BibTeXMapping.plainISODate(monthText) != nil) == valid, "\(monthText)")
                for day in 0...39 {
                    let dayText = monthText + "-" + (day < 10 ? "0\(day)" : "\(day)")
                    Self.checkDate(dayText)
                    #expect((BibTeXMapping.plainISODate(dayText) != nil) == (month >= 1 && month <= 12
                        && day >= 1 && day <= 31), "\(dayText)")
                }
            }
        }
    }

    @Test(arguments: [
        "", "2", "20", "202", "20245", "2024-", "2024-1", "2024-1-01", "2024-01-1", "2024-01-01-", "2024/01/01",
        "2024-01-01/2024-02-01", "-2024", "-0050-01", "2024~", "2024-01?", "2024-01-01%", " 2024", "2024 ",
        "2024-01-01T10:00", "２０２４", "2024–01", "20a4", "2024-0a", "2024-01-0b", "2024_01", "12345-01-01",
        "2024-00", "2024-13", "2024-21", "2024-24", "2024-25", "2024-21-01", "..", "../2024", "2024/..", "y2024",
    ])
    func plainISODateEdges(text: String) {
        Self.checkDate(text)
        // What the fast path declines, the general path (whatever it gives) still reads.
        let bytes = Array(text.utf8)
        let strict = (bytes.count == 4 || bytes.count == 7 || bytes.count == 10)
            && bytes.enumerated().allSatisfy { index, byte in
                index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (byte >= 0x30 && byte <= 0x39)
            }
        if !strict { #expect(BibTeXMapping.plainISODate(text) == nil, "\(text)") }
    }

    /// A date field read through the mapping: the fast path and the general one give the same record. The same
    /// date with spaces around it takes the general path (the fast path wants the bare text), which trims them.
    @Test func dateFieldsReadTheSame() {
        for date in ["2024-12-28", "2024-02", "2024", "2024-21", "2024-12-28/2025-01-03", "2024-13-01", "2024-02-30",
            "{2024-12-28}", "1999/unknown", "2020-05-06T10:20:30", "0000", "1999-12-31", "2024-00"]
        {
            let fast = BibTeXTest.record("@article{k, title = {T}, date = {\(date)}, urldate = {\(date)}}\n")
            let general = BibTeXTest.record("@article{k, title = {T}, date = { \(date) }, urldate = { \(date) }}\n")
            #expect(fast.issued == general.issued, "\(date)")
            #expect(fast.accessed == general.accessed, "\(date)")
            if BibTeXMapping.plainISODate(date) != nil {
                #expect(fast.issued == EDTFDate(edtf: date), "\(date)")
                #expect(fast.issued != nil)
            }
        }
    }

    /// Every date-like value of the corpus (`date`, `urldate`, `year`…): the fast path agrees with the parser.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusDates() throws {
        let files = TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
        var count = 0
        for url in files {
            var scanner = BibTeXScanner(reader: try ByteReader(path: url.path), options: ReaderOptions())
            while let block = scanner.nextBlock() {
                guard case .entry(let entry) = block else { continue }
                for field in entry.fields {
                    for part in field.parts {
                        guard let bytes = part.textBytes else { continue }
                        let text = String(decoding: bytes, as: UTF8.self)
                        Self.checkDate(text)
                        if BibTeXMapping.plainISODate(text) != nil { count += 1 }
                    }
                }
            }
        }
        #expect(count > 10)
    }

    // MARK: Accent compositions

    /// Every mark of the accent table has its table of compositions (else it would take the slow path), and the
    /// tables give Foundation's composition.
    @Test func everyAccentMarkHasItsTable() {
        for mark in Set(LaTeXTables.accents.values) {
            let table = LaTeXDecoder.composedLetters(for: mark)
            #expect(table != nil, "U+\(String(mark.value, radix: 16))")
            for letter in UInt8(ascii: "A")...UInt8(ascii: "z") where BibTeXScanner.isLetter(letter) {
                let slowly = LaTeXDecoder.composeSlowly(String(Unicode.Scalar(letter)), mark)
                #expect(table?.strings[Int(letter)] == slowly)
                #expect(LaTeXDecoder.composedLetter(byte: letter, mark) == slowly)
                // The packed form holds the same bytes (or is 0, and the string is written).
                let packed = table?.packed[Int(letter)] ?? 0
                if packed != 0 {
                    let count = Int(packed >> 24)
                    let bytes = (0..<count).map { UInt8(truncatingIfNeeded: packed >> (8 * UInt32($0))) }
                    #expect(bytes == Array(slowly.utf8))
                }
            }
        }
        #expect(LaTeXDecoder.composedLetters(for: "\u{0345}") == nil)
        #expect(LaTeXDecoder.composedLetter(byte: UInt8(ascii: "a"), "\u{0345}") == nil)
    }

    @Test func accentMarkSwitchMatchesTheTable() {
        for byte in 0..<256 {
            #expect(LaTeXDecoder.accentMark(byte: UInt8(byte)) == LaTeXDecoder.symbolAccents[byte], "\(byte)")
        }
    }

    @Test func packedTexts() {
        #expect(LaTeXDecoder.pack("") == 0)
        #expect(LaTeXDecoder.pack("abcd") == 0)
        #expect(LaTeXDecoder.pack("é") == 0x0200_A9C3)
        #expect(LaTeXDecoder.pack("a") == 0x0100_0061)
        #expect(LaTeXDecoder.pack("ḗ") == 0x0397_B8E1)
    }

    /// Accent groups in every spelling the fast path takes, and the near misses it leaves to the general path, in
    /// both modes and inside and outside case protection: the decoder gives what composing by hand gives.
    @Test func accentGroups() {
        let cases: [(String, String)] = [
            ("{\\'e}", "é"), ("{\\'{e}}", "é"), ("{\\v{s}}", "š"), ("{\\c{c}}", "ç"), ("{\\\"u}", "ü"),
            ("{\\H{o}}", "ő"), ("{\\'q}", "q\u{0301}"), ("{\\t{o}}", LaTeXDecoder.composeSlowly("o", "\u{0361}")),
            ("a {\\'e} b", "a é b"), ("a{\\'e}b", "aéb"), ("{\\'e", "é"), ("{\\'}", "'"),
        ]
        for (latex, expected) in cases {
            #expect(LaTeXDecoder.decode(latex, mode: .plain) == expected, "\(latex)")
            #expect(LaTeXDecoder.decode(latex, mode: .rich) == expected, "\(latex)")
        }
        // Near misses: the general path reads them (a letter command eats the letter; a space; two letters).
        #expect(LaTeXDecoder.decode("{\\ve}", mode: .plain) == "\\ve")
        #expect(LaTeXDecoder.decode("{\\' e}", mode: .plain) == "é")
        #expect(LaTeXDecoder.decode("{\\'ee}", mode: .plain) == "ée")
        #expect(LaTeXDecoder.decode("{\\'{ee}}", mode: .plain) == "ée")
        #expect(LaTeXDecoder.decode("{Caf{\\'e}}", mode: .rich) == "<span class=\"nocase\">Café</span>")
        #expect(LaTeXDecoder.decode("{\\'E}cole", mode: .rich) == "École")
    }

    // MARK: Tables by bytes

    /// The byte-keyed tables give what their dictionaries give, for every name in them and for names that are not.
    @Test func byteKeyedTablesMatchTheirDictionaries() {
        var others = ["", "a", "zz", "textbfx", "textb", "Alpha", "ALPHA", "alph", "alphaa", "url", "begin", "par",
            "x\u{00E9}", "\u{00E9}", String(repeating: "a", count: 300)]
        for name in LaTeXDecoder.commandKinds.keys { others += [name + "x", String(name.dropLast()), name.uppercased()] }
        for name in LaTeXTables.mathSymbols.keys { others += [name + "s", String(name.dropFirst())] }
        let kindNames = Array(LaTeXDecoder.commandKinds.keys) + others
        for name in kindNames {
            #expect(LaTeXDecoder.commandKindsByBytes.value(for: name) == LaTeXDecoder.commandKinds[name], "\(name)")
        }
        for name in Array(LaTeXDecoder.specialCharacterCommands) + others {
            #expect((LaTeXDecoder.specialCharacterCommandsByBytes.value(for: name) ?? false)
                == LaTeXDecoder.specialCharacterCommands.contains(name), "\(name)")
        }
        for name in Array(LaTeXTables.mathSymbols.keys) + others {
            #expect(LaTeXDecoder.mathSymbolsByBytes.value(for: name) == LaTeXTables.mathSymbols[name], "\(name)")
        }
        // A table of colliding and empty names.
        var entries: [String: Int] = [:]
        for index in 0..<200 { entries["n\(index)"] = index }
        entries[""] = -1
        let table = ByteKeyedTable(entries)
        for (name, value) in entries { #expect(table.value(for: name) == value) }
        #expect(table.value(for: "n200") == nil)
        #expect(table.value(for: "m1") == nil)
        #expect(ByteKeyedTable([String: Int]()).value(for: "a") == nil)
    }

    /// Commands, math and groups through the decoder, as the tables by name read them.
    @Test func commandsThroughTheDecoder() {
        #expect(BibTeXTest.plain("$\\alpha$ and $\\leq$ and $ \\beta $ and $\\alphax$") == "α and ≤ and β and $\\alphax$")
        #expect(BibTeXTest.rich("\\textit{a} {\\em b} {\\ss}x {\\textbf{B}} \\unknown{x} \\url{u_v}")
            == "<i>a</i> <i>b</i> ßx <span class=\"nocase\"><b>B</b></span> \\unknown{x} u_v")
        #expect(BibTeXTest.plain("\\LaTeX{} \\ldots\\ \\par x") == "LaTeX … x")
    }
}
