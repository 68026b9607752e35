/// A compact hash index from 64-bit digests to ordinals: the positions of entries in a log its owner keeps
/// (typically in a ``SpillBuffer``), which holds the full digests.
///
/// Each slot is 5 bytes: the ordinal and an 8-bit tag from the digest. A lookup returns the ordinals whose tag
/// matches, and the owner confirms each against the digest in its log (a wrong tag match costs one log read, for
/// about one probe in 256). The table never holds a digest itself, so it cannot grow in place: when it is full
/// (``isFull``) the owner releases it and inserts its log's entries again into a larger one (``grownCapacity``,
/// a quarter larger), so the memory held is the new table alone, at 6.7–8.3 bytes per entry.
///
/// Open addressing with linear probing and no deletion: of the entries with equal digests, the one inserted first
/// is the first candidate.
public struct DigestTable: Sendable {
    /// Ordinal + 1 per slot; 0 is an empty slot.
    private var ordinals: [UInt32]
    private var tags: [UInt8]
    /// How many entries the table holds.
    public private(set) var count = 0

    /// An empty table with `capacity` slots (at least 16).
    public init(capacity: Int = 1024) {
        let capacity = max(16, capacity)
        ordinals = [UInt32](repeating: 0, count: capacity)
        tags = [UInt8](repeating: 0, count: capacity)
    }

    /// The number of slots.
    public var capacity: Int { ordinals.count }

    /// True when the table is three-quarters full: one more entry needs a larger table.
    public var isFull: Bool { (count + 1) * 4 > capacity * 3 }

    /// The capacity for a larger table that will hold at least `entries` entries.
    public func grownCapacity(toHold entries: Int) -> Int {
        max(capacity + capacity / 4 + 1, entries * 4 / 3 + 16)
    }

    /// Frees the slots (before the owner builds a larger table, so that the two are never held at once).
    public mutating func release() {
        ordinals = []
        tags = []
        count = 0
    }

    /// The largest ordinal a table can hold.
    public static let maximumOrdinal = Int(UInt32.max) - 1

    @inline(__always)
    private func home(_ digest: UInt64) -> Int {
        // The high 32 bits scaled to the capacity (no power-of-two size needed); the tag is the low 8 bits.
        Int(truncatingIfNeeded: ((digest >> 32) &* UInt64(ordinals.count)) >> 32)
    }

    /// Calls `body` with each ordinal that may have `digest`, the first inserted first, until `body` returns false.
    public func forEachCandidate(_ digest: UInt64, _ body: (Int) -> Bool) {
        let tag = UInt8(truncatingIfNeeded: digest)
        let capacity = ordinals.count
        guard capacity > 0 else { return }
        var slot = home(digest)
        ordinals.withUnsafeBufferPointer { ordinals in
            tags.withUnsafeBufferPointer { tags in
                while true {
                    let stored = ordinals[slot]
                    if stored == 0 { return }
                    if tags[slot] == tag && !body(Int(stored) - 1) { return }
                    slot &+= 1
                    if slot == capacity { slot = 0 }
                }
            }
        }
    }

    /// Adds an entry; the table must not be full (``isFull``) and `ordinal` at most ``maximumOrdinal``.
    public mutating func insert(_ digest: UInt64, ordinal: Int) {
        precondition(!isFull && ordinal >= 0 && ordinal <= Self.maximumOrdinal, "DigestTable: insert into a full table")
        let capacity = ordinals.count
        var slot = home(digest)
        while ordinals[slot] != 0 {
            slot &+= 1
            if slot == capacity { slot = 0 }
        }
        ordinals[slot] = UInt32(truncatingIfNeeded: ordinal + 1)
        tags[slot] = UInt8(truncatingIfNeeded: digest)
        count += 1
    }
}
