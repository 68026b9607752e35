import Foundation
@testable import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

/// The README cannot rot: its commands parse with smrl's own argument parser, the ones marked `sh` run on the
/// bundled samples with the exit status they claim, its generated sections are current, and its two commands are
/// what the repository really does.
@Suite("README and guides")
struct READMETests {
    /// Markdown files whose command examples are checked.
    static let guides = ["README.md", "CONTRIBUTING.md"]

    /// Info strings of blocks whose `smrl` lines are checked against the parser.
    static let commandInfos: Set<String> = ["sh", "shell", "bash", "console", "yaml"]

    @Test(arguments: guides)
    func everyDocumentedCommandParses(_ path: String) throws {
        let document = MarkdownDocument(try DocsFiles.read(path))
        var checked = 0
        for line in document.commandLines(infos: Self.commandInfos) {
            for words in ShellLine(line.text).commands where words.first == "smrl" {
                checked += 1
                if let problem = CommandCheck.problem(with: Array(words.dropFirst())) {
                    Issue.record("\(path):\(line.line): `\(line.text)`: \(problem)")
                }
            }
        }
        if path == "README.md" { #expect(checked >= 20, "the README should show the command at work") }
    }

    /// Blocks marked `sh` in the README are run as written, in order, in a scratch copy of the repository's samples,
    /// with the built `smrl` first on `PATH`. A line ends with exit status 0 unless its comment says `# exit N`.
    @Test func samplesExamplesRunAsWritten() throws {
        let document = MarkdownDocument(try DocsFiles.read("README.md"))
        let lines = document.commandLines(infos: ["sh"])
        #expect(lines.count >= 10)
        let scratch = Shell.temporaryDirectory("readme")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(
            at: TestCorpus.repositoryFile("Samples"), to: scratch.appendingPathComponent("Samples"))
        for line in lines {
            let shell = ShellLine(line.text)
            #expect(
                shell.commands.allSatisfy { $0.first == "smrl" || $0.first == "cat" },
                "README.md:\(line.line): `sh` blocks hold smrl commands only (mark other blocks `shell` or `bash`)")
            let result = try Shell.bash(line.text, in: scratch, path: SMRLBinary.url.deletingLastPathComponent())
            #expect(
                result.status == shell.expectedStatus,
                "README.md:\(line.line): `\(line.text)` exited \(result.status), README says \(shell.expectedStatus)\n\(result.stderr.prefix(2000))")
            #expect(!result.stderr.contains("smrl: error:"), "README.md:\(line.line): \(result.stderr.prefix(500))")
        }
    }

    /// The two commands a fresh machine needs: the samples run and the test run, exactly as the repository has them.
    @Test func theTwoCommandsAreTheRepositorysOwn() throws {
        let readme = MarkdownDocument(try DocsFiles.read("README.md"))
        let block = try #require(readme.blocks.first { $0.info == "bash" }, "the first bash block holds the two commands")
        let commands = block.lines.map { ShellLine($0).commands }.flatMap { $0 }
        #expect(commands == [["scripts/run-samples.sh"], ["swift", "test"]])

        let script = DocsFiles.url("scripts/run-samples.sh")
        #expect(FileManager.default.isExecutableFile(atPath: script.path))
        let ci = try DocsFiles.read(".ci/run")
        #expect(ci.split(separator: "\n").contains("swift test"), ".ci/run must call `swift test` exactly")
        #expect(FileManager.default.isExecutableFile(atPath: DocsFiles.url(".ci/run").path))
        // What the README says the script does.
        let scriptText = try DocsFiles.read("scripts/run-samples.sh")
        for promise in ["libxml2-dev", "pkg-config", "swift build -c release", "validate", "convert", "out/"] {
            #expect(scriptText.contains(promise), "scripts/run-samples.sh no longer does '\(promise)'")
        }
    }

    @Test func formatsTableIsTheRegistrys() throws {
        try DocsFiles.expectCurrentSection("README.md", "formats", Self.formatsTable(FormatRegistry.builtIn))
    }

    /// The formats table: what `smrl formats` says, as Markdown.
    static func formatsTable(_ registry: FormatRegistry) -> String {
        var lines = [
            "| Format | Reads | Writes | Extensions | Also accepted as | What it is |",
            "|---|---|---|---|---|---|",
        ]
        for format in registry.formats {
            let extensions = format.fileExtensions.map { "`.\($0)`" }.joined(separator: " ")
            let aliases = format.aliases.map { "`\($0)`" }.joined(separator: " ")
            lines.append(
                "| `\(format.name)` | \(format.canRead ? "yes" : "no") | \(format.canWrite ? "yes" : "no") | \(extensions) | \(aliases) | \(format.summary.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The JSON report shown in the README decodes as a report, and names every key a report has, no more.
    @Test func reportExampleHasTheReportsShape() throws {
        let readme = MarkdownDocument(try DocsFiles.read("README.md"))
        let example = try #require(readme.blocks.first { $0.info == "json" && $0.text.contains("\"summary\"") })
        let data = Data(example.text.utf8)
        let report = try JSONDecoder().decode(ConversionReport.self, from: data)
        #expect(!report.diagnostics.isEmpty && !report.losses.isEmpty && !report.lossSummary.isEmpty)

        // Every key the encoder writes for a full report (no optional left out) is in the example, and no other.
        var full = ConversionReport()
        full.targetFormat = "ris"
        var diagnostic = Diagnostic(
            .warning, "duplicate.same-doi", "m", at: SourceLocation(file: "f", line: 1, column: 1), field: "doi",
            suggestion: "s", related: SourceLocation(file: "f", line: 1, column: 1), recordIndex: 0, recordID: "r")
        diagnostic.message = "m"
        full.diagnostics = [diagnostic]
        full.recordLoss(.init(file: "f", recordIndex: 0, recordID: "r", field: "x", detail: "d", kind: .changed), keepEntry: true)
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(full))
        let shown = try JSONSerialization.jsonObject(with: data)
        var expectedKeys = Self.keyPaths(encoded)
        // `related` is a location like `location`; the example shows `location` only.
        expectedKeys = expectedKeys.filter { !$0.contains(".related") }
        #expect(Self.keyPaths(shown) == expectedKeys)
    }

    /// Every key path of a JSON value (`summary.recordsRead`, `diagnostics[].location.line`).
    static func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set<String>()) { result, member in
                let path = prefix.isEmpty ? member.key : prefix + "." + member.key
                result.insert(path)
                result.formUnion(keyPaths(member.value, prefix: path))
            }
        }
        if let array = value as? [Any] {
            return array.reduce(into: Set<String>()) { $0.formUnion(keyPaths($1, prefix: prefix + "[]")) }
        }
        return []
    }

    /// The settings table names every format setting a reader or writer looks up, and nothing else.
    @Test func settingsTableNamesEverySetting() throws {
        let pattern = #/"((?:ris|medline|bibtex|biblatex|csl-json|jats|smrl-json|smrl-ndjson)\.[a-z][a-z0-9-]*)"/#
        let texts = try CodeOrganisationTests.sources().filter { !$0.path.hasPrefix("Sources/smrl/") }.map(\.text)
        var used: Set<String> = []
        for text in texts {
            for match in text.matches(of: pattern) { used.insert(String(match.output.1)) }
        }
        // Keys of `extra` look the same; keep the names that are looked up as settings.
        used = used.filter { key in
            texts.contains { $0.contains("settings[\"\(key)\"]") || $0.contains("flag(\"\(key)\"") }
        }
        let readme = try DocsFiles.read("README.md")
        var listed: Set<String> = []
        for match in readme.matches(of: #/^\| `([a-z-]+\.[a-z0-9-]+)` \|/#.anchorsMatchLineEndings()) {
            listed.insert(String(match.output.1))
        }
        #expect(!used.isEmpty)
        #expect(listed == used, "README settings table: missing \(used.subtracting(listed).sorted()), unknown \(listed.subtracting(used).sorted())")
    }

    /// Relative links in the guides and the docs folder point at files that exist.
    @Test func relativeLinksResolve() throws {
        var paths = Self.guides
        let docs = DocsFiles.url("docs")
        if let enumerator = FileManager.default.enumerator(at: docs, includingPropertiesForKeys: nil) {
            for case let url as URL in enumerator where url.pathExtension == "md" {
                paths.append("docs/" + url.path.dropFirst(docs.path.count + 1))
            }
        }
        let pattern = #/\]\(([^)\s#]+)(#[^)]*)?\)/#
        for path in paths {
            let text = try DocsFiles.read(path)
            let base = URL(fileURLWithPath: path).deletingLastPathComponent().relativePath
            for match in text.matches(of: pattern) {
                let target = String(match.output.1)
                if target.contains("://") || target.hasPrefix("mailto:") { continue }
                let resolved = base == "." ? target : base + "/" + target
                #expect(DocsFiles.exists(resolved), "\(path): link to \(target) does not resolve")
            }
        }
    }
}
