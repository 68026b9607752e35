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
        var value = value
        return value.withUTF8 { parse(bytes: $0) }
    }

    /// ``parse(_:)`` over the value's bytes: names, comma parts and words are index ranges into them (one array
    /// of word ranges reused for every name, no array per part or word), and a part whose words stand one space
    /// apart is decoded from the value's own bytes. It gives what ``parseSlowly(_:)`` gives.
    private static func parse(bytes buffer: UnsafeBufferPointer<UInt8>) -> Parsed {
        var result = Parsed()
        let bytes = buffer[...]
        var names: [Range<Int>] = []
        names.reserveCapacity(8)
        var first: Int?
        var last: Int?
        forEachWord(bytes, tilde: false) { word in
            if isAnd(buffer, word) {
                if let first, let last { names.append(first..<last) }
                first = nil
                last = nil
                return
            }
            if first == nil { first = word.lowerBound }
            last = word.upperBound
        }
        if let first, let last { names.append(first..<last) }
        var words: [Range<Int>] = []
        words.reserveCapacity(16)
        result.people.reserveCapacity(names.count)
        for (index, name) in names.enumerated() {
            // One word `others`: the name runs from its first word to its last, so it is exactly those six bytes.
            if name.count == 6, isWord(bytes[name], "others"), index == names.count - 1 {
                result.others = true
                continue
            }
            if let person = parsePlainName(buffer, name) {
                result.people.append(person)
                continue
            }
            if let person = parseName(bytes, name, words: &words, problems: &result.problems) {
                result.people.append(person)
            }
        }
        return result
    }

    /// `isWord(bytes[word], "and")` for a word of the value: three bytes, each the letter in either case (a byte
    /// with bit 0x20 set is `a`, `n` or `d` only when it is that letter or its capital).
    @inline(__always)
    private static func isAnd(_ buffer: UnsafeBufferPointer<UInt8>, _ word: Range<Int>) -> Bool {
        guard word.count == 3, let base = buffer.baseAddress else { return false }
        let start = base + word.lowerBound
        return start[0] | 0x20 == UInt8(ascii: "a") && start[1] | 0x20 == UInt8(ascii: "n")
            && start[2] | 0x20 == UInt8(ascii: "d")
    }

    /// The byte classes of ``parsePlainName(_:_:)``: 0 a byte it does not read, 1 a letter, 2 other word text
    /// (digit, `.`, `-`, `'`), 3 the space, 4 the comma.
    private static let plainNameClasses: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        if BibTeXScanner.isLetter(byte) { return 1 }
        if (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'")
        {
            return 2
        }
        if byte == 0x20 { return 3 }
        if byte == UInt8(ascii: ",") { return 4 }
        return 0
    }

    /// ``parseName(_:_:words:problems:)`` of a plain name in one pass over its bytes: ASCII letters, digits, `.`,
    /// `-` and `'` (neither doubled), spaces, at most two commas (`Smith, John`, `John von Smith`,
    /// `von Smith, Jr., John`), groups of an accented or special letter (``plainGroupEnd(_:_:_:)``: `{\'e}`,
    /// `{\v{S}}`, `{\L}`), at most 64 words. Such a name has no brace at depth 0 between groups, no command outside
    /// one, no tie and no `=`, so its words and comma parts are split at the same bytes as the general parser
    /// splits them; a word's case is its first letter's, or ``wordCase(_:)`` of its first group that has one; a part
    /// without groups decodes to its words joined by one space (plain text, as ``decodeSimplePart(_:)`` writes
    /// it), a part with groups is decoded by ``decodeToken(_:)`` from the same bytes the general parser gives it.
    /// nil for any other name, and for one that would be a problem (an empty name): the general parser reads those.
    static func parsePlainName(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Person? {
        guard let base = buffer.baseAddress, !range.isEmpty, range.lowerBound >= 0, range.upperBound <= buffer.count
        else { return nil }
        return plainNameClasses.withUnsafeBufferPointer { classes -> Person? in
            guard let classes = classes.baseAddress else { return nil }
            // Word n is starts[n]..<ends[n]; bit n of `lower` is set when its case is lower.
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: 128) { memory -> Person? in
                guard let starts = memory.baseAddress else { return nil }
                let ends = starts + 64
                var count = 0
                var lower: UInt64 = 0
                var parts = 1
                var end0 = 0
                var end1 = 0
                var start = -1
                var caseFound = false
                // Bit n: word n holds a group.
                var grouped: UInt64 = 0
                var previous: UInt8 = 0
                var index = range.lowerBound
                while index < range.upperBound {
                    let byte = base[index]
                    let kind = classes[Int(byte)]
                    if kind == 0 {
                        guard byte == UInt8(ascii: "{"), let end = plainGroupEnd(base, index, range.upperBound) else {
                            return nil
                        }
                        if start < 0 {
                            if count == 64 { return nil }
                            start = index
                            caseFound = false
                        }
                        grouped |= 1 &<< UInt64(count)
                        if !caseFound {
                            // The group as the word's case reads it (``wordCase(_:)``: the case of a special
                            // character's letter, none for a group without one).
                            switch wordCase(buffer[index..<end]) {
                            case .lower:
                                caseFound = true
                                lower |= 1 &<< UInt64(count)
                            case .upper:
                                caseFound = true
                            case .caseless:
                                break
                            }
                        }
                        previous = UInt8(ascii: "}")
                        index = end
                        continue
                    }
                    if kind >= 3 {
                        if start >= 0 {
                            starts[count] = start
                            ends[count] = index
                            count &+= 1
                            start = -1
                        }
                        if kind == 4 {
                            if parts == 1 {
                                end0 = count
                            } else if parts == 2 {
                                end1 = count
                            } else {
                                return nil  // a fourth part: a problem for ``parseName(_:_:words:problems:)``
                            }
                            parts &+= 1
                        }
                    } else {
                        // `--`, `''`: a dash or a curly quote for the decoder.
                        if (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'")) && previous == byte { return nil }
                        if start < 0 {
                            if count == 64 { return nil }
                            start = index
                            caseFound = false
                        }
                        if !caseFound && kind == 1 {
                            caseFound = true
                            if byte >= UInt8(ascii: "a") { lower |= 1 &<< UInt64(count) }
                        }
                    }
                    previous = byte
                    index &+= 1
                }
                if start >= 0 {
                    if count == 64 { return nil }
                    starts[count] = start
                    ends[count] = range.upperBound
                    count &+= 1
                }
                if parts == 1 { end0 = count }
                if parts == 2 { end1 = count }
                func isLower(_ word: Int) -> Bool { (lower &>> UInt64(word)) & 1 != 0 }
                // The parts as ``parseName(_:_:words:problems:)`` assigns them.
                var given = 0..<0
                var von = 0..<0
                var last = 0..<0
                var junior = 0..<0
                if parts == 1 {
                    guard count > 0 else { return nil }
                    let lastIndex = count &- 1
                    if let vonStart = (0..<lastIndex).first(where: isLower) {
                        let vonEnd = (vonStart..<lastIndex).last(where: isLower) ?? vonStart
                        given = 0..<vonStart
                        von = vonStart..<(vonEnd &+ 1)
                        last = (vonEnd &+ 1)..<count
                    } else {
                        given = 0..<lastIndex
                        last = lastIndex..<count
                    }
                } else {
                    if parts >= 3 {
                        junior = end0..<end1
                        given = end1..<count
                    } else {
                        given = end0..<count
                    }
                    if end0 == 0 {
                        if given.isEmpty && junior.isEmpty { return nil }  // an empty name
                    } else if let vonEnd = (0..<(end0 &- 1)).last(where: isLower) {
                        von = 0..<(vonEnd &+ 1)
                        last = (vonEnd &+ 1)..<end0
                    } else {
                        last = 0..<end0
                    }
                }
                /// The words of `part` joined by one space (the source's bytes when they stand one space apart),
                /// decoded by ``decodeToken(_:)`` when a word holds a group.
                func text(_ part: Range<Int>) -> String? {
                    guard let first = part.first else { return nil }
                    let begin = starts[first]
                    let end = ends[part.upperBound &- 1]
                    var adjacent = true
                    var word = first &+ 1
                    while word < part.upperBound {
                        if starts[word] != ends[word &- 1] &+ 1 {
                            adjacent = false
                            break
                        }
                        word &+= 1
                    }
                    let partBits = part.count == 64 ? UInt64.max : ((1 &<< UInt64(part.count)) &- 1) &<< UInt64(first)
                    let decode = grouped & partBits != 0
                    if adjacent {
                        let bytes = UnsafeBufferPointer(start: base + begin, count: end &- begin)
                        return decode ? decodeToken(bytes) : UTF8Strings.string(validUTF8: bytes, ascii: true)
                    }
                    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end &- begin) { joined -> String? in
                        guard let output = joined.baseAddress else { return nil }
                        var written = 0
                        for word in part {
                            if written > 0 {
                                output[written] = 0x20
                                written &+= 1
                            }
                            let length = ends[word] &- starts[word]
                            (output + written).update(from: base + starts[word], count: length)
                            written &+= length
                        }
                        let bytes = UnsafeBufferPointer(start: output, count: written)
                        return decode ? decodeToken(bytes) : UTF8Strings.string(validUTF8: bytes, ascii: true)
                    }
                }
                let family = text(last)
                let givenText = text(given)
                let particle = text(von)
                let suffix = text(junior)
                // A group can decode to nothing: a name with no part left is a problem for the general parser.
                if family == nil && givenText == nil && particle == nil && suffix == nil { return nil }
                return Person(family: family, given: givenText, particle: particle, suffix: suffix)
            }
        }
    }

    /// The end (after its closing brace) of the group of an accented or special letter that starts at `index`
    /// (a `{` before `limit`), as ``parsePlainName(_:_:)`` takes it: `{\` first, then ASCII letters, the accent
    /// marks `'`, `"`, `^`, `` ` ``, `~` and `.`, and braces nested at most three deep, each backslash followed by a
    /// letter or a mark (the
    /// general parser's brace counting skips the byte after a backslash; here it is never a brace); nil for any
    /// other group (white space, a comma, `=`, a byte from 0x80 up, no closing brace before `limit`).
    static func plainGroupEnd(_ base: UnsafePointer<UInt8>, _ index: Int, _ limit: Int) -> Int? {
        guard index &+ 1 < limit, base[index &+ 1] == UInt8(ascii: "\\") else { return nil }
        func allowed(_ byte: UInt8) -> Bool {
            BibTeXScanner.isLetter(byte) || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "^") || byte == UInt8(ascii: "`") || byte == UInt8(ascii: "~")
                || byte == UInt8(ascii: ".")
        }
        var depth = 0
        var position = index
        while position < limit {
            let byte = base[position]
            if byte == UInt8(ascii: "\\") {
                guard position &+ 1 < limit, allowed(base[position &+ 1]) else { return nil }
                position &+= 2
                continue
            }
            if byte == UInt8(ascii: "{") {
                depth &+= 1
                if depth > 3 { return nil }
            } else if byte == UInt8(ascii: "}") {
                depth &-= 1
                if depth == 0 { return position &+ 1 }
            } else if !allowed(byte) {
                return nil
            }
            position &+= 1
        }
        return nil
    }

    private static func parseName(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ range: Range<Int>,
        words: inout [Range<Int>], problems: inout [String]) -> Person?
    {
        let name = bytes[range]
        // One brace group: an organisation or a name that must not be split.
        if let inner = wholeGroup(name), inner.first != UInt8(ascii: "\\") {
            let literal = LaTeXDecoder.decode(String(decoding: inner, as: UTF8.self), mode: .plain)
            guard !literal.isEmpty else {
                problems.append("empty name")
                return nil
            }
            return Person(literal: literal)
        }
        if name.contains(UInt8(ascii: "=")), let extended = parseExtended(splitCommas(name)) { return extended }
        // The words of each comma part, in one array: part 0 is words[..<end0], part 1 words[end0..<end1], and
        // the third and any later parts (BibTeX reads those as more given names) words[end1...].
        words.removeAll(keepingCapacity: true)
        var parts = 0
        var end0 = 0
        var end1 = 0
        func addPart(_ part: Range<Int>) {
            forEachWord(bytes[part], tilde: true) { words.append($0) }
            parts += 1
            if parts == 1 { end0 = words.count }
            if parts == 2 { end1 = words.count }
        }
        // The comma split of ``splitCommas(_:)``.
        var depth = 0
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            if byte == UInt8(ascii: ","), depth == 0 {
                addPart(start..<index)
                start = index + 1
            }
            index += 1
        }
        addPart(start..<min(index, range.upperBound))
        if parts > 3 {
            problems.append("too many commas in name '\(String(decoding: name, as: UTF8.self))'")
        }
        var given = 0..<0
        var von = 0..<0
        var last = 0..<0
        var junior = 0..<0
        func isLower(_ word: Int) -> Bool { wordCase(bytes[words[word]]) == .lower }
        if parts == 1 {
            guard !words.isEmpty else {
                problems.append("empty name")
                return nil
            }
            let lastIndex = words.count - 1
            if let vonStart = (0..<lastIndex).first(where: isLower) {
                let vonEnd = (vonStart..<lastIndex).last(where: isLower) ?? vonStart
                given = 0..<vonStart
                von = vonStart..<(vonEnd + 1)
                last = (vonEnd + 1)..<words.count
            } else {
                given = 0..<lastIndex
                last = lastIndex..<words.count
            }
        } else {
            let vonLast = 0..<end0
            if parts >= 3 {
                junior = end0..<end1
                given = end1..<words.count
            } else {
                given = end0..<words.count
            }
            if vonLast.isEmpty {
                if given.isEmpty && junior.isEmpty {
                    problems.append("empty name")
                    return nil
                }
            } else if let vonEnd = (0..<(end0 - 1)).last(where: isLower) {
                von = 0..<(vonEnd + 1)
                last = (vonEnd + 1)..<end0
            } else {
                last = vonLast
            }
        }
        // (Each part is nil or not empty: the person is empty exactly when all four are nil. Made in one go, not
        // changed part by part.)
        let family = decodePart(bytes, words, last)
        let givenText = decodePart(bytes, words, given)
        let particle = decodePart(bytes, words, von)
        let suffix = decodePart(bytes, words, junior)
        if family == nil && givenText == nil && particle == nil && suffix == nil {
            problems.append("empty name")
            return nil
        }
        return Person(family: family, given: givenText, particle: particle, suffix: suffix)
    }

    /// The words `words[part]` joined by one space, decoded (``decodePart(_:)``): straight from the value's bytes
    /// when the words stand one space apart there (the usual case), so the join would give those same bytes.
    private static func decodePart(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ words: [Range<Int>],
        _ part: Range<Int>) -> String?
    {
        guard let firstWord = part.first else { return nil }
        var adjacent = true
        var previous = words[firstWord]
        for index in part.dropFirst() {
            let word = words[index]
            if word.lowerBound != previous.upperBound + 1 || bytes[previous.upperBound] != 0x20 {
                adjacent = false
                break
            }
            previous = word
        }
        if adjacent {
            return decodeToken(UnsafeBufferPointer(rebasing: bytes[words[firstWord].lowerBound..<previous.upperBound]))
        }
        var joined: [UInt8] = []
        for (position, index) in part.enumerated() {
            if position > 0 { joined.append(0x20) }
            joined.append(contentsOf: bytes[words[index]])
        }
        return joined.withUnsafeBufferPointer { decodeToken($0) }
    }

    private static func decodeToken(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let text = decodeSimplePart(bytes) ?? decodeTokenSlowly(bytes)
        return text.isEmpty ? nil : text
    }

    /// What ``decodeToken(_:)`` gives when ``decodeSimplePart(_:)`` does not apply, and the tests' reference for it:
    /// the decoder's plain mode, no-break spaces made plain.
    static func decodeTokenSlowly(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        LaTeXDecoder.decode(buffer: bytes, mode: .plain).replacingNoBreakSpaces
    }

    /// A name part as names usually are, decoded in one pass without the decoder: text, single spaces between
    /// words, a `-` or `'` alone, and groups of one accented letter (`{\'e}`, `{\'{e}}`, `{\v{S}}`, `{\'{\i}}`) or
    /// one special letter (`{\L}`, `{\aa}`, `{\i}`); nil for a part with anything else (or a composition the
    /// tables do not pack), which ``decodeTokenSlowly(_:)`` then decodes. What it gives is what that gives:
    /// - text bytes, `-` and `'` not doubled: the decoder's text runs write them as they are;
    /// - a space between two of these items (each writes something): the decoder writes one space before the next;
    /// - `{\'{e}}`, `{\'e}`: the decoder's accent group (``LaTeXDecoderState``'s `composeAccentGroup()`), the packed
    ///   composition; `{\'{\i}}`: the group read as a sequence whose accent takes the dotless letter, the same table;
    /// - `{\L}`: a symbol command alone in a group, its symbol;
    /// - no-break spaces: none from the source (`~` is not taken); a part whose text holds U+00A0 (C2 A0) goes to the
    ///   general path, which makes it a space.
    /// The part's bytes are valid UTF-8 (a name value's, cut at ASCII bytes) and so is every composition, so the
    /// output is valid too; it is checked all the same when it becomes a String.
    static func decodeSimplePart(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let source = bytes.baseAddress else { return "" }
        let count = bytes.count
        // The longest output: every item writes at most as many bytes as it reads, except a symbol (checked).
        let capacity = count &+ 16
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { memory -> String? in
            guard let output = memory.baseAddress else { return nil }
            var written = 0
            var index = 0
            // The previous byte read was a space (none at the start: a space there, or two in a row, is not simple).
            var afterSpace = true
            // No byte from 0x80 up read or written: the output is ASCII.
            var ascii = true
            let low = LaTeXDecoder.specialLow | (1 << 0x20)
            let high = LaTeXDecoder.specialHigh
            while index < count {
                let byte = source[index]
                // Text: no byte of ``LaTeXDecoder/specialLow``/``LaTeXDecoder/specialHigh``, no space.
                let special = byte < 64 ? (low &>> UInt64(byte)) & 1 : (high &>> UInt64(byte & 63)) & 1
                if byte >= 0x80 || special == 0 {
                    if byte >= 0x80 { ascii = false }
                    output[written] = byte
                    written &+= 1
                    index &+= 1
                    afterSpace = false
                    continue
                }
                switch byte {
                case UInt8(ascii: "-"), UInt8(ascii: "'"):
                    if index &+ 1 < count && source[index &+ 1] == byte { return nil }  // a dash or a curly quote
                    output[written] = byte
                    written &+= 1
                    index &+= 1
                    afterSpace = false
                case 0x20:
                    if afterSpace || index &+ 1 == count { return nil }
                    output[written] = byte
                    written &+= 1
                    index &+= 1
                    afterSpace = true
                case UInt8(ascii: "{"):
                    // `{\X…}`: at least `{\X}` must follow.
                    guard index &+ 3 < count, source[index &+ 1] == UInt8(ascii: "\\") else { return nil }
                    let command = source[index &+ 2]
                    if let mark = LaTeXDecoder.accentMark(byte: command) {
                        let letter: UInt8
                        let length: Int
                        if index &+ 6 < count, source[index &+ 3] == UInt8(ascii: "{"),
                            source[index &+ 5] == UInt8(ascii: "}"), source[index &+ 6] == UInt8(ascii: "}"),
                            BibTeXScanner.isLetter(source[index &+ 4])
                        {
                            letter = source[index &+ 4]  // `{\'{e}}`, `{\v{s}}`
                            length = 7
                        } else if !BibTeXScanner.isLetter(command), BibTeXScanner.isLetter(source[index &+ 3]),
                            index &+ 4 < count, source[index &+ 4] == UInt8(ascii: "}")
                        {
                            letter = source[index &+ 3]  // `{\'e}` (a letter command would take the letter into its name)
                            length = 5
                        } else if !BibTeXScanner.isLetter(command), index &+ 7 < count,
                            source[index &+ 3] == UInt8(ascii: "{"), source[index &+ 4] == UInt8(ascii: "\\"),
                            source[index &+ 5] == UInt8(ascii: "i") || source[index &+ 5] == UInt8(ascii: "j"),
                            source[index &+ 6] == UInt8(ascii: "}"), source[index &+ 7] == UInt8(ascii: "}")
                        {
                            // `{\'{\i}}`: the accent over the dotless letter is the dotted letter's composition.
                            letter = source[index &+ 5]
                            length = 8
                        } else {
                            return nil
                        }
                        // The packed composition (``LaTeXDecoder/pack(_:)``): its bytes from the lowest, the count on top.
                        guard let table = LaTeXDecoder.composedLetters(for: mark) else { return nil }
                        let packed = table.packed[Int(letter)]
                        guard packed != 0 else { return nil }
                        output[written] = UInt8(truncatingIfNeeded: packed)
                        let bytesWritten = Int(packed >> 24)
                        if bytesWritten > 1 { output[written &+ 1] = UInt8(truncatingIfNeeded: packed >> 8) }
                        if bytesWritten > 2 { output[written &+ 2] = UInt8(truncatingIfNeeded: packed >> 16) }
                        written &+= bytesWritten
                        index &+= length
                        ascii = false
                    } else if BibTeXScanner.isLetter(command) {
                        // `{\L}`, `{\aa}`: a symbol command alone in its group.
                        var end = index &+ 3
                        while end < count, BibTeXScanner.isLetter(source[end]) { end &+= 1 }
                        guard end < count, source[end] == UInt8(ascii: "}"),
                            case .symbol(let symbol) = LaTeXDecoder.commandKindsByBytes.value(
                                for: UnsafeBufferPointer(start: source + (index &+ 2), count: end &- index &- 2))
                        else { return nil }
                        let utf8 = symbol.utf8
                        let length = utf8.count
                        guard length > 0, written &+ length &+ (count &- end) <= capacity else { return nil }
                        for unit in utf8 {
                            output[written] = unit
                            written &+= 1
                        }
                        index = end &+ 1
                        ascii = false
                    } else {
                        return nil
                    }
                    afterSpace = false
                default:
                    return nil  // a command outside a group, a brace, math, `~`, `` ` ``, other white space
                }
            }
            let text = UnsafeBufferPointer(start: output, count: written)
            if ascii { return UTF8Strings.string(ascii: text) }
            // U+00A0 (C2 A0: a C2 byte leads a scalar in valid UTF-8): the general path makes it a space.
            var position = 0
            while position &+ 1 < written {
                if output[position] == 0xC2 && output[position &+ 1] == 0xA0 { return nil }
                position &+= 1
            }
            return UTF8Strings.string(text)
        }
    }

    /// The original parser, over arrays of word slices: the reference ``parse(_:)`` is tested against.
    static func parseSlowly(_ value: String) -> Parsed {
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
    private static func forEachWord<Bytes: RandomAccessCollection>(_ bytes: Bytes, tilde: Bool, _ body: (Range<Int>) -> Void) where Bytes.Element == UInt8, Bytes.Index == Int, Bytes.SubSequence == Bytes {
        var depth = 0
        var start: Int?
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            // The usual byte, a letter or punctuation: no separator, no brace, no command. It starts a word or
            // continues one, as the general tests below find (each space byte is at most 0x20).
            if byte > 0x20 && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "{") && byte != UInt8(ascii: "}")
                && byte != UInt8(ascii: "~")
            {
                if start == nil { start = index }
                index += 1
                // The rest of the run of such bytes, with no test of `start` per byte (it is set).
                while index < bytes.endIndex {
                    let next = bytes[index]
                    guard next > 0x20 && next != UInt8(ascii: "\\") && next != UInt8(ascii: "{")
                        && next != UInt8(ascii: "}") && next != UInt8(ascii: "~")
                    else { break }
                    index += 1
                }
                continue
            }
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
    private static func splitCommas<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> [Bytes] where Bytes.Element == UInt8, Bytes.Index == Int, Bytes.SubSequence == Bytes {
        var parts: [Bytes] = []
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
    static func wholeGroup<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Bytes? where Bytes.Element == UInt8, Bytes.Index == Int, Bytes.SubSequence == Bytes {
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
    private static func parseExtended<Bytes: RandomAccessCollection>(_ parts: [Bytes]) -> Person? where Bytes.Element == UInt8, Bytes.Index == Int, Bytes.SubSequence == Bytes {
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
    static func wordCase<Bytes: RandomAccessCollection>(_ word: Bytes) -> WordCase where Bytes.Element == UInt8, Bytes.Index == Int, Bytes.SubSequence == Bytes {
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

    private static func caseInsideSpecial<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> WordCase? where Bytes.Element == UInt8, Bytes.Index == Int, Bytes.SubSequence == Bytes {
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

    private static func matchingBrace<Bytes: RandomAccessCollection>(_ bytes: Bytes, from start: Int) -> Int where Bytes.Element == UInt8, Bytes.Index == Int, Bytes.SubSequence == Bytes {
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
    private static func isWord<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ word: StaticString) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int, Bytes.SubSequence == Bytes {
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
        var text = self
        guard text.withUTF8({ BibTeXReader.containsByte($0, 0xA0) }), unicodeScalars.contains("\u{00A0}") else {
            return self
        }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{00A0}" ? " " : $0 }))
    }
}
