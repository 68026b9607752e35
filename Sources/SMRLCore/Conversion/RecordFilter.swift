/// Selects records for export the way the library's own search does: by domain, topic, profession, type and
/// open access. Within one criterion any listed value matches; all criteria given must match.
public struct RecordFilter: Sendable {
    public var domains: Set<String> = []
    public var topics: Set<String> = []
    public var professions: Set<String> = []
    /// Library resource types or bibliographic item types (`real-world-example`, `article-journal`).
    public var types: Set<String> = []
    public var openAccess: Bool?

    public init() {}

    /// Builds a filter whose values may be ids, labels or variants: each is resolved through the vocabulary.
    /// - Throws: ``VocabularyError`` naming a value that matches no term.
    public init(
        domains: [String] = [], topics: [String] = [], professions: [String] = [], types: [String] = [],
        openAccess: Bool? = nil, vocabulary: Vocabulary
    ) throws {
        func resolve(_ values: [String], _ kind: Vocabulary.Kind) throws -> Set<String> {
            Set(
                try values.map { value in
                    guard let term = vocabulary.match(value, in: kind) else {
                        throw VocabularyError(file: "--\(kind.rawValue)", message: "no \(kind.termNoun) matches \"\(value)\"")
                    }
                    return term.id
                })
        }
        self.domains = try resolve(domains, .domains)
        self.topics = try resolve(topics, .topics)
        self.professions = try resolve(professions, .professions)
        self.types = Set(
            try types.map { value in
                if let item = ItemType(lenient: value) { return item.rawValue }
                guard let term = vocabulary.match(value, in: .resourceTypes) else {
                    throw VocabularyError(
                        file: "--type", message: "\"\(value)\" is neither a resource type nor a CSL item type")
                }
                return term.id
            })
        self.openAccess = openAccess
    }

    /// True when no criterion is set.
    public var isEmpty: Bool {
        domains.isEmpty && topics.isEmpty && professions.isEmpty && types.isEmpty && openAccess == nil
    }

    /// True when the record meets every criterion.
    public func matches(_ record: Resource) -> Bool {
        if !domains.isEmpty && domains.isDisjoint(with: record.domains) { return false }
        if !topics.isEmpty && topics.isDisjoint(with: record.topics) { return false }
        if !professions.isEmpty && professions.isDisjoint(with: record.professions) { return false }
        if !types.isEmpty {
            let own = [record.type.rawValue] + (record.resourceType.map { [$0] } ?? [])
            if types.isDisjoint(with: own) { return false }
        }
        if let openAccess, record.openAccess != openAccess { return false }
        return true
    }
}
