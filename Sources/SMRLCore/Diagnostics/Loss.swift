/// A field that a writer could not carry into its target format as it is, for one record.
public struct Loss: Hashable, Sendable, Codable {
    /// What became of the field.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Not in the output at all.
        case dropped
        /// In the output, but not as it was: joined into another field, kept in part, written as something close
        /// (a type the format has), stripped of markup or case protection.
        case changed
    }

    /// The ``Resource`` key (`translators`, `subtitle`) or `extra.FORMAT.FIELD` for extra fields.
    public var field: String
    /// How it was changed or why it was dropped, when the writer says (`joined into TI after ': '`,
    /// `kept the first of 2`, `RIS has no place for ORCID iDs`).
    public var detail: String?
    public var kind: Kind

    public init(_ field: String, _ detail: String? = nil, kind: Kind = .dropped) {
        self.field = field
        self.detail = detail
        self.kind = kind
    }

    private enum CodingKeys: String, CodingKey { case field, detail, kind }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decode(String.self, forKey: .field)
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .dropped
    }
}
