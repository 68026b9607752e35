import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 10's fast paths against their references: the decoder's output on the stack (against the same decoding
/// into the heap), the list split in place (against ``BibTeXFastPathTests/referenceSplitList(_:)``), and the
/// reader's shortcuts for entries that name no parent (against whole readings with parents, children and cases).
@Suite struct BibTeXFastPathTests10 {
    /// `text` decoded with its output on the stack and in the heap, in both modes, with and without paragraphs.
    static func checkDecoding(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        var text = text
        text.withUTF8 { bytes in
            for mode in [LaTeXDecoder.Mode.plain, .rich] {
                for paragraphs in [false, true] {
                    let stack = LaTeXDecoder.decodeNonPlain(buffer: bytes, mode: mode, paragraphs: paragraphs,
                        stackLimit: Int.max)
                    let heap = LaTeXDecoder.decodeNonPlain(buffer: bytes, mode: mode, paragraphs: paragraphs,
                        stackLimit: -1)
                    let usual = LaTeXDecoder.decodeNonPlain(buffer: bytes, mode: mode, paragraphs: paragraphs)
                    #expect(stack == heap && usual == heap,
                        "\(mode) \(paragraphs): \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// Values whose output outgrows the 512 bytes on the stack (rich spans, three-byte dashes and symbols), at and
    /// around the length where the stack is no longer tried, and the usual hard cases.
    @Test func decodingOnTheStackAsInTheHeap() {
        var values = [
            "", " ", "{", "}", "\\", "$", "a\\", "{\\\"o}", "\\'{e}", "{\\'{\\i}}", "\\v{S}imi{\\'c}", "$\\alpha$ and $x",
            "{von} Last", "A {and} B", "\\emph{x} {\\bf y} \\textbf{z}", "{\\em a {b} c}", "\\url{http://x/%20}",
            "a\r\nb\r\n\r\nc", "caf\u{E9} \u{65E5}\u{672C} na\u{EF}ve \u{1F389}", "\u{00A0}x\u{00A0}", "x~y--z---w",
            "\\unknown{a}[b]{c}", "\\begin{it}x\\end{it}", "{\\char\"41}", "\\ElsevierGlyph{2192}", "``q'' `p'",
            String(repeating: "{a}", count: 128), String(repeating: "{\\'e}", count: 60),
            String(repeating: "~", count: 300), String(repeating: "---", count: 128),
            String(repeating: "{Word} ", count: 54), String(repeating: "x{y}", count: 96),
        ]
        for length in [382, 383, 384, 385, 386, 511, 512, 513] {
            values.append(String(repeating: "{a}", count: length / 3) + String(repeating: "b", count: length % 3))
            values.append(String(repeating: "\\'e ", count: length / 4) + String(repeating: "~", count: length % 4))
        }
        for value in values { Self.checkDecoding(value) }
    }

    /// Every value of every corpus file decoded on the stack and in the heap.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusDecodesOnTheStackAsInTheHeap() throws {
        let values = try BibTeXTest.corpusValueParts()
        for bytes in values { Self.checkDecoding(String(decoding: bytes, as: UTF8.self)) }
        #expect(values.count > 1000)
    }

    /// The output in lent memory: appends past it (into the heap), suffix tests and removals, as the heap output.
    @Test func lentOutputBuffer() {
        for size in [0, 1, 7, 16, 64] {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { memory in
                var output = LaTeXOutput(lent: memory)
                var heap = LaTeXOutput(capacity: 1)
                for index in 0..<150 {
                    let byte = UInt8(index & 0x7F)
                    output.append(byte)
                    heap.append(byte)
                    let text = index % 3 == 0 ? "<span class=\"nocase\">" : "\u{E9}\u{2013}"
                    output.append(text)
                    heap.append(text)
                    let bytes = Array(repeating: UInt8(ascii: "z"), count: index % 40)
                    bytes.withUnsafeBufferPointer { output.append($0) }
                    bytes.withUnsafeBufferPointer { heap.append($0) }
                    if index % 7 == 0 {
                        output.removeLast(index % 5)
                        heap.removeLast(index % 5)
                    }
                    let (lent, own) = (output.array, heap.array)
                    #expect(lent == own, "size \(size), step \(index)")
                }
                let (text, heapText, suffix, heapSuffix) = (output.text, heap.text, output.hasSuffix("zz"),
                    heap.hasSuffix("zz"))
                #expect(text == heapText && suffix == heapSuffix)
                output.removeLast(output.count + 3)
                let emptied = output.count == 0 && output.last == nil && output.text.isEmpty
                #expect(emptied)
            }
        }
    }

    /// Keyword lists split in place as the reference splits them: non-ASCII and white-space ends (before and after
    /// the trim), braces, separators inside braces, backslashes, CR LF, empty items, unbalanced braces.
    @Test(arguments: [
        "", " ", "\t\r\n", ";", ",", " ; , ", "a", "a; b, c", "a, b", " a , b ", "{a; b}; c", "{a, b}, c", "{{a; b; c}}",
        " {{a; b; c}} ", "{{a, b, c}}", "{a; b", "a}; b", "}{", "{", "}", "\\", "a\\", "a\\; b; c", "a\\, b, c",
        "\\{a, b\\}", "é, b", "a, é", " é ; b ", "\u{00A0}a, b", "a, b\u{00A0}", " \u{00A0}a; b", "a; b \u{00A0} ",
        "x\u{0301}, y", " \u{0301}x, y", "a\r\n, b\r\n", "\r\n{a; b}\r\n", "a;;b;", ";a", "{ }; {}; { a }",
        "caf\u{E9}; na\u{EF}ve; \u{65E5}\u{672C}", "smrl:domain:x; Medical education", "{Diversity, inclusion \\& belonging}",
        "\u{FEFF}a, b", "a, \u{FEFF}", "{\u{E9}}, {x}", "a\u{2028}, b",
    ])
    func listsSplitAsTheReference(value: String) {
        #expect(BibTeXMapping.splitList(value) == BibTeXFastPathTests.referenceSplitList(value))
    }

    /// Entries with and without parents, keys in any case, children before and after their parents, duplicate
    /// keys, a missing parent, a self-reference: the order, inheritance and warnings the reader gave before its
    /// shortcuts for entries that name no parent and for no child waiting.
    @Test func entriesWithoutParentsReadAsBefore() {
        let source = """
            @book{Parent, title = {The Book}, publisher = {P}, year = 2001}
            @inbook{child1, crossref = {parent}, title = {Chapter}, pages = {1--2}}
            @inbook{Child2, crossref = {LATER}, title = {Early child}}
            @article{plain, author = {A, B}, title = {T}}
            @article{PLAIN, title = {Duplicate key in capitals}}
            @book{later, title = {Later Book}, year = 1999}
            @xdata{shared, publisher = {Shared Press}}
            @book{withxdata, xdata = {SHARED}, title = {X}}
            @inbook{missing, crossref = {nowhere}, title = {M}}
            @inbook{self, crossref = {SELF}, title = {S}}
            """
        let results = BibTeXTest.read(source)
        let records = results.compactMap(\.record)
        // (`self` names itself: no parent to wait for. `missing` waits for one until the input ends.)
        #expect(records.map(\.id) == ["Parent", "child1", "plain", "PLAIN", "later", "Child2", "withxdata", "self", "missing"])
        #expect(records.first { $0.id == "child1" }?.containerTitle == "The Book")
        #expect(records.first { $0.id == "child1" }?.publisher == "P")
        #expect(records.first { $0.id == "Child2" }?.containerTitle == "Later Book")
        #expect(records.first { $0.id == "withxdata" }?.publisher == "Shared Press")
        let codes = BibTeXTest.codes(results)
        #expect(codes.contains("bibtex.duplicate-key"))
        #expect(codes.contains("bibtex.crossref-missing"))
        #expect(codes.contains("bibtex.crossref-cycle"))
    }
}
