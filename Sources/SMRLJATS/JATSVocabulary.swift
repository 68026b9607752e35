import SMRLCore

/// The JATS vocabularies smrl maps: `publication-type` values, `article-type` values, contributor roles.
enum JATSVocabulary {
    /// The `publication-type` the writer puts on an `element-citation` for an item type: only JATS values
    /// (JATS4R's list and the Tag Library's suggestions), never CSL names.
    static func publicationType(for type: ItemType) -> String {
        switch type {
        case .articleJournal, .review, .reviewBook: return "journal"
        case .articleMagazine, .articleNewspaper, .periodical: return "periodical"
        case .book, .chapter, .entry, .entryDictionary, .entryEncyclopedia, .classic, .collection, .pamphlet:
            return "book"
        case .paperConference, .event: return "confproc"
        case .report: return "report"
        case .dataset: return "data"
        case .webpage, .post, .postWeblog: return "webpage"
        case .thesis: return "thesis"
        case .patent: return "patent"
        case .standard: return "standard"
        case .software: return "software"
        case .article, .manuscript: return "preprint"
        case .personalCommunication, .interview: return "communication"
        case .bill, .legislation, .legalCase, .hearing, .regulation, .treaty: return "gov"
        default: return "other"
        }
    }

    /// Every `publication-type` value the writer may produce.
    static let writtenPublicationTypes: Set<String> = [
        "journal", "periodical", "book", "confproc", "report", "data", "webpage", "thesis", "patent", "standard",
        "software", "preprint", "communication", "gov", "other",
    ]

    /// The item type a `publication-type` / `citation-type` value names; nil when unknown. Case and separators
    /// are ignored (`Journal`, `conf-proc`, `web_page`).
    static func itemType(forPublicationType value: String) -> ItemType? {
        // Lower-case ASCII letters only (most values): lower-casing and dropping separators change nothing.
        let key = value.utf8.allSatisfy({ $0 &- 0x61 < 26 })
            ? value : String(value.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "journal", "journalarticle", "article", "ejournal": return .articleJournal
        case "periodical", "magazine": return .articleMagazine
        case "newspaper", "news": return .articleNewspaper
        case "book", "ebook", "monograph", "bookchapter", "chapter", "inbook", "editedbook": return .book
        case "confproc", "conference", "conferenceproceedings", "confproceedings", "proceedings", "confpaper",
            "conferencepaper", "inproceedings":
            return .paperConference
        case "report", "techreport", "technicalreport", "workingpaper", "discussionpaper", "gov", "government",
            "policy", "whitepaper":
            return .report
        case "thesis", "dissertation", "phdthesis", "mastersthesis": return .thesis
        case "patent": return .patent
        case "data", "dataset", "database", "datacitation": return .dataset
        case "webpage", "web", "website", "online", "internet", "url", "blog", "weblog", "webcitation", "homepage":
            return .webpage
        case "software", "computerprogram", "program", "code", "softwarecitation": return .software
        case "preprint", "eprint", "manuscript", "unpublished", "submitted", "inpress": return .article
        case "standard", "standards": return .standard
        case "communication", "commun", "personalcommunication", "letter", "personalcommun": return .personalCommunication
        case "review": return .review
        case "bookreview": return .reviewBook
        case "legal", "legislation", "law", "statute": return .legislation
        case "legalcase", "case", "courtcase": return .legalCase
        case "presentation", "speech", "talk", "lecture", "poster": return .speech
        case "video", "film", "motionpicture": return .motionPicture
        case "audio", "podcast", "sound", "song": return .song
        case "map": return .map
        case "figure", "image", "graphic": return .graphic
        case "interview": return .interview
        case "encyclopedia", "dictionary", "reference": return .entry
        case "other", "misc", "generic", "list", "discussion", "": return nil
        default: return nil
        }
    }

    /// True when the value is one of the generic "other" spellings (no diagnostic for those).
    static func isGenericPublicationType(_ value: String) -> Bool {
        ["other", "misc", "generic", ""].contains(value.lowercased())
    }

    /// The item type for an `article-type` value.
    static func itemType(forArticleType value: String?) -> ItemType {
        switch value?.lowercased() {
        case "book-review": return .reviewBook
        case "product-review": return .review
        case "dissertation": return .thesis
        case "preprint": return .article
        case "meeting-report": return .report
        default: return .articleJournal
        }
    }

    /// The `article-type` the writer puts on a one-record `<article>`.
    static func articleType(for type: ItemType) -> String {
        switch type {
        case .articleJournal, .articleMagazine, .articleNewspaper: return "research-article"
        case .reviewBook: return "book-review"
        case .review: return "product-review"
        case .thesis: return "dissertation"
        default: return "other"
        }
    }

    /// Abstract types that describe the work as an abstract does (the reader's `abstract`), rather than a
    /// teaser, digest or table-of-contents blurb (kept in `extra`).
    static let mainAbstractTypes: Set<String> = ["", "abstract", "structured", "normal", "full", "author"]

    /// Subject groups that say what kind of article it is (kept in `extra`), not what it is about.
    static let headingSubjectGroups: Set<String> = [
        "heading", "display-channel", "article-type", "toc-heading", "section", "category", "type",
    ]
}
