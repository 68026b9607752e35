import SMRLCore

/// Turns a ``Resource`` into one CSL item that validates against `csl-data.json` 1.0.2, written straight into a
/// ``JSONOutput`` (no ``JSONValue`` tree: the item's values are gathered by variable, then written in output order).
///
/// Everything of the model is carried: bibliographic fields as CSL variables; the library fields, the
/// description, ORCIDs, the title/subtitle split and other formats' `extra` under `custom.smrl` (see
/// ``CSLJSONFormat``); `extra["csl-json"]` variables as themselves (or inside `custom` when CSL 1.0.2 has no
/// such variable). A ``Loss`` is reported only for what cannot be written: a non-CSL type name, a stale or
/// malformed `extra["csl-json"]` value, and (when `csl-json.foreign-extra` is `false`) other formats' extras.
///
/// One encoder serves a whole run (its slot array is reused). The tests hold it byte for byte to the tree-building
/// encoder it replaced (`CSLItemTreeEncoder`, kept in the tests).
struct CSLItemEncoder {
    let libraryTags: Bool
    let foreignExtra: Bool
    /// What the last item could not carry.
    private(set) var losses: [Loss] = []
    private var values = Slots()
    /// `custom` members from `extra["csl-json"]` (the model's own `custom.smrl` is written from the record).
    private var custom: [JSONMember] = []
    /// `custom.smrl.subtitle`, when the title was written.
    private var subtitle: String?

    init(libraryTags: Bool, foreignExtra: Bool) {
        self.libraryTags = libraryTags
        self.foreignExtra = foreignExtra
    }

    /// The order variables are written in: identification, titles, names, container, dates, numbers, publishing,
    /// identifiers, then every other variable in the schema's order, then keywords, note and custom.
    static let outputOrder: [String] = {
        let head = [
            "id", "type", "citation-key", "title", "title-short", "shortTitle", "author", "editor", "translator",
            "container-author", "collection-editor", "container-title", "container-title-short",
            "journalAbbreviation", "collection-title", "collection-number", "issued", "accessed", "original-date",
            "available-date", "event-date", "submitted", "volume", "issue", "page", "page-first", "number",
            "edition", "publisher", "publisher-place", "event-title", "event", "event-place", "genre", "DOI", "PMID",
            "PMCID", "ISBN", "ISSN", "URL", "abstract", "language",
        ]
        let tail = ["categories", "keyword", "note", "custom"]
        let middle = CSLMapping.variables.map(\.name).filter { !head.contains($0) && !tail.contains($0) }
        return head + middle + tail
    }()

    /// Slot positions (in ``outputOrder``) of the variables the encoder fills by name; ``outputKeys`` and the
    /// tests check them against the order.
    enum S {
        static let id = 0, type = 1, title = 3, titleShort = 4, author = 6, editor = 7, translator = 8
        static let containerTitle = 11, containerTitleShort = 12, collectionTitle = 14, issued = 16, accessed = 17
        static let volume = 22, issue = 23, page = 24, number = 26, edition = 27, publisher = 28
        static let publisherPlace = 29, eventTitle = 30, doi = 34, pmid = 35, pmcid = 36, isbn = 37, issn = 38
        static let url = 39, abstract = 40, language = 41, categories = 99, keyword = 100, note = 101, custom = 102
    }

    /// ``outputOrder`` as literal keys (written without an escaping scan); a test checks that they are the same.
    static let outputKeys: [StaticString] = [
        "id", "type", "citation-key", "title", "title-short", "shortTitle", "author", "editor", "translator",
        "container-author", "collection-editor", "container-title", "container-title-short", "journalAbbreviation",
        "collection-title", "collection-number", "issued", "accessed", "original-date", "available-date",
        "event-date", "submitted", "volume", "issue", "page", "page-first", "number", "edition", "publisher",
        "publisher-place", "event-title", "event", "event-place", "genre", "DOI", "PMID", "PMCID", "ISBN", "ISSN",
        "URL", "abstract", "language", "chair", "compiler", "composer", "contributor", "curator", "director",
        "editorial-director", "executive-producer", "guest", "host", "interviewer", "illustrator", "narrator",
        "organizer", "original-author", "performer", "producer", "recipient", "reviewed-author", "script-writer",
        "series-creator", "annote", "archive", "archive_collection", "archive_location", "archive-place",
        "authority", "call-number", "chapter-number", "citation-number", "citation-label", "dimensions", "division",
        "first-reference-note-number", "jurisdiction", "locator", "medium", "number-of-pages", "number-of-volumes",
        "original-publisher", "original-publisher-place", "original-title", "part", "part-title", "printing",
        "references", "reviewed-genre", "reviewed-title", "scale", "section", "source", "status", "supplement",
        "version", "volume-title", "volume-title-short", "year-suffix", "categories", "keyword", "note", "custom",
    ]

    /// Writes the item for `resource` into `output` (one JSON object, where the next value goes) and sets
    /// ``losses``.
    mutating func encode(_ resource: Resource, id: String, into output: inout JSONOutput) {
        losses.removeAll()
        custom.removeAll()
        subtitle = nil
        gather(resource, id: id)
        write(resource, into: &output)
    }

    /// Fills the slots (and ``custom``, ``losses``) for `resource`.
    private mutating func gather(_ resource: Resource, id: String) {
        let extra = resource.extra.isEmpty ? [:] : resource.extra[CSLItemDecoder.extraKey] ?? [:]
        func shadow(_ variable: String) -> String? { extra.isEmpty ? nil : extra[variable]?.first }

        values[S.id] = .string(id)
        values[S.type] = .string(resource.type.rawValue)

        // Titles (rich text as CSL markup).
        if let full = resource.fullTitle {
            if let original = shadow("title"), CSLMarkup.toRich(original) == full {
                values[S.title] = .string(original)
            } else {
                values[S.title] = .string(CSLMarkup.toCSL(full))
            }
            if let subtitle = resource.subtitle, !subtitle.isEmpty { self.subtitle = subtitle }
        }
        richText(S.containerTitle, resource.containerTitle, shadow: shadow("container-title"))
        richText(S.abstract, resource.abstract, shadow: shadow("abstract"))
        plain(S.titleShort, resource.shortTitle)
        plain(S.containerTitleShort, resource.containerTitleShort)
        plain(S.collectionTitle, resource.collectionTitle)

        // Names.
        names(S.author, "author", resource.authors, shadow: shadow("author"))
        names(S.editor, "editor", resource.editors, shadow: shadow("editor"))
        names(S.translator, "translator", resource.translators, shadow: shadow("translator"))

        // Dates.
        date(S.issued, "issued", resource.issued, shadow: shadow("issued"))
        date(S.accessed, "accessed", resource.accessed, shadow: shadow("accessed"))

        // Numbers and publishing.
        plain(S.volume, resource.volume)
        plain(S.issue, resource.issue)
        plain(S.page, resource.pages)
        plain(S.edition, resource.edition)
        if let number = resource.articleNumber {
            values[S.number] = .string(number)
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
        plain(S.publisher, resource.publisher)
        plain(S.publisherPlace, resource.publisherPlace)
        plain(S.eventTitle, resource.event)
        plain(S.url, resource.url)
        plain(S.language, resource.language)
        plain(S.note, resource.note)

        // Identifiers: the input's own spelling while it says the same.
        if let doi = resource.doi {
            if let original = shadow("DOI"), (Identifiers.normalizeDOI(original) ?? original) == doi {
                values[S.doi] = .string(original)
            } else {
                values[S.doi] = .string(doi)
            }
        }
        plain(S.pmid, resource.pmid)
        if let pmcid = resource.pmcid {
            if let original = shadow("PMCID"), (Identifiers.normalizePMCID(original) ?? original) == pmcid {
                values[S.pmcid] = .string(original)
            } else {
                values[S.pmcid] = .string(pmcid)
            }
        }
        identifierList(S.isbn, resource.isbn, shadow: shadow("ISBN"), split: CSLIdentifiers.splitISBN,
            join: CSLIdentifiers.joinISBN)
        identifierList(S.issn, resource.issn, shadow: shadow("ISSN"), split: CSLIdentifiers.splitISSN,
            join: CSLIdentifiers.joinISSN)

        // Keywords: `categories` is the list; `keyword` a convenience string.
        var keywords = resource.keywords
        if libraryTags { Self.appendLibraryTags(of: resource, to: &keywords) }
        if !keywords.isEmpty {
            values[S.categories] = .strings(keywords)
            if let original = shadow("keyword"), CSLKeywords.renders(original, keywords) {
                values[S.keyword] = .string(original)
            } else {
                values[S.keyword] = .string(CSLKeywords.join(keywords))
            }
        } else {
            // Empty lists and strings, as given.
            if let original = shadow("categories"), let value = CSLJSON.parse(original), value.elements?.isEmpty == true {
                values[S.categories] = .json(value)
            }
            if let original = shadow("keyword"), CSLKeywords.split(original).isEmpty {
                values[S.keyword] = .string(original)
            }
        }

        // Other formats' extras: carried in `custom.smrl.extra` (see ``writeLibrary``), or reported.
        if !foreignExtra, Self.hasForeignExtra(resource) {
            let foreign = resource.extra.filter { $0.key != CSLItemDecoder.extraKey && !$0.value.isEmpty }
            for (format, fields) in foreign {
                for field in fields.keys.sorted() { losses.append(Loss("extra.\(format).\(field)")) }
            }
        }

        // extra["csl-json"]: the variables the model has no field for.
        if !extra.isEmpty {
            for key in extra.keys.sorted() {
                guard let list = extra[key], let first = list.first else { continue }
                writeExtra(key, first, count: list.count, resource: resource)
            }
        }

        // Other formats' fields that CSL has a variable for (BibTeX `pagetotal`, RIS `DP`, …).
        for (variable, value) in resource.extra.isEmpty ? [] : CSLForeignExtra.values(for: resource) {
            guard let index = Slots.positions.index(of: variable), values[index].isNone else { continue }
            switch value {
            case .text(let text): values[index] = .string(text)
            case .date(let date): values[index] = .date(date)
            }
        }
    }

    /// ``LibraryTags/tags(for:)`` appended to `keywords` (the tests check that they are the tags).
    static func appendLibraryTags(of resource: Resource, to keywords: inout [String]) {
        let count = LibraryTags.tagCount(of: resource)
        guard count > 0 else { return }
        keywords.reserveCapacity(keywords.count + count)
        LibraryTags.forEachTag(of: resource) { head, value in keywords.append(LibraryTags.tag(head, value)) }
    }

    /// Whether the record has another format's extra with any field.
    private static func hasForeignExtra(_ resource: Resource) -> Bool {
        resource.extra.contains { $0.key != CSLItemDecoder.extraKey && !$0.value.isEmpty }
    }

    // MARK: Writing

    /// Writes the gathered slots in output order, then `custom`, emptying the slots for the next item.
    private mutating func write(_ resource: Resource, into output: inout JSONOutput) {
        output.beginObject()
        let filled = values.filled
        values.filled = (0, 0)
        values.storage.withUnsafeMutableBufferPointer { slots in
            // The filled slots in order: the set bits of the two words, lowest first.
            var word = filled.0
            while word != 0 {
                Self.write(&slots[word.trailingZeroBitCount], key: word.trailingZeroBitCount, into: &output)
                word &= word &- 1
            }
            word = filled.1
            while word != 0 {
                Self.write(&slots[64 + word.trailingZeroBitCount], key: 64 + word.trailingZeroBitCount, into: &output)
                word &= word &- 1
            }
        }
        writeCustom(resource, into: &output)
        output.endObject()
    }

    /// Writes one slot's member (nothing when it is empty) and empties the slot.
    private static func write(_ slot: inout Value, key index: Int, into output: inout JSONOutput) {
        switch slot {
        case .none:
            return
        case .string(let text):
            output.key(literal: outputKeys[index])
            output.string(text)
        case .strings(let list):
            output.key(literal: outputKeys[index])
            output.beginArray()
            for text in list { output.string(text) }
            output.endArray()
        case .names(let persons):
            output.key(literal: outputKeys[index])
            CSLNames.write(persons, into: &output)
        case .date(let date):
            output.key(literal: outputKeys[index])
            CSLDates.write(date, into: &output)
        case .json(let value):
            output.key(literal: outputKeys[index])
            output.value(value)
        }
        slot = .none
    }

    /// Whether `custom.smrl` has anything: the library fields, the description, the subtitle split, ORCIDs or
    /// (when carried) other formats' extras.
    private func hasLibrary(_ resource: Resource) -> Bool {
        resource.resourceType != nil || !resource.domains.isEmpty || !resource.topics.isEmpty
            || !resource.professions.isEmpty || resource.openAccess != nil || resource.description != nil
            || subtitle != nil || Self.hasORCID(resource.authors) || Self.hasORCID(resource.editors)
            || Self.hasORCID(resource.translators) || (foreignExtra && Self.hasForeignExtra(resource))
    }

    private static func hasORCID(_ persons: [Person]) -> Bool {
        persons.contains { $0.orcid != nil }
    }

    /// Writes `custom`: `smrl` (the model's) first, then the members from `extra["csl-json"]`; an `smrl` object
    /// among those is merged into the model's, member by member (the model's values win).
    private mutating func writeCustom(_ resource: Resource, into output: inout JSONOutput) {
        let library = hasLibrary(resource)
        guard library || !custom.isEmpty else { return }
        output.key(literal: "custom")
        output.beginObject()
        if !library {
            for member in custom {
                output.key(member.key)
                output.value(member.value)
            }
        } else if let index = custom.firstIndex(where: { $0.key == "smrl" }) {
            if case .object(let existing) = custom[index].value {
                for (position, member) in custom.enumerated() {
                    guard position == index else {
                        output.key(member.key)
                        output.value(member.value)
                        continue
                    }
                    output.key(literal: "smrl")
                    output.beginObject()
                    var written = writeLibrary(resource, into: &output)
                    for other in existing where !written.contains(other.key) {
                        output.key(other.key)
                        output.value(other.value)
                        written.append(other.key)
                    }
                    output.endObject()
                }
            } else {
                // An `smrl` that is no object stays as it is, and the model's library fields are not written.
                for member in custom {
                    output.key(member.key)
                    output.value(member.value)
                }
            }
        } else {
            output.key(literal: "smrl")
            output.beginObject()
            _ = writeLibrary(resource, into: &output)
            output.endObject()
            for member in custom {
                output.key(member.key)
                output.value(member.value)
            }
        }
        output.endObject()
    }

    /// Writes the members of `custom.smrl` (into an open object); returns their keys.
    @discardableResult
    private func writeLibrary(_ resource: Resource, into output: inout JSONOutput) -> [String] {
        var keys: [String] = []
        if let resourceType = resource.resourceType {
            output.key(literal: "resourceType")
            output.string(resourceType)
            keys.append("resourceType")
        }
        if !resource.domains.isEmpty {
            output.member(literal: "domains", resource.domains)
            keys.append("domains")
        }
        if !resource.topics.isEmpty {
            output.member(literal: "topics", resource.topics)
            keys.append("topics")
        }
        if !resource.professions.isEmpty {
            output.member(literal: "professions", resource.professions)
            keys.append("professions")
        }
        if let openAccess = resource.openAccess {
            output.key(literal: "openAccess")
            output.bool(openAccess)
            keys.append("openAccess")
        }
        if let description = resource.description {
            output.key(literal: "description")
            output.string(description)
            keys.append("description")
        }
        if let subtitle {
            output.key(literal: "subtitle")
            output.string(subtitle)
            keys.append("subtitle")
        }
        let authors = Self.hasORCID(resource.authors)
        let editors = Self.hasORCID(resource.editors)
        let translators = Self.hasORCID(resource.translators)
        if authors || editors || translators {
            output.key(literal: "orcid")
            output.beginObject()
            func orcids(_ key: StaticString, _ persons: [Person], _ present: Bool) {
                guard present else { return }
                output.key(literal: key)
                output.beginArray()
                for person in persons {
                    if let orcid = person.orcid { output.string(orcid) } else { output.null() }
                }
                output.endArray()
            }
            orcids("author", resource.authors, authors)
            orcids("editor", resource.editors, editors)
            orcids("translator", resource.translators, translators)
            output.endObject()
            keys.append("orcid")
        }
        if foreignExtra, Self.hasForeignExtra(resource) {
            output.key(literal: "extra")
            output.beginObject()
            let formats = resource.extra.keys.filter { key in
                key != CSLItemDecoder.extraKey && !(resource.extra[key]?.isEmpty ?? true)
            }
            for format in formats.sorted() {
                guard let fields = resource.extra[format] else { continue }
                output.key(format)
                output.beginObject()
                for field in fields.keys.sorted() {
                    output.key(field)
                    output.beginArray()
                    for value in fields[field] ?? [] { output.string(value) }
                    output.endArray()
                }
                output.endObject()
            }
            output.endObject()
            keys.append("extra")
        }
        return keys
    }

    /// The item's values by variable, in output order (an array rather than a dictionary: the output needs
    /// no sorting and no lookups). Emptied as it is written, and reused from item to item.
    struct Slots {
        /// Position of each variable in ``CSLItemEncoder/outputOrder`` (the first of duplicates).
        static let positions = FastStringTable(CSLItemEncoder.outputOrder)

        var storage = [Value](repeating: .none, count: CSLItemEncoder.outputOrder.count)
        /// Which slots were given a value (bit `i % 64` of word `i / 64`), so that writing visits only those.
        var filled: (UInt64, UInt64) = (0, 0)

        subscript(index: Int) -> Value {
            get { storage[index] }
            set {
                storage[index] = newValue
                if index < 64 { filled.0 |= 1 << UInt64(index) } else { filled.1 |= 1 << UInt64(index - 64) }
            }
        }

        /// The slot of a variable by name; `.none` for a name that is no variable.
        subscript(name: String) -> Value {
            get { Self.positions.index(of: name).map { storage[$0] } ?? .none }
            set {
                if let index = Self.positions.index(of: name) { self[index] = newValue }
            }
        }
    }

    /// One variable's value, in the form it is written from.
    enum Value {
        case none
        /// A JSON string.
        case string(String)
        /// An array of JSON strings.
        case strings([String])
        /// CSL name objects (``CSLNames/write(_:into:)``).
        case names([Person])
        /// A CSL date object (``CSLDates/write(_:into:)``).
        case date(EDTFDate)
        /// A value as parsed (the input's own spelling, kept while it says the same).
        case json(JSONValue)

        var isNone: Bool {
            if case .none = self { return true }
            return false
        }
    }

    // MARK: Fields

    private mutating func plain(_ slot: Int, _ value: String?) {
        if let value { values[slot] = .string(value) }
    }

    private mutating func richText(_ slot: Int, _ value: String?, shadow: String?) {
        guard let value else { return }
        if let shadow, CSLMarkup.toRich(shadow) == value {
            values[slot] = .string(shadow)
        } else {
            values[slot] = .string(CSLMarkup.toCSL(value))
        }
    }

    private mutating func names(_ slot: Int, _ variable: String, _ persons: [Person], shadow: String?) {
        if let shadow {
            if let original = CSLJSON.parse(shadow), CSLNames.isSchemaValid(original) {
                var problems: [String] = []
                if CSLNames.sameNames(CSLNames.read(original, problems: &problems), persons) {
                    values[slot] = .json(original)
                    return
                }
                losses.append(Loss("extra.csl-json.\(variable)",
                    "the names were edited; written from the names (CSL name flags of the source dropped)", kind: .changed))
            } else {
                losses.append(Loss("extra.csl-json.\(variable)",
                    "the source's names are not CSL 1.0.2 (e.g. isInstitution); written from the parsed names", kind: .changed))
            }
        }
        if !persons.isEmpty { values[slot] = .names(persons) }
    }

    private mutating func date(_ slot: Int, _ variable: String, _ date: EDTFDate?, shadow: String?) {
        if let shadow {
            if let original = CSLJSON.parse(shadow), CSLDates.isSchemaValid(original) {
                if CSLDates.read(original).date == date {
                    values[slot] = .json(original)
                    return
                }
                losses.append(Loss("extra.csl-json.\(variable)",
                    "the date was edited; written from the date (the source's spelling dropped)", kind: .changed))
            } else {
                losses.append(Loss("extra.csl-json.\(variable)",
                    "the source's date is not a CSL 1.0.2 date object; written from the parsed date", kind: .changed))
            }
        }
        if let date { values[slot] = .date(date) }
    }

    private mutating func identifierList(
        _ slot: Int, _ list: [String], shadow: String?, split: (String) -> [String], join: ([String]) -> String
    ) {
        guard !list.isEmpty else {
            if let shadow, split(shadow).isEmpty { values[slot] = .string(shadow) }  // "" as given
            return
        }
        // A shadow that was an array (not CSL) never splits to the list, so the CSL string is written then.
        if let shadow, split(shadow) == list {
            values[slot] = .string(shadow)
        } else {
            values[slot] = .string(join(list))
        }
    }

    // MARK: extra["csl-json"]

    private mutating func writeExtra(_ key: String, _ text: String, count: Int, resource: Resource) {
        if key == "custom" {
            if let value = CSLJSON.parse(text), case .object(let members) = value {
                mergeCustom(members)
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
            mergeCustom([JSONMember(key: key, value: CSLJSON.parse(text) ?? .string(text))])
            return
        }
        // Shadows of mapped variables were used (or not) above.
        if CSLMapping.mappedVariables.contains(key) {
            return
        }
        if key == "number", !values[S.number].isNone { return }
        if CSLMapping.aliases[key] != nil, values[key].isNone {
            values[key] = .string(text)
            return
        }
        if count > 1 { losses.append(Loss("extra.csl-json.\(key)", "CSL holds one value; kept the first of \(count)", kind: .changed)) }
        switch kind {
        case .string, .number:
            values[key] = .string(text)
        case .name:
            guard let value = CSLJSON.parse(text) else {
                values[key] = .json(.array([CSLNames.noteName(text)]))
                return
            }
            if CSLNames.isSchemaValid(value) {
                values[key] = .json(value)
            } else {
                var problems: [String] = []
                let persons = CSLNames.read(value, problems: &problems)
                losses.append(Loss("extra.csl-json.\(key)", "not CSL 1.0.2 names; written from the parsed names", kind: .changed))
                if !persons.isEmpty { values[key] = .names(persons) }
            }
        case .date:
            guard let value = CSLJSON.parse(text), value.members != nil else {
                values[key] = .date(CSLDates.parseText(text))
                return
            }
            if CSLDates.isSchemaValid(value) {
                values[key] = .json(value)
            } else if let date = CSLDates.read(value).date {
                losses.append(Loss("extra.csl-json.\(key)", "not a CSL 1.0.2 date object; written from the parsed date", kind: .changed))
                values[key] = .date(date)
            } else {
                losses.append(Loss("extra.csl-json.\(key)", "not a date"))
            }
        case .stringArray, .object:
            break
        }
    }

    /// Adds members from `extra["csl-json"]` to `custom` (the first of a key wins, except that `smrl` objects are
    /// merged member by member, the earlier's first).
    private mutating func mergeCustom(_ members: [JSONMember]) {
        for member in members {
            if let index = custom.firstIndex(where: { $0.key == member.key }) {
                guard member.key == "smrl", case .object(let existing) = custom[index].value,
                    case .object(let added) = member.value
                else { continue }
                var merged = existing
                for extra in added where !merged.contains(where: { $0.key == extra.key }) {
                    merged.append(extra)
                }
                custom[index].value = .object(merged)
            } else {
                custom.append(member)
            }
        }
    }
}
