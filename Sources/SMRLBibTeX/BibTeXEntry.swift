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
        guard let value = self["crossref"]?.trimmingSpaces, !value.isEmpty else { return nil }
        return value.lowercased()
    }

    var xdataKeys: [String] {
        guard let value = self["xdata"] else { return [] }
        return value.split(separator: ",").map { $0.trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
    }
}
