import Foundation
import SMRLCore
@testable import SMRLJATS
import SMRLFormats
import SMRLTestSupport
import SMRLXML
import Testing

/// The XML writer makes its bytes itself; libxml2's `xmlTextWriter`, which it replaced, is kept as the reference
/// engine. Both must write the same bytes and count the same removed characters, for hand-made hard cases (control
/// characters, U+FFFE/U+FFFF, `]]>`, quotes and line breaks in attributes, non-ASCII, empty elements, mixed
/// content), for random call sequences, and for the JATS writer on every record the corpus gives.
@Suite("XML writer: smrl's bytes against libxml2's")
struct XMLStreamWriterEngineTests {
    /// Runs `calls` on a writer of each engine; the bytes and the removed-character counts.
    static func both(
        indent: Bool, _ calls: (XMLStreamWriter) throws -> Void
    ) throws -> (bytes: [UInt8], reference: [UInt8], removed: Int, referenceRemoved: Int) {
        func run(_ engine: XMLStreamWriter.Engine) throws -> ([UInt8], Int) {
            let sink = OutputSink.inMemory()
            let writer = try XMLStreamWriter(sink: sink, indent: indent, engine: engine)
            try calls(writer)
            try writer.flush()
            try sink.flush()
            return (sink.memory, writer.removedCharacters)
        }
        let (bytes, removed) = try run(.bytes)
        let (reference, referenceRemoved) = try run(.libxml2)
        return (bytes, reference, removed, referenceRemoved)
    }

    /// Texts that need escaping or removal, or look as if they might.
    static let hardTexts: [String] = [
        "", "plain", "a & b", "<tag>", "x > y", "say \"hi\"", "it's", "]]>", "a]]>b]]", "&amp;", "&#13;",
        "line\nbreak", "cr\rlf\r\n", "tab\there", "\u{0}\u{1}\u{8}\u{B}\u{C}\u{E}\u{1F}", "\u{1}", "\u{7F}\u{80}\u{9F}",
        "\u{FFFE}", "\u{FFFF}", "a\u{FFFE}b\u{FFFF}c", "\u{FFFD}\u{FFFC}\u{EFFF}\u{F000}\u{FEFF}", "\u{EFBF}",
        "Ngũgĩ wa Thiong'o", "日本語のタイトル", "emoji 🧬 and 𝔘", "Zoë & Chloë <3", "\u{2028}\u{2029}\u{85}",
        "  spaces  ", "&", "<", ">", "\"", "'", "\r", "\n", "\t", "x\u{FFFF}", "\u{FFFF}x",
        String(repeating: "long text & more <b> ", count: 400),
    ]

    @Test(arguments: [true, false])
    func handMadeDocumentsAreByteIdentical(indent: Bool) throws {
        let result = try Self.both(indent: indent) { writer in
            try writer.startDocument()
            try writer.docType(name: "article", publicID: "-//NLM//DTD JATS (Z39.96) v1.3//EN", systemID: "JATS.dtd")
            try writer.startElement("article")
            try writer.attribute("xmlns:xlink", "http://www.w3.org/1999/xlink")
            for (index, text) in Self.hardTexts.enumerated() {
                try writer.attribute("a\(index)", text)
            }
            try writer.startElement("front")
            try writer.emptyElement("empty")
            try writer.emptyElement("empty-with-attributes", attributes: [("x", "1 & 2"), ("y", "")])
            try writer.startElement("closed-empty")
            try writer.endElement()
            try writer.startElement("closed-empty-with-attribute")
            try writer.attribute("z", "\"q\"")
            try writer.endElement()
            try writer.startElement("ended-empty")
            try writer.endEmptyElement()
            try writer.startElement("removed-only-text")
            try writer.text("\u{1}\u{FFFE}")
            try writer.endEmptyElement()
            try writer.startElement("title-group")
            try writer.startElement("article-title", mixed: true)
            try writer.text("CO")
            try writer.element("sub", text: "2")
            try writer.text(" and ")
            try writer.startElement("italic")
            try writer.text("S. aureus & ")
            try writer.element("bold", text: "<x>")
            try writer.endElement()
            try writer.emptyElement("break")
            try writer.text(" end\u{0}")
            try writer.endElement()
            try writer.endElement()
            for text in Self.hardTexts {
                try writer.element("p", text: text, attributes: [("content-type", text)])
            }
            try writer.startElement("deep")
            try writer.startElement("deeper")
            try writer.startElement("deepest")
            try writer.text("x")
            // endDocument closes them.
        }
        #expect(result.bytes == result.reference, "\(String(decoding: result.bytes, as: UTF8.self))")
        #expect(result.removed == result.referenceRemoved)
        #expect(result.removed > 20)
    }

    @Test func doctypeWithoutPublicIDAndFlushesAreByteIdentical() throws {
        let result = try Self.both(indent: true) { writer in
            try writer.startDocument()
            try writer.docType(name: "doc", publicID: nil, systemID: "doc.dtd")
            try writer.startElement("doc")
            try writer.flush()
            try writer.startElement("a")
            try writer.flush()
            try writer.text("b")
            try writer.flush()
            try writer.endElement()
            try writer.endDocument()
        }
        #expect(result.bytes == result.reference)
        #expect(String(decoding: result.bytes, as: UTF8.self)
            == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE doc SYSTEM \"doc.dtd\">\n<doc>\n  <a>b\n  </a>\n</doc>\n")
    }

    @Test("text from a literal writes what text from a String writes, on both engines")
    func literalText() throws {
        func document(_ write: (XMLStreamWriter) throws -> Void) throws -> (bytes: [UInt8], reference: [UInt8], removed: Int) {
            let result = try Self.both(indent: true) { writer in
                try writer.startElement("doc")
                try writer.startElement("p", mixed: true)
                try write(writer)
                try writer.endElement()
                try writer.startElement("empty")
                try write(writer)
                try writer.endEmptyElement()
                try writer.endDocument()
            }
            #expect(result.bytes == result.reference)
            #expect(result.removed == result.referenceRemoved)
            return (result.bytes, result.reference, result.removed)
        }
        let literal = try document { writer in
            // Typed as literals: a plain literal would pick the String overload.
            try writer.text("smrl:resource-type:" as StaticString)
            try writer.text("a & <b> \"c\"\u{1}\n" as StaticString)
            try writer.text("" as StaticString)
            try writer.text("é" as StaticString)
        }
        let string = try document { writer in
            for text in ["smrl:resource-type:", "a & <b> \"c\"\u{1}\n", "", "é"] { try writer.text(text) }
        }
        #expect(literal.bytes == string.bytes)
        #expect(literal.removed == string.removed && literal.removed == 2)
        #expect(String(decoding: literal.bytes, as: UTF8.self).contains("smrl:resource-type:a &amp; &lt;b&gt;"))
        // An empty literal adds no content: the element stays empty.
        let empty = try document { writer in try writer.text("" as StaticString) }
        #expect(String(decoding: empty.bytes, as: UTF8.self).contains("<empty/>"))
        // Outside an element, a literal is misuse like a String.
        let sink = OutputSink.inMemory()
        let writer = try XMLStreamWriter(sink: sink, indent: false, engine: .bytes)
        #expect(throws: (any Error).self) { try writer.text("x" as StaticString) }
    }

    /// Random nestings of elements, attributes, text and empty elements, mixed and not, pretty and not.
    @Test(arguments: 0..<40)
    func randomCallSequencesAreByteIdentical(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed))
        func below(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        let names = ["a", "b", "title", "italic", "sub", "ali:free_to_read", "x-y.z"]
        func text() -> String {
            var result = ""
            for _ in 0..<below(4) { result += Self.hardTexts[below(Self.hardTexts.count)] }
            return result
        }
        var operations: [(XMLStreamWriter) throws -> Void] = [{ try $0.startDocument() }]
        var depth = 0
        var startTagOpen = false
        for _ in 0..<200 {
            switch below(7) {
            case 0, 1:
                let name = names[below(names.count)]
                let mixed = below(4) == 0
                operations.append { try $0.startElement(name, mixed: mixed) }
                depth += 1
                startTagOpen = true
            case 2 where startTagOpen:
                let name = "at\(below(1000))"
                let value = text()
                operations.append { try $0.attribute(name, value) }
            case 3 where depth > 0:
                let value = text()
                operations.append { try $0.text(value) }
                if !value.isEmpty { startTagOpen = false }
            case 4 where depth > 0:
                let empty = below(2) == 0
                operations.append { empty ? try $0.endEmptyElement() : try $0.endElement() }
                depth -= 1
                startTagOpen = false
            case 5 where depth > 0:
                let name = names[below(names.count)]
                let value = text()
                let attributes = below(2) == 0 ? [] : [("k", text()), ("l", text())]
                if below(2) == 0 {
                    operations.append { try $0.element(name, text: value, attributes: attributes) }
                } else {
                    operations.append { try $0.emptyElement(name, attributes: attributes) }
                }
                startTagOpen = false
            case 6:
                operations.append { try $0.flush() }
            default:
                break
            }
        }
        operations.append { try $0.endDocument() }
        for indent in [true, false] {
            let result = try Self.both(indent: indent) { writer in
                for operation in operations { try operation(writer) }
            }
            #expect(result.bytes == result.reference, "seed \(seed) indent \(indent)")
            #expect(result.removed == result.referenceRemoved, "seed \(seed) indent \(indent)")
        }
    }

    @Test func misuseIsAnErrorNotBadXML() throws {
        let writer = try XMLStreamWriter(sink: OutputSink.inMemory())
        #expect(throws: XMLWriterError.self) { try writer.text("outside") }
        #expect(throws: XMLWriterError.self) { try writer.endElement() }
        try writer.startElement("a")
        try writer.text("t")
        #expect(throws: XMLWriterError.self) { try writer.attribute("late", "x") }
        #expect(throws: XMLWriterError.self) { try writer.startElement("") }
    }

    // MARK: The JATS writer

    /// Writes `records` with each engine (as a collection, and the first as an article), pretty and not.
    static func expectSameJATS(_ records: [Resource], _ label: String) throws {
        guard !records.isEmpty else { return }
        for pretty in [true, false] {
            for batch in [records, [records[0]]] {
                let written = try JATSTest.write(batch, pretty: pretty, xmlEngine: .bytes)
                let reference = try JATSTest.write(batch, pretty: pretty, xmlEngine: .libxml2)
                #expect(written.bytes == reference.bytes, "\(label): \(batch.count) records, pretty \(pretty)")
                #expect(written.losses == reference.losses)
            }
        }
    }

    @Test func richRecordsAreByteIdentical() throws {
        try Self.expectSameJATS(RichRecords.all, "rich records")
        var hard = Resource(id: "bad id with space", type: .book)
        hard.title = "Controls \u{1}\u{2} and \u{FFFE}\u{FFFF} ]]> <i>it</i> & \"q\"\r\n"
        hard.authors = [Person(family: "O'Brien \u{B}", given: "Zoë\t")]
        hard.url = "https://example.org/?a=1&b=\"2\"\n\t"
        hard.note = "\u{0}"
        hard.extra = ["ris": ["N1": ["x\u{FFFF}", ""]], "jats": ["self-uri.pdf": ["a\"b\r"]]]
        try Self.expectSameJATS([hard, hard], "hard record")
    }

    /// The loss check for case protection searches bytes first; it must answer what the character search it
    /// replaced answered, also where a combining mark or a prepended character joins the tag's ends to others.
    @Test func noCaseCheckAnswersWhatTheCharacterSearchAnswered() {
        let tag = "<span class=\"nocase\">"
        let values = [
            "", "plain", "<i>x</i>", tag, "a\(tag)b</span>", "\(tag)\u{301}x", "x\u{600}\(tag)y", "\u{600}\(tag)",
            "<span class=\"nocase\"\u{301}>", "<span class='nocase'>", "<SPAN class=\"nocase\">", "<span class=\"nocase\" >",
            "é\(tag)é</span>", "\(tag)\u{301}\(tag)", "\(tag)\u{200D}", "<span class=\"nocase\"", "\r\n\(tag)\r\n",
        ]
        for value in values {
            #expect(JATSWriter.holdsNoCase(value) == JATSWriter.holdsNoCaseSlowly(value), "\(value.unicodeScalars.map { $0.value })")
        }
    }

    /// Every record every corpus file gives (all formats the registry reads).
    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled))
    func everyCorpusRecordIsByteIdentical() throws {
        let pipeline = ConversionPipeline(registry: .builtIn)
        let files = TestCorpus.files(in: "ris", extensions: ["ris", "txt", "nbib", "medline", "ciw"])
            + TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
            + TestCorpus.files(in: "csljson", extensions: ["json"])
            + TestCorpus.files(in: "jats", extensions: ["xml", "nxml"])
        var written = 0
        for url in files {
            guard let (input, format) = try? pipeline.open(url.path, format: nil), let format,
                let makeReader = format.makeReader
            else { continue }
            var reader = makeReader(input, ReaderOptions())
            var records: [Resource] = []
            while let result = try? reader.next() {
                if let record = result.record { records.append(record) }
            }
            try Self.expectSameJATS(records, url.lastPathComponent)
            written += records.count
        }
        #expect(written > 1000)
    }
}
