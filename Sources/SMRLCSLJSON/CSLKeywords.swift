import SMRLCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CSL `keyword` (one string) ⇄ keyword lists.
///
/// `categories` (an array, CSL 1.0.2) is the authoritative list and is always written; `keyword` is written too,
/// as a convenience for processors and tools that only know it: joined with `", "`, or with `"; "` when a keyword
/// itself holds a comma, so that the reader's rules below split it back exactly.
///
/// Splitting `keyword` when there is no `categories`: on `;` and line breaks when there are any (never on
/// commas then); otherwise on commas, except inside brackets and between digits (`1,25-dihydroxy`), and not at
/// all when a piece starts with `&` or `and` — a sign of one label with a serial comma
/// (`Pathways, Admission, & Graduation`), which is kept whole.
enum CSLKeywords {
    static func split(_ text: String) -> [String] {
        let trimmed = text.trimmedFast
        guard !trimmed.isEmpty else { return [] }
        if trimmed.contains(where: { $0 == ";" || $0 == "\n" || $0 == "\r" }) {
            return trimmed.split(whereSeparator: { $0 == ";" || $0 == "\n" || $0 == "\r" })
                .map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        }
        guard trimmed.contains(",") else { return [trimmed] }
        var pieces: [String] = []
        var current = ""
        var depth = 0
        let characters = Array(trimmed)
        for (index, character) in characters.enumerated() {
            switch character {
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            default: break
            }
            if character == ",", depth == 0 {
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                if !(before.isNumber && after.isNumber) {
                    pieces.append(current)
                    current = ""
                    continue
                }
            }
            current.append(character)
        }
        pieces.append(current)
        let cleaned = pieces.map { $0.trimmingSpaces }
        if cleaned.contains(where: { piece in
            let lowered = piece.lowercased()
            return lowered.hasPrefix("&") || lowered.hasPrefix("and ")
        }) {
            return [trimmed]
        }
        return cleaned.filter { !$0.isEmpty }
    }

    /// The `keyword` string for a list.
    static func join(_ keywords: [String]) -> String {
        // A comma byte is necessary for a comma Character (a byte scan rules most keywords out).
        let separator: UInt8 = keywords.contains(where: { hasCommaByte($0) && $0.contains(",") })
            ? UInt8(ascii: ";") : UInt8(ascii: ",")
        return joinBytes(keywords, separator: separator)
    }

    /// The keywords joined with `separator` and a space, written byte by byte into one new string (what
    /// `joined(separator:)` gives: joining concatenates the UTF-8 of the parts).
    static func joinBytes(_ keywords: [String], separator: UInt8) -> String {
        guard keywords.count > 1 else { return keywords.first ?? "" }
        var total = 2 * (keywords.count - 1)
        for keyword in keywords { total += keyword.utf8.count }
        return String(unsafeUninitializedCapacity: total) { buffer in
            var offset = 0
            for (position, keyword) in keywords.enumerated() {
                if position > 0 {
                    buffer[offset] = separator
                    buffer[offset + 1] = 0x20
                    offset += 2
                }
                var keyword = keyword
                keyword.withUTF8 { part in
                    guard let source = part.baseAddress, let target = buffer.baseAddress else { return }
                    (target + offset).update(from: source, count: part.count)
                    offset += part.count
                }
            }
            return offset
        }
    }

    /// `text == join(keywords)`, without building the joined string when the bytes already settle it: equal
    /// bytes are equal strings, and different ASCII bytes are different strings (other text can still be
    /// canonically equivalent, so it is compared as strings).
    static func isJoined(_ text: String, _ keywords: [String]) -> Bool {
        let separator: UInt8 = keywords.contains(where: { hasCommaByte($0) && $0.contains(",") })
            ? UInt8(ascii: ";") : UInt8(ascii: ",")
        var copy = text
        let sameBytes = copy.withUTF8 { bytes -> Bool in
            guard let base = bytes.baseAddress else { return keywords.isEmpty || (keywords.count == 1 && keywords[0].isEmpty) }
            var offset = 0
            for (position, keyword) in keywords.enumerated() {
                if position > 0 {
                    guard offset + 2 <= bytes.count, base[offset] == separator, base[offset + 1] == 0x20 else {
                        return false
                    }
                    offset += 2
                }
                var keyword = keyword
                let matched = keyword.withUTF8 { part -> Bool in
                    guard part.count <= bytes.count - offset else { return false }
                    if let partBase = part.baseAddress, memcmp(base + offset, partBase, part.count) != 0 { return false }
                    offset += part.count
                    return true
                }
                guard matched else { return false }
            }
            return offset == bytes.count
        }
        if sameBytes { return true }
        if text.utf8.allSatisfy({ $0 < 0x80 }), keywords.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
            return false
        }
        return text == join(keywords)
    }

    /// Whether the text has a comma byte (necessary for a comma Character).
    static func hasCommaByte(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0x2C, bytes.count) != nil
        }
    }

    /// `LibraryTags.parse(keyword) != nil || keyword.lowercased().hasPrefix(LibraryTags.prefix)`: whether a
    /// keyword is (or is meant as) a library tag. The usual answers come from the first bytes when they are
    /// ASCII and the first is no white space (which `parse` would trim): `smrl:` in any ASCII case followed by an
    /// ASCII byte (or nothing) is a tag; any other ASCII start is none.
    static func looksLikeLibraryTag(_ keyword: String) -> Bool {
        var copy = keyword
        let settled = copy.withUTF8 { bytes -> Bool? in
            guard let first = bytes.first else { return false }
            guard first > 0x20 else { return nil }
            if first < 0x80 && first | 0x20 != UInt8(ascii: "s") { return false }
            var matches = true
            for index in 0..<min(5, bytes.count) {
                let byte = bytes[index]
                guard byte < 0x80 else { return nil }
                let expected: UInt8
                switch index {
                case 0: expected = UInt8(ascii: "s")
                case 1: expected = UInt8(ascii: "m")
                case 2: expected = UInt8(ascii: "r")
                case 3: expected = UInt8(ascii: "l")
                default: expected = UInt8(ascii: ":")
                }
                if (index < 4 ? byte | 0x20 : byte) != expected { matches = false }
            }
            // An ASCII start that is not `smrl:` (or shorter than it): no lower-casing makes it one.
            guard matches, bytes.count >= 5 else { return false }
            return bytes.count == 5 || bytes[5] < 0x80 ? true : nil
        }
        if let settled { return settled }
        // A non-ASCII first scalar that is no white space and whose lower case does not start with `s`: neither
        // `parse` (which trims white space, then lower-cases) nor the prefix test can see `smrl:` there.
        if let scalar = keyword.unicodeScalars.first, !scalar.isASCII, !scalar.properties.isWhitespace,
            scalar.properties.lowercaseMapping.utf8.first != UInt8(ascii: "s")
        {
            return false
        }
        return LibraryTags.parse(keyword) != nil || keyword.lowercased().hasPrefix(LibraryTags.prefix)
    }

    /// True when `text` lists exactly these keywords, in any order and with any separators: each keyword occurs
    /// in it and nothing but separators is left over. The writer uses it to decide whether an input's own
    /// `keyword` spelling still fits the (possibly edited) keyword list.
    static func renders(_ text: String, _ keywords: [String]) -> Bool {
        var rest = Substring(text)
        for keyword in keywords.sorted(by: { $0.count > $1.count }) where !keyword.isEmpty {
            guard let range = rest.firstRange(of: keyword) else { return false }
            rest = rest[..<range.lowerBound] + " " + rest[range.upperBound...]
        }
        return rest.allSatisfy { $0.isWhitespace || $0 == "," || $0 == ";" }
    }
}
