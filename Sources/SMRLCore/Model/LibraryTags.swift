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
        tags.reserveCapacity(tagCount(of: resource))
        forEachTag(of: resource) { head, value in tags.append(tag(head, value)) }
        return tags
    }

    /// How many tags `tags(for:)` makes for `resource`.
    public static func tagCount(of resource: Resource) -> Int {
        (resource.resourceType == nil ? 0 : 1) + resource.domains.count + resource.topics.count
            + resource.professions.count + (resource.openAccess == nil ? 0 : 1)
    }

    /// Calls `body` with the head (`smrl:domain:` and so on) and the value of each of `resource`'s tags, in the
    /// order of `tags(for:)`. The one place that knows the heads and their order: `tags(for:)` and the writers
    /// that put a tag out from its two parts are built on it.
    @inlinable
    public static func forEachTag(
        of resource: Resource, _ body: (_ head: StaticString, _ value: String) throws -> Void
    ) rethrows {
        try forEachTag(
            resourceType: resource.resourceType, domains: resource.domains, topics: resource.topics,
            professions: resource.professions, openAccess: resource.openAccess, body)
    }

    /// ``forEachTag(of:_:)`` from the five library fields, for a caller holding the record behind a pointer (the
    /// RIS writer): passing `pointer.pointee` whole copies the record.
    @inlinable
    public static func forEachTag(
        resourceType: String?, domains: [String], topics: [String], professions: [String], openAccess: Bool?,
        _ body: (_ head: StaticString, _ value: String) throws -> Void
    ) rethrows {
        if let resourceType { try body(head(.resourceType), resourceType) }
        for domain in domains { try body(head(.domain), domain) }
        for topic in topics { try body(head(.topic), topic) }
        for profession in professions { try body(head(.profession), profession) }
        if let openAccess { try body(head(.openAccess), openAccess ? "true" : "false") }
    }

    /// One tag.
    public static func tag(_ field: Field, _ value: String) -> String {
        tag(head(field), value)
    }

    /// `head + value` made in one allocation (the writers make these for every record).
    public static func tag(_ head: StaticString, _ value: String) -> String {
        var value = value
        return value.withUTF8 { tail in
            head.withUTF8Buffer { head in
                String(unsafeUninitializedCapacity: head.count + tail.count) { buffer in
                    guard let base = buffer.baseAddress else { return 0 }
                    if let headBase = head.baseAddress { base.update(from: headBase, count: head.count) }
                    if let tailBase = tail.baseAddress { (base + head.count).update(from: tailBase, count: tail.count) }
                    return head.count + tail.count
                }
            }
        }
    }

    /// `prefix + field.rawValue + ":"` spelled out.
    @inlinable
    public static func head(_ field: Field) -> StaticString {
        switch field {
        case .domain: return "smrl:domain:"
        case .topic: return "smrl:topic:"
        case .profession: return "smrl:profession:"
        case .resourceType: return "smrl:resource-type:"
        case .openAccess: return "smrl:open-access:"
        }
    }

    /// The field and value of a library tag; nil for any other keyword. Case-insensitive in the prefix and field.
    public static func parse(_ keyword: String) -> (field: Field, value: String)? {
        var text = keyword.trimmingSpaces
        // On bytes: only ASCII letters fold (no other character lower-cases to one of `smrl:` or a field name).
        // Most keywords are no tag, and their first byte settles it.
        return text.withUTF8 { bytes -> (field: Field, value: String)? in
            let count = bytes.count
            guard count > prefixBytes.count, bytes[0] | 0x20 == UInt8(ascii: "s"),
                equalFoldingASCII(UnsafeBufferPointer(rebasing: bytes[0..<prefixBytes.count]), prefixBytes)
            else { return nil }
            var colon = prefixBytes.count
            while colon < count, bytes[colon] != UInt8(ascii: ":") { colon &+= 1 }
            guard colon < count else { return nil }
            let name = UnsafeBufferPointer(rebasing: bytes[prefixBytes.count..<colon])
            guard let field = fieldNames.first(where: { equalFoldingASCII(name, $0.bytes) })?.field else { return nil }
            // The value is what follows the colon. When that starts with an ASCII byte (or nothing), it starts a
            // Character, so its bytes are the value; otherwise (a combining mark may follow the colon) the text is
            // sliced at that offset as a String, as before.
            let value: String
            if colon + 1 == count || bytes[colon + 1] < 0x80 {
                value = String(decoding: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...]), as: UTF8.self)
                    .trimmingSpaces
            } else {
                value = keyword.trimmingSpaces.slicedAfter(utf8Offset: colon + 1)
            }
            guard !value.isEmpty else { return nil }
            return (field, value)
        }
    }

    private static let prefixBytes = Array(prefix.utf8)

    /// The values library tags carry most: the ids of the bundled vocabulary's domains, topics, professions and
    /// resource types, and `true`/`false`. Written as literals on purpose: a String made from a literal is immortal
    /// (its bytes are in the binary: no allocation, no reference count to change), so a reader that finds a tag's
    /// value here hands on the same text without making a String per tag (``knownValue(_:)``). A value that is not
    /// here is made as before; the list only has to be useful, not complete (the tests check that it holds the
    /// bundled vocabulary's ids).
    package static let knownValues: [String] = [
        "pathways-admission-graduation", "curriculum-programming", "community-engagement", "students-faculty",
        "governance-accountability",
        "diversity-inclusion-belonging", "practice-underserved", "specialty-choice", "health-equity-champions",
        "community-partnerships", "patient-community-health",
        "peer-reviewed-article", "implementation-guidance-tools", "real-world-example",
        "medicine", "nursing", "dentistry", "pharmacy", "physician-assistant", "public-health", "interdisciplinary",
        "true", "false",
    ]

    private static let knownValueTable = FastStringTable(knownValues)

    /// The String of ``knownValues`` whose UTF-8 bytes are `bytes` (exactly: no case folding), nil for any other.
    @inline(__always)
    package static func knownValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let index = knownValueTable.index(ofBytes: bytes) else { return nil }
        return knownValues[index]
    }

    /// Each field with its name's bytes.
    private static let fieldNames: [(field: Field, bytes: [UInt8])] = Field.allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// True when `bytes` spell `lowercase` (lower-case ASCII) in any letter case.
    private static func equalFoldingASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: [UInt8]) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if (byte &- 0x41 < 26 ? byte | 0x20 : byte) != lowercase[index] { return false }
        }
        return true
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

extension String {
    /// `self[offset...].trimmingSpaces`, with the UTF-8 offset made into an index of the string.
    fileprivate func slicedAfter(utf8Offset offset: Int) -> String {
        self[utf8.index(utf8.startIndex, offsetBy: offset)...].trimmingSpaces
    }
}
