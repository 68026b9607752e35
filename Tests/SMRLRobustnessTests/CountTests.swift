import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

/// End to end through ``ConversionPipeline``, for every format that can be written and read: a feed of the
/// sample library and the faulty feed, written by the format's writer, converted to smrl-json with the
/// validator. Counts add up, every bad record is named, `--strict` writes nothing, a failed run leaves the old
/// output alone.
@Suite("Counts add up", .timeLimit(.minutes(10)))
struct CountTests {
    static let formats = Robustness.roundTripFormats.map(\.name)

    /// A feed file of `format` in a fresh directory, with the good and the faulty sample records.
    static func feed(_ format: FormatDescriptor) throws -> (directory: URL, path: String) {
        let directory = Feeds.temporaryDirectory()
        let bytes = try Feeds.write(Feeds.libraryRecords + Feeds.faultyRecords, as: format)
        let path = directory.appendingPathComponent("feed." + (format.fileExtensions.first ?? "txt")).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    static func options(_ format: FormatDescriptor, strict: Bool = false, filter: ((Resource) -> Bool)? = nil)
        -> ConversionPipeline.Options
    {
        var options = ConversionPipeline.Options()
        options.sourceFormat = format
        options.strict = strict
        options.filter = filter
        let validator = Validator()
        options.checks = [{ record, index, location, fields in
            validator.validate(&record, index: index, location: location, fieldLocationList: fields)
        }]
        return options
    }

    static var native: FormatDescriptor { Robustness.registry.format(named: "smrl-json")! }

    /// Leaves out records whose title has a length divisible by 3: arbitrary, but the same in every format.
    static let filter: @Sendable (Resource) -> Bool = { ($0.title?.count ?? 1) % 3 != 0 }

    @Test("read = written + rejected + filtered; the output holds exactly the written records", arguments: formats)
    func countsAddUp(_ formatName: String) throws {
        let format = try #require(Robustness.registry.format(named: formatName))
        let (directory, feed) = try Self.feed(format)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.json").path
        let pipeline = ConversionPipeline(registry: Robustness.registry)

        let (report, _) = try pipeline.run(
            inputs: [feed], target: Self.native, destination: .file(output),
            options: Self.options(format, filter: Self.filter))
        let summary = report.summary
        #expect(summary.recordsRead == summary.recordsWritten + summary.recordsRejected + summary.recordsFilteredOut)
        // The feed really has all three kinds.
        #expect(summary.recordsWritten > 0 && summary.recordsRejected > 0 && summary.recordsFilteredOut > 0, "\(summary)")
        // Every record the reader gives is counted.
        let direct = Robustness.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: feed))), as: format)
        #expect(summary.recordsRead == direct.records.count)
        // The output holds the written records and nothing else.
        let written = Robustness.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: output))), as: Self.native)
        #expect(written.records.count == summary.recordsWritten)
        #expect(written.problems.isEmpty)
    }

    @Test("Without a filter, every rejected record is named by an error in the report", arguments: formats)
    func rejectedRecordsAreNamed(_ formatName: String) throws {
        let format = try #require(Robustness.registry.format(named: formatName))
        let (directory, feed) = try Self.feed(format)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipeline = ConversionPipeline(registry: Robustness.registry)
        let (report, sink) = try pipeline.run(
            inputs: [feed], target: Self.native, destination: .memory, options: Self.options(format))
        let summary = report.summary
        #expect(summary.recordsRead == summary.recordsWritten + summary.recordsRejected)
        let named = Set(report.diagnostics.filter { $0.severity == .error }.compactMap(\.recordIndex))
        #expect(named.count == summary.recordsRejected)
        #expect(report.diagnostics.filter { $0.severity == .error }.allSatisfy { $0.location != nil })
        let written = Robustness.read(sink?.memory ?? [], as: Self.native)
        #expect(written.records.count == summary.recordsWritten)
    }

    @Test("--strict writes nothing when a record has an error, and leaves an existing output as it was",
        arguments: formats)
    func strictWritesNothing(_ formatName: String) throws {
        let format = try #require(Robustness.registry.format(named: formatName))
        let (directory, feed) = try Self.feed(format)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pipeline = ConversionPipeline(registry: Robustness.registry)

        let fresh = directory.appendingPathComponent("fresh.json").path
        let (report, _) = try pipeline.run(
            inputs: [feed], target: Self.native, destination: .file(fresh), options: Self.options(format, strict: true))
        #expect(report.outputDiscarded)
        #expect(report.summary.recordsWritten == 0)
        #expect(!FileManager.default.fileExists(atPath: fresh))

        let existing = directory.appendingPathComponent("existing.json")
        let old = Data("previous output\n".utf8)
        try old.write(to: existing)
        _ = try pipeline.run(
            inputs: [feed], target: Self.native, destination: .file(existing.path),
            options: Self.options(format, strict: true))
        #expect(try Data(contentsOf: existing) == old)
        #expect(try Self.leftovers(in: directory).isEmpty)
    }

    @Test("A run that fails leaves an existing output as it was", arguments: formats)
    func failedRunLeavesOutputAlone(_ formatName: String) throws {
        let format = try #require(Robustness.registry.format(named: formatName))
        let (directory, feed) = try Self.feed(format)
        defer { try? FileManager.default.removeItem(at: directory) }
        let existing = directory.appendingPathComponent("existing.json")
        let old = Data("previous output\n".utf8)
        try old.write(to: existing)
        let pipeline = ConversionPipeline(registry: Robustness.registry)
        for bad in [directory.appendingPathComponent("missing").path, directory.path] {
            #expect(throws: ConversionPipeline.Failure.self) {
                try pipeline.run(
                    inputs: [feed, bad], target: Self.native, destination: .file(existing.path),
                    options: Self.options(format))
            }
            #expect(try Data(contentsOf: existing) == old)
        }
        #expect(try Self.leftovers(in: directory).isEmpty)
    }

    /// Temporary output files left behind in `directory`.
    static func leftovers(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".smrl-") }
    }
}
