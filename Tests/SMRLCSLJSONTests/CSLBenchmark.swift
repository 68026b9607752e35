import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// Throughput of the reader and the writer on ~64 MB of real CSL-JSON (the corpus items repeated). Opt-in with
/// `CSL_BENCH=1` (best with `-c release`); it prints numbers and asserts nothing about time.
@Suite("CSL-JSON throughput")
struct CSLBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["CSL_BENCH"] != nil && TestCorpus.isAvailable

    @Test(.enabled(if: enabled, "opt-in: set CSL_BENCH=1"))
    func readAndWriteThroughput() throws {
        let items = try CSLCorpusTests.allItems().map(\.item)
        var output = JSONOutput(indent: 2, reserving: 1 << 20)
        output.beginArray()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csl-bench-\(getpid()).json").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        var size = 0
        var count = 0
        while size < 64 << 20 {
            for item in items {
                output.value(item)
                count += 1
            }
            let bytes = output.takeBytes()
            size += bytes.count
            handle.write(Data(bytes))
        }
        output.endArray()
        handle.write(Data(output.takeBytes()))
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }

        let clock = ContinuousClock()
        var read = 0
        let readTime = try clock.measure {
            var reader = CSLJSONReader(reader: try ByteReader(path: path))
            while let result = try reader.next() {
                if result.record != nil { read += 1 }
            }
        }
        #expect(read == count)
        let megabytes = Double(size) / 1_048_576
        print(String(format: "CSL-JSON read: %.1f MB, %d items in %.2f s = %.1f MB/s", megabytes, count,
            seconds(readTime), megabytes / seconds(readTime)))

        // Writing: the corpus records over and over, to about the same size.
        let records = CSLTest.read(CSLJSON.text(.array(items))).compactMap(\.record)
        let sink = OutputSink.inMemory()
        var options = WriterOptions()
        options.pretty = true
        var writer = CSLJSONWriter(options: options)
        let writeTime = try clock.measure {
            try writer.begin(into: sink)
            while sink.bytesWritten < size {
                for record in records { _ = try writer.write(record, into: sink) }
                try sink.flush()
            }
            try writer.end(into: sink)
            try sink.flush()
        }
        let written = Double(sink.bytesWritten) / 1_048_576
        print(String(format: "CSL-JSON write: %.1f MB in %.2f s = %.1f MB/s", written, seconds(writeTime),
            written / seconds(writeTime)))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
