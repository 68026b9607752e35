import SMRLCore

/// Decodes the plain record objects of `smrl-json` straight from the input's bytes into ``Resource``, without the
/// ``JSONValue`` tree that ``NativeMapping/read(_:file:)`` maps (building and freeing that tree was more than half
/// of reading). It is ``JSONStreamReader``'s ``JSONStreamReader/DirectDecoder`` for ``NativeReader``.
///
/// It takes an element only when the usual route (the tree, then the mapping) would read it without a single
/// diagnostic, and then gives exactly what that route gives: an object, wholly in the buffered bytes, whose
/// members are known record keys, each once, with values of the types the mapping expects (text, or a number
/// for the keys that take one; `null`; a known item type; lists of strings; people whose members are person keys
/// with string or `null` values; `extra` as objects of string lists, `null` formats included), strings valid
/// UTF-8 with any escapes. Anything else (an unknown or repeated key, a value of another type, an item type read
/// leniently, a string that is not UTF-8, a syntax error, an element cut by the buffer's end) leaves the element
/// untouched, and the usual route reads it with its diagnostics, so those stay as they were.
final class NativeDirectDecoder {
    /// Levels below the record the decoder reads: `extra` → a format → a field's list → its strings.
    static let nesting = 4

    private let file: String
    /// The record and field locations of the element taken last, until ``take()``.
    private var decoded: (record: Resource, fieldLocations: FieldLocationList)?
    /// How many members the last record had (the next one's field locations are reserved at that size).
    private var lastMemberCount = 0

    init(file: String) { self.file = file }

    /// The stream's decoder over this one.
    var streamDecoder: JSONStreamReader.DirectDecoder {
        JSONStreamReader.DirectDecoder(nesting: Self.nesting) { [self] chunk, line, column in
            decode(chunk, line: line, column: column)
        }
    }

    /// The record and field locations of the element the stream reported as decoded directly.
    func take() -> (record: Resource, fieldLocations: FieldLocationList)? { decoded.take() }

    /// Reads the record object at the start of `chunk` (at `line`, `column`); nil when it is not a plain one.
    func decode(_ chunk: UnsafeBufferPointer<UInt8>, line: Int, column: Int) -> JSONStreamReader.DirectEnd? {
        guard let base = chunk.baseAddress else { return nil }
        var cursor = Cursor(base: base, count: chunk.count, line: line, column: column)
        do throws(Decline) {
            try readRecord(&cursor)
        } catch {
            decoded = nil
            return nil
        }
        return JSONStreamReader.DirectEnd(end: cursor.index, line: cursor.line, column: cursor.column)
    }

    // MARK: The record

    private func readRecord(_ cursor: inout Cursor) throws(Decline) {
        var record = Resource(type: .document)
        var fieldLocations = FieldLocationList()
        try cursor.expect(UInt8(ascii: "{"))
        cursor.skipSpace()
        if try cursor.peek() == UInt8(ascii: "}") {
            cursor.step()
            decoded = (record, fieldLocations)
            return
        }
        fieldLocations.reserveCapacity(lastMemberCount)
        var seen: UInt64 = 0
        while true {
            cursor.skipSpace()
            let keyLine = cursor.line
            let keyColumn = cursor.column
            let position = try cursor.keyPosition()
            let bit: UInt64 = 1 << UInt64(position)  // fewer than 64 keys (see `NativeMapping.key(named:)`)
            guard position < 64, seen & bit == 0 else { throw Decline() }  // a repeated key is reported
            seen |= bit
            cursor.skipSpace()
            try cursor.expect(UInt8(ascii: ":"))
            cursor.skipSpace()
            try readValue(NativeMapping.keys[position], &cursor, into: &record)
            fieldLocations.appendNew(
                NativeMapping.keyNames[position], SourceLocation(file: file, line: keyLine, column: keyColumn))
            cursor.skipSpace()
            let byte = try cursor.peek()
            cursor.step()
            if byte == UInt8(ascii: "}") { break }
            guard byte == UInt8(ascii: ",") else { throw Decline() }
        }
        lastMemberCount = fieldLocations.count
        decoded = (record, fieldLocations)
    }

    /// The value of a record member, into `record` (what `RecordDecoder` does with it when it reports nothing).
    private func readValue(_ key: Resource.CodingKeys, _ cursor: inout Cursor, into record: inout Resource)
        throws(Decline)
    {
        switch key {
        case .type:
            if try cursor.isNull() {
                record.type = .document
            } else {
                // Only a CSL type name as it is: a lenient reading is reported.
                guard try cursor.peek() == UInt8(ascii: "\""),
                    let type = ItemType(rawValue: try cursor.string())
                else { throw Decline() }
                record.type = type
            }
        case .authors:
            record.authors = try people(&cursor)
        case .editors:
            record.editors = try people(&cursor)
        case .translators:
            record.translators = try people(&cursor)
        case .issued:
            record.issued = try date(&cursor)
        case .accessed:
            record.accessed = try date(&cursor)
        case .isbn:
            record.isbn = try strings(&cursor, numbersAllowed: true)
        case .issn:
            record.issn = try strings(&cursor, numbersAllowed: false)
        case .keywords:
            record.keywords = try strings(&cursor, numbersAllowed: false)
        case .domains:
            record.domains = try strings(&cursor, numbersAllowed: false)
        case .topics:
            record.topics = try strings(&cursor, numbersAllowed: false)
        case .professions:
            record.professions = try strings(&cursor, numbersAllowed: false)
        case .openAccess:
            switch try cursor.peek() {
            case UInt8(ascii: "t"):
                try cursor.literal("true")
                record.openAccess = true
            case UInt8(ascii: "f"):
                try cursor.literal("false")
                record.openAccess = false
            default:
                try cursor.literal("null")
                record.openAccess = nil
            }
        case .extra:
            try extra(&cursor, into: &record)
        default:
            let text: String?
            switch try cursor.peek() {
            case UInt8(ascii: "\""):
                text = try cursor.string()
            case UInt8(ascii: "n"):
                try cursor.literal("null")
                text = nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard NativeMapping.acceptsNumber(key) else { throw Decline() }
                text = try cursor.number()
            default:
                throw Decline()
            }
            NativeMapping.setText(key, text, in: &record)
        }
    }

    private func date(_ cursor: inout Cursor) throws(Decline) -> EDTFDate? {
        switch try cursor.peek() {
        case UInt8(ascii: "\""):
            return NativeMapping.date(try cursor.string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return NativeMapping.date(try cursor.number())
        default:
            try cursor.literal("null")
            return nil
        }
    }

    /// A list of strings (and numbers, as written, when `numbersAllowed`), or `null` for none.
    private func strings(_ cursor: inout Cursor, numbersAllowed: Bool) throws(Decline) -> [String] {
        if try cursor.isNull() { return [] }
        var result: [String] = []
        try cursor.elements { cursor throws(Decline) in
            if result.isEmpty { result.reserveCapacity(4) }
            switch try cursor.peek() {
            case UInt8(ascii: "\""):
                result.append(try cursor.string())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard numbersAllowed else { throw Decline() }
                result.append(try cursor.number())
            default:
                throw Decline()
            }
        }
        return result
    }

    /// A list of person objects, or `null` for none.
    private func people(_ cursor: inout Cursor) throws(Decline) -> [Person] {
        if try cursor.isNull() { return [] }
        var result: [Person] = []
        try cursor.elements { cursor throws(Decline) in
            var person = Person()
            try cursor.asciiMembers { cursor, name throws(Decline) in
                guard let key = PersonKey(bytes: name) else { throw Decline() }  // an unknown key is reported
                let text: String?
                if try cursor.isNull() {
                    text = nil
                } else {
                    guard try cursor.peek() == UInt8(ascii: "\"") else { throw Decline() }
                    text = try cursor.string()
                }
                // A repeated person key is not reported: the later value is used.
                key.set(text, in: &person)
            }
            // Most lists are short: one allocation for the first four (appending grows an empty array 1, 2, 4).
            if result.isEmpty { result.reserveCapacity(4) }
            result.append(person)
        }
        return result
    }

    /// `extra`: formats (a `null` one ignored), each an object of fields, each a list of strings, appended to what
    /// the record has (a repeated format or field adds to the first).
    private func extra(_ cursor: inout Cursor, into record: inout Resource) throws(Decline) {
        if try cursor.isNull() { return }
        try cursor.members { cursor, format throws(Decline) in
            if try cursor.isNull() { return }
            // An empty object is a value too (`Codable` keeps it).
            if record.extra[format] == nil { record.extra[format] = [:] }
            try cursor.members { cursor, field throws(Decline) in
                var values: [String] = []
                try cursor.elements { cursor throws(Decline) in
                    guard try cursor.peek() == UInt8(ascii: "\"") else { throw Decline() }
                    values.append(try cursor.string())
                }
                record.extra[format, default: [:]][field, default: []].append(contentsOf: values)
            }
        }
    }
}

/// The element is not a plain record: it is left to the usual route.
private struct Decline: Error {}

/// A position in the buffered bytes, with its line and column (1-based, columns in Unicode scalars), moved as
/// ``JSONStreamReader`` moves its own. Reaching the end of the bytes declines: the element does not end in them.
private struct Cursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index = 0
    var line: Int
    var column: Int

    init(base: UnsafePointer<UInt8>, count: Int, line: Int, column: Int) {
        self.base = base
        self.count = count
        self.line = line
        self.column = column
    }

    private var all: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    func peek() throws(Decline) -> UInt8 {
        guard index < count else { throw Decline() }
        return base[index]
    }

    /// Passes one byte of a line (not a line break, not a continuation byte).
    @inline(__always)
    mutating func step() {
        index &+= 1
        column &+= 1
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Decline) {
        guard index < count, base[index] == byte else { throw Decline() }
        step()
    }

    /// Skips white space (line breaks included), as the stream does between tokens.
    @inline(__always)
    mutating func skipSpace() {
        guard index < count else { return }
        let byte = base[index]
        guard byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D else { return }
        let space = JSONStreamReader.scanSpace(UnsafeBufferPointer(start: base + index, count: count &- index))
        index &+= space.end
        JSONStreamReader.pass(space, newlines: &line, column: &column)
    }

    /// Takes `word` (`true`, `false`, `null`), which must come next.
    mutating func literal(_ word: StaticString) throws(Decline) {
        let length = word.utf8CodeUnitCount
        guard count &- index >= length else { throw Decline() }
        let expected = word.utf8Start
        for offset in 0..<length where base[index &+ offset] != expected[offset] { throw Decline() }
        index &+= length
        column &+= length
    }

    /// Takes `null` when it comes next.
    @inline(__always)
    mutating func isNull() throws(Decline) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// A number's text, as the stream takes it (the bytes that may make a number, then checked against JSON's
    /// grammar).
    mutating func number() throws(Decline) -> String {
        let start = index
        while index < count {
            switch base[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                index &+= 1
            default:
                let bytes = UnsafeBufferPointer(start: base + start, count: index &- start)
                guard JSONStreamReader.isNumber(bytes) else { throw Decline() }
                column &+= bytes.count
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        throw Decline()  // it may go on after the buffer
    }

    /// The position among the record keys (``NativeMapping/keys``) of the member name at the opening quote here:
    /// ASCII without escapes (any other name is not a record key, or is spelt with escapes, which the usual route
    /// reads).
    mutating func keyPosition() throws(Decline) -> Int {
        guard let position = NativeMapping.keyPositions.index(ofBytes: try asciiName()) else { throw Decline() }
        return position
    }

    /// The string at the opening quote here, as the stream decodes it; one that is not valid UTF-8 (which the
    /// stream reads as Windows-1252 and reports) declines.
    mutating func string() throws(Decline) -> String {
        guard index < count, base[index] == UInt8(ascii: "\"") else { throw Decline() }
        let bodyStart = index &+ 1
        let scan = JSONStreamReader.scanPlain(all, from: bodyStart)
        guard scan.end < count else { throw Decline() }
        if base[scan.end] == UInt8(ascii: "\"") {
            let body = UnsafeBufferPointer(start: base + bodyStart, count: scan.end &- bodyStart)
            let text: String
            if scan.high < 0x80 {
                text = String(decoding: body, as: UTF8.self)
            } else {
                guard let valid = String(validating: body, as: UTF8.self) else { throw Decline() }
                text = valid
            }
            column &+= scan.columns &+ 2
            index = scan.end &+ 1
            return text
        }
        return try escapedString()
    }

    /// A string with escapes (rare): its runs and decoded escapes gathered in an array, as the stream's general
    /// path does (a lone or unpaired surrogate becomes U+FFFD the same way).
    private mutating func escapedString() throws(Decline) -> String {
        var scratch: [UInt8] = []
        var position = index &+ 1
        var columns = 1
        while true {
            let scan = JSONStreamReader.scanPlain(all, from: position)
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + position, count: scan.end &- position))
            columns &+= scan.columns
            guard scan.end < count else { throw Decline() }
            let byte = base[scan.end]
            if byte == UInt8(ascii: "\"") {
                guard let text = String(validating: scratch, as: UTF8.self) else { throw Decline() }
                column &+= columns &+ 1
                index = scan.end &+ 1
                return text
            }
            // A control character ends the scan too: the stream reports it.
            guard byte == UInt8(ascii: "\\"), scan.end &+ 1 < count else { throw Decline() }
            position = scan.end &+ 2
            columns &+= 2
            let letter = base[scan.end &+ 1]
            switch letter {
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: position)
                position &+= 4
                columns &+= 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // What follows must be in the buffer to tell whether the low half comes.
                    guard position &+ 1 < count else { throw Decline() }
                    if base[position] == UInt8(ascii: "\\"), base[position &+ 1] == UInt8(ascii: "u") {
                        let low = try hex4(at: position &+ 2)
                        position &+= 6
                        columns &+= 6
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scratch.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD
                            scalar = low
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                }
                let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                scratch.append(contentsOf: UTF8.encode(value)!)
            default:
                guard let unescaped = JSONStreamReader.unescaped(letter) else { throw Decline() }
                scratch.append(unescaped)
            }
        }
    }

    /// The four hex digits of a `\u` escape at `position`.
    private func hex4(at position: Int) throws(Decline) -> UInt32 {
        guard position &+ 4 <= count else { throw Decline() }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = base[position &+ offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte &- 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte &- 0x61 &+ 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte &- 0x41 &+ 10)
            default: throw Decline()
            }
            value = value << 4 | digit
        }
        return value
    }

    /// The elements of the array that starts here, each read by `element` (at its first byte).
    mutating func elements(_ element: (inout Cursor) throws(Decline) -> Void) throws(Decline) {
        try expect(UInt8(ascii: "["))
        skipSpace()
        if try peek() == UInt8(ascii: "]") {
            step()
            return
        }
        while true {
            skipSpace()
            try element(&self)
            skipSpace()
            let byte = try peek()
            step()
            if byte == UInt8(ascii: "]") { return }
            guard byte == UInt8(ascii: ",") else { throw Decline() }
        }
    }

    /// The members of the object that starts here: `member` gets each name's bytes (ASCII without escapes, else
    /// the object declines) with the cursor at the value.
    mutating func asciiMembers(_ member: (inout Cursor, UnsafeBufferPointer<UInt8>) throws(Decline) -> Void)
        throws(Decline)
    {
        try object(name: { cursor throws(Decline) in try cursor.asciiName() }, member)
    }

    /// The members of the object that starts here, with names of any kind (escapes, non-ASCII) made into Strings.
    mutating func members(_ member: (inout Cursor, String) throws(Decline) -> Void) throws(Decline) {
        try object(name: { cursor throws(Decline) in try cursor.string() }, member)
    }

    /// The member name at the opening quote here, when it is ASCII without escapes: its bytes.
    mutating func asciiName() throws(Decline) -> UnsafeBufferPointer<UInt8> {
        guard index < count, base[index] == UInt8(ascii: "\"") else { throw Decline() }
        let scan = JSONStreamReader.scanPlain(all, from: index &+ 1)
        guard scan.end < count, base[scan.end] == UInt8(ascii: "\""), scan.high < 0x80 else { throw Decline() }
        let name = UnsafeBufferPointer(start: base + (index &+ 1), count: scan.end &- index &- 1)
        column &+= scan.columns &+ 2
        index = scan.end &+ 1
        return name
    }

    /// The members of the object that starts here, each name read by `name` (at its opening quote) and given to
    /// `member` with the cursor at the value.
    private mutating func object<Name>(
        name readName: (inout Cursor) throws(Decline) -> Name, _ member: (inout Cursor, Name) throws(Decline) -> Void
    ) throws(Decline) {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if try peek() == UInt8(ascii: "}") {
            step()
            return
        }
        while true {
            skipSpace()
            let name = try readName(&self)
            try memberValue { cursor throws(Decline) in try member(&cursor, name) }
            let byte = try peek()
            step()
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { throw Decline() }
        }
    }

    /// From just after a member name: the `:`, the value (read by `value`) and the white space after it.
    @inline(__always)
    private mutating func memberValue(_ value: (inout Cursor) throws(Decline) -> Void) throws(Decline) {
        skipSpace()
        try expect(UInt8(ascii: ":"))
        skipSpace()
        try value(&self)
        skipSpace()
    }
}
