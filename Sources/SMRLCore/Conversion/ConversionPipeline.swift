/// Reads inputs record by record, checks each record, and writes the good ones to a target format, keeping
/// count of everything in a ``ConversionReport``.
///
/// Records stream through one at a time: memory does not grow with the input, except for what the report keeps
/// (diagnostics and per-record losses, only when ``Options/keepDetails`` is set) and what a check keeps (the
/// duplicate detector's keys).
public struct ConversionPipeline {
    /// Checks (and may normalise) one record; returns its diagnostics. The validator is one.
    public typealias RecordCheck = (
        _ record: inout Resource, _ index: Int, _ location: SourceLocation?,
        _ fieldLocations: [String: SourceLocation]
    ) -> [Diagnostic]

    /// Where a run stands, for progress display.
    public struct Progress: Sendable {
        public var inputIndex: Int
        public var inputName: String
        public var bytesRead: Int
        public var recordsRead: Int
    }

    public struct Options {
        /// Write nothing when any record has an error or a warning.
        public var strict = false
        /// Keep every diagnostic and every per-record loss in the report (for JSON reports).
        public var keepDetails = true
        public var readerOptions = ReaderOptions()
        public var writerOptions = WriterOptions()
        /// Checks run on every record, in order.
        public var checks: [RecordCheck] = []
        /// Records for which this returns false are read and checked but not written.
        public var filter: ((Resource) -> Bool)?
        /// The source format for every input; detected per input when nil.
        public var sourceFormat: FormatDescriptor?
        /// Called every few thousand records.
        public var progress: ((Progress) -> Void)?

        public init() {}
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

        var sawWarning = false
        for (inputIndex, (input, format)) in opened.enumerated() {
            for diagnostic in input.encodingDiagnostics { record(diagnostic) }
            sawWarning = sawWarning || input.encodingDiagnostics.contains { $0.severity == .warning }
            guard let format, let makeReader = format.makeReader else { continue }
            var reader = makeReader(input, options.readerOptions)
            var indexInFile = 0
            while true {
                let next: ReadResult?
                do {
                    next = try reader.next()
                } catch {
                    throw .unreadableInput(path: input.fileName, reason: "\(error)")
                }
                guard var result = next else { break }
                guard var resource = result.record else {
                    for diagnostic in result.diagnostics {
                        if diagnostic.severity == .error { report.summary.inputErrors += 1 }
                        if diagnostic.severity == .warning { sawWarning = true }
                        record(diagnostic)
                    }
                    continue
                }
                let index = indexInFile
                indexInFile += 1
                report.summary.recordsRead += 1
                for check in options.checks {
                    result.diagnostics += check(&resource, index, result.location, result.fieldLocations)
                }
                var hasError = false
                var hasWarning = false
                for var diagnostic in result.diagnostics {
                    if diagnostic.recordIndex == nil { diagnostic.recordIndex = index }
                    if diagnostic.recordID == nil { diagnostic.recordID = resource.id }
                    if diagnostic.location == nil { diagnostic.location = result.location }
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
                            inputIndex: inputIndex, inputName: input.fileName, bytesRead: input.bytesRead,
                            recordsRead: report.summary.recordsRead))
                }
                if let filter = options.filter, !filter(resource) {
                    report.summary.recordsFilteredOut += 1
                    continue
                }
                if hasError || (options.strict && hasWarning) {
                    report.summary.recordsRejected += 1
                    continue
                }
                guard let sink, writer != nil else { continue }
                do {
                    let losses = try writer!.write(resource, into: sink)
                    report.summary.recordsWritten += 1
                    if !losses.isEmpty { report.summary.recordsWithLosses += 1 }
                    for loss in losses {
                        report.recordLoss(
                            .init(
                                file: input.fileName, recordIndex: index, recordID: resource.id, field: loss.field,
                                detail: loss.detail), keepEntry: options.keepDetails)
                    }
                } catch {
                    sink.discard()
                    throw .outputFailed(reason: "\(error)")
                }
            }
            if let readError = input.readError {
                sink?.discard()
                throw .unreadableInput(path: input.fileName, reason: "\(readError)")
            }
        }
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
}
