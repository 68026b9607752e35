import Foundation
import SMRLCore
#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import SMRLRIS

/// CPU seconds used by this thread (wall time on a shared machine says little).
private func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Throughput of the reader and writer on a generated file, printed, never asserted. Runs only with
/// `SMRL_BENCH=1` (use a release build: `SMRL_BENCH=1 swift test -c release --filter RISBenchmark`).
@Suite("RIS benchmark")
struct RISBenchmark {
    @Test("read and write throughput", .enabled(if: ProcessInfo.processInfo.environment["SMRL_BENCH"] != nil))
    func throughput() throws {
        var text = ""
        var index = 0
        while text.utf8.count < 50_000_000 {
            index += 1
            text += """
                TY  - JOUR\r
                ID  - rec\(index)\r
                TI  - Admission pathways and rural practice intentions: a cohort study number \(index)\r
                AU  - Núñez, María José\r
                AU  - van Beethoven, Ludwig\r
                AU  - Smith, John, Jr.\r
                AU  - World Health Organization\r
                T2  - Academic Medicine\r
                J2  - Acad Med\r
                DA  - 2020/05/17/\r
                PY  - 2020\r
                VL  - 95\r
                IS  - 11\r
                SP  - 804\r
                EP  - 811\r
                SN  - 1040-2446\r
                DO  - 10.1097/ACM.\(index)\r
                UR  - https://example.org/\(index)\r
                AB  - \(String(repeating: "Purpose: admission pathways shape practice ≥ outcomes. ", count: 20))\r
                KW  - Pathways, Admission, & Graduation\r
                KW  - rural health; workforce\r
                KW  - smrl:domain:community-engagement\r
                N1  - Export Date: 13 July 2022\r
                ER  - \r
                \r

                """
        }
        let bytes = Array(text.utf8)
        let megabytes = Double(bytes.count) / 1_000_000
        var start = cpuSeconds()
        var reader = RISReader(reader: ByteReader(bytes: bytes))
        var records: [Resource] = []
        while let result = try reader.next() { if let record = result.record { records.append(record) } }
        let readSeconds = cpuSeconds() - start
        start = cpuSeconds()
        let sink = OutputSink.inMemory()
        var writer = RISWriter()
        for record in records { _ = try writer.write(record, into: sink) }
        try sink.flush()
        let writeSeconds = cpuSeconds() - start
        print("RIS benchmark (per CPU second): \(records.count) records, \(String(format: "%.1f", megabytes)) MB; read \(String(format: "%.1f", megabytes / readSeconds)) MB/s (\(Int(Double(records.count) / readSeconds)) records/s); write \(String(format: "%.1f", Double(sink.bytesWritten) / 1_000_000 / writeSeconds)) MB/s")
        #expect(records.count == index)
    }
}
