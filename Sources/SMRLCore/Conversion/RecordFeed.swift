/// The reading side of a conversion: runs each input's reader and hands its results on in batches, in input
/// order. It runs either on the caller's thread (one core) or on a thread of its own, ahead of the checking and
/// writing, through a ``BoundedQueue`` (two cores).
///
/// It owns the inputs' ``ByteReader``s and the readers made over them; nothing else touches them while it runs,
/// which is why it can move to another thread.
struct RecordFeed {
    /// What the feed hands on.
    enum Item: Sendable {
        /// The next results of input `input`, in order; `bytesRead` is how far its ``ByteReader`` had read;
        /// `checked`: which checks have run on these records already (on the reading thread).
        case results(input: Int, [ReadResult], bytesRead: Int, checked: ChecksDone)
        /// The next records of input `input` from a ``StagedRecordReader``, found but not yet interpreted (nor
        /// checked): the consumer completes them.
        case pending(input: Int, [PendingRecord], bytesRead: Int)
        /// Input `input` is read to its end; `readError` describes a failure of its source, when there was one.
        case endOfInput(input: Int, readError: String?)
        /// The reader of input `input` threw: the input is unreadable and the run stops.
        case failed(input: Int, reason: String)
    }

    /// Which of a run's checks a batch of results has been through.
    enum ChecksDone: Sendable {
        case none
        /// The independent checks (``ConversionPipeline/Options/independentChecks``), run where the records were
        /// interpreted; the ordered checks are left.
        case independent
        case all
    }

    /// Results per batch: enough to make the hand-over between threads cheap, few enough to keep memory flat.
    static let batchSize = 64

    /// A batch the consumer is done with, handed back to the reading thread to be freed there (``RecycleBin``):
    /// what that thread made of it (the results it read or interpreted, the pending records it found).
    struct SpentBatch: Sendable {
        var results: [ReadResult] = []
        var pending: [PendingRecord] = []
    }

    private var inputs: [ByteReader?]
    private let formats: [FormatDescriptor?]
    private let readerOptions: ReaderOptions
    private var position = 0
    private var reader: (any RecordReader)?
    /// The current reader when it is staged and the feed hands on pending records (``yieldsPending``).
    private var staged: (any StagedRecordReader)?
    /// True when the feed runs on a thread of its own: staged readers' records are then handed on uninterpreted
    /// whenever the consumer keeps up (``run(into:checks:placement:)`` interprets the others itself).
    private var yieldsPending = false
    /// Whether the consumer has time for the next batch's records (``StagedRecordReader/handOnPending(_:)``): set by
    /// ``run(into:checks:independentChecks:placement:spent:)`` before each batch from how full the queue is.
    private var consumerHasTime = true
    /// The current reader returned nil: the input's end is handed on next.
    private var atEndOfInput = false
    /// Set once a reader has thrown: handed on after the results read before it, then nothing more.
    private var failure: Item?
    private var stopped = false

    init(inputs: [(ByteReader, FormatDescriptor?)], readerOptions: ReaderOptions) {
        self.inputs = inputs.map(\.0)
        formats = inputs.map(\.1)
        self.readerOptions = readerOptions
    }

    /// The next item; nil when every input has been read or one has failed.
    mutating func next() -> Item? {
        if let failure {
            self.failure = nil
            stopped = true
            return failure
        }
        while !stopped && position < inputs.count {
            guard let input = inputs[position] else { break }
            if atEndOfInput { return endOfInput(input) }
            if reader == nil && staged == nil {
                // An input with nothing in it, or a format that cannot be read: nothing to hand on.
                guard let makeReader = formats[position]?.makeReader else {
                    release()
                    continue
                }
                let made = makeReader(input, readerOptions)
                if yieldsPending, let madeStaged = made as? any StagedRecordReader {
                    staged = madeStaged
                } else {
                    reader = made
                }
            }
            // A reader that splits its work when told the records go on (smrl-ndjson lines, CSL-JSON items: a cheap
            // check here, the decoding where they are completed) splits it only while the consumer has time; while
            // it is behind, this thread completes the records itself, and the one-pass reading is cheaper.
            staged?.handOnPending(consumerHasTime)
            var results: [ReadResult] = []
            var pending: [PendingRecord] = []
            if staged == nil { results.reserveCapacity(Self.batchSize) } else { pending.reserveCapacity(Self.batchSize) }
            /// The batch read so far, as an item of input `input`.
            func batch(_ input: Int, bytesRead: Int) -> Item {
                staged == nil && pending.isEmpty
                    ? .results(input: input, results, bytesRead: bytesRead, checked: .none)
                    : .pending(input: input, pending, bytesRead: bytesRead)
            }
            var ended = false
            reading: while results.count + pending.count < Self.batchSize {
                do {
                    if staged != nil {
                        guard let next = try staged!.nextPending() else {
                            ended = true
                            break reading
                        }
                        pending.append(next)
                    } else {
                        guard let next = try reader!.next() else {
                            ended = true
                            break reading
                        }
                        results.append(next)
                    }
                } catch {
                    let failed = Item.failed(input: position, reason: "\(error)")
                    let read = batch(position, bytesRead: input.bytesRead)
                    release()
                    if results.isEmpty && pending.isEmpty {
                        stopped = true
                        return failed
                    }
                    // What was read before the failure goes first.
                    failure = failed
                    return read
                }
            }
            if ended {
                if results.isEmpty && pending.isEmpty { return endOfInput(input) }
                atEndOfInput = true
            }
            return batch(position, bytesRead: input.bytesRead)
        }
        return nil
    }

    /// Ends the current input.
    private mutating func endOfInput(_ input: ByteReader) -> Item {
        let item = Item.endOfInput(input: position, readError: input.readError.map { "\($0)" })
        release()
        return item
    }

    /// Lets the current reader and its ``ByteReader`` go, so their buffers are freed, and moves to the next input.
    private mutating func release() {
        reader = nil
        staged = nil
        atEndOfInput = false
        inputs[position] = nil
        position += 1
    }

    /// Runs the whole feed on the current thread, pushing every item into `queue`, then finishes the queue.
    /// Stops early when the consumer cancels. A staged reader's records are interpreted here only while half
    /// the queue or more is waiting for the consumer; otherwise they go on pending. Whichever thread interprets a
    /// record runs the `independentChecks` on it; a staged reader's `checks` are always the consumer's. Unstaged
    /// readers' batches get all their checks here when the `placement` assigns them to this thread, exactly as the
    /// consumer would have run them (same record index, location and order). Batches the consumer hands back
    /// through `spent` are freed here, between batches.
    mutating func run(
        into queue: BoundedQueue<Item>, checks: [ConversionPipeline.RecordCheck] = [],
        independentChecks: [ConversionPipeline.IndependentRecordCheck] = [], placement: CheckPlacement? = nil,
        spent: RecycleBin<SpentBatch>? = nil
    ) {
        var currentInput = -1
        var indexInFile = 0
        yieldsPending = true
        defer { spent?.close() }
        while true {
            spent?.empty()
            let started = placement == nil ? 0 : threadCPUNanos()
            consumerHasTime = queue.count < queue.capacity / 2
            guard var item = next() else { break }
            if case .pending(let input, let pending, let bytesRead) = item {
                if input != currentInput {
                    currentInput = input
                    indexInFile = 0
                }
                let firstIndex = indexInFile
                indexInFile += pending.reduce(0) { $0 + ($1.hasRecord ? 1 : 0) }
                // Staged records: interpreted here while the consumer is behind (half the queue or more waiting),
                // else handed on for the consumer to interpret, so that the work goes to whichever thread has
                // time. The independent checks go with the interpretation; the ordered ones stay with the
                // consumer: moving them as well would make the reader wait for the consumer to check every batch
                // handed on before, each time the two decisions crossed.
                if queue.count >= queue.capacity / 2 {
                    var results = pending.map { $0.complete() }
                    let checked: ChecksDone
                    if independentChecks.isEmpty {
                        checked = .none
                    } else {
                        Self.check(&results, firstIndex: firstIndex, independent: independentChecks, ordered: [])
                        checked = .independent
                    }
                    item = .results(input: input, results, bytesRead: bytesRead, checked: checked)
                }
                placement?.readerLeavesUnchecked(readNanos: threadCPUNanos() &- started, records: pending.count)
                guard queue.push(item) else { break }
                continue
            }
            if case .results(let input, var results, let bytesRead, _) = item {
                let readingDone = placement == nil ? 0 : threadCPUNanos()
                if input != currentInput {
                    currentInput = input
                    indexInFile = 0
                }
                let firstIndex = indexInFile
                // By position: `reduce` (like `for result in results`) copies each result and its record.
                var records = 0
                for position in results.indices where results[position].hasRecord { records += 1 }
                indexInFile += records
                if let placement,
                    placement.readerWillCheck(readNanos: readingDone &- started, records: results.count)
                {
                    Self.check(&results, firstIndex: firstIndex, independent: independentChecks, ordered: checks)
                    placement.readerFinishedChecks(nanos: threadCPUNanos() &- readingDone, records: records)
                    item = .results(input: input, results, bytesRead: bytesRead, checked: .all)
                }
            }
            guard queue.push(item) else { break }
        }
        queue.finish()
    }

    /// Runs the checks on every record of a batch, the independent ones first, in order; the first record is the
    /// `firstIndex`th of its input.
    static func check(
        _ results: inout [ReadResult], firstIndex: Int, independent: [ConversionPipeline.IndependentRecordCheck],
        ordered: [ConversionPipeline.RecordCheck]
    ) {
        var index = firstIndex
        for position in results.indices {
            // The record is moved out of the batch, checked and moved back, never copied: a copy retains every one of
            // its fields, which on the thread that did not read it means a cache miss each. (Checking it in place,
            // `&results[position].record!`, copies the optional out and back.)
            guard var record = results[position].record.take() else { continue }
            let location = results[position].location
            let fieldLocations = results[position].fieldLocationList
            var diagnostics: [Diagnostic] = []
            for check in independent {
                diagnostics += check(&record, index, location, fieldLocations)
            }
            for check in ordered {
                diagnostics += check(&record, index, location, fieldLocations)
            }
            results[position].record = consume record
            if !diagnostics.isEmpty { results[position].diagnostics += diagnostics }
            index += 1
        }
    }
}
