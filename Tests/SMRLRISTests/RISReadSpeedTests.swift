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
