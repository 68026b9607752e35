import SMRLCore

@testable import SMRLRIS

// The RIS writer as it was before it wrote records as bytes into one buffer (main df2bed8), kept as the reference
// the byte paths are compared with (RISWriterBytePathTests): the same lines, the same losses, for every record.

/// The old writer's text and losses for one record.
func oldRISText(for record: Resource, newline: String = "\r\n") -> (text: String, losses: [Loss]) {
    var output = OldRISRecordText(newline: newline)
    var encoder = OldRISRecordEncoder(record: record)
    let losses = encoder.encode(into: &output)
    return (output.text, losses)
}

/// Accumulates the lines of one record.
struct OldRISRecordText {
    let newline: String
    /// The UTF-8 of the record so far (appending bytes costs less than growing a String piece by piece).
    private(set) var bytes: [UInt8] = []
    private let newlineBytes: [UInt8]

    init(newline: String) {
        self.newline = newline
        newlineBytes = Array(newline.utf8)
        bytes.reserveCapacity(2048)
    }

    /// The record's text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes `TAG  - value`; a value with line breaks continues on the following lines (blank lines dropped,
    /// and a continuation that would look like a tag joined to the line before it).
    /// Tags whose value had a line that looked like a tag and was joined to the line before it.
    var joinedTags: [String] = []

    mutating func line(_ tag: String, _ value: String) {
        if Self.isSingleLine(value) {
            // The common case: the value is the line as it is (no array of lines to build).
            bytes.append(contentsOf: tag.utf8)
            bytes.append(contentsOf: Self.separator)
            bytes.append(contentsOf: value.utf8)
            bytes.append(contentsOf: newlineBytes)
            return
        }
        let (lines, joined) = Self.splitLines(value)
        if joined { joinedTags.append(tag) }
        guard let first = lines.first else { return }
        bytes.append(contentsOf: tag.utf8)
        bytes.append(contentsOf: Self.separator)
        bytes.append(contentsOf: first.utf8)
        bytes.append(contentsOf: newlineBytes)
        for continuation in lines.dropFirst() {
            bytes.append(contentsOf: continuation.utf8)
            bytes.append(contentsOf: newlineBytes)
        }
    }

    static func lines(of value: String) -> [String] { splitLines(value).lines }

    /// True when the value is written as one line exactly as it is (what ``splitLines(_:)`` would return as
    /// `([value], false)`): no control character, NEL or line/paragraph separator, no white space at either end,
    /// no glued tag; a value with a non-ASCII character at an end also has no byte-order mark (which the
    /// general path removes).
    static func isSingleLine(_ value: String) -> Bool {
        let scan = value.withUTF8Bytes { bytes -> LineScan in
            var scan = LineScan()
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return scan }
            scan.first = bytes[0]
            scan.last = bytes[bytes.count - 1]
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            var index = 0
            while index < bytes.count {
                if index + 8 <= bytes.count {
                    // A word of eight printable ASCII bytes (most of the text) needs only the two-space check. A
                    // word with a control byte, DEL or a non-ASCII byte goes through the exact byte test, and the
                    // next word is tried whole again (one accented letter does not send the rest of an abstract
                    // byte by byte). The space test may flag a pair that is not one, which only makes the exact
                    // glued-tag check run.
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                    let low = (word &- 0x20 &* ones) & ~word & highs
                    let high = ((word &+ ones) | word) & highs
                    if low | high == 0 {
                        let spaces = word ^ (0x20 &* ones)
                        let isSpace = (spaces &- ones) & ~spaces & highs
                        if isSpace & (isSpace << 8) != 0 || (scan.previous == 0x20 && word & 0xFF == 0x20) {
                            scan.doubleSpace = true
                        }
                        scan.beforePrevious = UInt8(truncatingIfNeeded: word >> 48)
                        scan.previous = UInt8(truncatingIfNeeded: word >> 56)
                        index += 8
                        continue
                    }
                    let end = index + 8
                    while index < end {
                        if !scan.take(bytes[index]) { return scan }
                        index += 1
                    }
                    continue
                }
                if !scan.take(bytes[index]) { return scan }
                index += 1
            }
            return scan
        }
        guard scan.clean, let first = scan.first, let last = scan.last, first != 0x20 && last != 0x20 else {
            return false
        }
        if first >= 0x80 || last >= 0x80 {
            guard !scan.bom, let head = value.unicodeScalars.first, let tail = value.unicodeScalars.last,
                !head.properties.isWhitespace, !tail.properties.isWhitespace
            else { return false }
        }
        return !scan.doubleSpace || RISScanner.gluedTag(in: Array(value.utf8)[...]) == nil
    }

    /// What ``isSingleLine(_:)`` learns on one pass over a value's bytes.
    private struct LineScan {
        var clean = true
        var doubleSpace = false
        var bom = false
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        var first: UInt8?
        var last: UInt8?

        /// Takes one byte; false (and `clean` false) when the value needs cleaning.
        @inline(__always)
        mutating func take(_ byte: UInt8) -> Bool {
            // Control characters, NEL (C2 85) and the line/paragraph separators (E2 80 A8/A9) need cleaning.
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte == 0x85)
                || (previous == 0x80 && (byte == 0xA8 || byte == 0xA9))
            {
                clean = false
                return false
            }
            // A glued tag needs two spaces in a row before it.
            if byte == 0x20 && previous == 0x20 { doubleSpace = true }
            if byte == 0xBF && previous == 0xBB && beforePrevious == 0xEF { bom = true }
            beforePrevious = previous
            previous = byte
            return true
        }
    }

    /// The lines of a value, and whether a tag-like line had to be joined to the one before it.
    static func splitLines(_ value: String) -> (lines: [String], joined: Bool) {
        // The common case: one line with nothing to clean.
        if isSingleLine(value) { return ([value], false) }
        var lines: [String] = []
        var joined = false
        var current = ""
        func flush() {
            var trimmed = current.trimmed
            if !trimmed.isEmpty {
                var bytes = Array(trimmed.utf8)[...]
                // Text such as `x   DO  - y` would be read as a second tag glued to this line: one space
                // before it keeps it text.
                while let glued = RISScanner.gluedTag(in: bytes) {
                    bytes = bytes[..<glued.cut] + [0x20] + bytes[glued.offset...]
                    joined = true
                }
                trimmed = String(decoding: bytes, as: UTF8.self)
                if !lines.isEmpty, RISScanner.risTag(bytes) != nil || RISScanner.isOvidMarker(bytes) {
                    lines[lines.count - 1] += " " + trimmed
                    joined = true
                } else {
                    lines.append(trimmed)
                }
            }
            current = ""
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n", "\r", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}", "\u{85}": flush()
            case "\t": current.unicodeScalars.append(" ")
            case "\u{FEFF}": continue  // a stray byte-order mark; at a line start it would hide a tag
            default:
                if scalar.value < 0x20 { continue }
                current.unicodeScalars.append(scalar)
            }
        }
        flush()
        return (lines, joined)
    }

    /// `  - ` between a tag and its value.
    private static let separator: [UInt8] = [0x20, 0x20, 0x2D, 0x20]

    mutating func end() {
        bytes.append(contentsOf: "ER  - ".utf8)
        bytes.append(contentsOf: newlineBytes)
        bytes.append(contentsOf: newlineBytes)
    }
}

/// Turns one resource into RIS tags, collecting what cannot be carried.
struct OldRISRecordEncoder {
    let record: Resource
    private var losses: [Loss] = []
    private var extra: [String: [String]]

    init(record: Resource) {
        self.record = record
        extra = record.extra["ris"] ?? [:]
    }

    private mutating func lose(_ field: String, _ detail: String? = nil, kind: Loss.Kind = .dropped) {
        let loss = Loss(field, detail, kind: kind)
        if !losses.contains(loss) { losses.append(loss) }
    }

    /// Plain text of a rich-text value, noting a loss when markup was removed.
    private mutating func plain(_ value: String?, _ key: String) -> String? {
        guard let value, !value.isEmpty else { return nil }
        if Self.mayHoldMarkup(value), RichText.hasMarkup(value) {
            lose(key, "inline markup removed", kind: .changed)
            return RichText.plainText(value)
        }
        return value
    }

    /// False when the value cannot hold inline markup: every markup tag (``RichText/Style``) starts with `<`
    /// and then `i`, `b`, `s` or `/`, so a `<` followed by anything else (`p < 0.05`) is never markup and the
    /// tokenizer need not run over a long abstract.
    static func mayHoldMarkup(_ value: String) -> Bool {
        guard value.containsByte(0x3C) else { return false }
        return value.withUTF8Bytes { bytes in
            var previousLess = false
            for byte in bytes {
                if previousLess, byte == 0x69 || byte == 0x62 || byte == 0x73 || byte == 0x2F { return true }
                previousLess = byte == 0x3C
            }
            return false
        }
    }

    /// Takes the first extra value of `tag` that satisfies `matches`, so it is written in place of a generated one.
    private mutating func takeExtra(_ tag: String, where matches: (String) -> Bool) -> String? {
        guard var values = extra[tag], let index = values.firstIndex(where: matches) else { return nil }
        let value = values.remove(at: index)
        extra[tag] = values.isEmpty ? nil : values
        return value
    }

    private func typeInfo() -> (RISTypeInfo, storedUnused: String?) {
        let stored = extra["TY"]?.first
        if let stored, let info = RISTypeInfo.byCode[stored.uppercased()], info.type == record.type,
            info.role("AU") == .authors || record.authors.isEmpty
        {
            return (info, nil)
        }
        return (RISTypeInfo.export(record.type), stored)
    }

    mutating func encode(into out: inout OldRISRecordText) -> [Loss] {
        let (info, storedUnused) = typeInfo()
        extra["TY"] = nil
        if let storedUnused {
            lose("extra.ris.TY", "type code \(storedUnused) does not fit type \(record.type.rawValue); written as \(info.code)")
        }
        if info.type != record.type {
            lose("type", "\(record.type.rawValue) has no RIS type; written as \(info.code) (\(info.type.rawValue))", kind: .changed)
        }
        out.line("TY", info.code)
        if let id = record.id, !id.isEmpty { out.line("ID", id) }

        // Titles.
        var title = plain(record.title, "title")
        if let subtitle = plain(record.subtitle, "subtitle") {
            title = (title.map { $0 + ": " } ?? "") + subtitle
            lose("subtitle", "joined into TI after ': '", kind: .changed)
        }
        if let title { out.line("TI", title) }
        if let short = plain(record.shortTitle, "shortTitle") { out.line("ST", short) }

        // People.
        writePeople(record.authors, role: .authors, key: "authors", info: info, out: &out)
        writePeople(record.editors, role: .editors, key: "editors", info: info, out: &out)
        writePeople(record.translators, role: .translators, key: "translators", info: info, out: &out)

        // Container, event, series.
        let container = plain(record.containerTitle, "containerTitle")
        if info.code == "CONF", let event = record.event, !event.isEmpty {
            out.line("T2", event)
            if let container { out.line("C3", container) } else {
                lose("event", "written as T2 (conference name), which reads back as the container title", kind: .changed)
            }
        } else {
            if let container {
                if let tag = info.tag(for: .container), ["T2", "T3"].contains(tag) {
                    out.line(tag, container)
                } else {
                    // The type's T2 means something else; JF is read as the container in every type.
                    out.line("JF", container)
                }
            }
            if let event = record.event, !event.isEmpty { lose("event", "RIS has no event tag outside CONF") }
        }
        if let short = plain(record.containerTitleShort, "containerTitleShort") { out.line("J2", short) }
        if let series = plain(record.collectionTitle, "collectionTitle") {
            if let tag = info.tag(for: .collection), ["T2", "T3"].contains(tag) {
                out.line(tag, series)
            } else {
                lose("collectionTitle", "\(info.code) has no series tag")
            }
        }

        // Dates.
        if let issued = record.issued { writeIssued(issued, info: info, out: &out) }
        if let accessed = record.accessed {
            let raw = takeExtra("Y2") { value in
                if case .date(let date, _) = RISValues.date(value) { return date == accessed }
                return false
            }
            if let raw {
                out.line("Y2", raw)
            } else if Self.isPlain(accessed), let text = RISValues.risDate(accessed) {
                out.line("Y2", text)
            } else {
                out.line("Y2", accessed.description)
            }
        }

        // Numbers.
        if let volume = record.volume {
            if info.role("VL") == .volume { out.line("VL", volume) } else {
                lose("volume", "VL of \(info.code) means something else")
            }
        }
        if let issue = record.issue { out.line("IS", issue) }
        if let pages = record.pages, !pages.isEmpty {
            if info.role("SP") == .pages {
                if let range = RISValues.pageRange(pages) {
                    out.line("SP", range.first)
                    out.line("EP", range.last)
                } else {
                    out.line("SP", pages)
                }
            } else if RISValues.pageRange(pages) != nil {
                // SP is the number of pages here, but a range reads back as pages.
                out.line("SP", pages)
            } else {
                lose("pages", "\(info.code) uses SP for the number of pages")
            }
        }
        if let number = record.articleNumber, !number.isEmpty {
            if info.role("C7") == .articleNumber { out.line("C7", number) } else {
                lose("articleNumber", "\(info.code) has no article-number tag")
            }
        }
        if let edition = record.edition, !edition.isEmpty {
            if info.role("ET") == .edition { out.line("ET", edition) } else {
                lose("edition", "ET of \(info.code) is the e-pub date, not the edition")
            }
        }
        if let publisher = record.publisher { out.line("PB", publisher) }
        if let place = record.publisherPlace { out.line("CY", place) }

        // Identifiers.
        for issn in record.issn { out.line("SN", issn) }
        for isbn in record.isbn { out.line("SN", isbn) }
        if let doi = record.doi { out.line("DO", doi) }
        if let url = record.url { out.line("UR", url) }
        var extraNotes: [String] = []
        if let pmid = record.pmid {
            let databases = (extra["DB"] ?? []) + (extra["DP"] ?? [])
            let pubmedNamed = databases.contains(where: RISValues.namesPubMedOrMedline)
            if extra["AN"] == nil && (databases.isEmpty || pubmedNamed) {
                out.line("AN", pmid)
                if databases.isEmpty { out.line("DB", "PubMed") }
            } else {
                extraNotes.append("PMID: " + pmid)
            }
        }
        if let pmcid = record.pmcid {
            let tag: String? = switch info.code {
            case "JOUR", "ABST", "INPR", "JFULL": "C2"
            case "EJOUR": "C3"
            case "EBOOK", "ECHAP": "C7"
            default: nil
            }
            if let tag, extra[tag] == nil, !(tag == "C7" && record.articleNumber != nil) {
                out.line(tag, pmcid)
            } else {
                extraNotes.append("PMCID: " + pmcid)
            }
        }

        // Text.
        if let abstract = plain(record.abstract, "abstract") { out.line("AB", abstract) }
        for keyword in record.keywords where !keyword.isEmpty {
            // On the byte: the reader splits keywords at the byte (a `;` with a combining mark too), and a String
            // search for ";" went through StringProcessing for every keyword.
            if keyword.containsByte(0x3B) { lose("keywords", "keyword \"\(keyword)\" contains ';' and reads back as several", kind: .changed) }
            out.line("KW", keyword)
        }
        for tag in LibraryTags.tags(for: record) { out.line("KW", tag) }
        if let language = record.language { out.line("LA", language) }
        if let note = record.note {
            for line in OldRISRecordText.lines(of: note) { out.line("N1", line) }
        }
        for note in extraNotes { out.line("N1", note) }
        if let description = record.description, !description.isEmpty { out.line("RN", description) }

        // Tags kept from an earlier RIS read.
        for tag in extra.keys.sorted() {
            let bytes = Array(tag.utf8)
            guard bytes.count == 2, RISScanner.isLetter(bytes[0]),
                RISScanner.isLetter(bytes[1]) || RISScanner.isDigit(bytes[1]), tag == tag.uppercased(),
                tag != "ER" && tag != "TY"
            else {
                lose("extra.ris.\(tag)", "not a two-character RIS tag")
                continue
            }
            for value in extra[tag] ?? [] { out.line(tag, value) }
        }
        for (format, fields) in record.extra where format != "ris" {
            for field in fields.keys.sorted() { lose("extra.\(format).\(field)") }
        }
        let keys = ["AB": "abstract", "N1": "note", "RN": "description", "TI": "title"]
        for tag in out.joinedTags {
            lose(
                keys[tag] ?? "extra.ris.\(tag)", "a line that looks like an RIS tag was joined to the line before it",
                kind: .changed)
        }
        out.end()
        return losses
    }

    /// A single day, month, season or year with no qualifier: what `DA`/`PY` can say.
    static func isPlain(_ date: EDTFDate) -> Bool {
        guard !date.isLiteral, !date.isInterval, !date.approximate, !date.uncertain, let start = date.start
        else { return false }
        return (1000...9999).contains(start.year)
    }

    private mutating func writeIssued(_ issued: EDTFDate, info: RISTypeInfo, out: inout OldRISRecordText) {
        if let literal = issued.literal {
            out.line("PY", literal)
            return
        }
        guard Self.isPlain(issued), let start = issued.start else {
            out.line("PY", issued.description)
            return
        }
        let year = RISValues.yearText(start.year)
        let precise = start.month != nil
        if info.role("DA") == .issued {
            let raw = takeExtra("DA") { value in
                if case .date(let date, _) = RISValues.date(value) { return date == issued }
                return false
            }
            if let raw {
                out.line("DA", raw)
            } else if precise, let text = RISValues.risDate(issued) {
                out.line("DA", text)
            }
            out.line("PY", year)
        } else {
            out.line("PY", year)
            if precise, let text = RISValues.risDate(issued) { out.line("Y1", text) }
        }
    }

    private mutating func writePeople(
        _ people: [Person], role: RISRole, key: String, info: RISTypeInfo, out: inout OldRISRecordText
    ) {
        guard !people.isEmpty else { return }
        // ED, the editor tag of the first RIS specification, is read as editors in every type.
        guard let tag = info.tag(for: role) ?? (role == .editors ? "ED" : nil) else {
            lose(key, "\(info.code) has no tag for \(key)")
            return
        }
        // Each of these losses is reported once (lose() drops repeats): no need to build it again per person.
        var orcidLost = false
        var particleLost = false
        for person in people where !person.isEmpty {
            let name = RISValues.risName(person)
            if person.orcid != nil, !orcidLost {
                lose("\(key).orcid", "RIS has no place for ORCID iDs")
                orcidLost = true
            }
            if let dropping = person.droppingParticle, !dropping.isEmpty {
                if !particleLost {
                    lose("\(key).droppingParticle", "joined to the given name", kind: .changed)
                    particleLost = true
                }
            } else if !Self.readsBackUnchanged(person, as: name) {
                var expected = person
                expected.orcid = nil
                let parsed = !name.containsByte(0x3B) ? RISValues.person(name) : nil
                if parsed != expected {
                    lose(key, "name \"\(name)\" reads back as \(parsed.map { $0.displayName } ?? "several names")", kind: .changed)
                }
            }
            out.line(tag, name)
        }
    }

    /// True when `name`, the name line of `person`, is known to read back as `person` (less its ORCID) without
    /// reading it: a family name of one word, perhaps after a particle the reading splits off again (every word of
    /// it one of ``RISValues/particles``, the family name capitalised), given names, nothing else, and the line in
    /// the plain `Family, Given` form, which ``RISValues/commaPerson(_:)`` reads by splitting at its one comma.
    /// False means only that the name must be read back to know (most names are decided here: reading each back
    /// cost a sixth of the writer's time).
    static func readsBackUnchanged(_ person: Person, as name: String) -> Bool {
        guard person.suffix == nil, person.literal == nil, person.droppingParticle == nil,
            let family = person.family, let given = person.given, !given.isEmpty, !family.isEmpty,
            !family.containsByte(0x20)
        else { return false }
        var familyLength = family.utf8.count
        if let particle = person.particle {
            guard !particle.isEmpty, !particle.hasSuffix("'"), !particle.hasSuffix("’"), !particle.hasSuffix("-"),
                particle.splitASCII(0x20, omittingEmpty: false).allSatisfy({ RISValues.particles.contains(String($0)) }),
                family.unicodeScalars.first?.properties.isUppercase == true
            else { return false }
            familyLength += particle.utf8.count + 1
        }
        var name = name
        return name.withUTF8 { bytes in
            guard let split = RISValues.plainCommaSplit(bytes) else { return false }
            return split.familyEnd == familyLength && split.givenStart == familyLength + 2
        }
    }
}
