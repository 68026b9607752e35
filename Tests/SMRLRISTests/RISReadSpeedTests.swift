import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The fast paths of the reader's scanner (issue 7, second round) against the code they replaced: lines read in
/// place from the ByteReader's buffer against ``ByteReader/readLine()``, compared byte for byte over crafted inputs
/// and every file of the corpus, at many chunk sizes.
@Suite("RIS scanner's in-place lines agree with readLine")
struct RISReadSpeedTests {
    /// Every RIS, MEDLINE and tagged-text file of the corpus.
    static let corpusFiles: [URL] = TestCorpus.files(
        in: "ris", extensions: ["ris", "nbib", "txt", "isi", "ovd", "medline"])

    static func lines(viaReadLine bytes: [UInt8], chunk: Int) -> [[UInt8]] {
        let reader = ByteReader(source: MemoryByteSource(bytes), fileName: "x", chunkSize: chunk)
        var lines: [[UInt8]] = []
        while let line = reader.readLine() { lines.append(line.bytes) }
        return lines
    }

    static func lines(viaSlices bytes: [UInt8], chunk: Int) -> [[UInt8]] {
        let reader = ByteReader(source: MemoryByteSource(bytes), fileName: "x", chunkSize: chunk)
        var lines: [[UInt8]] = []
        while let line = reader.nextLineSlice() { lines.append(Array(line)) }
        return lines
    }

    @Test("lines read in place are the lines readLine gives, whatever the chunk size")
    func craftedLines() {
        var inputs: [[UInt8]] = [
            [], [0x0A], [0x0D], [0x0D, 0x0A], [0x0A, 0x0D], Array("no terminator".utf8),
            Array("a\r\r\n\n\rb".utf8), Array(repeating: 0x0D, count: 20), Array(repeating: 0x0A, count: 19),
            [0xEF, 0xBB, 0xBF] + Array("TY  - X\rER  - ".utf8),
            // UTF-16 (transcoded as it streams): the lines are found in the transcoded buffer.
            [0xFF, 0xFE, 0x41, 0x00, 0x0D, 0x00, 0x0A, 0x00, 0x42, 0x00, 0x0D, 0x00],
            [0xFE, 0xFF, 0x00, 0x41, 0x00, 0x0A, 0x00, 0xE9, 0x00, 0x0D, 0x00, 0x0D, 0x00, 0x0A],
        ]
        // A CR at every position relative to the chunk and word boundaries, with and without its LF.
        for length in 0..<20 {
            let body = Array(repeating: UInt8(0x61), count: length)
            inputs.append(body + [0x0D] + body + [0x0D, 0x0A] + body)
            inputs.append(body + [0x0D, 0x0A] + body + [0x0A] + body + [0x0D])
        }
        for input in inputs {
            for chunk in [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 64] {
                #expect(Self.lines(viaSlices: input, chunk: chunk) == Self.lines(viaReadLine: input, chunk: chunk),
                    "\(input) chunk \(chunk)")
            }
        }
    }

    /// The lines of `bytes` split at LF, CRLF and a lone CR, straight from the array (the reference for the reader's
    /// line splitting, whatever its buffering).
    static func referenceLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(current)
                current = []
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                current.append(byte)
            }
            index += 1
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// A source that hands out at most a few bytes per read (as pipes do), then optionally fails.
    final class TrickleSource: ByteSource {
        struct Failure: Error {}
        let bytes: [UInt8]
        var position = 0
        var state: UInt64
        let failAt: Int?
        init(_ bytes: [UInt8], seed: UInt64, failAt: Int? = nil) {
            self.bytes = bytes
            state = seed
            self.failAt = failAt
        }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            if let failAt, position >= failAt { throw Failure() }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let limit = min(failAt ?? bytes.count, bytes.count)
            let count = min(buffer.count, limit - position, Int(state >> 59) + 1)
            guard count > 0 else { return 0 }
            for offset in 0..<count { buffer[offset] = bytes[position + offset] }
            position += count
            return count
        }
    }

    @Test("lines read in place match a plain split of the bytes: long lines past the chunk, CRs anywhere, short reads")
    func generatedLines() {
        var state: UInt64 = 0x5EED
        func nextRandom() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let alphabet: [UInt8] = [0x61, 0x62, 0x20, 0x0D, 0x0A, 0xC3, 0xA9, 0x2D, 0x00, 0x09]
        for round in 0..<120 {
            // Lines from empty to several chunks long; terminators drawn rarely or often.
            var bytes: [UInt8] = []
            let length = nextRandom() % (round < 60 ? 200 : 5000)
            let terminatorOdds = 1 + nextRandom() % 300
            while bytes.count < length {
                if nextRandom() % terminatorOdds == 0 {
                    bytes.append(nextRandom() % 2 == 0 ? 0x0A : 0x0D)
                } else {
                    bytes.append(alphabet[nextRandom() % alphabet.count])
                }
            }
            let expected = Self.referenceLines(bytes)
            for chunk in [1, 3, 8, 16, 61, 256, 1 << 16] {
                #expect(Self.lines(viaSlices: bytes, chunk: chunk) == expected, "round \(round) chunk \(chunk)")
                #expect(Self.lines(viaReadLine: bytes, chunk: chunk) == expected, "round \(round) chunk \(chunk)")
                let trickle = ByteReader(source: TrickleSource(bytes, seed: UInt64(round)), fileName: "x", chunkSize: chunk)
                var lines: [[UInt8]] = []
                while let line = trickle.nextLineSlice() { lines.append(Array(line)) }
                #expect(lines == expected, "trickled, round \(round) chunk \(chunk)")
                #expect(trickle.bytesRead == bytes.count)
            }
        }
    }

    @Test("every byte comes through the refills once, in order, at every chunk size; a failing source ends the input")
    func refills() {
        let bytes = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        for chunk in [1, 2, 7, 64, 1000, 4096] {
            // Single bytes, peeks ahead (which refill with bytes left) and reads of a few bytes, mixed.
            let reader = ByteReader(source: TrickleSource(bytes, seed: UInt64(chunk)), fileName: "x", chunkSize: chunk)
            var got: [UInt8] = []
            var step = 0
            while true {
                step += 1
                if step % 3 == 0 {
                    let ahead = reader.peek(at: step % 40)
                    let expected = got.count + step % 40 < bytes.count ? bytes[got.count + step % 40] : nil
                    #expect(ahead == expected, "chunk \(chunk) at \(got.count)")
                }
                if step % 2 == 0, let byte = reader.next() {
                    got.append(byte)
                    continue
                }
                var room = [UInt8](repeating: 0, count: 5)
                let count = room.withUnsafeMutableBytes { reader.read(into: $0) }
                if count == 0 { break }
                got.append(contentsOf: room[..<count])
            }
            #expect(got == bytes, "chunk \(chunk)")
            #expect(reader.bytesRead == bytes.count)

            let failing = ByteReader(source: TrickleSource(bytes, seed: 7, failAt: 1234), fileName: "x", chunkSize: chunk)
            #expect(failing.readAll() == Array(bytes[..<1234]), "chunk \(chunk)")
            #expect(failing.readError != nil)
            #expect(failing.bytesRead == 1234)
        }
    }

    @Test(
        "every corpus file splits into the same lines in place as with readLine",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusLines() throws {
        #expect(!Self.corpusFiles.isEmpty)
        for url in Self.corpusFiles {
            let bytes = Array(try Data(contentsOf: url))
            for chunk in [13, 4096, 1 << 16] {
                #expect(Self.lines(viaSlices: bytes, chunk: chunk) == Self.lines(viaReadLine: bytes, chunk: chunk),
                    "\(url.lastPathComponent) chunk \(chunk)")
            }
        }
    }
}

@Suite("RIS interpreter's small tables behave as the standard collections")
struct RISSmallTableTests {
    @Test("the consumed-field list answers as a Set, below and past the size where it becomes one")
    func fieldIDSet() {
        var set = RISFieldIDSet()
        var reference: Set<Int> = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let id = Int.random(in: 0..<90, using: &generator) &* 65_536 &+ round % 7
            set.insert(id)
            reference.insert(id)
            for probe in [id, id &+ 1, 0, round &* 65_536] {
                #expect(set.contains(probe) == reference.contains(probe), "\(probe) after \(round) inserts")
            }
        }
    }
}
