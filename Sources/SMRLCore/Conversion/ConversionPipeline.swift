#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads inputs record by record, checks each record, and writes the good ones to a target format, keeping
/// count of everything in a ``ConversionReport``.
///
/// Records stream through one at a time: memory does not grow with the input, except for what the report keeps
/// (diagnostics and per-record losses, only when ``Options/keepDetails`` is set; `emit` and ``Options/onLoss``
/// hand them over instead) and what a check keeps (the duplicate detector's table of keys, a few bytes a key).
public struct ConversionPipeline {
    /// Checks (and may normalise) one record; returns its diagnostics. The validator is one.
    public typealias RecordCheck = (
        _ record: inout Resource, _ index: Int, _ location: SourceLocation?,
        _ fieldLocations: FieldLocationList
    ) -> [Diagnostic]

    /// A check that looks at the one record it is given and keeps nothing between records (the validator), so that
    /// it may run on either thread of a two-thread run, while the other thread checks another record.
    public typealias IndependentRecordCheck = @Sendable (
        _ record: inout Resource, _ index: Int, _ location: SourceLocation?,
        _ fieldLocations: FieldLocationList
    ) -> [Diagnostic]

    /// Where a run stands, for progress display.
    public struct Progress: Sendable {
        public var inputIndex: Int
        public var inputName: String
        public var bytesRead: Int
        public var recordsRead: Int
        /// The size of the input in bytes, when it is a regular file (for a percentage).
        public var inputSize: Int?
    }

    public struct Options {
        /// Write nothing when any record has an error or a warning.
        public var strict = false
        /// Keep every diagnostic and every per-record loss in the report (for JSON reports).
        public var keepDetails = true
        public var readerOptions = ReaderOptions()
        public var writerOptions = WriterOptions()
        /// Checks run on every record, in order, after ``independentChecks``. They may keep state (the duplicate
        /// detector), so they see the records one at a time, in record order, on one thread at a time.
        public var checks: [RecordCheck] = []
        /// Checks run on every record before ``checks``, each needing only the record (the validator). With two
        /// threads they run on whichever thread interprets the record, so they may run on both threads at once
        /// (on different records); their diagnostics still come first, in the order of this list.
        public var independentChecks: [IndependentRecordCheck] = []
        /// Records for which this returns false are read and checked but not written.
        public var filter: ((Resource) -> Bool)?
        /// The source format for every input; detected per input when nil.
        public var sourceFormat: FormatDescriptor?
        /// Called every few thousand records.
        public var progress: ((Progress) -> Void)?
        /// Receives each per-record loss as soon as it is known, on the calling thread (with ``keepDetails`` off
        /// and `emit`, a caller can keep a full report outside memory).
        public var onLoss: ((ConversionReport.LossEntry) -> Void)?
        /// How many threads the run uses: 1 reads, checks and writes on the calling thread; 2 (the default on a
        /// machine with more than one processor) reads and parses on a second thread, ahead of the writer, through
        /// a short queue of record batches, and runs the checks on whichever of the two threads is lighter (see
        /// ``checksThread``). Output order, diagnostics and the report are the same either way. The filter,
        /// `progress` and `emit` always run on the calling thread; the ``checks`` run one record at a time, in
        /// record order, never on two threads at once, and never after
        /// ``run(inputs:target:destination:options:emit:)`` has returned, but with two threads possibly on the
        /// reading thread; the ``independentChecks`` run where each record is interpreted, on either thread.
        public var threads: Int = ConversionPipeline.defaultThreads
        /// With two threads, where the checks run (default: balanced by measured cost).
        public var checksThread: ChecksThread = .balanced

        public init() {}

        /// Sets the checks `smrl convert` and `smrl validate` run on every record: the validator (which may
        /// normalise the record) as the independent check, so that a two-thread run validates on either thread;
        /// then, in record order, the duplicate detector, which the checks own from here on (a detector prepared
        /// with `--against` records goes in as it is); nil: no duplicate detection (`--no-duplicates`).
        public mutating func setRecordChecks(validator: Validator, duplicates: DuplicateDetector?) {
            independentChecks = [
                { record, index, location, fields in
                    validator.validate(&record, index: index, location: location, fieldLocationList: fields)
                }
            ]
            checks = []
            if var duplicates {
                checks.append { record, index, location, fields in
                    duplicates.check(record, index: index, location: location, fieldLocationList: fields)
                }
            }
        }
    }

    /// Which thread runs the checks when a run uses two.
    public enum ChecksThread: Sendable, Hashable {
        /// Whichever thread is lighter, judged batch by batch from the CPU time each spends per record, so that
        /// the busier thread carries as little as possible (the default).
        case balanced
        /// The reading thread, after parsing each batch.
        case reading
        /// The calling (writing) thread, before writing each batch.
        case writing
        /// Every other batch on each thread (to test the hand-over between them).
        case alternating
    }

    /// Why a run could not proceed (exit status 2).
    public enum Failure: Error, CustomStringConvertible {
        case unreadableInput(path: String, reason: String)
        case undetectableFormat(path: String)
        case cannotRead(format: String)
        case cannotWrite(format: String)
        case outputFailed(reason: String)

        public var description: String {
            switch self {
            case .unreadableInput(let path, let reason): return "\(path): cannot read input: \(reason)"
            case .undetectableFormat(let path):
                return "\(path): cannot tell the input format from the file name or content; name it with --from"
            case .cannotRead(let format): return "format '\(format)' cannot be read: its reader is not built yet"
            case .cannotWrite(let format): return "format '\(format)' cannot be written: its writer is not built yet"
            case .outputFailed(let reason): return "cannot write output: \(reason)"
            }
        }
    }

    public let registry: FormatRegistry

    /// 2 on a machine with more than one processor, else 1.
    public static let defaultThreads = min(2, onlineProcessorCount())

    /// Batches of records read ahead when reading runs on its own thread (each of ``RecordFeed/batchSize``):
    /// 512 records, some 10 to 20 ms of work, enough for either thread to ride out a few scheduler time slices
    /// lost to other processes without stalling the other, and a few MB at most.
    static let queueCapacity = 8

    public init(registry: FormatRegistry) {
        self.registry = registry
    }

    /// Opens an input and decides its format.
    public func open(_ path: String, format: FormatDescriptor?) throws(Failure) -> (ByteReader, FormatDescriptor?) {
        let input: ByteReader
        do {
            input = try ByteReader(path: path)
        } catch let error as InputError {
            throw .unreadableInput(path: path, reason: error.reason)
        } catch {
            throw .unreadableInput(path: path, reason: "\(error)")
        }
        if let format {
            guard format.canRead else { throw .cannotRead(format: format.name) }
            return (input, format)
        }
        let prefix = input.prefix(8192)
        if let readError = input.readError { throw .unreadableInput(path: path, reason: "\(readError)") }
        if prefix.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return (input, nil)  // nothing to read
        }
        guard let detected = registry.detect(fileName: path == "-" ? nil : path, prefix: prefix) else {
            throw .undetectableFormat(path: input.fileName)
        }
        return (input, detected)
    }

    /// Runs the conversion.
    /// - Parameters:
    ///   - inputs: paths, `-` for standard input.
    ///   - target: the output format; nil to only read and check (validation).
    ///   - destination: where the output goes; ignored when `target` is nil.
    ///   - emit: receives each diagnostic as soon as it is known (for stderr).
    public func run(
        inputs: [String], target: FormatDescriptor?, destination: OutputSink.Destination = .standardOutput,
        options: Options, emit: (Diagnostic) -> Void = { _ in }
    ) throws(Failure) -> (report: ConversionReport, output: OutputSink?) {
        var report = ConversionReport()
        report.inputs = inputs.map { $0 == "-" ? "<stdin>" : $0 }
        report.targetFormat = target?.name
        if let target, !target.canWrite { throw .cannotWrite(format: target.name) }

        // Open every input first, so that an unreadable one stops the run before anything is written.
        var opened: [(ByteReader, FormatDescriptor?)] = []
        opened.reserveCapacity(inputs.count)
        for path in inputs {
            opened.append(try open(path, format: options.sourceFormat))
        }
        report.sourceFormats = opened.map { $0.1?.name ?? "empty" }

        var sink: OutputSink?
        var writer: (any RecordWriter)?
        if let target, let makeWriter = target.makeWriter {
            do {
                // With --strict the output is held back until the run is known to be clean.
                let where_: OutputSink.Destination =
                    options.strict && destination == .standardOutput ? .memory : destination
                let newSink = try OutputSink(where_)
                var newWriter = makeWriter(options.writerOptions)
                try newWriter.begin(into: newSink)
                sink = newSink
                writer = newWriter
            } catch {
                throw .outputFailed(reason: "\(error)")
            }
        }

        func record(_ diagnostic: Diagnostic) {
            switch diagnostic.severity {
            case .error: report.summary.errors += 1
            case .warning: report.summary.warnings += 1
            case .note: report.summary.notes += 1
            }
            if options.keepDetails { report.diagnostics.append(diagnostic) }
            emit(diagnostic)
        }

        // What the consumer needs of the inputs is taken now: the inputs themselves go to the feed.
        let fileNames = opened.map(\.0.fileName)
        let inputSizes = inputs.map(Self.fileSize)
        var sawWarning = false

        let feed = RecordFeed(inputs: opened, readerOptions: options.readerOptions)
        opened = []
        let source = FeedSource(
            feed, threads: options.threads, checks: options.checks, independentChecks: options.independentChecks,
            placing: options.checksThread)
        let placement = source.placement
        var currentInput = -1
        var indexInFile = 0
        while let item = source.next() {
            var results: [ReadResult]
            /// A staged reader's records, interpreted below (on this thread).
            var pending: [PendingRecord] = []
            let inputIndex: Int
            let bytesRead: Int
            let checked: RecordFeed.ChecksDone
            switch item {
            case .results(let input, let batch, let read, let alreadyChecked):
                (inputIndex, results, bytesRead, checked) = (input, batch, read, alreadyChecked)
            case .pending(let input, let batch, let read):
                (inputIndex, results, bytesRead, checked) = (input, [], read, .none)
                pending = batch
            case .endOfInput(let input, let readError):
                if let readError {
                    source.stop()
                    sink?.discard()
                    throw .unreadableInput(path: fileNames[input], reason: readError)
                }
                continue
            case .failed(let input, let reason):
                source.stop()
                throw .unreadableInput(path: fileNames[input], reason: reason)
            }
            if inputIndex != currentInput {
                currentInput = inputIndex
                indexInFile = 0
            }
            let fileName = fileNames[inputIndex]
            let batchStarted = placement == nil ? 0 : threadCPUNanos()
            // What the reading thread made goes back to it once written (``RecycleBin``); records interpreted
            // here are freed here.
            var spent = RecordFeed.SpentBatch()
            if !pending.isEmpty {
                results = pending.map { $0.complete() }
                spent.pending = pending
                pending = []
            }
            defer {
                if spent.pending.isEmpty { spent.results = results }
                results = []
                source.recycle(spent)
            }
            var checkNanos: UInt64 = 0
            if checked != .all && !(options.checks.isEmpty && options.independentChecks.isEmpty) {
                let checksStarted = placement == nil ? 0 : threadCPUNanos()
                RecordFeed.check(
                    &results, firstIndex: indexInFile,
                    independent: checked == .none ? options.independentChecks : [], ordered: options.checks)
                if let placement {
                    checkNanos = threadCPUNanos() &- checksStarted
                    // By position: `reduce` (like `for result in results`) copies each result and its record.
                    var records = 0
                    for position in results.indices where results[position].hasRecord { records += 1 }
                    placement.consumerFinishedChecks(nanos: checkNanos, records: records)
                }
            }
            defer {
                placement?.consumerFinished(
                    nanos: threadCPUNanos() &- batchStarted &- checkNanos, records: results.count)
            }
            /// Reports the diagnostics of the record at `position`, and writes it unless it is filtered out or
            /// rejected. The record is borrowed, never copied: a copy retains every one of its strings and arrays,
            /// which on the thread that did not make them costs a cache miss and an atomic operation each.
            func reportAndWrite(_ resource: borrowing Resource, at position: Int) throws(Failure) {
                let index = indexInFile
                indexInFile += 1
                report.summary.recordsRead += 1
                var hasError = false
                var hasWarning = false
                for var diagnostic in results[position].diagnostics {
                    if diagnostic.recordIndex == nil { diagnostic.recordIndex = index }
                    if diagnostic.recordID == nil { diagnostic.recordID = resource.id }
                    if diagnostic.location == nil { diagnostic.location = results[position].location }
                    hasError = hasError || diagnostic.severity == .error
                    hasWarning = hasWarning || diagnostic.severity == .warning
                    record(diagnostic)
                }
                if hasError { report.summary.recordsWithErrors += 1 }
                if hasWarning { report.summary.recordsWithWarnings += 1 }
                sawWarning = sawWarning || hasWarning
                if let progress = options.progress, report.summary.recordsRead % 4096 == 0 {
                    progress(
                        Progress(
                            inputIndex: inputIndex, inputName: fileName, bytesRead: bytesRead,
                            recordsRead: report.summary.recordsRead, inputSize: inputSizes[inputIndex]))
                }
                if let filter = options.filter, !filter(resource) {
                    report.summary.recordsFilteredOut += 1
                    return
                }
                if hasError || (options.strict && hasWarning) {
                    report.summary.recordsRejected += 1
                    return
                }
                guard let sink, writer != nil else { return }
                do {
                    let losses = try writer!.write(resource, into: sink)
                    report.summary.recordsWritten += 1
                    if !losses.isEmpty { report.summary.recordsWithLosses += 1 }
                    for loss in losses {
                        let entry = ConversionReport.LossEntry(
                            file: fileName, recordIndex: index, recordID: resource.id, field: loss.field,
                            detail: loss.detail, kind: loss.kind)
                        report.recordLoss(entry, keepEntry: options.keepDetails)
                        options.onLoss?(entry)
                    }
                } catch {
                    source.stop()
                    sink.discard()
                    throw .outputFailed(reason: "\(error)")
                }
            }
            // By position, not `for result in results`: iterating copies each result, which retains every field of
            // its record. Each record is moved out of the batch while it is used and moved back afterwards, so that
            // the batch still frees it on the reading thread (``RecycleBin``).
            for position in results.indices {
                guard let resource = results[position].record.take() else {
                    for diagnostic in results[position].diagnostics {
                        if diagnostic.severity == .error { report.summary.inputErrors += 1 }
                        if diagnostic.severity == .warning { sawWarning = true }
                        record(diagnostic)
                    }
                    continue
                }
                try reportAndWrite(resource, at: position)
                results[position].record = consume resource
            }
        }
        source.stop()
        report.finish()

        guard let sink, writer != nil else { return (report, nil) }
        if options.strict && (report.summary.errors > 0 || sawWarning) {
            sink.discard()
            report.outputDiscarded = true
            report.summary.recordsWritten = 0
            return (report, sink)
        }
        do {
            try writer!.end(into: sink)
            try sink.commit()
        } catch {
            sink.discard()
            throw .outputFailed(reason: "\(error)")
        }
        return (report, sink)
    }

    /// The size of a regular file in bytes (`-`: standard input, when it is one); nil otherwise.
    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        let status = path == "-" ? fstat(0, &info) : stat(path, &info)
        guard status == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }
}

/// Where the consumer takes the feed's items from: the feed itself on the calling thread, or a queue filled by
/// the feed on a thread of its own.
private final class FeedSource {
    private var feed: RecordFeed?
    private var queue: BoundedQueue<RecordFeed.Item>?
    private var thread: WorkerThread?
    private var finished = false
    /// With two threads and checks: which thread checks each batch.
    private(set) var placement: CheckPlacement?
    /// With two threads: batches written, on their way back to the reading thread to be freed.
    private var spent: RecycleBin<RecordFeed.SpentBatch>?

    init(
        _ feed: RecordFeed, threads: Int, checks: [ConversionPipeline.RecordCheck],
        independentChecks: [ConversionPipeline.IndependentRecordCheck], placing: ConversionPipeline.ChecksThread
    ) {
        guard threads > 1 else {
            self.feed = feed
            return
        }
        let queue = BoundedQueue<RecordFeed.Item>(capacity: ConversionPipeline.queueCapacity)
        let placement = checks.isEmpty ? nil : CheckPlacement(policy: placing)
        // The checks go with the feed: the placement lets only one thread at a time run them.
        let handOver = HandOver((feed, checks))
        let spent = RecycleBin<RecordFeed.SpentBatch>(capacity: 2 * ConversionPipeline.queueCapacity)
        if let thread = WorkerThread.start({
            guard let taken = handOver.take() else { return }
            var feed = taken.0
            feed.run(
                into: queue, checks: taken.1, independentChecks: independentChecks, placement: placement,
                spent: spent)
        }) {
            self.queue = queue
            self.thread = thread
            self.placement = placement
            self.spent = spent
        } else {
            // No thread to be had: read on this one.
            self.feed = handOver.take()?.0
        }
    }

    func next() -> RecordFeed.Item? {
        if let queue {
            guard let item = queue.pop() else {
                finished = true
                return nil
            }
            return item
        }
        return feed?.next()
    }

    /// Hands a batch that is written back to the reading thread, or drops it here when there is none or it is
    /// behind.
    func recycle(_ batch: RecordFeed.SpentBatch) {
        guard let spent else { return }
        _ = spent.put(batch)
    }

    /// Ends the reading: waits for the reading thread when it has finished, else tells it to stop and lets it
    /// end on its own (it may be waiting for input that never comes).
    func stop() {
        guard let thread, let queue else { return }
        self.thread = nil
        // From here on the reading thread runs no check (and none is running): the caller owns them again.
        placement?.stop()
        if finished {
            thread.join()
        } else {
            queue.cancel()
            thread.detach()
        }
    }

    deinit { stop() }
}
