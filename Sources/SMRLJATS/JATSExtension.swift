import SMRLCore

/// The names under which smrl carries fields JATS has no element for (see ``JATSWriter`` for the table), and
/// how the reader maps them back.
enum JATSExtension {
    /// `kwd-group-type` for each library field.
    static let keywordGroupTypes: [(LibraryTags.Field, String)] = [
        (.resourceType, "smrl-resource-type"), (.domain, "smrl-domain"), (.topic, "smrl-topic"),
        (.profession, "smrl-profession"),
    ]

    static func libraryField(forKeywordGroupType type: String?) -> LibraryTags.Field? {
        guard let type = type?.lowercased() else { return nil }
        return keywordGroupTypes.first { $0.1 == type }?.0
    }

    /// The `specific-use` of a `custom-meta` that continues the previous one's value with a new paragraph.
    static let continuation = "smrl-continued"

    /// The `annotation` content-type of the library fields in a citation.
    static let libraryAnnotation = "smrl-library"

    /// Names of the Resource fields carried by name.
    enum Field: String, CaseIterable {
        case itemType = "smrl-item-type"
        case openAccess = "smrl-open-access"
        case id = "smrl-id"
        case subtitle = "smrl-subtitle"
        case shortTitle = "smrl-short-title"
        case containerTitle = "smrl-container-title"
        case containerTitleShort = "smrl-container-title-short"
        case collectionTitle = "smrl-collection-title"
        case issued = "smrl-issued"
        case accessed = "smrl-accessed"
        case edition = "smrl-edition"
        case event = "smrl-event"
        case note = "smrl-note"
        case description = "smrl-description"
        case articleNumber = "smrl-article-number"
        case pages = "smrl-pages"
        case publisherPlace = "smrl-publisher-place"
        case language = "smrl-language"
        case orcid = "smrl-orcid"
        case volume = "smrl-volume"
        case issue = "smrl-issue"
        case url = "smrl-url"
    }

    /// Applies a carried field (`smrl-…`, `extra.<format>.<field>`, or the library annotation's tags) to a
    /// resource. Returns false when the name is none of smrl's.
    static func apply(name: String, value: String, to resource: inout Resource) -> Bool {
        if name == libraryAnnotation {
            return LibraryTags.apply(value, to: &resource)
        }
        if name.hasPrefix("extra.") {
            let parts = name.dropFirst(6).split(separator: ".", maxSplits: 1)
            guard parts.count == 2 else { return false }
            resource.addExtra(format: String(parts[0]), field: String(parts[1]), value: value)
            return true
        }
        if let libraryType = libraryField(forKeywordGroupType: name) {
            return LibraryTags.apply(LibraryTags.tag(libraryType, value), to: &resource)
        }
        guard let field = Field(rawValue: name) else { return false }
        let plain = RichText.plainText(value)
        switch field {
        case .itemType:
            guard let type = ItemType(lenient: plain) else { return false }
            resource.type = type
        case .openAccess:
            switch plain.lowercased() {
            case "true", "yes": resource.openAccess = true
            case "false", "no": resource.openAccess = false
            default: return false
            }
        case .id: resource.id = plain
        case .subtitle: resource.subtitle = value
        case .shortTitle: resource.shortTitle = plain
        case .containerTitle: resource.containerTitle = value
        case .containerTitleShort: resource.containerTitleShort = plain
        case .collectionTitle: resource.collectionTitle = plain
        case .issued: resource.issued = EDTFDate(parsing: plain)
        case .accessed: resource.accessed = EDTFDate(parsing: plain)
        case .edition: resource.edition = plain
        case .event: resource.event = plain
        case .note: resource.note = plain
        case .description: resource.description = value
        case .articleNumber: resource.articleNumber = plain
        case .pages: resource.pages = plain
        case .publisherPlace: resource.publisherPlace = plain
        case .language: resource.language = plain
        case .volume: resource.volume = plain
        case .issue: resource.issue = plain
        case .url: resource.url = plain
        case .orcid:
            // `authors 2 0000-0002-1825-0097`: role, 1-based position, ORCID.
            let parts = splitAtSpaces(plain)
            guard parts.count == 3, let index = Int(parts[1]), index >= 1, let orcid = Identifiers.normalizeORCID(String(parts[2]))
            else { return false }
            switch parts[0] {
            case "authors" where index <= resource.authors.count: resource.authors[index - 1].orcid = orcid
            case "editors" where index <= resource.editors.count: resource.editors[index - 1].orcid = orcid
            case "translators" where index <= resource.translators.count: resource.translators[index - 1].orcid = orcid
            default: return false
            }
        }
        return true
    }

    /// `text.split(separator: " ")`; for ASCII text (where every byte is a Character of its own, and a space never
    /// joins a neighbour) split on the bytes, without walking Characters.
    static func splitAtSpaces(_ text: String) -> [Substring] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.split(separator: " ") }
        // The pieces between spaces as slices of the text, found by walking its UTF-8 indices.
        var pieces: [Substring] = []
        let utf8 = text.utf8
        var index = utf8.startIndex
        var start = index
        while index != utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == 0x20 {
                if start != index { pieces.append(text[start..<index]) }
                start = next
            }
            index = next
        }
        if start != utf8.endIndex { pieces.append(text[start..<utf8.endIndex]) }
        return pieces
    }
}
