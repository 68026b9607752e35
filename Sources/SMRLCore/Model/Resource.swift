/// One library resource: the bibliographic description of a work plus the Social Mission Resource Library's own
/// classification. Every format reads into and writes from this one value type.
///
/// Text fields marked *rich text* may hold the CSL inline markup `<i>`, `<b>`, `<sub>`, `<sup>`, `<sc>` and
/// `<span class="nocase">` (see ``RichText``); every other character, `<` and `&` included, is literal.
///
/// In JSON the keys are exactly the property names; absent values and empty lists are omitted.
public struct Resource: Hashable, Sendable, Codable {
    /// The record's identifier: the library id, a citation key, or the source's own id.
    public var id: String? = nil
    /// Bibliographic item type (CSL 1.0.2).
    public var type: ItemType = .articleJournal
    /// Library resource type: an id from the `resourceTypes` vocabulary.
    public var resourceType: String? = nil

    /// Title without subtitle (rich text).
    public var title: String? = nil
    /// Subtitle (rich text).
    public var subtitle: String? = nil
    /// Short form of the title.
    public var shortTitle: String? = nil
    /// Journal, book, website or other container (rich text).
    public var containerTitle: String? = nil
    /// Abbreviated container title (`Acad Med`).
    public var containerTitleShort: String? = nil
    /// Series title.
    public var collectionTitle: String? = nil

    public var authors: [Person] = []
    public var editors: [Person] = []
    public var translators: [Person] = []

    /// Date of publication.
    public var issued: EDTFDate? = nil
    /// Date the resource was accessed (web pages).
    public var accessed: EDTFDate? = nil

    public var volume: String? = nil
    public var issue: String? = nil
    /// Page or page range as given, with a hyphen between first and last page: `804-811`, `e0123`.
    public var pages: String? = nil
    /// Article number or electronic location (`e2210900`, `95`).
    public var articleNumber: String? = nil
    public var edition: String? = nil
    public var publisher: String? = nil
    public var publisherPlace: String? = nil
    /// Conference or event name.
    public var event: String? = nil

    /// DOI without resolver prefix (`10.1001/jama.2017.7286`).
    public var doi: String? = nil
    /// PubMed id (digits).
    public var pmid: String? = nil
    /// PubMed Central id with its `PMC` prefix.
    public var pmcid: String? = nil
    /// ISBNs as given (hyphens kept).
    public var isbn: [String] = []
    /// ISSNs (`1234-5678`), print and electronic.
    public var issn: [String] = []
    public var url: String? = nil

    /// The work's abstract (rich text).
    public var abstract: String? = nil
    /// The library's own summary, distinct from the abstract.
    public var description: String? = nil
    /// Keywords, one per element; never joined into one string.
    public var keywords: [String] = []
    /// Language as a BCP 47 tag or as given.
    public var language: String? = nil
    public var note: String? = nil

    /// Social Mission Domains (vocabulary ids).
    public var domains: [String] = []
    /// Social Mission Topics (vocabulary ids).
    public var topics: [String] = []
    /// Health professions (vocabulary ids).
    public var professions: [String] = []
    /// Open access: true, false, or nil when unknown.
    public var openAccess: Bool? = nil

    /// Fields a reader met that the schema has no place for: `extra[format][field] = values`, so that a
    /// same-format round trip is lossless (`extra["ris"]["M1"]`, `extra["bibtex"]["owner"]`).
    public var extra: [String: [String: [String]]] = [String: [String: [String]]]()

    /// An empty record of `type`. Every stored property has its default (nil or empty), so this initializer sets
    /// only the type: a trivial store, which the compiler makes straight into the result. (An initializer that also
    /// stores a String or an array builds the value aside, copies it into the result and destroys the first: about
    /// 1,500 instructions a record, as each reader makes one record per input record.)
    public init(type: ItemType = .articleJournal) {
        self.type = type
    }

    /// An empty record of `type` with the identifier `id`.
    public init(id: String?, type: ItemType = .articleJournal) {
        self.type = type
        self.id = id
    }

    /// Adds a value under `extra[format][field]`.
    public mutating func addExtra(format: String, field: String, value: String) {
        extra[format, default: [:]][field, default: []].append(value)
    }

    /// The title joined with its subtitle by `: `.
    public var fullTitle: String? {
        switch (title, subtitle) {
        case let (title?, subtitle?) where !subtitle.isEmpty: return title + ": " + subtitle
        case let (title?, _): return title
        case let (nil, subtitle?): return subtitle
        default: return nil
        }
    }

    // MARK: Codable

    /// The JSON keys, in the order `smrl-json` writes them.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, type, resourceType, title, subtitle, shortTitle, containerTitle, containerTitleShort, collectionTitle
        case authors, editors, translators, issued, accessed, volume, issue, pages, articleNumber, edition
        case publisher, publisherPlace, event, doi, pmid, pmcid, isbn, issn, url, abstract, description
        case keywords, language, note, domains, topics, professions, openAccess, extra
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        type = try c.decodeIfPresent(ItemType.self, forKey: .type) ?? .document
        resourceType = try c.decodeIfPresent(String.self, forKey: .resourceType)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        subtitle = try c.decodeIfPresent(String.self, forKey: .subtitle)
        shortTitle = try c.decodeIfPresent(String.self, forKey: .shortTitle)
        containerTitle = try c.decodeIfPresent(String.self, forKey: .containerTitle)
        containerTitleShort = try c.decodeIfPresent(String.self, forKey: .containerTitleShort)
        collectionTitle = try c.decodeIfPresent(String.self, forKey: .collectionTitle)
        authors = try c.decodeIfPresent([Person].self, forKey: .authors) ?? []
        editors = try c.decodeIfPresent([Person].self, forKey: .editors) ?? []
        translators = try c.decodeIfPresent([Person].self, forKey: .translators) ?? []
        issued = try c.decodeIfPresent(EDTFDate.self, forKey: .issued)
        accessed = try c.decodeIfPresent(EDTFDate.self, forKey: .accessed)
        volume = try c.decodeIfPresent(String.self, forKey: .volume)
        issue = try c.decodeIfPresent(String.self, forKey: .issue)
        pages = try c.decodeIfPresent(String.self, forKey: .pages)
        articleNumber = try c.decodeIfPresent(String.self, forKey: .articleNumber)
        edition = try c.decodeIfPresent(String.self, forKey: .edition)
        publisher = try c.decodeIfPresent(String.self, forKey: .publisher)
        publisherPlace = try c.decodeIfPresent(String.self, forKey: .publisherPlace)
        event = try c.decodeIfPresent(String.self, forKey: .event)
        doi = try c.decodeIfPresent(String.self, forKey: .doi)
        pmid = try c.decodeIfPresent(String.self, forKey: .pmid)
        pmcid = try c.decodeIfPresent(String.self, forKey: .pmcid)
        isbn = try c.decodeIfPresent([String].self, forKey: .isbn) ?? []
        issn = try c.decodeIfPresent([String].self, forKey: .issn) ?? []
        url = try c.decodeIfPresent(String.self, forKey: .url)
        abstract = try c.decodeIfPresent(String.self, forKey: .abstract)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        language = try c.decodeIfPresent(String.self, forKey: .language)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        domains = try c.decodeIfPresent([String].self, forKey: .domains) ?? []
        topics = try c.decodeIfPresent([String].self, forKey: .topics) ?? []
        professions = try c.decodeIfPresent([String].self, forKey: .professions) ?? []
        openAccess = try c.decodeIfPresent(Bool.self, forKey: .openAccess)
        extra = try c.decodeIfPresent([String: [String: [String]]].self, forKey: .extra) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func list<T: Encodable>(_ value: [T], _ key: CodingKeys) throws {
            if !value.isEmpty { try c.encode(value, forKey: key) }
        }
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(resourceType, forKey: .resourceType)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encodeIfPresent(subtitle, forKey: .subtitle)
        try c.encodeIfPresent(shortTitle, forKey: .shortTitle)
        try c.encodeIfPresent(containerTitle, forKey: .containerTitle)
        try c.encodeIfPresent(containerTitleShort, forKey: .containerTitleShort)
        try c.encodeIfPresent(collectionTitle, forKey: .collectionTitle)
        try list(authors, .authors)
        try list(editors, .editors)
        try list(translators, .translators)
        try c.encodeIfPresent(issued, forKey: .issued)
        try c.encodeIfPresent(accessed, forKey: .accessed)
        try c.encodeIfPresent(volume, forKey: .volume)
        try c.encodeIfPresent(issue, forKey: .issue)
        try c.encodeIfPresent(pages, forKey: .pages)
        try c.encodeIfPresent(articleNumber, forKey: .articleNumber)
        try c.encodeIfPresent(edition, forKey: .edition)
        try c.encodeIfPresent(publisher, forKey: .publisher)
        try c.encodeIfPresent(publisherPlace, forKey: .publisherPlace)
        try c.encodeIfPresent(event, forKey: .event)
        try c.encodeIfPresent(doi, forKey: .doi)
        try c.encodeIfPresent(pmid, forKey: .pmid)
        try c.encodeIfPresent(pmcid, forKey: .pmcid)
        try list(isbn, .isbn)
        try list(issn, .issn)
        try c.encodeIfPresent(url, forKey: .url)
        try c.encodeIfPresent(abstract, forKey: .abstract)
        try c.encodeIfPresent(description, forKey: .description)
        try list(keywords, .keywords)
        try c.encodeIfPresent(language, forKey: .language)
        try c.encodeIfPresent(note, forKey: .note)
        try list(domains, .domains)
        try list(topics, .topics)
        try list(professions, .professions)
        try c.encodeIfPresent(openAccess, forKey: .openAccess)
        if !extra.isEmpty { try c.encode(extra, forKey: .extra) }
    }
}
