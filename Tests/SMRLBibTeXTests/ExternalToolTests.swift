import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// The tools that must read the writer's output without complaint. CI installs them with
/// `apt-get install -y --no-install-recommends biber texlive-binaries texlive-base`.
enum ExternalTools {
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let biber = find("biber")
    static let bibtex = find("bibtex")
    /// plain.bst is in texlive-base; `kpsewhich` (texlive-binaries) finds it.
    static let hasPlainStyle: Bool = {
        guard let kpsewhich = find("kpsewhich"), let output = try? run(kpsewhich, ["plain.bst"], in: NSTemporaryDirectory())
        else { return false }
        return output.status == 0 && !output.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }()

    static let biberMessage = "skipped: biber is not installed (apt-get install -y --no-install-recommends biber)"
    static let bibtexMessage =
        "skipped: bibtex or plain.bst is not installed (apt-get install -y --no-install-recommends texlive-binaries texlive-base)"

    /// Runs a tool and returns its exit status and its standard output and error together.
    static func run(_ tool: String, _ arguments: [String], in directory: String) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "smrl-bibtex-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// biber's complaints about a .bib (tool mode): every WARN and ERROR line.
    static func biberProblems(_ text: String) throws -> [String] {
        guard let biber else { return ["biber missing"] }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try text.write(toFile: directory + "/in.bib", atomically: true, encoding: .utf8)
        let output = try run(biber, ["--tool", "--output-file=out.bib", "in.bib"], in: directory)
        var problems = output.text.split(separator: "\n").filter { $0.contains("WARN") || $0.contains("ERROR") }
            .map(String.init)
        if output.status != 0 { problems.append("biber exited with \(output.status)") }
        return problems
    }

    /// bibtex's complaints about a .bib read through plain.bst with `\nocite{*}`: every warning and error line.
    static func bibtexProblems(_ text: String) throws -> [String] {
        guard let bibtex else { return ["bibtex missing"] }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try text.write(toFile: directory + "/refs.bib", atomically: true, encoding: .utf8)
        try "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n"
            .write(toFile: directory + "/doc.aux", atomically: true, encoding: .utf8)
        let output = try run(bibtex, ["doc"], in: directory)
        var problems = output.text.split(separator: "\n")
            .filter { $0.hasPrefix("Warning--") || $0.contains("error message") || $0.contains("I was expecting")
                || $0.contains("I'm skipping") || $0.contains("I'm ignoring") || $0.contains("Repeated entry")
                || $0.contains("isn't style-file defined") || $0.contains("I couldn't") }
            .map(String.init)
        if output.status > 1 { problems.append("bibtex exited with \(output.status)") }
        return problems
    }

    /// plain.bst's notes about missing data ("empty publisher"), which depend on the records, not on the syntax.
    static func isDataCompletenessWarning(_ line: String) -> Bool {
        line.hasPrefix("Warning--empty") || line.hasPrefix("Warning--can't use both")
            || line.hasPrefix("Warning--there's a number but no series") || line.hasPrefix("Warning--page numbers missing")
            || line.hasPrefix("Warning--to sort, need")
    }
}

@Suite struct ExternalToolTests {
    @Test(.enabled(if: ExternalTools.biber != nil, Comment(rawValue: ExternalTools.biberMessage)))
    func biberReadsTheRichRecordSet() throws {
        let (text, _) = BibTeXTest.write(RichRecords.all, dialect: .biblatex)
        let problems = try ExternalTools.biberProblems(text)
        #expect(problems == [], "\(problems)")
    }

    @Test(.enabled(if: ExternalTools.bibtex != nil && ExternalTools.hasPlainStyle,
        Comment(rawValue: ExternalTools.bibtexMessage)))
    func bibtexReadsTheRichRecordSet() throws {
        let (text, _) = BibTeXTest.write(RichRecords.all, dialect: .bibtex)
        let problems = try ExternalTools.bibtexProblems(text)
        #expect(problems == [], "\(problems)")
    }

    @Test(.enabled(if: ExternalTools.biber != nil && TestCorpus.isAvailable,
        Comment(rawValue: ExternalTools.biberMessage + " (or the shared corpus is absent)")))
    func biberReadsBiblatexExamples() throws {
        let records = try BibTeXTest.readFile(TestCorpus.url("bibtex/biblatex/biblatex-examples.bib")).compactMap(\.record)
        #expect(records.count > 80)
        let (text, _) = BibTeXTest.write(records, dialect: .biblatex)
        let problems = try ExternalTools.biberProblems(text)
        #expect(problems == [], "\(problems)")
    }

    @Test(.enabled(if: ExternalTools.bibtex != nil && ExternalTools.hasPlainStyle && TestCorpus.isAvailable,
        Comment(rawValue: ExternalTools.bibtexMessage + " (or the shared corpus is absent)")))
    func bibtexReadsBiblatexExamples() throws {
        let records = try BibTeXTest.readFile(TestCorpus.url("bibtex/biblatex/biblatex-examples.bib")).compactMap(\.record)
        let (text, _) = BibTeXTest.write(records, dialect: .bibtex)
        // plain.bst notes missing data (biblatex-examples has books without publishers, for one); anything else
        // would be a syntax problem of the writer.
        let problems = try ExternalTools.bibtexProblems(text).filter { !ExternalTools.isDataCompletenessWarning($0) }
        #expect(problems == [], "\(problems)")
    }
}
