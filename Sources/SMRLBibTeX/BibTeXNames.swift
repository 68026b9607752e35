import SMRLCore

/// BibTeX name lists: parsing `author`/`editor` values into ``Person`` values and writing them back.
///
/// Parsing follows BibTeX's own rules (Oren Patashnik's `bibtex.web`, `format.name$`):
/// - names are separated by the word `and` (any case) at brace depth 0, so `{Barnes and Noble, Inc.}` is one name;
/// - `First von Last` (no comma): the von part runs from the first to the last word that starts with a lowercase
///   letter, the last word is always Last;
/// - `von Last, First` and `von Last, Jr, First`: everything up to the last lowercase word of the first part is von;
/// - a word's case is its first letter at brace depth 0; a group that starts with a command (`{\'E}mile`) counts by
///   the letter it makes, any other group (`{von Helmholtz}`) has no case;
/// - a name that is one brace group (`{World Health Organization}`) is an organisation and becomes
///   ``Person/literal``;
/// - biblatex's extended form `family=…, given=…, prefix=…, suffix=…` is recognised;
/// - `and others` at the end is a marker, not a person (``Parsed/others``).
///
/// The von part becomes ``Person/particle`` (CSL's non-dropping particle), as citation-js does.
enum BibTeXNames {
    /// The result of parsing one name list.
    struct Parsed {
        var people: [Person] = []
        /// True when the list ended with `and others`.
        var others = false
        /// Problems met (an empty name, too many commas), as messages.
        var problems: [String] = []
    }

    // MARK: Parsing

    static func parse(_ value: String) -> Parsed {
        var result = Parsed()
        let bytes = Array(value.utf8)
        let names = splitNames(bytes)
        for (index, name) in names.enumerated() {
            // One word `others`: the name runs from its first word to its last, so it is exactly those six bytes.
            if name.count == 6, isWord(name, "others") {
                if index == names.count - 1 {
                    result.others = true
                    continue
                }
            }
            if let person = parseName(name, problems: &result.problems) {
                result.people.append(person)
            }
        }
        return result
    }

    /// Splits a list at the word `and` (any case) at brace depth 0.
    static func splitNames(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        let words = splitWords(bytes[...], tilde: false)
        var names: [ArraySlice<UInt8>] = []
        var first: Int?
        var last: Int?
        for word in words {
            if isWord(bytes[word], "and") {
                if let first, let last { names.append(bytes[first..<last]) }
                first = nil
                last = nil
                continue
            }
            if first == nil { first = word.lowerBound }
            last = word.upperBound
        }
        if let first, let last { names.append(bytes[first..<last]) }
        return names
    }

    /// The ranges of the words of `bytes`, split at white space (and `~` when `tilde`) at brace depth 0.
    static func splitWords(_ bytes: ArraySlice<UInt8>, tilde: Bool) -> [Range<Int>] {
        var words: [Range<Int>] = []
        forEachWord(bytes, tilde: tilde) { words.append($0) }
        return words
    }

    /// The words themselves (``splitWords(_:tilde:)``), without an array of their ranges first.
    static func splitWordSlices(_ bytes: ArraySlice<UInt8>, tilde: Bool) -> [ArraySlice<UInt8>] {
        var words: [ArraySlice<UInt8>] = []
        forEachWord(bytes, tilde: tilde) { words.append(bytes[$0]) }
        return words
    }

    @inline(__always)
    private static func forEachWord(_ bytes: ArraySlice<UInt8>, tilde: Bool, _ body: (Range<Int>) -> Void) {
        var depth = 0
        var start: Int?
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.endIndex, !BibTeXScanner.isSpace(bytes[index + 1]) {
                // A control symbol (`\~n`, `\{`) belongs to its word: its character is no separator.
                if start == nil { start = index }
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            let isSeparator = depth == 0 && (BibTeXScanner.isSpace(byte) || (tilde && byte == UInt8(ascii: "~")))
            if isSeparator {
                if let begin = start { body(begin..<index) }
                start = nil
            } else if start == nil {
                start = index
            }
            index += 1
        }
        if let begin = start { body(begin..<bytes.endIndex) }
    }

    /// Splits at commas at brace depth 0.
    private static func splitCommas(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var depth = 0
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            if byte == UInt8(ascii: ","), depth == 0 {
                parts.append(bytes[start..<index])
                start = index + 1
            }
            index += 1
        }
        parts.append(bytes[start..<min(index, bytes.endIndex)])
        return parts
    }

    private static func parseName(_ name: ArraySlice<UInt8>, problems: inout [String]) -> Person? {
        // One brace group: an organisation or a name that must not be split.
        if let inner = wholeGroup(name), inner.first != UInt8(ascii: "\\") {
            let literal = LaTeXDecoder.decode(String(decoding: inner, as: UTF8.self), mode: .plain)
            guard !literal.isEmpty else {
                problems.append("empty name")
                return nil
            }
            return Person(literal: literal)
        }
        let parts = splitCommas(name)
        if name.contains(UInt8(ascii: "=")), let extended = parseExtended(parts) { return extended }
        var tokenParts = parts.map { part in splitWordSlices(part, tilde: true) }
        if tokenParts.count > 3 {
            problems.append("too many commas in name '\(String(decoding: name, as: UTF8.self))'")
            // BibTeX stops at the third part; the rest is read as more given names.
            let rest = tokenParts[2...].flatMap { $0 }
            tokenParts = [tokenParts[0], tokenParts[1], rest]
        }
        var given: [ArraySlice<UInt8>] = []
        var von: [ArraySlice<UInt8>] = []
        var last: [ArraySlice<UInt8>] = []
        var junior: [ArraySlice<UInt8>] = []
        if tokenParts.count == 1 {
            let tokens = tokenParts[0]
            guard !tokens.isEmpty else {
                problems.append("empty name")
                return nil
            }
            let lastIndex = tokens.count - 1
            if let vonStart = tokens[..<lastIndex].firstIndex(where: { wordCase($0) == .lower }) {
                let vonEnd = tokens[vonStart..<lastIndex].lastIndex(where: { wordCase($0) == .lower }) ?? vonStart
                given = Array(tokens[..<vonStart])
                von = Array(tokens[vonStart...vonEnd])
                last = Array(tokens[(vonEnd + 1)...])
            } else {
                given = Array(tokens[..<lastIndex])
                last = [tokens[lastIndex]]
            }
        } else {
            let vonLast = tokenParts[0]
            if tokenParts.count == 3 {
                junior = tokenParts[1]
                given = tokenParts[2]
            } else {
                given = tokenParts[1]
            }
            if vonLast.isEmpty {
                if given.isEmpty && junior.isEmpty {
                    problems.append("empty name")
                    return nil
                }
            } else if let vonEnd = vonLast[..<(vonLast.count - 1)].lastIndex(where: { wordCase($0) == .lower }) {
                von = Array(vonLast[...vonEnd])
                last = Array(vonLast[(vonEnd + 1)...])
            } else {
                last = vonLast
            }
        }
        var person = Person()
        person.family = decodePart(last)
        person.given = decodePart(given)
        person.particle = decodePart(von)
        person.suffix = decodePart(junior)
        if person.isEmpty {
            problems.append("empty name")
            return nil
        }
        return person
    }

    private static func decodePart(_ tokens: [ArraySlice<UInt8>]) -> String? {
        guard !tokens.isEmpty else { return nil }
        if tokens.count == 1 {
            // A token with nothing to decode is its own text (no copy of its bytes into an array first).
            if let text = tokens[0].withUnsafeBufferPointer({ LaTeXDecoder.isPlain($0) ? String(decoding: $0, as: UTF8.self) : nil }) {
                let plain = text.replacingNoBreakSpaces
                return plain.isEmpty ? nil : plain
            }
            return decodeToken(Array(tokens[0]))
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(tokens.reduce(tokens.count) { $0 + $1.count })
        for (index, token) in tokens.enumerated() {
            if index > 0 { joined.append(0x20) }
            joined.append(contentsOf: token)
        }
        return decodeToken(joined)
    }

    private static func decodeToken(_ bytes: [UInt8]) -> String? {
        let text = LaTeXDecoder.decode(bytes: bytes, mode: .plain).replacingNoBreakSpaces
        return text.isEmpty ? nil : text
    }

    /// The inside of `bytes` when it is exactly one balanced brace group (`{…}`, no text after the closing
    /// brace); nil otherwise.
    static func wholeGroup(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"), bytes.count >= 2 else { return nil }
        var depth = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 && index != bytes.endIndex - 1 { return nil }
            }
            index += 1
        }
        guard depth == 0 else { return nil }
        return bytes[(bytes.startIndex + 1)..<(bytes.endIndex - 1)]
    }

    /// biblatex's `family=Smith, given=John, prefix=van, suffix=Jr., useprefix=true`.
    private static func parseExtended(_ parts: [ArraySlice<UInt8>]) -> Person? {
        var person = Person()
        var recognised = false
        for part in parts {
            guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let key = String(decoding: part[..<equals], as: UTF8.self).bibTrimmed.lowercased()
            var value = part[(equals + 1)...]
            while let first = value.first, BibTeXScanner.isSpace(first) { value = value.dropFirst() }
            while let last = value.last, BibTeXScanner.isSpace(last) { value = value.dropLast() }
            if let inner = wholeGroup(value) {
                value = inner
            } else if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") {
                value = value.dropFirst().dropLast()
            }
            let decoded = LaTeXDecoder.decode(String(decoding: value, as: UTF8.self), mode: .plain)
            let text = decoded.isEmpty ? nil : decoded
            switch key {
            case "family": person.family = text; recognised = true
            case "given": person.given = text; recognised = true
            case "prefix": person.particle = text; recognised = true
            case "suffix": person.suffix = text; recognised = true
            default:
                // useprefix, given-i, family-i, sortingnamekeytemplatename …: options that the model has no place
                // for. A key that is no biblatex name key means this is not the extended form.
                guard key.allSatisfy({ $0.isLetter || $0 == "-" }) else { return nil }
            }
        }
        return recognised ? person : nil
    }

    enum WordCase { case lower, upper, caseless }

    /// The case of a word by BibTeX's rule: its first letter at brace depth 0, a special character counting by the
    /// letter it makes.
    static func wordCase(_ word: ArraySlice<UInt8>) -> WordCase {
        var index = word.startIndex
        while index < word.endIndex {
            let byte = word[index]
            if byte == UInt8(ascii: "{") {
                let groupEnd = matchingBrace(word, from: index)
                if index + 1 < word.endIndex, word[index + 1] == UInt8(ascii: "\\") {
                    if let found = caseInsideSpecial(word[(index + 1)..<groupEnd]) { return found }
                }
                index = groupEnd + 1
                continue
            }
            if byte == UInt8(ascii: "\\") {
                // A command outside braces (`\'Emile`, `\O{}`): a special letter counts, an accent passes on.
                var end = index + 1
                while end < word.endIndex, BibTeXScanner.isLetter(word[end]) { end += 1 }
                let name = String(decoding: word[(index + 1)..<end], as: UTF8.self)
                if let found = specialLetterCase(name) { return found }
                index = max(end, index + 2)
                continue
            }
            if BibTeXScanner.isLetter(byte) {
                return byte >= UInt8(ascii: "a") ? .lower : .upper
            }
            if byte >= 0x80 {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let text = String(decoding: word[index..<min(word.endIndex, index + length)], as: UTF8.self)
                if let character = text.first, character.isLetter {
                    if character.isLowercase { return .lower }
                    if character.isUppercase { return .upper }
                }
                index += length
                continue
            }
            index += 1
        }
        return .caseless
    }

    private static func caseInsideSpecial(_ bytes: ArraySlice<UInt8>) -> WordCase? {
        // bytes starts with '\'
        var end = bytes.startIndex + 1
        while end < bytes.endIndex, BibTeXScanner.isLetter(bytes[end]) { end += 1 }
        let name = String(decoding: bytes[(bytes.startIndex + 1)..<end], as: UTF8.self)
        if let found = specialLetterCase(name) { return found }
        var index = max(end, bytes.startIndex + 2)
        while index < bytes.endIndex {
            let byte = bytes[index]
            if BibTeXScanner.isLetter(byte) { return byte >= UInt8(ascii: "a") ? .lower : .upper }
            index += 1
        }
        return nil
    }

    private static func specialLetterCase(_ name: String) -> WordCase? {
        switch name {
        case "oe", "ae", "aa", "o", "l", "ss", "i", "j", "dj", "ng", "th": return .lower
        case "OE", "AE", "AA", "O", "L", "DJ", "NG", "TH": return .upper
        default: return nil
        }
    }

    private static func matchingBrace(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        return bytes.endIndex - 1
    }

    /// True when `bytes` is `word` (lowercase ASCII) in any case.
    private static func isWord(_ bytes: ArraySlice<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { expected in
            var position = 0
            for byte in bytes {
                let lowered = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                if lowered != expected[position] { return false }
                position += 1
            }
            return true
        }
    }
}

extension String {
    /// The text with no-break spaces (from `~`) as plain spaces: in names a tie only keeps words together.
    var replacingNoBreakSpaces: String {
        // U+00A0 is C2 A0 in UTF-8, and a byte A0 is in no ASCII text: most values are passed by the byte test.
        guard utf8.contains(0xA0), unicodeScalars.contains("\u{00A0}") else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{00A0}" ? " " : $0 }))
    }
}
