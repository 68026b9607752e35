import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// Throughput of the reader and the writer on ~64 MB of real CSL-JSON (the corpus items repeated). Opt-in with
/// `CSL_BENCH=1` (best with `-c release`); it prints numbers and asserts nothing about time. Times are the
/// thread's CPU time (MB/s per core), so that a busy machine does not distort them.
@Suite("CSL-JSON throughput", .serialized)
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

        let clock = ThreadCPUClock()
        // The core's JSON layer alone, for comparison.
        var values = 0
        let parseTime = try clock.measure {
            var stream = JSONStreamReader(input: try ByteReader(path: path))
            while (try? stream.next()) != nil { values += 1 }
        }
        print(String(format: "JSON layer alone: %.1f MB/s", Double(size) / 1_048_576 / seconds(parseTime)))
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

    /// The item mapping alone (no JSON parsing, no I/O): the corpus items decoded again and again.
    @Test(.enabled(if: enabled, "opt-in: set CSL_BENCH=1"))
    func mappingThroughput() throws {
        let items = try CSLCorpusTests.allItems().map(\.item).compactMap { item -> [JSONMember]? in item.members }
        let bytes = CSLJSON.text(.array(items.map { JSONValue.object($0) })).utf8.count
        let rounds = 100
        var records = 0
        let clock = ThreadCPUClock()
        let time = clock.measure {
            for _ in 0..<rounds {
                for members in items {
                    var decoder = CSLItemDecoder(
                        file: "bench", location: SourceLocation(file: "bench", line: 1, column: 1), noteVariables: true)
                    decoder.decode(members)
                    if decoder.finish().resource.id != nil { records += 1 }
                }
            }
        }
        let megabytes = Double(bytes * rounds) / 1_048_576
        print(String(format: "CSL item mapping alone: %d items, %.1f MB of JSON in %.2f s = %.1f MB/s, %.2f µs per item",
            items.count * rounds, megabytes, seconds(time), megabytes / seconds(time),
            seconds(time) * 1e6 / Double(items.count * rounds)))
        #expect(records > 0)
    }

    private func seconds(_ duration: Double) -> Double { duration }
}

/// Measures the CPU time of the calling thread.
struct ThreadCPUClock {
    func measure(_ work: () throws -> Void) rethrows -> Double {
        let start = Self.now()
        try work()
        return Self.now() - start
    }

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
