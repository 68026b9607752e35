import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport

/// Everything one reader produced from one input.
struct ReadOutcome {
    var results: [ReadResult] = []
    /// The records with where each starts (nil when the reader gave no location).
    var records: [Resource] { results.compactMap(\.record) }
    var recordLocations: [SourceLocation?] { results.filter { $0.record != nil }.map(\.location) }
    var diagnostics: [Diagnostic] { results.flatMap(\.diagnostics) }
    /// What the reader threw, if it did (it should not for input in memory).
    var thrown: (any Error)?
    /// True when the reader kept returning results past any sensible number (a loop that never ends).
    var runaway = false

    /// Warnings and errors.
    var problems: [Diagnostic] { diagnostics.filter { $0.severity >= .warning } }
}

enum Robustness {
    static let registry = FormatRegistry.builtIn

    /// The formats that can be read, in registry order.
    static var readableFormats: [FormatDescriptor] { registry.formats.filter(\.canRead) }

    /// The formats that can be both written and read.
    static var roundTripFormats: [FormatDescriptor] { registry.formats.filter { $0.canRead && $0.canWrite } }

    /// Reads every result of `bytes` with `format`'s reader. Stops (and marks the outcome `runaway`) if the
    /// reader returns more results than the input has bytes, which only a reader that no longer advances does.
    static func read(
        _ bytes: [UInt8], as format: FormatDescriptor, fileName: String = "<memory>",
        options: ReaderOptions = ReaderOptions()
    ) -> ReadOutcome {
        var outcome = ReadOutcome()
        guard let makeReader = format.makeReader else { return outcome }
        let input = ByteReader(bytes: bytes, fileName: fileName)
        var reader = makeReader(input, options)
        let ceiling = bytes.count + 16
        do {
            while let result = try reader.next() {
                outcome.results.append(result)
                if outcome.results.count > ceiling {
                    outcome.runaway = true
                    break
                }
            }
        } catch {
            outcome.thrown = error
        }
        return outcome
    }

    /// The format the registry detects for a file, as the pipeline would.
    static func detect(fileName: String, bytes: [UInt8]) -> FormatDescriptor? {
        registry.detect(fileName: fileName, prefix: bytes.prefix(8192))
    }

    /// Text of a file name for messages: the path below the corpus or the repository.
    static func shortName(_ url: URL) -> String {
        let path = url.path
        for base in [TestCorpus.root.path, TestCorpus.repositoryRoot.path] where path.hasPrefix(base + "/") {
            return String(path.dropFirst(base.count + 1))
        }
        return url.lastPathComponent
    }
}

/// One input file read as its detected format, with where its lines and records start.
struct Specimen: CustomStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let formatName: String

    var format: FormatDescriptor { Robustness.registry.format(named: formatName)! }
    var description: String { "\(name) (\(formatName))" }

    /// Samples/ and a bounded, broad sample of the corpus: every source folder of every corpus format, a few
    /// files each, spread over the folder's sorted listing, small enough that the whole damage suite stays quick
    /// in a debug build.
    static let all: [Specimen] = {
        var specimens: [Specimen] = []
        let samples = TestCorpus.repositoryFile("Samples")
        let sampleFiles = (try? FileManager.default.contentsOfDirectory(at: samples, includingPropertiesForKeys: nil)) ?? []
        for url in sampleFiles.sorted(by: { $0.path < $1.path }) {
            if let specimen = Specimen(url: url) { specimens.append(specimen) }
        }
        guard TestCorpus.isAvailable else { return specimens }
        specimens += corpusSample(perFolder: 3, maxFileBytes: 96 * 1024)
        return specimens
    }()

    /// Every corpus file whose format the registry detects (for the limits' "real data" check).
    static func corpusFiles(maxFileBytes: Int = .max) -> [URL] {
        var urls: [URL] = []
        for folder in corpusFolders {
            for url in TestCorpus.files(in: folder, extensions: corpusExtensions) {
                let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
                if size > 0 && size <= maxFileBytes { urls.append(url) }
            }
        }
        return urls
    }

    static let corpusFolders = ["ris", "bibtex", "csljson", "jats"]

    /// The corpus's source folders (`ris/jabref`, `bibtex/biber`, or a single file at the top of a format's
    /// folder) that hold at least one file the registry can read.
    static let corpusGroups: [String] = {
        guard TestCorpus.isAvailable else { return [] }
        var groups = Set<String>()
        for url in corpusFiles() {
            let group = Robustness.shortName(url).split(separator: "/").prefix(2).joined(separator: "/")
            guard !groups.contains(group), let data = try? Data(contentsOf: url) else { continue }
            if Robustness.detect(fileName: url.lastPathComponent, bytes: [UInt8](data)) != nil { groups.insert(group) }
        }
        return groups.sorted()
    }()

    /// The corpus files of one group of ``corpusGroups``.
    static func corpusFiles(in group: String) -> [URL] {
        corpusFiles().filter {
            let name = Robustness.shortName($0)
            return name == group || name.hasPrefix(group + "/")
        }
    }
    static let corpusExtensions: Set<String> = [
        "ris", "txt", "nbib", "bib", "bibtex", "biblatex", "json", "ndjson", "jsonl", "xml", "nxml", "enw",
    ]

    /// Up to `perFolder` files of each source folder (`ris/jabref`, `bibtex/biber`, ...), taken evenly from its
    /// sorted list so that the sample does not favour names that sort first.
    static func corpusSample(perFolder: Int, maxFileBytes: Int) -> [Specimen] {
        var groups: [String: [URL]] = [:]
        for url in corpusFiles(maxFileBytes: maxFileBytes) {
            let relative = Robustness.shortName(url).split(separator: "/")
            let group = relative.prefix(2).joined(separator: "/")
            groups[group, default: []].append(url)
        }
        var result: [Specimen] = []
        var formats = Set<String>()
        for group in groups.keys.sorted() {
            let candidates = groups[group]!.compactMap { Specimen(url: $0) }
            guard !candidates.isEmpty else { continue }
            let count = min(perFolder, candidates.count)
            var picked = Set<Int>()
            for k in 0..<count {
                picked.insert(count == 1 ? 0 : k * (candidates.count - 1) / (count - 1))
            }
            result += picked.sorted().map { candidates[$0] }
            for candidate in candidates where !formats.contains(candidate.formatName) {
                // The first file of a format no earlier folder had, so that every format is in the sample.
                formats.insert(candidate.formatName)
                if !result.contains(where: { $0.name == candidate.name }) { result.append(candidate) }
            }
            formats.formUnion(picked.map { candidates[$0].formatName })
        }
        return result
    }

    init?(url: URL) {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let bytes = [UInt8](data)
        let name = Robustness.shortName(url)
        guard let format = Robustness.detect(fileName: url.lastPathComponent, bytes: bytes) else { return nil }
        self.init(name: name, bytes: bytes, formatName: format.name)
    }

    init(name: String, bytes: [UInt8], formatName: String) {
        self.name = name
        self.bytes = bytes
        self.formatName = formatName
    }
}

/// Byte offsets of lines and records of one input, for choosing where to damage it and which records the
/// damage may touch.
struct InputLayout {
    /// Byte offset where each line starts (line n is `lineStarts[n - 1]`).
    let lineStarts: [Int]
    /// Byte offset where each record starts, in reading order; nil when the reader did not place every record.
    let recordStarts: [Int]?
    let byteCount: Int

    init(bytes: [UInt8], recordLocations: [SourceLocation?]) {
        var starts = [0]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 0x0A {
                starts.append(index)
            } else if byte == 0x0D {
                if index < bytes.count && bytes[index] == 0x0A { index += 1 }
                starts.append(index)
            }
        }
        if starts.last == bytes.count && starts.count > 1 { starts.removeLast() }
        lineStarts = starts
        byteCount = bytes.count
        var offsets: [Int] = []
        for location in recordLocations {
            guard let location, location.line >= 1, location.line <= starts.count else {
                recordStarts = nil
                return
            }
            var offset = starts[location.line - 1]
            var column = 1
            while column < location.column && offset < bytes.count {
                offset += 1
                while offset < bytes.count && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
                column += 1
            }
            offsets.append(offset)
        }
        // Records must come in input order for their spans to mean anything.
        recordStarts = zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 } ? offsets : nil
    }

    var lineCount: Int { lineStarts.count }

    /// The bytes of record `index`: from its start to the next record's start (the last one to the end).
    func recordSpan(_ index: Int) -> Range<Int>? {
        guard let recordStarts, index < recordStarts.count else { return nil }
        let end = index + 1 < recordStarts.count ? recordStarts[index + 1] : byteCount
        return recordStarts[index]..<max(end, recordStarts[index])
    }

    /// The records whose span holds any byte of `range` (and, for an empty range, the one it falls in).
    func recordsTouching(_ range: Range<Int>) -> Set<Int> {
        guard let recordStarts else { return [] }
        var touched = Set<Int>()
        for index in recordStarts.indices {
            guard let span = recordSpan(index) else { continue }
            if span.overlaps(range) || (range.isEmpty && span.contains(range.lowerBound))
                || (span.isEmpty && range.contains(span.lowerBound))
            {
                touched.insert(index)
            }
        }
        return touched
    }

    /// The line holding byte `offset`, as a byte range including its terminator.
    func lineRange(containing offset: Int) -> Range<Int> {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        let end = low + 1 < lineStarts.count ? lineStarts[low + 1] : byteCount
        return lineStarts[low]..<end
    }
}

/// One way of damaging an input, with what it promises about the records.
struct Damage: CustomStringConvertible {
    enum Kind: String {
        case truncatedAtRecord = "truncated at a record boundary"
        case truncatedInRecord = "truncated inside a record"
        case flippedByte = "byte flipped"
        case duplicatedLine = "line duplicated"
        case droppedLine = "line dropped"
    }

    let kind: Kind
    let bytes: [UInt8]
    /// Original records the damage may have changed or lost; every other record must come out as before.
    let touched: Set<Int>
    /// For a truncation: how many records lie wholly before the cut.
    let recordsBefore: Int
    let detail: String
    /// True when the damage removed a record entirely (a dropped line that held all of it).
    var removesWholeRecord = false

    var description: String { "\(kind.rawValue) (\(detail))" }

    /// The damaged versions of one input: truncations at and inside records, flipped bytes, duplicated and
    /// dropped lines, each placed by a generator seeded from the file name.
    static func variants(of bytes: [UInt8], layout: InputLayout, seed: UInt64) -> [Damage] {
        guard let starts = layout.recordStarts, !starts.isEmpty, !bytes.isEmpty else { return [] }
        var generator = SeededGenerator(seed: seed)
        var damages: [Damage] = []
        let records = starts.count

        // Truncation where a record starts: everything before it is whole.
        for k in sampleIndices(1..<records, count: 3, using: &generator) {
            let cut = starts[k]
            guard cut > 0, starts[k - 1] < cut else { continue }
            damages.append(Damage(
                kind: .truncatedAtRecord, bytes: Array(bytes[..<cut]), touched: Set(k..<records),
                recordsBefore: k, detail: "cut at byte \(cut), before record \(k)"))
        }
        // Truncation inside a record's first line or anywhere in its body.
        for k in sampleIndices(0..<records, count: 3, using: &generator) {
            guard let span = layout.recordSpan(k), span.count > 2 else { continue }
            let cut = Int.random(in: (span.lowerBound + 1)..<(span.upperBound - 1), using: &generator)
            damages.append(Damage(
                kind: .truncatedInRecord, bytes: Array(bytes[..<cut]), touched: Set(k..<records),
                recordsBefore: k, detail: "cut at byte \(cut), inside record \(k)"))
        }
        // One byte flipped inside a record.
        for _ in 0..<4 {
            let k = Int.random(in: 0..<records, using: &generator)
            guard let span = layout.recordSpan(k), !span.isEmpty else { continue }
            let offset = Int.random(in: span, using: &generator)
            var damaged = bytes
            damaged[offset] ^= UInt8.random(in: 1...255, using: &generator)
            damages.append(Damage(
                kind: .flippedByte, bytes: damaged, touched: [k], recordsBefore: k,
                detail: "byte \(offset) of record \(k): \(hex(bytes[offset])) -> \(hex(damaged[offset]))"))
        }
        // A line duplicated or dropped inside a record.
        for kind in [Kind.duplicatedLine, .droppedLine] {
            for _ in 0..<2 {
                let k = Int.random(in: 0..<records, using: &generator)
                guard let span = layout.recordSpan(k), !span.isEmpty else { continue }
                let line = layout.lineRange(containing: Int.random(in: span, using: &generator))
                var damaged = Array(bytes[..<line.upperBound])
                if kind == .duplicatedLine {
                    damaged += bytes[line]
                    // A last line without a terminator gets one, or the copy would join it.
                    if line.upperBound == bytes.count, let last = bytes.last, last != 0x0A && last != 0x0D {
                        damaged.insert(0x0A, at: line.upperBound)
                    }
                } else {
                    damaged.removeSubrange(line)
                }
                damaged += bytes[line.upperBound...]
                // A dropped line that held a whole record (one record per line) removes it without a trace.
                let removesWholeRecord = kind == .droppedLine && span.lowerBound >= line.lowerBound
                    && bytes[span].indices.allSatisfy { line.contains($0) || Self.isFiller(bytes[$0]) }
                damages.append(Damage(
                    kind: kind, bytes: damaged, touched: layout.recordsTouching(line), recordsBefore: k,
                    detail: "line at byte \(line.lowerBound) (\(line.count) bytes), record \(k)",
                    removesWholeRecord: removesWholeRecord))
            }
        }
        return damages
    }

    /// Bytes that carry no record content: white space and the punctuation between JSON elements.
    private static func isFiller(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x2C || byte == 0x5D
    }

    private static func hex(_ byte: UInt8) -> String { "0x" + String(byte, radix: 16, uppercase: true) }

    /// Up to `count` distinct values of `range`, spread over it, in ascending order.
    static func sampleIndices(
        _ range: Range<Int>, count: Int, using generator: inout SeededGenerator
    ) -> [Int] {
        guard !range.isEmpty else { return [] }
        if range.count <= count { return Array(range) }
        var picked = Set<Int>()
        picked.insert(range.lowerBound)
        picked.insert(range.upperBound - 1)
        while picked.count < count { picked.insert(Int.random(in: range, using: &generator)) }
        return picked.sorted()
    }
}

/// Encodings an input may arrive in by mistake.
enum Reencoding {
    /// UTF-16 with a byte-order mark, of text that was UTF-8 (nil when it was not valid UTF-8).
    static func utf16(_ bytes: [UInt8], littleEndian: Bool) -> [UInt8]? {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        var result: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        result.reserveCapacity(2 + body.count * 2)
        for unit in text.utf16 {
            if littleEndian {
                result += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            } else {
                result += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
            }
        }
        return result
    }

    /// The same text in Latin-1 and in UTF-8, after replacing what Latin-1 cannot hold (and the C1 controls,
    /// which Windows-1252 reads differently) by `?`. Nil when the input was not UTF-8 or is plain ASCII (no
    /// byte would change).
    static func latin1(_ bytes: [UInt8]) -> (latin1: [UInt8], utf8: [UInt8])? {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        var latin1: [UInt8] = []
        var utf8: [UInt8] = []
        latin1.reserveCapacity(body.count)
        utf8.reserveCapacity(body.count)
        var changed = false
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            var value = scalar.value
            // `Â` then a no-break space would be the valid UTF-8 of a no-break space: not Latin-1 any more.
            if previous >= 0xC2 && previous <= 0xF4 && value >= 0x80 && value <= 0xBF { value = 0x3F }
            previous = value
            if value < 0x80 {
                latin1.append(UInt8(value))
                utf8.append(UInt8(value))
            } else if value >= 0xA0 && value <= 0xFF {
                latin1.append(UInt8(value))
                utf8 += Array(String(Unicode.Scalar(UInt8(value))).utf8)
                changed = true
            } else {
                latin1.append(0x3F)
                utf8.append(0x3F)
            }
        }
        return changed ? (latin1, utf8) : nil
    }
}

extension Array where Element == Resource {
    /// True when `other` holds every element of `self` in the same order (others may come between).
    func isSubsequence(of other: [Resource]) -> Bool {
        var iterator = other.makeIterator()
        outer: for wanted in self {
            while let candidate = iterator.next() {
                if candidate == wanted { continue outer }
            }
            return false
        }
        return true
    }
}

/// Where a diagnostic points, checked against the input it came from.
func locationProblem(_ diagnostic: Diagnostic, fileName: String, lineCount: Int) -> String? {
    guard let location = diagnostic.location else { return "no location: \(diagnostic)" }
    if location.file != fileName { return "file \(location.file), expected \(fileName): \(diagnostic)" }
    if location.line < 1 || location.line > lineCount + 1 { return "line out of range (1...\(lineCount + 1)): \(diagnostic)" }
    if location.column < 1 { return "column below 1: \(diagnostic)" }
    return nil
}

/// Feeds made from the sample library by each format's own writer.
enum Feeds {
    /// The records of `Samples/library.json` (good records).
    static let libraryRecords: [Resource] = records(in: "Samples/library.json")
    /// The records of `Samples/faulty-feed.json` (records with problems the validator finds).
    static let faultyRecords: [Resource] = records(in: "Samples/faulty-feed.json")

    static func records(in relativePath: String) -> [Resource] {
        guard let data = try? Data(contentsOf: TestCorpus.repositoryFile(relativePath)),
            let native = Robustness.registry.format(named: "smrl-json")
        else { return [] }
        return Robustness.read([UInt8](data), as: native, fileName: relativePath).records
    }

    /// `records` written by `format`'s writer.
    static func write(_ records: [Resource], as format: FormatDescriptor, options: WriterOptions = WriterOptions()) throws -> [UInt8] {
        guard let makeWriter = format.makeWriter else { throw FeedError.cannotWrite(format.name) }
        var writer = makeWriter(options)
        let sink = OutputSink.inMemory()
        try writer.begin(into: sink)
        for record in records { _ = try writer.write(record, into: sink) }
        try writer.end(into: sink)
        try sink.commit()
        return sink.memory
    }

    enum FeedError: Error { case cannotWrite(String) }

    /// A fresh temporary directory.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smrl-robust-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
