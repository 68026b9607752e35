/// A ``JSONDirectCursor`` met something the stream's usual route would read differently or remark on (or the end
/// of the buffered bytes): the element is left to that route.
package struct JSONDirectDecline: Error {
    @inlinable package init() {}
}

/// A position in the buffered bytes, with its line and column (1-based, columns in Unicode scalars), moved as
/// ``JSONStreamReader`` moves its own. Reaching the end of the bytes declines: the element does not end in them.
///
/// What the readers' ``JSONStreamReader/DirectDecoder``s (smrl-json's and CSL-JSON's) read elements with: each
/// method takes only what the stream would read without a remark, and throws ``JSONDirectDecline`` otherwise.
/// The small, hot methods are inlinable, so that the decoders in other modules pay no call for them.
package struct JSONDirectCursor {
    package typealias Decline = JSONDirectDecline

    @usableFromInline package let base: UnsafePointer<UInt8>
    @usableFromInline package let count: Int
    @usableFromInline package var index = 0
    @usableFromInline package var line: Int
    @usableFromInline package var column: Int

    package init(base: UnsafePointer<UInt8>, count: Int, line: Int, column: Int) {
        self.base = base
        self.count = count
        self.line = line
        self.column = column
    }

    /// Runs `read` from the start of `chunk` (at `line`, `column`): where it finished, or nil when it declined.
    /// What a ``JSONStreamReader/DirectDecoder``'s `decode` does with the element it is offered.
    package static func read(
        _ chunk: UnsafeBufferPointer<UInt8>, line: Int, column: Int, _ read: (inout Self) throws(Decline) -> Void
    ) -> JSONStreamReader.DirectEnd? {
        guard let base = chunk.baseAddress else { return nil }
        var cursor = JSONDirectCursor(base: base, count: chunk.count, line: line, column: column)
        do throws(Decline) {
            try read(&cursor)
        } catch {
            return nil
        }
        return JSONStreamReader.DirectEnd(end: cursor.index, line: cursor.line, column: cursor.column)
    }

    @usableFromInline package var all: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inlinable @inline(__always)
    package func peek() throws(Decline) -> UInt8 {
        guard index < count else { throw Decline() }
        return base[index]
    }

    /// Passes one byte of a line (not a line break, not a continuation byte).
    @inlinable @inline(__always)
    package mutating func step() {
        index &+= 1
        column &+= 1
    }

    @inlinable @inline(__always)
    package mutating func expect(_ byte: UInt8) throws(Decline) {
        guard index < count, base[index] == byte else { throw Decline() }
        step()
    }

    /// Skips white space (line breaks included), as the stream does between tokens.
    @inlinable @inline(__always)
    package mutating func skipSpace() {
        guard index < count else { return }
        let byte = base[index]
        guard byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D else { return }
        let space = JSONStreamReader.scanSpace(UnsafeBufferPointer(start: base + index, count: count &- index))
        index &+= space.end
        JSONStreamReader.pass(space, newlines: &line, column: &column)
    }

    /// Takes `word` (`true`, `false`, `null`), which must come next.
    @inlinable
    package mutating func literal(_ word: StaticString) throws(Decline) {
        let length = word.utf8CodeUnitCount
        guard count &- index >= length else { throw Decline() }
        let expected = word.utf8Start
        for offset in 0..<length where base[index &+ offset] != expected[offset] { throw Decline() }
        index &+= length
        column &+= length
    }

    /// Takes `null` when it comes next.
    @inlinable @inline(__always)
    package mutating func isNull() throws(Decline) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// A number's text, as the stream takes it (the bytes that may make a number, then checked against JSON's
    /// grammar).
    @usableFromInline
    package mutating func number() throws(Decline) -> String {
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
                return UTF8Strings.string(validUTF8: bytes, ascii: true)  // JSON's number grammar is ASCII
            }
        }
        throw Decline()  // it may go on after the buffer
    }

    /// The string at the opening quote here, as the stream decodes it; one that is not valid UTF-8 (which the
    /// stream reads as Windows-1252 and reports) declines.
    @usableFromInline
    package mutating func string() throws(Decline) -> String {
        guard index < count, base[index] == UInt8(ascii: "\"") else { throw Decline() }
        let bodyStart = index &+ 1
        let scan = JSONStreamReader.scanPlain(all, from: bodyStart)
        guard scan.end < count else { throw Decline() }
        if base[scan.end] == UInt8(ascii: "\"") {
            let body = UnsafeBufferPointer(start: base + bodyStart, count: scan.end &- bodyStart)
            let text: String
            if scan.high < 0x80 {
                // The scan saw every byte below 0x80: nothing to check again.
                text = UTF8Strings.string(validUTF8: body, ascii: true)
            } else {
                guard let valid = UTF8Strings.validating(body) else { throw Decline() }
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
                guard let text = scratch.withUnsafeBufferPointer(UTF8Strings.validating) else { throw Decline() }
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
    @inlinable
    package mutating func elements(_ element: (inout Self) throws(Decline) -> Void) throws(Decline) {
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
    @inlinable
    package mutating func asciiMembers(_ member: (inout Self, UnsafeBufferPointer<UInt8>) throws(Decline) -> Void)
        throws(Decline)
    {
        try object(name: { cursor throws(Decline) in try cursor.asciiName() }, member)
    }

    /// The members of the object that starts here, with names of any kind (escapes, non-ASCII) made into Strings.
    @inlinable
    package mutating func members(_ member: (inout Self, String) throws(Decline) -> Void) throws(Decline) {
        try object(name: { cursor throws(Decline) in try cursor.string() }, member)
    }

    /// The member name at the opening quote here, when it is ASCII without escapes: its bytes.
    @inlinable
    package mutating func asciiName() throws(Decline) -> UnsafeBufferPointer<UInt8> {
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
    @inlinable
    package mutating func object<Name>(
        name readName: (inout Self) throws(Decline) -> Name, _ member: (inout Self, Name) throws(Decline) -> Void
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
    @inlinable
    package mutating func memberValue(_ value: (inout Self) throws(Decline) -> Void) throws(Decline) {
        skipSpace()
        try expect(UInt8(ascii: ":"))
        skipSpace()
        try value(&self)
        skipSpace()
    }

    /// Any value here, as the stream would parse it into a ``JSONValue`` (members with their names' line and
    /// column), nested at most `levels` deep below it: for the rare parts of an element that a decoder hands to
    /// code written for the tree (a few small values, not the element).
    package mutating func value(levels: Int) throws(Decline) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "["):
            guard levels > 0 else { throw Decline() }
            var elements: [JSONValue] = []
            try self.elements { cursor throws(Decline) in elements.append(try cursor.value(levels: levels - 1)) }
            return .array(elements)
        case UInt8(ascii: "{"):
            guard levels > 0 else { throw Decline() }
            var members: [JSONMember] = []
            try expect(UInt8(ascii: "{"))
            skipSpace()
            if try peek() == UInt8(ascii: "}") {
                step()
                return .object(members)
            }
            while true {
                skipSpace()
                let keyLine = line
                let keyColumn = column
                let key = try string()
                var value = JSONValue.null
                try memberValue { cursor throws(Decline) in value = try cursor.value(levels: levels - 1) }
                members.append(JSONMember(key: key, value: value, line: keyLine, column: keyColumn))
                let byte = try peek()
                step()
                if byte == UInt8(ascii: "}") { return .object(members) }
                guard byte == UInt8(ascii: ",") else { throw Decline() }
            }
        default:
            throw Decline()
        }
    }
}
