import SMRLCore
internal import SMRLCLibXML2

/// libxml2's `xmlTextWriter` behind the calls ``XMLStreamWriter`` makes: the writer smrl used until it wrote the
/// bytes itself, kept as the reference its tests compare the byte writer with (``XMLStreamWriter/Engine/libxml2``).
///
/// It does no bookkeeping of its own: ``XMLStreamWriter`` keeps the element stack and the indentation and passes
/// only text already cleaned of characters XML 1.0 forbids. libxml2 escapes text and attribute values, closes
/// start tags (`>`) when content follows and writes `<x/>` or `<x></x>` as asked.
final class XMLTextWriterReference {
    private let writer: xmlTextWriterPtr
    private let context: SinkBox

    final class SinkBox {
        let sink: OutputSink
        init(_ sink: OutputSink) { self.sink = sink }
    }

    init(sink: OutputSink) throws {
        LibXML2.ensureInitialized()
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

    deinit { xmlFreeTextWriter(writer) }

    private func check(_ status: Int32, _ what: @autoclosure () -> String) throws {
        if status < 0 { throw XMLWriterError(message: "libxml2 could not write \(what())") }
    }

    func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "the XML declaration")
    }

    func docType(name: String, publicID: String?, systemID: String?) throws {
        let status = withXMLChars(name) { name in
            withOptional(publicID) { publicID in
                withOptional(systemID) { systemID in xmlTextWriterWriteDTD(writer, name, publicID, systemID, nil) }
            }
        }
        try check(status, "the DOCTYPE")
    }

    func startElement(_ name: String) throws {
        try check(withXMLChars(name) { xmlTextWriterStartElement(writer, $0) }, "<\(name)>")
    }

    func attribute(_ name: String, _ value: String) throws {
        let status = withXMLChars(name) { name in
            withXMLChars(value) { xmlTextWriterWriteAttribute(writer, name, $0) }
        }
        try check(status, "the attribute \(name)")
    }

    func text(_ text: String) throws {
        try check(withXMLChars(text) { xmlTextWriterWriteString(writer, $0) }, "text")
    }

    /// `</name>`, or `></name>` when the element is still empty.
    func fullEndElement(_ name: String) throws {
        try check(xmlTextWriterFullEndElement(writer), "</\(name)>")
    }

    /// `</name>`, or `/>` when the element is still empty.
    func endElement(_ name: String) throws {
        try check(xmlTextWriterEndElement(writer), "</\(name)>")
    }

    func raw(_ whitespace: String) throws {
        try check(withXMLChars(whitespace) { xmlTextWriterWriteRaw(writer, $0) }, "white space")
    }

    func endDocument() throws {
        try check(xmlTextWriterEndDocument(writer), "the end of the document")
    }

    func flush() throws {
        try check(xmlTextWriterFlush(writer), "buffered output")
    }
}

private func withOptional<R>(_ text: String?, _ body: (UnsafePointer<xmlChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return withXMLChars(text) { body($0) }
}
