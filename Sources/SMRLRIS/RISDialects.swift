import SMRLCore

/// Helpers shared by the interpreters of the non-RIS tag tables.
extension RecordBuilder {
    /// Sets a string field from a value when it is still empty; keeps a differing later value in extra.
    mutating func set(_ keyPath: WritableKeyPath<Resource, String?>, _ key: RISKey, _ value: String, _ field: RISField)
    {
        guard !value.isEmpty else { return }
        if resource[keyPath: keyPath] == nil {
            resource[keyPath: keyPath] = value
            mark(key, field)
        } else if resource[keyPath: keyPath] != value {
            keep(field.tag, value)
        }
    }

    /// Adds ISSNs/ISBNs found in a value; what has neither shape is kept.
    mutating func addSerials(_ value: String, _ field: RISField) {
        let (issns, isbns, rest) = RISValues.serialNumbers(value)
        for issn in issns where !resource.issn.contains(issn) { resource.issn.append(issn) }
        for isbn in isbns where !resource.isbn.contains(isbn) { resource.isbn.append(isbn) }
        if !issns.isEmpty { mark(.issn, field) }
        if !isbns.isEmpty { mark(.isbn, field) }
        for piece in rest { keep(field.tag, piece) }
    }

    /// Sets the DOI from a value that carries one (a bare DOI, a doi.org link, `10.x/y [doi]`).
    @discardableResult
    mutating func setDOI(_ value: String, _ field: RISField) -> Bool {
        var text = value
        if text.hasSuffix("[doi]") { text = String(text.dropLast(5)) }
        guard let doi = RISValues.standaloneDOI(text) ?? RISValues.doiFromDOTag(text) else { return false }
        if resource.doi == nil {
            resource.doi = doi
            mark(.doi, field)
        }
        return resource.doi?.lowercased() == doi.lowercased()
    }

    /// Sets `issued` from a date value; a value without a date form is kept as literal text.
    mutating func setIssued(_ value: String, _ field: RISField) {
        switch RISValues.date(value) {
        case .date(let date, _):
            if resource.issued == nil || (resource.issued.map { RISValues.refines(date, $0) } ?? false) {
                resource.issued = date
                mark(.issued, field)
            } else if let issued = resource.issued, !RISValues.agrees(date, with: issued) {
                keep(field)
            }
        case .empty, .partial:
            keep(field)
        case .literal(let text):
            if resource.issued == nil {
                resource.issued = EDTFDate(literal: text)
                mark(.issued, field)
            } else {
                keep(field)
            }
        }
    }
}

// MARK: - Ovid

/// Interprets an Ovid record (Embase, MEDLINE, PsycINFO via Ovid): `<1. >` markers, no `TY`, Ovid's own tags
/// (`IS` is the ISSN, `YR` the year, `LG` the language, `PT` the publication type, `MH` the subject headings).
/// Tags with no place in the schema are kept in `extra["ovid"]`.
struct OvidInterpreter {
    let file: String

    func interpret(_ raw: RISRawRecord) -> RISInterpretation {
        var builder = RecordBuilder(file: file, format: "ovid", type: .document)
        let database = raw.first("DB")?.joined.lowercased() ?? ""
        var sawSource = false
        for field in raw.fields {
            let value = RISValues.collapseSpaces(field.joined)
            if value.isEmpty { continue }
            switch field.tag {
            case "TI": builder.set(\.title, .title, value, field)
            case "AU", "A1":
                for name in field.lines.flatMap({ $0.splitASCII(0x3B) }) {
                    if let person = RISValues.person(String(name)) {
                        builder.resource.authors.append(person)
                        builder.mark(.authors, field)
                    }
                }
            case "ED":
                if let person = RISValues.person(value) {
                    builder.resource.editors.append(person)
                    builder.mark(.editors, field)
                }
            case "AB": builder.set(\.abstract, .abstract, RISValues.paragraphs(field.lines), field)
            case "MH", "KW":
                for keyword in field.lines.flatMap({ $0.splitASCII(0x3B) }) {
                    builder.addKeyword(String(keyword), field)
                }
            case "IS", "IB", "SN": builder.addSerials(field.lines.joined(separator: ";"), field)
            case "DO":
                if !builder.setDOI(value, field) { builder.keep(field) }
            case "YR": builder.setIssued(value, field)
            case "DP": builder.setIssued(value, field)
            case "LG": builder.set(\.language, .language, value, field)
            case "PB": builder.set(\.publisher, .publisher, value, field)
            case "VO", "VL": builder.set(\.volume, .volume, value, field)
            case "IP": builder.set(\.issue, .issue, value, field)
            case "PG": builder.set(\.pages, .pages, RISValues.normalizePages(value), field)
            case "JN", "JF", "JT": builder.set(\.containerTitle, .containerTitle, value, field)
            case "JA", "JX": builder.set(\.containerTitleShort, .containerTitleShort, value, field)
            case "BT": builder.set(\.containerTitle, .containerTitle, value, field)
            case "UR", "XL", "LK":
                if builder.resource.url == nil {
                    builder.resource.url = value
                    builder.mark(.url, field)
                } else {
                    builder.keep(field)
                }
            case "UI" where database.contains("medline"):
                if Identifiers.isValidPMID(value) {
                    builder.set(\.pmid, .pmid, value, field)
                } else {
                    builder.keep(field)
                }
            case "PM", "PMID":
                if Identifiers.isValidPMID(value) { builder.set(\.pmid, .pmid, value, field) } else { builder.keep(field) }
            case "SO":
                sawSource = true
                builder.keep(field)
            default:
                builder.keep(field)
            }
        }
        let kinds = raw.fields.filter { $0.tag == "PT" }.map { $0.joined.lowercased() }
        builder.resource.type = Self.type(kinds, hasSource: sawSource || builder.resource.containerTitle != nil)
        return builder.finish()
    }

    /// The CSL type for Ovid publication types (`Journal Article`, `Conference Abstract`, `Book Chapter`).
    static func type(_ kinds: [String], hasSource: Bool) -> ItemType {
        for kind in kinds {
            if kind.contains("conference") || kind.contains("congress") { return .paperConference }
            if kind.contains("chapter") { return .chapter }
            if kind.contains("book") { return .book }
            if kind.contains("dissertation") || kind.contains("thesis") { return .thesis }
            if kind.contains("report") { return .report }
            if kind.contains("preprint") { return .article }
            if kind.contains("journal") || kind.contains("article") || kind.contains("review")
                || kind.contains("letter") || kind.contains("editorial") || kind.contains("note")
            {
                return .articleJournal
            }
        }
        return hasSource ? .articleJournal : .document
    }
}

// MARK: - Web of Science

/// Interprets a Web of Science record (`PT J` … `ER`): full author names from `AF`, ORCIDs from `OI`, keywords
/// from `DE` and `ID`, pages from `BP`/`EP`, the date from `PD` + `PY`. Tags with no place in the schema are kept
/// in `extra["wos"]`.
struct WebOfScienceInterpreter {
    let file: String

    func interpret(_ raw: RISRawRecord) -> RISInterpretation {
        var builder = RecordBuilder(file: file, format: "wos", type: .articleJournal)
        let publicationType = raw.first("PT")?.joined.uppercased() ?? ""
        let documentType = raw.first("DT")?.joined.lowercased() ?? ""
        builder.resource.type = Self.type(publicationType, documentType)
        if let pt = raw.first("PT") { builder.mark(.type, pt) }

        // Authors: AF (full names) when present, else AU.
        let fullNames = raw.fields.filter { $0.tag == "AF" }
        let shortNames = raw.fields.filter { $0.tag == "AU" }
        let authorFields = fullNames.isEmpty ? shortNames : fullNames
        for field in authorFields {
            for line in field.lines where !line.isEmpty {
                if let person = RISValues.person(line) {
                    builder.resource.authors.append(person)
                    builder.mark(.authors, field)
                }
            }
        }
        var pages: (first: String?, last: String?) = (nil, nil)
        var publicationDate: RISField?
        var publicationYear: RISField?
        var orcids: [RISField] = []
        for field in raw.fields {
            let value = RISValues.collapseSpaces(field.joined)
            if value.isEmpty { continue }
            switch field.tag {
            case "PT": continue
            case "AF", "AU":
                // The other name list repeats the authors.
                if (field.tag == "AF") == fullNames.isEmpty { builder.keep(field) }
            case "BE", "BF":
                if field.tag == "BE" {
                    for line in field.lines {
                        if let person = RISValues.person(line) {
                            builder.resource.editors.append(person)
                            builder.mark(.editors, field)
                        }
                    }
                } else {
                    builder.keep(field)
                }
            case "CA":
                for line in field.lines where !line.isEmpty {
                    builder.resource.authors.append(.organization(line))
                    builder.mark(.authors, field)
                }
            case "TI": builder.set(\.title, .title, value, field)
            case "SO": builder.set(\.containerTitle, .containerTitle, value, field)
            case "SE": builder.set(\.collectionTitle, .collectionTitle, value, field)
            case "CT": builder.set(\.event, .event, value, field)
            case "JI", "J9": builder.set(\.containerTitleShort, .containerTitleShort, value, field)
            case "LA": builder.set(\.language, .language, value, field)
            case "AB":
                let text = field.lines.filter { !$0.isEmpty }.joined(separator: "\n")
                builder.set(\.abstract, .abstract, text, field)
            case "DE", "ID":
                for keyword in field.lines.joined(separator: " ").splitASCII(0x3B) {
                    builder.addKeyword(String(keyword), field)
                }
            case "PU": builder.set(\.publisher, .publisher, value, field)
            case "PI": builder.set(\.publisherPlace, .publisherPlace, value, field)
            case "SN", "EI", "BN": builder.addSerials(value, field)
            case "PD": publicationDate = field
            case "PY": publicationYear = field
            case "VL": builder.set(\.volume, .volume, value, field)
            case "IS": builder.set(\.issue, .issue, value, field)
            case "BP": pages.first = value; builder.mark(.pages, field)
            case "PS" where raw.first("BP") == nil:
                // CABI's page span.
                builder.set(\.pages, .pages, RISValues.normalizePages(value), field)
            case "EP": pages.last = value
            case "AR": builder.set(\.articleNumber, .articleNumber, value, field)
            case "DI":
                if !builder.setDOI(value, field) { builder.keep(field) }
            case "PM":
                if Identifiers.isValidPMID(value) { builder.set(\.pmid, .pmid, value, field) } else { builder.keep(field) }
            case "OI":
                orcids.append(field)
                builder.keep(field)
            default:
                builder.keep(field)
            }
        }
        switch (pages.first, pages.last) {
        case let (first?, last?): builder.resource.pages = first == last ? first : first + "-" + last
        case let (first?, nil): builder.resource.pages = first
        case let (nil, last?): builder.keep("EP", last)
        default: break
        }
        // Date: "MAY 15" or "SPR" from PD, the year from PY.
        if let yearField = publicationYear {
            let year = yearField.joined
            if let dateField = publicationDate {
                switch RISValues.date(dateField.joined + " " + year) {
                case .date(let date, _):
                    builder.resource.issued = date
                    builder.mark(.issued, dateField)
                default:
                    builder.keep(dateField)
                    builder.setIssued(year, yearField)
                }
            } else {
                builder.setIssued(year, yearField)
            }
        } else if let dateField = publicationDate {
            builder.setIssued(dateField.joined, dateField)
        }
        // ORCIDs: "Family, Given/0000-0000-0000-0000;…", matched to the authors by name.
        for field in orcids {
            for entry in field.lines.joined(separator: " ").splitASCII(0x3B) {
                let parts = entry.split(separator: "/", maxSplits: 1).map { $0.trimmed }
                guard parts.count == 2, let orcid = Identifiers.normalizeORCID(parts[1]) else { continue }
                let name = parts[0].lowercased()
                if let index = builder.resource.authors.firstIndex(where: {
                    $0.orcid == nil && $0.displayName.lowercased() == name
                }) {
                    builder.resource.authors[index].orcid = orcid
                }
            }
        }
        return builder.finish()
    }

    /// The CSL type for a Web of Science `PT` (J journal, B book, S a part of a book series, P patent, C
    /// conference) and `DT` (Article, Proceedings Paper, Book Chapter, …).
    static func type(_ publicationType: String, _ documentType: String) -> ItemType {
        if documentType.contains("proceedings paper") || publicationType == "C" { return .paperConference }
        if documentType.contains("chapter") { return .chapter }
        switch publicationType {
        case "B": return .book
        case "P": return .patent
        case "S": return .chapter
        default: return .articleJournal
        }
    }
}
