public import SMRLCore

/// Writes records as RIS that EndNote, Zotero, Mendeley and RefWorks import: `TAG  - value` lines, CRLF line
/// ends, `TY` first and `ER` last, UTF-8 without BOM, one name and one keyword per line, `DA  - YYYY/MM/DD/`
/// plus `PY  - YYYY`, pages as `SP`/`EP`, and the type-dependent tags of the record's `TY` (``RISTypeInfo``):
/// an editor is `A2` in a chapter but `A3` in a book, the container is `T2`, the series `T3` (or `T2` for books).
///
/// **Library fields** travel as keywords with the `smrl:` prefix (``LibraryTags``), one per `KW` line after the
/// ordinary keywords, so that they show up as tags in Zotero and Mendeley and as keywords in EndNote, sort
/// together, and come back exactly when ``RISReader`` reads them:
///
/// ```
/// KW  - smrl:resource-type:peer-reviewed-article
/// KW  - smrl:domain:community-engagement
/// KW  - smrl:topic:specialty-choice
/// KW  - smrl:profession:pharmacy
/// KW  - smrl:open-access:true
/// ```
///
/// Other decisions:
/// - `description` (the library's own summary) is written as `RN` (EndNote's "Research Notes"; Zotero makes it a
///   note) and read back from `RN`.
/// - `pmid` is written as `AN` (EndNote keeps PubMed ids in Accession Number) with `DB  - PubMed`, or as
///   `N1  - PMID: …` when the record already has another `AN` or database; `pmcid` as `C2` (journal articles),
///   `C3` (`EJOUR`) or `C7` (`EBOOK`, `ECHAP`) as EndNote does, else `N1  - PMCID: …`.
/// - Dates that are not one plain day, month or year (intervals, approximate or uncertain dates) are written as
///   EDTF in `PY`, which the reader parses back; text dates go to `PY` as they are.
/// - Rich text is written as plain text; `extra["ris"]` tags are written back after the mapped tags.
///
/// What RIS cannot hold is returned as ``Loss``: `subtitle` (joined into `TI` with `: `), ORCIDs, dropping
/// particles (joined to the given name), a name that would read back differently (an organisation with a comma),
/// `event` outside conference types, `articleNumber`/`edition`/`pages`/container/series where the type has no
/// tag for them, a CSL type without a `TY` of its own, inline markup, and `extra` of other formats.
///
/// Settings: `ris.newline` = `crlf` (default) or `lf`; `ris.bom` = `true` to start the output with a UTF-8 BOM.
public struct RISWriter: RecordWriter {
    private let newline: RISNewline
    private let bom: Bool
    /// The memory each record is built in (and written from at once), kept from record to record. A copy of the
    /// writer shares it until either writes (``ByteBuffer`` copies on write), so copies can write at the same time.
    private var recordBytes = ByteBuffer(capacity: 4096)

    public init(options: WriterOptions = WriterOptions()) {
        newline = options.settings["ris.newline"]?.lowercased() == "lf" ? .lf : .crlf
        bom = options.settings["ris.bom"]?.lowercased() == "true"
    }

    public mutating func begin(into sink: OutputSink) throws {
        if bom { sink.write([0xEF, 0xBB, 0xBF]) }
    }

    public mutating func end(into sink: OutputSink) throws {}

    public mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
        var output = RISRecordText(newline: newline, taking: &recordBytes)
        // The record is borrowed, not copied (a copy of a `Resource` retains and releases every field); the pointer
        // does not outlive the closure.
        let losses = withUnsafePointer(to: record) { pointer in
            var encoder = RISRecordEncoder(record: pointer)
            return encoder.encode(into: &output)
        }
        output.flush(into: sink, givingBack: &recordBytes)
        return losses
    }

    /// The RIS text of one record and what it could not carry (for tests and callers without a sink).
    public static func text(for record: Resource, newline: String = "\r\n") -> (text: String, losses: [Loss]) {
        var bytes = ByteBuffer(capacity: 4096)
        var output = RISRecordText(newline: RISNewline(newline), taking: &bytes)
        let losses = withUnsafePointer(to: record) { pointer in
            var encoder = RISRecordEncoder(record: pointer)
            return encoder.encode(into: &output)
        }
        return (output.text, losses)
    }
}

/// The line end of the written RIS.
enum RISNewline: Equatable {
    case crlf, lf
    case other([UInt8])

    init(_ text: String) {
        switch text {
        case "\r\n": self = .crlf
        case "\n": self = .lf
        default: self = .other(Array(text.utf8))
        }
    }
}

/// Accumulates the lines of one record as UTF-8: every value is copied in at once and checked there, and only a
/// value with line breaks (or anything else to clean) is taken back out as a String to be split into lines.
///
/// The bytes are a ``ByteBuffer`` taken from the writer for the record and given back after it; uniqueness is settled
/// once when it is taken, so every append is a room check and a store (appending a few bytes to an `Array` costs a
/// uniqueness and capacity check and a generic copy each time, which was a large part of the writer's time). It
/// cannot be copied: a copy would share the memory that the unchecked stores write into.
struct RISRecordText: ~Copyable {
    let newline: RISNewline
    private var buffer: ByteBuffer
    /// Tags whose value had a line that looked like a tag and was joined to the line before it.
    var joinedTags: [String] = []

    /// The newline is CR LF, or LF (tested per line without looking into ``newline``).
    private let crlf: Bool
    private let lf: Bool

    /// Takes `buffer`'s memory (emptied) for the record, leaving a placeholder that holds none; give it back with
    /// ``flush(into:givingBack:)``.
    init(newline: RISNewline, taking buffer: inout ByteBuffer) {
        self.newline = newline
        crlf = newline == .crlf
        lf = newline == .lf
        self.buffer = ByteBuffer()
        swap(&self.buffer, &buffer)
        self.buffer.removeAll()
        // The memory is this text's alone from here on (a copied writer's is copied now): the stores below rely on it.
        self.buffer.prepare(0)
    }

    /// Writes the record's bytes to `sink` and hands the (perhaps grown) memory back to `buffer`.
    consuming func flush(into sink: OutputSink, givingBack buffer: inout ByteBuffer) {
        self.buffer.flush(into: sink)
        swap(&self.buffer, &buffer)
    }

    /// The number of bytes written.
    var count: Int { buffer.count }

    /// The bytes from `start` to the end, valid until the text next changes.
    @inline(__always)
    func bytes(from start: Int) -> UnsafeBufferPointer<UInt8> {
        buffer.unsafeBytes(from: start)
    }

    /// The record's text.
    var text: String { buffer.text }

    // MARK: Bytes

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        buffer.reserve(1)
        buffer.put(byte)
    }

    @inline(__always)
    mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let source = run.baseAddress, !run.isEmpty else { return }
        buffer.reserve(run.count)
        buffer.put(source, count: run.count)
    }

    /// Takes back the bytes from `start` on.
    mutating func truncate(to start: Int) { buffer.truncate(to: start) }

    @inline(__always)
    mutating func appendLiteral(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 of a String at once (`append(contentsOf: string.utf8)` goes byte by byte).
    @inline(__always)
    mutating func appendString(_ string: String) {
        var copy = string
        copy.withUTF8 { append($0) }
    }

    @inline(__always)
    mutating func appendNewline() {
        if crlf {
            buffer.reserve(2)
            buffer.put(0x0D, 0x0A)
        } else if lf {
            append(0x0A)
        } else if case .other(let text) = newline {
            text.withUnsafeBufferPointer { append($0) }
        }
    }

    /// Starts the line of `tag`: writes `TAG  - ` and returns where the line and its value start (for
    /// ``finishLine(_:)``).
    @inline(__always)
    mutating func beginLine(_ tag: StaticString) -> (line: Int, value: Int) {
        let line = count
        if tag.utf8CodeUnitCount == 2 {
            // Six bytes stored after one room check (a call to copy two bytes and then four cost more than the
            // line's value).
            buffer.reserve(6)
            buffer.put(tag.utf8Start[0], tag.utf8Start[1])
            buffer.put(0x20, 0x20)
            buffer.put(0x2D, 0x20)
        } else {
            appendLiteral(tag)
            appendLiteral("  - ")
        }
        return (line, count)
    }

    @inline(__always)
    mutating func beginLine(_ tag: String) -> (line: Int, value: Int) {
        let line = count
        appendString(tag)
        appendLiteral("  - ")
        return (line, count)
    }

    /// Ends the line begun at `start` whose value has been appended: a value that is one line as it is gets its
    /// line end; any other is taken back and written as ``splitLines(_:)`` gives it (on several lines, cleaned, or
    /// not at all when nothing is left).
    mutating func finishLine(_ start: (line: Int, value: Int)) {
        if Self.isSingleLine(bytes: bytes(from: start.value)) {
            appendNewline()
            return
        }
        let tag = String(decoding: bytes(from: start.line).prefix(start.value - 4 - start.line), as: UTF8.self)
        let value = String(decoding: bytes(from: start.value), as: UTF8.self)
        truncate(to: start.line)
        let (lines, joined) = Self.splitLines(value)
        if joined { joinedTags.append(tag) }
        guard let first = lines.first else { return }
        appendString(tag)
        appendLiteral("  - ")
        appendString(first)
        appendNewline()
        for continuation in lines.dropFirst() {
            appendString(continuation)
            appendNewline()
        }
    }

    /// Writes `TAG  - value`; a value with line breaks continues on the following lines (blank lines dropped,
    /// and a continuation that would look like a tag joined to the line before it).
    mutating func line(_ tag: StaticString, _ value: String) {
        let start = beginLine(tag)
        appendString(value)
        finishLine(start)
    }

    /// ``line(_:_:)`` for a tag known only at run time (the type's tags, the tags kept in `extra`).
    mutating func line(dynamic tag: String, _ value: String) {
        let start = beginLine(tag)
        appendString(value)
        finishLine(start)
    }

    /// ``line(_:_:)`` with a literal before the value (`KW  - smrl:domain:` + id).
    mutating func line(_ tag: StaticString, prefix: StaticString, _ value: String) {
        let start = beginLine(tag)
        appendLiteral(prefix)
        appendString(value)
        finishLine(start)
    }

    /// ``line(_:_:)`` for a value given as UTF-8 (part of a String's bytes).
    mutating func line(_ tag: StaticString, bytes value: UnsafeBufferPointer<UInt8>) {
        let start = beginLine(tag)
        append(value)
        finishLine(start)
    }

    // MARK: Lines

    static func lines(of value: String) -> [String] { splitLines(value).lines }

    /// True when the value is written as one line exactly as it is (what ``splitLines(_:)`` would return as
    /// `([value], false)`): no control character, NEL or line/paragraph separator, no white space at either end,
    /// no glued tag; a value with a non-ASCII character at an end also has no byte-order mark (which the
    /// general path removes).
    static func isSingleLine(_ value: String) -> Bool {
        value.withUTF8Bytes { isSingleLine(bytes: $0) }
    }

    /// ``isSingleLine(_:)`` of a value's UTF-8 (valid UTF-8: the bytes of Strings). Eight bytes at a time, each
    /// test exact (``ByteWord/zeroBytes(_:)`` has no false hits), with the byte before a word carried over for
    /// the pairs that cross words: two spaces, `C2 85` (NEL), `80 A8`/`80 A9` (the end of U+2028/U+2029, as the
    /// byte test has it) and `EF BB BF` (a byte-order mark, which matters only at a non-ASCII end).
    static func isSingleLine(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return false }
        let first = base[0]
        let last = base[count - 1]
        if first == 0x20 || last == 0x20 { return false }
        var doubleSpace = false
        var bom = false
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        var index = 0
        while index + 8 <= count {
            let word = ByteWord.load(base, index)
            guard scanWord(word, previous, beforePrevious, &doubleSpace, &bom) else { return false }
            beforePrevious = UInt8(truncatingIfNeeded: word >> 48)
            previous = UInt8(truncatingIfNeeded: word >> 56)
            index += 8
        }
        if index < count {
            // The last bytes as one more word: the eight bytes that end the value (looked at again in part, which
            // changes no test), or a shorter value padded with `A` (which pairs with nothing).
            var word: UInt64
            if count >= 8 {
                index = count - 8
                previous = index >= 1 ? base[index - 1] : 0
                beforePrevious = index >= 2 ? base[index - 2] : 0
                word = ByteWord.load(base, index)
            } else {
                word = ByteWord.repeating(0x41)
                withUnsafeMutableBytes(of: &word) { raw in
                    for offset in 0..<count { raw[offset] = base[offset] }
                }
                word = UInt64(littleEndian: word)
            }
            guard scanWord(word, previous, beforePrevious, &doubleSpace, &bom) else { return false }
        }
        if first >= 0x80 || last >= 0x80 {
            guard !bom, let head = firstScalar(bytes), let tail = lastScalar(bytes),
                !head.properties.isWhitespace, !tail.properties.isWhitespace
            else { return false }
        }
        return !doubleSpace || RISScanner.gluedTag(in: Array(bytes)[...]) == nil
    }

    /// One word of ``isSingleLine(bytes:)``, the eight bytes of `word` (the first in the lowest byte) after
    /// `previous` and `beforePrevious`: false when a byte needs cleaning; notes two spaces in a row and a
    /// byte-order mark.
    @inline(__always)
    private static func scanWord(
        _ word: UInt64, _ previous: UInt8, _ beforePrevious: UInt8, _ doubleSpace: inout Bool, _ bom: inout Bool
    ) -> Bool {
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A control byte (below 0x20) borrows in `word - 0x20…` and DEL (7F) reaches 80 in `word + 0x01…`, each
        // setting its high bit where the byte's is clear. Only a control byte borrows, and valid UTF-8 has no FF
        // to carry, so the test is exact as a whole.
        if ((word &- ByteWord.repeating(0x20)) | (word &+ ByteWord.repeating(0x01))) & ~word & highs != 0 {
            return false
        }
        let spaces = ByteWord.zeroBytes(word ^ ByteWord.repeating(0x20))
        if spaces & ((spaces << 8) | (previous == 0x20 ? 0x80 : 0)) != 0 { doubleSpace = true }
        guard word & highs != 0 else { return true }
        // NEL is C2 85; U+2028/U+2029 end in 80 A8/80 A9 (A8 or A9: the byte without its lowest bit is A8).
        let c2 = ByteWord.zeroBytes(word ^ ByteWord.repeating(0xC2))
        let nel = ByteWord.zeroBytes(word ^ ByteWord.repeating(0x85))
        if nel & ((c2 << 8) | (previous == 0xC2 ? 0x80 : 0)) != 0 { return false }
        let x80 = ByteWord.zeroBytes(word ^ ByteWord.repeating(0x80))
        let separators = ByteWord.zeroBytes((word & ByteWord.repeating(0xFE)) ^ ByteWord.repeating(0xA8))
        if separators & ((x80 << 8) | (previous == 0x80 ? 0x80 : 0)) != 0 { return false }
        if !bom {
            let bf = ByteWord.zeroBytes(word ^ ByteWord.repeating(0xBF))
            if bf != 0 {
                let bb = ByteWord.zeroBytes(word ^ ByteWord.repeating(0xBB))
                let ef = ByteWord.zeroBytes(word ^ ByteWord.repeating(0xEF))
                let afterBB = (bb << 8) | (previous == 0xBB ? 0x80 : 0)
                let twoAfterEF = (ef << 16) | (previous == 0xEF ? 0x8000 : 0) | (beforePrevious == 0xEF ? 0x80 : 0)
                if bf & afterBB & twoAfterEF != 0 { bom = true }
            }
        }
        return true
    }

    /// The first scalar of valid UTF-8.
    private static func firstScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    /// The last scalar of valid UTF-8.
    private static func lastScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        var start = bytes.count - 1
        while start > 0, bytes.count - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return firstScalar(UnsafeBufferPointer(rebasing: bytes[start...]))
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

    mutating func end() {
        appendLiteral("ER  - ")
        appendNewline()
        appendNewline()
    }
}

/// Turns one resource into RIS tags, collecting what cannot be carried.
struct RISRecordEncoder {
    /// The record, borrowed for the encoding.
    let record: UnsafePointer<Resource>
    private var losses: [Loss] = []
    private var extra: [String: [String]]

    init(record: UnsafePointer<Resource>) {
        self.record = record
        extra = record.pointee.extra["ris"] ?? [:]
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
        value.withUTF8Bytes { bytes in
            guard let base = bytes.baseAddress else { return false }
            let count = bytes.count
            @inline(__always) func opensTag(_ at: Int) -> Bool {
                guard at + 1 < count else { return false }
                let byte = base[at + 1]
                return byte == 0x69 || byte == 0x62 || byte == 0x73 || byte == 0x2F
            }
            // Eight bytes at a time to each `<` (exact: no false hits), then the byte after it.
            var index = 0
            while index + 8 <= count {
                var hits = ByteWord.zeroBytes(ByteWord.load(base, index) ^ ByteWord.repeating(0x3C))
                while hits != 0 {
                    if opensTag(index + hits.trailingZeroBitCount >> 3) { return true }
                    hits &= hits &- 1
                }
                index += 8
            }
            while index < count {
                if base[index] == 0x3C, opensTag(index) { return true }
                index += 1
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
        if let stored, let info = RISTypeInfo.byCode[stored.uppercased()], info.type == record.pointee.type,
            info.role("AU") == .authors || record.pointee.authors.isEmpty
        {
            return (info, nil)
        }
        return (RISTypeInfo.export(record.pointee.type), stored)
    }

    mutating func encode(into out: inout RISRecordText) -> [Loss] {
        let (info, storedUnused) = typeInfo()
        extra["TY"] = nil
        if let storedUnused {
            lose("extra.ris.TY", "type code \(storedUnused) does not fit type \(record.pointee.type.rawValue); written as \(info.code)")
        }
        if info.type != record.pointee.type {
            lose("type", "\(record.pointee.type.rawValue) has no RIS type; written as \(info.code) (\(info.type.rawValue))", kind: .changed)
        }
        out.line("TY", info.code)
        if let id = record.pointee.id, !id.isEmpty { out.line("ID", id) }

        // Titles.
        var title = plain(record.pointee.title, "title")
        if let subtitle = plain(record.pointee.subtitle, "subtitle") {
            title = (title.map { $0 + ": " } ?? "") + subtitle
            lose("subtitle", "joined into TI after ': '", kind: .changed)
        }
        if let title { out.line("TI", title) }
        if let short = plain(record.pointee.shortTitle, "shortTitle") { out.line("ST", short) }

        // People.
        writePeople(record.pointee.authors, role: .authors, key: "authors", info: info, out: &out)
        writePeople(record.pointee.editors, role: .editors, key: "editors", info: info, out: &out)
        writePeople(record.pointee.translators, role: .translators, key: "translators", info: info, out: &out)

        // Container, event, series.
        let container = plain(record.pointee.containerTitle, "containerTitle")
        if info.code == "CONF", let event = record.pointee.event, !event.isEmpty {
            out.line("T2", event)
            if let container { out.line("C3", container) } else {
                lose("event", "written as T2 (conference name), which reads back as the container title", kind: .changed)
            }
        } else {
            if let container {
                if let tag = info.tag(for: .container), tag == "T2" || tag == "T3" {
                    out.line(dynamic: tag, container)
                } else {
                    // The type's T2 means something else; JF is read as the container in every type.
                    out.line("JF", container)
                }
            }
            if let event = record.pointee.event, !event.isEmpty { lose("event", "RIS has no event tag outside CONF") }
        }
        if let short = plain(record.pointee.containerTitleShort, "containerTitleShort") { out.line("J2", short) }
        if let series = plain(record.pointee.collectionTitle, "collectionTitle") {
            if let tag = info.tag(for: .collection), tag == "T2" || tag == "T3" {
                out.line(dynamic: tag, series)
            } else {
                lose("collectionTitle", "\(info.code) has no series tag")
            }
        }

        // Dates.
        if let issued = record.pointee.issued { writeIssued(issued, info: info, out: &out) }
        if let accessed = record.pointee.accessed {
            let raw = takeExtra("Y2") { value in
                if case .date(let date, _) = RISValues.date(value) { return date == accessed }
                return false
            }
            if let raw {
                out.line("Y2", raw)
            } else if Self.isPlain(accessed), let start = accessed.start {
                Self.risDateLine("Y2", start, out: &out)
            } else {
                out.line("Y2", accessed.description)
            }
        }

        // Numbers.
        if let volume = record.pointee.volume {
            if info.role("VL") == .volume { out.line("VL", volume) } else {
                lose("volume", "VL of \(info.code) means something else")
            }
        }
        if let issue = record.pointee.issue { out.line("IS", issue) }
        if let pages = record.pointee.pages, !pages.isEmpty {
            if info.role("SP") == .pages {
                if let hyphen = Self.plainPageRange(pages) {
                    var pages = pages
                    pages.withUTF8 { bytes in
                        out.line("SP", bytes: UnsafeBufferPointer(rebasing: bytes[..<hyphen]))
                        out.line("EP", bytes: UnsafeBufferPointer(rebasing: bytes[(hyphen + 1)...]))
                    }
                } else if let range = RISValues.pageRange(pages) {
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
        if let number = record.pointee.articleNumber, !number.isEmpty {
            if info.role("C7") == .articleNumber { out.line("C7", number) } else {
                lose("articleNumber", "\(info.code) has no article-number tag")
            }
        }
        if let edition = record.pointee.edition, !edition.isEmpty {
            if info.role("ET") == .edition { out.line("ET", edition) } else {
                lose("edition", "ET of \(info.code) is the e-pub date, not the edition")
            }
        }
        if let publisher = record.pointee.publisher { out.line("PB", publisher) }
        if let place = record.pointee.publisherPlace { out.line("CY", place) }

        // Identifiers.
        for issn in record.pointee.issn { out.line("SN", issn) }
        for isbn in record.pointee.isbn { out.line("SN", isbn) }
        if let doi = record.pointee.doi { out.line("DO", doi) }
        if let url = record.pointee.url { out.line("UR", url) }
        var extraNotes: [String] = []
        if let pmid = record.pointee.pmid {
            let databases = (extra["DB"] ?? []) + (extra["DP"] ?? [])
            let pubmedNamed = databases.contains(where: RISValues.namesPubMedOrMedline)
            if extra["AN"] == nil && (databases.isEmpty || pubmedNamed) {
                out.line("AN", pmid)
                if databases.isEmpty { out.line("DB", "PubMed") }
            } else {
                extraNotes.append("PMID: " + pmid)
            }
        }
        if let pmcid = record.pointee.pmcid {
            let tag: String? = switch info.code {
            case "JOUR", "ABST", "INPR", "JFULL": "C2"
            case "EJOUR": "C3"
            case "EBOOK", "ECHAP": "C7"
            default: nil
            }
            if let tag, extra[tag] == nil, !(tag == "C7" && record.pointee.articleNumber != nil) {
                out.line(dynamic: tag, pmcid)
            } else {
                extraNotes.append("PMCID: " + pmcid)
            }
        }

        // Text.
        if let abstract = plain(record.pointee.abstract, "abstract") { out.line("AB", abstract) }
        for keyword in record.pointee.keywords where !keyword.isEmpty {
            // On the byte: the reader splits keywords at the byte (a `;` with a combining mark too), and a String
            // search for ";" went through StringProcessing for every keyword.
            if keyword.containsByte(0x3B) { lose("keywords", "keyword \"\(keyword)\" contains ';' and reads back as several", kind: .changed) }
            out.line("KW", keyword)
        }
        // The library tags (``LibraryTags/tags(for:)``, in its order), each written straight from its parts.
        LibraryTags.forEachTag(
            resourceType: record.pointee.resourceType, domains: record.pointee.domains, topics: record.pointee.topics,
            professions: record.pointee.professions, openAccess: record.pointee.openAccess
        ) { head, value in out.line("KW", prefix: head, value) }
        if let language = record.pointee.language { out.line("LA", language) }
        if let note = record.pointee.note {
            for line in RISRecordText.lines(of: note) { out.line("N1", line) }
        }
        for note in extraNotes { out.line("N1", note) }
        if let description = record.pointee.description, !description.isEmpty { out.line("RN", description) }

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
            for value in extra[tag] ?? [] { out.line(dynamic: tag, value) }
        }
        for (format, fields) in record.pointee.extra where format != "ris" {
            for field in fields.keys.sorted() { lose("extra.\(format).\(field)") }
        }
        for tag in out.joinedTags {
            let key = switch tag {
            case "AB": "abstract"
            case "N1": "note"
            case "RN": "description"
            case "TI": "title"
            default: "extra.ris.\(tag)"
            }
            lose(key, "a line that looks like an RIS tag was joined to the line before it", kind: .changed)
        }
        out.end()
        return losses
    }

    /// `PY  - YYYY` (``RISValues/yearText(_:)``), the digits written straight into the record.
    static func yearLine(_ year: Int, out: inout RISRecordText) {
        let start = out.beginLine("PY")
        appendYear(year, to: &out)
        out.finishLine(start)
    }

    /// `TAG  - YYYY/MM/DD/` (``RISValues/risDate(_:)`` of a date starting at `start`), written straight into the
    /// record.
    static func risDateLine(_ tag: StaticString, _ start: EDTFDate.Point, out: inout RISRecordText) {
        let line = out.beginLine(tag)
        appendYear(start.year, to: &out)
        if let season = start.season {
            out.appendLiteral("///")
            switch season {
            case 1: out.appendLiteral("Spring")
            case 2: out.appendLiteral("Summer")
            case 3: out.appendLiteral("Autumn")
            default: out.appendLiteral("Winter")
            }
        } else {
            out.append(0x2F)
            if let month = start.month { appendTwoDigits(month, to: &out) }
            out.append(0x2F)
            if let day = start.day { appendTwoDigits(day, to: &out) }
            out.append(0x2F)
        }
        out.finishLine(line)
    }

    /// ``RISValues/yearText(_:)`` appended.
    private static func appendYear(_ year: Int, to out: inout RISRecordText) {
        guard year >= 0 && year <= 9999 else {
            out.appendString(RISValues.yearText(year))
            return
        }
        out.append(0x30 + UInt8(year / 1000))
        out.append(0x30 + UInt8(year / 100 % 10))
        out.append(0x30 + UInt8(year / 10 % 10))
        out.append(0x30 + UInt8(year % 10))
    }

    /// A month or day as ``RISValues/risDate(_:)`` writes it: two digits below 10, else the number.
    private static func appendTwoDigits(_ value: Int, to out: inout RISRecordText) {
        if value >= 0 && value < 100 {
            out.append(0x30 + UInt8(value / 10))
            out.append(0x30 + UInt8(value % 10))
        } else {
            out.appendString(value < 10 ? "0\(value)" : "\(value)")
        }
    }

    /// Where the hyphen of a page range is when ``RISValues/pageRange(_:)`` is known from the bytes to split it
    /// there: printable ASCII without space, `,` or `;`, and one hyphen with a page on each side. Nil means
    /// "ask pageRange".
    static func plainPageRange(_ pages: String) -> Int? {
        pages.withUTF8Bytes { bytes in
            var hyphen = -1
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte > 0x20 && byte < 0x7F, byte != 0x2C, byte != 0x3B else { return nil }
                if byte == 0x2D {
                    if hyphen >= 0 { return nil }
                    hyphen = index
                }
            }
            return hyphen > 0 && hyphen < bytes.count - 1 ? hyphen : nil
        }
    }

    /// A single day, month, season or year with no qualifier: what `DA`/`PY` can say.
    static func isPlain(_ date: EDTFDate) -> Bool {
        guard !date.isLiteral, !date.isInterval, !date.approximate, !date.uncertain, let start = date.start
        else { return false }
        return (1000...9999).contains(start.year)
    }

    private mutating func writeIssued(_ issued: EDTFDate, info: RISTypeInfo, out: inout RISRecordText) {
        if let literal = issued.literal {
            out.line("PY", literal)
            return
        }
        guard Self.isPlain(issued), let start = issued.start else {
            out.line("PY", issued.description)
            return
        }
        let precise = start.month != nil
        if info.role("DA") == .issued {
            let raw = extra["DA"] == nil ? nil : takeExtra("DA") { value in
                if case .date(let date, _) = RISValues.date(value) { return date == issued }
                return false
            }
            if let raw {
                out.line("DA", raw)
            } else if precise {
                Self.risDateLine("DA", start, out: &out)
            }
            Self.yearLine(start.year, out: &out)
        } else {
            Self.yearLine(start.year, out: &out)
            if precise { Self.risDateLine("Y1", start, out: &out) }
        }
    }

    private mutating func writePeople(
        _ people: [Person], role: RISRole, key: String, info: RISTypeInfo, out: inout RISRecordText
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
            // The name line (``RISValues/risName(_:)``) is written straight into the record and checked there.
            let start = out.beginLine(tag)
            Self.appendName(person, to: &out)
            if person.orcid != nil, !orcidLost {
                lose("\(key).orcid", "RIS has no place for ORCID iDs")
                orcidLost = true
            }
            if let dropping = person.droppingParticle, !dropping.isEmpty {
                if !particleLost {
                    lose("\(key).droppingParticle", "joined to the given name", kind: .changed)
                    particleLost = true
                }
            } else if !Self.readsBackUnchanged(person, nameBytes: out.bytes(from: start.value)) {
                let name = String(decoding: out.bytes(from: start.value), as: UTF8.self)
                var expected = person
                expected.orcid = nil
                let parsed = !name.containsByte(0x3B) ? RISValues.person(name) : nil
                if parsed != expected {
                    lose(key, "name \"\(name)\" reads back as \(parsed.map { $0.displayName } ?? "several names")", kind: .changed)
                }
            }
            out.finishLine(start)
        }
    }

    /// Appends ``RISValues/risName(_:)`` of `person`: `family, given, suffix` (particle kept before the family,
    /// a dropping particle after the given names), or the literal.
    static func appendName(_ person: Person, to out: inout RISRecordText) {
        if let literal = person.literal, person.family == nil {
            out.appendString(literal)
            return
        }
        if let family = person.family {
            if let particle = person.particle, !particle.isEmpty {
                // (Rare: the joiner depends on how the particle ends.)
                out.appendString(person.familyWithParticle ?? family)
            } else {
                out.appendString(family)
            }
        }
        let given = person.given ?? ""
        let dropping = person.droppingParticle ?? ""
        let suffix = person.suffix ?? ""
        if !given.isEmpty || !dropping.isEmpty || !suffix.isEmpty {
            out.appendLiteral(", ")
            out.appendString(given)
            if !dropping.isEmpty {
                if !given.isEmpty { out.append(0x20) }
                out.appendString(dropping)
            }
        }
        if !suffix.isEmpty {
            out.appendLiteral(", ")
            out.appendString(suffix)
        }
    }

    /// True when `name`, the name line of `person`, is known to read back as `person` (less its ORCID) without
    /// reading it: a family name of one word, perhaps after a particle the reading splits off again (every word of
    /// it one of ``RISValues/particles``, the family name capitalised), given names, nothing else, and the line in
    /// the plain `Family, Given` form, which ``RISValues/commaPerson(_:)`` reads by splitting at its one comma.
    /// False means only that the name must be read back to know (most names are decided here: reading each back
    /// cost a sixth of the writer's time).
    static func readsBackUnchanged(_ person: Person, as name: String) -> Bool {
        name.withUTF8Bytes { readsBackUnchanged(person, nameBytes: $0) }
    }

    /// ``readsBackUnchanged(_:as:)`` of the name's UTF-8. Also decided here: a family name of several words that
    /// the reading keeps whole (its first byte is no ASCII lower-case letter or apostrophe, which every particle
    /// starts with), and a literal (an organisation) that the reading keeps literal (see
    /// ``literalReadsBack(_:)``).
    static func readsBackUnchanged(_ person: Person, nameBytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let literal = person.literal {
            guard person.family == nil, person.given == nil, person.particle == nil, person.suffix == nil,
                person.droppingParticle == nil
            else { return false }
            return literalReadsBack(literal)
        }
        guard person.droppingParticle == nil,
            let family = person.family, let given = person.given, !given.isEmpty, !family.isEmpty
        else { return false }
        if family.containsByte(0x20) {
            guard person.particle == nil, let first = family.utf8.first, !(first >= 0x61 && first <= 0x7A),
                first != 0x27
            else { return false }
        }
        var familyLength = family.utf8.count
        if let particle = person.particle {
            // Every word one of the particles (all ASCII, so that the particle's last character is its last byte),
            // the last not ending in an apostrophe or hyphen (which join the family name without a space).
            guard !particle.isEmpty,
                particle.splitASCII(0x20, omittingEmpty: false).allSatisfy({ RISValues.particles.contains(String($0)) }),
                let end = particle.utf8.last, end != 0x27, end != 0x2D,
                family.unicodeScalars.first?.properties.isUppercase == true
            else { return false }
            familyLength += particle.utf8.count + 1
        }
        if let suffix = person.suffix {
            return suffixedReadsBack(family: family, given: given, suffix: suffix, particle: person.particle,
                nameBytes: nameBytes)
        }
        guard let split = RISValues.plainCommaSplit(nameBytes) else { return false }
        return split.familyEnd == familyLength && split.givenStart == familyLength + 2
    }

    /// True when `family, given, suffix` (`nameBytes`, the family perhaps after a particle that reads back as it
    /// is) reads back as those parts (``RISValues/person(_:)``, general path): every part without white space to
    /// collapse or trim, the name with just its two commas and no `;`, and the given names no suffix (`Jr`)
    /// themselves, which would be read as the suffix of `Last, Suffix, First`.
    static func suffixedReadsBack(family: String, given: String, suffix: String, particle: String?,
        nameBytes: UnsafeBufferPointer<UInt8>) -> Bool
    {
        guard !suffix.isEmpty, RISValues.isCompact(family), RISValues.isCompact(given), RISValues.isCompact(suffix),
            particle.map(RISValues.isCompact) ?? true
        else { return false }
        var commas = 0
        for byte in nameBytes {
            if byte == 0x2C { commas += 1 } else if byte == 0x3B { return false }
        }
        return commas == 2 && !RISValues.suffixes.contains(given.lowercased())
    }

    /// True when a literal name (an organisation) reads back as the same literal (``RISValues/person(_:)``): no
    /// white space to collapse or trim, no `,` (which would split it) or `;` (which would make it several names),
    /// and at least two words, the last of which has an ASCII character that is no capital letter, `.` or `-` (so
    /// that it is not taken for initials, as `Smith JA` is).
    static func literalReadsBack(_ literal: String) -> Bool {
        guard RISValues.isCompact(literal) else { return false }
        return literal.withUTF8Bytes { bytes in
            var lastSpace = -1
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte == 0x2C || byte == 0x3B { return false }
                if byte == 0x20 { lastSpace = index }
            }
            guard lastSpace >= 0 else { return false }
            for byte in bytes[(lastSpace + 1)...] where byte < 0x80 {
                if !(byte >= 0x41 && byte <= 0x5A) && byte != 0x2E && byte != 0x2D { return true }
            }
            return false
        }
    }
}
