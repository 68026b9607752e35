import SMRLCore

/// A piece of a field value before `@string` macros are expanded: `{…}` or `"…"` text, a bare number, or a macro
/// name, joined by `#` in the source.
enum BibTeXValuePart: Sendable {
    /// Braced or quoted text without its delimiters, as raw bytes.
    case text([UInt8])
    /// Braced or quoted text whose bytes are valid UTF-8 without a byte EF, made a string by the scanner: what
    /// ``BibTeXReader/decodeText(_:)`` gives for those bytes (the usual value: no array of bytes kept).
    case string(String)
    /// A bare number (`year = 2020`).
    case number([UInt8])

    /// The bytes of braced or quoted text (``text(_:)`` or ``string(_:)``); nil for a number or a macro.
    var textBytes: [UInt8]? {
        switch self {
        case .text(let bytes): return bytes
        case .string(let text): return Array(text.utf8)
        case .number, .macro: return nil
        }
    }
    /// A bare word that names an `@string` macro or a month (`jun`), with where it stands.
    case macro(String, SourceLocation)
}

/// One `name = value` pair of an entry, unexpanded.
struct BibTeXRawField: Sendable {
    /// The field name as written (case kept).
    var name: String
    /// The ``BibField`` whose name `name` is exactly, when the scanner found it (nil: not looked up, or none); as
    /// every ``BibField`` name is lowercase, `name` is then lowercase too.
    var known: BibField? = nil
    /// The value's first part.
    var first: BibTeXValuePart
    /// The parts joined to the first by `#`: none for most values, so most fields need no array of parts.
    var rest: [BibTeXValuePart]
    /// Where the field name starts.
    var location: SourceLocation

    /// All the parts, in order.
    var parts: [BibTeXValuePart] { [first] + rest }

    /// The first part, moved out of the field (an empty number is left in its place): no copy of its string or
    /// bytes, and none left for the field to release.
    mutating func takeFirst() -> BibTeXValuePart {
        var part = BibTeXValuePart.number([])
        swap(&part, &first)
        return part
    }

    /// The location, moved out of the field (one with an empty file name left in its place): no retain of its file
    /// name, and none left for the field to release.
    mutating func takeLocation() -> SourceLocation {
        var taken = SourceLocation(file: "", line: 0, column: 0)
        swap(&taken, &location)
        return taken
    }
}

/// An entry as the scanner met it: type, key and fields, before macros, LaTeX and mapping.
struct BibTeXRawEntry: Sendable {
    /// The entry type as written (`Article`, `inproceedings`).
    var type: String
    /// The citation key; nil when the entry has none.
    var key: String?
    var fields: [BibTeXRawField]
    /// Where the `@` stands.
    var location: SourceLocation
    /// Warnings met while scanning (a missing comma, the input ending inside the entry).
    var diagnostics: [Diagnostic]
}

/// What the scanner found next in the input.
enum BibTeXBlock: Sendable {
    case entry(BibTeXRawEntry)
    /// `@string{name = value}`.
    case string(name: String, parts: [BibTeXValuePart], location: SourceLocation)
    /// `@preamble{…}`.
    case preamble(location: SourceLocation)
    /// An entry that could not be parsed; the key when it was read, and the error.
    case failed(key: String?, location: SourceLocation, diagnostics: [Diagnostic])
}

/// Tokenizes BibTeX over raw bytes, one block at a time, with 1-based line and column (Unicode scalars) for each
/// thing it returns.
///
/// The grammar is BibTeX's, with the tolerance of biber and JabRef:
/// - text outside entries is ignored (`%` lines, prose); an `@` in the middle of such text starts an entry only when
///   an entry type and `{` or `(` follow it;
/// - `@comment{…}` is skipped as a balanced block; `@string`, `@preamble` and entries accept `{…}` or `(…)`;
/// - values are `{…}` (nested braces), `"…"` (braces inside balanced), bare numbers and macro names, joined by `#`;
/// - a `%` between fields comments out the rest of the line, a final comma is optional, a missing comma between two
///   fields is accepted with a warning.
///
/// On an error the scanner reports it with its location and skips to the next `@` that starts a line (only spaces
/// before it), so the entries after a broken one are still read. A value whose brace is never closed is cut at the
/// first line that starts like a new entry (`@article{`), so one missing brace costs one entry, not the file.
struct BibTeXScanner {
    private let reader: ByteReader
    private let fileName: String
    private let maxDepth: Int
    private let maxRecordBytes: Int
    /// True: values are read by ``readDelimitedSlowly(quoted:)`` (for tests).
    private let referenceValues: Bool

    private var buffer: [UInt8] = []
    private var position = 0
    /// Where ``readDelimited(quoted:)`` keeps the part of a value that ``refill()`` moved out of the buffer (kept
    /// between values: no growth per value). Most values never need it.
    private var scratch: [UInt8] = []
    /// While ``readDelimited(quoted:)`` reads a value: where its bytes not yet in `scratch` start in `buffer`.
    /// The value is the bytes it consumes, in order, so it is `scratch` plus `buffer[valueStart..<position]`.
    private var valueStart: Int?
    /// The field count of the last entry: the next entry's first guess.
    private var fieldCountHint = 16
    private var inputEnded = false

    /// 1-based line and column of the next unread byte.
    private(set) var line = 1
    private(set) var column = 1
    /// True while only spaces and tabs precede the next byte on its line.
    private var lineBlank = true
    /// Bytes consumed since the start of the input.
    private var offset = 0
    /// `offset` where the current entry started, for the size limit.
    private var entryStart = 0

    private static let chunkSize = 1 << 16

    init(reader: ByteReader, options: ReaderOptions, referenceValues: Bool = false) {
        self.reader = reader
        self.referenceValues = referenceValues
        fileName = reader.fileName
        maxDepth = max(1, options.maxDepth)
        maxRecordBytes = max(1024, options.maxRecordBytes)
        buffer.reserveCapacity(Self.chunkSize * 2)
    }

    // MARK: Buffer

    /// Reads more input; false at the end.
    private mutating func refill() -> Bool {
        if inputEnded { return false }
        if position > 0 {
            if let start = valueStart {
                // The consumed bytes of the value being read leave the buffer: keep them.
                if position > start {
                    buffer.withUnsafeBufferPointer { buffer in
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<position]))
                    }
                }
                valueStart = 0
            }
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.chunkSize))
        // Fill the whole chunk: a source that hands over a few bytes at a time (a pipe, a slow network mount)
        // would otherwise cost a zeroed 64 KB block for every few bytes, quadratic in the input.
        var count = 0
        while count < Self.chunkSize {
            let got = buffer.withUnsafeMutableBytes { raw in
                reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[(old + count)...]))
            }
            if got == 0 { break }
            count += got
        }
        buffer.removeSubrange((old + count)...)
        if count == 0 { inputEnded = true }
        return count > 0
    }

    /// Makes at least `count` bytes available unless the input ends first.
    private mutating func ensure(_ count: Int) {
        while buffer.count - position < count, refill() {}
    }

    @inline(__always)
    private mutating func peek() -> UInt8? {
        if position < buffer.count { return buffer[position] }
        return refill() ? buffer[position] : nil
    }

    /// Consumes one byte, keeping line and column.
    @inline(__always)
    private mutating func advance() {
        let byte = buffer[position]
        position += 1
        offset += 1
        track(byte)
    }

    @inline(__always)
    private mutating func track(_ byte: UInt8) {
        if byte == 0x0A {
            line += 1
            column = 1
            lineBlank = true
        } else if byte == 0x0D {
            // A lone CR ends a line (old Mac files); in CRLF the LF does it.
            if peek() != 0x0A {
                line += 1
                column = 1
                lineBlank = true
            }
        } else {
            if byte & 0xC0 != 0x80 { column += 1 }
            if byte != 0x20 && byte != 0x09 { lineBlank = false }
        }
    }

    var location: SourceLocation { SourceLocation(file: fileName, line: line, column: column) }

    // MARK: Blocks

    /// The next block, or nil at the end of the input.
    mutating func nextBlock() -> BibTeXBlock? {
        while true {
            // Skip text between entries quickly.
            while true {
                if position >= buffer.count && !refill() { return nil }
                let byte = buffer[position]
                if byte == UInt8(ascii: "@") { break }
                if lineBlank, Self.isLetter(byte), looksLikeField() {
                    // An entry whose header line was lost (damaged or hand-edited files): BibTeX would skip
                    // its fields as comment text, so the record would vanish without a word.
                    let start = location
                    recover()
                    let diagnostic = Diagnostic.error(
                        .bibtexFieldsOutsideEntry,
                        "fields outside any entry (its '@type{key,' line is missing); the entry is skipped",
                        at: start)
                    return .failed(key: nil, location: start, diagnostics: [diagnostic])
                }
                if byte == UInt8(ascii: "%") {
                    // A comment line (biber and JabRef read `%` as a comment outside entries): a commented-out
                    // entry `%@article{…}` stays out.
                    while let next = peek(), next != 0x0A, next != 0x0D { advance() }
                    continue
                }
                advance()
            }
            let atLineStart = lineBlank
            let start = location
            entryStart = offset
            advance()  // '@'
            if let block = parseAfterAt(start: start, atLineStart: atLineStart) { return block }
        }
    }

    private struct ScanError: Error {
        var diagnostic: Diagnostic
    }

    private func error(_ code: DiagnosticCode, _ message: String, at location: SourceLocation? = nil) -> ScanError {
        ScanError(diagnostic: .error(code, message, at: location ?? self.location))
    }

    private mutating func parseAfterAt(start: SourceLocation, atLineStart: Bool) -> BibTeXBlock? {
        skipSpaceAndComments()
        let type = readIdentifier()
        if type.lowercased() == "comment" {
            // `@comment{…}` is a block; `@comment text` comments out the rest of the line.
            skipWhitespace()
            if let open = peek(), open == UInt8(ascii: "{") || open == UInt8(ascii: "(") {
                advance()
                skipBalanced(close: open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ")"))
            } else {
                while let next = peek(), next != 0x0A, next != 0x0D { advance() }
            }
            return nil
        }
        skipSpaceAndComments()
        let open = peek()
        guard !type.isEmpty, open == UInt8(ascii: "{") || open == UInt8(ascii: "(") else {
            // An '@' inside prose (an e-mail address) is not an entry; one that starts a line is a broken entry.
            guard atLineStart, !type.isEmpty || open != nil else { return nil }
            let found = open.map { "'\(Self.describe($0))'" } ?? "the end of the input"
            let message = type.isEmpty
                ? "expected an entry type after '@', found \(found)"
                : "expected '{' or '(' after '@\(type)', found \(found)"
            let diagnostic = Diagnostic.error(.bibtexSyntaxError, message, at: location)
            recover()
            return .failed(key: nil, location: start, diagnostics: [diagnostic])
        }
        let close: UInt8 = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ")")
        advance()
        switch type.lowercased() {
        case "preamble":
            // The content is not needed (smrl has no place for it), and real files put raw text there too.
            skipBalanced(close: close)
            return .preamble(location: start)
        case "string":
            do {
                skipSpaceAndComments()
                let nameLocation = location
                let name = readIdentifier()
                guard !name.isEmpty else { throw error(.bibtexSyntaxError, "expected a macro name in @string") }
                skipSpaceAndComments()
                guard peek() == UInt8(ascii: "=") else {
                    throw error(.bibtexSyntaxError, "expected '=' after @string name '\(name)'")
                }
                advance()
                skipSpaceAndComments()
                let value = try readValue(close: close)
                let parts = [value.first] + value.rest
                skipSpaceAndComments()
                if peek() == UInt8(ascii: ",") {
                    advance()
                    skipSpaceAndComments()
                }
                guard peek() == close else {
                    if peek() == nil { return .string(name: name, parts: parts, location: nameLocation) }
                    throw error(.bibtexSyntaxError, "expected '\(Character(Unicode.Scalar(close)))' to end @string")
                }
                advance()
                return .string(name: name, parts: parts, location: nameLocation)
            } catch let failure as ScanError {
                recover()
                return .failed(key: nil, location: start, diagnostics: [failure.diagnostic])
            } catch {
                return nil
            }
        default:
            return parseEntry(type: type, start: start, close: close)
        }
    }

    private mutating func parseEntry(type: String, start: SourceLocation, close: UInt8) -> BibTeXBlock {
        var entry = BibTeXRawEntry(type: type, key: nil, fields: [], location: start, diagnostics: [])
        entry.fields.reserveCapacity(fieldCountHint)
        defer { fieldCountHint = max(1, entry.fields.count) }
        do {
            skipSpaceAndComments()
            var pendingName: (String, SourceLocation)?
            let keyLocation = location
            let key = readKey(close: close)
            skipSpaceAndComments()
            if key.isEmpty {
                entry.diagnostics.append(.warning(.bibtexMissingKey, "entry @\(type) has no citation key", at: keyLocation))
            } else if peek() == UInt8(ascii: "=") {
                // `@article{title = …}`: what looked like the key is the first field's name.
                entry.diagnostics.append(.warning(.bibtexMissingKey, "entry @\(type) has no citation key", at: keyLocation))
                pendingName = (key, keyLocation)
            } else {
                entry.key = key
            }
            if pendingName == nil {
                guard let byte = peek() else { return unterminated(entry) }
                if byte == UInt8(ascii: ",") {
                    advance()
                } else if byte != close {
                    throw error(.bibtexSyntaxError, "expected ',' after the key '\(key)', found '\(Self.describe(byte))'")
                }
            }
            while true {
                let name: String
                var known: BibField?
                let nameLocation: SourceLocation
                if let (pending, pendingLocation) = pendingName {
                    name = pending
                    nameLocation = pendingLocation
                    pendingName = nil
                } else {
                    skipSpaceAndComments()
                    guard let byte = peek() else { return unterminated(entry) }
                    if byte == close {
                        advance()
                        return .entry(entry)
                    }
                    if byte == Self.otherClose(close) {
                        advance()
                        return mismatched(entry, close: close)
                    }
                    if byte == UInt8(ascii: "@") && lineBlank { return unclosed(entry) }
                    if byte == UInt8(ascii: ",") {
                        advance()
                        continue
                    }
                    nameLocation = location
                    let read = readFieldName()
                    name = read.0
                    known = read.1
                    guard !name.isEmpty else {
                        throw error(.bibtexSyntaxError, "expected a field name, found '\(Self.describe(byte))'")
                    }
                    skipSpaceAndComments()
                }
                guard peek() == UInt8(ascii: "=") else {
                    if peek() == nil { throw error(.bibtexUnterminatedEntry, "the input ends inside field '\(name)'") }
                    throw error(.bibtexSyntaxError, "expected '=' after field name '\(name)', found '\(Self.describe(peek() ?? 0))'")
                }
                advance()
                skipSpaceAndComments()
                let value = try readValue(close: close)
                entry.fields.append(
                    BibTeXRawField(name: name, known: known, first: value.first, rest: value.rest, location: nameLocation))
                skipSpaceAndComments()
                guard let byte = peek() else { return unterminated(entry) }
                if byte == UInt8(ascii: ",") {
                    advance()
                } else if byte == close {
                    advance()
                    return .entry(entry)
                } else if byte == Self.otherClose(close) {
                    advance()
                    return mismatched(entry, close: close)
                } else if byte == UInt8(ascii: "@") && lineBlank {
                    return unclosed(entry)
                } else if Self.isIdentifierByte(byte) {
                    entry.diagnostics.append(
                        .warning(.bibtexMissingComma, "missing ',' after field '\(name)'", at: location))
                } else {
                    throw error(.bibtexSyntaxError, "expected ',' or '\(Character(Unicode.Scalar(close)))' after field '\(name)', found '\(Self.describe(byte))'")
                }
            }
        } catch let failure as ScanError {
            recover()
            var diagnostics = entry.diagnostics
            diagnostics.append(failure.diagnostic)
            return .failed(key: entry.key, location: start, diagnostics: diagnostics)
        } catch {
            recover()
            return .failed(key: entry.key, location: start, diagnostics: entry.diagnostics)
        }
    }

    /// `@book{a, …)`: read as closed, with a warning (citation-js accepts it too).
    private func mismatched(_ entry: BibTeXRawEntry, close: UInt8) -> BibTeXBlock {
        var entry = entry
        entry.diagnostics.append(
            .warning(.bibtexMismatchedDelimiter,
                "entry '\(entry.key ?? "")' opened with '\(close == UInt8(ascii: "}") ? "{" : "(")' is closed with '\(close == UInt8(ascii: "}") ? ")" : "}")'",
                at: location))
        return .entry(entry)
    }

    /// A new entry starts where a field was expected: the entry was never closed. Its fields are kept.
    private func unclosed(_ entry: BibTeXRawEntry) -> BibTeXBlock {
        var entry = entry
        entry.diagnostics.append(
            .warning(.bibtexUnterminatedEntry,
                "entry '\(entry.key ?? "")' is not closed before the next entry at line \(line)", at: location))
        return .entry(entry)
    }

    private static func otherClose(_ close: UInt8) -> UInt8 {
        close == UInt8(ascii: "}") ? UInt8(ascii: ")") : UInt8(ascii: "}")
    }

    /// The input ended between fields: keep what was read, with a warning.
    private func unterminated(_ entry: BibTeXRawEntry) -> BibTeXBlock {
        var entry = entry
        entry.diagnostics.append(
            .warning(.bibtexUnterminatedEntry, "the input ends before entry '\(entry.key ?? "")' is closed", at: location))
        return .entry(entry)
    }

    // MARK: Tokens

    private mutating func skipWhitespace() {
        while let byte = peek(), Self.isSpace(byte) { advance() }
    }

    /// True when the next two bytes are a UTF-8 no-break space (pasted from web pages between tokens).
    private mutating func atNoBreakSpace() -> Bool {
        guard peek() == 0xC2 else { return false }
        ensure(2)
        return position + 1 < buffer.count && buffer[position + 1] == 0xA0
    }

    /// Skips white space (no-break spaces too) and `%` comments (to the end of their line).
    @inline(__always)
    private mutating func skipSpaceAndComments() {
        // Most calls stand before a token (`=`, `,`, a name, a value): nothing to skip, decided here without a
        // call. Every byte the loop below skips is at most 0x20, a `%` or the lead byte C2 of a no-break space.
        if position < buffer.count {
            let byte = buffer[position]
            if byte > 0x20 && byte != UInt8(ascii: "%") && byte != 0xC2 { return }
        }
        skipSpaceAndCommentsRun()
    }

    /// ``skipSpaceAndComments()`` past its first byte's test.
    private mutating func skipSpaceAndCommentsRun() {
        while true {
            // Spaces and tabs (indentation, ` = `) at once: each is one column and leaves a blank line start blank,
            // which is all `advance()` would do for them.
            var index = position
            let end = buffer.count
            while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
            if index > position {
                column += index - position
                offset += index - position
                position = index
            }
            guard let byte = peek() else { return }
            if Self.isSpace(byte) {
                advance()
            } else if byte == 0xC2 && atNoBreakSpace() {
                advance()
                advance()
            } else if byte == UInt8(ascii: "%") {
                while let next = peek(), next != 0x0A, next != 0x0D { advance() }
            } else {
                return
            }
        }
    }

    /// An entry type, field name or macro name: printable characters other than `"#%'(),={}` and white space.
    private mutating func readIdentifier() -> String {
        if let fast = takeASCIIRun(while: Self.isIdentifierByte) { return fast }
        var bytes: [UInt8] = []
        while let byte = peek(), Self.isIdentifierByte(byte), !(byte == 0xC2 && atNoBreakSpace()) {
            bytes.append(byte)
            advance()
        }
        return TextDecoding.decode(bytes).text
    }

    /// A field name (``readIdentifier()``) and the ``BibField`` it is: a name that is one exactly (lowercase, as
    /// files mostly write them) is found on the buffer's bytes and becomes the field's own string, so no string is
    /// made and no name hashed later.
    private mutating func readFieldName() -> (String, BibField?) {
        var index = position
        let end = buffer.count
        while index < end {
            let byte = buffer[index]
            if byte >= 0x80 || !Self.isIdentifierByte(byte) { break }
            index += 1
        }
        // What ``takeASCIIRun(while:)`` takes at once: a run ended inside the buffer by an ASCII byte.
        if index < end, index > position, buffer[index] < 0x80 {
            let start = position
            let known = buffer.withUnsafeBufferPointer { buffer in
                BibField(bytes: UnsafeBufferPointer(rebasing: buffer[start..<index]))
            }
            if let known {
                let count = index - position
                position = index
                offset += count
                column += count
                lineBlank = false  // identifier bytes are no space, tab or line end
                return (known.name, known)
            }
        }
        return (readIdentifier(), nil)
    }

    /// A citation key: anything up to a comma, white space, `=` or the closing delimiter.
    private mutating func readKey(close: UInt8) -> String {
        if let fast = takeASCIIRun(while: { byte in
            !Self.isSpace(byte) && byte != UInt8(ascii: ",") && byte != close && byte != UInt8(ascii: "=")
                && byte != UInt8(ascii: "{") && byte != UInt8(ascii: "}")
        }) {
            return fast
        }
        var bytes: [UInt8] = []
        while let byte = peek(), !Self.isSpace(byte), byte != UInt8(ascii: ","), byte != close,
            byte != UInt8(ascii: "="), byte != UInt8(ascii: "{"), byte != UInt8(ascii: "}"),
            !(byte == 0xC2 && atNoBreakSpace())
        {
            bytes.append(byte)
            advance()
        }
        return TextDecoding.decode(bytes).text
    }

    /// The common case of ``readIdentifier()`` and ``readKey(close:)``: a run of ASCII bytes that `accept`
    /// takes, ended inside the buffer by a byte it refuses, consumed at once as one string. Nil (nothing consumed)
    /// when the run meets a non-ASCII byte or the end of the buffer: the byte-by-byte path handles those.
    /// `accept` must refuse white space, so that the run stays on one line and ends any blank start of it.
    @inline(__always)
    private mutating func takeASCIIRun(while accept: (UInt8) -> Bool) -> String? {
        var index = position
        let end = buffer.count
        while index < end {
            let byte = buffer[index]
            if byte >= 0x80 { return nil }
            if !accept(byte) { break }
            index += 1
        }
        guard index < end else { return nil }
        let count = index - position
        guard count > 0 else { return "" }
        let text = String(decoding: buffer[position..<index], as: UTF8.self)
        position = index
        offset += count
        column += count
        lineBlank = false  // `accept` takes no space or tab (nor line end)
        return text
    }

    /// A value: parts joined by `#`, the first apart (no array for a value of one part).
    private mutating func readValue(close: UInt8) throws -> (first: BibTeXValuePart, rest: [BibTeXValuePart]) {
        let first = try readPart()
        var rest: [BibTeXValuePart] = []
        while true {
            skipSpaceAndComments()
            guard peek() == UInt8(ascii: "#") else { return (first, rest) }
            advance()
            skipSpaceAndComments()
            rest.append(try readPart())
        }
    }

    /// One part of a value: `{…}`, `"…"`, a number or a macro name.
    private mutating func readPart() throws -> BibTeXValuePart {
            guard let byte = peek() else {
                throw error(.bibtexUnterminatedEntry, "the input ends where a value was expected")
            }
            if byte == UInt8(ascii: "{") {
                return referenceValues ? try readDelimitedSlowly(quoted: false) : try readDelimited(quoted: false)
            } else if byte == UInt8(ascii: "\"") {
                return referenceValues ? try readDelimitedSlowly(quoted: true) : try readDelimited(quoted: true)
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                var digits: [UInt8] = []
                while let next = peek(), next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9") {
                    digits.append(next)
                    advance()
                }
                // `2020a` is not BibTeX, but seen in the wild: keep the rest of the word with the number.
                while let next = peek(), Self.isIdentifierByte(next) {
                    digits.append(next)
                    advance()
                }
                return .number(digits)
            } else if Self.isIdentifierByte(byte) {
                let at = location
                return .macro(readIdentifier(), at)
            } else {
                throw error(.bibtexSyntaxError, "expected a value ('{', '\"', a number or a macro name), found '\(Self.describe(byte))'")
            }
    }

    /// Reads `{…}` or `"…"` and returns the bytes between the delimiters. Nested braces are kept; inside quotes, a
    /// `"` within braces does not end the value.
    private mutating func readDelimited(quoted: Bool) throws -> BibTeXValuePart {
        let startLocation = location
        advance()  // opening delimiter
        var depth = quoted ? 0 : 1
        // The value is the bytes consumed from here to the closing delimiter: they stay in the buffer (``refill()``
        // moves those it drops to `scratch`) and are copied once, at the end.
        scratch.removeAll(keepingCapacity: true)
        valueStart = position
        defer { valueStart = nil }
        // False once a byte at or above 0x80 is consumed: an ASCII value needs no check for a byte EF.
        var ascii = true
        while true {
            if position >= buffer.count && !refill() {
                throw ScanError(diagnostic: .error(.bibtexUnbalancedBraces,
                    quoted ? "the quoted value opened here is never closed" : "the brace opened here is never closed",
                    at: startLocation))
            }
            // Copy a run of ordinary bytes at once.
            var index = position
            let end = buffer.count
            var newlines = 0
            var scalarsAfterNewline = 0
            var blank = lineBlank
            var runDepth = depth
            let limit = maxDepth
            // The bytes that end a run: CR, LF, and the quote in a quoted value (bit sets over ASCII); braces are
            // counted in the run, and end it only where the slow path below must act: the brace that closes a
            // braced value, one that would nest too deep, a `}` with no `{` open in a quoted value.
            let stopLow: UInt64 = (1 << 0x0A) | (1 << 0x0D) | (quoted ? 1 << 0x22 : 0)
            let stopHigh: UInt64 = (1 << (0x7B - 64)) | (1 << (0x7D - 64))
            buffer.withUnsafeBufferPointer { buffer in
                // Eight bytes at a time while they are ASCII, none ends the run, and the line is not blank (so
                // each byte is one scalar and changes nothing else).
                guard let base = buffer.baseAddress else { return }
                let raw = UnsafeRawPointer(base)
                while index < end {
                    if !blank {
                        while index + 8 <= end {
                            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                            // Every byte outside 0x20...0x7A needs a look (the braces, CR and LF among them; a tab,
                            // `|`, `~` or another control byte only costs the look): one range test for all.
                            var mask = Self.outsideTextRange(word)
                            if quoted { mask |= Self.byteMask(word, 0x22) }
                            if mask != 0 {
                                // The bytes before the first that needs a look are ASCII and end nothing: taken
                                // at once, not one by one below.
                                let skip = mask.trailingZeroBitCount >> 3
                                index += skip
                                scalarsAfterNewline += skip
                                break
                            }
                            index += 8
                            scalarsAfterNewline += 8
                        }
                        if index >= end { break }
                    }
                    let byte = buffer[index]
                    if byte < 0x80 {
                        if byte < 64 {
                            if (stopLow >> UInt64(byte)) & 1 != 0 {
                                if byte == 0x0A {
                                    newlines += 1
                                    scalarsAfterNewline = 0
                                    blank = true
                                    index += 1
                                }
                                break  // a CR or quote is handled below; at a new line, check for an entry start
                            }
                        } else if (stopHigh >> UInt64(byte &- 64)) & 1 != 0 {
                            // A brace: one column, not blank, ASCII, as the slow path's `advance()` would count it.
                            if byte == UInt8(ascii: "{") {
                                if runDepth + 1 > limit { break }
                                runDepth += 1
                            } else {
                                if runDepth == 0 || (runDepth == 1 && !quoted) { break }
                                runDepth -= 1
                            }
                            scalarsAfterNewline += 1
                            blank = false
                            index += 1
                            continue
                        }
                        scalarsAfterNewline += 1
                        if blank && byte != 0x20 && byte != 0x09 { blank = false }
                    } else {
                        if byte & 0xC0 != 0x80 { scalarsAfterNewline += 1 }
                        blank = false
                        ascii = false
                    }
                    index += 1
                }
            }
            if index > position {
                offset += index - position
                if newlines > 0 {
                    line += newlines
                    column = 1 + scalarsAfterNewline
                } else {
                    column += scalarsAfterNewline
                }
                lineBlank = blank
                position = index
                depth = runDepth
                if offset - entryStart > maxRecordBytes {
                    throw ScanError(diagnostic: .error(.recordTooLarge,
                        "entry is larger than the \(maxRecordBytes)-byte limit", at: startLocation))
                }
                if newlines > 0 && looksLikeEntryStart() {
                    throw ScanError(diagnostic: .error(.bibtexUnbalancedBraces,
                        (quoted ? "the quoted value opened here" : "the brace opened here")
                            + " is not closed before the entry at line \(line)", at: startLocation))
                }
                continue
            }
            guard let byte = peek() else { continue }
            if byte == 0x0D {
                advance()
                // After a lone CR (old Mac line end) the column is back at 1: a new line starts.
                if column == 1, looksLikeEntryStart() {
                    throw ScanError(diagnostic: .error(.bibtexUnbalancedBraces,
                        (quoted ? "the quoted value opened here" : "the brace opened here")
                            + " is not closed before the entry at line \(line)", at: startLocation))
                }
                continue
            }
            if quoted && byte == UInt8(ascii: "\"") && depth == 0 {
                let value = takeValue(ascii: ascii)
                advance()
                return value
            }
            if byte == UInt8(ascii: "{") {
                depth += 1
                if depth > maxDepth {
                    throw ScanError(diagnostic: .error(.nestingTooDeep,
                        "braces nest deeper than \(maxDepth) levels", at: location))
                }
            } else if byte == UInt8(ascii: "}") {
                if depth == 0 {
                    // A quoted value with an unbalanced '}': BibTeX rejects it.
                    throw error(.bibtexUnbalancedBraces, "unbalanced '}' inside a quoted value")
                }
                depth -= 1
                if depth == 0 && !quoted {
                    let value = takeValue(ascii: ascii)
                    advance()
                    return value
                }
            }
            advance()
        }
    }

    /// ``readDelimited(quoted:)`` as it was before braces were counted inside a run (each brace ended the run and
    /// went through the byte-by-byte path): the reference the tests compare the scanner with
    /// (``init(reader:options:referenceValues:)``).
    private mutating func readDelimitedSlowly(quoted: Bool) throws -> BibTeXValuePart {
        let startLocation = location
        advance()  // opening delimiter
        var depth = quoted ? 0 : 1
        // The value is the bytes consumed from here to the closing delimiter: they stay in the buffer (``refill()``
        // moves those it drops to `scratch`) and are copied once, at the end.
        scratch.removeAll(keepingCapacity: true)
        valueStart = position
        defer { valueStart = nil }
        // False once a byte at or above 0x80 is consumed: an ASCII value needs no check for a byte EF.
        var ascii = true
        while true {
            if position >= buffer.count && !refill() {
                throw ScanError(diagnostic: .error(.bibtexUnbalancedBraces,
                    quoted ? "the quoted value opened here is never closed" : "the brace opened here is never closed",
                    at: startLocation))
            }
            // Copy a run of ordinary bytes at once.
            var index = position
            let end = buffer.count
            var newlines = 0
            var scalarsAfterNewline = 0
            var blank = lineBlank
            // The bytes that end a run: braces, CR, LF, and the quote in a quoted value (bit sets over ASCII).
            let stopLow: UInt64 = (1 << 0x0A) | (1 << 0x0D) | (quoted ? 1 << 0x22 : 0)
            let stopHigh: UInt64 = (1 << (0x7B - 64)) | (1 << (0x7D - 64))
            buffer.withUnsafeBufferPointer { buffer in
                // Eight bytes at a time while they are ASCII, none ends the run, and the line is not blank (so
                // each byte is one scalar and changes nothing else).
                guard let base = buffer.baseAddress else { return }
                let raw = UnsafeRawPointer(base)
                while index < end {
                    if !blank {
                        while index + 8 <= end {
                            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                            var mask = (word & Self.highBits) | Self.byteMask(word, 0x7B) | Self.byteMask(word, 0x7D)
                                | Self.byteMask(word, 0x0A) | Self.byteMask(word, 0x0D)
                            if quoted { mask |= Self.byteMask(word, 0x22) }
                            if mask != 0 {
                                // The bytes before the first that needs a look are ASCII and end nothing: taken
                                // at once, not one by one below.
                                let skip = mask.trailingZeroBitCount >> 3
                                index += skip
                                scalarsAfterNewline += skip
                                break
                            }
                            index += 8
                            scalarsAfterNewline += 8
                        }
                        if index >= end { break }
                    }
                    let byte = buffer[index]
                    if byte < 0x80 {
                        if byte < 64 {
                            if (stopLow >> UInt64(byte)) & 1 != 0 {
                                if byte == 0x0A {
                                    newlines += 1
                                    scalarsAfterNewline = 0
                                    blank = true
                                    index += 1
                                }
                                break  // a CR or quote is handled below; at a new line, check for an entry start
                            }
                        } else if (stopHigh >> UInt64(byte &- 64)) & 1 != 0 {
                            break
                        }
                        scalarsAfterNewline += 1
                        if blank && byte != 0x20 && byte != 0x09 { blank = false }
                    } else {
                        if byte & 0xC0 != 0x80 { scalarsAfterNewline += 1 }
                        blank = false
                        ascii = false
                    }
                    index += 1
                }
            }
            if index > position {
                offset += index - position
                if newlines > 0 {
                    line += newlines
                    column = 1 + scalarsAfterNewline
                } else {
                    column += scalarsAfterNewline
                }
                lineBlank = blank
                position = index
                if offset - entryStart > maxRecordBytes {
                    throw ScanError(diagnostic: .error(.recordTooLarge,
                        "entry is larger than the \(maxRecordBytes)-byte limit", at: startLocation))
                }
                if newlines > 0 && looksLikeEntryStart() {
                    throw ScanError(diagnostic: .error(.bibtexUnbalancedBraces,
                        (quoted ? "the quoted value opened here" : "the brace opened here")
                            + " is not closed before the entry at line \(line)", at: startLocation))
                }
                continue
            }
            guard let byte = peek() else { continue }
            if byte == 0x0D {
                advance()
                // After a lone CR (old Mac line end) the column is back at 1: a new line starts.
                if column == 1, looksLikeEntryStart() {
                    throw ScanError(diagnostic: .error(.bibtexUnbalancedBraces,
                        (quoted ? "the quoted value opened here" : "the brace opened here")
                            + " is not closed before the entry at line \(line)", at: startLocation))
                }
                continue
            }
            if quoted && byte == UInt8(ascii: "\"") && depth == 0 {
                let value = takeValue(ascii: ascii)
                advance()
                return value
            }
            if byte == UInt8(ascii: "{") {
                depth += 1
                if depth > maxDepth {
                    throw ScanError(diagnostic: .error(.nestingTooDeep,
                        "braces nest deeper than \(maxDepth) levels", at: location))
                }
            } else if byte == UInt8(ascii: "}") {
                if depth == 0 {
                    // A quoted value with an unbalanced '}': BibTeX rejects it.
                    throw error(.bibtexUnbalancedBraces, "unbalanced '}' inside a quoted value")
                }
                depth -= 1
                if depth == 0 && !quoted {
                    let value = takeValue(ascii: ascii)
                    advance()
                    return value
                }
            }
            advance()
        }
    }

    /// The value ``readDelimited(quoted:)`` has consumed so far (`scratch`, then the buffer from `valueStart`):
    /// a string made from the buffer when the value is all there and ``BibTeXReader/decodeText(_:)`` would give
    /// that string (no byte EF in it: valid UTF-8, nothing repaired), else the bytes, in an array of their size.
    ///
    /// `ascii` is true when no byte of the value is at or above 0x80: its string is then made without the search
    /// for a byte EF (ASCII has none, so the search could only say no).
    private func takeValue(ascii: Bool) -> BibTeXValuePart {
        let start = valueStart ?? position
        return buffer.withUnsafeBufferPointer { buffer in
            let tail = UnsafeBufferPointer(rebasing: buffer[start..<position])
            if scratch.isEmpty {
                // `ascii` is exact here: the scan looked at every byte of `tail` (``readDelimited(quoted:)``'s runs
                // take only ASCII bytes below 0x7B eight at a time, and clear it at any byte from 0x80 up), so the
                // bytes are copied without another look.
                if ascii { return .string(UTF8Strings.string(validUTF8: tail, ascii: true)) }
                // Valid UTF-8 decodes to itself, so the string has a byte EF exactly when the value has; bytes that
                // are not valid decode with a U+FFFD (EF BF BD) put in, so they stay bytes, as before. One check of
                // the bytes, then a copy without a second (`UTF8Strings.string(_:)` would check them again).
                let validity = UTF8Strings.check(tail)
                guard validity != .invalid, !BibTeXReader.containsByte(tail, 0xEF) else {
                    return .text(Array(tail))
                }
                return .string(UTF8Strings.string(validUTF8: tail, ascii: validity == .ascii))
            }
            var value = [UInt8]()
            value.reserveCapacity(scratch.count + tail.count)
            value.append(contentsOf: scratch)
            value.append(contentsOf: tail)
            return .text(value)
        }
    }

    /// True when the unread input starts with `name = {`, `name = "`, `name = 1` or a line `name = macro,`: an
    /// entry's field, which prose between entries does not look like.
    private mutating func looksLikeField() -> Bool {
        ensure(128)
        var index = position
        let end = buffer.count
        while index < end, Self.isIdentifierByte(buffer[index]) { index += 1 }
        guard index > position else { return false }
        while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
        guard index < end, buffer[index] == UInt8(ascii: "=") else { return false }
        index += 1
        while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
        guard index < end else { return false }
        let first = buffer[index]
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "\"") || (first >= 0x30 && first <= 0x39) { return true }
        // A macro (`month = apr,`): only when the word ends the line, optionally with a comma or a `#`.
        guard Self.isLetter(first) else { return false }
        while index < end, Self.isIdentifierByte(buffer[index]) { index += 1 }
        while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
        if index < end, buffer[index] == UInt8(ascii: ",") || buffer[index] == UInt8(ascii: "#") { index += 1 }
        while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
        return index == end || buffer[index] == 0x0A || buffer[index] == 0x0D
    }

    /// True when the unread input starts, after spaces, with `@word{` or `@word(`: a new entry.
    private mutating func looksLikeEntryStart() -> Bool {
        ensure(96)
        var index = position
        let end = buffer.count
        while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
        guard index < end, buffer[index] == UInt8(ascii: "@") else { return false }
        index += 1
        let nameStart = index
        while index < end, Self.isLetter(buffer[index]) { index += 1 }
        guard index > nameStart else { return false }
        while index < end, Self.isSpace(buffer[index]) { index += 1 }
        return index < end && (buffer[index] == UInt8(ascii: "{") || buffer[index] == UInt8(ascii: "("))
    }

    /// Skips a balanced `{…}` (or `(…)`) block whose opening delimiter was consumed.
    private mutating func skipBalanced(close: UInt8) {
        let open: UInt8 = close == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "(")
        var depth = 1
        while let byte = peek() {
            advance()
            if byte == open {
                depth += 1
            } else if byte == close {
                depth -= 1
                if depth == 0 { return }
            }
        }
    }

    /// Skips to the next `@` that starts a line (only spaces before it), without consuming it.
    private mutating func recover() {
        while true {
            if position >= buffer.count && !refill() { return }
            let byte = buffer[position]
            if byte == UInt8(ascii: "@") && lineBlank { return }
            advance()
        }
    }

    // MARK: Byte classes

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of `word` outside 0x20...0x7A: a control byte, `{`, `|`, `}`, `~`, DEL or a byte
    /// from 0x80 up. Exact for every byte (unlike ``byteMask(_:_:)``): the sums are over the low seven bits of
    /// each byte, which stay below 0xE0, so no carry crosses into the next byte.
    @inline(__always)
    static func outsideTextRange(_ word: UInt64) -> UInt64 {
        let low = word & 0x7F7F_7F7F_7F7F_7F7F
        let fromBrace = low &+ 0x0505_0505_0505_0505  // bit 7 set where the low bits are 0x7B or more
        let fromSpace = low &+ 0x6060_6060_6060_6060  // bit 7 set where they are 0x20 or more
        return (word | fromBrace | ~fromSpace) & highBits
    }

    /// The high bit of each byte of `word` that may be `byte`: the lowest bit set, if any, marks the first byte
    /// that is (a borrow only flags bytes above a true match, and a byte of `word` at or above 0x80 can only be
    /// flagged above one).
    @inline(__always)
    static func byteMask(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (lowBits &* UInt64(byte))
        return (x &- lowBits) & ~x & highBits
    }

    /// True when one of the eight bytes of `word` (all below 0x80) is `byte`.
    @inline(__always)
    static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (lowBits &* UInt64(byte))
        return (x &- lowBits) & ~x & highBits != 0
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x0B
    }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// BibTeX's identifier characters: printable, not white space, not one of `"#%'(),={}`.
    @inline(__always)
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte != 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: "{"), UInt8(ascii: "}"):
            return false
        default:
            return true
        }
    }

    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A, 0x0D: return "end of line"
        case 0x20..<0x7F: return String(Character(Unicode.Scalar(byte)))
        default: return "byte 0x" + String(byte, radix: 16, uppercase: true)
        }
    }
}
