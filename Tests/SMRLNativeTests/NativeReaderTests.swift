import Foundation
import SMRLCore
import Testing

import SMRLNative

@Suite("smrl-json reader")
struct NativeReaderTests {
    @Test func readsArrayWithLocationsAndFieldLocations() throws {
        let text = """
            [
              {
                "id": "a",
                "type": "book",
                "title": "Éé title",
                "domains": ["curriculum-programming"]
              },
              {"id": "b", "type": "report", "issued": "2019-05"}
            ]
            """
        let outcome = try Native.read(text)
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.results.count == 2)
        let first = try #require(outcome.results.first)
        #expect(first.location == SourceLocation(file: "feed.json", line: 2, column: 3))
        #expect(first.fieldLocations["domains"] == SourceLocation(file: "feed.json", line: 6, column: 5))
        #expect(first.fieldLocations["title"]?.line == 5)
        #expect(first.record?.type == .book)
        #expect(first.record?.domains == ["curriculum-programming"])
        let second = try #require(outcome.results.last)
        #expect(second.location == SourceLocation(file: "feed.json", line: 8, column: 3))
        #expect(second.fieldLocations["issued"] == SourceLocation(file: "feed.json", line: 8, column: 33))
        #expect(second.record?.issued == EDTFDate(year: 2019, month: 5))
    }

    @Test func readsASingleTopLevelObject() throws {
        let outcome = try Native.read(#"  {"id": "solo", "title": "Alone", "type": "webpage"}"#)
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.records.map(\.id) == ["solo"])
        #expect(outcome.results.first?.location?.column == 3)
    }

    @Test func missingTypeIsDocumentAsInCodable() throws {
        let outcome = try Native.read(#"[{"title": "x"}, {"title": "y", "type": null}]"#)
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.records.map(\.type) == [.document, .document])
    }

    @Test func emptyArrayAndEmptyInputGiveNothing() throws {
        #expect(try Native.read("[]").results.isEmpty)
        #expect(try Native.read("  \n").results.isEmpty)
        #expect(try Native.read("", lines: true).results.isEmpty)
    }

    @Test func brokenRecordInTheMiddleOfAnArray() throws {
        let text = """
            [
              {"id": "one", "title": "First"},
              {"id": "two", "title": "Second" "volume": "3"},
              {"id": "three", "title": "Third"}
            ]
            """
        let outcome = try Native.read(text)
        #expect(outcome.records.map(\.id) == ["one", "three"])
        #expect(outcome.results.count == 3)
        let broken = outcome.results[1]
        #expect(broken.record == nil)
        let diagnostic = try #require(broken.diagnostics.first)
        #expect(broken.diagnostics.count == 1)
        #expect(diagnostic.code == .jsonSyntax)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location == SourceLocation(file: "feed.json", line: 3, column: 35))
        #expect(diagnostic.recordIndex == 1)
        #expect(outcome.results[2].location?.line == 4)
        #expect(outcome.results[2].diagnostics.isEmpty)
    }

    @Test func brokenLineInTheMiddleOfNDJSON() throws {
        let text = """
            {"id": "one", "title": "First"}
            {"id": "two", "title": "Sec\\qond"}
            {"id": "three", "title": "Third"}

            {"id": "four", "authors": [{"family": "Ng"}]}
            """
        let outcome = try Native.read(text, lines: true, fileName: "feed.ndjson")
        #expect(outcome.records.map(\.id) == ["one", "three", "four"])
        let diagnostic = try #require(outcome.diagnostics.first)
        #expect(outcome.diagnostics.count == 1)
        #expect(diagnostic.code == .jsonSyntax)
        // At the backslash that starts the bad escape.
        #expect(diagnostic.location == SourceLocation(file: "feed.ndjson", line: 2, column: 28))
        #expect(diagnostic.recordIndex == 1)
        #expect(outcome.results[3].location?.line == 5)
        #expect(outcome.results[3].diagnostics.isEmpty)
    }

    @Test func windowsLineEndings() throws {
        let pretty = try Native.text(Fixtures.all).replacingOccurrences(of: "\n", with: "\r\n")
        let lf = try Native.read(try Native.text(Fixtures.all))
        let crlf = try Native.read(pretty)
        #expect(crlf.diagnostics.isEmpty)
        #expect(crlf.records == Fixtures.all)
        #expect(crlf.results.map(\.location) == lf.results.map(\.location))
        let lines = try Native.text(Fixtures.all, lines: true).replacingOccurrences(of: "\n", with: "\r\n")
        let outcome = try Native.read(lines, lines: true)
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.records == Fixtures.all)
        #expect(outcome.results.map { $0.location?.line } == [1, 2, 3])
    }

    @Test func elementsThatAreNotObjects() throws {
        let outcome = try Native.read(#"[1, "text", [{"id": "nested"}], null, {"id": "ok"}]"#)
        #expect(outcome.records.map(\.id) == ["ok"])
        #expect(outcome.codes() == Array(repeating: .nativeNotAnObject, count: 4))
        #expect(outcome.diagnostics.map(\.recordIndex) == [0, 1, 2, 3])
        #expect(outcome.diagnostics[1].location?.column == 5)
        #expect(outcome.results.last?.location?.column == 39)
    }

    @Test func wrongValueTypesAreErrorsAndTheValueIsKept() throws {
        let text = """
            [{"id": "w1",
              "title": 42,
              "authors": "Smith, John",
              "editors": [{"family": "Doe"}, "Roe, R.", {"family": 7, "given": "Ann"}],
              "keywords": ["ok", 3, {"x": 1}],
              "openAccess": "yes",
              "issued": {"date-parts": [[2019]]},
              "extra": {"ris": {"M1": "single", "N1": [1]}, "bad": 3},
              "containerTitle": "Kept"}]
            """
        let outcome = try Native.read(text)
        let result = try #require(outcome.results.first)
        let record = try #require(result.record)
        #expect(record.title == nil)
        #expect(record.containerTitle == "Kept")
        #expect(record.authors.isEmpty)
        #expect(record.editors == [Person(family: "Doe"), Person(given: "Ann")])
        #expect(record.keywords == ["ok"])
        #expect(record.openAccess == nil)
        #expect(record.issued == nil)
        #expect(record.extra["ris"] == ["M1": ["single"], "N1": []])
        let kept = try #require(record.extra["smrl-json"])
        #expect(kept["title"] == ["42"])
        #expect(kept["authors"] == [#""Smith, John""#])
        #expect(kept["editors[1]"] == [#""Roe, R.""#])
        #expect(kept["editors[2].family"] == ["7"])
        #expect(kept["keywords[1]"] == ["3"])
        #expect(kept["keywords[2]"] == [#"{"x":1}"#])
        #expect(kept["openAccess"] == [#""yes""#])
        #expect(kept["issued"] == [#"{"date-parts":[[2019]]}"#])
        #expect(kept["extra.ris.N1[0]"] == ["1"])
        #expect(kept["extra.bad"] == ["3"])

        let wrong = result.diagnostics.filter { $0.code == .nativeWrongType }
        #expect(wrong.allSatisfy { $0.severity == .error && $0.recordIndex == 0 && $0.recordID == "w1" })
        #expect(wrong.map(\.field) == [
            "title", "authors", "editors", "editors", "keywords", "keywords", "openAccess", "issued", "extra", "extra",
        ])
        #expect(wrong.first?.location == SourceLocation(file: "feed.json", line: 2, column: 3))
        // The person's own member is pointed at, not the list.
        #expect(wrong[3].location == SourceLocation(file: "feed.json", line: 4, column: 46))
        #expect(wrong[7].message.contains("CSL-JSON"))
        #expect(result.diagnostics.filter { $0.code == .nativeNotAList }.map(\.field) == ["extra"])

        // Written back and read again, nothing more is lost and nothing is reported.
        let again = try Native.read(try Native.text([record]))
        #expect(again.diagnostics.isEmpty)
        #expect(again.records == [record])
    }

    @Test func numbersAreAcceptedWhereTheTextIsNumeric() throws {
        let text = #"[{"id": 17, "volume": 12, "issue": 3, "pages": 804, "pmid": 31972668, "articleNumber": 95, "edition": 2, "issued": 2015, "isbn": [9780306406157], "openAccess": null}]"#
        let outcome = try Native.read(text)
        #expect(outcome.diagnostics.isEmpty)
        let record = try #require(outcome.records.first)
        #expect(record.id == "17")
        #expect(record.volume == "12")
        #expect(record.issue == "3")
        #expect(record.pages == "804")
        #expect(record.pmid == "31972668")
        #expect(record.articleNumber == "95")
        #expect(record.edition == "2")
        #expect(record.issued == EDTFDate(year: 2015))
        #expect(record.isbn == ["9780306406157"])
        #expect(record.openAccess == nil)
        #expect(record.extra.isEmpty)
    }

    @Test(arguments: [("true", true), ("false", false)])
    func openAccessBooleans(_ literal: String, _ value: Bool) throws {
        let outcome = try Native.read(#"{"openAccess": \#(literal)}"#)
        #expect(outcome.diagnostics.isEmpty)
        #expect(outcome.records.first?.openAccess == value)
    }

    @Test func unknownKeysAreWarningsAndKeptAsJSONText() throws {
        let text = """
            [{"id": "u1", "titel": "Typo", "container-title": "Journal", "custom": {"b": [1, 2.50, true, null], "a": "é"},
              "authors": [{"family": "Ng", "given": "A", "nickname": "Al"}]}]
            """
        let outcome = try Native.read(text)
        let result = try #require(outcome.results.first)
        let record = try #require(result.record)
        #expect(outcome.codes() == [.nativeUnknownKey, .nativeUnknownKey, .nativeUnknownKey, .nativeUnknownKey])
        #expect(outcome.codes(.warning).count == 4)
        #expect(result.diagnostics.map(\.field) == ["titel", "container-title", "custom", "authors"])
        #expect(result.diagnostics[1].location == SourceLocation(file: "feed.json", line: 1, column: 32))
        #expect(result.diagnostics[3].location == SourceLocation(file: "feed.json", line: 2, column: 46))
        #expect(result.fieldLocations["titel"]?.column == 15)
        #expect(record.authors == [Person(family: "Ng", given: "A")])
        #expect(record.extra["smrl-json"] == [
            "titel": [#""Typo""#],
            "container-title": [#""Journal""#],
            "custom": [#"{"b":[1,2.50,true,null],"a":"é"}"#],
            "authors[0].nickname": [#""Al""#],
        ])
        let again = try Native.read(try Native.text([record]))
        #expect(again.diagnostics.isEmpty)
        #expect(again.records == [record])
    }

    @Test func unknownItemTypes() throws {
        let text = #"[{"type": "journal-article"}, {"type": "Article_Journal"}, {"type": 3}, {"type": "thesis"}]"#
        let outcome = try Native.read(text)
        #expect(outcome.records.map(\.type) == [.document, .articleJournal, .document, .thesis])
        #expect(outcome.codes() == [.nativeUnknownItemType, .nativeUnknownItemType, .nativeWrongType])
        #expect(outcome.diagnostics.map(\.severity) == [.warning, .warning, .error])
        #expect(outcome.diagnostics[0].location == SourceLocation(file: "feed.json", line: 1, column: 3))
        #expect(outcome.diagnostics[1].suggestion == "article-journal")
        #expect(outcome.records[0].extra["smrl-json"]?["type"] == [#""journal-article""#])
        #expect(outcome.records[1].extra.isEmpty)
        let again = try Native.read(try Native.text([outcome.records[0]]))
        #expect(again.diagnostics.isEmpty)
        #expect(again.records == [outcome.records[0]])
    }

    @Test func singleStringsForListsAreOneElementLists() throws {
        let outcome = try Native.read(#"{"domains": "curriculum-programming", "keywords": null, "isbn": ["0-306-40615-2"]}"#)
        #expect(outcome.codes() == [.nativeNotAList])
        #expect(outcome.diagnostics.first?.severity == .warning)
        #expect(outcome.records.first?.domains == ["curriculum-programming"])
        #expect(outcome.records.first?.keywords == [])
    }

    @Test func duplicateKeysWarnAndTheLaterValueWins() throws {
        let outcome = try Native.read(#"{"title": "First", "id": "d", "title": "Second"}"#)
        #expect(outcome.codes() == [.nativeDuplicateKey])
        #expect(outcome.diagnostics.first?.location?.column == 31)
        #expect(outcome.diagnostics.first?.recordID == "d")
        #expect(outcome.records.first?.title == "Second")
        #expect(outcome.results.first?.fieldLocations["title"]?.column == 31)
    }

    @Test func duplicateUnknownKeysWarnToo() throws {
        let outcome = try Native.read(#"{"zz": 1, "id": "d", "title": "T", "zz": 2, "id": "e"}"#)
        #expect(outcome.codes() == [.nativeUnknownKey, .nativeDuplicateKey, .nativeUnknownKey, .nativeDuplicateKey])
        #expect(outcome.records.first?.id == "e")
        #expect(outcome.results.first?.fieldLocations["zz"]?.column == 36)
        #expect(outcome.results.first?.fieldLocations["id"]?.column == 45)
        #expect(outcome.results.first?.fieldLocationList.count == 3)
    }

    @Test func deepNestingEndsWithADiagnostic() throws {
        let depth = 100_000
        let inRecord = "[{\"id\": \"x\", \"extra\": " + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + "}, {\"id\": \"after\"}]"
        let outcome = try Native.read(inRecord)
        #expect(outcome.records.map(\.id) == ["after"])
        #expect(outcome.codes() == [.nestingTooDeep])
        #expect(outcome.diagnostics.first?.recordIndex == 0)

        let topLevel = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let top = try Native.read(topLevel)
        #expect(top.records.isEmpty)
        #expect(top.codes().contains(.nestingTooDeep))

        let unclosed = String(repeating: "{\"a\":", count: depth)
        let lines = try Native.read(unclosed + "\n{\"id\": \"next\"}\n", lines: true)
        #expect(lines.records.map(\.id) == ["next"])
        #expect(lines.codes() == [.nestingTooDeep])
    }

    @Test func oversizedRecordIsSkipped() throws {
        var options = ReaderOptions()
        options.maxRecordBytes = 200
        let big = "{\"id\": \"big\", \"abstract\": \"" + String(repeating: "x", count: 1_000) + "\"}"
        let text = "[\(big), {\"id\": \"small\"}]"
        let outcome = try Native.read(bytes: Array(text.utf8), options: options)
        #expect(outcome.records.map(\.id) == ["small"])
        #expect(outcome.codes() == [.recordTooLarge])
        #expect(outcome.diagnostics.first?.recordIndex == 0)
        let lines = try Native.read(bytes: Array("\(big)\n{\"id\": \"small\"}\n".utf8), lines: true, options: options)
        #expect(lines.records.map(\.id) == ["small"])
        #expect(lines.codes() == [.recordTooLarge])
    }

    @Test func truncatedFileKeepsTheCompleteRecords() throws {
        let records = Fixtures.all + Fixtures.all
        let bytes = try Native.write(records)
        var cut = 1
        while cut < bytes.count - 2 {
            let outcome = try Native.read(bytes: Array(bytes[..<cut]))
            #expect(!outcome.errors.isEmpty, "cut at \(cut): \(String(decoding: bytes[..<cut].suffix(30), as: UTF8.self))")
            #expect(outcome.records == Array(records.prefix(outcome.records.count)), "cut at \(cut)")
            cut += 37
        }
        let ndjson = try Native.write(records, lines: true)
        cut = 1
        while cut < ndjson.count - 2 {
            let outcome = try Native.read(bytes: Array(ndjson[..<cut]), lines: true)
            #expect(outcome.records == Array(records.prefix(outcome.records.count)), "cut at \(cut)")
            // A cut at a line's end leaves complete lines only.
            if ndjson[cut - 1] != 0x0A && ndjson[cut] != 0x0A { #expect(!outcome.errors.isEmpty, "cut at \(cut)") }
            cut += 37
        }
    }

    @Test func trailingTextAndTrailingCommaAreReported() throws {
        let trailing = try Native.read(#"[{"id": "a"}] garbage"#)
        #expect(trailing.records.map(\.id) == ["a"])
        #expect(trailing.codes(.error) == [.jsonSyntax])
        #expect(trailing.results.last?.record == nil)
        #expect(trailing.results.last?.diagnostics.first?.location?.column == 15)

        let comma = try Native.read("[{\"id\": \"a\"},\n]")
        #expect(comma.records.map(\.id) == ["a"])
        #expect(comma.codes(.warning) == [.jsonSyntax])
    }

    @Test func byteOrderMarkAndUTF16() throws {
        let records = Fixtures.all
        let utf8 = try Native.write(records)
        let text = String(decoding: utf8, as: UTF8.self)
        let withBOM = try Native.read(bytes: [0xEF, 0xBB, 0xBF] + utf8)
        #expect(withBOM.records == records)
        #expect(withBOM.codes() == [.byteOrderMark])
        #expect(withBOM.diagnostics.first?.severity == .note)
        #expect(withBOM.results.first?.record != nil)
        #expect(withBOM.results.first?.location?.line == 2)

        let littleEndian: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for (bytes, chunk) in [(littleEndian, 1 << 16), (bigEndian, 1 << 16), (littleEndian, 7), (bigEndian, 7)] {
            let outcome = try Native.read(bytes: bytes, chunkSize: chunk)
            #expect(outcome.records == records)
            #expect(outcome.codes() == [.byteOrderMark])
            #expect(outcome.results.map(\.location) == withBOM.results.map(\.location))
        }
    }

    @Test func legacyEncodingIsReportedWithTheLine() throws {
        var bytes = Array("[\n{\"id\": \"ok\"},\n{\"id\": \"latin\",\n \"title\": \"Caf".utf8)
        bytes += [0xE9, 0x22, 0x7D, 0x5D]  // é in Latin-1, then "}]
        let outcome = try Native.read(bytes: bytes)
        #expect(outcome.records.map(\.title) == [nil, "Café"])
        #expect(outcome.codes() == [.legacyEncoding])
        #expect(outcome.diagnostics.first?.location?.line == 4)
        #expect(outcome.diagnostics.first?.recordIndex == 1)
    }

    /// Everything a result holds, comparable.
    private struct Snapshot: Equatable {
        var record: Resource?
        var location: SMRLCore.SourceLocation?
        var diagnostics: [Diagnostic]
        var fieldLocations: [String: SMRLCore.SourceLocation]
    }

    private func summary(_ outcome: ReadOutcome) -> [Snapshot] {
        outcome.results.map {
            Snapshot(record: $0.record, location: $0.location, diagnostics: $0.diagnostics, fieldLocations: $0.fieldLocations)
        }
    }

    @Test func tinyChunksGiveTheSameResultAsOneChunk() throws {
        let good = try Native.text(Fixtures.all)
        let damaged = good.replacingOccurrences(of: "\"Acad Med\"", with: "\"Acad Med\" oops")
            .replacingOccurrences(of: "\"title\": \"Framework for action\"", with: "\"title\": 7, \"tilte\": \"x\"")
            + " trailing"
        for lines in [false, true] {
            let text = lines
                ? try Native.text(Fixtures.all, lines: true) + "{\"id\": 1,\n{\"id\": \"é\", \"x\": [1,2]}\n"
                : damaged
            let whole = try Native.read(text, lines: lines)
            let tiny = try Native.read(text, lines: lines, chunkSize: 7)
            let bytewise = try Native.read(text, lines: lines, chunkSize: 1)
            #expect(!whole.diagnostics.isEmpty)
            #expect(summary(tiny) == summary(whole))
            #expect(summary(bytewise) == summary(whole))
        }
    }

    @Test func descriptorsMakeWorkingReadersAndWriters() throws {
        let records = Fixtures.all
        for format in [NativeFormat.json, NativeFormat.ndjson] {
            let makeWriter = try #require(format.makeWriter)
            let makeReader = try #require(format.makeReader)
            var writer = makeWriter(WriterOptions())
            let sink = OutputSink.inMemory()
            try writer.begin(into: sink)
            for record in records { #expect(try writer.write(record, into: sink).isEmpty) }
            try writer.end(into: sink)
            try sink.flush()
            var reader = makeReader(ByteReader(bytes: sink.memory), ReaderOptions())
            var back: [Resource] = []
            while let result = try reader.next() {
                #expect(result.diagnostics.isEmpty)
                if let record = result.record { back.append(record) }
            }
            #expect(back == records)
        }
    }
}

@Suite("smrl-json dates")
struct NativeDateTests {
    @Test(arguments: [
        "2015", "2015-07", "2015-07-31", "2019-21", "2019-24", "2019-25", "2019-13", "2019-00", "2019-21-01",
        "2015-02-30", "2015-12-32", "0000", "0999-01", "-0050", "1950~", "2019-05?", "2000/2001", "in press",
        "201", "20155", "2015-7", "2015-07-1", "2015/07/31", "  2015 ", "", "２０１５", "2015-0a", "abcd",
    ])
    func fastPathAgreesWithEDTFParsing(_ text: String) throws {
        let outcome = try Native.read(#"{"issued": "\#(text)"}"#)
        #expect(outcome.records.first?.issued == EDTFDate(parsing: text))
        #expect(NativeMapping.date(text) == EDTFDate(parsing: text))
    }
}

@Suite("smrl-json damage")
struct NativeDamageTests {
    /// Deterministic pseudo-random numbers (a linear congruential generator), so failures can be replayed.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: [false, true])
    func mutatedFeedsNeverCrashAndNeverDropARecordSilently(_ lines: Bool) throws {
        let original = try Native.write(Fixtures.all + Fixtures.all, lines: lines)
        let interesting: [UInt8] = Array("{}[]\",:\\ \n0t-".utf8) + [0x00, 0xC3, 0xFF]
        var random = Generator(state: lines ? 7 : 11)
        for round in 0..<300 {
            var bytes = original
            for _ in 0...random.next(4) {
                let position = random.next(bytes.count)
                switch random.next(3) {
                case 0: bytes[position] = interesting[random.next(interesting.count)]
                case 1: bytes.remove(at: position)
                default: bytes.insert(interesting[random.next(interesting.count)], at: position)
                }
            }
            let outcome = try Native.read(bytes: bytes, lines: lines, chunkSize: 1 + random.next(64))
            for result in outcome.results {
                #expect(result.record != nil || !result.diagnostics.isEmpty, "round \(round)")
            }
            for diagnostic in outcome.diagnostics {
                #expect((diagnostic.location?.line ?? 0) >= 1, "round \(round)")
            }
            // Never more records than elements written, and the damage is reported unless it was harmless.
            #expect(outcome.records.count <= 6, "round \(round)")
        }
    }
}
