/// The Social Mission Resource Library's controlled vocabularies: the Social Mission Domains and Topics, the
/// resource types, the health professions and the deprecated Action Areas with their crosswalk.
///
/// The bundled copy (``bundled``) is `Schemas/vocabulary.json` as it was at build time; the library adds terms
/// over time, so a replacement file can be loaded at run time with ``init(contentsOf:)``.
///
/// Values are matched per ``match(_:in:)`` and ``resolve(_:in:)``: after repairing mojibake, under canonical
/// equivalence (NFC), case folding, trimming and collapsing white space (NBSP included); `&` equals `and`; a
/// serial comma before `&`/`and` is ignored; the id, the label and every variant are accepted.
///
/// In JSON (``Codable``) a vocabulary has the shape of `Schemas/vocabulary.json`.
public struct Vocabulary: Sendable, Equatable, Codable {
    /// The vocabularies the file holds, under their JSON keys.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
        /// Social Mission Domains (`Resource.domains`).
        case domains
        /// Social Mission Topics (`Resource.topics`).
        case topics
        /// Library resource types (`Resource.resourceType`).
        case resourceTypes
        /// Health professions (`Resource.professions`).
        case professions
        /// The Action Areas used until about 2024; every term names its replacement.
        case actionAreas

        /// The position in `allCases`.
        var ordinal: Int {
            switch self {
            case .domains: return 0
            case .topics: return 1
            case .resourceTypes: return 2
            case .professions: return 3
            case .actionAreas: return 4
            }
        }

        /// What one term of this vocabulary is called in messages: `domain`, `topic`, `legacy Action Area`.
        public var termNoun: String {
            switch self {
            case .domains: return "domain"
            case .topics: return "topic"
            case .resourceTypes: return "resource type"
            case .professions: return "profession"
            case .actionAreas: return "legacy Action Area"
            }
        }

        public var description: String { rawValue }
    }

    /// What the validator does with a value that is not in a vocabulary (or, for `deprecated`, that is in it).
    public enum Enforcement: String, Sendable, Hashable, Codable {
        /// An unknown value is an error.
        case error
        /// An unknown value is a warning (the list is open).
        case warning
        /// Every term is deprecated: accepted with a warning that names its replacement.
        case deprecated
    }

    /// One term of a vocabulary.
    public struct Term: Sendable, Hashable, Codable {
        /// The canonical id written into records (`students-faculty`).
        public var id: String
        /// The label as the library's site prints it (`Students and Faculty`).
        public var label: String
        /// What the term covers.
        public var definition: String
        /// Other spellings accepted on input (`Students & Faculty`).
        public var variants: [String]
        /// For a deprecated term: its replacement ids by vocabulary (`[.domains: ["students-faculty"]]`).
        public var replacedBy: [Kind: [String]]
        /// For a deprecated term: how sure the crosswalk is (`high`, `medium`).
        public var confidence: String?

        public init(
            id: String, label: String, definition: String = "", variants: [String] = [],
            replacedBy: [Kind: [String]] = [:], confidence: String? = nil
        ) {
            self.id = id
            self.label = label
            self.definition = definition
            self.variants = variants
            self.replacedBy = replacedBy
            self.confidence = confidence
        }

        /// The replacements in a stable order (by vocabulary, then as listed).
        public var replacements: [(kind: Kind, id: String)] {
            Kind.allCases.flatMap { kind in (replacedBy[kind] ?? []).map { (kind, $0) } }
        }

        private enum CodingKeys: String, CodingKey {
            case id, label, definition, variants, replacedBy, confidence
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            label = try c.decode(String.self, forKey: .label)
            definition = try c.decodeIfPresent(String.self, forKey: .definition) ?? ""
            variants = try c.decodeIfPresent([String].self, forKey: .variants) ?? []
            let raw = try c.decodeIfPresent([String: [String]].self, forKey: .replacedBy) ?? [:]
            var replacedBy: [Kind: [String]] = [:]
            for (key, ids) in raw {
                guard let kind = Kind(rawValue: key) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .replacedBy, in: c,
                        debugDescription: "\"\(key)\" is no vocabulary (expected one of "
                            + Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
                replacedBy[kind] = ids
            }
            self.replacedBy = replacedBy
            confidence = try c.decodeIfPresent(String.self, forKey: .confidence)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(label, forKey: .label)
            try c.encode(definition, forKey: .definition)
            try c.encode(variants, forKey: .variants)
            if !replacedBy.isEmpty {
                var raw: [String: [String]] = [:]
                for (kind, ids) in replacedBy { raw[kind.rawValue] = ids }
                try c.encode(raw, forKey: .replacedBy)
            }
            try c.encodeIfPresent(confidence, forKey: .confidence)
        }
    }

    /// One vocabulary: its label, how it is enforced, and its terms in display order.
    public struct TermList: Sendable, Hashable, Codable {
        /// The vocabulary's name (`Social Mission Domains`).
        public var label: String
        /// What an unknown value costs.
        public var enforcement: Enforcement
        /// The terms, in display order.
        public var terms: [Term]

        public init(label: String, enforcement: Enforcement, terms: [Term]) {
            self.label = label
            self.enforcement = enforcement
            self.terms = terms
        }

        /// The term with exactly this id.
        public func term(id: String) -> Term? { terms.first { $0.id == id } }
    }

    /// The file's version (a date, `2026-11-26`).
    public let version: String
    /// Every vocabulary. A file may leave out `actionAreas`; it is then empty here.
    public let lists: [Kind: TermList]
    /// Matching tables, built once per vocabulary.
    let indexes: [Kind: MatchIndex]
    /// The exact ids of each kind, in the order of `Kind.allCases` (a lookup per record value without hashing the
    /// kind or copying a ``MatchIndex``).
    let idTables: [TermIDSet]

    /// Builds a vocabulary from its lists, after checking them (unique ids, unambiguous labels and variants,
    /// replacements that exist).
    /// - Throws: ``VocabularyError`` naming the first problem.
    public init(version: String, lists: [Kind: TermList]) throws {
        try self.init(version: version, lists: lists, source: "<vocabulary>")
    }

    init(version: String, lists: [Kind: TermList], source: String) throws {
        var lists = lists
        for kind in [Kind.domains, .topics, .resourceTypes, .professions] where lists[kind] == nil {
            throw VocabularyError(file: source, message: "the vocabulary \"\(kind.rawValue)\" is missing")
        }
        if lists[.actionAreas] == nil {
            lists[.actionAreas] = TermList(label: "Legacy Action Areas", enforcement: .deprecated, terms: [])
        }
        var indexes: [Kind: MatchIndex] = [:]
        for kind in Kind.allCases {
            let list = lists[kind] ?? TermList(label: kind.rawValue, enforcement: .warning, terms: [])
            indexes[kind] = try MatchIndex(kind: kind, list: list, source: source)
        }
        // Replacements must name terms that exist.
        for kind in Kind.allCases {
            for term in lists[kind]?.terms ?? [] {
                for (target, id) in term.replacements where lists[target]?.term(id: id) == nil {
                    throw VocabularyError(
                        file: source,
                        message: "\(kind.rawValue) term \"\(term.id)\" is replaced by \(target.rawValue) "
                            + "\"\(id)\", which does not exist")
                }
            }
        }
        self.version = version
        self.lists = lists
        self.indexes = indexes
        idTables = Kind.allCases.map { TermIDSet(indexes[$0]?.ids ?? [:]) }
    }

    /// Reads a vocabulary from the JSON text of a vocabulary file.
    /// - Parameter source: how to name the text in error messages (a file path).
    /// - Throws: ``VocabularyError`` with the line and column of a JSON syntax error, or the JSON path of a
    ///   structural one (`vocabularies.domains.terms[2].label: required key is missing`).
    public init(json: String, source: String = "<vocabulary>") throws {
        try self.init(jsonBytes: Array(json.utf8), source: source)
    }

    init(jsonBytes bytes: [UInt8], source: String) throws {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw VocabularyError(file: source, message: "is not UTF-8 text")
        }
        let value = try JSONValue.parseDocument(bytes, source: source)
        let (version, lists) = try Self.lists(from: value, source: source)
        try self.init(version: version, lists: lists, source: source)
    }

    /// Loads a vocabulary file (the shape of `Schemas/vocabulary.json`), e.g. one given with `--vocabulary FILE`.
    /// A UTF-8 byte-order mark and UTF-16 with a byte-order mark are accepted.
    /// - Throws: ``VocabularyError`` when the file cannot be read, is not JSON, or is not a valid vocabulary.
    public init(contentsOf path: String) throws {
        let reader: ByteReader
        do {
            reader = try ByteReader(path: path)
        } catch let error as InputError {
            throw VocabularyError(file: path, message: error.reason)
        }
        let bytes = reader.readAll()
        if let error = reader.readError {
            throw VocabularyError(file: path, message: "cannot be read: \(error)")
        }
        try self.init(jsonBytes: bytes, source: path)
    }

    /// The vocabulary built into this program (`Schemas/vocabulary.json` at build time).
    public static let bundled: Vocabulary = {
        do {
            return try Vocabulary(json: bundledJSON, source: "Schemas/vocabulary.json (bundled)")
        } catch {
            // The bundled file is checked by the test suite; reaching this is a build defect, not bad input.
            fatalError("the bundled vocabulary is invalid: \(error)")
        }
    }()

    /// The vocabulary of one kind.
    public subscript(kind: Kind) -> TermList {
        lists[kind] ?? TermList(label: kind.rawValue, enforcement: .warning, terms: [])
    }

    /// True when `id` is exactly the canonical id of a term (what ``term(_:in:)`` finds), without copying the term.
    public func isTermID(_ id: String, in kind: Kind) -> Bool {
        idTables[kind.ordinal].position(of: id) != nil
    }

    /// The position of the term whose canonical id is exactly `id` (equal ids, as `String` compares them, give the
    /// same position; different ids different ones); nil when `id` is no id of `kind`.
    func termIDPosition(_ id: String, in kind: Kind) -> Int? {
        idTables[kind.ordinal].position(of: id)
    }

    /// The term with exactly this canonical id.
    public func term(_ id: String, in kind: Kind) -> Term? {
        guard let index = indexes[kind], let position = index.ids[id] else { return nil }
        return index.terms[position]
    }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.version == rhs.version && lhs.lists == rhs.lists
    }

    // MARK: Codable

    private enum CodingKeys: String, CodingKey { case version, vocabularies }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decode(String.self, forKey: .version)
        let raw = try c.decode([String: TermList].self, forKey: .vocabularies)
        var lists: [Kind: TermList] = [:]
        for (key, list) in raw {
            if let kind = Kind(rawValue: key) { lists[kind] = list }
        }
        do {
            try self.init(version: version, lists: lists, source: "<vocabulary>")
        } catch let error as VocabularyError {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        var raw: [String: TermList] = [:]
        for (kind, list) in lists { raw[kind.rawValue] = list }
        try c.encode(raw, forKey: .vocabularies)
    }
}

/// A vocabulary file that cannot be used: unreadable, not JSON, or not a valid vocabulary.
public struct VocabularyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or `<vocabulary>` for text given directly).
    public var file: String
    /// What is wrong, with the JSON path when there is one.
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `vocabulary file FILE: message`.
    public var description: String { "vocabulary file \(file): \(message)" }
}
