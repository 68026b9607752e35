import Foundation
import SMRLCore
import Testing
@testable import SMRLBibTeX

/// Session 12's writer paths: years and month macros written from the numbers, library-list items searched and
/// encoded from one UTF-8 view, rich-text markup found by its bytes.
@Suite struct BibTeXWriterFastPathTests12 {
    @Test func yearsAreWrittenAsEDTFWritesThem() {
        var years = Array(-20_000...20_000)
        years += [99_999, 100_000, 123_456_789, -123_456_789, Int.max, -Int.max, Int(Int32.max), Int(Int32.min)]
        for year in years {
            var buffer = ByteBuffer(capacity: 8)
            BibTeXWriter.appendYear(year, to: &buffer)
            #expect(buffer.array == Array(EDTFDate(year: year).description.utf8), "\(year)")
        }
    }

    @Test func monthLiteralsAreTheMacros() {
        for month in -2...30 {
            #expect(BibTeXWriter.monthMacroLiteral(month).map { "\($0)" } == BibTeXMapping.monthMacro(month),
                "\(month)")
        }
    }

    /// Dates of every shape, written whole (the expected texts are what the writer of main 9bbab8d wrote).
    @Test func datesInEntries() {
        let cases: [(EDTFDate, String)] = [
            (EDTFDate(year: 2020, month: 10), "  year = {2020},\n  month = oct"),
            (EDTFDate(year: -44, month: 3, day: 15), "  year = {-0044},\n  month = mar,\n  date = {-0044-03-15}"),
            (EDTFDate(year: 12_345), "  year = {12345}"),
            (EDTFDate(year: 7), "  year = {0007}"),
            (EDTFDate(year: 2019, month: 22), "  year = {2019},\n  date = {2019-22}"),
            (EDTFDate(edtf: "2001-02/2003-04")!, "  year = {2001},\n  date = {2001-02/2003-04}"),
            (EDTFDate(edtf: "2001/2003")!, "  year = {2001--2003}"),
            (EDTFDate(edtf: "1950~")!, "  year = {1950},\n  date = {1950~}"),
            (EDTFDate(edtf: "1950-06?")!, "  year = {1950},\n  month = jun,\n  date = {1950-06?}"),
            (EDTFDate(edtf: "../2003-04")!, "  year = {2003},\n  date = {../2003-04}"),
            (EDTFDate(literal: "in press"), "  year = {in press}"),
        ]
        for (date, expected) in cases {
            var record = Resource(id: "k", type: .book)
            record.title = "T"
            record.issued = date
            let text = BibTeXTest.write([record], dialect: .bibtex).text
            #expect(text.contains("  title = {T},\n" + expected + "\n}"), "\(date.description): \(text)")
        }
    }

    /// A `year` or `month` from the record wins over the extra one, which is reported.
    @Test func extraDateFieldsStayLosses() {
        var record = Resource(id: "k", type: .book)
        record.issued = EDTFDate(year: 2020, month: 1)
        record.extra = ["bibtex": ["month": ["feb"], "year": ["1999"], "note2": ["x"]]]
        let (text, losses) = BibTeXTest.write([record], dialect: .bibtex)
        #expect(text == "@book{k,\n  year = {2020},\n  month = jan,\n  note2 = {x}\n}\n")
        #expect(losses[0].map(\.field).sorted() == ["extra.bibtex.month", "extra.bibtex.year"])
    }

    /// Library-list items, written as the writer wrote them before it searched and encoded each from one UTF-8
    /// view: braces where ``String/bibContainsCommaOrSemicolon`` finds `,` or `;` (also beside characters
    /// Foundation must judge), each item's LaTeX from ``LaTeXEncoder/encode(_:rich:ascii:paragraphs:)``, a loss for
    /// characters without a LaTeX form.
    @Test func libraryListItemsAsBefore() {
        let lists: [[String]] = [
            ["students-faculty", "a, b", "c; d", "e\u{0301}, f", "Ĳssel", "中文", ""],
            [",\u{0301}x", "semi;", "¬ x", "ǅ", "😀 a,b", "x\u{0338};", "\u{037E}", "a\u{0301}", "50% & $x$ {y}"],
            ["one, item"], ["a--b 'c' ``d''", "line\nbreak", "\\cmd{x}"],
        ]
        for dialect in [BibTeXDialect.bibtex, .biblatex] {
            for (number, list) in (lists + BibTeXWriterFastPathTests.edgeValues.map { [$0] }).enumerated() {
                var record = Resource(id: "k\(number)", type: .book)
                record.topics = list
                let (text, losses) = BibTeXTest.write([record], dialect: dialect)
                var expected = ""
                for (index, item) in list.enumerated() {
                    if index > 0 { expected += "; " }
                    let encoded = LaTeXEncoder.encode(item, rich: false, ascii: dialect == .bibtex)
                    expected += item.bibContainsCommaOrSemicolon ? "{" + encoded.latex + "}" : encoded.latex
                }
                let field = expected.isEmpty ? "" : ",\n  smrl-topics = {" + expected + "}"
                let header = dialect == .biblatex ? "% Encoding: UTF-8\n\n" : ""
                #expect(Array(text.utf8) == Array((header + "@book{k\(number)" + field + "\n}\n").utf8),
                    "\(list.debugDescription) \(dialect)")
                let reported = losses[0].filter { $0.field == "topics" }
                #expect(reported.map(\.detail) == (0..<list.count).compactMap { index -> String? in
                    let count = LaTeXEncoder.encode(list[index], rich: false, ascii: dialect == .bibtex).unencodable
                    return count > 0 ? "\(count) character(s) without a LaTeX command kept as UTF-8" : nil
                }, "\(list.debugDescription)")
            }
        }
    }

    /// Markup found by its bytes (every non-ASCII character punctuation-inert) and by ``RichText/tokenize(_:)``
    /// (others) gives the general path's LaTeX.
    static let markupValues: [String] = [
        "<i>a</i>", "<b>b</b><i>i</i>", "<i><b>nested</b></i>", "<i>unclosed", "closed</i> only", "</b><b>x</b>",
        "<sub>2</sub><sup>3</sup><sc>Caps</sc>", "<span class=\"nocase\">DNA</span>", "<span class=\"NoCase\">x</span>",
        "<span>x</span>", "< i>x</i>", "<i >x</i>", "<<i>>x<</i>>", "<", "<i", "<i>", "</i>", "<i></i>", "a<i>b</i>c<",
        "<i>é</i> “q” – ≤", "<i>α β</i> γ", "<i>x</i>\u{0301}", "<\u{0301}i>x</i>", "<i\u{0301}>x</i>",
        "<i>\u{037E}</i>", "<i>≮</i> <\u{0338}", "<i>a\r\nb</i>\r\n<b>c</b>", "<i>😀</i>", "<i>中文</i>",
        "<i>\u{200D}</i>", "<b>\u{212A}</b>", "<i>x</b></i>", "<i><i>two</i></i>", "<b><i>cross</b></i>",
        "<sup><sub>deep</sub></sup>", "p < 0.05 <i>and</i> q > 1", "<i>{brace} $x$ \\cmd{y} 50%</i>",
        "<i>line\n\nbreaks</i>", "<span class=\"nocase\"><i>mixed</i></span>", "<i>\u{00A0}–—</i>",
        "<sc>ǅ</sc> Ĳ", "<i>a\u{0308}</i>", "<b>é</b>e\u{0301}",
    ]

    @Test func markupByBytesMatchesTheGeneralPath() {
        for text in Self.markupValues { BibTeXWriterFastPathTests.check(text) }
        // The byte path is the one taken for these (no character that Foundation must judge).
        for text in ["<i>a</i>", "<i>é</i> “q” – ≤", "<sc>ǅ</sc> Ĳ"] {
            var copy = text
            #expect(copy.withUTF8 { LaTeXEncoder.containsPunctuation($0, UInt8(ascii: "<")) } == true)
        }
    }
}
