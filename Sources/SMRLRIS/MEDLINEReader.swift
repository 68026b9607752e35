public import SMRLCore

/// Reads MEDLINE/PubMed text (the `.nbib` "PubMed" export, also met renamed `.ris`): `PMID- 123`, four-character
/// tags padded with spaces before `- `, six-space continuation lines, a blank line between records.
///
/// Mapping: `PMID` → `pmid`; `TI` (else `BTI` for books) → `title`; `FAU` (else `AU`) → `authors`, `FED`/`ED` →
/// `editors`, `CN` → an organisation author, `AUID- ORCID: …` → the ORCID of the name before it; `JT`/`TA` →
/// `containerTitle`/`containerTitleShort` (`BTI` of a chapter → container); `CTI` → `collectionTitle`;
/// `DP` (`2019 May-Jun`, `2020 Spring`) → `issued`; `VI`, `IP`, `PG` → `volume`, `issue`, `pages`; `LID`/`AID`
/// `… [doi]` → `doi`; `PMC` → `pmcid`; `IS` → `issn` (each once), `ISBN` → `isbn`; `AB` → `abstract`; `OT` and
/// `MH` → `keywords`; `LA`, `PB`, `PL` (books), `EN` → `language`, `publisher`, `publisherPlace`, `edition`.
/// Everything else is kept in `extra["medline"]`. The type comes from `PT` and the presence of `BTI`.
public struct MEDLINEReader: StagedRecordReader {
    private var inner: RISReader

    public init(reader: ByteReader, options: ReaderOptions = ReaderOptions()) {
        inner = RISReader(reader: reader, options: options, dialect: .medline)
    }

    public mutating func nextPending() throws -> PendingRecord? { try inner.nextPending() }
}

/// Interprets one MEDLINE record.
struct MEDLINEInterpreter {
    let file: String

    func interpret(_ raw: RISRawRecord) -> RISInterpretation {
        var builder = RecordBuilder(file: file, format: "medline", type: .articleJournal)
        let hasFullNames = raw.fields.contains { $0.tag == "FAU" }
        let hasFullEditors = raw.fields.contains { $0.tag == "FED" }
        let bookTitle = raw.first("BTI")
        let hasTitle = raw.fields.contains { $0.tag == "TI" && !$0.joined.isEmpty }
        // The last name added, so that an AUID line can give it its ORCID.
        var lastPerson: (editor: Bool, index: Int)?
        for field in raw.fields {
            let value = RISValues.collapseSpaces(field.joined)
            if value.isEmpty { continue }
            switch field.tag {
            case "PMID":
                if Identifiers.isValidPMID(value) {
                    builder.set(\.pmid, .pmid, value, field)
                } else {
                    builder.keep(field)
                }
            case "TI": builder.set(\.title, .title, value, field)
            case "BTI":
                if hasTitle {
                    builder.set(\.containerTitle, .containerTitle, value, field)
                } else {
                    builder.set(\.title, .title, value, field)
                }
            case "CTI": builder.set(\.collectionTitle, .collectionTitle, value, field)
            case "FAU", "AU":
                if (field.tag == "FAU") == hasFullNames, let person = RISValues.person(value) {
                    builder.resource.authors.append(person)
                    builder.mark(.authors, field)
                    lastPerson = (false, builder.resource.authors.count - 1)
                } else if (field.tag == "FAU") != hasFullNames {
                    // The short form repeats the full name.
                    continue
                }
            case "FED", "ED":
                if (field.tag == "FED") == hasFullEditors, let person = RISValues.person(value) {
                    builder.resource.editors.append(person)
                    builder.mark(.editors, field)
                    lastPerson = (true, builder.resource.editors.count - 1)
                }
            case "CN":
                builder.resource.authors.append(.organization(value))
                builder.mark(.authors, field)
                lastPerson = nil
            case "AUID":
                if value.uppercased().hasPrefix("ORCID"), let last = lastPerson,
                    let orcid = Identifiers.normalizeORCID(String(value.drop(while: { $0 != ":" }).dropFirst()))
                {
                    if last.editor { builder.resource.editors[last.index].orcid = orcid } else {
                        builder.resource.authors[last.index].orcid = orcid
                    }
                } else {
                    builder.keep(field)
                }
            case "JT": builder.set(\.containerTitle, .containerTitle, value, field)
            case "TA": builder.set(\.containerTitleShort, .containerTitleShort, value, field)
            case "DP": builder.setIssued(value, field)
            case "VI": builder.set(\.volume, .volume, value, field)
            case "IP": builder.set(\.issue, .issue, value, field)
            case "PG": builder.set(\.pages, .pages, RISValues.normalizePages(value), field)
            case "LID", "AID":
                if value.hasSuffix("[doi]") {
                    if !builder.setDOI(value, field) { builder.keep(field) }
                } else if value.hasSuffix("[pmc]") || value.hasSuffix("[pmcid]"),
                    let pmcid = RISValues.standalonePMCID(value)
                {
                    builder.set(\.pmcid, .pmcid, pmcid, field)
                } else {
                    builder.keep(field)
                }
            case "PMC":
                if let pmcid = Identifiers.normalizePMCID(value) {
                    builder.set(\.pmcid, .pmcid, pmcid, field)
                } else {
                    builder.keep(field)
                }
            case "IS", "ISSN", "ISBN":
                // ERIC writes `EISSN-2375-5636`, `ISBN-978…`.
                var serial = Substring(value)
                for prefix in ["EISSN-", "ISSN-", "ISBN-"] where serial.uppercased().hasPrefix(prefix) {
                    serial = serial.dropFirst(prefix.count)
                }
                builder.addSerials(String(serial), field)
            case "AB": builder.set(\.abstract, .abstract, value, field)
            case "OT", "MH":
                builder.addKeyword(value, field)
            case "LA": builder.set(\.language, .language, value, field)
            case "PB": builder.set(\.publisher, .publisher, value, field)
            case "PL" where bookTitle != nil: builder.set(\.publisherPlace, .publisherPlace, value, field)
            case "EN": builder.set(\.edition, .edition, value, field)
            default:
                builder.keep(field)
            }
        }
        let kinds = raw.fields.filter { $0.tag == "PT" }.map { $0.joined.lowercased() }
        if bookTitle != nil {
            builder.resource.type = hasTitle ? .chapter : .book
        } else if kinds.contains(where: { $0.contains("preprint") }) {
            builder.resource.type = .article
        } else if kinds.contains(where: { $0.contains("congress") || $0.contains("conference") }) {
            builder.resource.type = .paperConference
        } else if kinds.contains(where: { $0.contains("journal article") })
            || (raw.first("JT") != nil && (raw.first("VI") != nil || raw.first("IP") != nil))
        {
            builder.resource.type = .articleJournal
        } else if kinds.contains(where: { $0.contains("dissertation") || $0.contains("theses") }) {
            // ERIC's publication types.
            builder.resource.type = .thesis
        } else if kinds.contains(where: { $0 == "books" || $0 == "book" }) {
            builder.resource.type = .book
        } else if kinds.contains(where: { $0.hasPrefix("reports") }) {
            builder.resource.type = .report
        } else {
            builder.resource.type = .articleJournal
        }
        // ERIC gives the publisher of a report or book, and the archive of a thesis, as JT.
        if [.book, .report, .thesis].contains(builder.resource.type), bookTitle == nil,
            let journal = raw.first("JT"), builder.resource.containerTitle == RISValues.collapseSpaces(journal.joined)
        {
            builder.resource.containerTitle = nil
            builder.removeLocation(.containerTitle)
            if builder.resource.type != .thesis && builder.resource.publisher == nil {
                builder.resource.publisher = RISValues.collapseSpaces(journal.joined)
                builder.mark(.publisher, journal)
            } else {
                builder.keep(journal)
            }
        }
        return builder.finish()
    }
}
