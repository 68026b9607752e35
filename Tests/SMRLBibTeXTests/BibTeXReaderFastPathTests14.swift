import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 14: the scanner makes a value's string with one check of its bytes (an ASCII value, whose bytes the scan
/// has seen, with none). A string made without a check carries the ASCII flag the scan gave it, which the standard
/// library trusts (an ASCII string counts one Character a byte): so each string is compared with the standard
/// library's own decoding of its bytes, Characters and scalars counted, not only its bytes. Also the reader's
/// duplicate fields, checked against main's output.
@Suite struct BibTeXReaderFastPathTests14 {
    /// A string part is what `String(decoding:as:)` makes of its bytes, to the Character count; parts left as bytes
    /// are not valid UTF-8 or hold a byte EF (or were moved out of the buffer by a refill).
    static func check(_ part: BibTeXValuePart, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard case .string(let text) = part else { return }
        let bytes = Array(text.utf8)
        let reference = String(decoding: bytes, as: UTF8.self)
        #expect(text == reference, sourceLocation: sourceLocation)
        #expect(text.count == reference.count, "\(reference)", sourceLocation: sourceLocation)
        #expect(text.unicodeScalars.count == reference.unicodeScalars.count, sourceLocation: sourceLocation)
        #expect(Array(text.unicodeScalars) == Array(reference.unicodeScalars), sourceLocation: sourceLocation)
        #expect(text.hashValue == reference.hashValue, sourceLocation: sourceLocation)
        #expect(!bytes.contains(0xEF), sourceLocation: sourceLocation)
    }

    /// Values on one line and over several (the scan's blank-line start: a non-ASCII byte right after the new
    /// line's indentation), with a long comment after the entry so that the scanner's look-ahead at each new line
    /// does not refill the buffer (the value then stays a string).
    @Test(arguments: [
        "plain ASCII", "café", "e\u{301} combining", "na\u{EF}ve {\u{DC}n\u{EF}code}", "日本語", "🎉", "tab\there é",
        "first line\n  \u{E9} after the indentation", "first line\n\t\u{E9}", "first\r\n \u{E9}", "ascii\n  lines\n  only",
        "{\\'e}cole\n  {\\\"u}ber \u{DF}", "\u{A0}no-break\u{A0}", "long ASCII run before the accent: abcdefghijklmnopq\u{E9}",
    ])
    func stringsAreTheStandardLibrarys(value: String) {
        let padding = "\n% " + String(repeating: "comment ", count: 40) + "\n"
        for (open, close) in [("{", "}"), ("\"", "\"")] {
            let source = "@misc{k,\n  title = \(open)\(value)\(close),\n  note = {\(value)}\n}\n" + padding
            let parts = BibTeXScannerFastPathTests7.textParts(Array(source.utf8))
            #expect(parts.count == 2)
            for part in parts {
                Self.check(part)
                #expect(part.textBytes == Array(value.utf8))
            }
            // Valid UTF-8 without a byte EF, all in the buffer: a string (as before).
            if !value.utf8.contains(0xEF), case .text = parts.first {
                Issue.record("'\(value)' was left as bytes")
            }
        }
    }

    /// Bytes that are not UTF-8 and a UTF-8 U+FFFD or BOM (bytes EF …) stay bytes: the reader decodes them.
    @Test func invalidBytesAndByteEFStayBytes() {
        let values: [[UInt8]] = [
            Array("Caf".utf8) + [0xE9], [0xC3], [0x80, 0x41], Array("a".utf8) + [0xED, 0xA0, 0x80],
            Array("x \u{FFFD} y".utf8), Array("\u{FEFF}bom".utf8), [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF],
        ]
        for value in values {
            let source = Array("@misc{k, title = {".utf8) + value + Array("}}\n".utf8)
                + Array(("%" + String(repeating: " pad", count: 40) + "\n").utf8)
            let parts = BibTeXScannerFastPathTests7.textParts(source)
            #expect(parts.count == 1)
            guard case .text(let bytes) = parts.first else {
                Issue.record("\(value) was made a string")
                continue
            }
            #expect(bytes == value)
        }
    }

    /// Every text part of every corpus file.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusStrings() throws {
        let files = TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
        #expect(!files.isEmpty)
        var strings = 0
        var nonASCII = 0
        for url in files {
            for part in BibTeXScannerFastPathTests7.textParts(Array(try Data(contentsOf: url))) {
                Self.check(part)
                if case .string(let text) = part {
                    strings += 1
                    if text.utf8.contains(where: { $0 >= 0x80 }) { nonASCII += 1 }
                }
            }
        }
        #expect(strings > 1000)
        #expect(nonASCII > 10)
    }

    /// Duplicate fields: the first of two kept (by ``BibField`` and by name, before and after the 32 fields where
    /// the reader looks names up in a dictionary), every duplicate reported where it stands with the first's
    /// location (as `smrl convert` of main, beda8a7, reports them); an entry with no field and one whose fields all
    /// repeat the first.
    @Test func duplicateFields() throws {
        var source = "@article{a,\n  title = {T1},\n  myfield = {m1},\n  TITLE = {T2},\n  MyField = {m2},\n"
        for index in 0..<34 { source += "  f\(index) = {v\(index)},\n" }
        source += "  title = {T3},\n  myfield = {m3},\n  f3 = {late},\n  year = 2001\n}\n"
        source += "@misc{b}\n@misc{c, note = {n1}, note = {n2}, note = {n3}}\n"
        let results = BibTeXTest.read(source, file: "t.bib")
        let records = results.compactMap(\.record)
        #expect(records.count == 3)
        let first = try #require(records.first)
        #expect(first.title == "T1")
        #expect(first.issued?.description == "2001")
        let extra = first.extra["bibtex"] ?? [:]
        #expect(extra["myfield"] == ["m1"])
        #expect(extra["f3"] == ["v3"])
        #expect(extra["f33"] == ["v33"])
        let duplicates = results.flatMap(\.diagnostics).filter { $0.code == .bibtexDuplicateField }
        #expect(duplicates.map(\.field) == ["title", "myfield", "title", "myfield", "f3", "note", "note"])
        #expect(duplicates.map { $0.location?.line } == [4, 5, 40, 41, 42, 46, 46])
        #expect(duplicates.map { $0.related?.line } == [2, 3, 2, 3, 9, 46, 46])
        #expect(duplicates.map { $0.location?.column } == [3, 3, 3, 3, 3, 23, 36])
        #expect(duplicates.map { $0.related?.column } == [3, 3, 3, 3, 3, 10, 10])
        #expect(duplicates.map(\.message) == [
            "field 'title' appears twice; the first value is kept and this one ignored: 'T2'",
            "field 'myfield' appears twice; the first value is kept and this one ignored: 'm2'",
            "field 'title' appears twice; the first value is kept and this one ignored: 'T3'",
            "field 'myfield' appears twice; the first value is kept and this one ignored: 'm3'",
            "field 'f3' appears twice; the first value is kept and this one ignored: 'late'",
            "field 'note' appears twice; the first value is kept and this one ignored: 'n2'",
            "field 'note' appears twice; the first value is kept and this one ignored: 'n3'",
        ])
        #expect(records[2].note == "n1")
    }
}
