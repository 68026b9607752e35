import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `smrl` binary: `--max-record-size` and `--max-depth`, and a conversion killed half-way.
@Suite("Command: limits and interrupted runs", .timeLimit(.minutes(5)))
struct CommandLimitTests {
    /// The `smrl` executable beside the test bundle.
    static let executable: URL = {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            directory.appendingPathComponent("smrl"), directory.deletingLastPathComponent().appendingPathComponent("smrl"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let directory = Feeds.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout")
        let err = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
            stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// A smrl-json file of three records, the middle one with a 300 KB title nested in 40 levels of arrays in
    /// an unknown key (so that either limit can refuse it).
    static func hostileFeed(in directory: URL) throws -> String {
        let records = Array(Feeds.libraryRecords.prefix(3))
        let native = Robustness.registry.format(named: "smrl-json")!
        var text = String(decoding: try Feeds.write(records, as: native), as: UTF8.self)
        let title = try #require(records[1].title)
        let big = String(repeating: "Lorem ipsum dolor sit amet ", count: 12_000)
        let nested = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        text = text.replacingOccurrences(
            of: "\"title\": \"\(title)\"", with: "\"title\": \"\(big)\", \"nest\": \(nested)")
        let path = directory.appendingPathComponent("hostile.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("--max-record-size refuses a larger record with input.record-too-large; K, M and G are accepted")
    func maxRecordSize() throws {
        let directory = Feeds.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let feed = try Self.hostileFeed(in: directory)

        let refused = try Self.run(["validate", "--max-record-size", "64K", feed])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("input.record-too-large"))
        #expect(refused.stderr.contains("hostile.json:"))

        let accepted = try Self.run(["validate", "--max-record-size", "1M", "--format", "json", feed])
        #expect(!accepted.stdout.contains("input.record-too-large"))
        #expect(accepted.stdout.contains("\"recordsRead\" : 3"))

        for bad in ["0", "-5", "12Q", "99999999999G"] {
            let result = try Self.run(["validate", "--max-record-size", bad, feed])
            #expect(result.status != 0 && result.status != 1, "--max-record-size \(bad)")
        }
    }

    @Test("--max-depth refuses deeper nesting with input.nesting-too-deep")
    func maxDepth() throws {
        let directory = Feeds.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let feed = try Self.hostileFeed(in: directory)

        let refused = try Self.run(["validate", "--max-depth", "16", feed])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("input.nesting-too-deep"))

        let accepted = try Self.run(["validate", "--max-depth", "64", "--format", "json", feed])
        #expect(!accepted.stdout.contains("input.nesting-too-deep"))

        let zero = try Self.run(["validate", "--max-depth", "0", feed])
        #expect(zero.status != 0 && zero.status != 1)
    }

    @Test("The help names both limits and their defaults")
    func helpNamesTheLimits() throws {
        let help = try Self.run(["convert", "--help"]).stdout
        #expect(help.contains("--max-record-size"))
        #expect(help.contains("--max-depth"))
        #expect(help.contains("\(ReaderOptions().maxRecordBytes >> 20)M"))
    }

    @Test("A conversion killed half-way leaves the existing output as it was", arguments: CountTests.formats)
    func killedConversion(_ formatName: String) throws {
        let format = try #require(Robustness.registry.format(named: formatName))
        let directory = Feeds.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.json")
        let old = Data("previous output\n".utf8)
        try old.write(to: output)
        // Enough records that the converter writes to its temporary file before the input ends.
        let records = Array(repeating: Feeds.libraryRecords, count: 30).flatMap { $0 }
        let feed = try Feeds.write(records, as: format)

        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["convert", "--from", format.name, "--to", "smrl-json", "-o", output.path, "-"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        signal(SIGPIPE, SIG_IGN)  // a converter that ended early must fail the test, not kill it
        try process.run()
        // Most of the feed, never its end: the converter waits for the rest.
        try input.fileHandleForWriting.write(contentsOf: Data(feed.prefix(feed.count * 3 / 4)))
        var sawPartialOutput = false
        for _ in 0..<400 where !sawPartialOutput {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            sawPartialOutput = names.contains { name in
                guard name.contains(".smrl-") else { return false }
                let size = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size]) as? Int
                return (size ?? 0) > 0
            }
            if !sawPartialOutput { usleep(25_000) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(sawPartialOutput, "\(formatName): the converter never wrote to its temporary file")
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try Data(contentsOf: output) == old)
    }
}
