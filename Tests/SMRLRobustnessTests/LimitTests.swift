import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

/// `ReaderOptions.maxRecordBytes` and `maxDepth`, for every format that can be written and read: the feeds are
/// written by the format's own writer (three records, the middle one oversized or deeply nested), so each
/// reader is tested in its own syntax without fixtures.
@Suite("Reader limits", .timeLimit(.minutes(10)))
struct LimitTests {
    /// Three ordinary records to surround the hostile one.
    static let neighbours: [Resource] = {
        let records = Feeds.libraryRecords
        return [records[0], records[1], records[2]]
    }()

    /// A record whose title is `title`.
    static func record(title: String) -> Resource {
        var record = neighbours[1]
        record.title = title
        return record
    }

    @Test("A record over maxRecordBytes is an input.record-too-large error; its neighbours come out whole",
        arguments: Robustness.roundTripFormats.map(\.name))
    func recordTooLarge(_ formatName: String) throws {
        let format = try #require(Robustness.registry.format(named: formatName))
        let ordinary = try Feeds.write([Self.neighbours[0], Self.record(title: "Small"), Self.neighbours[2]], as: format)
        let reference = Robustness.read(ordinary, as: format, fileName: "feed")
        try #require(reference.records.count == 3, "\(formatName): the ordinary feed reads to \(reference.records.count) records")

        let big = String(repeating: "Lorem ipsum dolor sit amet ", count: 12_000)  // 324 KB
        let feed = try Feeds.write([Self.neighbours[0], Self.record(title: big), Self.neighbours[2]], as: format)
        var options = ReaderOptions()
        options.maxRecordBytes = 64 * 1024
        let outcome = Robustness.read(feed, as: format, fileName: "feed", options: options)
        #expect(outcome.thrown == nil)
        let tooLarge = outcome.diagnostics.filter { $0.code == .recordTooLarge }
        #expect(tooLarge.contains { $0.severity == .error }, "\(formatName): no input.record-too-large error")
        for diagnostic in tooLarge {
            #expect(diagnostic.location.map { $0.file == "feed" && $0.line >= 1 && $0.column >= 1 } == true, "\(diagnostic)")
        }
        // The oversized record never passes for a whole one: dropped, or kept with the error.
        #expect(!outcome.records.contains { $0.title == big }, "\(formatName): the oversized title came through whole")
        #expect(outcome.records.first == reference.records[0], "\(formatName): the record before changed")
        #expect(outcome.records.last == reference.records[2], "\(formatName): the record after changed")
        #expect(outcome.records.count <= 3)
        // The same feed under the default limit reads whole.
        let unlimited = Robustness.read(feed, as: format, fileName: "feed")
        #expect(!unlimited.diagnostics.contains { $0.code == .recordTooLarge })
        #expect(unlimited.records.count == 3)
    }

    @Test("The default record limit stops a record of 17 MB", arguments: Robustness.roundTripFormats.map(\.name))
    func defaultRecordLimit(_ formatName: String) throws {
        let format = try #require(Robustness.registry.format(named: formatName))
        let defaults = ReaderOptions()
        #expect(defaults.maxRecordBytes <= 64 << 20, "a default over 64 MB does not stop abuse")
        // The writer writes a marker; the marker becomes 17 MB of plain words (cheaper than writing them).
        let feed = try Feeds.write([Self.neighbours[0], Self.record(title: "HUGEMARKER"), Self.neighbours[2]], as: format)
        let marker = Array("HUGEMARKER".utf8)
        let at = try #require((0...(feed.count - marker.count)).first { feed[$0..<$0 + marker.count].elementsEqual(marker) })
        let words = (defaults.maxRecordBytes + (1 << 20)) / 27 + 1
        let huge = String(repeating: "Lorem ipsum dolor sit amet ", count: words)
        let bytes = Array(feed[..<at]) + Array(huge.utf8) + Array(feed[(at + marker.count)...])
        let outcome = Robustness.read(bytes, as: format, fileName: "feed")
        #expect(outcome.thrown == nil)
        #expect(
            outcome.diagnostics.contains { $0.code == .recordTooLarge && $0.location != nil },
            "\(formatName): \(outcome.problems.prefix(3).map(String.init(describing:)))")
        #expect(!outcome.records.contains { $0.title == huge })
        #expect(outcome.records.first?.id == Self.neighbours[0].id)
    }

    /// Nesting in the format's own syntax around the place where the writer put `marker`: JSON arrays inside a
    /// JSON string's place, braces inside a braced BibTeX value, elements inside an XML element. Nil for
    /// formats without nesting (RIS).
    static func nest(_ feed: [UInt8], marker: String, levels: Int) -> [UInt8]? {
        let text = String(decoding: feed, as: UTF8.self)
        guard let range = text.range(of: marker) else { return nil }
        let before = text[..<range.lowerBound].last
        let nested: String
        var replaced = range
        switch before {
        case "\"":
            replaced = text.index(before: range.lowerBound)..<text.index(after: range.upperBound)
            nested = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        case "{":
            nested = String(repeating: "{", count: levels) + "x" + String(repeating: "}", count: levels)
        case ">":
            nested = String(repeating: "<italic>", count: levels) + "x" + String(repeating: "</italic>", count: levels)
        default:
            return nil
        }
        return Array(text.replacingCharacters(in: replaced, with: nested).utf8)
    }

    @Test("Nesting past maxDepth is an input.nesting-too-deep error; nesting within it is not")
    func nestingTooDeep() throws {
        var tested: [String] = []
        for format in Robustness.roundTripFormats {
            let marker = "NESTMARKER"
            let feed = try Feeds.write([Self.neighbours[0], Self.record(title: marker), Self.neighbours[2]], as: format)
            guard let deep = Self.nest(feed, marker: marker, levels: 40), let shallow = Self.nest(feed, marker: marker, levels: 2)
            else { continue }
            tested.append(format.name)
            let reference = Robustness.read(feed, as: format, fileName: "feed")
            var options = ReaderOptions()
            options.maxDepth = 24

            let refused = Robustness.read(deep, as: format, fileName: "feed", options: options)
            #expect(refused.thrown == nil)
            #expect(
                refused.diagnostics.contains { $0.code == .nestingTooDeep && $0.severity == .error && $0.location != nil },
                "\(format.name): 40 levels under maxDepth 24 were not refused")
            #expect(refused.records.first == reference.records.first, "\(format.name): the record before changed")
            if !format.fileExtensions.contains("xml") {
                #expect(refused.records.last == reference.records.last, "\(format.name): the record after changed")
            }

            let accepted = Robustness.read(shallow, as: format, fileName: "feed", options: options)
            #expect(!accepted.diagnostics.contains { $0.code == .nestingTooDeep }, "\(format.name): 2 levels refused")
            #expect(accepted.records.count == reference.records.count)
        }
        // JSON, BibTeX and XML all nest; a change that made no format testable here must not pass unnoticed.
        #expect(tested.count >= 2, "nesting tested for \(tested) only")
    }

    @Test("100,000 levels of nesting end with an error under the default limit, without a crash")
    func hostileNesting() throws {
        var tested = 0
        for format in Robustness.roundTripFormats {
            let marker = "NESTMARKER"
            let feed = try Feeds.write([Self.neighbours[0], Self.record(title: marker), Self.neighbours[2]], as: format)
            guard let deep = Self.nest(feed, marker: marker, levels: 100_000) else { continue }
            tested += 1
            let outcome = Robustness.read(deep, as: format, fileName: "feed")
            #expect(outcome.thrown == nil)
            #expect(!outcome.runaway)
            #expect(outcome.diagnostics.contains { $0.code == .nestingTooDeep && $0.location != nil }, "\(format.name)")
            #expect(outcome.records.first?.id == Self.neighbours[0].id, "\(format.name): the record before was lost")
        }
        #expect(tested >= 2)
    }

    @Test("XML: a 100 MB attribute ends with an error and the records before it", arguments: Robustness.readableFormats.filter { $0.fileExtensions.contains("xml") }.map(\.name))
    func hugeAttribute(_ formatName: String) throws {
        let format = try #require(Robustness.registry.format(named: formatName))
        try #require(format.canWrite)
        let feed = try Feeds.write([Self.neighbours[0], Self.record(title: "ATTRMARKER"), Self.neighbours[2]], as: format)
        var text = String(decoding: feed, as: UTF8.self)
        let range = try #require(text.range(of: ">ATTRMARKER"))
        text.replaceSubrange(range, with: " specific-use=\"" + String(repeating: "a", count: 100 << 20) + "\">x")
        let outcome = Robustness.read(Array(text.utf8), as: format, fileName: "feed")
        #expect(outcome.thrown == nil)
        #expect(
            outcome.diagnostics.contains { $0.code == .recordTooLarge && $0.location != nil },
            "\(outcome.problems.prefix(3).map(String.init(describing:)))")
        #expect(outcome.records.first?.id == Self.neighbours[0].id)
    }

    @Test(
        "The default limits accept every corpus file",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)),
        arguments: Specimen.corpusGroups)
    func defaultsAcceptRealData(_ group: String) throws {
        var files = 0
        for url in Specimen.corpusFiles(in: group) {
            guard let specimen = Specimen(url: url) else { continue }
            files += 1
            let outcome = Robustness.read(specimen.bytes, as: specimen.format, fileName: specimen.name)
            let refused = outcome.diagnostics.filter { $0.code == .recordTooLarge || $0.code == .nestingTooDeep }
            #expect(refused.isEmpty, "\(specimen): \(refused.first.map(String.init(describing:)) ?? "")")
        }
        #expect(files > 0, "\(group): no file the registry can read")
    }
}
