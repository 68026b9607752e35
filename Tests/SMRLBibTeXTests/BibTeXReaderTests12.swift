import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 12: the reader moves each raw value into its entry (``BibTeXRawField/takeFirst()``) instead of copying
/// it. Every shape of value a field can have goes through that path here — a scanned string, bytes that are not
/// UTF-8, a bare number, a macro (defined, a month, undefined), parts joined by `#`, an empty value — with
/// duplicate fields (whose message quotes the value) and names in capitals; the records and diagnostics are those
/// main gave before the change (9bbab8d, by `smrl convert`).
@Suite struct BibTeXReaderTests12 {
    static let source: [UInt8] = Array("@string{pub = \"Ac".utf8) + [0xE9] + Array(" Press\"}\n@string{ed = {Second}}\n@Book{Key1,\n  Title = {A Title},\n  YEAR = 2020a,\n  month = jun,\n  Publisher = pub,\n  edition = ed # { edition},\n  note = undefinedmacro,\n  MyField = {Caf".utf8) + [0xE9] + Array(" value},\n  myfield = {second value that is ignored},\n  title = {duplicate title},\n  series = \"quoted \" # {braced} # 12,\n  number = {}\n}\n".utf8)

    static func rendered(_ diagnostic: Diagnostic) -> String {
        let at = diagnostic.location.map { "\($0.line):\($0.column)" } ?? "-"
        let related = diagnostic.related.map { " [\($0.line):\($0.column)]" } ?? ""
        return "\(at) \(diagnostic.code.rawValue): \(diagnostic.message)\(related)"
    }

    @Test func everyShapeOfValueReadsAsBefore() throws {
        let results = BibTeXTest.read(bytes: Self.source, file: "hand.bib")
        let records = results.compactMap(\.record)
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.id == "Key1")
        #expect(record.title == "A Title")
        #expect(record.collectionTitle == "quoted braced12")
        #expect(record.edition == "Second edition")
        #expect(record.publisher == "Acé Press")
        #expect(record.issued?.description == "2020a")
        #expect(record.extra["bibtex"]?["month"] == ["June"])
        #expect(record.extra["bibtex"]?["myfield"] == ["Café value"])
        #expect(record.extra["bibtex"]?["number"] == nil)
        #expect(record.extra["bibtex"]?["note"] == nil)
        let diagnostics = results.flatMap(\.diagnostics).map(Self.rendered).sorted()
        #expect(diagnostics == [
            "11:3 bibtex.duplicate-field: field 'myfield' appears twice; the first value is kept and this one ignored: 'second value that is ignored' [10:3]",
            "12:3 bibtex.duplicate-field: field 'title' appears twice; the first value is kept and this one ignored: 'duplicate title' [4:3]",
            "5:3 bibtex.invalid-date: year '2020a' is not a number; kept as text",
            "7:3 input.legacy-encoding: the input is not UTF-8; read as Windows-1252 (Latin-1) from line 7 on",
            "9:10 bibtex.undefined-macro: 'undefinedmacro' is not a defined @string; read as empty, as BibTeX does",
        ])
    }

    /// The field a value moved out of holds an empty number: nothing of the value is left in it.
    @Test func takeFirstLeavesAnEmptyNumber() {
        var field = BibTeXRawField(name: "title", first: .string("a value of some length, on the heap"), rest: [],
            location: SourceLocation(file: "t.bib", line: 1, column: 1))
        guard case .string(let text) = field.takeFirst() else {
            Issue.record("the string part did not come out")
            return
        }
        #expect(text == "a value of some length, on the heap")
        guard case .number(let digits) = field.first else {
            Issue.record("the field kept a part other than an empty number")
            return
        }
        #expect(digits.isEmpty)
    }
}
