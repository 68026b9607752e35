import SMRLCore

/// A tag as integers, for the interpreter's look-ups: a tag is two to four ASCII letters or digits, so its bytes
/// pack into one `UInt32`, and a two-character tag of digits and upper-case letters also indexes small fixed
/// tables (`bit`). A look-up by `RISTag` hashes and compares no strings; the interpreter's tags are literals, and
/// each field's is made once, when the scanner makes the field.
struct RISTag: Hashable, Sendable, ExpressibleByStringLiteral {
    typealias StringLiteralType = StaticString

    /// The bytes big-endian (`"AU"` is 0x4155); 0 for a tag that does not pack (empty, longer than four bytes, not
    /// ASCII, or holding a NUL byte): the tables compare those by name.
    let code: UInt32
    /// `(first - 0x30) * 43 + (second - 0x30)` for two bytes in `0x30...0x5A` (`AU`, `C7`); -1 otherwise.
    let bit: Int16

    /// How many values `bit` takes.
    static let bitCount = 43 * 43

    /// A literal tag: two to four ASCII letters or digits, as every tag the reader names is. Written so that the
    /// compiler folds it into a constant (a literal longer than four bytes does not pack, and matches nothing).
    @inline(__always)
    init(stringLiteral value: StaticString) {
        guard value.hasPointerRepresentation, value.utf8CodeUnitCount <= 4 else {
            self.init(code: 0)
            return
        }
        let start = value.utf8Start
        var code: UInt32 = 0
        for offset in 0..<value.utf8CodeUnitCount { code = code << 8 | UInt32(start[offset]) }
        self.init(code: code)
    }

    init(_ tag: String) {
        var code: UInt32 = 0
        var count = 0
        for byte in tag.utf8 {
            count += 1
            if count > 4 || byte == 0 || byte >= 0x80 {
                code = 0
                break
            }
            code = code << 8 | UInt32(byte)
        }
        self.init(code: code)
    }

    /// The tag of two bytes (a scanner's tag, already upper-cased).
    @inline(__always)
    init(_ first: UInt8, _ second: UInt8) {
        self.init(code: first == 0 || first >= 0x80 || second == 0 || second >= 0x80 ? 0 : UInt32(first) << 8 | UInt32(second))
    }

    @inline(__always)
    private init(code: UInt32) {
        self.code = code
        let first = code >> 8
        let second = code & 0xFF
        if code > 0xFF && code <= 0xFFFF && first >= 0x30 && first <= 0x5A && second >= 0x30 && second <= 0x5A {
            bit = Int16((first - 0x30) * 43 + (second - 0x30))
        } else {
            bit = -1
        }
    }

    /// True when the tag packs into ``code`` (every tag the scanner makes does).
    var isPacked: Bool { code != 0 }
}

/// A set of tags: a bit per two-character tag, a list for any other.
struct RISTagSet {
    private var bits = [UInt64](repeating: 0, count: (RISTag.bitCount + 63) / 64)
    private var codes: [UInt32] = []
    /// Tags that do not pack into a code, by name.
    private var names: [String] = []

    init() {}

    init(_ tags: some Sequence<RISTag>) { formUnion(tags) }

    mutating func insert(_ tag: RISTag) {
        if tag.bit >= 0 {
            bits[Int(tag.bit) >> 6] |= 1 << UInt64(tag.bit & 63)
        } else if tag.isPacked, !codes.contains(tag.code) {
            codes.append(tag.code)
        }
    }

    /// Inserts a tag given by name (any string, also one that does not pack).
    mutating func insert(named tag: String) {
        let key = RISTag(tag)
        if key.isPacked {
            insert(key)
        } else if !names.contains(tag) {
            names.append(tag)
        }
    }

    mutating func formUnion(_ tags: some Sequence<RISTag>) {
        for tag in tags { insert(tag) }
    }

    func contains(_ tag: RISTag) -> Bool {
        if tag.bit >= 0 { return bits[Int(tag.bit) >> 6] & (1 << UInt64(tag.bit & 63)) != 0 }
        return tag.isPacked && codes.contains(tag.code)
    }

    /// Whether a field's tag is in the set (by its code; by name when it does not pack).
    func contains(_ field: RISField) -> Bool {
        field.key.isPacked ? contains(field.key) : names.contains(field.tag)
    }

    /// Whether a tag given by name is in the set.
    func contains(named tag: String) -> Bool {
        let key = RISTag(tag)
        return key.isPacked ? contains(key) : names.contains(tag)
    }
}

/// Library tags (`smrl:domain:…`, ``LibraryTags``) among keywords, with a byte-level fast path for the form the
/// writer produces (printable ASCII, lower-case prefix and field); anything else goes to ``LibraryTags/parse(_:)``.
enum RISLibraryTag {
    /// True when the keyword starts with `smrl:` in any letter case and has more after it.
    @inline(__always)
    static func hasPrefix(_ keyword: String) -> Bool {
        let utf8 = keyword.utf8
        guard utf8.count > 5 else { return false }
        var index = utf8.startIndex
        for expected in "smrl:".utf8 {
            if utf8[index] | 0x20 != expected | 0x20 { return false }
            index = utf8.index(after: index)
        }
        return true
    }

    /// The field and value, as ``LibraryTags/parse(_:)`` gives them.
    static func parse(_ keyword: String) -> (field: LibraryTags.Field, value: String)? {
        if let fast = fastParse(keyword) { return fast }
        return LibraryTags.parse(keyword)
    }

    /// The common case on bytes: printable ASCII, no space around the value, a known field. Nil means "not
    /// decided here" (the general parser then answers), never "not a tag".
    static func fastParse(_ keyword: String) -> (field: LibraryTags.Field, value: String)? {
        keyword.withUTF8Bytes { fastParse(bytes: $0) }
    }

    /// ``fastParse(_:)`` on the UTF-8 bytes of the keyword.
    static func fastParse(bytes: UnsafeBufferPointer<UInt8>) -> (field: LibraryTags.Field, value: String)? {
        let count = bytes.count
        guard count > 7, bytes[0] | 0x20 == 0x73, bytes[1] | 0x20 == 0x6D, bytes[2] | 0x20 == 0x72,
            bytes[3] | 0x20 == 0x6C, bytes[4] == 0x3A
        else { return nil }
        for byte in bytes where byte < 0x21 || byte > 0x7E {
            // Spaces (a value with several words, a space after a colon) and non-ASCII take the general path.
            if byte != 0x20 { return nil }
        }
        var colon = 5
        while colon < count, bytes[colon] != 0x3A { colon += 1 }
        guard colon < count - 1, bytes[colon + 1] != 0x20, bytes[count - 1] != 0x20 else { return nil }
        guard let field = field(bytes, colon: colon) else { return nil }
        // Printable ASCII (checked above): no validation needed.
        let value = UTF8Strings.string(validUTF8: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...]), ascii: true)
        return (field, value)
    }

    /// ``fastParse(bytes:)`` of a keyword whose bytes are all printable ASCII but `;` and the space (a library tag
    /// as the writer writes it), in one pass over the bytes; nil for any other keyword, which then takes the tests
    /// of ``RecordBuilder/addKeyword(line:_:)`` before ``fastParse(bytes:)`` (no `;`, compact). Such a keyword
    /// passes those tests (no space, no control or non-ASCII byte), and this gives what ``fastParse(bytes:)`` gives.
    static func plainTag(bytes: UnsafeBufferPointer<UInt8>) -> (field: LibraryTags.Field, value: String)? {
        let count = bytes.count
        guard count > 7, bytes[0] | 0x20 == 0x73, bytes[1] | 0x20 == 0x6D, bytes[2] | 0x20 == 0x72,
            bytes[3] | 0x20 == 0x6C, bytes[4] == 0x3A
        else { return nil }
        var colon = -1
        var index = 5
        if let base = bytes.baseAddress {
            // Eight bytes at a time: all of them printable ASCII but `;` (no high bit, none below 0x21, no 0x7F),
            // and the first colon where the word holds one.
            while index + 8 <= count {
                let word = ByteWord.load(base, index)
                let low = (word | ByteWord.repeating(0x80)) &- ByteWord.repeating(0x21)
                if (word | ~low) & 0x8080_8080_8080_8080 != 0
                    || ByteWord.zeroBytes(word ^ ByteWord.repeating(0x7F)) != 0
                    || ByteWord.zeroBytes(word ^ ByteWord.repeating(0x3B)) != 0
                {
                    return nil
                }
                if colon < 0 {
                    let colons = ByteWord.zeroBytes(word ^ ByteWord.repeating(0x3A))
                    if colons != 0 { colon = index + colons.trailingZeroBitCount >> 3 }
                }
                index += 8
            }
        }
        while index < count {
            let byte = bytes[index]
            // 0x21...0x7E but `;`.
            if byte &- 0x21 > 0x5D || byte == 0x3B { return nil }
            if byte == 0x3A, colon < 0 { colon = index }
            index += 1
        }
        guard colon > 0, colon < count - 1 else { return nil }
        guard let field = field(bytes, colon: colon) else { return nil }
        let value = UnsafeBufferPointer(rebasing: bytes[(colon + 1)...])
        // Most values are the vocabulary's ids: their literal Strings, no String made (``LibraryTags/knownValue(_:)``).
        return (field, LibraryTags.knownValue(value) ?? UTF8Strings.string(validUTF8: value, ascii: true))
    }

    /// The library field named between `smrl:` and the colon at `colon`, in any letter case; nil for no field.
    @inline(__always)
    private static func field(_ bytes: UnsafeBufferPointer<UInt8>, colon: Int) -> LibraryTags.Field? {
        switch colon - 5 {
        case 5 where matches(bytes, 5, "topic"): .topic
        case 6 where matches(bytes, 5, "domain"): .domain
        case 10 where matches(bytes, 5, "profession"): .profession
        case 11 where matches(bytes, 5, "open-access"): .openAccess
        case 13 where matches(bytes, 5, "resource-type"): .resourceType
        default: nil
        }
    }

    @inline(__always)
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for offset in 0..<pattern.count where bytes[at + offset] | 0x20 != pattern[offset] { return false }
        return true
    }

    /// Applies a parsed tag as ``LibraryTags/apply(_:to:)`` does (without parsing the keyword again).
    static func apply(_ field: LibraryTags.Field, _ value: String, to resource: inout Resource)
        -> Bool
    {
        switch field {
        case .domain: resource.domains.append(value)
        case .topic: resource.topics.append(value)
        case .profession: resource.professions.append(value)
        case .resourceType: resource.resourceType = value
        case .openAccess:
            // The values the writers write, before the general case (`lowercased()` makes a String).
            if value == "true" {
                resource.openAccess = true
                return true
            }
            if value == "false" {
                resource.openAccess = false
                return true
            }
            switch value.lowercased() {
            case "true", "yes", "1": resource.openAccess = true
            case "false", "no", "0": resource.openAccess = false
            default: return false
            }
        }
        return true
    }
}

/// The Resource keys whose locations the interpreters record (``RecordBuilder/mark(_:_:)``), a bit each: marking a
/// key again is a bit test, and its name is made once for the process, not per record.
enum RISKey: UInt8, CaseIterable {
    case abstract, accessed, articleNumber, authors, collectionTitle, containerTitle, containerTitleShort
    case description, doi, domains, edition, editors, event, id, isbn, issn, issue, issued, keywords, language
    case note, openAccess, pages, pmcid, pmid, professions, publisher, publisherPlace, resourceType, shortTitle
    case title, topics, translators, type, url, volume

    /// The Resource key: the case's own name.
    private static let names: [String] = allCases.map { String(describing: $0) }

    var name: String { Self.names[Int(rawValue)] }

    @inline(__always)
    var bit: UInt64 { 1 << UInt64(rawValue) }
}
