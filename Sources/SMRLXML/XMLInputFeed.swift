import SMRLCore

/// Feeds libxml2 from a ``ByteReader``: rewrites named entities libxml2 would not know into character
/// references, and keeps enough of the original bytes to give element start tags a column.
///
/// Memory stays flat: only the bytes libxml2 has not consumed yet and a window of recent input are held.
final class XMLInputFeed {
    private let input: ByteReader
    private var rewriter = NamedEntityRewriter()
    private var output: [UInt8] = []
    private var outputStart = 0
    private var finished = false
    private var chunk = [UInt8](repeating: 0, count: 1 << 15)
    let positions = SourcePositionTracker()
    /// Total bytes handed to libxml2.
    private(set) var bytesFed = 0

    private let rewriteEntities: Bool
    /// Turns bytes that are not UTF-8 into the UTF-8 of their Windows-1252 characters, when set.
    private var legacyRepair: LegacyEncodingRepair?
    private var repaired: [UInt8] = []
    /// Called once, with the line, when the input turns out not to be UTF-8 and was read as Windows-1252.
    private var onLegacyEncoding: ((Int) -> Void)?
    /// Bytes still to hand libxml2 after the input's last byte, one at a time (see ``padEnd()``).
    private var endPadding: ArraySlice<UInt8> = []
    /// Line and column just past the input's last byte, once the input has ended.
    private(set) var endPosition: (line: Int, column: Int)?

    init(input: ByteReader, rewriteEntities: Bool = true) {
        self.input = input
        self.rewriteEntities = rewriteEntities
    }

    /// Hands libxml2 an empty comment, `<!---->`, one byte at a time, after the input's last byte and before
    /// reporting the end. libxml2's reader parses the last bytes it holds together with the end of the input when
    /// a read finds nothing more, and it knows an element is whole only once it has seen what follows it; so an
    /// input cut just after an element's end tag (an interrupted download) failed before the reader could take
    /// that element. The comment follows it, and the end comes after. A comment is allowed after the root element
    /// and in content, so a whole document reads as before; a cut one still ends in an error. Diagnostics placed
    /// past the input's end are moved back to it (``endPosition``).
    func padEnd() {
        endPadding = Array("<!---->".utf8)[...]
    }

    /// Reads bytes that are not valid UTF-8, in a document that declares UTF-8 or no encoding, as Windows-1252
    /// (as smrl's other readers do) instead of leaving libxml2 to stop at them; `report` gets the first line.
    func repairLegacyEncoding(report: @escaping (Int) -> Void) {
        legacyRepair = LegacyEncodingRepair()
        onLegacyEncoding = report
    }

    /// Fills `buffer` with up to `capacity` bytes; returns the count, 0 at the end, -1 on a read error.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        guard capacity > 0 else { return 0 }
        while output.count - outputStart == 0 && !finished {
            outputStart = 0
            output.removeAll(keepingCapacity: true)
            let count = chunk.withUnsafeMutableBytes { input.read(into: $0) }
            if count == 0 {
                finished = true
                endPosition = positions.endPosition()
                if legacyRepair != nil {
                    repaired.removeAll(keepingCapacity: true)
                    legacyRepair!.process(chunk[0..<0], final: true, into: &repaired)
                    reportLegacyEncoding()
                    if rewriteEntities {
                        rewriter.process(repaired[...], final: false, into: &output)
                    } else {
                        output.append(contentsOf: repaired)
                    }
                }
                if rewriteEntities { rewriter.process(chunk[0..<0], final: true, into: &output) }
                if input.readError != nil { return output.isEmpty ? -1 : copyOut(buffer, capacity) }
            } else {
                positions.append(chunk[0..<count])
                var bytes = chunk[0..<count]
                if legacyRepair != nil {
                    repaired.removeAll(keepingCapacity: true)
                    // A chunk that is valid UTF-8 throughout (the usual case) is read as it is, not copied.
                    if !legacyRepair!.processUnlessUnchanged(bytes, final: false, into: &repaired) { bytes = repaired[...] }
                    reportLegacyEncoding()
                }
                if rewriteEntities {
                    rewriter.process(bytes, final: false, into: &output)
                } else {
                    output.append(contentsOf: bytes)
                }
            }
        }
        if output.count - outputStart == 0 && input.readError == nil, let byte = endPadding.popFirst() {
            buffer.pointee = CChar(bitPattern: byte)
            return 1
        }
        return copyOut(buffer, capacity)
    }

    private func reportLegacyEncoding() {
        guard let line = legacyRepair?.firstLegacyLine, let report = onLegacyEncoding else { return }
        onLegacyEncoding = nil
        report(line)
    }

    private func copyOut(_ buffer: UnsafeMutablePointer<CChar>, _ capacity: Int) -> Int {
        let count = min(capacity, output.count - outputStart)
        guard count > 0 else { return 0 }
        output.withUnsafeBytes { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + outputStart, byteCount: count)
        }
        outputStart += count
        bytesFed += count
        return count
    }
}

/// Passes valid UTF-8 through and turns each byte that is not part of valid UTF-8 into the UTF-8 of its
/// Windows-1252 character (Latin-1 for the printable range), across chunk boundaries. Does nothing when the
/// document's XML declaration names another encoding (libxml2 decodes that one itself).
struct LegacyEncodingRepair {
    private enum Mode { case undecided, active, off }
    private var mode = Mode.undecided
    private var carry: [UInt8] = []
    private var line = 1
    /// The line of the first byte read as Windows-1252; nil while everything was UTF-8.
    private(set) var firstLegacyLine: Int?

    /// UTF-8 of the Windows-1252 characters 0x80–0xFF.
    private static let legacyBytes: [[UInt8]] = (0x80...0xFF).map {
        Array(TextDecoding.decodeWindows1252(CollectionOfOne(UInt8($0))).utf8)
    }

    mutating func process(_ input: ArraySlice<UInt8>, final: Bool, into output: inout [UInt8]) {
        if processUnlessUnchanged(input, final: final, into: &output) { output.append(contentsOf: input) }
    }

    /// ``process(_:final:into:)``, except that a chunk that passes unchanged is not copied: then the result is true
    /// and `output` is left as it was (the caller reads the chunk itself).
    mutating func processUnlessUnchanged(_ input: ArraySlice<UInt8>, final: Bool, into output: inout [UInt8]) -> Bool {
        if carry.isEmpty && mode != .undecided {
            // The usual case: the chunk as it is, without a copy.
            return input.withUnsafeBufferPointer { repair($0, final: final, into: &output, passingWhole: true) }
        }
        let data = carry + input
        carry.removeAll()
        if mode == .undecided {
            guard let decided = Self.declaresUTF8OrNothing(data, final: final) else {
                carry = data
                return false
            }
            mode = decided ? .active : .off
        }
        _ = data.withUnsafeBufferPointer { repair($0, final: final, into: &output, passingWhole: false) }
        return false
    }

    /// Copies `data` to `output`, replacing each byte that is not part of valid UTF-8. ASCII is passed eight bytes at
    /// a time; line feeds are counted only while no byte has been replaced (for ``firstLegacyLine``), a stretch at
    /// a time, not byte by byte.
    /// Returns true, having written nothing, when `passingWhole` is set and `data` passes unchanged.
    private mutating func repair(
        _ data: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8], passingWhole: Bool
    ) -> Bool {
        guard mode == .active, let bytes = data.baseAddress else {
            if passingWhole { return true }
            output.append(contentsOf: data)
            return false
        }
        let end = data.count
        var index = 0
        var run = 0
        /// Line feeds before this offset are in `line` already.
        var counted = 0
        while index < end {
            while index &+ 8 <= end, !ByteWord.anyHighBit(ByteWord.load(bytes, index)) { index &+= 8 }
            while index < end, bytes[index] < 0x80 { index &+= 1 }
            guard index < end else { break }
            let length = Self.sequenceLength(data, at: index)
            if length > 0 {
                index += length
                continue
            }
            if length < 0 && !final {
                // An incomplete sequence at the end of the chunk: decide with the next chunk.
                if firstLegacyLine == nil { line += Self.lineFeeds(bytes, from: counted, to: index) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: data[run..<index]))
                carry = Array(data[index...])
                return false
            }
            if firstLegacyLine == nil {
                line += Self.lineFeeds(bytes, from: counted, to: index)
                counted = index
                firstLegacyLine = line
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: data[run..<index]))
            output.append(contentsOf: Self.legacyBytes[Int(data[index] - 0x80)])
            index += 1
            run = index
        }
        if firstLegacyLine == nil { line += Self.lineFeeds(bytes, from: counted, to: end) }
        // Nothing replaced (run is still 0) and nothing carried: the chunk passes as it is.
        if run == 0 && passingWhole { return true }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: data[run..<end]))
        return false
    }

    /// The number of line feeds in `bytes[start..<stop]`, sixteen bytes at a time (each lane of `lanes` counts the
    /// line feeds in its column for up to 255 rows), then eight, then one.
    static func lineFeeds(_ bytes: UnsafePointer<UInt8>, from start: Int, to stop: Int) -> Int {
        var count = 0
        var index = start
        let lineFeed = SIMD16<UInt8>(repeating: 0x0A)
        while index &+ 16 <= stop {
            var lanes = SIMD16<UInt8>()
            var rows = 0
            while rows < 255 && index &+ 16 <= stop {
                let row = UnsafeRawPointer(bytes + index).loadUnaligned(as: SIMD16<UInt8>.self)
                lanes &+= SIMD16<UInt8>(repeating: 1) & unsafeBitCast(row .== lineFeed, to: SIMD16<UInt8>.self)
                rows &+= 1
                index &+= 16
            }
            count &+= Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while index &+ 8 <= stop {
            count &+= ByteWord.exactMatchCount(ByteWord.load(bytes, index), 0x0A)
            index &+= 8
        }
        while index < stop {
            if bytes[index] == 0x0A { count &+= 1 }
            index &+= 1
        }
        return count
    }

    /// The length of the valid UTF-8 sequence starting at `index`; 0 when it is not valid, -1 when the data ends
    /// before it could be told.
    private static func sequenceLength(_ data: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = data[index]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0: count = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED: count = 3; high = 0x9F
        case 0xF0: count = 4; low = 0x90
        case 0xF1...0xF3: count = 4
        case 0xF4: count = 4; high = 0x8F
        default: return 0
        }
        for offset in 1..<count {
            guard index + offset < data.count else { return -1 }
            let byte = data[index + offset]
            if offset == 1 {
                guard byte >= low && byte <= high else { return 0 }
            } else {
                guard byte >= 0x80 && byte <= 0xBF else { return 0 }
            }
        }
        return count
    }

    /// True when the document has no XML declaration or one whose encoding is UTF-8 or absent; false for
    /// another encoding; nil when more bytes are needed to tell.
    private static func declaresUTF8OrNothing(_ data: [UInt8], final: Bool) -> Bool? {
        let opening = Array("<?xml".utf8)
        if data.count < opening.count { return final ? true : nil }
        guard data.starts(with: opening) else { return true }
        guard let close = (0..<max(0, data.count - 1)).first(where: { data[$0] == 0x3F && data[$0 + 1] == 0x3E }) else {
            return final || data.count > 4096 ? true : nil
        }
        let declaration = Array(String(decoding: data[..<close], as: UTF8.self).lowercased().utf8)
        let name = Array("encoding".utf8)
        guard let found = (0..<max(0, declaration.count - name.count + 1)).first(where: {
            declaration[$0..<$0 + name.count].elementsEqual(name)
        }) else { return true }
        let rest = declaration[(found + name.count)...].drop { $0 == 0x20 || $0 == 0x3D || $0 == 0x09 }
        guard let quote = rest.first, quote == 0x22 || quote == 0x27 else { return true }
        let value = String(decoding: rest.dropFirst().prefix { $0 != quote }, as: UTF8.self)
        return value == "utf-8" || value == "utf8"
    }
}

/// Rewrites `&name;` for names in ``XMLNamedEntities`` into numeric character references, outside comments,
/// CDATA sections and processing instructions, across chunk boundaries. The five XML built-ins, character
/// references and unknown names pass through untouched (libxml2 reports unknown names).
struct NamedEntityRewriter {
    private enum State { case text, comment, cdata, processingInstruction }
    private var state = State.text
    private var carry: [UInt8] = []
    /// Longest entity name considered (the table's longest is 31 characters).
    private let maxNameLength = 40

    mutating func process(_ input: ArraySlice<UInt8>, final: Bool, into output: inout [UInt8]) {
        if carry.isEmpty {
            input.withUnsafeBufferPointer { rewrite($0, final: final, into: &output) }
        } else {
            let data = carry + input
            carry.removeAll()
            data.withUnsafeBufferPointer { rewrite($0, final: final, into: &output) }
        }
    }

    /// Copies `data` to `output`, rewriting known entity references. Bytes that need no change are copied in runs:
    /// a run ends only where a reference is replaced or where the chunk ends (or bytes are carried to the next one).
    private mutating func rewrite(_ data: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8]) {
        let end = data.count
        var index = 0
        /// The first byte not yet copied to `output`.
        var run = 0
        output.reserveCapacity(output.count + end)
        func flush(to stop: Int) {
            if stop > run { output.append(contentsOf: UnsafeBufferPointer(rebasing: data[run..<stop])) }
            run = stop
        }
        while index < end {
            switch state {
            case .text:
                // Only an '&', and a '<' that starts `<!` or `<?`, matter: the scan stops at '&', '!' and '?' (far rarer
                // than '<'), passing eight at a time the bytes that hold none of them, and looks back for the '<'.
                let scanStart = index
                if let bytes = data.baseAddress {
                    while index &+ 8 <= end {
                        let word = ByteWord.loadInMemoryOrder(bytes, index)
                        let bits = ByteWord.matchBits(word, 0x26) | ByteWord.matchBits(word, 0x21) | ByteWord.matchBits(word, 0x3F)
                        if ByteWord.anyHighBit(bits) {
                            index &+= ByteWord.firstFlaggedByte(bits)
                            break
                        }
                        index &+= 8
                    }
                }
                while index < end, data[index] != 0x26, data[index] != 0x21, data[index] != 0x3F { index += 1 }
                guard index < end else {
                    // A '<' as the last byte may start `<!` or `<?`: decide with the next chunk.
                    if !final, end > scanStart, data[end - 1] == 0x3C {
                        flush(to: end - 1)
                        carry = [0x3C]
                        return
                    }
                    break
                }
                if data[index] != 0x26 {
                    // '!' or '?': markup when right after a '<' (which can only be one of this stretch of text).
                    guard index > 0, data[index - 1] == 0x3C else {
                        index += 1
                        continue
                    }
                    let open = index - 1
                    switch markupKind(data, at: open, final: final) {
                    case .undecided:
                        flush(to: open)
                        carry = Array(data[open...])
                        return
                    case .comment:
                        index = open + 4
                        state = .comment
                    case .cdata:
                        index = open + 9
                        state = .cdata
                    case .processingInstruction:
                        index = open + 2
                        state = .processingInstruction
                    case .other:
                        index += 1
                    }
                } else {
                    // '&': a name, then ';'.
                    var cursor = index + 1
                    while cursor < end, cursor - index <= maxNameLength, Self.isNameByte(data[cursor]) { cursor += 1 }
                    if cursor == end && !final && cursor - index <= maxNameLength {
                        flush(to: index)
                        carry = Array(data[index...])
                        return
                    }
                    if cursor < end, data[cursor] == 0x3B, cursor > index + 1, Self.isNameStartByte(data[index + 1]),
                        !Self.isBuiltIn(data, from: index + 1, to: cursor),
                        let replacement = XMLNamedEntities.characterReferenceBytes(forNameBytes: data[(index + 1)..<cursor])
                    {
                        flush(to: index)
                        output.append(contentsOf: replacement)
                        index = cursor + 1
                        run = index
                    } else {
                        index += 1
                    }
                }
            case .comment, .cdata, .processingInstruction:
                let terminator: [UInt8] = state == .comment ? [0x2D, 0x2D, 0x3E] : state == .cdata ? [0x5D, 0x5D, 0x3E] : [0x3F, 0x3E]
                if let found = Self.find(terminator, in: data, from: index) {
                    index = found + terminator.count
                    state = .text
                } else {
                    // Keep the last bytes back: they may start the terminator.
                    let keep = final ? 0 : min(terminator.count - 1, end - index)
                    flush(to: end - keep)
                    if keep > 0 { carry = Array(data[(end - keep)...]) }
                    return
                }
            }
        }
        flush(to: end)
    }

    /// True for the names of the five XML built-in entities (`amp`, `lt`, `gt`, `quot`, `apos`), which
    /// ``XMLNamedEntities`` does not hold (libxml2 knows them): no table lookup for the commonest references.
    @inline(__always)
    private static func isBuiltIn(_ data: UnsafeBufferPointer<UInt8>, from start: Int, to stop: Int) -> Bool {
        switch stop - start {
        case 2:
            return data[start + 1] == 0x74 && (data[start] == 0x6C || data[start] == 0x67)  // lt, gt
        case 3:
            return data[start] == 0x61 && data[start + 1] == 0x6D && data[start + 2] == 0x70  // amp
        case 4:
            return (data[start] == 0x71 && data[start + 1] == 0x75 && data[start + 2] == 0x6F && data[start + 3] == 0x74)
                || (data[start] == 0x61 && data[start + 1] == 0x70 && data[start + 2] == 0x6F && data[start + 3] == 0x73)
        default:
            return false
        }
    }

    private enum MarkupKind { case undecided, comment, cdata, processingInstruction, other }

    private static let markupPatterns: [([UInt8], MarkupKind)] = [
        (Array("<!--".utf8), .comment), (Array("<![CDATA[".utf8), .cdata), (Array("<?".utf8), .processingInstruction),
    ]

    private func markupKind(_ data: UnsafeBufferPointer<UInt8>, at index: Int, final: Bool) -> MarkupKind {
        // Most '<' start an element: decide at once.
        if index + 1 < data.count, data[index + 1] != 0x21, data[index + 1] != 0x3F { return .other }
        let available = data.count - index
        var couldStillMatch = false
        for (pattern, kind) in Self.markupPatterns {
            if available >= pattern.count {
                if data[index..<index + pattern.count].elementsEqual(pattern) { return kind }
            } else if data[index...].elementsEqual(pattern.prefix(available)) {
                couldStillMatch = true
            }
        }
        return couldStillMatch && !final ? .undecided : .other
    }

    private static func find(_ needle: [UInt8], in data: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard data.count - start >= needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = data.count - needle.count
        while index <= last {
            if data[index] == first {
                var matched = true
                for offset in 1..<needle.count where data[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    @inline(__always)
    private static func isNameStartByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    @inline(__always)
    private static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStartByte(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2D
    }
}

/// A 1-based line and column (in Unicode scalars) moved one UTF-8 byte at a time; LF, CR and CRLF each end a line.
struct TextPosition {
    var line = 1
    var column = 1
    /// The last byte was a CR, so an LF right after it ends no further line.
    var afterCR = false

    @inline(__always)
    mutating func step(_ byte: UInt8) {
        if byte == 0x0A {
            if !afterCR {
                line += 1
                column = 1
            }
            afterCR = false
        } else if byte == 0x0D {
            line += 1
            column = 1
            afterCR = true
        } else {
            afterCR = false
            if byte & 0xC0 != 0x80 { column += 1 }
        }
    }
}

/// Turns libxml2's line numbers for element start tags into line and column, from a window of the original
/// input. libxml2 2.9 records only a line per node (the line where the start tag ends); the tracker finds the
/// tag's `<` on or shortly before that line, searching forward from the last tag it found, so the total work is
/// linear in the input. Columns count Unicode scalars, 1-based.
final class SourcePositionTracker {
    /// Used by one reader on one thread, never re-entered: no run-time exclusivity checks.
    @exclusivity(unchecked) private var window: [UInt8] = []
    private var base = 0
    private var cursor = 0
    /// Line and column of the byte at `cursor`.
    private var position = TextPosition()
    var cursorLine: Int { position.line }
    var cursorColumn: Int { position.column }
    /// Bytes kept behind the newest input at most; older bytes are walked (for line counts) and dropped.
    private let capacity: Int

    init(capacity: Int = 8 << 20) {
        self.capacity = capacity
    }

    func append(_ bytes: ArraySlice<UInt8>) {
        window.append(contentsOf: bytes)
        if window.count > capacity {
            advance(to: base + window.count - capacity / 2)
        }
        let consumed = cursor - base
        if consumed > (1 << 16) && consumed * 2 > window.count {
            window.removeFirst(consumed)
            base = cursor
        }
    }

    /// Moves the cursor forward, counting lines and columns, to `offset` or to the start of `line`, whichever comes
    /// first, and never past the window.
    private func advance(to offset: Int, orLine line: Int = .max) {
        guard position.line < line else { return }  // first: the usual case in a search, already on the line
        let stop = min(offset, base + window.count) - base
        var index = cursor - base
        guard index < stop else { return }
        var moved = position
        window.withUnsafeBufferPointer { window in
            guard let bytes = window.baseAddress else { return }
            while index < stop {
                // Eight plain ASCII bytes (no LF or CR, no byte of a multi-byte character) are eight columns.
                if index &+ 8 <= stop {
                    let word = ByteWord.load(bytes, index)
                    if !ByteWord.anyHighBit(ByteWord.matchBits(word, 0x0A) | ByteWord.matchBits(word, 0x0D) | word) {
                        moved.afterCR = false
                        moved.column &+= 8
                        index &+= 8
                        continue
                    }
                }
                moved.step(bytes[index])
                index &+= 1
                if moved.line >= line { break }  // only a step past a line break moves to another line
            }
        }
        cursor = base + index
        position = moved
    }

    /// Line and column just past the last byte appended, without moving the cursor.
    func endPosition() -> (line: Int, column: Int) {
        var end = position
        for byte in window[(cursor - base)...] { end.step(byte) }
        return (end.line, end.column)
    }

    /// Line and column of the next start tag `<qualifiedName` at or before `lineHint` (the line libxml2
    /// reports), or the next one after the cursor when there is no usable hint.
    /// `name` is the qualified name's UTF-8.
    func locateStartTag(_ name: UnsafeBufferPointer<UInt8>, lineHint: Int?) -> (line: Int, column: Int)? {
        guard !name.isEmpty else { return nil }
        if let lineHint, lineHint > 0, lineHint < 65535 {
            if lineHint < cursorLine { return nil }
            advance(to: .max, orLine: max(cursorLine, lineHint - 8))
        }
        let hint = (lineHint ?? 0) > 0 && (lineHint ?? 0) < 65535 ? lineHint : nil
        var index = cursor - base
        let end = window.count
        let searchLimit = hint == nil ? min(end, index + (4 << 20)) : end
        let start = index
        var line = cursorLine
        var wasCR = position.afterCR
        /// Where the line of the match starts, when the search passed a line break.
        var lineStart: Int?
        // On the window's bytes directly, skipping eight at a time those that hold no `<`, LF or CR.
        let match: Int? = window.withUnsafeBufferPointer { window in
            guard let bytes = window.baseAddress else { return nil }
            while index < searchLimit {
                if index &+ 8 <= searchLimit {
                    let word = ByteWord.loadInMemoryOrder(bytes, index)
                    let bits = ByteWord.matchBits(word, 0x3C) | ByteWord.matchBits(word, 0x0A) | ByteWord.matchBits(word, 0x0D)
                    if !ByteWord.anyHighBit(bits) {
                        wasCR = false
                        index &+= 8
                        continue
                    }
                    // Straight to the first `<`, LF or CR: the bytes before it are none of them.
                    let skipped = ByteWord.firstFlaggedByte(bits)
                    if skipped > 0 {
                        wasCR = false
                        index &+= skipped
                    }
                }
                let byte = bytes[index]
                if byte == 0x0A || byte == 0x0D {
                    if !(byte == 0x0A && wasCR) { line += 1 }
                    wasCR = byte == 0x0D
                    if let hint, line > hint { return nil }
                    index += 1
                    lineStart = index
                    continue
                }
                wasCR = false
                if byte == 0x3C, index + name.count + 1 < end, Self.startsWith(bytes + index + 1, name) {
                    let delimiter = bytes[index + name.count + 1]
                    if delimiter == 0x20 || delimiter == 0x09 || delimiter == 0x0A || delimiter == 0x0D
                        || delimiter == 0x3E || delimiter == 0x2F
                    {
                        return index
                    }
                }
                index += 1
            }
            return nil
        }
        guard let match else { return nil }
        // The column counts the scalars from the line's start (or from the cursor, on the cursor's line) to the
        // tag: the search has already counted the lines, so only that stretch is walked again.
        let from = lineStart ?? start
        let scalars = window.withUnsafeBufferPointer { window in
            window[from..<match].reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
        }
        let column = (lineStart == nil ? position.column : 1) + scalars
        cursor = base + match + 1
        position = TextPosition(line: line, column: column + 1, afterCR: false)
        return (line, column)
    }

    /// True when the bytes at `bytes` begin with `name` (there are at least as many).
    @inline(__always)
    private static func startsWith(_ bytes: UnsafePointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < name.count {
            if bytes[index] != name[index] { return false }
            index &+= 1
        }
        return true
    }
}

/// Eight bytes at a time, for the scans above (and ``XMLText``). `matchBits` of several bytes, and the word itself for
/// "not ASCII", are OR-ed together and tested once with `anyHighBit`.
enum ByteWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101

    @inline(__always)
    static func load(_ bytes: UnsafePointer<UInt8>, _ index: Int) -> UInt64 {
        UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)
    }

    /// A word whose high bits are set in the bytes of `word` that are `byte` (and perhaps above them), and in no
    /// byte when none is; its other bits mean nothing.
    @inline(__always)
    static func matchBits(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference
    }

    @inline(__always)
    static func anyHighBit(_ bits: UInt64) -> Bool { bits & (ones &* 0x80) != 0 }

    /// A word whose high bit is set in exactly the bytes of `word` that are `byte` (no false matches, unlike
    /// ``matchBits(_:_:)``), and whose other bits are clear.
    @inline(__always)
    static func exactMatches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        let low = ones &* 0x7F
        // The high bit of each byte is set where the byte of `difference` is not zero.
        let nonZero = ((difference & low) &+ low) | difference
        return ~nonZero & (ones &* 0x80)
    }

    /// The number of bytes of `word` that are `byte`.
    @inline(__always)
    static func exactMatchCount(_ word: UInt64, _ byte: UInt8) -> Int {
        exactMatches(word, byte).nonzeroBitCount
    }

    /// True when some byte of `word` is below `limit` (at most 0x80).
    @inline(__always)
    static func anyBelow(_ word: UInt64, _ limit: UInt8) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & (ones &* 0x80) != 0
    }

    /// Eight bytes with the first one in memory in the lowest bits, whatever the machine's byte order, so that
    /// ``firstFlaggedByte(_:)`` counts from the start.
    @inline(__always)
    static func loadInMemoryOrder(_ bytes: UnsafePointer<UInt8>, _ index: Int) -> UInt64 {
        UInt64(littleEndian: load(bytes, index))
    }

    /// The offset (0–7) of the first byte flagged in `bits` (`matchBits` of a word from ``loadInMemoryOrder(_:_:)``,
    /// with at least one flag). The lowest flag is always a true match: a false one only follows a true one, above it.
    @inline(__always)
    static func firstFlaggedByte(_ bits: UInt64) -> Int {
        (bits & (ones &* 0x80)).trailingZeroBitCount &>> 3
    }
}
