@testable import SMRLCore
import Testing

/// ``ByteBuffer`` against `[UInt8]` doing the same: appends of every kind across growth, value semantics of copies
/// (each keeps what it had, whichever writes first), the placeholder made by `init()`, and the unchecked stores
/// ``JSONOutput`` uses.
@Suite("ByteBuffer")
struct ByteBufferTests {
    /// A deterministic mix of operations, mirrored on an array.
    @Test func agreesWithAnArrayAcrossGrowth() {
        for initial in [0, 1, 16, 100] {
            var buffer = initial == 0 ? ByteBuffer() : ByteBuffer(capacity: initial)
            var expected: [UInt8] = []
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(initial)
            func next(_ bound: Int) -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((state >> 33) % UInt64(bound))
            }
            for step in 0..<3000 {
                switch next(8) {
                case 0:
                    let byte = UInt8(truncatingIfNeeded: step)
                    buffer.append(byte)
                    expected.append(byte)
                case 1:
                    let run = (0..<next(40)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ step) }
                    run.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
                    expected.append(contentsOf: run)
                case 2:
                    buffer.append(literal: "a literal, é")
                    expected.append(contentsOf: Array("a literal, é".utf8))
                case 3:
                    let text = String(repeating: "ü", count: next(20))
                    buffer.append(utf8: text)
                    expected.append(contentsOf: Array(text.utf8))
                case 4:
                    buffer.append(contentsOf: "lazy".utf8.lazy.map { $0 })
                    expected.append(contentsOf: Array("lazy".utf8))
                case 5 where !expected.isEmpty:
                    let cut = next(expected.count + 1)
                    buffer.truncate(to: cut)
                    expected.removeSubrange(cut...)
                case 6 where expected.count > 2:
                    let lower = next(expected.count)
                    let upper = lower + next(expected.count - lower + 1)
                    buffer.removeSubrange(lower..<upper)
                    expected.removeSubrange(lower..<upper)
                default:
                    buffer.reserveCapacity(buffer.count + next(500))
                }
                #expect(buffer.count == expected.count)
                #expect(buffer.last == expected.last)
            }
            #expect(buffer.array == expected)
            #expect(buffer.withBytes(from: expected.count / 2) { Array($0) } == Array(expected[(expected.count / 2)...]))
        }
    }

    /// A copy shares the memory until one of the two writes; then each holds what it had plus its own writes.
    @Test func copiesAreValues() {
        var original = ByteBuffer(capacity: 16)
        original.append(contentsOf: Array("shared".utf8))
        var copy = original
        copy.append(literal: " copy")
        original.append(literal: " original, long enough to grow the memory past its first block")
        #expect(copy.text == "shared copy")
        #expect(original.text == "shared original, long enough to grow the memory past its first block")

        // The other way round, and with a removal in the middle (which writes too).
        var third = original
        third.removeSubrange(0..<7)
        #expect(third.text == "original, long enough to grow the memory past its first block")
        #expect(original.text.hasPrefix("shared original"))

        // Truncating a copy changes only that copy.
        var fourth = original
        fourth.truncate(to: 6)
        #expect(fourth.text == "shared" && original.count > 6)
    }

    /// A placeholder made by `init()` holds nothing and takes memory on its first write; swapping it with a kept
    /// buffer (how the BibTeX writer keeps its entry buffer) moves the bytes without copying.
    @Test func placeholderAndSwap() {
        var placeholder = ByteBuffer()
        #expect(placeholder.isEmpty && placeholder.array.isEmpty && placeholder.text.isEmpty && placeholder.last == nil)
        var kept = ByteBuffer(capacity: 64)
        kept.append(literal: "kept")
        swap(&placeholder, &kept)
        #expect(placeholder.text == "kept" && kept.isEmpty)
        kept.append(0x41)
        #expect(kept.text == "A")
        var fresh = ByteBuffer()
        fresh.reserveCapacity(1000)
        fresh.append(literal: "x")
        #expect(fresh.text == "x")
    }

    /// Flushing hands the bytes to the sink and empties the buffer.
    @Test func flushWritesAndEmpties() throws {
        let sink = OutputSink.inMemory()
        var buffer = ByteBuffer(capacity: 4)
        buffer.append(literal: "one ")
        buffer.flush(into: sink)
        #expect(buffer.isEmpty)
        buffer.append(literal: "two")
        buffer.flush(into: sink)
        try sink.flush()
        #expect(String(decoding: sink.memory, as: UTF8.self) == "one two")
    }

    /// A copy of a `JSONOutput` writes on memory of its own: the two outputs do not see each other's bytes.
    @Test func copiedJSONOutputsAreIndependent() {
        var first = JSONOutput(indent: 0, reserving: 8)
        first.beginObject()
        first.member(literal: "a", "1")
        var second = first
        second.member(literal: "b", "2")
        second.endObject()
        first.member(literal: "c", "3 with a longer value to make the memory grow")
        first.endObject()
        #expect(second.text == #"{"a":"1","b":"2"}"#)
        #expect(first.text == #"{"a":"1","c":"3 with a longer value to make the memory grow"}"#)
    }
}
