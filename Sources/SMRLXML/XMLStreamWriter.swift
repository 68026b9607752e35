public import SMRLCore
internal import SMRLCLibXML2

/// An error from libxml2's writer.
public struct XMLWriterError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Writes XML through libxml2's `xmlTextWriter` straight into an ``OutputSink``: libxml2 does all escaping of
/// text and attribute values. Characters XML 1.0 does not allow (C0 controls other than tab, line feed and
/// carriage return; U+FFFE, U+FFFF) are removed from text, and ``removedCharacters`` counts them.
///
/// Indentation is smrl's own, so that mixed content is never changed: an element started with
/// `mixed: true` (a title with `<italic>` inside) and everything in it are written without added white space;
/// structural elements get one element per line, indented by two spaces.
///
/// ```swift
/// let writer = try XMLStreamWriter(sink: sink)
/// try writer.startDocument()
/// try writer.startElement("ref-list")
/// try writer.element("title", text: "References & notes")   // escaped by libxml2
/// try writer.endElement()
/// try writer.endDocument()
/// ```
public final class XMLStreamWriter {
    private let sink: OutputSink
    private let indent: Bool
    private var writer: xmlTextWriterPtr?
    private let context: SinkBox
    private struct Open {
        var name: String
        var mixed: Bool
        var hasChildren: Bool
    }
    private var stack: [Open] = []
    /// How many characters not allowed in XML were removed from text and attribute values.
    public private(set) var removedCharacters = 0

    final class SinkBox {
        let sink: OutputSink
        init(_ sink: OutputSink) { self.sink = sink }
    }

    /// - Parameters:
    ///   - sink: where the bytes go (buffered; call ``flush()`` or ``endDocument()``).
    ///   - indent: put structural elements on their own lines.
    public init(sink: OutputSink, indent: Bool = true) throws {
        LibXML2.ensureInitialized()
        self.sink = sink
        self.indent = indent
        context = SinkBox(sink)
        let output = xmlOutputBufferCreateIO(
            { context, buffer, length in
                guard let context, let buffer, length > 0 else { return 0 }
                let box = Unmanaged<SinkBox>.fromOpaque(context).takeUnretainedValue()
                buffer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                    box.sink.write(UnsafeBufferPointer(start: $0, count: Int(length)))
                }
                return length
            },
            { _ in 0 }, Unmanaged.passUnretained(context).toOpaque(), nil)
        guard let output, let writer = xmlNewTextWriter(output) else {
            throw XMLWriterError(message: "libxml2 could not create an XML writer")
        }
        self.writer = writer
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
    }

    private func check(_ status: Int32, _ what: @autoclosure () -> String) throws {
        if status < 0 { throw XMLWriterError(message: "libxml2 could not write \(what())") }
    }

    private var handle: xmlTextWriterPtr {
        get throws {
            guard let writer else { throw XMLWriterError(message: "the XML writer is closed") }
            return writer
        }
    }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>`.
    public func startDocument() throws {
        try check(xmlTextWriterStartDocument(try handle, "1.0", "UTF-8", nil), "the XML declaration")
    }

    /// Writes `<!DOCTYPE name PUBLIC "publicID" "systemID">`.
    public func docType(name: String, publicID: String?, systemID: String?) throws {
        let writer = try handle
        let status = withXMLChars(name) { name in
            withOptional(publicID) { publicID in
                withOptional(systemID) { systemID in xmlTextWriterWriteDTD(writer, name, publicID, systemID, nil) }
            }
        }
        try check(status, "the DOCTYPE")
        if indent { try raw("\n") }
    }

    /// Opens an element. With `mixed`, nothing inside it is indented (use it for elements holding text and
    /// inline markup).
    public func startElement(_ qualifiedName: String, mixed: Bool = false) throws {
        let writer = try handle
        let parentMixed = stack.last?.mixed ?? false
        if indent, !parentMixed, !stack.isEmpty { try raw("\n" + String(repeating: "  ", count: stack.count)) }
        if !stack.isEmpty { stack[stack.count - 1].hasChildren = true }
        try check(withXMLChars(qualifiedName) { xmlTextWriterStartElement(writer, $0) }, "<\(qualifiedName)>")
        stack.append(Open(name: qualifiedName, mixed: mixed || parentMixed, hasChildren: false))
    }

    /// Adds an attribute to the element just opened (before any content).
    public func attribute(_ qualifiedName: String, _ value: String) throws {
        let writer = try handle
        let clean = sanitize(value)
        let status = withXMLChars(qualifiedName) { name in
            withXMLChars(clean) { xmlTextWriterWriteAttribute(writer, name, $0) }
        }
        try check(status, "the attribute \(qualifiedName)")
    }

    /// Writes character data (escaped by libxml2).
    public func text(_ text: String) throws {
        guard !text.isEmpty else { return }
        let writer = try handle
        if !stack.isEmpty { stack[stack.count - 1].hasChildren = true }
        let clean = sanitize(text)
        try check(withXMLChars(clean) { xmlTextWriterWriteString(writer, $0) }, "text")
    }

    /// Closes the innermost open element.
    public func endElement() throws {
        let writer = try handle
        guard let open = stack.popLast() else { throw XMLWriterError(message: "no element is open") }
        if indent, !open.mixed, open.hasChildren { try raw("\n" + String(repeating: "  ", count: stack.count)) }
        try check(xmlTextWriterFullEndElement(writer), "</\(open.name)>")
    }

    /// Closes the innermost open element as `<x/>` when it has no content.
    public func endEmptyElement() throws {
        let writer = try handle
        guard let open = stack.popLast() else { throw XMLWriterError(message: "no element is open") }
        if indent, !open.mixed, open.hasChildren { try raw("\n" + String(repeating: "  ", count: stack.count)) }
        try check(xmlTextWriterEndElement(writer), "</\(open.name)>")
    }

    /// Writes `<name attributes…>text</name>`.
    public func element(_ qualifiedName: String, text: String, attributes: [(String, String)] = []) throws {
        try startElement(qualifiedName, mixed: true)
        for (name, value) in attributes { try attribute(name, value) }
        try self.text(text)
        try endElement()
    }

    /// Writes an empty element `<name attributes…/>`.
    public func emptyElement(_ qualifiedName: String, attributes: [(String, String)] = []) throws {
        try startElement(qualifiedName, mixed: true)
        for (name, value) in attributes { try attribute(name, value) }
        try endEmptyElement()
    }

    /// Closes every open element, ends the document and flushes everything into the sink.
    public func endDocument() throws {
        let writer = try handle
        while !stack.isEmpty { try endElement() }
        try check(xmlTextWriterEndDocument(writer), "the end of the document")
        try flush()
    }

    /// Pushes libxml2's buffered output into the sink.
    public func flush() throws {
        try check(xmlTextWriterFlush(try handle), "buffered output")
    }

    /// White space between elements (never escaped text).
    private func raw(_ whitespace: String) throws {
        let writer = try handle
        try check(withXMLChars(whitespace) { xmlTextWriterWriteRaw(writer, $0) }, "white space")
    }

    /// The text without characters XML 1.0 forbids.
    private func sanitize(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where !Self.isAllowed(scalar) {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if Self.isAllowed(scalar) { scalars.append(scalar) } else { removedCharacters += 1 }
        }
        return String(scalars)
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value == 0x09 || value == 0x0A || value == 0x0D }
        return value != 0xFFFE && value != 0xFFFF
    }
}

private func withOptional<R>(_ text: String?, _ body: (UnsafePointer<xmlChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return withXMLChars(text) { body($0) }
}
