import SMRLCore
import Testing

@Suite("Streaming JSON")
struct JSONStreamReaderTests {
    private func readAll(_ text: String, layout: JSONStreamReader.Layout = .document, maxDepth: Int = 512)
        -> (values: [JSONValue], failures: [JSONStreamReader.Failure])
    {
        var options = ReaderOptions()
        options.maxDepth = maxDepth
        var reader = JSONStreamReader(input: ByteReader(text: text, fileName: "t.json"), layout: layout, options: options)
        var values: [JSONValue] = []
        var failures: [JSONStreamReader.Failure] = []
        while true {
            do {
                guard let element = try reader.next() else { break }
                values.append(element.value)
            } catch {
                failures.append(error)
            }
        }
        return (values, failures)
    }

    @Test func readsArrayElementsInOrderWithLocations() throws {
        var reader = JSONStreamReader(input: ByteReader(text: "[\n  {\"a\": 1},\n  {\"é\": \"x\", \"b\": [true, null]}\n]"))
        let first = try #require(try reader.next())
        #expect(first.location.line == 2 && first.location.column == 3)
        let second = try #require(try reader.next())
        #expect(second.index == 1)
        #expect(second.value.members?.map(\.key) == ["é", "b"])
        #expect(second.value.members?[1].column == 14)
        #expect(try reader.next() == nil)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let (values, failures) = readAll(#"["a\"b\\c\/\n\u00e9\ud83d\ude00"]"#)
        #expect(failures.isEmpty)
        #expect(values == [.string("a\"b\\c/\né😀")])
    }

    @Test func keepsNumbersAsWritten() {
        let (values, failures) = readAll("[1, -0.50, 2e10, 1.5E-3]")
        #expect(failures.isEmpty)
        #expect(values == [.number("1"), .number("-0.50"), .number("2e10"), .number("1.5E-3")])
    }

    @Test func recoversAfterABadElement() throws {
        let text = "[\n{\"title\": \"good\"},\n{\"title\": \"bad\" \"x\": 1, \"y\": [1,2]},\n{\"title\": \"also good\"}\n]"
        let (values, failures) = readAll(text)
        #expect(values.count == 2)
        let failure = try #require(failures.first)
        #expect(failures.count == 1)
        #expect(failure.index == 1)
        #expect(failure.diagnostic.code == .jsonSyntax)
        #expect(failure.diagnostic.location?.line == 3)
        #expect(failure.diagnostic.location?.column == 17)
    }

    @Test(arguments: ["[01]", "[1.]", "[-]", "[tru]", "[\"a\u{01}\"]", "[\"\\x\"]", "[{\"a\" 1}]", "[{a: 1}]"])
    func rejectsInvalidJSON(_ text: String) {
        let (values, failures) = readAll(text)
        #expect(values.isEmpty)
        #expect(failures.count == 1)
    }

    @Test func readsOneValuePerLine() {
        let (values, failures) = readAll("{\"a\":1}\n\n{\"a\":2} x\n{\"a\":3}\n", layout: .lines)
        #expect(values.count == 2)
        #expect(failures.count == 1)
        #expect(failures.first?.diagnostic.location?.line == 3)
    }

    @Test func stopsDeepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let (values, failures) = readAll(deep, maxDepth: 64)
        #expect(values.isEmpty)
        #expect(failures.first?.diagnostic.code == .nestingTooDeep)
    }

    @Test func readsASingleTopLevelObject() {
        let (values, failures) = readAll("  {\"type\": \"book\"}  ")
        #expect(failures.isEmpty)
        #expect(values.first?["type"] == .string("book"))
    }

    @Test func writesEscapedCompactAndPrettyJSON() {
        var compact = JSONOutput(indent: 0)
        compact.beginObject()
        compact.member("t", "a\"b\n\u{01}é")
        compact.member("k", ["x", "y"])
        compact.endObject()
        #expect(String(decoding: compact.bytes, as: UTF8.self) == #"{"t":"a\"b\n\u0001é","k":["x","y"]}"#)
        var pretty = JSONOutput(indent: 2)
        pretty.value(.object([JSONMember(key: "a", value: .array([.number("1"), .null]))]))
        #expect(String(decoding: pretty.bytes, as: UTF8.self) == "{\n  \"a\": [\n    1,\n    null\n  ]\n}")
    }

    @Test(arguments: [0, 2])
    func literalKeysWriteWhatStringKeysWrite(indent: Int) {
        var byString = JSONOutput(indent: indent)
        var byLiteral = JSONOutput(indent: indent)
        byString.beginObject()
        byLiteral.beginObject()
        byString.member("id", "x1")
        byLiteral.member(literal: "id", "x1")
        byString.member("absent", nil as String?)
        byLiteral.member(literal: "absent", nil as String?)
        byString.member("list", ["a", "b\""])
        byLiteral.member(literal: "list", ["a", "b\""])
        byString.member("empty", [] as [String])
        byLiteral.member(literal: "empty", [] as [String])
        byString.key("openAccess")
        byLiteral.key(literal: "openAccess")
        byString.bool(true)
        byLiteral.bool(true)
        byString.endObject()
        byLiteral.endObject()
        #expect(byLiteral.bytes == byString.bytes)
        #expect(String(decoding: byLiteral.bytes, as: UTF8.self).hasSuffix(indent == 0 ? #""openAccess":true}"# : "\"openAccess\": true\n}"))
    }

    @Test func flushHandsOverTheBytesAndKeepsTheNesting() throws {
        let sink = OutputSink.inMemory()
        var output = JSONOutput(indent: 2)
        output.beginArray()
        output.flush(into: sink)
        #expect(output.bytes.isEmpty)
        output.string("a")
        output.flush(into: sink)
        output.flush(into: sink)  // nothing written: nothing handed over
        output.string("b")
        output.endArray()
        output.flush(into: sink)
        try sink.commit()
        var whole = JSONOutput(indent: 2)
        whole.beginArray()
        whole.string("a")
        whole.string("b")
        whole.endArray()
        #expect(sink.memory == whole.bytes)
    }
}

@Suite("Streaming JSON recovery always makes progress")
struct JSONStreamReaderProgressTests {
    @Test(arguments: ["[{a: 1}]", "[}}}]", "[1 } 2]", "[{\"a\":1}}, {\"b\":2}]", "[\"x\" \"y\"", "{\"a\":1} junk", "[[[["])
    func endsOnDamagedInput(_ text: String) {
        var reader = JSONStreamReader(input: ByteReader(text: text))
        var steps = 0
        while steps < 100 {
            steps += 1
            do {
                guard try reader.next() != nil else { break }
            } catch {}
        }
        #expect(steps < 100)
    }
}
