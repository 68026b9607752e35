import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Every .bib of the shared corpus, read and written.
@Suite(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
struct BibTeXCorpusTests {
    static let files = TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"])

    static func name(_ url: URL) -> String {
        String(url.path.dropFirst(TestCorpus.root.path.count + 1))
    }

    /// Counts entry openings independently of the scanner: lines that start (after blanks) with `@word{` or
    /// `@word(`, minus `@string`, `@comment`, `@preamble` and `@xdata` (merged into the entries that use it).
    static func independentCount(_ url: URL) throws -> Int {
        let data = try Data(contentsOf: url)
        var text: String
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) {
            text = String(data: data, encoding: .utf16) ?? ""
        } else {
            text = TextDecoding.decode(Array(data)).text
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var count = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.first == "@" else { continue }
            let rest = trimmed.dropFirst().drop { $0 == " " }
            let word = rest.prefix { $0.isLetter || $0 == "_" }
            let after = rest.dropFirst(word.count).drop { $0 == " " || $0 == "\t" }
            guard !word.isEmpty, after.first == "{" || after.first == "(" else { continue }
            if ["string", "comment", "preamble", "xdata"].contains(word.lowercased()) { continue }
            count += 1
        }
        return count
    }

    /// Files where the independent count differs from what the reader returns, and why.
    static let countExplained: [String: (difference: Int, reason: String)] = [:]

    @Test(arguments: files)
    func everyFileParses(url: URL) throws {
        let results = try BibTeXTest.readFile(url)
        let records = results.compactMap(\.record).count
        let failed = results.filter { $0.record == nil && $0.diagnostics.contains { $0.severity == .error } }.count
        let expected = try Self.independentCount(url)
        let explained = Self.countExplained[Self.name(url)]?.difference ?? 0
        #expect(records + failed == expected + explained,
            "\(Self.name(url)): \(records) records + \(failed) failed entries, \(expected) entry openings")
        // Every diagnostic points into the file.
        for diagnostic in results.flatMap(\.diagnostics) where diagnostic.code != .legacyEncoding {
            if let location = diagnostic.location {
                #expect(location.line >= 1 && location.column >= 1)
            }
        }
    }

    @Test func malformedFilesGiveDiagnosticsAndKeepGoodEntries() throws {
        let broken = TestCorpus.url("bibtex/bbt-import/Some_bibtex_entries_quietly_discarded_on_import_from_bib_file_#873.bib")
        let results = try BibTeXTest.readFile(broken)
        let error = try #require(results.first { $0.record == nil }?.diagnostics.first { $0.severity == .error })
        #expect(error.code == .bibtexUnbalancedBraces)
        #expect(error.location?.line == 6524)
        #expect(results.compactMap(\.record).count == 987)
        #expect(results.compactMap(\.record).contains { $0.id == "Wellman:WALRAS" })

        let delimiters = try BibTeXTest.readFile(TestCorpus.url("bibtex/citation-js/input/different_delimiters.bib"))
        #expect(delimiters.compactMap(\.record).map(\.id) == ["a", "b"])
        #expect(BibTeXTest.codes(delimiters) == ["bibtex.mismatched-delimiter"])

        let wrong = try BibTeXTest.readFile(TestCorpus.url("bibtex/bibtexparser/wrong.bib"))
        #expect(wrong.compactMap(\.record).map(\.id) == ["foo", "bar"])
        #expect(BibTeXTest.codes(wrong) == ["bibtex.unknown-type"])

        let latin1 = try BibTeXTest.readFile(TestCorpus.url("bibtex/jabref/encoding-windows-1252-without-header.bib"))
        #expect(BibTeXTest.codes(latin1).contains("input.legacy-encoding"))
    }

    /// Records whose round trip is known to differ, and why.
    static let knownRoundTripDifferences: [String: String] = [
        "bibtex/bbt-import/Unabbreviate_on_import_#1436-1.bib#Rigutti_2010a":
            "escaped braces right after an unknown command (`\\vphantom\\{\\}{{N}}`) read back as that command's argument",
    ]

    /// BibTeX → smrl → BibTeX (biblatex dialect) → smrl gives the same records: every field survives, in the model
    /// or in `extra`.
    @Test(arguments: files)
    func bibtexToSmrlToBibTeXKeepsEveryField(url: URL) throws {
        let first = try BibTeXTest.readFile(url).compactMap(\.record)
        for dialect in BibTeXDialect.allCases {
            let (text, losses) = BibTeXTest.write(first, dialect: dialect)
            let second = BibTeXTest.read(text, settings: ["bibtex.crossref": "keep"]).compactMap(\.record)
            try #require(second.count == first.count, "\(Self.name(url)) via \(dialect)")
            for (index, original) in first.enumerated() {
                var expected = BibTeXRoundTripTests.comparable(original, losses: losses[index])
                var actual = BibTeXRoundTripTests.comparable(second[index], losses: losses[index])
                if losses[index].contains(where: { $0.field == "subtitle" }) { actual.title = nil }
                if losses[index].contains(where: { $0.field == "type" }) { actual.type = .document }
                if losses[index].contains(where: { $0.field == "authors" }) { actual.authors = []; expected.authors = [] }
                if original.id == nil { actual.id = nil }
                if Self.knownRoundTripDifferences["\(Self.name(url))#\(original.id ?? "")"] != nil { continue }
                #expect(actual == expected,
                    "\(Self.name(url)) record \(index) (\(original.id ?? "")) via \(dialect): \(BibTeXTest.difference(expected, actual))")
            }
        }
    }
}
