import SMRLCore

/// The tagged-text dialects the RIS reader recognises. They share the line-oriented scanner; each has its own
/// line grammar and tag table.
enum RISDialect: String, Sendable {
    /// RIS proper: `TY  - JOUR` … `ER  - ` (EndNote, Zotero, Mendeley, RefWorks, Scopus, Covidence, Cochrane…).
    case ris
    /// Ovid (Embase, MEDLINE via Ovid): `<1. >` record markers, `XX  - ` tags, no `TY`/`ER`.
    case ovid
    /// Web of Science "other reference software" export: `PT J`, `AU Name`, three-space continuations, `ER`.
    case webOfScience
    /// MEDLINE/PubMed text (`.nbib`): `PMID- 123`, four-character tags, six-space continuations, blank-line ends.
    case medline
}

/// One tag of a record: the tag, its value and continuation lines, and where the value starts.
struct RISField: Sendable {
    /// The tag in upper case (`AU`, `PMID`).
    let tag: String
    /// The tag as integers, for look-ups (made once, here).
    let key: RISTag
    /// The first value line, trimmed; empty while the value is kept as bytes (``isStored``: read it with
    /// ``RISRawRecord/value(_:)`` or ``RISRawRecord/materialized(_:)``).
    var value: String
    /// The continuation lines, trimmed; an empty string stands for a blank line between two continuation lines
    /// (a paragraph break). Empty for most fields, and then no array is allocated for them.
    var more: [String] = []
    /// 1-based line number of the tag.
    var line: Int
    /// 1-based column (Unicode scalars) where the value starts.
    var column: Int
    /// The position in its record's ``RISRawRecord/fields`` of the next field with the same tag, -1 for none (set
    /// by ``RISRawRecord/append(_:)``; the chain is what ``RISRawRecord/fields(_:)`` walks).
    var next: Int32 = -1
    /// Where the value's UTF-8 bytes start in the record's ``RISRawRecord/valueBytes`` when the scanner kept them
    /// there instead of making ``value`` (name and keyword lines of RIS records); -1 when ``value`` holds it.
    var storedStart: Int32 = -1
    /// How many bytes the stored value has.
    var storedCount: Int32 = 0

    /// True when the scanner found ``value`` compact (``RISValues/isCompact(_:)``: ASCII, no control character, no
    /// space at an end or two in a row), so that collapsing its spaces is the value itself; false when not known.
    /// It says nothing of ``more``.
    var valueIsCompact = false

    /// True when the value is kept as bytes in the record (``value`` is then empty and ``more`` too).
    var isStored: Bool { storedStart >= 0 }

    init(tag: String, key: RISTag? = nil, value: String, line: Int, column: Int, compact: Bool = false) {
        self.tag = tag
        self.key = key ?? RISTag(tag)
        self.value = value
        self.line = line
        self.column = column
        valueIsCompact = compact
    }

    /// A field whose value is kept as bytes in its record (``isStored``).
    init(tag: String, key: RISTag, storedAt start: Int32, count: Int32, line: Int, column: Int) {
        self.init(tag: tag, key: key, value: "", line: line, column: column)
        storedStart = start
        storedCount = count
    }

    init(tag: String, key: RISTag? = nil, lines: [String], line: Int, column: Int) {
        self.init(tag: tag, key: key, value: lines.first ?? "", line: line, column: column)
        more = Array(lines.dropFirst())
    }

    /// The first value line, then each continuation line (a new array: the hot paths use ``value`` and
    /// ``lineCount`` instead).
    var lines: [String] { more.isEmpty ? [value] : [value] + more }

    /// How many lines ``lines`` has.
    var lineCount: Int { 1 + more.count }

    /// Line `index` of ``lines`` (0 is ``value``), without making the array.
    @inline(__always)
    func line(_ index: Int) -> String { index == 0 ? value : more[index - 1] }

    /// The value with continuation lines joined by one space (paragraph breaks become one space too).
    var joined: String {
        if more.isEmpty { return value }
        return lines.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The non-empty lines joined by `separator`: ``value`` itself for a field of one line (no arrays made).
    func nonEmptyLinesJoined(_ separator: String) -> String {
        if more.isEmpty { return value }
        return lines.filter { !$0.isEmpty }.joined(separator: separator)
    }
}

/// The tags of one record as they appear in the input, before any interpretation.
struct RISRawRecord: Sendable {
    var dialect: RISDialect
    /// The fields in input order; changed only through ``append(_:)``, ``appendContinuation(_:afterBlankLine:)``
    /// and ``removeAllFields()``, which keep the tag chains right.
    private(set) var fields: [RISField] = []
    /// 1-based line where the record starts.
    var line: Int
    /// Problems found while scanning the record and the text before it.
    var diagnostics: [Diagnostic] = []
    /// Lines that were not UTF-8 and were decoded as Windows-1252.
    var legacyLines: [Int] = []
    /// Bytes the record spans in the input.
    var byteCount = 0
    /// True when the record exceeded the size limit; its fields were dropped.
    var oversized = false
    /// True when the record ended with its dialect's end mark (`ER`, a blank line for MEDLINE, the next `<n. >`).
    var closed = false

    /// Each tag's first and last field, in the order the tags first occur (``RISField/next`` links the rest).
    private var chains: [RISTagChain] = []
    /// Open addressing from a tag's code to 1 + its position in ``chains`` (0: empty), made with the first field;
    /// tags past ``tableLimit`` are not entered and are found by a search of the rest of ``chains``.
    private var table: [UInt8] = []
    private static let tableSize = 128
    private static let tableLimit = 96
    /// One bit per tag code of the record's chains (``maskBit(_:)``, a hash of the code to 0–63): a tag whose bit
    /// is clear has no field, which the interpreter's many asks for tags a record lacks learn without the table.
    private var tagMask: UInt64 = 0

    init(dialect: RISDialect, line: Int) {
        self.dialect = dialect
        self.line = line
    }

    /// The first field with this tag.
    func first(_ tag: RISTag) -> RISField? {
        guard let chain = chain(tag) else { return nil }
        return fields[Int(chains[chain].first)]
    }

    /// Adds a field at the end and links it to the earlier fields of its tag. Fields whose tag does not pack into
    /// a code (never one the scanner makes) are not linked: ``fields(_:)`` does not find them.
    mutating func append(_ field: __owned RISField) {
        // The field is moved in as it is (a copy to reset its `next` would retain and release its strings).
        let position = Int32(fields.count)
        let code = field.key.code
        if code != 0 {
            if let chain = chain(field.key) {
                // In place: the element is not copied out and back.
                let last = Int(chains[chain].last)
                fields.withUnsafeMutableBufferPointer { $0[last].next = position }
                chains[chain].last = position
            } else {
                if chains.count < Self.tableLimit {
                    if table.isEmpty { table = [UInt8](repeating: 0, count: Self.tableSize) }
                    var slot = Self.slot(code)
                    while table[slot] != 0 { slot = (slot + 1) & (Self.tableSize - 1) }
                    table[slot] = UInt8(chains.count + 1)
                }
                chains.append(RISTagChain(code: code, first: position, last: position))
                tagMask |= Self.maskBit(code)
            }
        }
        fields.append(field)
        // A field taken from another record may carry that record's link: cut it here.
        if fields[Int(position)].next != -1 {
            fields.withUnsafeMutableBufferPointer { $0[Int(position)].next = -1 }
        }
    }

    /// The UTF-8 bytes of the values kept as bytes (``RISField/isStored``), one after another.
    private(set) var valueBytes: [UInt8] = []

    /// Adds a field whose value is kept as bytes: `bytes` must be valid UTF-8 and exactly the text the value
    /// would have as a String.
    mutating func append(tag: String, key: RISTag, storedValue bytes: ArraySlice<UInt8>, line: Int, column: Int) {
        let start = Int32(valueBytes.count)
        if valueBytes.isEmpty { valueBytes.reserveCapacity(1024) }
        valueBytes.append(contentsOf: bytes)
        // Made in the call (a local field would be copied into it and destroyed: its strings retained, released).
        append(RISField(tag: tag, key: key, storedAt: start, count: Int32(bytes.count), line: line, column: column))
    }

    /// Runs `body` over a stored field's value bytes (an empty buffer for a field that is not stored).
    @inline(__always)
    func withValueBytes<R>(_ field: RISField, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard field.isStored else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return valueBytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[Int(field.storedStart)..<Int(field.storedStart + field.storedCount)]))
        }
    }

    /// Runs `body` over the fields and the stored values' bytes in place: a field read from the buffer is passed on
    /// without a copy (a copy of a field retains and releases its strings). Read a stored value's bytes with
    /// ``storedBytes(_:in:)``.
    @inline(__always)
    func withStorage<R>(_ body: (UnsafeBufferPointer<RISField>, UnsafeBufferPointer<UInt8>) -> R) -> R {
        fields.withUnsafeBufferPointer { fields in valueBytes.withUnsafeBufferPointer { body(fields, $0) } }
    }

    /// A stored field's value bytes within ``withStorage(_:)``'s bytes (an empty buffer for a field not stored).
    @inline(__always)
    static func storedBytes(_ field: RISField, in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard field.isStored else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(rebasing: bytes[Int(field.storedStart)..<Int(field.storedStart + field.storedCount)])
    }

    /// A field's first value line as a String, stored or not.
    func value(_ field: RISField) -> String {
        guard field.isStored else { return field.value }
        // The stored bytes are well-formed UTF-8 (``RISScanner/plainValue(_:ascii:)`` checked them).
        return withValueBytes(field) { UTF8Strings.string(validUTF8: $0, ascii: RISScanner.isASCII($0)) }
    }

    /// The field with its value as a String (``RISField/value``), as every other path reads it.
    func materialized(_ field: RISField) -> RISField {
        guard field.isStored else { return field }
        var copy = field
        copy.value = value(field)
        copy.storedStart = -1
        copy.storedCount = 0
        return copy
    }

    /// Room for `count` fields.
    mutating func reserveFields(_ count: Int) {
        fields.reserveCapacity(count)
        chains.reserveCapacity(count)
    }

    /// Adds a continuation line to the last field (after an empty line for a blank line before it).
    mutating func appendContinuation(_ text: String, afterBlankLine: Bool) {
        guard !fields.isEmpty else { return }
        let last = fields.count - 1
        if fields[last].isStored {
            // Lines of their own: the value becomes a String as for every field with more than one line.
            fields[last] = materialized(fields[last])
        }
        if afterBlankLine { fields[last].more.append("") }
        fields[last].more.append(text)
    }

    /// Drops every field (an oversized record).
    mutating func removeAllFields() {
        fields.removeAll()
        valueBytes.removeAll()
        chains.removeAll()
        table.removeAll()
        tagMask = 0
    }

    @inline(__always)
    private static func slot(_ code: UInt32) -> Int { Int((code &* 0x9E37_79B1) >> 25) }

    /// A tag code's bit in ``tagMask``: the top six bits of the same product as ``slot(_:)``.
    @inline(__always)
    private static func maskBit(_ code: UInt32) -> UInt64 { 1 << UInt64((code &* 0x9E37_79B1) >> 26) }

    /// The position in ``chains`` of a tag, nil when the record has no field with it.
    @inline(__always)
    private func chain(_ tag: RISTag) -> Int? {
        let code = tag.code
        guard code != 0, tagMask & Self.maskBit(code) != 0, !table.isEmpty else { return nil }
        var slot = Self.slot(code)
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            if chains[Int(entry) - 1].code == code { return Int(entry) - 1 }
            slot = (slot + 1) & (Self.tableSize - 1)
        }
        var index = Self.tableLimit
        while index < chains.count {
            if chains[index].code == code { return index }
            index += 1
        }
        return nil
    }

    /// The position in ``fields`` of the first field with this tag, -1 when none (the next ones follow
    /// ``RISField/next``).
    func firstPosition(_ tag: RISTag) -> Int {
        guard let chain = chain(tag) else { return -1 }
        return Int(chains[chain].first)
    }

    /// Whether the record has a field with this tag.
    func has(_ tag: RISTag) -> Bool { chain(tag) != nil }

    /// The fields with this tag, in input order (empty when none): a walk of the chain, no array made.
    func fields(_ tag: RISTag) -> RISTagFields {
        guard let chain = chain(tag) else { return RISTagFields(all: fields, first: RISTagFields.end) }
        return RISTagFields(all: fields, first: Int(chains[chain].first))
    }
}

/// A tag's first and last field in its record.
struct RISTagChain: Sendable {
    var code: UInt32
    var first: Int32
    var last: Int32
}

/// The fields of one tag in a record, in input order: the record's field list and the chain through it
/// (``RISField/next``), walked as a collection without copying the fields into a list of their own.
struct RISTagFields: Collection {
    static let end = Int.max
    let all: [RISField]
    let first: Int

    var startIndex: Int { first }
    var endIndex: Int { Self.end }

    @inline(__always)
    func index(after index: Int) -> Int {
        let next = all[index].next
        return next < 0 ? Self.end : Int(next)
    }

    @inline(__always)
    subscript(position: Int) -> RISField { all[position] }
}

/// One line of input without its terminator.
struct RISLine {
    /// The line's bytes (UTF-8 unless the input is in a legacy encoding): a slice of the reader's buffer, or of a
    /// line read ahead; offsets into a line count from its `startIndex`.
    var bytes: ArraySlice<UInt8>
    /// 1-based line number.
    var number: Int
}

/// What the scanner yields: a record, or only diagnostics about text that held no record.
struct RISScanItem: Sendable {
    var record: RISRawRecord?
    var diagnostics: [Diagnostic]
    var line: Int
}

/// Splits a tagged-text input into raw records, one at a time, straight from the bytes of each line.
///
/// Framing handled here: a UTF-8 BOM (also one left at the start of a later line by concatenated exports),
/// CRLF/LF/CR line ends (by ``ByteReader/readLine()``), one to four spaces before the dash and any number after
/// it, lower-case tags, blank lines, text before the first record or between records (one warning per block,
/// with its line), records without `ER` (they end at the next `TY` or at the end of the input), empty tags,
/// continuation lines, a second tag glued into a value line, and lines in Windows-1252 inside a UTF-8 file.
struct RISScanner {
    private let reader: ByteReader
    private let maxRecordBytes: Int
    /// The dialect, fixed by the first recognisable line (nil until then).
    private(set) var dialect: RISDialect?
    /// When set, only this dialect is accepted (the MEDLINE reader).
    let forcedDialect: RISDialect?
    var dialectForced: Bool { forcedDialect != nil }

    private var lookahead: [RISLine] = []
    /// 1-based number of the last line read.
    private var lineNumber = 0
    private var lookaheadIndex = 0
    private var current: RISRawRecord?
    private var pending: [Diagnostic] = []
    private var junkStart: (line: Int, text: String)?
    private var junkLines = 0
    private var pendingBlankLines = 0
    private var atEnd = false
    /// Whether the values found compact are marked so (``RISField/valueIsCompact``); the tests turn it off to compare
    /// the readings with and without the marks.
    var marksCompactValues = true
    /// Whether name and keyword lines of RIS records are kept as bytes (``RISRawRecord/valueBytes``); the tests
    /// turn it off to compare the two readings.
    var keepsValuesAsBytes = true
    /// The tests' reference decoding of values (the decoding by repair and compare that ``decodeChecked(_:)``
    /// replaced), used for every value instead of it and of the ASCII shortcut when set, so that whole files can be
    /// read both ways and compared. Nil (the default) everywhere but in the tests.
    var referenceDecoding: (@Sendable (ArraySlice<UInt8>) -> (text: String, legacy: Bool, lineSeparator: Bool))?
    /// Records produced so far.
    private(set) var recordCount = 0
    /// Lines that held any non-blank text.
    private(set) var sawContent = false

    var fileName: String { reader.fileName }

    init(reader: ByteReader, maxRecordBytes: Int, dialect: RISDialect? = nil) {
        self.reader = reader
        self.maxRecordBytes = maxRecordBytes
        self.forcedDialect = dialect
        self.dialect = dialect
    }

    private func location(_ line: Int, _ column: Int = 1) -> SourceLocation {
        SourceLocation(file: reader.fileName, line: line, column: column)
    }

    // MARK: Lines

    private mutating func nextLine() -> RISLine? {
        if lookaheadIndex < lookahead.count {
            let line = lookahead[lookaheadIndex]
            lookaheadIndex += 1
            if lookaheadIndex == lookahead.count {
                lookahead.removeAll()
                lookaheadIndex = 0
            }
            return line
        }
        return readLine()
    }

    /// The next line, ending at LF, CRLF or a lone CR (as ``ByteReader/readLine()`` splits them): a slice of the
    /// reader's buffer, not a copy (``ByteReader/nextLineSlice()``); nil at the end of the input. The line must be
    /// gone before the next one is read (``next()`` drops each line once processed), or the refill copies the buffer.
    mutating func readLine() -> RISLine? {
        guard let bytes = reader.nextLineSlice() else { return nil }
        lineNumber += 1
        return RISLine(bytes: bytes, number: lineNumber)
    }

    /// Reads ahead until a line shows which dialect the input is in, and keeps those lines for scanning.
    private mutating func detectDialect() {
        var seen = 0
        while seen < 500, let read = reader.readLine() {
            let line = RISLine(bytes: read.bytes[...], number: read.number)
            lineNumber = read.number
            lookahead.append(line)
            seen += 1
            let bytes = Self.strippingBOM(line.bytes)
            if let found = Self.dialectEvidence(bytes) {
                dialect = found
                return
            }
        }
        dialect = .ris
    }

    /// The dialect a single line proves, if any.
    static func dialectEvidence(_ bytes: ArraySlice<UInt8>) -> RISDialect? {
        // RIS tags have two characters; MEDLINE's PMID, FAU, OWN, STAT… have three or four.
        if let tag = medlineTag(bytes), tag.tag.count >= 3 { return .medline }
        if looseMedlineTag(bytes)?.tag == "PMID" { return .medline }
        if let tag = risTag(bytes) {
            return tag.tag == "TY" ? .ris : (isOvidOnlyTag(tag.tag) ? .ovid : .ris)
        }
        if isOvidMarker(bytes) { return .ovid }
        if bytes.starts(with: Array("FN ".utf8)) || bytes.starts(with: Array("VR ".utf8)) { return .webOfScience }
        if bytes.count >= 4, bytes.starts(with: Array("PT ".utf8)), bytes.count <= 6 { return .webOfScience }
        return nil
    }

    /// Tags that only Ovid writes at the start of a record.
    private static func isOvidOnlyTag(_ tag: String) -> Bool { tag == "VN" }

    // MARK: Records

    /// The next record (or trailing diagnostics); nil at the end of the input.
    mutating func next() -> RISScanItem? {
        if dialect == nil { detectDialect() }
        let dialect = self.dialect ?? .ris
        while !atEnd {
            guard let line = nextLine() else {
                atEnd = true
                break
            }
            if let item = process(line, dialect: dialect) { return item }
        }
        flushJunk()
        if var record = current.take() {
            if !record.closed && (dialect == .ris || dialect == .webOfScience) {
                record.diagnostics.append(
                    .warning(
                        .risMissingEnd, "record starting at line \(record.line) has no ER line; it ends at the end of the input",
                        at: location(record.line)))
            }
            return finish(record)
        }
        if !pending.isEmpty {
            let diagnostics = pending
            pending = []
            return RISScanItem(record: nil, diagnostics: diagnostics, line: diagnostics.first?.location?.line ?? 1)
        }
        return nil
    }

    private mutating func finish(_ record: __owned RISRawRecord) -> RISScanItem {
        recordCount += 1
        return RISScanItem(record: record, diagnostics: [], line: record.line)
    }

    private mutating func startRecord(at line: Int) -> RISRawRecord? {
        flushJunk()
        // Moved out (a copy would retain each of the record's lists, and the assignment below release them).
        let previous = current.take()
        // Made in place in `current` (a local record assigned to it was copied, its lists retained and released).
        current = RISRawRecord(dialect: dialect ?? .ris, line: line)
        // Room for a usual record's tags: the list then grows once or not at all instead of five times.
        current?.reserveFields(32)
        current?.diagnostics = pending
        pending = []
        pendingBlankLines = 0
        return previous
    }

    private mutating func addDiagnostic(_ diagnostic: Diagnostic) {
        current?.diagnostics.append(diagnostic)
    }

    private mutating func noteJunk(_ bytes: ArraySlice<UInt8>, line: Int) {
        if junkStart == nil {
            let (text, _) = TextDecoding.decode(bytes)
            junkStart = (line, String(text.trimmed.prefix(60)))
        }
        junkLines += 1
    }

    private mutating func flushJunk() {
        guard let start = junkStart else { return }
        let more = junkLines > 1 ? " (and \(junkLines - 1) more line\(junkLines == 2 ? "" : "s"))" : ""
        pending.append(
            .warning(
                .risTextOutsideRecord, "text outside any record ignored: \"\(start.text)\"\(more)",
                at: location(start.line)))
        junkStart = nil
        junkLines = 0
    }

    /// `compact`: the value is known to be compact once trimmed (``RISField/valueIsCompact``); false when not known.
    private mutating func addField(
        _ tag: String, key: RISTag? = nil, value: ArraySlice<UInt8>, line: RISLine, valueOffset: Int, ascii: Bool? = nil,
        compact: Bool = false
    ) {
        guard current != nil else { return }
        account(line)
        guard current?.oversized == false else { return }
        let column = Self.column(ofByte: valueOffset, in: line.bytes)
        let key = key ?? RISTag(tag)
        if keepsValuesAsBytes, current?.dialect == .ris, key == "KW" || RISRecordInterpreter.isNameTag(key),
            let stored = Self.plainValue(value, ascii: ascii)
        {
            // Names and keywords are read from the bytes (most never become a String of their own).
            current?.append(tag: tag, key: key, storedValue: stored, line: line.number, column: column)
        } else {
            let text = decode(value, line: line.number, ascii: ascii)
            current?.append(
                RISField(tag: tag, key: key, value: text, line: line.number, column: column, compact: compact))
        }
        pendingBlankLines = 0
    }

    /// The bytes ``decode(_:line:ascii:)`` would make into the value, when they are those of the input without
    /// change: the value trimmed of ASCII spaces and tabs, when it is ASCII, or valid UTF-8 with ASCII bytes at
    /// both ends (nothing more to trim) and no U+2028/U+2029 (nothing to replace). Nil otherwise (the value then
    /// takes ``decode(_:line:ascii:)``, which also notes Windows-1252 lines).
    static func plainValue(_ bytes: ArraySlice<UInt8>, ascii: Bool?) -> ArraySlice<UInt8>? {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let core = bytes[start..<end]
        if ascii ?? isASCII(core) { return core }
        guard let first = core.first, let last = core.last, first < 0x80, last < 0x80 else { return nil }
        let check = core.withUnsafeBufferPointer { utf8Check($0) }
        return check.valid && !check.lineSeparator ? core : nil
    }

    /// True when the bytes are well-formed UTF-8 (the Unicode standard's table of well-formed byte sequences: no
    /// overlong forms, no surrogates, nothing past U+10FFFF, no truncated sequence), which is exactly when
    /// `String(decoding:as:)` keeps them unchanged.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { utf8Check(bytes).valid }

    /// ``isValidUTF8(_:)``, whether the bytes hold U+2028 or U+2029 (``containsLineSeparator(_:)``: the lead byte
    /// E2 of a well-formed sequence E2 80 A8/A9, noted while the sequence is checked) and whether every byte is
    /// ASCII; the last two are meaningful only when `valid` is true. One pass instead of three for the scanner's
    /// values: the core's check (``UTF8Strings/checkNotingLineSeparators(_:)``), which passes ASCII 32 bytes at a
    /// time. The tests compare it with the scanner's own loop of before (`RISUTF8CheckReference`).
    @inline(__always)
    static func utf8Check(_ bytes: UnsafeBufferPointer<UInt8>) -> (valid: Bool, lineSeparator: Bool, ascii: Bool) {
        let check = UTF8Strings.checkNotingLineSeparators(bytes)
        switch check.validity {
        case .ascii: return (true, false, true)
        case .valid: return (true, check.lineSeparator, false)
        case .invalid: return (false, false, false)
        }
    }

    private mutating func addContinuation(_ bytes: ArraySlice<UInt8>, line: RISLine) {
        account(line)
        guard current?.oversized == false, current?.fields.isEmpty == false else { return }
        let text = decode(bytes, line: line.number)
        current?.appendContinuation(text, afterBlankLine: pendingBlankLines > 0)
        pendingBlankLines = 0
    }

    private mutating func account(_ line: RISLine) {
        // In place: a copy of the record out of the optional would retain and release each of its arrays per line.
        guard current != nil else { return }
        current?.byteCount += line.bytes.count + 1
        if (current?.byteCount ?? 0) > maxRecordBytes && current?.oversized == false {
            current?.oversized = true
            current?.removeAllFields()
        }
    }

    /// `ascii`: whether the bytes are known to be ASCII (true) or to hold a non-ASCII byte (false); nil when not
    /// known, and then they are checked here.
    private mutating func decode(_ bytes: ArraySlice<UInt8>, line: Int, ascii: Bool? = nil) -> String {
        // Trim ASCII white space on the bytes; other white space at the ends is left to trimmingSpaces.
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let core = bytes[start..<end]
        let (text, legacy, separator): (String, Bool, Bool)
        if let referenceDecoding {
            (text, legacy, separator) = referenceDecoding(core)
        } else if ascii ?? Self.isASCII(core) {
            // Plain ASCII (most values): valid UTF-8, no separator to replace, nothing more to trim.
            return core.withUnsafeBufferPointer { UTF8Strings.string(validUTF8: $0, ascii: true) }
        } else {
            // One check says whether the bytes are UTF-8 and whether they hold a line separator (`core` holds a
            // byte that is not ASCII: trimming took only spaces and tabs).
            (text, legacy, separator) = Self.decodeChecked(core)
        }
        if legacy { current?.legacyLines.append(line) }
        var cleaned = text
        if let first = core.first, let last = core.last, first >= 0x80 || last >= 0x80 {
            cleaned = text.trimmed
        }
        // U+2028/U+2029 inside a value: line and paragraph separators that some exporters leave in.
        if !legacy, separator,
            cleaned.unicodeScalars.contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" })
        {
            cleaned = String(
                String.UnicodeScalarView(
                    cleaned.unicodeScalars.map { $0 == "\u{2028}" || $0 == "\u{2029}" ? "\n" : $0 }))
        }
        return cleaned
    }

    // MARK: Per-dialect line handling

    @inline(__always)
    private mutating func process(_ line: RISLine, dialect: RISDialect) -> RISScanItem? {
        let bytes = Self.strippingBOM(line.bytes)
        if Self.isBlank(bytes) {
            if dialect == .medline, current?.fields.isEmpty == false {
                var closed = current.take()!
                closed.closed = true
                return finish(closed)
            }
            if current != nil { pendingBlankLines += 1 }
            return nil
        }
        sawContent = true
        switch dialect {
        case .ris, .ovid: return processRIS(bytes, line: line, dialect: dialect)
        case .webOfScience: return processWoS(bytes, line: line)
        case .medline: return processMedline(bytes, line: line)
        }
    }

    private mutating func processRIS(_ bytes: ArraySlice<UInt8>, line: RISLine, dialect: RISDialect)
        -> RISScanItem?
    {
        if dialect == .ovid, Self.isOvidMarker(bytes) {
            if var previous = startRecord(at: line.number) {
                previous.closed = true
                return finish(previous)
            }
            return nil
        }
        guard let valueOffset = Self.risTagValueOffset(bytes) else {
            if current != nil, current?.fields.isEmpty == false || current?.oversized == true {
                addContinuation(bytes, line: line)
            } else if current != nil {
                // Text right after a bare record start (an Ovid marker): keep it as junk.
                noteJunk(bytes, line: line.number)
            } else {
                noteJunk(bytes, line: line.number)
            }
            return nil
        }
        let valueStart = bytes.startIndex + valueOffset
        // The tag's code and name from its two bytes (``risTagValueOffset(_:)`` matched them).
        let first = Self.upper(bytes[bytes.startIndex])
        let second = Self.upper(bytes[bytes.startIndex + 1])
        let key = RISTag(first, second)
        let tag = Self.tagName(first, second)
        var value = bytes[valueStart...]
        var glued: (tag: String, offset: Int)?
        // One pass tells whether the value is ASCII and whether two spaces in a row (which a glued tag needs)
        // occur at all; the glued-tag search runs only then. Trimming keeps the value's ASCII answer; a cut
        // value is checked again (its non-ASCII bytes may be gone).
        // (An abstract's control answer is never used: see `compact` below.)
        let scan = Self.scanValue(value, control: key != "AB" && key != "N2")
        var ascii: Bool? = scan.ascii
        if scan.spacePair, let split = Self.gluedTag(in: value) {
            glued = (split.tag, split.offset)
            value = value[value.startIndex..<split.cut]
            if !scan.ascii { ascii = nil }
        }
        // ASCII with no control character and no two spaces in a row (then no glued tag cut the value: the scan's
        // control answer is the value's): trimmed, the value is compact
        // (``RISValues/isCompact(_:)``), which the interpreter then need not test again (``RISField/valueIsCompact``).
        // (Not looked for in abstracts, whose long lines no reading collapses.)
        let compact = marksCompactValues && scan.ascii && !scan.spacePair && key != "AB" && key != "N2"
            && !scan.control
        var result: RISScanItem?
        switch key {
        case "TY" where dialect == .ris:
            if var previous = startRecord(at: line.number) {
                if !previous.closed {
                    previous.diagnostics.append(
                        .warning(
                            .risMissingEnd,
                            "record starting at line \(previous.line) has no ER line; it ends before the TY at line \(line.number)",
                            at: location(previous.line)))
                }
                result = finish(previous)
            }
            addField("TY", key: key, value: value, line: line, valueOffset: valueStart - line.bytes.startIndex, ascii: ascii)
        case "ER" where dialect == .ris:
            if current != nil {
                account(line)
                // Moved out: a copy would retain each of the record's lists.
                var record = current.take()!
                record.closed = true
                flushJunk()
                return finish(record)
            }
            flushJunk()
            pending.append(.warning(.risStrayEnd, "ER line outside any record ignored", at: location(line.number)))
            return nil
        default:
            if current == nil {
                _ = startRecord(at: line.number)
                if dialect == .ris {
                    addDiagnostic(
                        .warning(
                            .risMissingType, "record has no TY line; its first tag is \(tag); read as a generic document",
                            at: location(line.number)))
                }
            }
            addField(
                tag, key: key, value: value, line: line, valueOffset: valueStart - line.bytes.startIndex, ascii: ascii,
                compact: compact)
        }
        if let glued {
            let offset = glued.offset - line.bytes.startIndex
            addDiagnostic(
                .warning(
                    .risGluedTag, "a second tag \(glued.tag) was glued into the \(tag) line; read as its own tag",
                    at: location(line.number, SourceLocation.column(ofByte: offset, inLine: line.bytes))))
            let gluedBytes = bytes[glued.offset...]
            if let inner = Self.risTag(gluedBytes) {
                let start = gluedBytes.startIndex + inner.valueOffset
                addField(inner.tag, value: gluedBytes[start...], line: line, valueOffset: start - line.bytes.startIndex)
            }
        }
        return result
    }

    private mutating func processWoS(_ bytes: ArraySlice<UInt8>, line: RISLine) -> RISScanItem? {
        let first = bytes[bytes.startIndex]
        if first == 0x20 || first == 0x09 {
            if current != nil { addContinuation(bytes, line: line) } else { noteJunk(bytes, line: line.number) }
            return nil
        }
        guard let tag = Self.wosTag(bytes) else {
            if current != nil { addContinuation(bytes, line: line) } else { noteJunk(bytes, line: line.number) }
            return nil
        }
        let valueStart = bytes.startIndex + min(3, bytes.count)
        let value = bytes[valueStart...]
        switch tag {
        case "FN", "VR":
            if current == nil { return nil }
        case "EF":
            return nil
        case "PT":
            var result: RISScanItem?
            if var previous = startRecord(at: line.number) {
                if !previous.closed {
                    previous.diagnostics.append(
                        .warning(
                            .risMissingEnd,
                            "record starting at line \(previous.line) has no ER line; it ends before the PT at line \(line.number)",
                            at: location(previous.line)))
                }
                result = finish(previous)
            }
            addField(tag, value: value, line: line, valueOffset: valueStart - line.bytes.startIndex)
            return result
        case "ER":
            if current != nil {
                account(line)
                // Moved out: a copy would retain each of the record's lists.
                var record = current.take()!
                record.closed = true
                flushJunk()
                return finish(record)
            }
            pending.append(.warning(.risStrayEnd, "ER line outside any record ignored", at: location(line.number)))
            return nil
        default:
            break
        }
        if current == nil {
            _ = startRecord(at: line.number)
            addDiagnostic(
                .warning(
                    .risMissingType, "Web of Science record has no PT line; its first tag is \(tag)",
                    at: location(line.number)))
        }
        addField(tag, value: value, line: line, valueOffset: valueStart - line.bytes.startIndex)
        return nil
    }

    private mutating func processMedline(_ bytes: ArraySlice<UInt8>, line: RISLine) -> RISScanItem? {
        let first = bytes[bytes.startIndex]
        if first == 0x20 || first == 0x09 {
            if current?.fields.isEmpty == false { addContinuation(bytes, line: line) } else {
                noteJunk(bytes, line: line.number)
            }
            return nil
        }
        guard let tag = Self.looseMedlineTag(bytes) else {
            if current?.fields.isEmpty == false { addContinuation(bytes, line: line) } else {
                noteJunk(bytes, line: line.number)
            }
            return nil
        }
        var result: RISScanItem?
        if current == nil {
            _ = startRecord(at: line.number)
        } else if tag.tag == "PMID", current?.fields.isEmpty == false {
            if var previous = startRecord(at: line.number) {
                previous.closed = true
                result = finish(previous)
            }
        }
        let valueStart = bytes.startIndex + tag.valueOffset
        addField(tag.tag, value: bytes[valueStart...], line: line, valueOffset: valueStart - line.bytes.startIndex)
        return result
    }

    // MARK: Byte-level grammar

    /// The 1-based column (in Unicode scalars) of a byte offset in a line.
    static func column(ofByte offset: Int, in bytes: ArraySlice<UInt8>) -> Int {
        if offset <= 8, bytes.count >= 8 {
            // A tag's value starts within the first eight bytes; when they are ASCII, each is a column.
            let ascii = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { ByteWord.load($0, 0) & 0x8080_8080_8080_8080 == 0 } ?? false
            }
            if ascii { return max(offset, 0) + 1 }
        }
        var column = 1
        var index = bytes.startIndex
        let end = bytes.startIndex + min(offset, bytes.count)
        while index < end {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return column
    }

    /// What ``TextDecoding/decode(_:)`` gives (UTF-8, else Windows-1252, and whether the fallback was taken), without
    /// its generic validating initializer (see ``decodeChecked(_:)``).
    static func decodeText(_ bytes: ArraySlice<UInt8>) -> (text: String, legacy: Bool) {
        let (text, legacy, _) = decodeChecked(bytes)
        return (text, legacy)
    }

    /// ``decodeText(_:)`` by one check of the bytes (``utf8Check(_:)``, which also tells whether they hold U+2028 or
    /// U+2029: meaningful only when they are UTF-8) and, for UTF-8, a String made without the standard library's
    /// validation of the same bytes (``UTF8Strings/string(validUTF8:ascii:)``). The tests compare it with the decoding by
    /// repair and compare that it replaced, and with ``TextDecoding/decode(_:)``.
    static func decodeChecked(_ bytes: ArraySlice<UInt8>) -> (text: String, legacy: Bool, lineSeparator: Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            let check = utf8Check(buffer)
            guard check.valid else { return (TextDecoding.decodeWindows1252(buffer), true, false) }
            return (UTF8Strings.string(validUTF8: buffer, ascii: check.ascii), false, check.lineSeparator)
        }
    }

    /// Whether every byte is ASCII, whether two spaces follow each other anywhere, and whether a byte is below 0x20
    /// (``hasControlByte(_:)``'s answer, with its caveat: exact only for ASCII bytes), eight bytes at a time: one
    /// pass instead of two for the scanner's values. `control: false` leaves the last question out (its answer is
    /// then false): abstracts, the longest values, never need it. A pair of spaces is found without a branch: a
    /// space flag ANDed with the flag of the byte before it (within the word, or the last byte of the word before).
    static func scanValue(_ bytes: ArraySlice<UInt8>, control wanted: Bool = true)
        -> (ascii: Bool, spacePair: Bool, control: Bool)
    {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return (true, false, false) }
            // The flag a constant in each call (the word loop of abstracts then has no control test at all).
            return wanted ? scanWords(base, buffer.count, control: true) : scanWords(base, buffer.count, control: false)
        }
    }

    /// ``scanValue(_:control:)`` on `count` bytes at `base`.
    @inline(__always)
    private static func scanWords(_ base: UnsafePointer<UInt8>, _ count: Int, control wanted: Bool)
        -> (ascii: Bool, spacePair: Bool, control: Bool)
    {
        var index = 0
        var any: UInt64 = 0
        var pairs: UInt64 = 0
        var previousSpaces: UInt64 = 0
        var controls: UInt64 = 0
        let spaceWord = ByteWord.repeating(0x20)
        while index + 8 <= count {
            let word = ByteWord.load(base, index)
            any |= word
            // An ASCII byte below 0x20 has neither bit 5 nor bit 6.
            if wanted { controls |= ByteWord.zeroBytes(word & ByteWord.repeating(0x60)) }
            let spaces = ByteWord.zeroBytes(word ^ spaceWord)
            // Each space's flag (bit 7 of its byte) meets the flag of the byte before: shifted up one byte, and
            // for the first byte the last flag of the word before (bit 63 down to bit 7).
            pairs |= spaces & ((spaces << 8) | (previousSpaces >> 56))
            previousSpaces = spaces
            index += 8
        }
        var pair = pairs != 0
        var previousSpace = previousSpaces >> 63 != 0
        var control = controls != 0
        while index < count {
            let byte = base[index]
            any |= UInt64(byte)
            if byte < 0x20 { control = true }
            if byte == 0x20 {
                if previousSpace { pair = true }
                previousSpace = true
            } else {
                previousSpace = false
            }
            index += 1
        }
        return (any & 0x8080_8080_8080_8080 == 0, pair, control && wanted)
    }

    /// Whether ASCII bytes hold one below 0x20 (a control character, the tab), eight bytes at a time. For bytes
    /// that are not all ASCII the answer may be wrong (0x80–0x9F count as control bytes). The scanner takes the
    /// answer from ``scanValue(_:)``; this is the tests' reference for it.
    static func hasControlByte(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            let count = buffer.count
            var index = 0
            while index + 8 <= count {
                // An ASCII byte below 0x20 has neither bit 5 nor bit 6.
                if ByteWord.zeroBytes(ByteWord.load(base, index) & ByteWord.repeating(0x60)) != 0 { return true }
                index += 8
            }
            while index < count {
                if base[index] < 0x20 { return true }
                index += 1
            }
            return false
        }
    }

    /// True when every byte is ASCII (checked eight bytes at a time).
    static func isASCII(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { isASCII($0) }
    }

    /// ``isASCII(_:)`` on a buffer.
    static func isASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let count = buffer.count
        var index = 0
        var any: UInt64 = 0
        while index + 8 <= count {
            any |= UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            index += 8
        }
        while index < count {
            any |= UInt64(base[index])
            index += 1
        }
        return any & 0x8080_8080_8080_8080 == 0
    }

    /// True when the UTF-8 bytes hold U+2028 or U+2029 (E2 80 A8/A9).
    static func containsLineSeparator(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            let count = buffer.count
            var index = 0
            // Eight bytes at a time: each 0xE2 byte in the word is tested where it is.
            while index + 8 <= count {
                var hits = ByteWord.zeroBytes(ByteWord.load(base, index) ^ ByteWord.repeating(0xE2))
                while hits != 0 {
                    let at = index + hits.trailingZeroBitCount / 8
                    if at + 2 < count, base[at + 1] == 0x80, base[at + 2] == 0xA8 || base[at + 2] == 0xA9 { return true }
                    hits &= hits - 1
                }
                index += 8
            }
            while index + 2 < count {
                if base[index] == 0xE2, base[index + 1] == 0x80, base[index + 2] == 0xA8 || base[index + 2] == 0xA9 {
                    return true
                }
                index += 1
            }
            return false
        }
    }

    static func strippingBOM(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let start = bytes.startIndex
        if bytes.count >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF {
            return bytes[(start + 3)...]
        }
        return bytes
    }

    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0C || $0 == 0x0B }
    }

    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    @inline(__always) static func upper(_ byte: UInt8) -> UInt8 {
        byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
    }

    /// An RIS tag line: a letter, a letter or digit, one to four spaces, `-`, then a space or the end of the line.
    /// Returns the upper-cased tag and the offset (from the slice start) where the value begins.
    static func risTag(_ bytes: ArraySlice<UInt8>) -> (tag: String, valueOffset: Int)? {
        guard let offset = risTagValueOffset(bytes) else { return nil }
        let start = bytes.startIndex
        return (tagName(upper(bytes[start]), upper(bytes[start + 1])), offset)
    }

    /// ``risTag(_:)`` without the tag's String (the scanner takes the tag from the line's first two bytes): the
    /// offset from the slice start where the value begins, nil for a line that is no tag line. Read through the
    /// slice's buffer (no index checks per byte); the tests compare it with the slice reading it replaced.
    static func risTagValueOffset(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            let count = buffer.count
            guard count >= 3, let base = buffer.baseAddress, isLetter(base[0]), isLetter(base[1]) || isDigit(base[1])
            else { return nil }
            var index = 2
            while index < count, base[index] == 0x20 { index += 1 }
            let spaces = index - 2
            guard spaces >= 1, spaces <= 4, index < count, base[index] == 0x2D else { return nil }
            index += 1
            if index < count {
                guard base[index] == 0x20 || base[index] == 0x09 else { return nil }
                while index < count, base[index] == 0x20 || base[index] == 0x09 { index += 1 }
            }
            return index
        }
    }

    /// The names of the two-character tags of upper-case letters and digits, made once (a tag per line would
    /// otherwise build a String each time).
    private static let tagNames: [String] = {
        var names: [String] = []
        names.reserveCapacity(43 * 43)
        for first in UInt8(0x30)...0x5A {
            for second in UInt8(0x30)...0x5A { names.append(String(decoding: [first, second], as: UTF8.self)) }
        }
        return names
    }()

    /// The tag of two bytes (already upper-cased).
    @inline(__always)
    static func tagName(_ first: UInt8, _ second: UInt8) -> String {
        if first >= 0x30, first <= 0x5A, second >= 0x30, second <= 0x5A {
            return tagNames[Int(first - 0x30) * 43 + Int(second - 0x30)]
        }
        return String(decoding: [first, second], as: UTF8.self)
    }

    /// An Ovid record marker: `<123. >`.
    static func isOvidMarker(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        guard index < bytes.endIndex, bytes[index] == 0x3C else { return false }
        index += 1
        var digits = 0
        while index < bytes.endIndex, isDigit(bytes[index]) {
            digits += 1
            index += 1
        }
        guard digits > 0, index < bytes.endIndex, bytes[index] == 0x2E else { return false }
        index += 1
        while index < bytes.endIndex, bytes[index] == 0x20 { index += 1 }
        guard index < bytes.endIndex, bytes[index] == 0x3E else { return false }
        return bytes[(index + 1)...].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// A MEDLINE tag line as exporters also write it: two to four upper-case letters or digits, optional spaces,
    /// `-`, then the value with or without a space (`PMID-123`, `TI-`, `PMC -PMC1`).
    static func looseMedlineTag(_ bytes: ArraySlice<UInt8>) -> (tag: String, valueOffset: Int)? {
        if let strict = medlineTag(bytes) { return strict }
        let start = bytes.startIndex
        var index = start
        var tagBytes: [UInt8] = []
        while index < bytes.endIndex, index - start < 4, (bytes[index] >= 0x41 && bytes[index] <= 0x5A) || isDigit(bytes[index]) {
            tagBytes.append(bytes[index])
            index += 1
        }
        guard tagBytes.count >= 2, isLetter(tagBytes[0]) else { return nil }
        while index < bytes.endIndex, index - start < 5, bytes[index] == 0x20 { index += 1 }
        guard index < bytes.endIndex, bytes[index] == 0x2D else { return nil }
        index += 1
        while index < bytes.endIndex, bytes[index] == 0x20 { index += 1 }
        return (String(decoding: tagBytes, as: UTF8.self), index - start)
    }

    /// A MEDLINE tag line: two to four upper-case letters or digits padded with spaces to four, `-`, a space.
    static func medlineTag(_ bytes: ArraySlice<UInt8>) -> (tag: String, valueOffset: Int)? {
        let start = bytes.startIndex
        guard bytes.count >= 5, bytes[start + 4] == 0x2D else { return nil }
        if bytes.count > 5 && bytes[start + 5] != 0x20 { return nil }
        var tagBytes: [UInt8] = []
        var ended = false
        for index in start..<(start + 4) {
            let byte = bytes[index]
            if byte == 0x20 {
                ended = true
            } else if !ended && ((byte >= 0x41 && byte <= 0x5A) || isDigit(byte)) {
                tagBytes.append(byte)
            } else {
                return nil
            }
        }
        guard tagBytes.count >= 2, isLetter(tagBytes[0]) else { return nil }
        var index = start + 5
        while index < bytes.endIndex, bytes[index] == 0x20 { index += 1 }
        return (String(decoding: tagBytes, as: UTF8.self), index - start)
    }

    /// A Web of Science tag line: an upper-case letter, a letter or digit, then a space or the end of the line.
    static func wosTag(_ bytes: ArraySlice<UInt8>) -> String? {
        let start = bytes.startIndex
        guard bytes.count >= 2, bytes[start] >= 0x41 && bytes[start] <= 0x5A,
            (bytes[start + 1] >= 0x41 && bytes[start + 1] <= 0x5A) || isDigit(bytes[start + 1])
        else { return nil }
        if bytes.count > 2 && bytes[start + 2] != 0x20 { return nil }
        return String(decoding: bytes[start..<(start + 2)], as: UTF8.self)
    }

    /// Standard tags that exporters are known to glue onto the end of another tag's line.
    /// (`TY` and `ER` are not among them: a record boundary is only ever a line of its own.)
    private static let gluableTags: Set<String> = [
        "AU", "A1", "A2", "A3", "A4", "TI", "T1", "T2", "T3", "PY", "DA", "Y1", "Y2", "VL", "IS", "SP", "EP",
        "DO", "UR", "L1", "L2", "L3", "L4", "LK", "SN", "PB", "CY", "AB", "N1", "N2", "KW", "JO", "JF", "JA", "J2",
        "ST", "ET", "AN", "DB", "DP", "LA", "M1", "M2", "M3", "C1", "C2", "C3", "C7", "ID",
    ]

    /// A second spec-form tag (`  XX  - `) inside a value, preceded by at least two spaces.
    static func gluedTag(in value: ArraySlice<UInt8>) -> (tag: String, cut: Int, offset: Int)? {
        guard value.count >= 8 else { return nil }
        let base = value.startIndex
        let found = value.withUnsafeBufferPointer { gluedTag(in: $0) }
        guard let found else { return nil }
        return (found.tag, base + found.cut, base + found.offset)
    }

    /// ``gluedTag(in:)`` on a buffer; offsets from its start.
    static func gluedTag(in value: UnsafeBufferPointer<UInt8>) -> (tag: String, cut: Int, offset: Int)? {
        let end = value.count
        guard end >= 8 else { return nil }
        var index = 0
        while index + 7 < end {
            if index + 8 <= end, let base = value.baseAddress {
                // No pair of spaces starts in the next seven bytes (the eighth is tested with the next word): skip.
                let spaces = ByteWord.zeroBytes(ByteWord.load(base, index) ^ ByteWord.repeating(0x20))
                if spaces & (spaces >> 8) == 0 {
                    index += 7
                    continue
                }
            }
            // Two spaces in a row always cover an odd position or the pair (index, index + 1): when the byte
            // at index + 1 is not a space, neither a pair at index nor one at index + 1 exists.
            if value[index + 1] != 0x20 {
                index += 2
                continue
            }
            if value[index] == 0x20, value[index + 1] == 0x20 {
                // Skip the whole run of spaces.
                var tagStart = index
                while tagStart < end, value[tagStart] == 0x20 { tagStart += 1 }
                if tagStart + 5 < end, value[tagStart + 2] == 0x20, value[tagStart + 3] == 0x20,
                    value[tagStart + 4] == 0x2D, value[tagStart + 5] == 0x20,
                    value[tagStart] >= 0x41 && value[tagStart] <= 0x5A,
                    (value[tagStart + 1] >= 0x41 && value[tagStart + 1] <= 0x5A) || isDigit(value[tagStart + 1])
                {
                    let tag = tagName(value[tagStart], value[tagStart + 1])
                    if gluableTags.contains(tag) { return (tag, index, tagStart) }
                }
                index = tagStart
                continue
            }
            index += 1
        }
        return nil
    }
}

/// Eight bytes at a time, for the byte scans of the RIS reader.
enum ByteWord {
    /// The eight bytes at `offset`, the first in the lowest byte.
    @inline(__always)
    static func load(_ base: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of each byte of `word` that is zero, and of no other (exact: no carries between bytes).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & low7) &+ low7) | word | low7)
    }

    /// `byte` in each of the eight bytes.
    @inline(__always)
    static func repeating(_ byte: UInt8) -> UInt64 { UInt64(byte) &* 0x0101_0101_0101_0101 }
}
