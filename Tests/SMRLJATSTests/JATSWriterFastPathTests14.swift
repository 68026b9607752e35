import SMRLCore
@testable import SMRLJATS
import SMRLFormats
import SMRLTestSupport
import SMRLXML
import Testing
import Foundation

/// The JATS writer's byte paths of session 14 against what they replaced: plain rich text written without
/// tokenizing, pages split on bytes, `xml:lang` checked on bytes, the core's `memchr` searches (`<` that may start a
/// tag, a needle in bytes, a line feed in a long text) and library tags made from one literal. Hand-made hard cases
/// (non-ASCII, combining marks after the tested characters, CR LF, control characters, empty values) and every
/// value of the corpus's records.
@Suite("JATS writer: session 14 fast paths against their references")
struct JATSWriterFastPathTests14 {
    /// Writes `body` inside `<x>` with a fresh writer and returns the bytes and the removed-character count.
    static func written(_ body: (JATSMarkup) throws -> Void) throws -> ([UInt8], Int) {
        let sink = OutputSink.inMemory()
        let writer = try XMLStreamWriter(sink: sink, indent: true)
        try writer.startElement("x")
        try body(JATSMarkup(xml: writer))
        try writer.endDocument()
        try sink.flush()
        return (sink.memory, writer.removedCharacters)
    }

    static let hardValues: [String] = [
        "", " ", "a", "12", "12-19", "12–19", "-", "--", "12-", "-19", "1-2-3", "12-19, 25", "12,19", "12 19", " 12-19 ",
        "e0123", "S12-S19", "12\r\n-19", "12-\r\n19", "\r\n", "12-19\r\n", "12-\u{301}19", "12\u{301}-19", "12-19\u{301}",
        ",\u{301}12", "DOİ", "do\u{130}x", "doi\u{301}", "xDoI:10.1/x", "ＤＯＩ", "a\r\nb", "a\nb", "\r", "12 \u{301}19", "12,\u{301}19", "iv-xii", "ix", "p < 0.05", "<i>x</i>", "a <b>bold</b> move",
        "<i>open", "close</i>", "<", "<<i>i</i>", "x<", "<sc>Sc</sc> and <sup>2</sup>", "<span class=\"nocase\">DNA</span>",
        "tab\there", "\u{1}\u{FFFE}", "Zoë & Chloë", "日本語", "🧬", "en", "en-GB", "x:y", "fr_FR.utf8", "de DE", "é",
        "1a", "ängstrom", "ǅ", "Ⅻ", "٣", "en\u{301}", "&amp;", "line\nbreak", "para one\n\npara two", String(repeating: "long < text ", count: 300),
    ]

    /// Every value of the corpus's records that the writer passes through these paths.
    static let corpusValues: [String] = {
        guard TestCorpus.isAvailable else { return [] }
        let pipeline = ConversionPipeline(registry: .builtIn)
        let files = TestCorpus.files(in: "ris", extensions: ["ris", "txt", "nbib", "medline", "ciw"])
            + TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
            + TestCorpus.files(in: "csljson", extensions: ["json"])
            + TestCorpus.files(in: "jats", extensions: ["xml", "nxml"])
        var values: [String] = []
        for url in files {
            guard let (input, format) = try? pipeline.open(url.path, format: nil), let format,
                let makeReader = format.makeReader
            else { continue }
            var reader = makeReader(input, ReaderOptions())
            while let result = try? reader.next() {
                guard let record = result.record else { continue }
                values += [
                    record.title, record.subtitle, record.containerTitle, record.abstract, record.description,
                    record.pages, record.language, record.note, record.publisher, record.volume,
                ].compactMap { $0 }
                values += record.keywords
                values += record.authors.compactMap(\.family)
            }
        }
        return values
    }()

    static func check(_ values: [String]) throws {
        for value in values {
            let label = "\(value.unicodeScalars.map { $0.value })"
            let pages = try written { try JATSPages.write(value, markup: $0) }
            let pagesSlowly = try written { try JATSPages.writeSlowly(value, markup: $0) }
            #expect(pages.0 == pagesSlowly.0, "pages \(label)")
            #expect(pages.1 == pagesSlowly.1)
            let rich = try written { try $0.richContent(value) }
            let tokens = try written { try $0.richContentFromTokens(value) }
            #expect(rich.0 == tokens.0, "rich \(label)")
            #expect(rich.1 == tokens.1)
            #expect(JATSArticleWriter.isNMToken(value) == JATSArticleWriter.isNMTokenSlowly(value), "NMTOKEN \(label)")
            #expect(RichText.mayHoldTag(value) == RichText.mayHoldTagSlowly(value), "tag \(label)")
            #expect(value.containsByte(0x0A) == value.utf8.contains(0x0A), "LF \(label)")
            #expect(JATSWriter.holdsNoCase(value) == JATSWriter.holdsNoCaseSlowly(value), "nocase \(label)")
            // The note's byte tests before its String searches.
            #expect((value.containsByte(0x0A) && value.contains("\n")) == value.contains("\n"), "note LF \(label)")
            #expect((value.containsASCIICaseInsensitive("doi") && value.lowercased().contains("doi")) == value.lowercased().contains("doi"),
                "note doi \(label)")
        }
    }

    @Test func handMadeValuesGiveWhatTheReferencesGive() throws {
        try Self.check(Self.hardValues)
        // The paths were taken, so the tests above compared something.
        #expect(RichText.mayHoldTag("a <i>b</i>") && !RichText.mayHoldTag("p < 0.05") && !RichText.mayHoldTag("x<"))
        #expect(JATSArticleWriter.isNMToken("en-GB") && !JATSArticleWriter.isNMToken("de DE") && JATSArticleWriter.isNMToken("é"))
        let split = try Self.written { try JATSPages.write("12-19", markup: $0) }
        #expect(String(decoding: split.0, as: UTF8.self).contains("<fpage>12</fpage>"))
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled))
    func corpusValuesGiveWhatTheReferencesGive() throws {
        #expect(Self.corpusValues.count > 5000)
        try Self.check(Self.corpusValues)
    }

    /// `containsBytes` finds what the byte loop found: needles at the start, the end, overlapping partial matches,
    /// longer than the bytes, one byte, empty.
    @Test func containsBytesAnswersWhatTheByteLoopAnswered() {
        let needles: [[UInt8]] = [[], [0x3C], Array("<span class=\"nocase\">".utf8), Array("aab".utf8), Array("ab".utf8), [0xC3, 0xA9]]
        var haystacks: [[UInt8]] = [[], [0x3C], Array("aaab".utf8), Array("aab".utf8), Array("a".utf8), Array("xab".utf8)]
        haystacks += Self.hardValues.map { Array($0.utf8) }
        haystacks += ["x<span class=\"nocase\">y", "<span class=\"nocase\"", "<span class=\"nocase\">"].map { Array($0.utf8) }
        var found = 0
        for haystack in haystacks {
            for needle in needles {
                haystack.withUnsafeBufferPointer { bytes in
                    let fast = bytes.containsBytes(needle)
                    #expect(fast == bytes.containsBytesSlowly(needle), "\(haystack) \(needle)")
                    if fast { found += 1 }
                }
            }
        }
        #expect(found > haystacks.count)
    }

    @Test func libraryTagsAreThePrefixFieldAndValue() {
        for field in LibraryTags.Field.allCases {
            for value in ["", "x", "peer-reviewed-article", "é"] {
                #expect(LibraryTags.tag(field, value) == LibraryTags.prefix + field.rawValue + ":" + value)
            }
        }
    }

    /// Text nodes are made into Strings by the core's UTF-8 maker instead of `String(cString:)`: the texts read
    /// must be the document's (ASCII, two-, three- and four-byte characters, long runs, CDATA, entities, line
    /// breaks normalised by the parser, indentation).
    @Test func textNodesReadAsWritten() {
        let long = String(repeating: "Zoë 日本 🧬 & plain ascii text; ", count: 200)
        let texts = ["plain", "é", "日本語のタイトル", "emoji 🧬 and 𝔘", "a\u{0301}b", long, "  \n    ", "x"]
        var xml = "<root>\n"
        for text in texts {
            let escaped = text.replacingOccurrences(of: "&", with: "&amp;")
            xml += "  <t>\(escaped)</t>\n"
        }
        xml += "  <t><![CDATA[A & B é]]> &amp; &#xE9;\r\nend</t>\n</root>\n"
        let reader = XMLStreamReader(ByteReader(text: xml, fileName: "test.xml"))
        var read: [String] = []
        while let tag = reader.nextStartTag() {
            if tag.name == "t", let element = reader.readElement() { read.append(element.textContent) }
        }
        #expect(reader.takeDiagnostics().isEmpty)
        #expect(read == texts + ["A & B é & é\nend"])
    }

    /// The library annotation written from the tags' parts against the annotation of ``LibraryTags/tags(for:)``.
    @Test func libraryAnnotationIsTheTagsAsParagraphs() throws {
        var records: [Resource] = [Resource(id: "none", type: .book)]
        var full = Resource(id: "full", type: .articleJournal)
        full.resourceType = "peer-reviewed-article"
        full.domains = ["community-engagement", "", "é & <x>"]
        full.topics = ["specialty-choice"]
        full.professions = ["pharmacy", "nursing"]
        full.openAccess = false
        records.append(full)
        var open = Resource(id: "open", type: .book)
        open.openAccess = true
        records.append(open)
        var topicsOnly = Resource(id: "topics", type: .book)
        topicsOnly.topics = ["a", "b\u{1}"]
        records.append(topicsOnly)
        for record in records {
            let new = try Self.written { markup in
                let wrote = try JATSCitationWriter.writeLibraryAnnotation(record, xml: markup.xml)
                #expect(wrote == !LibraryTags.tags(for: record).isEmpty)
            }
            let old = try Self.written { markup in
                let tags = LibraryTags.tags(for: record)
                guard !tags.isEmpty else { return }
                try markup.xml.startElement("annotation")
                try markup.xml.attribute("content-type", JATSExtension.libraryAnnotation)
                for tag in tags { try markup.plain("p", tag) }
                try markup.xml.endElement()
            }
            #expect(new.0 == old.0, "\(record.id ?? "")")
            #expect(new.1 == old.1)
        }
    }

    /// Four-digit years are the number itself; the rest padded as before.
    @Test func yearStringIsTheYearPaddedToFourDigits() {
        for year in [-12345, -1000, -999, -1, 0, 1, 9, 10, 99, 100, 999, 1000, 1999, 2024, 9999, 10000, 123456] {
            let text = String(abs(year))
            let padded = String(repeating: "0", count: max(0, 4 - text.count)) + text
            #expect(EDTFDate.Point(year: year).yearString == padded, "\(year)")
        }
    }

    /// An element is now made once, after its children: what it holds and what is reported must not change, the
    /// text-too-large error naming the element with its prefix, after an attribute's entity warning.
    @Test func elementsAreMadeWithTheirFieldsAndReportsInOrder() {
        var options = XMLReaderOptions()
        options.maxElementText = 8
        let xml = """
            <root xmlns:mml="http://www.w3.org/1998/Math/MathML">
              <mml:math display="block" xml:lang="en"><mml:mi>x</mml:mi> is longer than eight bytes</mml:math>
              <t a="1">also longer than eight</t>
            </root>
            """
        let reader = XMLStreamReader(ByteReader(text: xml, fileName: "test.xml"), options: options)
        var elements: [XMLElementNode] = []
        while let tag = reader.nextStartTag() {
            if tag.name == "math" || tag.name == "t", let element = reader.readElement() { elements.append(element) }
        }
        let messages = reader.takeDiagnostics().map(\.message)
        #expect(elements.count == 2)
        #expect(elements.first?.qualifiedName == "mml:math")
        #expect(elements.first?.namespaceURI == "http://www.w3.org/1998/Math/MathML")
        #expect(elements.first?.attribute("display") == "block")
        #expect(elements.first?.line == 2 && elements.first?.column == 3)
        #expect(elements.first?.element("mi")?.textContent == "x")
        #expect(elements.last?.attribute("a") == "1" && elements.last?.line == 3)
        #expect(messages == [
            "the <mml:math> element holds more than 8 bytes of text; the rest was dropped",
            "the <t> element holds more than 8 bytes of text; the rest was dropped",
        ])
    }
}
