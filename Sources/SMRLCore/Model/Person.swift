/// A contributor: a person split into name parts, or an organisation given as a literal.
///
/// In JSON a person is an object with the keys `family`, `given`, `particle`, `droppingParticle`, `suffix`,
/// `literal` and `orcid`; absent parts are omitted.
public struct Person: Hashable, Sendable, Codable {
    /// ORCID iD as the bare 16-character form `0000-0002-1825-0097`.
    public var orcid: Optional<String>
    /// Family name without particle: `Beethoven` in "Ludwig van Beethoven".
    public var family: Optional<String>
    /// Given names or initials.
    public var given: Optional<String>
    /// Non-dropping particle kept with the family name when sorting or citing: `van`, `de la`, `van der`.
    public var particle: Optional<String>
    /// Dropping particle (CSL `dropping-particle`), shown only with the given name: `de` in "Charles de Gaulle"
    /// when a style drops it.
    public var droppingParticle: Optional<String>
    /// Generational or honorific suffix: `Jr.`, `III`.
    public var suffix: Optional<String>
    /// The whole name for organisations and names that must not be split: `World Health Organization`.
    public var literal: Optional<String>

    // The public initializer is in an extension and calls the memberwise one, `init(orcid:family:given:...)`
    // (`orcid` is declared first so that its labels differ from the public one's; each part is spelt
    // `Optional<String>`, which gets no implicit `nil` default, so the memberwise initializer has no default
    // arguments and no call that leaves parts out can mean it): an initializer that set each property made the person
    // in a temporary, then copied it out and destroyed the temporary (a retain and a release of every string, and
    // for `Person()` a copy and a destroy of seven nils), for every person read. Declaration order is not seen
    // outside: `CodingKeys` keep the JSON keys' order, and the writers name each part.

    /// An organisation or any name kept whole.
    public static func organization(_ name: String) -> Person { Person(literal: name) }

    /// True when the name is a literal (organisation) rather than split parts.
    public var isLiteral: Bool { literal != nil && family == nil }

    /// Family name with its non-dropping particle: `van Beethoven`.
    public var familyWithParticle: String? {
        guard let family else { return nil }
        guard let particle, !particle.isEmpty else { return family }
        let joiner = particle.hasSuffix("'") || particle.hasSuffix("’") || particle.hasSuffix("-") ? "" : " "
        return particle + joiner + family
    }

    /// A one-line rendering for messages and sort keys: `van Beethoven, Ludwig` or the literal.
    public var displayName: String {
        if let literal, family == nil { return literal }
        var text = familyWithParticle ?? ""
        if let given, !given.isEmpty { text += text.isEmpty ? given : ", " + given }
        if let suffix, !suffix.isEmpty { text += ", " + suffix }
        return text
    }

    /// True when no part carries text.
    public var isEmpty: Bool {
        // Part by part, without building an array of the parts (this runs for every person of every record).
        (family?.isEmpty ?? true) && (given?.isEmpty ?? true) && (particle?.isEmpty ?? true)
            && (droppingParticle?.isEmpty ?? true) && (suffix?.isEmpty ?? true) && (literal?.isEmpty ?? true)
    }

    private enum CodingKeys: String, CodingKey {
        case family, given, particle, droppingParticle, suffix, literal, orcid
    }
}

extension Person {
    public init(
        family: String? = nil, given: String? = nil, particle: String? = nil, droppingParticle: String? = nil,
        suffix: String? = nil, literal: String? = nil, orcid: String? = nil
    ) {
        self.init(
            orcid: orcid, family: family, given: given, particle: particle, droppingParticle: droppingParticle,
            suffix: suffix, literal: literal)
    }
}
