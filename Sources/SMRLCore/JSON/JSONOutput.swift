/// A byte buffer that JSON is written into: strings escaped per RFC 8259 (only `"`, `\` and control characters;
/// everything else stays UTF-8), optional indentation, and separators managed by a small stack.
public struct JSONOutput {
    /// The bytes written so far.
    public var bytes: [UInt8] = []
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
        bytes.reserveCapacity(capacity)
    }

    private mutating func newline() {
        guard indentUnit > 0 else { return }
        bytes.append(0x0A)
        // Byte by byte: appending `repeatElement` costs far more per space than this loop (and copying from a
        // stored run of spaces measured more than either).
        for _ in 0..<(depth * indentUnit) { bytes.append(0x20) }
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        if commaHere { bytes.append(UInt8(ascii: ",")) }
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
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        open()
    }

    public mutating func endObject() {
        if close() { newline() }
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        open()
    }

    public mutating func endArray() {
        if close() { newline() }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a member name; the next value written is its value.
    public mutating func key(_ name: String) {
        beforeValue()
        appendEscaped(name)
        bytes.append(UInt8(ascii: ":"))
        if indentUnit > 0 { bytes.append(0x20) }
        afterKey = true
    }

    /// Writes a member name fixed in the source that needs no escaping (no quote, backslash or control
    /// character), copied as it is: the writers' own keys, which the escaping scan would only pass over.
    public mutating func key(literal name: StaticString) {
        beforeValue()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { utf8 in
            assert(!utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "a literal key that needs escaping")
            bytes.append(contentsOf: utf8)
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        if indentUnit > 0 { bytes.append(0x20) }
        afterKey = true
    }

    /// Writes `"name": "value"` when the value is present; `name` as in ``key(literal:)``.
    public mutating func member(literal name: StaticString, _ value: String?) {
        guard let value else { return }
        key(literal: name)
        string(value)
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
        beforeValue()
        appendEscaped(value)
    }

    public mutating func bool(_ value: Bool) {
        beforeValue()
        if value { bytes.append(contentsOf: "true".utf8) } else { bytes.append(contentsOf: "false".utf8) }
    }

    public mutating func null() {
        beforeValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes a number from its JSON text (not checked).
    public mutating func number(_ text: String) {
        beforeValue()
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func number(_ value: Int) {
        number(String(value))
    }

    /// Writes `"name": "value"` when the value is present.
    public mutating func member(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
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

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendEscaped(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            let count = utf8.count
            var runStart = 0
            var index = 0
            while index < count {
                // Eight bytes at a time while none needs escaping (no quote, backslash or control character).
                let ones: UInt64 = 0x0101_0101_0101_0101
                while index &+ 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    let quote = word ^ (ones &* 0x22)
                    let backslash = word ^ (ones &* 0x5C)
                    // High bit of a byte set: zero byte in `quote`/`backslash`, or a byte below 0x20 (bytes of
                    // 0x80 and above are excluded by `& ~word`, and are never escaped).
                    let special = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                        | (word &- ones &* 0x20)) & ~word & (ones &* 0x80)
                    if special != 0 { break }
                    index &+= 8
                }
                guard index < count else { break }
                let byte = base[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else {
                    index &+= 1
                    continue
                }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index &- runStart)) }
                index &+= 1
                runStart = index
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0xF)])
                }
            }
            if runStart < count { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count &- runStart)) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Hands the bytes written so far to `sink` and empties the buffer, keeping its capacity and the nesting state
    /// (the buffer is reused, never reallocated: handing out a copy of it would make the next write allocate anew).
    public mutating func flush(into sink: OutputSink) {
        guard !bytes.isEmpty else { return }
        sink.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
