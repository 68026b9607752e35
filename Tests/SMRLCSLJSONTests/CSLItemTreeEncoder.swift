import SMRLCore

@testable import SMRLCSLJSON

/// The tree-building encoder the writer used before it wrote items straight into its output (see
/// ``CSLItemEncoder``): it builds a ``JSONValue`` per item, which ``JSONOutput/value(_:)`` then serialises. Kept
/// only as the reference the tests compare the direct writer with (the same bytes and losses for every corpus
/// record); not used by the writer.
struct CSLItemTreeEncoder {
    let libraryTags: Bool
    let foreignExtra: Bool
    private(set) var losses: [Loss] = []
    private var values = Slots()
    private var custom: [JSONMember] = []
    private var library: [JSONMember] = []

    init(libraryTags: Bool, foreignExtra: Bool) {
        self.libraryTags = libraryTags
        self.foreignExtra = foreignExtra
    }

    /// The order variables are written in (the writer's).
    static var outputOrder: [String] { CSLItemEncoder.outputOrder }

    mutating func encodeSlowly(_ resource: Resource, id: String) -> JSONValue {
        let extra = resource.extra[CSLItemDecoder.extraKey] ?? [:]
        func shadow(_ variable: String) -> String? { extra[variable]?.first }

        values["id"] = .string(id)
        values["type"] = .string(resource.type.rawValue)

        // Titles (rich text as CSL markup).
        if let full = resource.fullTitle {
            if let original = shadow("title"), CSLMarkup.toRich(original) == full {
                values["title"] = .string(original)
            } else {
                values["title"] = .string(CSLMarkup.toCSL(full))
            }
            if let subtitle = resource.subtitle, !subtitle.isEmpty {
                library.append(JSONMember(key: "subtitle", value: .string(subtitle)))
            }
        }
        richText("container-title", resource.containerTitle, shadow: shadow("container-title"))
        richText("abstract", resource.abstract, shadow: shadow("abstract"))
        plain("title-short", resource.shortTitle)
        plain("container-title-short", resource.containerTitleShort)
        plain("collection-title", resource.collectionTitle)

        // Names.
        var orcids: [JSONMember] = []
        for (variable, persons) in [
            ("author", resource.authors), ("editor", resource.editors), ("translator", resource.translators),
        ] {
            names(variable, persons, shadow: shadow(variable))
            if persons.contains(where: { $0.orcid != nil }) {
                orcids.append(JSONMember(key: variable, value: .array(persons.map { $0.orcid.map(JSONValue.string) ?? .null })))
            }
        }

        // Dates.
        date("issued", resource.issued, shadow: shadow("issued"))
        date("accessed", resource.accessed, shadow: shadow("accessed"))

        // Numbers and publishing.
        plain("volume", resource.volume)
        plain("issue", resource.issue)
        plain("page", resource.pages)
        plain("edition", resource.edition)
        if let number = resource.articleNumber {
            values["number"] = .string(number)
            if !CSLMapping.articleNumberTypes.contains(resource.type) {
                // CSL has no article-number variable: `number` is the nearest, but for this type it means a report,
                // series or patent number.
                losses.append(Loss("articleNumber",
                    "written as CSL number, which for this type is read back as its report or series number",
                    kind: .changed))
            }
            if let other = shadow("number"), other != number {
                losses.append(Loss("extra.csl-json.number", "CSL has one number; the article number was written"))
            }
        }
        plain("publisher", resource.publisher)
        plain("publisher-place", resource.publisherPlace)
        plain("event-title", resource.event)
        plain("URL", resource.url)
        plain("language", resource.language)
        plain("note", resource.note)

        // Identifiers: the input's own spelling while it says the same.
        if let doi = resource.doi {
            if let original = shadow("DOI"), (Identifiers.normalizeDOI(original) ?? original) == doi {
                values["DOI"] = .string(original)
            } else {
                values["DOI"] = .string(doi)
            }
        }
        plain("PMID", resource.pmid)
        if let pmcid = resource.pmcid {
            if let original = shadow("PMCID"), (Identifiers.normalizePMCID(original) ?? original) == pmcid {
                values["PMCID"] = .string(original)
            } else {
                values["PMCID"] = .string(pmcid)
            }
        }
        identifierList("ISBN", resource.isbn, shadow: shadow("ISBN"), split: CSLIdentifiers.splitISBN,
            join: CSLIdentifiers.joinISBN)
        identifierList("ISSN", resource.issn, shadow: shadow("ISSN"), split: CSLIdentifiers.splitISSN,
            join: CSLIdentifiers.joinISSN)

        // Keywords: `categories` is the list; `keyword` a convenience string.
        var keywords = resource.keywords
        if libraryTags { keywords += LibraryTags.tags(for: resource) }
        if !keywords.isEmpty {
            values["categories"] = CSLJSON.strings(keywords)
            if let original = shadow("keyword"), CSLKeywords.renders(original, keywords) {
                values["keyword"] = .string(original)
            } else {
                values["keyword"] = .string(CSLKeywords.join(keywords))
            }
        } else {
            // Empty lists and strings, as given.
            if let original = shadow("categories"), let value = CSLJSON.parse(original), value.elements?.isEmpty == true {
                values["categories"] = value
            }
            if let original = shadow("keyword"), CSLKeywords.split(original).isEmpty {
                values["keyword"] = .string(original)
            }
        }

        // Library fields and what else the model has but CSL does not.
        if let resourceType = resource.resourceType {
            library.insert(JSONMember(key: "resourceType", value: .string(resourceType)), at: 0)
        }
        var libraryHead: [JSONMember] = []
        if !resource.domains.isEmpty { libraryHead.append(JSONMember(key: "domains", value: CSLJSON.strings(resource.domains))) }
        if !resource.topics.isEmpty { libraryHead.append(JSONMember(key: "topics", value: CSLJSON.strings(resource.topics))) }
        if !resource.professions.isEmpty {
            libraryHead.append(JSONMember(key: "professions", value: CSLJSON.strings(resource.professions)))
        }
        if let openAccess = resource.openAccess { libraryHead.append(JSONMember(key: "openAccess", value: .bool(openAccess))) }
        if let description = resource.description {
            libraryHead.append(JSONMember(key: "description", value: .string(description)))
        }
        let insertAt = resource.resourceType == nil ? 0 : 1
        library.insert(contentsOf: libraryHead, at: insertAt)
        if !orcids.isEmpty { library.append(JSONMember(key: "orcid", value: .object(orcids))) }
        let foreign = resource.extra.filter { $0.key != CSLItemDecoder.extraKey && !$0.value.isEmpty }
        if !foreign.isEmpty {
            if foreignExtra {
                let formats = foreign.sorted { $0.key < $1.key }.map { format in
                    JSONMember(key: format.key, value: .object(format.value.sorted { $0.key < $1.key }.map {
                        JSONMember(key: $0.key, value: CSLJSON.strings($0.value))
                    }))
                }
                library.append(JSONMember(key: "extra", value: .object(formats)))
            } else {
                for (format, fields) in foreign {
                    for field in fields.keys.sorted() { losses.append(Loss("extra.\(format).\(field)")) }
                }
            }
        }

        // extra["csl-json"]: the variables the model has no field for.
        for key in extra.keys.sorted() {
            guard let list = extra[key], let first = list.first else { continue }
            writeExtra(key, first, count: list.count, resource: resource)
        }

        // Other formats' fields that CSL has a variable for (BibTeX `pagetotal`, RIS `DP`, …).
        for (variable, value) in CSLForeignExtra.variables(for: resource) where values[variable] == nil {
            values[variable] = value
        }

        if !library.isEmpty { mergeCustom([JSONMember(key: "smrl", value: .object(library))], front: true) }
        if !custom.isEmpty { values["custom"] = .object(custom) }

        var members: [JSONMember] = []
        members.reserveCapacity(24)
        for (index, value) in values.values.enumerated() {
            if let value { members.append(JSONMember(key: Self.outputOrder[index], value: value)) }
        }
        return .object(members)
    }

    /// The item's values by variable, in output order (an array rather than a dictionary: the output needs
    /// no sorting and no lookups).
    struct Slots {
        /// Position of each variable in ``CSLItemEncoder/outputOrder`` (the first of duplicates).
        static let positions = FastStringTable(CSLItemTreeEncoder.outputOrder)

        var values = [JSONValue?](repeating: nil, count: CSLItemTreeEncoder.outputOrder.count)

        subscript(name: String) -> JSONValue? {
            get { Self.positions.index(of: name).flatMap { values[$0] } }
            set {
                if let index = Self.positions.index(of: name) { values[index] = newValue }
            }
        }
    }

    // MARK: Fields

    private mutating func plain(_ variable: String, _ value: String?) {
        if let value { values[variable] = .string(value) }
    }

    private mutating func richText(_ variable: String, _ value: String?, shadow: String?) {
        guard let value else { return }
        if let shadow, CSLMarkup.toRich(shadow) == value {
            values[variable] = .string(shadow)
        } else {
            values[variable] = .string(CSLMarkup.toCSL(value))
        }
    }

    private mutating func names(_ variable: String, _ persons: [Person], shadow: String?) {
        if let shadow {
            if let original = CSLJSON.parse(shadow), CSLNames.isSchemaValid(original) {
                var problems: [String] = []
                if CSLNames.sameNames(CSLNames.read(original, problems: &problems), persons) {
                    values[variable] = original
                    return
                }
                losses.append(Loss("extra.csl-json.\(variable)",
                    "the names were edited; written from the names (CSL name flags of the source dropped)", kind: .changed))
            } else {
                losses.append(Loss("extra.csl-json.\(variable)",
                    "the source's names are not CSL 1.0.2 (e.g. isInstitution); written from the parsed names", kind: .changed))
            }
        }
        if !persons.isEmpty { values[variable] = CSLNames.encode(persons) }
    }

    private mutating func date(_ variable: String, _ date: EDTFDate?, shadow: String?) {
        if let shadow {
            if let original = CSLJSON.parse(shadow), CSLDates.isSchemaValid(original) {
                if CSLDates.read(original).date == date {
                    values[variable] = original
                    return
                }
                losses.append(Loss("extra.csl-json.\(variable)",
                    "the date was edited; written from the date (the source's spelling dropped)", kind: .changed))
            } else {
                losses.append(Loss("extra.csl-json.\(variable)",
                    "the source's date is not a CSL 1.0.2 date object; written from the parsed date", kind: .changed))
            }
        }
        if let date { values[variable] = CSLDates.encode(date) }
    }

    private mutating func identifierList(
        _ variable: String, _ list: [String], shadow: String?, split: (String) -> [String], join: ([String]) -> String
    ) {
        guard !list.isEmpty else {
            if let shadow, split(shadow).isEmpty { values[variable] = .string(shadow) }  // "" as given
            return
        }
        // A shadow that was an array (not CSL) never splits to the list, so the CSL string is written then.
        if let shadow, split(shadow) == list {
            values[variable] = .string(shadow)
        } else {
            values[variable] = .string(join(list))
        }
    }

    // MARK: extra["csl-json"]

    private mutating func writeExtra(_ key: String, _ text: String, count: Int, resource: Resource) {
        if key == "custom" {
            if let value = CSLJSON.parse(text), case .object(let members) = value {
                mergeCustom(members, front: false)
            } else {
                losses.append(Loss("extra.csl-json.custom", "not a JSON object"))
            }
            return
        }
        if key == "type" {
            if case .exact(let type) = CSLMapping.readType(text), type == resource.type { return }
            if case .miscased(let type) = CSLMapping.readType(text), type == resource.type { return }
            losses.append(Loss("extra.csl-json.type", "CSL 1.0.2 has no type \"\(text)\"; written as \(resource.type.rawValue)"))
            return
        }
        guard let kind = CSLMapping.kinds[key] else {
            // Not a CSL 1.0.2 variable: `custom` is the only place the schema allows it.
            mergeCustom([JSONMember(key: key, value: CSLJSON.parse(text) ?? .string(text))], front: false)
            return
        }
        // Shadows of mapped variables were used (or not) above.
        if CSLMapping.mappedVariables.contains(key) {
            return
        }
        if key == "number", values["number"] != nil { return }
        if let alias = CSLMapping.aliases[key], values[key] == nil {
            _ = alias
            values[key] = .string(text)
            return
        }
        if count > 1 { losses.append(Loss("extra.csl-json.\(key)", "CSL holds one value; kept the first of \(count)", kind: .changed)) }
        switch kind {
        case .string, .number:
            values[key] = .string(text)
        case .name:
            guard let value = CSLJSON.parse(text) else {
                values[key] = .array([CSLNames.noteName(text)])
                return
            }
            if CSLNames.isSchemaValid(value) {
                values[key] = value
            } else {
                var problems: [String] = []
                let persons = CSLNames.read(value, problems: &problems)
                losses.append(Loss("extra.csl-json.\(key)", "not CSL 1.0.2 names; written from the parsed names", kind: .changed))
                if !persons.isEmpty { values[key] = CSLNames.encode(persons) }
            }
        case .date:
            guard let value = CSLJSON.parse(text), value.members != nil else {
                values[key] = CSLDates.encode(CSLDates.parseText(text))
                return
            }
            if CSLDates.isSchemaValid(value) {
                values[key] = value
            } else if let date = CSLDates.read(value).date {
                losses.append(Loss("extra.csl-json.\(key)", "not a CSL 1.0.2 date object; written from the parsed date", kind: .changed))
                values[key] = CSLDates.encode(date)
            } else {
                losses.append(Loss("extra.csl-json.\(key)", "not a date"))
            }
        case .stringArray, .object:
            break
        }
    }

    /// Adds members to `custom`; an `smrl` object is merged member by member (the model's values win).
    private mutating func mergeCustom(_ members: [JSONMember], front: Bool) {
        for member in members {
            if let index = custom.firstIndex(where: { $0.key == member.key }) {
                guard member.key == "smrl", case .object(let existing) = custom[index].value,
                    case .object(let added) = member.value
                else { continue }
                var merged = front ? added : existing
                for extra in (front ? existing : added) where !merged.contains(where: { $0.key == extra.key }) {
                    merged.append(extra)
                }
                custom[index].value = .object(merged)
            } else if front {
                custom.insert(member, at: 0)
            } else {
                custom.append(member)
            }
        }
    }
}

/// The CSL name objects as values, which the writer used to build (it now writes them: ``CSLNames/write(_:into:)``).
extension CSLNames {
    /// The CSL name objects for a list of people (ORCIDs are not CSL; the writer puts them in `custom`).
    static func encode(_ persons: [Person]) -> JSONValue {
        .array(persons.map(encode))
    }

    static func encode(_ person: Person) -> JSONValue {
        var members: [JSONMember] = []
        func add(_ key: String, _ value: String?) {
            if let value { members.append(JSONMember(key: key, value: .string(value))) }
        }
        add("family", person.family)
        add("given", person.given)
        add("non-dropping-particle", person.particle)
        add("dropping-particle", person.droppingParticle)
        add("suffix", person.suffix)
        add("literal", person.literal)
        return .object(members)
    }
}
