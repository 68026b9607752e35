import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

/// The two-thread pipeline (reading on a thread of its own) must give exactly what the one-thread pipeline gives:
/// the same output bytes, counts, diagnostics in the same order, and the same failures.
@Suite("Conversion pipeline on two threads")
struct ConversionPipelineThreadsTests {
    /// This test's files, removed after it.
    let scratch = ScratchDirectory("smrl-threads")
    var directory: URL { scratch.url }

    func file(_ name: String, _ text: String) -> String {
        let url = directory.appendingPathComponent(name)
        try? text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Many records (several queue lengths' worth), some bad, some with unknown domains, over several inputs
    /// including an empty one.
    func inputs() -> [String] {
        var first = ""
        for index in 0..<3_000 {
            switch index % 97 {
            case 5: first += "not a record \(index)\n"
            case 11: first += "Bad \(index)|made-up-domain|specialty-choice\n"
            case 17: first += "Label \(index)|Students & Faculty|specialty-choice\n"
            default: first += "Title \(index)|community-engagement|specialty-choice\n"
            }
        }
        let second = (0..<700).map { "Second \($0)|curriculum-programming|health-equity-champions\n" }.joined()
        return [file("a.lines", first), file("empty.lines", "\n\n"), file("b.lines", second)]
    }

    /// What the stateful check saw: the record index and title of every record, in the order it saw them.
    final class Seen: @unchecked Sendable {
        var records: [String] = []
    }

    /// What an independent check saw, from either thread: the index and title of each record, and on which thread.
    final class SeenAnywhere: @unchecked Sendable {
        private let lock = NSLock()
        let threads = LineFormat.Interpretations()
        private(set) var records: [String] = []

        func add(_ index: Int, _ record: Resource) {
            threads.count()
            lock.lock()
            records.append("\(index) \(record.title ?? "")")
            lock.unlock()
        }
    }

    /// The checks: the validator, a stateful check, the duplicate detector; with `independent`, the validator and a
    /// check recording into `independent` are independent checks (``ConversionPipeline/Options/independentChecks``).
    func options(
        threads: Int, placing: ConversionPipeline.ChecksThread = .balanced, seen: Seen = Seen(),
        independent: SeenAnywhere? = nil
    ) -> ConversionPipeline.Options {
        var options = ConversionPipeline.Options()
        options.threads = threads
        options.checksThread = placing
        let validator = Validator()
        var duplicates = DuplicateDetector()
        let validate: ConversionPipeline.IndependentRecordCheck = { record, index, location, fields in
            validator.validate(&record, index: index, location: location, fieldLocationList: fields)
        }
        if let independent {
            options.independentChecks = [
                validate,
                { record, index, _, _ in
                    independent.add(index, record)
                    // A diagnostic of its own, which must come after the validator's and before the others'.
                    return index % 50 == 0
                        ? [Diagnostic(.note, DiagnosticCode(rawValue: "test.independent"), "seen", at: nil)] : []
                },
            ]
        } else {
            options.checks = [{ validate(&$0, $1, $2, $3) }]
        }
        options.checks += [
            { record, index, _, _ in
                // A stateful check, as the duplicate detector is: it must see the records in order.
                seen.records.append("\(index) \(record.title ?? "")")
                record.note = "seen \(seen.records.count)"
                return []
            },
            { record, index, location, fields in
                duplicates.check(record, index: index, location: location, fieldLocationList: fields)
            },
        ]
        return options
    }

    @Test func twoThreadsGiveTheSameOutputReportAndDiagnostics() throws {
        let pipeline = ConversionPipeline(registry: FormatRegistry([LineFormat.descriptor]))
        let files = inputs()
        var emitted: [[Diagnostic]] = []
        var outputs: [[UInt8]] = []
        var reports: [ConversionReport] = []
        for threads in [1, 2] {
            var diagnostics: [Diagnostic] = []
            let (report, sink) = try pipeline.run(
                inputs: files, target: LineFormat.descriptor, destination: .memory, options: options(threads: threads)
            ) { diagnostics.append($0) }
            emitted.append(diagnostics)
            outputs.append(try #require(sink).memory)
            reports.append(report)
        }
        #expect(outputs[0] == outputs[1])
        #expect(emitted[0] == emitted[1])
        #expect(reports[0].summary == reports[1].summary)
        #expect(reports[0].diagnostics == reports[1].diagnostics)
        #expect(reports[0].lossSummary == reports[1].lossSummary)
        #expect(reports[1].summary.recordsRead == 3_000 - 31 + 700)
        #expect(reports[1].summary.inputErrors == 31)
        // Records come out in input order.
        let lines = String(decoding: outputs[1], as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "BEGIN")
        #expect(lines[1] == "Title 0")
        #expect(lines.last == "END")
        #expect(lines[lines.count - 2] == "Second 699")
    }

    /// Wherever the checks run (on the reading thread, the writing thread, moving between them every batch, or
    /// balanced by cost), the run gives what one thread gives, and the checks see every record once, in order,
    /// with its index in its input.
    @Test(arguments: [
        ConversionPipeline.ChecksThread.balanced, .reading, .writing, .alternating,
    ])
    func theChecksGiveTheSameResultsOnEitherThread(placing: ConversionPipeline.ChecksThread) throws {
        var files = inputs()
        // Duplicates across inputs and within one, so that the duplicate detector reports.
        files.append(file("c.lines", (0..<900).map { "Title \($0 * 3)|community-engagement|specialty-choice\n" }.joined()))
        let pipeline = ConversionPipeline(registry: FormatRegistry([LineFormat.descriptor]))
        var emitted: [[Diagnostic]] = []
        var outputs: [[UInt8]] = []
        var reports: [ConversionReport] = []
        var seen: [[String]] = []
        for threads in [1, 2] {
            var diagnostics: [Diagnostic] = []
            let checked = Seen()
            let (report, sink) = try pipeline.run(
                inputs: files, target: LineFormat.descriptor, destination: .memory,
                options: options(threads: threads, placing: placing, seen: checked)
            ) { diagnostics.append($0) }
            emitted.append(diagnostics)
            outputs.append(try #require(sink).memory)
            reports.append(report)
            seen.append(checked.records)
        }
        Self.expectSameRuns(outputs: outputs, emitted: emitted, reports: reports, seen: seen)
    }

    /// A staged reader's records are interpreted on the reading thread while the writer is behind and on the
    /// writing thread while the reader is: either way the run gives what one thread gives, and the checks see
    /// every record once, in order, with its index.
    /// With independent checks (the validator), those run where each record is interpreted, and the run still gives
    /// what one thread gives, every record checked once.
    @Test(arguments: [
        (slowReader: true, slowWriter: false, independent: false), (slowReader: false, slowWriter: true, independent: false),
        (slowReader: true, slowWriter: false, independent: true), (slowReader: false, slowWriter: true, independent: true),
    ])
    func stagedRecordsGiveTheSameResultsOnEitherThread(slowReader: Bool, slowWriter: Bool, independent: Bool) throws {
        var files = inputs()
        files.append(file("c.lines", (0..<900).map { "Title \($0 * 3)|community-engagement|specialty-choice\n" }.joined()))
        var emitted: [[Diagnostic]] = []
        var outputs: [[UInt8]] = []
        var reports: [ConversionReport] = []
        var seen: [[String]] = []
        var interpretations: [LineFormat.Interpretations] = []
        var seenAnywhere: [SeenAnywhere] = []
        for threads in [1, 2] {
            let interpreted = LineFormat.Interpretations()
            let source = LineFormat.stagedDescriptor(pause: slowReader, interpreted: interpreted)
            let target = slowWriter ? LineFormat.slowWriterDescriptor : LineFormat.descriptor
            let pipeline = ConversionPipeline(registry: FormatRegistry([source, target]))
            var diagnostics: [Diagnostic] = []
            let checked = Seen()
            let anywhere = SeenAnywhere()
            var options = options(threads: threads, seen: checked, independent: independent ? anywhere : nil)
            options.sourceFormat = source
            let (report, sink) = try pipeline.run(
                inputs: files, target: target, destination: .memory, options: options
            ) { diagnostics.append($0) }
            emitted.append(diagnostics)
            outputs.append(try #require(sink).memory)
            reports.append(report)
            seen.append(checked.records)
            interpretations.append(interpreted)
            seenAnywhere.append(anywhere)
        }
        Self.expectSameRuns(outputs: outputs, emitted: emitted, reports: reports, seen: seen)
        if independent {
            // Every record went through the independent checks once, with the index the ordered checks saw.
            #expect(seenAnywhere[0].records == seen[0])
            #expect(seenAnywhere[1].records.sorted() == seen[1].sorted())
            let multiplesOf50 = seen[0].filter { ($0.split(separator: " ").first.flatMap { Int($0) } ?? 1) % 50 == 0 }
            #expect(multiplesOf50.count == 60 + 14 + 18)
            #expect(reports[1].diagnostics.filter { $0.code.rawValue == "test.independent" }.count == multiplesOf50.count)
            // They ran where the records were interpreted: on the reading thread while the writer was behind.
            #expect(seenAnywhere[1].threads.elsewhere == interpretations[1].elsewhere)
            if slowWriter { #expect(seenAnywhere[1].threads.elsewhere > 0) }
        }
        // One thread interprets everything itself; with two, the thread with time does.
        #expect(interpretations[0].onCallingThread == seen[0].count && interpretations[0].elsewhere == 0)
        #expect(interpretations[1].onCallingThread + interpretations[1].elsewhere == seen[1].count)
        if slowReader { #expect(interpretations[1].onCallingThread > 0) }
        if slowWriter { #expect(interpretations[1].elsewhere > 0) }
    }

    /// The one-thread and two-thread runs (first and second of each list) of ``inputs()`` plus a file of
    /// duplicates agree in everything, and the checks saw every record.
    static func expectSameRuns(
        outputs: [[UInt8]], emitted: [[Diagnostic]], reports: [ConversionReport], seen: [[String]]
    ) {
        #expect(outputs[0] == outputs[1])
        #expect(emitted[0] == emitted[1])
        #expect(seen[0] == seen[1])
        #expect(seen[1].count == 3_000 - 31 + 700 + 900)
        #expect(reports[0].summary == reports[1].summary)
        #expect(reports[0].diagnostics == reports[1].diagnostics)
        #expect(reports[1].diagnostics.contains { $0.code.rawValue.hasPrefix("duplicate.") })
    }

    /// When the writer fails while the reading thread runs the checks, no check runs after the run has returned.
    @Test func noCheckRunsAfterAFailedRun() throws {
        let failing = FormatDescriptor(
            name: "failing", summary: "", fileExtensions: ["failing"],
            makeReader: { input, _ in LineFormat.Reader(input: input) },
            makeWriter: { _ in FailingWriter() })
        let pipeline = ConversionPipeline(registry: FormatRegistry([LineFormat.descriptor, failing]))
        let files = inputs()
        for placing in [ConversionPipeline.ChecksThread.reading, .alternating, .balanced] {
            let seen = Seen()
            var options = options(threads: 2, placing: placing, seen: seen)
            options.sourceFormat = LineFormat.descriptor
            #expect(throws: ConversionPipeline.Failure.self) {
                _ = try pipeline.run(inputs: files, target: failing, destination: .memory, options: options)
            }
            let count = seen.records.count
            #expect(count >= 1_000)
            usleep(50_000)
            #expect(seen.records.count == count)
        }
    }

    @Test func aWriterFailureStopsBothThreads() {
        let failing = FormatDescriptor(
            name: "failing", summary: "", fileExtensions: ["failing"],
            makeReader: { input, _ in LineFormat.Reader(input: input) },
            makeWriter: { _ in FailingWriter() })
        let pipeline = ConversionPipeline(registry: FormatRegistry([LineFormat.descriptor, failing]))
        let files = inputs()
        for threads in [1, 2] {
            var options = ConversionPipeline.Options()
            options.threads = threads
            options.sourceFormat = LineFormat.descriptor
            #expect(throws: ConversionPipeline.Failure.self) {
                _ = try pipeline.run(inputs: files, target: failing, destination: .memory, options: options)
            }
        }
    }

    @Test func aReaderThatThrowsStopsTheRunAfterTheRecordsBeforeIt() throws {
        let throwing = FormatDescriptor(
            name: "throwing", summary: "", fileExtensions: ["throwing"],
            makeReader: { input, _ in ThrowingReader(inner: LineFormat.Reader(input: input)) },
            makeWriter: { _ in LineFormat.Writer() })
        let pipeline = ConversionPipeline(registry: FormatRegistry([throwing]))
        let input = file("t.throwing", (0..<500).map { "T \($0)|community-engagement|specialty-choice\n" }.joined())
        for threads in [1, 2] {
            var options = ConversionPipeline.Options()
            options.threads = threads
            var emitted = 0
            #expect(throws: ConversionPipeline.Failure.self) {
                _ = try pipeline.run(inputs: [input], target: throwing, destination: .memory, options: options) { _ in
                    emitted += 1
                }
            }
        }
    }
}

/// Fails on the 1,000th record.
private struct FailingWriter: RecordWriter {
    var written = 0
    mutating func begin(into sink: OutputSink) throws {}
    mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
        written += 1
        if written == 1_000 { throw InputError(path: "<test>", reason: "disk full") }
        sink.write((record.title ?? "") + "\n")
        return []
    }
    mutating func end(into sink: OutputSink) throws {}
}

/// Throws after 300 records, as a reader does when its input cannot be read further.
private struct ThrowingReader: RecordReader {
    var inner: LineFormat.Reader
    var count = 0
    mutating func next() throws -> ReadResult? {
        count += 1
        if count > 300 { throw InputError(path: "<test>", reason: "device error") }
        return try inner.next()
    }
}
