public import SMRLCore
internal import SMRLCLibXML2

/// A whole XML document parsed into memory for XPath queries (tests, validators, small inputs). Parsed with the
/// same safety as ``XMLStreamReader``: no network, no DTD, no external entities; named XHTML/JATS entities are
/// resolved from ``XMLNamedEntities``.
///
/// The prefixes `xlink`, `mml`, `ali`, `xsi` and `xml` are bound for queries. Not thread-safe: use one document
/// on one thread at a time.
public final class XPathDocument {
    private let document: xmlDocPtr
    /// Problems met while parsing (the document was still built).
    public let diagnostics: [Diagnostic]

    /// The namespaces every query may use by prefix.
    public static let namespaces: [(prefix: String, uri: String)] = [
        ("xlink", "http://www.w3.org/1999/xlink"),
        ("mml", "http://www.w3.org/1998/Math/MathML"),
        ("ali", "http://www.niso.org/schemas/ali/1.0/"),
        ("xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ]

    /// Parses a document.
    /// - Throws: ``XMLDocumentError`` when the bytes are not well-formed XML (its diagnostics say where).
    public init(bytes: [UInt8], fileName: String = "<memory>") throws {
        LibXML2.ensureInitialized()
        let (document, diagnostics) = try withParsedDocument(
            bytes: bytes, fileName: fileName, options: safeParseOptions
        ) { _, document, collector in ((document, collector.drain()), true) }
        self.document = document
        self.diagnostics = diagnostics
    }

    /// Parses the document in a file.
    public convenience init(path: String) throws {
        let reader = try ByteReader(path: path)
        try self.init(bytes: reader.readAll(), fileName: path)
    }

    deinit { xmlFreeDoc(document) }

    /// The number of nodes the XPath expression selects, or the value of a numeric expression (`count(//ref)`).
    /// - Throws: ``XMLDocumentError`` when the expression is not valid XPath 1.0.
    public func count(xpath: String) throws -> Int {
        try evaluate(xpath) { object in
            switch object.pointee.type {
            case XPATH_NODESET: return Int(object.pointee.nodesetval?.pointee.nodeNr ?? 0)
            case XPATH_NUMBER: return object.pointee.floatval.isFinite ? Int(object.pointee.floatval) : 0
            default: return 0
            }
        }
    }

    /// The string values of the nodes the expression selects (or the one value of a string expression).
    public func strings(xpath: String) throws -> [String] {
        try evaluate(xpath) { object in
            switch object.pointee.type {
            case XPATH_NODESET:
                guard let set = object.pointee.nodesetval, let nodes = set.pointee.nodeTab else { return [] }
                return (0..<Int(set.pointee.nodeNr)).map { consumeXMLString(xmlNodeGetContent(nodes[$0])) ?? "" }
            case XPATH_STRING:
                return [swiftString(object.pointee.stringval) ?? ""]
            case XPATH_NUMBER:
                return [String(object.pointee.floatval)]
            case XPATH_BOOLEAN:
                return [object.pointee.boolval != 0 ? "true" : "false"]
            default:
                return []
            }
        }
    }

    /// The string value of the first node selected, or nil when nothing is.
    public func string(xpath: String) throws -> String? {
        try strings(xpath: xpath).first
    }

    private func evaluate<R>(_ xpath: String, _ body: (xmlXPathObjectPtr) -> R) throws -> R {
        guard let context = xmlXPathNewContext(document) else {
            throw XMLDocumentError(message: "XPath context could not be created", diagnostics: [])
        }
        defer { xmlXPathFreeContext(context) }
        for (prefix, uri) in Self.namespaces {
            withXMLChars(prefix) { prefix in withXMLChars(uri) { _ = xmlXPathRegisterNs(context, prefix, $0) } }
        }
        let collector = XMLErrorCollector(fileName: "<xpath>", documentURL: nil)
        context.pointee.error = collectorErrorHandler
        context.pointee.userData = Unmanaged.passUnretained(collector).toOpaque()
        let object = withExtendedLifetime(collector) {
            withXMLChars(xpath) { xmlXPathEvalExpression($0, context) }
        }
        guard let object else {
            throw XMLDocumentError(message: "invalid XPath expression: \(xpath)", diagnostics: collector.drain())
        }
        defer { xmlXPathFreeObject(object) }
        return body(object)
    }
}

/// A document that could not be parsed, or a query that could not run.
public struct XMLDocumentError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// libxml2's messages, with locations.
    public var diagnostics: [Diagnostic]

    public var description: String {
        ([message] + diagnostics.map(\.description)).joined(separator: "\n")
    }
}

/// Options for parsing untrusted input into a tree: no network, big line numbers, CDATA as text. Never
/// `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or `XML_PARSE_DTDATTR`.
let safeParseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue)

/// Parses a whole document from bytes (through the named-entity rewrite unless `rewriteEntities` is false) with
/// a per-context error handler, and calls `body` with the parser context, the document and the collector while
/// both are alive. The document is freed afterwards unless `body` returns `true` (it then belongs to the caller).
/// Throws when the document is not well-formed.
func withParsedDocument<R>(
    bytes: [UInt8], fileName: String, options: Int32, rewriteEntities: Bool = true,
    _ body: (xmlParserCtxtPtr, xmlDocPtr, XMLErrorCollector) throws -> (result: R, keepDocument: Bool)
) throws -> R {
    guard let context = xmlNewParserCtxt() else {
        throw XMLDocumentError(message: "libxml2 parser context could not be created", diagnostics: [])
    }
    defer { xmlFreeParserCtxt(context) }
    let collector = XMLErrorCollector(fileName: fileName, documentURL: fileName)
    let finder = ColumnFinder(bytes: bytes)
    collector.columnResolver = { line, name in finder.column(line: line, elementName: name) }
    return try withExtendedLifetime(collector) {
        context.pointee._private = Unmanaged.passUnretained(collector).toOpaque()
        context.pointee.sax.pointee.serror = parserContextErrorHandler
        let input = ByteReader(bytes: bytes, fileName: fileName)
        for diagnostic in input.encodingDiagnostics { collector.append(diagnostic) }
        let transcoded = input.encodingDiagnostics.contains { $0.code == .byteOrderMark && $0.severity == .warning }
        var parseOptions = options
        if transcoded { parseOptions |= Int32(XML_PARSE_IGNORE_ENC.rawValue) }
        let feed = XMLInputFeed(input: input, rewriteEntities: rewriteEntities)
        let document: xmlDocPtr? = withExtendedLifetime(feed) {
            xmlCtxtReadIO(
                context,
                { context, buffer, length in
                    guard let context, let buffer else { return -1 }
                    let feed = Unmanaged<XMLInputFeed>.fromOpaque(context).takeUnretainedValue()
                    return Int32(feed.read(into: buffer, capacity: Int(length)))
                },
                nil, Unmanaged.passUnretained(feed).toOpaque(), fileName, transcoded ? "UTF-8" : nil, parseOptions)
        }
        guard let document else {
            var diagnostics = collector.drain()
            if diagnostics.isEmpty {
                diagnostics.append(.error(.xmlNotWellFormed, "the document could not be parsed",
                    at: SourceLocation(file: fileName, line: 1, column: 1)))
            }
            throw XMLDocumentError(message: "\(fileName): not well-formed XML", diagnostics: diagnostics)
        }
        if context.pointee.wellFormed == 0 {
            xmlFreeDoc(document)
            throw XMLDocumentError(message: "\(fileName): not well-formed XML", diagnostics: collector.drain())
        }
        var keep = false
        defer { if !keep { xmlFreeDoc(document) } }
        let (result, keepDocument) = try body(context, document, collector)
        keep = keepDocument
        return result
    }
}

/// Finds the column of an element's start tag on a line of a document held in memory (for diagnostics whose
/// libxml2 error carries only a line).
final class ColumnFinder {
    private let bytes: [UInt8]
    private lazy var lineStarts: [Int] = {
        var starts = [0]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 0x0A || (byte == 0x0D && (index >= bytes.count || bytes[index] != 0x0A)) { starts.append(index) }
        }
        return starts
    }()

    init(bytes: [UInt8]) { self.bytes = bytes }

    func column(line: Int, elementName: String?) -> Int? {
        guard let elementName, line >= 1, line <= lineStarts.count else { return nil }
        let start = lineStarts[line - 1]
        let end = line < lineStarts.count ? lineStarts[line] : bytes.count
        let name = Array(elementName.utf8)
        var index = start
        while index < end {
            if bytes[index] == 0x3C {
                // Skip a prefix: `<mml:math` matches `math`.
                var nameStart = index + 1
                var scan = nameStart
                while scan < end, bytes[scan] != 0x20, bytes[scan] != 0x3E, bytes[scan] != 0x2F, bytes[scan] != 0x09 {
                    if bytes[scan] == 0x3A { nameStart = scan + 1 }
                    scan += 1
                }
                if bytes[nameStart..<scan].elementsEqual(name) {
                    return SourceLocation.column(ofByte: index - start, inLine: bytes[start..<end])
                }
            }
            index += 1
        }
        return nil
    }
}
