public import SMRLCore

/// The mapping between `smrl-json` record objects and ``Resource``, written by hand so that neither direction goes
/// through Foundation's coders. It mirrors `Resource`'s `Codable` conformance exactly: the keys of
/// `Resource.CodingKeys` in that order, `Person`'s keys in declaration order, dates as their EDTF string, empty
/// lists and nil values omitted, `extra` as an object of objects of string lists.
public enum NativeMapping {
    /// The `extra` key under which the reader keeps what it could not map (unknown keys, values of the wrong
    /// type), as JSON text.
    public static let extraFormat = "smrl-json"

    // MARK: Writing

    /// Writes one record as a JSON object. `extra` is written with its keys sorted, so the output is the same
    /// bytes every time.
    public static func write(_ record: Resource, into out: inout JSONOutput) {
        out.beginObject()
        out.member(literal: "id", record.id)
        out.key(literal: "type")
        out.string(record.type.rawValue)
        out.member(literal: "resourceType", record.resourceType)
        out.member(literal: "title", record.title)
        out.member(literal: "subtitle", record.subtitle)
        out.member(literal: "shortTitle", record.shortTitle)
        out.member(literal: "containerTitle", record.containerTitle)
        out.member(literal: "containerTitleShort", record.containerTitleShort)
        out.member(literal: "collectionTitle", record.collectionTitle)
        writePeople("authors", record.authors, into: &out)
        writePeople("editors", record.editors, into: &out)
        writePeople("translators", record.translators, into: &out)
        out.member(literal: "issued", record.issued?.description)
        out.member(literal: "accessed", record.accessed?.description)
        out.member(literal: "volume", record.volume)
        out.member(literal: "issue", record.issue)
        out.member(literal: "pages", record.pages)
        out.member(literal: "articleNumber", record.articleNumber)
        out.member(literal: "edition", record.edition)
        out.member(literal: "publisher", record.publisher)
        out.member(literal: "publisherPlace", record.publisherPlace)
        out.member(literal: "event", record.event)
        out.member(literal: "doi", record.doi)
        out.member(literal: "pmid", record.pmid)
        out.member(literal: "pmcid", record.pmcid)
        out.member(literal: "isbn", record.isbn)
        out.member(literal: "issn", record.issn)
        out.member(literal: "url", record.url)
        out.member(literal: "abstract", record.abstract)
        out.member(literal: "description", record.description)
        out.member(literal: "keywords", record.keywords)
        out.member(literal: "language", record.language)
        out.member(literal: "note", record.note)
        out.member(literal: "domains", record.domains)
        out.member(literal: "topics", record.topics)
        out.member(literal: "professions", record.professions)
        if let openAccess = record.openAccess {
            out.key(literal: "openAccess")
            out.bool(openAccess)
        }
        if !record.extra.isEmpty {
            out.key(literal: "extra")
            out.beginObject()
            for format in record.extra.keys.sorted() {
                out.key(format)
                out.beginObject()
                let fields = record.extra[format] ?? [:]
                for field in fields.keys.sorted() {
                    // Written even when empty, as `Codable` does: an empty list is a value here.
                    out.key(field)
                    out.beginArray()
                    for value in fields[field] ?? [] { out.string(value) }
                    out.endArray()
                }
                out.endObject()
            }
            out.endObject()
        }
        out.endObject()
    }

    private static func writePeople(_ key: StaticString, _ people: [Person], into out: inout JSONOutput) {
        guard !people.isEmpty else { return }
        out.key(literal: key)
        out.beginArray()
        for person in people {
            out.beginObject()
            out.member(literal: "family", person.family)
            out.member(literal: "given", person.given)
            out.member(literal: "particle", person.particle)
            out.member(literal: "droppingParticle", person.droppingParticle)
            out.member(literal: "suffix", person.suffix)
            out.member(literal: "literal", person.literal)
            out.member(literal: "orcid", person.orcid)
            out.endObject()
        }
        out.endArray()
    }

    /// The compact JSON text of a value (how unmappable values are kept in `extra`).
    public static func jsonText(_ value: JSONValue) -> String {
        var out = JSONOutput(indent: 0, reserving: 64)
        out.value(value)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    // MARK: Reading

    /// Reads one record object. Never fails: what cannot be mapped is reported and kept in
    /// `extra["smrl-json"]`, so that writing the record back loses nothing.
    ///
    /// - Returns: the record, where each top-level member starts (keyed by member name), and diagnostics
    ///   (without record index or id; the reader adds them).
    public static func read(_ members: [JSONMember], file: String) -> (
        record: Resource, fieldLocations: FieldLocationList, diagnostics: [Diagnostic]
    ) {
        var decoder = RecordDecoder(file: file)
        decoder.decode(members)
        return (decoder.record, decoder.fieldLocations, decoder.diagnostics)
    }

    /// `EDTFDate(parsing:)`, with a fast path for the common `YYYY`, `YYYY-MM` and `YYYY-MM-DD` (same result).
    public static func date(_ text: String) -> EDTFDate {
        var text = text
        let fast: EDTFDate? = text.withUTF8 { bytes -> EDTFDate? in
            let count = bytes.count
            guard count == 4 || count == 7 || count == 10 else { return nil }
            func number(_ from: Int, _ length: Int) -> Int? {
                var value = 0
                for index in from..<from + length {
                    let digit = bytes[index] &- 0x30
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int(digit)
                }
                return value
            }
            guard let year = number(0, 4) else { return nil }
            guard count > 4 else { return EDTFDate(year: year) }
            guard bytes[4] == UInt8(ascii: "-"), let month = number(5, 2) else { return nil }
            guard count > 7 else {
                guard (1...12).contains(month) || (21...24).contains(month) else { return nil }
                return EDTFDate(year: year, month: month)
            }
            guard bytes[7] == UInt8(ascii: "-"), let day = number(8, 2), (1...12).contains(month), (1...31).contains(day)
            else { return nil }
            return EDTFDate(year: year, month: month, day: day)
        }
        return fast ?? EDTFDate(parsing: text)
    }

    /// The ``Resource`` keys in declaration order, and their names looked up on bytes (a `Dictionary` spends most
    /// of a look-up hashing the name).
    static let keys = Resource.CodingKeys.allCases
    static let keyPositions = FastStringTable(keys.map(\.rawValue))
    /// The keys' names, by position (what field locations are recorded under).
    static let keyNames = keys.map(\.rawValue)

    /// The ``Resource`` key of this name, with a bit of its own (none past the 64th key).
    @inline(__always)
    static func key(named name: String) -> (key: Resource.CodingKeys, bit: UInt64)? {
        guard let position = keyPositions.index(of: name) else { return nil }
        return (keys[position], position < 64 ? 1 << UInt64(position) : 0)
    }
}

extension NativeMapping {
    /// Whether the key's value is text but real feeds often give it as a JSON number (`"volume": 12`); the
    /// number's text is taken as written.
    @inline(__always)
    static func acceptsNumber(_ key: Resource.CodingKeys) -> Bool {
        switch key {
        case .id, .volume, .issue, .pages, .articleNumber, .edition, .pmid: return true
        default: return false
        }
    }

    /// Sets the text field of `record` that `key` names (the keys whose value is one string); other keys are
    /// left alone.
    static func setText(_ key: Resource.CodingKeys, _ text: String?, in record: inout Resource) {
        switch key {
        case .id: record.id = text
        case .resourceType: record.resourceType = text
        case .title: record.title = text
        case .subtitle: record.subtitle = text
        case .shortTitle: record.shortTitle = text
        case .containerTitle: record.containerTitle = text
        case .containerTitleShort: record.containerTitleShort = text
        case .collectionTitle: record.collectionTitle = text
        case .volume: record.volume = text
        case .issue: record.issue = text
        case .pages: record.pages = text
        case .articleNumber: record.articleNumber = text
        case .edition: record.edition = text
        case .publisher: record.publisher = text
        case .publisherPlace: record.publisherPlace = text
        case .event: record.event = text
        case .doi: record.doi = text
        case .pmid: record.pmid = text
        case .pmcid: record.pmcid = text
        case .url: record.url = text
        case .abstract: record.abstract = text
        case .description: record.description = text
        case .language: record.language = text
        case .note: record.note = text
        default: break  // not a text key
        }
    }
}

private struct RecordDecoder {
    let file: String
    var record = Resource(type: .document)
    var fieldLocations = FieldLocationList()
    var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    /// Keeps a value that could not be mapped, as JSON text, under `extra["smrl-json"][path]`.
    private mutating func keep(_ value: JSONValue, path: String) {
        record.addExtra(format: NativeMapping.extraFormat, field: path, value: NativeMapping.jsonText(value))
    }

    private mutating func wrongType(
        _ value: JSONValue, path: String, field: String, expected: String, at location: SourceLocation
    ) {
        diagnostics.append(
            .error(
                .nativeWrongType,
                "`\(path)` must be \(expected), found \(value.kindName); the value is kept in extra[\"smrl-json\"][\"\(path)\"]",
                at: location, field: field))
        keep(value, path: path)
    }

    mutating func decode(_ members: [JSONMember]) {
        fieldLocations.reserveCapacity(members.count)
        // The known keys recorded so far, one bit each: a key seen for the first time is appended without a search.
        var recorded: UInt64 = 0
        for member in members {
            let location = member.location(in: file)
            let known = NativeMapping.key(named: member.key)
            let repeated: Bool
            if let bit = known?.bit, bit != 0, recorded & bit == 0 {
                recorded |= bit
                fieldLocations.appendNew(member.key, location)
                repeated = false
            } else {
                repeated = fieldLocations.updateValue(location, forKey: member.key) != nil
            }
            if repeated {
                diagnostics.append(
                    .warning(
                        .nativeDuplicateKey, "`\(member.key)` appears more than once in this record; the later value is used",
                        at: location, field: member.key))
            }
            guard let key = known?.key else {
                diagnostics.append(
                    .warning(
                        .nativeUnknownKey,
                        "unknown key `\(member.key)`; kept in extra[\"smrl-json\"][\"\(member.key)\"]",
                        at: location, field: member.key))
                keep(member.value, path: member.key)
                continue
            }
            decode(key, member.value, at: location)
        }
    }

    private mutating func decode(_ key: Resource.CodingKeys, _ value: JSONValue, at location: SourceLocation) {
        let name = key.rawValue
        switch key {
        case .type:
            record.type = itemType(value, at: location)
        case .authors:
            record.authors = people(value, key: name, at: location)
        case .editors:
            record.editors = people(value, key: name, at: location)
        case .translators:
            record.translators = people(value, key: name, at: location)
        case .issued:
            record.issued = date(value, key: name, at: location)
        case .accessed:
            record.accessed = date(value, key: name, at: location)
        case .isbn:
            record.isbn = strings(value, key: name, numbersAllowed: true, at: location)
        case .issn:
            record.issn = strings(value, key: name, numbersAllowed: false, at: location)
        case .keywords:
            record.keywords = strings(value, key: name, numbersAllowed: false, at: location)
        case .domains:
            record.domains = strings(value, key: name, numbersAllowed: false, at: location)
        case .topics:
            record.topics = strings(value, key: name, numbersAllowed: false, at: location)
        case .professions:
            record.professions = strings(value, key: name, numbersAllowed: false, at: location)
        case .openAccess:
            switch value {
            case .bool(let flag): record.openAccess = flag
            case .null: record.openAccess = nil
            default: wrongType(value, path: name, field: name, expected: "true, false or null", at: location)
            }
        case .extra:
            extra(value, at: location)
        default:
            NativeMapping.setText(key, string(value, key: key, at: location), in: &record)
        }
    }

    private mutating func string(_ value: JSONValue, key: Resource.CodingKeys, at location: SourceLocation) -> String? {
        switch value {
        case .string(let text): return text
        case .null: return nil
        case .number(let text) where NativeMapping.acceptsNumber(key): return text
        default:
            let expected = NativeMapping.acceptsNumber(key) ? "a string or a number" : "a string"
            wrongType(value, path: key.rawValue, field: key.rawValue, expected: expected, at: location)
            return nil
        }
    }

    private mutating func strings(_ value: JSONValue, key: String, numbersAllowed: Bool, at location: SourceLocation)
        -> [String]
    {
        switch value {
        case .array(let elements):
            var result: [String] = []
            result.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                switch element {
                case .string(let text): result.append(text)
                case .number(let text) where numbersAllowed: result.append(text)
                default:
                    wrongType(element, path: "\(key)[\(index)]", field: key, expected: "a string", at: location)
                }
            }
            return result
        case .null:
            return []
        case .string(let text):
            diagnostics.append(
                .warning(.nativeNotAList, "`\(key)` should be a list of strings; the string is read as a one-element list",
                    at: location, field: key))
            return [text]
        default:
            wrongType(value, path: key, field: key, expected: "a list of strings", at: location)
            return []
        }
    }

    private mutating func date(_ value: JSONValue, key: String, at location: SourceLocation) -> EDTFDate? {
        switch value {
        case .string(let text): return NativeMapping.date(text)
        case .number(let text): return NativeMapping.date(text)
        case .null: return nil
        case .object(let members) where members.contains(where: { $0.key == "date-parts" || $0.key == "raw" }):
            wrongType(value, path: key, field: key, expected: "an EDTF string such as \"2015-07\" (this is a CSL-JSON date)",
                at: location)
            return nil
        default:
            wrongType(value, path: key, field: key, expected: "an EDTF string such as \"2015-07\"", at: location)
            return nil
        }
    }

    private mutating func itemType(_ value: JSONValue, at location: SourceLocation) -> ItemType {
        switch value {
        case .string(let name):
            if let type = ItemType(rawValue: name) { return type }
            if let type = ItemType(lenient: name) {
                var diagnostic = Diagnostic.warning(
                    .nativeUnknownItemType, "unknown item type \"\(name)\"; read as \"\(type.rawValue)\"", at: location,
                    field: "type")
                diagnostic.suggestion = type.rawValue
                diagnostics.append(diagnostic)
                return type
            }
            diagnostics.append(
                .warning(
                    .nativeUnknownItemType,
                    "unknown item type \"\(name)\" (not a CSL 1.0.2 type); read as \"document\", the value is kept in extra[\"smrl-json\"][\"type\"]",
                    at: location, field: "type"))
            keep(value, path: "type")
            return .document
        case .null:
            return .document
        default:
            wrongType(value, path: "type", field: "type", expected: "a CSL item type name", at: location)
            return .document
        }
    }

    private mutating func people(_ value: JSONValue, key: String, at location: SourceLocation) -> [Person] {
        switch value {
        case .array(let elements):
            var result: [Person] = []
            result.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .object(let members) = element else {
                    wrongType(element, path: "\(key)[\(index)]", field: key, expected: "a person object", at: location)
                    continue
                }
                result.append(person(members, key: key, index: index, at: location))
            }
            return result
        case .null:
            return []
        default:
            wrongType(value, path: key, field: key, expected: "a list of person objects", at: location)
            return []
        }
    }

    private mutating func person(_ members: [JSONMember], key field: String, index: Int, at recordLocation: SourceLocation)
        -> Person
    {
        var person = Person()
        for member in members {
            // Built only when something is reported: this loop is hot.
            var location: SourceLocation { member.line > 0 ? member.location(in: file) : recordLocation }
            var memberPath: String { "\(field)[\(index)].\(member.key)" }
            let text: String?
            let personKey = PersonKey(named: member.key)
            switch member.value {
            case .string(let string): text = string
            case .null: text = nil
            default:
                guard personKey != nil else {
                    unknownPersonKey(member, path: memberPath, field: field, at: location)
                    continue
                }
                wrongType(member.value, path: memberPath, field: field, expected: "a string", at: location)
                continue
            }
            if let personKey {
                personKey.set(text, in: &person)
            } else {
                unknownPersonKey(member, path: memberPath, field: field, at: location)
            }
        }
        return person
    }

    private mutating func unknownPersonKey(_ member: JSONMember, path: String, field: String, at location: SourceLocation) {
        diagnostics.append(
            .warning(
                .nativeUnknownKey,
                "unknown person key `\(member.key)` (a person has family, given, particle, droppingParticle, suffix, literal, orcid); kept in extra[\"smrl-json\"][\"\(path)\"]",
                at: location, field: field))
        keep(member.value, path: path)
    }

    private mutating func extra(_ value: JSONValue, at location: SourceLocation) {
        switch value {
        case .null:
            return
        case .object(let formats):
            for format in formats {
                let formatLocation = format.line > 0 ? format.location(in: file) : location
                guard case .object(let fields) = format.value else {
                    if format.value != .null {
                        wrongType(format.value, path: "extra.\(format.key)", field: "extra",
                            expected: "an object of string lists", at: formatLocation)
                    }
                    continue
                }
                // An empty object is a value too (`Codable` keeps it).
                if record.extra[format.key] == nil { record.extra[format.key] = [:] }
                for field in fields {
                    let fieldLocation = field.line > 0 ? field.location(in: file) : formatLocation
                    let path = "extra.\(format.key).\(field.key)"
                    switch field.value {
                    case .array(let elements):
                        var values: [String] = []
                        values.reserveCapacity(elements.count)
                        for (index, element) in elements.enumerated() {
                            if case .string(let text) = element {
                                values.append(text)
                            } else {
                                wrongType(element, path: "\(path)[\(index)]", field: "extra", expected: "a string",
                                    at: fieldLocation)
                            }
                        }
                        record.extra[format.key, default: [:]][field.key, default: []].append(contentsOf: values)
                    case .string(let text):
                        diagnostics.append(
                            .warning(.nativeNotAList, "`\(path)` should be a list of strings; read as a one-element list",
                                at: fieldLocation, field: "extra"))
                        record.extra[format.key, default: [:]][field.key, default: []].append(text)
                    default:
                        wrongType(field.value, path: path, field: "extra", expected: "a list of strings", at: fieldLocation)
                    }
                }
            }
        default:
            wrongType(value, path: "extra", field: "extra", expected: "an object (format → field → list of strings)",
                at: location)
        }
    }
}

/// `Person`'s JSON keys (its `CodingKeys` are private).
enum PersonKey: String, CaseIterable {
    case family, given, particle, droppingParticle, suffix, literal, orcid

    /// Sets this part of `person` to `text` (both reading routes: the tree's and the direct decoder's).
    @inline(__always)
    func set(_ text: String?, in person: inout Person) {
        switch self {
        case .family: person.family = text
        case .given: person.given = text
        case .particle: person.particle = text
        case .droppingParticle: person.droppingParticle = text
        case .suffix: person.suffix = text
        case .literal: person.literal = text
        case .orcid: person.orcid = text
        }
    }

    /// `init(rawValue:)` without the generated one's search through the cases (see ``init(bytes:)``).
    init?(named name: String) {
        var name = name
        guard let key = name.withUTF8({ PersonKey(bytes: $0) }) else { return nil }
        self = key
    }

    /// The key whose name has these UTF-8 bytes: the name's length and first byte leave at most one candidate,
    /// which is compared whole.
    init?(bytes name: UnsafeBufferPointer<UInt8>) {
        let candidate: PersonKey
        let spelling: StaticString
        switch (name.count, name.first ?? 0) {
        case (6, UInt8(ascii: "f")): (candidate, spelling) = (.family, "family")
        case (5, UInt8(ascii: "g")): (candidate, spelling) = (.given, "given")
        case (8, UInt8(ascii: "p")): (candidate, spelling) = (.particle, "particle")
        case (16, UInt8(ascii: "d")): (candidate, spelling) = (.droppingParticle, "droppingParticle")
        case (6, UInt8(ascii: "s")): (candidate, spelling) = (.suffix, "suffix")
        case (7, UInt8(ascii: "l")): (candidate, spelling) = (.literal, "literal")
        case (5, UInt8(ascii: "o")): (candidate, spelling) = (.orcid, "orcid")
        default: return nil
        }
        // The spelling is the raw value (`NativeKeyLookupTests`); compared byte by byte, as a `String` compare of
        // the raw value costs several times more.
        let expected = spelling.utf8Start
        for index in 1..<name.count where name[index] != expected[index] { return nil }
        self = candidate
    }
}
