#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMRLCore
import SMRLFormats

/// The benchmark run: makes the corpus, measures every case in child processes, runs the peers, prints tables.
struct Bench {
    let options: BenchOptions
    let registry = FormatRegistry.builtIn
    let executable = System.executablePath()
    /// The formats taking part, in registry order.
    let formats: [FormatDescriptor]
    var notes: [String] = []

    init(options: BenchOptions) {
        self.options = options
        let wanted = options.formats.compactMap { FormatRegistry.builtIn.format(named: $0)?.name }
        formats = FormatRegistry.builtIn.formats.filter { wanted.isEmpty || wanted.contains($0.name) }
        for name in options.formats where FormatRegistry.builtIn.format(named: name) == nil {
            notes.append("unknown format \(name) ignored")
        }
    }

    /// One row of a table: a case measured `repeats` times.
    struct Row {
        var label: String
        var kind: String
        var source: String?
        var target: String?
        var threads: Int
        var runs: [CaseResult] = []
        var failure: String?

        var median: CaseResult? {
            guard !runs.isEmpty else { return nil }
            var result = runs.sorted { $0.wallSeconds < $1.wallSeconds }[runs.count / 2]
            result.peakBytes = runs.map(\.peakBytes).max() ?? 0
            return result
        }
    }

    mutating func run() {
        let directory: String
        if let work = options.workDirectory {
            if let problem = System.usableDirectory(work) {
                System.log("smrl-bench: --work \(work): \(problem)")
                exit(2)
            }
            directory = work
        } else {
            guard let made = System.makeTemporaryDirectory(prefix: "smrl-bench") else {
                System.log("smrl-bench: cannot make a temporary folder")
                exit(2)
            }
            directory = made
        }
        defer { if options.workDirectory == nil { System.removeDirectory(directory) } }

        printHeader()
        for format in registry.formats where formats.contains(where: { $0.name == format.name }) {
            if !format.canWrite { notes.append("\(format.name): no writer yet, so no corpus file: not measured") }
            else if !format.canRead { notes.append("\(format.name): no reader yet: written only") }
        }
        if options.kinds.contains("startup") { measureStartup() }
        for size in options.sizes {
            measure(size: size, directory: directory)
        }
        if !notes.isEmpty {
            print("\nNotes:\n")
            for note in notes { print("- \(note)") }
        }
    }

    // MARK: Header

    private func printHeader() {
        let cpu = System.readText("/proc/cpuinfo")?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingSpaces } ?? "" }
            ?? "unknown"
        let memory = System.readText("/proc/meminfo")?.split(separator: "\n").first { $0.hasPrefix("MemTotal") }
            .map { line -> String in
                let kilobytes = Int(line.filter(\.isNumber)) ?? 0
                return "\(kilobytes / 1024 / 1024) GB"
            } ?? "unknown"
        print("# smrl-bench")
        print("")
        print("- machine: \(onlineCPUs()) CPUs online (\(cpu)), \(memory) memory")
        print("- command: smrl-bench " + CommandLine.arguments.dropFirst().joined(separator: " "))
        print("- load average at start: \(System.loadAverage())")
        print("- formats: " + formats.map { "\($0.name) (\($0.canRead ? "r" : "-")\($0.canWrite ? "w" : "-"))" }
            .joined(separator: ", "))
        print("- checks on conversions: \(options.checks.rawValue); median of \(options.repeats) runs; peak = largest of the runs")
    }

    private func onlineCPUs() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    // MARK: Start-up

    private mutating func measureStartup() {
        guard let smrl = smrlExecutable() else {
            let beside = besideBench()
            notes.append(
                options.smrlExecutable.map { "`smrl formats` start-up not measured: \($0) is not an executable" }
                    ?? "`smrl formats` start-up not measured: no smrl beside smrl-bench (\(beside)) nor on PATH;"
                    + " build the smrl product or give --smrl PATH")
            return
        }
        var times: [Double] = []
        var peak = 0
        for _ in 0..<21 {
            let outcome = Child.run([smrl, "formats"], timeout: 30, quietStderr: true)
            times.append(outcome.wallSeconds)
            peak = max(peak, outcome.peakBytes)
        }
        times.sort()
        print("\n## Start-up\n")
        print("| command | median | fastest | slowest | peak MB |")
        print("|---|---:|---:|---:|---:|")
        print("| `smrl formats` (21 runs) | \(ms(times[10])) | \(ms(times[0])) | \(ms(times[20])) | \(mb(peak)) |")
        print("\nExecutable: \(smrl)")
        System.log("start-up: smrl formats median \(ms(times[10]))")
    }

    /// The `smrl` whose start-up is measured: `--smrl`, else the one built beside smrl-bench, else the one on PATH.
    private func smrlExecutable() -> String? {
        if let given = options.smrlExecutable { return access(given, X_OK) == 0 ? given : nil }
        let beside = besideBench()
        if access(beside, X_OK) == 0 { return beside }
        return System.which("smrl")
    }

    private func besideBench() -> String {
        executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/") + "/smrl"
    }

    // MARK: One corpus size

    private mutating func measure(size: Int, directory: String) {
        let writable = formats.filter(\.canWrite)
        let readable = writable.filter(\.canRead)
        var files: [String: String] = [:]
        for format in writable {
            files[format.name] = "\(directory)/corpus-\(size).\(format.name).\(format.fileExtensions.first ?? "txt")"
        }

        // The corpus, generated once and written in every format in the same pass.
        System.log("generating \(size) records in \(writable.count) formats…")
        let started = System.now()
        if let problem = generateCorpus(size: size, formats: writable, files: files) {
            System.log("smrl-bench: cannot write the corpus: \(problem)")
            exit(2)
        }
        System.log("corpus ready in \(Int(System.now() - started)) s")

        print("\n## \(grouped(size)) records\n")
        print("Load average before: \(System.loadAverage()).\n")
        print("| format | file MB | bytes/record |")
        print("|---|---:|---:|")
        for format in writable {
            let bytes = System.fileSize(files[format.name] ?? "")
            print("| \(format.name) | \(mbDecimal(bytes)) | \(bytes / max(size, 1)) |")
        }

        var rows: [Row] = []
        if options.kinds.contains("read") {
            for format in readable {
                rows.append(
                    Row(label: "read \(format.name)", kind: "read", source: format.name, threads: 1))
            }
        }
        if options.kinds.contains("write") {
            for format in writable {
                rows.append(Row(label: "write \(format.name)", kind: "write", target: format.name, threads: 1))
            }
        }
        if options.kinds.contains("convert") {
            for source in readable {
                for target in writable where wantsPair(source.name, target.name) {
                    for threads in options.threads {
                        rows.append(
                            Row(
                                label: "\(source.name) → \(target.name)", kind: "convert", source: source.name,
                                target: target.name, threads: threads))
                    }
                }
            }
        }

        // Runs interleaved (every case once, then again) so that a burst of load elsewhere hits one run of many
        // cases rather than every run of one.
        for repeatIndex in 0..<options.repeats {
            for index in rows.indices where rows[index].failure == nil {
                let row = rows[index]
                let output = "\(directory)/out-\(size)-\(index)"
                let benchCase: Case
                switch row.kind {
                case "read":
                    benchCase = .read(format: row.source!, file: files[row.source!]!, threads: 1)
                case "write":
                    let format = registry.format(named: row.target!)!
                    benchCase = .write(
                        format: row.target!, records: size, output: output + "." + (format.fileExtensions.first ?? "out"))
                default:
                    benchCase = .convert(
                        source: row.source!, file: files[row.source!]!, target: row.target!, output: output,
                        threads: row.threads, checks: options.checks)
                }
                let (outcome, measured) = measureQuietly(benchCase, label: row.label)
                guard var result = measured else {
                    rows[index].failure = "child failed (status \(outcome.status))"
                    System.log("  \(row.label): child failed, status \(outcome.status)")
                    continue
                }
                // The child's own VmHWM: its ru_maxrss would start from this process's size.
                if result.peakBytes == 0 { result.peakBytes = outcome.peakBytes }
                if !result.note.isEmpty, result.note.hasPrefix("failed") || result.note.hasPrefix("cannot") {
                    rows[index].failure = result.note
                }
                rows[index].runs.append(result)
                System.log(
                    "  [\(repeatIndex + 1)/\(options.repeats)] \(row.label)\(row.kind == "convert" ? " (\(row.threads)T)" : ""): "
                        + "\(grouped(Int(Double(result.records) / max(result.wallSeconds, 1e-9)))) records/s, "
                        + "\(mb(result.peakBytes)) MB peak"
                        + (result.otherLoad.map { ", others' load \(fixed($0, 2)) CPUs" } ?? "")
                        + (result.note.isEmpty ? "" : " — \(result.note)"))
            }
        }

        printCaseTables(rows, size: size)
        if options.peers { runPeers(size: size, files: files, rows: rows, directory: directory) }
        if options.workDirectory == nil { for file in files.values { System.remove(file) } }
    }

    /// Runs one case in a child process. When other processes kept more than ``BenchOptions/maxOtherLoad`` CPUs
    /// busy meanwhile (a build, another benchmark), the run is made again, up to ``BenchOptions/retries`` times,
    /// after a pause; the least disturbed attempt is kept. The result is nil when the child reported nothing.
    private func measureQuietly(_ benchCase: Case, label: String) -> (ChildOutcome, CaseResult?) {
        var kept: (ChildOutcome, CaseResult?)?
        for attempt in 0...options.retries {
            let machineBefore = System.machineCPU()
            let ownBefore = System.processCPU()
            let outcome = Child.run([executable, "__case"] + benchCase.arguments)
            let ownCPU = System.processCPU() - ownBefore
            guard var result = CaseResult(line: outcome.output) else { return (outcome, nil) }
            if let before = machineBefore, let after = System.machineCPU(), outcome.wallSeconds > 0 {
                let others = (after.busy - before.busy) - outcome.cpuSeconds - ownCPU
                result.otherLoad = max(0, others) / outcome.wallSeconds
                result.stolen = (after.steal - before.steal) / outcome.wallSeconds
            }
            let load = result.otherLoad ?? 0
            if kept == nil || load < (kept?.1?.otherLoad ?? .infinity) { kept = (outcome, result) }
            guard load > options.maxOtherLoad, attempt < options.retries else { break }
            System.log("  \(label): other processes kept \(fixed(load, 2)) CPUs busy: measuring again")
            usleep(1_000_000)
        }
        return kept!
    }

    private func wantsPair(_ source: String, _ target: String) -> Bool {
        guard !options.pairs.isEmpty else { return true }
        return options.pairs.contains { pair in
            registry.format(named: pair.0)?.name == source && registry.format(named: pair.1)?.name == target
        }
    }

    /// Writes the corpus in every format; returns what went wrong (nil when every file was written), so that a run
    /// never measures files that are missing or cut short.
    private func generateCorpus(size: Int, formats: [FormatDescriptor], files: [String: String]) -> String? {
        let generator = CorpusGenerator()
        // Each writer in a box of its own: a writer mutated through an array of tuples is copied out and back on
        // every call, and with it (copy on write) whatever set of keys it keeps, every record.
        final class Output {
            var writer: any RecordWriter
            let sink: OutputSink
            init(_ writer: any RecordWriter, _ sink: OutputSink) {
                self.writer = writer
                self.sink = sink
            }
        }
        var outputs: [Output] = []
        do {
            for format in formats {
                guard let makeWriter = format.makeWriter, let path = files[format.name] else { continue }
                let sink = try OutputSink(.file(path))
                var writer = makeWriter(WriterOptions())
                try writer.begin(into: sink)
                outputs.append(Output(writer, sink))
            }
            for index in 0..<size {
                let record = generator.record(index)
                for output in outputs {
                    _ = try output.writer.write(record, into: output.sink)
                }
                if index > 0 && index % 100_000 == 0 { System.log("  \(grouped(index)) records written") }
            }
            for output in outputs {
                try output.writer.end(into: output.sink)
                try output.sink.commit()
            }
        } catch {
            return "\(error)"
        }
        return nil
    }

    // MARK: Tables

    private func printCaseTables(_ rows: [Row], size: Int) {
        let reads = rows.filter { $0.kind == "read" }
        let writes = rows.filter { $0.kind == "write" }
        if !reads.isEmpty || !writes.isEmpty {
            print("\n### Readers and writers (\(grouped(size)) records, one thread)\n")
            print("| case | records/s | MB/s | MB per CPU-second | peak MB | CPU s | wall s |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for row in reads + writes {
                guard let result = row.median else {
                    print("| \(row.label) | \(row.failure ?? "–") | | | | | |")
                    continue
                }
                let bytes = row.kind == "read" ? result.inputBytes : result.outputBytes
                print(
                    "| \(row.label) | \(rate(result.records, result.wallSeconds)) | \(mbPerSecond(bytes, result.wallSeconds)) | "
                        + "\(mbPerSecond(bytes, result.cpuSeconds)) | \(mb(result.peakBytes)) | \(seconds(result.cpuSeconds)) | "
                        + "\(seconds(result.wallSeconds)) |")
            }
            print("\nMB/s counts the file read (readers) or written (writers); MB per CPU-second is the same over the"
                + " CPU time the case used, which other work on the machine disturbs less than wall time.")
            printLoadNote(reads + writes)
        }

        let conversions = rows.filter { $0.kind == "convert" }
        guard !conversions.isEmpty else { return }
        let threadCounts = options.threads
        print("\n### Conversions (\(grouped(size)) records, ConversionPipeline with checks `\(options.checks.rawValue)`)\n")
        var header = "| conversion | input MB |"
        var rule = "|---|---:|"
        for threads in threadCounts {
            let tag = "\(threads)T"
            header += " records/s \(tag) | MB/s \(tag) | MB per CPU-s \(tag) | peak MB \(tag) |"
            rule += "---:|---:|---:|---:|"
        }
        if threadCounts.count > 1 {
            header += " \(threadCounts.last!)T ÷ \(threadCounts.first!)T | CPU÷wall \(threadCounts.last!)T | MB/s bound \(threadCounts.last!)T |"
            rule += "---:|---:|---:|"
        }
        print(header)
        print(rule)
        var seen: Set<String> = []
        for row in conversions where seen.insert(row.label).inserted {
            let group = conversions.filter { $0.label == row.label }
            let first = group.compactMap(\.median).first
            var line = "| \(row.label) | \(first.map { mbDecimal($0.inputBytes) } ?? "–") |"
            var rates: [Double] = []
            var lastResult: CaseResult?
            for threads in threadCounts {
                guard let entry = group.first(where: { $0.threads == threads }), let result = entry.median else {
                    let failure = group.first(where: { $0.threads == threads })?.failure ?? "–"
                    line += " \(failure) | | | |"
                    continue
                }
                rates.append(Double(result.records) / max(result.wallSeconds, 1e-9))
                lastResult = result
                line += " \(rate(result.records, result.wallSeconds)) | \(mbPerSecond(result.inputBytes, result.wallSeconds)) |"
                    + " \(mbPerSecond(result.inputBytes, result.cpuSeconds)) | \(mb(result.peakBytes)) |"
            }
            if threadCounts.count > 1 {
                if rates.count == threadCounts.count, let firstRate = rates.first, let lastRate = rates.last, firstRate > 0 {
                    line += " \(fixed(lastRate / firstRate, 2))× |"
                } else {
                    line += " – |"
                }
                if let result = lastResult {
                    // With a core each, the slower thread sets the pace: input MB over its CPU seconds.
                    let reading = result.cpuSeconds - result.mainCPUSeconds
                    let slower = max(reading, result.mainCPUSeconds)
                    line += " \(fixed(result.cpuSeconds / max(result.wallSeconds, 1e-9), 2)) | \(mbPerSecond(result.inputBytes, slower)) |"
                } else {
                    line += " – | – |"
                }
            }
            print(line)
        }
        print(
            "\nMB/s counts the input file. MB per CPU-s: over the CPU time of the whole process. CPU÷wall: the cores"
                + " the run kept busy. MB/s bound: input MB over the CPU seconds of the busier of the two threads"
                + " (reading and parsing; checking and writing), what the run would reach with a core to each.")
        printLoadNote(conversions)
    }

    /// Says how much other processes and the hypervisor took from the machine during the runs a table shows.
    private func printLoadNote(_ rows: [Row]) {
        let shown = rows.compactMap(\.median)
        let loads = shown.compactMap(\.otherLoad)
        guard !loads.isEmpty else { return }
        let stolen = shown.compactMap(\.stolen).max() ?? 0
        let disturbed = loads.filter { $0 > options.maxOtherLoad }.count
        print(
            "\nDuring the runs shown other processes kept at most \(fixed(loads.max() ?? 0, 2)) CPUs busy (mean"
                + " \(fixed(loads.reduce(0, +) / Double(loads.count), 2))); the hypervisor took at most \(fixed(stolen, 2))."
                + (disturbed == 0
                    ? ""
                    : " \(disturbed) of \(loads.count) rows stayed above \(fixed(options.maxOtherLoad, 2)) after"
                        + " \(options.retries) new attempts: read them with care."))
    }

    // MARK: Peers

    private mutating func runPeers(size: Int, files: [String: String], rows: [Row], directory: String) {
        var lines: [String] = []
        var versions: Set<String> = []
        let smrl = smrlExecutable()
        for peer in Peer.all {
            guard let input = files[peer.source] else {
                lines.append("| \(peer.tool) | \(peer.source) → \(peer.target) | no smrl \(peer.source) writer yet, so no input file | | | | | | |")
                continue
            }
            if let missing = peer.missing() {
                lines.append("| \(peer.tool) | \(peer.source) → \(peer.target) | \(missing) | | | | | | |")
                continue
            }
            if let version = peer.version() { versions.insert(version) }
            System.log("  peer \(peer.tool) \(peer.source) → \(peer.target)…")
            let outcome = peer.run(
                input: input, output: "\(directory)/peer-out", timeout: options.peerTimeout,
                memoryLimit: options.peerMemoryLimit)
            let inputBytes = System.fileSize(input)
            // smrl's own conversion of the same file, from the case table (most threads measured).
            let ours = rows.filter { $0.kind == "convert" && $0.source == peer.source && $0.target == peer.target }
                .sorted { $0.threads > $1.threads }.first?.median
            var cli: ChildOutcome?
            if let smrl, registry.format(named: peer.target)?.canWrite == true {
                let command = "\(shellQuoted(smrl)) convert \(shellQuoted(input)) --from \(peer.source) --to \(peer.target) -o \(shellQuoted(directory + "/cli-out"))"
                cli = Child.run(["/bin/sh", "-c", command], timeout: options.peerTimeout, quietStderr: true)
                System.remove(directory + "/cli-out")
            }
            let peerRate: String
            let peerMBs: String
            var speedRatio = "–"
            var memoryRatio = "–"
            if let killed = outcome.killedBecause {
                peerRate = killed
                peerMBs = "–"
                if let ours { speedRatio = "> \(fixed(Double(ours.records) / max(ours.wallSeconds, 1e-9) / (Double(size) / options.peerTimeout), 0))×" }
            } else if outcome.status != 0 {
                peerRate = "failed (status \(outcome.status))"
                peerMBs = "–"
            } else {
                peerRate = rate(size, outcome.wallSeconds)
                peerMBs = mbPerSecond(inputBytes, outcome.wallSeconds)
                if let ours {
                    let ourRate = Double(ours.records) / max(ours.wallSeconds, 1e-9)
                    speedRatio = fixed(ourRate / (Double(size) / max(outcome.wallSeconds, 1e-9)), 1) + "×"
                    if ours.peakBytes > 0 { memoryRatio = fixed(Double(outcome.peakBytes) / Double(ours.peakBytes), 1) + "×" }
                }
            }
            let oursText = ours.map { "\(rate($0.records, $0.wallSeconds)) rec/s, \(mb($0.peakBytes)) MB" } ?? "–"
            let cliText = cli.map { outcome in
                outcome.status <= 1 ? "\(rate(size, outcome.wallSeconds)) rec/s, \(mb(outcome.peakBytes)) MB"
                    : "failed (\(outcome.status))"
            } ?? "–"
            lines.append(
                "| \(peer.tool) | \(peer.source) → \(peer.target) | \(peerRate) | \(peerMBs) | \(mb(outcome.peakBytes)) | "
                    + "\(oursText) | \(cliText) | \(speedRatio) | \(memoryRatio) |")
        }
        print("\n### Peers on the same files (\(grouped(size)) records)\n")
        if !versions.isEmpty { print("Versions: " + versions.sorted().joined(separator: "; ") + ".\n") }
        print("| tool | conversion | records/s | MB/s | peak MB | smrl pipeline (same file) | `smrl convert` CLI | smrl speed ÷ peer | peer memory ÷ smrl |")
        print("|---|---|---:|---:|---:|---|---|---:|---:|")
        for line in lines { print(line) }
        print(
            "\nPeers and the `smrl convert` column are timed from process start to exit; the pipeline column is the"
                + " conversion inside an already started process (median of the runs above). Peers stop after"
                + " \(Int(options.peerTimeout)) s or above \(options.peerMemoryLimit >> 20) MB.")
    }
}

// MARK: Formatting

func grouped(_ value: Int) -> String {
    let digits = String(value)
    var result = ""
    for (offset, character) in digits.reversed().enumerated() {
        if offset > 0 && offset % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return String(result.reversed())
}

func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "–" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if decimals == 0 {
        text = String(Int(rounded))
    } else if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
    }
    return text
}

func rate(_ records: Int, _ seconds: Double) -> String {
    grouped(Int((Double(records) / max(seconds, 1e-9)).rounded()))
}

func mbPerSecond(_ bytes: Int, _ seconds: Double) -> String {
    fixed(Double(bytes) / 1e6 / max(seconds, 1e-9), 1)
}

/// Mebibytes, for memory.
func mb(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576, 1) }

/// Megabytes (10^6), for file sizes and throughput.
func mbDecimal(_ bytes: Int) -> String { fixed(Double(bytes) / 1e6, 1) }

func ms(_ seconds: Double) -> String { fixed(seconds * 1000, 1) + " ms" }

func seconds(_ value: Double) -> String { fixed(value, 2) }
