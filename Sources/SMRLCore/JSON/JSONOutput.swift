/// A byte buffer that JSON is written into: strings escaped per RFC 8259 (only `"`, `\` and control characters;
/// everything else stays UTF-8), optional indentation, and separators managed by a small stack.
///
/// The bytes live in a ``ByteBuffer``: each public method that writes checks once that this output alone uses the
/// memory and makes room for what it knows it will write, then stores bytes directly.
public struct JSONOutput {
    private var buffer: ByteBuffer
    private let indentUnit: Int
    /// How many objects and arrays are open.
    private var depth = 0
    /// Whether the innermost open object or array has a member or element already (the next needs a comma).
    private var commaHere = false
    /// `commaHere` of each enclosing level, outermost first (only touched when a level opens or closes: the
    /// per-value bookkeeping stays in the two fields above, with no array access).
    private var enclosing: [Bool] = []
    private var afterKey = false

    /// - Parameter indent: spaces per level; 0 writes compact JSON on one line.
    public init(indent: Int = 2, reserving capacity: Int = 1024) {
        indentUnit = indent
        buffer = ByteBuffer(capacity: capacity)
    }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { buffer.array }

    /// The bytes written so far, as text.
    public var text: String { buffer.text }

    /// Appends one byte as it is (a newline between records, say), outside the JSON structure.
    public mutating func raw(_ byte: UInt8) {
        buffer.append(byte)
    }

    @inline(__always)
    private mutating func prepare(_ extra: Int) { buffer.prepare(extra) }

    @inline(__always)
    private mutating func reserve(_ extra: Int) { buffer.reserve(extra) }

    @inline(__always)
    private mutating func put(_ byte: UInt8) { buffer.put(byte) }

    @inline(__always)
    private mutating func put(_ first: UInt8, _ second: UInt8) { buffer.put(first, second) }

    @inline(__always)
    private mutating func put(_ bytes: UnsafePointer<UInt8>, count byteCount: Int) {
        buffer.put(bytes, count: byteCount)
    }

    // MARK: Structure

    private mutating func newline() {
        guard indentUnit > 0 else { return }
        let spaces = depth &* indentUnit
        reserve(1 &+ spaces)
        put(0x0A)
        buffer.put(spaces: spaces)
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        if commaHere {
            reserve(1)
            put(UInt8(ascii: ","))
        }
        commaHere = true
        newline()
    }

    /// Opens a level (after its `{` or `[`).
    private mutating func open() {
        enclosing.append(commaHere)
        commaHere = false
        depth += 1
    }

    /// Closes a level; returns whether it had members or elements.
    private mutating func close() -> Bool {
        let hadAny = commaHere
        commaHere = enclosing.removeLast()
        depth -= 1
        return hadAny
    }

    public mutating func beginObject() {
        prepare(1)
        beforeValue()
        reserve(1)
        put(UInt8(ascii: "{"))
        open()
    }

    public mutating func endObject() {
        prepare(1)
        if close() { newline() }
        reserve(1)
        put(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        prepare(1)
        beforeValue()
        reserve(1)
        put(UInt8(ascii: "["))
        open()
    }

    public mutating func endArray() {
        prepare(1)
        if close() { newline() }
        reserve(1)
        put(UInt8(ascii: "]"))
    }

    /// Writes a member name; the next value written is its value.
    public mutating func key(_ name: String) {
        prepare(0)
        beforeValue()
        appendEscaped(name)
        afterName()
    }

    /// `:` after a member name (and a space when indenting).
    @inline(__always)
    private mutating func afterName() {
        reserve(2)
        if indentUnit > 0 { put(UInt8(ascii: ":"), 0x20) } else { put(UInt8(ascii: ":")) }
        afterKey = true
    }

    /// Writes a member name fixed in the source that needs no escaping (no quote, backslash or control
    /// character), copied as it is: the writers' own keys, which the escaping scan would only pass over.
    public mutating func key(literal name: StaticString) {
        prepare(0)
        beforeValue()
        let length = name.utf8CodeUnitCount
        reserve(length &+ 4)
        put(UInt8(ascii: "\""))
        assert(
            !UnsafeBufferPointer(start: name.utf8Start, count: length).contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C },
            "a literal key that needs escaping")
        put(name.utf8Start, count: length)
        put(UInt8(ascii: "\""))
        if indentUnit > 0 {
            put(UInt8(ascii: ":"), 0x20)
        } else {
            put(UInt8(ascii: ":"))
        }
        afterKey = true
    }

    /// Writes `"name": "value"` when the value is present; `name` as in ``key(literal:)``.
    public mutating func member(literal name: StaticString, _ value: String?) {
        guard let value else { return }
        key(literal: name)
        afterKey = false  // what `string(_:)` would do before the value (the key's memory check covers it)
        appendEscaped(value)
    }

    /// Writes `"name": [ ... ]` of strings when the list is not empty; `name` as in ``key(literal:)``.
    public mutating func member(literal name: StaticString, _ values: [String]) {
        guard !values.isEmpty else { return }
        key(literal: name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    public mutating func string(_ value: String) {
        prepare(0)
        beforeValue()
        appendEscaped(value)
    }

    public mutating func bool(_ value: Bool) {
        prepare(5)
        beforeValue()
        appendPlain(value ? "true" : "false")
    }

    public mutating func null() {
        prepare(4)
        beforeValue()
        appendPlain("null")
    }

    /// Writes a number from its JSON text (not checked).
    public mutating func number(_ text: String) {
        prepare(0)
        beforeValue()
        var text = text
        text.withUTF8 { utf8 in
            guard let start = utf8.baseAddress else { return }
            reserve(utf8.count)
            put(start, count: utf8.count)
        }
    }

    public mutating func number(_ value: Int) {
        number(String(value))
    }

    /// Writes `"name": "value"` when the value is present.
    public mutating func member(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        afterKey = false
        appendEscaped(value)
    }

    /// Writes `"name": [ ... ]` of strings when the list is not empty.
    public mutating func member(_ name: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// Writes any parsed value.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text): number(text)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    /// Copies a literal that needs no escaping.
    @inline(__always)
    private mutating func appendPlain(_ literal: StaticString) {
        reserve(literal.utf8CodeUnitCount)
        put(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    private static let hex: StaticString = "0123456789abcdef"

    /// Writes `text` as a JSON string (the memory is this output's own already: callers ran ``prepare(_:)``).
    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            let length = utf8.count
            // The quotes and every byte once; an escape asks for more room as it comes.
            reserve(length &+ 2)
            put(UInt8(ascii: "\""))
            guard let source = utf8.baseAddress else {
                put(UInt8(ascii: "\""))
                return
            }
            var index = 0
            while index < length {
                // Eight bytes at a time while none needs escaping (no quote, backslash or control character),
                // stored as they are checked (the room was made above).
                let ones: UInt64 = 0x0101_0101_0101_0101
                while index &+ 8 <= length {
                    let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                    let quote = word ^ (ones &* 0x22)
                    let backslash = word ^ (ones &* 0x5C)
                    // High bit of a byte set: zero byte in `quote`/`backslash`, or a byte below 0x20 (bytes of
                    // 0x80 and above are excluded by `& ~word`, and are never escaped).
                    let special = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                        | (word &- ones &* 0x20)) & ~word & (ones &* 0x80)
                    if special != 0 { break }
                    buffer.put(word: word)
                    index &+= 8
                }
                guard index < length else { break }
                let byte = source[index]
                index &+= 1
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else {
                    put(byte)
                    continue
                }
                // Room for the longest escape (6 bytes) in place of the one byte counted, the rest of the text
                // and the closing quote.
                reserve(6 &+ (length &- index) &+ 1)
                switch byte {
                case 0x22: put(0x5C, 0x22)
                case 0x5C: put(0x5C, 0x5C)
                case 0x0A: put(0x5C, UInt8(ascii: "n"))
                case 0x0D: put(0x5C, UInt8(ascii: "r"))
                case 0x09: put(0x5C, UInt8(ascii: "t"))
                default:
                    put(0x5C, UInt8(ascii: "u"))
                    put(0x30, 0x30)
                    put(Self.hex.utf8Start[Int(byte >> 4)], Self.hex.utf8Start[Int(byte & 0xF)])
                }
            }
            put(UInt8(ascii: "\""))
        }
    }

    /// Hands the bytes written so far to `sink` and empties the buffer, keeping its memory and the nesting state
    /// (the memory is reused from record to record).
    public mutating func flush(into sink: OutputSink) {
        buffer.flush(into: sink)
    }
}
