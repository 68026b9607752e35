import SMRLCore

/// What a type-dependent RIS tag means for one `TY`.
enum RISRole: Sendable, Equatable {
    case authors, editors, translators
    /// Journal, book, website, proceedings or code title.
    case container
    /// Series title.
    case collection
    /// Issue number (EndNote writes `M1` for the issue of journal articles).
    case issue
    case edition
    case volume
    case issued
    case accessed
    case articleNumber
    case pages
    /// No place in the schema: kept in `extra["ris"][TAG]`.
    case extra
}

/// How one `TY` code is read and written: its CSL type and the meaning of its type-dependent tags.
///
/// The type-dependent tags are `AU A2 A3 A4 T2 T3 ET VL DA SP M1 C7`; every other tag means the same in every type
/// (see ``RISReader``). The meanings follow the EndNote reference-type tables (the RIS 2011 specification and
/// EndNote's own exports, which label every tag per type), adjusted where the major exporters agree otherwise:
/// `T2` of `ELEC`/`WEB` is the website title (Zotero, Mendeley), and `M1` is the issue of a journal article only
/// when `IS` is absent.
struct RISTypeInfo: Sendable {
    let code: String
    let type: ItemType
    let summary: String
    let roles: [String: RISRole]
    /// `roles` over the defaults, by position in ``dependentTags`` (looked up per field: no hashing).
    private let resolved: [RISRole?]
    /// Whether ``code`` is the one the writer uses for ``type`` (``exportCode``), found once here rather than by a
    /// hash of the type per record.
    let isExportCode: Bool
    /// Whether ``code`` is one of ``bookTypes`` (titles then include `BT`), found once here rather than by a hash
    /// of the code per record.
    let isBookType: Bool
    /// Whether ``code`` is one of ``journalTypes``.
    let isJournalType: Bool

    /// Book types: their titles include `BT`.
    static let bookTypes: Set<String> = ["BOOK", "EBOOK", "EDBOOK", "CLSWK", "SER", "CTLG"]
    /// Types whose exports often carry only the journal abbreviation (`JA`/`J2`), which then is the container.
    static let journalTypes: Set<String> = ["JOUR", "EJOUR", "ABST", "INPR", "JFULL", "MGZN", "NEWS", ""]

    init(code: String, type: ItemType, summary: String, roles: [String: RISRole]) {
        self.code = code
        self.type = type
        self.summary = summary
        self.roles = roles
        assert(roles.keys.allSatisfy(Self.dependentTags.contains), "a type's roles name only type-dependent tags")
        resolved = Self.dependentTags.map { roles[$0] ?? Self.defaultRoles[$0] }
        isExportCode = Self.exportCode[type] == code
        isBookType = Self.bookTypes.contains(code)
        isJournalType = Self.journalTypes.contains(code)
    }

    /// The tags whose meaning depends on the type.
    static let dependentTags = ["AU", "A2", "A3", "A4", "T2", "T3", "ET", "VL", "DA", "SP", "M1", "C7"]

    /// Position in ``dependentTags`` of each two-character tag (by ``RISTag/bit``), -1 for the others.
    private static let dependentSlots: [Int8] = {
        var slots = [Int8](repeating: -1, count: RISTag.bitCount)
        for (index, tag) in dependentTags.enumerated() {
            let bit = RISTag(tag).bit
            if bit >= 0 { slots[Int(bit)] = Int8(index) }
        }
        return slots
    }()

    /// The meaning of a type-dependent tag for this type (nil for the others: the tables name only the dependent
    /// tags).
    func role(_ tag: RISTag) -> RISRole? {
        guard tag.bit >= 0 else { return nil }
        let slot = Self.dependentSlots[Int(tag.bit)]
        return slot >= 0 ? resolved[Int(slot)] : nil
    }

    /// The first tag (in the writer's order) with this role for this type.
    func tag(for role: RISRole) -> String? {
        for tag in Self.writerOrder where self.role(RISTag(tag)) == role {
            return tag
        }
        return nil
    }

    private static let writerOrder = ["AU", "A2", "A3", "A4", "T2", "T3", "M1", "ET", "VL", "DA", "SP", "C7"]

    static let defaultRoles: [String: RISRole] = [
        "AU": .authors, "A2": .editors, "A3": .extra, "A4": .translators, "T2": .container, "T3": .collection,
        "ET": .edition, "VL": .volume, "DA": .issued, "SP": .pages, "M1": .extra, "C7": .extra,
    ]

    private static func info(_ code: String, _ type: ItemType, _ summary: String, _ roles: [String: RISRole] = [:])
        -> RISTypeInfo
    {
        RISTypeInfo(code: code, type: type, summary: summary, roles: roles)
    }

    private static let journalRoles: [String: RISRole] = ["ET": .extra, "M1": .issue, "C7": .articleNumber]
    private static let seriesBookRoles: [String: RISRole] = ["A2": .extra, "A3": .editors, "T2": .collection, "T3": .extra, "SP": .extra]

    /// Every `TY` code of the RIS specification and of EndNote, with its CSL type.
    ///
    /// Decisions where readers disagree (see `formats-and-anchors.md` §3a): `GEN` → `document` (the generic
    /// type, as citation-js; Zotero reads it as a journal article); `INPR` → `article-journal` (an article in
    /// press); `SER` → `book`; `SOUND` → `song`; `SLIDE` → `speech`; `MUSIC` → `musical_score` (so that the score
    /// has a code of its own); `CTLG`, `GRANT` and `EQUA`, which have no CSL type, → `document`; `UNBILL` →
    /// `bill`; `JFULL` (a whole journal) → `periodical`; `ANCIENT` and `CLSWK` → `classic`; `LEGAL` →
    /// `regulation`.
    static let all: [RISTypeInfo] = [
        info("JOUR", .articleJournal, "journal article", journalRoles),
        info("ABST", .articleJournal, "abstract", journalRoles),
        info("INPR", .articleJournal, "in press", journalRoles),
        info("EJOUR", .articleJournal, "electronic article", ["M1": .issue, "C7": .articleNumber, "DA": .accessed, "T3": .extra]),
        info("JFULL", .periodical, "full journal", journalRoles),
        info("MGZN", .articleMagazine, "magazine article", ["M1": .issue]),
        info("NEWS", .articleNewspaper, "newspaper article"),
        info("BOOK", .book, "whole book", seriesBookRoles),
        info("EBOOK", .book, "electronic book", ["A3": .extra, "T2": .extra, "SP": .extra, "DA": .accessed]),
        info("EDBOOK", .book, "edited book", ["AU": .editors, "A2": .extra, "T2": .collection, "T3": .extra, "SP": .extra]),
        info("CLSWK", .classic, "classical work", ["A2": .extra, "T2": .collection, "T3": .extra, "SP": .extra]),
        info("ANCIENT", .classic, "ancient text", ["T3": .extra]),
        info("SER", .book, "serial publication", ["A3": .extra, "A4": .extra, "T2": .extra]),
        info("CTLG", .document, "catalog", ["A2": .extra, "T2": .collection, "T3": .extra]),
        info("PAMP", .pamphlet, "pamphlet", ["A2": .extra]),
        info("CHAP", .chapter, "book section", ["A3": .extra]),
        info("ECHAP", .chapter, "electronic book section", ["A3": .extra, "SP": .extra]),
        info("DICT", .entryDictionary, "dictionary entry"),
        info("ENCYC", .entryEncyclopedia, "encyclopedia entry"),
        info("CONF", .paperConference, "conference proceedings", ["A3": .extra, "A4": .extra]),
        info("CPAPER", .paperConference, "conference paper", ["A3": .extra, "A4": .extra]),
        info("RPRT", .report, "report", ["A2": .extra, "A3": .extra, "A4": .extra, "T2": .collection, "T3": .extra]),
        info("GOVDOC", .report, "government document", ["A2": .extra]),
        info("STAND", .standard, "standard", ["T2": .extra, "T3": .extra]),
        info("THES", .thesis, "thesis", ["A3": .extra, "T2": .extra, "SP": .extra, "VL": .extra]),
        info("ELEC", .webpage, "web page", ["A2": .extra, "VL": .extra, "SP": .extra, "M1": .accessed]),
        info("WEB", .webpage, "web page (EndNote)", ["A2": .extra, "VL": .extra, "SP": .extra, "M1": .accessed]),
        info("BLOG", .postWeblog, "blog", ["A3": .extra, "T3": .extra, "VL": .extra, "SP": .extra]),
        info("MULTI", .motionPicture, "online multimedia", ["A2": .extra, "T2": .collection, "T3": .extra, "DA": .accessed]),
        info("COMP", .software, "computer program", ["A2": .extra, "T2": .collection, "T3": .extra, "VL": .extra, "SP": .extra]),
        info("DATA", .dataset, "dataset", ["A2": .extra, "A4": .extra, "DA": .extra]),
        info("AGGR", .dataset, "aggregated database", ["DA": .accessed, "ET": .extra]),
        info("DBASE", .dataset, "online database", ["DA": .accessed, "ET": .extra]),
        info("MAP", .map, "map", ["A2": .extra, "T2": .collection, "T3": .extra, "SP": .extra]),
        info("MPCT", .motionPicture, "motion picture", ["A2": .extra, "A3": .extra, "A4": .extra, "T2": .collection, "T3": .extra, "SP": .extra]),
        info("VIDEO", .motionPicture, "video recording", ["A2": .extra, "A3": .extra, "A4": .extra, "T2": .collection, "T3": .extra]),
        info("ADVS", .motionPicture, "audiovisual material", ["A2": .extra, "A3": .extra, "A4": .extra]),
        info("MUSIC", .musicalScore, "music", ["A2": .extra, "A3": .extra, "A4": .extra]),
        info("SOUND", .song, "sound recording", ["A2": .extra, "A3": .extra, "A4": .extra]),
        info("SLIDE", .speech, "slide presentation"),
        info("ART", .graphic, "artwork", ["A2": .extra, "T2": .extra, "SP": .extra]),
        info("CHART", .figure, "chart or table", ["A2": .extra, "T2": .extra, "SP": .extra, "VL": .extra]),
        info("FIGURE", .figure, "figure", ["A2": .extra, "T2": .extra, "SP": .extra, "VL": .extra]),
        info("EQUA", .document, "equation", ["A2": .extra, "T2": .extra, "SP": .extra, "VL": .extra]),
        info("PAT", .patent, "patent", ["A2": .extra, "A3": .extra, "A4": .extra, "T3": .extra, "ET": .extra, "VL": .extra]),
        info("PCOMM", .personalCommunication, "personal communication", ["A2": .extra, "ET": .extra]),
        info("ICOMM", .personalCommunication, "internet communication", ["A2": .extra]),
        info("BILL", .bill, "bill or resolution", ["A2": .extra, "T3": .extra, "ET": .extra]),
        info("UNBILL", .bill, "unenacted bill", ["A2": .extra, "T3": .extra, "ET": .extra]),
        info("STAT", .legislation, "statute", ["T3": .extra, "ET": .extra]),
        info("CASE", .legalCase, "case", ["A2": .extra, "A3": .extra, "A4": .extra, "T3": .extra, "DA": .accessed, "ET": .extra]),
        info("LEGAL", .regulation, "legal rule or regulation", ["A2": .extra, "T2": .extra, "T3": .extra]),
        info("HEAR", .hearing, "hearing", ["T2": .extra, "T3": .extra, "ET": .extra]),
        info("GRANT", .document, "grant", ["DA": .extra, "ET": .extra, "VL": .extra]),
        info("UNPB", .manuscript, "unpublished work", ["A2": .extra, "T2": .collection, "T3": .extra]),
        info("MANSCPT", .manuscript, "manuscript", ["T2": .collection, "T3": .extra, "ET": .extra]),
        info("GEN", .document, "generic"),
    ]

    static let byCode: [String: RISTypeInfo] = Dictionary(all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })

    /// Spellings that are not codes but that exporters write in `TY`, mapped to the code they mean.
    static let aliases: [String: String] = [
        "JOURN": "JOUR", "JOURNAL": "JOUR", "ARTICLE": "JOUR", "JOURNAL ARTICLE": "JOUR", "JOUR ARTICLE": "JOUR",
        "GRNT": "GRANT", "UNPD": "UNPB", "UNPUBLISHED": "UNPB", "UNPUBLISHED WORK": "UNPB",
        "EJOURNAL": "EJOUR", "ELECTRONIC ARTICLE": "EJOUR", "EARTICLE": "EJOUR",
        "BOOK SECTION": "CHAP", "CHAPTER": "CHAP", "BOOK CHAPTER": "CHAP", "EDITED BOOK": "EDBOOK",
        "ELECTRONIC BOOK": "EBOOK", "ELECTRONIC BOOK SECTION": "ECHAP",
        "CONFERENCE PAPER": "CPAPER", "CONFERENCE PROCEEDINGS": "CONF", "PROCEEDINGS": "CONF",
        "THESIS": "THES", "DISSERTATION": "THES", "REPORT": "RPRT", "WEB PAGE": "ELEC", "WEBPAGE": "ELEC",
        "WEBSITE": "ELEC", "GENERIC": "GEN", "MAGAZINE ARTICLE": "MGZN", "NEWSPAPER ARTICLE": "NEWS",
        "DATASET": "DATA", "PATENT": "PAT", "COMPUTER PROGRAM": "COMP", "SOFTWARE": "COMP", "STANDARD": "STAND",
        "STATUTE": "STAT", "MANUSCRIPT": "MANSCPT", "PERSONAL COMMUNICATION": "PCOMM", "BLOG POST": "BLOG",
        "FILM OR BROADCAST": "MPCT", "PAMPHLET": "PAMP", "SERIAL": "SER", "AUDIOVISUAL MATERIAL": "ADVS",
        "ONLINE MULTIMEDIA": "MULTI", "ENCYCLOPEDIA": "ENCYC", "ENCYCLOPEDIA ENTRY": "ENCYC", "DICTIONARY": "DICT",
        "GOVERNMENT DOCUMENT": "GOVDOC", "HEARING": "HEAR", "CLASSICAL WORK": "CLSWK", "ANCIENT TEXT": "ANCIENT",
        "ARTWORK": "ART", "CHART OR TABLE": "CHART", "EQUATION": "EQUA", "CATALOG": "CTLG",
        "AGGREGATED DATABASE": "AGGR", "ONLINE DATABASE": "DBASE", "LEGAL RULE OR REGULATION": "LEGAL",
        "IN PRESS": "INPR", "INPRESS": "INPR", "ABSTRACT": "ABST", "PRESENTATION": "SLIDE",
        "SOUND RECORDING": "SOUND", "VIDEO RECORDING": "VIDEO", "INTERNET COMMUNICATION": "ICOMM",
        "UNENACTED BILL": "UNBILL", "CASE LAW": "CASE", "EMAIL": "ICOMM", "E-MAIL": "ICOMM",
    ]

    /// The type for a `TY` value: the info, and whether the value was an alias (nil when unknown).
    static func lookup(_ value: String) -> (info: RISTypeInfo, alias: Bool)? {
        if !value.isEmpty, value.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }) {
            // Upper-case letters and digits only (`JOUR`): already in the folded form below.
            if let info = byCode[value] { return (info, false) }
            if let code = aliases[value], let info = byCode[code] { return (info, true) }
            return nil
        }
        let folded = value.uppercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "\t" })
            .joined(separator: " ")
        if let info = byCode[folded] { return (info, false) }
        if let code = aliases[folded], let info = byCode[code] { return (info, true) }
        return nil
    }

    /// The code the writer uses for each CSL type. Types without a code of their own are written with the
    /// nearest code and reported as a loss of `type` (see ``lossyExportTypes``).
    static let exportCode: [ItemType: String] = [
        .article: "GEN", .articleJournal: "JOUR", .articleMagazine: "MGZN", .articleNewspaper: "NEWS",
        .bill: "BILL", .book: "BOOK", .broadcast: "MPCT", .chapter: "CHAP", .classic: "CLSWK", .collection: "GEN",
        .dataset: "DATA", .document: "GEN", .entry: "GEN", .entryDictionary: "DICT",
        .entryEncyclopedia: "ENCYC", .event: "GEN", .figure: "FIGURE", .graphic: "ART", .hearing: "HEAR",
        .interview: "GEN", .legalCase: "CASE", .legislation: "STAT", .manuscript: "MANSCPT", .map: "MAP",
        .motionPicture: "MPCT", .musicalScore: "MUSIC", .pamphlet: "PAMP", .paperConference: "CONF",
        .patent: "PAT", .performance: "GEN", .periodical: "JFULL", .personalCommunication: "PCOMM",
        .post: "BLOG", .postWeblog: "BLOG", .regulation: "LEGAL", .report: "RPRT", .review: "JOUR",
        .reviewBook: "JOUR", .software: "COMP", .song: "SOUND", .speech: "SLIDE", .standard: "STAND",
        .thesis: "THES", .treaty: "GEN", .webpage: "ELEC",
    ]

    /// The generic type (`GEN`), which a record without a `TY` starts from (made once, not looked up per record).
    static let generic: RISTypeInfo = byCode["GEN"]!

    /// The export info for a CSL type.
    static func export(_ type: ItemType) -> RISTypeInfo {
        byCode[exportCode[type] ?? "GEN"] ?? byCode["GEN"]!
    }
}
