import Foundation
import Testing
import SMRLCore
import SMRLTestSupport
@testable import SMRLBibTeX

@Test func scratchCorpus() throws {
    for url in TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"]) {
        let results = try BibTeXTest.readFile(url)
        let records = results.compactMap(\.record).count
        let errors = results.flatMap(\.diagnostics).filter { $0.severity == .error }
        print("SCRATCH \(url.path.replacingOccurrences(of: TestCorpus.root.path + "/", with: "")) records=\(records) errors=\(errors.count) \(errors.prefix(2).map(\.description))")
    }
}

@Test func scratchDump() throws {
    guard let path = ProcessInfo.processInfo.environment["BIBDUMP"] else { return }
    let results = try BibTeXTest.readFile(URL(fileURLWithPath: path))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    for result in results {
        if let record = result.record {
            print(String(decoding: try encoder.encode(record), as: UTF8.self))
        }
        for diagnostic in result.diagnostics { print("DIAG", diagnostic) }
    }
}

@Test func scratchWrite() throws {
    guard ProcessInfo.processInfo.environment["BIBWRITE"] != nil else { return }
    for dialect in BibTeXDialect.allCases {
        let (text, losses) = BibTeXTest.write(RichRecords.all, dialect: dialect)
        print(text)
        print(losses)
    }
}
