import SMRLCore

/// Decodes CSL items straight from the input's bytes, without the ``JSONValue`` tree of the whole item that
/// ``CSLItemDecoder/decode(_:)`` reads (building and freeing that tree was most of reading). It is
/// ``JSONStreamReader``'s ``JSONStreamReader/DirectDecoder`` for ``CSLJSONReader``.
///
/// The item's members are read from the bytes, and ``CSLItemDecoder`` is then run on them as on the tree's: the
/// same code makes the record, so conversions, shadows and field locations are the same. What the decoder makes
/// without that code is only the values of the common shapes, which it reads exactly as the tree route does when
/// it has nothing to say about them: names (`author`, `editor`, `translator`) as a list of objects of the six name
/// parts, each a string and given once; `issued` and `accessed` as `{"date-parts": [[year, month, day]]}` with one
/// to three plain numbers that make a valid date (`year` 1 or later, `month` 1–12, `day` 1–31); `categories` as a
/// list of one or more strings. Every other value is parsed as the stream would (only `custom`, a small object,
/// becomes a ``JSONValue``; the rest are strings, numbers, booleans and `null`).
///
/// It leaves an element to the usual route (untouched: the stream then parses it, with its diagnostics and
/// recovery) when it is anything but such an item: a member name that is not a CSL variable spelt exactly (so
/// unknown and miscased keys, names with escapes), a variable given twice, `references` (a CSL 1.1 document),
/// a name or date variable other than those above or in another shape, any other variable with an array or object
/// (other than `custom`), a string that is not UTF-8, a syntax error, an element cut by the buffer's end — and an
/// item about which ``CSLItemDecoder`` reports anything at all.
final class CSLDirectDecoder {
    /// Levels below the item the decoder reads: `custom` → `smrl` → `extra` → a format → a field's list → its
    /// strings.
    static let nesting = 6

    private let file: String
    private let noteVariables: Bool
    /// The record and field locations of the element taken last, until ``take()``.
    private var decoded: (record: Resource, fieldLocations: FieldLocationList)?
    /// How many members the last item had (the next one's lists are reserved at that size).
    private var lastMemberCount = 0

    init(file: String, noteVariables: Bool) {
        self.file = file
        self.noteVariables = noteVariables
    }

    /// The stream's decoder over this one.
    var streamDecoder: JSONStreamReader.DirectDecoder {
        JSONStreamReader.DirectDecoder(nesting: Self.nesting) { [self] chunk, line, column in
            decode(chunk, line: line, column: column)
        }
    }

    /// The record and field locations of the element the stream reported as decoded directly.
    func take() -> (record: Resource, fieldLocations: FieldLocationList)? { decoded.take() }

    /// Reads the item object at the start of `chunk` (at `line`, `column`); nil when it is not a plain one.
    func decode(_ chunk: UnsafeBufferPointer<UInt8>, line: Int, column: Int) -> JSONStreamReader.DirectEnd? {
        let location = SourceLocation(file: file, line: line, column: column)
        let end = JSONDirectCursor.read(chunk, line: line, column: column) { cursor throws(Decline) in
            try readItem(&cursor, at: location)
        }
        if end == nil { decoded = nil }
        return end
    }

    // MARK: The item

    private func readItem(_ cursor: inout JSONDirectCursor, at location: SourceLocation) throws(Decline) {
        var members: [JSONMember] = []
        var entries: [(index: Int, member: Int)] = []
        members.reserveCapacity(lastMemberCount)
        entries.reserveCapacity(lastMemberCount)
        var seen = VariableSet()
        var prepared = CSLItemDecoder.Prepared()
        try cursor.expect(UInt8(ascii: "{"))
        cursor.skipSpace()
        // An empty object has no type, which is reported.
        guard try cursor.peek() != UInt8(ascii: "}") else { throw Decline() }
        while true {
            cursor.skipSpace()
            let keyLine = cursor.line
            let keyColumn = cursor.column
            guard let index = CSLMapping.positions.index(ofBytes: try cursor.asciiName()), index != Self.references,
                !seen.contains(index)
            else { throw Decline() }
            seen.insert(index)
            cursor.skipSpace()
            try cursor.expect(UInt8(ascii: ":"))
            cursor.skipSpace()
            var value = JSONValue.null
            switch CSLMapping.fields[index] {
            case .author: prepared.authors = try names(&cursor)
            case .editor: prepared.editors = try names(&cursor)
            case .translator: prepared.translators = try names(&cursor)
            case .issued: prepared.issued = try date(&cursor)
            case .accessed: prepared.accessed = try date(&cursor)
            case .categories: prepared.categories = try strings(&cursor)
            case .custom:
                // The usual `{"smrl": {...}}` read into its fields; any other `custom` parsed for the tree's code.
                let start = cursor
                if let library = try? self.library(&cursor) {
                    prepared.library = library
                } else {
                    cursor = start
                    value = try cursor.value(levels: Self.nesting - 1)
                }
            default:
                // Other name and date variables are kept as JSON text, which the tree gives.
                switch CSLMapping.variables[index].kind {
                case .name, .date: throw Decline()
                default: value = try cursor.value(levels: 0)
                }
            }
            entries.append((index, members.count))
            members.append(
                JSONMember(key: CSLMapping.variables[index].name, value: value, line: keyLine, column: keyColumn))
            cursor.skipSpace()
            let byte = try cursor.peek()
            cursor.step()
            if byte == UInt8(ascii: "}") { break }
            guard byte == UInt8(ascii: ",") else { throw Decline() }
        }
        lastMemberCount = members.count
        var decoder = CSLItemDecoder(file: file, location: location, noteVariables: noteVariables)
        decoder.decode(members, entries: entries, seen: seen, prepared: prepared)
        let (resource, diagnostics, fieldLocations) = decoder.finish()
        // A remark is the usual route's to make, with the record index and id it stamps on it.
        guard diagnostics.isEmpty else { throw Decline() }
        decoded = (resource, fieldLocations)
    }

    /// `references`: the key of a CSL 1.1 document, which the reader reads as one.
    private static let references = CSLMapping.order["references"]!

    /// The name parts, by their position in ``nameParts``.
    private static let nameParts = FastStringTable([
        "family", "given", "suffix", "literal", "non-dropping-particle", "dropping-particle",
    ])

    /// A list of names as ``CSLNames/read(_:problems:)`` reads it without a problem and
    /// ``CSLNames/isCanonical(_:)`` holds (no verbatim copy): objects of name parts, each a string, given once,
    /// at least one.
    private func names(_ cursor: inout JSONDirectCursor) throws(Decline) -> [Person] {
        var result: [Person] = []
        try cursor.elements { cursor throws(Decline) in
            // The person is filled in place in the list: one built aside was copied into the list and then destroyed
            // (a retain and a release of each of its strings). A declined list is thrown away whole.
            if result.isEmpty { result.reserveCapacity(4) }
            result.append(Person())
            let index = result.count - 1
            var given: UInt8 = 0
            try cursor.asciiMembers { cursor, name throws(Decline) in
                guard let part = Self.nameParts.index(ofBytes: name), given & (1 << part) == 0,
                    try cursor.peek() == UInt8(ascii: "\"")
                else { throw Decline() }
                given |= 1 << part
                let text = try cursor.string()
                switch part {
                case 0: result[index].family = text
                case 1: result[index].given = text
                case 2: result[index].suffix = text
                case 3: result[index].literal = text
                case 4: result[index].particle = text
                default: result[index].droppingParticle = text
                }
            }
            guard given != 0 else { throw Decline() }  // an empty name is reported
        }
        return result
    }

    /// A date as ``CSLDates/read(_:)`` reads `{"date-parts": [[year, month, day]]}` without a problem and with
    /// no verbatim copy (``CSLDates/encode(_:)`` gives the value back): one point of one to three plain
    /// numbers (digits, no sign, no leading zero, nine at most), the year not 0, the month 1–12, the day 1–31.
    private func date(_ cursor: inout JSONDirectCursor) throws(Decline) -> EDTFDate {
        var parts = (0, 0, 0)
        var count = -1
        try cursor.asciiMembers { cursor, name throws(Decline) in
            guard count < 0, name.elementsEqual("date-parts".utf8) else { throw Decline() }
            count = 0
            try cursor.elements { cursor throws(Decline) in
                guard count == 0 else { throw Decline() }  // a second point
                try cursor.elements { cursor throws(Decline) in
                    let number = try cursor.plainInteger()
                    switch count {
                    case 0: parts.0 = number
                    case 1: parts.1 = number
                    case 2: parts.2 = number
                    default: throw Decline()
                    }
                    count += 1
                }
                guard count > 0 else { throw Decline() }  // an empty point
            }
        }
        guard count > 0, parts.0 > 0, count < 2 || (1...12).contains(parts.1), count < 3 || (1...31).contains(parts.2)
        else { throw Decline() }
        var point = EDTFDate.Point(year: parts.0)
        if count >= 2 { point.month = parts.1 }
        if count == 3 { point.day = parts.2 }
        return EDTFDate(start: point)
    }

    /// The library fields of `custom` when it is `{"smrl": {...}}` and each of its fields is one that
    /// ``CSLItemDecoder`` reads without a remark (see `readLibraryField`), spelt exactly, once: `resourceType`,
    /// `description` and `subtitle` strings, `domains`, `topics` and `professions` as a string or a list of
    /// strings, `openAccess` true or false, `orcid` as an object of lists of strings and `null`s.
    private func library(_ cursor: inout JSONDirectCursor) throws(Decline) -> [(
        field: CSLItemDecoder.LibraryField, location: SourceLocation
    )] {
        var fields: [(field: CSLItemDecoder.LibraryField, location: SourceLocation)] = []
        var smrl = false
        try cursor.asciiMembers { cursor, name throws(Decline) in
            guard !smrl, name.elementsEqual("smrl".utf8) else { throw Decline() }
            smrl = true
            var seen: UInt8 = 0
            try cursor.expect(UInt8(ascii: "{"))
            cursor.skipSpace()
            if try cursor.peek() == UInt8(ascii: "}") {
                cursor.step()
                return
            }
            fields.reserveCapacity(8)
            while true {
                cursor.skipSpace()
                let location = SourceLocation(file: file, line: cursor.line, column: cursor.column)
                guard let key = Self.libraryKeys.index(ofBytes: try cursor.asciiName()), seen & (1 << key) == 0 else {
                    throw Decline()
                }
                seen |= 1 << key
                var field: CSLItemDecoder.LibraryField?
                try cursor.memberValue { cursor throws(Decline) in
                    switch key {
                    case 0: field = .resourceType(try quoted(&cursor))
                    case 1: field = .domains(try stringOrStrings(&cursor))
                    case 2: field = .topics(try stringOrStrings(&cursor))
                    case 3: field = .professions(try stringOrStrings(&cursor))
                    case 4:
                        if try cursor.peek() == UInt8(ascii: "t") {
                            try cursor.literal("true")
                            field = .openAccess(true)
                        } else {
                            try cursor.literal("false")
                            field = .openAccess(false)
                        }
                    case 5: field = .description(try quoted(&cursor))
                    case 6: field = .subtitle(try quoted(&cursor))
                    default:
                        // Each list is a field of its own (as `readLibraryField` appends them), at the same place.
                        try cursor.asciiMembers { cursor, variable throws(Decline) in
                            var values: [String?] = []
                            try cursor.elements { cursor throws(Decline) in
                                values.append(try cursor.isNull() ? nil : try quoted(&cursor))
                            }
                            fields.append((.orcids(UTF8Strings.string(ascii: variable), values), location))
                        }
                    }
                }
                if let field { fields.append((field, location)) }
                let byte = try cursor.peek()
                cursor.step()
                if byte == UInt8(ascii: "}") { return }
                guard byte == UInt8(ascii: ",") else { throw Decline() }
            }
        }
        guard smrl else { throw Decline() }
        return fields
    }

    /// The library fields the decoder reads, by their position here (`orcid` last).
    private static let libraryKeys = FastStringTable([
        "resourceType", "domains", "topics", "professions", "openAccess", "description", "subtitle", "orcid",
    ])

    /// A string (not `null`, not a number).
    private func quoted(_ cursor: inout JSONDirectCursor) throws(Decline) -> String {
        guard try cursor.peek() == UInt8(ascii: "\"") else { throw Decline() }
        return try cursor.string()
    }

    /// A string as a list of one, or a list of strings (an empty one too).
    private func stringOrStrings(_ cursor: inout JSONDirectCursor) throws(Decline) -> [String] {
        if try cursor.peek() == UInt8(ascii: "\"") { return [try cursor.string()] }
        var result: [String] = []
        try cursor.elements { cursor throws(Decline) in
            if result.isEmpty { result.reserveCapacity(4) }
            result.append(try quoted(&cursor))
        }
        return result
    }

    /// A list of one or more strings.
    private func strings(_ cursor: inout JSONDirectCursor) throws(Decline) -> [String] {
        var result: [String] = []
        try cursor.elements { cursor throws(Decline) in
            guard try cursor.peek() == UInt8(ascii: "\"") else { throw Decline() }
            if result.isEmpty { result.reserveCapacity(4) }
            result.append(try cursor.string())
        }
        guard !result.isEmpty else { throw Decline() }
        return result
    }
}

/// The element is not a plain item: it is left to the usual route.
private typealias Decline = JSONDirectDecline

extension JSONDirectCursor {
    /// A number of one to nine digits without sign, fraction, exponent or leading zero, as an `Int` (what
    /// `Int(text)` gives for its text, and what `String(value)` writes back).
    fileprivate mutating func plainInteger() throws(Decline) -> Int {
        var value = 0
        var position = index
        while position < count, base[position] >= UInt8(ascii: "0"), base[position] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int(base[position] &- UInt8(ascii: "0"))
            position &+= 1
        }
        let digits = position &- index
        guard digits >= 1, digits <= 9, position < count, digits == 1 || base[index] != UInt8(ascii: "0") else {
            throw Decline()
        }
        switch base[position] {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            throw Decline()
        default:
            break
        }
        index = position
        column &+= digits
        return value
    }
}
