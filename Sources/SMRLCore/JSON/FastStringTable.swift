#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of strings mapped to their positions, looked up with FNV-1a over the UTF-8 bytes and open
/// addressing: several times faster than `Dictionary<String, Int>` (whose SipHash dominates short keys), which
/// matters because every key of every item is looked up. The key bytes are read in place (`withUTF8`) and
/// compared with `memcmp` against one flat buffer of the table's strings.
package struct FastStringTable: Sendable {
    /// The table's strings, one after the other.
    private let bytes: [UInt8]
    /// Where each string starts in ``bytes``; one more entry than strings (the end of the last).
    private let starts: [Int]
    private let slots: [Int32]
    private let mask: Int

    package init(_ strings: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            starts.append(bytes.count)
        }
        var capacity = 16
        while capacity < strings.count * 3 { capacity <<= 1 }
        mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        for index in strings.indices {
            let key = bytes[starts[index]..<starts[index + 1]]
            var slot = Int(Self.hash(key) & UInt64(capacity - 1))
            while slots[slot] >= 0 {
                let other = Int(slots[slot])
                if bytes[starts[other]..<starts[other + 1]].elementsEqual(key) { break }  // first occurrence wins
                slot = (slot + 1) & (capacity - 1)
            }
            if slots[slot] < 0 { slots[slot] = Int32(index) }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
    }

    @inline(__always)
    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash ^ (hash >> 29)
    }

    /// The position of `key` in the strings the table was made from.
    package func index(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { index(ofBytes: $0) }
    }

    /// The position of the string with these UTF-8 bytes.
    package func index(ofBytes key: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Int(Self.hash(key) & UInt64(mask))
        return slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                bytes.withUnsafeBufferPointer { bytes in
                    while true {
                        let entry = Int(slots[slot])
                        if entry < 0 { return nil }
                        let start = starts[entry]
                        let count = starts[entry + 1] &- start
                        if count == key.count
                            && (count == 0 || memcmp(bytes.baseAddress! + start, key.baseAddress!, count) == 0)
                        {
                            return entry
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
    }
}
