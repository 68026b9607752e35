import SMRLCore

/// Small fixed-shape lookups keyed by tag, for the record interpreter: a tag is two to four ASCII bytes, so it
/// packs into an integer and needs no string hashing (which a `Set<String>` or `[String: …]` pays per lookup).
enum RISTagCode {
    /// The tag packed into an integer (length in the top byte, up to three bytes below it); nil for a tag longer
    /// than three bytes or not ASCII, which the callers compare as strings instead.
    @inline(__always)
    static func code(_ tag: String) -> UInt32? {
        var code: UInt32 = 0
        var count: UInt32 = 0
        for byte in tag.utf8 {
            if count == 3 || byte >= 0x80 { return nil }
            code = code << 8 | UInt32(byte)
            count += 1
        }
        return code | count << 24
    }

    /// The bit of a two-byte tag of digits and upper-case letters (`AU`, `C7`), in 0..<43*43; nil otherwise.
    @inline(__always)
    static func bit(_ tag: String) -> Int? {
        var iterator = tag.utf8.makeIterator()
        guard let first = iterator.next(), let second = iterator.next(), iterator.next() == nil,
            first >= 0x30, first <= 0x5A, second >= 0x30, second <= 0x5A
        else { return nil }
        return Int(first - 0x30) * 43 + Int(second - 0x30)
    }
}

/// A set of tags: a bit per two-character tag, a list for any other.
struct RISTagSet {
    private var bits = [UInt64](repeating: 0, count: (43 * 43 + 63) / 64)
    private var others: [String] = []

    init() {}

    init(_ tags: some Sequence<String>) { formUnion(tags) }

    mutating func insert(_ tag: String) {
        if let bit = RISTagCode.bit(tag) {
            bits[bit >> 6] |= 1 << UInt64(bit & 63)
        } else if !others.contains(tag) {
            others.append(tag)
        }
    }

    mutating func formUnion(_ tags: some Sequence<String>) {
        for tag in tags { insert(tag) }
    }

    func contains(_ tag: String) -> Bool {
        if let bit = RISTagCode.bit(tag) { return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }
        return others.contains(tag)
    }
}

/// The fields of a record grouped by tag, in input order within each tag; the reading side of a
/// `[String: [RISField]]` without hashing (a record has a few dozen tags at most, found by integer compare).
struct RISFieldIndex {
    private var codes: [UInt32] = []
    private var tags: [String] = []
    private var groups: [[RISField]] = []
    /// For two-character tags: 1 + the group's position, 0 when absent (groups past 254 are found by search).
    private var slots = [UInt8](repeating: 0, count: 43 * 43)

    init() {}

    /// An index with room for `capacity` tags without growing its lists.
    init(capacity: Int) {
        codes.reserveCapacity(capacity)
        tags.reserveCapacity(capacity)
        groups.reserveCapacity(capacity)
    }

    private func position(_ tag: String) -> Int? {
        if let bit = RISTagCode.bit(tag) {
            let slot = slots[bit]
            if slot != 0 { return Int(slot) - 1 }
            if groups.count < 255 { return nil }
        }
        if let code = RISTagCode.code(tag) {
            var index = 0
            while index < codes.count {
                if codes[index] == code { return index }
                index += 1
            }
            return nil
        }
        return tags.firstIndex(of: tag)
    }

    mutating func append(_ field: RISField) {
        if let index = position(field.tag) {
            groups[index].append(field)
        } else {
            add(field.tag, [field])
        }
    }

    private mutating func add(_ tag: String, _ fields: [RISField]) {
        if let bit = RISTagCode.bit(tag), groups.count < 255 { slots[bit] = UInt8(groups.count + 1) }
        codes.append(RISTagCode.code(tag) ?? .max)
        tags.append(tag)
        groups.append(fields)
    }

    /// The fields of a tag, nil when the record has none; setting nil removes the tag.
    subscript(tag: String) -> [RISField]? {
        get { position(tag).map { groups[$0] } }
        set {
            if let index = position(tag) {
                if let newValue {
                    groups[index] = newValue
                } else {
                    // Rare (a tag emptied): rebuild the positions.
                    codes.remove(at: index)
                    tags.remove(at: index)
                    groups.remove(at: index)
                    slots = [UInt8](repeating: 0, count: 43 * 43)
                    for (position, tag) in tags.enumerated() where position < 255 {
                        if let bit = RISTagCode.bit(tag) { slots[bit] = UInt8(position + 1) }
                    }
                }
            } else if let newValue {
                add(tag, newValue)
            }
        }
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
        var copy = keyword
        return copy.withUTF8 { bytes -> (field: LibraryTags.Field, value: String)? in
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
            let field: LibraryTags.Field
            switch colon - 5 {
            case 5 where matches(bytes, 5, "topic"): field = .topic
            case 6 where matches(bytes, 5, "domain"): field = .domain
            case 10 where matches(bytes, 5, "profession"): field = .profession
            case 11 where matches(bytes, 5, "open-access"): field = .openAccess
            case 13 where matches(bytes, 5, "resource-type"): field = .resourceType
            default: return nil
            }
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...]), as: UTF8.self)
            return (field, value)
        }
    }

    @inline(__always)
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for offset in 0..<pattern.count where bytes[at + offset] | 0x20 != pattern[offset] { return false }
        return true
    }

    /// Applies a parsed tag as ``LibraryTags/apply(_:to:)`` does (without parsing the keyword again).
    static func apply(_ field: LibraryTags.Field, _ value: String, _ keyword: String, to resource: inout Resource)
        -> Bool
    {
        switch field {
        case .domain: resource.domains.append(value)
        case .topic: resource.topics.append(value)
        case .profession: resource.professions.append(value)
        case .resourceType: resource.resourceType = value
        case .openAccess:
            switch value.lowercased() {
            case "true", "yes", "1": resource.openAccess = true
            case "false", "no", "0": resource.openAccess = false
            default: return false
            }
        }
        return true
    }
}
