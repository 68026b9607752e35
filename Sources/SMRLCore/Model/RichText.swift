#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inline markup that rich-text fields of a ``Resource`` may carry: the subset of HTML that CSL processors
/// understand. Only these exact tags are markup; any other `<` or `&` is a literal character.
///
/// | markup | meaning |
/// |---|---|
/// | `<i>…</i>` | italic |
/// | `<b>…</b>` | bold |
/// | `<sub>…</sub>`, `<sup>…</sup>` | subscript, superscript |
/// | `<sc>…</sc>` | small capitals |
/// | `<span class="nocase">…</span>` | case-protected text (BibTeX braces, JATS has no equivalent) |
public enum RichText {
    /// A style that a run of text carries.
    public enum Style: String, Sendable, Hashable, CaseIterable {
        case italic = "i"
        case bold = "b"
        case `subscript` = "sub"
        case superscript = "sup"
        case smallCaps = "sc"
        case noCase = "span class=\"nocase\""

        /// The opening tag.
        public var openTag: String { "<\(rawValue)>" }
        /// The closing tag.
        public var closeTag: String { self == .noCase ? "</span>" : "</\(rawValue)>" }
    }

    /// A piece of a rich-text value: plain text, or the start or end of a style.
    public enum Token: Hashable, Sendable {
        case text(String)
        case open(Style)
        case close(Style)
    }

    /// Splits a rich-text value into text and markup tokens. Unbalanced closing tags are kept as text.
    public static func tokenize(_ value: String) -> [Token] {
        // Without a `<` that can start a tag there is no markup: the whole value is text (most values).
        guard mayHoldTag(value) else { return value.isEmpty ? [] : [.text(value)] }
        var tokens: [Token] = []
        var text = ""
        var open: [Style] = []
        var rest = Substring(value)
        while let lt = rest.firstIndex(of: "<") {
            text += rest[..<lt]
            rest = rest[lt...]
            var matched = false
            for style in Style.allCases {
                if rest.hasPrefix(style.openTag) {
                    if !text.isEmpty { tokens.append(.text(text)); text = "" }
                    tokens.append(.open(style))
                    open.append(style)
                    rest = rest.dropFirst(style.openTag.count)
                    matched = true
                    break
                }
                if rest.hasPrefix(style.closeTag), let index = open.lastIndex(of: style) {
                    if !text.isEmpty { tokens.append(.text(text)); text = "" }
                    tokens.append(.close(style))
                    open.remove(at: index)
                    rest = rest.dropFirst(style.closeTag.count)
                    matched = true
                    break
                }
            }
            if !matched {
                text.append("<")
                rest = rest.dropFirst()
            }
        }
        text += rest
        if !text.isEmpty { tokens.append(.text(text)) }
        return tokens
    }

    /// False when no `<` in the value is followed by a byte that starts a tag (`i`, `b`, `s` or `/`): then the
    /// value is all text, as abstracts with `p < 0.05` mostly are. A scan of the UTF-8 bytes.
    package static func mayHoldTag(_ value: String) -> Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = bytes.baseAddress else { return false }
            var index = 0
            let count = bytes.count
            // Each `<` before the last byte, found by the C library's memchr (vector code; most values have none).
            while index &+ 1 < count {
                guard let found = memchr(base + index, 0x3C, count &- index &- 1) else { return false }
                let at = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                switch base[at &+ 1] {
                case UInt8(ascii: "i"), UInt8(ascii: "b"), UInt8(ascii: "s"), UInt8(ascii: "/"): return true
                default: index = at &+ 1
                }
            }
            return false
        }
        if let found = value.utf8.withContiguousStorageIfAvailable(scan) { return found }
        return Array(value.utf8).withUnsafeBufferPointer(scan)
    }

    /// ``mayHoldTag(_:)`` as it was written before it searched with `memchr`: the tests' reference.
    package static func mayHoldTagSlowly(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x3C {
                switch bytes[index + 1] {
                case UInt8(ascii: "i"), UInt8(ascii: "b"), UInt8(ascii: "s"), UInt8(ascii: "/"): return true
                default: break
                }
            }
            index += 1
        }
        return false
    }

    /// True when the value contains any markup.
    public static func hasMarkup(_ value: String) -> Bool {
        guard mayHoldTag(value) else { return false }
        return tokenize(value).contains { if case .text = $0 { return false } else { return true } }
    }

    /// The value with its markup removed.
    public static func plainText(_ value: String) -> String {
        guard mayHoldTag(value) else { return value }
        var result = ""
        for token in tokenize(value) {
            if case .text(let text) = token { result += text }
        }
        return result
    }

    /// Builds a rich-text value from tokens (the inverse of ``tokenize(_:)``).
    public static func render(_ tokens: [Token]) -> String {
        var result = ""
        for token in tokens {
            switch token {
            case .text(let text): result += text
            case .open(let style): result += style.openTag
            case .close(let style): result += style.closeTag
            }
        }
        return result
    }
}

extension String {
    /// True when the UTF-8 form contains `byte` (an ASCII character such as `<`): a byte loop for short texts,
    /// `memchr` from 32 bytes on (below that its call costs more than the loop).
    @inlinable
    public func containsByte(_ byte: UInt8) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ bytes in
            bytes.count < 32 ? bytes.contains(byte) : String.containsByteByMemchr(bytes, byte)
        }) { return found }
        return utf8.contains(byte)
    }
}
