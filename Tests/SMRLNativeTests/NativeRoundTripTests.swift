import Foundation
import SMRLCore
import Testing

import SMRLNative

/// The sample library and the fixtures through every path: smrl-json ⇄ Resource ⇄ smrl-ndjson, and agreement with
/// `Resource`'s `Codable` conformance (which API users rely on).
@Suite("smrl-json round trips")
struct NativeRoundTripTests {
    @Test("Samples/library.json: one record per array element, no diagnostics", .enabled(if: Native.hasSample, Native.sampleSkip))
    func sampleReadsEveryElement() throws {
        let bytes = try Native.sampleBytes()
        let array = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [Any])
        let outcome = try Native.read(bytes: bytes, fileName: "Samples/library.json")
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics)")
        #expect(outcome.results.count == array.count)
        #expect(outcome.records.count == array.count)
        #expect(outcome.records.count >= 25)
        // Every record knows where it and its fields start.
        for result in outcome.results {
            let location = try #require(result.location)
            #expect(location.file == "Samples/library.json" && location.column == 3)
            #expect(result.fieldLocations["id"]?.line == location.line + 1)
        }
        // Codable reads the same records.
        let decoded = try JSONDecoder().decode([Resource].self, from: Data(bytes))
        #expect(outcome.records == decoded)
    }

    @Test("Samples/library.json → Resource → smrl-json is byte-identical", .enabled(if: Native.hasSample, Native.sampleSkip))
    func sampleRoundTripIsByteIdentical() throws {
        let bytes = try Native.sampleBytes()
        let records = try Native.read(bytes: bytes).records
        let written = try Native.write(records)
        #expect(written == bytes, "first difference at byte \(zip(written, bytes).prefix { $0 == $1 }.count)")
    }

    @Test("Samples/library.json → smrl-ndjson → Resource is equal", .enabled(if: Native.hasSample, Native.sampleSkip))
    func sampleThroughNDJSON() throws {
        let records = try Native.read(bytes: try Native.sampleBytes()).records
        let ndjson = try Native.write(records, lines: true)
        #expect(ndjson.split(separator: 0x0A).count == records.count)
        let back = try Native.read(bytes: ndjson, lines: true, fileName: "library.ndjson")
        #expect(back.diagnostics.isEmpty)
        #expect(back.records == records)
        #expect(back.results.map { $0.location?.line } == Array(1...records.count).map { $0 })
        let compact = try Native.read(bytes: try Native.write(records, pretty: false))
        #expect(compact.records == records)
    }

    @Test func fixturesRoundTripThroughBothFormats() throws {
        let records = Fixtures.all
        for (lines, pretty) in [(false, true), (false, false), (true, true)] {
            let bytes = try Native.write(records, lines: lines, pretty: pretty)
            let outcome = try Native.read(bytes: bytes, lines: lines)
            #expect(outcome.diagnostics.isEmpty)
            #expect(outcome.records == records)
            #expect(try Native.write(outcome.records, lines: lines, pretty: pretty) == bytes)
        }
    }

    /// The sample library when present, and the fixtures.
    private func libraries() throws -> [[Resource]] {
        var result = [Fixtures.all]
        if Native.hasSample { result.append(try Native.read(bytes: try Native.sampleBytes()).records) }
        return result
    }

    @Test func writerAgreesWithCodable() throws {
        for records in try libraries() {
            for pretty in [true, false] {
                let ours = try Native.write(records, pretty: pretty)
                // Foundation's decoder reads our output as the same records…
                #expect(try JSONDecoder().decode([Resource].self, from: Data(ours)) == records)
                // …and JSONEncoder's output is the same JSON as ours (objects compared whatever their key order).
                let theirs = try JSONEncoder().encode(records)
                let ourTree = try JSONSerialization.jsonObject(with: Data(ours)) as? NSArray
                let theirTree = try JSONSerialization.jsonObject(with: theirs) as? NSArray
                #expect(ourTree != nil && ourTree == theirTree)
            }
            // Our reader reads JSONEncoder's output (escaped slashes, its own spacing) as the same records.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let outcome = try Native.read(bytes: Array(try encoder.encode(records)))
            #expect(outcome.diagnostics.isEmpty)
            #expect(outcome.records == records)
            // And a single record encoded alone is read as a single top-level object.
            let single = try Native.read(bytes: Array(try JSONEncoder().encode(records[0])))
            #expect(single.records == [records[0]])
        }
    }

    @Test func codableAndOurReaderAgreeOnNullsAndMissingKeys() throws {
        let text = #"[{"id": null, "type": null, "title": null, "authors": null, "isbn": null, "openAccess": null, "extra": null, "issued": null}, {}]"#
        let ours = try Native.read(text)
        #expect(ours.diagnostics.isEmpty)
        #expect(ours.records == (try JSONDecoder().decode([Resource].self, from: Data(text.utf8))))
        #expect(ours.records.allSatisfy { $0 == Resource(type: .document) })
    }
}
