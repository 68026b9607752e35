import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// Damaged and hostile input never crashes or hangs the reader, and never loses the good items around it.
@Suite("CSL-JSON robustness")
struct CSLRobustnessTests {
    static let sample = """
        [
          {"id": "a", "type": "article-journal", "title": "Effects of <i>X</i> on CO<sub>2</sub>",
           "author": [{"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"}, {"literal": "WHO"}],
           "issued": {"date-parts": [["2016", 2, 9]], "circa": true}, "note": "PMID: 123\\nkeep",
           "categories": ["a, b", "c"], "custom": {"smrl": {"domains": ["x"]}}, "DOI": "https://doi.org/10.1/x"},
          {"id": 2, "type": "Article", "issued": {"raw": "Spring 1999 - Summer 2001"}, "keyword": "x; y", "GSCC": [1]},
          {"id": "c", "type": "book", "editor": [{"family": "Doe", "comma-suffix": 1}], "volume": 3}
        ]
        """

    @Test func everyTruncationIsReadWithoutCrashing() {
        let bytes = Array(Self.sample.utf8)
        for length in 0...bytes.count {
            let results = CSLTest.read(bytes: Array(bytes.prefix(length)))
            // Whatever is cut off is reported; what came before is kept.
            if length < bytes.count - 2 {
                #expect(results.contains { $0.diagnostics.contains { $0.severity == .error } } || length < 2,
                    "cut at \(length)")
            }
            #expect(results.count <= 4)
        }
    }

    @Test func byteDamageNeverCrashesAndKeepsTheOtherItems() {
        let bytes = Array(Self.sample.utf8)
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<600 {
            var damaged = bytes
            for _ in 0..<Int(generator.next() % 3 + 1) {
                let index = Int(generator.next() % UInt64(damaged.count))
                let replacements: [UInt8] = [0x22, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x5C, 0x00, 0xFF, 0x0A, 0x30]
                damaged[index] = replacements[Int(generator.next() % UInt64(replacements.count))]
            }
            let results = CSLTest.read(bytes: damaged)
            #expect(results.count <= 40)
            for result in results where result.record == nil {
                #expect(!result.diagnostics.isEmpty, "a record-less result always says why")
            }
        }
    }

    @Test func oddValuesEverywhereAreReadAndWrittenValid() throws {
        let odd = """
            [{"id": null, "type": ["book"], "title": {"a": 1}, "author": 5, "editor": [null, true, [], {"family": 3}],
              "issued": {"date-parts": [[99999999999999999999], ["x"], [1,2,3,4]], "season": [], "circa": {}},
              "accessed": {"date-parts": [[-9223372036854775808]]}, "original-date": "not a date",
              "categories": [1, null, "ok"], "keyword": 7, "custom": [1], "note": ["n"], "page": {"x": 1},
              "ISSN": ["1234-5678", 1], "URL": false, "language": null}]
            """
        let results = CSLTest.read(odd)
        let record = try #require(results.first?.record)
        #expect(results[0].diagnostics.count >= 8)
        let (text, _) = CSLTest.write([record])
        let items = CSLTest.parseArray(text)
        #expect(items.count == 1)
        if CSLSchema.pythonAvailable, TestCorpus.isAvailable {
            let verdicts = try #require(CSLSchema.validate(items))
            #expect(verdicts.first?.isEmpty == true, "\(verdicts)")
        }
    }

    @Test func hostileRecordsAreWrittenAsValidJSON() throws {
        var record = Resource(id: "x\"\n\\\u{01}", type: .book)
        record.title = "</span> </i><i>unclosed <b> & <sc>caps \u{2028}"
        record.authors = [Person(family: "\"Quoted\"", given: "\\back"), Person()]
        record.issued = EDTFDate(year: 999_999_999, month: 24)
        record.accessed = EDTFDate(start: nil, end: nil, isInterval: true)
        record.keywords = ["", "a;b", "c,d"]
        record.extra = ["csl-json": ["author": ["not json"], "issued": ["{"], "director": ["Doe || Jane"],
            "original-date": ["circa 1850"], "custom": ["[1]"], "reviewed-author": ["[{\"family\":1}]"]]]
        let (text, losses) = CSLTest.write([record])
        let items = CSLTest.parseArray(text)
        #expect(items.count == 1)
        #expect(!losses[0].isEmpty)
        if CSLSchema.pythonAvailable, TestCorpus.isAvailable {
            let verdicts = try #require(CSLSchema.validate(items))
            #expect(verdicts.first?.isEmpty == true, "\(verdicts)")
        }
        let back = try #require(CSLTest.records(text).first)
        #expect(back.id == record.id)
        #expect(back.title == record.title)
    }
}
