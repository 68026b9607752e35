/// What a reader produces for each record it meets.
public struct ReadResult: Sendable {
    /// The record; nil when the reader met something it could not turn into a record (the diagnostics say why).
    public var record: Resource?
    /// Where the record starts in the input.
    public var location: SourceLocation?
    /// Where individual fields start, keyed by ``Resource`` key (`domains`, `doi`), when the reader knows it; the
    /// validator places its diagnostics there rather than at the record's start.
    public var fieldLocationList: FieldLocationList
    /// Problems and remarks about this record, or about input between records.
    public var diagnostics: [Diagnostic]

    // The public initializers are in an extension and call the memberwise one,
    // `init(record:location:fieldLocationList:diagnostics:)` (the properties' order gives it labels no public one
    // has): an initializer that sets each property made the result in a temporary, then copied it out and
    // destroyed the temporary, a retain and a release of every string of the record, 3.7M instructions on 2,000
    // BibTeX records.

    /// True when ``record`` is not nil. Ask this rather than `record != nil`: that compiles to `Optional`'s `==`
    /// of two records (`Resource` is `Equatable`), which copies the record to compare it with nil.
    @inlinable
    public var hasRecord: Bool {
        if case .some = record { return true }
        return false
    }

    /// ``fieldLocationList`` as a dictionary.
    public var fieldLocations: [String: SourceLocation] {
        get { fieldLocationList.dictionary }
        set { fieldLocationList = FieldLocationList(newValue) }
    }
}

extension ReadResult {
    public init(
        record: Resource?, location: SourceLocation?, diagnostics: [Diagnostic] = [],
        fieldLocations: [String: SourceLocation] = [:]
    ) {
        self.init(record: record, location: location, fieldLocationList: FieldLocationList(fieldLocations),
            diagnostics: diagnostics)
    }

    /// A result with its field locations as a list (what a reader that records them as it reads builds).
    public init(
        record: Resource?, location: SourceLocation?, diagnostics: [Diagnostic] = [],
        fieldLocationList: FieldLocationList
    ) {
        self.init(record: record, location: location, fieldLocationList: fieldLocationList, diagnostics: diagnostics)
    }
}

/// Reads records one at a time from a ``ByteReader``.
///
/// A reader never stops at a bad record: it reports it in ``ReadResult/diagnostics`` (with `record` nil when
/// nothing could be kept) and goes on with the next. It throws only when the input itself cannot be read. It
/// reports what its ``ByteReader`` found about the input's encoding (``ByteReader/encodingDiagnostics``: a
/// byte-order mark removed, UTF-16 transcoded) among its first results; nothing else reports them.
public protocol RecordReader {
    /// The next record, or nil at the end of the input.
    mutating func next() throws -> ReadResult?
}

/// A record a ``StagedRecordReader`` has found in its input but not yet interpreted: ``complete()`` gives its
/// ``ReadResult``, on any thread.
public struct PendingRecord: Sendable {
    private let body: @Sendable () -> ReadResult
    /// True when the result has a record (the pipeline numbers records before they are interpreted).
    public let hasRecord: Bool

    /// A record whose interpretation is `body`, which must need nothing of the reader (it may run on another
    /// thread while the reader goes on) and must give a result with a record.
    public init(record body: @escaping @Sendable () -> ReadResult) {
        self.body = body
        hasRecord = true
    }

    /// A result already known (a record that could not be read, a diagnostic between records).
    public init(_ result: ReadResult) {
        body = { result }
        hasRecord = result.hasRecord
    }

    /// The record's result.
    public func complete() -> ReadResult { body() }
}

/// A reader whose work splits in two: finding each record in the input, which must go in order, and
/// interpreting what it found, which needs nothing of the reader. Given such a reader, a two-thread conversion
/// interprets records on whichever thread has time (``ConversionPipeline``), so a conversion whose reading is the
/// slow part still uses both cores. ``next()`` is ``nextPending()`` completed at once.
public protocol StagedRecordReader: RecordReader {
    /// The next record found, not yet interpreted; nil at the end of the input.
    mutating func nextPending() throws -> PendingRecord?

    /// Called in a two-thread run before each batch of ``nextPending()`` calls: `true` while the other thread has
    /// time to complete pending records, `false` while it is behind (the pipeline then completes the batch on this
    /// thread at once). While `true`, the reader may leave to ``PendingRecord/complete()`` work it would otherwise
    /// do at once (when one thread does both, doing it at once is cheaper). Does nothing unless a reader
    /// implements it; never called in one-thread runs, where readers do everything at once.
    mutating func handOnPending(_ handOn: Bool)
}

extension StagedRecordReader {
    public mutating func handOnPending(_ handOn: Bool) {}

    public mutating func next() throws -> ReadResult? {
        try nextPending()?.complete()
    }
}

/// Options every reader understands, plus format-specific settings.
public struct ReaderOptions: Sendable {
    /// Largest record accepted, in bytes; a larger one is an `input.record-too-large` error.
    public var maxRecordBytes: Int = 16 << 20
    /// Deepest nesting accepted (braces, JSON, XML).
    public var maxDepth: Int = 512
    /// Format-specific settings by name, e.g. `jats.content` = `article` | `references` | `both`.
    public var settings: [String: String] = [:]

    public init() {}
}

/// Writes records one at a time into an ``OutputSink``.
public protocol RecordWriter {
    /// Writes whatever precedes the first record (a JSON `[`, an XML prolog).
    mutating func begin(into sink: OutputSink) throws
    /// Writes one record and returns what the target format could not carry.
    mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss]
    /// Writes whatever follows the last record.
    mutating func end(into sink: OutputSink) throws
}

/// Options every writer understands, plus format-specific settings.
public struct WriterOptions: Sendable {
    /// Indent and space the output for people rather than machines, where the format allows it.
    public var pretty: Bool = true
    /// Format-specific settings by name, e.g. `csl-json.lines` = `true`.
    public var settings: [String: String] = [:]

    public init() {}
}
