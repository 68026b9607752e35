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

    /// Kind of each CSL 1.0.2 variable.
    static let kinds: [String: Kind] = Dictionary(variables.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })

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
        var result = ""
        result.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars where scalar != "-" && scalar != "_" && scalar != " " {
            result.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return result
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
        if let type = ItemType(rawValue: name) { return .exact(type) }
        if let type = ItemType(lenient: name) { return .miscased(type) }
        if let type = typeAliases[fold(name)] { return .alias(type) }
        return .unknown
    }
}
