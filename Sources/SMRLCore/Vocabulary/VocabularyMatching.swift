extension Vocabulary {
    /// How a value given for a field was read against the vocabularies.
    public struct Resolution: Sendable, Hashable {
        /// One term found in the value.
        public struct Match: Sendable, Hashable {
            /// The vocabulary the term belongs to.
            public var kind: Kind
            /// The term's canonical id.
            public var id: String
            /// The part of the value that named it, as given (after mojibake repair).
            public var text: String

            public init(kind: Kind, id: String, text: String) {
                self.kind = kind
                self.id = id
                self.text = text
            }
        }

        /// The terms found, in the order they appear.
        public var matches: [Match]
        /// The parts of the value that name no term, trimmed, in order.
        public var unmatched: [String]
        /// True when the value carried mojibake (`Â` before a non-breaking space, or UTF-8 read as
        /// Windows-1252) that was repaired before matching.
        public var repairedMojibake: Bool

        public init(matches: [Match] = [], unmatched: [String] = [], repairedMojibake: Bool = false) {
            self.matches = matches
            self.unmatched = unmatched
            self.repairedMojibake = repairedMojibake
        }

        /// True when the value holds nothing but white space and separators.
        public var isEmpty: Bool { matches.isEmpty && unmatched.isEmpty }
    }

    /// The term a whole value names in one vocabulary (by id, label or variant, per the matching rules), or nil.
    ///
    /// `"Students & Faculty"`, `"students and faculty"` and `"STUDENTS-FACULTY"` all give `students-faculty`.
    public func match(_ value: String, in kind: Kind) -> Term? {
        if let term = term(value, in: kind) { return term }
        let resolution = resolve(value, in: [kind])
        guard resolution.matches.count == 1, resolution.unmatched.isEmpty, let only = resolution.matches.first
        else { return nil }
        return term(only.id, in: kind)
    }

    /// Reads a value that may name several terms, such as the card text
    /// `"Domain: Curriculum & Programming, Students & Faculty"`.
    ///
    /// Known ids, labels and variants of the `kinds` are matched longest first, so labels that contain commas
    /// (`Pathways, Admission, & Graduation`) stay whole; the value is never split on commas. Commas, semicolons,
    /// `|`, line breaks and a joining `and` between terms are separators; a leading caption such as `Domain:` or
    /// `Action Area:` is skipped. When the same text names terms of several kinds (`Community Engagement` is a
    /// domain and a legacy Action Area), the kind listed first wins. A term must be followed by a separator, the
    /// end, or another term, so `Community Engagement Programs` is unmatched as a whole.
    public func resolve(_ value: String, in kinds: [Kind]) -> Resolution {
        let (repaired, didRepair) = Self.repairMojibake(value)
        let text = Self.nfc(repaired)
        let tokens = Self.tokenize(text)
        var resolution = Resolution(repairedMojibake: didRepair)
        let indexes = kinds.compactMap { self.indexes[$0] }
        let maxTokens = indexes.map(\.maxTokens).max() ?? 0

        func followedWell(_ end: Int) -> Bool {
            guard end < tokens.count else { return true }
            switch tokens[end].kind {
            case .comma, .hardSeparator: return true
            case .colon: return false
            case .word:
                if tokens[end].folded == "and" { return true }
                return anyMatch(at: end)
            }
        }

        func anyMatch(at start: Int) -> Bool {
            guard start < tokens.count, tokens[start].kind == .word else { return false }
            var length = min(maxTokens, tokens.count - start)
            while length > 0 {
                let key = Self.key(tokens[start..<start + length])
                if indexes.contains(where: { $0.keys[key] != nil }) { return true }
                length -= 1
            }
            return false
        }

        func acceptedMatch(at start: Int) -> (index: MatchIndex, term: Int, end: Int)? {
            guard start < tokens.count, tokens[start].kind == .word else { return nil }
            var length = min(maxTokens, tokens.count - start)
            while length > 0 {
                let key = Self.key(tokens[start..<start + length])
                for index in indexes {
                    if let term = index.keys[key], followedWell(start + length) {
                        return (index, term, start + length)
                    }
                }
                length -= 1
            }
            return nil
        }

        var pendingStart: Int?
        func flushUnmatched(before end: Int) {
            guard let start = pendingStart else { return }
            pendingStart = nil
            guard let last = (start..<end).last(where: { tokens[$0].kind == .word }) else { return }
            resolution.unmatched.append(String(text[tokens[start].range.lowerBound..<tokens[last].range.upperBound]))
        }

        var position = 0
        var atSegmentStart = true
        var afterMatch = false
        while position < tokens.count {
            let token = tokens[position]
            if token.kind != .word {
                if token.kind == .hardSeparator { atSegmentStart = true }
                position += 1
                continue
            }
            if atSegmentStart, pendingStart == nil, let captionEnd = Self.captionEnd(tokens, from: position) {
                position = captionEnd
                atSegmentStart = false
                continue
            }
            atSegmentStart = false
            if afterMatch, pendingStart == nil, token.folded == "and", acceptedMatch(at: position + 1) != nil {
                position += 1
                continue
            }
            if let found = acceptedMatch(at: position) {
                flushUnmatched(before: position)
                let matched = text[tokens[position].range.lowerBound..<tokens[found.end - 1].range.upperBound]
                resolution.matches.append(
                    Resolution.Match(
                        kind: found.index.kind, id: found.index.terms[found.term].id, text: String(matched)))
                position = found.end
                afterMatch = true
                continue
            }
            // Unknown text runs to the next comma or semicolon, where matching starts again.
            if pendingStart == nil { pendingStart = position }
            afterMatch = false
            position += 1
            while position < tokens.count, tokens[position].kind == .word || tokens[position].kind == .colon {
                position += 1
            }
        }
        flushUnmatched(before: tokens.count)
        // When nothing matched, the whole value is the unknown one (an unknown label may contain commas).
        if resolution.matches.isEmpty, resolution.unmatched.count > 1, let captionless = Self.withoutCaption(text) {
            resolution.unmatched = [captionless]
        }
        return resolution
    }

    /// The closest term to an unknown value in one vocabulary, for a "did you mean" suggestion; nil when no
    /// term is reasonably close.
    ///
    /// Closeness is the edit distance between folded forms (of the id, the label and every variant); when no
    /// form is within 40 % of the longer text, the term sharing the most words, and failing any shared word the
    /// term with a word sharing the longest stem (four letters at least), provided no other term does as well.
    public func suggestion(for value: String, in kind: Kind) -> Term? {
        guard let index = indexes[kind], !index.forms.isEmpty else { return nil }
        let (repaired, _) = Self.repairMojibake(value)
        let tokens = Self.tokenize(Self.nfc(repaired))
        let folded = Self.key(tokens[...])
        guard !folded.isEmpty else { return nil }
        let input = Array(folded.unicodeScalars)
        var best: (distance: Int, length: Int, term: Int)?
        // Edit distance is quadratic; a value far longer than any term is no misspelling of one.
        for form in index.forms where input.count <= 4 * form.scalars.count + 16 {
            let distance = Self.editDistance(input, form.scalars)
            if distance < best?.distance ?? Int.max { best = (distance, form.scalars.count, form.term) }
        }
        if let best, best.distance * 10 <= max(input.count, best.length) * 4 { return index.terms[best.term] }
        // Shared words, ignoring the joining "and" and separators; then a shared word stem. Only a term that is
        // the single best by these weaker measures is suggested ("Rural Health" shares "health" with two topics).
        let words = Set(tokens.filter { $0.kind == .word && $0.folded != "and" }.map(\.folded))
        var overlap: [Int: Int] = [:]
        var stem: [Int: Int] = [:]
        for form in index.forms {
            overlap[form.term] = max(overlap[form.term] ?? 0, form.words.intersection(words).count)
            for word in words {
                for other in form.words {
                    let shared = zip(word.unicodeScalars, other.unicodeScalars).prefix { $0 == $1 }.count
                    if shared >= 4 { stem[form.term] = max(stem[form.term] ?? 0, shared) }
                }
            }
        }
        for scores in [overlap, stem] {
            guard let top = scores.values.max(), top > 0 else { continue }
            let leaders = scores.filter { $0.value == top }
            if leaders.count == 1, let term = leaders.first?.key { return index.terms[term] }
            return nil
        }
        return nil
    }

    /// The folded matching form of a text: mojibake repaired, case-folded, white space collapsed, `&` as `and`,
    /// serial commas before `and` removed. Two texts match when their folded forms are equal (as Swift compares
    /// strings: by canonical equivalence).
    public static func fold(_ text: String) -> String {
        key(tokenize(nfc(repairMojibake(text).text))[...])
    }
}

// MARK: - Internals

/// The lookup tables for one vocabulary.
struct MatchIndex: Sendable {
    struct Form: Sendable {
        var scalars: [Unicode.Scalar]
        var words: Set<String>
        var term: Int
    }

    let kind: Vocabulary.Kind
    let terms: [Vocabulary.Term]
    /// Exact ids.
    let ids: [String: Int]
    /// Folded ids, labels and variants (as ``Vocabulary/key(_:)`` builds them).
    let keys: [String: Int]
    /// Longest key, in tokens.
    let maxTokens: Int
    /// Every folded form, for suggestions.
    let forms: [Form]

    init(kind: Vocabulary.Kind, list: Vocabulary.TermList, source: String) throws {
        self.kind = kind
        terms = list.terms
        var ids: [String: Int] = [:]
        var keys: [String: Int] = [:]
        var maxTokens = 0
        var forms: [Form] = []
        for (position, term) in list.terms.enumerated() {
            let where_ = "\(kind.rawValue) term \"\(term.id)\""
            guard !term.id.trimmingSpaces.isEmpty, term.id == term.id.trimmingSpaces else {
                throw VocabularyError(file: source, message: "\(kind.rawValue): a term has an empty or padded id")
            }
            guard !term.label.trimmingSpaces.isEmpty else {
                throw VocabularyError(file: source, message: "\(where_) has an empty label")
            }
            if ids[term.id] != nil {
                throw VocabularyError(file: source, message: "\(kind.rawValue): the id \"\(term.id)\" appears twice")
            }
            ids[term.id] = position
            for form in [term.id, term.label] + term.variants {
                let tokens = Vocabulary.tokenize(Vocabulary.nfc(form))
                let key = Vocabulary.key(tokens[...])
                guard let first = tokens.first, first.kind == .word else {
                    throw VocabularyError(
                        file: source, message: "\(where_): \"\(form)\" does not start with a word")
                }
                if let other = keys[key], other != position {
                    throw VocabularyError(
                        file: source,
                        message: "\(where_): \"\(form)\" also names \"\(list.terms[other].id)\" once folded (\(key))")
                }
                if keys[key] == nil {
                    keys[key] = position
                    maxTokens = max(maxTokens, tokens.count)
                    let words = Set(tokens.filter { $0.kind == .word && $0.folded != "and" }.map(\.folded))
                    forms.append(Form(scalars: Array(key.unicodeScalars), words: words, term: position))
                }
            }
        }
        self.ids = ids
        self.keys = keys
        self.maxTokens = maxTokens
        self.forms = forms
    }
}

extension Vocabulary {
    struct Token: Sendable {
        enum Kind: Sendable { case word, comma, colon, hardSeparator }
        var kind: Kind
        /// Case-folded text of a word (`&` is `and`); the separator itself otherwise.
        var folded: String
        /// Where the token is in the scanned text.
        var range: Range<String.UnicodeScalarView.Index>
    }

    /// Captions that may precede values on the site's cards and in exports (`Domain:`), folded.
    static let captions: Set<String> = [
        "domain", "domains", "social mission domain", "social mission domains",
        "topic", "topics", "social mission topic", "social mission topics",
        "profession", "professions", "health profession", "health professions",
        "resource type", "resource types", "type",
        "action area", "action areas", "activity area", "activity areas", "legacy action area",
    ]

    /// The token position after a leading caption and its colon, when the text at `start` is one.
    static func captionEnd(_ tokens: [Token], from start: Int) -> Int? {
        var end = start
        while end < tokens.count, tokens[end].kind == .word, end - start < 4 { end += 1 }
        guard end < tokens.count, end > start, tokens[end].kind == .colon,
            captions.contains(key(tokens[start..<end]))
        else { return nil }
        return end + 1
    }

    /// The text after a leading caption, trimmed; the trimmed text when there is none.
    static func withoutCaption(_ text: String) -> String? {
        let tokens = tokenize(text)
        guard let first = tokens.firstIndex(where: { $0.kind == .word }) else { return nil }
        var start = captionEnd(tokens, from: first) ?? first
        while start < tokens.count, tokens[start].kind != .word { start += 1 }
        guard let last = tokens.lastIndex(where: { $0.kind == .word }), start <= last else { return nil }
        return String(text[tokens[start].range.lowerBound..<tokens[last].range.upperBound])
    }

    /// The lookup key of a run of tokens: folded words and separators joined by single spaces.
    static func key(_ tokens: ArraySlice<Token>) -> String {
        var key = ""
        for token in tokens {
            if !key.isEmpty { key += " " }
            key += token.folded
        }
        return key
    }

    /// The text to match. Swift compares and hashes strings by canonical equivalence, so `é` and `e` + U+0301
    /// are the same key without an explicit NFC pass; this is the single place to add one should that change.
    static func nfc(_ text: String) -> String { text }

    /// Unicode case folding of one word: the lowercase mapping, with the letters whose folding differs from
    /// their lowercase (`ß` → `ss`, final `ς` → `σ`, long `ſ` → `s`).
    static func foldCase(_ word: String) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word.lowercased() }
        var folded = ""
        for scalar in word.unicodeScalars {
            switch scalar {
            case "\u{DF}", "\u{1E9E}": folded += "ss"
            case "\u{3C2}": folded += "\u{3C3}"
            case "\u{17F}": folded += "s"
            default: folded += scalar.properties.lowercaseMapping
            }
        }
        return folded
    }

    /// Splits text into words and separators, folding each word's case; `&` becomes the word `and`, and a comma
    /// directly before `and` (a serial comma) is dropped.
    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let scalars = text.unicodeScalars
        var wordStart: String.UnicodeScalarView.Index?
        var index = scalars.startIndex

        func closeWord(at end: String.UnicodeScalarView.Index) {
            guard let start = wordStart else { return }
            wordStart = nil
            let word = String(text[start..<end])
            tokens.append(Token(kind: .word, folded: foldCase(word), range: start..<end))
        }

        func appendSeparator(_ kind: Token.Kind, _ folded: String, _ range: Range<String.UnicodeScalarView.Index>) {
            closeWord(at: range.lowerBound)
            tokens.append(Token(kind: kind, folded: folded, range: range))
        }

        while index < scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            switch scalar {
            case ",", "\u{FF0C}":
                appendSeparator(.comma, ",", index..<next)
            case ";", "|", "\u{FF1B}":
                appendSeparator(.hardSeparator, ";", index..<next)
            case ":", "\u{FF1A}":
                appendSeparator(.colon, ":", index..<next)
            case "&", "\u{FF06}":
                appendSeparator(.word, "and", index..<next)
            default:
                if scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    appendSeparator(.hardSeparator, ";", index..<next)
                } else if scalar.isASCII
                    ? scalar.value <= 0x20 || scalar.value == 0x7F
                    : scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                        || scalar.properties.generalCategory == .format
                {
                    // White space of every kind (NBSP, thin space), controls and invisible format characters
                    // (zero-width space, soft hyphen) separate words and are otherwise ignored.
                    closeWord(at: index)
                } else if wordStart == nil {
                    wordStart = index
                }
            }
            index = next
        }
        closeWord(at: scalars.endIndex)
        // A serial comma before a word "and" (not only before "&").
        var cleaned: [Token] = []
        cleaned.reserveCapacity(tokens.count)
        for token in tokens {
            if token.kind == .word, token.folded == "and", let last = cleaned.last, last.kind == .comma {
                cleaned.removeLast()
            }
            cleaned.append(token)
        }
        return cleaned
    }

    /// Repairs the mojibake the library's old pages carry: UTF-8 read as Windows-1252 (`Â ` for a non-breaking
    /// space, `â€“` for an en dash). Text is re-decoded when every character maps back to one Windows-1252 byte
    /// and the bytes are valid UTF-8 with at least one multi-byte sequence; otherwise a stray `Â` before white
    /// space or at the end is removed (the NBSP it came with was already turned into a space).
    static func repairMojibake(_ text: String) -> (text: String, repaired: Bool) {
        guard text.unicodeScalars.contains(where: { $0.value >= 0xC2 && $0.value <= 0xF4 }) else {
            return (text, false)
        }
        // Whole-text re-decoding.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var encodable = true
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 || (scalar.value >= 0xA0 && scalar.value <= 0xFF) {
                bytes.append(UInt8(scalar.value))
            } else if let high = TextDecoding.windows1252High.firstIndex(where: { $0 == scalar }) {
                bytes.append(UInt8(0x80 + high))
            } else if scalar.value >= 0x80 && scalar.value <= 0x9F {
                bytes.append(UInt8(scalar.value))
            } else {
                encodable = false
                break
            }
        }
        if encodable, bytes.contains(where: { $0 >= 0x80 }), let decoded = String(validating: bytes, as: UTF8.self) {
            return (decoded, true)
        }
        // A stray "Â" left where a non-breaking space was.
        var scalars = String.UnicodeScalarView()
        var repaired = false
        let source = Array(text.unicodeScalars)
        for (offset, scalar) in source.enumerated() {
            if scalar == "\u{00C2}" {
                let atEnd = offset + 1 == source.count
                if atEnd || source[offset + 1].properties.isWhitespace {
                    repaired = true
                    continue
                }
            }
            scalars.append(scalar)
        }
        return repaired ? (String(scalars), true) : (text, false)
    }

    /// Levenshtein distance between two scalar arrays (two rows, O(n·m) time, O(m) memory).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
