import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 9's fast paths against their references: the scanner's values with braces counted inside a run (against
/// ``BibTeXScanner``'s `readDelimitedSlowly`), the field-name key packed by one copy (against `packSlowly`), and the
/// decoder's own output buffer.
@Suite struct BibTeXFastPathTests9 {
    /// Everything the scanner hands out for `bytes`, block by block (fields, parts, strings or bytes, locations,
    /// diagnostics with their messages and locations), and where it stopped.
    static func scan(_ bytes: [UInt8], options: ReaderOptions = ReaderOptions(), reference: Bool) -> [String] {
        var scanner = BibTeXScanner(
            reader: ByteReader(bytes: bytes, fileName: "t.bib"), options: options, referenceValues: reference)
        var blocks: [String] = []
        while let block = scanner.nextBlock() {
            blocks.append(String(reflecting: block))
        }
        blocks.append("end at \(scanner.line):\(scanner.column)")
        return blocks
    }

    static func compare(_ bytes: [UInt8], options: ReaderOptions = ReaderOptions(),
        sourceLocation: Testing.SourceLocation = #_sourceLocation)
    {
        let fast = scan(bytes, options: options, reference: false)
        let slow = scan(bytes, options: options, reference: true)
        #expect(fast.count == slow.count, sourceLocation: sourceLocation)
        for (index, (a, b)) in zip(fast, slow).enumerated() where a != b {
            Issue.record("block \(index) differs:\n\(a)\n\(b)", sourceLocation: sourceLocation)
            return
        }
    }

    @Test(arguments: [
        "@article{k, title = {A {Nested {Deep}} Title}, note = \"in {\"quotes\"} here\"}\n",
        "@article{k, title = {}, note = \"\", x = {{}}, y = \"{}\"}\n",
        "@article{k,\n  title = {Line one {with\n  braces} across\n  lines},\n  author = {M{\\\"u}ller, J{\\'e}r{\\^o}me}\n}\n",
        "@article{k,\r\n  title = {CRLF {braces}\r\n  here},\r\n}\r\n",
        "@article{k,\r  title = {CR {only}\r  lines}\r}\r",
        "\u{FEFF}@article{k, title = {BOM {first}}}\n",
        "@article{k, title = {Caf\u{E9} {\u{65E5}\u{672C}} na\u{EF}ve}, note = {\u{1F389}{x}}}\n",
        "@article{k, title = \"unbalanced } brace\"}\n@misc{b, title = {ok}}\n",
        "@article{k, title = \"closing {inner} then } extra\"}\n",
        "@article{k, title = {never closed {inner}\n@misc{b, title = {next}}\n",
        "@article{k, title = {never closed\n  @book{b, title = {next}}\n",
        "@article{k, title = {open {{{{ at the end",
        "@article{k, title = \"open quote {with} braces",
        "@article{k, title = {a}{b}, note = {c} # {d} # \"e\"}\n",
        "@string{s = {A {braced} macro}}\n@article{k, title = s # { and {more}}}\n",
        "@article(k, title = {parenthesised {entry}})\n",
        "@article{k, title = {tab\t{and}\tspace  {runs}     here}}\n",
        "@article{k, title = {eight888{12345678}abcdefgh{x}ijklmnop}}\n",
    ])
    func valuesReadAsTheReference(source: String) {
        Self.compare(Array(source.utf8))
    }

    /// Nesting at and past the limit: the error at the same brace, the record cut at the same place.
    @Test func nestingLimit() {
        for depth in [1, 2, 3, 4, 6] {
            var options = ReaderOptions()
            options.maxDepth = depth
            for nesting in 1...7 {
                let inner = String(repeating: "{", count: nesting) + "x" + String(repeating: "}", count: nesting)
                Self.compare(Array("@article{k, title = {a \(inner) b}}\n@misc{m, title = {ok}}\n".utf8),
                    options: options)
                Self.compare(Array("@article{k, title = \"a \(inner) b\"}\n@misc{m, title = {ok}}\n".utf8),
                    options: options)
            }
        }
    }

    /// The record size limit met inside a value with braces.
    @Test func recordSizeLimit() {
        var options = ReaderOptions()
        options.maxRecordBytes = 1024
        let long = String(repeating: "word {b} ", count: 300)
        Self.compare(Array("@article{k, title = {\(long)}}\n@misc{m, title = {ok}}\n".utf8), options: options)
        Self.compare(Array("@article{k, title = \"\(long)\"}\n@misc{m, title = {ok}}\n".utf8), options: options)
    }

    /// Values longer than the scanner's 64 KiB chunk, so that a refill moves part of them out of the buffer in the
    /// middle of a run of braces.
    @Test func valuesAcrossRefills() {
        var text = "@article{k, title = {"
        for index in 0..<12_000 { text += index % 7 == 0 ? "{\\'e}\n" : "ab{c}d " }
        text += "}, note = \""
        for index in 0..<12_000 { text += index % 5 == 0 ? "{q}\r\n" : "\u{E9}{x} " }
        text += "\"}\n@misc{m, title = {ok}}\n"
        Self.compare(Array(text.utf8))
    }

    /// Every BibTeX file of the corpus scans the same.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusScansAsTheReference() throws {
        let files = TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
        #expect(!files.isEmpty)
        for url in files {
            let bytes = Array(try Data(contentsOf: url))
            let fast = Self.scan(bytes, reference: false)
            let slow = Self.scan(bytes, reference: true)
            #expect(fast == slow, "\(url.lastPathComponent)")
        }
    }

    /// The key of every field name, and of other byte strings up to 24 bytes, is the reference's.
    @Test func packedKeys() {
        var names = BibField.allCases.map { Array($0.name.utf8) }
        var generator = SystemRandomNumberGenerator()
        for length in 0...24 {
            for _ in 0..<20 { names.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        }
        for name in names {
            name.withUnsafeBufferPointer { bytes in
                #expect(BibFieldTable.pack(bytes) == BibFieldTable.packSlowly(bytes), "\(name)")
            }
        }
        for field in BibField.allCases {
            var name = field.name
            #expect(name.withUTF8 { BibField(bytes: $0) } == field)
            #expect(BibField(name: field.name.uppercased()) == nil)
        }
    }

    /// The decoder's output buffer: appends past its capacity, suffix tests and removals.
    @Test func outputBuffer() {
        var output = LaTeXOutput(capacity: 1)
        var expected: [UInt8] = []
        for index in 0..<200 {
            output.append(UInt8(index & 0x7F))
            expected.append(UInt8(index & 0x7F))
            let text = index % 3 == 0 ? "<span class=\"nocase\">" : "\u{E9}\u{2013}"
            output.append(text)
            expected += Array(text.utf8)
            let bytes = Array(repeating: UInt8(ascii: "z"), count: index % 40)
            bytes.withUnsafeBufferPointer { output.append($0) }
            expected += bytes
        }
        // (The values are read first: `#expect` would copy the output, which cannot be copied.)
        let (whole, endsInZ, endsInY) = (output.array, output.hasSuffix("zzz"), output.hasSuffix("zzy"))
        #expect(whole == expected)
        #expect(endsInZ)
        #expect(!endsInY)
        output.append("<i>")
        let endsInTag = output.hasSuffix("<i>")
        #expect(endsInTag)
        output.removeLast(3)
        let (afterRemoval, last) = (output.array, output.last)
        #expect(afterRemoval == expected)
        #expect(last == expected.last)
        output.removeLast(output.count + 5)
        let emptied = output.count == 0 && output.last == nil && !output.hasSuffix("a") && output.hasSuffix("")
        #expect(emptied)
    }
}

/// The constant table of letters composed with marks against Foundation's normalisation.
@Suite struct BibTeXComposedLetterTableTests9 {
    @Test func tableMatchesTheNormalisation() {
        #expect(LaTeXTables.composedLetterTable.count == LaTeXTables.composedLetterMarks.count * 52)
        for mark in Set(LaTeXTables.accents.values) {
            #expect(LaTeXTables.composedLetterMarks.contains(mark.value), "U+\(String(mark.value, radix: 16))")
        }
        for value in LaTeXTables.composedLetterMarks {
            guard let mark = Unicode.Scalar(value) else {
                Issue.record("not a scalar: \(value)")
                continue
            }
            let slowly = LaTeXDecoder.lettersComposedSlowly(with: mark)
            guard let table = LaTeXDecoder.composedLetters(for: mark) else {
                Issue.record("no table for U+\(String(value, radix: 16))")
                continue
            }
            #expect(table.strings == slowly.strings, "U+\(String(value, radix: 16))")
            #expect(table.packed == slowly.packed, "U+\(String(value, radix: 16))")
        }
    }
}

/// The word split of names with its fast path for ordinary bytes against the split as it was.
@Suite struct BibTeXNameWordsTests9 {
    /// The word split before session 9 (every byte through every test): the reference.
    static func splitWordsSlowly(_ bytes: [UInt8], tilde: Bool) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var depth = 0
        var start: Int?
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, !BibTeXScanner.isSpace(bytes[index + 1]) {
                if start == nil { start = index }
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            let isSeparator = depth == 0 && (BibTeXScanner.isSpace(byte) || (tilde && byte == UInt8(ascii: "~")))
            if isSeparator {
                if let begin = start { words.append(begin..<index) }
                start = nil
            } else if start == nil {
                start = index
            }
            index += 1
        }
        if let begin = start { words.append(begin..<bytes.count) }
        return words
    }

    static func check(_ text: String) {
        var bytes = Array(text.utf8)
        for tilde in [false, true] {
            #expect(BibTeXNames.splitWords(bytes[...], tilde: tilde) == splitWordsSlowly(bytes, tilde: tilde), "\(text)")
        }
        // Every control byte and every ASCII byte between two words.
        for byte in UInt8(0)..<0x80 {
            bytes = Array("ab".utf8) + [byte] + Array("c d".utf8)
            for tilde in [false, true] {
                #expect(BibTeXNames.splitWords(bytes[...], tilde: tilde) == splitWordsSlowly(bytes, tilde: tilde))
            }
        }
    }

    @Test(arguments: [
        "", " ", "Smith, John", "van der Berg, Jan and M{\\\"u}ller, Anna", "Garc{\\'{\\i}}a M{\\'a}rquez",
        "D.~E. Knuth", "{Barnes and Noble, Inc.}", "a\tb\nc\rd\u{0B}e\u{0C}f", "\\ x", "x\\", "}{a b}}c {d",
        "Jos\u{E9} \u{C1}lvarez and \u{5F20}\u{4F1F}", "a~~b ~ c", "\\~n o\\ p",
    ])
    func wordsAsTheReference(text: String) {
        Self.check(text)
    }

    /// The raw `author` and `editor` values of every corpus file, and their comma parts.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusNamesSplitAsTheReference() throws {
        var count = 0
        for url in TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"]) {
            var scanner = BibTeXScanner(
                reader: ByteReader(bytes: Array(try Data(contentsOf: url)), fileName: "t.bib"), options: ReaderOptions())
            while let block = scanner.nextBlock() {
                guard case .entry(let entry) = block else { continue }
                for field in entry.fields where ["author", "editor"].contains(field.name.lowercased()) {
                    guard let bytes = field.first.textBytes else { continue }
                    var pieces = [bytes]
                    pieces += bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { Array($0) }
                    for piece in pieces {
                        for tilde in [false, true] {
                            #expect(BibTeXNames.splitWords(piece[...], tilde: tilde)
                                == Self.splitWordsSlowly(piece, tilde: tilde))
                        }
                    }
                    count += 1
                }
            }
        }
        #expect(count > 100)
    }
}
