import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// The scanner's ASCII value path (no search for a byte EF) and the reader's in-place reading of raw fields give
/// what the general paths give.
@Suite struct BibTeXScannerFastPathTests7 {
    /// The braced or quoted parts of every entry in `bytes`.
    static func textParts(_ bytes: [UInt8]) -> [BibTeXValuePart] {
        var scanner = BibTeXScanner(reader: ByteReader(bytes: bytes, fileName: "t.bib"), options: ReaderOptions())
        var parts: [BibTeXValuePart] = []
        while let block = scanner.nextBlock() {
            guard case .entry(let entry) = block else { continue }
            for field in entry.fields {
                for part in field.parts where part.textBytes != nil { parts.append(part) }
            }
        }
        return parts
    }

    /// A part the scanner made a string is what ``BibTeXReader/decodeText(_:)`` makes of its bytes. (A part left
    /// as bytes, which the reader decodes itself, may be any value that a refill moved out of the buffer.)
    static func check(_ part: BibTeXValuePart) {
        guard case .string(let text) = part else { return }
        let decoded = BibTeXReader.decodeText(Array(text.utf8))
        #expect(decoded.text == text)
        #expect(!decoded.legacy)
        #expect(!text.utf8.contains(0xEF))
    }

    @Test(arguments: [
        "plain ASCII", "", "x", "with {nested {braces}} and \\'e", "exactly8", "sixteen bytes!!!", "tab\there",
        "line\nbreak", "line\r\nbreak", "café", "naïve {Ünïcode}", "replacement \u{FFFD} char", "日本語のタイトル",
        "ASCII then é at the end of a longer value é", "\u{FEFF}bom inside", "emoji 🎉 here",
    ])
    func valuesAgreeWithTheDecoder(value: String) {
        for (open, close) in [("{", "}"), ("\"", "\"")] {
            let source = "@misc{k,\n  title = \(open)\(value)\(close),\n  note = {\(value)} # \"\(value)\"\n}\n"
            let parts = Self.textParts(Array(source.utf8))
            #expect(parts.count == 3)
            for part in parts {
                Self.check(part)
                #expect(part.textBytes == Array(value.utf8), "\(value)")
            }
            // An ASCII value on one line (a new line makes the scanner look ahead, which in this short input
            // moves the value out of the buffer) is made a string; a value with a byte EF never is.
            let oneLine = !value.utf8.contains(0x0A) && !value.utf8.contains(0x0D)
            if value.utf8.allSatisfy({ $0 < 0x80 }) && oneLine, case .text = parts[0] {
                Issue.record("ASCII value '\(value)' was left as bytes")
            }
            if value.utf8.contains(0xEF), case .string = parts[0] {
                Issue.record("value '\(value)' with a byte EF was made a string")
            }
        }
    }

    /// Bytes that are not UTF-8 (Windows-1252) and a UTF-8 encoded U+FFFD stay bytes, so the reader's decoder
    /// reports the legacy encoding as before.
    @Test func invalidUTF8StaysBytes() {
        var source = Array("@misc{k, title = {Caf".utf8)
        source.append(0xE9)  // é in Windows-1252
        source += Array("}, note = {plain}}\n".utf8)
        let parts = Self.textParts(source)
        #expect(parts.count == 2)
        guard parts.count == 2 else { return }
        if case .text(let bytes) = parts[0] {
            #expect(bytes == Array("Caf".utf8) + [0xE9])
        } else {
            Issue.record("a Windows-1252 value was made a string")
        }
        if case .string(let text) = parts[1] { #expect(text == "plain") } else { Issue.record("ASCII left as bytes") }
        let results = BibTeXTest.read(bytes: source)
        #expect(results.compactMap(\.record).first?.title == "Café")
        #expect(results.flatMap(\.diagnostics).contains { $0.code == .legacyEncoding })
    }

    /// Field names, duplicates (under and over the 32 fields where the reader switches to a dictionary),
    /// macros, `#` joins and decoded values come out of the in-place field reading as written.
    @Test func fieldsReadInPlace() {
        var source = "@string{jn = {Journal of Tests}}\n@article{key1,\n  Title = {First},\n  TITLE = {Second},\n"
        source += "  journal = jn # { Extra},\n  month = jun,\n  year = 2020,\n  note = \"q {\"} é\",\n"
        for index in 0..<40 { source += "  x-field\(index) = {v\(index)},\n" }
        source += "  X-Field35 = {late duplicate},\n  x-field2 = {early duplicate},\n}\n"
        let results = BibTeXTest.read(source)
        let record = results.compactMap(\.record).first
        #expect(record?.title == "First")
        #expect(record?.containerTitle == "Journal of Tests Extra")
        let extra = record?.extra["bibtex"] ?? [:]
        #expect(extra["x-field35"] == ["v35"])
        #expect(extra["x-field2"] == ["v2"])
        #expect(extra["x-field39"] == ["v39"])
        let duplicates = results.flatMap(\.diagnostics).filter { $0.code == .bibtexDuplicateField }
        #expect(duplicates.map(\.field) == ["title", "x-field35", "x-field2"])
        #expect(duplicates.map { $0.location?.line } == [4, 49, 50])
        #expect(duplicates.map { $0.related?.line } == [3, 44, 11])
        #expect(duplicates.first?.message.contains("'Second'") == true)
    }

    /// Every text part of every corpus file agrees with the decoder.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusValues() throws {
        let files = TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
        #expect(!files.isEmpty)
        var strings = 0
        for url in files {
            let bytes = Array(try Data(contentsOf: url))
            for part in Self.textParts(bytes) {
                Self.check(part)
                if case .string = part { strings += 1 }
            }
        }
        #expect(strings > 1000)
    }
}
