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
public struct XMLElementNode: Hashable, Sendable {
    /// Local name (`article-title`; `math` for `mml:math`).
    public var name: String
    /// The prefix as written, or nil.
    public var prefix: String?
    /// The namespace URI, or nil when the element is in no namespace (plain JATS).
    public var namespaceURI: String?
    public var attributes: [XMLAttribute]
    public var children: [XMLChild]
    /// 1-based line of the start tag.
    public var line: Int
    /// 1-based column of the start tag's `<`, counted in Unicode scalars; 1 when it could not be determined.
    public var column: Int

    public init(
        name: String, prefix: String? = nil, namespaceURI: String? = nil, attributes: [XMLAttribute] = [],
        children: [XMLChild] = [], line: Int = 1, column: Int = 1
    ) {
        self.name = name
        self.prefix = prefix
        self.namespaceURI = namespaceURI
        self.attributes = attributes
        self.children = children
        self.line = line
        self.column = column
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
        var stack: [(XMLElementNode, Int)] = [(self, 0)]
        while var (node, index) = stack.popLast() {
            while index < node.children.count {
                let child = node.children[index]
                index += 1
                if case .element(let element) = child {
                    if element.name == name {
                        result.append(element)
                    } else if !element.children.isEmpty {
                        stack.append((node, index))
                        node = element
                        index = 0
                    }
                }
            }
        }
        return result
    }

    /// The first descendant element with this local name, in document order.
    public func firstDescendant(_ name: String) -> XMLElementNode? {
        var stack: [(XMLElementNode, Int)] = [(self, 0)]
        while var (node, index) = stack.popLast() {
            while index < node.children.count {
                let child = node.children[index]
                index += 1
                if case .element(let element) = child {
                    if element.name == name { return element }
                    if !element.children.isEmpty {
                        stack.append((node, index))
                        node = element
                        index = 0
                    }
                }
            }
        }
        return nil
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
    private func forEachText(_ body: (String) -> Bool) {
        var stack: [(XMLElementNode, Int)] = [(self, 0)]
        while var (node, index) = stack.popLast() {
            while index < node.children.count {
                let child = node.children[index]
                index += 1
                switch child {
                case .text(let text):
                    guard body(text) else { return }
                case .element(let element):
                    stack.append((node, index))
                    node = element
                    index = 0
                }
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
            // Text that is already collapsed (no tab, CR or LF, no space at either end or next to another) is
            // returned as it is, without a copy.
            var clean = true
            var previousSpace = true  // a space at the start is not clean
            for byte in utf8 {
                if byte == 0x09 || byte == 0x0A || byte == 0x0D || (byte == 0x20 && previousSpace) {
                    clean = false
                    break
                }
                previousSpace = byte == 0x20
            }
            if clean && !previousSpace { return nil }
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
}
