#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only run of bytes that stays in memory while it is small and moves to a temporary file as it grows,
/// so what a streaming pass must remember of every record (the duplicate detector's entries, a reader's keys)
/// costs disk, not memory, once the feed is large.
///
/// Bytes are appended to an in-memory tail; when the tail reaches ``spillThreshold`` it is written to the file
/// and emptied, so at most that much is held in memory however many bytes are appended. Reading takes any range
/// already appended, from the tail or the file. The file is created on the first spill in `$TMPDIR` (else
/// `/tmp`) and unlinked at once, so nothing is left behind even if the process is killed. Where no temporary file
/// can be created the bytes simply stay in memory: the results are the same, only the memory grows.
///
/// Not thread-safe; each buffer belongs to one owner (``DuplicateDetector`` copies its buffers before writing to
/// a shared one).
public final class SpillBuffer {
    /// Bytes kept in memory before the tail is written out.
    public let spillThreshold: Int
    /// The bytes not yet written to the file.
    private var tail: [UInt8] = []
    /// How many bytes are in the file (the tail starts there).
    private var spilled = 0
    /// The temporary file; -1 before the first spill, -2 when none could be created.
    private var descriptor: Int32 = -1
    /// Set when no file could be created or a write failed: the tail then grows in memory.
    private var spillingStopped = false

    /// Where the temporary file goes; nil: `$TMPDIR`, else `/tmp`.
    private let directory: String?

    /// The default ``spillThreshold``: 256 KiB, large enough that writing costs one system call per 256 KiB,
    /// small enough that a run with a dozen buffers (detector, reader, writer, report) holds a few MB of them.
    public static let defaultThreshold = 256 << 10

    /// - Parameters:
    ///   - spillThreshold: the most bytes held in memory (``defaultThreshold`` unless given; small values are
    ///     for tests).
    ///   - directory: where the temporary file goes; nil: `$TMPDIR`, else `/tmp`.
    public init(spillThreshold: Int = SpillBuffer.defaultThreshold, directory: String? = nil) {
        self.spillThreshold = max(1, spillThreshold)
        self.directory = directory
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// How many bytes have been appended.
    public var count: Int { spilled + tail.count }

    /// True once bytes have moved to a temporary file.
    public var isSpilled: Bool { spilled > 0 }

    /// Appends bytes.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        // Room for the threshold and one more append, reserved once, so that the tail does not double past it.
        if tail.capacity == 0 { tail.reserveCapacity(min(spillThreshold, 1 << 20) + 4096) }
        tail.append(contentsOf: bytes)
        if tail.count >= spillThreshold && !spillingStopped { spill() }
    }

    /// Appends the bytes of a string.
    public func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Copies `buffer.count` bytes starting at `offset` into `buffer`; the range must have been appended.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) {
        precondition(offset >= 0 && offset + buffer.count <= count, "SpillBuffer: read past the end")
        var done = 0
        if offset < spilled {
            let fromFile = min(buffer.count, spilled - offset)
            readFile(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<fromFile]))
            done = fromFile
        }
        if done < buffer.count {
            let start = offset + done - spilled
            tail.withUnsafeBytes { source in
                buffer.baseAddress!.advanced(by: done).copyMemory(
                    from: source.baseAddress!.advanced(by: start), byteCount: buffer.count - done)
            }
        }
    }

    /// The bytes in `range`.
    public func bytes(_ range: Range<Int>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: range.count) { output, initialized in
            read(at: range.lowerBound, into: UnsafeMutableRawBufferPointer(output))
            initialized = range.count
        }
    }

    // MARK: Fixed-size values

    /// Appends the bytes of a value; buffers of values of one type are read back with ``value(_:at:)`` and
    /// ``forEachValue(_:count:_:)``.
    public func append<Value: BitwiseCopyable>(value: Value) {
        withUnsafeBytes(of: value) { append($0) }
    }

    /// The `index`th value of a buffer holding values of one type, one after another.
    public func value<Value: BitwiseCopyable>(_ type: Value.Type, at index: Int) -> Value {
        let size = MemoryLayout<Value>.size
        let stride = MemoryLayout<Value>.stride
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: stride, alignment: MemoryLayout<Value>.alignment)
        defer { scratch.deallocate() }
        read(at: index * size, into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<size]))
        return scratch.load(as: Value.self)
    }

    /// Calls `body` with the index and value of each of the first `count` values of a buffer holding values of
    /// one type, read in 64 KiB chunks (for a pass over everything, such as rebuilding an index).
    public func forEachValue<Value: BitwiseCopyable>(
        _ type: Value.Type, count: Int, _ body: (Int, Value) -> Void
    ) {
        let size = MemoryLayout<Value>.size
        let perChunk = max(1, (1 << 16) / size)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: perChunk * size, alignment: 16)
        defer { chunk.deallocate() }
        var first = 0
        while first < count {
            let length = min(perChunk, count - first)
            read(at: first * size, into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<length * size]))
            for offset in 0..<length {
                body(first + offset, chunk.loadUnaligned(fromByteOffset: offset * size, as: Value.self))
            }
            first += length
        }
    }

    /// A buffer with the same bytes that can be appended to independently.
    public func copy() -> SpillBuffer {
        let copy = SpillBuffer(spillThreshold: spillThreshold, directory: directory)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset = 0
        while offset < count {
            let length = min(chunk.count, count - offset)
            chunk.withUnsafeMutableBytes { read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length])) }
            chunk.withUnsafeBytes { copy.append(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
            offset += length
        }
        return copy
    }

    // MARK: The file

    private func spill() {
        if descriptor == -1 { descriptor = Self.createTemporaryFile(in: directory) }
        guard descriptor >= 0 else {
            spillingStopped = true  // no file: everything stays in memory
            return
        }
        let written = tail.withUnsafeBytes { bytes -> Bool in
            var done = 0
            while done < bytes.count {
                let result = pwrite(
                    descriptor, bytes.baseAddress!.advanced(by: done), bytes.count - done, off_t(spilled + done))
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { return false }
                done += result
            }
            return true
        }
        guard written else {
            // A full disk: what is not in the file stays in memory from now on (the file keeps what it has).
            spillingStopped = true
            return
        }
        spilled += tail.count
        tail.removeAll(keepingCapacity: true)
    }


    private func readFile(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) {
        var done = 0
        while done < buffer.count {
            let result = pread(
                descriptor, buffer.baseAddress!.advanced(by: done), buffer.count - done, off_t(offset + done))
            if result < 0 && errno == EINTR { continue }
            // The file holds every byte below `spilled`; a failed read here means the temporary file was lost.
            precondition(result > 0, "SpillBuffer: the temporary file could not be read back")
            done += result
        }
    }

    /// An unlinked temporary file opened for reading and writing, or -2.
    private static func createTemporaryFile(in chosen: String?) -> Int32 {
        var directory = chosen ?? getenv("TMPDIR").map { String(cString: $0) } ?? ""
        if directory.isEmpty { directory = "/tmp" }
        if directory.hasSuffix("/") && directory.count > 1 { directory.removeLast() }
        var template = Array((directory + "/smrl-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return -2 }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }
}
