public import SMRLCore
internal import SMRLCLibXML2

/// Codes raised by the XML layer. libxml2's own errors keep their text; these codes classify them.
extension DiagnosticCode {
    /// A fatal well-formedness error: libxml2 stopped reading the document here.
    public static let xmlNotWellFormed: DiagnosticCode = "xml.not-well-formed"
    /// A recoverable parse error libxml2 reported (reading went on).
    public static let xmlParseError: DiagnosticCode = "xml.parse-error"
    /// A warning libxml2 reported while parsing.
    public static let xmlParseWarning: DiagnosticCode = "xml.parse-warning"
    /// A named entity (`&foo;`) that neither the document nor smrl's table of XHTML/ISO/MathML names defines;
    /// it is kept as the literal text `&foo;`.
    public static let xmlUndefinedEntity: DiagnosticCode = "xml.undefined-entity"
    /// Entity expansion was stopped: a reference loop, or more expanded text than the safety limit allows
    /// (billion-laughs style input).
    public static let xmlEntityLimit: DiagnosticCode = "xml.entity-limit"
    /// An external resource (DTD, entity, schema module) was not loaded because it lies outside the schema
    /// folders the caller allowed, or is not a local file.
    public static let xmlResourceRefused: DiagnosticCode = "xml.resource-refused"
    /// The document is not valid against the DTD or XSD it was checked against.
    public static let xmlInvalid: DiagnosticCode = "xml.invalid"
    /// The DTD, catalog or XSD to validate against could not be loaded.
    public static let xmlSchemaUnavailable: DiagnosticCode = "xml.schema-unavailable"
    /// Validation by DOCTYPE was asked for, but the document has no DOCTYPE.
    public static let xmlNoDoctype: DiagnosticCode = "xml.no-doctype"
    /// More libxml2 messages than the per-document limit; the rest were counted, not kept.
    public static let xmlTooManyErrors: DiagnosticCode = "xml.too-many-errors"
}

/// Collects libxml2's structured errors for one parse or validation, as smrl ``Diagnostic``s.
///
/// An instance is handed to libxml2 as the `void *` of a per-reader or per-context structured error handler
/// (never the process-global one, which FoundationXML resets), via `Unmanaged.passUnretained`; its owner keeps it
/// alive for as long as libxml2 may call back.
final class XMLErrorCollector {
    let fileName: String
    /// The URL the document was parsed under; errors whose `file` differs (a DTD module) are placed in that file.
    let documentURL: String?
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var sawFatal = false
    /// The elements libxml2's parser had open (start tag read, end tag not) when it met the first fatal error, by
    /// address only (never dereferenced). libxml2 builds nothing after a fatal error, so every other element of
    /// the tree it built is whole. Nil when no fatal error came from a parser context.
    private(set) var openAtFatal: Set<UnsafeMutableRawPointer>?
    /// The document libxml2's parser was building when it met the first fatal error (owned by the parser).
    private(set) var documentAtFatal: UnsafeMutablePointer<xmlDoc>?
    private(set) var errorCount = 0
    private var dropped = 0
    let limit: Int
    /// Finds the 1-based column of an element's start tag on a line when libxml2 gives none (validation errors).
    var columnResolver: ((_ line: Int, _ elementName: String?) -> Int?)?
    /// Where the document's input ends, once known: a diagnostic placed past it is moved back to it.
    var endPosition: (() -> (line: Int, column: Int)?)?
    /// Severity used for validity errors (DTD/XSD): errors.
    var validityCode: DiagnosticCode = .xmlInvalid

    init(fileName: String, documentURL: String?, limit: Int = 1000) {
        self.fileName = fileName
        self.documentURL = documentURL
        self.limit = limit
    }

    /// Adds a diagnostic of smrl's own (kept in order with libxml2's).
    func append(_ diagnostic: Diagnostic) {
        if diagnostic.severity == .error { errorCount += 1 }
        guard diagnostics.count < limit else {
            dropped += 1
            return
        }
        diagnostics.append(diagnostic)
    }

    /// Takes the diagnostics gathered so far, leaving the collector empty.
    func drain() -> [Diagnostic] {
        var result = diagnostics
        diagnostics.removeAll(keepingCapacity: true)
        if dropped > 0 {
            result.append(.warning(.xmlTooManyErrors, "\(dropped) further XML messages were not kept",
                at: SourceLocation(file: fileName, line: 1, column: 1)))
            dropped = 0
        }
        return result
    }

    /// Records one libxml2 error.
    func record(_ error: UnsafePointer<xmlError>) {
        let raw = error.pointee
        let level = raw.level
        guard level != XML_ERR_NONE else { return }
        var message = raw.message.map { String(cString: $0) } ?? "unknown libxml2 error"
        while let last = message.last, last == "\n" || last == " " { message.removeLast() }

        let domain = Int(raw.domain)
        let code = Int(raw.code)
        var diagnosticCode: DiagnosticCode
        var severity: Severity
        switch level {
        case XML_ERR_WARNING:
            severity = .warning
            diagnosticCode = .xmlParseWarning
        case XML_ERR_FATAL:
            severity = .error
            diagnosticCode = .xmlNotWellFormed
            if !sawFatal { (openAtFatal, documentAtFatal) = Self.parserState(error) }
            sawFatal = true
        default:
            severity = .error
            diagnosticCode = .xmlParseError
        }
        if domain == Int(XML_FROM_VALID.rawValue) || domain == Int(XML_FROM_SCHEMASV.rawValue)
            || domain == Int(XML_FROM_RELAXNGV.rawValue)
        {
            diagnosticCode = validityCode
            if severity == .warning && domain == Int(XML_FROM_VALID.rawValue) { severity = .warning }
        } else if domain == Int(XML_FROM_SCHEMASP.rawValue) {
            diagnosticCode = .xmlSchemaUnavailable
            severity = .error
        }
        if code == Int(XML_WAR_UNDECLARED_ENTITY.rawValue) || code == Int(XML_ERR_UNDECLARED_ENTITY.rawValue) {
            diagnosticCode = .xmlUndefinedEntity
        } else if code == Int(XML_ERR_ENTITY_LOOP.rawValue) || message.contains("amplification")
            || message.contains("entity reference loop")
        {
            diagnosticCode = .xmlEntityLimit
        } else if message.contains("Excessive depth") {
            diagnosticCode = .nestingTooDeep
            message = "elements nest deeper than the limit of 256 levels"
        } else if message.contains("huge text") || message.contains("Huge input lookup")
            || message.contains("too long") || message.contains("too big found")
        {
            // libxml2's own size limits (10 MB for one text node, attribute value or name, which smrl does not
            // lift): the input is too large to be a record.
            diagnosticCode = .recordTooLarge
            message = "a text, attribute or name is larger than libxml2's limit of 10 MB (\(message))"
        }

        var file = fileName
        if let errorFile = raw.file.map({ String(cString: $0) }), errorFile != documentURL, !errorFile.isEmpty {
            file = errorFile
        }
        var line = Int(raw.line)
        var column = Int(raw.int2)
        var elementName: String?
        if let node = raw.node?.assumingMemoryBound(to: xmlNode.self) {
            if node.pointee.type == XML_ELEMENT_NODE {
                elementName = swiftString(node.pointee.name)
            }
            // Validity errors found after parsing carry the parser's final position; the node knows better.
            let nodeLine = Int(xmlGetLineNo(node))
            if nodeLine > 0 && (line <= 0 || diagnosticCode == validityCode) {
                line = nodeLine
                column = 0
            }
        }
        if line <= 0 { line = 1 }
        if column <= 0 {
            column = (file == fileName ? columnResolver?(line, elementName) : nil) ?? 1
        }
        if file == fileName, let end = endPosition?(), (line, column) > (end.line, end.column) {
            (line, column) = (end.line, end.column)
        }
        append(Diagnostic(severity, diagnosticCode, message, at: SourceLocation(file: file, line: line, column: column)))
    }

    /// The parser's stack of open elements and its document, for an error raised by a parser (whose context
    /// `ctxt` is).
    private static func parserState(
        _ error: UnsafePointer<xmlError>
    ) -> (open: Set<UnsafeMutableRawPointer>?, document: UnsafeMutablePointer<xmlDoc>?) {
        guard error.pointee.domain == Int32(XML_FROM_PARSER.rawValue), let raw = error.pointee.ctxt else {
            return (nil, nil)
        }
        let context = raw.assumingMemoryBound(to: xmlParserCtxt.self).pointee
        var open: Set<UnsafeMutableRawPointer> = []
        if let stack = context.nodeTab {
            for index in 0..<max(0, Int(context.nodeNr)) {
                if let node = stack[index] { open.insert(UnsafeMutableRawPointer(node)) }
            }
        }
        return (open, context.myDoc)
    }
}

/// The C-callable structured error handler for text readers and schema contexts: `userData` is an
/// unretained ``XMLErrorCollector``.
let collectorErrorHandler: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    Unmanaged<XMLErrorCollector>.fromOpaque(userData).takeUnretainedValue().record(error)
}

/// The C-callable structured error handler for parser contexts (`ctxt->sax->serror`): libxml2 passes the
/// context itself, whose `_private` holds an unretained ``XMLErrorCollector``.
let parserContextErrorHandler: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let collector = context.pointee._private else { return }
    Unmanaged<XMLErrorCollector>.fromOpaque(collector).takeUnretainedValue().record(error)
}
