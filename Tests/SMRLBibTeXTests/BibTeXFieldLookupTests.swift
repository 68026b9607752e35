import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// The field-name table (``BibField``) and the lookups by it agree with comparing names, and values that cross a
/// refill of the scanner's buffer are read whole.
@Suite struct BibTeXFieldLookupTests {
    /// The reference: the field whose name is `name`, by comparing it with every name.
    static func referenceField(_ name: String) -> BibField? {
        BibField.allCases.first { $0.name == name }
    }

    /// The reference lookup of an entry: the first field with the name.
    static func referencePosition(_ entry: BibTeXEntry, _ name: String) -> Int? {
        entry.fields.firstIndex { $0.name == name }
    }

    @Test func everyNameFindsItsField() {
        #expect(Set(BibField.allCases.map(\.name)).count == BibField.allCases.count)
        for field in BibField.allCases {
            #expect(BibField(name: field.name) == field)
            let bytes = Array(field.name.utf8)
            #expect(bytes.withUnsafeBufferPointer { BibField(bytes: $0) } == field)
        }
    }

    @Test func otherTextFindsNoField() {
        var texts = ["", "x", "Title", "TITLE", "titl", "titles", " title", "title ", "author+an:orcid2", "smrl-", "tïtle",
            "títle", "journal\u{0}", String(repeating: "a", count: 200), "keywords,", "bdsk-url-2", "crossre", "xdatax"]
        // Every name with one byte changed, dropped or added.
        for field in BibField.allCases {
            let bytes = Array(field.name.utf8)
            for index in bytes.indices {
                var changed = bytes
                changed[index] ^= 0x20
                texts.append(String(decoding: changed, as: UTF8.self))
                var dropped = bytes
                dropped.remove(at: index)
                texts.append(String(decoding: dropped, as: UTF8.self))
            }
            texts.append(field.name + "s")
            texts.append("x" + field.name)
        }
        for text in texts {
            #expect(BibField(name: text) == Self.referenceField(text), "\(text.debugDescription)")
        }
    }

    /// Entries with fields of both kinds (a ``BibField`` and another name), duplicates, inherited fields: every
    /// lookup by name and by field finds what comparing names finds.
    @Test func entryLookupsAgreeWithNames() {
        let text = """
            @book{parent, title = {P}, publisher = {Pub}, Custom-Field = {c}, location = {L}}
            @inbook{child, crossref = {parent}, Title = {T}, title = {again}, AUTHOR = {A. B},
              weird+name = {w}, keywords = {k}, keyword = {k2}, smrl-domains = {d}, Number = {3}}
            """
        let results = BibTeXTest.read(text)
        #expect(results.compactMap(\.record).count == 2)
        var scanner = BibTeXScanner(reader: ByteReader(bytes: Array(text.utf8), fileName: "t.bib"), options: ReaderOptions())
        var count = 0
        while let block = scanner.nextBlock() {
            guard case .entry(let raw) = block else { continue }
            let fields = raw.fields.map { field -> BibTeXEntry.Field in
                var value = ""
                if let bytes = field.first.textBytes { value = String(decoding: bytes, as: UTF8.self) }
                return BibTeXEntry.Field(name: field.name.lowercased(), value: value, location: field.location)
            }
            let entry = BibTeXEntry(type: raw.type, key: raw.key, fields: fields, location: raw.location)
            Self.checkLookups(entry)
            count += 1
        }
        #expect(count == 2)
    }

    static func checkLookups(_ entry: BibTeXEntry) {
        var names = Set(entry.fields.map(\.name))
        names.formUnion(BibField.allCases.map(\.name))
        names.formUnion(["", "Title", "custom-field", "weird+name", "nothing"])
        for name in names {
            let expected = referencePosition(entry, name)
            #expect(entry.position(name) == expected, "\(name)")
            #expect(entry.has(name) == (expected != nil))
            if let field = BibField(name: name) {
                #expect(entry.position(field) == expected, "\(name)")
                #expect(entry.field(field)?.value == expected.map { entry.fields[$0].value })
            }
        }
        for field in entry.fields {
            #expect(field.known == referenceField(field.name), "\(field.name)")
        }
    }

    /// Every field name of every corpus file: the table agrees with comparing names, and so do the lookups of the
    /// reader's entries (names as the reader lowercases them).
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusFieldNames() throws {
        let files = TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
        #expect(!files.isEmpty)
        var count = 0
        for url in files {
            var scanner = BibTeXScanner(reader: try ByteReader(path: url.path), options: ReaderOptions())
            while let block = scanner.nextBlock() {
                guard case .entry(let raw) = block else { continue }
                var fields: [BibTeXEntry.Field] = []
                for field in raw.fields {
                    for part in field.parts { Self.checkPart(part) }
                    let name = BibTeXReader.lowercased(field.name)
                    #expect(BibField(name: name) == Self.referenceField(name), "\(name)")
                    #expect(BibField(name: field.name) == Self.referenceField(field.name), "\(field.name)")
                    fields.append(BibTeXEntry.Field(name: name, value: "", location: field.location))
                    count += 1
                }
                Self.checkLookups(BibTeXEntry(type: raw.type, key: raw.key, fields: fields, location: raw.location))
            }
        }
        #expect(count > 1000)
    }

    /// A value the scanner made a string is what decoding its bytes gives (UTF-8, not the Windows-1252 fallback).
    /// (Values kept as bytes are those with a byte EF once decoded, and those part of which left the buffer in a
    /// refill, which a look ahead for an entry start after a line end may cause: the reader decodes them.)
    static func checkPart(_ part: BibTeXValuePart) {
        guard case .string(let text) = part else { return }
        let decoded = BibTeXReader.decodeText(Array(text.utf8))
        #expect(decoded.text == text && !decoded.legacy, "\(text.debugDescription)")
        #expect(!text.utf8.contains(0xEF))
    }

    @Test func scannedStringsAreWhatDecodingGives() {
        let values: [[UInt8]] = [
            [], Array("plain".utf8), Array("é ü {ö}".utf8), [0xE9, 0x20, 0x61], Array("\u{FFFD}".utf8), Array("ｆｕｌｌ".utf8),
            [0xEF, 0xBB], [0xC3], [0x61, 0xC3], Array("a{b}c\r\nd".utf8), [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            Array("\u{FEFF}x".utf8), Array("日本語".utf8), [0xE6, 0x97],
        ]
        for value in values {
            for quoted in [false, true] {
                let text = Array("@misc{k, note = ".utf8) + [quoted ? 0x22 : 0x7B] + value + [quoted ? 0x22 : 0x7D]
                    + Array("}\n".utf8)
                var scanner = BibTeXScanner(reader: ByteReader(bytes: text, fileName: "t.bib"), options: ReaderOptions())
                guard case .entry(let entry) = scanner.nextBlock(), let part = entry.fields.first?.first else {
                    Issue.record("no field for \(value)")
                    continue
                }
                #expect(part.textBytes == value, "\(value)")
                Self.checkPart(part)
                // A one-line value that decodes without a byte EF is made a string (the fast path is taken).
                if !value.contains(0x0A), !value.contains(0x0D),
                    !String(decoding: value, as: UTF8.self).utf8.contains(0xEF)
                {
                    if case .string = part {} else { Issue.record("kept as bytes: \(value)") }
                }
                // The reader's value is what decoding the bytes gives, either way.
                let record = BibTeXTest.read(bytes: text).compactMap(\.record).first
                let decoded = BibTeXReader.decodeText(value).text
                #expect(record?.note == (LaTeXDecoder.decode(decoded, mode: .plain, paragraphs: true).isEmpty
                    ? nil : LaTeXDecoder.decode(decoded, mode: .plain, paragraphs: true)), "\(value)")
            }
        }
    }

    /// Values that start before the end of the scanner's first 64 KiB chunk and end after it (and values longer
    /// than a chunk) are the bytes written, with braces, line ends and non-ASCII letters near the boundary.
    @Test(arguments: [false, true])
    func valuesAcrossChunkBoundaries(quoted: Bool) {
        let inner = "ab{c}d\r\ne é{{x}}\n  f{\"}g"
        for shift in 0..<40 {
            let padding = String(repeating: "%", count: 65_536 - 30 + shift - 1) + "\n"
            for long in [false, true] {
                let value = long ? String(repeating: inner, count: 7_000) : inner + inner
                let open = quoted ? "\"" : "{"
                let close = quoted ? "\"" : "}"
                let text = padding + "@misc{k,\n note = " + open + value + close + ", title = {T}}\n"
                var scanner = BibTeXScanner(
                    reader: ByteReader(bytes: Array(text.utf8), fileName: "t.bib"), options: ReaderOptions())
                guard case .entry(let entry) = scanner.nextBlock() else {
                    Issue.record("no entry at shift \(shift)")
                    continue
                }
                #expect(entry.fields.count == 2)
                guard entry.fields.count == 2, let bytes = entry.fields[0].first.textBytes,
                    let title = entry.fields[1].first.textBytes
                else { continue }
                #expect(bytes == Array(value.utf8), "shift \(shift), long \(long)")
                #expect(title == Array("T".utf8))
            }
        }
    }
}
