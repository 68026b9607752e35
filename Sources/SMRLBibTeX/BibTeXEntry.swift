import SMRLCore

/// An entry after `@string` expansion: its type, key and fields as LaTeX source strings, in source order.
///
/// This is the level at which `crossref` and `xdata` inheritance works; ``BibTeXMapping`` then turns it into a
/// ``Resource``.
struct BibTeXEntry: Sendable {
    struct Field: Sendable {
        /// Lowercased field name.
        let name: String
        /// The ``BibField`` named `name`, nil for a name that is not one: lookups compare it, not the names.
        let known: BibField?
        /// The value's LaTeX source after macro expansion and `#` concatenation.
        var value: String
        var location: SourceLocation?
        /// True when the field came from a `crossref` or `xdata` parent.
        var inherited = false

        // A field whose ``BibField`` is known is made by the memberwise initializer,
        // `init(name:known:value:location:inherited:)`: `known` must be `BibField(name: name)`. (No initializer of
        // its own in the type: one that sets each property made the field in a temporary, then copied it out and
        // destroyed the temporary, a retain and a release of each string per field, 7.6M instructions on 2,000
        // records in the reader's `makeEntry`; the memberwise one makes it in place.)
    }

    /// Lowercased entry type (`article`, `inproceedings`).
    var type: String
    var key: String?
    var fields: [Field]
    var location: SourceLocation

    init(type: String, key: String?, fields: [Field], location: SourceLocation) {
        self.type = type
        self.key = key
        self.fields = fields
        self.location = location
    }

    /// FNV-1a (64 bits) of a name (``DigestMap/digest(_:)``).
    @inline(__always)
    static func hash(_ name: String) -> UInt64 { DigestMap.digest(name) }

    /// The position of the first field that is `field`: a byte compared per field, no name hashed.
    @inline(__always)
    func position(_ field: BibField) -> Int? {
        fields.withUnsafeBufferPointer { fields in
            for index in fields.indices where fields[index].known == field { return index }
            return nil
        }
    }

    /// The position of the first field with this (lowercased) name.
    func position(_ name: String) -> Int? {
        if let field = BibField(name: name) { return position(field) }
        // A name that is no ``BibField``: only fields without one can have it.
        return fields.withUnsafeBufferPointer { fields in
            for index in fields.indices where fields[index].known == nil && fields[index].name == name {
                return index
            }
            return nil
        }
    }

    /// The first field with this (lowercased) name.
    subscript(name: String) -> String? {
        field(name)?.value
    }

    subscript(field: BibField) -> String? {
        self.field(field)?.value
    }

    func field(_ name: String) -> Field? {
        position(name).map { fields[$0] }
    }

    func field(_ field: BibField) -> Field? {
        position(field).map { fields[$0] }
    }

    func has(_ name: String) -> Bool {
        position(name) != nil
    }

    func has(_ field: BibField) -> Bool {
        position(field) != nil
    }

    /// The keys listed in a `crossref` (one) or `xdata` (comma-separated) field, lowercased.
    var crossrefKey: String? {
        guard let value = self[.crossref]?.bibTrimmed, !value.isEmpty else { return nil }
        return value.lowercased()
    }

    var xdataKeys: [String] {
        guard let value = self[.xdata] else { return [] }
        return value.split(separator: ",").map { $0.bibTrimmed.lowercased() }.filter { !$0.isEmpty }
    }
}

extension BibTeXEntry.Field {
    init(name: String, value: String, location: SourceLocation?, inherited: Bool = false) {
        self.init(name: name, known: BibField(name: name), value: value, location: location, inherited: inherited)
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space: a byte check for the usual ASCII case, the core's
    /// Unicode-aware trim only when an end is not ASCII (a no-break space, say).
    var bibTrimmed: String {
        let string = String(self)
        let utf8 = string.utf8
        guard let first = utf8.first, let last = utf8.last else { return "" }
        if first >= 0x80 || last >= 0x80 { return string.trimmingSpaces }
        let space: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }
        if !space(first) && !space(last) { return string }
        guard let start = utf8.firstIndex(where: { !space($0) }) else { return "" }
        let end = utf8.lastIndex(where: { !space($0) }) ?? start
        let trimmed = String(string[start...end])
        if let head = trimmed.utf8.first, let tail = trimmed.utf8.last, head >= 0x80 || tail >= 0x80 {
            return trimmed.trimmingSpaces
        }
        return trimmed
    }
}

extension String {
    /// `contains(needle)` for a one-byte ASCII needle: on ASCII text (most values) a byte scan, which is what the
    /// search finds there; on other text Foundation's search, as before (its canonical-equivalence rules may
    /// differ from a byte scan around combining marks).
    func bibContains(_ needle: String) -> Bool {
        guard let byte = needle.utf8.first, needle.utf8.count == 1, byte < 0x80 else { return contains(needle) }
        var found = false
        for unit in utf8 {
            if unit >= 0x80 { return contains(needle) }
            if unit == byte { found = true }
        }
        return found
    }
}
