import SMRLCore
import Testing

/// A damaged item inside a minified CSL-JSON array (the whole array on one line, as citeproc-js, pandoc and
/// most web tools write it): only that item is lost, and nothing of the damaged item is taken for an item.
@Suite("CSL-JSON: a damaged item in a minified array")
struct CSLMinifiedRecoveryTests {
    static func feed(_ damage: (String) -> String) -> String {
        var items = (1...5).map { n in
            #"{"id":"r\#(n)","type":"book","title":"Title \#(n)","author":[{"family":"F\#(n)","given":"G"},"#
                + #"{"family":"X","given":"Y"}],"issued":{"date-parts":[[\#(2000 + n)]]}}"#
        }
        items[2] = damage(items[2])
        return "[" + items.joined(separator: ",") + "]"
    }

    /// A damage, and the text that starts at the byte its diagnostic must point at (found once in the feed).
    static let faults: [(name: String, damage: @Sendable (String) -> String, at: String)] = [
        ("unterminated string", { $0.replacingOccurrences(of: "\"Title 3\"", with: "\"Title 3") }, #"author":[{"family":"F3""#),
        ("raw line break", { $0.replacingOccurrences(of: "Title 3", with: "Title\n3") }, "\n3\""),
        ("control character", { $0.replacingOccurrences(of: "Title 3", with: "Title\u{1F}3") }, "\u{1F}3\""),
        ("unterminated name", { $0.replacingOccurrences(of: "\"title\"", with: "\"title") }, "Title 3\""),
        ("string left open before }]", { $0.replacingOccurrences(of: "\"Y\"}]", with: "\"Y}]") }, #"issued":{"date-parts":[[2003"#),
        ("lost } of a name", { $0.replacingOccurrences(of: "\"Y\"}]", with: "\"Y\"]") }, #"],"issued":{"date-parts":[[2003"#),
        ("stray ]", { $0.replacingOccurrences(of: "\"Title 3\"", with: "\"Title 3\"]") }, #"],"author":[{"family":"F3""#),
        ("lost } of the item", { $0.replacingOccurrences(of: "[[2003]]}}", with: "[[2003]]}") }, #"{"id":"r4""#),
    ]

    @Test("Only the damaged item is lost, reported at the damage", arguments: 0..<8)
    func onlyTheDamagedItemIsLost(_ fault: Int) throws {
        let (name, damage, at) = Self.faults[fault]
        let text = Self.feed(damage)
        let results = CSLTest.read(text)
        #expect(results.compactMap(\.record).map(\.id) == ["r1", "r2", "r4", "r5"], "\(name)")
        let diagnostics = results.flatMap(\.diagnostics)
        #expect(diagnostics.map(\.code) == [.jsonSyntax], "\(name): \(diagnostics.map(\.message))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.recordIndex == 2, "\(name)")
        let offset = try #require(text.utf8.firstRange(of: at.utf8)).lowerBound
        let column = text.utf8.distance(from: text.utf8.startIndex, to: offset) + 1
        #expect(diagnostic.location == SourceLocation(file: "t.json", line: 1, column: column), "\(name)")
    }

    @Test("A truncated minified array keeps the items before the cut and says where it was cut")
    func truncated() {
        let whole = Self.feed { $0 }
        let text = String(whole[..<whole.range(of: "Title 3")!.upperBound])
        let results = CSLTest.read(text)
        #expect(results.compactMap(\.record).map(\.id) == ["r1", "r2"])
        let diagnostics = results.flatMap(\.diagnostics)
        #expect(diagnostics.map(\.code) == [.jsonSyntax, .jsonSyntax])
        #expect(diagnostics.map(\.message).contains { $0.contains("unterminated string") })
    }
}
