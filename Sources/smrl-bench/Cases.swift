#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMRLCore
import SMRLFormats

/// One measurement, made in a child process of its own (`smrl-bench __case …`) so that its peak memory is its
/// own: reading a file, writing generated records, or converting a file through ``ConversionPipeline``.
enum Case {
    case read(format: String, file: String, threads: Int)
    case write(format: String, records: Int, output: String)
    case convert(source: String, file: String, target: String, output: String, threads: Int, checks: Checks)

    /// Which checks a conversion runs, as `smrl convert` does (`cli`: the validator and the duplicate detector),
    /// the validator only, or none.
    enum Checks: String {
        case cli, validator, none
    }

    var arguments: [String] {
        switch self {
        case .read(let format, let file, let threads): return ["read", format, file, "\(threads)"]
        case .write(let format, let records, let output): return ["write", format, "\(records)", output]
        case .convert(let source, let file, let target, let output, let threads, let checks):
            return ["convert", source, file, target, output, "\(threads)", checks.rawValue]
        }
    }

    init?(arguments: [String]) {
        switch arguments.first {
        case "read" where arguments.count == 4:
            self = .read(format: arguments[1], file: arguments[2], threads: Int(arguments[3]) ?? 1)
        case "write" where arguments.count == 4:
            self = .write(format: arguments[1], records: Int(arguments[2]) ?? 0, output: arguments[3])
        case "convert" where arguments.count == 7:
            self = .convert(
                source: arguments[1], file: arguments[2], target: arguments[3], output: arguments[4],
                threads: Int(arguments[5]) ?? 1, checks: Checks(rawValue: arguments[6]) ?? .cli)
        default:
            return nil
        }
    }
}

/// What one run of a case measured; printed by the child on one line, parsed by the parent.
struct CaseResult {
    var records = 0
    var inputBytes = 0
    var outputBytes = 0
    var wallSeconds = 0.0
    var cpuSeconds = 0.0
    /// CPU seconds of the main thread alone (with two pipeline threads: the checking and writing stage).
    var mainCPUSeconds = 0.0
    var peakBytes = 0
    var errors = 0
    var note = ""
    /// Measured by the parent, not sent in the line: CPUs that other processes kept busy during the run, on
    /// average (machine busy time from /proc/stat less the child's and this process's), and CPUs lost to the
    /// hypervisor (steal); nil where /proc/stat is missing.
    var otherLoad: Double?
    var stolen: Double?

    var line: String {
        "RESULT records=\(records) in=\(inputBytes) out=\(outputBytes) wall=\(wallSeconds) cpu=\(cpuSeconds) main=\(mainCPUSeconds) "
            + "peak=\(peakBytes) errors=\(errors) note=\(note.replacingSpaces)"
    }

    init() {}

    init?(line: String) {
        guard let resultLine = line.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }) else {
            return nil
        }
        for field in resultLine.dropFirst(7).split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = String(parts[1])
            switch parts[0] {
            case "records": records = Int(value) ?? 0
            case "in": inputBytes = Int(value) ?? 0
            case "out": outputBytes = Int(value) ?? 0
            case "wall": wallSeconds = Double(value) ?? 0
            case "cpu": cpuSeconds = Double(value) ?? 0
            case "main": mainCPUSeconds = Double(value) ?? 0
            case "peak": peakBytes = Int(value) ?? 0
            case "errors": errors = Int(value) ?? 0
            case "note": note = value.restoringSpaces
            default: break
            }
        }
    }
}

extension String {
    /// The text with spaces as `_`, to travel as one field of the result line.
    fileprivate var replacingSpaces: String { String(map { $0 == " " ? "_" : $0 }) }
    /// The reverse of ``replacingSpaces``.
    fileprivate var restoringSpaces: String { String(map { $0 == "_" ? " " : $0 }) }
}

/// Runs cases inside the child process.
enum CaseRunner {
    static func run(_ benchCase: Case) -> CaseResult {
        let registry = FormatRegistry.builtIn
        var result = CaseResult()
        switch benchCase {
        case .read(let formatName, let file, _):
            guard let format = registry.format(named: formatName), let makeReader = format.makeReader,
                let input = try? ByteReader(path: file)
            else {
                result.note = "cannot read \(formatName)"
                return result
            }
            result.inputBytes = System.fileSize(file)
            let wall = System.now()
            let cpu = System.processCPU()
            var reader = makeReader(input, ReaderOptions())
            do {
                while let next = try reader.next() {
                    if next.record != nil { result.records += 1 }
                    result.errors += next.diagnostics.count { $0.severity == .error }
                }
            } catch {
                result.note = "reader threw: \(error)"
            }
            result.wallSeconds = System.now() - wall
            result.cpuSeconds = System.processCPU() - cpu

        case .write(let formatName, let count, let output):
            guard let format = registry.format(named: formatName), let makeWriter = format.makeWriter,
                let sink = try? OutputSink(.file(output))
            else {
                result.note = "cannot write \(formatName)"
                return result
            }
            // Records are made in batches outside the timed part; only the writer's work is timed.
            let generator = CorpusGenerator()
            var writer = makeWriter(WriterOptions())
            var wall = 0.0
            var cpu = 0.0
            var batch: [Resource] = []
            batch.reserveCapacity(512)
            do {
                var start = System.now()
                var startCPU = System.processCPU()
                try writer.begin(into: sink)
                wall += System.now() - start
                cpu += System.processCPU() - startCPU
                var index = 0
                while index < count {
                    batch.removeAll(keepingCapacity: true)
                    for i in index..<min(count, index + 512) { batch.append(generator.record(i)) }
                    index += batch.count
                    start = System.now()
                    startCPU = System.processCPU()
                    for record in batch { _ = try writer.write(record, into: sink) }
                    wall += System.now() - start
                    cpu += System.processCPU() - startCPU
                }
                start = System.now()
                startCPU = System.processCPU()
                try writer.end(into: sink)
                try sink.commit()
                wall += System.now() - start
                cpu += System.processCPU() - startCPU
            } catch {
                result.note = "writer threw: \(error)"
            }
            result.records = count
            result.outputBytes = System.fileSize(output)
            result.wallSeconds = wall
            result.cpuSeconds = cpu
            System.remove(output)

        case .convert(let sourceName, let file, let targetName, let output, let threads, let checks):
            guard let source = registry.format(named: sourceName), let target = registry.format(named: targetName)
            else {
                result.note = "unknown format"
                return result
            }
            result.inputBytes = System.fileSize(file)
            let wall = System.now()
            let cpu = System.processCPU()
            let mainCPU = System.threadCPU()
            // As `smrl convert` sets it up (Sources/smrl/Frontend/Run.swift), without printing.
            let pipeline = ConversionPipeline(registry: registry)
            var options = ConversionPipeline.Options()
            options.keepDetails = false
            options.sourceFormat = source
            options.threads = threads
            // Where the checks run with two threads (default balanced): SMRL_BENCH_CHECKS_THREAD=reading|writing
            // measures a fixed placement against the balanced one.
            switch getenv("SMRL_BENCH_CHECKS_THREAD").map({ String(cString: $0) }) {
            case "reading": options.checksThread = .reading
            case "writing": options.checksThread = .writing
            case "alternating": options.checksThread = .alternating
            default: options.checksThread = .balanced
            }
            let validator = Validator(vocabulary: .bundled, profile: .citation, fix: false)
            let duplicates = DuplicateDetector()
            switch checks {
            case .cli:
                options.setRecordChecks(validator: validator, duplicates: duplicates)
            case .validator:
                options.setRecordChecks(validator: validator, duplicates: nil)
            case .none:
                break
            }
            do {
                let (report, _) = try pipeline.run(
                    inputs: [file], target: target, destination: .file(output), options: options)
                result.records = report.summary.recordsRead
                result.errors = report.summary.recordsWithErrors
                if report.summary.recordsWritten != report.summary.recordsRead {
                    result.note = "\(report.summary.recordsRead - report.summary.recordsWritten) not written"
                }
            } catch {
                result.note = "failed: \(error)"
            }
            result.wallSeconds = System.now() - wall
            result.cpuSeconds = System.processCPU() - cpu
            result.mainCPUSeconds = System.threadCPU() - mainCPU
            result.outputBytes = System.fileSize(output)
            System.remove(output)
        }
        result.peakBytes = System.peakResidentBytes()
        return result
    }
}
