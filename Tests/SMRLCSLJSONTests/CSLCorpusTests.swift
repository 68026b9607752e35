import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// The real CSL-JSON of the corpus: the CSL test-suite inputs, Zotero's translator test case and the Better
/// BibTeX exports.
@Suite("CSL-JSON corpus")
struct CSLCorpusTests {
    /// `{testName: [items]}` of the CSL test suite.
    static func testSuite() throws -> [(name: String, items: [JSONValue])] {
        let text = try String(contentsOf: TestCorpus.url("csljson/csl-test-suite-inputs.json"), encoding: .utf8)
        let value = try #require(CSLJSON.parse(text))
        return try #require(value.members).map { ($0.key, $0.value.elements ?? [$0.value]) }
    }

    /// Every `.csl.json` file of Better BibTeX and the Zotero translator's input.
    static func exportFiles() -> [URL] {
        TestCorpus.files(in: "csljson/bbt-export", extensions: ["json"]).filter { $0.path.hasSuffix(".csl.json") }
            + TestCorpus.files(in: "csljson/zotero-CSL-JSON-inputs", extensions: ["json"])
    }

    /// All corpus items with where they come from.
    static func allItems() throws -> [(source: String, item: JSONValue)] {
        var items: [(String, JSONValue)] = []
        for (name, list) in try testSuite() { items += list.map { ("test-suite " + name, $0) } }
        for url in exportFiles() {
            let text = try String(contentsOf: url, encoding: .utf8)
            items += CSLTest.parseArray(text).map { (url.lastPathComponent, $0) }
        }
        return items
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func testSuiteInputsReadWithoutErrors() throws {
        var items = 0
        for (name, list) in try Self.testSuite() {
            // Each test's array is fed to the reader as a CSL-JSON file of its own.
            let results = CSLTest.read(CSLJSON.text(.array(list)), fileName: name)
            let errors = results.flatMap(\.diagnostics).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(name): \(errors)")
            #expect(results.compactMap(\.record).count == list.count, "\(name): every item gives a record")
            items += list.count
        }
        #expect(items > 1800)
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func zoteroAndBetterBibTeXFilesReadWithoutErrors() throws {
        let files = Self.exportFiles()
        #expect(files.count >= 24)
        for url in files {
            let results = CSLTest.read(bytes: Array(try Data(contentsOf: url)), fileName: url.lastPathComponent)
            let errors = results.flatMap(\.diagnostics).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(url.lastPathComponent): \(errors)")
            let expected = CSLTest.parseArray(try String(contentsOf: url, encoding: .utf8)).count
            #expect(results.compactMap(\.record).count == expected, "\(url.lastPathComponent)")
        }
    }

    /// CSL → smrl (through smrl-json's Codable form) → CSL gives every item back variable by variable, for every
    /// item the official schema accepts; the items the schema rejects are listed, and still come back valid.
    @Test(.enabled(if: CSLSchema.canValidate, Comment(rawValue: CSLSchema.skipMessage)))
    func roundTripGivesEveryValidItemBack() throws {
        guard CSLSchema.requirePython() else { return }
        let all = try Self.allItems()
        let inputVerdicts = try #require(CSLSchema.validate(all.map(\.item)))
        var rejected: [String] = []
        var compared = 0
        var outputs: [JSONValue] = []
        for (index, (source, item)) in all.enumerated() {
            let results = CSLTest.read(CSLJSON.text(.array([item])), fileName: source)
            let record = try #require(results.first?.record, "\(source)")
            let native = try CSLTest.throughNativeJSON(record)
            #expect(native == record, "\(source): the record survives smrl-json")
            let output = try #require(CSLTest.items([native]).first)
            outputs.append(output)
            if inputVerdicts[index].isEmpty {
                let differences = CSLRoundTrip.differences(item, output)
                #expect(differences.isEmpty, "\(source) \(item["id"].map(CSLJSON.text) ?? ""): \(differences)")
                compared += 1
            } else {
                rejected.append("\(source) \(item["id"].map(CSLJSON.text) ?? ""): \(inputVerdicts[index].first ?? "")")
            }
        }
        let outputVerdicts = try #require(CSLSchema.validate(outputs))
        for (index, verdict) in outputVerdicts.enumerated() {
            #expect(verdict.isEmpty, "\(all[index].source): written item invalid: \(verdict)")
        }
        #expect(compared > 1700)
        // The few items that break the official schema (citeproc-js test keys such as `isInstitution`, `multi`,
        // `key`; Better BibTeX extras such as `part-number`, `GSCC`; items without `type` or `id`).
        print("CSL items the official schema rejects (\(rejected.count) of \(all.count)):")
        for line in rejected { print("  " + line) }
        #expect(rejected.count < 120)
    }
}
