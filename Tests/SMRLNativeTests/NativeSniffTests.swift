import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

import SMRLNative

@Suite("smrl-json detection and the real corpus")
struct NativeSniffTests {
    private let registry = FormatRegistry([NativeFormat.json, NativeFormat.ndjson])

    private func scores(_ text: String) -> (json: Int, lines: Int) {
        let bytes = ArraySlice(Array(text.utf8))
        return (NativeFormat.json.sniff(bytes), NativeFormat.ndjson.sniff(bytes))
    }

    @Test func smrlArrayIsSmrlJSON() throws {
        let (json, lines) = scores(try Native.text(Fixtures.all))
        #expect(json >= 90)
        #expect(lines == 0)
        #expect(registry.detect(fileName: nil, prefix: ArraySlice(try Native.write(Fixtures.all)))?.name == "smrl-json")
        #expect(registry.detect(fileName: "x.json", prefix: ArraySlice(try Native.write(Fixtures.all)))?.name == "smrl-json")
    }

    @Test func ndjsonIsRecognisedByContentAndByExtension() throws {
        let text = try Native.text(Fixtures.all, lines: true)
        let (json, lines) = scores(text)
        #expect(lines == 95)
        #expect(json < lines)
        let bytes = ArraySlice(Array(text.utf8))
        #expect(registry.detect(fileName: nil, prefix: bytes)?.name == "smrl-ndjson")
        #expect(registry.detect(fileName: "feed.json", prefix: bytes)?.name == "smrl-ndjson")
        // A first line longer than what the sniffer sees: the extension decides.
        var long = Fixtures.rich
        long.abstract = String(repeating: "long abstract ", count: 1_000)
        let longPrefix = ArraySlice(try Native.write([long, long], lines: true).prefix(4096))
        #expect(registry.detect(fileName: "feed.ndjson", prefix: longPrefix)?.name == "smrl-ndjson")
        #expect(registry.detect(fileName: "feed.jsonl", prefix: longPrefix)?.name == "smrl-ndjson")
        #expect(registry.detect(fileName: "feed.json", prefix: longPrefix)?.name == "smrl-json")
    }

    @Test func cslJSONIsNotSmrlJSON() {
        let csl = """
            [{"id": "x", "type": "article-journal", "title": "T", "container-title": "J",
              "author": [{"family": "Doe", "given": "J"}], "issued": {"date-parts": [[2019, 5]]}, "DOI": "10.1/x"}]
            """
        #expect(scores(csl) == (0, 0))
        #expect(scores("{\"author\": []}\n{\"author\": []}\n") == (0, 0))
        // Ambiguous JSON (no key tells): nothing is claimed from content, the extension decides.
        #expect(scores(#"[{"id": "x", "title": "T"}]"#) == (0, 0))
        #expect(registry.detect(fileName: "a.json", prefix: ArraySlice(Array(#"[{"id": "x"}]"#.utf8)))?.name == "smrl-json")
        #expect(scores("TY  - JOUR\nER  - \n") == (0, 0))
        #expect(scores("@article{x, title={T}}") == (0, 0))
        #expect(scores("") == (0, 0))
    }

    @Test func issuedAsStringVersusObjectDecides() {
        #expect(scores(#"[{"id": "x", "issued": "2019-05"}]"#).json >= 90)
        #expect(scores(#"[{"id": "x", "issued": {"date-parts": [[2019]]}}]"#).json == 0)
    }

    @Test("CSL-JSON and Zotero JSON files of the corpus are never taken for smrl-json",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusJSONIsNotSmrl() throws {
        let files = TestCorpus.files(in: ".", extensions: ["json"])
        #expect(files.count > 50)
        for file in files {
            let prefix = ArraySlice(Array(try Data(contentsOf: file).prefix(8192)))
            #expect(NativeFormat.json.sniff(prefix) == 0, "\(file.path)")
            #expect(NativeFormat.ndjson.sniff(prefix) == 0, "\(file.path)")
        }
    }

    @Test("every JSON file of the corpus read as smrl-json: no crash, every element accounted for",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusJSONReadsWithoutCrashing() throws {
        let files = TestCorpus.files(in: ".", extensions: ["json"])
        var unknownKeys = 0
        for file in files {
            let bytes = Array(try Data(contentsOf: file))
            let outcome = try Native.read(bytes: bytes, fileName: file.lastPathComponent)
            // As many results (records or diagnostics) as the top-level array has elements, or one for an object.
            let parsed = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            if let array = parsed as? [Any] {
                #expect(outcome.results.count == array.count, "\(file.path)")
                let objects = array.filter { $0 is [String: Any] }.count
                #expect(outcome.records.count == objects, "\(file.path)")
            } else if parsed is [String: Any] {
                #expect(outcome.records.count == 1, "\(file.path)")
            }
            for diagnostic in outcome.diagnostics {
                #expect(diagnostic.location?.file == file.lastPathComponent)
                #expect((diagnostic.location?.line ?? 0) >= 1 && (diagnostic.location?.column ?? 0) >= 1)
            }
            unknownKeys += outcome.diagnostics.filter { $0.code == .nativeUnknownKey }.count
            // Whatever was read writes back and reads again as the same records (unknown keys kept in extra).
            let again = try Native.read(bytes: try Native.write(outcome.records))
            #expect(again.records == outcome.records, "\(file.path)")
            #expect(again.diagnostics.isEmpty, "\(file.path)")
        }
        #expect(unknownKeys > 0)
    }
}
