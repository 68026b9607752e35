extension JSONStreamReader {
    /// Where the line that starts `bytes` ends (the offset of its line break) when that line is exactly one
    /// well-formed JSON object, nested at most `maxDepth` levels (and at most 64), followed by nothing but spaces,
    /// tabs and carriage returns; nil when it is not, or when its line break is not in `bytes`. Such a line
    /// ``next()`` parses into an object without a single diagnostic wherever it is read from, as the parse never
    /// looks past it: what lets a line be handed to another thread and read there on its own (``handsOnLines``).
    ///
    /// It accepts no more than the parser does (it may accept less: anything it declines is simply parsed where
    /// it is). Strings may hold any bytes but quotes, backslashes and control characters (bytes that are not
    /// UTF-8 are decoded as Windows-1252 by the parser, which is a note, not a failure); escapes are the JSON ones,
    /// `\u` with four hex digits (a lone surrogate becomes U+FFFD in the parser, again no failure).
    ///
    /// - Parameter refusedKey: when given, a line whose object has a member of its own (not a nested one) named
    ///   so, or named with an escape (which may spell it), is declined too.
    package static func endOfLineHoldingOneObject(
        _ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, refusedKey: [UInt8]? = nil
    ) -> Int? {
        guard let base = bytes.baseAddress, bytes.count > 0, base[0] == UInt8(ascii: "{") else { return nil }
        var check = LineCheck(line: bytes, base: base, limit: min(maxDepth, 64), refusedKey: refusedKey, spansLines: false)
        guard check.value(depth: 0) else { return nil }
        while check.index < bytes.count {
            switch base[check.index] {
            case 0x20, 0x09, 0x0D: check.index &+= 1
            case 0x0A: return check.index
            default: return nil
            }
        }
        return nil
    }

    /// The object at the start of `bytes`, as ``endOfLineHoldingOneObject(_:maxDepth:refusedKey:)`` checks a line's
    /// but across lines (line breaks are white space between its tokens, as in a pretty-printed array): where it
    /// ends (the offset just past its `}`), how many line breaks it holds and where its last line starts (0 when
    /// it holds none); nil when it is not one well-formed object nested at most `maxDepth` levels (and at most
    /// 64), or does not end in `bytes`. What follows the object is not looked at: ``next()`` reads an array
    /// element that is such an object without a diagnostic, and ``init(line:at:index:options:)`` reads its bytes
    /// alone exactly so (``handsOnElements``).
    package static func endOfObject(
        _ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, refusedKey: [UInt8]? = nil
    ) -> (end: Int, newlines: Int, lastLineStart: Int)? {
        guard let base = bytes.baseAddress, bytes.count > 0, base[0] == UInt8(ascii: "{") else { return nil }
        var check = LineCheck(line: bytes, base: base, limit: min(maxDepth, 64), refusedKey: refusedKey, spansLines: true)
        guard check.value(depth: 0) else { return nil }
        return (check.index, check.newlines, check.lastLineStart)
    }

    /// How many Unicode scalars `bytes` hold as the stream counts columns: every byte that is not a UTF-8
    /// continuation byte (`10xxxxxx`), valid UTF-8 or not. Eight bytes at a time.
    package static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var index = 0
        var continuation = 0
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index &+ 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            // Bit 7 set and bit 6 clear: shifting left by one puts each byte's bit 6 in its bit 7.
            continuation &+= (word & ~(word &<< 1) & highs).nonzeroBitCount
            index &+= 8
        }
        while index < count {
            if base[index] & 0xC0 == 0x80 { continuation &+= 1 }
            index &+= 1
        }
        return count &- continuation
    }
}

/// The checker behind ``JSONStreamReader/endOfLineHoldingOneObject(_:maxDepth:refusedKey:)`` and
/// ``JSONStreamReader/endOfObject(_:maxDepth:refusedKey:)``: a recursive descent over one line (or one object
/// across lines) that builds nothing.
private struct LineCheck {
    let line: UnsafeBufferPointer<UInt8>
    let base: UnsafePointer<UInt8>
    let limit: Int
    /// A member name of the outermost object that declines it (see `refusedKey` of the callers).
    let refusedKey: [UInt8]?
    /// Line breaks are white space (counted in `newlines`, the last line's start in `lastLineStart`).
    let spansLines: Bool
    var index = 0
    var newlines = 0
    var lastLineStart = 0

    init(line: UnsafeBufferPointer<UInt8>, base: UnsafePointer<UInt8>, limit: Int, refusedKey: [UInt8]?, spansLines: Bool) {
        self.line = line
        self.base = base
        self.limit = limit
        self.refusedKey = refusedKey
        self.spansLines = spansLines
    }

    @inline(__always)
    private var byte: UInt8? { index < line.count ? base[index] : nil }

    private mutating func skipSpace() {
        if spansLines {
            // Indentation runs taken eight bytes at a time, line breaks counted (as the stream passes them).
            guard index < line.count else { return }
            switch base[index] {
            case 0x20, 0x09, 0x0D, 0x0A: break
            default: return
            }
            let space = JSONStreamReader.scanSpace(UnsafeBufferPointer(rebasing: line[index...]))
            index &+= space.end
            if space.newlines > 0 {
                newlines &+= space.newlines
                lastLineStart = index &- space.afterLastNewline
            }
            return
        }
        while index < line.count {
            switch base[index] {
            case 0x20, 0x09, 0x0D: index &+= 1
            default: return
            }
        }
    }

    /// A value starting here (after white space); `depth` is the parser's (the containers around it).
    mutating func value(depth: Int) -> Bool {
        skipSpace()
        guard depth <= limit, let first = byte else { return false }
        switch first {
        case UInt8(ascii: "{"): return container(depth: depth, close: UInt8(ascii: "}"), members: true)
        case UInt8(ascii: "["): return container(depth: depth, close: UInt8(ascii: "]"), members: false)
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return false
        }
    }

    private mutating func container(depth: Int, close: UInt8, members: Bool) -> Bool {
        index &+= 1
        skipSpace()
        if byte == close {
            index &+= 1
            return true
        }
        while true {
            if members {
                skipSpace()
                let nameStart = index &+ 1
                guard byte == UInt8(ascii: "\""), string() else { return false }
                if depth == 0, let refusedKey, refuses(UnsafeBufferPointer(rebasing: line[nameStart..<(index &- 1)]), refusedKey) {
                    return false
                }
                skipSpace()
                guard byte == UInt8(ascii: ":") else { return false }
                index &+= 1
            }
            guard value(depth: depth + 1) else { return false }
            skipSpace()
            guard let next = byte else { return false }
            index &+= 1
            if next == close { return true }
            guard next == UInt8(ascii: ",") else { return false }
        }
    }

    /// Whether a member name of the outermost object (its bytes between the quotes) is `refused`, or may spell it
    /// (an escape).
    private func refuses(_ name: UnsafeBufferPointer<UInt8>, _ refused: [UInt8]) -> Bool {
        if name.contains(UInt8(ascii: "\\")) { return true }
        return name.elementsEqual(refused)
    }

    /// A string at its opening quote.
    private mutating func string() -> Bool {
        index &+= 1
        while true {
            index = JSONStreamReader.firstSpecial(in: line, from: index)
            guard let stop = byte else { return false }
            index &+= 1
            switch stop {
            case UInt8(ascii: "\""):
                return true
            case UInt8(ascii: "\\"):
                guard let escaped = byte else { return false }
                index &+= 1
                if escaped == UInt8(ascii: "u") {
                    guard index &+ 4 <= line.count else { return false }
                    for offset in 0..<4 where !base[index &+ offset].isHexDigit { return false }
                    index &+= 4
                } else if JSONStreamReader.unescaped(escaped) == nil {
                    return false
                }
            default:
                return false  // a control character
            }
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index &+ count <= line.count else { return false }
        let matches = word.withUTF8Buffer { expected in
            expected.indices.allSatisfy { base[index &+ $0] == expected[$0] }
        }
        index &+= count
        return matches
    }

    /// A number: the bytes the parser would take as one (digits, signs, points, exponents), checked as it checks them.
    private mutating func number() -> Bool {
        let start = index
        while let next = byte {
            switch next {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                index &+= 1
            default:
                return JSONStreamReader.isNumber(UnsafeBufferPointer(rebasing: line[start..<index]))
            }
        }
        return JSONStreamReader.isNumber(UnsafeBufferPointer(rebasing: line[start..<index]))
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }
}
