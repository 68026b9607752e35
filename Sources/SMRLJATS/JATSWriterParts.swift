import SMRLCore
import SMRLXML

/// Markup helpers shared by the article and citation writers.
struct JATSMarkup {
    let xml: XMLStreamWriter

    static func elementName(_ style: RichText.Style) -> String? {
        switch style {
        case .italic: return "italic"
        case .bold: return "bold"
        case .subscript: return "sub"
        case .superscript: return "sup"
        case .smallCaps: return "sc"
        case .noCase: return nil
        }
    }

    /// Writes rich text inside the open element: CSL markup becomes `italic`, `bold`, `sub`, `sup`, `sc`,
    /// properly nested; `nocase` spans keep their text only.
    func richContent(_ value: String) throws {
        // Without a `<` that can start a tag the value is one text (what tokenizing it would give, without the
        // token array).
        guard RichText.mayHoldTag(value) else { return try xml.text(value) }
        try richContentFromTokens(value)
    }

    /// ``richContent(_:)`` through ``RichText/tokenize(_:)`` for every value (what it did for all values before
    /// the plain-text path; the tests compare the two).
    func richContentFromTokens(_ value: String) throws {
        var open: [RichText.Style] = []
        func start(_ style: RichText.Style) throws {
            if let name = Self.elementName(style) { try xml.startElement(name, mixed: true) }
        }
        func stop(_ style: RichText.Style) throws {
            if Self.elementName(style) != nil { try xml.endElement() }
        }
        for token in RichText.tokenize(value) {
            switch token {
            case .text(let text):
                try xml.text(text)
            case .open(let style):
                try start(style)
                open.append(style)
            case .close(let style):
                guard let index = open.lastIndex(of: style) else { continue }
                let reopen = Array(open[(index + 1)...])
                for inner in open[index...].reversed() { try stop(inner) }
                open.removeSubrange(index...)
                for inner in reopen {
                    try start(inner)
                    open.append(inner)
                }
            }
        }
        for style in open.reversed() { try stop(style) }
    }

    func rich(_ name: String, _ value: String, attributes: [(String, String)] = []) throws {
        try xml.startElement(name, mixed: true)
        for (key, value) in attributes { try xml.attribute(key, value) }
        try richContent(value)
        try xml.endElement()
    }

    func plain(_ name: String, _ value: String, attributes: [(String, String)] = []) throws {
        try xml.element(name, text: value, attributes: attributes)
    }

    /// Paragraphs (separated by blank lines) as `<p>` elements.
    func paragraphs(_ value: String) throws {
        let blocks = JATSText.splitParagraphs(value)
        if blocks.isEmpty {
            try xml.emptyElement("p")
        }
        for block in blocks { try rich("p", block) }
    }

    /// True when the date has an exact JATS form: one point (year, month, day, or season), no qualifier.
    static func isSimple(_ date: EDTFDate) -> Bool {
        guard date.literal == nil, !date.isInterval, !date.approximate, !date.uncertain, let start = date.start else {
            return false
        }
        return (1...9999).contains(start.year)
    }

    /// Writes `day`, `month` or `season`, and `year` of a simple date inside the open element.
    func dateParts(_ date: EDTFDate, yearText: String? = nil) throws {
        guard let start = date.start else { return }
        if start.season != nil {
            try plain("season", JATSDates.seasonNames[start.month ?? 0] ?? "")
        } else {
            if let day = start.day { try plain("day", day < 10 ? "0\(day)" : "\(day)") }
            if let month = start.month { try plain("month", month < 10 ? "0\(month)" : "\(month)") }
        }
        try plain("year", yearText ?? EDTFDate.Point(year: start.year).yearString)
    }

    /// `iso-8601-date` for a simple date that is not a season.
    static func isoAttribute(_ date: EDTFDate) -> [(String, String)] {
        guard isSimple(date), date.start?.season == nil else { return [] }
        return [("iso-8601-date", date.description)]
    }
}

extension EDTFDate.Point {
    /// The year as four digits.
    var yearString: String {
        // Four digits already (almost every year): the number as it is.
        if year >= 1000 && year <= 9999 { return String(year) }
        let text = String(abs(year))
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}

// MARK: - One record as an article

/// Writes a record as the front matter of an `<article>` (the `article` element itself is already open).
struct JATSArticleWriter {
    let xml: XMLStreamWriter
    let record: Resource
    private var markup: JATSMarkup { JATSMarkup(xml: xml) }
    private var jats: [String: [String]] { record.extra["jats"] ?? [:] }

    init(xml: XMLStreamWriter, record: Resource) {
        self.xml = xml
        self.record = record
    }

    static func articleType(for record: Resource) -> String {
        if let stored = record.extra["jats"]?["article-type"]?.first,
            JATSVocabulary.itemType(forArticleType: stored) == record.type
        {
            return stored
        }
        return JATSVocabulary.articleType(for: record.type)
    }

    /// XML `NMTOKEN` (for `xml:lang`).
    static func isNMToken(_ text: String) -> Bool {
        // ASCII text on bytes: the only alphabetic ASCII characters are the letters.
        var text = text
        let ascii: Bool? = text.withUTF8 { bytes in
            var allowed = true
            for byte in bytes {
                if byte >= 0x80 { return nil }
                let letter = (byte | 0x20) &- UInt8(ascii: "a") < 26
                let digit = byte &- UInt8(ascii: "0") < 10
                if !(letter || digit || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ":"))
                {
                    allowed = false
                }
            }
            return allowed && !bytes.isEmpty
        }
        if let ascii { return ascii }
        return isNMTokenSlowly(text)
    }

    /// ``isNMToken(_:)`` on Unicode scalars, as it was written before the ASCII path: the tests' reference.
    static func isNMTokenSlowly(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._:".unicodeScalars.contains($0) }
    }

    /// XML `NCName` (for `id`), ASCII only.
    static func isNCName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first,
            ("a"..."z").contains(first) || ("A"..."Z").contains(first) || first == "_"
        else { return false }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0)
        }
    }

    /// The extra `jats` keys this writer puts in their own elements; all other extra values go to custom-meta.
    static func isPlacedJATSKey(_ key: String) -> Bool {
        let exact: Set<String> = [
            "article-type", "issn.electronic", "trans-title", "issued-pub-date", "copyright-statement", "copyright-year",
            "copyright-holder", "license", "license-type", "license-p", "free-to-read", "trans-abstract",
        ]
        if exact.contains(key) { return true }
        for prefix in ["journal-id.", "article-id.", "subject.", "pub-date.", "history.", "self-uri.", "abstract.", "kwd-group.", "custom-meta."]
        where key.hasPrefix(prefix) && key.count > prefix.count {
            return true
        }
        return false
    }

    func writeFront() throws {
        var custom: [(String, String)] = []
        try xml.startElement("front")
        try writeJournalMeta(&custom)
        try writeArticleMeta(&custom)
        try xml.endElement()
    }

    private func writeJournalMeta(_ custom: inout [(String, String)]) throws {
        try xml.startElement("journal-meta")
        let ids = jats.filter { $0.key.hasPrefix("journal-id.") }.sorted { $0.key < $1.key }
        if ids.isEmpty {
            try xml.emptyElement("journal-id")
        }
        for (key, values) in ids {
            for value in values { try markup.plain("journal-id", value, attributes: [("journal-id-type", String(key.dropFirst(11)))]) }
        }
        if record.containerTitle != nil || record.containerTitleShort != nil {
            try xml.startElement("journal-title-group")
            if let title = record.containerTitle { try markup.plain("journal-title", RichText.plainText(title)) }
            if let short = record.containerTitleShort { try markup.plain("abbrev-journal-title", short, attributes: [("abbrev-type", "publisher")]) }
            try xml.endElement()
        }
        let electronic = Set(jats["issn.electronic"] ?? [])
        if record.issn.isEmpty { try xml.emptyElement("issn") }
        for issn in record.issn {
            try markup.plain("issn", issn, attributes: [("publication-format", electronic.contains(issn) ? "electronic" : "print")])
        }
        if let publisher = record.publisher {
            try xml.startElement("publisher")
            try markup.plain("publisher-name", publisher)
            if let place = record.publisherPlace { try markup.plain("publisher-loc", place) }
            try xml.endElement()
        } else if let place = record.publisherPlace {
            custom.append((JATSExtension.Field.publisherPlace.rawValue, place))
        }
        try xml.endElement()
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private func writeArticleMeta(_ custom: inout [(String, String)]) throws {
        try xml.startElement("article-meta")
        // Identifiers.
        if let id = record.id { try markup.plain("article-id", id, attributes: [("pub-id-type", "publisher-id")]) }
        if let doi = record.doi { try markup.plain("article-id", doi, attributes: [("pub-id-type", "doi")]) }
        if let pmid = record.pmid { try markup.plain("article-id", pmid, attributes: [("pub-id-type", "pmid")]) }
        if let pmcid = record.pmcid { try markup.plain("article-id", pmcid, attributes: [("pub-id-type", "pmcid")]) }
        for (key, values) in jats.filter({ $0.key.hasPrefix("article-id.") }).sorted(by: { $0.key < $1.key }) {
            for value in values { try markup.plain("article-id", value, attributes: [("pub-id-type", String(key.dropFirst(11)))]) }
        }

        // Subjects (keywords that came from subject groups go back there).
        let subjects = jats.filter { $0.key.hasPrefix("subject.") }.sorted { $0.key < $1.key }
        var subjectKeywords: Set<String> = []
        if !subjects.isEmpty {
            try xml.startElement("article-categories")
            for (key, values) in subjects {
                try xml.startElement("subj-group")
                try xml.attribute("subj-group-type", String(key.dropFirst(8)))
                for value in values {
                    try markup.plain("subject", value)
                    subjectKeywords.insert(value)
                }
                try xml.endElement()
            }
            try xml.endElement()
        }

        // Titles.
        try xml.startElement("title-group")
        try markup.rich("article-title", record.title ?? "")
        if let subtitle = record.subtitle { try markup.rich("subtitle", subtitle) }
        for translated in jats["trans-title"] ?? [] {
            try xml.startElement("trans-title-group")
            try markup.rich("trans-title", translated)
            try xml.endElement()
        }
        if let short = record.shortTitle { try markup.plain("alt-title", short, attributes: [("alt-title-type", "short")]) }
        try xml.endElement()

        // Contributors.
        let groups: [(String, [Person])] = [("author", record.authors), ("editor", record.editors), ("translator", record.translators)]
        if groups.contains(where: { !$0.1.filter { !$0.isEmpty }.isEmpty }) {
            try xml.startElement("contrib-group")
            for (type, people) in groups {
                for person in people where !person.isEmpty {
                    try xml.startElement("contrib")
                    try xml.attribute("contrib-type", type)
                    if let orcid = person.orcid {
                        try markup.plain("contrib-id", "https://orcid.org/" + orcid, attributes: [("contrib-id-type", "orcid")])
                    }
                    try JATSPeople.write(person, markup: markup)
                    try xml.endElement()
                }
            }
            try xml.endElement()
        }

        // Publication dates.
        var wroteDate = false
        if let issued = record.issued {
            if JATSMarkup.isSimple(issued) {
                try writePubDate(issued, label: jats["issued-pub-date"]?.first)
                wroteDate = true
            } else {
                custom.append((JATSExtension.Field.issued.rawValue, issued.description))
                if issued.literal == nil, let year = issued.year, (1...9999).contains(year) {
                    try writePubDate(EDTFDate(year: year), label: jats["issued-pub-date"]?.first)
                    wroteDate = true
                }
            }
        }
        for (key, values) in jats.filter({ $0.key.hasPrefix("pub-date.") }).sorted(by: { $0.key < $1.key }) {
            for value in values {
                let date = EDTFDate(parsing: value)
                if JATSMarkup.isSimple(date) {
                    try writePubDate(date, label: String(key.dropFirst(9)))
                    wroteDate = true
                } else {
                    custom.append(("extra.jats.\(key)", value))
                }
            }
        }
        if !wroteDate { try xml.emptyElement("pub-date-not-available") }

        if let volume = record.volume { try markup.plain("volume", volume) }
        if let issue = record.issue { try markup.plain("issue", issue) }
        for isbn in record.isbn { try markup.plain("isbn", isbn) }
        if let pages = record.pages {
            try JATSPages.write(pages, markup: markup)
            if let number = record.articleNumber { custom.append((JATSExtension.Field.articleNumber.rawValue, number)) }
        } else if let number = record.articleNumber {
            try markup.plain("elocation-id", number)
        }

        // History.
        let history = jats.filter { $0.key.hasPrefix("history.") }.sorted { $0.key < $1.key }
        var historyDates: [(String, EDTFDate)] = []
        for (key, values) in history {
            for value in values {
                let date = EDTFDate(parsing: value)
                if JATSMarkup.isSimple(date) { historyDates.append((String(key.dropFirst(8)), date)) } else { custom.append(("extra.jats.\(key)", value)) }
            }
        }
        if !historyDates.isEmpty {
            try xml.startElement("history")
            for (type, date) in historyDates {
                try xml.startElement("date")
                try xml.attribute("date-type", type)
                for (key, value) in JATSMarkup.isoAttribute(date) { try xml.attribute(key, value) }
                try markup.dateParts(date)
                try xml.endElement()
            }
            try xml.endElement()
        }

        // Permissions.
        try writePermissions()

        // Links.
        if let url = record.url { try xml.emptyElement("self-uri", attributes: [("xlink:href", url)]) }
        for (key, values) in jats.filter({ $0.key.hasPrefix("self-uri.") }).sorted(by: { $0.key < $1.key }) {
            for value in values {
                try xml.emptyElement("self-uri", attributes: [("content-type", String(key.dropFirst(9))), ("xlink:href", value)])
            }
        }

        // Abstracts.
        if let abstract = record.abstract {
            try xml.startElement("abstract")
            try markup.paragraphs(abstract)
            try xml.endElement()
        }
        for (key, values) in jats.filter({ $0.key.hasPrefix("abstract.") }).sorted(by: { $0.key < $1.key }) {
            for value in values {
                try xml.startElement("abstract")
                try xml.attribute("abstract-type", String(key.dropFirst(9)))
                try markup.paragraphs(value)
                try xml.endElement()
            }
        }
        if let description = record.description {
            try xml.startElement("abstract")
            try xml.attribute("abstract-type", "smrl-description")
            try markup.paragraphs(description)
            try xml.endElement()
        }
        for value in jats["trans-abstract"] ?? [] {
            try xml.startElement("trans-abstract")
            try markup.paragraphs(value)
            try xml.endElement()
        }

        // Keywords: the library's fields, typed groups, then the rest.
        let libraryValues: [(LibraryTags.Field, [String])] = [
            (.resourceType, record.resourceType.map { [$0] } ?? []), (.domain, record.domains),
            (.topic, record.topics), (.profession, record.professions),
        ]
        for (field, values) in libraryValues where !values.isEmpty {
            let type = JATSExtension.keywordGroupTypes.first { $0.0 == field }?.1 ?? "smrl"
            try writeKeywordGroup(type: type, values)
        }
        // Groups in the order their first keyword has in the record, so the list reads back in order.
        var groupOf: [String: String] = [:]
        for (key, values) in jats.filter({ $0.key.hasPrefix("kwd-group.") }) {
            for value in values where groupOf[value] == nil { groupOf[value] = String(key.dropFirst(10)) }
        }
        var keywordGroups: [(type: String, values: [String])] = []
        for keyword in record.keywords where !subjectKeywords.contains(keyword) {
            let type = groupOf[keyword] ?? "author"
            if let index = keywordGroups.firstIndex(where: { $0.type == type }) {
                keywordGroups[index].values.append(keyword)
            } else {
                keywordGroups.append((type, [keyword]))
            }
        }
        for group in keywordGroups { try writeKeywordGroup(type: group.type, group.values) }

        // Everything else: custom-meta.
        if let openAccess = record.openAccess, !openAccess { custom.append((JATSExtension.Field.openAccess.rawValue, "false")) }
        if JATSVocabulary.itemType(forArticleType: Self.articleType(for: record)) != record.type {
            custom.append((JATSExtension.Field.itemType.rawValue, record.type.rawValue))
        }
        if let container = record.containerTitle, RichText.hasMarkup(container) {
            // journal-title holds text only; the markup travels here.
            custom.append((JATSExtension.Field.containerTitle.rawValue, container))
        }
        if let accessed = record.accessed { custom.append((JATSExtension.Field.accessed.rawValue, accessed.description)) }
        if let edition = record.edition { custom.append((JATSExtension.Field.edition.rawValue, edition)) }
        if let series = record.collectionTitle { custom.append((JATSExtension.Field.collectionTitle.rawValue, series)) }
        if let event = record.event { custom.append((JATSExtension.Field.event.rawValue, event)) }
        if let note = record.note { custom.append((JATSExtension.Field.note.rawValue, note)) }
        if let language = record.language, !Self.isNMToken(language) { custom.append((JATSExtension.Field.language.rawValue, language)) }
        for (key, values) in jats.filter({ $0.key.hasPrefix("custom-meta.") }).sorted(by: { $0.key < $1.key }) {
            for value in values { custom.append((String(key.dropFirst(12)), value)) }
        }
        for (format, fields) in record.extra.sorted(by: { $0.key < $1.key }) {
            for (key, values) in fields.sorted(by: { $0.key < $1.key }) where !(format == "jats" && Self.isPlacedJATSKey(key)) {
                for value in values { custom.append(("extra.\(format).\(key)", value)) }
            }
        }
        if !custom.isEmpty {
            try xml.startElement("custom-meta-group")
            for (name, value) in custom {
                let paragraphs = JATSText.splitParagraphs(value)
                for (index, paragraph) in (paragraphs.isEmpty ? [""] : paragraphs).enumerated() {
                    try xml.startElement("custom-meta")
                    if index > 0 { try xml.attribute("specific-use", JATSExtension.continuation) }
                    try markup.plain("meta-name", name)
                    try xml.startElement("meta-value", mixed: true)
                    try markup.richContent(paragraph)
                    try xml.endElement()
                    try xml.endElement()
                }
            }
            try xml.endElement()
        }
        try xml.endElement()
    }

    private func writeKeywordGroup(type: String, _ values: [String]) throws {
        try xml.startElement("kwd-group")
        try xml.attribute("kwd-group-type", type)
        for value in values { try markup.plain("kwd", value) }
        try xml.endElement()
    }

    /// `pub-date` attributes for a stored kind: legacy `pub-type` values become JATS 1.3's `date-type` and
    /// `publication-format`.
    private func writePubDate(_ date: EDTFDate, label: String?) throws {
        try xml.startElement("pub-date")
        var attributes: [(String, String)]
        switch label ?? "pub" {
        case let legacy where Self.legacyPubTypes.contains(legacy):
            // A JATS 1.0 / NLM `pub-type` value: written as it was (1.3 still declares the attribute).
            attributes = [("pub-type", legacy)]
        case "collection": attributes = [("date-type", "collection")]
        case let other:
            let parts = other.split(separator: "/", maxSplits: 1).map(String.init)
            attributes = [("date-type", parts.first ?? "pub")]
            if parts.count == 2 { attributes.insert(("publication-format", parts[1]), at: 0) }
        }
        for (key, value) in attributes + JATSMarkup.isoAttribute(date) { try xml.attribute(key, value) }
        try markup.dateParts(date)
        try xml.endElement()
    }

    /// The `pub-type` values of JATS 1.0 and NLM 2.x/3.0.
    static let legacyPubTypes: Set<String> = [
        "ppub", "epub", "epub-ppub", "epreprint", "ecorrected", "pcorrected", "eretracted", "pretracted",
        "nihms-submitted", "pmc-release", "epub-original", "print", "electronic",
    ]

    private func writePermissions() throws {
        let statements = jats["copyright-statement"] ?? []
        let years = jats["copyright-year"] ?? []
        let holders = jats["copyright-holder"] ?? []
        let licenses = jats["license"] ?? []
        let licenseTexts = jats["license-p"] ?? []
        let freeToRead = record.openAccess == true
        guard !(statements.isEmpty && years.isEmpty && holders.isEmpty && licenses.isEmpty && licenseTexts.isEmpty && !freeToRead)
        else { return }
        try xml.startElement("permissions")
        for value in statements { try markup.plain("copyright-statement", value) }
        for value in years { try markup.plain("copyright-year", value) }
        for value in holders { try markup.plain("copyright-holder", value) }
        if freeToRead {
            try xml.startElement("ali:free_to_read", mixed: true)
            let dates = (jats["free-to-read"]?.first ?? "").split(separator: "/", omittingEmptySubsequences: false)
            if dates.count >= 1, !dates[0].isEmpty { try xml.attribute("start_date", String(dates[0])) }
            if dates.count >= 2, !dates[1].isEmpty { try xml.attribute("end_date", String(dates[1])) }
            try xml.endEmptyElement()
        }
        if !licenses.isEmpty || !licenseTexts.isEmpty {
            let type = jats["license-type"]?.first
            let count = max(licenses.count, 1)
            for index in 0..<count {
                try xml.startElement("license")
                if let type { try xml.attribute("license-type", type) }
                if index < licenses.count {
                    try xml.attribute("xlink:href", licenses[index])
                    try markup.plain("ali:license_ref", licenses[index])
                }
                if index == 0 { for text in licenseTexts { try markup.rich("license-p", text) } }
                try xml.endElement()
            }
        }
        try xml.endElement()
    }
}

// MARK: - People and pages

enum JATSPeople {
    /// `<name>` (surname with any particle, given names with any dropping particle, suffix), `<collab>` for an
    /// organisation, or `<string-name>` for a lone given name.
    static func write(_ person: Person, markup: JATSMarkup) throws {
        if person.isLiteral || (person.family == nil && person.given == nil) {
            try markup.plain("collab", person.literal ?? person.displayName)
            return
        }
        guard let family = person.familyWithParticle else {
            try markup.xml.startElement("string-name", mixed: true)
            try markup.plain("given-names", joinedGiven(person) ?? "")
            try markup.xml.endElement()
            return
        }
        try markup.xml.startElement("name")
        try markup.plain("surname", family)
        if let given = joinedGiven(person) { try markup.plain("given-names", given) }
        if let suffix = person.suffix, !suffix.isEmpty { try markup.plain("suffix", suffix) }
        try markup.xml.endElement()
    }

    /// The given names and the dropping particle that are not empty, joined by a space; nil when both are.
    private static func joinedGiven(_ person: Person) -> String? {
        let given = person.given?.isEmpty == false ? person.given : nil
        let dropping = person.droppingParticle?.isEmpty == false ? person.droppingParticle : nil
        guard let given else { return dropping }
        guard let dropping else { return given }
        return given + " " + dropping
    }
}

enum JATSPages {
    /// `12-19` → `fpage`/`lpage`; `e0123` → `fpage`; anything else (`12-19, 25`) also as `page-range`.
    static func write(_ pages: String, markup: JATSMarkup) throws {
        // Printable ASCII at both ends and nothing but ASCII between (most pages): the value is its own trimmed
        // form, and its Characters are its bytes (the one ASCII cluster of two, CR LF, is none of `-`, `,`, ` `),
        // so the Character tests below can be made on bytes.
        var text = pages
        let done = try text.withUTF8 { bytes -> Bool in
            guard let head = bytes.first, let tail = bytes.last, head > 0x20, head < 0x7F, tail > 0x20, tail < 0x7F
            else { return false }
            var dashes = 0
            var firstDash = -1
            var firstStop = -1
            var simple = true
            for (index, byte) in bytes.enumerated() {
                if byte >= 0x80 { return false }
                if byte == UInt8(ascii: "-") {
                    if firstDash < 0 { firstDash = index }
                    dashes &+= 1
                } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: " ") {
                    simple = false
                } else {
                    continue
                }
                if firstStop < 0 { firstStop = index }
            }
            func string(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            if simple && dashes == 0 {
                try markup.plain("fpage", pages)
            } else if simple && dashes == 1 && firstDash > 0 && firstDash < bytes.count - 1 {
                try markup.plain("fpage", string(0..<firstDash))
                try markup.plain("lpage", string(firstDash + 1..<bytes.count))
            } else {
                // The head ends at the first `-`, `,` or ` ` (there is one: a dash or `simple` is false).
                try markup.plain("fpage", firstStop == 0 ? pages : string(0..<firstStop))
                try markup.plain("page-range", pages)
            }
            return true
        }
        if !done { try writeSlowly(pages, markup: markup) }
    }

    /// ``write(_:markup:)`` on Characters, as it was written before the byte path: the path for other values and
    /// the tests' reference.
    static func writeSlowly(_ pages: String, markup: JATSMarkup) throws {
        let trimmed = pages.trimmingSpaces
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let simple = !trimmed.contains(",") && !trimmed.contains(" ")
        if simple && parts.count == 1 {
            try markup.plain("fpage", trimmed)
        } else if simple && parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty {
            try markup.plain("fpage", String(parts[0]))
            try markup.plain("lpage", String(parts[1]))
        } else {
            let first = trimmed.prefix { $0 != "-" && $0 != "," && $0 != " " }
            try markup.plain("fpage", first.isEmpty ? trimmed : String(first))
            try markup.plain("page-range", trimmed)
        }
    }
}

// MARK: - One record as a citation

/// The `extra["jats"]` values a citation puts back in place, read from the record once. Most records carry none, so
/// every question first asks whether there are any (a lookup in an empty dictionary still hashes its key).
struct JATSCitationExtras {
    private let values: [String: [String]]

    /// From the record's `extra["jats"]` (the values, not the record: an initializer owns its arguments, and
    /// taking the record would copy it).
    init(_ values: [String: [String]]?) {
        self.values = values ?? [:]
    }

    /// The values under `key`; none when absent.
    subscript(key: String) -> [String] {
        values.isEmpty ? [] : values[key] ?? []
    }

    /// The groups whose key starts with `prefix`, as (the rest of the key, the values), in key order (a
    /// dictionary's own order changes from run to run).
    func groups(prefix: String) -> [(name: String, values: [String])] {
        guard !values.isEmpty else { return [] }
        return values.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }
            .map { (String($0.key.dropFirst(prefix.count)), $0.value) }
    }
}

/// Writes a record as a `<ref>` holding one `<element-citation>`.
struct JATSCitationWriter {
    let xml: XMLStreamWriter
    let refID: String
    let originalID: String?
    private var markup: JATSMarkup { JATSMarkup(xml: xml) }

    init(xml: XMLStreamWriter, refID: String, originalID: String?) {
        self.xml = xml
        self.refID = refID
        self.originalID = originalID
    }

    static let journalLike: Set<ItemType> = [
        .articleJournal, .articleMagazine, .articleNewspaper, .paperConference, .review, .reviewBook, .article,
    ]

    /// Extra `jats` keys written as citation elements.
    static let placedKeys: Set<String> = [
        "label", "publication-type", "etal", "part-title", "trans-title", "trans-source", "institution", "conf-loc",
        "conf-date", "conf-sponsor", "conf-acronym", "version", "size", "patent", "std", "issue-title", "supplement",
        "gov", "issn-l", "volume-series", "issue-part", "object-id", "uri", "annotation", "year", "season",
    ]

    /// The `pub-id-type` values JATS 1.3 declares.
    static let allowedPubIDs: Set<String> = [
        "accession", "archive", "ark", "art-access-id", "arxiv", "coden", "doaj", "doi", "handle", "index", "isbn",
        "manuscript", "medline", "mr", "other", "pii", "pmcid", "pmid", "publisher-id", "sici", "std-designation", "zbl",
    ]

    static let personGroupTypes: Set<String> = [
        "allauthors", "assignee", "compiler", "curator", "director", "guest-editor", "illustrator",
        "research-assistant", "transed",
    ]

    /// The `smrl-library` annotation: one `<p>` per tag of ``LibraryTags/tags(for:)``, in its order, each written
    /// as its spelled-out head (`smrl:domain:`) and the value, without making the tag's String. False when the
    /// record has no library field (nothing written).
    static func writeLibraryAnnotation(_ record: Resource, xml: XMLStreamWriter) throws -> Bool {
        guard LibraryTags.tagCount(of: record) > 0 else { return false }
        try xml.startElement("annotation")
        try xml.attribute("content-type", JATSExtension.libraryAnnotation)
        try LibraryTags.forEachTag(of: record) { head, value in
            try xml.startElement("p", mixed: true)
            try xml.text(head)
            try xml.text(value)
            try xml.endElement()
        }
        try xml.endElement()
        return true
    }

    /// Writes `record` (taken as an argument, not kept: keeping it would copy it, retaining each of its fields).
    // swiftlint:disable:next function_body_length cyclomatic_complexity
    func write(_ record: Resource) throws {
        let jats = JATSCitationExtras(record.extra["jats"])
        var annotations: [(String, String)] = []
        try xml.startElement("ref")
        try xml.attribute("id", refID)
        if let label = jats["label"].first { try markup.plain("label", label) }
        try xml.startElement("element-citation")

        // Publication type: the stored JATS value when it still fits the item type.
        var publicationType = JATSVocabulary.publicationType(for: record.type)
        if let stored = jats["publication-type"].first {
            // The source's own JATS value when it still names this item type; never a CSL name.
            let isCSLName = ItemType(lenient: stored) != nil && !JATSVocabulary.writtenPublicationTypes.contains(stored.lowercased())
            if JATSVocabulary.itemType(forPublicationType: stored) == record.type && !isCSLName {
                publicationType = stored
            } else {
                annotations.append(("extra.jats.publication-type", stored))
            }
        }
        try xml.attribute("publication-type", publicationType)
        if let language = record.language {
            if JATSArticleWriter.isNMToken(language) { try xml.attribute("xml:lang", language) } else {
                annotations.append((JATSExtension.Field.language.rawValue, language))
            }
        }
        var wroteSomething = false

        // People.
        let etal = Set(jats["etal"])
        for (role, people) in [("author", record.authors), ("editor", record.editors), ("translator", record.translators)] {
            let present = people.contains(where: \.isEmpty) ? people.filter { !$0.isEmpty } : people
            guard !present.isEmpty || etal.contains(role) else { continue }
            try xml.startElement("person-group")
            try xml.attribute("person-group-type", role)
            for (index, person) in present.enumerated() {
                try JATSPeople.write(person, markup: markup)
                if let orcid = person.orcid {
                    annotations.append((JATSExtension.Field.orcid.rawValue, "\(role)s \(index + 1) \(orcid)"))
                }
            }
            if etal.contains(role) { try xml.emptyElement("etal") }
            try xml.endElement()
            wroteSomething = true
        }
        for (role, values) in jats.groups(prefix: "person-group.") {
            // Other roles travel with the remaining extra values.
            guard Self.personGroupTypes.contains(role) else { continue }
            try xml.startElement("person-group")
            try xml.attribute("person-group-type", role)
            for value in values { try xml.element("string-name", text: value) }
            try xml.endElement()
        }

        // Titles.
        var title = record.title
        if let subtitle = record.subtitle {
            title = (title.map { $0 + ": " } ?? "") + subtitle
            annotations.append((JATSExtension.Field.subtitle.rawValue, subtitle))
        }
        let canonicalType = JATSVocabulary.itemType(forPublicationType: publicationType)
        var typeNeedsNote = canonicalType != record.type
        if Self.journalLike.contains(record.type) {
            if let title { try markup.rich("article-title", title) }
            if let container = record.containerTitle { try markup.rich("source", container) }
            if title == nil && record.containerTitle == nil { typeNeedsNote = true }
        } else if record.type == .chapter || record.type == .entry || record.type == .entryDictionary || record.type == .entryEncyclopedia {
            if let title { try markup.rich("chapter-title", title) }
            if let container = record.containerTitle { try markup.rich("source", container) }
            typeNeedsNote = typeNeedsNote || title == nil || record.containerTitle == nil
        } else if record.type == .dataset {
            if let title { try markup.rich("data-title", title) }
            if let container = record.containerTitle { try markup.rich("source", container) }
        } else if record.type == .webpage || record.type == .post || record.type == .postWeblog {
            if let title, record.containerTitle != nil {
                try markup.rich("article-title", title)
            } else if let title {
                try markup.rich("source", title)
            }
            if let container = record.containerTitle { try markup.rich("source", container) }
        } else {
            if let title { try markup.rich("source", title) }
            if let container = record.containerTitle { annotations.append((JATSExtension.Field.containerTitle.rawValue, container)) }
        }
        if title != nil || record.containerTitle != nil { wroteSomething = true }
        if typeNeedsNote { annotations.append((JATSExtension.Field.itemType.rawValue, record.type.rawValue)) }
        for key in ["part-title", "trans-title", "trans-source"] {
            for value in jats[key] { try markup.plain(key, value) }
        }

        // Dates.
        if let issued = record.issued {
            wroteSomething = true
            if JATSMarkup.isSimple(issued) {
                let original = jats["year"].first.flatMap { JATSDates.parseYear($0).value == issued.year ? $0 : nil }
                if let start = issued.start, start.season == nil {
                    if let original { try markup.plain("year", original, attributes: [("iso-8601-date", issued.description)]) }
                    else { try markup.plain("year", start.yearString, attributes: JATSMarkup.isoAttribute(issued)) }
                    if let month = start.month { try markup.plain("month", month < 10 ? "0\(month)" : "\(month)") }
                    if let day = start.day { try markup.plain("day", day < 10 ? "0\(day)" : "\(day)") }
                } else {
                    try markup.dateParts(issued, yearText: original)
                }
            } else if let literal = issued.literal, JATSDates.parseYear(literal).value == nil,
                !JATSDates.parseYear(literal).isUnknownText
            {
                try markup.plain("year", literal)
            } else {
                if let year = issued.year, (1...9999).contains(year) { try markup.plain("year", EDTFDate.Point(year: year).yearString) }
                annotations.append((JATSExtension.Field.issued.rawValue, issued.description))
            }
        }
        for value in jats["season"] where record.issued?.start?.season == nil { try markup.plain("season", value) }
        if let accessed = record.accessed {
            if JATSMarkup.isSimple(accessed) {
                try markup.plain("date-in-citation", accessed.description,
                    attributes: [("content-type", "access-date")] + JATSMarkup.isoAttribute(accessed))
            } else {
                annotations.append((JATSExtension.Field.accessed.rawValue, accessed.description))
            }
        }
        for (type, values) in jats.groups(prefix: "date-in-citation.") {
            for value in values {
                try markup.plain("date-in-citation", value, attributes: [("content-type", type)])
            }
        }

        // Numbers, places, publisher.
        if let volume = record.volume { try markup.plain("volume", volume) }
        if let issue = record.issue { try markup.plain("issue", issue) }
        if let edition = record.edition { try markup.plain("edition", edition) }
        if let series = record.collectionTitle { try markup.plain("series", series) }
        if let pages = record.pages { try JATSPages.write(pages, markup: markup) }
        if let number = record.articleNumber { try markup.plain("elocation-id", number) }
        if let place = record.publisherPlace { try markup.plain("publisher-loc", place) }
        if let publisher = record.publisher { try markup.plain("publisher-name", publisher) }
        if let event = record.event { try markup.plain("conf-name", event) }
        for key in ["institution", "conf-loc", "conf-date", "conf-sponsor", "conf-acronym", "version", "size", "patent",
            "std", "issue-title", "supplement", "gov", "issn-l", "volume-series", "issue-part", "object-id"]
        {
            for value in jats[key] { try markup.plain(key, value) }
        }

        // Identifiers and links.
        if let doi = record.doi { try markup.plain("pub-id", doi, attributes: [("pub-id-type", "doi")]) }
        if let pmid = record.pmid { try markup.plain("pub-id", pmid, attributes: [("pub-id-type", "pmid")]) }
        if let pmcid = record.pmcid { try markup.plain("pub-id", pmcid, attributes: [("pub-id-type", "pmcid")]) }
        for (type, values) in jats.groups(prefix: "pub-id.") {
            for value in values {
                if Self.allowedPubIDs.contains(type) {
                    try markup.plain("pub-id", value, attributes: [("pub-id-type", type)])
                } else {
                    try markup.plain("pub-id", value, attributes: [("pub-id-type", "custom"), ("custom-type", type)])
                }
            }
        }
        for isbn in record.isbn { try markup.plain("isbn", isbn) }
        for issn in record.issn { try markup.plain("issn", issn) }
        if let url = record.url {
            try markup.plain("ext-link", url, attributes: [("ext-link-type", "uri"), ("xlink:href", url)])
        }
        for value in jats["uri"] {
            try markup.plain("ext-link", value, attributes: [("ext-link-type", "uri"), ("xlink:href", value)])
        }
        if record.doi != nil || record.pmid != nil || record.url != nil || !record.isbn.isEmpty || record.volume != nil
            || record.pages != nil || record.publisher != nil || record.articleNumber != nil
        {
            wroteSomething = true
        }
        if let note = record.note {
            // The String searches (through StringProcessing, on Characters) run only when the bytes hold what they
            // look for: a line feed; `doi` in any letter case (only ASCII letters lower-case to `d`, `o`, and a lone
            // `i`, so a lower-cased `doi` comes from those bytes).
            let looksLikeDOI = note.containsASCIICaseInsensitive("doi") && note.lowercased().contains("doi")
                && Identifiers.normalizeDOI(note) != nil
            if (note.containsByte(0x0A) && note.contains("\n")) || looksLikeDOI {
                for paragraph in JATSText.splitParagraphs(note) { annotations.append((JATSExtension.Field.note.rawValue, paragraph)) }
            } else {
                try markup.plain("comment", note)
                wroteSomething = true
            }
        }

        // The rest as annotations.
        if let short = record.shortTitle { annotations.append((JATSExtension.Field.shortTitle.rawValue, short)) }
        if let short = record.containerTitleShort { annotations.append((JATSExtension.Field.containerTitleShort.rawValue, short)) }
        if let originalID { annotations.append((JATSExtension.Field.id.rawValue, originalID)) }
        if let description = record.description {
            for paragraph in JATSText.splitParagraphs(description) { annotations.append((JATSExtension.Field.description.rawValue, paragraph)) }
        }
        for value in jats["annotation"] {
            try xml.startElement("annotation")
            try markup.paragraphs(value)
            try xml.endElement()
        }
        for (format, fields) in record.extra.sorted(by: { $0.key < $1.key }) {
            for (key, values) in fields.sorted(by: { $0.key < $1.key }) {
                if format == "jats" && (Self.placedKeys.contains(key) || key.hasPrefix("pub-id.")
                    || key.hasPrefix("date-in-citation.") || (key.hasPrefix("person-group.") && Self.personGroupTypes.contains(String(key.dropFirst(13)))))
                {
                    continue
                }
                for value in values { annotations.append(("extra.\(format).\(key)", value)) }
            }
        }
        if let abstract = record.abstract {
            try xml.startElement("annotation")
            try xml.attribute("content-type", "abstract")
            try markup.paragraphs(abstract)
            try xml.endElement()
            wroteSomething = true
        }
        if !record.keywords.isEmpty {
            try xml.startElement("annotation")
            try xml.attribute("content-type", "keywords")
            for keyword in record.keywords { try markup.plain("p", keyword) }
            try xml.endElement()
            wroteSomething = true
        }
        if try Self.writeLibraryAnnotation(record, xml: xml) { wroteSomething = true }
        // Each extra value is an annotation of its own (a <p> per paragraph); other names are grouped, one <p>
        // per value, in first-seen order.
        if !wroteSomething && annotations.isEmpty { annotations.append((JATSExtension.Field.itemType.rawValue, record.type.rawValue)) }
        var blocks: [(name: String, paragraphs: [String])] = []
        for (name, value) in annotations {
            if name.hasPrefix("extra.") {
                let paragraphs = JATSText.splitParagraphs(value)
                blocks.append((name, paragraphs.isEmpty ? [""] : paragraphs))
            } else if let index = blocks.firstIndex(where: { $0.name == name }) {
                blocks[index].paragraphs.append(value)
            } else {
                blocks.append((name, [value]))
            }
        }
        for block in blocks {
            try xml.startElement("annotation")
            try xml.attribute("content-type", block.name)
            for paragraph in block.paragraphs { try markup.rich("p", paragraph) }
            try xml.endElement()
        }
        try xml.endElement()
        try xml.endElement()
    }
}
