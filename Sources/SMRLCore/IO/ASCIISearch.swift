#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StringProtocol {
    /// The UTF-8 offset just past the first occurrence of `needle` (lower-case ASCII) in the text, in any letter
    /// case; nil when it does not occur. Compared on bytes: only the ASCII letters A–Z fold, so a match never
    /// depends on how the rest of the text would lower-case (`İ` is two bytes here and three once lower-cased).
    public func utf8OffsetAfterASCIICaseInsensitive(_ needle: StaticString) -> Int? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard !pattern.isEmpty else { return 0 }
        let search = { (bytes: UnsafeBufferPointer<UInt8>) -> Int? in
            guard bytes.count >= pattern.count else { return nil }
            let head = pattern[0]
            var index = 0
            while index + pattern.count <= bytes.count {
                if Self.foldASCII(bytes[index]) == head {
                    var offset = 1
                    while offset < pattern.count, Self.foldASCII(bytes[index + offset]) == pattern[offset] { offset += 1 }
                    if offset == pattern.count { return index + pattern.count }
                }
                index += 1
            }
            return nil
        }
        if let found = utf8.withContiguousStorageIfAvailable(search) { return found }
        var copy = String(self)
        return copy.withUTF8(search)
    }

    /// True when the text contains `needle` (lower-case ASCII) in any letter case, compared on bytes.
    public func containsASCIICaseInsensitive(_ needle: StaticString) -> Bool {
        utf8OffsetAfterASCIICaseInsensitive(needle) != nil
    }

    @inline(__always)
    private static func foldASCII(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether `needle` occurs in these bytes, byte for byte (an empty needle occurs everywhere). The C library's
    /// `memchr` (vector code) finds each candidate first byte and `memcmp` compares the rest.
    package func containsBytes(_ needle: [UInt8]) -> Bool {
        guard let head = needle.first else { return true }
        guard count >= needle.count, let base = baseAddress else { return false }
        let last = count &- needle.count
        return needle.withUnsafeBufferPointer { needle -> Bool in
            let rest = needle.baseAddress! + 1
            let restCount = needle.count &- 1
            var index = 0
            while index <= last {
                guard let found = memchr(base + index, Int32(head), last &- index &+ 1) else { return false }
                let at = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if restCount == 0 || memcmp(base + at + 1, rest, restCount) == 0 { return true }
                index = at &+ 1
            }
            return false
        }
    }

    /// ``containsBytes(_:)`` as it was written before it searched with `memchr`: the tests' reference.
    package func containsBytesSlowly(_ needle: [UInt8]) -> Bool {
        guard let head = needle.first else { return true }
        guard count >= needle.count else { return false }
        var index = 0
        let last = count - needle.count
        while index <= last {
            if self[index] == head {
                var offset = 1
                while offset < needle.count, self[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}

extension String {
    /// Whether `bytes` contains `byte`, by the C library's `memchr` (vector code): ``containsByte(_:)``'s search of
    /// long texts (abstracts, notes), where it beats a byte loop.
    @usableFromInline
    static func containsByteByMemchr(_ bytes: UnsafeBufferPointer<UInt8>, _ byte: UInt8) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return memchr(base, Int32(byte), bytes.count) != nil
    }
}
