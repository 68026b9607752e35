public import SMRLCore
internal import SMRLCLibXML2

/// Limits and choices for reading XML.
public struct XMLReaderOptions: Sendable {
    /// Deepest element nesting kept. libxml2 itself stops at 256 levels (its safe default, which smrl does not
    /// lift), so larger values change nothing.
    public var maxDepth: Int = 256
    /// Most characters that entities declared in a document's internal subset may expand to, over the whole
    /// document. Expansion stops there with an `xml.entity-limit` error (libxml2 stops entity loops itself).
    public var maxEntityExpansion: Int = 1 << 20
    /// Most characters of text one element read with ``XMLStreamReader/readElement()`` may hold; the rest is
    /// dropped with an `input.record-too-large` error.
    public var maxElementText: Int = 16 << 20

    public init() {}

    /// The XML limits that follow from a format reader's options.
    public init(_ options: ReaderOptions) {
        maxDepth = min(256, max(1, options.maxDepth))
        maxElementText = max(1024, options.maxRecordBytes)
    }
}

/// A start tag met while streaming: the element's name, attributes and place, before its content is read.
public struct XMLStartTag: Hashable, Sendable {
    /// Local name.
    public var name: String
    public var prefix: String?
    public var namespaceURI: String?
    public var attributes: [XMLAttribute]
    /// 0 for the root element.
    public var depth: Int
    /// True for `<x/>`.
    public var isEmptyElement: Bool
    public var line: Int
    public var column: Int

    /// `prefix:name`, or the name alone.
    public var qualifiedName: String { prefix.map { $0 + ":" + name } ?? name }

    /// The value of the attribute with this local name, or nil.
    public func attribute(_ name: String, namespaceURI: String? = nil) -> String? {
        for attribute in attributes where attribute.name == name {
            if let namespaceURI, attribute.namespaceURI != namespaceURI { continue }
            return attribute.value
        }
        return nil
    }
}

/// The document type declaration of a document, when it has one.
public struct XMLDoctype: Hashable, Sendable {
    /// The root element name it declares (`article`).
    public var name: String
    /// Public identifier (`-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN`).
    public var publicID: String?
    /// System identifier (`JATS-journalpublishing1-3.dtd`).
    public var systemID: String?
}

/// Reads an XML document as a stream of start tags, expanding one element at a time into an
/// ``XMLElementNode`` on request, so that a `<pmc-articleset>` of many articles or a reference list of
/// thousands of entries is read in flat memory. Built on libxml2's `xmlTextReader`, fed from a ``ByteReader``.
///
/// Safe on hostile input:
/// - no network (`XML_PARSE_NONET`), no DTD loading, no external entities: nothing outside the input is read;
/// - entities declared in the document are expanded by smrl within ``XMLReaderOptions/maxEntityExpansion``,
///   and libxml2's own limits stop entity loops and nesting beyond 256 levels;
/// - bytes that are not UTF-8, in a document that declares UTF-8 or no encoding, are read as Windows-1252 with an
///   `input.legacy-encoding` warning (as smrl's other readers do) rather than ending the document;
/// - named entities that JATS and XHTML files use without their DTD (`&mdash;`, `&nbsp;`, about 2,200 names,
///   see ``XMLNamedEntities``) are turned into characters on purpose, before libxml2 sees them; an unknown name
///   is an `xml.undefined-entity` diagnostic.
///
/// libxml2's errors arrive through a handler set on this reader only (never the process-global one) and become
/// ``Diagnostic``s with line and column; a fatal error ends the parse (``hasFailed``). libxml2 parses ahead of the
/// reader, so elements before the error may already be built when it stops: the stream then goes on through the
/// tree libxml2 built, and ends there. An element is read only when it is whole (libxml2 had read its end tag
/// before the error: it was not on the parser's stack of open elements), so what comes out does not depend on how
/// far libxml2 had read ahead, nor on how the input arrived.
///
/// Usage: call ``nextStartTag()`` repeatedly; after a start tag, either call ``readElement()`` (the element
/// and everything in it, then the stream continues after its end tag), ``skipElement()``, or nothing (the next
/// ``nextStartTag()`` descends into it). Not thread-safe: use one reader on one thread at a time.
public final class XMLStreamReader {
    /// The file name used in diagnostics.
    public let fileName: String
    /// The DOCTYPE, once the reader has passed it (after the first ``nextStartTag()``).
    public private(set) var doctype: XMLDoctype?
    /// True once libxml2 met a fatal error; the stream goes on only through the elements libxml2 had built.
    public private(set) var hasFailed = false

    private let options: XMLReaderOptions
    private let feed: XMLInputFeed
    private let collector: XMLErrorCollector
    private var reader: xmlTextReaderPtr?
    /// True when the reader sits on a node that ``nextStartTag()`` has not reported yet (after a skip).
    private var pendingCurrentNode = false
    /// The start tag last returned, while the reader still sits on it.
    private var currentTagDepth: Int?
    /// Line and column of the start tag last returned (its subtree must not look them up again).
    private var currentTagPosition = (line: 1, column: 1)
    private var entityBudget: Int
    private var reportedEntityLimit = false
    /// After a fatal error: the node the walk through libxml2's tree is on, and whether it goes on into the node's
    /// children (a start tag just returned) or after it (read, skipped, or already passed).
    private var walk: (node: UnsafeMutablePointer<xmlNode>, descend: Bool)?
    /// After a fatal error met before libxml2's reader returned any element: the document's root element, which
    /// the walk reports first.
    private var walkRoot: UnsafeMutablePointer<xmlNode>?
    /// True once ``nextStartTag()`` has returned an element from libxml2's reader (which frees what it passes).
    private var returnedElement = false
    /// Set by ``stopReading()``.
    private var stopped = false
    /// The element last read or skipped, by address only (libxml2 may have freed it since; never dereferenced).
    private var consumedAddress: UnsafeMutableRawPointer?
    /// Diagnostics the walk has not reached yet (see ``takeDiagnostics()``).
    private var heldBack: [Diagnostic] = []
    /// The names copied out of libxml2, each made into a String once (see ``XMLNameCache``).
    private let names = XMLNameCache()

    /// - Parameters:
    ///   - input: the bytes to read (BOM removed and UTF-16 transcoded by the ``ByteReader``).
    ///   - options: limits.
    public init(_ input: ByteReader, options: XMLReaderOptions = XMLReaderOptions()) {
        LibXML2.ensureInitialized()
        fileName = input.fileName
        self.options = options
        entityBudget = options.maxEntityExpansion
        feed = XMLInputFeed(input: input)
        collector = XMLErrorCollector(fileName: input.fileName, documentURL: input.fileName)
        feed.padEnd()
        collector.endPosition = { [weak feed] in feed?.endPosition }
        feed.repairLegacyEncoding { [collector, fileName] line in
            collector.append(.warning(.legacyEncoding,
                "the document is not valid UTF-8; the bytes that are not were read as Windows-1252",
                at: SourceLocation(file: fileName, line: line, column: 1)))
        }
        for diagnostic in input.encodingDiagnostics { collector.append(diagnostic) }
        let transcoded = input.encodingDiagnostics.contains { $0.code == .byteOrderMark && $0.severity == .warning }
        // XML_PARSE_COMPACT: libxml2 keeps a text of up to 15 bytes inside its node instead of allocating it (smrl
        // only reads the tree, which is what the option asks).
        var parseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_COMPACT.rawValue)
        if transcoded { parseOptions |= Int32(XML_PARSE_IGNORE_ENC.rawValue) }
        let context = Unmanaged.passUnretained(feed).toOpaque()
        reader = xmlReaderForIO(
            { context, buffer, length in
                guard let context, let buffer else { return -1 }
                let feed = Unmanaged<XMLInputFeed>.fromOpaque(context).takeUnretainedValue()
                return Int32(feed.read(into: buffer, capacity: Int(length)))
            },
            nil, context, input.fileName, transcoded ? "UTF-8" : nil, parseOptions)
        if let reader {
            xmlTextReaderSetStructuredErrorHandler(
                reader, collectorErrorHandler, Unmanaged.passUnretained(collector).toOpaque())
        } else {
            hasFailed = true
            collector.append(.error(.unreadableInput, "the XML reader could not be created",
                at: SourceLocation(file: fileName, line: 1, column: 1)))
        }
    }

    deinit {
        if let reader { xmlFreeTextReader(reader) }
    }

    /// Diagnostics gathered since the last call (libxml2's errors and warnings, and smrl's own). After a fatal
    /// error, while the stream goes on through the elements libxml2 had built, a diagnostic placed after the last
    /// start tag returned waits until the stream has passed it (or ended).
    public func takeDiagnostics() -> [Diagnostic] {
        guard hasFailed else { return collector.drain() }
        let all = heldBack + collector.drain()
        heldBack = []
        guard walk != nil else { return all }
        var now: [Diagnostic] = []
        for diagnostic in all {
            if let location = diagnostic.location, location.file == fileName,
                (location.line, location.column) > (currentTagPosition.line, currentTagPosition.column)
            {
                heldBack.append(diagnostic)
            } else {
                now.append(diagnostic)
            }
        }
        return now
    }

    /// Ends the stream where it is (a caller that has seen enough, such as a document that turns out not to be
    /// of its kind): ``nextStartTag()`` returns nil from now on, and ``takeDiagnostics()`` hands over every
    /// diagnostic, also those libxml2 reported past this place.
    public func stopReading() {
        stopped = true
        walk = nil
        walkRoot = nil
        currentTagDepth = nil
    }

    /// The number of error diagnostics seen so far (taken or not).
    public var errorCount: Int { collector.errorCount }

    /// Bytes of the input handed to libxml2 so far.
    public var bytesRead: Int { feed.bytesFed }

    /// Moves to the next start tag in document order and returns it; nil at the end of the document or after a
    /// fatal error.
    public func nextStartTag() -> XMLStartTag? {
        guard let reader, !stopped else { return nil }
        if hasFailed { return nextWalkedStartTag() }
        currentTagDepth = nil
        while true {
            if pendingCurrentNode {
                pendingCurrentNode = false
            } else {
                let status = xmlTextReaderRead(reader)
                if status != 1 {
                    if status < 0 || collector.sawFatal {
                        fail()
                        return nextWalkedStartTag()
                    }
                    return nil
                }
            }
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_ELEMENT.rawValue) {
                guard let node = xmlTextReaderCurrentNode(reader) else { continue }
                let depth = Int(xmlTextReaderDepth(reader))
                let (line, column) = position(of: node)
                currentTagDepth = depth
                currentTagPosition = (line, column)
                returnedElement = true
                return XMLStartTag(
                    name: names.string(node.pointee.name) ?? "",
                    prefix: node.pointee.ns.flatMap { names.string($0.pointee.prefix) },
                    namespaceURI: node.pointee.ns.flatMap { names.string($0.pointee.href) },
                    attributes: attributes(of: node),
                    depth: depth,
                    isEmptyElement: xmlTextReaderIsEmptyElement(reader) == 1,
                    line: line, column: column)
            } else if type == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), doctype == nil,
                let node = xmlTextReaderCurrentNode(reader)
            {
                let dtd = UnsafeMutableRawPointer(node).assumingMemoryBound(to: xmlDtd.self)
                doctype = XMLDoctype(
                    name: swiftString(dtd.pointee.name) ?? "",
                    publicID: swiftString(dtd.pointee.ExternalID),
                    systemID: swiftString(dtd.pointee.SystemID))
            }
        }
    }

    /// Reads the element whose start tag ``nextStartTag()`` just returned, with all its content, and moves past
    /// its end tag. Nil when no start tag is current or the element is not well-formed (see the diagnostics).
    public func readElement() -> XMLElementNode? {
        guard let reader, let depth = currentTagDepth else { return nil }
        currentTagDepth = nil
        if hasFailed {
            guard let current = walk else { return nil }
            walk = (current.node, false)
            consumedAddress = UnsafeMutableRawPointer(current.node)
            guard isWhole(current.node) else { return nil }
            return convertWhole(current.node, depth: depth)
        }
        // After a fatal error (met here, or in what libxml2 read ahead) libxml2 hands over what it has, whole or
        // not: the element is whole when libxml2 got past its end tag (``isWhole(_:)``).
        let expanded = xmlTextReaderExpand(reader)
        guard let node = expanded ?? xmlTextReaderCurrentNode(reader) else {
            fail()
            return nil
        }
        consumedAddress = UnsafeMutableRawPointer(node)
        let whole = (expanded != nil && !collector.sawFatal) || isWhole(node)
        let element = whole ? convertWhole(node, depth: depth) : nil
        if expanded == nil || collector.sawFatal {
            fail()
        } else {
            moveToNextSibling()
        }
        return element
    }

    private func convertWhole(_ node: UnsafeMutablePointer<xmlNode>, depth: Int) -> XMLElementNode {
        var textBudget = options.maxElementText
        var reportedTooLarge = false
        return convert(
            node, depth: depth, textBudget: &textBudget, reportedTooLarge: &reportedTooLarge, knownPosition: currentTagPosition)
    }

    /// Skips the element whose start tag ``nextStartTag()`` just returned, content and all, without building it.
    public func skipElement() {
        guard let reader, currentTagDepth != nil else { return }
        currentTagDepth = nil
        if hasFailed {
            if let current = walk {
                walk = (current.node, false)
                consumedAddress = UnsafeMutableRawPointer(current.node)
            }
            return
        }
        consumedAddress = xmlTextReaderCurrentNode(reader).map { UnsafeMutableRawPointer($0) }
        moveToNextSibling()
    }

    // MARK: After a fatal error

    /// The next element in document order in the tree libxml2 built before its fatal error, skipping the
    /// element last read or skipped; nil where the tree ends.
    private func nextWalkedStartTag() -> XMLStartTag? {
        currentTagDepth = nil
        var next: UnsafeMutablePointer<xmlNode>?
        if let root = walkRoot {
            walkRoot = nil
            next = root
        } else {
            guard let current = walk else { return nil }
            next = current.descend ? firstElement(from: current.node.pointee.children) : nil
            if next == nil { next = element(after: current.node) }
            while let candidate = next, isConsumed(candidate) { next = element(after: candidate) }
        }
        guard let node = next else {
            walk = nil
            return nil
        }
        walk = (node, true)
        var depth = 0
        var ancestor = node.pointee.parent
        while let parent = ancestor, parent.pointee.type == XML_ELEMENT_NODE {
            depth += 1
            ancestor = parent.pointee.parent
        }
        let (line, column) = position(of: node)
        currentTagDepth = depth
        currentTagPosition = (line, column)
        return XMLStartTag(
            name: swiftString(node.pointee.name) ?? "",
            prefix: node.pointee.ns.flatMap { swiftString($0.pointee.prefix) },
            namespaceURI: node.pointee.ns.flatMap { swiftString($0.pointee.href) },
            attributes: attributes(of: node), depth: depth, isEmptyElement: node.pointee.children == nil,
            line: line, column: column)
    }

    /// Starts the walk where libxml2's reader stopped.
    private func enterWalk() {
        guard walk == nil, let reader else { return }
        guard let node = xmlTextReaderCurrentNode(reader) else {
            // libxml2 met the error before its reader returned anything: the tree it built is all there.
            if !returnedElement, let document = collector.documentAtFatal {
                walkRoot = firstElement(from: document.pointee.children)
                if doctype == nil, let dtd = document.pointee.intSubset {
                    doctype = XMLDoctype(
                        name: swiftString(dtd.pointee.name) ?? "",
                        publicID: swiftString(dtd.pointee.ExternalID),
                        systemID: swiftString(dtd.pointee.SystemID))
                }
            }
            return
        }
        let onStartTag = xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue)
        walk = (node, onStartTag && node.pointee.type == XML_ELEMENT_NODE && !isConsumed(node))
    }

    /// True when `node` is, or is inside, the element last read or skipped.
    private func isConsumed(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
        guard let consumedAddress else { return false }
        var current: UnsafeMutablePointer<xmlNode>? = node
        while let candidate = current {
            if UnsafeMutableRawPointer(candidate) == consumedAddress { return true }
            current = candidate.pointee.parent
        }
        return false
    }

    private func firstElement(from first: UnsafeMutablePointer<xmlNode>?) -> UnsafeMutablePointer<xmlNode>? {
        var sibling = first
        while let candidate = sibling {
            if candidate.pointee.type == XML_ELEMENT_NODE { return candidate }
            sibling = candidate.pointee.next
        }
        return nil
    }

    /// The first element after `node` and its content, in document order.
    private func element(after node: UnsafeMutablePointer<xmlNode>) -> UnsafeMutablePointer<xmlNode>? {
        var current = node
        while true {
            if let next = firstElement(from: current.pointee.next) { return next }
            guard let parent = current.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
            current = parent
        }
    }

    /// True when libxml2 had read the end tag of `node` before it stopped: the element was not open at its fatal
    /// error, or (when the error did not say what was open) something follows it in the tree.
    private func isWhole(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
        if let open = collector.openAtFatal { return !open.contains(UnsafeMutableRawPointer(node)) }
        return hasSuccessor(node)
    }

    /// True when a node follows `node` or one of its ancestors in the tree libxml2 has built so far.
    private func hasSuccessor(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
        var current: UnsafeMutablePointer<xmlNode>? = node
        while let candidate = current, candidate.pointee.type == XML_ELEMENT_NODE {
            if candidate.pointee.next != nil { return true }
            current = candidate.pointee.parent
        }
        return false
    }

    private func moveToNextSibling() {
        guard let reader else { return }
        let status = xmlTextReaderNext(reader)
        if status == 1 {
            pendingCurrentNode = true
        } else if status < 0 || collector.sawFatal {
            fail()
        }
    }

    private func fail() {
        guard !hasFailed else { return }
        hasFailed = true
        enterWalk()
        if !collector.sawFatal {
            collector.append(.error(.xmlNotWellFormed, "the XML document could not be read to its end",
                at: SourceLocation(file: fileName, line: feed.positions.cursorLine, column: 1)))
        }
    }

    // MARK: Copying out of libxml2

    private func position(of node: UnsafeMutablePointer<xmlNode>) -> (Int, Int) {
        let libxmlLine = Int(xmlGetLineNo(node))
        let lineHint = libxmlLine > 0 ? libxmlLine : nil
        let found: (line: Int, column: Int)?
        if let prefix = node.pointee.ns?.pointee.prefix {
            // `prefix:name`, rare in JATS (`mml:math`, `xlink` is on attributes only).
            var qualifiedName: [UInt8] = Array(UnsafeBufferPointer(start: prefix, count: Int(xmlStrlen(prefix))))
            qualifiedName.append(0x3A)
            if let name = node.pointee.name {
                qualifiedName += UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name)))
            }
            found = qualifiedName.withUnsafeBufferPointer { feed.positions.locateStartTag($0, lineHint: lineHint) }
        } else if let name = node.pointee.name {
            found = feed.positions.locateStartTag(UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name))), lineHint: lineHint)
        } else {
            found = nil
        }
        return found ?? (max(1, libxmlLine), 1)
    }

    private func attributes(of node: UnsafeMutablePointer<xmlNode>) -> [XMLAttribute] {
        guard node.pointee.properties != nil else { return [] }
        var result: [XMLAttribute] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            var value = ""
            var child = current.pointee.children
            while let part = child {
                Self.append(characterData(of: part), to: &value)
                child = part.pointee.next
            }
            result.append(XMLAttribute(
                name: names.string(current.pointee.name) ?? "",
                prefix: current.pointee.ns.flatMap { names.string($0.pointee.prefix) },
                namespaceURI: current.pointee.ns.flatMap { names.string($0.pointee.href) },
                value: value))
            attribute = current.pointee.next
        }
        return result
    }

    /// Text of a text node, or the expansion of an entity reference.
    private func characterData(of node: UnsafeMutablePointer<xmlNode>) -> String {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            guard let content = node.pointee.content else { return "" }
            // `String(cString:)` made by the core's UTF-8 maker (the same String: invalid bytes repaired alike).
            return indentation(content) ?? UTF8Strings.string(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
        case XML_ENTITY_REF_NODE:
            return expandEntity(named: swiftString(node.pointee.name) ?? "", document: node.pointee.doc,
                line: Int(xmlGetLineNo(node)), depth: 0)
        default:
            return ""
        }
    }

    /// The white space that indents a document: a line feed and then 0–63 spaces, each made once.
    private let indentations: [String] = (0..<64).map { "\n" + String(repeating: " ", count: $0) }

    /// The same string as `String(cString: text)` when `text` is a line feed followed only by spaces (the text
    /// between the tags of an indented document, about half of its text nodes), without making it again; nil for
    /// any other text.
    @inline(__always)
    private func indentation(_ text: UnsafePointer<xmlChar>) -> String? {
        guard text[0] == 0x0A else { return nil }
        var count = 0
        while text[count + 1] == 0x20 { count &+= 1 }
        guard text[count + 1] == 0, count < indentations.count else { return nil }
        return indentations[count]
    }

    /// `text += piece`, taking the piece itself when `text` is empty (the usual case: one text node per run),
    /// which `+=` does not do cheaply.
    @inline(__always)
    private static func append(_ piece: String, to text: inout String) {
        if text.isEmpty { text = piece } else { text += piece }
    }

    private func convert(
        _ node: UnsafeMutablePointer<xmlNode>, depth: Int, textBudget: inout Int, reportedTooLarge: inout Bool,
        knownPosition: (line: Int, column: Int)? = nil
    ) -> XMLElementNode {
        let (line, column) = knownPosition ?? position(of: node)
        // The fields in the order they were made before (the attributes' entity expansions report before the
        // children's), the element made once at the end with its children (not made empty and then changed).
        let name = names.string(node.pointee.name) ?? ""
        let prefix = node.pointee.ns.flatMap { names.string($0.pointee.prefix) }
        let namespaceURI = node.pointee.ns.flatMap { names.string($0.pointee.href) }
        let elementAttributes = self.attributes(of: node)
        // One allocation for the children (text runs merge, so this may be more than needed), not one per doubling.
        var childNodes = 0
        var child = node.pointee.children
        while let current = child {
            childNodes &+= 1
            child = current.pointee.next
        }
        var children: [XMLChild] = []
        if childNodes > 0 { children.reserveCapacity(childNodes) }
        var pendingText = ""
        child = node.pointee.children
        while let current = child {
            child = current.pointee.next
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                if !pendingText.isEmpty {
                    children.append(.text(pendingText))
                    pendingText = ""
                }
                if depth + 1 >= options.maxDepth {
                    collector.append(.error(.nestingTooDeep,
                        "elements nest deeper than \(options.maxDepth) levels; the deeper content was dropped",
                        at: SourceLocation(file: fileName, line: Int(xmlGetLineNo(current)), column: 1)))
                    continue
                }
                children.append(.element(
                    convert(current, depth: depth + 1, textBudget: &textBudget, reportedTooLarge: &reportedTooLarge)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE, XML_ENTITY_REF_NODE:
                let text = characterData(of: current)
                let size = text.utf8.count
                if size > textBudget {
                    if !reportedTooLarge {
                        reportedTooLarge = true
                        collector.append(.error(.recordTooLarge,
                            "the <\(prefix.map { $0 + ":" + name } ?? name)> element holds more than \(options.maxElementText) bytes of text; the rest was dropped",
                            at: SourceLocation(file: fileName, line: line, column: column)))
                    }
                    textBudget = 0
                } else {
                    textBudget -= size
                    Self.append(text, to: &pendingText)
                }
            default:
                break
            }
        }
        if !pendingText.isEmpty { children.append(.text(pendingText)) }
        return XMLElementNode(
            name: name, prefix: prefix, namespaceURI: namespaceURI, attributes: elementAttributes, children: children,
            line: line, column: column)
    }

    /// The text an entity reference stands for: an internal entity the document declares (expanded within the
    /// budget), a name from ``XMLNamedEntities``, or the reference itself as text when neither knows it.
    private func expandEntity(
        named name: String, document: UnsafeMutablePointer<xmlDoc>?, line: Int, depth: Int
    ) -> String {
        if let entity = xmlGetDocEntity(document, name) {
            switch entity.pointee.etype {
            case XML_INTERNAL_GENERAL_ENTITY:
                let content = swiftString(entity.pointee.content) ?? ""
                return expandEntityText(content, document: document, line: line, depth: depth + 1)
            case XML_INTERNAL_PREDEFINED_ENTITY:
                return swiftString(entity.pointee.content) ?? ""
            default:
                collector.append(.warning(.xmlResourceRefused,
                    "the external entity '\(name)' was not loaded (smrl never reads external entities)",
                    at: SourceLocation(file: fileName, line: max(1, line), column: 1)))
                return ""
            }
        }
        if let replacement = XMLNamedEntities.replacement(for: name) { return replacement }
        return "&" + name + ";"
    }

    /// Expands the references inside an entity's replacement text, charging every character to the budget.
    private func expandEntityText(
        _ content: String, document: UnsafeMutablePointer<xmlDoc>?, line: Int, depth: Int
    ) -> String {
        guard charge(content.utf8.count, line: line), depth <= 16 else {
            if depth > 16 { reportEntityLimit(line: line) }
            return ""
        }
        guard content.utf8.contains(UInt8(ascii: "&")) else { return content }
        var result = ""
        var rest = Substring(content)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            rest = rest[rest.index(after: ampersand)...]
            guard let semicolon = rest.firstIndex(of: ";") else {
                result += "&"
                continue
            }
            let reference = rest[..<semicolon]
            rest = rest[rest.index(after: semicolon)...]
            if reference.hasPrefix("#") {
                let digits = reference.dropFirst()
                let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                if let value, let scalar = Unicode.Scalar(value) { result.unicodeScalars.append(scalar) }
                continue
            }
            switch reference {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                if entityBudget <= 0 { return result }
                result += expandEntity(named: String(reference), document: document, line: line, depth: depth)
            }
        }
        result += rest
        return result
    }

    private func charge(_ size: Int, line: Int) -> Bool {
        guard entityBudget >= size else {
            entityBudget = 0
            reportEntityLimit(line: line)
            return false
        }
        entityBudget -= size
        return true
    }

    private func reportEntityLimit(line: Int) {
        guard !reportedEntityLimit else { return }
        reportedEntityLimit = true
        collector.append(.error(.xmlEntityLimit,
            "entity expansion stopped: the document's entities expand to more than \(options.maxEntityExpansion) characters or nest too deeply",
            at: SourceLocation(file: fileName, line: max(1, line), column: 1)))
    }
}
