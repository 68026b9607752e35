import SMRLCore
import Testing

/// Five records in three layouts (a minified array on one line, a pretty-printed array, one record per line),
/// one of them damaged; the reader must report the damage where it is and read every other record.
@Suite("Streaming JSON recovery in every layout")
struct JSONStreamRecoveryTests {
    enum Layout: String, CaseIterable, CustomStringConvertible, Sendable {
        case minified, pretty, lines
        var description: String { rawValue }
    }

    /// The damage done to one record's text.
    enum Fault: String, CaseIterable, CustomStringConvertible, Sendable {
        case unterminatedString, rawLineBreak, rawTab, controlCharacter, unterminatedName, missingComma
        case strayBrace, strayBracket, truncated, lostClosingBrace, unterminatedNestedString, lostNestedBrace
        var description: String { rawValue }
    }

    /// Record `n` (1-based) in `layout`: two authors (a nested `},{"` that must not be taken for the end of a
    /// record) and a nested date.
    static func record(_ n: Int, _ layout: Layout) -> String {
        let minified = """
            {"id":"r\(n)","type":"book","title":"Title \(n)","author":[{"family":"F\(n)","given":"G"},\
            {"family":"X","given":"Y"}],"issued":{"date-parts":[[\(2000 + n)]]}}
            """
        guard layout == .pretty else { return minified }
        return """
              {
                "id": "r\(n)",
                "type": "book",
                "title": "Title \(n)",
                "author": [
                  {
                    "family": "F\(n)",
                    "given": "G"
                  },
                  {
                    "family": "X",
                    "given": "Y"
                  }
                ],
                "issued": {
                  "date-parts": [
                    [
                      \(2000 + n)
                    ]
                  ]
                }
              }
            """
    }

    struct Case {
        var text: String
        /// Byte offsets where the diagnostics must point, in order.
        var anchors: [Int]
        var ids: [String]
    }

    /// The five records with record `damaged` changed by `fault`; where the diagnostics must point, and which
    /// records must come out.
    static func damagedCase(_ fault: Fault, _ layout: Layout, damaged: Int) -> Case {
        let separator = layout == .minified ? "," : layout == .pretty ? ",\n" : "\n"
        let (open, close) = layout == .minified ? ("[", "]") : layout == .pretty ? ("[\n", "\n]\n") : ("", "\n")
        var records = (1...5).map { record($0, layout) }
        var ids = (1...5).map { "r\($0)" }
        ids.remove(at: damaged - 1)
        let target = records[damaged - 1]
        let colon = layout == .pretty ? ": " : ":"
        // Text before the damaged record (its offset in the whole text).
        let prefix = open + records[..<(damaged - 1)].map { $0 + separator }.joined()
        func offset(of needle: String, in text: String, plus delta: Int = 0) -> Int {
            let range = text.range(of: needle)!
            return text.utf8.distance(from: text.startIndex, to: range.lowerBound) + delta
        }
        var anchors: [Int] = []
        var cut: Int?
        var joinedWithoutComma = false
        switch fault {
        case .unterminatedString:
            records[damaged - 1] = target.replacingOccurrences(of: "\"Title \(damaged)\"", with: "\"Title \(damaged)")
            // The parser reads `Title n,` and stops at the next name; pretty-printed, at the line break.
            let needle = "Title \(damaged),"
            anchors = [offset(of: needle, in: records[damaged - 1], plus: needle.utf8.count + (layout == .pretty ? 0 : 1))]
        case .rawLineBreak, .rawTab, .controlCharacter:
            let raw = fault == .rawLineBreak ? "\n" : fault == .rawTab ? "\t" : "\u{01}"
            records[damaged - 1] = target.replacingOccurrences(of: "Title \(damaged)", with: "Title\(raw)\(damaged)")
            anchors = [offset(of: "Title\(raw)", in: records[damaged - 1], plus: 5)]
            if fault == .rawLineBreak && layout == .lines {
                // The rest of the record is a line of its own: `n",...` is a number and then text.
                anchors.append(anchors[0] + 2)
            }
        case .unterminatedName:
            records[damaged - 1] = target.replacingOccurrences(of: "\"title\"", with: "\"title")
            anchors = [offset(of: "Title \(damaged)", in: records[damaged - 1])]
        case .missingComma:
            joinedWithoutComma = true
            ids = (1...5).map { "r\($0)" }
            anchors = [target.utf8.count + (layout == .pretty ? 3 : 0)]  // the next `{`
        case .strayBrace:
            records[damaged - 1] = target.replacingOccurrences(of: "\"Title \(damaged)\"", with: "\"Title \(damaged)\"}")
            let brace = offset(of: "\"Title \(damaged)\"}", in: records[damaged - 1], plus: 9)
            if layout == .lines {
                // One record per line: the line has text after its value, and is skipped whole.
                anchors = [brace + 1]
            } else {
                // The record ends at the stray `}` (its first members come out); the members after it are skipped.
                ids = (1...5).map { "r\($0)" }
                anchors = [brace]
            }
        case .strayBracket:
            records[damaged - 1] = target.replacingOccurrences(of: "\"Title \(damaged)\"", with: "\"Title \(damaged)\"]")
            anchors = [offset(of: "\"Title \(damaged)\"]", in: records[damaged - 1], plus: 9)]
        case .truncated:
            let quote = offset(of: "\"Title \(damaged)\"", in: target)
            cut = prefix.utf8.count + quote + 4
            ids = (1..<damaged).map { "r\($0)" }
            anchors = [quote]
        case .lostClosingBrace:
            records[damaged - 1] = String(target.dropLast())
            // Reported at the next record's `{`, which is read.
            anchors = [records[damaged - 1].utf8.count + separator.utf8.count]
            if layout == .pretty {
                // The element's last line (`  }`) is lost: the `,` follows the date's `}`.
                records[damaged - 1] = String(target.dropLast(4))
                anchors = [records[damaged - 1].utf8.count + separator.utf8.count + 2]
            }
        case .unterminatedNestedString:
            records[damaged - 1] = target.replacingOccurrences(
                of: "\"given\"\(colon)\"Y\"", with: "\"given\"\(colon)\"Y")
            // Minified: the string runs on over `}],` to the next name; pretty-printed: to the line break.
            let needle = "\"given\"\(colon)\"Y"
            let after = offset(of: needle, in: records[damaged - 1], plus: needle.utf8.count)
            anchors = [layout == .pretty ? after : after + 4]
        case .lostNestedBrace:
            let before = layout == .pretty ? "\"Y\"\n      }\n    ]" : "\"Y\"}]"
            let after = layout == .pretty ? "\"Y\"\n    ]" : "\"Y\"]"
            records[damaged - 1] = target.replacingOccurrences(of: before, with: after)
            anchors = [offset(of: after, in: records[damaged - 1], plus: after.utf8.count - 1)]
        }
        anchors = anchors.map { $0 + prefix.utf8.count }
        var text = open
        for (index, record) in records.enumerated() {
            if index > 0 { text += joinedWithoutComma && index == damaged ? (layout == .pretty ? "\n" : "") : separator }
            text += record
        }
        text += close
        if let cut {
            text = String(decoding: Array(text.utf8)[..<cut], as: UTF8.self)
            if layout != .lines { anchors.append(cut) }  // the array is not closed
        }
        return Case(text: text, anchors: anchors, ids: ids)
    }

    /// Line and column (1-based, in Unicode scalars: the texts are ASCII) of a byte offset.
    static func position(_ offset: Int, in text: String) -> (line: Int, column: Int) {
        let bytes = Array(text.utf8)
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }

    static func read(_ text: String, _ layout: Layout) -> (ids: [String], diagnostics: [Diagnostic]) {
        var reader = JSONStreamReader(
            input: ByteReader(text: text, fileName: "t.json"), layout: layout == .lines ? .lines : .document)
        var ids: [String] = []
        var diagnostics: [Diagnostic] = []
        var steps = 0
        while steps < 1_000 {
            steps += 1
            do {
                guard let element = try reader.next() else { break }
                if case .string(let id)? = element.value["id"] { ids.append(id) }
            } catch {
                diagnostics.append(error.diagnostic)
            }
        }
        #expect(steps < 1_000, "the reader never ended")
        return (ids, diagnostics + reader.streamDiagnostics)
    }

    static let layoutsAndFaults: [(Fault, Layout)] = Fault.allCases.flatMap { fault in
        Layout.allCases.filter { !(fault == .missingComma && $0 == .lines) }.map { (fault, $0) }
    }

    @Test("A damaged record is reported where it is and the records around it are read",
        arguments: layoutsAndFaults, [2, 3])
    func damagedRecord(_ scenario: (Fault, Layout), damaged: Int) {
        let (fault, layout) = scenario
        let damage = Self.damagedCase(fault, layout, damaged: damaged)
        let (ids, diagnostics) = Self.read(damage.text, layout)
        #expect(ids == damage.ids, "\(fault), \(layout)")
        #expect(diagnostics.allSatisfy { $0.code == .jsonSyntax }, "\(fault), \(layout): \(diagnostics)")
        let expected = damage.anchors.map { Self.position($0, in: damage.text) }
        let got = diagnostics.map { ($0.location?.line ?? 0, $0.location?.column ?? 0) }
        #expect(got.count == expected.count, "\(fault), \(layout): \(diagnostics.map(\.message))")
        for (index, position) in expected.enumerated() where index < got.count {
            #expect(got[index] == position, "\(fault), \(layout): \(diagnostics[index].message)")
        }
    }

    @Test("A record cut short by a stray `}` keeps only the members before it", arguments: [Layout.minified, .pretty])
    func strayBraceKeepsTheMembersBefore(_ layout: Layout) throws {
        let damage = Self.damagedCase(.strayBrace, layout, damaged: 3)
        var reader = JSONStreamReader(input: ByteReader(text: damage.text, fileName: "t.json"))
        var values: [JSONValue] = []
        while true {
            do {
                guard let element = try reader.next() else { break }
                values.append(element.value)
            } catch {
                #expect(error.diagnostic.message.contains("stray `}`"))
                #expect(error.index == 3)
            }
        }
        #expect(values.count == 5)
        #expect(values[2].members?.map(\.key) == ["id", "type", "title"])
    }

    @Test("A minified array of well-formed records reads as the pretty-printed one")
    func layoutsAgree() {
        let minified = "[" + (1...5).map { Self.record($0, .minified) }.joined(separator: ",") + "]"
        let pretty = "[\n" + (1...5).map { Self.record($0, .pretty) }.joined(separator: ",\n") + "\n]\n"
        let a = Self.read(minified, .minified)
        let b = Self.read(pretty, .pretty)
        #expect(a.ids == ["r1", "r2", "r3", "r4", "r5"] && a.ids == b.ids)
        #expect(a.diagnostics.isEmpty && b.diagnostics.isEmpty)
    }

    @Test("Two damaged records in a row on one line: each is reported, the others read")
    func twoDamagedRecordsInARow() {
        var records = (1...5).map { Self.record($0, .minified) }
        records[1] = records[1].replacingOccurrences(of: "\"Title 2\"", with: "\"Title\n2")
        records[2] = records[2].replacingOccurrences(of: "\"given\":\"Y\"", with: "\"given\":\"Y")
        let (ids, diagnostics) = Self.read("[" + records.joined(separator: ",") + "]", .minified)
        #expect(ids == ["r1", "r4", "r5"])
        #expect(diagnostics.count == 2)
    }

    @Test("A `},{` inside a string of a damaged record is not taken for its end")
    func boundaryInsideAString() {
        var records = (1...4).map { Self.record($0, .minified) }
        // The damage leaves the reader outside a string, then a string holds what looks like a boundary.
        records[1] = records[1].replacingOccurrences(
            of: "\"title\":\"Title 2\"", with: "\"title\":\"Title 2\" \"x\":1,\"note\":\"a},{\\\"id\\\":1\"")
        let (ids, diagnostics) = Self.read("[" + records.joined(separator: ",") + "]", .minified)
        #expect(ids == ["r1", "r3", "r4"])
        #expect(diagnostics.count == 1)
    }

    @Test("An object where a member name was expected is junk in the record, not the next record")
    func objectInMemberPosition() {
        var records = (1...5).map { Self.record($0, .minified) }
        records[2] = records[2].replacingOccurrences(of: "\"type\":\"book\",", with: "{\"family\":\"Z\"},")
        let (ids, diagnostics) = Self.read("[" + records.joined(separator: ",") + "]", .minified)
        #expect(ids == ["r1", "r2", "r4", "r5"])
        #expect(diagnostics.count == 1)
    }

    @Test("A first record damaged beyond the nesting: the records after it are found by its first name")
    func firstRecordDamagedBeyondTheNesting() {
        var records = (1...3).map { Self.record($0, .minified) }
        records[0] = records[0].replacingOccurrences(of: "\"given\":\"Y\"", with: "\"given\":\"Y")
        let (ids, diagnostics) = Self.read("[" + records.joined(separator: ",") + "]", .minified)
        #expect(ids == ["r2", "r3"])
        #expect(diagnostics.count == 1)
    }

    /// The limit: in a minified array whose records do not begin with the same name, a record damaged so that
    /// the nesting is unknown (a string left open just before `}]`) hides where it ends: no reading comes back to
    /// the array's level. The rest is lost, and the last diagnostic says so.
    @Test("Damage beyond the nesting, records without a common first name: what follows is lost, and said so")
    func damagedBeyondTheNestingWithoutACommonFirstName() {
        var records = (1...3).map { Self.record($0, .minified) }
        records[0] = records[0].replacingOccurrences(of: "{\"id\":\"r1\",\"type\":\"book\",", with: "{\"type\":\"book\",\"id\":\"r1\",")
        records[1] = records[1].replacingOccurrences(of: "\"given\":\"Y\"", with: "\"given\":\"Y")
        let (ids, diagnostics) = Self.read("[" + records.joined(separator: ",") + "]", .minified)
        #expect(ids == ["r1"])
        #expect(diagnostics.count == 2)
        #expect(diagnostics.last?.message.contains("the input ended while skipping the damaged element") == true)
        // Cut short, with nothing skipped: the plain message.
        let (_, cut) = Self.read("[" + records[2] + "," + String(records[2].prefix(20)), .minified)
        #expect(cut.last?.message == "the array is not closed: `]` expected")
    }
}
