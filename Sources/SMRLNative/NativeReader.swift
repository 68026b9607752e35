public import SMRLCore

/// Reads `smrl-json` (a top-level array of record objects, or a single record object) or `smrl-ndjson` (one
/// record object per line) one record at a time, in the memory of the largest record.
///
/// Every element of the array (or line) gives one ``ReadResult``:
/// - JSON that is not well-formed: `json.syntax` at the offending line:column, no record; the reader resumes at
///   the next element (the next `,` at the array's level, or the next line);
/// - an element that is not an object: `smrl-json.not-an-object`, no record;
/// - an object: a record, with `fieldLocations` giving where each top-level key starts, and a diagnostic for
///   each value it could not map (see ``NativeMapping``), which is kept in `extra["smrl-json"]`.
///
/// Record diagnostics carry the file, line, column (Unicode scalars) and the record's index and id. Notes about
/// the input as a whole (a byte-order mark, UTF-16) come with the first result; remarks found after the last
/// record (text after the closing `]`, a trailing comma) come in a last result without a record.
public struct NativeReader: StagedRecordReader {
    private var stream: JSONStreamReader
    private let input: ByteReader
    /// Encoding notes (BOM removed, UTF-16), reported with the first result.
    private var pendingNotes: [Diagnostic]
    private var finished = false
    /// Reads plain record objects straight into records (nil: every element goes the usual route).
    private let direct: NativeDirectDecoder?
    /// How many elements were decoded directly (for the tests).
    package private(set) var decodedDirectly = 0
    /// How many lines were handed on unparsed (``handOnPending(_:)``; for the tests).
    package private(set) var handedOn = 0
    private let options: ReaderOptions

    /// - Parameter lines: true for `smrl-ndjson` (one value per line), false for `smrl-json`.
    public init(input: ByteReader, lines: Bool, options: ReaderOptions = ReaderOptions()) {
        self.init(input: input, lines: lines, options: options, decodingDirectly: true)
    }

    /// A reader of one line handed on, through the tree route (``read(_:at:index:notes:options:directly:)``).
    private init(stream: JSONStreamReader, input: ByteReader, options: ReaderOptions) {
        self.input = input
        self.options = options
        self.stream = stream
        pendingNotes = []
        direct = nil
    }

    /// - Parameter decodingDirectly: false reads every element the usual route (parsed into a ``JSONValue``,
    ///   then mapped): what the tests compare the direct decoding with.
    package init(input: ByteReader, lines: Bool, options: ReaderOptions = ReaderOptions(), decodingDirectly: Bool) {
        self.input = input
        self.options = options
        stream = JSONStreamReader(input: input, layout: lines ? .lines : .document, options: options)
        pendingNotes = input.encodingDiagnostics
        direct = decodingDirectly ? NativeDirectDecoder(file: input.fileName) : nil
        stream.directDecoder = direct?.streamDecoder
    }

    /// While `handOn`, in `smrl-ndjson`, ``nextPending()`` only finds and checks a line that holds one well-formed
    /// object (a small part of reading it), and ``PendingRecord/complete()`` reads it, directly or through the tree
    /// exactly as ``nextPending()`` would (``JSONStreamReader/init(line:at:index:options:)``), so that the other
    /// thread can take the reading on. `smrl-json` is one document: its elements are not lines and stay as they
    /// are.
    public mutating func handOnPending(_ handOn: Bool) {
        stream.handsOnLines = handOn
    }

    /// The next element. A plain record object (nearly every one in a feed) is decoded straight from the input's
    /// bytes into its record here (``NativeDirectDecoder``): the pending record is already complete. Any other
    /// element is parsed here (the in-order part: the JSON tokens) and its mapping to a record is left to
    /// ``PendingRecord/complete()``, which the conversion pipeline may run on its other thread.
    ///
    /// Why the direct decoding stays on the reading thread rather than handing the element's bytes to the other:
    /// it is one pass that both finds the element's end and makes the record (finding the end alone for the other
    /// thread would be a second pass over the bytes, and an element that turns out not to be plain needs the
    /// stream, which has moved on, for its diagnostics and recovery). It leaves the reading thread about as much
    /// work as the writing thread has (writing, the ordered checks, and the independent checks whenever it has
    /// time for them), and no `JSONValue` tree crosses between the threads any more, only the records.
    public mutating func nextPending() throws -> PendingRecord? {
        guard !finished else { return nil }
        let element: JSONStreamReader.Element?
        do {
            element = try stream.next()
        } catch {
            var diagnostic = error.diagnostic
            diagnostic.recordIndex = error.index
            return PendingRecord(
                ReadResult(record: nil, location: diagnostic.location, diagnostics: takeNotes() + [diagnostic]))
        }
        guard let element else {
            finished = true
            // The source failed part way: the input is unreadable, the one reason to throw.
            if let error = input.readError { throw error }
            let trailing = takeNotes() + stream.streamDiagnostics
            guard !trailing.isEmpty else { return nil }
            return PendingRecord(ReadResult(record: nil, location: trailing.first?.location, diagnostics: trailing))
        }
        var diagnostics = takeNotes()
        if let line = element.line {
            handedOn += 1
            let options = options
            let decodingDirectly = direct != nil
            let location = element.location
            let index = element.index
            let found = diagnostics
            return PendingRecord(record: {
                Self.read(line, at: location, index: index, notes: found, options: options, directly: decodingDirectly)
            })
        }
        let notes = diagnostics.count
        if element.decodedDirectly, let decoded = direct?.take() {
            // No diagnostic of its own (the decoder takes only such elements): the notes stay unstamped.
            decodedDirectly += 1
            return PendingRecord(
                ReadResult(
                    record: decoded.record, location: element.location, diagnostics: diagnostics,
                    fieldLocationList: decoded.fieldLocations))
        }
        if let line = element.legacyEncodingLine {
            diagnostics.append(
                .warning(
                    .legacyEncoding, "text in this record is not UTF-8; it was decoded as Windows-1252",
                    at: SourceLocation(file: input.fileName, line: line, column: 1)))
        }
        guard case .object(let members) = element.value else {
            diagnostics.append(
                .error(
                    .nativeNotAnObject,
                    "a record must be a JSON object, found \(element.value.kindName); this element is skipped",
                    at: element.location))
            return PendingRecord(
                ReadResult(
                    record: nil, location: element.location,
                    diagnostics: Self.stamp(diagnostics, from: notes, index: element.index, id: nil)))
        }
        let file = input.fileName
        let location = element.location
        let index = element.index
        let found = diagnostics
        return PendingRecord(record: {
            let (record, fieldLocations, recordDiagnostics) = NativeMapping.read(members, file: file)
            return ReadResult(
                record: record, location: location,
                diagnostics: Self.stamp(found + recordDiagnostics, from: notes, index: index, id: record.id),
                fieldLocationList: fieldLocations)
        })
    }

    /// The result of a line handed on (``JSONStreamReader/Element/line``), the one ``nextPending()`` would have
    /// given for it where it was found: decoded directly when the decoder takes it, else parsed and mapped. The
    /// line holds one well-formed object, so there is always a record.
    private static func read(
        _ line: [UInt8], at location: SourceLocation, index: Int, notes: [Diagnostic], options: ReaderOptions,
        directly: Bool
    ) -> ReadResult {
        if directly {
            let decoder = NativeDirectDecoder(file: location.file)
            let end = line.withUnsafeBufferPointer { decoder.decode($0, line: location.line, column: location.column) }
            if end != nil, let decoded = decoder.take() {
                return ReadResult(
                    record: decoded.record, location: location, diagnostics: notes,
                    fieldLocationList: decoded.fieldLocations)
            }
        }
        var reader = NativeReader(
            stream: JSONStreamReader(line: line, at: location, index: index, options: options),
            input: ByteReader(bytes: [], fileName: location.file), options: options)
        reader.pendingNotes = notes
        // Never nil nor without a record for such a line; a result without one (only if the check let through a
        // line the parser refuses) still reports what went wrong rather than losing it.
        return (try? reader.nextPending()?.complete())
            ?? ReadResult(record: nil, location: location, diagnostics: notes)
    }

    private mutating func takeNotes() -> [Diagnostic] {
        defer { pendingNotes = [] }
        return pendingNotes
    }

    /// `diagnostics` with those from position `start` on given the record's index and id (the encoding notes
    /// before them concern the input, and stay as they are).
    private static func stamp(_ diagnostics: [Diagnostic], from start: Int, index: Int, id: String?) -> [Diagnostic] {
        var diagnostics = diagnostics
        for position in start..<diagnostics.count {
            diagnostics[position].recordIndex = index
            diagnostics[position].recordID = id
        }
        return diagnostics
    }
}
