import Testing
@testable import SMRLBibTeX

@Suite struct LaTeXDecoderTests {
    @Test(arguments: [
        ("{\\\"o}", "ö"), ("\\\"{o}", "ö"), ("\\\"o", "ö"), ("\\\" o", "ö"), ("\\H o", "ő"), ("\\H{o}", "ő"),
        ("{\\'\\i}", "í"), ("\\'{\\i}", "í"), ("\\'i", "í"), ("\\c c", "ç"), ("\\c{c}", "ç"), ("{\\~{a}}", "ã"),
        ("\\v{s}", "š"), ("\\v S", "Š"), ("\\k{a}", "ą"), ("\\r{u}", "ů"), ("\\u{g}", "ğ"), ("\\={o}", "ō"),
        ("\\.{z}", "ż"), ("\\d{h}", "ḥ"), ("\\`{e}", "è"), ("\\^{o}", "ô"), ("{\\'{\\\"u}}", "ǘ"),
        ("Vall{\\'e}e", "Vallée"), ("Hyv{\\\"o}nen", "Hyvönen"), ("\\t{oo}", "o\u{0361}o"),
    ])
    func accents(latex: String, expected: String) {
        #expect(BibTeXTest.plain(latex) == expected)
    }

    @Test(arguments: [
        ("\\ss", "ß"), ("{\\o}", "ø"), ("\\O{}", "Ø"), ("{\\aa}", "å"), ("\\AA{}", "Å"), ("{\\l}", "ł"), ("\\L{}", "Ł"),
        ("{\\ae}", "æ"), ("\\AE{}", "Æ"), ("{\\oe}", "œ"), ("\\OE{}", "Œ"), ("{\\i}", "ı"), ("{\\j}", "ȷ"),
        ("{\\DJ}", "Đ"), ("{\\dj}", "đ"), ("{\\NG}", "Ŋ"), ("{\\ng}", "ŋ"), ("{\\th}", "þ"), ("Stra{\\ss}e", "Straße"),
        ("\\ss{}e", "ße"), ("{\\L}{\\'o}d{\\'z}", "Łódź"),
    ])
    func specialLetters(latex: String, expected: String) {
        #expect(BibTeXTest.plain(latex) == expected)
    }

    @Test func escapedSpecialsAndMath() {
        // Hard case 19.
        #expect(BibTeXTest.rich("Costs \\& Benefits of $\\alpha$-blockers: 50\\% fewer")
            == "Costs & Benefits of α-blockers: 50% fewer")
        #expect(BibTeXTest.plain("a\\&b\\%c\\$d\\#e\\_f\\textasciitilde{}\\textasciicircum{}\\textbackslash{}")
            == "a&b%c$d#e_f~^\\")
        #expect(BibTeXTest.plain("\\{x\\}") == "{x}")
        // Math that is not one symbol stays as TeX, dollars included.
        #expect(BibTeXTest.rich("Energy $e=mc^2$ now") == "Energy $e=mc^2$ now")
        #expect(BibTeXTest.rich("$\\sqrt{x}$") == "$\\sqrt{x}$")
        #expect(BibTeXTest.rich("$\\le$") == "$\\le$")  // not the encoder's spelling: kept
        #expect(BibTeXTest.rich("An unclosed $ sign") == "An unclosed $ sign")
    }

    @Test func dashesQuotesAndSpaces() {
        #expect(BibTeXTest.plain("1--2") == "1–2")
        #expect(BibTeXTest.plain("a---b") == "a—b")
        #expect(BibTeXTest.plain("a-b") == "a-b")
        #expect(BibTeXTest.plain("``quoted''") == "“quoted”")
        #expect(BibTeXTest.plain("`single'") == "‘single'")
        #expect(BibTeXTest.plain("\\textquoteleft x\\textquoteright") == "‘x’")
        #expect(BibTeXTest.plain("J.~R.~R. Tolkien") == "J.\u{00A0}R.\u{00A0}R. Tolkien")
        #expect(BibTeXTest.plain("  many\n\t spaces   here ") == "many spaces here")
        #expect(LaTeXDecoder.decode("one\n\ntwo", mode: .plain, paragraphs: true) == "one\n\ntwo")
        #expect(LaTeXDecoder.decode("one\\par two", mode: .plain, paragraphs: true) == "one\n\ntwo")
        #expect(BibTeXTest.plain("one\n\ntwo") == "one two")
    }

    @Test func richTextMarkup() {
        #expect(BibTeXTest.rich("\\textit{Homo sapiens} in \\textbf{bold}") == "<i>Homo sapiens</i> in <b>bold</b>")
        #expect(BibTeXTest.rich("\\emph{x}") == "<i>x</i>")
        #expect(BibTeXTest.rich("\\textsc{sc}") == "<sc>sc</sc>")
        #expect(BibTeXTest.rich("CO\\textsubscript{2} and x\\textsuperscript{2}") == "CO<sub>2</sub> and x<sup>2</sup>")
        #expect(BibTeXTest.rich("a\\it b{\\bf c}") == "a<i>b<b>c</b></i>")
        #expect(BibTeXTest.rich("{\\em emphasised} text") == "<i>emphasised</i> text")
        #expect(BibTeXTest.rich("a\\begin{it}b\\end{it}c") == "a<i>b</i>c")
        #expect(BibTeXTest.rich("\\textrm{test}") == "test")
        // Plain fields never carry markup.
        #expect(BibTeXTest.plain("\\textit{Homo} {DNA}") == "Homo DNA")
    }

    @Test func caseProtection() {
        // Hard case 20.
        #expect(BibTeXTest.rich("{DNA} repair in {HIV}-positive adults")
            == "<span class=\"nocase\">DNA</span> repair in <span class=\"nocase\">HIV</span>-positive adults")
        #expect(BibTeXTest.rich("{Whole Title Protected}") == "<span class=\"nocase\">Whole Title Protected</span>")
        // Braces around one accented letter, or a group that starts with a command, are no protection.
        #expect(BibTeXTest.rich("{\\\"O}sterreich") == "Österreich")
        #expect(BibTeXTest.rich("{Ö}sterreich") == "Österreich")
        #expect(BibTeXTest.rich("{\\'E}cole {Normale}") == "École <span class=\"nocase\">Normale</span>")
        // Nested braces make one span.
        #expect(BibTeXTest.rich("{The {RNA} World}") == "<span class=\"nocase\">The RNA World</span>")
        #expect(BibTeXTest.rich("a {} b") == "a b")
    }

    @Test func commandsKeptOrResolved() {
        #expect(BibTeXTest.plain("unknown: \\unknown") == "unknown: \\unknown")
        #expect(BibTeXTest.plain("\\foo{bar} baz") == "\\foo{bar} baz")
        #expect(BibTeXTest.plain("url: \\url{https://example.org/~a_b}") == "url: https://example.org/~a_b")
        #expect(BibTeXTest.plain("\\href{https://example.org}{Example}") == "Example")
        #expect(BibTeXTest.plain("ElsevierGlyph: \\ElsevierGlyph{2014}") == "ElsevierGlyph: —")
        #expect(BibTeXTest.plain("\\noopsort{a}Zebra") == "Zebra")
        #expect(BibTeXTest.plain("\\LaTeX{} and \\TeX") == "LaTeX and TeX")
        #expect(BibTeXTest.plain("\\enquote{x}") == "“x”")
        #expect(BibTeXTest.rich("Phi: $\\Phi$") == "Phi: Φ")
    }

    @Test func deepNestingDoesNotOverflow() {
        let deep = String(repeating: "{", count: 400) + "x" + String(repeating: "}", count: 400)
        #expect(BibTeXTest.rich(deep).contains("x"))
        #expect(BibTeXTest.plain("\\") == "\\")
        #expect(BibTeXTest.plain("\\'") == "'")
        #expect(BibTeXTest.plain("{{{") == "")
    }
}
