import Foundation
import SMRLCore
import Testing

import SMRLNative

/// Throughput of the smrl-json / smrl-ndjson reader and writer on about 50 MB of generated records, printed,
/// never asserted (per CPU second of the thread, so other work on the machine disturbs it less). Runs only with `SMRL_BENCH=1`, in a release build:
/// `SMRL_BENCH=1 swift test -c release --filter NativeBenchmark`.
@Suite("smrl-json benchmark")
struct NativeBenchmark {
    /// CPU time of this thread, less disturbed than wall time by other work on a shared machine.
    private func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// A deterministic, realistic record: 1–12 authors with diacritics and particles, an abstract up to 1,500
    /// characters, keywords with commas, library fields.
    static func record(_ index: Int) -> Resource {
        var record = Resource(id: "rec\(index)", type: [.articleJournal, .book, .chapter, .report, .webpage][index % 5])
        record.resourceType = "peer-reviewed-article"
        record.title = "Admission pathways and rural practice intentions: a cohort study number \(index)"
        record.containerTitle = "Academic Medicine"
        record.containerTitleShort = "Acad Med"
        let names = [("Núñez", "María José", nil), ("Beethoven", "Ludwig", "van"), ("Smith", "John", nil),
                     ("Øvergård", "Åse", nil), ("Kowalczyk", "Zoë", nil), ("Gaulle", "Charles", "de")]
        for author in 0..<(1 + index % 12) {
            let name = names[(index + author) % names.count]
            record.authors.append(Person(family: name.0, given: name.1, particle: name.2))
        }
        if index % 7 == 0 { record.authors.append(.organization("World Health Organization")) }
        record.issued = EDTFDate(year: 1990 + index % 35, month: 1 + index % 12)
        record.volume = "\(index % 120)"
        record.issue = "\(index % 12 + 1)"
        record.pages = "\(index % 900)-\(index % 900 + 12)"
        record.doi = "10.1097/ACM.\(index)"
        record.issn = ["1040-2446"]
        record.url = "https://example.org/record/\(index)"
        record.abstract = String(repeating: "Purpose: admission pathways shape practice ≥ \"outcomes\". ", count: index % 26)
        record.keywords = ["Pathways, Admission, & Graduation", "rural health", "workforce"]
        record.language = "en"
        record.domains = ["curriculum-programming", "community-engagement"]
        record.topics = ["health-equity-champions"]
        record.professions = ["medicine"]
        record.openAccess = index % 3 == 0
        if index % 4 == 0 { record.extra = ["ris": ["DB": ["PubMed"], "N1": ["Export Date: 13 July 2022"]]] }
        return record
    }

    @Test("read and write throughput", .enabled(if: ProcessInfo.processInfo.environment["SMRL_BENCH"] != nil))
    func throughput() throws {
        var records: [Resource] = []
        var index = 0
        var estimate = 0
        let target = (Int(ProcessInfo.processInfo.environment["SMRL_BENCH_MB"] ?? "") ?? 50) * 1_000_000
        while estimate < target {
            let record = Self.record(index)
            estimate += 900 + (record.abstract?.utf8.count ?? 0) + record.authors.count * 60
            records.append(record)
            index += 1
        }
        for (name, lines, pretty) in [("smrl-json pretty", false, true), ("smrl-json compact", false, false),
                                      ("smrl-ndjson", true, false)]
        {
            var start = cpuSeconds()
            let bytes = try Native.write(records, lines: lines, pretty: pretty)
            let writeSeconds = cpuSeconds() - start
            let megabytes = Double(bytes.count) / 1_000_000
            start = cpuSeconds()
            var reader = NativeReader(input: ByteReader(bytes: bytes), lines: lines)
            var count = 0
            while let result = try reader.next() { if result.record != nil { count += 1 } }
            let readSeconds = cpuSeconds() - start
            #expect(count == records.count)
            start = cpuSeconds()
            var stream = JSONStreamReader(input: ByteReader(bytes: bytes), layout: lines ? .lines : .document)
            var values = 0
            while (try? stream.next()) != nil { values += 1 }
            let parseSeconds = cpuSeconds() - start
            print("\(name): JSON parse alone \(String(format: "%.1f", megabytes / parseSeconds)) MB/s")
            print(
                "\(name): \(records.count) records, \(String(format: "%.1f", megabytes)) MB; read \(String(format: "%.1f", megabytes / readSeconds)) MB/s (\(Int(Double(count) / readSeconds)) records/s); write \(String(format: "%.1f", megabytes / writeSeconds)) MB/s (\(Int(Double(count) / writeSeconds)) records/s)"
            )
        }
    }
}
