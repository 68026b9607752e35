import SMRLCore
import SMRLXML

/// Builds resources from a `<ref>`: one per citation it holds (`element-citation`, `mixed-citation`, NLM
/// `citation` / `nlm-citation`), and one per `citation-alternatives` (its element-citation preferred, in the
/// article's language when there is a choice). Mixed citations contribute their tagged parts; the loose text
/// between them is read only for a DOI or PMID, and kept whole in `note` when nothing is tagged.
struct JATSReferenceMapping {
    let fileName: String
    let articleLanguage: String?

    private func location(_ element: XMLElementNode) -> SourceLocation {
        SourceLocation(file: fileName, line: element.line, column: element.column)
    }

    static let citationNames: Set<String> = ["element-citation", "mixed-citation", "citation", "nlm-citation"]

    /// U+0009–U+000D and U+0020: the ASCII scalars with Unicode's White_Space property (which `trimmingSpaces`
    /// removes).
    static func isASCIIWhiteSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    /// The loose text of a citation: each piece followed by a space.
    static func looseText(_ pieces: [String]) -> String {
        var text = ""
        for piece in pieces {
            text += piece
            text += " "
        }
        return text
    }

    /// `title.hasSuffix(": " + subtitle)`, settled on the bytes when they end alike and an ASCII byte comes before
    /// the `:` (then the `:` starts a Character, and the same bytes after it are the same Characters); otherwise by
    /// `hasSuffix` itself (its Unicode comparison also finds differently composed equal text).
    static func title(_ title: String, endsWithSubtitle subtitle: String) -> Bool {
        var suffix = ": " + subtitle
        var title = title
        let settled = title.withUTF8 { titleBytes in
            suffix.withUTF8 { suffixBytes in
                titleBytes.count > suffixBytes.count && titleBytes[titleBytes.count - suffixBytes.count - 1] < 0x80
                    && UnsafeBufferPointer(rebasing: titleBytes[(titleBytes.count - suffixBytes.count)...]).elementsEqual(suffixBytes)
            }
        }
        return settled || title.hasSuffix(suffix)
    }

    /// `text.utf8.allSatisfy(isASCIIWhiteSpace)`, on the string's bytes in place when it has them (a native string).
    static func isAllASCIIWhiteSpace(_ text: String) -> Bool {
        let answer = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where !isASCIIWhiteSpace(byte) { return false }
            return true
        }
        return answer ?? text.utf8.allSatisfy(isASCIIWhiteSpace)
    }

    /// Item types whose title is the article's and whose container is the source.
    static let journalLike: Set<ItemType> = [
        .articleJournal, .articleMagazine, .articleNewspaper, .paperConference, .review, .reviewBook, .article,
    ]

    /// What a `<ref>` yields, decided from its structure alone (cheap, and in document order); mapping each
    /// citation (``map(citation:id:label:)``) is the costly part, and needs nothing of the reader.
    enum Plan {
        /// No record: a warning says why.
        case unread([Diagnostic])
        /// A reference that holds only a note, already mapped.
        case mapped(JATSMapped)
        /// One record per citation, with its record id, and the ref's label.
        case citations([(citation: XMLElementNode, id: String?)], label: String?)
    }

    /// What one `<ref>` yields: one record per citation it holds; an empty ref yields a diagnostic and no record.
    func plan(ref: XMLElementNode) -> Plan {
        var citations: [XMLElementNode] = []
        for child in ref.elements {
            if Self.citationNames.contains(child.name) {
                citations.append(child)
            } else if child.name == "citation-alternatives", let chosen = choose(child) {
                citations.append(chosen)
            }
        }
        // An element-citation beside a mixed-citation of the same work (SciELO tags each reference both ways
        // without a citation-alternatives wrapper): one record, as for citation-alternatives.
        if citations.count > 1, Set(citations.map(\.name)).count > 1, let chosen = choose(ref) {
            citations = [chosen]
        }
        let id = ref.value("id")
        let label = ref.element("label")?.nonEmptyText
        if citations.isEmpty {
            if let note = ref.element("note"), let text = JATSText.paragraphs(note) {
                var resource = Resource(id: id, type: .document)
                resource.note = RichText.plainText(text)
                if let label { resource.addExtra(format: "jats", field: "label", value: label) }
                var mapped = JATSMapped(resource: resource)
                mapped.diagnostics.append(.note(.jatsUnstructuredCitation,
                    "reference \(id ?? label ?? "") has only a note; its text was kept in note", at: location(ref)))
                return .mapped(mapped)
            }
            return .unread([.warning(.jatsEmptyReference,
                "reference \(id.map { "'\($0)' " } ?? "")holds no citation and was not read", at: location(ref))])
        }
        var planned: [(citation: XMLElementNode, id: String?)] = []
        for citation in citations where citation.hasVisibleText {
            planned.append((citation, planned.isEmpty ? id : id.map { "\($0)-\(planned.count + 1)" }))
        }
        if planned.isEmpty {
            return .unread([.warning(.jatsEmptyReference,
                "reference \(id.map { "'\($0)' " } ?? "")has an empty citation and was not read", at: location(ref))])
        }
        return .citations(planned, label: label)
    }

    /// One planned citation of a `<ref>` as a record.
    func map(citation: XMLElementNode, id: String?, label: String?) -> JATSMapped {
        var mapped = map(citation: citation, id: id)
        if let label { mapped.resource.addExtra(format: "jats", field: "label", value: label) }
        return mapped
    }

    private func choose(_ alternatives: XMLElementNode) -> XMLElementNode? {
        let options = alternatives.elements.filter { Self.citationNames.contains($0.name) }
        func rank(_ element: XMLElementNode) -> Int {
            var score = element.name == "element-citation" ? 0 : element.name == "mixed-citation" ? 2 : 4
            if let articleLanguage, let language = element.language, language != articleLanguage { score += 1 }
            return score
        }
        return options.enumerated().min { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }?.element
    }

    /// What ``map(citation:id:)`` does with a child element of a citation, told by the element's name.
    enum CitationPart {
        case personGroup, person, etal, articleTitle, chapterTitle, dataTitle, source, partTitle, translated,
            volume, issue, edition, series, elocationID, publisherName, publisherLoc, institution, confName,
            extraText, pubID, isbn, issn, link, comment, annotation, dateInCitation, date, stringDate,
            ignored, other
    }

    /// The names ``citationPart(_:)`` knows; any other is ``CitationPart/other``.
    static let citationParts: [(String, CitationPart)] = [
        ("person-group", .personGroup), ("name", .person), ("string-name", .person), ("collab", .person),
        ("name-alternatives", .person), ("collab-alternatives", .person), ("anonymous", .person), ("etal", .etal),
        ("article-title", .articleTitle), ("chapter-title", .chapterTitle), ("data-title", .dataTitle),
        ("source", .source), ("part-title", .partTitle), ("trans-title", .translated), ("trans-source", .translated),
        ("volume", .volume), ("issue", .issue), ("edition", .edition), ("series", .series),
        ("elocation-id", .elocationID), ("publisher-name", .publisherName), ("publisher-loc", .publisherLoc),
        ("institution", .institution), ("institution-wrap", .institution), ("conf-name", .confName),
        ("pub-id", .pubID), ("isbn", .isbn), ("issn", .issn), ("ext-link", .link), ("uri", .link),
        ("comment", .comment), ("annotation", .annotation), ("date-in-citation", .dateInCitation), ("date", .date),
        ("string-date", .stringDate), ("fpage", .ignored), ("lpage", .ignored), ("page-range", .ignored),
        ("year", .ignored), ("month", .ignored), ("day", .ignored), ("season", .ignored), ("label", .ignored),
        ("conf-loc", .extraText), ("conf-date", .extraText), ("conf-sponsor", .extraText),
        ("conf-acronym", .extraText), ("version", .extraText), ("size", .extraText), ("patent", .extraText),
        ("std", .extraText), ("issue-title", .extraText), ("supplement", .extraText), ("gov", .extraText),
        ("role", .extraText), ("email", .extraText), ("issn-l", .extraText), ("volume-series", .extraText),
        ("issue-part", .extraText), ("object-id", .extraText)
    ]
    private static let citationPartTable = FastStringTable(citationParts.map(\.0))

    /// The part an element of this name is, found by its bytes in one table instead of string comparisons down
    /// a switch of some sixty names. The same answer as comparing Strings: the names are lowercase ASCII letters
    /// and hyphens, which no other sequence of Unicode scalars is canonically equivalent to.
    static func citationPart(_ name: String) -> CitationPart {
        citationPartTable.index(of: name).map { citationParts[$0].1 } ?? .other
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    func map(citation: XMLElementNode, id: String?) -> JATSMapped {
        var resource = Resource(id: id, type: .document)
        var out = JATSMapped(resource: resource)
        var annotations: [(String, [String])] = []
        let publicationType = citation.value("publication-type") ?? citation.value("citation-type")

        var articleTitle: XMLElementNode?
        var chapterTitle: XMLElementNode?
        var dataTitle: XMLElementNode?
        var source: XMLElementNode?
        var hasPublisher = false
        /// The pieces of the loose text, which is each of them followed by a space (see the end), and whether one of
        /// them holds "doi" or "pmid" (in any letter case).
        var loosePieces: [String] = []
        var looseHoldsDOI = false
        var looseHoldsPMID = false
        func addLoosePiece(_ piece: String, blank: Bool = false) {
            loosePieces.append(piece)
            guard !blank else { return }
            if !looseHoldsDOI && piece.containsASCIICaseInsensitive("doi") { looseHoldsDOI = true }
            if !looseHoldsPMID && piece.containsASCIICaseInsensitive("pmid") { looseHoldsPMID = true }
        }
        var directText = ""
        var tagged = 0

        func addPerson(_ person: Person, role: String) {
            switch role {
            case "author", "allauthors", "inventor":
                resource.authors.append(person)
            case "editor", "guest-editor":
                resource.editors.append(person)
            case "translator":
                resource.translators.append(person)
            case "transed":
                resource.translators.append(person)
                resource.editors.append(person)
            default:
                resource.addExtra(format: "jats", field: "person-group.\(role)", value: person.displayName)
            }
        }

        for child in citation.children {
            guard case .element(let element) = child else {
                if case .text(let text) = child {
                    // Only read for whether it holds more than white space: white space alone changes nothing.
                    let blank = Self.isAllASCIIWhiteSpace(text)
                    addLoosePiece(text, blank: blank)
                    if !blank { directText += text }
                }
                continue
            }
            tagged += 1
            switch Self.citationPart(element.name) {
            case .personGroup:
                let role = (element.value("person-group-type") ?? "author").lowercased()
                if out.fieldLocations["authors"] == nil && role == "author" { out.fieldLocations["authors"] = location(element) }
                for member in element.elements {
                    if member.name == "etal" {
                        resource.addExtra(format: "jats", field: "etal", value: role)
                    } else if let person = JATSNames.person(member, preferredLanguage: articleLanguage) {
                        addPerson(person, role: role)
                    }
                }
            case .person:
                if let person = JATSNames.person(element, preferredLanguage: articleLanguage) { addPerson(person, role: "author") }
            case .etal:
                resource.addExtra(format: "jats", field: "etal", value: "author")
            case .articleTitle:
                if articleTitle == nil { articleTitle = element }
            case .chapterTitle:
                if chapterTitle == nil { chapterTitle = element }
            case .dataTitle:
                if dataTitle == nil { dataTitle = element }
            case .source:
                if source == nil { source = element }
            case .partTitle:
                if let text = element.nonEmptyText { resource.addExtra(format: "jats", field: "part-title", value: text) }
            case .translated:
                if let text = element.nonEmptyText { resource.addExtra(format: "jats", field: element.name, value: text) }
            case .volume:
                resource.volume = resource.volume ?? element.nonEmptyText
            case .issue:
                resource.issue = resource.issue ?? element.nonEmptyText
            case .edition:
                resource.edition = resource.edition ?? element.nonEmptyText
            case .series:
                resource.collectionTitle = resource.collectionTitle ?? element.nonEmptyText
            case .elocationID:
                resource.articleNumber = resource.articleNumber ?? element.nonEmptyText
            case .publisherName:
                hasPublisher = true
                resource.publisher = resource.publisher ?? element.nonEmptyText
            case .publisherLoc:
                resource.publisherPlace = resource.publisherPlace ?? element.nonEmptyText
            case .institution:
                if let text = (element.element("institution") ?? element).nonEmptyText {
                    resource.addExtra(format: "jats", field: "institution", value: text)
                }
            case .confName:
                resource.event = resource.event ?? element.nonEmptyText
            case .extraText:
                if let text = element.nonEmptyText { resource.addExtra(format: "jats", field: element.name, value: text) }
            case .pubID:
                let type = element.value("pub-id-type")
                readIdentifier(element, type: type == "custom" ? element.value("custom-type") ?? type : type, into: &resource, out: &out)
            case .isbn:
                if let text = element.nonEmptyText { resource.isbn.append(text) }
            case .issn:
                if let text = element.nonEmptyText {
                    let value = Identifiers.normalizeISSN(text) ?? text
                    if !resource.issn.contains(value) { resource.issn.append(value) }
                }
            case .link:
                let link = (element.href ?? element.normalizedText).trimmingSpaces
                let type = element.value("ext-link-type")?.lowercased()
                if type == "doi" || (type == nil && link.lowercased().contains("doi.org/")) {
                    if resource.doi == nil, let doi = Identifiers.normalizeDOI(link) {
                        resource.doi = doi
                        out.fieldLocations["doi"] = location(element)
                        continue
                    }
                }
                if type == "pmid" || type == "pubmed" {
                    let digits = link.filter(\.isNumber)
                    if resource.pmid == nil, Identifiers.isValidPMID(digits) { resource.pmid = digits; continue }
                }
                if !link.isEmpty {
                    if resource.url == nil { resource.url = link } else { resource.addExtra(format: "jats", field: "uri", value: link) }
                }
            case .comment:
                let text = element.normalizedText
                if let doi = Identifiers.normalizeDOI(text), text.lowercased().contains("doi"), resource.doi == nil,
                    text.count < doi.count + 12
                {
                    resource.doi = doi
                } else if !text.isEmpty {
                    resource.note = resource.note.map { $0 + "; " + text } ?? text
                }
                addLoosePiece(text)
            case .annotation:
                let type = element.value("content-type") ?? ""
                let paragraphs = element.elements("p").map { JATSText.richText($0) }
                switch type {
                case "abstract": resource.abstract = paragraphs.joined(separator: "\n\n")
                case "keywords": resource.keywords += paragraphs.map(RichText.plainText)
                default:
                    if type.hasPrefix("smrl-") || type.hasPrefix("extra.") {
                        annotations.append((type, paragraphs))
                    } else if let text = JATSText.paragraphs(element) {
                        resource.addExtra(format: "jats", field: "annotation", value: text)
                    }
                }
            case .dateInCitation:
                let type = (element.value("content-type") ?? "access-date").lowercased()
                let parsed = element.value("iso-8601-date").flatMap(JATSDates.isoDate) ?? JATSDates.looseDate(element.normalizedText)
                if ["access-date", "accessed", "access", "cited", "date-accessed"].contains(type) {
                    resource.accessed = parsed
                    out.fieldLocations["accessed"] = location(element)
                } else {
                    resource.addExtra(format: "jats", field: "date-in-citation.\(type)", value: parsed.description)
                }
            case .date:
                if citation.element("year") == nil, resource.issued == nil {
                    let parsed = JATSDates.parse(element)
                    resource.issued = parsed.date
                    if let original = parsed.originalYear { resource.addExtra(format: "jats", field: "year", value: original) }
                }
            case .stringDate:
                if citation.element("year") == nil, resource.issued == nil, let text = element.nonEmptyText {
                    resource.issued = JATSDates.looseDate(text)
                }
            case .ignored:
                break
            default:
                // Inline formatting and unknown elements: part of the loose text.
                addLoosePiece(element.normalizedText)
                tagged -= 1
            }
        }

        // Pages.
        let first = citation.element("fpage")?.nonEmptyText
        let last = citation.element("lpage")?.nonEmptyText
        if let range = citation.element("page-range")?.nonEmptyText {
            resource.pages = range.replacingDashes
        } else if let first {
            resource.pages = last.map { $0 == first ? first : first.replacingDashes + "-" + $0 } ?? first.replacingDashes
        }

        // Publication date.
        if citation.element("year") != nil || citation.element("season") != nil {
            let parsed = JATSDates.parse(citation)
            resource.issued = parsed.date
            if let year = citation.element("year") { out.fieldLocations["issued"] = location(year) }
            if let original = parsed.originalYear { resource.addExtra(format: "jats", field: "year", value: original) }
            if let season = parsed.season { resource.addExtra(format: "jats", field: "season", value: season) }
            if let problem = parsed.problem {
                out.diagnostics.append(.note(.jatsUnparsedDate, problem, at: location(citation), field: "issued"))
            }
        }

        // Item type.
        var type: ItemType?
        if let publicationType {
            type = JATSVocabulary.itemType(forPublicationType: publicationType) ?? ItemType(lenient: publicationType)
            if type == nil && !JATSVocabulary.isGenericPublicationType(publicationType) {
                out.diagnostics.append(.note(.jatsUnknownPublicationType,
                    "publication-type '\(publicationType)' is not one smrl knows; the item type was inferred",
                    at: location(citation), field: "type"))
            }
        }
        if type == .book && (chapterTitle != nil || (articleTitle != nil && source != nil)) { type = .chapter }
        if type == nil {
            if chapterTitle != nil {
                type = .chapter
            } else if dataTitle != nil {
                type = .dataset
            } else if articleTitle != nil && source != nil {
                type = resource.event != nil ? .paperConference : .articleJournal
            } else if source != nil && (hasPublisher || !resource.isbn.isEmpty) {
                type = .book
            } else if resource.url != nil && source == nil && articleTitle == nil {
                type = .webpage
            }
        }
        resource.type = type ?? .document
        // The item type smrl's writer carried (a type JATS has no publication-type for: an event, a manuscript, a
        // periodical) decides where the title is, so it is taken before the titles.
        if let carried = annotations.last(where: { $0.0 == JATSExtension.Field.itemType.rawValue }),
            let carriedType = ItemType(lenient: RichText.plainText(carried.1.joined(separator: "\n\n")))
        {
            resource.type = carriedType
        }

        // Titles by type.
        let titleElement: XMLElementNode?
        var containerElement: XMLElementNode?
        if Self.journalLike.contains(resource.type) {
            titleElement = articleTitle ?? chapterTitle ?? dataTitle
            containerElement = source
        } else {
            titleElement = (resource.type == .chapter ? chapterTitle ?? articleTitle : articleTitle ?? chapterTitle)
                ?? dataTitle ?? source
            containerElement = titleElement == source ? nil : source
            if resource.type == .chapter && titleElement == source { containerElement = nil }
        }
        if let titleElement {
            resource.title = JATSText.richTextOrNil(titleElement)
            out.fieldLocations["title"] = location(titleElement)
        }
        if let containerElement {
            resource.containerTitle = JATSText.richTextOrNil(containerElement)
            out.fieldLocations["containerTitle"] = location(containerElement)
        }

        if let language = citation.language { resource.language = language }

        // Identifiers in the loose text of a mixed citation.
        // The loose text is read only for "doi" and "pmid", which hold no space: they are in it only when they are in
        // one of its pieces (not one of white space alone), and only then is it put together.
        let looseMatters = (resource.doi == nil && looseHoldsDOI) || (resource.pmid == nil && looseHoldsPMID)
        let looseText = looseMatters ? Self.looseText(loosePieces) : ""
        if resource.doi == nil, looseText.containsASCIICaseInsensitive("doi"), let doi = Identifiers.normalizeDOI(looseText) {
            resource.doi = doi
        }
        if resource.pmid == nil, let after = looseText.utf8OffsetAfterASCIICaseInsensitive("pmid") {
            // `PMID: 12345678`, `PMID 12345678`, `[PMID:12345678]`: only a separator between the label and the
            // digits (not `PMID not available. 2015`).
            let isDigit = { (byte: UInt8) in byte &- 0x30 < 10 }
            let isSeparator = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x3A || byte == 0x3D || byte == 0x23 }
            let digits = looseText.utf8.dropFirst(after).drop(while: isSeparator).prefix(while: isDigit)
            let pmid = String(decoding: digits, as: UTF8.self)
            if Identifiers.isValidPMID(pmid) { resource.pmid = pmid }
        }

        // smrl's own carried fields, after the authors they may refer to.
        for (name, paragraphs) in annotations {
            // The library tags and ORCIDs are one value per paragraph; everything else one value per annotation.
            let listValued = name == JATSExtension.libraryAnnotation || name == JATSExtension.Field.orcid.rawValue
            for value in listValued ? paragraphs : [paragraphs.joined(separator: "\n\n")]
            where !JATSExtension.apply(name: name, value: value, to: &resource) {
                resource.addExtra(format: "jats", field: "annotation.\(name)", value: value)
            }
        }
        if let subtitle = resource.subtitle, let title = resource.title, Self.title(title, endsWithSubtitle: subtitle) {
            resource.title = String(title.dropLast(subtitle.count + 2))
        }
        // The publication-type is kept when the writer would not give it back from the item type.
        if let publicationType, publicationType != JATSVocabulary.publicationType(for: resource.type),
            resource.extra["jats"]?["publication-type"] == nil
        {
            resource.addExtra(format: "jats", field: "publication-type", value: publicationType)
        }

        // Free text with nothing tagged that says what the work is: keep the whole text (and its year, when it
        // names exactly one).
        if tagged == 0 || (resource.title == nil && resource.containerTitle == nil && resource.authors.isEmpty
            && !directText.trimmingSpaces.isEmpty)
        {
            var visible = citation
            visible.children = citation.children.filter {
                if case .element(let element) = $0 { return element.name != "annotation" }
                return true
            }
            let text = XMLText.collapsingWhitespace(visible.textContent)
            if resource.issued == nil {
                let years = Set(JATSDates.plausibleYears(in: text))
                if years.count == 1, let year = years.first { resource.issued = EDTFDate(year: year) }
            }
            if !text.isEmpty {
                resource.note = text
                out.diagnostics.append(.note(.jatsUnstructuredCitation,
                    "the citation has no tagged title, source or authors; its text was kept in note",
                    at: location(citation)))
            }
        }
        out.resource = resource
        return out
    }

    private func readIdentifier(_ element: XMLElementNode, type: String?, into resource: inout Resource, out: inout JATSMapped) {
        guard let text = element.nonEmptyText else { return }
        let kind = (type ?? "other").lowercased()
        switch kind {
        case "doi":
            if resource.doi == nil, let doi = Identifiers.normalizeDOI(text) {
                resource.doi = doi
                out.fieldLocations["doi"] = location(element)
                return
            }
            if resource.doi == nil {
                out.diagnostics.append(.note(.jatsMalformedIdentifier, "DOI '\(text)' has no DOI shape", at: location(element), field: "doi"))
            }
        case "pmid", "medline", "pubmed":
            let digits = text.filter(\.isNumber)
            if resource.pmid == nil, Identifiers.isValidPMID(digits) {
                resource.pmid = digits
                out.fieldLocations["pmid"] = location(element)
                return
            }
        case "pmcid", "pmc":
            if resource.pmcid == nil, let pmcid = Identifiers.normalizePMCID(text) {
                resource.pmcid = pmcid
                return
            }
        case "isbn":
            resource.isbn.append(text)
            return
        default:
            break
        }
        resource.addExtra(format: "jats", field: "pub-id.\(kind)", value: text)
    }
}
