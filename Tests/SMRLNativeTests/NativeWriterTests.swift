import Foundation
import SMRLCore
import Testing

import SMRLNative

@Suite("smrl-json writer")
struct NativeWriterTests {
    private var small: [Resource] {
        var first = Resource(id: "a", type: .book)
        first.title = "Tab\tand \"quote\""
        first.authors = [Person(family: "Ng", given: "A")]
        first.keywords = ["x"]
        first.openAccess = true
        let second = Resource(id: "b", type: .report)
        return [first, second]
    }

    @Test func prettyArrayWithTwoSpaceIndentAndFinalNewline() throws {
        let expected = """
            [
              {
                "id": "a",
                "type": "book",
                "title": "Tab\\tand \\"quote\\"",
                "authors": [
                  {
                    "family": "Ng",
                    "given": "A"
                  }
                ],
                "keywords": [
                  "x"
                ],
                "openAccess": true
              },
              {
                "id": "b",
                "type": "report"
              }
            ]

            """
        #expect(try Native.text(small) == expected)
    }

    @Test func compactArrayOnOneLine() throws {
        let expected = #"[{"id":"a","type":"book","title":"Tab\tand \"quote\"","authors":[{"family":"Ng","given":"A"}],"keywords":["x"],"openAccess":true},{"id":"b","type":"report"}]"# + "\n"
        #expect(try Native.text(small, pretty: false) == expected)
    }

    @Test func ndjsonIsOneCompactObjectPerLineWhateverPretty() throws {
        let expected = #"{"id":"a","type":"book","title":"Tab\tand \"quote\"","authors":[{"family":"Ng","given":"A"}],"keywords":["x"],"openAccess":true}"# + "\n" + #"{"id":"b","type":"report"}"# + "\n"
        #expect(try Native.text(small, lines: true) == expected)
        #expect(try Native.text(small, lines: true, pretty: false) == expected)
    }

    @Test func emptyFeeds() throws {
        #expect(try Native.text([]) == "[]\n")
        #expect(try Native.text([], pretty: false) == "[]\n")
        #expect(try Native.text([], lines: true) == "")
    }

    @Test func keysFollowCodingKeysOrderAndEmptyValuesAreOmitted() throws {
        let object = try #require(try Native.read(try Native.text([Fixtures.rich], lines: true), lines: true)
            .records.first)
        #expect(object == Fixtures.rich)
        // The order of the keys as written is exactly Resource.CodingKeys (all present in the rich record).
        var reader = JSONStreamReader(input: ByteReader(bytes: try Native.write([Fixtures.rich], lines: true)),
            layout: .lines)
        let members = try #require(try reader.next()?.value.members)
        #expect(members.map(\.key) == Resource.CodingKeys.allCases.map(\.rawValue))
        #expect(members.first { $0.key == "authors" }?.value.elements?[2].members?.map(\.key)
            == ["family", "given", "droppingParticle", "suffix"])
        #expect(try Native.text([Resource(type: .document)], lines: true) == #"{"type":"document"}"# + "\n")
        var blank = Resource(type: .book)
        blank.authors = [Person()]
        blank.title = ""
        #expect(try Native.text([blank], lines: true) == #"{"type":"book","title":"","authors":[{}]}"# + "\n")
    }

    @Test func extraIsWrittenSortedWhateverTheInsertionOrder() throws {
        var forward = Resource(id: "e", type: .book)
        var backward = forward
        let formats = ["ris", "bibtex", "csl-json", "jats", "smrl-json"]
        let fields = ["Z9", "A1", "M1", "é", "e", "10"]
        for format in formats {
            for field in fields { forward.addExtra(format: format, field: field, value: "\(format)/\(field)") }
        }
        for format in formats.reversed() {
            for field in fields.reversed() { backward.addExtra(format: format, field: field, value: "\(format)/\(field)") }
        }
        #expect(forward == backward)
        let first = try Native.write([forward])
        #expect(try Native.write([backward]) == first)
        #expect(try Native.write([forward]) == first)
        var reader = JSONStreamReader(input: ByteReader(bytes: try Native.write([forward], lines: true)), layout: .lines)
        let extra = try #require(try reader.next()?.value["extra"]?.members)
        #expect(extra.map(\.key) == formats.sorted())
        #expect(extra.first?.value.members?.map(\.key) == fields.sorted())
    }

    @Test func controlCharactersAndUnicodeAreEscapedMinimally() throws {
        var record = Resource(type: .book)
        record.title = "a\u{0}b\u{1F}c\u{7F}d/é😀\u{2028}"
        let text = try Native.text([record], lines: true)
        #expect(text == #"{"type":"book","title":"a\u0000b\u001fc"# + "\u{7F}d/é😀\u{2028}\"}\n")
        #expect(try Native.read(text, lines: true).records == [record])
    }

    @Test func writerReportsNoLosses() throws {
        for lines in [false, true] {
            var writer = NativeWriter(lines: lines)
            let sink = OutputSink.inMemory()
            try writer.begin(into: sink)
            for record in Fixtures.all { #expect(try writer.write(record, into: sink) == []) }
            try writer.end(into: sink)
        }
    }
}
