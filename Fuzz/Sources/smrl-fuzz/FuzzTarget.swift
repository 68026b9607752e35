import Foundation
import SMRLCore
import SMRLFormats

// One libFuzzer target per reader of `FormatRegistry.builtIn`, in one binary: the reader is chosen by
// `SMRL_FUZZ_FORMAT=<name>` or by the program's name (`smrl-fuzz-<name>`, a link `run.sh` makes), so a format
// added to the registry is fuzzed without a new target.
//
// Each input is read twice, with large and with small chunks (every chunk boundary a reader may mishandle), and
// the two reads must agree on the records and on whether there is an error. The run stops (a crash to libFuzzer, with the input saved) when a reader crashes,
// returns more results than the input has bytes, returns a result with neither a record nor a diagnostic, gives a
// diagnostic without a location, or reads differently in small chunks. Every record read is then written by the
// format's writer and read back, so writers meet the strange records too. libFuzzer's `-timeout` catches hangs,
// and AddressSanitizer's leak check, leaks.
//
// Other modes (the binary exits after them):
// - `SMRL_FUZZ_LIST=1`: prints the readable formats, one a line.
// - `SMRL_FUZZ_PREPARE=<dir>` with `SMRL_FUZZ_SEED_ROOTS=<dir>:<dir>...`: writes seed inputs for every readable
//   format into `<dir>/<format>/`: the files under the roots that the registry detects as that format, and the
//   sample library written by each format's writer.

/// The reader under test, chosen once in `LLVMFuzzerInitialize`.
nonisolated(unsafe) private var target: FormatDescriptor?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    // getenv, not ProcessInfo: Foundation's environment dictionary is never freed, and the leak check would
    // report it at exit.
    func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
    let registry = FormatRegistry.builtIn
    if environment("SMRL_FUZZ_LIST") != nil {
        for format in registry.formats where format.canRead { print(format.name) }
        exit(0)
    }
    if let destination = environment("SMRL_FUZZ_PREPARE") {
        let roots = (environment("SMRL_FUZZ_SEED_ROOTS") ?? "").split(separator: ":").map(String.init)
        Seeds.prepare(into: destination, roots: roots, registry: registry)
        exit(0)
    }
    var name = environment("SMRL_FUZZ_FORMAT")
    if name == nil, let first = argv.pointee?.pointee {
        let program = String(cString: first).split(separator: "/").last.map(String.init) ?? ""
        if program.hasPrefix("smrl-fuzz-") { name = String(program.dropFirst("smrl-fuzz-".count)) }
    }
    guard let name, let format = registry.format(named: name), format.canRead else {
        let known = registry.formats.filter(\.canRead).map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("smrl-fuzz: set SMRL_FUZZ_FORMAT to one of: \(known)\n".utf8))
        exit(2)
    }
    target = format
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let format = target else { return 0 }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // Tiny chunks for small inputs, small ones for large inputs (a reader may do a little work per chunk).
    let chunk = size < 4096 ? 1 + size % 13 : 1 + size % 1021
    let whole = Drain(bytes, format: format, chunkSize: 1 << 16)
    let pieces = Drain(bytes, format: format, chunkSize: chunk)
    if whole.records != pieces.records {
        fail("\(format.name): reading in chunks of \(chunk) bytes gave other records (\(pieces.records.count) against \(whole.records.count))")
    }
    // Both reads find an error, or neither. (Not necessarily the same errors: an XML reader stops at the first
    // fatal error, and which one it meets first depends on how far libxml2 had read ahead.)
    let wholeErrors = whole.diagnostics.filter { $0.severity == .error }
    let piecesErrors = pieces.diagnostics.filter { $0.severity == .error }
    if wholeErrors.isEmpty != piecesErrors.isEmpty {
        fail("\(format.name): reading in chunks of \(chunk) bytes found \(piecesErrors.count) errors, in one piece \(wholeErrors.count): \((wholeErrors + piecesErrors).first.map(String.init(describing:)) ?? "")")
    }
    // The writer gets whatever the reader made of the input, and its output reads again.
    if let makeWriter = format.makeWriter, !whole.records.isEmpty {
        var writer = makeWriter(WriterOptions())
        let sink = OutputSink.inMemory()
        do {
            try writer.begin(into: sink)
            for record in whole.records { _ = try writer.write(record, into: sink) }
            try writer.end(into: sink)
            try sink.commit()
        } catch {
            fail("\(format.name): the writer threw \(error) on records it had read")
        }
        _ = Drain(sink.memory, format: format, chunkSize: 1 << 16)
    }
    return 0
}

/// Everything a reader gives for one input, checked as it comes.
struct Drain {
    var records: [Resource] = []
    var diagnostics: [Diagnostic] = []

    init(_ bytes: [UInt8], format: FormatDescriptor, chunkSize: Int) {
        guard let makeReader = format.makeReader else { return }
        let input = ByteReader(source: MemoryByteSource(bytes), fileName: "fuzz", chunkSize: chunkSize)
        var reader = makeReader(input, ReaderOptions())
        var results = 0
        while true {
            let next: ReadResult?
            do {
                next = try reader.next()
            } catch {
                fail("\(format.name): the reader threw \(error) on input in memory")
            }
            guard let result = next else { break }
            results += 1
            if results > bytes.count + 16 { fail("\(format.name): more results than input bytes: the reader does not advance") }
            if result.record == nil && result.diagnostics.isEmpty {
                fail("\(format.name): a result with neither a record nor a diagnostic")
            }
            for diagnostic in result.diagnostics {
                guard let location = diagnostic.location, location.line >= 1, location.column >= 1 else {
                    fail("\(format.name): a diagnostic without a usable location: \(diagnostic)")
                }
            }
            if let record = result.record { records.append(record) }
            diagnostics += result.diagnostics
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("smrl-fuzz: \(message)\n".utf8))
    abort()
}

/// Seed inputs for every readable format.
enum Seeds {
    static let maxSeedBytes = 64 * 1024

    static func prepare(into destination: String, roots: [String], registry: FormatRegistry) {
        let manager = FileManager.default
        var counts: [String: Int] = [:]
        func save(_ bytes: [UInt8], format: String, name: String) {
            let folder = destination + "/" + format
            try? manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }.suffix(100))
            _ = manager.createFile(atPath: folder + "/" + safe, contents: Data(bytes.prefix(maxSeedBytes)))
            counts[format, default: 0] += 1
        }
        for root in roots {
            guard let files = manager.enumerator(atPath: root) else { continue }
            for case let relative as String in files {
                let path = root + "/" + relative
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    let data = manager.contents(atPath: path), data.count <= 4 * maxSeedBytes
                else { continue }
                let bytes = [UInt8](data)
                guard let format = registry.detect(fileName: relative, prefix: bytes.prefix(8192)) else { continue }
                save(bytes, format: format.name, name: relative)
            }
        }
        // The sample library in every format that can write it, so that every reader has seeds.
        var samples: [Resource] = []
        if let native = registry.format(named: "smrl-json") {
            for root in roots {
                for file in ["Samples/library.json", "Samples/faulty-feed.json", "library.json", "faulty-feed.json"] {
                    guard let data = manager.contents(atPath: root + "/" + file) else { continue }
                    samples += Drain([UInt8](data), format: native, chunkSize: 1 << 16).records
                }
            }
        }
        for format in registry.formats where format.canRead {
            guard let makeWriter = format.makeWriter, !samples.isEmpty else { continue }
            for (index, chunk) in stride(from: 0, to: samples.count, by: 8).enumerated() {
                var writer = makeWriter(WriterOptions())
                let sink = OutputSink.inMemory()
                try? writer.begin(into: sink)
                for record in samples[chunk..<min(chunk + 8, samples.count)] { _ = try? writer.write(record, into: sink) }
                try? writer.end(into: sink)
                try? sink.commit()
                save(sink.memory, format: format.name, name: "written-\(index)")
            }
        }
        for (format, count) in counts.sorted(by: { $0.key < $1.key }) { print("\(format): \(count) seeds") }
    }
}
