import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

/// The staged readers (RIS, MEDLINE, BibTeX, JATS) on real exports: a two-thread conversion, which interprets their
/// records on whichever thread has time, gives exactly what a one-thread conversion gives, file by file: the same
/// output bytes, the same diagnostics in the same order, the same report.
@Suite(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
struct StagedReadingCorpusTests {
    static let files =
        TestCorpus.files(in: "ris", extensions: ["ris", "txt", "nbib", "medline", "ciw"])
        + TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
        + TestCorpus.files(in: "jats", extensions: ["xml", "nxml"])

    static func convert(
        _ path: String, threads: Int, settings: [String: String] = [:]
    ) throws -> (output: [UInt8], diagnostics: [Diagnostic], summary: ConversionReport.Summary) {
        let registry = FormatRegistry.builtIn
        let pipeline = ConversionPipeline(registry: registry)
        var options = ConversionPipeline.Options()
        options.threads = threads
        options.readerOptions.settings = settings
        let validator = Validator()
        let duplicates = DuplicateDetector()
        options.checks = ConversionPipeline.recordChecks(validator: validator, duplicates: duplicates)
        var emitted: [Diagnostic] = []
        let target = try #require(registry.format(named: "smrl-ndjson"))
        let (report, sink) = try pipeline.run(inputs: [path], target: target, destination: .memory, options: options) {
            emitted.append($0)
        }
        return (sink?.memory ?? [], emitted, report.summary)
    }

    @Test func theCorpusHasStagedFormats() {
        #expect(Self.files.count > 100)
    }

    @Test(arguments: files)
    func twoThreadsGiveWhatOneGives(url: URL) throws {
        // A few corpus files are not recognisable without --from (the command says so); nothing to compare.
        if case .failure(.undetectableFormat) = Result(catching: { () throws(ConversionPipeline.Failure) in
            try ConversionPipeline(registry: .builtIn).open(url.path, format: nil)
        }) {
            return
        }
        let one = try Self.convert(url.path, threads: 1)
        let two = try Self.convert(url.path, threads: 2)
        #expect(one.output == two.output, "\(url.lastPathComponent)")
        #expect(one.diagnostics == two.diagnostics, "\(url.lastPathComponent)")
        #expect(one.summary == two.summary, "\(url.lastPathComponent)")
    }

    /// JATS stages references (articles are mapped in order, as their journal and language pass on): every
    /// article's references as well, and sub-articles. (The folder also holds a few Crossref deposits, which are
    /// no JATS: both runs report that alike.)
    @Test(arguments: TestCorpus.files(in: "jats", extensions: ["xml", "nxml"]))
    func jatsReferencesOnTwoThreadsGiveWhatOneGives(url: URL) throws {
        let settings = ["jats.content": "both", "jats.sub-articles": "records"]
        let one = try Self.convert(url.path, threads: 1, settings: settings)
        let two = try Self.convert(url.path, threads: 2, settings: settings)
        #expect(one.output == two.output, "\(url.lastPathComponent)")
        #expect(one.diagnostics == two.diagnostics, "\(url.lastPathComponent)")
        #expect(one.summary == two.summary, "\(url.lastPathComponent)")
    }
}
