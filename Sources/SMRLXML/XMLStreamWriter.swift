public import SMRLCore

/// An error from the XML writer (an element or attribute where XML allows none, or libxml2 failing in the
/// reference engine).
public struct XMLWriterError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Writes XML into an ``OutputSink``, escaping text and attribute values. Characters XML 1.0 does not allow
/// (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF) are removed from text and attribute
/// values, and ``removedCharacters`` counts them.
///
/// Indentation is smrl's own, so that mixed content is never changed: an element started with
/// `mixed: true` (a title with `<italic>` inside) and everything in it are written without added white space;
/// structural elements get one element per line, indented by two spaces.
///
/// ```swift
/// let writer = try XMLStreamWriter(sink: sink)
/// try writer.startDocument()
/// try writer.startElement("ref-list")
/// try writer.element("title", text: "References & notes")   // escaped
/// try writer.endElement()
/// try writer.endDocument()
/// ```
///
/// The bytes are made here, into one buffer handed to the sink by ``flush()``: the same bytes libxml2's
/// `xmlTextWriter` (which smrl used before) writes for these calls, at a fraction of its cost per call. That writer
/// is kept as ``Engine/libxml2``, the reference the tests compare with byte for byte. What both write:
/// - the declaration `<?xml version="1.0" encoding="UTF-8"?>` and a line feed;
/// - in text, `&amp;` `&lt;` `&gt;` `&quot;` and `&#13;` for a carriage return; everything else as it is (UTF-8);
/// - in attribute values (quoted with `"`), the same and `&#10;` for a line feed, `&#9;` for a tab;
/// - `<x></x>` from ``endElement()`` and `<x/>` from ``endEmptyElement()`` for an element with no content (text
///   that was all removed characters still counts as content);
/// - a line feed after the document.
public final class XMLStreamWriter {
    /// How the bytes are made.
    package enum Engine: Sendable {
        /// smrl's own escaping and formatting into a byte buffer (the default).
        case bytes
        /// libxml2's `xmlTextWriter`: the reference for tests.
        case libxml2
    }

    private let sink: OutputSink
    private let indent: Bool
    // The writer's state is never reached from two places at once (nothing here calls out while it writes), so the
    // run-time exclusivity checks, which cost more than the writing itself, are off for it.

    /// The bytes not yet handed to the sink (the ``Engine/bytes`` engine). Made with memory of its own and never
    /// copied (only changed in place, here), so its memory stays its own: stores check only the room
    /// (``ByteBuffer/reserve(_:)``), not the uniqueness that ``ByteBuffer/prepare(_:)`` checks first. The same
    /// holds for ``openNames``.
    @exclusivity(unchecked) private var out = ByteBuffer(capacity: 1 << 14)
    /// Set for the ``Engine/libxml2`` engine.
    private let reference: XMLTextWriterReference?
    /// An open element. With the ``Engine/bytes`` engine its name is not kept as a `String` (retained and released
    /// with every element) but as bytes in ``openNames``, from `nameStart` to the next open element's (or the end).
    private struct Open {
        var name: String
        var nameStart: Int
        var mixed: Bool
        var hasChildren: Bool
    }
    @exclusivity(unchecked) private var stack: [Open] = []
    /// The names of the open elements, one after the other (``Engine/bytes``): copied from here into end tags.
    @exclusivity(unchecked) private var openNames = ByteBuffer(capacity: 256)
    /// The innermost element's start tag still lacks its `>`: attributes may follow (``Engine/bytes``).
    @exclusivity(unchecked) private var startTagOpen = false
    /// How many characters not allowed in XML were removed from text and attribute values.
    @exclusivity(unchecked) public private(set) var removedCharacters = 0

    /// - Parameters:
    ///   - sink: where the bytes go (buffered; call ``flush()`` or ``endDocument()``).
    ///   - indent: put structural elements on their own lines.
    public convenience init(sink: OutputSink, indent: Bool = true) throws {
        try self.init(sink: sink, indent: indent, engine: .bytes)
    }

    /// A writer whose bytes are made by `engine` (``Engine/libxml2`` for tests comparing with the reference).
    package init(sink: OutputSink, indent: Bool = true, engine: Engine) throws {
        self.sink = sink
        self.indent = indent
        reference = engine == .libxml2 ? try XMLTextWriterReference(sink: sink) : nil
        stack.reserveCapacity(16)
    }

    private func misuse(_ what: String) -> XMLWriterError {
        XMLWriterError(message: "the XML writer cannot write \(what) here")
    }

    /// Writes `>` if the innermost start tag is still open.
    @inline(__always)
    private func closeStartTag() {
        if startTagOpen {
            out.reserve(1)
            out.put(0x3E)
            startTagOpen = false
        }
    }

    /// A line feed and two spaces per open element.
    private func newlineAndIndentation() throws {
        if let reference {
            try reference.raw("\n" + String(repeating: "  ", count: stack.count))
            return
        }
        closeStartTag()
        let spaces = 2 &* stack.count
        out.reserve(1 &+ spaces)
        out.put(0x0A)
        out.put(spaces: spaces)
    }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>`.
    public func startDocument() throws {
        if let reference { return try reference.startDocument() }
        guard stack.isEmpty else { throw misuse("the XML declaration") }
        out.append(literal: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// Writes `<!DOCTYPE name PUBLIC "publicID" "systemID">` (`SYSTEM "systemID"` without a public id).
    public func docType(name: String, publicID: String?, systemID: String?) throws {
        if let reference {
            try reference.docType(name: name, publicID: publicID, systemID: systemID)
        } else {
            guard stack.isEmpty, !name.isEmpty, publicID == nil || systemID != nil else { throw misuse("the DOCTYPE") }
            out.append(literal: "<!DOCTYPE ")
            out.append(utf8: name)
            if let publicID {
                out.append(literal: " PUBLIC \"")
                out.append(utf8: publicID)
                out.append(0x22)
            }
            if let systemID {
                if publicID == nil { out.append(literal: " SYSTEM \"") } else { out.append(literal: " \"") }
                out.append(utf8: systemID)
                out.append(0x22)
            }
            out.append(0x3E)
        }
        if indent {
            if let reference { try reference.raw("\n") } else { out.append(0x0A) }
        }
    }

    /// Opens an element. With `mixed`, nothing inside it is indented (use it for elements holding text and
    /// inline markup).
    public func startElement(_ qualifiedName: String, mixed: Bool = false) throws {
        let parentMixed = try openChild()
        if let reference {
            try reference.startElement(qualifiedName)
            stack.append(Open(name: qualifiedName, nameStart: 0, mixed: mixed || parentMixed, hasChildren: false))
            return
        }
        let nameStart = openNames.count
        try appendStartTag(qualifiedName)
        // The name is kept as bytes only (an empty String costs no reference counting).
        stack.append(Open(name: "", nameStart: nameStart, mixed: mixed || parentMixed, hasChildren: false))
    }

    /// What starting a child of the innermost open element does before its start tag: the line break and
    /// indentation (unless the parent is mixed) and marking the parent as having children. Returns whether the
    /// parent is mixed.
    @inline(__always)
    private func openChild() throws -> Bool {
        guard !stack.isEmpty else { return false }
        let last = stack.count &- 1
        let parentMixed = stack[last].mixed
        if indent, !parentMixed { try newlineAndIndentation() }
        stack[last].hasChildren = true
        return parentMixed
    }

    /// `<name` with the start tag left open (``Engine/bytes``); the name's bytes are also kept in ``openNames`` for
    /// the end tag.
    @inline(__always)
    private func appendStartTag(_ qualifiedName: String) throws {
        guard !qualifiedName.isEmpty else { throw misuse("an element without a name") }
        var name = qualifiedName
        name.withUTF8 { appendStartTag($0, keepingName: true) }
    }

    /// `<name` (a name of one byte or more) with the start tag left open; with `keepingName`, the name's bytes are
    /// also kept in ``openNames`` for the end tag (``element(_:text:attributes:)`` writes its end tag at once).
    @inline(__always)
    private func appendStartTag(_ name: UnsafeBufferPointer<UInt8>, keepingName: Bool) {
        closeStartTag()
        out.reserve(name.count &+ 1)
        out.put(0x3C)
        out.put(name.baseAddress!, count: name.count)
        if keepingName {
            openNames.reserve(name.count)
            openNames.put(name.baseAddress!, count: name.count)
        }
        startTagOpen = true
    }

    /// `</name>`.
    @inline(__always)
    private func appendEndTag(_ name: UnsafeBufferPointer<UInt8>) {
        out.reserve(name.count &+ 3)
        out.put(0x3C, 0x2F)
        out.put(name.baseAddress!, count: name.count)
        out.put(0x3E)
    }

    /// Adds an attribute to the element just opened (before any content).
    public func attribute(_ qualifiedName: String, _ value: String) throws {
        if let reference { return try reference.attribute(qualifiedName, sanitize(value)) }
        guard startTagOpen, !qualifiedName.isEmpty else { throw misuse("the attribute \(qualifiedName)") }
        var name = qualifiedName
        name.withUTF8 { bytes in
            out.reserve(bytes.count &+ 3)
            out.put(0x20)
            out.put(bytes.baseAddress!, count: bytes.count)
            out.put(0x3D, 0x22)
        }
        appendEscaped(value, attribute: true)
        out.reserve(1)
        out.put(0x22)
    }

    /// Writes character data (escaped).
    public func text(_ text: String) throws {
        guard !text.isEmpty, try beginText(text) else { return }
        appendEscaped(text, attribute: false)
    }

    /// Writes character data (escaped) from a literal, without making a String of it.
    public func text(_ literal: StaticString) throws {
        guard !literal.hasPointerRepresentation || literal.utf8CodeUnitCount > 0,
            try beginText(literal.description)
        else { return }
        literal.withUTF8Buffer { appendEscaped(bytes: $0, attribute: false) }
    }

    /// What comes before non-empty character data: the parent is marked as having content, then either the
    /// reference engine writes `text` (false: nothing left to do) or the open start tag is closed (true: the
    /// caller escapes its bytes into the buffer).
    private func beginText(_ text: @autoclosure () -> String) throws -> Bool {
        if !stack.isEmpty { stack[stack.count &- 1].hasChildren = true }
        if let reference {
            try reference.text(sanitize(text()))
            return false
        }
        guard !stack.isEmpty else { throw misuse("text outside an element") }
        closeStartTag()
        return true
    }

    /// Closes the innermost open element.
    public func endElement() throws {
        try close(asEmpty: false)
    }

    /// Closes the innermost open element as `<x/>` when it has no content.
    public func endEmptyElement() throws {
        try close(asEmpty: true)
    }

    /// `</x>` (`<x></x>` for an element with no content), or with `asEmpty`, `<x/>` for an element with no content.
    private func close(asEmpty: Bool) throws {
        guard let open = stack.popLast() else { throw XMLWriterError(message: "no element is open") }
        if indent, !open.mixed, open.hasChildren { try newlineAndIndentation() }
        if let reference {
            return asEmpty ? try reference.endElement(open.name) : try reference.fullEndElement(open.name)
        }
        let nameStart = open.nameStart
        defer { openNames.truncate(to: nameStart) }
        if startTagOpen {
            startTagOpen = false
            if asEmpty {
                out.reserve(2)
                out.put(0x2F, 0x3E)
                return
            }
            out.reserve(1)
            out.put(0x3E)
        }
        appendEndTag(openNames.unsafeBytes(from: nameStart))
    }

    /// Writes `<name attributes…>text</name>`.
    public func element(_ qualifiedName: String, text: String, attributes: [(String, String)] = []) throws {
        guard reference == nil else {
            try startElement(qualifiedName, mixed: true)
            for (name, value) in attributes { try attribute(name, value) }
            try self.text(text)
            try endElement()
            return
        }
        // What the four calls above write, without keeping the element on the stack: `<name attributes…>`, the
        // text, `</name>` (the element is mixed, so nothing inside it or before its end tag is indented).
        _ = try openChild()
        guard !qualifiedName.isEmpty else { throw misuse("an element without a name") }
        var name = qualifiedName
        try name.withUTF8 { bytes in
            appendStartTag(bytes, keepingName: false)
            for (name, value) in attributes { try attribute(name, value) }
            closeStartTag()
            if !text.isEmpty { appendEscaped(text, attribute: false) }
            appendEndTag(bytes)
        }
    }

    /// Writes an empty element `<name attributes…/>`.
    public func emptyElement(_ qualifiedName: String, attributes: [(String, String)] = []) throws {
        try startElement(qualifiedName, mixed: true)
        for (name, value) in attributes { try attribute(name, value) }
        try endEmptyElement()
    }

    /// Closes every open element, ends the document and flushes everything into the sink.
    public func endDocument() throws {
        while !stack.isEmpty { try endElement() }
        if let reference {
            try reference.endDocument()
        } else {
            out.append(0x0A)
        }
        try flush()
    }

    /// Hands the buffered output to the sink.
    public func flush() throws {
        if let reference { return try reference.flush() }
        out.flush(into: sink)
    }

    // MARK: Escaping

    /// Appends `text` escaped for element content or, with `attribute`, for a value in `"…"`, leaving out (and
    /// counting) the characters XML 1.0 forbids.
    private func appendEscaped(_ text: String, attribute: Bool) {
        var text = text
        text.withUTF8 { appendEscaped(bytes: $0, attribute: attribute) }
    }

    /// ``appendEscaped(_:attribute:)`` on the UTF-8 bytes of a text.
    private func appendEscaped(bytes: UnsafeBufferPointer<UInt8>, attribute: Bool) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        // Bytes needing a look: C0 controls (tab, line feed and carriage return among them), `"`, `&`, `<`,
        // `>`, and 0xEF (the lead byte of U+FFFE and U+FFFF).
        var index = 0
        var runStart = 0
        while index < count {
            // Eight bytes at a time up to the first that needs a look (most text has none).
            if index &+ 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let hits = Self.bytesNeedingALook(word)
                if hits == 0 {
                    index &+= 8
                    continue
                }
                index &+= hits.trailingZeroBitCount >> 3
            }
            let byte = base[index]
            guard Self.needsLook(byte) else {
                index &+= 1
                continue
            }
            let replacement: StaticString
            var width = 1
            switch byte {
            case 0x26: replacement = "&amp;"
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x22: replacement = "&quot;"
            case 0x0D: replacement = "&#13;"
            case 0x0A:
                guard attribute else {
                    index &+= 1
                    continue
                }
                replacement = "&#10;"
            case 0x09:
                guard attribute else {
                    index &+= 1
                    continue
                }
                replacement = "&#9;"
            case 0xEF:
                // U+FFFE is EF BF BE, U+FFFF EF BF BF; other characters with this lead byte stay.
                guard index &+ 2 < count, base[index &+ 1] == 0xBF, base[index &+ 2] & 0xFE == 0xBE else {
                    index &+= 1
                    continue
                }
                replacement = ""
                width = 3
                removedCharacters &+= 1
            default:
                // Another C0 control.
                replacement = ""
                removedCharacters &+= 1
            }
            let run = index &- runStart
            out.reserve(run &+ replacement.utf8CodeUnitCount)
            if run > 0 { out.put(base + runStart, count: run) }
            if replacement.utf8CodeUnitCount > 0 { out.put(replacement.utf8Start, count: replacement.utf8CodeUnitCount) }
            index &+= width
            runStart = index
        }
        if count > runStart {
            out.reserve(count &- runStart)
            out.put(base + runStart, count: count &- runStart)
        }
    }

    /// The high bit of each byte of `word` (eight bytes in memory order, the first the lowest) that
    /// ``needsLook(_:)`` is true for; bytes after the first such byte may be marked falsely (a borrow), the first
    /// mark never is.
    @inline(__always)
    private static func bytesNeedingALook(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // A byte below `n` (n ≤ 0x80) leaves its high bit set in `byte - n` while it is clear in `byte`.
        @inline(__always) func below(_ n: UInt64) -> UInt64 { (word &- ones &* n) & ~word & high }
        @inline(__always) func equal(_ byte: UInt64) -> UInt64 {
            let difference = word ^ (ones &* byte)
            return (difference &- ones) & ~difference & high
        }
        return below(0x20) | equal(0x22) | equal(0x26) | equal(0x3C) | equal(0x3E) | equal(0xEF)
    }

    /// Whether `byte` may need escaping or removal: below 0x20, `"`, `&`, `<`, `>`, 0xEF.
    @inline(__always)
    private static func needsLook(_ byte: UInt8) -> Bool {
        // Bits 0x22 (`"`), 0x26 (`&`), 0x3C (`<`) and 0x3E (`>`) of the second 32 code points.
        let punctuation: UInt32 = 1 << (0x22 - 0x20) | 1 << (0x26 - 0x20) | 1 << (0x3C - 0x20) | 1 << (0x3E - 0x20)
        if byte < 0x20 { return true }
        if byte < 0x40 { return punctuation & (1 << UInt32(byte &- 0x20)) != 0 }
        return byte == 0xEF
    }

    /// The text without characters XML 1.0 forbids (for the reference engine, which escapes by itself).
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
