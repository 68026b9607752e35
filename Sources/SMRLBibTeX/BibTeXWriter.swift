public import SMRLCore

/// Writes records as BibTeX (`bibtex` dialect: 7-bit ASCII, plain.bst types and fields) or biblatex (`biblatex`
/// dialect: UTF-8, biblatex types, `date`, `journaltitle`, `location`).
///
/// Field by field (see ``BibTeXMapping`` for the reverse):
/// - names: `von Last, Jr, First`, organisations braced (`{World Health Organization}`), a family name that BibTeX
///   would split braced; ORCIDs as `author+an:orcid = {1="…"}`; `extra.bibtex.@and-others` adds `and others`;
/// - `title` and `subtitle` (biblatex) or `title = {Title: Subtitle}` (bibtex, reported as a loss of the split);
/// - the container as `journal`/`journaltitle` for articles and periodicals, `booktitle` otherwise;
/// - dates: biblatex `date = {EDTF}`; bibtex `year` + `month = jun` (a macro), plus `date` when the date says more
///   than year and month; a literal date as `year`, or as biblatex `pubstate` for `in press`, `forthcoming`…;
/// - `pages` with `--`; `publisher` as `school` (bibtex theses), `institution` (biblatex theses, reports),
///   `howpublished` (bibtex `@misc`/`@booklet`) or `publisher`; `address`/`location`;
/// - PMID as biblatex `eprint` + `eprinttype = {pubmed}` or bibtex `pmid`; `pmcid`, `doi`, `isbn`, `issn`, `url`,
///   `urldate`, `eid`, `shortjournal`, `eventtitle`, `language`;
/// - keywords joined with `, `, or with `; ` when a keyword holds a comma, and each keyword that holds a `;` or `,`
///   besides braced, so that the reader splits them back exactly;
/// - the library fields in `smrl-domains`, `smrl-topics`, `smrl-professions` (lists joined like keywords),
///   `smrl-resource-type`, `smrl-open-access` (`true`/`false`), `smrl-description`, and `smrl-id` when the id could
///   not be used as the key as it is. bibtex ignores unknown fields and JabRef shows them; biber's tool mode drops
///   every field outside its data model, these included.
/// - `extra.bibtex.*` fields are written back as they were read; a field the writer already wrote from the model
///   wins and the extra one is reported as a loss. `extra` of other formats is reported as lost.
///
/// Citation keys: the record's id (made safe for BibTeX), or `family` + `year` + title word when it has none; a
/// repeated key gets `a`, `b`… appended. The setting `bibtex.keys = generate` always generates keys.
public struct BibTeXWriter: RecordWriter {
    public let dialect: BibTeXDialect
    private var keys = CitationKeys()
    private let generateKeys: Bool
    private var first = true
    /// The bytes of the last entry, kept for their memory.
    private var buffer = ByteBuffer(capacity: 4096)
    /// The names of the last entry's fields (``BibTeXEntryWriter/names``), kept for their memory.
    private var names = ByteBuffer(capacity: 512)

    public init(dialect: BibTeXDialect, options: WriterOptions = WriterOptions()) {
        self.dialect = dialect
        generateKeys = options.settings["bibtex.keys"]?.lowercased() == "generate"
    }

    public mutating func begin(into sink: OutputSink) throws {
        if dialect == .biblatex { sink.write("% Encoding: UTF-8\n\n") }
    }

    public mutating func end(into sink: OutputSink) throws {}

    public mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
        let (key, fromID) = keys.key(for: record, generate: generateKeys)
        // The entry is written as UTF-8 into one buffer, kept from record to record, and written at once.
        var text = ByteBuffer()
        swap(&text, &buffer)
        text.removeAll()
        if !first { text.append(0x0A) }
        first = false
        // (The pointer does not outlive the closure: only what the entry wrote leaves it.)
        let losses = withUnsafePointer(to: record) { pointer in
            var entry = BibTeXEntryWriter(dialect: dialect, record: pointer, text: &text, names: &names)
            entry.build(key: key, keyIsID: fromID && key == record.id)
            swap(&text, &entry.text)
            swap(&names, &entry.names)
            return entry.losses
        }
        text.append(0x0A)
        text.append(UInt8(ascii: "}"))
        text.append(0x0A)
        text.flush(into: sink)
        swap(&text, &buffer)
        return losses
    }
}

/// The name of a field the writer writes from the record: a literal, whose UTF-8 is copied into the entry at once
/// and compared without a String.
struct FieldName: ExpressibleByStringLiteral {
    let literal: StaticString

    init(stringLiteral literal: StaticString) {
        self.literal = literal
    }

    /// The name's UTF-8, read in place (a string literal's bytes lie in static memory; no closure per use, as
    /// `withUTF8Buffer` takes).
    @inline(__always)
    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }
}

/// Builds the fields of one entry.
private struct BibTeXEntryWriter {
    let dialect: BibTeXDialect
    /// The record, borrowed for the entry (a copy of a `Resource` retains and releases every field).
    let record: UnsafePointer<Resource>
    var entryType = "misc"
    /// The fields in order as UTF-8, each `,\n  name = {value}` (a bare value, a month macro, without braces):
    /// values are encoded straight into it, with no String per value.
    var text = ByteBuffer()
    /// The names of the fields written, in order: each as its length (eight bytes) and its UTF-8.
    var names = ByteBuffer()
    var losses: [Loss] = []
    /// The record's `extra.bibtex`.
    private let extra: [String: [String]]
    /// One bit per name written (``nameBit(_:)``): a name whose bit is clear was not written, the answer to most
    /// asks without a scan.
    private var writtenBits: UInt64 = 0

    /// True when a field of that name was written.
    @inline(__always)
    private func has(_ name: FieldName) -> Bool {
        has(bytes: name.bytes)
    }

    private func has(string name: String) -> Bool {
        var copy = name
        return copy.withUTF8 { has(bytes: $0) }
    }

    /// ``has(_:)`` on a name's UTF-8: its bit (inlined: most asks end there), then a scan.
    @inline(__always)
    private func has(bytes name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard writtenBits & Self.nameBit(name) != 0 else { return false }
        return namesHold(name)
    }

    /// Whether ``names`` holds the name (an entry has some twenty fields).
    private func namesHold(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let written = names.unsafeBytes(from: 0)
        guard let base = written.baseAddress else { return false }
        var index = 0
        while index &+ 8 <= written.count {
            let length = Int(truncatingIfNeeded: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            index &+= 8
            if length == name.count {
                var offset = 0
                while offset < length, written[index &+ offset] == name[offset] { offset &+= 1 }
                if offset == length { return true }
            }
            index &+= length
        }
        return false
    }

    /// Notes a field as written.
    @inline(__always)
    private mutating func noteWritten(_ name: FieldName) {
        noteWritten(bytes: name.bytes)
    }

    private mutating func noteWritten(string name: String) {
        var copy = name
        copy.withUTF8 { noteWritten(bytes: $0) }
    }

    private mutating func noteWritten(bytes name: UnsafeBufferPointer<UInt8>) {
        writtenBits |= Self.nameBit(name)
        names.prepare(8 &+ name.count)
        names.put(word: UInt64(littleEndian: UInt64(name.count)))
        if let start = name.baseAddress { names.put(start, count: name.count) }
    }

    /// The bit of a name in ``writtenBits``: from its length and its last byte (of the names the writer writes from
    /// the record, only `doi`/`eid` and `year`/`date`… share one).
    @inline(__always)
    static func nameBit(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let last = name.isEmpty ? 0 : Int(name[name.count &- 1])
        return 1 &<< UInt64(truncatingIfNeeded: (name.count &* 8 &+ last) & 63)
    }

    /// An entry writer that appends to `text` and notes its fields' names in `names` (which it takes, leaving them
    /// empty, and empties).
    init(dialect: BibTeXDialect, record: UnsafePointer<Resource>, text: inout ByteBuffer, names: inout ByteBuffer) {
        self.dialect = dialect
        self.record = record
        extra = record.pointee.extra[BibTeXMapping.format] ?? [:]
        swap(&self.text, &text)
        self.text.reserveCapacity(self.text.count + 2048)
        swap(&self.names, &names)
        self.names.removeAll()
    }

    private var ascii: Bool { dialect == .bibtex }

    // MARK: Values

    /// Starts a braced field: writes `,\n  name = {` and returns where the field starts (for ``endField(_:from:)``).
    private mutating func beginField(_ name: FieldName) -> Int {
        let start = text.count
        appendFieldHead(name.bytes)
        return start
    }

    /// Writes `,\n  name = {`, the head of every braced field: one room check, the four bytes before the name, the
    /// name's bytes and the four after it.
    @inline(__always)
    private mutating func appendFieldHead(_ name: UnsafeBufferPointer<UInt8>) {
        text.prepare(name.count &+ 8)
        text.put(UInt8(ascii: ","), 0x0A)
        text.put(0x20, 0x20)
        if let start = name.baseAddress { text.put(start, count: name.count) }
        text.put(0x20, UInt8(ascii: "="))
        text.put(0x20, UInt8(ascii: "{"))
    }

    /// Ends the field begun at `start`: it is kept (and closed) when its value is not empty and no field of that
    /// name was written before, as ``add(_:latex:)`` would; otherwise it is taken back.
    private mutating func endField(_ name: FieldName, from start: Int) {
        if text.count == start + name.literal.utf8CodeUnitCount + 8 || has(name) {
            text.truncate(to: start)
            return
        }
        text.append(UInt8(ascii: "}"))
        noteWritten(name)
    }

    private mutating func add(_ name: FieldName, latex: String) {
        guard !latex.isEmpty, !has(name) else { return }
        appendFieldHead(name.bytes)
        appendUTF8(latex)
        text.append(UInt8(ascii: "}"))
        noteWritten(name)
    }

    /// A field of `extra.bibtex`, named as it was read.
    private mutating func appendField(_ name: String, _ value: String) {
        var copy = name
        copy.withUTF8 { appendFieldHead($0) }
        appendUTF8(value)
        text.append(UInt8(ascii: "}"))
        noteWritten(string: name)
    }

    /// Appends a literal's UTF-8 at once (inlined: with the literal known where it is called, the copy is a few
    /// stores rather than a call).
    @inline(__always)
    private mutating func appendLiteral(_ literal: StaticString) {
        text.prepare(literal.utf8CodeUnitCount)
        text.put(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// Appends the UTF-8 of a String at once (`append(contentsOf: string.utf8)` goes byte by byte).
    private mutating func appendUTF8(_ string: String) {
        var copy = string
        copy.withUTF8 { text.append(contentsOf: $0) }
    }

    /// Appends the LaTeX of `value` to the entry's text.
    private mutating func encode(_ value: String, key: String, rich: Bool = false, paragraphs: Bool = false) {
        let unencodable = LaTeXEncoder.encode(value, rich: rich, ascii: ascii, paragraphs: paragraphs, into: &text)
        if unencodable > 0 {
            losses.append(Loss(key, "\(unencodable) character(s) without a LaTeX command kept as UTF-8", kind: .changed))
        }
    }

    /// The LaTeX of `value` as a String (for the rare paths that assemble it).
    private mutating func encodedString(_ value: String, key: String) -> String {
        let result = LaTeXEncoder.encode(value, rich: false, ascii: ascii)
        if result.unencodable > 0 {
            losses.append(Loss(key, "\(result.unencodable) character(s) without a LaTeX command kept as UTF-8", kind: .changed))
        }
        return result.latex
    }

    private mutating func addText(_ name: FieldName, _ value: String?, key: String, rich: Bool = false,
        paragraphs: Bool = false)
    {
        guard let value, !value.isEmpty else { return }
        let start = beginField(name)
        encode(value, key: key, rich: rich, paragraphs: paragraphs)
        endField(name, from: start)
    }

    /// A verbatim value (URL, DOI): written as it is, with braces escaped only if they do not balance.
    private mutating func addVerbatim(_ name: FieldName, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        if BibTeXWriter.isPlainVerbatim(value) {
            // Nothing to replace, filter or escape, and nothing to report.
            add(name, latex: value)
            return
        }
        var text = value.replacingNoBreakSpaces
        // (A Character that is a line break holds a line-break byte: without one the filter keeps everything.)
        if text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            text = String(text.filter { $0 != "\n" && $0 != "\r" })
        }
        if !BibTeXMapping.isBalanced(text) {
            text = text.replacingBraces
        }
        if ascii, text.utf8.contains(where: { $0 >= 0x80 }) {
            // A verbatim field cannot be written as LaTeX; it keeps its characters.
            let field = name.literal.description
            losses.append(Loss(field == "smrl-id" ? "id" : field, "non-ASCII characters kept as UTF-8 in a verbatim field", kind: .changed))
        }
        add(name, latex: text)
    }

    // MARK: Build

    mutating func build(key: String, keyIsID: Bool) {
        chooseType()
        text.append(UInt8(ascii: "@"))
        appendUTF8(entryType)
        text.append(UInt8(ascii: "{"))
        appendUTF8(key)
        if record.pointee.type == .articleMagazine || record.pointee.type == .articleNewspaper, entryType == "article" {
            add("entrysubtype", latex: record.pointee.type == .articleMagazine ? "magazine" : "newspaper")
        }
        if !keyIsID, let id = record.pointee.id, !id.isEmpty { addVerbatim("smrl-id", id) }
        addNames("author", orcids: "author+an:orcid", record.pointee.authors, key: "authors")
        addNames("editor", orcids: "editor+an:orcid", record.pointee.editors, key: "editors")
        addNames("translator", orcids: "translator+an:orcid", record.pointee.translators, key: "translators")
        addTitles()
        addContainer()
        addText("series", record.pointee.collectionTitle, key: "collectionTitle")
        addText("edition", record.pointee.edition, key: "edition")
        addText("volume", record.pointee.volume, key: "volume")
        addText("number", record.pointee.issue, key: "issue")
        if let pages = record.pointee.pages, !pages.isEmpty {
            let start = beginField("pages")
            encode(BibTeXWriter.pagesWithDashes(pages), key: "pages")
            endField("pages", from: start)
        }
        addText("eid", record.pointee.articleNumber, key: "articleNumber")
        addDates()
        addPublisher()
        addText(dialect == .biblatex ? "location" : "address", record.pointee.publisherPlace, key: "publisherPlace")
        addText("eventtitle", record.pointee.event, key: "event")
        addVerbatim("doi", record.pointee.doi)
        addIdentifiers()
        addVerbatim("url", record.pointee.url)
        if let accessed = record.pointee.accessed { add("urldate", latex: accessed.description) }
        addText("language", record.pointee.language, key: "language")
        if !record.pointee.keywords.isEmpty {
            let start = beginField("keywords")
            joinList(record.pointee.keywords, key: "keywords")
            endField("keywords", from: start)
        }
        addText("abstract", record.pointee.abstract, key: "abstract", rich: true, paragraphs: true)
        addText("note", record.pointee.note, key: "note", paragraphs: true)
        addLibraryFields()
        addExtra()
    }

    private mutating func chooseType() {
        let standard = BibTeXMapping.entryType(for: record.pointee, dialect: dialect)
        entryType = standard
        if let original = extra[BibTeXMapping.typeKey]?.first?.lowercased(),
            BibTeXMapping.itemType(forEntryType: original, subtype: record.pointee.type == .articleMagazine ? "magazine"
                : record.pointee.type == .articleNewspaper ? "newspaper" : nil) == record.pointee.type
                || (original == "xdata" && record.pointee.type == .document),
            dialect == .bibtex ? BibTeXMapping.bibtexTypes.contains(original) : BibTeXMapping.biblatexTypes.contains(original)
        {
            entryType = original
        }
        let readBack = BibTeXMapping.itemType(forEntryType: entryType,
            subtype: record.pointee.type == .articleMagazine ? "magazine" : record.pointee.type == .articleNewspaper ? "newspaper" : nil)
        // `@unpublished` with an `eventtitle` (written for the event) reads back as a talk.
        let talk = entryType == "unpublished" && !(record.pointee.event ?? "").isEmpty
        if talk && record.pointee.type == .manuscript {
            losses.append(Loss("type",
                "a manuscript with an event is written as @unpublished with eventtitle, which reads back as a talk (speech)",
                kind: .changed))
        } else if readBack != record.pointee.type && !(talk && record.pointee.type == .speech) {
            losses.append(Loss("type", "'\(record.pointee.type.rawValue)' has no \(dialect.rawValue) entry type; written as @\(entryType)", kind: .changed))
        }
    }

    private mutating func addTitles() {
        switch dialect {
        case .biblatex:
            addText("title", record.pointee.title, key: "title", rich: true)
            addText("subtitle", record.pointee.subtitle, key: "subtitle", rich: true)
        case .bibtex:
            if let subtitle = record.pointee.subtitle, !subtitle.isEmpty {
                let joined = (record.pointee.title.map { $0 + ": " } ?? "") + subtitle
                addText("title", joined, key: "title", rich: true)
                losses.append(Loss("subtitle", "joined to the title with ': '", kind: .changed))
            } else {
                addText("title", record.pointee.title, key: "title", rich: true)
            }
        }
        addText("shorttitle", record.pointee.shortTitle, key: "shortTitle")
    }

    private mutating func addContainer() {
        guard let container = record.pointee.containerTitle, !container.isEmpty else {
            addText("shortjournal", record.pointee.containerTitleShort, key: "containerTitleShort")
            return
        }
        switch record.pointee.type {
        case .articleJournal, .articleMagazine, .articleNewspaper, .article, .review, .reviewBook, .periodical:
            addText(dialect == .biblatex ? "journaltitle" : "journal", container, key: "containerTitle", rich: true)
        case _ where BibTeXReader.containerTypes.contains(entryType):
            // A book-like entry's own `booktitle` is its title again (crossref parents); its container is a journal.
            addText(dialect == .biblatex ? "journaltitle" : "journal", container, key: "containerTitle", rich: true)
        default:
            addText("booktitle", container, key: "containerTitle", rich: true)
        }
        addText("shortjournal", record.pointee.containerTitleShort, key: "containerTitleShort")
    }

    private mutating func addPublisher() {
        guard let publisher = record.pointee.publisher, !publisher.isEmpty else { return }
        let name: FieldName
        switch (entryType, dialect) {
        case ("phdthesis", _), ("mastersthesis", _): name = dialect == .bibtex ? "school" : "institution"
        case ("thesis", _), ("report", _), ("techreport", _): name = "institution"
        case ("manual", _): name = "organization"
        case ("misc", .bibtex), ("booklet", .bibtex): name = "howpublished"
        default: name = "publisher"
        }
        // When the entry keeps its own school or institution beside a publisher, the publisher stays `publisher`.
        let keepsOwn = extra["school"] != nil || extra["institution"] != nil || extra["organization"] != nil
            || extra["howpublished"] != nil
        addText(keepsOwn ? "publisher" : name, publisher, key: "publisher")
    }

    private mutating func addIdentifiers() {
        if let pmid = record.pointee.pmid, !pmid.isEmpty {
            if dialect == .biblatex && extra["eprint"] == nil && extra["eprinttype"] == nil {
                add("eprint", latex: pmid)
                add("eprinttype", latex: "pubmed")
            } else {
                addVerbatim("pmid", pmid)
            }
        }
        addVerbatim("pmcid", record.pointee.pmcid)
        if !record.pointee.isbn.isEmpty { addVerbatim("isbn", record.pointee.isbn.joined(separator: ", ")) }
        if !record.pointee.issn.isEmpty { addVerbatim("issn", record.pointee.issn.joined(separator: ", ")) }
    }

    // MARK: Dates

    private mutating func addDates() {
        guard let issued = record.pointee.issued else { return }
        if let literal = issued.literal {
            if dialect == .biblatex, let state = BibTeXPubstate.key(for: literal) {
                add("pubstate", latex: state)
            } else {
                addText("year", literal, key: "issued")
            }
            return
        }
        switch dialect {
        case .biblatex:
            add("date", latex: issued.description)
        case .bibtex:
            if issued.isInterval, let start = issued.start?.year, let end = issued.end?.year,
                issued.start?.month == nil, issued.end?.month == nil, !issued.approximate, !issued.uncertain
            {
                add("year", latex: "\(start)--\(end)")
                return
            }
            guard let point = issued.start ?? issued.end else { return }
            // `year = {EDTFDate(year:).description}` and `month = macro`, written from the numbers (no Strings).
            if !has("year") {
                appendLiteral(",\n  year = {")
                BibTeXWriter.appendYear(point.year, to: &text)
                text.append(UInt8(ascii: "}"))
                noteWritten("year")
            }
            if let month = point.month, let macro = BibTeXWriter.monthMacroLiteral(month), !issued.isInterval,
                !has("month")
            {
                appendLiteral(",\n  month = ")
                appendLiteral(macro)
                noteWritten("month")
            }
            let plain = !issued.isInterval && !issued.approximate && !issued.uncertain && point.day == nil
                && (point.month.map { $0 <= 12 } ?? true)
            if !plain { add("date", latex: issued.description) }
        }
    }

    // MARK: Names

    private mutating func addNames(_ field: FieldName, orcids orcidField: FieldName, _ people: [Person], key: String) {
        let others = extra[BibTeXMapping.othersKey]?.contains(field.literal.description) == true
        guard !people.isEmpty || others else { return }
        var orcids: [String] = []
        let start = beginField(field)
        var written = 0
        // The people are read in place (a copy of a `Person` retains and releases each of its parts).
        people.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for index in buffer.indices {
                if writeName(base + index, key: key, separated: written > 0) { written += 1 }
                if let orcid = base[index].orcid { orcids.append("\(index + 1)=\"\(orcid)\"") }
            }
        }
        if others { written > 0 ? appendLiteral(" and others") : appendLiteral("others") }
        endField(field, from: start)
        if !orcids.isEmpty { add(orcidField, latex: orcids.joined(separator: "; ")) }
    }

    /// Writes one name (after ` and ` when `separated`); false when the person has no name to write.
    private mutating func writeName(_ person: UnsafePointer<Person>, key: String, separated: Bool) -> Bool {
        if let literal = person.pointee.literal, person.pointee.family == nil {
            if separated { appendLiteral(" and ") }
            text.append(UInt8(ascii: "{"))
            encode(literal, key: key)
            text.append(UInt8(ascii: "}"))
            return true
        }
        var particle = person.pointee.particle ?? ""
        if let dropping = person.pointee.droppingParticle, !dropping.isEmpty {
            particle = particle.isEmpty ? dropping : dropping + " " + particle
            losses.append(Loss(key, "dropping particle '\(dropping)' written as a von part", kind: .changed))
        }
        let family = person.pointee.family ?? ""
        let given = person.pointee.given ?? ""
        let suffix = person.pointee.suffix ?? ""
        if family.isEmpty && particle.isEmpty && given.isEmpty && suffix.isEmpty { return false }
        if separated { appendLiteral(" and ") }
        let particleUpper = BibTeXWriter.startsUppercase(particle)
        if dialect == .biblatex && (particleUpper || (family.isEmpty && !given.isEmpty)) {
            // The extended name format keeps what the BibTeX rules cannot express.
            var items = 0
            func item(_ label: String) {
                if items > 0 { appendLiteral(", ") }
                appendUTF8(label)
                items += 1
            }
            if !family.isEmpty {
                item("family={")
                encode(family, key: key)
                text.append(UInt8(ascii: "}"))
            }
            if !given.isEmpty {
                item("given={")
                encode(given, key: key)
                text.append(UInt8(ascii: "}"))
            }
            if !particle.isEmpty {
                item("prefix={")
                encode(particle, key: key)
                appendLiteral("}, useprefix=true")
            }
            if !suffix.isEmpty {
                item("suffix={")
                encode(suffix, key: key)
                text.append(UInt8(ascii: "}"))
            }
            return true
        }
        // The von part comes first in the text, but the family name is encoded first (its losses come first).
        let familyStart = text.count
        if !family.isEmpty { namePart(family, key: key, protectWords: true) }
        if !particle.isEmpty {
            let particleStart = text.count
            if particleUpper {
                losses.append(Loss(key, "capitalised particle '\(particle)' written as part of the family name", kind: .changed))
                text.append(UInt8(ascii: "{"))
                encode(particle, key: key)
                appendLiteral("} ")
            } else {
                namePart(particle, key: key, protectWords: false)
                text.append(UInt8(ascii: " "))
            }
            // family + particle → particle + family.
            let familyText = text.withBytes(from: familyStart) { Array($0.prefix(particleStart - familyStart)) }
            text.removeSubrange(familyStart..<particleStart)
            text.append(contentsOf: familyText)
        }
        if family.isEmpty && particle.isEmpty { appendLiteral("{}") }
        if !suffix.isEmpty {
            appendLiteral(", ")
            namePart(suffix, key: key, protectWords: false)
        }
        if !given.isEmpty || !suffix.isEmpty {
            appendLiteral(", ")
            namePart(given, key: key, protectWords: false)
        }
        return true
    }

    /// One part of a name, braced when BibTeX would read it differently (``namePartNeedsBracesSlowly(_:protectWords:ascii:)``).
    private mutating func namePart(_ value: String, key: String, protectWords: Bool) {
        let ascii = ascii
        var copy = value
        // A part written as it is (printable ASCII without LaTeX specials, ``LaTeXEncoder/writtenRunEnd(_:from:)``;
        // most names) is its own LaTeX: its bytes are copied without the encoder, as the encoder would copy them.
        let copied = copy.withUTF8 { bytes -> Bool in
            guard LaTeXEncoder.writtenRunEnd(bytes, from: 0) == bytes.count,
                let braced = BibTeXWriter.namePartNeedsBraces(bytes, of: value, protectWords: protectWords, ascii: ascii)
            else { return false }
            appendWritten(bytes, braced: braced)
            return true
        }
        if copied { return }
        encode(value, key: key, bracedWhen: { bytes in
            BibTeXWriter.namePartNeedsBraces(bytes, of: value, protectWords: protectWords, ascii: ascii)
                ?? BibTeXWriter.namePartNeedsBracesSlowly(value, protectWords: protectWords, ascii: ascii)
        })
    }

    /// Appends bytes that are their own LaTeX (``LaTeXEncoder/writtenRunEnd(_:from:)`` reaches their end: the encoder
    /// would copy them as they are), in braces when `braced`.
    @inline(__always)
    private mutating func appendWritten(_ bytes: UnsafeBufferPointer<UInt8>, braced: Bool) {
        text.prepare(bytes.count &+ 2)
        if braced { text.put(UInt8(ascii: "{")) }
        if let base = bytes.baseAddress { text.put(base, count: bytes.count) }
        if braced { text.put(UInt8(ascii: "}")) }
    }

    /// Appends the LaTeX of a plain-text `value` (``encode(_:key:rich:paragraphs:)``), in braces when `needsBraces`
    /// says so: the test and the encoding read the same UTF-8.
    private mutating func encode(
        _ value: String, key: String, bracedWhen needsBraces: (UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        var copy = value
        let ascii = ascii
        let unencodable = copy.withUTF8 { bytes -> Int in
            let braced = needsBraces(bytes)
            if braced { text.append(UInt8(ascii: "{")) }
            let unencodable = LaTeXEncoder.encode(bytes, of: value, ascii: ascii, into: &text)
            if braced { text.append(UInt8(ascii: "}")) }
            return unencodable
        }
        if unencodable > 0 {
            losses.append(Loss(key, "\(unencodable) character(s) without a LaTeX command kept as UTF-8", kind: .changed))
        }
    }

    // MARK: Lists and library fields

    /// Joins a list so that ``BibTeXMapping/splitList(_:)`` splits it back exactly.
    private mutating func joinList(_ items: [String], key: String) {
        let (hasComma, hasSemicolon) = BibTeXWriter.listPunctuation(items)
        let separator: StaticString = hasComma && !hasSemicolon ? "; " : ", "
        for (index, item) in items.enumerated() {
            if index > 0 { appendLiteral(separator) }
            // With `; ` between items a comma needs no braces, unless there is no `;` to split at (one item).
            let needsBraces = (hasSemicolon || items.count == 1) && item.bibContainsCommaOrSemicolon
            if needsBraces { text.append(UInt8(ascii: "{")) }
            encode(item, key: key)
            if needsBraces { text.append(UInt8(ascii: "}")) }
        }
    }

    /// Library lists: always `; `, each item that holds `,` or `;` braced, so even one label with commas is never
    /// split.
    private mutating func addLibraryList(_ name: FieldName, _ items: [String], key: String) {
        guard !items.isEmpty else { return }
        let start = beginField(name)
        for (index, item) in items.enumerated() {
            if index > 0 { appendLiteral("; ") }
            // An item written as it is (most labels, `students-faculty`) is copied without the encoder; it is ASCII,
            // so the bytes decide whether it holds `,` or `;`.
            var copy = item
            let copied = copy.withUTF8 { bytes -> Bool in
                guard LaTeXEncoder.writtenRunEnd(bytes, from: 0) == bytes.count,
                    let braced = LaTeXEncoder.containsPunctuation(bytes, UInt8(ascii: ","), or: UInt8(ascii: ";"))
                else { return false }
                appendWritten(bytes, braced: braced)
                return true
            }
            if copied { continue }
            // (``String/bibContainsCommaOrSemicolon`` on the bytes the item is encoded from.)
            encode(item, key: key, bracedWhen: { bytes in
                LaTeXEncoder.containsPunctuation(bytes, UInt8(ascii: ","), or: UInt8(ascii: ";"))
                    ?? item.bibContainsCommaOrSemicolon
            })
        }
        endField(name, from: start)
    }

    private mutating func addLibraryFields() {
        addLibraryList("smrl-domains", record.pointee.domains, key: "domains")
        addLibraryList("smrl-topics", record.pointee.topics, key: "topics")
        addLibraryList("smrl-professions", record.pointee.professions, key: "professions")
        addText("smrl-resource-type", record.pointee.resourceType, key: "resourceType")
        if let openAccess = record.pointee.openAccess { add("smrl-open-access", latex: openAccess ? "true" : "false") }
        addText("smrl-description", record.pointee.description, key: "description", paragraphs: true)
    }

    private mutating func addExtra() {
        for (format, fieldsOfFormat) in record.pointee.extra.sorted(by: { $0.key < $1.key }) {
            for (name, values) in fieldsOfFormat.sorted(by: { $0.key < $1.key }) {
                if format != BibTeXMapping.format {
                    losses.append(Loss("extra.\(format).\(name)"))
                    continue
                }
                if name.hasPrefix("@") { continue }
                guard Self.isFieldName(name) else {
                    losses.append(Loss("extra.bibtex.\(name)", "not a BibTeX field name"))
                    continue
                }
                let dateField = ["year", "month", "day", "date"].contains(name.lowercased())
                for (index, value) in values.enumerated() {
                    if dateField && record.pointee.issued != nil {
                        losses.append(Loss("extra.bibtex.\(name)", "the date was written from the record"))
                        continue
                    }
                    if has(string: name.lowercased()) || index > 0 {
                        losses.append(Loss("extra.bibtex.\(name)",
                            index > 0 ? "a field appears once in an entry; extra value dropped"
                                : "the field was written from the record; the extra value was dropped"))
                        continue
                    }
                    var latex = value.bibTrimmed
                    if !BibTeXMapping.isBalanced(latex) { latex = latex.replacingBraces }
                    if ascii && latex.unicodeScalars.contains(where: { !$0.isASCII }) {
                        // Read from a UTF-8 .bib: the LaTeX source itself is UTF-8; encode its characters.
                        latex = encodeNonASCIIOnly(latex, key: "extra.bibtex.\(name)")
                    }
                    appendField(name.lowercased(), latex)
                }
            }
        }
    }

    /// Encodes only the non-ASCII characters of LaTeX source (for the 7-bit dialect).
    private mutating func encodeNonASCIIOnly(_ latex: String, key: String) -> String {
        var result = ""
        var run = ""
        for character in latex {
            if character.isASCII {
                if !run.isEmpty {
                    result += encodedString(run, key: key)
                    run = ""
                }
                result.append(character)
            } else {
                run.append(character)
            }
        }
        if !run.isEmpty { result += encodedString(run, key: key) }
        return result
    }

    static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(BibTeXScanner.isIdentifierByte)
            && !(name.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? true)
    }
}

extension BibTeXMapping {
    /// True when the braces of a value balance (escaped braces aside).
    static func isBalanced(_ text: String) -> Bool {
        var depth = 0
        var escaped = false
        for byte in text.utf8 {
            if escaped {
                escaped = false
                continue
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth < 0 { return false }
            }
        }
        return depth == 0
    }
}

extension String {
    /// Braces escaped, for a value whose braces do not balance.
    var replacingBraces: String {
        var result = ""
        for character in self {
            switch character {
            case "{": result += "\\{"
            case "}": result += "\\}"
            default: result.append(character)
            }
        }
        return result
    }
}

extension BibTeXWriter {
    /// True when a verbatim value is ASCII without line breaks and braces: the entry writer's `addVerbatim` writes it as it
    /// is (no no-break space, which is not ASCII; nothing to filter; balanced; no loss).
    static func isPlainVerbatim(_ value: String) -> Bool {
        var copy = value
        return copy.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            if let base = bytes.baseAddress {
                // Eight bytes at a time: a high bit, or a byte equal to one of the four (a zero byte of the word XOR
                // the repeated byte: `(x - 0x01…) & ~x` has a high bit set exactly when some byte of `x` is zero).
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                @inline(__always) func holds(_ word: UInt64, _ byte: UInt8) -> Bool {
                    let x = word ^ (UInt64(byte) &* ones)
                    return (x &- ones) & ~x & highs != 0
                }
                while index &+ 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    if word & highs != 0 || holds(word, 0x0A) || holds(word, 0x0D) || holds(word, UInt8(ascii: "{"))
                        || holds(word, UInt8(ascii: "}"))
                    {
                        return false
                    }
                    index &+= 8
                }
            }
            while index < count {
                let byte = bytes[index]
                if byte >= 0x80 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") {
                    return false
                }
                index &+= 1
            }
            return true
        }
    }

    /// Whether some item holds a `,` and whether some item holds a `;` (``String/bibContainsPunctuation(_:)``):
    /// one pass over an item's bytes rules out both at once, and only an item that holds one of them (or that the
    /// bytes cannot decide) is asked about each.
    static func listPunctuation(_ items: [String]) -> (comma: Bool, semicolon: Bool) {
        var comma = false
        var semicolon = false
        for item in items {
            if comma && semicolon { break }
            var copy = item
            let either = copy.withUTF8 { LaTeXEncoder.containsPunctuation($0, UInt8(ascii: ","), or: UInt8(ascii: ";")) }
            if either == false { continue }
            if !comma { comma = item.bibContainsPunctuation(UInt8(ascii: ",")) }
            if !semicolon { semicolon = item.bibContainsPunctuation(UInt8(ascii: ";")) }
        }
        return (comma, semicolon)
    }

    /// ``namePartNeedsBracesSlowly(_:protectWords:ascii:)`` on the UTF-8 of the text, words split at the space
    /// byte; nil (ask the slow path) when a space has a neighbour that could join it in one Character (a combining
    /// mark after it, say), where a Character split could differ.
    static func namePartNeedsBraces(_ text: String, protectWords: Bool, ascii: Bool) -> Bool? {
        var copy = text
        return copy.withUTF8 { namePartNeedsBraces($0, of: text, protectWords: protectWords, ascii: ascii) }
    }

    /// ``namePartNeedsBraces(_:protectWords:ascii:)`` on the UTF-8 of `text`.
    static func namePartNeedsBraces(_ bytes: UnsafeBufferPointer<UInt8>, of text: String, protectWords: Bool,
        ascii: Bool) -> Bool?
    {
        let answer: Bool?? = { () -> Bool?? in
            let count = bytes.count
            // One word (most name parts): only the word `and` or a comma can need braces, and a comma in ASCII is
            // its byte; one pass finds spaces, commas and non-ASCII bytes.
            var space = false
            var comma = false
            var all: UInt8 = 0
            var index = 0
            if let base = bytes.baseAddress {
                // Eight bytes at a time: their high bits, and whether one is a space or a comma (a byte of the
                // word XOR the repeated byte is zero; `(x - 0x01…) & ~x` has a high bit set exactly when some byte
                // of `x` is zero).
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                var high: UInt64 = 0
                while index &+ 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    high |= word & highs
                    let spaces = word ^ (0x20 &* ones)
                    let commas = word ^ (UInt64(UInt8(ascii: ",")) &* ones)
                    if (spaces &- ones) & ~spaces & highs != 0 { space = true }
                    if (commas &- ones) & ~commas & highs != 0 { comma = true }
                    index &+= 8
                }
                if high != 0 { all = 0x80 }
            }
            while index < count {
                let byte = bytes[index]
                all |= byte
                if byte == 0x20 { space = true }
                if byte == UInt8(ascii: ",") { comma = true }
                index &+= 1
            }
            if !space {
                if count == 3 {
                    let a = bytes[0] | 0x20
                    let n = bytes[1] | 0x20
                    let d = bytes[2] | 0x20
                    if a == UInt8(ascii: "a") && n == UInt8(ascii: "n") && d == UInt8(ascii: "d") { return .some(true) }
                }
                if all < 0x80 { return .some(comma) }
                guard let comma = LaTeXEncoder.containsPunctuation(bytes, UInt8(ascii: ",")) else { return .none }
                return .some(comma)
            }
            for index in 0..<count where bytes[index] == 0x20 {
                if index > 0 && bytes[index - 1] >= 0x80 {
                    var lead = index - 1
                    while lead > 0, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
                    if !LaTeXEncoder.isInert(bytes, at: lead) { return .some(nil) }
                }
                if index + 1 < count && bytes[index + 1] >= 0x80 && !LaTeXEncoder.isInert(bytes, at: index + 1) {
                    return .some(nil)
                }
            }
            // The words, without an array of them: each is tested for `and` when found, and (for family names)
            // for a lowercase start once a later word shows it is not the last.
            var start = 0
            var previous: Range<Int>? = nil
            for index in 0...count where index == count || bytes[index] == 0x20 {
                defer { start = index + 1 }
                guard index > start else { continue }
                let word = start..<index
                // A word that lowercases to `and` is three ASCII letters (no other character lowercases to a, n or d).
                if word.count == 3 {
                    let a = bytes[word.lowerBound] | 0x20
                    let n = bytes[word.lowerBound + 1] | 0x20
                    let d = bytes[word.lowerBound + 2] | 0x20
                    if a == UInt8(ascii: "a") && n == UInt8(ascii: "n") && d == UInt8(ascii: "d") { return .some(true) }
                }
                if protectWords, let previous, isLowercaseWord(bytes, previous, ascii: ascii) { return .some(true) }
                previous = word
            }
            // Else a comma decides (``String/bibContainsPunctuation(_:)`` on these bytes; Foundation when it cannot say).
            guard let comma = LaTeXEncoder.containsPunctuation(bytes, UInt8(ascii: ",")) else { return .none }
            return .some(comma)
        }()
        switch answer {
        case .some(.some(let value)): return value
        case .some(.none): return nil
        case .none: return text.bibContains(",")
        }
    }

    /// True when BibTeX takes the word for a von part: lowercase by its own rule, on the word's LaTeX.
    private static func isLowercaseWord(_ bytes: UnsafeBufferPointer<UInt8>, _ word: Range<Int>, ascii: Bool) -> Bool {
        let slice = UnsafeBufferPointer(rebasing: bytes[word])
        if LaTeXEncoder.isSafeASCII(slice) {
            // Safe ASCII is its own LaTeX.
            return BibTeXNames.wordCase(bytes[word]) == .lower
        }
        var latex = ByteBuffer(capacity: slice.count * 2 + 16)
        _ = LaTeXEncoder.encode(String(decoding: slice, as: UTF8.self), rich: false, ascii: ascii, paragraphs: false,
            into: &latex)
        return BibTeXNames.wordCase(latex.array[...]) == .lower
    }

    /// One part of a name needs braces when BibTeX would read it differently: a comma, the word `and`, or (for
    /// family names) a lowercase word that would be taken for a von part. The general path, by Characters.
    static func namePartNeedsBracesSlowly(_ text: String, protectWords: Bool, ascii: Bool) -> Bool {
        let words = text.split(separator: " ")
        var needsBraces = text.bibContains(",") || words.contains { $0.lowercased() == "and" }
        if protectWords && words.count > 1 {
            // The words BibTeX would take for a von part: lowercase by its own rule (`'t`, `{\'e}t{\'e}`).
            needsBraces = needsBraces || words.dropLast().contains { word in
                let latex = LaTeXEncoder.encodeSlowly(String(word), rich: false, ascii: ascii).latex
                return BibTeXNames.wordCase(Array(latex.utf8)[...]) == .lower
            }
        }
        return needsBraces
    }

    /// `text.first?.isUppercase`, from the first byte when the first Character is one ASCII scalar (a second byte that
    /// is ASCII too, or none; a carriage return and a line feed, one Character, are not uppercase either way).
    static func startsUppercase(_ text: String) -> Bool {
        var copy = text
        let decided = copy.withUTF8 { bytes -> Bool? in
            guard let first = bytes.first else { return false }
            guard first < 0x80, bytes.count == 1 || bytes[1] < 0x80 else { return nil }
            return first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")
        }
        return decided ?? (text.first.map { $0.isUppercase } ?? false)
    }

    /// Appends a year as ``EDTFDate/description`` writes the year alone: its digits, at least four (zero-padded),
    /// after a `-` when it is negative.
    static func appendYear(_ year: Int, to text: inout ByteBuffer) {
        if year < 0 { text.append(UInt8(ascii: "-")) }
        var magnitude = year.magnitude
        // The digits backwards into a small buffer (an Int has at most 20), then at least four of them.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var count = 0
            repeat {
                digits[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            while count < 4 {
                digits[23 - count] = UInt8(ascii: "0")
                count += 1
            }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(24 - count)...]))
        }
    }

    /// ``BibTeXMapping/monthMacro(_:)`` as a literal.
    static func monthMacroLiteral(_ month: Int) -> StaticString? {
        switch month {
        case 1: "jan"
        case 2: "feb"
        case 3: "mar"
        case 4: "apr"
        case 5: "may"
        case 6: "jun"
        case 7: "jul"
        case 8: "aug"
        case 9: "sep"
        case 10: "oct"
        case 11: "nov"
        case 12: "dec"
        default: nil
        }
    }

    /// `493-518` → `493--518`; every single hyphen between two page parts becomes `--`: every run of hyphens and
    /// en dashes becomes one en dash (which the encoder writes `--`).
    static func pagesWithDashes(_ pages: String) -> String {
        // ASCII text: its Characters are its bytes (but `\r\n`, which is no hyphen either way).
        guard pages.utf8.allSatisfy({ $0 < 0x80 }) else { return pagesWithDashesSlowly(pages) }
        guard pages.utf8.contains(UInt8(ascii: "-")) else { return pages }
        var result: [UInt8] = []
        result.reserveCapacity(pages.utf8.count + 4)
        var previousHyphen = false
        for byte in pages.utf8 {
            if byte == UInt8(ascii: "-") {
                if !previousHyphen { result.append(contentsOf: [0xE2, 0x80, 0x93]) }
                previousHyphen = true
                continue
            }
            result.append(byte)
            previousHyphen = false
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// ``pagesWithDashes(_:)`` by Characters: the general path.
    static func pagesWithDashesSlowly(_ pages: String) -> String {
        var result = ""
        var previous: Character?
        var iterator = pages.makeIterator()
        while let character = iterator.next() {
            if character == "-" || character == "–" {
                if previous != "-" { result += "–" }
                previous = "-"
                continue
            }
            result.append(character)
            previous = character
        }
        return result
    }
}
