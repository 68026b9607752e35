import SMRLCore

/// The CSL 1.0.2 variables (`csl-data.json`) and how each maps to a ``Resource``.
///
/// | CSL variable | Resource |
/// |---|---|
/// | `id` | `id` (`citation-key` when `id` is missing) |
/// | `type` | `type` |
/// | `title` | `title` + `subtitle` (full title; the split is kept in `custom.smrl.subtitle`) |
/// | `title-short` (`shortTitle`) | `shortTitle` |
/// | `container-title`, `container-title-short` (`journalAbbreviation`), `collection-title` | `containerTitle`, `containerTitleShort`, `collectionTitle` |
/// | `author`, `editor`, `translator` | `authors`, `editors`, `translators` |
/// | `issued`, `accessed` | `issued`, `accessed` |
/// | `volume`, `issue`, `page`, `edition` | `volume`, `issue`, `pages`, `edition` |
/// | `number` (journal, magazine, newspaper, conference and review types) | `articleNumber` |
/// | `publisher`, `publisher-place`, `event-title` (`event`) | `publisher`, `publisherPlace`, `event` |
/// | `DOI`, `PMID`, `PMCID`, `ISBN`, `ISSN`, `URL` | `doi`, `pmid`, `pmcid`, `isbn`, `issn`, `url` |
/// | `abstract`, `language`, `note` | `abstract`, `language`, `note` |
/// | `categories` (else `keyword` split) | `keywords` |
/// | `custom.smrl` | library fields, `description`, ORCIDs, the subtitle split, other formats' `extra` |
/// | any other variable | `extra["csl-json"][variable]`: text for string and number variables, JSON text for name and date variables |
enum CSLMapping {
    /// What a CSL variable holds, as far as reading and writing are concerned.
    enum Kind: Sendable {
        case string
        /// String or number in the schema.
        case number
        case name
        case date
        /// `categories`: an array of strings.
        case stringArray
        /// `custom`: an object.
        case object
    }

    /// Every CSL 1.0.2 item property, in the order of `csl-data.json` (the order extra variables are written in).
    static let variables: [(name: String, kind: Kind)] = [
        ("type", .string), ("id", .number), ("citation-key", .string), ("categories", .stringArray),
        ("language", .string), ("journalAbbreviation", .string), ("shortTitle", .string),
        ("author", .name), ("chair", .name), ("collection-editor", .name), ("compiler", .name), ("composer", .name),
        ("container-author", .name), ("contributor", .name), ("curator", .name), ("director", .name),
        ("editor", .name), ("editorial-director", .name), ("executive-producer", .name), ("guest", .name),
        ("host", .name), ("interviewer", .name), ("illustrator", .name), ("narrator", .name), ("organizer", .name),
        ("original-author", .name), ("performer", .name), ("producer", .name), ("recipient", .name),
        ("reviewed-author", .name), ("script-writer", .name), ("series-creator", .name), ("translator", .name),
        ("accessed", .date), ("available-date", .date), ("event-date", .date), ("issued", .date),
        ("original-date", .date), ("submitted", .date),
        ("abstract", .string), ("annote", .string), ("archive", .string), ("archive_collection", .string),
        ("archive_location", .string), ("archive-place", .string), ("authority", .string), ("call-number", .string),
        ("chapter-number", .number), ("citation-number", .number), ("citation-label", .string),
        ("collection-number", .number), ("collection-title", .string), ("container-title", .string),
        ("container-title-short", .string), ("dimensions", .string), ("division", .string), ("DOI", .string),
        ("edition", .number), ("event", .string), ("event-title", .string), ("event-place", .string),
        ("first-reference-note-number", .number), ("genre", .string), ("ISBN", .string), ("ISSN", .string),
        ("issue", .number), ("jurisdiction", .string), ("keyword", .string), ("locator", .number),
        ("medium", .string), ("note", .string), ("number", .number), ("number-of-pages", .number),
        ("number-of-volumes", .number), ("original-publisher", .string), ("original-publisher-place", .string),
        ("original-title", .string), ("page", .number), ("page-first", .number), ("part", .number),
        ("part-title", .string), ("PMCID", .string), ("PMID", .string), ("printing", .number),
        ("publisher", .string), ("publisher-place", .string), ("references", .string), ("reviewed-genre", .string),
        ("reviewed-title", .string), ("scale", .string), ("section", .string), ("source", .string),
        ("status", .string), ("supplement", .number), ("title", .string), ("title-short", .string),
        ("URL", .string), ("version", .string), ("volume", .number), ("volume-title", .string),
        ("volume-title-short", .string), ("year-suffix", .string), ("custom", .object),
    ]

    /// What the reader does with a variable: the ``Resource`` field it fills, or `other` (kept in extra).
    enum Field: UInt8, Sendable {
        case id, type, citationKey, author, editor, translator, issued, accessed, title, titleShort, shortTitle
        case containerTitle, containerTitleShort, journalAbbreviation, collectionTitle, volume, issue, page, edition
        case number, publisher, publisherPlace, eventTitle, event, doi, pmid, pmcid, isbn, issn, url, abstract
        case keyword, categories, language, note, custom, other
    }

    /// The field of each variable, parallel to ``variables``.
    static let fields: [Field] = variables.map { variable in
        switch variable.name {
        case "id": .id
        case "type": .type
        case "citation-key": .citationKey
        case "author": .author
        case "editor": .editor
        case "translator": .translator
        case "issued": .issued
        case "accessed": .accessed
        case "title": .title
        case "title-short": .titleShort
        case "shortTitle": .shortTitle
        case "container-title": .containerTitle
        case "container-title-short": .containerTitleShort
        case "journalAbbreviation": .journalAbbreviation
        case "collection-title": .collectionTitle
        case "volume": .volume
        case "issue": .issue
        case "page": .page
        case "edition": .edition
        case "number": .number
        case "publisher": .publisher
        case "publisher-place": .publisherPlace
        case "event-title": .eventTitle
        case "event": .event
        case "DOI": .doi
        case "PMID": .pmid
        case "PMCID": .pmcid
        case "ISBN": .isbn
        case "ISSN": .issn
        case "URL": .url
        case "abstract": .abstract
        case "keyword": .keyword
        case "categories": .categories
        case "language": .language
        case "note": .note
        case "custom": .custom
        default: .other
        }
    }

    /// Positions in ``variables`` of the variables the reader looks up by name.
    enum V {
        static let id = order["id"]!
        static let type = order["type"]!
        static let citationKey = order["citation-key"]!
        static let titleShort = order["title-short"]!
        static let containerTitleShort = order["container-title-short"]!
        static let eventTitle = order["event-title"]!
        static let categories = order["categories"]!
        static let keyword = order["keyword"]!
        static let note = order["note"]!
        static let custom = order["custom"]!
    }

    /// Kind of each CSL 1.0.2 variable.
    static let kinds: [String: Kind] = Dictionary(variables.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })

    /// The position of each variable in ``variables``, for the hot path (every key of every item).
    static let positions = FastStringTable(variables.map(\.name))

    /// Item types by CSL name.
    static let itemTypes = FastStringTable(ItemType.allCases.map(\.rawValue))

    /// The position of each variable in ``variables``.
    static let order: [String: Int] = Dictionary(
        variables.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })

    /// Variables of the CSL 1.1 draft that 1.0.2 lacks, with their kind. They are kept like unknown keys but
    /// reported as notes rather than warnings.
    static let csl11Variables: [String: Kind] = [
        "co-investigator": .name, "container-translator": .name, "principal-investigator": .name,
        "volume-editor": .name, "volume-translator": .name, "collection-title-short": .string, "original": .string,
        "reviewed": .string, "part-number": .number,
    ]

    /// Folded spelling (lower case, no `-`, `_` or space) → CSL variable, for mis-cased keys.
    static let foldedNames: [String: String] = {
        var table: [String: String] = [:]
        for (name, _) in variables { table[fold(name)] = table[fold(name)] ?? name }
        return table
    }()

    static func fold(_ name: String) -> String {
        foldASCII(name) ?? foldScalars(name)
    }

    /// ``fold(_:)`` scalar by scalar, with Unicode's lower-case mappings (any text).
    static func foldScalars(_ name: String) -> String {
        var result = ""
        result.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars where scalar != "-" && scalar != "_" && scalar != " " {
            result.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return result
    }

    /// ``fold(_:)`` for ASCII text, on bytes (the same result: ASCII letters lower-case to ASCII); nil when the
    /// text has a byte above 0x7F.
    static func foldASCII(_ name: String) -> String? {
        var copy = name
        var unchanged = false
        let folded = copy.withUTF8 { bytes -> String? in
            var changes = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte == 0x2D || byte == 0x5F || byte == 0x20 || (byte >= 0x41 && byte <= 0x5A) { changes = true }
            }
            guard changes else {
                unchanged = true
                return nil
            }
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                var count = 0
                for byte in bytes where byte != 0x2D && byte != 0x5F && byte != 0x20 {
                    buffer[count] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    count += 1
                }
                return count
            }
        }
        return unchanged ? name : folded
    }

    /// Variables that the reader maps to ``Resource`` fields (anything else goes to `extra["csl-json"]`). For these
    /// an `extra["csl-json"]` entry is a *shadow*: the input's own spelling, written back only while it still means
    /// the same as the field (see ``CSLJSONWriter``).
    static let mappedVariables: Set<String> = [
        "id", "type", "author", "editor", "translator", "issued", "accessed", "title", "title-short",
        "container-title", "container-title-short", "collection-title", "volume", "issue", "page", "edition",
        "publisher", "publisher-place", "event-title", "DOI", "PMID", "PMCID", "ISBN", "ISSN", "URL", "abstract",
        "keyword", "categories", "language", "note", "custom",
    ]

    /// Legacy or deprecated spellings and the variable they stand for. When only the alias is present it is read
    /// into the field and written back under the main name; when both are present the alias is kept verbatim.
    static let aliases: [String: String] = [
        "shortTitle": "title-short", "journalAbbreviation": "container-title-short", "event": "event-title",
    ]

    /// Types whose CSL `number` is an article number (`articleNumber`); for other types `number` is a report,
    /// bill, patent or series number and stays in `extra["csl-json"]["number"]`.
    static let articleNumberTypes: Set<ItemType> = [
        .article, .articleJournal, .articleMagazine, .articleNewspaper, .paperConference, .review, .reviewBook,
        .post, .postWeblog,
    ]

    // MARK: Types

    /// Type names that are not CSL 1.0.2 but are met in CSL-JSON files: CSL 1.1 (`preprint`), Zotero item types
    /// (`journalArticle`), Crossref types (`journal-article`), BibTeX and biblatex entry types (`inproceedings`),
    /// RIS-ish names and plain words, looked up folded (see ``fold(_:)``).
    static let typeAliases: [String: ItemType] = Dictionary(
        rawTypeAliases.map { (fold($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })

    private static let rawTypeAliases: [String: ItemType] = [
        // CSL 1.1 draft and CSL-M
        "preprint": .article, "project": .document, "video": .motionPicture, "audio": .song,
        "audiorecording": .song, "podcast": .song, "gazette": .legislation, "periodicalissue": .periodical,
        // Zotero item types
        "journalarticle": .articleJournal, "magazinearticle": .articleMagazine,
        "newspaperarticle": .articleNewspaper, "booksection": .chapter, "conferencepaper": .paperConference,
        "blogpost": .postWeblog, "forumpost": .post, "computerprogram": .software, "encyclopediaarticle":
            .entryEncyclopedia, "dictionaryentry": .entryDictionary, "videorecording": .motionPicture,
        "film": .motionPicture, "tvbroadcast": .broadcast, "radiobroadcast": .broadcast, "presentation": .speech,
        "statute": .legislation, "case": .legalCase, "email": .personalCommunication, "letter":
            .personalCommunication, "instantmessage": .personalCommunication, "artwork": .graphic, "note": .document,
        "attachment": .document,
        // Crossref types
        "bookchapter": .chapter, "bookpart": .chapter, "proceedingsarticle": .paperConference,
        "postedcontent": .article, "dissertation": .thesis, "monograph": .book, "editedbook": .book,
        "referencebook": .book, "referenceentry": .entry, "component": .document, "peerreview": .review,
        "proceedings": .book, "journalissue": .periodical, "journal": .periodical, "bookseries": .book,
        "booktrack": .chapter, "reportseries": .report, "standardseries": .standard,
        // BibTeX / biblatex
        "inproceedings": .paperConference, "conference": .paperConference, "incollection": .chapter,
        "inbook": .chapter, "phdthesis": .thesis, "mastersthesis": .thesis, "techreport": .report,
        "misc": .document, "online": .webpage, "electronic": .webpage, "www": .webpage, "unpublished": .manuscript,
        "booklet": .pamphlet, "manual": .report, "inreference": .entryEncyclopedia, "mvbook": .book,
        "movie": .motionPicture, "music": .song, "jurisdiction": .legalCase, "reference": .book,
        // Plain words
        "web": .webpage, "website": .webpage, "blog": .postWeblog,
        "conferencepaperpublished": .paperConference, "newspaper": .articleNewspaper, "magazine":
            .articleMagazine, "encyclopedia": .entryEncyclopedia, "dictionary": .entryDictionary,
        "generic": .document, "other": .document, "data": .dataset, "database": .dataset,
        "program": .software, "statutes": .legislation, "law": .legislation,
        "talk": .speech, "lecture": .speech, "poster": .speech, "workingpaper": .report, "governmentdocument":
            .report,
    ]

    /// How a `type` value was understood.
    enum TypeReading {
        /// A CSL 1.0.2 type, spelled right.
        case exact(ItemType)
        /// A CSL 1.0.2 type with other case or separators (`Article`, `article_journal`).
        case miscased(ItemType)
        /// Another vocabulary's name, mapped to the closest CSL type.
        case alias(ItemType)
        /// Nothing known; read as `document`.
        case unknown
    }

    static func readType(_ name: String) -> TypeReading {
        if let index = itemTypes.index(of: name) { return .exact(ItemType.allCases[index]) }
        if let type = ItemType(lenient: name) { return .miscased(type) }
        if let type = typeAliases[fold(name)] { return .alias(type) }
        return .unknown
    }
}
