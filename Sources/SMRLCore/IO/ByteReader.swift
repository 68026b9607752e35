#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered reader over a ``ByteSource`` that every format reader starts from.
///
/// It removes a UTF-8 byte-order mark, transcodes UTF-16 input (with a BOM) to UTF-8 as it streams, counts the
/// bytes consumed (for progress), and offers byte-level and line-level access. Memory stays at one chunk plus
/// the longest line, whatever the input size.
public final class ByteReader {
    /// The file name used in source locations (`<stdin>` for standard input).
    public let fileName: String
    /// Notes about the input's encoding (a BOM removed, UTF-16 transcoded), for the reader to report.
    public private(set) var encodingDiagnostics: [Diagnostic] = []
    /// Bytes of the original input consumed so far.
    public private(set) var bytesRead: Int = 0

    private let source: any ByteSource
    @exclusivity(unchecked) private var buffer: [UInt8]
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var end = 0
    private var atEnd = false
    private var utf16: Utf16Transcoder?
    private let chunkSize: Int
    private var lineNumber = 0
    /// For ``nextLineSlice()``: the position in ``buffer`` of the first CR at or after the position it was last
    /// looked for from, or the then ``end`` when there was none; -1 when not known. Every refill makes it unknown
    /// (the bytes move and more come).
    @exclusivity(unchecked) private var nextCR = -1

    /// - Parameters:
    ///   - source: where the bytes come from.
    ///   - fileName: the name used in diagnostics.
    ///   - chunkSize: how many bytes to read at a time.
    public init(source: any ByteSource, fileName: String, chunkSize: Int = 1 << 16) {
        self.source = source
        self.fileName = fileName
        self.chunkSize = chunkSize
        buffer = []
        buffer.reserveCapacity(chunkSize)
        detectEncoding()
    }

    /// A reader over text in memory (tests and small inputs).
    public convenience init(text: String, fileName: String = "<memory>") {
        self.init(source: MemoryByteSource(text), fileName: fileName)
    }

    /// A reader over bytes in memory.
    public convenience init(bytes: [UInt8], fileName: String = "<memory>") {
        self.init(source: MemoryByteSource(bytes), fileName: fileName)
    }

    /// A reader over a file, `-` meaning standard input.
    public convenience init(path: String) throws {
        self.init(source: try FileByteSource(path: path), fileName: path == "-" ? "<stdin>" : path)
    }

    // MARK: Encoding

    private func detectEncoding() {
        _ = fill(minimum: 4)
        let available = end - start
        if available >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
            start += 3
            encodingDiagnostics.append(
                .note(.byteOrderMark, "UTF-8 byte-order mark removed", at: location(line: 1, column: 1)))
        } else if available >= 2, (buffer[start] == 0xFF && buffer[start + 1] == 0xFE)
            || (buffer[start] == 0xFE && buffer[start + 1] == 0xFF)
        {
            let littleEndian = buffer[start] == 0xFF
            start += 2
            let pending = Array(buffer[start..<end])
            buffer.removeAll(keepingCapacity: true)
            start = 0
            end = 0
            var transcoder = Utf16Transcoder(littleEndian: littleEndian)
            buffer.append(contentsOf: transcoder.transcode(pending, final: false))
            end = buffer.count
            utf16 = transcoder
            encodingDiagnostics.append(
                .warning(.byteOrderMark, "input is UTF-16 (\(littleEndian ? "little" : "big")-endian); read as Unicode",
                    at: location(line: 1, column: 1)))
        }
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: fileName, line: line, column: column)
    }

    // MARK: Chunks

    /// Ensures at least `minimum` bytes are buffered unless the input ends first. Returns the bytes available.
    @discardableResult
    public func fill(minimum: Int = 1) -> Int {
        while end - start < minimum && !atEnd {
            if start > 0 && start == end {
                start = 0
                end = 0
                buffer.removeAll(keepingCapacity: true)
            } else if start > chunkSize {
                buffer.removeSubrange(0..<start)
                end -= start
                start = 0
            }
            nextCR = -1
            if utf16 == nil, end - start < chunkSize {
                // Straight into a new buffer: the bytes left (fewer than a chunk), then the read (no chunk made and
                // copied; the old buffer goes when the last slice of it does). Past a chunk of bytes left (a very long
                // line) the buffer grows in place below instead, so that the bytes left are not copied each time.
                if readChunkIntoNewBuffer() { break }
                continue
            }
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            } catch {
                readError = error
                atEnd = true
                break
            }
            bytesRead += count
            if count == 0 {
                atEnd = true
                if var transcoder = utf16 {
                    let tail = transcoder.transcode([], final: true)
                    buffer.removeSubrange(end...)
                    buffer.append(contentsOf: tail)
                    end = buffer.count
                    utf16 = transcoder
                }
                break
            }
            chunk.removeSubrange(count...)
            buffer.removeSubrange(end...)
            if var transcoder = utf16 {
                buffer.append(contentsOf: transcoder.transcode(chunk, final: false))
                utf16 = transcoder
            } else {
                buffer.append(contentsOf: chunk)
            }
            end = buffer.count
        }
        return end - start
    }

    /// One read of ``fill(minimum:)`` for UTF-8 input with fewer than a chunk of bytes left: a new buffer holds those
    /// bytes, then up to a chunk read into it in place. Returns true when the input ended (or failed) there.
    private func readChunkIntoNewBuffer() -> Bool {
        let kept = end - start
        var failure: (any Error)?
        var count = 0
        let next = [UInt8](unsafeUninitializedCapacity: kept + chunkSize) { room, initialized in
            let base = room.baseAddress!
            if kept > 0 {
                buffer.withUnsafeBufferPointer { old in base.initialize(from: old.baseAddress! + start, count: kept) }
            }
            do {
                count = try source.read(into: UnsafeMutableRawBufferPointer(start: base + kept, count: chunkSize))
                count = min(max(count, 0), chunkSize)
            } catch {
                failure = error
                count = 0
            }
            // The bytes read were written through a raw pointer: they are initialized as UInt8 (a trivial type).
            initialized = kept + count
        }
        buffer = next
        start = 0
        end = kept + count
        bytesRead += count
        if let failure {
            readError = failure
            atEnd = true
            return true
        }
        if count == 0 {
            atEnd = true
            return true
        }
        return false
    }

    /// An error the source raised while reading; the input is treated as ended there.
    public private(set) var readError: (any Error)?

    /// Reads up to `into.count` bytes of decoded (UTF-8) input; 0 at the end.
    public func read(into destination: UnsafeMutableRawBufferPointer) -> Int {
        guard fill() > 0 else { return 0 }
        let count = min(destination.count, end - start)
        buffer.withUnsafeBytes { source in
            destination.baseAddress!.copyMemory(from: source.baseAddress! + start, byteCount: count)
        }
        start += count
        return count
    }

    /// Up to `count` bytes from the current position without consuming them (for format detection).
    public func prefix(_ count: Int) -> ArraySlice<UInt8> {
        let available = fill(minimum: count)
        return buffer[start..<start + min(count, available)]
    }

    /// Hands `body` the bytes buffered from the current position (refilling first when none is left) and
    /// consumes as many as it returns. Returns false, without calling `body`, at the end of the input. For
    /// scanners that go through runs of plain bytes faster than ``next()`` one at a time.
    @inline(__always)
    public func consumeBuffered(_ body: (UnsafeBufferPointer<UInt8>) -> Int) -> Bool {
        guard start < end || fill() > 0 else { return false }
        let available = end - start
        let consumed = buffer.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[start..<end]))
        }
        start += min(max(consumed, 0), available)
        return true
    }

    /// The next byte without consuming it.
    @inline(__always)
    public func peek() -> UInt8? {
        if start < end { return buffer[start] }
        return fill() > 0 ? buffer[start] : nil
    }

    /// The byte `offset` places ahead without consuming anything.
    public func peek(at offset: Int) -> UInt8? {
        fill(minimum: offset + 1) > offset ? buffer[start + offset] : nil
    }

    /// Consumes and returns the next byte.
    @inline(__always)
    public func next() -> UInt8? {
        if start < end {
            let byte = buffer[start]
            start += 1
            return byte
        }
        guard fill() > 0 else { return nil }
        let byte = buffer[start]
        start += 1
        return byte
    }

    /// True when no byte is left.
    public var isAtEnd: Bool { peek() == nil }

    /// Everything that is left, as one array (for formats that need the whole input; avoid for large feeds).
    public func readAll() -> [UInt8] {
        var result: [UInt8] = []
        while fill() > 0 {
            result.append(contentsOf: buffer[start..<end])
            start = end
        }
        return result
    }

    // MARK: Lines

    /// One line of input without its terminator.
    public struct Line {
        /// The line's bytes (UTF-8 unless the input is in a legacy encoding).
        public var bytes: [UInt8]
        /// 1-based line number.
        public var number: Int
    }

    /// The next line, ending at LF, CRLF or a lone CR; nil at the end of the input. Line numbers count every
    /// terminator, so they match what an editor shows.
    public func readLine() -> Line? {
        guard fill() > 0 else { return nil }
        var bytes: [UInt8] = []
        while true {
            if start == end && fill() == 0 { break }
            var index = start
            var terminator: UInt8?
            while index < end {
                let byte = buffer[index]
                if byte == 0x0A || byte == 0x0D {
                    terminator = byte
                    break
                }
                index += 1
            }
            bytes.append(contentsOf: buffer[start..<index])
            start = index
            if let terminator {
                start += 1
                if terminator == 0x0D, peek() == 0x0A { start += 1 }
                break
            }
        }
        lineNumber += 1
        return Line(bytes: bytes, number: lineNumber)
    }

    /// The next line without its terminator, split as ``readLine()`` splits (LF, CRLF or a lone CR), as a slice
    /// of the reader's own buffer: no copy. Nil at the end of the input. It does not count lines (``readLine()``'s
    /// numbers do not see these). Drop the slice before the next call on this reader: one still held when the
    /// buffer is refilled makes that refill copy the buffer (correct, only slower).
    package func nextLineSlice() -> ArraySlice<UInt8>? {
        guard start < end || fill() > 0 else { return nil }
        // Bytes from `start` already known to hold no terminator (kept as an offset: a refill may move them).
        var scanned = 0
        while true {
            let from = start + scanned
            let stop = end
            let found = buffer.withUnsafeBufferPointer { all -> Int in
                guard let base = all.baseAddress, from < stop else { return stop }
                // The C library's memchr (vector code) finds the LF; the CR found once serves every line before it
                // (most inputs have none, or one per line, right after the LF search's stop).
                let lf = Self.position(of: 0x0A, in: base, from: from, to: stop)
                if nextCR < from {
                    nextCR = Self.position(of: 0x0D, in: base, from: from, to: stop)
                }
                return min(lf, nextCR)
            }
            if found < stop {
                var lineEnd = found - start
                if buffer[found] == 0x0D, found + 1 == end {
                    // A CR ending the buffered bytes: an LF may follow in the next chunk.
                    fill(minimum: lineEnd + 2)
                }
                let lineStart = start
                let terminator = lineStart + lineEnd
                var next = terminator + 1
                if buffer[terminator] == 0x0D, next < end, buffer[next] == 0x0A { next += 1 }
                lineEnd = terminator
                start = next
                return buffer[lineStart..<lineEnd]
            }
            scanned = stop - start
            if fill(minimum: scanned + 1) <= scanned {
                // The input ends without a terminator.
                let line = buffer[start..<end]
                start = end
                return line
            }
        }
    }
}

extension ByteReader {
    /// The position of the first `byte` in `base[from..<to]`, `to` when there is none (`from < to`).
    @inline(__always)
    fileprivate static func position(of byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return to }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }
}

/// Streams UTF-16 code units into UTF-8 bytes, keeping a split surrogate pair or odd byte for the next chunk.
struct Utf16Transcoder {
    let littleEndian: Bool
    private var pending: [UInt8] = []
    private var highSurrogate: UInt16?

    init(littleEndian: Bool) { self.littleEndian = littleEndian }

    mutating func transcode(_ chunk: [UInt8], final: Bool) -> [UInt8] {
        let bytes = pending + chunk
        pending = []
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        func emit(_ scalar: Unicode.Scalar) {
            output.append(contentsOf: UTF8.encode(scalar)!)
        }
        while index + 1 < bytes.count {
            let unit = littleEndian
                ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
                : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
            index += 2
            if let high = highSurrogate {
                highSurrogate = nil
                if (0xDC00...0xDFFF).contains(unit) {
                    let value = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                    emit(Unicode.Scalar(value)!)
                    continue
                }
                emit("\u{FFFD}")
            }
            if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
            } else if (0xDC00...0xDFFF).contains(unit) {
                emit("\u{FFFD}")
            } else {
                emit(Unicode.Scalar(unit)!)
            }
        }
        if index < bytes.count { pending = [bytes[index]] }
        if final {
            if highSurrogate != nil || !pending.isEmpty { emit("\u{FFFD}") }
            highSurrogate = nil
            pending = []
        }
        return output
    }
}
