#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a writer's bytes go: standard output, a file written atomically, or memory.
///
/// A file is written to a temporary file in the same directory and renamed over the target only by
/// ``commit()``, so a run that fails or is killed leaves an existing file untouched.
public final class OutputSink {
    public enum Destination: Sendable, Equatable {
        case standardOutput
        case file(String)
        case memory
    }

    public let destination: Destination
    private var descriptor: Int32 = -1
    private var temporaryPath: String?
    private var pending: [UInt8] = []
    private let flushThreshold = 1 << 16
    /// Everything written, when the destination is memory.
    public private(set) var memory: [UInt8] = []
    /// Bytes written so far.
    public private(set) var bytesWritten = 0

    /// Opens the destination. For a file, creates the temporary file next to it.
    public init(_ destination: Destination) throws {
        self.destination = destination
        switch destination {
        case .standardOutput:
            descriptor = 1
        case .memory:
            break
        case .file(let path):
            let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            let base = path.contains("/") ? String(path[path.index(after: path.lastIndex(of: "/")!)...]) : path
            var template = Array("\(directory.isEmpty ? "/" : directory)/.\(base).smrl-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                throw InputError(path: path, reason: "cannot create output: " + String(cString: strerror(errno)))
            }
            descriptor = fd
            temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            fchmod(fd, 0o644)
        }
    }

    /// An in-memory sink (tests).
    public static func inMemory() -> OutputSink { try! OutputSink(.memory) }

    deinit {
        if descriptor > 2 { close(descriptor) }
        if let temporaryPath { unlink(temporaryPath) }
    }

    public func write(_ bytes: some Sequence<UInt8>) {
        pending.append(contentsOf: bytes)
        if pending.count >= flushThreshold { try? flush() }
    }

    public func write(_ text: String) {
        write(text.utf8)
    }

    /// Writes buffered bytes out.
    public func flush() throws {
        guard !pending.isEmpty else { return }
        bytesWritten += pending.count
        if destination == .memory {
            memory.append(contentsOf: pending)
            pending.removeAll(keepingCapacity: true)
            return
        }
        try pending.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw InputError(path: pathForMessages, reason: String(cString: strerror(errno)))
                }
                offset += count
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    private var pathForMessages: String {
        if case .file(let path) = destination { return path }
        return "<stdout>"
    }

    /// Flushes and, for a file, renames the temporary file over the target.
    public func commit() throws {
        try flush()
        guard case .file(let path) = destination, let temporaryPath else { return }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            throw InputError(path: path, reason: "cannot write output: " + String(cString: strerror(errno)))
        }
        self.temporaryPath = nil
    }

    /// Drops everything written: the temporary file is removed and the target left as it was.
    public func discard() {
        pending.removeAll()
        if descriptor > 2 { close(descriptor) }
        descriptor = -1
        if let temporaryPath { unlink(temporaryPath) }
        temporaryPath = nil
    }
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, pointer, count)
    #else
    return Darwin.write(fd, pointer, count)
    #endif
}
