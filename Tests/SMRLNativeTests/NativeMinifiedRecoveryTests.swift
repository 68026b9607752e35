import SMRLCore
import Testing

/// A damaged record inside a minified smrl-json array (the whole array on one line): only that record is lost,
/// whatever the chunk size the input arrives in (the recovery looks ahead across chunk boundaries).
@Suite("smrl-json: a damaged record in a minified array")
struct NativeMinifiedRecoveryTests {
    static func feed(_ damage: (String) -> String) -> String {
        var records = (1...5).map { n in
            #"{"id":"r\#(n)","type":"book","title":"Title \#(n)","authors":[{"family":"F\#(n)","given":"G"},"#
                + #"{"family":"X","given":"Y"}],"issued":"\#(2000 + n)"}"#
        }
        records[2] = damage(records[2])
        return "[" + records.joined(separator: ",") + "]"
    }

    /// A damage, and the text that starts at the byte its diagnostic must point at (found once in the feed).
    static let faults: [(name: String, damage: @Sendable (String) -> String, at: String)] = [
        ("unterminated string", { $0.replacingOccurrences(of: "\"Title 3\"", with: "\"Title 3") }, #"authors":[{"family":"F3""#),
        ("raw line break", { $0.replacingOccurrences(of: "Title 3", with: "Title\n3") }, "\n3\""),
        ("raw tab", { $0.replacingOccurrences(of: "Title 3", with: "Title\t3") }, "\t3\""),
        ("unterminated name", { $0.replacingOccurrences(of: "\"title\"", with: "\"title") }, "Title 3\""),
        ("string left open before }]", { $0.replacingOccurrences(of: "\"Y\"}]", with: "\"Y}]") }, #"issued":"2003""#),
        ("stray ]", { $0.replacingOccurrences(of: "\"Title 3\"", with: "\"Title 3\"]") }, #"],"authors":[{"family":"F3""#),
    ]

    @Test("Only the damaged record is lost, reported at the damage", arguments: 0..<6, [1, 7, 1 << 16])
    func onlyTheDamagedRecordIsLost(_ fault: Int, chunkSize: Int) throws {
        let (name, damage, at) = Self.faults[fault]
        let text = Self.feed(damage)
        let outcome = try Native.read(text, chunkSize: chunkSize)
        #expect(outcome.records.map(\.id) == ["r1", "r2", "r4", "r5"], "\(name)")
        #expect(outcome.codes() == [.jsonSyntax], "\(name)")
        let diagnostic = try #require(outcome.errors.first)
        #expect(diagnostic.recordIndex == 2, "\(name)")
        let offset = try #require(text.utf8.firstRange(of: at.utf8)).lowerBound
        let column = text.utf8.distance(from: text.utf8.startIndex, to: offset) + 1
        #expect(diagnostic.location == SourceLocation(file: "feed.json", line: 1, column: column), "\(name)")
    }

    @Test("A missing `,` between two records on one line is reported and both are read", arguments: [1, 1 << 16])
    func missingComma(chunkSize: Int) throws {
        let text = Self.feed { $0 }.replacingOccurrences(of: "\"2003\"},{", with: "\"2003\"}{")
        let outcome = try Native.read(text, chunkSize: chunkSize)
        #expect(outcome.records.map(\.id) == ["r1", "r2", "r3", "r4", "r5"])
        #expect(outcome.codes() == [.jsonSyntax])
    }

    @Test("A stray `}` keeps the record's members before it and reports the rest")
    func strayBrace() throws {
        let text = Self.feed { $0.replacingOccurrences(of: "\"Title 3\"", with: "\"Title 3\"}") }
        let outcome = try Native.read(text)
        #expect(outcome.records.map(\.id) == ["r1", "r2", "r3", "r4", "r5"])
        #expect(outcome.records[2].authors.isEmpty && outcome.records[2].title == "Title 3")
        #expect(outcome.codes() == [.jsonSyntax])
        #expect(outcome.errors.first?.message.contains("stray `}`") == true)
    }
}
