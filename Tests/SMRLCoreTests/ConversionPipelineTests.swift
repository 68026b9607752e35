import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

/// A tiny line format, `title|domain|topic` per line, plugged into a registry the way every real format is:
/// it proves the pipeline and the registry need nothing format-specific.
enum LineFormat {
    struct Reader: RecordReader {
        let input: ByteReader
        mutating func next() throws -> ReadResult? {
            while let line = input.readLine() {
                let text = String(decoding: line.bytes, as: UTF8.self)
                if text.isEmpty { continue }
                let location = SourceLocation(file: input.fileName, line: line.number, column: 1)
                let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                if parts.count != 3 {
                    return ReadResult(
                        record: nil, location: location,
                        diagnostics: [.error("line.bad-record", "expected title|domain|topic", at: location)])
                }
                var record = Resource(id: "r\(line.number)", type: .articleJournal)
                record.title = parts[0]
                record.issued = EDTFDate(year: 2020)
                if !parts[1].isEmpty { record.domains = [parts[1]] }
                if !parts[2].isEmpty { record.topics = [parts[2]] }
                return ReadResult(record: record, location: location)
            }
            return nil
        }
    }

    /// The same format read by a ``StagedRecordReader``: lines are found here and interpreted by the pending
    /// record, on whichever thread the pipeline picks; `pause` slows the finding (to keep the queue empty) and
    /// `interpreted` counts where each record was interpreted.
    struct StagedReader: StagedRecordReader {
        let input: ByteReader
        var pause: Bool = false
        let interpreted: Interpretations
        var found = 0

        mutating func nextPending() throws -> PendingRecord? {
            while let line = input.readLine() {
                if line.bytes.isEmpty { continue }
                found += 1
                if pause && found % 16 == 0 { usleep(500) }
                let bytes = Array(line.bytes)
                let location = SourceLocation(file: input.fileName, line: line.number, column: 1)
                let interpreted = interpreted
                if bytes.filter({ $0 == UInt8(ascii: "|") }).count != 2 {
                    return PendingRecord(
                        ReadResult(
                            record: nil, location: location,
                            diagnostics: [.error("line.bad-record", "expected title|domain|topic", at: location)]))
                }
                return PendingRecord(record: {
                    interpreted.count()
                    let parts = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
                    var record = Resource(id: "r\(location.line)", type: .articleJournal)
                    record.title = String(parts[0])
                    record.issued = EDTFDate(year: 2020)
                    if !parts[1].isEmpty { record.domains = [String(parts[1])] }
                    if !parts[2].isEmpty { record.topics = [String(parts[2])] }
                    return ReadResult(record: record, location: location)
                })
            }
            return nil
        }
    }

    /// Where a staged reader's records were interpreted: on the thread that created this (the pipeline's calling
    /// thread) or another.
    final class Interpretations: @unchecked Sendable {
        private let lock = NSLock()
        private let callingThread = pthread_self()
        private(set) var onCallingThread = 0
        private(set) var elsewhere = 0

        func count() {
            lock.lock()
            defer { lock.unlock() }
            if pthread_equal(pthread_self(), callingThread) != 0 { onCallingThread += 1 } else { elsewhere += 1 }
        }
    }

    static func stagedDescriptor(pause: Bool, interpreted: Interpretations) -> FormatDescriptor {
        FormatDescriptor(
            name: "staged-lines", summary: "test lines, staged", fileExtensions: ["lines"],
            makeReader: { input, _ in StagedReader(input: input, pause: pause, interpreted: interpreted) },
            makeWriter: { _ in Writer() }, sniff: { _ in 0 })
    }

    /// Writes like ``Writer``, slowly (so the reading thread gets ahead).
    struct SlowWriter: RecordWriter {
        var inner = Writer()
        var written = 0
        mutating func begin(into sink: OutputSink) throws { try inner.begin(into: sink) }
        mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
            written += 1
            if written % 16 == 0 { usleep(500) }
            return try inner.write(record, into: sink)
        }
        mutating func end(into sink: OutputSink) throws { try inner.end(into: sink) }
    }

    static let slowWriterDescriptor = FormatDescriptor(
        name: "slow-lines", summary: "test lines, written slowly", fileExtensions: ["lines"],
        makeReader: nil, makeWriter: { _ in SlowWriter() }, sniff: { _ in 0 })

    struct Writer: RecordWriter {
        mutating func begin(into sink: OutputSink) throws { sink.write("BEGIN\n") }
        mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
            sink.write((record.title ?? "") + "\n")
            return record.domains.isEmpty ? [] : [Loss("domains")]
        }
        mutating func end(into sink: OutputSink) throws { sink.write("END\n") }
    }

    static let descriptor = FormatDescriptor(
        name: "lines", summary: "test lines", fileExtensions: ["lines"],
        makeReader: { input, _ in Reader(input: input) }, makeWriter: { _ in Writer() },
        sniff: { prefix in prefix.contains(UInt8(ascii: "|")) ? 40 : 0 })
}

@Suite("Conversion pipeline")
struct ConversionPipelineTests {
    /// This test's files, removed after it.
    let scratch = ScratchDirectory("smrl-pipeline")
    var directory: URL { scratch.url }

    func file(_ name: String, _ text: String) -> String {
        let url = directory.appendingPathComponent(name)
        try? text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    var pipeline: ConversionPipeline { ConversionPipeline(registry: FormatRegistry([LineFormat.descriptor])) }

    func options(strict: Bool = false) -> ConversionPipeline.Options {
        var options = ConversionPipeline.Options()
        options.strict = strict
        let validator = Validator()
        options.checks = [{ record, index, location, fields in
            validator.validate(&record, index: index, location: location, fieldLocationList: fields)
        }]
        return options
    }

    @Test func writesGoodRecordsRejectsBadOnesAndCountsAddUp() throws {
        let input = file(
            "feed.lines",
            "Good one|community-engagement|specialty-choice\nnot a record\nBad domain|made-up-domain|specialty-choice\nVariant|Students & Faculty|\n")
        let output = directory.appendingPathComponent("out.txt").path
        let (report, _) = try pipeline.run(
            inputs: [input], target: LineFormat.descriptor, destination: .file(output), options: options())
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written == "BEGIN\nGood one\nVariant\nEND\n")
        #expect(report.summary.recordsRead == 3)
        #expect(report.summary.recordsWritten == 2)
        #expect(report.summary.recordsRejected == 1)
        #expect(report.summary.inputErrors == 1)
        #expect(report.summary.recordsRead == report.summary.recordsWritten + report.summary.recordsRejected)
        #expect(report.hasErrors)
        let unknown = try #require(report.diagnostics.first { $0.code.rawValue == "vocabulary.unknown-domain" })
        #expect(unknown.location == SourceLocation(file: input, line: 3, column: 1))
        #expect(unknown.recordIndex == 1)
        #expect(unknown.recordID == "r3")
        #expect(report.lossSummary.first?.field == "domains")
        #expect(report.lossSummary.first?.records == 2)
        #expect(report.lossSummary.first?.firstRecordID == "r1")
    }

    @Test("A byte-order mark is reported once, by the reader (the pipeline reported it a second time)",
        arguments: [("ris", "library.ris"), ("medline", "library.ris"), ("bibtex", "library.bib"),
            ("biblatex", "library.biblatex.bib"), ("csl-json", "library.csl.json"), ("smrl-json", "library.json"),
            ("smrl-ndjson", "library.ndjson"), ("jats", "library.jats.xml")])
    func aByteOrderMarkIsReportedOnce(format: String, sample: String) throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += try Data(contentsOf: TestCorpus.repositoryFile("Samples/" + sample))
        let input = directory.appendingPathComponent("bom-" + sample)
        try Data(bytes).write(to: input)
        let registry = FormatRegistry.builtIn
        var options = ConversionPipeline.Options()
        options.sourceFormat = try #require(registry.format(named: format))
        var emitted: [Diagnostic] = []
        let (report, _) = try ConversionPipeline(registry: registry).run(
            inputs: [input.path], target: try #require(registry.format(named: "smrl-ndjson")), destination: .memory,
            options: options) { emitted.append($0) }
        #expect(emitted.filter { $0.code == .byteOrderMark }.count == 1, "\(format)")
        #expect(report.diagnostics.filter { $0.code == .byteOrderMark }.count == 1, "\(format)")
    }

    @Test func strictWritesNothingAndLeavesTheExistingFileUntouched() throws {
        let input = file("strict.lines", "Good|community-engagement|specialty-choice\nBad|nope|specialty-choice\n")
        let output = file("existing.txt", "previous content\n")
        let (report, _) = try pipeline.run(
            inputs: [input], target: LineFormat.descriptor, destination: .file(output), options: options(strict: true))
        #expect(report.outputDiscarded)
        #expect(report.summary.recordsWritten == 0)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous content\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("smrl-") }
        #expect(leftovers.isEmpty)
    }

    @Test func anUnreadableInputStopsTheRunBeforeAnythingIsWritten() throws {
        let good = file("good.lines", "Good|community-engagement|specialty-choice\n")
        let output = file("kept.txt", "kept\n")
        #expect(throws: ConversionPipeline.Failure.self) {
            _ = try pipeline.run(
                inputs: [good, directory.appendingPathComponent("missing.lines").path], target: LineFormat.descriptor,
                destination: .file(output), options: options())
        }
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "kept\n")
    }

    @Test func filtersByCanonicalDomainAfterNormalisation() throws {
        let input = file(
            "filter.lines",
            "A|Community Engagement|specialty-choice\nB|curriculum-programming|specialty-choice\n")
        var options = options()
        let filter = try RecordFilter(domains: ["community engagement"], vocabulary: .bundled)
        options.filter = filter.matches
        let (report, sink) = try pipeline.run(
            inputs: [input], target: LineFormat.descriptor, destination: .memory, options: options)
        #expect(String(decoding: try #require(sink).memory, as: UTF8.self) == "BEGIN\nA\nEND\n")
        #expect(report.summary.recordsFilteredOut == 1)
    }

    @Test func detectsTheFormatFromExtensionAndContent() throws {
        let registry = FormatRegistry([LineFormat.descriptor])
        #expect(registry.detect(fileName: "x.lines", prefix: [])?.name == "lines")
        #expect(registry.detect(fileName: nil, prefix: Array("abc".utf8)[...]) == nil)
        #expect(registry.detect(fileName: "x.txt", prefix: Array("a|b|c".utf8)[...])?.name == "lines")
        #expect(registry.format(named: "LINES")?.name == "lines")
    }

    @Test func refusesAFormatThatCannotBeWritten() {
        let readOnly = FormatDescriptor(
            name: "ro", summary: "", fileExtensions: ["ro"], makeReader: { input, _ in LineFormat.Reader(input: input) },
            makeWriter: nil)
        let input = file("ro.lines", "A|community-engagement|specialty-choice\n")
        #expect(throws: ConversionPipeline.Failure.self) {
            _ = try ConversionPipeline(registry: FormatRegistry([readOnly])).run(
                inputs: [input], target: readOnly, options: options())
        }
    }
}

@Suite("Library profile dates")
struct LibraryProfileDateTests {
    @Test func anUndatedWebPageCountsItsAccessYearButAnUndatedArticleDoesNot() {
        let validator = Validator(profile: .library)
        var page = Resource(id: "p", type: .webpage)
        page.title = "Program page"
        page.resourceType = "real-world-example"
        page.domains = ["community-engagement"]
        page.topics = ["community-partnerships"]
        page.accessed = EDTFDate(year: 2026, month: 11, day: 20)
        #expect(!validator.validate(&page, index: 0).contains { $0.code == .recordMissingYear })
        var article = page
        article.type = .articleJournal
        #expect(validator.validate(&article, index: 0).contains { $0.code == .recordMissingYear })
    }
}
