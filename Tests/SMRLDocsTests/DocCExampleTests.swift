import Foundation
public import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

// The Swift code of the DocC articles in Sources/SMRLCore/Documentation.docc, compiled and run here.
// `articlesShowOnlyCodeThatIsTested` checks that every ```swift block of the articles appears, line for line, in
// this file: change an example in both places.

/// Where the examples' files are.
private let path = TestCorpus.repositoryFile("Samples/library.ris").path

// MARK: - Reading, validating and writing records

@Suite("DocC examples")
struct DocCExampleTests {
    @Test func readValidateWrite() throws {
        // Reading
        let registry = FormatRegistry.builtIn
        let input = try ByteReader(path: path)
        guard let format = registry.detect(fileName: input.fileName, prefix: input.prefix(8192)),
            let makeReader = format.makeReader
        else { return }

        var reader = makeReader(input, ReaderOptions())
        var records: [Resource] = []
        while let result = try reader.next() {
            for diagnostic in result.diagnostics {
                print(diagnostic)  // FILE:LINE:COL: warning[CODE]: message
            }
            if let record = result.record { records.append(record) }
        }
        #expect(format.name == "ris")
        #expect(records.count == 38)

        // Validating
        let validator = Validator(vocabulary: .bundled, profile: .library, fix: true)
        var duplicates = DuplicateDetector()
        var accepted: [Resource] = []
        for (index, var record) in records.enumerated() {
            var diagnostics = validator.validate(&record, index: index)
            diagnostics += duplicates.check(record, index: index)
            if !diagnostics.contains(where: { $0.severity == .error }) {
                accepted.append(record)
            }
        }
        #expect(accepted.count == 38)

        // Writing
        guard let csl = registry.format(named: "csl-json"), let makeWriter = csl.makeWriter else { return }
        let sink = OutputSink.inMemory()  // or: try OutputSink(.file("library.csl.json"))
        var writer = makeWriter(WriterOptions())
        try writer.begin(into: sink)
        for record in accepted {
            for loss in try writer.write(record, into: sink) {
                print("\(record.id ?? "?"): CSL-JSON cannot carry \(loss.field)")
            }
        }
        try writer.end(into: sink)
        try sink.commit()
        let json = String(decoding: sink.memory, as: UTF8.self)
        #expect(json.contains("\"container-title\""))
    }

    @Test func buildARecord() throws {
        var record = Resource(id: "marmot2008closing", type: .articleJournal)
        record.title = "Closing the gap in a generation"
        record.subtitle = "health equity through action on the social determinants of health"
        record.authors = [
            Person(family: "Marmot", given: "Michael"),
            Person(family: "Friel", given: "Sharon"),
            .organization("Commission on Social Determinants of Health"),
        ]
        record.containerTitle = "The Lancet"
        record.issued = EDTFDate(year: 2008, month: 11)
        record.volume = "372"
        record.issue = "9650"
        record.pages = "1661-1669"
        record.doi = "10.1016/S0140-6736(08)61690-6"
        record.resourceType = "peer-reviewed-article"
        record.domains = ["community-engagement"]
        record.topics = ["health-equity-champions"]

        let diagnostics = Validator(profile: .library).validate(&record, index: 0)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)

        let data = try JSONEncoder().encode([record])  // smrl-json: an array of records
        let decoded = try JSONDecoder().decode([Resource].self, from: data)
        #expect(decoded == [record])
    }

    @Test func runThePipeline() throws {
        let scratch = Shell.temporaryDirectory("docc")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outputPath = scratch.appendingPathComponent("community-engagement.ris").path
        let registry = FormatRegistry.builtIn

        var options = ConversionPipeline.Options()
        let validator = Validator(profile: .library)
        options.independentChecks = [
            { record, index, location, fields in
                validator.validate(&record, index: index, location: location, fieldLocationList: fields)
            }
        ]
        let filter = try RecordFilter(domains: ["Community Engagement"], vocabulary: .bundled)
        options.filter = filter.matches

        let pipeline = ConversionPipeline(registry: registry)
        let (report, _) = try pipeline.run(
            inputs: [path], target: registry.format(named: "ris"), destination: .file(outputPath),
            options: options)
        print(report.summaryLine)  // 38 records read, 7 written, 31 filtered out, 0 with errors, …
        for loss in report.lossSummary {
            print("\(loss.field): \(loss.records) records")
        }

        #expect(report.summary.recordsWritten == 7)
        #expect(report.summary.recordsWritten + report.summary.recordsFilteredOut == report.summary.recordsRead)
        #expect(FileManager.default.fileExists(atPath: outputPath))
    }

    // MARK: - Adding a format

    @Test func pipeFormatPlugsIntoTheRegistry() throws {
        let text = """
            Closing the gap in a generation|2008|community-engagement|health-equity-champions
            An unfinished line
            Holistic admissions in the health professions|2014|pathways-admission-graduation|diversity-inclusion-belonging

            """
        let directory = Shell.temporaryDirectory("pipe")
        defer { try? FileManager.default.removeItem(at: directory) }
        let feed = directory.appendingPathComponent("feed.pipe").path
        try text.write(toFile: feed, atomically: true, encoding: .utf8)

        var registry = FormatRegistry.builtIn
        registry.register(PipeFormat.descriptor)

        let pipeline = ConversionPipeline(registry: registry)
        var options = ConversionPipeline.Options()
        let validator = Validator()
        options.independentChecks = [
            { record, index, location, fields in
                validator.validate(&record, index: index, location: location, fieldLocationList: fields)
            }
        ]
        let (report, output) = try pipeline.run(
            inputs: [feed], target: registry.format(named: "smrl-json"), destination: .memory, options: options)
        print(report.summaryLine)  // 2 records read, 2 written, 0 with errors, 0 with warnings, 1 input errors …

        let written = try JSONDecoder().decode([Resource].self, from: Data(try #require(output).memory))
        #expect(written.map(\.title) == ["Closing the gap in a generation", "Holistic admissions in the health professions"])
        #expect(written[0].domains == ["community-engagement"])
        #expect(report.summary.inputErrors == 1)
        let bad = try #require(report.diagnostics.first { $0.code == .pipeMissingField })
        #expect(bad.location == SourceLocation(file: feed, line: 2, column: 1))

        // The other way: from the samples into the pipe format, with what it cannot carry.
        let back = try pipeline.run(
            inputs: [path], target: registry.format(named: "pipe"), destination: .memory, options: options)
        #expect(back.report.summary.recordsWritten == 38)
        #expect(back.report.lossSummary.contains { $0.field == "authors" })
        #expect(registry.detect(fileName: "x.pipe", prefix: [])?.name == "pipe")
    }

    /// Every ```swift block of the articles is in this file, so every example compiles and runs.
    @Test func articlesShowOnlyCodeThatIsTested() throws {
        let catalog = TestCorpus.repositoryFile("Sources/SMRLCore/Documentation.docc")
        let articles = try FileManager.default.contentsOfDirectory(atPath: catalog.path).filter { $0.hasSuffix(".md") }
        #expect(articles.count >= 3)
        let source = Self.normalised(try String(contentsOfFile: #filePath, encoding: .utf8))
        var blocks = 0
        for article in articles.sorted() {
            let document = MarkdownDocument(try String(contentsOf: catalog.appendingPathComponent(article), encoding: .utf8))
            for block in document.blocks where block.info == "swift" {
                blocks += 1
                let code = Self.normalised(block.text)
                #expect(
                    source.contains(code),
                    "\(article):\(block.line): this example is not in DocCExampleTests.swift, so it is neither compiled nor run")
            }
        }
        #expect(blocks >= 8)
    }

    /// Every ``Symbol`` link of the catalog names a public type of SMRLCore (and `Type/member` a member named so
    /// in that type's files), and every <doc:Article> link an article of the catalog. (`scripts/build-docs.sh` runs
    /// docc itself, which checks the same and more.)
    @Test func catalogLinksResolve() throws {
        let catalog = TestCorpus.repositoryFile("Sources/SMRLCore/Documentation.docc")
        let articles = try FileManager.default.contentsOfDirectory(atPath: catalog.path).filter { $0.hasSuffix(".md") }
        let names = Set(articles.map { String($0.dropLast(3)) })
        let sources = try CodeOrganisationTests.sources().filter { $0.path.hasPrefix("Sources/SMRLCore/") }
        let declared = #/public\s+(?:final\s+)?(?:struct|enum|class|protocol|typealias)\s+(\w+)/#
        let types = Set(sources.flatMap { $0.text.matches(of: declared).map { String($0.output.1) } })
        #expect(types.contains("Resource"))
        for article in articles {
            let text = try String(contentsOf: catalog.appendingPathComponent(article), encoding: .utf8)
            for match in text.matches(of: #/``([A-Za-z][\w/().:]*)``/#) {
                let parts = match.output.1.split(separator: "/")
                let type = String(parts[0])
                if parts.count == 1 && type == "SMRLCore" { continue }
                #expect(types.contains(type), "\(article): ``\(match.output.1)`` names no public type of SMRLCore")
                if parts.count > 1 {
                    let member = String(parts[1].prefix { $0 != "(" })
                    let mentioned = sources.contains { $0.text.contains(member) && $0.text.contains(type) }
                    #expect(mentioned, "\(article): ``\(match.output.1)``: no member \(member) in \(type)")
                }
            }
            for match in text.matches(of: #/<doc:([\w-]+)>/#) {
                #expect(names.contains(String(match.output.1)), "\(article): <doc:\(match.output.1)> is no article")
            }
        }
    }

    /// Lines without their indentation, blank lines dropped: an example may sit deeper in the test than in the article.
    static func normalised(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

// MARK: - The pipe format of "Adding a format"

extension DiagnosticCode {
    /// A line with fewer than four `|`-separated fields (error).
    public static let pipeMissingField: DiagnosticCode = "pipe.missing-field"
    /// A year that is not a number (warning); the record is kept without a date.
    public static let pipeBadYear: DiagnosticCode = "pipe.bad-year"
}

/// Reads `title|year|domains|topics` lines; domains and topics are `;`-separated vocabulary ids.
struct PipeReader: RecordReader {
    let input: ByteReader
    let options: ReaderOptions

    mutating func next() throws -> ReadResult? {
        while let line = input.readLine() {
            if line.bytes.isEmpty { continue }
            let location = SourceLocation(file: input.fileName, line: line.number, column: 1)
            guard line.bytes.count <= options.maxRecordBytes else {
                return ReadResult(
                    record: nil, location: location,
                    diagnostics: [.error(.recordTooLarge, "line longer than the record limit", at: location)])
            }
            let fields = line.bytes.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            guard fields.count >= 4 else {
                let message = "expected title|year|domains|topics, found \(fields.count) field(s)"
                return ReadResult(record: nil, location: location, diagnostics: [.error(.pipeMissingField, message, at: location)])
            }
            var record = Resource(id: "line\(line.number)", type: .articleJournal)
            var diagnostics: [Diagnostic] = []
            record.title = fields[0]
            if let year = Int(fields[1]) {
                record.issued = EDTFDate(year: year)
            } else if !fields[1].isEmpty {
                diagnostics.append(.warning(.pipeBadYear, "year \"\(fields[1])\" is not a number", at: location, field: "issued"))
            }
            record.domains = fields[2].split(separator: ";").map(String.init)
            record.topics = fields[3].split(separator: ";").map(String.init)
            return ReadResult(record: record, location: location, diagnostics: diagnostics)
        }
        return nil
    }
}

/// Writes `title|year|domains|topics` lines and reports every other field as lost.
struct PipeWriter: RecordWriter {
    mutating func begin(into sink: OutputSink) throws {}

    mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
        let year = record.issued?.year.map(String.init) ?? ""
        let title = String((record.fullTitle ?? "").map { $0 == "|" ? "/" : $0 })
        sink.write("\(title)|\(year)|\(record.domains.joined(separator: ";"))|\(record.topics.joined(separator: ";"))\n")

        var losses: [Loss] = []
        if record.subtitle != nil { losses.append(Loss("subtitle", "joined to the title with a colon", kind: .changed)) }
        if !record.authors.isEmpty { losses.append(Loss("authors")) }
        if record.doi != nil { losses.append(Loss("doi")) }
        if record.containerTitle != nil { losses.append(Loss("containerTitle")) }
        if record.issued?.start?.month != nil { losses.append(Loss("issued", "only the year is kept", kind: .changed)) }
        return losses
    }

    mutating func end(into sink: OutputSink) throws {}
}

public enum PipeFormat {
    public static let descriptor = FormatDescriptor(
        name: "pipe", aliases: ["psv"],
        summary: "title|year|domains|topics lines",
        fileExtensions: ["pipe", "psv"],
        makeReader: { input, options in PipeReader(input: input, options: options) },
        makeWriter: { _ in PipeWriter() },
        sniff: { prefix in
            let firstLine = prefix.prefix { $0 != 0x0A }
            return firstLine.filter { $0 == UInt8(ascii: "|") }.count == 3 ? 50 : 0
        })
}
