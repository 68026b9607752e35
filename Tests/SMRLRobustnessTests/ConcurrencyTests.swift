import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

/// The library from several tasks at once: each task has its own pipeline, reader and writer; the registry,
/// the vocabulary and the descriptors are shared. Run under the thread sanitizer by `.ci/run`
/// (`swift test --sanitize=thread --filter ConcurrencyTests`).
@Suite("Concurrency", .timeLimit(.minutes(10)))
struct ConcurrencyTests {
    /// What one conversion produced, to compare runs.
    struct Outcome: Sendable, Equatable {
        var output: [UInt8]
        var summary: ConversionReport.Summary
        var diagnostics: [Diagnostic]
    }

    /// One feed file per format that can be written and read (the good and the faulty sample records).
    static func feeds(in directory: URL) throws -> [(format: String, path: String)] {
        try Robustness.roundTripFormats.map { format in
            let bytes = try Feeds.write(Feeds.libraryRecords + Feeds.faultyRecords, as: format)
            let path = directory.appendingPathComponent("feed-\(format.name).\(format.fileExtensions.first ?? "txt")").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return (format.name, path)
        }
    }

    /// Converts one feed to every writable format's neighbour in the registry (the next format, so that every
    /// reader and every writer run), with the validator and the duplicate detector, in memory.
    static func convert(_ path: String, from formatName: String) throws -> Outcome {
        let registry = FormatRegistry.builtIn
        let writable = registry.formats.filter(\.canWrite)
        let index = writable.firstIndex { $0.name == formatName } ?? 0
        let target = writable[(index + 1) % writable.count]
        var options = ConversionPipeline.Options()
        options.sourceFormat = registry.format(named: formatName)
        let validator = Validator(vocabulary: .bundled, profile: .library)
        let duplicates = DuplicateDetector()
        options.setRecordChecks(validator: validator, duplicates: duplicates)
        let pipeline = ConversionPipeline(registry: registry)
        let (report, sink) = try pipeline.run(inputs: [path], target: target, destination: .memory, options: options)
        return Outcome(output: sink?.memory ?? [], summary: report.summary, diagnostics: report.diagnostics)
    }

    @Test("Feeds converted in parallel come out exactly as converted one after another")
    func parallelEqualsSerial() async throws {
        let directory = Feeds.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let feeds = try Self.feeds(in: directory)
        try #require(feeds.count >= 2)

        var serial: [String: Outcome] = [:]
        for feed in feeds { serial[feed.format] = try Self.convert(feed.path, from: feed.format) }

        let rounds = 3
        let parallel = try await withThrowingTaskGroup(of: (String, Outcome).self) { group in
            for _ in 0..<rounds {
                for feed in feeds {
                    group.addTask { (feed.format, try Self.convert(feed.path, from: feed.format)) }
                }
            }
            var results: [(String, Outcome)] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(parallel.count == feeds.count * rounds)
        for (format, outcome) in parallel {
            let expected = try #require(serial[format])
            #expect(outcome.summary == expected.summary, "\(format)")
            #expect(outcome.diagnostics == expected.diagnostics, "\(format)")
            #expect(outcome.output == expected.output, "\(format): the output differs")
            #expect(!outcome.output.isEmpty)
        }
    }

    @Test("Readers of every format read at the same time, from the same bytes")
    func readersInParallel() async throws {
        let inputs: [(String, [UInt8])] = try Robustness.roundTripFormats.map { format in
            (format.name, try Feeds.write(Feeds.libraryRecords, as: format))
        }
        var serial: [String: [Resource]] = [:]
        for (name, bytes) in inputs {
            serial[name] = Robustness.read(bytes, as: Robustness.registry.format(named: name)!).records
        }
        let parallel = await withTaskGroup(of: (String, [Resource]).self) { group in
            for _ in 0..<4 {
                for (name, bytes) in inputs {
                    group.addTask {
                        (name, Robustness.read(bytes, as: FormatRegistry.builtIn.format(named: name)!).records)
                    }
                }
            }
            var results: [(String, [Resource])] = []
            for await result in group { results.append(result) }
            return results
        }
        for (name, records) in parallel {
            #expect(records == serial[name], "\(name)")
            #expect(!records.isEmpty)
        }
    }

    @Test("The values shared between tasks are Sendable (a compile-time check: this file fails to build otherwise)")
    func sendableAPI() {
        func requireSendable<T: Sendable>(_: T.Type) -> Bool { true }
        #expect(requireSendable(FormatRegistry.self))
        #expect(requireSendable(FormatDescriptor.self))
        #expect(requireSendable(ReaderOptions.self))
        #expect(requireSendable(WriterOptions.self))
        #expect(requireSendable(ReadResult.self))
        #expect(requireSendable(Resource.self))
        #expect(requireSendable(Diagnostic.self))
        #expect(requireSendable(ConversionReport.self))
        #expect(requireSendable(Vocabulary.self))
        #expect(requireSendable(Validator.self))
        #expect(requireSendable(DuplicateDetector.self))
        #expect(requireSendable(RecordFilter.self))
    }
}
