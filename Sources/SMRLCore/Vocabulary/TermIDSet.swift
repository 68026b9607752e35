/// The canonical ids of one vocabulary, for the test every record value goes through first (is it exactly an id?):
/// open addressing on a hash of the id's length and its first and last eight bytes, then a comparison of the
/// bytes, eight at a time; a fraction of the cost of a dictionary lookup, which hashes every byte with SipHash.
/// A class, so that taking it out of the vocabulary's list copies no arrays.
///
/// String equality is canonical equivalence (a Kelvin sign equals `K`), which bytes do not see; so the bytes decide
/// only for an ASCII value among ASCII ids (then both are the same thing), and the dictionary decides otherwise.
///
/// The ids' bytes and the slots live in memory allocated once by the initialiser and freed by `deinit`, read
/// through pointers (no array bounds or uniqueness checks per byte); nothing writes them after the initialiser,
/// which is why the set may be shared between threads.
final class TermIDSet: @unchecked Sendable {
    /// One slot of the open-addressing table: where an id's bytes start in ``bytes``, their count (-1: an empty
    /// slot), and its position (the dictionary's value).
    private struct Slot {
        var start: Int32
        var count: Int32
        var position: Int
    }

    /// The ids' UTF-8, one after the other.
    private let bytes: UnsafeMutablePointer<UInt8>
    /// A power of two at least twice the number of ids.
    private let slots: UnsafeMutablePointer<Slot>
    private let mask: Int
    /// Every id is ASCII.
    private let asciiIDs: Bool
    /// The ids as the vocabulary's index holds them, for the values bytes cannot decide.
    private let exact: [String: Int]

    init(_ exact: [String: Int]) {
        let ids = exact.keys.sorted()
        var capacity = 16
        while capacity < ids.count * 2 { capacity *= 2 }
        let byteCount = ids.reduce(0) { $0 + $1.utf8.count }
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(byteCount, 1))
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        slots.initialize(repeating: Slot(start: 0, count: -1, position: 0), count: capacity)
        let mask = capacity - 1
        var ascii = true
        var written = 0
        for id in ids {
            let position = exact[id] ?? 0
            var id = id
            id.withUTF8 { utf8 in
                let hash = Self.hash(utf8)
                ascii = ascii && hash.ascii
                var slot = hash.value & mask
                while slots[slot].count >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Slot(start: Int32(written), count: Int32(utf8.count), position: position)
                if let base = utf8.baseAddress { (bytes + written).initialize(from: base, count: utf8.count) }
                written += utf8.count
            }
        }
        self.bytes = bytes
        self.slots = slots
        self.mask = mask
        self.exact = exact
        asciiIDs = ascii
    }

    deinit {
        bytes.deallocate()
        slots.deallocate()
    }

    /// The position of the id equal to `text` (what the vocabulary's id dictionary holds for it); nil for none.
    /// Equal values give the same position, different values different ones.
    func position(of text: String) -> Int? {
        var copy = text
        // -2: for the dictionary to decide; -1: none.
        let found = copy.withUTF8 { position(ofBytes: $0) }
        if found >= 0 { return found }
        return found == -1 ? nil : exact[text]
    }

    /// ``position(of:)`` of UTF-8 bytes: the position, -1 for none, -2 when the dictionary must decide.
    private func position(ofBytes value: UnsafeBufferPointer<UInt8>) -> Int {
        let (hash, ascii) = Self.hash(value)
        guard ascii && asciiIDs else { return -2 }
        let count = value.count
        var slot = hash & mask
        while true {
            let entry = slots[slot]
            if entry.count < 0 { return -1 }
            if Int(entry.count) == count, let base = value.baseAddress,
                Self.equalBytes(UnsafeRawPointer(bytes + Int(entry.start)), UnsafeRawPointer(base), count)
            {
                return entry.position
            }
            if count == 0 && entry.count == 0 { return entry.position }
            slot = (slot &+ 1) & mask
        }
    }

    /// True when the `count` bytes at `a` and `b` are equal: compared eight at a time, the rest one by one.
    private static func equalBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset &+ 8 <= count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset &+= 8
        }
        while offset < count {
            guard a.load(fromByteOffset: offset, as: UInt8.self) == b.load(fromByteOffset: offset, as: UInt8.self)
            else { return false }
            offset &+= 1
        }
        return true
    }

    /// A hash of the length and the first and last (up to) eight bytes, and whether every byte is ASCII.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> (value: Int, ascii: Bool) {
        let count = bytes.count
        var head: UInt64 = 0
        var tail: UInt64 = 0
        var high: UInt64 = 0
        if count >= 8, let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            head = raw.loadUnaligned(as: UInt64.self)
            tail = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            var offset = 0
            while offset + 8 <= count {
                high |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            high |= tail
        } else {
            for index in 0..<count {
                head |= UInt64(bytes[index]) << (8 * UInt64(index))
            }
            tail = head
            high = head
        }
        var mixed = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(count)
        mixed ^= mixed >> 29
        mixed = mixed &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 32
        return (Int(truncatingIfNeeded: mixed & 0x7FFF_FFFF), high & 0x8080_8080_8080_8080 == 0)
    }
}
