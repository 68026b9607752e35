import SMRLCore

/// Turns one parsed CSL item into a ``Resource`` (see ``CSLMapping`` for the variable table).
///
/// Where the model normalises what it reads (DOI without resolver, ISBN list, `<em>` as `<i>`, names with
/// `comma-suffix`, dates with `raw` beside `date-parts`, a `keyword` string), the input's own spelling is kept
/// in `extra["csl-json"][variable]` as a *shadow*, which the writer gives back while it still means the same as
/// the field. So CSL → smrl → CSL returns each variable as it was.
struct CSLItemDecoder {
    let file: String
    let location: SourceLocation
    let noteVariables: Bool
    // (`init(type:)`: `init(id:type:)` stores a string, so it made the record aside, copied and destroyed it.)
    private(set) var resource = Resource(type: .document)
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var fieldLocations = FieldLocations()

    /// The item's members.
    private var members: [JSONMember] = []
    /// Known variables (position in ``CSLMapping/variables``, position of the member in ``members``), in input
    /// order; the last of duplicates wins. Items have a few dozen keys at most, so a linear scan beats hashing.
    private var entries: [(index: Int, member: Int)] = []
    /// The variables met so far, as bits by position in ``CSLMapping/variables`` (for duplicates).
    private var seen = VariableSet()
    /// Whether a variable was met twice.
    private var hasDuplicates = false
    private var unknown: [JSONMember] = []
    /// What the direct decoder read (nil on the tree route).
    private var prepared: Prepared?
    /// The library fields came from `custom`, so `smrl:` tags in keywords are only a copy.
    private var libraryFromCustom = false
    private var subtitleHint: (value: String, location: SourceLocation)?
    private var orcids: [(variable: String, values: [String?])] = []

    static let extraKey = "csl-json"

    init(file: String, location: SourceLocation, noteVariables: Bool) {
        self.file = file
        self.location = location
        self.noteVariables = noteVariables
    }

    // MARK: Diagnostics and extra

    private mutating func report(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
        field: String? = nil
    ) {
        diagnostics.append(Diagnostic(severity, code, message, at: location ?? self.location, field: field))
    }

    private mutating func setExtra(_ key: String, _ value: String) {
        resource.extra[Self.extraKey, default: [:]][key] = [value]
    }

    private func loc(_ member: JSONMember) -> SourceLocation {
        member.line > 0 ? member.location(in: file) : location
    }

    // MARK: Item

    /// The results, moved out of the decoder (no copy of the record).
    consuming func finish() -> (resource: Resource, diagnostics: [Diagnostic], fieldLocations: FieldLocationList) {
        (resource, diagnostics, fieldLocations.list)
    }

    mutating func decode(_ members: [JSONMember]) {
        collect(members)
        decodeCollected()
    }

    /// Decodes an item the direct decoder (``CSLDirectDecoder``) read from the bytes: its `members` are exactly
    /// spelt variables, each once (`entries` and `seen` as ``collect(_:)`` would make them), with the values of
    /// names, dates and `categories` in `prepared` (their members hold `null`) and every other value as parsed.
    mutating func decode(
        _ members: [JSONMember], entries: [(index: Int, member: Int)], seen: VariableSet, prepared: Prepared
    ) {
        self.members = members
        self.entries = entries
        self.seen = seen
        self.prepared = prepared
        decodeCollected()
    }

    /// Values read straight from the bytes by ``CSLDirectDecoder``, each in a shape that the tree route reads
    /// without a remark and without a verbatim copy (see there); nil where the item has no such member.
    struct Prepared {
        var authors: [Person]?
        var editors: [Person]?
        var translators: [Person]?
        var issued: EDTFDate?
        var accessed: EDTFDate?
        var categories: [String]?
        /// `custom` as `{"smrl": {...}}` whose every field ``readLibraryField(_:nested:)`` reads without a
        /// remark, in their order, each with its location.
        var library: [(field: LibraryField, location: SourceLocation)]?
    }

    private mutating func decodeCollected() {
        readType()
        readCustom()
        readID()
        for (position, entry) in entries.enumerated() {
            switch CSLMapping.fields[entry.index] {
            case .type, .custom, .id, .keyword, .categories, .note: continue
            default: break
            }
            // A duplicate key: only the last one is read.
            if hasDuplicates, entries[(position + 1)...].contains(where: { $0.index == entry.index }) { continue }
            let member = members[entry.member]
            if prepared != nil, takePrepared(entry.index, at: loc(member)) { continue }
            readVariable(entry.index, member.value, at: loc(member), fromNote: false)
        }
        for member in unknown { keepUnknown(member) }
        readKeywords()
        readNote()
        applySubtitle()
        applyORCIDs()
        CSLForeignExtra.dropCopies(from: &resource)
    }

    private mutating func collect(_ members: [JSONMember]) {
        self.members = members
        entries.reserveCapacity(members.count)
        var miscased: [Int] = []
        for (position, member) in members.enumerated() {
            if let index = CSLMapping.positions.index(of: member.key) {
                add(index, position)
            } else {
                miscased.append(position)
            }
        }
        for position in miscased {
            let member = members[position]
            if let folded = CSLMapping.foldedNames[CSLMapping.fold(member.key)], let index = CSLMapping.order[folded],
                !entries.contains(where: { $0.index == index && members[$0.member].key == folded })
            {
                report(.warning, .cslMiscasedVariable,
                    "\"\(member.key)\" is spelled \"\(folded)\" in CSL; read as \(folded)", at: loc(member),
                    field: folded)
                add(index, position)
            } else {
                unknown.append(member)
            }
        }
    }

    private mutating func add(_ index: Int, _ position: Int) {
        if seen.contains(index) {
            hasDuplicates = true
            let name = CSLMapping.variables[index].name
            let member = members[position]
            report(.warning, .cslDuplicateVariable,
                "\"\(member.key)\" appears more than once in this item; the last one is used", at: loc(member),
                field: name)
        }
        seen.insert(index)
        entries.append((index, position))
    }

    /// The member of a known variable (the last one when duplicated).
    private func known(_ index: Int) -> JSONMember? {
        guard seen.contains(index) else { return nil }
        return entries.last(where: { $0.index == index }).map { members[$0.member] }
    }

    // MARK: Values

    /// The text of a string variable; numbers and booleans are accepted with a warning (numbers silently for
    /// number variables). Arrays and objects are kept verbatim in `extra` and give nil.
    private mutating func text(_ variable: String, _ value: JSONValue, at location: SourceLocation, numeric: Bool)
        -> String?
    {
        switch value {
        case .string(let text):
            return text
        case .number(let text):
            if !numeric {
                report(.warning, .cslWrongValueType, "\(variable) is a number; CSL expects a string", at: location,
                    field: variable)
            }
            return text
        case .bool(let flag):
            report(.warning, .cslWrongValueType, "\(variable) is a boolean; read as text", at: location,
                field: variable)
            return flag ? "true" : "false"
        case .null:
            return nil
        case .array, .object:
            report(.warning, .cslWrongValueType,
                "\(variable) is \(value.kindName == "array" ? "an array" : "an object"); CSL expects "
                    + (numeric ? "a string or number" : "a string") + "; kept verbatim in extra",
                at: location, field: variable)
            setExtra(variable, CSLJSON.text(value))
            return nil
        }
    }

    // MARK: Type, id

    private mutating func readType() {
        guard let member = known(CSLMapping.V.type) else {
            report(.warning, .cslMissingType, "the item has no type (required by CSL); read as document",
                at: location, field: "type")
            return
        }
        fieldLocations[.type] = loc(member)
        guard let name = text("type", member.value, at: loc(member), numeric: false), !name.isBlank
        else {
            report(.warning, .cslMissingType, "the item's type is empty; read as document", at: loc(member),
                field: "type")
            return
        }
        switch CSLMapping.readType(name) {
        case .exact(let type):
            resource.type = type
        case .miscased(let type):
            resource.type = type
            report(.warning, .cslUnknownType, "type \"\(name)\" is spelled \"\(type.rawValue)\" in CSL",
                at: loc(member), field: "type")
        case .alias(let type):
            resource.type = type
            setExtra("type", name)
            report(.warning, .cslUnknownType,
                "type \"\(name)\" is not a CSL 1.0.2 type; read as \(type.rawValue)", at: loc(member), field: "type")
        case .unknown:
            resource.type = .document
            setExtra("type", name)
            report(.warning, .cslUnknownType, "unknown type \"\(name)\"; read as document", at: loc(member),
                field: "type")
        }
    }

    private mutating func readID() {
        if let member = known(CSLMapping.V.id) {
            switch member.value {
            case .string(let text), .number(let text):
                resource.id = text
                fieldLocations[.id] = loc(member)
            case .null:
                break
            default:
                report(.warning, .cslWrongValueType, "id is \(member.value.kindName); CSL expects a string or number",
                    at: loc(member), field: "id")
                setExtra("id", CSLJSON.text(member.value))
            }
        }
        if resource.id == nil, let member = known(CSLMapping.V.citationKey), case .string(let key) = member.value,
            !key.isEmpty
        {
            resource.id = key
            fieldLocations[.id] = loc(member)
        }
    }

    // MARK: Variables

    /// Reads a variable from a member or from a note line (`fromNote`: no shadow is kept).
    private mutating func readVariable(_ index: Int, _ value: JSONValue, at location: SourceLocation,
        fromNote: Bool)
    {
        let variable = CSLMapping.variables[index].name
        func shadow(_ original: String, _ canonical: String?) {
            if !fromNote, original != canonical { setExtra(variable, original) }
        }
        switch CSLMapping.fields[index] {
        case .title:
            guard let raw = text(variable, value, at: location, numeric: false) else { return }
            guard !CSLMarkup.isLiteral(raw) else {
                resource.title = raw
                fieldLocations[.title] = location
                return
            }
            let rich = CSLMarkup.toRich(raw)
            resource.title = rich
            shadow(raw, CSLMarkup.toCSL(rich))
            fieldLocations[.title] = location
        case .containerTitle:
            guard let raw = text(variable, value, at: location, numeric: false) else { return }
            guard !CSLMarkup.isLiteral(raw) else {
                resource.containerTitle = raw
                fieldLocations[.containerTitle] = location
                return
            }
            let rich = CSLMarkup.toRich(raw)
            resource.containerTitle = rich
            shadow(raw, CSLMarkup.toCSL(rich))
            fieldLocations[.containerTitle] = location
        case .abstract:
            guard let raw = text(variable, value, at: location, numeric: false) else { return }
            guard !CSLMarkup.isLiteral(raw) else {
                resource.abstract = raw
                fieldLocations[.abstract] = location
                return
            }
            let rich = CSLMarkup.toRich(raw)
            resource.abstract = rich
            shadow(raw, CSLMarkup.toCSL(rich))
            fieldLocations[.abstract] = location
        case .titleShort, .shortTitle:
            if variable == "shortTitle", known(CSLMapping.V.titleShort) != nil { return keepExtra(variable, value, at: location) }
            resource.shortTitle = text(variable, value, at: location, numeric: false)
            fieldLocations[.shortTitle] = location
        case .containerTitleShort, .journalAbbreviation:
            if variable == "journalAbbreviation", known(CSLMapping.V.containerTitleShort) != nil {
                return keepExtra(variable, value, at: location)
            }
            resource.containerTitleShort = text(variable, value, at: location, numeric: false)
            fieldLocations[.containerTitleShort] = location
        case .eventTitle, .event:
            if variable == "event", known(CSLMapping.V.eventTitle) != nil { return keepExtra(variable, value, at: location) }
            resource.event = text(variable, value, at: location, numeric: false)
            fieldLocations[.event] = location
        case .collectionTitle:
            resource.collectionTitle = text(variable, value, at: location, numeric: false)
            fieldLocations[.collectionTitle] = location
        case .author, .editor, .translator:
            var problems: [String] = []
            let persons = CSLNames.read(value, problems: &problems)
            if !problems.isEmpty {
                report(.warning, .cslInvalidName, "\(variable): " + problems.joined(separator: "; "), at: location,
                    field: variable)
            }
            setNames(CSLMapping.fields[index], persons, at: location)
            if !fromNote, !CSLNames.isCanonical(value) {
                setExtra(variable, CSLJSON.text(value))
            }
        case .issued, .accessed:
            let reading = CSLDates.read(value)
            if let problem = reading.problem {
                report(.warning, .cslInvalidDate, "\(variable): \(problem)", at: location, field: variable)
            }
            setDate(CSLMapping.fields[index], reading.date, at: location)
            // Only a CSL 1.0.2 date object is worth giving back as it was; a bare string (CSL 1.1 EDTF) or a
            // malformed object is written in the canonical form.
            if !fromNote, CSLDates.isSchemaValid(value),
                reading.date.map({ !CSLJSON.equivalent(CSLDates.encode($0), value) }) ?? true
            {
                setExtra(variable, CSLJSON.text(value))
            }
        case .volume:
            resource.volume = text(variable, value, at: location, numeric: true)
            fieldLocations[.volume] = location
        case .issue:
            resource.issue = text(variable, value, at: location, numeric: true)
            fieldLocations[.issue] = location
        case .page:
            resource.pages = text(variable, value, at: location, numeric: true)
            fieldLocations[.pages] = location
        case .edition:
            resource.edition = text(variable, value, at: location, numeric: true)
            fieldLocations[.edition] = location
        case .number:
            guard CSLMapping.articleNumberTypes.contains(resource.type) else {
                return keepExtra(variable, value, at: location)
            }
            resource.articleNumber = text(variable, value, at: location, numeric: true)
            fieldLocations[.articleNumber] = location
        case .publisher:
            resource.publisher = text(variable, value, at: location, numeric: false)
            fieldLocations[.publisher] = location
        case .publisherPlace:
            resource.publisherPlace = text(variable, value, at: location, numeric: false)
            fieldLocations[.publisherPlace] = location
        case .url:
            resource.url = text(variable, value, at: location, numeric: false)
            fieldLocations[.url] = location
        case .language:
            resource.language = text(variable, value, at: location, numeric: false)
            fieldLocations[.language] = location
        case .doi:
            guard let raw = text(variable, value, at: location, numeric: false) else { return }
            let doi = raw.isEmpty ? raw : Identifiers.normalizeDOI(raw) ?? raw
            resource.doi = doi
            shadow(raw, doi)
            fieldLocations[.doi] = location
        case .pmid:
            resource.pmid = text(variable, value, at: location, numeric: true)
            fieldLocations[.pmid] = location
        case .pmcid:
            guard let raw = text(variable, value, at: location, numeric: false) else { return }
            let pmcid = raw.isEmpty ? raw : Identifiers.normalizePMCID(raw) ?? raw
            resource.pmcid = pmcid
            shadow(raw, pmcid)
            fieldLocations[.pmcid] = location
        case .isbn, .issn:
            let isbn = variable == "ISBN"
            let list: [String]
            let original: String?
            if case .array(let elements) = value, elements.allSatisfy({ $0.stringValue != nil }) {
                report(.warning, .cslWrongValueType, "\(variable) is an array; CSL expects one string",
                    at: location, field: variable)
                list = elements.compactMap(\.stringValue).flatMap { isbn ? CSLIdentifiers.splitISBN($0)
                    : CSLIdentifiers.splitISSN($0) }
                original = nil
                if !fromNote { setExtra(variable, CSLJSON.text(value)) }
            } else {
                guard let raw = text(variable, value, at: location, numeric: true) else { return }
                list = isbn ? CSLIdentifiers.splitISBN(raw) : CSLIdentifiers.splitISSN(raw)
                original = raw
            }
            if isbn {
                resource.isbn = list
                fieldLocations[.isbn] = location
            } else {
                resource.issn = list
                fieldLocations[.issn] = location
            }
            if let original {
                shadow(original, isbn ? CSLIdentifiers.joinISBN(list) : CSLIdentifiers.joinISSN(list))
            }
        default:
            keepExtra(variable, value, at: location)
        }
    }

    /// The people of a name variable (`author`, `editor`, `translator`) into the record.
    private mutating func setNames(_ field: CSLMapping.Field, _ persons: [Person], at location: SourceLocation) {
        switch field {
        case .author:
            resource.authors = persons
            fieldLocations[.authors] = location
        case .editor:
            resource.editors = persons
            fieldLocations[.editors] = location
        default:
            resource.translators = persons
            fieldLocations[.translators] = location
        }
    }

    /// The date of `issued` or `accessed` into the record.
    private mutating func setDate(_ field: CSLMapping.Field, _ date: EDTFDate?, at location: SourceLocation) {
        if field == .issued {
            resource.issued = date
            fieldLocations[.issued] = location
        } else {
            resource.accessed = date
            fieldLocations[.accessed] = location
        }
    }

    /// Sets a name or date variable the direct decoder read (what ``readVariable(_:_:at:fromNote:)`` makes of
    /// those shapes); false for any other variable.
    private mutating func takePrepared(_ index: Int, at location: SourceLocation) -> Bool {
        guard let prepared else { return false }
        let field = CSLMapping.fields[index]
        switch field {
        case .author, .editor, .translator:
            let persons = field == .author
                ? prepared.authors : field == .editor ? prepared.editors : prepared.translators
            guard let persons else { return false }
            setNames(field, persons, at: location)
        case .issued, .accessed:
            guard let date = field == .issued ? prepared.issued : prepared.accessed else { return false }
            setDate(field, date, at: location)
        default:
            return false
        }
        return true
    }

    /// A CSL variable without a ``Resource`` field: kept in `extra["csl-json"]`, as text for string and number
    /// variables and as JSON text for name and date variables.
    private mutating func keepExtra(_ variable: String, _ value: JSONValue, at location: SourceLocation) {
        switch CSLMapping.kinds[variable] ?? .string {
        case .name:
            var problems: [String] = []
            _ = CSLNames.read(value, problems: &problems)
            if !problems.isEmpty {
                report(.warning, .cslInvalidName, "\(variable): " + problems.joined(separator: "; "), at: location,
                    field: variable)
            }
            if value != .null { setExtra(variable, CSLJSON.text(value)) }
        case .date:
            let reading = CSLDates.read(value)
            if let problem = reading.problem {
                report(.warning, .cslInvalidDate, "\(variable): \(problem)", at: location, field: variable)
            }
            if value != .null { setExtra(variable, CSLJSON.text(value)) }
        case .string, .number, .stringArray, .object:
            let numeric = CSLMapping.kinds[variable] == .number
            if let text = text(variable, value, at: location, numeric: numeric) { setExtra(variable, text) }
        }
        fieldLocations[.extra] = fieldLocations[.extra] ?? location
    }

    /// A key that is no CSL 1.0.2 variable: kept as JSON text in `extra["csl-json"][key]`.
    private mutating func keepUnknown(_ member: JSONMember) {
        if let kind = CSLMapping.csl11Variables[member.key] {
            _ = kind
            report(.note, .cslUnknownVariable,
                "\"\(member.key)\" is a CSL 1.1 variable, not 1.0.2; kept, and written back inside custom",
                at: loc(member), field: member.key)
        } else {
            report(.warning, .cslUnknownVariable,
                "\"\(member.key)\" is not a CSL 1.0.2 variable; kept, and written back inside custom",
                at: loc(member), field: member.key)
        }
        if resource.extra[Self.extraKey]?[member.key] != nil {
            report(.warning, .cslDuplicateVariable,
                "\"\(member.key)\" appears more than once in this item; the last one is used", at: loc(member),
                field: member.key)
        }
        setExtra(member.key, CSLJSON.text(member.value))
        fieldLocations[.extra] = fieldLocations[.extra] ?? loc(member)
    }

    // MARK: Keywords

    private mutating func readKeywords() {
        var keywords: [String] = []
        var keywordLocation: SourceLocation?
        if let member = known(CSLMapping.V.categories) {
            keywordLocation = loc(member)
            if let list = prepared?.categories {
                // Strings, at least one: what the array case below makes of them, without a remark or a copy.
                keywords = list
            } else {
                switch member.value {
                case .array(let elements):
                    keywords.reserveCapacity(elements.count)
                    for element in elements {
                        if let text = CSLJSON.scalarText(element) {
                            keywords.append(text)
                        } else {
                            report(.warning, .cslWrongValueType, "categories holds \(element.kindName); skipped",
                                at: loc(member), field: "categories")
                        }
                    }
                    if elements.isEmpty || elements.contains(where: { if case .string = $0 { false } else { true } }) {
                        setExtra("categories", CSLJSON.text(member.value))
                    }
                case .string(let text):
                    report(.warning, .cslWrongValueType, "categories is a string; CSL expects an array of strings",
                        at: loc(member), field: "categories")
                    keywords = CSLKeywords.split(text)
                    setExtra("categories", CSLJSON.text(member.value))
                case .null:
                    break
                default:
                    report(.warning, .cslWrongValueType,
                        "categories is \(member.value.kindName); kept verbatim in extra", at: loc(member),
                        field: "categories")
                    setExtra("categories", CSLJSON.text(member.value))
                }
            }
            if let keywordMember = known(CSLMapping.V.keyword),
                let text = text("keyword", keywordMember.value, at: loc(keywordMember), numeric: false),
                !CSLKeywords.isJoined(text, keywords) || keywords.isEmpty
            {
                setExtra("keyword", text)
            }
        } else if let member = known(CSLMapping.V.keyword) {
            keywordLocation = loc(member)
            if let text = text("keyword", member.value, at: loc(member), numeric: false) {
                keywords = CSLKeywords.split(text)
                if !CSLKeywords.isJoined(text, keywords) || keywords.isEmpty { setExtra("keyword", text) }
            }
        }
        guard let keywordLocation else { return }
        var plain: [String] = []
        plain.reserveCapacity(keywords.count)
        var sawTags = false
        for keyword in keywords {
            guard CSLKeywords.looksLikeLibraryTag(keyword) else {
                plain.append(keyword)
                continue
            }
            if libraryFromCustom {
                sawTags = true
                continue  // a copy of custom.smrl, which wins
            }
            if LibraryTags.apply(keyword, to: &resource) {
                sawTags = true
            } else {
                report(.warning, .cslInvalidLibraryField,
                    "\"\(keyword)\" looks like a library tag but names no library field or has a bad value; kept as a keyword",
                    at: keywordLocation, field: "keywords")
                plain.append(keyword)
            }
        }
        resource.keywords = plain
        fieldLocations[.keywords] = keywordLocation
        if sawTags, !libraryFromCustom {
            for field: FieldLocations.Key in [.domains, .topics, .professions, .resourceType, .openAccess]
            where fieldLocations[field] == nil {
                fieldLocations[field] = keywordLocation
            }
        }
    }

    // MARK: Note

    private mutating func readNote() {
        guard let member = known(CSLMapping.V.note) else { return }
        guard let note = text("note", member.value, at: loc(member), numeric: false) else { return }
        resource.note = note
        fieldLocations[.note] = loc(member)
        guard noteVariables, note.contains(":") else { return }
        let (lines, candidates) = CSLNoteVariables.scan(note)
        guard !candidates.isEmpty else { return }
        var removed: Set<Int> = []
        var promoted: Set<String> = []
        var names: [(variable: String, values: [JSONValue])] = []
        for candidate in candidates {
            let variable = candidate.variable
            let kind = CSLMapping.kinds[variable] ?? .string
            if variable == "type" {
                switch CSLMapping.readType(candidate.value) {
                case .exact(let type), .miscased(let type), .alias(let type):
                    guard !promoted.contains("type") else { continue }
                    resource.type = type
                    promoted.insert("type")
                    removed.insert(candidate.line)
                    report(.note, .cslNoteVariable,
                        "note line \"type: \(candidate.value)\" sets the item type to \(type.rawValue) (Zotero's rule)",
                        at: loc(member), field: "type")
                case .unknown:
                    break
                }
                continue
            }
            let alias = CSLMapping.aliases.first(where: { $0.value == variable })?.key
            if let index = CSLMapping.order[variable], known(index) != nil { continue }
            if let alias, let index = CSLMapping.order[alias], known(index) != nil { continue }
            if kind == .name {
                if let index = names.firstIndex(where: { $0.variable == variable }) {
                    names[index].values.append(CSLNames.noteName(candidate.value))
                } else {
                    names.append((variable, [CSLNames.noteName(candidate.value)]))
                }
            } else {
                if promoted.contains(variable) { continue }
                if CSLMapping.mappedVariables.contains(variable)
                    || (variable == "number" && CSLMapping.articleNumberTypes.contains(resource.type))
                {
                    if let index = CSLMapping.order[variable] {
                        readVariable(index, .string(candidate.value), at: loc(member), fromNote: true)
                    }
                } else if kind == .date {
                    setExtra(variable, CSLJSON.text(CSLDates.encode(CSLDates.parseText(candidate.value))))
                } else {
                    setExtra(variable, candidate.value)
                }
                promoted.insert(variable)
            }
            removed.insert(candidate.line)
            report(.note, .cslNoteVariable,
                "note line \"\(lines[candidate.line].trimmingSpaces)\" read as the CSL variable \(variable)",
                at: loc(member), field: variable)
        }
        for (variable, values) in names {
            if CSLMapping.mappedVariables.contains(variable) {
                if let index = CSLMapping.order[variable] {
                    readVariable(index, .array(values), at: loc(member), fromNote: true)
                }
            } else {
                setExtra(variable, CSLJSON.text(.array(values)))
            }
        }
        guard !removed.isEmpty else { return }
        let rest = lines.enumerated().filter { !removed.contains($0.offset) }.map { String($0.element) }
        let joined = rest.joined(separator: "\n")
        resource.note = joined.trimmingSpaces.isEmpty ? nil : joined
    }

    // MARK: custom

    private mutating func readCustom() {
        guard let member = known(CSLMapping.V.custom) else { return }
        if let library = prepared?.library {
            // `{"smrl": {...}}` with fields that are all read (what the loop below does with them then).
            libraryFromCustom = true
            for (field, location) in library { setLibrary(field, at: location) }
            return
        }
        guard case .object(let members) = member.value else {
            if member.value != .null {
                report(.warning, .cslWrongValueType, "custom is \(member.value.kindName); CSL expects an object",
                    at: loc(member), field: "custom")
                setExtra("custom", CSLJSON.text(member.value))
            }
            return
        }
        var residual: [JSONMember] = []
        var library: [JSONMember]?
        for inner in members {
            if inner.key == "smrl", case .object(let fields) = inner.value {
                library = fields
            } else {
                residual.append(inner)
            }
        }
        if let library {
            libraryFromCustom = true
            var unread: [JSONMember] = []
            for field in library where !readLibraryField(field, nested: true) { unread.append(field) }
            if !unread.isEmpty { residual.append(JSONMember(key: "smrl", value: .object(unread))) }
        } else {
            var rest: [JSONMember] = []
            for field in residual {
                if readLibraryField(field, nested: false) {
                    libraryFromCustom = true
                } else {
                    rest.append(field)
                }
            }
            residual = rest
        }
        if !residual.isEmpty { setExtra("custom", CSLJSON.text(.object(residual))) }
    }

    /// Reads one library field of `custom.smrl` (`nested`) or of `custom` itself; false when the member is no
    /// library field or its value has the wrong shape (it is then kept in `custom`).
    private mutating func readLibraryField(_ member: JSONMember, nested: Bool) -> Bool {
        let location = loc(member)
        func strings(_ field: String) -> [String]? {
            switch member.value {
            case .string(let text): return [text]
            case .array(let elements) where elements.allSatisfy({ if case .string = $0 { true } else { false } }):
                return elements.compactMap(\.stringValue)
            default:
                report(.warning, .cslInvalidLibraryField,
                    "custom \(member.key) should be a list of strings; kept in custom", at: location, field: field)
                return nil
            }
        }
        switch CSLMapping.fold(member.key) {
        case "resourcetype":
            guard case .string(let text) = member.value else {
                report(.warning, .cslInvalidLibraryField, "custom \(member.key) should be a string; kept in custom",
                    at: location, field: "resourceType")
                return false
            }
            setLibrary(.resourceType(text), at: location)
        case "domains", "domain":
            guard let list = strings("domains") else { return false }
            setLibrary(.domains(list), at: location)
        case "topics", "topic":
            guard let list = strings("topics") else { return false }
            setLibrary(.topics(list), at: location)
        case "professions", "profession":
            guard let list = strings("professions") else { return false }
            setLibrary(.professions(list), at: location)
        case "openaccess":
            switch member.value {
            case .bool(let flag): setLibrary(.openAccess(flag), at: location)
            case .string(let text) where ["true", "yes", "1", "false", "no", "0"].contains(text.lowercased()):
                setLibrary(.openAccess(["true", "yes", "1"].contains(text.lowercased())), at: location)
            default:
                report(.warning, .cslInvalidLibraryField,
                    "custom \(member.key) should be true or false; kept in custom", at: location, field: "openAccess")
                return false
            }
        case "description" where nested:
            guard case .string(let text) = member.value else { return false }
            setLibrary(.description(text), at: location)
        case "subtitle" where nested:
            guard case .string(let text) = member.value else { return false }
            setLibrary(.subtitle(text), at: location)
        case "orcid" where nested:
            guard case .object(let lists) = member.value else { return false }
            for list in lists {
                guard let values = list.value.elements else { return false }
                setLibrary(.orcids(list.key, values.map { $0.stringValue }), at: location)
            }
        case "extra" where nested:
            guard case .object(let formats) = member.value else { return false }
            var parsed: [String: [String: [String]]] = [:]
            for format in formats where format.key != Self.extraKey {
                guard case .object(let fields) = format.value else { return false }
                for field in fields {
                    switch field.value {
                    case .array(let values): parsed[format.key, default: [:]][field.key] = values.compactMap(\.stringValue)
                    case .string(let value): parsed[format.key, default: [:]][field.key] = [value]
                    default: return false
                    }
                }
            }
            for (format, fields) in parsed { resource.extra[format, default: [:]].merge(fields) { _, new in new } }
        default:
            if nested {
                report(.warning, .cslInvalidLibraryField,
                    "custom.smrl.\(member.key) is no library field; kept in custom", at: location, field: member.key)
            }
            return false
        }
        return true
    }

    /// A library field of `custom` (or `custom.smrl`), read.
    enum LibraryField {
        case resourceType(String)
        case domains([String])
        case topics([String])
        case professions([String])
        case openAccess(Bool)
        case description(String)
        case subtitle(String)
        /// One list of `custom.smrl.orcid`: the name variable and an ORCID (or none) for each name.
        case orcids(String, [String?])
    }

    /// Sets a library field read at `location` (a list adds to what an earlier spelling of it gave).
    private mutating func setLibrary(_ field: LibraryField, at location: SourceLocation) {
        switch field {
        case .resourceType(let text):
            resource.resourceType = text
            fieldLocations[.resourceType] = location
        case .domains(let list):
            if resource.domains.isEmpty { resource.domains = list } else { resource.domains += list }
            fieldLocations[.domains] = location
        case .topics(let list):
            if resource.topics.isEmpty { resource.topics = list } else { resource.topics += list }
            fieldLocations[.topics] = location
        case .professions(let list):
            if resource.professions.isEmpty { resource.professions = list } else { resource.professions += list }
            fieldLocations[.professions] = location
        case .openAccess(let flag):
            resource.openAccess = flag
            fieldLocations[.openAccess] = location
        case .description(let text):
            resource.description = text
            fieldLocations[.description] = location
        case .subtitle(let text):
            subtitleHint = (text, location)
        case .orcids(let variable, let values):
            orcids.append((variable, values))
        }
    }

    /// Splits the title using `custom.smrl.subtitle`, which the writer stores beside the full title.
    private mutating func applySubtitle() {
        guard let (subtitle, location) = subtitleHint else { return }
        if let title = resource.title {
            let suffix = ": " + subtitle
            if let head = Self.headBeforeSuffix(title, suffix) {
                resource.title = head
                resource.subtitle = subtitle
            } else if title.hasSuffix(suffix) {
                resource.title = String(title.dropLast(suffix.count))
                resource.subtitle = subtitle
            } else if title == subtitle {
                resource.title = nil
                resource.subtitle = subtitle
            } else {
                report(.note, .cslInvalidLibraryField,
                    "custom.smrl.subtitle does not end the title (edited?); the title is kept whole",
                    at: location, field: "subtitle")
                return
            }
        } else {
            resource.subtitle = subtitle
        }
        fieldLocations[.subtitle] = location
    }

    /// `String(title.dropLast(suffix.count))` when the title's bytes end with the suffix's (which starts with
    /// `:`) after an ASCII byte or nothing: a grapheme boundary for sure, so `title.hasSuffix(suffix)` holds and
    /// the head is those bytes. nil otherwise (the caller then compares Characters).
    static func headBeforeSuffix(_ title: String, _ suffix: String) -> String? {
        var title = title
        var suffix = suffix
        return title.withUTF8 { whole in
            suffix.withUTF8 { tail -> String? in
                let headCount = whole.count - tail.count
                guard headCount >= 0, headCount == 0 || whole[headCount - 1] < 0x80 else { return nil }
                for index in tail.indices where whole[headCount + index] != tail[index] { return nil }
                return UTF8Strings.string(UnsafeBufferPointer(rebasing: whole[..<headCount]))
            }
        }
    }

    private mutating func applyORCIDs() {
        for (variable, values) in orcids {
            for (index, value) in values.enumerated() {
                guard let value, !value.isEmpty else { continue }
                let orcid = Identifiers.normalizeORCID(value) ?? value
                switch variable {
                case "author" where index < resource.authors.count: resource.authors[index].orcid = orcid
                case "editor" where index < resource.editors.count: resource.editors[index].orcid = orcid
                case "translator" where index < resource.translators.count: resource.translators[index].orcid = orcid
                default: break
                }
            }
        }
    }
}

/// A set of positions in ``CSLMapping/variables`` (fewer than 128) as two words of bits.
struct VariableSet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    static let capacity = 128

    func contains(_ index: Int) -> Bool {
        index < 64 ? low & (1 << UInt64(index)) != 0 : high & (1 << UInt64(index &- 64)) != 0
    }

    mutating func insert(_ index: Int) {
        if index < 64 { low |= 1 << UInt64(index) } else { high |= 1 << UInt64(index &- 64) }
    }
}

/// ISBN and ISSN strings ⇄ lists.
enum CSLIdentifiers {
    /// `"978-1-107-04452-4 978-1-107-68637-3"` → two ISBNs; a value that is not a list of ISBNs stays whole.
    static func splitISBN(_ text: String) -> [String] {
        let trimmed = text.trimmedFast
        guard !trimmed.isEmpty else { return [] }
        // No separator byte: one piece, kept whole (what the split below gives then).
        guard hasSeparatorByte(trimmed) else { return [trimmed] }
        let pieces = splitOnSeparators(trimmed)
        if pieces.count > 1, pieces.allSatisfy({ Identifiers.isbnDigits($0) != nil }) { return pieces }
        return [trimmed]
    }

    static func joinISBN(_ list: [String]) -> String { list.joined(separator: " ") }

    /// `"1234-5678, 8765-4321"` → two ISSNs (normalised to `NNNN-NNNN`); other text stays whole.
    static func splitISSN(_ text: String) -> [String] {
        let trimmed = text.trimmedFast
        guard !trimmed.isEmpty else { return [] }
        // No separator byte: one piece (what the split below gives then).
        guard hasSeparatorByte(trimmed) else { return [Identifiers.normalizeISSN(trimmed) ?? trimmed] }
        let pieces = splitOnSeparators(trimmed)
        let normalized = pieces.map { Identifiers.normalizeISSN($0) }
        if normalized.allSatisfy({ $0 != nil }) { return normalized.compactMap { $0 } }
        return [trimmed]
    }

    static func joinISSN(_ list: [String]) -> String { list.joined(separator: ", ") }

    /// The pieces between spaces, commas and semicolons (empty ones omitted), split on bytes when the text is
    /// ASCII (every byte a Character then) and on Characters otherwise.
    static func splitOnSeparators(_ text: String) -> [String] {
        var copy = text
        let ascii = copy.withUTF8 { bytes -> [String]? in
            var pieces: [String] = []
            var start = 0
            for (index, byte) in bytes.enumerated() {
                if byte >= 0x80 { return nil }
                guard byte == 0x20 || byte == 0x2C || byte == 0x3B else { continue }
                if index > start {
                    pieces.append(UTF8Strings.string(validUTF8: UnsafeBufferPointer(rebasing: bytes[start..<index]), ascii: true))
                }
                start = index + 1
            }
            if bytes.count > start {
                pieces.append(UTF8Strings.string(validUTF8: UnsafeBufferPointer(rebasing: bytes[start...]), ascii: true))
            }
            return pieces
        }
        return ascii ?? text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" }).map(String.init)
    }

    /// Whether the text has a space, comma or semicolon byte: without one, no separator Character can be there.
    private static func hasSeparatorByte(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0x20 || $0 == 0x2C || $0 == 0x3B }
    }
}

/// Field locations gathered in a small array (a dozen entries, set one by one, keyed by ``Key`` so
/// that setting one compares no strings) and turned into the dictionary ``ReadResult`` wants once, at its final
/// size.
struct FieldLocations {
    /// The ``Resource`` keys the reader gives locations for (stored as a one-byte tag; the raw value is the
    /// key's name in ``ReadResult/fieldLocations``).
    enum Key: String {
        case abstract, accessed, articleNumber, authors, collectionTitle, containerTitle, containerTitleShort
        case description, doi, domains, edition, editors, event, extra, id, isbn, issn, issue, issued, keywords
        case language, note, openAccess, pages, pmcid, pmid, professions, publisher, publisherPlace, resourceType
        case shortTitle, subtitle, title, topics, translators, type, url, volume
    }

    private var entries: [(key: Key, location: SourceLocation)] = []
    /// The keys in ``entries``, one bit each (by the key's tag), so that a key not there yet is appended without
    /// a search, and one not there is not searched for.
    private var present: UInt64 = 0

    @inline(__always)
    private static func bit(_ key: Key) -> UInt64 {
        // The tag of a case without payload is its position among the cases (fewer than 64).
        1 << UInt64(unsafeBitCast(key, to: UInt8.self) & 63)
    }

    subscript(key: Key) -> SourceLocation? {
        get {
            guard present & Self.bit(key) != 0 else { return nil }
            for entry in entries where entry.key == key { return entry.location }
            return nil
        }
        set {
            let bit = Self.bit(key)
            if present & bit != 0, let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    entries[index].location = newValue
                } else {
                    entries.remove(at: index)
                    present &= ~bit
                }
            } else if let newValue {
                if entries.isEmpty { entries.reserveCapacity(16) }
                entries.append((key, newValue))
                present |= bit
            }
        }
    }

    /// The locations as the reader hands them on.
    var list: FieldLocationList {
        var result = FieldLocationList()
        result.reserveCapacity(entries.count)
        // Each key is here once (the subscript replaces), so nothing to look for.
        for entry in entries { result.appendNew(entry.key.rawValue, entry.location) }
        return result
    }
}
