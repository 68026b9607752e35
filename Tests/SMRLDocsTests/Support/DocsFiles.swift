import Foundation
import SMRLTestSupport
import Testing

/// Reads and (when asked to) rewrites the repository's documentation files.
///
/// Generated documentation is compared with what the code produces today. Run the tests with
/// `SMRL_UPDATE_DOCS=1` to rewrite the files instead (`SMRL_UPDATE_DOCS=1 swift test --filter SMRLDocsTests`), then
/// review the diff and commit it.
enum DocsFiles {
    static var updating: Bool { ProcessInfo.processInfo.environment["SMRL_UPDATE_DOCS"] == "1" }

    static let howToUpdate = "regenerate with: SMRL_UPDATE_DOCS=1 swift test --filter SMRLDocsTests"

    static func url(_ path: String) -> URL { TestCorpus.repositoryFile(path) }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: url(path), encoding: .utf8)
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: url(path).path) }

    /// Expects the committed file to equal `generated`; with `SMRL_UPDATE_DOCS=1` writes it instead.
    static func expectCurrent(_ path: String, _ generated: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let committed = try? read(path)
        if committed == generated { return }
        if updating {
            try FileManager.default.createDirectory(
                at: url(path).deletingLastPathComponent(), withIntermediateDirectories: true)
            try generated.write(to: url(path), atomically: true, encoding: .utf8)
            return
        }
        Issue.record(
            "\(path) is not what the code produces today (\(firstDifference(committed ?? "", generated))); \(howToUpdate)",
            sourceLocation: sourceLocation)
    }

    /// Expects a marked section of a committed file to equal `generated`; with `SMRL_UPDATE_DOCS=1` rewrites it.
    static func expectCurrentSection(
        _ path: String, _ name: String, _ generated: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let document = MarkdownDocument(try read(path))
        guard let section = document.section(name) else {
            Issue.record("\(path) has no <!-- \(name):begin --> … <!-- \(name):end --> section", sourceLocation: sourceLocation)
            return
        }
        let wanted = "\n" + generated + (generated.hasSuffix("\n") ? "" : "\n")
        if section.current == wanted { return }
        if updating {
            try section.replacing(wanted).write(to: url(path), atomically: true, encoding: .utf8)
            return
        }
        Issue.record(
            "\(path), section \(name), is not what the code produces today (\(firstDifference(section.current, wanted))); \(howToUpdate)",
            sourceLocation: sourceLocation)
    }

    /// Where two texts first differ, for a readable failure.
    static func firstDifference(_ old: String, _ new: String) -> String {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(oldLines.count, newLines.count) {
            let a = index < oldLines.count ? String(oldLines[index]) : "<end>"
            let b = index < newLines.count ? String(newLines[index]) : "<end>"
            if a != b { return "line \(index + 1): committed \"\(a.prefix(160))\", generated \"\(b.prefix(160))\"" }
        }
        return "same lines, different bytes"
    }
}

/// Runs the built `smrl` binary.
enum SMRLBinary {
    /// The `smrl` executable next to the test bundle.
    static let url: URL = {
        let bundleDirectory = URL(fileURLWithPath: Swift.CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("smrl"),
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("smrl"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `smrl` with arguments.
    static func run(_ arguments: [String], in directory: URL = TestCorpus.repositoryRoot) throws -> Result {
        try Shell.run(executable: url, arguments: arguments, in: directory)
    }
}

enum Shell {
    /// Runs a program with output captured through files (a large output never blocks on a full pipe).
    static func run(
        executable: URL, arguments: [String], in directory: URL, environment extra: [String: String] = [:]
    ) throws -> SMRLBinary.Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["COLUMNS"] = "80"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let scratch = temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return SMRLBinary.Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs a command line with bash.
    static func bash(_ line: String, in directory: URL, path: URL) throws -> SMRLBinary.Result {
        let inherited = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return try run(
            executable: URL(fileURLWithPath: "/bin/bash"), arguments: ["-c", line], in: directory,
            environment: ["PATH": path.path + ":" + inherited])
    }

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smrl-docs-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
