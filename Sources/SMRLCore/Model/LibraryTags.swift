/// The library's own fields written as tags, for formats whose only open list is keywords or tags (RIS `KW`,
/// Zotero tags, JATS `kwd`): `smrl:domain:community-engagement`, `smrl:topic:specialty-choice`,
/// `smrl:profession:pharmacy`, `smrl:resource-type:peer-reviewed-article`, `smrl:open-access:true`.
///
/// Reference managers show them as ordinary tags that sort together; readers map them back exactly.
public enum LibraryTags {
    /// The prefix every library tag starts with.
    public static let prefix = "smrl:"

    /// A library field that travels as a tag.
    public enum Field: String, Sendable, CaseIterable {
        case domain
        case topic
        case profession
        case resourceType = "resource-type"
        case openAccess = "open-access"
    }

    /// The tags for a resource's library fields, in a stable order.
    public static func tags(for resource: Resource) -> [String] {
        var tags: [String] = []
        tags.reserveCapacity(
            (resource.resourceType == nil ? 0 : 1) + resource.domains.count + resource.topics.count
                + resource.professions.count + (resource.openAccess == nil ? 0 : 1))
        if let type = resource.resourceType { tags.append(tag(.resourceType, type)) }
        for domain in resource.domains { tags.append(tag(.domain, domain)) }
        for topic in resource.topics { tags.append(tag(.topic, topic)) }
        for profession in resource.professions { tags.append(tag(.profession, profession)) }
        if let openAccess = resource.openAccess { tags.append(tag(.openAccess, openAccess ? "true" : "false")) }
        return tags
    }

    /// One tag.
    public static func tag(_ field: Field, _ value: String) -> String {
        prefix + field.rawValue + ":" + value
    }

    /// The field and value of a library tag; nil for any other keyword. Case-insensitive in the prefix and field.
    public static func parse(_ keyword: String) -> (field: Field, value: String)? {
        let text = keyword.trimmingSpaces
        // On bytes: only ASCII letters fold (no other character lower-cases to one of `smrl:` or a field name).
        // Most keywords are no tag, and their first byte settles it.
        let utf8 = text.utf8
        guard utf8.count > prefixBytes.count, let first = utf8.first, first | 0x20 == UInt8(ascii: "s"),
            Self.equalFoldingASCII(utf8.prefix(prefixBytes.count), prefixBytes)
        else { return nil }
        let rest = utf8.dropFirst(prefixBytes.count)
        guard let colon = rest.firstIndex(of: UInt8(ascii: ":")),
            let field = Field.allCases.first(where: { Self.equalFoldingASCII(rest[..<colon], $0.rawValue.utf8) })
        else { return nil }
        let value = text[utf8.index(after: colon)...].trimmingSpaces
        guard !value.isEmpty else { return nil }
        return (field, value)
    }

    private static let prefixBytes = Array(prefix.utf8)

    /// True when `bytes` spell `lowercase` (lower-case ASCII) in any letter case.
    private static func equalFoldingASCII(_ bytes: some Collection<UInt8>, _ lowercase: some Collection<UInt8>) -> Bool {
        bytes.count == lowercase.count
            && zip(bytes, lowercase).allSatisfy { byte, expected in (byte &- 0x41 < 26 ? byte | 0x20 : byte) == expected }
    }

    /// Applies a library tag to a resource. Returns false (and changes nothing) when `keyword` is no library tag
    /// or its open-access value is not `true`/`false`.
    @discardableResult
    public static func apply(_ keyword: String, to resource: inout Resource) -> Bool {
        guard let (field, value) = parse(keyword) else { return false }
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
