import SMRLCore
import SMRLXML

/// What a record built from JATS markup carries besides the resource: problems and where fields start.
struct JATSMapped {
    var resource: Resource
    var diagnostics: [Diagnostic] = []
    var fieldLocations = FieldLocationList()
}

/// The journal an article appeared in, inherited by its sub-articles.
struct JATSJournal {
    var title: String?
    var abbreviation: String?
    var issn: [String] = []
    var electronicISSN: [String] = []
    var publisher: String?
    var publisherPlace: String?
    var journalIDs: [(type: String, value: String)] = []
}

/// Builds a ``Resource`` from an article's `<front>` (or a sub-article's `<front-stub>`).
///
/// Publication date preference (`issued`): the print date (`pub-type="ppub"`/`"epub-ppub"`, or
/// `date-type="pub"` with `publication-format="print"`), else the issue date (`pub-type`/`date-type`
/// `"collection"`), else the electronic date (`pub-type="epub"`, or `date-type="pub"` with
/// `publication-format="electronic"`), else an untyped or other `pub-date`. When the chosen date is less precise
/// than another date of the same year (a collection year beside an epub day), the more precise one is used.
/// The other dates are kept in `extra["jats"]["pub-date.<kind>"]` (EDTF), the kind of the chosen one in
/// `extra["jats"]["issued-pub-date"]`.
struct JATSArticleMapping {
    let fileName: String
    let articleAttributes: [XMLAttribute]
    let parentJournal: JATSJournal?
    let parentLanguage: String?

    private func location(_ element: XMLElementNode) -> SourceLocation {
        SourceLocation(file: fileName, line: element.line, column: element.column)
    }

    private func attribute(_ name: String) -> String? {
        articleAttributes.first { $0.name == name && ($0.prefix == nil || name == "lang") }?.value.trimmingSpaces
    }

    func map(front: XMLElementNode) -> (JATSMapped, JATSJournal) {
        var resource = Resource(type: .articleJournal)
        var out = JATSMapped(resource: resource)
        var journal = parentJournal ?? JATSJournal()

        if let journalMeta = front.element("journal-meta") {
            journal = readJournal(journalMeta)
        }
        resource.containerTitle = journal.title
        resource.containerTitleShort = journal.abbreviation
        resource.issn = journal.issn + journal.electronicISSN.filter { !journal.issn.contains($0) }
        if !journal.electronicISSN.isEmpty { resource.extra["jats", default: [:]]["issn.electronic"] = journal.electronicISSN }
        resource.publisher = journal.publisher
        resource.publisherPlace = journal.publisherPlace
        for (type, value) in journal.journalIDs { resource.addExtra(format: "jats", field: "journal-id.\(type)", value: value) }

        let articleType = attribute("article-type")
        resource.type = JATSVocabulary.itemType(forArticleType: articleType)

        let language = attribute("lang") ?? parentLanguage
        if let language { resource.language = language }

        // A front-stub holds the article-meta children directly.
        let meta = front.element("article-meta") ?? front
        readArticleMeta(meta, into: &resource, out: &out)
        // Kept when the writer would not give it back from the item type (known only after custom-meta).
        if let articleType, articleType != JATSVocabulary.articleType(for: resource.type) {
            resource.addExtra(format: "jats", field: "article-type", value: articleType)
        }
        out.resource = resource
        if resource.title == nil {
            out.diagnostics.append(.warning(.jatsMissingTitle, "the article has no title", at: location(meta), field: "title"))
        }
        return (out, journal)
    }

    private func readJournal(_ meta: XMLElementNode) -> JATSJournal {
        var journal = JATSJournal()
        let titleGroup = meta.element("journal-title-group")
        journal.title = JATSText.richTextOrNil(titleGroup?.element("journal-title") ?? meta.element("journal-title"))
        let abbreviations = (titleGroup?.elements("abbrev-journal-title") ?? []) + meta.elements("abbrev-journal-title")
        var ids: [(String, String)] = []
        for id in meta.elements("journal-id") {
            guard let value = id.nonEmptyText else { continue }
            ids.append((id.value("journal-id-type") ?? "other", value))
        }
        journal.journalIDs = ids
        journal.abbreviation = abbreviations.first { ["pubmed", "nlm-ta", "iso-abbrev"].contains($0.value("abbrev-type") ?? "") }?.nonEmptyText
            ?? abbreviations.first?.nonEmptyText
            ?? ids.first { $0.0 == "nlm-ta" || $0.0 == "iso-abbrev" }?.1
        for issn in meta.elements("issn") {
            guard let text = issn.nonEmptyText else { continue }
            let value = Identifiers.normalizeISSN(text) ?? text
            let kind = (issn.value("pub-type") ?? issn.value("publication-format") ?? "").lowercased()
            if kind == "epub" || kind == "electronic" || kind == "online" {
                if !journal.electronicISSN.contains(value) { journal.electronicISSN.append(value) }
            } else if !journal.issn.contains(value) {
                journal.issn.append(value)
            }
        }
        if let publisher = meta.element("publisher") {
            journal.publisher = publisher.element("publisher-name")?.nonEmptyText
            journal.publisherPlace = publisher.element("publisher-loc")?.nonEmptyText
        }
        return journal
    }

    private func readArticleMeta(_ meta: XMLElementNode, into resource: inout Resource, out: inout JATSMapped) {
        // Identifiers.
        for id in meta.elements("article-id") {
            guard let text = id.nonEmptyText else { continue }
            let type = (id.value("pub-id-type") ?? "other").lowercased()
            switch type {
            case "doi":
                if resource.doi == nil, let doi = Identifiers.normalizeDOI(text) {
                    resource.doi = doi
                    out.fieldLocations["doi"] = location(id)
                } else if resource.doi == nil {
                    resource.addExtra(format: "jats", field: "article-id.doi", value: text)
                    out.diagnostics.append(.warning(.jatsMalformedIdentifier, "DOI '\(text)' has no DOI shape", at: location(id), field: "doi"))
                }
            case "pmid":
                let digits = text.filter(\.isNumber)
                if resource.pmid == nil, Identifiers.isValidPMID(digits) {
                    resource.pmid = digits
                    out.fieldLocations["pmid"] = location(id)
                } else {
                    resource.addExtra(format: "jats", field: "article-id.pmid", value: text)
                }
            case "pmc", "pmcid":
                if resource.pmcid == nil, let pmcid = Identifiers.normalizePMCID(text) {
                    resource.pmcid = pmcid
                    out.fieldLocations["pmcid"] = location(id)
                } else {
                    resource.addExtra(format: "jats", field: "article-id.\(type)", value: text)
                }
            case "publisher-id":
                if resource.id == nil { resource.id = text } else { resource.addExtra(format: "jats", field: "article-id.publisher-id", value: text) }
            default:
                resource.addExtra(format: "jats", field: "article-id.\(type)", value: text)
            }
        }

        // Subjects: what the article is about become keywords; headings stay in extra.
        if let categories = meta.element("article-categories") {
            for group in categories.descendants("subj-group") {
                let type = group.value("subj-group-type") ?? "subject"
                for subject in group.elements("subject") {
                    guard let text = subject.nonEmptyText else { continue }
                    resource.addExtra(format: "jats", field: "subject.\(type)", value: text)
                    if !JATSVocabulary.headingSubjectGroups.contains(type.lowercased()), !resource.keywords.contains(text) {
                        resource.keywords.append(text)
                    }
                }
            }
        }

        // Titles.
        if let group = meta.element("title-group") {
            if let title = group.element("article-title") {
                resource.title = JATSText.richTextOrNil(title)
                out.fieldLocations["title"] = location(title)
            }
            resource.subtitle = JATSText.richTextOrNil(group.element("subtitle"))
            let alternatives = group.elements("alt-title")
            resource.shortTitle = (alternatives.first { ["short", "running-head", "running-title"].contains($0.value("alt-title-type") ?? "") }
                ?? alternatives.first).flatMap { JATSText.richTextOrNil($0) }.map(RichText.plainText)
            for translated in group.descendants("trans-title") {
                if let text = JATSText.richTextOrNil(translated) { resource.addExtra(format: "jats", field: "trans-title", value: text) }
            }
        }

        // Contributors.
        for group in meta.elements("contrib-group") {
            for contrib in group.elements("contrib") {
                readContributor(contrib, into: &resource, out: &out)
            }
        }

        // Dates.
        readPublicationDates(meta.elements("pub-date"), into: &resource, out: &out)
        if let history = meta.element("history") {
            for date in history.elements("date") {
                let parsed = JATSDates.parse(date)
                if let value = parsed.date {
                    resource.addExtra(format: "jats", field: "history.\(date.value("date-type") ?? "date")", value: value.description)
                }
            }
        }

        // Volume, issue, pages.
        resource.volume = meta.element("volume")?.nonEmptyText
        resource.issue = meta.element("issue")?.nonEmptyText
        for isbn in meta.elements("isbn") { if let text = isbn.nonEmptyText { resource.isbn.append(text) } }
        let first = meta.element("fpage")?.nonEmptyText
        let last = meta.element("lpage")?.nonEmptyText
        if let range = meta.element("page-range")?.nonEmptyText {
            resource.pages = range.replacingDashes
        } else if let first {
            resource.pages = last.map { $0 == first ? first : first + "-" + $0 } ?? first
        }
        resource.articleNumber = meta.element("elocation-id")?.nonEmptyText

        // Permissions and open access.
        if let permissions = meta.element("permissions") {
            readPermissions(permissions, into: &resource)
        }

        // Links.
        for uri in meta.elements("self-uri") {
            guard let link = uri.href?.trimmingSpaces ?? uri.nonEmptyText, !link.isEmpty else { continue }
            let type = uri.value("content-type")?.lowercased()
            if resource.url == nil && (type == nil || type == "html" || type == "text/html" || type == "landing-page") {
                resource.url = link
                out.fieldLocations["url"] = location(uri)
            } else {
                resource.addExtra(format: "jats", field: "self-uri.\(type ?? "other")", value: link)
            }
        }

        // Abstracts.
        for abstract in meta.elements("abstract") {
            let type = (abstract.value("abstract-type") ?? "").lowercased()
            guard let text = JATSText.paragraphs(abstract) else { continue }
            if type == "smrl-description" {
                resource.description = text
            } else if resource.abstract == nil && JATSVocabulary.mainAbstractTypes.contains(type) {
                resource.abstract = text
                out.fieldLocations["abstract"] = location(abstract)
            } else {
                resource.addExtra(format: "jats", field: "abstract.\(type.isEmpty ? "other" : type)", value: text)
            }
        }
        for abstract in meta.elements("trans-abstract") {
            if let text = JATSText.paragraphs(abstract) { resource.addExtra(format: "jats", field: "trans-abstract", value: text) }
        }

        // Keywords and the library's own fields.
        for group in meta.elements("kwd-group") {
            readKeywordGroup(group, into: &resource, out: &out)
        }

        // Conference.
        if let conference = meta.element("conference") {
            resource.event = conference.element("conf-name")?.nonEmptyText
            if let place = conference.element("conf-loc")?.nonEmptyText { resource.addExtra(format: "jats", field: "conf-loc", value: place) }
            if let date = conference.element("conf-date")?.nonEmptyText { resource.addExtra(format: "jats", field: "conf-date", value: date) }
        }

        // Custom metadata: smrl's own fields, then anything else.
        var customValues: [(name: String, value: String)] = []
        for group in meta.elements("custom-meta-group") {
            for custom in group.elements("custom-meta") {
                guard let name = custom.element("meta-name")?.nonEmptyText else { continue }
                let value = custom.element("meta-value").flatMap { JATSText.richTextOrNil($0) } ?? ""
                // smrl writes the further paragraphs of a value as continuations.
                if custom.value("specific-use") == JATSExtension.continuation, let last = customValues.last, last.name == name {
                    customValues[customValues.count - 1].value = last.value + "\n\n" + value
                } else {
                    customValues.append((name, value))
                }
            }
        }
        for (name, value) in customValues where !JATSExtension.apply(name: name, value: value, to: &resource) {
            resource.addExtra(format: "jats", field: "custom-meta.\(name)", value: value)
        }
        if resource.openAccess == nil, let inferred = inferredOpenAccess(resource) { resource.openAccess = inferred }
    }

    private func readContributor(_ contrib: XMLElementNode, into resource: inout Resource, out: inout JATSMapped) {
        let type = (contrib.value("contrib-type") ?? "author").lowercased().replacingOccurrences("_", "-")
        let nameElement = contrib.elements.first { ["name", "string-name", "name-alternatives", "collab", "collab-alternatives", "anonymous"].contains($0.name) }
        guard let nameElement, var person = JATSNames.person(nameElement, preferredLanguage: resource.language) else { return }
        for id in contrib.elements("contrib-id") where (id.value("contrib-id-type") ?? "").lowercased() == "orcid" {
            if let text = id.nonEmptyText, let orcid = JATSNames.orcid(text) { person.orcid = orcid }
        }
        if person.orcid == nil {
            for uri in contrib.elements("uri") + contrib.elements("ext-link") {
                let text = uri.href ?? uri.normalizedText
                if text.contains("orcid.org"), let orcid = JATSNames.orcid(text) { person.orcid = orcid }
            }
        }
        switch type {
        case "author", "co-author", "autor", "contributor", "collab", "group-author":
            if out.fieldLocations["authors"] == nil { out.fieldLocations["authors"] = location(contrib) }
            resource.authors.append(person)
        case "editor", "guest-editor", "series-editor", "section-editor", "academic-editor", "reviewing-editor",
            "senior-editor", "editor-in-chief":
            resource.editors.append(person)
        case "translator":
            resource.translators.append(person)
        default:
            resource.addExtra(format: "jats", field: "contrib.\(type)", value: person.displayName)
        }
    }

    private enum DateKind: Int, Comparable {
        case print = 0, collection, electronic, untyped, other
        static func < (a: DateKind, b: DateKind) -> Bool { a.rawValue < b.rawValue }
    }

    private func kind(of pubDate: XMLElementNode) -> (DateKind, String) {
        if let pubType = pubDate.value("pub-type")?.lowercased() {
            switch pubType {
            case "ppub", "epub-ppub", "print": return (.print, pubType)
            case "collection": return (.collection, pubType)
            case "epub", "epub-original", "electronic": return (.electronic, pubType)
            default: return (.other, pubType)
            }
        }
        let dateType = pubDate.value("date-type")?.lowercased()
        let format = pubDate.value("publication-format")?.lowercased()
        let label = [dateType, format].compactMap { $0 }.joined(separator: "/")
        // `pub` is JATS 1.1+'s value; eLife writes `publication`, JATS4R's history examples `version-of-record`.
        let isPublication = dateType == nil || ["pub", "publication", "published", "version-of-record", "vor"].contains(dateType ?? "")
        if dateType == "collection" { return (.collection, label) }
        guard isPublication else { return (.other, label) }
        switch format {
        case "print", "ppub": return (.print, label)
        case "electronic", "online", "epub": return (.electronic, label)
        default: return (.untyped, label.isEmpty ? "pub" : label)
        }
    }

    private func readPublicationDates(_ dates: [XMLElementNode], into resource: inout Resource, out: inout JATSMapped) {
        var candidates: [(kind: DateKind, label: String, date: EDTFDate, element: XMLElementNode)] = []
        for pubDate in dates {
            let (kind, label) = kind(of: pubDate)
            let parsed = JATSDates.parse(pubDate)
            if let problem = parsed.problem {
                out.diagnostics.append(.warning(.jatsUnparsedDate, problem, at: location(pubDate), field: "issued"))
            }
            if let season = parsed.season { resource.addExtra(format: "jats", field: "season", value: season) }
            guard let date = parsed.date else { continue }
            candidates.append((kind, label, date, pubDate))
        }
        guard !candidates.isEmpty else { return }
        let ordered = candidates.enumerated().sorted { ($0.element.kind, $0.offset) < ($1.element.kind, $1.offset) }.map(\.element)
        var chosen = ordered[0]
        func precision(_ date: EDTFDate) -> Int {
            guard let start = date.start, !date.isInterval else { return 0 }
            return start.day != nil ? 3 : (start.month.map { $0 <= 12 } ?? false) ? 2 : 1
        }
        if precision(chosen.date) < 3 {
            let better = ordered.first {
                $0.date.year == chosen.date.year && precision($0.date) > precision(chosen.date) && $0.kind != .other
            }
            if let better, chosen.kind != .print { chosen = better }
        }
        resource.issued = chosen.date
        out.fieldLocations["issued"] = location(chosen.element)
        if chosen.label != "pub" { resource.addExtra(format: "jats", field: "issued-pub-date", value: chosen.label) }
        for candidate in candidates where candidate.element != chosen.element {
            resource.addExtra(format: "jats", field: "pub-date.\(candidate.label)", value: candidate.date.description)
        }
    }

    private func readPermissions(_ permissions: XMLElementNode, into resource: inout Resource) {
        for name in ["copyright-statement", "copyright-year", "copyright-holder"] {
            for element in permissions.elements(name) {
                if let text = element.nonEmptyText { resource.addExtra(format: "jats", field: name, value: text) }
            }
        }
        for child in permissions.elements {
            switch child.name {
            case "license":
                if let type = child.value("license-type") { resource.addExtra(format: "jats", field: "license-type", value: type) }
                if let link = child.href?.trimmingSpaces, !link.isEmpty {
                    resource.addExtra(format: "jats", field: "license", value: link)
                }
                for reference in child.elements("license_ref") {
                    if let link = reference.nonEmptyText, !(resource.extra["jats"]?["license"] ?? []).contains(link) {
                        resource.addExtra(format: "jats", field: "license", value: link)
                    }
                }
                for paragraph in child.elements("license-p") {
                    if let text = JATSText.richTextOrNil(paragraph) { resource.addExtra(format: "jats", field: "license-p", value: text) }
                }
            case "license_ref":
                if let link = child.nonEmptyText, !(resource.extra["jats"]?["license"] ?? []).contains(link) {
                    resource.addExtra(format: "jats", field: "license", value: link)
                }
            case "free_to_read":
                resource.openAccess = true
                let start = child.value("start_date")
                let end = child.value("end_date")
                if start != nil || end != nil {
                    resource.addExtra(format: "jats", field: "free-to-read", value: (start ?? "") + "/" + (end ?? ""))
                }
            default:
                break
            }
        }
    }

    /// Open access from the license when nothing says it directly: an open-access license type or a Creative
    /// Commons / public-domain license.
    private func inferredOpenAccess(_ resource: Resource) -> Bool? {
        let jats = resource.extra["jats"] ?? [:]
        let types = (jats["license-type"] ?? []).map { $0.lowercased() }
        if types.contains(where: { $0.contains("open") || $0.hasPrefix("cc") || $0 == "free" }) { return true }
        let links = (jats["license"] ?? []).map { $0.lowercased() }
        if links.contains(where: { $0.contains("creativecommons.org") || $0.contains("publicdomain") }) { return true }
        return nil
    }

    private func readKeywordGroup(_ group: XMLElementNode, into resource: inout Resource, out: inout JATSMapped) {
        let type = group.value("kwd-group-type")
        var values: [String] = []
        for keyword in group.elements {
            switch keyword.name {
            case "kwd":
                if let text = JATSText.richTextOrNil(keyword) { values.append(RichText.plainText(text)) }
            case "compound-kwd":
                let parts = keyword.elements("compound-kwd-part").compactMap(\.nonEmptyText)
                if !parts.isEmpty { values.append(parts.joined(separator: " — ")) }
            case "nested-kwd":
                values += keyword.descendants("kwd").compactMap(\.nonEmptyText)
            default:
                break
            }
        }
        if let unstructured = group.element("unstructured-kwd-group")?.nonEmptyText {
            values += unstructured.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        }
        if let field = JATSExtension.libraryField(forKeywordGroupType: type) {
            if out.fieldLocations[field.resourceKey] == nil { out.fieldLocations[field.resourceKey] = location(group) }
            for value in values { LibraryTags.apply(LibraryTags.tag(field, value), to: &resource) }
            return
        }
        if out.fieldLocations["keywords"] == nil { out.fieldLocations["keywords"] = location(group) }
        for value in values {
            if LibraryTags.apply(value, to: &resource) { continue }
            if let type, !type.isEmpty, type.lowercased() != "author" && type.lowercased() != "author-keywords" {
                resource.addExtra(format: "jats", field: "kwd-group.\(type)", value: value)
            }
            if !resource.keywords.contains(value) { resource.keywords.append(value) }
        }
    }
}

extension LibraryTags.Field {
    /// The ``Resource`` key the field fills.
    var resourceKey: String {
        switch self {
        case .domain: return "domains"
        case .topic: return "topics"
        case .profession: return "professions"
        case .resourceType: return "resourceType"
        case .openAccess: return "openAccess"
        }
    }
}

extension String {
    /// The string with every `target` character replaced.
    func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }

    /// En and em dashes between page numbers become hyphens: `123–45` → `123-45`.
    var replacingDashes: String {
        String(map { $0 == "–" || $0 == "—" || $0 == "‐" || $0 == "‑" ? "-" : $0 })
    }
}
