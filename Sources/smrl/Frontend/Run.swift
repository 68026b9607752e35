import ArgumentParser
import Foundation
import SMRLCore
import SMRLFormats
import SMRLXML

/// The work behind `convert` and `validate`: loads the vocabulary, sets up the validator and duplicate
/// detection, runs the pipeline, prints diagnostics and the summary, and picks the exit status
/// (0 no record has an error, 1 some record has one, 2 the run could not proceed).
struct Run {
    var input: InputOptions
    var target: FormatDescriptor?
    var destination: OutputSink.Destination = .standardOutput
    var filter: RecordFilter?
    var writerSettings = WriterOptions()
    /// Where the JSON report goes when `--format json`: standard output for validate, standard error for convert.
    var jsonReportToStandardOutput: Bool
    /// A DTD, XSD or catalog every input is also validated against (`validate --schema`).
    var schemaPath: String?

    let printer = DiagnosticPrinter()
    let registry = FormatRegistry.builtIn

    /// Fails the run with status 2 and a message.
    func fail(_ message: String) -> ExitCode {
        printer.line("smrl: error: \(message)")
        return ExitCode(2)
    }

    func format(named name: String, forWriting: Bool) throws -> FormatDescriptor {
        guard let format = registry.format(named: name) else {
            let known = registry.formats.map(\.name).joined(separator: ", ")
            throw fail("unknown format '\(name)' (known: \(known))")
        }
        if forWriting && !format.canWrite { throw fail("format '\(format.name)' cannot be written yet") }
        if !forWriting && !format.canRead { throw fail("format '\(format.name)' cannot be read yet") }
        return format
    }

    func execute() throws {
        let vocabulary: Vocabulary
        do {
            vocabulary = try input.vocabulary.map { try Vocabulary(contentsOf: $0) } ?? .bundled
        } catch {
            throw fail("\(error)")
        }
        let pipeline = ConversionPipeline(registry: registry)
        var options = ConversionPipeline.Options()
        options.strict = input.strict
        // A JSON report keeps every diagnostic and loss: in a ReportStore (on disk past 256 KiB), not the report.
        let store = input.format == .json || input.report != nil ? ReportStore() : nil
        options.keepDetails = false
        options.onLoss = store.map { store in { store.add($0) } }
        options.readerOptions = input.readerOptions
        options.writerOptions = writerSettings
        options.writerOptions.settings.merge(input.settingsDictionary) { _, new in new }
        if let from = input.from { options.sourceFormat = try format(named: from, forWriting: false) }
        if let filter, !filter.isEmpty { options.filter = filter.matches }

        if !input.duplicates && !input.against.isEmpty {
            throw fail("--against finds duplicates: it cannot go with --no-duplicates")
        }
        let validator = Validator(vocabulary: vocabulary, profile: input.profile, fix: input.fix)
        var duplicates = DuplicateDetector()
        do {
            var libraryIndex = 0
            for path in input.against {
                try readLibrary(path, pipeline: pipeline, options: options) { record, location in
                    duplicates.remember(libraryRecord: record, index: libraryIndex, location: location)
                    libraryIndex += 1
                }
            }
        } catch let failure as ConversionPipeline.Failure {
            throw fail(failure.description)
        }
        options.setRecordChecks(validator: validator, duplicates: input.duplicates ? duplicates : nil)
        let textDiagnostics = input.format == .text
        let schemaDiagnostics = try validateAgainstSchema()
        if textDiagnostics { schemaDiagnostics.forEach(printer.print) }
        var lastProgress = Date()
        let started = Date()
        options.progress = { state in
            let now = Date()
            guard now.timeIntervalSince(started) > 1, now.timeIntervalSince(lastProgress) > 0.25 else { return }
            lastProgress = now
            let rate = Double(state.recordsRead) / now.timeIntervalSince(started)
            let percent = state.inputSize.map { size in
                size > 0 ? ", \(min(100, state.bytesRead * 100 / size))%" : ""
            } ?? ""
            printer.progress("\(state.inputName): \(state.recordsRead) records, \(Int(rate)) records/s\(percent)")
        }

        let result: (report: ConversionReport, output: OutputSink?)
        do {
            result = try pipeline.run(
                inputs: input.effectiveInputs, target: target, destination: destination, options: options
            ) { diagnostic in
                if textDiagnostics {
                    printer.clearProgress()
                    printer.print(diagnostic)
                }
                store?.add(diagnostic)
            }
        } catch {
            printer.clearProgress()
            throw fail(error.description)
        }
        printer.clearProgress()
        var report = result.report
        for diagnostic in schemaDiagnostics {
            store?.add(diagnostic)
            switch diagnostic.severity {
            case .error: report.summary.errors += 1; report.summary.inputErrors += 1
            case .warning: report.summary.warnings += 1
            case .note: report.summary.notes += 1
            }
        }

        // With --strict and standard output, the output was held back until the run proved clean.
        if let output = result.output, output.destination == .memory, !report.outputDiscarded {
            FileHandle.standardOutput.write(Data(output.memory))
        }
        if input.format == .text {
            for line in report.lossLines { printer.line(line) }
            printer.line(report.summaryLine)
        } else if let store {
            let handle = jsonReportToStandardOutput ? FileHandle.standardOutput : FileHandle.standardError
            try store.write(report) { handle.write(Data($0)) }
            handle.write(Data("\n".utf8))
        }
        if let path = input.report, let store {
            do {
                let sink = try OutputSink(.file(path))
                try store.write(report) { sink.write($0) }
                sink.write([0x0A])
                try sink.commit()
            } catch {
                throw fail("cannot write report \(path): \(error)")
            }
        }
        if report.summary.errors > 0 || (input.strict && report.summary.warnings > 0) {
            throw ExitCode(1)
        }
    }

    /// Validates every input file against `--schema`, before the records are read.
    private func validateAgainstSchema() throws -> [Diagnostic] {
        guard let schemaPath else { return [] }
        guard let schema = XMLSchema(path: schemaPath) else {
            throw fail("--schema \(schemaPath): expected a .dtd, .xsd, XML catalog or folder of DTDs")
        }
        let validator: XMLValidator
        do {
            validator = try XMLValidator(schema: schema)
        } catch {
            throw fail("--schema \(schemaPath): \(error)")
        }
        var diagnostics: [Diagnostic] = []
        for path in input.effectiveInputs {
            guard path != "-" else {
                throw fail("--schema needs input files: standard input cannot be read twice")
            }
            do {
                diagnostics += try validator.validate(path: path).diagnostics
            } catch {
                throw fail("\(path): cannot read input: \(error)")
            }
        }
        return diagnostics
    }

    /// Reads an existing library for `--against`, record by record.
    private func readLibrary(
        _ path: String, pipeline: ConversionPipeline, options: ConversionPipeline.Options,
        _ body: (Resource, SourceLocation?) -> Void
    ) throws {
        let (input, format) = try pipeline.open(path, format: nil)
        guard let makeReader = format?.makeReader else { return }
        var reader = makeReader(input, options.readerOptions)
        while let result = try reader.next() {
            if let record = result.record { body(record, result.location) }
        }
    }
}
