/// An attribute of an element: its local name, namespace and value (entity references resolved).
public struct XMLAttribute: Hashable, Sendable {
    /// Local name (`type` in `xlink:type`).
    public var name: String
    /// The prefix as written (`xlink`), or nil.
    public var prefix: String?
    /// The namespace URI, or nil for an attribute without prefix. `xml:lang` has the XML namespace.
    public var namespaceURI: String?
    public var value: String

    public init(name: String, prefix: String? = nil, namespaceURI: String? = nil, value: String) {
        self.name = name
        self.prefix = prefix
        self.namespaceURI = namespaceURI
        self.value = value
    }

    /// `prefix:name`, or the name alone.
    public var qualifiedName: String { prefix.map { $0 + ":" + name } ?? name }
}

/// One child of an element: a nested element or a run of character data (text and CDATA, with entities
/// resolved). Comments and processing instructions are not kept.
public enum XMLChild: Hashable, Sendable {
    case element(XMLElementNode)
    case text(String)
}

/// An element copied out of libxml2 into an immutable Swift value: nothing in it points into C memory, so it
/// can outlive the parse and cross threads.
///
/// A value type whose fields sit in one shared object, copied on the first change to a shared value: copying an
/// element (binding it from ``XMLChild/element(_:)``, passing it around) retains one object, not five, and a child
/// in an element's `children` is one pointer wide.
public struct XMLElementNode: Hashable, Sendable {
    /// The fields. Changed only through ``unique()``, that is only while one value holds it; so it is never
    /// changed while shared between threads, and its fields need no run-time exclusivity checks.
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var name: String
        @exclusivity(unchecked) var prefix: String?
        @exclusivity(unchecked) var namespaceURI: String?
        @exclusivity(unchecked) var attributes: [XMLAttribute]
        @exclusivity(unchecked) var children: [XMLChild]
        @exclusivity(unchecked) var line: Int
        @exclusivity(unchecked) var column: Int

        init(
            name: String, prefix: String?, namespaceURI: String?, attributes: [XMLAttribute], children: [XMLChild],
            line: Int, column: Int
        ) {
            self.name = name
            self.prefix = prefix
            self.namespaceURI = namespaceURI
            self.attributes = attributes
            self.children = children
            self.line = line
            self.column = column
        }

        func copy() -> Storage {
            Storage(name: name, prefix: prefix, namespaceURI: namespaceURI, attributes: attributes, children: children,
                line: line, column: column)
        }
    }

    private var storage: Storage

    /// The storage, copied first when another value shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// Local name (`article-title`; `math` for `mml:math`).
    public var name: String {
        get { storage.name }
        set { unique().name = newValue }
    }
    /// The prefix as written, or nil.
    public var prefix: String? {
        get { storage.prefix }
        set { unique().prefix = newValue }
    }
    /// The namespace URI, or nil when the element is in no namespace (plain JATS).
    public var namespaceURI: String? {
        get { storage.namespaceURI }
        set { unique().namespaceURI = newValue }
    }
    public var attributes: [XMLAttribute] {
        get { storage.attributes }
        _modify {
            let storage = unique()
            yield &storage.attributes
        }
    }
    public var children: [XMLChild] {
        get { storage.children }
        _modify {
            let storage = unique()
            yield &storage.children
        }
    }
    /// 1-based line of the start tag.
    public var line: Int {
        get { storage.line }
        set { unique().line = newValue }
    }
    /// 1-based column of the start tag's `<`, counted in Unicode scalars; 1 when it could not be determined.
    public var column: Int {
        get { storage.column }
        set { unique().column = newValue }
    }

    public init(
        name: String, prefix: String? = nil, namespaceURI: String? = nil, attributes: [XMLAttribute] = [],
        children: [XMLChild] = [], line: Int = 1, column: Int = 1
    ) {
        storage = Storage(
            name: name, prefix: prefix, namespaceURI: namespaceURI, attributes: attributes, children: children,
            line: line, column: column)
    }

    /// Equal fields (as a struct of these fields would compare).
    public static func == (left: XMLElementNode, right: XMLElementNode) -> Bool {
        if left.storage === right.storage { return true }
        return left.name == right.name && left.prefix == right.prefix && left.namespaceURI == right.namespaceURI
            && left.attributes == right.attributes && left.children == right.children && left.line == right.line
            && left.column == right.column
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(prefix)
        hasher.combine(namespaceURI)
        hasher.combine(attributes)
        hasher.combine(children)
        hasher.combine(line)
        hasher.combine(column)
    }

    /// `prefix:name`, or the name alone.
    public var qualifiedName: String { prefix.map { $0 + ":" + name } ?? name }

    /// The value of the attribute with this local name (any namespace, first match), or nil. Pass
    /// `namespaceURI` to require one (`"http://www.w3.org/1999/xlink"` for `xlink:href`).
    public func attribute(_ name: String, namespaceURI: String? = nil) -> String? {
        for attribute in attributes where attribute.name == name {
            if let namespaceURI, attribute.namespaceURI != namespaceURI { continue }
            return attribute.value
        }
        return nil
    }

    /// The child elements, in order.
    public var elements: [XMLElementNode] {
        children.compactMap { if case .element(let element) = $0 { return element } else { return nil } }
    }

    /// The child elements with this local name.
    public func elements(_ name: String) -> [XMLElementNode] {
        children.compactMap {
            if case .element(let element) = $0, element.name == name { return element } else { return nil }
        }
    }

    /// The first child element with this local name.
    public func element(_ name: String) -> XMLElementNode? {
        for case .element(let element) in children where element.name == name { return element }
        return nil
    }

    /// The first element found by following child names: `element(path: "title-group", "article-title")`.
    public func element(path names: String...) -> XMLElementNode? {
        var current: XMLElementNode? = self
        for name in names { current = current?.element(name) }
        return current
    }

    /// Every descendant element with this local name, in document order (not descending into matches).
    public func descendants(_ name: String) -> [XMLElementNode] {
        var result: [XMLElementNode] = []
        walk(matching: name) { element in
            result.append(element)
            return true
        }
        return result
    }

    /// The first descendant element with this local name, in document order.
    public func firstDescendant(_ name: String) -> XMLElementNode? {
        var first: XMLElementNode?
        walk(matching: name) { element in
            first = element
            return false
        }
        return first
    }

    /// Hands `found` each descendant element named `name`, in document order, without descending into them; stops
    /// when `found` returns false. Allocates nothing until it enters a child element.
    @inline(__always)
    private func walk(matching name: String, _ found: (XMLElementNode) -> Bool) {
        traverse { child in
            guard case .element(let element) = child else { return .skip }
            if element.name == name { return found(element) ? .skip : .stop }
            return .descend
        }
    }

    /// What ``traverse(_:)`` does after visiting a child.
    private enum TraversalStep {
        /// Go into the child's children (for an element), then on with its next sibling.
        case descend
        /// Go on with the child's next sibling.
        case skip
        /// End the traversal.
        case stop
    }

    /// Visits every node inside the element in document order, each element before its children, doing what
    /// `visit` says after each. Nothing is allocated until the traversal enters a child element (an element
    /// without children is not entered).
    @inline(__always)
    private func traverse(_ visit: (XMLChild) -> TraversalStep) {
        // The children being visited, where in them, and the same for each element the traversal is inside.
        var stack: [([XMLChild], Int)] = []
        var children = self.children
        var index = 0
        while true {
            while index < children.count {
                let child = children[index]
                index += 1
                switch visit(child) {
                case .stop:
                    return
                case .skip:
                    continue
                case .descend:
                    if case .element(let element) = child, !element.children.isEmpty {
                        stack.append((children, index))
                        children = element.children
                        index = 0
                    }
                }
            }
            guard let (outer, next) = stack.popLast() else { return }
            children = outer
            index = next
        }
    }

    /// True when some character data inside the element is other than XML white space (space, tab, CR, LF):
    /// `normalizedText` is not empty. Stops at the first such character, without building the text.
    public var hasVisibleText: Bool {
        var visible = false
        forEachText { text in
            visible = text.utf8.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            return !visible
        }
        return visible
    }

    /// All character data inside the element, concatenated as written (no white-space changes).
    public var textContent: String {
        // An element holding one run of text (most leaves) gives that text itself.
        if children.isEmpty { return "" }
        if children.count == 1, case .text(let text) = children[0] { return text }
        var result = ""
        forEachText { text in
            result += text
            return true
        }
        return result
    }

    /// Calls `body` with each run of character data inside the element, in document order, while it returns true.
    @inline(__always)
    private func forEachText(_ body: (String) -> Bool) {
        traverse { child in
            switch child {
            case .text(let text): return body(text) ? .skip : .stop
            case .element: return .descend
            }
        }
    }

    public var normalizedText: String { XMLText.collapsingWhitespace(textContent) }
}

/// Text helpers shared by XML-based formats.
public enum XMLText {
    /// Collapses runs of XML white space (space, tab, CR, LF) into one space and trims both ends. Other spaces
    /// (no-break space) are kept, as they are meaningful.
    public static func collapsingWhitespace(_ text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            // Text that is already collapsed is returned as it is, without a copy.
            if isCollapsed(utf8) { return nil }
            // Written straight into the new string's storage: never longer than the input.
            return String(unsafeUninitializedCapacity: utf8.count) { output in
                var written = 0
                var pendingSpace = false
                for byte in utf8 {
                    if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                        pendingSpace = written > 0
                    } else {
                        if pendingSpace {
                            output[written] = 0x20
                            written &+= 1
                        }
                        pendingSpace = false
                        output[written] = byte
                        written &+= 1
                    }
                }
                return written
            }
        } ?? text
    }

    /// True when `utf8` is not empty and has no tab, CR or LF, no space at either end and no space next to another:
    /// ``collapsingWhitespace(_:)`` would give it back unchanged. Eight bytes at a time while they hold no byte
    /// below U+0020 (then one at a time).
    static func isCollapsed(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let bytes = utf8.baseAddress, !utf8.isEmpty else { return false }
        let count = utf8.count
        if bytes[0] == 0x20 || bytes[count - 1] == 0x20 { return false }
        var index = 0
        var previousSpace = false
        while index &+ 8 <= count {
            let word = ByteWord.loadInMemoryOrder(bytes, index)
            if ByteWord.anyBelow(word, 0x20) { break }
            let spaces = ByteWord.exactMatches(word, 0x20)
            // A space whose byte before it (in this word, or the last of the previous one) is a space too.
            if spaces & ((spaces &<< 8) | (previousSpace ? 0x80 : 0)) != 0 { return false }
            previousSpace = spaces &>> 63 != 0
            index &+= 8
        }
        while index < count {
            let byte = bytes[index]
            if byte == 0x09 || byte == 0x0A || byte == 0x0D || (byte == 0x20 && previousSpace) { return false }
            previousSpace = byte == 0x20
            index &+= 1
        }
        return true
    }
}
