import SMRLCore

/// An entry after `@string` expansion: its type, key and fields as LaTeX source strings, in source order.
///
/// This is the level at which `crossref` and `xdata` inheritance works; ``BibTeXMapping`` then turns it into a
/// ``Resource``.
struct BibTeXEntry: Sendable {
    struct Field: Sendable {
        /// Lowercased field name.
        var name: String
        /// The value's LaTeX source after macro expansion and `#` concatenation.
        var value: String
        var location: SourceLocation?
        /// True when the field came from a `crossref` or `xdata` parent.
        var inherited = false
    }

    /// Lowercased entry type (`article`, `inproceedings`).
    var type: String
    var key: String?
    var fields: [Field]
    var location: SourceLocation

    /// The first field with this (lowercased) name.
    subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    func field(_ name: String) -> Field? {
        fields.first { $0.name == name }
    }

    func has(_ name: String) -> Bool {
        fields.contains { $0.name == name }
    }

    /// The keys listed in a `crossref` (one) or `xdata` (comma-separated) field, lowercased.
    var crossrefKey: String? {
        guard let value = self["crossref"]?.bibTrimmed, !value.isEmpty else { return nil }
        return value.lowercased()
    }

    var xdataKeys: [String] {
        guard let value = self["xdata"] else { return [] }
        return value.split(separator: ",").map { $0.bibTrimmed.lowercased() }.filter { !$0.isEmpty }
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
