import Foundation
import SMRLTestSupport
import Testing

/// The sample library ships in every format smrl writes; each file must be exactly what `smrl convert` makes of
/// `Samples/library.json` today, so the samples can never drift from the writers.
@Suite("Sample library in every format")
struct SampleFilesTests {
    static let samples: [(format: String, file: String)] = [
        ("smrl-ndjson", "Samples/library.ndjson"),
        ("ris", "Samples/library.ris"),
        ("bibtex", "Samples/library.bib"),
        ("biblatex", "Samples/library.biblatex.bib"),
        ("csl-json", "Samples/library.csl.json"),
        ("jats", "Samples/library.jats.xml"),
    ]

    @Test(arguments: samples)
    func sampleFileIsCurrent(_ format: String, _ file: String) throws {
        let result = try CommandRunner.run(["convert", "Samples/library.json", "--to", format])
        #expect(result.status == 0, "\(result.stderr)")
        let committed = try Data(contentsOf: TestCorpus.repositoryFile(file))
        #expect(
            result.stdoutData == committed,
            "\(file) is out of date: regenerate it with `smrl convert Samples/library.json --to \(format) -o \(file)`")
    }

    @Test(arguments: samples)
    func sampleFileReadsBackToTheSameNumberOfRecords(_ format: String, _ file: String) throws {
        let result = try CommandRunner.run(["validate", file, "--from", format == "biblatex" ? "biblatex" : format])
        #expect(result.status == 0, "\(result.stderr)")
        let library = try JSONSerialization.jsonObject(
            with: Data(contentsOf: TestCorpus.repositoryFile("Samples/library.json"))) as? [Any]
        let count = try #require(library?.count)
        #expect(result.stderr.contains("\(count) records read"), "\(result.stderr)")
    }
}
