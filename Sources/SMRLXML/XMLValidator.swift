public import SMRLCore
internal import SMRLCLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a document is validated against. Schema files are read from disk at run time and never downloaded.
public enum XMLSchema: Hashable, Sendable {
    /// A DTD file. The document's own DOCTYPE is ignored, and documents without one are checked too.
    case dtd(path: String)
    /// The DTD the document's DOCTYPE names, resolved through an OASIS XML catalog (by public or system id)
    /// and/or found by file name in search folders (like `xmllint --path`). Documents without a DOCTYPE get an
    /// `xml.no-doctype` error.
    case doctype(catalog: String?, searchPaths: [String])
    /// A W3C XML Schema (XSD) file.
    case xsd(path: String)

    /// The schema a path names, chosen by its extension: `.dtd`, `.xsd`, `.xml`/`.cat` (an XML catalog), or a
    /// folder (DTDs found by file name). Nil for anything else.
    public init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".dtd") {
            self = .dtd(path: path)
        } else if lower.hasSuffix(".xsd") {
            self = .xsd(path: path)
        } else if lower.hasSuffix(".xml") || lower.hasSuffix(".cat") || lower.hasSuffix(".catalog") {
            self = .doctype(catalog: path, searchPaths: [])
        } else {
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
            self = .doctype(catalog: nil, searchPaths: [path])
        }
    }

    /// The folders whose files the validator may read: the schema's folder (with its subfolders), the
    /// catalog's folder and the search folders.
    var allowedRoots: [String] {
        switch self {
        case .dtd(let path), .xsd(let path): return [directory(of: path)]
        case .doctype(let catalog, let searchPaths): return (catalog.map { [directory(of: $0)] } ?? []) + searchPaths
        }
    }
}

/// The outcome of validating one document.
public struct XMLValidationResult: Sendable {
    /// True when the document is well-formed and valid (no error diagnostics).
    public var isValid: Bool
    /// Errors (`xml.invalid`, `xml.not-well-formed`, `xml.no-doctype`, `xml.schema-unavailable`,
    /// `xml.resource-refused` …) and warnings, each with file, line and column.
    public var diagnostics: [Diagnostic]
}

/// Validates XML documents against a DTD or an XSD with libxml2, offline: the schema is loaded once, then any
/// number of documents are checked against it. This is what `smrl validate --schema` runs.
///
/// Safety: documents are parsed without network access and without expanding external entities into the
/// document; the only files libxml2 may open are those under ``XMLSchema``'s folders (DTD modules, entity sets,
/// imported XSDs). Anything else a document points to (a `SYSTEM "file:///etc/passwd"` entity, a DTD on
/// another path or on the network) is refused with an `xml.resource-refused` error.
///
/// Errors reach this validator through per-context handlers only. An instance may be shared between threads;
/// validations run one at a time.
///
/// ```swift
/// let validator = try XMLValidator(schema: .dtd(path: "schemas/jats/dtd/1.3/JATS-journalpublishing1-3.dtd"))
/// let result = validator.validate(bytes: Array(xml.utf8), fileName: "out.xml")
/// for diagnostic in result.diagnostics { print(diagnostic) }   // out.xml:12:5: error[xml.invalid]: …
/// ```
public final class XMLValidator: @unchecked Sendable {
    /// The schema this validator checks against.
    public let schema: XMLSchema
    private let lock = PthreadLock()
    private let policy: XMLLoadPolicy
    /// For `.dtd`: a small document whose external subset is the DTD (owned, freed in deinit).
    private var dtdCarrier: xmlDocPtr?
    private var xsd: xmlSchemaPtr?
    /// For `.doctype` with a catalog: the local catalog list (owned).
    private var catalogs: UnsafeMutableRawPointer?

    /// Loads the schema.
    /// - Throws: ``XMLDocumentError`` when the DTD, XSD or catalog cannot be read or parsed; its diagnostics
    ///   (`xml.schema-unavailable`) say why.
    public init(schema: XMLSchema) throws {
        LibXML2.ensureInitialized()
        self.schema = schema
        switch schema {
        case .dtd(let path), .xsd(let path):
            guard fileExists(path) else {
                throw XMLDocumentError(message: "schema not found: \(path)", diagnostics: [
                    .error(.xmlSchemaUnavailable, "schema file not found: \(path)",
                        at: SourceLocation(file: path, line: 1, column: 1))
                ])
            }
        case .doctype(let catalog, let searchPaths):
            if let catalog, !fileExists(catalog) {
                throw XMLDocumentError(message: "catalog not found: \(catalog)", diagnostics: [
                    .error(.xmlSchemaUnavailable, "XML catalog not found: \(catalog)",
                        at: SourceLocation(file: catalog, line: 1, column: 1))
                ])
            }
            if catalog == nil && searchPaths.isEmpty {
                throw XMLDocumentError(message: "no catalog and no search folder given", diagnostics: [])
            }
        }
        if case .doctype(let catalog?, _) = schema {
            catalogs = withXMLChars(absolutePath(catalog)) { xmlCatalogAddLocal(nil, $0) }
        }
        var searchPaths: [String] = []
        if case .doctype(_, let paths) = schema { searchPaths = paths.map(absolutePath) }
        policy = XMLLoadPolicy(
            allowedRoots: schema.allowedRoots.map(absolutePath), searchPaths: searchPaths, catalogs: catalogs)

        switch schema {
        case .dtd(let path):
            try loadDTD(path)
        case .xsd(let path):
            try loadXSD(path)
        case .doctype:
            break
        }
    }

    deinit {
        if let dtdCarrier { xmlFreeDoc(dtdCarrier) }
        if let xsd { xmlSchemaFree(xsd) }
        if let catalogs { xmlCatalogFreeLocal(catalogs) }
    }

    private func loadDTD(_ path: String) throws {
        let absolute = absolutePath(path)
        // libxml2 2.9 has no DTD parser that takes a per-context error handler, so the DTD is read as the
        // external subset of a one-element document parsed with our own context.
        let escaped = String(absolute.flatMap { $0 == "\"" ? Array("%22") : [$0] })
        let carrier = Array("<!DOCTYPE smrl-dtd SYSTEM \"\(escaped)\"><smrl-dtd/>".utf8)
        let options = safeParseOptions | Int32(XML_PARSE_DTDLOAD.rawValue)
        let (document, diagnostics): (xmlDocPtr, [Diagnostic]) = try policy.activate {
            try withParsedDocument(bytes: carrier, fileName: absolute, options: options, rewriteEntities: false) {
                _, document, collector in ((document, collector.drain()), true)
            }
        }
        let refused = policy.takeRefused()
        if document.pointee.extSubset == nil || diagnostics.contains(where: { $0.severity == .error }) || !refused.isEmpty {
            xmlFreeDoc(document)
            throw XMLDocumentError(message: "the DTD could not be loaded: \(path)",
                diagnostics: relabel(diagnostics, as: .xmlSchemaUnavailable) + refused.map {
                    .error(.xmlSchemaUnavailable, "DTD module not loaded: \($0)", at: SourceLocation(file: path, line: 1, column: 1))
                })
        }
        dtdCarrier = document
    }

    private func loadXSD(_ path: String) throws {
        let absolute = absolutePath(path)
        let collector = XMLErrorCollector(fileName: absolute, documentURL: absolute)
        collector.validityCode = .xmlSchemaUnavailable
        let schema: xmlSchemaPtr? = withExtendedLifetime(collector) {
            policy.activate {
                guard let parser = absolute.withCString({ xmlSchemaNewParserCtxt($0) }) else { return nil }
                defer { xmlSchemaFreeParserCtxt(parser) }
                xmlSchemaSetParserStructuredErrors(
                    parser, collectorErrorHandler, Unmanaged.passUnretained(collector).toOpaque())
                return xmlSchemaParse(parser)
            }
        }
        let refused = policy.takeRefused()
        guard let schema else {
            throw XMLDocumentError(message: "the XSD could not be loaded: \(path)",
                diagnostics: relabel(collector.drain(), as: .xmlSchemaUnavailable) + refused.map {
                    .error(.xmlSchemaUnavailable, "schema module not loaded: \($0)", at: SourceLocation(file: path, line: 1, column: 1))
                })
        }
        xsd = schema
    }

    /// Validates a document held in memory.
    /// - Parameters:
    ///   - bytes: the document (UTF-8, UTF-16 with BOM, or any encoding its XML declaration names).
    ///   - fileName: the name used in diagnostics, and the base for relative DOCTYPE system ids.
    public func validate(bytes: [UInt8], fileName: String) -> XMLValidationResult {
        lock.withLock {
            var diagnostics: [Diagnostic]
            do {
                diagnostics = try policy.activate { try runValidation(bytes: bytes, fileName: fileName) }
            } catch let error as XMLDocumentError {
                diagnostics = error.diagnostics
            } catch {
                diagnostics = [.error(.xmlNotWellFormed, "\(error)", at: SourceLocation(file: fileName, line: 1, column: 1))]
            }
            for resource in policy.takeRefused() {
                diagnostics.append(.error(.xmlResourceRefused,
                    "external resource not loaded: \(resource) (only files under the schema folders are read)",
                    at: SourceLocation(file: fileName, line: 1, column: 1)))
            }
            return XMLValidationResult(
                isValid: !diagnostics.contains { $0.severity == .error }, diagnostics: diagnostics)
        }
    }

    /// Validates the document in a file (`-` for standard input).
    /// - Throws: ``InputError`` when the file cannot be read.
    public func validate(path: String) throws -> XMLValidationResult {
        let reader = try ByteReader(path: path)
        let bytes = reader.readAll()
        if let error = reader.readError { throw InputError(path: path, reason: "\(error)") }
        return validate(bytes: bytes, fileName: reader.fileName)
    }

    private func runValidation(bytes: [UInt8], fileName: String) throws -> [Diagnostic] {
        switch schema {
        case .dtd:
            return try withParsedDocument(bytes: bytes, fileName: fileName, options: safeParseOptions) {
                context, document, collector in
                guard let dtd = dtdCarrier?.pointee.extSubset else { return ([], false) }
                let offset = MemoryLayout<xmlParserCtxt>.offset(of: \xmlParserCtxt.vctxt) ?? 0
                let validContext = (UnsafeMutableRawPointer(context) + offset).assumingMemoryBound(to: xmlValidCtxt.self)
                collector.validityCode = .xmlInvalid
                _ = xmlValidateDtd(validContext, document, dtd)
                return (collector.drain(), false)
            }
        case .xsd:
            guard let xsd else { return [] }
            return try withParsedDocument(bytes: bytes, fileName: fileName, options: safeParseOptions) {
                _, document, collector in
                guard let validContext = xmlSchemaNewValidCtxt(xsd) else { return ([], false) }
                defer { xmlSchemaFreeValidCtxt(validContext) }
                xmlSchemaSetValidStructuredErrors(
                    validContext, collectorErrorHandler, Unmanaged.passUnretained(collector).toOpaque())
                let status = xmlSchemaValidateDoc(validContext, document)
                var diagnostics = collector.drain()
                if status < 0 {
                    diagnostics.append(.error(.xmlSchemaUnavailable, "libxml2 could not run the XSD validation",
                        at: SourceLocation(file: fileName, line: 1, column: 1)))
                }
                return (diagnostics, false)
            }
        case .doctype:
            let options = safeParseOptions | Int32(XML_PARSE_DTDLOAD.rawValue | XML_PARSE_DTDVALID.rawValue)
            return try withParsedDocument(bytes: bytes, fileName: fileName, options: options, rewriteEntities: false) {
                _, document, collector in
                var diagnostics = collector.drain()
                if document.pointee.extSubset == nil && document.pointee.intSubset == nil {
                    diagnostics.removeAll { $0.code == .xmlInvalid && $0.message.contains("no DTD found") }
                    diagnostics.append(.error(.xmlNoDoctype,
                        "the document has no DOCTYPE; validate it against a DTD or XSD file instead",
                        at: SourceLocation(file: fileName, line: 1, column: 1)))
                }
                return (diagnostics, false)
            }
        }
    }

    private func relabel(_ diagnostics: [Diagnostic], as code: DiagnosticCode) -> [Diagnostic] {
        diagnostics.map {
            var diagnostic = $0
            if diagnostic.severity == .error { diagnostic.code = code }
            return diagnostic
        }
    }
}

// MARK: - Which files libxml2 may open

/// The files libxml2 may open while the current thread runs a validation: only those under the schema
/// folders, found directly, through the catalog, or by file name in the search folders. Outside a validation
/// (for instance while ``XMLStreamReader`` reads, which never asks) every external resource is refused.
///
/// libxml2 2.9 has only a process-global entity loader; smrl installs ``smrlExternalEntityLoader`` once, and the
/// policy in force is per thread.
final class XMLLoadPolicy {
    let allowedRoots: [String]
    let searchPaths: [String]
    let catalogs: UnsafeMutableRawPointer?
    private var refused: [String] = []

    init(allowedRoots: [String], searchPaths: [String], catalogs: UnsafeMutableRawPointer?) {
        self.allowedRoots = allowedRoots.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.searchPaths = searchPaths
        self.catalogs = catalogs
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The policy of the current thread, if a validation is running on it.
    static var current: XMLLoadPolicy? {
        guard let pointer = pthread_getspecific(key) else { return nil }
        return Unmanaged<XMLLoadPolicy>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Runs `body` with this policy in force on the current thread.
    func activate<R>(_ body: () throws -> R) rethrows -> R {
        let previous = pthread_getspecific(Self.key)
        pthread_setspecific(Self.key, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.key, previous) }
        return try withExtendedLifetime(self) { try body() }
    }

    /// The resources refused since the last call.
    func takeRefused() -> [String] {
        defer { refused.removeAll() }
        return refused
    }

    func refuse(_ resource: String) {
        if refused.count < 100 && !refused.contains(resource) { refused.append(resource) }
    }

    /// The local file to open for a resource, or nil when the policy refuses it.
    func resolve(url: String?, publicID: String?) -> String? {
        var candidates: [String] = []
        if let catalogs {
            let resolved: String? = withOptionalXMLChars(publicID) { publicID in
                withOptionalXMLChars(url) { systemID in
                    consumeXMLString(xmlCatalogLocalResolve(catalogs, publicID, systemID))
                }
            }
            if let resolved { candidates.append(resolved) }
        }
        if let url { candidates.append(url) }
        for candidate in candidates {
            guard let path = localPath(candidate) else { continue }
            if let real = realPath(path), isAllowed(real) { return real }
        }
        // By file name in the search folders (`xmllint --path`).
        if let name = (url ?? "").split(separator: "/").last.map(String.init), !name.isEmpty {
            for folder in searchPaths {
                if let real = realPath(folder + "/" + name), isAllowed(real) { return real }
            }
        }
        return nil
    }

    private func isAllowed(_ path: String) -> Bool {
        allowedRoots.contains { path.hasPrefix($0) }
    }

    /// A path for a `file:` URL or a plain path; nil for any other scheme (network).
    private func localPath(_ resource: String) -> String? {
        if resource.hasPrefix("file://") {
            var rest = Substring(resource.dropFirst(7))
            if rest.hasPrefix("localhost/") { rest = rest.dropFirst(9) }
            return percentDecoded(String(rest))
        }
        if let colon = resource.firstIndex(of: ":"), let slash = resource.firstIndex(of: "/"), colon < slash {
            return nil
        }
        return resource
    }
}

/// The process-wide libxml2 entity loader smrl installs: it serves only what the current thread's
/// ``XMLLoadPolicy`` allows, and refuses everything when no validation is running.
let smrlExternalEntityLoader: xmlExternalEntityLoader = { url, publicID, context in
    let urlString = url.map { String(cString: $0) }
    let publicString = publicID.map { String(cString: $0) }
    guard let policy = XMLLoadPolicy.current else { return nil }
    guard let context, let path = policy.resolve(url: urlString, publicID: publicString) else {
        policy.refuse(urlString ?? publicString ?? "(unnamed resource)")
        return nil
    }
    return path.withCString { xmlNewInputFromFile(context, $0) }
}

private func withOptionalXMLChars<R>(_ text: String?, _ body: (UnsafePointer<xmlChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return withXMLChars(text) { body($0) }
}

private func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

private func fileExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

private func absolutePath(_ path: String) -> String {
    if let real = realPath(path) { return real }
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return cwd + "/" + path
}

private func directory(of path: String) -> String {
    let absolute = absolutePath(path)
    guard let slash = absolute.lastIndex(of: "/") else { return "." }
    return String(absolute[..<slash])
}

private func percentDecoded(_ text: String) -> String {
    guard text.contains("%") else { return text }
    var bytes: [UInt8] = []
    let utf8 = Array(text.utf8)
    var index = 0
    while index < utf8.count {
        if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
            let value = UInt8(String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
        {
            bytes.append(value)
            index += 3
        } else {
            bytes.append(utf8[index])
            index += 1
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
