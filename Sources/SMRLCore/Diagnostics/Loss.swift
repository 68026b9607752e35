/// A field that a writer could not carry into its target format, for one record.
public struct Loss: Hashable, Sendable, Codable {
    /// The ``Resource`` key (`translators`, `subtitle`) or `extra.FORMAT.FIELD` for extra fields.
    public var field: String
    /// What happened to it, when more than "dropped" (`joined into note`, `kept first of 2`).
    public var detail: String?

    public init(_ field: String, _ detail: String? = nil) {
        self.field = field
        self.detail = detail
    }
}
