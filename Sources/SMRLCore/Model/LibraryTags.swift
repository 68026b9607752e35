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
        if let type = resource.resourceType { tags.append(tag(.resourceType, type)) }
        tags += resource.domains.map { tag(.domain, $0) }
        tags += resource.topics.map { tag(.topic, $0) }
        tags += resource.professions.map { tag(.profession, $0) }
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
        // Most keywords are no tag: an ASCII first letter other than s or S settles it without lowercasing.
        guard let first = text.utf8.first, first >= 0x80 || first | 0x20 == UInt8(ascii: "s") else { return nil }
        guard text.count > prefix.count, text.lowercased().hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":"),
            let field = Field(rawValue: rest[..<colon].lowercased())
        else { return nil }
        let value = rest[rest.index(after: colon)...].trimmingSpaces
        guard !value.isEmpty else { return nil }
        return (field, value)
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
