import Foundation
import SMRLCore

/// How BibTeX and biblatex entry types and fields map to ``Resource`` and back.
///
/// Reading (both dialects accepted in one file):
///
/// | BibTeX / biblatex | Resource |
/// |---|---|
/// | `title`, `subtitle` (rich text) | `title`, `subtitle` |
/// | `shorttitle` | `shortTitle` |
/// | `journaltitle` / `journal`; `booktitle` for parts of books and proceedings | `containerTitle` |
/// | `shortjournal` | `containerTitleShort` |
/// | `series` | `collectionTitle` |
/// | `author`, `editor`, `translator` (+ `author+an:orcid`) | `authors`, `editors`, `translators` |
/// | `date` (EDTF) / `year` + `month` + `day` | `issued` |
/// | `urldate` (`lastchecked`) | `accessed` |
/// | `volume`; `number` (biblatex `issue` when there is no `number`) | `volume`; `issue` |
/// | `pages` (`--` → `-`); `eid` | `pages`; `articleNumber` |
/// | `edition`, `publisher`, `location` / `address`, `eventtitle` | `edition`, `publisher`, `publisherPlace`, `event` |
/// | `school` / `institution` (theses, reports), `organization` (manuals, proceedings), `howpublished` (misc) | `publisher` when there is none |
/// | `doi`, `pmid`, `pmcid`, `eprint` with `eprinttype = pubmed` / `pmc` | `doi`, `pmid`, `pmcid` |
/// | `isbn`, `issn` (lists split at `,` `;`) | `isbn`, `issn` |
/// | `url` (or a `howpublished = {\url{…}}`) | `url` |
/// | `abstract` (rich), `note` | `abstract`, `note` |
/// | `keywords` (split at `;` when there is one at brace depth 0, else at `,`) | `keywords`; `smrl:` tags go to the library fields |
/// | `language` / `langid` | `language` |
/// | `smrl-domains`, `smrl-topics`, `smrl-professions`, `smrl-resource-type`, `smrl-open-access`, `smrl-description`, `smrl-id` | the library fields, `description`, `id` |
///
/// Every other field (and a field that lost to its preferred twin, e.g. `journal` beside a different
/// `journaltitle`) goes to `extra["bibtex"][field]` as its LaTeX source, so the BibTeX writer puts it back.
/// Two keys of `extra["bibtex"]` are not fields: `@type` keeps the entry type when the writer would not choose it
/// again (`mastersthesis`, `inbook`, `online`…), and `@and-others` lists the name fields that ended with
/// `and others`.
enum BibTeXMapping {
    /// `extra` key for the original entry type.
    static let typeKey = "@type"
    /// `extra` key listing the name fields (`author`, `editor`, `translator`) that ended with `and others`.
    static let othersKey = "@and-others"
    /// The `extra` format name.
    static let format = "bibtex"

    // MARK: Types

    /// The item type of an entry type (lowercased); nil for a type neither BibTeX nor biblatex defines.
    static func itemType(forEntryType type: String, subtype: String?) -> ItemType? {
        switch type {
        case "article":
            switch subtype?.lowercased() {
            case "magazine": return .articleMagazine
            case "newspaper": return .articleNewspaper
            default: return .articleJournal
            }
        case "suppperiodical": return .articleJournal
        case "book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings", "reference",
            "mvreference", "commentary":
            return .book
        case "inbook", "incollection", "bookinbook", "suppbook", "suppcollection": return .chapter
        case "booklet": return .pamphlet
        case "inproceedings", "conference": return .paperConference
        case "inreference": return .entryEncyclopedia
        case "manual", "report", "techreport": return .report
        case "thesis", "phdthesis", "mastersthesis": return .thesis
        case "misc", "set", "xdata", "customa", "customb", "customc", "customd", "custome", "customf": return .document
        case "online", "www", "electronic": return .webpage
        case "patent": return .patent
        case "periodical": return .periodical
        case "unpublished": return .manuscript
        case "software": return .software
        case "dataset", "data": return .dataset
        case "artwork", "image": return .graphic
        case "audio", "music": return .song
        case "video", "movie": return .motionPicture
        case "jurisdiction": return .legalCase
        case "legislation", "legal": return .legislation
        case "letter": return .personalCommunication
        case "performance": return .performance
        case "standard": return .standard
        case "review": return .review
        // Non-standard types that Mendeley and other exporters write.
        case "web_page", "webpage", "web", "blog_post": return .webpage
        case "book_section", "chapter": return .chapter
        case "magazine", "magazine_article": return .articleMagazine
        case "newspaper", "newspaper_article": return .articleNewspaper
        case "journal_article", "journal": return .articleJournal
        case "film", "television_broadcast": return .motionPicture
        case "generic": return .document
        case "conference_proceedings": return .paperConference
        case "computer_program", "softwareversion", "softwaremodule", "codefragment": return .software
        case "talk", "presentation": return .speech
        case "working_paper": return .report
        case "hearing": return .hearing
        case "statute", "bill": return .legislation
        case "case": return .legalCase
        default: return nil
        }
    }

    /// The entry types plain.bst defines: the only ones the `bibtex` dialect writes.
    static let bibtexTypes: Set<String> = [
        "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual",
        "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    ]

    /// The entry types biblatex's data model defines (plus the aliases biber accepts).
    static let biblatexTypes: Set<String> = [
        "article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet", "collection", "mvcollection",
        "incollection", "suppcollection", "dataset", "manual", "misc", "online", "patent", "periodical",
        "suppperiodical", "proceedings", "mvproceedings", "inproceedings", "reference", "mvreference",
        "inreference", "report", "set", "software", "thesis", "unpublished", "xdata", "artwork", "audio",
        "commentary", "image", "jurisdiction", "legislation", "legal", "letter", "movie", "music", "performance",
        "review", "standard", "video", "conference", "electronic", "mastersthesis", "phdthesis", "techreport",
        "www", "customa", "customb", "customc", "customd", "custome", "customf",
    ]

    /// The entry type the writer chooses for an item type.
    static func entryType(for resource: Resource, dialect: BibTeXDialect) -> String {
        switch dialect {
        case .bibtex:
            switch resource.type {
            case .articleJournal, .articleMagazine, .articleNewspaper, .article, .review, .reviewBook: return "article"
            case .book, .classic, .collection: return "book"
            case .chapter, .entry, .entryDictionary, .entryEncyclopedia: return "incollection"
            case .paperConference: return "inproceedings"
            case .thesis: return "phdthesis"
            case .report: return "techreport"
            case .manuscript: return "unpublished"
            case .speech: return "unpublished"
            case .pamphlet: return "booklet"
            default: return "misc"
            }
        case .biblatex:
            switch resource.type {
            case .articleJournal, .articleMagazine, .articleNewspaper, .article, .review, .reviewBook: return "article"
            case .book, .classic: return "book"
            case .collection: return "collection"
            case .chapter: return resource.editors.isEmpty ? "inbook" : "incollection"
            case .entry, .entryDictionary, .entryEncyclopedia: return "inreference"
            case .paperConference: return "inproceedings"
            case .thesis: return "thesis"
            case .report: return "report"
            case .manuscript: return "unpublished"
            case .speech: return "unpublished"
            case .pamphlet: return "booklet"
            case .webpage, .post, .postWeblog: return "online"
            case .dataset: return "dataset"
            case .software: return "software"
            case .patent: return "patent"
            case .periodical: return "periodical"
            case .standard: return "standard"
            case .legislation, .bill, .regulation, .treaty: return "legislation"
            case .legalCase: return "jurisdiction"
            case .motionPicture, .broadcast: return "video"
            case .song: return "audio"
            case .graphic: return "artwork"
            case .personalCommunication: return "letter"
            case .performance: return "performance"
            default: return "misc"
            }
        }
    }

    // MARK: Reading

    /// What mapping one entry produced (a tuple, so that its taker moves the resource out rather than copying it).
    typealias Mapped = (resource: Resource, diagnostics: [Diagnostic], fieldLocations: FieldLocationList)

    /// Maps an entry (after inheritance) to a resource.
    static func resource(from entry: BibTeXEntry) -> Mapped {
        var context = MappingContext(entry: entry)
        let subtype = context[.entrysubtype].map { LaTeXDecoder.decode($0, mode: .plain) }
        let knownType = itemType(forEntryType: entry.type, subtype: subtype)
        var result: Mapped = (Resource(id: entry.key, type: knownType ?? .document), [], FieldLocationList())
        if entry.type == "unpublished", context.has(.eventtitle) {
            // A talk: biblatex has no type for it and uses @unpublished with the event (as pandoc reads it).
            result.resource.type = .speech
        }
        if knownType == nil {
            context.diagnostics.append(
                .warning(.bibtexUnknownType, "unknown entry type '@\(entry.type)', read as a generic document",
                    at: entry.location))
        }
        if let subtype, knownType == .articleMagazine || knownType == .articleNewspaper,
            ["magazine", "newspaper"].contains(subtype.lowercased())
        {
            context.consume(.entrysubtype)
        }

        // Titles
        result.resource.title = context.rich(.title, key: "title", fresh: true)
        result.resource.subtitle = context.rich(.subtitle, key: "subtitle", fresh: true)
        result.resource.shortTitle = context.plain(.shorttitle, key: "shortTitle", fresh: true)
        if context.has(.fjournal) && !context.has(.journaltitle) {
            // AMS and MathSciNet exports: `fjournal` is the full title, `journal` the abbreviation.
            result.resource.containerTitle = context.rich(.fjournal, key: "containerTitle")
            if !context.has(.shortjournal) {
                result.resource.containerTitleShort = context.plain(.journal, key: "containerTitleShort")
            }
        }
        if result.resource.containerTitle == nil {
            result.resource.containerTitle = context.preferred([.journaltitle, .journal], key: "containerTitle",
                rich: true)
        }
        if result.resource.containerTitle == nil, let booktitle = context[.booktitle] {
            if !BibTeXReader.containerTypes.contains(entry.type) {
                result.resource.containerTitle = context.rich(.booktitle, key: "containerTitle")
            } else if booktitle.bibTrimmed == context[.title]?.bibTrimmed {
                // Classic BibTeX parents repeat their title as booktitle for their children.
                context.consume(.booktitle)
            }
        }
        if result.resource.containerTitleShort == nil {
            result.resource.containerTitleShort = context.plain(.shortjournal, key: "containerTitleShort")
        }
        result.resource.collectionTitle = context.plain(.series, key: "collectionTitle", fresh: true)
        result.resource.event = context.plain(.eventtitle, key: "event", fresh: true)

        // People
        result.resource.authors = context.names(.author, key: "authors", resource: &result.resource)
        result.resource.editors = context.names(.editor, key: "editors", resource: &result.resource)
        result.resource.translators = context.names(.translator, key: "translators", resource: &result.resource)
        context.applyORCIDs(.author, to: &result.resource.authors)
        context.applyORCIDs(.editor, to: &result.resource.editors)
        context.applyORCIDs(.translator, to: &result.resource.translators)

        // Dates
        result.resource.issued = context.issued()
        if let accessed = context.preferredRaw([.urldate, .lastchecked], key: "accessed", fresh: true) {
            result.resource.accessed = context.parseDate(accessed.value, field: accessed.name)
        }

        // Numbers
        result.resource.volume = context.plain(.volume, key: "volume", fresh: true)
        result.resource.issue = context.preferred([.number, .issue], key: "issue", rich: false, reportConflict: false,
            fresh: true)
        if let pages = context.plain(.pages, key: "pages", fresh: true) {
            result.resource.pages = normalizePages(pages)
        }
        result.resource.articleNumber = context.plain(.eid, key: "articleNumber", fresh: true)
        result.resource.edition = context.plain(.edition, key: "edition", fresh: true)

        // Publisher
        result.resource.publisher = context.plain(.publisher, key: "publisher")
        if result.resource.publisher == nil {
            let candidates: [BibField]
            switch result.resource.type {
            case .thesis: candidates = [.institution, .school]
            case .report: candidates = [.institution, .organization]
            case .paperConference, .book: candidates = [.organization]
            case .software, .dataset: candidates = [.institution, .organization]
            default: candidates = []
            }
            for name in candidates where result.resource.publisher == nil {
                result.resource.publisher = context.plain(name, key: "publisher")
            }
        }
        result.resource.publisherPlace = context.preferred([.location, .address], key: "publisherPlace", rich: false,
            fresh: true)

        // Identifiers and links
        // (Values read in place: `context.field` copies the whole field.)
        if let doi = context[.doi] {
            let text = verbatim(doi)
            if let normalized = Identifiers.normalizeDOI(text) {
                result.resource.doi = normalized
                context.consume(.doi, key: "doi")
            } else if !text.isEmpty {
                context.diagnostics.append(
                    .warning(.bibtexInvalidDOI, "field 'doi' holds no DOI: '\(text)'", at: context.field(.doi)?.location,
                        field: "doi"))
            }
        }
        if let url = context[.url] {
            let text = verbatim(url)
            if !text.isEmpty {
                result.resource.url = text
                context.consume(.url, key: "url")
            }
        }
        if let howpublished = context[.howpublished] {
            let text = howpublished.bibTrimmed
            if text.hasPrefix("\\url{"), text.hasSuffix("}"), result.resource.url == nil {
                result.resource.url = verbatim(text)
                context.consume(.howpublished, key: "url")
            } else if text.hasPrefix("\\href"), result.resource.url == nil, result.resource.publisher == nil,
                let (link, label) = hrefParts(text)
            {
                // `\href{url}{text}`: the link and who published it.
                result.resource.url = link
                result.resource.publisher = label.isEmpty ? nil : label
                context.consume(.howpublished, key: "url")
            } else if result.resource.publisher == nil {
                result.resource.publisher = context.plain(.howpublished, key: "publisher")
            }
        }
        if result.resource.url == nil, let bibDesk = context[.bdskUrl1] {
            // BibDesk keeps the links of an entry in `bdsk-url-1`, `bdsk-url-2`…
            result.resource.url = verbatim(bibDesk)
            context.consume(.bdskUrl1, key: "url")
        }
        if let pmid = context[.pmid] {
            let text = verbatim(pmid)
            if Identifiers.isValidPMID(text) {
                result.resource.pmid = text
                context.consume(.pmid, key: "pmid")
            }
        }
        if let pmcid = context[.pmcid], let normalized = Identifiers.normalizePMCID(verbatim(pmcid)) {
            result.resource.pmcid = normalized
            context.consume(.pmcid, key: "pmcid")
        }
        if let eprint = context[.eprint], let eprintType = context[.eprinttype] {
            let text = verbatim(eprint)
            switch eprintType.bibTrimmed.lowercased() {
            case "pubmed", "pmid":
                if result.resource.pmid == nil, Identifiers.isValidPMID(text) {
                    result.resource.pmid = text
                    context.consume(.eprint, key: "pmid")
                    context.consume(.eprinttype)
                }
            case "pmc", "pmcid", "pubmedcentral":
                if result.resource.pmcid == nil, let normalized = Identifiers.normalizePMCID(text) {
                    result.resource.pmcid = normalized
                    context.consume(.eprint, key: "pmcid")
                    context.consume(.eprinttype)
                }
            case "doi":
                if result.resource.doi == nil, let normalized = Identifiers.normalizeDOI(text) {
                    result.resource.doi = normalized
                    context.consume(.eprint, key: "doi")
                    context.consume(.eprinttype)
                }
            default:
                break
            }
        }
        result.resource.isbn = context.list(.isbn, key: "isbn") { $0 }
        result.resource.issn = context.list(.issn, key: "issn") { Identifiers.normalizeISSN($0) ?? $0 }
        // `issn`/`isbn` are read verbatim (a `\r` in them is no ring accent).

        // Text
        result.resource.abstract = context.rich(.abstract, key: "abstract", paragraphs: true, fresh: true)
        result.resource.note = context.plain(.note, key: "note", paragraphs: true, fresh: true)
        result.resource.language = context.preferred([.language, .langid, .hyphenation], key: "language", rich: false,
            fresh: true)
        // `keyword` (JabRef, Mendeley) and `tags` (Calibre) hold keywords too when `keywords` is absent.
        // (The first present of the three, by position: no list of names made and no field copied per record.)
        let keywordsPosition = context.position(.keywords) ?? context.position(.keyword) ?? context.position(.tags)
        if let keywordsPosition {
            context.consume(at: keywordsPosition, key: "keywords", fresh: true)
            let keywords = splitList(entry.fields[keywordsPosition].value)
            result.resource.keywords.reserveCapacity(result.resource.keywords.count + keywords.count)
            for keyword in keywords {
                let text = LaTeXDecoder.decode(keyword, mode: .plain)
                // A keyword list is a set: a repeated keyword is kept once.
                guard !text.isEmpty, !result.resource.keywords.contains(text) else { continue }
                if Self.mayBeLibraryTag(text), LibraryTags.apply(text, to: &result.resource) { continue }
                result.resource.keywords.append(text)
            }
        }

        // The library's own fields
        // (Each list read in place: no key path into Resource, no key cut from the field's name per record.)
        readLibraryList(.smrlDomains, key: "domains", context: &context, into: &result.resource.domains)
        readLibraryList(.smrlTopics, key: "topics", context: &context, into: &result.resource.topics)
        readLibraryList(.smrlProfessions, key: "professions", context: &context, into: &result.resource.professions)
        if let value = context.plain(.smrlResourceType, key: "resourceType", fresh: true) {
            result.resource.resourceType = value
        }
        if let value = context[.smrlOpenAccess] {
            switch LaTeXDecoder.decode(value, mode: .plain).lowercased() {
            case "true", "yes", "1":
                result.resource.openAccess = true
                context.consume(.smrlOpenAccess, key: "openAccess")
            case "false", "no", "0":
                result.resource.openAccess = false
                context.consume(.smrlOpenAccess, key: "openAccess")
            default:
                break
            }
        }
        result.resource.description = context.plain(.smrlDescription, key: "description", paragraphs: true, fresh: true)
        if let id = context[.smrlId] {
            result.resource.id = verbatim(id)
            context.consume(.smrlId, key: "id")
        }

        // The entry type, when a writer would not choose it again.
        if entry.type != entryType(for: result.resource, dialect: .bibtex)
            || entry.type != entryType(for: result.resource, dialect: .biblatex)
        {
            result.resource.addExtra(format: format, field: typeKey, value: entry.type)
        }

        // Everything else is kept as written (inherited fields belong to their parent).
        // (By position: a `for field in` loop copies every field, retaining and releasing its strings.)
        for index in entry.fields.indices where !context.consumed[index] && !entry.fields[index].inherited {
            result.resource.addExtra(format: format, field: entry.fields[index].name,
                value: entry.fields[index].value.bibTrimmed)
        }
        // (The key's location goes in before the list is handed over: set on the copy, it would copy the list. The
        // resource is made in the result and changed there: a resource made in a variable of its own was copied into
        // the result at the return, `consume` refused, a retain and a release of every string it holds, 3.4M
        // instructions on 2,000 records.)
        if entry.key != nil { context.locations["id"] = entry.location }
        result.diagnostics = context.diagnostics
        result.fieldLocations = context.locations
        return result
    }

    /// One library list (`smrl-domains`…): its items decoded and added once each. `key` is the Resource key, the
    /// field's name without `smrl-`.
    private static func readLibraryList(_ name: BibField, key: String, context: inout MappingContext,
        into list: inout [String])
    {
        guard let position = context.position(name) else { return }
        context.consume(at: position, key: key, fresh: true)  // (domains, topics, professions: one each)
        let items = splitList(context.entry.fields[position].value)
        // (Room for every item at once: appended one by one to an empty list, it grew at each.)
        list.reserveCapacity(list.count + items.count)
        for item in items {
            let text = LaTeXDecoder.decode(item, mode: .plain)
            if !text.isEmpty, !list.contains(text) { list.append(text) }
        }
    }

    /// A cheap test before ``LibraryTags/apply(_:to:)``: does the keyword start with `smrl:` (any case)?
    /// (On the keyword's bytes: a lazy `drop` over its UTF-8 view cost some 300 instructions a keyword.)
    static func mayBeLibraryTag(_ keyword: String) -> Bool {
        var keyword = keyword
        return keyword.withUTF8 { bytes in
            var index = 0
            while index < bytes.count, bytes[index] == 0x20 { index += 1 }
            guard bytes.count - index >= 5 else { return false }
            // `smrl:`, each byte compared with 0x20 set, as before.
            return bytes[index] | 0x20 == 0x73 && bytes[index + 1] | 0x20 == 0x6D && bytes[index + 2] | 0x20 == 0x72
                && bytes[index + 3] | 0x20 == 0x6C && bytes[index + 4] | 0x20 == 0x3A
        }
    }

    /// Splits a keyword-style list: at `;` when the value has one at brace depth 0, else at `,`. Braced items keep
    /// their commas. Items are trimmed; empty items dropped.
    ///
    /// The list is split where its bytes are, with no array of them. A value whose ends are ASCII before and after
    /// the trim (the usual one) is trimmed in place: the ASCII white space off its ends is what
    /// ``StringProtocol/bibTrimmed`` takes there; any other is trimmed by `bibTrimmed` itself.
    static func splitList(_ value: String) -> [String] {
        var value = value
        let items: [String]? = value.withUTF8 { utf8 in
            guard let first = utf8.first, let last = utf8.last else { return [] }
            guard first < 0x80, last < 0x80 else { return nil }
            let bytes = trimmingASCIISpace(utf8[...])
            guard let head = bytes.first, let tail = bytes.last else { return [] }
            guard head < 0x80, tail < 0x80 else { return nil }
            return splitTrimmedList(bytes)
        }
        if let items { return items }
        var trimmed = value.bibTrimmed
        return trimmed.withUTF8 { splitTrimmedList($0[...]) }
    }

    /// ``splitList(_:)`` of the trimmed value's bytes.
    private static func splitTrimmedList(_ trimmed: Slice<UnsafeBufferPointer<UInt8>>) -> [String] {
        var bytes = trimmed
        // `{{a; b; c}}` (Web of Science): a list braced as a whole is still a list when `;` separates it.
        if let inner = BibTeXNames.wholeGroup(bytes), hasSeparator(inner, UInt8(ascii: ";")) {
            bytes = inner
        }
        let end = bytes.endIndex
        let separator = hasSeparator(bytes, UInt8(ascii: ";")) ? UInt8(ascii: ";") : UInt8(ascii: ",")
        var items: [String] = []
        // One array for the items: at most one more than the separators.
        var separators = 0
        for byte in bytes where byte == separator { separators += 1 }
        items.reserveCapacity(separators + 1)
        func add(_ range: Range<Int>) {
            // ASCII ends (the usual item): ``StringProtocol/bibTrimmed`` on the bytes, the same ASCII white space
            // taken off, and one string made; otherwise the string's own trim.
            var lower = range.lowerBound
            var upper = range.upperBound
            if lower < upper, bytes[lower] < 0x80, bytes[upper - 1] < 0x80 {
                while lower < upper, isTrimmedSpace(bytes[lower]) { lower += 1 }
                while upper > lower, isTrimmedSpace(bytes[upper - 1]) { upper -= 1 }
                if lower == upper { return }
                if bytes[lower] < 0x80, bytes[upper - 1] < 0x80 {
                    if bytes[lower] == UInt8(ascii: "{"), let inner = BibTeXNames.wholeGroup(bytes[lower..<upper]) {
                        if !inner.isEmpty { items.append(String(decoding: inner, as: UTF8.self)) }
                    } else {
                        items.append(String(decoding: bytes[lower..<upper], as: UTF8.self))
                    }
                    return
                }
            }
            var text = String(decoding: bytes[range], as: UTF8.self).bibTrimmed
            // One brace level around a whole item only protects its separators.
            // (``BibTeXNames/wholeGroup(_:)`` wants a `{` first: without one, no array of the bytes.)
            if text.utf8.first == UInt8(ascii: "{"), let inner = BibTeXNames.wholeGroup(Array(text.utf8)[...]) {
                text = String(decoding: inner, as: UTF8.self)
            }
            if !text.isEmpty { items.append(text) }
        }
        var start = bytes.startIndex
        var depth = 0
        var index = bytes.startIndex
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            if byte == separator && depth == 0 {
                add(start..<index)
                start = index + 1
            }
            index += 1
        }
        if start < end { add(start..<end) }
        return items
    }

    /// ASCII bytes without the white space ``StringProtocol/bibTrimmed`` takes off their ends (for ASCII text,
    /// the bytes of the trimmed string).
    static func trimmingASCIISpace(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var lower = bytes.startIndex
        var upper = bytes.endIndex
        while lower < upper, isTrimmedSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isTrimmedSpace(bytes[upper - 1]) { upper -= 1 }
        return bytes[lower..<upper]
    }

    /// The white space ``StringProtocol/bibTrimmed`` takes off ASCII ends.
    @inline(__always)
    private static func isTrimmedSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// True when `bytes` holds `separator` at brace depth 0.
    private static func hasSeparator<Bytes: RandomAccessCollection>(_ bytes: Bytes, _ separator: UInt8) -> Bool
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var depth = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            if byte == separator && depth == 0 { return true }
            index += 1
        }
        return false
    }

    /// A verbatim field (`url`, `doi`, `eprint`): trimmed, a `\url{…}` wrapper removed, and the escapes of
    /// BibTeX-era files (`\_`, `\%`, `\&`, `\#`, `\$`, `\~{}`) undone. Nothing else is decoded: `~` stays `~`.
    static func verbatim(_ value: String) -> String {
        var text = value.bibTrimmed
        // The usual value (a DOI, a URL, a number): ASCII with no backslash (so no wrapper and no escape) and no
        // line break, returned as it is. (A loop over the bytes: `utf8.allSatisfy` with a closure cost some 20
        // instructions a byte.)
        let usual = text.withUTF8 { bytes in
            for byte in bytes where byte >= 0x80 || byte == UInt8(ascii: "\\") || (byte >= 0x0A && byte <= 0x0D) {
                return false
            }
            return true
        }
        if usual { return text }
        return verbatimSlowly(text)
    }

    /// ``verbatim(_:)`` for any value: the general path, and the reference the fast path is tested against.
    static func verbatimSlowly(_ value: String) -> String {
        var text = value.bibTrimmed
        if text.contains(where: \.isNewline) {
            // A value broken over lines: the break and the indentation around it are one space.
            text = text.split(whereSeparator: \.isNewline).map { $0.bibTrimmed }.joined(separator: " ")
        }
        for wrapper in ["\\url{", "\\href{", "\\doi{"] where text.hasPrefix(wrapper) && text.hasSuffix("}") {
            text = String(text.dropFirst(wrapper.count).dropLast())
            if wrapper == "\\href{", let close = text.firstIndex(of: "}") { text = String(text[..<close]) }
        }
        guard text.bibContains("\\") else { return text }
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else {
                result.append(character)
                continue
            }
            guard let next = iterator.next() else {
                result.append(character)
                break
            }
            switch next {
            case "_", "%", "&", "#", "$", "{", "}": result.append(next)
            case "~":
                result.append("~")
                // `\~{}`
                var rest = iterator
                if rest.next() == "{", rest.next() == "}" { iterator = rest }
            default:
                result.append(character)
                result.append(next)
            }
        }
        return result
    }

    /// The URL and text of `\href{url}{text}` (spaces allowed between the arguments).
    static func hrefParts(_ text: String) -> (String, String)? {
        let bytes = Array(text.utf8)
        var groups: [String] = []
        var index = "\\href".utf8.count
        while groups.count < 2 {
            while index < bytes.count, BibTeXScanner.isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
            var depth = 0
            var end = index
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "{") { depth += 1 }
                if bytes[end] == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { break }
                }
                end += 1
            }
            guard end < bytes.count else { return nil }
            groups.append(String(decoding: bytes[(index + 1)..<end], as: UTF8.self))
            index = end + 1
        }
        while index < bytes.count, BibTeXScanner.isSpace(bytes[index]) { index += 1 }
        guard index == bytes.count else { return nil }
        return (verbatim(groups[0]), LaTeXDecoder.decode(groups[1], mode: .plain))
    }

    /// `text.split(separator: separator, maxSplits:)` (empty pieces dropped): over the UTF-8 bytes when the text is
    /// ASCII, where each Character but CR LF is one byte and no byte of CR LF is the (ASCII) separator, so the
    /// pieces are the same; over Characters otherwise.
    static func split(_ text: Substring, at separator: Character, maxSplits: Int = Int.max) -> [Substring] {
        guard let byte = separator.asciiValue else { return text.split(separator: separator, maxSplits: maxSplits) }
        var text = text
        let pieces: [Substring]? = text.withUTF8 { utf8 in
            guard LaTeXDecoder.isASCII(utf8) else { return nil }
            return utf8.split(separator: byte, maxSplits: maxSplits).map { Substring(String(decoding: $0, as: UTF8.self)) }
        }
        return pieces ?? text.split(separator: separator, maxSplits: maxSplits)
    }

    /// The items of an identifier list (`isbn`, `issn`): braces dropped, split at `,` and `;`, each trimmed.
    /// Over bytes for ASCII text, where a Character is one byte (or a CR LF, whose bytes are neither brace nor
    /// separator); over Characters otherwise.
    static func listItems(_ text: String) -> [String] {
        var text = text
        let fast: [String]? = text.withUTF8 { utf8 in
            guard LaTeXDecoder.isASCII(utf8) else { return nil }
            var items: [String] = []
            var piece: [UInt8] = []
            for byte in utf8 {
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") { continue }
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") {
                    if !piece.isEmpty { items.append(String(decoding: piece, as: UTF8.self).bibTrimmed) }
                    piece.removeAll(keepingCapacity: true)
                } else {
                    piece.append(byte)
                }
            }
            if !piece.isEmpty { items.append(String(decoding: piece, as: UTF8.self).bibTrimmed) }
            return items
        }
        return fast ?? listItemsSlowly(text)
    }

    /// ``listItems(_:)`` over Characters: the general path, and the reference the byte path is tested against.
    static func listItemsSlowly(_ text: String) -> [String] {
        String(text.filter { $0 != "{" && $0 != "}" }).split(whereSeparator: { $0 == "," || $0 == ";" })
            .map { $0.bibTrimmed }
    }

    /// Pages with a plain hyphen between first and last page: `--`, `–`, `—` and spaces around them collapse.
    static func normalizePages(_ pages: String) -> String {
        // The usual value (`123–456` once `--` is decoded): the same walk over bytes when the text is ASCII and
        // the dashes and no-break space the walk knows. Each Character is then one byte, a CR LF (two bytes that
        // are neither dash nor space, copied as the Character would be) or one of those scalars, which join no
        // neighbour into a cluster; any other byte above ASCII takes the Character walk.
        var pages = pages
        let fast: String? = pages.withUTF8 { utf8 in
            var result: [UInt8] = []
            result.reserveCapacity(utf8.count)
            var pendingSpace = false
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                var isDash = byte == UInt8(ascii: "-")
                var isSpace = byte == 0x20
                var length = 1
                if byte >= 0x80 {
                    if byte == 0xE2, index + 2 < utf8.count,
                        (utf8[index + 1] == 0x80 && (utf8[index + 2] == 0x93 || utf8[index + 2] == 0x94 || utf8[index + 2] == 0x90))
                            || (utf8[index + 1] == 0x88 && utf8[index + 2] == 0x92)
                    {
                        isDash = true  // – — ‐ −
                        length = 3
                    } else if byte == 0xC2, index + 1 < utf8.count, utf8[index + 1] == 0xA0 {
                        isSpace = true
                        length = 2
                    } else {
                        return nil
                    }
                }
                index += length
                if isDash {
                    if result.last != UInt8(ascii: "-") { result.append(UInt8(ascii: "-")) }
                    pendingSpace = false
                    continue
                }
                if isSpace {
                    pendingSpace = true
                    continue
                }
                if pendingSpace && result.last != UInt8(ascii: "-") && !result.isEmpty { result.append(0x20) }
                pendingSpace = false
                result.append(byte)
            }
            return String(decoding: result, as: UTF8.self)
        }
        return fast ?? normalizePagesSlowly(pages)
    }

    /// ``normalizePages(_:)`` for any text, over Characters: the general path, and the reference the byte path is
    /// tested against.
    static func normalizePagesSlowly(_ pages: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in pages {
            if character == "–" || character == "—" || character == "-" || character == "‐" || character == "−" {
                if result.last != "-" { result.append("-") }
                pendingSpace = false
                continue
            }
            if character == " " || character == "\u{00A0}" {
                pendingSpace = true
                continue
            }
            if pendingSpace && result.last != "-" && !result.isEmpty { result.append(" ") }
            pendingSpace = false
            result.append(character)
        }
        return result
    }

    // MARK: Months

    /// The month (1–12) and day in a `month` value: `6`, `06`, `jun`, `June`, `Jun.`, `June~15`, `15 June`.
    static func parseMonth(_ text: String) -> (month: Int, day: Int?)? {
        parseMonth(words: monthWords(text))
    }

    /// The lowercased words of a month value: runs of letters and digits. Over bytes for ASCII text (where a
    /// Character is a letter or a number exactly when its one byte is an ASCII letter or digit, and CR LF is
    /// neither); over Characters otherwise.
    static func monthWords(_ text: String) -> [String] {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        }
        var words: [String] = []
        var word: [UInt8] = []
        for byte in utf8 {
            let lowered = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if (lowered >= 0x61 && lowered <= 0x7A) || (lowered >= 0x30 && lowered <= 0x39) {
                word.append(lowered)
            } else if !word.isEmpty {
                words.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    static func parseMonth(words: [String]) -> (month: Int, day: Int?)? {
        guard !words.isEmpty, words.count <= 2 else { return nil }
        var month: Int?
        var day: Int?
        for word in words {
            if let number = Int(word) {
                if month == nil && words.count == 1 {
                    guard (1...12).contains(number) else { return nil }
                    month = number
                } else {
                    guard (1...31).contains(number), day == nil else { return nil }
                    day = number
                }
            } else if let index = monthIndex(word) {
                guard month == nil else { return nil }
                month = index
            } else {
                return nil
            }
        }
        guard let month else { return nil }
        return (month, day)
    }

    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    private static func monthIndex(_ word: String) -> Int? {
        guard word.count >= 3 else { return nil }
        if word == "sept" { return 9 }
        for (index, name) in monthNames.enumerated() where name.hasPrefix(word) { return index + 1 }
        return nil
    }

    /// The BibTeX month macros and the text BibTeX gives them.
    static let monthMacros: [String: String] = [
        "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
        "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
    ]

    /// The macro name of month 1–12.
    static func monthMacro(_ month: Int) -> String? {
        guard (1...12).contains(month) else { return nil }
        return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"][month - 1]
    }
}

/// The work of mapping one entry: which fields were used, where, and what went wrong.
private struct MappingContext {
    let entry: BibTeXEntry
    /// Which fields were used, by position in `entry.fields` (field names are unique in an entry).
    var consumed: Consumed
    var diagnostics: [Diagnostic] = []
    var locations = FieldLocationList()

    /// For each ``BibField`` (by raw value), 1 + the position of the first field that is it; 0 for none. Built
    /// once per entry (its fields are read once), so the mapping's many lookups are one read each.
    let firstPositions: SIMD64<UInt16>
    /// False for an entry too large for `firstPositions` (65,535 fields or more): lookups scan the fields.
    let indexed: Bool

    /// The used fields as flags by position.
    struct Consumed {
        var flags: [Bool]

        subscript(position: Int) -> Bool { flags[position] }
    }

    init(entry: BibTeXEntry) {
        self.entry = entry
        consumed = Consumed(flags: [Bool](repeating: false, count: entry.fields.count))
        locations.reserveCapacity(24)
        var firstPositions = SIMD64<UInt16>(repeating: 0)
        indexed = entry.fields.count < Int(UInt16.max)
        if indexed {
            // (By position: the fields are not copied, only their ``BibField`` read.)
            // (In the vector's bytes, lane n at byte 2n: its subscript cost some 30 instructions a field.)
            withUnsafeMutableBytes(of: &firstPositions) { lanes in
                for position in entry.fields.indices {
                    guard let known = entry.fields[position].known else { continue }
                    let offset = Int(known.rawValue & 63) &* 2  // (63 cases: every raw value is a lane)
                    if lanes.load(fromByteOffset: offset, as: UInt16.self) == 0 {
                        lanes.storeBytes(of: UInt16(position + 1), toByteOffset: offset, as: UInt16.self)
                    }
                }
            }
        }
        self.firstPositions = firstPositions
    }

    /// ``BibTeXEntry/position(_:)-(BibField)``, read from `firstPositions`.
    @inline(__always)
    func position(_ name: BibField) -> Int? {
        guard indexed else { return entry.position(name) }
        let stored = Int(firstPositions[Int(name.rawValue)])
        return stored == 0 ? nil : stored - 1
    }

    func field(_ name: BibField) -> BibTeXEntry.Field? {
        position(name).map { entry.fields[$0] }
    }

    func has(_ name: BibField) -> Bool {
        position(name) != nil
    }

    /// The value of the first field that is `name`, read in place (no copy of the whole field).
    subscript(name: BibField) -> String? {
        position(name).map { entry.fields[$0].value }
    }

    /// True when the first field that is `name` was used.
    func isConsumed(_ name: BibField) -> Bool {
        position(name).map { consumed[$0] } ?? false
    }

    /// Marks the first field that is `name` as not used (it goes to `extra`).
    mutating func unconsume(_ name: BibField) {
        if let position = self.position(name) { consumed.flags[position] = false }
    }

    /// `fresh`: the caller's key is recorded by no other call of the mapping (so it has no location yet, and
    /// the list is not searched for it; debug builds check).
    mutating func consume(_ name: BibField, key: String? = nil, fresh: Bool = false) {
        guard let position = self.position(name) else { return }
        consume(at: position, key: key, fresh: fresh)
    }

    /// ``consume(_:key:fresh:)`` of the field at `position` (the first with its name).
    mutating func consume(at position: Int, key: String? = nil, fresh: Bool = false) {
        consumed.flags[position] = true
        if let key, let location = entry.fields[position].location {
            // The first location of a key wins.
            if fresh {
                locations.appendNew(key, location)
            } else {
                locations.add(key, location)
            }
        }
    }

    mutating func rich(_ name: BibField, key: String, paragraphs: Bool = false, fresh: Bool = false) -> String? {
        guard let position = self.position(name) else { return nil }
        let text = LaTeXDecoder.decode(entry.fields[position].value, mode: .rich, paragraphs: paragraphs)
        consume(at: position, key: key, fresh: fresh)
        return text.isEmpty ? nil : text
    }

    mutating func plain(_ name: BibField, key: String, paragraphs: Bool = false, fresh: Bool = false) -> String? {
        guard let position = self.position(name) else { return nil }
        let text = LaTeXDecoder.decode(entry.fields[position].value, mode: .plain, paragraphs: paragraphs)
        consume(at: position, key: key, fresh: fresh)
        return text.isEmpty ? nil : text
    }

    /// The first present field of `names`; a later one with a different value stays for `extra`.
    mutating func preferredRaw(_ names: [BibField], key: String, fresh: Bool = false) -> BibTeXEntry.Field? {
        var found: (name: BibField, position: Int)?
        for name in names where found == nil {
            if let position = self.position(name) { found = (name, position) }
        }
        guard let (winnerName, position) = found else { return nil }
        let winner = entry.fields[position]
        consume(at: position, key: key, fresh: fresh)
        for name in names where name != winnerName {
            if let other = self.position(name), entry.fields[other].value.bibTrimmed == winner.value.bibTrimmed {
                consume(at: other)
            }
        }
        return winner
    }

    mutating func preferred(_ names: [BibField], key: String, rich: Bool, reportConflict: Bool = true,
        fresh: Bool = false) -> String?
    {
        guard let winner = preferredRaw(names, key: key, fresh: fresh) else { return nil }
        if reportConflict {
            for name in names where name != winner.known && !isConsumed(name) {
                if let other = self.field(name), !other.inherited, !winner.inherited {
                    diagnostics.append(
                        .note(.bibtexConflictingFields,
                            "'\(winner.name)' and '\(name.name)' differ; '\(winner.name)' is used and '\(name.name)' kept as an extra field",
                            at: other.location, field: key))
                }
            }
        }
        let text = LaTeXDecoder.decode(winner.value, mode: rich ? .rich : .plain)
        return text.isEmpty ? nil : text
    }

    mutating func list(_ name: BibField, key: String, normalize: (String) -> String) -> [String] {
        guard let position = self.position(name) else { return [] }
        consume(at: position, key: key, fresh: true)  // (each list key is read once: isbn, issn)
        return BibTeXMapping.listItems(BibTeXMapping.verbatim(entry.fields[position].value)).map(normalize)
            .filter { !$0.isEmpty }
    }

    mutating func names(_ name: BibField, key: String, resource: inout Resource) -> [Person] {
        // (By position: the field is not copied.)
        guard let position = self.position(name) else { return [] }
        consume(at: position, key: key, fresh: true)  // (each name key is read once: authors, editors, translators)
        let parsed = BibTeXNames.parse(entry.fields[position].value)
        for problem in parsed.problems {
            diagnostics.append(
                .warning(.bibtexInvalidName, "\(name.name): \(problem)", at: entry.fields[position].location, field: key))
        }
        if parsed.others {
            resource.addExtra(format: BibTeXMapping.format, field: BibTeXMapping.othersKey, value: name.name)
        }
        return parsed.people
    }

    /// biblatex data annotations `author+an:orcid = {1="0000-…"; 2="…"}`.
    mutating func applyORCIDs(_ name: BibField, to people: inout [Person]) {
        let annotation: BibField
        switch name {
        case .author: annotation = .authorAnOrcid
        case .editor: annotation = .editorAnOrcid
        case .translator: annotation = .translatorAnOrcid
        default: return  // (only the three name fields have annotations)
        }
        guard let field = self.field(annotation) else { return }
        var applied = false
        var value = field.value
        let asciiDone: Bool = value.withUTF8 { utf8 in
            // ASCII (ORCIDs and numbers): the same splits over the bytes, no Character walk.
            guard LaTeXDecoder.isASCII(utf8) else { return false }
            for item in utf8.split(separator: UInt8(ascii: ";")) {
                let parts = item.split(separator: UInt8(ascii: "="), maxSplits: 1)
                guard parts.count == 2,
                    let index = Int(String(decoding: BibTeXMapping.trimmingASCIISpace(parts[0]), as: UTF8.self)),
                    index >= 1, index <= people.count
                else { continue }
                // `bibTrimmed` and the quotes taken off on the bytes (ASCII: each byte is a Character of its own
                // here, a quote joining no other), one String made.
                var quoted = BibTeXMapping.trimmingASCIISpace(parts[1])
                if quoted.count >= 2, quoted.first == 0x22, quoted.last == 0x22 {
                    quoted = quoted.dropFirst().dropLast()
                }
                if let orcid = Identifiers.normalizeORCID(String(decoding: quoted, as: UTF8.self)) {
                    people[index - 1].orcid = orcid
                    applied = true
                }
            }
            return true
        }
        if asciiDone {
            if applied { consume(annotation) }
            return
        }
        for item in BibTeXMapping.split(field.value[...], at: ";") {
            let parts = BibTeXMapping.split(item, at: "=", maxSplits: 1)
            guard parts.count == 2, let index = Int(parts[0].bibTrimmed), index >= 1, index <= people.count
            else { continue }
            var value = parts[1].bibTrimmed
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            if let orcid = Identifiers.normalizeORCID(value) {
                people[index - 1].orcid = orcid
                applied = true
            }
        }
        if applied { consume(annotation) }
    }

    // MARK: Dates

    mutating func parseDate(_ raw: String, field: String) -> EDTFDate? {
        // The usual value, `YYYY-MM-DD` as written: read on its bytes (what the general path below gives it).
        if let date = BibTeXMapping.plainISODate(raw) { return date }
        // EDTF uses `~` for "approximate": read the value as it is, not as LaTeX.
        var text = BibTeXMapping.verbatim(raw).bibTrimmed
        // Older biblatex spellings of an open end (`1998/unknown`, `1999/open`), and ISO times, which EDTF level 1
        // dates do not carry.
        // (Each spelling has a '/', which no other character holds or composes from: a text without one is left.)
        for word in ["unknown", "open"] where text.utf8.contains(UInt8(ascii: "/")) {
            if text.hasSuffix("/" + word) { text = String(text.dropLast(word.count)) + ".." }
            if text.hasPrefix(word + "/") { text = ".." + String(text.dropFirst(word.count)) }
        }
        if text.bibContains("T") {
            text = text.split(separator: "/", omittingEmptySubsequences: false).map { point in
                point.split(separator: "T", maxSplits: 1).first.map(String.init) ?? String(point)
            }.joined(separator: "/")
        }
        guard !text.isEmpty else { return nil }
        if let date = EDTFDate(edtf: text) { return date }
        // biblatex accepts an open end written as a bare slash (`1988/`).
        if text.hasSuffix("/"), let date = EDTFDate(edtf: text + "..") { return date }
        if text.hasPrefix("/"), let date = EDTFDate(edtf: ".." + text) { return date }
        if let date = Self.yearDate(text) { return date }
        diagnostics.append(
            .warning(.bibtexInvalidDate, "'\(field)' has no date form: '\(text)'; kept as text",
                at: entry.field(field)?.location, field: field))
        return EDTFDate(literal: text)
    }

    /// A year, a year range (`1999--2001`, `1999/2001`) or nil.
    static func yearDate(_ text: String) -> EDTFDate? {
        // Bytes, not Characters: this runs for every entry.
        var bytes = Array(text.utf8)
        if let dash = bytes.firstIndex(of: 0xE2), dash + 2 < bytes.count, bytes[dash + 1] == 0x80, bytes[dash + 2] == 0x93 {
            bytes.replaceSubrange(dash...(dash + 2), with: [UInt8(ascii: "-")])  // en dash
        }
        func number(_ slice: ArraySlice<UInt8>) -> Int? {
            guard (1...4).contains(slice.count), slice.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return slice.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        if let year = number(bytes[...]) { return EDTFDate(year: year) }
        if bytes.first == UInt8(ascii: "-"), let year = number(bytes.dropFirst()) { return EDTFDate(year: -year) }
        for separator in [[UInt8(ascii: "-"), UInt8(ascii: "-")], [UInt8(ascii: "-")], [UInt8(ascii: "/")]] {
            guard let range = bytes.firstRange(of: separator) else { continue }
            let head = bytes[..<range.lowerBound]
            let tail = bytes[range.upperBound...]
            if head.count == 4, tail.count == 4, let first = number(head), let second = number(tail) {
                return EDTFDate(start: .init(year: first), end: .init(year: second))
            }
        }
        return nil
    }

    mutating func issued() -> EDTFDate? {
        // (By position: the fields are read in place, not copied.)
        let datePosition = position(.date)
        let yearPosition = position(.year)
        let monthPosition = position(.month)
        let dayPosition = position(.day)
        var fromParts: EDTFDate?
        var monthText: String?
        if let yearPosition {
            let text = LaTeXDecoder.decode(entry.fields[yearPosition].value, mode: .plain).bibTrimmed
            if let date = Self.yearDate(text) {
                fromParts = date
                if var point = date.start, !date.isInterval {
                    if let monthPosition {
                        monthText = LaTeXDecoder.decode(entry.fields[monthPosition].value, mode: .plain).bibTrimmed
                        if let (month, day) = BibTeXMapping.parseMonth(monthText ?? "") {
                            point.month = month
                            point.day = day
                            if let dayPosition,
                                let value = Int(LaTeXDecoder.decode(entry.fields[dayPosition].value, mode: .plain).bibTrimmed),
                                (1...31).contains(value)
                            {
                                point.day = value
                                consume(.day, key: "issued")
                            }
                            consume(.month, key: "issued")
                        } else if !(monthText ?? "").isEmpty {
                            diagnostics.append(
                                .warning(.bibtexInvalidDate, "month '\(monthText ?? "")' is not a month; kept as an extra field",
                                    at: entry.fields[monthPosition].location, field: "issued"))
                        }
                    }
                    fromParts = EDTFDate(year: point.year, month: point.month, day: point.day)
                }
            } else if !text.isEmpty {
                fromParts = EDTFDate(literal: text)
                if datePosition == nil {
                    diagnostics.append(
                        .note(.bibtexInvalidDate, "year '\(text)' is not a number; kept as text",
                            at: entry.fields[yearPosition].location, field: "issued"))
                }
            }
        }
        if let datePosition {
            consume(.date, key: "issued")
            let date = parseDate(entry.fields[datePosition].value, field: "date")
            // year/month that say the same as date are redundant; different ones are kept in extra.
            if let fromParts, let yearPosition {
                let agrees = fromParts.year == date?.year
                    && (fromParts.start?.month == nil || fromParts.start?.month == date?.start?.month)
                if agrees {
                    consume(.year)
                    if isConsumed(.month) || monthPosition == nil { consume(.month) }
                } else {
                    unconsume(.month)
                    unconsume(.day)
                    if !entry.fields[yearPosition].inherited {
                        diagnostics.append(
                            .note(.bibtexConflictingFields,
                                "'date' and 'year'/'month' differ; 'date' is used and the others kept as extra fields",
                                at: entry.fields[yearPosition].location, field: "issued"))
                    }
                }
            }
            return date
        }
        if yearPosition != nil {
            consume(.year, key: "issued")
            if fromParts == nil { return nil }
            return fromParts
        }
        if let pubstate = self.field(.pubstate) {
            let text = LaTeXDecoder.decode(pubstate.value, mode: .plain).bibTrimmed
            if let literal = BibTeXPubstate.literal(for: text) {
                consume(.pubstate, key: "issued")
                return EDTFDate(literal: literal)
            }
        }
        return nil
    }
}

/// biblatex `pubstate` keys that stand in for a date, and their text.
enum BibTeXPubstate {
    static let states: [(key: String, text: String)] = [
        ("inpress", "in press"), ("forthcoming", "forthcoming"), ("submitted", "submitted"),
        ("inpreparation", "in preparation"), ("prepublished", "prepublished"),
    ]

    static func literal(for key: String) -> String? {
        states.first { $0.key == key.lowercased() }?.text
    }

    static func key(for literal: String) -> String? {
        states.first { $0.text == literal.lowercased() }?.key
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension BibTeXMapping {
    /// `EDTFDate(edtf: text)` for a text that is exactly `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (ASCII digits; a month
    /// 01–12 or an EDTF season 21–24, a day 01–31 after a month 01–12), without the Character walk of the general
    /// parser; nil for any other text (white space, a sign, a qualifier, an interval…), which takes the general
    /// path. Such a text is its own ``verbatim(_:)`` and has no `/` and no `T`, so ``parseDate(_:field:)`` would
    /// hand it to `EDTFDate(edtf:)` unchanged.
    static func plainISODate(_ text: String) -> EDTFDate? {
        var text = text
        return text.withUTF8 { bytes -> EDTFDate? in
            let count = bytes.count
            guard count == 4 || count == 7 || count == 10 else { return nil }
            @inline(__always) func digit(_ index: Int) -> Int? {
                let value = Int(bytes[index]) &- 0x30
                return value >= 0 && value <= 9 ? value : nil
            }
            guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3) else { return nil }
            let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
            if count == 4 { return EDTFDate(year: year) }
            guard bytes[4] == UInt8(ascii: "-"), let m0 = digit(5), let m1 = digit(6) else { return nil }
            let month = m0 * 10 + m1
            guard (1...12).contains(month) || (21...24).contains(month) else { return nil }
            if count == 7 { return EDTFDate(year: year, month: month) }
            guard month <= 12, bytes[7] == UInt8(ascii: "-"), let d0 = digit(8), let d1 = digit(9) else { return nil }
            let day = d0 * 10 + d1
            guard (1...31).contains(day) else { return nil }
            return EDTFDate(year: year, month: month, day: day)
        }
    }
}
