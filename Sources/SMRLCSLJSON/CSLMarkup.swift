import SMRLCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CSL's HTML-like inline markup ⇄ the model's ``RichText``.
///
/// CSL processors understand `<i>`, `<b>`, `<sub>`, `<sup>`, `<span style="font-variant:small-caps;">` and
/// `<span class="nocase">`. The model uses the same tags except `<sc>` for small capitals. Reading also accepts
/// `<em>`/`<strong>` (as italic/bold), any case and spacing in the tags and single-quoted attributes; every other
/// tag (`<span class="nodecor">`, `<a href>`) stays literal text, so it is written back unchanged.
enum CSLMarkup {
    /// True when the text holds a `<` at all (the only case where markup can change anything).
    static func hasTags(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0x3C, bytes.count) != nil
        }
    }

    /// True when ``toRich(_:)`` and ``toCSL(_:)`` both certainly give the text back unchanged, decided on bytes:
    /// every `<` is either literal for both (followed by white space or the end, as in `p < 0.05`, or with no `>`
    /// anywhere after it) or starts one of the tags that both conversions write as they read them (`<i>`, `</i>`,
    /// `<b>`, `</b>`, `<sub>`, `</sub>`, `<sup>`, `</sup>`, exactly so). Anything else (`<em>`, `<span …>`, `<sc>`,
    /// other spellings) gives false and goes the slow way.
    static func isLiteral(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return true }
            let count = bytes.count
            var index = 0
            while index < count {
                guard let found = memchr(base + index, 0x3C, count &- index) else { return true }
                let lt = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let next = lt &+ 1
                guard next < count else { return true }
                let byte = base[next]
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    index = next
                    continue
                }
                let tagLength = plainTagLength(base + lt, available: count &- lt)
                if tagLength > 0 {
                    index = lt &+ tagLength
                    continue
                }
                // Possibly a tag: literal only when no `>` follows anywhere (then no later `<` is a tag either).
                return memchr(base + next, 0x3E, count &- next) == nil
            }
            return true
        }
    }

    /// The length of the tag at `start` when it is `<i>`, `</i>`, `<b>`, `</b>`, `<sub>`, `</sub>`, `<sup>` or
    /// `</sup>`; 0 otherwise.
    private static func plainTagLength(_ start: UnsafePointer<UInt8>, available: Int) -> Int {
        var offset = 1
        if available > 1, start[1] == UInt8(ascii: "/") { offset = 2 }
        guard available > offset else { return 0 }
        switch start[offset] {
        case UInt8(ascii: "i"), UInt8(ascii: "b"):
            guard available > offset + 1, start[offset + 1] == UInt8(ascii: ">") else { return 0 }
            return offset + 2
        case UInt8(ascii: "s"):
            guard available > offset + 3, start[offset + 1] == UInt8(ascii: "u"),
                start[offset + 2] == UInt8(ascii: "b") || start[offset + 2] == UInt8(ascii: "p"),
                start[offset + 3] == UInt8(ascii: ">")
            else { return 0 }
            return offset + 4
        default:
            return 0
        }
    }

    /// CSL markup → rich text.
    static func toRich(_ text: String) -> String {
        isLiteral(text) ? text : convertToRich(text)
    }

    /// ``toRich(_:)`` without the byte-level shortcut (tests check that the shortcut agrees with it).
    static func convertToRich(_ text: String) -> String {
        guard hasTags(text) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        /// What each open `<span>` became: its closing tag in the model (`</span>`, `</sc>`) or nil when literal.
        var spans: [String?] = []
        var index = text.startIndex
        while let lt = text[index...].firstIndex(of: "<") {
            result += text[index..<lt]
            let afterLT = text.index(after: lt)
            guard afterLT < text.endIndex, !text[afterLT].isWhitespace,
                let gt = text[lt...].prefix(120).firstIndex(of: ">")
            else {
                result.append("<")
                index = text.index(after: lt)
                continue
            }
            let tag = text[lt...gt]
            let normalized: String
            switch tag {
            case "<i>", "</i>", "<b>", "</b>", "<sub>", "</sub>", "<sup>", "</sup>", "</span>",
                "<span class=\"nocase\">":
                normalized = String(tag)
            default:
                normalized = normalize(tag)
            }
            var replacement: String?
            switch normalized {
            case "<i>", "<em>": replacement = "<i>"
            case "</i>", "</em>": replacement = "</i>"
            case "<b>", "<strong>": replacement = "<b>"
            case "</b>", "</strong>": replacement = "</b>"
            case "<sub>", "</sub>", "<sup>", "</sup>": replacement = normalized
            case "</span>":
                if let last = spans.popLast() { replacement = last }
            default:
                if normalized.hasPrefix("<span") {
                    if normalized == "<span class=\"nocase\">" {
                        spans.append("</span>")
                        replacement = RichText.Style.noCase.openTag
                    } else if normalized.contains("font-variant:small-caps") {
                        spans.append("</sc>")
                        replacement = "<sc>"
                    } else {
                        spans.append(nil)
                    }
                }
            }
            result += replacement ?? String(tag)
            index = text.index(after: gt)
        }
        result += text[index...]
        return result
    }

    /// A tag in lower case with the spaces CSL allows removed: `<span style="font-variant:small-caps;">`,
    /// `<span class="nocase">`, `</i>`.
    private static func normalize(_ tag: Substring) -> String {
        var result = ""
        var inQuotes = false
        var previousWasSpace = false
        for character in tag.lowercased() {
            var character = character
            if character == "'" { character = "\"" }
            if character == "\"" { inQuotes.toggle() }
            if character.isWhitespace {
                previousWasSpace = true
                continue
            }
            // Keep one space between the tag name and its first attribute; drop spaces inside values.
            if previousWasSpace, !inQuotes || character == "\"", result.last.map({ $0.isLetter }) ?? false,
                character.isLetter
            {
                result.append(" ")
            }
            previousWasSpace = false
            result.append(character)
        }
        return result
    }

    /// Rich text → CSL markup.
    static func toCSL(_ text: String) -> String {
        isLiteral(text) ? text : convertToCSL(text)
    }

    /// ``toCSL(_:)`` without the byte-level shortcut.
    static func convertToCSL(_ text: String) -> String {
        guard hasTags(text) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 32)
        for token in RichText.tokenize(text) {
            switch token {
            case .text(let text): result += text
            case .open(.smallCaps): result += "<span style=\"font-variant:small-caps;\">"
            case .close(.smallCaps): result += "</span>"
            case .open(let style): result += style.openTag
            case .close(let style): result += style.closeTag
            }
        }
        return result
    }
}
