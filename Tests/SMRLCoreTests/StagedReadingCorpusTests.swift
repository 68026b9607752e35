import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

/// The staged readers (RIS, MEDLINE, BibTeX, CSL-JSON, smrl-json/ndjson, JATS) on real exports: a two-thread
/// conversion, which interprets their records on whichever thread has time, gives exactly what a one-thread
/// conversion gives, file by file: the same output bytes, the same diagnostics in the same order, the same report.
@Suite(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
struct StagedReadingCorpusTests {
    static let files =
        TestCorpus.files(in: "ris", extensions: ["ris", "txt", "nbib", "medline", "ciw"])
        + TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])
        + TestCorpus.files(in: "jats", extensions: ["xml", "nxml"])

    /// The corpus's CSL-JSON files and the repository's JSON samples (CSL-JSON, smrl-json, smrl-ndjson).
    static let jsonFiles =
        TestCorpus.files(in: "csljson", extensions: ["json"])
        + ["Samples/library.csl.json", "Samples/library.json", "Samples/library.ndjson", "Samples/faulty-feed.json"]
        .map { TestCorpus.repositoryFile($0) }

    static func convert(
        _ path: String, threads: Int, from source: String? = nil, settings: [String: String] = [:]
    ) throws -> (output: [UInt8], diagnostics: [Diagnostic], summary: ConversionReport.Summary) {
        let registry = FormatRegistry.builtIn
        let pipeline = ConversionPipeline(registry: registry)
        var options = ConversionPipeline.Options()
        options.threads = threads
        options.readerOptions.settings = settings
        if let source { options.sourceFormat = try #require(registry.format(named: source)) }
        let validator = Validator()
        let duplicates = DuplicateDetector()
        options.setRecordChecks(validator: validator, duplicates: duplicates)
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

    @Test func theCorpusHasJSONFiles() {
        #expect(Self.jsonFiles.count > 40)
    }

    @Test(arguments: jsonFiles)
    func twoThreadsGiveWhatOneGivesForJSON(url: URL) throws {
        try expectSameWithTwoThreads(url.path, from: nil)
    }

    /// The smrl-json reader on every JSON file, CSL-JSON included: mostly records with unknown keys and values
    /// of the wrong type, many diagnostics to keep in order.
    @Test(arguments: jsonFiles)
    func twoThreadsGiveWhatOneGivesForJSONReadAsNative(url: URL) throws {
        try expectSameWithTwoThreads(url.path, from: "smrl-json")
    }

    /// Long feeds built from the samples (many batches, so both threads interpret records), with what the
    /// readers report between and inside records: a byte-order mark, a syntax error, an element that is no
    /// object, a string that is not UTF-8, and for CSL-JSON a CSL 1.1 document.
    @Test(arguments: ["smrl-ndjson", "smrl-json", "csl-json", "csl-json-lines", "csl-1.1"])
    func twoThreadsGiveWhatOneGivesOnLongFeeds(layout: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("staged-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let native = try String(contentsOf: TestCorpus.repositoryFile("Samples/library.ndjson"), encoding: .utf8)
            .split(separator: "\n").map { Array($0.utf8) }
        let cslData = try Data(contentsOf: TestCorpus.repositoryFile("Samples/library.csl.json"))
        let cslItems = try #require(try JSONSerialization.jsonObject(with: cslData) as? [Any]).map {
            Array(try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]))
        }
        let items = layout.hasPrefix("csl") ? cslItems : native
        var elements: [[UInt8]] = []
        for round in 0..<40 {
            for (position, item) in items.enumerated() {
                elements.append(item)
                guard position == 3 else { continue }
                switch round % 4 {
                case 0: elements.append(Array(#"{"id": "broken-\#(round)", "title": nope}"#.utf8))
                case 1: elements.append(Array("[\(round), 2]".utf8))
                case 2: elements.append(Array(#"{"id": "legacy-\#(round)", "type": "book", "title": "Caf"#.utf8) + [0xE9, 0x22, 0x7D])
                default: break
                }
            }
        }
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        let name: String
        switch layout {
        case "smrl-ndjson", "csl-json-lines":
            name = layout == "smrl-ndjson" ? "feed.ndjson" : "feed-lines.json"
            for element in elements { bytes += element + [0x0A] }
        case "csl-1.1":
            name = "feed-1.1.json"
            bytes += Array(#"{"version": 1.1, "references": ["#.utf8)
            // A syntax error would lose the whole document: only well-formed elements here.
            let wellFormed = elements.filter { (try? JSONSerialization.jsonObject(with: Data($0), options: [.fragmentsAllowed])) != nil }
            bytes += Array(wellFormed.joined(separator: Array(",\n".utf8)))
            bytes += Array("]}\n".utf8)
        default:
            name = layout == "smrl-json" ? "feed.json" : "feed.csl.json"
            bytes += Array("[\n".utf8) + Array(elements.joined(separator: Array(",\n".utf8))) + Array("\n]\n".utf8)
        }
        let file = folder.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        let source = layout.hasPrefix("csl") ? "csl-json" : layout
        let one = try #require(try expectSameWithTwoThreads(file.path, from: source))
        #expect(one.summary.recordsRead > 1000, "\(layout)")
        #expect(one.diagnostics.count > 100, "\(layout)")
    }

    @discardableResult
    func expectSameWithTwoThreads(
        _ path: String, from source: String?
    ) throws -> (output: [UInt8], diagnostics: [Diagnostic], summary: ConversionReport.Summary)? {
        let name = URL(fileURLWithPath: path).lastPathComponent
        if source == nil, case .failure(.undetectableFormat) = Result(catching: { () throws(ConversionPipeline.Failure) in
            try ConversionPipeline(registry: .builtIn).open(path, format: nil)
        }) {
            return nil
        }
        let one = try Self.convert(path, threads: 1, from: source)
        let two = try Self.convert(path, threads: 2, from: source)
        #expect(one.output == two.output, "\(name)")
        #expect(one.diagnostics == two.diagnostics, "\(name)")
        #expect(one.summary == two.summary, "\(name)")
        return one
    }
}
