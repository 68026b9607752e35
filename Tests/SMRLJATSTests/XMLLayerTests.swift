import SMRLCore
import SMRLTestSupport
import SMRLXML
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads every start tag; expands the elements named in `expand`.
private func stream(_ xml: String, expand: Set<String> = [], options: XMLReaderOptions = XMLReaderOptions())
    -> (tags: [XMLStartTag], elements: [XMLElementNode], diagnostics: [Diagnostic], failed: Bool)
{
    let reader = XMLStreamReader(ByteReader(text: xml, fileName: "test.xml"), options: options)
    var tags: [XMLStartTag] = []
    var elements: [XMLElementNode] = []
    while let tag = reader.nextStartTag() {
        tags.append(tag)
        if expand.contains(tag.name), let element = reader.readElement() { elements.append(element) }
    }
    return (tags, elements, reader.takeDiagnostics(), reader.hasFailed)
}

@Suite("XML layer: streaming reader")
struct XMLStreamReaderTests {
    @Test func startTagsCarryNamesNamespacesAttributesAndPlaces() {
        let xml = """
            <?xml version="1.0"?>
            <article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">
              <front><self-uri xlink:href="https://example.org/a">x</self-uri></front>
              <é-x/>   <ref id="r1"/><ref id="r2"/>
            </article>
            """
        let result = stream(xml)
        #expect(result.diagnostics.isEmpty)
        #expect(result.tags.map(\.name) == ["article", "front", "self-uri", "é-x", "ref", "ref"])
        #expect(result.tags[0].attribute("article-type") == "research-article")
        #expect(result.tags[0].line == 2 && result.tags[0].column == 1)
        #expect(result.tags[2].attribute("href", namespaceURI: "http://www.w3.org/1999/xlink") == "https://example.org/a")
        #expect(result.tags[2].line == 3 && result.tags[2].column == 10)
        #expect(result.tags[3].depth == 1)
        // Columns count Unicode scalars: `<é-x/>` is 6 scalars, then 3 spaces.
        #expect(result.tags[4].line == 4 && result.tags[4].column == 12)
        #expect(result.tags[5].line == 4 && result.tags[5].column == 26)
        #expect(result.tags[5].attribute("id") == "r2")
    }

    @Test func readElementCopiesOneSubtreeAndMovesPastIt() {
        let xml = """
            <ref-list><ref id="a"><mixed-citation>Smith <italic>J</italic>. <![CDATA[A & B]]> &amp; more</mixed-citation></ref>
            <ref id="b"><element-citation><year>2017a</year></element-citation></ref></ref-list>
            """
        let result = stream(xml, expand: ["ref"])
        #expect(result.diagnostics.isEmpty)
        #expect(result.elements.count == 2)
        #expect(result.tags.map(\.name) == ["ref-list", "ref", "ref"])
        let first = result.elements[0]
        #expect(first.attribute("id") == "a")
        #expect(first.element("mixed-citation")?.textContent == "Smith J. A & B & more")
        #expect(first.element("mixed-citation")?.element("italic")?.textContent == "J")
        #expect(result.elements[1].firstDescendant("year")?.textContent == "2017a")
        #expect(result.elements[1].line == 2)
    }

    @Test func namedEntitiesResolveWithoutTheirDTD() {
        let xml = """
            <p title="a&nbsp;b">x&mdash;y &ndash; &lsquo;q&rsquo; &eacute;&copy; &#x2014;&amp;<!-- &mdash; --><![CDATA[&mdash;]]></p>
            """
        let result = stream(xml, expand: ["p"])
        #expect(result.diagnostics.isEmpty)
        let p = result.elements.first
        #expect(p?.attribute("title") == "a\u{A0}b")
        #expect(p?.textContent == "x\u{2014}y \u{2013} \u{2018}q\u{2019} \u{E9}\u{A9} \u{2014}&&mdash;")
        #expect(XMLNamedEntities.count > 2000)
        #expect(XMLNamedEntities.replacement(for: "hellip") == "\u{2026}")
    }

    @Test func entitiesSplitAcrossChunkBoundariesStillResolve() {
        // 32 KiB chunks: put references right across the boundary.
        for pad in 32_760..<32_770 {
            let xml = "<p>" + String(repeating: "a", count: pad - 3) + "&mdash;<!--x-->&nbsp;</p>"
            let result = stream(xml, expand: ["p"])
            #expect(result.elements.first?.textContent.hasSuffix("a\u{2014}\u{A0}") == true, "pad \(pad)")
        }
    }

    @Test func unknownEntityWithExternalDoctypeIsKeptAsTextWithAWarning() {
        let xml = """
            <!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN" "JATS-journalpublishing1-3.dtd">
            <article><title>a &notaname; b</title></article>
            """
        let result = stream(xml, expand: ["title"])
        #expect(!result.failed)
        #expect(result.elements.first?.textContent == "a &notaname; b")
        #expect(result.diagnostics.contains { $0.code == .xmlUndefinedEntity && $0.location?.line == 2 })
    }

    @Test func documentDeclaredEntitiesExpand() {
        let xml = """
            <!DOCTYPE a [<!ENTITY journal "PLoS &amp; ONE"><!ENTITY both "&journal; &mdash; &#65;">]>
            <a><b>&both;</b></a>
            """
        let result = stream(xml, expand: ["b"])
        #expect(result.elements.first?.textContent == "PLoS & ONE \u{2014} A")
    }

    @Test func fatalErrorsCarryLineAndColumn() {
        let xml = "<a>\n<year>2020</yr>\n</a>"
        let result = stream(xml)
        #expect(result.failed)
        let fatal = result.diagnostics.first { $0.code == .xmlNotWellFormed }
        #expect(fatal?.location?.line == 2)
        #expect(fatal?.location?.column == 16)
        #expect(fatal?.message.contains("year") == true)
    }

    @Test func utf16InputIsRead() {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>é&mdash;</a>".utf16 {
            bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        let reader = XMLStreamReader(ByteReader(bytes: bytes))
        let tag = reader.nextStartTag()
        #expect(tag?.name == "a")
        #expect(reader.readElement()?.textContent == "é\u{2014}")
        #expect(!reader.hasFailed)
    }
}

@Suite("XML layer: hostile input")
struct XMLSecurityTests {
    /// Everything a document may do to make smrl read something it should not.
    static let passwdMarker = "root:"

    @Test func externalEntityIsNeverRead() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY % pe SYSTEM "file:///etc/passwd"> %pe;]>
            <a><b>&xxe;</b><c x="1">text</c></a>
            """
        let result = stream(xml, expand: ["b", "c"])
        let text = result.elements.map(\.textContent).joined()
        #expect(!text.contains(Self.passwdMarker))
        #expect(!result.diagnostics.map(\.message).joined().contains(Self.passwdMarker))
        #expect(result.elements.last?.textContent == "text")
        let document = try? XPathDocument(bytes: Array(xml.utf8))
        #expect((try? document?.string(xpath: "string(/a/b)")) ?? "" == "")
    }

    @Test(.timeLimit(.minutes(10))) func billionLaughsStopsWithAnError() {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        xml += "<!ENTITY lol1 \"" + String(repeating: "&lol;", count: 10) + "\">\n"
        for level in 2...9 {
            xml += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        xml += "]>\n<lolz><b>&lol9;</b></lolz>"
        let result = stream(xml, expand: ["b"])
        let size = result.elements.first?.textContent.utf8.count ?? 0
        #expect(size <= XMLReaderOptions().maxEntityExpansion)
        #expect(result.diagnostics.contains { $0.code == .xmlEntityLimit && $0.severity == .error })
    }

    @Test(.timeLimit(.minutes(10))) func quadraticBlowupIsBounded() {
        let big = String(repeating: "x", count: 50_000)
        let xml = "<!DOCTYPE a [<!ENTITY big \"\(big)\">]><a><b>" + String(repeating: "&big;", count: 10_000) + "</b></a>"
        let result = stream(xml, expand: ["b"])
        #expect((result.elements.first?.textContent.utf8.count ?? 0) <= XMLReaderOptions().maxEntityExpansion)
        #expect(result.diagnostics.contains { $0.code == .xmlEntityLimit })
    }

    @Test(.timeLimit(.minutes(10))) func deepNestingIsRefused() {
        let depth = 100_000
        let xml = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let result = stream(xml, expand: ["a"])
        #expect(result.failed)
        #expect(result.diagnostics.contains { $0.code == .nestingTooDeep })
        #expect(throws: XMLDocumentError.self) { try XPathDocument(bytes: Array(xml.utf8)) }
    }

    @Test func networkReferencesAreNeverFetched() throws {
        let listener = try LocalListener()
        let base = "http://127.0.0.1:\(listener.port)"
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE article PUBLIC "-//X//DTD none//EN" "\(base)/article.dtd" [
              <!ENTITY remote SYSTEM "\(base)/remote.ent">
              <!ENTITY % premote SYSTEM "\(base)/premote.ent">
              %premote;
            ]>
            <article><b>&remote;</b><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="\(base)/x.xml"/></article>
            """
        _ = stream(xml, expand: ["b"])
        _ = try? XPathDocument(bytes: Array(xml.utf8))
        let catalog = TestCorpus.url("schemas/jats/catalog-local.xml").path
        if TestCorpus.isAvailable, let validator = try? XMLValidator(schema: .doctype(catalog: catalog, searchPaths: [])) {
            let result = validator.validate(bytes: Array(xml.utf8), fileName: "remote.xml")
            #expect(!result.isValid)
            #expect(result.diagnostics.contains { $0.code == .xmlResourceRefused })
        }
        #expect(listener.connectionAttempts() == 0)
    }
}

/// A TCP listener on 127.0.0.1 that only counts connection attempts (never answers).
private final class LocalListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw ListenerError() }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(descriptor) }

    func connectionAttempts() -> Int {
        var count = 0
        while true {
            let client = accept(descriptor, nil, nil)
            if client < 0 { break }
            close(client)
            count += 1
        }
        return count
    }
}

@Suite("XML layer: writer, XPath, validation")
struct XMLWriterAndValidationTests {
    @Test func writerEscapesAndKeepsMixedContentIntact() throws {
        let sink = OutputSink.inMemory()
        let writer = try XMLStreamWriter(sink: sink)
        try writer.startDocument()
        try writer.startElement("doc")
        try writer.attribute("note", "say \"hi\" & <bye>\n")
        try writer.startElement("title", mixed: true)
        try writer.text("CO")
        try writer.element("sub", text: "2")
        try writer.element("italic", text: "E")
        try writer.text(" & <x> \u{1}done")
        try writer.endElement()
        try writer.startElement("list")
        try writer.emptyElement("item", attributes: [("n", "1")])
        try writer.endElement()
        try writer.endDocument()
        try sink.flush()
        let text = String(decoding: sink.memory, as: UTF8.self)
        #expect(text.contains("<title>CO<sub>2</sub><italic>E</italic> &amp; &lt;x&gt; done</title>"))
        #expect(writer.removedCharacters == 1)
        let document = try XPathDocument(bytes: sink.memory)
        #expect(try document.string(xpath: "/doc/@note") == "say \"hi\" & <bye>\n")
        #expect(try document.count(xpath: "//item") == 1)
        #expect(try document.count(xpath: "count(/doc/*)") == 2)
    }

    @Test func xpathRejectsBadExpressions() throws {
        let document = try XPathDocument(bytes: Array("<a><b/></a>".utf8))
        #expect(throws: XMLDocumentError.self) { try document.count(xpath: "//[") }
    }

    static let dtd13 = "schemas/jats/dtd/1.3/JATS-journalpublishing1-3.dtd"

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func dtdValidationReportsLocatedErrors() throws {
        let validator = try XMLValidator(schema: .dtd(path: TestCorpus.url(Self.dtd13).path))
        let good = """
            <article xmlns:xlink="http://www.w3.org/1999/xlink" dtd-version="1.3"><front><journal-meta><journal-id/>
            <journal-title-group><journal-title>J</journal-title></journal-title-group><issn/></journal-meta>
            <article-meta><title-group><article-title>T&mdash;x</article-title></title-group>
            <pub-date publication-format="print"><year>2020</year></pub-date></article-meta></front></article>
            """
        let valid = validator.validate(bytes: Array(good.utf8), fileName: "good.xml")
        #expect(valid.isValid, "\(valid.diagnostics)")
        let bad = good.replacingOccurrences("<year>2020</year>", "<yearx>2020</yearx>")
        let invalid = validator.validate(bytes: Array(bad.utf8), fileName: "bad.xml")
        #expect(!invalid.isValid)
        let error = invalid.diagnostics.first { $0.code == .xmlInvalid }
        #expect(error?.location?.file == "bad.xml")
        // Placed on the element whose content is wrong: <pub-date> starts on line 4, column 1.
        #expect(error?.location?.line == 4)
        #expect(error?.location?.column == 1)
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func doctypeValidationThroughTheCatalog() throws {
        let validator = try XMLValidator(schema: .doctype(
            catalog: TestCorpus.url("schemas/jats/catalog-local.xml").path,
            searchPaths: [TestCorpus.url("schemas/jats/dtd/1.0").path]))
        let valid = try validator.validate(path: TestCorpus.url("jats/elife/elife-102451-v1.xml").path)
        #expect(valid.isValid, "\(valid.diagnostics.prefix(5))")
        let ncbi = try validator.validate(path: TestCorpus.url("jats/ncbi-samples/samplesmall-archive1.xml").path)
        #expect(ncbi.isValid, "\(ncbi.diagnostics.prefix(5))")
        let invalid = try validator.validate(path: TestCorpus.url("jats/jats4r/example-1.xml").path)
        #expect(!invalid.isValid)
        let none = try validator.validate(path: TestCorpus.url("jats/jats4r/minimal-1.1d1-nodtd.xml").path)
        #expect(none.diagnostics.contains { $0.code == .xmlNoDoctype })
    }

    @Test func missingSchemaIsAnError() {
        #expect(throws: XMLDocumentError.self) { try XMLValidator(schema: .dtd(path: "/nonexistent/x.dtd")) }
        #expect(XMLSchema(path: "a/b.xsd") == .xsd(path: "a/b.xsd"))
        #expect(XMLSchema(path: "a/b.dtd") == .dtd(path: "a/b.dtd"))
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

private struct ListenerError: Error {}

@Suite("XML layer: XSD validation")
struct XMLSchemaValidationTests {
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func jatsPublishingXSDValidatesDocumentsOffline() throws {
        let xsd = TestCorpus.url("schemas/jats/publishing-1.3-mathml3-xsd/JATS-journalpublishing1-3-mathml3.xsd").path
        let validator = try XMLValidator(schema: .xsd(path: xsd))
        let plos = try validator.validate(path: TestCorpus.url("jats/plos/journal.pbio.2001413.xml").path)
        #expect(plos.isValid, "\(plos.diagnostics.prefix(5))")
        // Named entities resolve without the DTD (the README's xmllint run fails on these).
        let ncbi = try validator.validate(path: TestCorpus.url("jats/ncbi-samples/samplesmall-pub1.xml").path)
        #expect(!ncbi.diagnostics.contains { $0.code == .xmlUndefinedEntity || $0.code == .xmlNotWellFormed })
        let bad = """
            <article xmlns:xlink="http://www.w3.org/1999/xlink"><front><journal-meta/>
            <article-meta><bogus/></article-meta></front></article>
            """
        let invalid = validator.validate(bytes: Array(bad.utf8), fileName: "bad.xml")
        #expect(!invalid.isValid)
        #expect(invalid.diagnostics.contains { $0.code == .xmlInvalid && $0.location?.line == 2 && $0.location?.file == "bad.xml" })
    }
}
