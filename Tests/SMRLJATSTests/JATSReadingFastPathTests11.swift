import SMRLCore
import SMRLJATS
import SMRLTestSupport
@testable import SMRLXML
import Testing

/// The start-tag search of ``SourcePositionTracker`` one byte at a time: the reference for the tracker, which
/// skips eight bytes at a time and jumps straight to the first `<`, LF or CR of a word. Keeps every byte (no
/// window), so it is only for inputs below the tracker's capacity.
private final class SourcePositionTrackerReference {
    private var bytes: [UInt8] = []
    private var cursor = 0
    private var position = TextPosition()
    var cursorLine: Int { position.line }
    var cursorColumn: Int { position.column }

    func append(_ chunk: ArraySlice<UInt8>) { bytes += chunk }

    private func advance(orLine line: Int) {
        guard position.line < line else { return }
        while cursor < bytes.count {
            position.step(bytes[cursor])
            cursor += 1
            if position.line >= line { break }
        }
    }

    func locateStartTag(_ name: [UInt8], lineHint: Int?) -> (line: Int, column: Int)? {
        guard !name.isEmpty else { return nil }
        if let lineHint, lineHint > 0, lineHint < 65535 {
            if lineHint < position.line { return nil }
            advance(orLine: max(position.line, lineHint - 8))
        }
        let hint = (lineHint ?? 0) > 0 && (lineHint ?? 0) < 65535 ? lineHint : nil
        let end = bytes.count
        let start = cursor
        let searchLimit = hint == nil ? min(end, start + (4 << 20)) : end
        var index = start
        var line = position.line
        var wasCR = position.afterCR
        var lineStart: Int?
        var match: Int?
        let delimiters: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0x3E, 0x2F]
        while index < searchLimit {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                if !(byte == 0x0A && wasCR) { line += 1 }
                wasCR = byte == 0x0D
                if let hint, line > hint { return nil }
                index += 1
                lineStart = index
                continue
            }
            wasCR = false
            if byte == 0x3C, index + name.count + 1 < end, Array(bytes[(index + 1)..<(index + 1 + name.count)]) == name,
                delimiters.contains(bytes[index + name.count + 1])
            {
                match = index
                break
            }
            index += 1
        }
        guard let match else { return nil }
        let from = lineStart ?? start
        let scalars = bytes[from..<match].filter { $0 & 0xC0 != 0x80 }.count
        let column = (lineStart == nil ? position.column : 1) + scalars
        cursor = match + 1
        position = TextPosition(line: line, column: column + 1, afterCR: false)
        return (line, column)
    }
}

/// Session 11: cheaper JATS reading in the XML layer. Each fast path against its reference, on the corpus and on
/// hard cases.
@Suite("JATS reading fast paths (session 11)")
struct JATSReadingFastPathTests11 {
    /// Runs the same searches on the tracker and the reference (bytes appended in random chunks) and compares
    /// every answer and the position after it.
    static func compareTrackers(
        _ bytes: [UInt8], queries: [(name: [UInt8], hint: Int?)], seed: UInt64, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        var random = SeededGenerator(seed: seed)
        let tracker = SourcePositionTracker()
        let reference = SourcePositionTrackerReference()
        var offset = 0
        while offset < bytes.count {
            let size = min(bytes.count - offset, Int.random(in: 1...4096, using: &random))
            tracker.append(bytes[offset..<(offset + size)])
            reference.append(bytes[offset..<(offset + size)])
            offset += size
        }
        var mismatches = 0
        for (number, query) in queries.enumerated() {
            let found = query.name.withUnsafeBufferPointer { tracker.locateStartTag($0, lineHint: query.hint) }
            let expected = reference.locateStartTag(query.name, lineHint: query.hint)
            let same = found?.line == expected?.line && found?.column == expected?.column
                && tracker.cursorLine == reference.cursorLine && tracker.cursorColumn == reference.cursorColumn
            if !same {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record(
                        "query \(number) <\(String(decoding: query.name, as: UTF8.self))> hint \(query.hint.map(String.init) ?? "nil"): \(String(describing: found)) != \(String(describing: expected))",
                        sourceLocation: sourceLocation)
                }
            }
        }
        #expect(mismatches == 0, sourceLocation: sourceLocation)
    }

    /// The start tags of a document in order, as the stream reader reports them (qualified name, line).
    static func startTags(_ bytes: [UInt8]) -> [(name: [UInt8], line: Int)] {
        let reader = XMLStreamReader(ByteReader(bytes: bytes, fileName: "test.xml"))
        var tags: [(name: [UInt8], line: Int)] = []
        while let tag = reader.nextStartTag() { tags.append((Array(tag.qualifiedName.utf8), tag.line)) }
        return tags
    }

    /// Queries as the reader makes them (each tag with its line as the hint), with some hints dropped or moved.
    static func queries(for tags: [(name: [UInt8], line: Int)], seed: UInt64) -> [(name: [UInt8], hint: Int?)] {
        var random = SeededGenerator(seed: seed)
        return tags.map { tag in
            switch Int.random(in: 0..<8, using: &random) {
            case 0: return (tag.name, nil)
            case 1: return (tag.name, tag.line + Int.random(in: 1...12, using: &random))
            case 2: return (tag.name, max(0, tag.line - 1))
            default: return (tag.name, tag.line)
            }
        }
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled), arguments: JATSTest.articleFiles)
    func startTagSearchMatchesTheReferenceOnTheCorpus(file: String) throws {
        let bytes = try ByteReader(path: TestCorpus.url(file).path).readAll()
        let tags = Self.startTags(bytes)
        let seed = SeededGenerator.seed(for: file)
        Self.compareTrackers(bytes, queries: tags.map { ($0.name, $0.line) }, seed: seed)
        Self.compareTrackers(bytes, queries: Self.queries(for: tags, seed: seed), seed: seed &+ 1)
    }

    @Test func startTagSearchMatchesTheReferenceOnHardCases() {
        let documents: [String] = [
            "<a><b>x</b><c/></a>",
            "<a>\r\n  <b>é</b>\r\n\r<c>😀😀<d/></c>\n\n</a>",
            "<ref-list><ref id='1'><ref-x/></ref></ref-list>",
            "<a>" + String(repeating: "ééé <b>", count: 40) + "</a>",
            "<a>" + String(repeating: "x", count: 1000) + "\n<b>" + String(repeating: "\r", count: 17) + "<c>",
            "<mml:math><mml:mi>x</mml:mi></mml:math>",
            "<a",
            "",
            "no tags at all\nbut lines\r\n",
            "<a>\t<b\t/><b\n/><b\r/><b>",
        ]
        for (number, document) in documents.enumerated() {
            let bytes = Array(document.utf8)
            for shift in 0..<9 {
                // Every alignment of the tags within the eight-byte words.
                let shifted = Array(repeating: UInt8(0x20), count: shift) + bytes
                let names = ["a", "b", "c", "d", "ref", "ref-list", "mml:math", "mml:mi", "x"].map { Array($0.utf8) }
                var random = SeededGenerator(seed: UInt64(number * 16 + shift))
                var queries: [(name: [UInt8], hint: Int?)] = []
                for _ in 0..<40 {
                    let hint: Int? = Int.random(in: 0..<3, using: &random) == 0 ? nil : Int.random(in: 0...25, using: &random)
                    queries.append((names[Int.random(in: 0..<names.count, using: &random)], hint))
                }
                Self.compareTrackers(shifted, queries: queries, seed: UInt64(shift))
            }
        }
    }

    /// Random bytes dense in `<`, line breaks and multi-byte characters: every path of the search, at every alignment.
    @Test func startTagSearchMatchesTheReferenceOnRandomBytes() {
        let alphabet: [UInt8] = [0x3C, 0x3C, 0x61, 0x62, 0x61, 0x0A, 0x0D, 0x20, 0x3E, 0x2F, 0xC3, 0xA9, 0x78, 0x78, 0x78, 0x78]
        let names = ["a", "ab", "b", "ba", "aa"].map { Array($0.utf8) }
        for round in 0..<200 {
            var random = SeededGenerator(seed: UInt64(round))
            let count = Int.random(in: 0...600, using: &random)
            let bytes = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            var queries: [(name: [UInt8], hint: Int?)] = []
            for _ in 0..<60 {
                let hint: Int? = Int.random(in: 0..<3, using: &random) == 0 ? nil : Int.random(in: 0...40, using: &random)
                queries.append((names[Int.random(in: 0..<names.count, using: &random)], hint))
            }
            Self.compareTrackers(bytes, queries: queries, seed: UInt64(round))
        }
    }

    /// The name cache gives what `String(cString:)` gives, also when the bytes at an address it has seen change
    /// (libxml2 freed a name and reused the memory), and for bytes that are not UTF-8.
    @Test func nameCacheGivesTheStringOfTheCurrentBytes() {
        let cache = XMLNameCache()
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        func store(_ bytes: [UInt8]) {
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
            buffer[bytes.count] = 0
        }
        let cases: [[UInt8]] = [
            Array("element-citation".utf8), Array("element-citation".utf8), Array("element-citatioN".utf8),
            Array("element-citation-x".utf8), Array("element".utf8), [], Array("é".utf8), [0xC3], [0xFF, 0x61],
            Array("person-group-type".utf8), Array("person-group-type".utf8),
        ]
        for bytes in cases {
            store(bytes)
            #expect(cache.string(UnsafePointer(buffer)) == String(cString: UnsafePointer(buffer)))
        }
        #expect(cache.string(nil) == nil)
        // Many addresses: every slot is reused.
        var strings: [[UInt8]] = []
        for number in 0..<1000 { strings.append(Array("name\(number % 300)".utf8) + [0]) }
        for bytes in strings {
            bytes.withUnsafeBufferPointer { pointer in
                #expect(cache.string(pointer.baseAddress) == String(cString: pointer.baseAddress!))
            }
        }
    }

    /// XMLElementNode keeps its fields in one shared object: a copy must still behave as a value (a change to it
    /// leaves the original alone, through every property), and equality and hashing are those of the fields.
    @Test func elementNodeIsStillAValue() {
        let leaf = XMLElementNode(name: "year", attributes: [XMLAttribute(name: "iso-8601-date", value: "2020")],
            children: [.text("2020")], line: 3, column: 5)
        let original = XMLElementNode(name: "element-citation", prefix: "j", namespaceURI: "urn:x",
            attributes: [XMLAttribute(name: "publication-type", value: "journal")],
            children: [.text(" "), .element(leaf), .text("x")], line: 2, column: 1)
        let rebuilt = XMLElementNode(name: "element-citation", prefix: "j", namespaceURI: "urn:x",
            attributes: [XMLAttribute(name: "publication-type", value: "journal")],
            children: [.text(" "), .element(leaf), .text("x")], line: 2, column: 1)
        #expect(original == rebuilt)
        #expect(original.hashValue == rebuilt.hashValue)

        var changes: [(String, (inout XMLElementNode) -> Void)] = [
            ("name", { $0.name = "mixed-citation" }), ("prefix", { $0.prefix = nil }),
            ("namespace", { $0.namespaceURI = "urn:y" }), ("line", { $0.line = 9 }), ("column", { $0.column = 9 }),
            ("attribute added", { $0.attributes.append(XMLAttribute(name: "id", value: "r1")) }),
            ("attribute changed", { $0.attributes[0].value = "book" }),
            ("child appended", { $0.children.append(.text("y")) }),
            ("children removed", { $0.children.removeAll() }),
            ("children replaced", { $0.children = [.text(" ")] }),
        ]
        changes.append(("grandchild changed", { node in
            guard case .element(var inner) = node.children[1] else { return }
            inner.children = [.text("2021")]
            node.children[1] = .element(inner)
        }))
        for (label, change) in changes {
            var copy = original
            change(&copy)
            #expect(copy != original, "\(label)")
            #expect(original == rebuilt, "\(label): the original changed with its copy")
            #expect(original.textContent == " 2020x", "\(label)")
            var again = original
            change(&again)
            #expect(again == copy && again.hashValue == copy.hashValue, "\(label)")
        }
        #expect(leaf.textContent == "2020" && leaf.line == 3)
        #expect(original.descendants("year") == [leaf] && original.firstDescendant("year") == leaf)
    }

    /// The walks of XMLElementNode, as recursion: the references for `descendants`, `firstDescendant`,
    /// `textContent` and `hasVisibleText`.
    static func descendantsSlowly(_ node: XMLElementNode, _ name: String) -> [XMLElementNode] {
        var result: [XMLElementNode] = []
        for case .element(let element) in node.children {
            if element.name == name { result.append(element) } else { result += descendantsSlowly(element, name) }
        }
        return result
    }

    static func textSlowly(_ node: XMLElementNode) -> String {
        node.children.map { child -> String in
            switch child {
            case .text(let text): return text
            case .element(let element): return textSlowly(element)
            }
        }.joined()
    }

    static func checkWalks(_ node: XMLElementNode, names: [String], file: String, checked: inout Int) {
        for name in names {
            let expected = descendantsSlowly(node, name)
            #expect(node.descendants(name) == expected, "\(file): <\(node.name)> line \(node.line) descendants \(name)")
            #expect(node.firstDescendant(name) == firstSlowly(node, name), "\(file): firstDescendant \(name)")
        }
        let text = textSlowly(node)
        #expect(node.textContent == text, "\(file): <\(node.name)> line \(node.line) text")
        #expect(node.hasVisibleText == text.utf8.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D })
        checked += 1
        for case .element(let element) in node.children { checkWalks(element, names: names, file: file, checked: &checked) }
    }

    static func firstSlowly(_ node: XMLElementNode, _ name: String) -> XMLElementNode? {
        for case .element(let element) in node.children {
            if element.name == name { return element }
            if let found = firstSlowly(element, name) { return found }
        }
        return nil
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled), arguments: JATSTest.articleFiles)
    func elementWalksMatchTheReferenceOnTheCorpus(file: String) throws {
        let reader = XMLStreamReader(try ByteReader(path: TestCorpus.url(file).path))
        guard reader.nextStartTag() != nil, let root = reader.readElement() else { return }
        var checked = 0
        Self.checkWalks(root, names: ["p", "xref", "ref", "name", "italic", "sec", "contrib"], file: file, checked: &checked)
        #expect(checked > 1)
    }
}
