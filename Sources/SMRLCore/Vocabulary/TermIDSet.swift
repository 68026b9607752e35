/// The canonical ids of one vocabulary, for the test every record value goes through first (is it exactly an id?):
/// open addressing on a hash of the id's length and its first and last eight bytes, then a comparison of the
/// bytes; a fraction of the cost of a dictionary lookup, which hashes every byte with SipHash. A class, so that
/// taking it out of the vocabulary's list copies no arrays.
///
/// String equality is canonical equivalence (a Kelvin sign equals `K`), which bytes do not see; so the bytes decide
/// only for an ASCII value among ASCII ids (then both are the same thing), and the dictionary decides otherwise.
final class TermIDSet: Sendable {
    /// The ids' UTF-8, one after the other.
    private let bytes: [UInt8]
    /// Per id (in `bytes` order): where its bytes start, their count, and its position (the dictionary's value).
    private let starts: [Int]
    private let counts: [Int]
    private let positions: [Int]
    /// Index into the ids plus one; 0: empty. A power of two at least twice the number of ids.
    private let slots: [Int32]
    /// Every id is ASCII.
    private let asciiIDs: Bool
    /// The ids as the vocabulary's index holds them, for the values bytes cannot decide.
    private let exact: [String: Int]

    init(_ exact: [String: Int]) {
        let ids = exact.keys.sorted()
        var capacity = 16
        while capacity < ids.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var counts: [Int] = []
        var positions: [Int] = []
        var ascii = true
        for id in ids {
            var id = id
            let hash = id.withUTF8 { Self.hash($0) }
            ascii = ascii && hash.ascii
            var slot = hash.value & (capacity - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(starts.count + 1)
            starts.append(bytes.count)
            bytes.append(contentsOf: id.utf8)
            counts.append(id.utf8.count)
            positions.append(exact[id] ?? 0)
        }
        self.bytes = bytes
        self.starts = starts
        self.counts = counts
        self.positions = positions
        self.slots = slots
        self.exact = exact
        asciiIDs = ascii
    }

    /// The position of the id equal to `text` (what the vocabulary's id dictionary holds for it); nil for none.
    /// Equal values give the same position, different values different ones.
    func position(of text: String) -> Int? {
        var copy = text
        // -2: for the dictionary to decide; -1: none.
        let found = copy.withUTF8 { value -> Int in
            let (hash, ascii) = Self.hash(value)
            guard ascii && asciiIDs else { return -2 }
            let mask = slots.count &- 1
            var slot = hash & mask
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return -1 }
                let id = entry &- 1
                if counts[id] == value.count && equalBytes(from: starts[id], value) { return positions[id] }
                slot = (slot &+ 1) & mask
            }
        }
        if found >= 0 { return found }
        return found == -1 ? nil : exact[text]
    }

    private func equalBytes(from start: Int, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = 0
        while offset < value.count {
            guard bytes[start &+ offset] == value[offset] else { return false }
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
