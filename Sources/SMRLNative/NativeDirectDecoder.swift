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
        let end = JSONDirectCursor.read(chunk, line: line, column: column) { cursor throws(Decline) in
            try readRecord(&cursor)
        }
        if end == nil { decoded = nil }
        return end
    }

    // MARK: The record

    private func readRecord(_ cursor: inout JSONDirectCursor) throws(Decline) {
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
    private func readValue(_ key: Resource.CodingKeys, _ cursor: inout JSONDirectCursor, into record: inout Resource)
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

    private func date(_ cursor: inout JSONDirectCursor) throws(Decline) -> EDTFDate? {
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
    private func strings(_ cursor: inout JSONDirectCursor, numbersAllowed: Bool) throws(Decline) -> [String] {
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
    private func people(_ cursor: inout JSONDirectCursor) throws(Decline) -> [Person] {
        if try cursor.isNull() { return [] }
        var result: [Person] = []
        try cursor.elements { cursor throws(Decline) in
            // Most lists are short: one allocation for the first four (appending grows an empty array 1, 2, 4).
            if result.isEmpty { result.reserveCapacity(4) }
            // The person is filled in place in the list: a person built aside was copied into the list and then
            // destroyed (a retain and a release of each of its strings). A declined list is thrown away whole.
            result.append(Person())
            let index = result.count - 1
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
                key.set(text, in: &result[index])
            }
        }
        return result
    }

    /// `extra`: formats (a `null` one ignored), each an object of fields, each a list of strings, appended to what
    /// the record has (a repeated format or field adds to the first).
    private func extra(_ cursor: inout JSONDirectCursor, into record: inout Resource) throws(Decline) {
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
private typealias Decline = JSONDirectDecline

extension JSONDirectCursor {
    /// The position among the record keys (``NativeMapping/keys``) of the member name at the opening quote here:
    /// ASCII without escapes (any other name is not a record key, or is spelt with escapes, which the usual route
    /// reads).
    fileprivate mutating func keyPosition() throws(Decline) -> Int {
        guard let position = NativeMapping.keyPositions.index(ofBytes: try asciiName()) else { throw Decline() }
        return position
    }
}
