/// Reads JSON values one at a time from a ``ByteReader``: the elements of a top-level array, a single top-level
/// object, or one value per line (NDJSON). Only the value being parsed is held in memory, so a 1 GB array is
/// read in the memory of its largest element.
///
/// A syntax error inside an element is reported with its line and column; the reader then skips to the end of
/// that element and goes on. Recovery costs nothing until an error: it runs only after one. Where the skip stops
/// (the first of these):
/// - the next `,` or `]` at the array's level, counting brackets and strings from the error (a line break ends a
///   string, since a string left open is the usual damage in pretty-printed JSON). In an array of objects only a
///   `,` before the next `{` counts (after a stray `]` each remaining member would otherwise make an element);
/// - in a pretty-printed array of objects, where the layout shows the next element: a line starting with `{` in
///   the column where the elements start, right after a line starting with `}` in that column; and a `{` there
///   that ends an element early (the element's own `}` or `,` lost) starts the next;
/// - in an array of objects on one line (minified), where nothing tells lines apart: a `}` that takes the skip
///   back to the array's level under either of two readings that ignore line breaks, one starting inside a
///   string and one outside (after a string's closing quote was lost, the parser took the next opening quote for
///   it and stands inside a string; after a raw control character it stands inside one too; after other errors
///   outside), when `,` `{` and a `"` (or `}`) follow it, or `]` and the end of the input. The wrong reading
///   sees the strings' text as structure and so rarely meets a `}` at all; `},{"` inside a string is `},{\"`;
///   and a nested `},{"` (a list of names) is not at the array's level in the right reading;
/// - `,{"name":` where `name` is the first member name of the array's first element (read ahead before it) (`"id"` in most
///   exports): such bytes cannot lie inside a string, so this holds whatever the damage did to the string state
///   and the nesting (a string left open before `}]`, a lost nested `}`); a nested object that starts with the
///   same name as the records would be taken for a record (none does in CSL-JSON or smrl-json);
/// - an object where a member name was expected, in the elements' column (pretty-printed), or on the element's
///   own line (minified) when the elements' first name is not known: the element's `}` was lost and this is
///   the next one.
/// Between elements, a `{` where a `,` was expected is reported and read as the next element; a member
/// (`"name":`) where an element should start means a stray `}` ended the element before: one diagnostic at that
/// `}`, and the rest of the object is skipped (its members before the `}` were already read as the element).
/// One value per line: the rest of the line is skipped, except that an object whose `}` was lost and ran into
/// the next line's `{` leaves that line to be read.
public struct JSONStreamReader {
    /// How the input is laid out.
    public enum Layout: Sendable {
        /// A top-level array whose elements are the values, or a single top-level value.
        case document
        /// One value per line; blank lines are skipped.
        case lines
    }

    /// A value read from the stream.
    public struct Element {
        public var value: JSONValue
        /// Where the value starts.
        public var location: SourceLocation
        /// 0-based position in the array or line sequence.
        public var index: Int
        /// The line of the first string in this value that was not valid UTF-8 and was decoded as Windows-1252,
        /// so that the reader can report `input.legacy-encoding`; nil when the value is all UTF-8.
        public var legacyEncodingLine: Int? = nil
        /// True when ``directDecoder`` took this element (then `value` is `.null` and the decoder holds what it
        /// made of it).
        public var decodedDirectly = false
        /// The element's line, from its first byte to its line break included, when the stream handed the line on
        /// unparsed (``handsOnLines``; then `value` is `.null`): the line holds one well-formed object, which
        /// ``init(line:at:index:options:)`` reads anywhere with the diagnostics it would have had here. For an
        /// array element handed on (``handsOnElements``), the element's bytes from its `{` to its `}`, read so too.
        public var line: [UInt8]? = nil
    }

    /// Where a ``DirectDecoder`` finished: the offset in the chunk just past the element's last byte, and the line
    /// and column there.
    public struct DirectEnd {
        public var end: Int
        public var line: Int
        public var column: Int

        public init(end: Int, line: Int, column: Int) {
            self.end = end
            self.line = line
            self.column = column
        }
    }

    /// Takes whole elements straight from the input's buffer, for a reader that knows the shape of its elements
    /// and so need not build a ``JSONValue`` of each. Given the buffered bytes from the element's first byte on
    /// and the line and column there, `decode` reads the element and returns where it ended, or nil to leave it
    /// (then nothing is consumed and the element is parsed the usual way). It must take only a well-formed
    /// value that the usual way reads without any remark and that ends in the chunk, nested no more than
    /// `nesting` levels below the element (the stream offers it only elements within the depth limit so).
    public struct DirectDecoder {
        public var nesting: Int
        public var decode: (_ chunk: UnsafeBufferPointer<UInt8>, _ line: Int, _ column: Int) -> DirectEnd?

        public init(
            nesting: Int, decode: @escaping (_ chunk: UnsafeBufferPointer<UInt8>, _ line: Int, _ column: Int) -> DirectEnd?
        ) {
            self.nesting = nesting
            self.decode = decode
        }
    }

    /// Offered each element of an array or each line (not a single top-level value) before it is parsed.
    public var directDecoder: DirectDecoder?

    /// In the `.lines` layout: a line that holds exactly one well-formed object (``endOfLineHoldingOneObject(_:maxDepth:)``)
    /// and fits in the buffer is not parsed but handed on as its bytes (``Element/line``), for a reader whose
    /// records are interpreted on another thread: finding such a line and checking it costs a small part of
    /// parsing it. Taken before ``directDecoder``.
    public var handsOnLines = false

    /// In the `.document` layout: an element of the top-level array that is exactly one well-formed object
    /// (``endOfObject(_:maxDepth:refusedKey:)``, line breaks within it allowed), ends within the buffered bytes
    /// (the stream buffers as much ahead of it as for a ``DirectDecoder``) and is within the record-size limit is
    /// not parsed but handed on as its bytes (``Element/line``), as ``handsOnLines`` does with lines. Taken before
    /// ``directDecoder``.
    public var handsOnElements = false

    /// A member name that keeps an object from being handed on (``handsOnLines``, ``handsOnElements``) when its
    /// outermost object has it, or has a member name with an escape: for a reader that reads objects so named as
    /// something else than one record (CSL-JSON's `references`, a CSL 1.1 document).
    public var keyNotHandedOn: [UInt8]? = nil

    /// A problem met while reading; the element it concerns was skipped.
    public struct Failure: Error {
        public var diagnostic: Diagnostic
        public var index: Int
    }

    private let input: ByteReader
    private let layout: Layout
    private let maxDepth: Int
    private let maxValueBytes: Int
    private var line = 1
    private var column = 1
    private var state: State = .start
    private var index = 0
    private var valueBytes = 0
    /// Set when a syntax error is raised inside a string, so that recovery knows it starts inside one.
    private var failedInsideString = false
    /// Line of the first string of the current element decoded as Windows-1252.
    private var legacyLine: Int?
    /// The bytes of the string being parsed (kept to reuse its capacity).
    private var stringBytes: [UInt8] = []
    /// Objects and arrays opened and not yet closed within the current element (left as they were by an error).
    private var openContainers = 0
    /// What the recovery knows of the top-level array's layout, kept out of line: in a debug build each level of
    /// the parser's recursion copies the reader a few dozen times, and 512 levels must fit in 8 MB of stack.
    private let arrayLayout = ArrayLayout()
    /// Set when a skip stopped at the start of what looks like the next element (no `,` before it).
    private var resumeAtElement = false
    /// What the parser remembers from one element to the next to build the next faster (out of line too).
    private let shapes = Shapes()

    /// The sizes of the last object and array built at each of the first levels of nesting, reserved for the next
    /// one at that level (the records of a feed look alike, so most objects and arrays are made in one
    /// allocation instead of growing 1, 2, 4, 8…), and the member names made into Strings lately.
    private final class Shapes {
        static let levels = 8
        @exclusivity(unchecked) var members = [Int](repeating: 0, count: levels)
        @exclusivity(unchecked) var elements = [Int](repeating: 0, count: levels)
        @exclusivity(unchecked) var keys = [KeySlot](repeating: KeySlot(), count: 256)

        /// A member name of up to 24 ASCII bytes, held as its length and three words that together cover every
        /// byte (bytes 0–7, the last 8 and 8–15), so that two names are equal exactly when these are.
        struct KeySlot {
            var count = -1
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            var text = ""
        }

        /// The String of a member name (at most 24 bytes, all ASCII): the one made for the same bytes before when
        /// it is still in the table, else made now and kept. The names of a feed's records repeat, and making a
        /// String costs several times this look-up.
        @inline(__always)
        func key(_ body: UnsafeBufferPointer<UInt8>) -> String {
            let count = body.count
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            if let base = body.baseAddress {
                if count >= 8 {
                    words.0 = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
                    words.1 = UnsafeRawPointer(base + (count &- 8)).loadUnaligned(as: UInt64.self)
                    if count > 16 { words.2 = UnsafeRawPointer(base + 8).loadUnaligned(as: UInt64.self) }
                } else {
                    for index in 0..<count { words.0 |= UInt64(base[index]) &<< UInt64(8 &* index) }
                }
            }
            let mixed = (words.0 &+ words.1 &* 31 &+ words.2 &* 961 &+ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15
            let slot = Int(truncatingIfNeeded: mixed >> 56)
            let entry = keys[slot]
            if entry.count == count && entry.words.0 == words.0 && entry.words.1 == words.1
                && entry.words.2 == words.2
            {
                return entry.text
            }
            let text = UTF8Strings.string(ascii: body)
            keys[slot] = KeySlot(count: count, words: words, text: text)
            return text
        }
    }

    private final class ArrayLayout {
        /// Column and first byte of the top-level array's first element: where a skip may resume on a later line.
        var elementColumn: Int?
        var elementOpener: UInt8?
        /// The first member name of the array's first element, quoted (see `signatureFollows`).
        var elementSignature: [UInt8]?
        /// Line and column of the last byte of the element just read whole (its closing `}`); (0, 0) after a
        /// damaged one.
        var lastElementEnd = (line: 0, column: 0)
        /// Where a skip began that ran to the end of the input without finding the element's end.
        var skippedToEnd: (line: Int, column: Int)?
    }

    private var elementColumn: Int? {
        get { arrayLayout.elementColumn }
        nonmutating set { arrayLayout.elementColumn = newValue }
    }
    private var elementOpener: UInt8? {
        get { arrayLayout.elementOpener }
        nonmutating set { arrayLayout.elementOpener = newValue }
    }
    private var elementSignature: [UInt8]? {
        get { arrayLayout.elementSignature }
        nonmutating set { arrayLayout.elementSignature = newValue }
    }
    private var lastElementEnd: (line: Int, column: Int) {
        get { arrayLayout.lastElementEnd }
        nonmutating set { arrayLayout.lastElementEnd = newValue }
    }
    /// Diagnostics about the stream as a whole (not about one element), e.g. trailing garbage.
    public private(set) var streamDiagnostics: [Diagnostic] = []

    private enum State {
        case start
        case inArray
        case single
        case done
    }

    public init(input: ByteReader, layout: Layout = .document, options: ReaderOptions = ReaderOptions()) {
        self.input = input
        self.layout = layout
        self.maxDepth = options.maxDepth
        self.maxValueBytes = options.maxRecordBytes
    }

    /// A `.lines` stream over one line handed on by another stream (``Element/line``), which started at
    /// `location` and was element `index` there: its element, diagnostics and locations are the ones that stream
    /// would have given.
    public init(line: [UInt8], at location: SourceLocation, index: Int, options: ReaderOptions = ReaderOptions()) {
        self.init(input: ByteReader(bytes: line, fileName: location.file), layout: .lines, options: options)
        self.line = location.line
        column = location.column
        self.index = index
    }

    /// The file name diagnostics use.
    public var fileName: String { input.fileName }

    private var here: SourceLocation { SourceLocation(file: input.fileName, line: line, column: column) }

    // MARK: Bytes

    @inline(__always)
    private mutating func advance() -> UInt8? {
        guard let byte = input.next() else { return nil }
        valueBytes &+= 1
        if byte == 0x0A {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
        return byte
    }

    @inline(__always)
    private mutating func skipWhitespace(stopAtNewline: Bool = false) {
        if !stopAtNewline {
            guard let byte = input.peek(), byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D else { return }
            skipWhitespaceRun()
            return
        }
        while let byte = input.peek() {
            switch byte {
            case 0x20, 0x09, 0x0D:
                _ = advance()
            case 0x0A:
                if stopAtNewline { return }
                _ = advance()
            default:
                return
            }
        }
    }

    /// Skips white space, line breaks included, straight in the input's buffer (pretty-printed JSON has more
    /// indentation than text): what ``advance()`` does byte by byte, without a call per byte.
    private mutating func skipWhitespaceRun() {
        while true {
            var scan = (end: 0, newlines: 0, afterLastNewline: 0)
            var exhausted = false
            let more = input.consumeBuffered { chunk in
                scan = Self.scanSpace(chunk)
                exhausted = scan.end == chunk.count
                return scan.end
            }
            guard more else { return }
            valueBytes &+= scan.end
            Self.pass(scan, newlines: &line, column: &column)
            if !exhausted { return }
        }
    }

    /// Moves a position (`newlines` counted from it, and its column) past white space that `scanSpace` found.
    @inline(__always)
    @usableFromInline
    package static func pass(
        _ space: (end: Int, newlines: Int, afterLastNewline: Int), newlines: inout Int, column: inout Int
    ) {
        if space.newlines > 0 {
            newlines &+= space.newlines
            column = 1 &+ space.afterLastNewline
        } else {
            column &+= space.afterLastNewline
        }
    }

    /// The white space at the start of `chunk`: where it ends, how many line breaks it holds and how many bytes
    /// follow the last one (all of them when there is none); each is one column. Runs of spaces (indentation)
    /// are taken eight bytes at a time.
    @inline(__always)
    @usableFromInline
    package static func scanSpace(_ chunk: UnsafeBufferPointer<UInt8>) -> (end: Int, newlines: Int, afterLastNewline: Int) {
        guard let base = chunk.baseAddress else { return (0, 0, 0) }
        let count = chunk.count
        let spaces: UInt64 = 0x2020_2020_2020_2020
        var index = 0
        var newlines = 0
        var lineStart = 0
        scanning: while index < count {
            switch base[index] {
            case 0x20:
                index &+= 1
                while index &+ 8 <= count {
                    let other = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                        ^ spaces
                    if other != 0 {
                        index &+= other.trailingZeroBitCount &>> 3
                        continue scanning
                    }
                    index &+= 8
                }
            case 0x0A:
                newlines &+= 1
                index &+= 1
                lineStart = index
            case 0x09, 0x0D:
                index &+= 1
            default:
                break scanning
            }
        }
        return (index, newlines, index &- lineStart)
    }

    private func syntaxError(_ message: String, at location: SourceLocation) -> Diagnostic {
        .error(.jsonSyntax, message, at: location)
    }

    // MARK: Elements

    /// The next value, nil at the end. Throws ``Failure`` for an element that could not be parsed (the stream
    /// stays usable: call again for the next element).
    public mutating func next() throws(Failure) -> Element? {
        switch layout {
        case .lines: return try nextLine()
        case .document: return try nextInDocument()
        }
    }

    private mutating func nextLine() throws(Failure) -> Element? {
        while true {
            skipWhitespace()
            guard input.peek() != nil else { return nil }
            let start = here
            let elementIndex = index
            index += 1
            valueBytes = 0
            legacyLine = nil
            openContainers = 0
            if handsOnLines, let bytes = takeLine() {
                return Element(value: .null, location: start, index: elementIndex, line: bytes)
            }
            if let directDecoder, takeDirectly(directDecoder, depth: 0, restOfLine: true) {
                return Element(value: .null, location: start, index: elementIndex, decodedDirectly: true)
            }
            do throws(Diagnostic) {
                let value = try parseValue(depth: 0)
                skipWhitespace(stopAtNewline: true)
                if let byte = input.peek(), byte != 0x0A {
                    let location = here
                    skipRestOfLine()
                    throw syntaxError("unexpected text after the value on this line", at: location)
                }
                return Element(value: value, location: start, index: elementIndex, legacyEncodingLine: legacyLine)
            } catch let diagnostic {
                // An object whose `}` was lost ran into the next line's object: that line is the next value.
                if !(openContainers == 1 && line > start.line && column == start.column
                    && input.peek() == UInt8(ascii: "{"))
                {
                    skipRestOfLine()
                }
                throw Failure(diagnostic: diagnostic, index: elementIndex)
            }
        }
    }

    /// How many bytes ``takeDirectly(_:depth:restOfLine:)`` has buffered ahead of an element it offers.
    static let directWindow = 1 << 15

    /// Offers the element that starts here (at the first byte of its value) to `direct`, when the element is
    /// within the nesting limit with all the levels the decoder may read; consumes it when the decoder takes it
    /// and it fits the record-size limit, and, with `restOfLine`, only white space follows on its line (what
    /// ``nextLine()`` then skips: the line break is left for the next element).
    private mutating func takeDirectly(_ direct: DirectDecoder, depth: Int, restOfLine: Bool) -> Bool {
        guard depth + direct.nesting <= maxDepth else { return false }
        let startLine = line
        let startColumn = column
        let limit = maxValueBytes
        var taken: DirectEnd?
        // An element cut by the buffer's end is left to the usual way: with this much buffered ahead of each one
        // offered, only an element larger than that can meet the end (the usual way reads the same bytes).
        input.fill(minimum: Self.directWindow)
        _ = input.consumeBuffered { chunk in
            guard var found = direct.decode(chunk, startLine, startColumn), found.end <= limit else { return 0 }
            if restOfLine {
                var index = found.end
                while index < chunk.count, chunk[index] == 0x20 || chunk[index] == 0x09 || chunk[index] == 0x0D {
                    index &+= 1
                }
                // The line's end must be in the chunk (the end of the input is left to the usual way).
                guard index < chunk.count, chunk[index] == 0x0A else { return 0 }
                found.column &+= index &- found.end
                found.end = index
            }
            taken = found
            return found.end
        }
        guard let taken else { return false }
        valueBytes &+= taken.end
        line = taken.line
        column = taken.column
        return true
    }

    /// The line that starts here (at the first byte of its value) up to its line break included, consumed up to
    /// the line break (which the next element's white space takes), when it holds one well-formed object, its
    /// line break is in the buffer and it is within the record-size limit; else nil, and nothing is consumed.
    private mutating func takeLine() -> [UInt8]? {
        let limit = maxValueBytes
        let depth = maxDepth
        let refused = keyNotHandedOn
        var bytes: [UInt8]?
        _ = input.consumeBuffered { chunk in
            let window = UnsafeBufferPointer(rebasing: chunk[..<min(chunk.count, limit)])
            guard let end = Self.endOfLineHoldingOneObject(window, maxDepth: depth, refusedKey: refused) else { return 0 }
            bytes = Array(window[...end])
            return end
        }
        return bytes
    }

    /// The array element that starts here (at its `{`), consumed, when it is one well-formed object
    /// (``endOfObject(_:maxDepth:refusedKey:)``) nested within the limit (the element is at depth 1) that ends in
    /// the buffer within the record-size limit; else nil, and nothing is consumed. The line and column move past
    /// it as parsing it would move them.
    private mutating func takeElement() -> [UInt8]? {
        let limit = maxValueBytes
        let depth = maxDepth &- 1
        let refused = keyNotHandedOn
        var bytes: [UInt8]?
        var passed = (end: 0, newlines: 0, afterLastNewline: 0)
        input.fill(minimum: Self.directWindow)
        _ = input.consumeBuffered { chunk in
            let window = UnsafeBufferPointer(rebasing: chunk[..<min(chunk.count, limit)])
            guard let found = Self.endOfObject(window, maxDepth: depth, refusedKey: refused) else { return 0 }
            bytes = Array(window[..<found.end])
            passed = (
                found.end, found.newlines,
                Self.scalarCount(UnsafeBufferPointer(rebasing: window[found.lastLineStart..<found.end]))
            )
            return found.end
        }
        guard let bytes else { return nil }
        valueBytes &+= passed.end
        Self.pass(passed, newlines: &line, column: &column)
        return bytes
    }

    private mutating func skipRestOfLine() {
        while let byte = input.peek(), byte != 0x0A { _ = advance() }
    }

    private mutating func nextInDocument() throws(Failure) -> Element? {
        switch state {
        case .done:
            return nil
        case .start:
            skipWhitespace()
            guard let first = input.peek() else {
                state = .done
                return nil
            }
            if first == UInt8(ascii: "[") {
                _ = advance()
                state = .inArray
                skipWhitespace()
                if input.peek() == UInt8(ascii: "]") {
                    _ = advance()
                    finishDocument()
                    return nil
                }
                return try nextArrayElement()
            }
            state = .single
            let start = here
            valueBytes = 0
            legacyLine = nil
            do throws(Diagnostic) {
                let value = try parseValue(depth: 0)
                finishDocument()
                return Element(value: value, location: start, index: 0, legacyEncodingLine: legacyLine)
            } catch let diagnostic {
                state = .done
                throw Failure(diagnostic: diagnostic, index: 0)
            }
        case .inArray:
            skipWhitespace()
            if resumeAtElement {
                resumeAtElement = false
                return try nextArrayElement()
            }
            guard let byte = input.peek() else {
                state = .done
                let message: String
                if let from = arrayLayout.skippedToEnd {
                    // Not necessarily a missing `]`: the skip may have passed it.
                    message = "the input ended while skipping the damaged element (from line \(from.line), column "
                        + "\(from.column)): either the input is cut short or the damage hid where that element "
                        + "ends, and whatever followed it is lost"
                } else {
                    message = "the array is not closed: `]` expected"
                }
                throw Failure(diagnostic: syntaxError(message, at: here), index: index)
            }
            if byte == UInt8(ascii: "]") {
                _ = advance()
                finishDocument()
                return nil
            }
            guard byte == UInt8(ascii: ",") else {
                if let opener = elementOpener, byte == opener {
                    // The `,` between two elements is missing: report it and read the next element from here.
                    resumeAtElement = true
                    throw Failure(
                        diagnostic: syntaxError("`,` expected before the next array element", at: here), index: index)
                }
                let location = here
                // When the element's `}` started this line, the skip knows how the line starts.
                let lineStart: (byte: UInt8, column: Int)? =
                    line == lastElementEnd.line && lastElementEnd.column == elementColumn
                    ? (UInt8(ascii: "}"), lastElementEnd.column) : (0, 0)
                lastElementEnd = (0, 0)
                skipElement(resyncHere: false, lineFirst: lineStart)
                throw Failure(
                    diagnostic: syntaxError("`,` or `]` expected after an array element", at: location), index: index)
            }
            _ = advance()
            skipWhitespace()
            if input.peek() == UInt8(ascii: "]") {
                streamDiagnostics.append(.warning(.jsonSyntax, "trailing comma before `]`", at: here))
                _ = advance()
                finishDocument()
                return nil
            }
            return try nextArrayElement()
        case .single:
            state = .done
            return nil
        }
    }

    private mutating func nextArrayElement() throws(Failure) -> Element? {
        let start = here
        let elementIndex = index
        index += 1
        valueBytes = 0
        legacyLine = nil
        openContainers = 0
        let isFirst = elementColumn == nil
        if isFirst {
            elementColumn = start.column
            elementOpener = input.peek() == UInt8(ascii: "{") ? UInt8(ascii: "{") : nil
            if elementOpener != nil { learnSignature() }
        }
        if handsOnElements, let bytes = takeElement() {
            lastElementEnd = (line, column - 1)
            return Element(value: .null, location: start, index: elementIndex, line: bytes)
        }
        if let directDecoder, takeDirectly(directDecoder, depth: 1, restOfLine: false) {
            lastElementEnd = (line, column - 1)
            return Element(value: .null, location: start, index: elementIndex, decodedDirectly: true)
        }
        let value: JSONValue
        do throws(Diagnostic) {
            value = try parseValue(depth: 1)
        } catch let diagnostic {
            // An element object cut short by the next element's `{` (its `}` lost): that one is read next. In a
            // pretty-printed array when it starts in the elements' column; on the element's own line (minified)
            // only when the elements' first name is not known: when it is, `skipElement` resumes at an object
            // that starts with it, and an object that does not (`"a":1,{"b":2}`) is junk in this element.
            skipElement(
                resyncHere: openContainers == 1
                    && (column == elementColumn || (line == start.line && elementSignature == nil)))
            lastElementEnd = (0, 0)
            throw Failure(diagnostic: diagnostic, index: elementIndex)
        }
        let previousEnd = lastElementEnd
        lastElementEnd = (line, column - 1)
        if case .string(let name) = value, elementOpener != nil {
            skipWhitespace()
            if input.peek() == UInt8(ascii: ":") {
                // A member where an element should start: a stray `}` ended the element before early. The rest
                // of that object's members are skipped (with the object still open).
                let location = previousEnd.line > 0
                    ? SourceLocation(file: input.fileName, line: previousEnd.line, column: previousEnd.column)
                    : start
                lastElementEnd = (0, 0)
                openContainers = 1
                skipElement(resyncHere: false)
                throw Failure(
                    diagnostic: syntaxError(
                        "stray `}`: the element ended here, but members follow (from \"\(name)\" at line "
                            + "\(start.line), column \(start.column)); they are skipped", at: location),
                    index: elementIndex)
            }
        }
        return Element(value: value, location: start, index: elementIndex, legacyEncodingLine: legacyLine)
    }

    private mutating func finishDocument() {
        state = .done
        skipWhitespace()
        if input.peek() != nil {
            streamDiagnostics.append(.error(.jsonSyntax, "unexpected text after the end of the JSON document", at: here))
        }
    }

    /// Skips to just before the `,` or `]` that ends the current array element, tracking strings and nesting,
    /// or to where the layout shows the next element starts (see the type's documentation).
    /// - Parameters:
    ///   - resyncHere: the next element starts right here (set ``resumeAtElement`` if the byte agrees).
    ///   - lineFirst: the first byte other than white space on the current line and its column, when known.
    private mutating func skipElement(resyncHere: Bool, lineFirst startLine: (byte: UInt8, column: Int)? = (0, 0)) {
        let from = (line: line, column: column)
        defer {
            if input.peek() == nil, (line, column) != from { arrayLayout.skippedToEnd = from }
        }
        var depth = openContainers
        openContainers = 0
        var inString = failedInsideString
        failedInsideString = false
        if resyncHere, let opener = elementOpener, input.peek() == opener {
            resumeAtElement = true
            return
        }
        // Also where an element begins as the array's first one did (after at least one byte of this one, so
        // that the next read makes progress).
        if valueBytes > 0, signatureFollows(from: 0) {
            resumeAtElement = true
            return
        }
        // The first byte other than white space on the current line and on the line before, with its column.
        var lineFirst = startLine
        var previousLineFirst: (byte: UInt8, column: Int)?
        // The two readings that ignore line breaks (see `BlindReading`): the error left the reader inside a
        // string, or outside one. Only for arrays of objects, whose elements end with `}`.
        var insideReading = BlindReading(inString: true, depth: depth)
        var outsideReading = BlindReading(inString: false, depth: depth)
        let blind = elementOpener == UInt8(ascii: "{")
        while let byte = input.peek() {
            if blind {
                let insideCloses = insideReading.closesElement(byte)
                let outsideCloses = outsideReading.closesElement(byte)
                if insideCloses || outsideCloses, elementBoundaryFollows() {
                    _ = advance()  // the element's `}`: the caller goes on from the `,` or `]` after it
                    return
                }
                if byte == UInt8(ascii: ","), signatureFollows(from: 1) { return }
            }
            if inString {
                _ = advance()
                if byte == UInt8(ascii: "\\") {
                    _ = advance()
                } else if byte == UInt8(ascii: "\"") || byte == 0x0A {
                    inString = false
                    if byte == 0x0A {
                        previousLineFirst = lineFirst
                        lineFirst = nil
                    }
                }
                continue
            }
            switch byte {
            case 0x0A:
                previousLineFirst = lineFirst
                lineFirst = nil
            case 0x20, 0x09, 0x0D:
                break
            default:
                if lineFirst == nil {
                    if let opener = elementOpener, byte == opener, column == elementColumn,
                        let before = previousLineFirst, before.byte == UInt8(ascii: "}"), before.column == column
                    {
                        resumeAtElement = true
                        return
                    }
                    lineFirst = (byte, column)
                }
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "]"):
                if depth == 0 { return }  // the end of the top-level array
                depth -= 1
            case UInt8(ascii: "}"):
                // A stray `}` at the element's level is skipped; returning here would not make progress.
                if depth > 0 { depth -= 1 }
            case UInt8(ascii: ","):
                // In an array of objects, only a `,` before the next object (or the array's `]`) ends the
                // element: after a stray `]` or `}` the rest of the element's members would each make an element.
                if depth == 0 && (!blind || nextElementFollowsComma()) { return }
            default:
                break
            }
            _ = advance()
        }
    }

    /// Whether the first byte after the `,` just peeked, past white space, opens the next element like the
    /// first one (or is the array's `]`, a trailing comma). Looks at most 256 bytes ahead.
    private func nextElementFollowsComma() -> Bool {
        let offset = Self.skippingSpace(input, from: 1)
        let byte = input.peek(at: offset)
        return byte == nil || byte == elementOpener || byte == UInt8(ascii: "]")
    }

    /// Whether the bytes after the `}` just peeked show the end of an element of an array of objects: a `,`, the
    /// next element's `{` and a member name (or its `}`); or the array's `]` and then the end of the input; or
    /// the end of the input itself. White space may come between; looks at most 256 bytes ahead.
    private func elementBoundaryFollows() -> Bool {
        var offset = Self.skippingSpace(input, from: 1)
        guard let byte = input.peek(at: offset) else { return true }
        if byte == UInt8(ascii: "]") {
            offset = Self.skippingSpace(input, from: offset + 1)
            return input.peek(at: offset) == nil
        }
        guard byte == UInt8(ascii: ",") else { return false }
        offset = Self.skippingSpace(input, from: offset + 1)
        guard input.peek(at: offset) == UInt8(ascii: "{") else { return false }
        offset = Self.skippingSpace(input, from: offset + 1)
        let first = input.peek(at: offset)
        return first == UInt8(ascii: "\"") || first == UInt8(ascii: "}")
    }

    /// Whether an object whose first member name is that of the array's first element (`elementSignature`)
    /// starts at `offset`, white space before and between allowed: `{"id":` when the first element began so.
    /// Nested objects rarely begin with the name the records begin with, and the bytes `{"id":` cannot be
    /// inside a string (its quotes would be escaped), so this holds whatever the string state and nesting.
    private func signatureFollows(from offset: Int) -> Bool {
        guard let signature = elementSignature else { return false }
        var offset = Self.skippingSpace(input, from: offset)
        guard input.peek(at: offset) == UInt8(ascii: "{") else { return false }
        offset = Self.skippingSpace(input, from: offset + 1)
        for byte in signature {
            guard input.peek(at: offset) == byte else { return false }
            offset += 1
        }
        return input.peek(at: Self.skippingSpace(input, from: offset)) == UInt8(ascii: ":")
    }

    /// The first member name of the array's first element, in quotes, read ahead before that element is parsed
    /// (once per array, so that it is known even when the first element is the damaged one), when it is
    /// printable ASCII without escapes and at most 64 bytes (see `signatureFollows`).
    private func learnSignature() {
        var offset = Self.skippingSpace(input, from: 1)
        guard input.peek(at: offset) == UInt8(ascii: "\"") else { return }
        var signature: [UInt8] = [UInt8(ascii: "\"")]
        offset += 1
        while let byte = input.peek(at: offset), byte != UInt8(ascii: "\""), signature.count <= 64 {
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return }
            signature.append(byte)
            offset += 1
        }
        guard input.peek(at: offset) == UInt8(ascii: "\""), signature.count > 1, signature.count <= 65 else { return }
        signature.append(UInt8(ascii: "\""))
        guard input.peek(at: Self.skippingSpace(input, from: offset + 1)) == UInt8(ascii: ":") else { return }
        elementSignature = signature
    }

    /// The offset of the first byte at or after `offset` that is not white space, going no further than 256.
    private static func skippingSpace(_ input: ByteReader, from offset: Int) -> Int {
        var offset = offset
        while offset < 256, let byte = input.peek(at: offset),
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        {
            offset += 1
        }
        return offset
    }

    /// One reading of the bytes after a syntax error, for finding where the damaged element ends when line
    /// breaks tell nothing (a minified array: all of it on one line). After an unterminated string, or a raw
    /// line break or control character inside one, it is not known whether the error left the reader inside a
    /// string: the parser may have taken a string's opening quote for the closing quote of the one left open.
    /// So the skip follows two readings, one starting inside a string and one outside, each counting `{`/`[`
    /// and `}`/`]` outside its strings, a line break being an ordinary byte. The reading that guessed right
    /// counts the element's structure; the other sees its strings' text as structure, where brackets are rare.
    /// A reading ends the element at a `}` that takes it back to the array's level or below (below: a stray
    /// closing bracket was counted) when the bytes after it are those of an element boundary (see
    /// `elementBoundaryFollows`): `},{"` or `}, {"`, `}]` at the end of the input.
    private struct BlindReading {
        var inString: Bool
        var escaped = false
        var depth: Int

        /// Takes `byte`; true when it is a `}` outside a string that leaves this reading at the array's level.
        @inline(__always)
        mutating func closesElement(_ byte: UInt8) -> Bool {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                return false
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: "}"):
                depth -= 1
                return depth <= 0
            default:
                break
            }
            return false
        }
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(Diagnostic) -> JSONValue {
        skipWhitespace()
        guard depth <= maxDepth else {
            throw Diagnostic.error(.nestingTooDeep, "JSON nesting deeper than \(maxDepth) levels", at: here)
        }
        guard valueBytes <= maxValueBytes else {
            throw Diagnostic.error(.recordTooLarge, "record larger than \(maxValueBytes) bytes", at: here)
        }
        guard let byte = input.peek() else {
            throw syntaxError("unexpected end of input: a value was expected", at: here)
        }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw syntaxError("unexpected character \(describe(byte)): a JSON value was expected", at: here)
        }
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(Diagnostic) -> JSONValue {
        let startLine = line
        let startColumn = column
        var matched = true
        word.withUTF8Buffer { expected in
            for byte in expected {
                if input.peek() == byte {
                    _ = advance()
                } else {
                    matched = false
                    return
                }
            }
        }
        guard matched else {
            throw syntaxError(
                "invalid literal: `\(word)` expected",
                at: SourceLocation(file: input.fileName, line: startLine, column: startColumn))
        }
        return value
    }

    private mutating func parseNumber() throws(Diagnostic) -> JSONValue {
        let startLine = line
        let startColumn = column
        var start: SourceLocation { SourceLocation(file: input.fileName, line: startLine, column: startColumn) }
        // The number's bytes go into the buffer strings use (no allocation per number).
        stringBytes.removeAll(keepingCapacity: true)
        while let byte = input.peek() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard valueBytes <= maxValueBytes else {
                    throw Diagnostic.error(.recordTooLarge, "record larger than \(maxValueBytes) bytes", at: start)
                }
                stringBytes.append(byte)
                _ = advance()
            default:
                return try validatedNumber(stringBytes, at: start)
            }
        }
        return try validatedNumber(stringBytes, at: start)
    }

    private func validatedNumber(_ bytes: [UInt8], at start: @autoclosure () -> SourceLocation) throws(Diagnostic)
        -> JSONValue
    {
        guard bytes.withUnsafeBufferPointer(Self.isNumber) else {
            throw syntaxError("invalid number `\(String(decoding: bytes, as: UTF8.self))`", at: start())
        }
        return .number(bytes.withUnsafeBufferPointer { UTF8Strings.string(validUTF8: $0, ascii: true) })  // ASCII grammar
    }

    /// Whether `bytes` are a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    package static func isNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        func digits() -> Int {
            let begin = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - begin
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        let intDigits = digits()
        guard intDigits > 0, !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")) else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    private mutating func parseString(isKey: Bool = false) throws(Diagnostic) -> String {
        do throws(Diagnostic) {
            return try parseStringBody(isKey: isKey)
        } catch {
            failedInsideString = true
            throw error
        }
    }

    /// - Parameter isKey: a member name, looked up among the names made before (see ``Shapes/key(_:)``).
    private mutating func parseStringBody(isKey: Bool) throws(Diagnostic) -> String {
        let startLine = line
        let startColumn = column
        var start: SourceLocation { SourceLocation(file: input.fileName, line: startLine, column: startColumn) }
        _ = advance()  // opening quote
        // Fast path: the whole string lies in the input's buffer with no escape, the usual case. It becomes a
        // String straight from that buffer, without passing through `stringBytes`.
        var direct: String?
        var directLegacy = false
        _ = input.consumeBuffered { chunk in
            let scan = Self.scanPlain(chunk, from: 0)
            // A string at the record-size limit goes the general way, which stops inside it.
            guard scan.end < chunk.count, chunk[scan.end] == UInt8(ascii: "\""),
                valueBytes &+ scan.end <= maxValueBytes
            else { return 0 }
            let body = UnsafeBufferPointer(rebasing: chunk[..<scan.end])
            if scan.high < 0x80 {
                // The scan saw every byte below 0x80: nothing to check again.
                direct = isKey && scan.end <= 24 ? shapes.key(body) : UTF8Strings.string(validUTF8: body, ascii: true)
            } else if let text = UTF8Strings.validating(body) {
                direct = text
            } else {
                directLegacy = true
                direct = TextDecoding.decodeWindows1252(Array(body))
            }
            column += scan.columns + 1
            valueBytes &+= scan.end + 1
            return scan.end + 1
        }
        if let direct {
            if directLegacy && legacyLine == nil { legacyLine = startLine }
            return direct
        }
        // The general path: the string's bytes go into a buffer kept between strings (no allocation per
        // string); `high` tells whether any byte is non-ASCII, so that pure ASCII skips the UTF-8 validation.
        stringBytes.removeAll(keepingCapacity: true)
        var high: UInt8 = 0
        while true {
            // The run of plain bytes (no quote, backslash or control character) taken straight from the input's
            // buffer. Plain bytes hold no line break, so only the column moves.
            var runLength = 0
            var runColumns = 0
            var runHigh: UInt8 = 0
            var exhausted = false
            let more = input.consumeBuffered { chunk in
                let scan = Self.scanPlain(chunk, from: 0)
                runHigh = scan.high
                runColumns = scan.columns
                stringBytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[..<scan.end]))
                runLength = scan.end
                exhausted = scan.end == chunk.count
                return scan.end
            }
            guard more else { throw syntaxError("unterminated string", at: start) }
            column += runColumns
            valueBytes &+= runLength
            high |= runHigh
            // One string can be the whole record: hold the limit here too, not only between values (checked while
            // still inside the string, which is where recovery then starts).
            guard valueBytes <= maxValueBytes else {
                throw Diagnostic.error(.recordTooLarge, "record larger than \(maxValueBytes) bytes", at: start)
            }
            if exhausted { continue }
            // Slow path: the quote, backslash or control character that ended the run.
            guard let byte = input.peek() else {
                throw syntaxError("unterminated string", at: start)
            }
            if byte < 0x20 {
                throw syntaxError("control character in string (line breaks must be written as \\n)", at: here)
            }
            let byteLocation = here
            _ = advance()
            switch byte {
            case UInt8(ascii: "\""):
                if high < 0x80 { return stringBytes.withUnsafeBufferPointer { UTF8Strings.string(validUTF8: $0, ascii: true) } }
                if let text = stringBytes.withUnsafeBufferPointer(UTF8Strings.validating) { return text }
                if legacyLine == nil { legacyLine = startLine }
                return TextDecoding.decodeWindows1252(stringBytes)
            case UInt8(ascii: "\\"):
                let escapeLocation = byteLocation
                guard let escaped = advance() else { throw syntaxError("unterminated string", at: start) }
                switch escaped {
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4(at: escapeLocation)
                    if (0xD800...0xDBFF).contains(scalar) {
                        if input.peek() == UInt8(ascii: "\\"), input.peek(at: 1) == UInt8(ascii: "u") {
                            _ = advance()
                            _ = advance()
                            let low = try parseHex4(at: escapeLocation)
                            if (0xDC00...0xDFFF).contains(low) {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                stringBytes.append(contentsOf: UTF8.encode("\u{FFFD}")!)
                                scalar = low
                            }
                        } else {
                            scalar = 0xFFFD
                        }
                    }
                    let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    stringBytes.append(contentsOf: UTF8.encode(value)!)
                    high |= 0x80
                default:
                    guard let unescaped = Self.unescaped(escaped) else {
                        throw syntaxError("invalid escape `\\\(Character(Unicode.Scalar(escaped)))` in string", at: escapeLocation)
                    }
                    stringBytes.append(unescaped)
                }
            default:
                high |= byte
                stringBytes.append(byte)
            }
        }
    }

    /// The byte a one-letter escape stands for (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`); nil for any other
    /// letter, `u` included.
    @inline(__always)
    package static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return letter
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }

    /// Scans `chunk` from `start` up to the first quote, backslash or control character (or the end): returns
    /// where it stopped, the OR of the bytes passed (non-ASCII when >= 0x80) and how many columns (Unicode
    /// scalars) they make. Eight bytes at a time, non-ASCII included; byte by byte only for the last few bytes
    /// and the eight that hold the byte it stops at.
    @inline(__always)
    @usableFromInline
    package static func scanPlain(_ chunk: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, high: UInt8, columns: Int) {
        guard let base = chunk.baseAddress else { return (start, 0, 0) }
        let count = chunk.count
        var index = start
        var highBits: UInt64 = 0
        var columns = 0
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index &+ 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let special = specialBytes(word)
            if special != 0 {
                // The bytes before the first special one, taken as a part word.
                let plainBytes = special.trailingZeroBitCount &>> 3
                let part = word & ((1 &<< UInt64(plainBytes &* 8)) &- 1)
                let continuation = part & ~(part << 1) & highs
                columns &+= plainBytes &- continuation.nonzeroBitCount
                highBits |= part
                return (index &+ plainBytes, highBits & highs != 0 ? 0x80 : 0, columns)
            }
            // Columns: one per byte that does not continue a multi-byte character (10xxxxxx); eight for ASCII
            // (most words), without counting bits.
            if word & highs == 0 {
                columns &+= 8
            } else {
                let continuation = word & ~(word << 1) & highs
                columns &+= 8 &- continuation.nonzeroBitCount
            }
            highBits |= word
            index &+= 8
        }
        var high: UInt8 = highBits & highs != 0 ? 0x80 : 0
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            high |= byte
            if byte & 0xC0 != 0x80 { columns &+= 1 }
            index &+= 1
        }
        return (index, high, columns)
    }

    /// The high bit of each byte of `word` (eight bytes, little-endian) that is a quote, a backslash or below
    /// 0x20; bytes of 0x80 and above are never special. Exact for the lowest such byte (a borrow that sets a
    /// wrong bit comes only from a special byte below it), which is all a scan needs.
    @inline(__always)
    package static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (word &- ones &* 0x20)) & ~word
            & (ones &* 0x80)
    }

    /// Where the first quote, backslash or control character at or after `start` in `bytes` is (`bytes.count`
    /// when there is none): ``scanPlain(_:from:)`` without the columns and the non-ASCII bit.
    @inline(__always)
    package static func firstSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let count = bytes.count
        var index = start
        while index &+ 8 <= count {
            let special = specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)))
            if special != 0 { return index &+ special.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            index &+= 1
        }
        return count
    }

    private mutating func parseHex4(at location: SourceLocation) throws(Diagnostic) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = advance() else { throw syntaxError("incomplete \\u escape", at: location) }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 0x41 + 10)
            default: throw syntaxError("invalid \\u escape", at: location)
            }
            value = value << 4 | digit
        }
        return value
    }

    private mutating func parseArray(depth: Int) throws(Diagnostic) -> JSONValue {
        _ = advance()
        openContainers += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if input.peek() == UInt8(ascii: "]") {
            _ = advance()
            openContainers -= 1
            return .array(elements)
        }
        let level = min(depth, Shapes.levels - 1)
        elements.reserveCapacity(shapes.elements[level])
        while true {
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard let byte = input.peek() else { throw syntaxError("unterminated array: `]` expected", at: here) }
            guard byte == UInt8(ascii: "]") || byte == UInt8(ascii: ",") else {
                throw syntaxError("`,` or `]` expected in array, found \(describe(byte))", at: here)
            }
            _ = advance()
            if byte == UInt8(ascii: "]") {
                openContainers -= 1
                shapes.elements[level] = min(elements.count, 256)
                return .array(elements)
            }
        }
    }

    /// The name of the member that starts at the quote just peeked and its `:`, with its value when
    /// ``plainMember(depth:)`` could take it (else `text` is nil and the value is next). Kept out of
    /// ``parseObject(depth:)``, whose frame is on the stack once per level of nesting (512 levels must fit in a
    /// debug build's 8 MB).
    private mutating func memberHead(depth: Int) throws(Diagnostic) -> (key: String, text: String?) {
        if let member = plainMember(depth: depth) { return member }
        let key = try parseString(isKey: true)
        skipWhitespace()
        guard input.peek() == UInt8(ascii: ":") else {
            throw syntaxError("`:` expected after member name \"\(key)\"", at: here)
        }
        _ = advance()
        return (key, nil)
    }

    /// The member that starts at the quote just peeked, read in one pass over the input's buffer when it is plain:
    /// an ASCII name without escapes, `:` (white space around it allowed), and a string without escapes or
    /// control characters whose bytes are valid UTF-8 (`text`), or the first byte of another kind of value or
    /// of a string that does not end in the buffer (`text` nil: the caller parses the value from there).
    /// Anything else (an escape, a name or `:` cut by the buffer's end, text that is not UTF-8, the nesting or
    /// record-size limit within reach) takes nothing and gives nil, and the member is read the general way, so
    /// every diagnostic stays where that way puts it. It takes what those steps would: the same bytes, lines
    /// and columns.
    private mutating func plainMember(depth: Int) -> (key: String, text: String?)? {
        guard depth + 1 <= maxDepth, valueBytes <= maxValueBytes else { return nil }
        let budget = maxValueBytes &- valueBytes
        let startColumn = column
        var result: (key: String, text: String?, taken: Int, newlines: Int, column: Int)?
        let shapes = shapes
        _ = input.consumeBuffered { chunk in
            guard let head = Self.scanMemberHead(chunk, column: startColumn), head.valueStart <= budget,
                let base = chunk.baseAddress
            else { return 0 }
            let nameBody = UnsafeBufferPointer(rebasing: chunk[1..<head.nameEnd])
            let key = head.nameEnd &- 1 <= 24
                ? shapes.key(nameBody) : UTF8Strings.string(validUTF8: nameBody, ascii: true)  // an ASCII name
            // A string value that ends in the buffer and fits the record-size limit; else only the name.
            let count = chunk.count
            if head.valueStart < count, base[head.valueStart] == UInt8(ascii: "\"") {
                let text = Self.scanPlain(chunk, from: head.valueStart &+ 1)
                if text.end < count, base[text.end] == UInt8(ascii: "\""), text.end &+ 1 <= budget {
                    let body = UnsafeBufferPointer(rebasing: chunk[(head.valueStart &+ 1)..<text.end])
                    let string: String
                    if text.high < 0x80 {
                        string = UTF8Strings.string(validUTF8: body, ascii: true)
                    } else if let valid = UTF8Strings.validating(body) {
                        string = valid
                    } else {
                        return 0  // read as Windows-1252 the general way, which notes the line
                    }
                    result = (key, string, text.end &+ 1, head.newlines, head.column &+ text.columns &+ 2)
                    return text.end &+ 1
                }
            }
            result = (key, nil, head.valueStart, head.newlines, head.column)
            return head.valueStart
        }
        guard let result else { return nil }
        valueBytes &+= result.taken
        line &+= result.newlines
        column = result.column
        return (result.key, result.text)
    }

    /// The start of a member in `chunk` (whose first byte is the name's opening quote): an ASCII name without
    /// escapes, white space, `:` and white space, all in the chunk. Returns where the name's closing quote is,
    /// where the value starts, the line breaks passed and the column there (from `column` at the opening
    /// quote); nil when the member does not start so.
    @inline(__always)
    static func scanMemberHead(_ chunk: UnsafeBufferPointer<UInt8>, column start: Int)
        -> (nameEnd: Int, valueStart: Int, newlines: Int, column: Int)?
    {
        guard let base = chunk.baseAddress else { return nil }
        let count = chunk.count
        let name = scanPlain(chunk, from: 1)
        guard name.end < count, base[name.end] == UInt8(ascii: "\""), name.high < 0x80 else { return nil }
        var column = start &+ name.columns &+ 2
        var newlines = 0
        var index = name.end &+ 1
        var space = scanSpace(UnsafeBufferPointer(rebasing: chunk[index...]))
        index &+= space.end
        pass(space, newlines: &newlines, column: &column)
        guard index < count, base[index] == UInt8(ascii: ":") else { return nil }
        index &+= 1
        column &+= 1
        space = scanSpace(UnsafeBufferPointer(rebasing: chunk[index...]))
        index &+= space.end
        pass(space, newlines: &newlines, column: &column)
        return (name.end, index, newlines, column)
    }

    private mutating func parseObject(depth: Int) throws(Diagnostic) -> JSONValue {
        _ = advance()
        openContainers += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if input.peek() == UInt8(ascii: "}") {
            _ = advance()
            openContainers -= 1
            return .object(members)
        }
        let level = min(depth, Shapes.levels - 1)
        members.reserveCapacity(shapes.members[level])
        while true {
            skipWhitespace()
            let keyLine = line
            let keyColumn = column
            guard input.peek() == UInt8(ascii: "\"") else {
                throw syntaxError("a quoted member name was expected", at: here)
            }
            let head = try memberHead(depth: depth)
            let value: JSONValue
            if let text = head.text {
                value = .string(text)
            } else {
                value = try parseValue(depth: depth + 1)
            }
            members.append(JSONMember(key: head.key, value: value, line: keyLine, column: keyColumn))
            skipWhitespace()
            guard let byte = input.peek() else { throw syntaxError("unterminated object: `}` expected", at: here) }
            guard byte == UInt8(ascii: "}") || byte == UInt8(ascii: ",") else {
                throw syntaxError("`,` or `}` expected in object, found \(describe(byte))", at: here)
            }
            _ = advance()
            if byte == UInt8(ascii: "}") {
                openContainers -= 1
                shapes.members[level] = min(members.count, 256)
                return .object(members)
            }
        }
    }
}

extension Diagnostic: Error {}

extension DiagnosticCode {
    /// JSON that is not well-formed.
    public static let jsonSyntax: DiagnosticCode = "json.syntax"
}
