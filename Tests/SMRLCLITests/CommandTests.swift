import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@Suite("smrl command")
struct CommandTests {
    @Test func helpListsEverySubcommandAndVersionPrints() throws {
        let help = try CommandRunner.run(["--help"])
        #expect(help.status == 0)
        for name in ["convert", "validate", "formats", "vocabulary"] { #expect(help.stdout.contains(name)) }
        let version = try CommandRunner.run(["--version"])
        #expect(version.stdout.hasPrefix("smrl "))
        let convertHelp = try CommandRunner.run(["convert", "--help"])
        #expect(convertHelp.stdout.contains("--domain"))
        #expect(convertHelp.stdout.contains("Examples:"))
    }

    @Test func formatsListsEveryFormatAsTextAndJSON() throws {
        let text = try CommandRunner.run(["formats"])
        #expect(text.status == 0)
        let json = try CommandRunner.run(["formats", "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [[String: Any]])
        let names = list.compactMap { $0["name"] as? String }
        #expect(names == ["smrl-json", "smrl-ndjson", "ris", "medline", "bibtex", "biblatex", "csl-json", "jats"])
        for name in names { #expect(text.stdout.contains(name)) }
    }

    @Test func vocabularyJSONIsTheBundledVocabulary() throws {
        let result = try CommandRunner.run(["vocabulary", "--format", "json"])
        #expect(result.status == 0)
        let decoded = try JSONDecoder().decode(Vocabulary.self, from: result.stdoutData)
        #expect(decoded == Vocabulary.bundled)
        let text = try CommandRunner.run(["vocabulary"])
        #expect(text.stdout.contains("pathways-admission-graduation  Pathways, Admission, & Graduation"))
    }

    @Test func runsThatCannotProceedExitWithTwo() throws {
        let missing = try CommandRunner.run(["validate", "no-such-file.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-file.json"))
        let unknown = try CommandRunner.run(["convert", "Samples/library.json", "--to", "marc"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown format 'marc'"))
        let badVocabulary = try CommandRunner.run(["validate", "--vocabulary", "README.md", "Samples/library.json"])
        #expect(badVocabulary.status == 2)
        let badFilter = try CommandRunner.run(["convert", "Samples/library.json", "--to", "smrl-json", "--domain", "Astronomy"])
        #expect(badFilter.status == 2)
        #expect(badFilter.stderr.contains("Astronomy"))
    }

    @Test func argumentErrorsUseTheParsersStatus() throws {
        let result = try CommandRunner.run(["convert", "Samples/library.json"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--to"))
    }

    @Test func theSampleLibraryIsValidUnderTheLibraryProfile() throws {
        let result = try CommandRunner.run(["validate", "Samples/library.json", "--profile", "library"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("error["))
        #expect(result.stderr.contains("records read"))
    }

    @Test func theFaultyFeedFailsWithLocatedDiagnosticsAndAJSONReport() throws {
        let text = try CommandRunner.run(["validate", "Samples/faulty-feed.json", "--profile", "library"])
        #expect(text.status == 1)
        let pattern = #/Samples/faulty-feed\.json:\d+:\d+: error\[vocabulary\.unknown-domain\]: /#
        #expect(text.stderr.contains(pattern))

        let json = try CommandRunner.run(["validate", "Samples/faulty-feed.json", "--profile", "library", "--format", "json"])
        #expect(json.status == 1)
        let report = try JSONDecoder().decode(ConversionReport.self, from: json.stdoutData)
        #expect(report.summary.recordsWithErrors > 0)
        #expect(report.summary.recordsRead > report.summary.recordsWithErrors)
        let codes = Set(report.diagnostics.map(\.code))
        for code in DiagnosticCode.validationCodes { #expect(codes.contains(code), "\(code) missing") }
        #expect(report.diagnostics.allSatisfy { $0.location != nil })
    }

    /// A JSON report large enough that its diagnostics and losses go through temporary files on their way (the
    /// command keeps them on disk past 256 KiB) holds every one, in the order the text output prints them, and counts
    /// that agree with its summary.
    @Test func aLargeJSONReportHoldsEveryDiagnosticAndLossInOrder() throws {
        let sample = try JSONDecoder().decode(
            [Resource].self, from: Data(contentsOf: TestCorpus.repositoryFile("Samples/faulty-feed.json")))
        var feed: [Resource] = []
        for copy in 0..<120 {
            for var record in sample {
                record.id = (record.id ?? "r") + "-\(copy)"
                feed.append(record)
            }
        }
        let directory = CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("feed.ndjson")
        let encoder = JSONEncoder()
        var lines = Data()
        for record in feed { lines += try encoder.encode(record) + Data("\n".utf8) }
        try lines.write(to: input)
        let reportPath = directory.appendingPathComponent("report.json").path
        let arguments = ["convert", input.path, "--to", "ris", "-o", directory.appendingPathComponent("out.ris").path]

        let json = try CommandRunner.run(arguments + ["--report", reportPath])
        #expect(json.status == 1)
        let reportData = try Data(contentsOf: URL(fileURLWithPath: reportPath))
        #expect(reportData.count > 2 << 20)
        let report = try JSONDecoder().decode(ConversionReport.self, from: reportData)
        #expect(report.summary.recordsRead == feed.count)
        #expect(report.diagnostics.count == report.summary.errors + report.summary.warnings + report.summary.notes)
        #expect(report.losses.count == report.lossSummary.reduce(0) { $0 + $1.records })
        #expect(report.losses.count >= 120)

        // The same run's text output prints each diagnostic as `file:line:column: severity[code]: message`.
        let printed = json.stderr.split(separator: "\n").filter { $0.contains("[") && $0.hasPrefix(input.path) }
        let reported = report.diagnostics.map { diagnostic -> String in
            let place = diagnostic.location.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
            return place + "\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(diagnostic.message)"
        }
        #expect(printed.count == reported.count)
        #expect(zip(printed, reported).allSatisfy { $0.hasPrefix($1) })
    }

    /// The loss summary tells a field that is not in the output from one that is there in another form, with the
    /// writer's detail; the JSON report says which for every loss.
    @Test func lossesSayWhetherAFieldWasDroppedOrChanged() throws {
        let directory = CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("one.ndjson")
        let record = #"{"id":"s1","type":"article-journal","title":"Main","subtitle":"Sub","#
            + #""authors":[{"family":"Doe","given":"Ann","orcid":"0000-0002-1825-0097"}],"issued":"2020"}"#
        try Data((record + "\n").utf8).write(to: input)
        let reportPath = directory.appendingPathComponent("report.json").path
        let run = try CommandRunner.run(
            ["convert", input.path, "--to", "ris", "-o", directory.appendingPathComponent("out.ris").path,
             "--report", reportPath])
        #expect(run.status == 0)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("changed in ris: subtitle: 1 record (first: s1, record 1 of \(input.path): joined into TI after ': ')"))
        #expect(lines.contains("not carried into ris: authors.orcid: 1 record (first: s1, record 1 of \(input.path): RIS has no place for ORCID iDs)"))
        let report = try JSONDecoder().decode(ConversionReport.self, from: Data(contentsOf: URL(fileURLWithPath: reportPath)))
        #expect(report.losses.first { $0.field == "subtitle" }?.kind == .changed)
        #expect(report.losses.first { $0.field == "authors.orcid" }?.kind == .dropped)
        #expect(report.lossSummary.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.changed, .dropped])
    }

    /// `--no-duplicates` turns the duplicate detector off (and with it the only check whose memory grows with the
    /// feed); everything else is checked as before. It cannot go with `--against`.
    @Test func noDuplicatesSkipsOnlyTheDuplicateCheck() throws {
        let arguments = ["validate", "Samples/faulty-feed.json", "--format", "json"]
        let with = try JSONDecoder().decode(
            ConversionReport.self, from: try CommandRunner.run(arguments).stdoutData)
        let without = try JSONDecoder().decode(
            ConversionReport.self, from: try CommandRunner.run(arguments + ["--no-duplicates"]).stdoutData)
        let isDuplicate: (Diagnostic) -> Bool = { $0.code.rawValue.hasPrefix("duplicate.") }
        #expect(with.diagnostics.contains(where: isDuplicate))
        #expect(!without.diagnostics.contains(where: isDuplicate))
        #expect(without.diagnostics == with.diagnostics.filter { !isDuplicate($0) })

        let conflict = try CommandRunner.run(arguments + ["--no-duplicates", "--against", "Samples/library.json"])
        #expect(conflict.status == 2)
        #expect(conflict.stderr.contains("--no-duplicates"))
    }

    @Test func convertWritesGoodRecordsAndStrictWritesNothing() throws {
        let directory = CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.json").path
        let lenient = try CommandRunner.run([
            "convert", "Samples/faulty-feed.json", "--to", "smrl-json", "-o", output,
        ])
        #expect(lenient.status == 1)
        let written = try JSONDecoder().decode([Resource].self, from: Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(!written.isEmpty)
        #expect(lenient.stderr.contains("\(written.count) written"))

        try Data("previous".utf8).write(to: URL(fileURLWithPath: output))
        let strict = try CommandRunner.run([
            "convert", "Samples/faulty-feed.json", "--to", "smrl-json", "-o", output, "--strict",
        ])
        #expect(strict.status == 1)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous")

        let strictStdout = try CommandRunner.run(["convert", "Samples/faulty-feed.json", "--to", "smrl-json", "--strict"])
        #expect(strictStdout.stdout.isEmpty)
    }

    @Test func convertReadsStandardInputAndFiltersByDomain() throws {
        let library = try Data(contentsOf: TestCorpus.repositoryFile("Samples/library.json"))
        let all = try JSONDecoder().decode([Resource].self, from: library)
        let result = try CommandRunner.run(
            ["convert", "--from", "smrl-json", "--to", "smrl-ndjson", "--domain", "Community Engagement"], stdin: library)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        let expected = all.filter { $0.domains.contains("community-engagement") }
        #expect(lines.count == expected.count)
        #expect(!expected.isEmpty && expected.count < all.count)
    }
}
