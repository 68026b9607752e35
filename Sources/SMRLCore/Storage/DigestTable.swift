/// A compact hash index from 64-bit digests to ordinals: the positions of entries in a log its owner keeps
/// (typically in a ``SpillBuffer``), which holds the full digests.
///
/// Each slot holds the ordinal and an 8-bit tag from the digest: 4 bytes while ordinals fit in 24 bits (the first
/// 16,777,214 entries), 5 bytes in a wide table beyond (``canHold(ordinal:)`` says when the owner must rebuild
/// wide). A lookup returns the ordinals whose tag matches, and the owner confirms each against the digest in its
/// log (a wrong tag match costs one log read, for about one probe in 256). The table never holds a digest itself,
/// so it cannot grow in place: when it is full (``isFull``) the owner releases it and inserts its log's entries
/// again into a larger one (``grownCapacity(toHold:)``, a fifth larger), so the memory held is the new table
/// alone, at 5.3–6.4 bytes per entry (6.7–8 wide).
///
/// Open addressing with linear probing and no deletion: of the entries with equal digests, the one inserted first
/// is the first candidate.
public struct DigestTable: Sendable {
    /// Per slot, 0 for an empty one; else `(ordinal + 1) << 8 | tag` (narrow) or `ordinal + 1` (wide).
    private var slots: [UInt32]
    /// The tags of a wide table (empty in a narrow one).
    private var tags: [UInt8]
    /// True when ordinals take the whole slot and the tags are apart.
    public let isWide: Bool
    /// How many entries the table holds.
    public private(set) var count = 0

    /// An empty table with `capacity` slots (at least 16); `wide` for ordinals beyond ``narrowMaximumOrdinal``.
    public init(capacity: Int = 1024, wide: Bool = false) {
        let capacity = max(16, capacity)
        slots = [UInt32](repeating: 0, count: capacity)
        tags = wide ? [UInt8](repeating: 0, count: capacity) : []
        isWide = wide
    }

    /// The number of slots.
    public var capacity: Int { slots.count }

    /// True when the table is three-quarters full: one more entry needs a larger table.
    public var isFull: Bool { (count + 1) * 4 > capacity * 3 }

    /// The capacity for a larger table that will hold at least `entries` entries.
    public func grownCapacity(toHold entries: Int) -> Int {
        max(capacity + capacity / 5 + 1, entries * 4 / 3 + 16)
    }

    /// Frees the slots (before the owner builds a larger table, so that the two are never held at once).
    public mutating func release() {
        slots = []
        tags = []
        count = 0
    }

    /// The largest ordinal a narrow table holds.
    public static let narrowMaximumOrdinal = (1 << 24) - 2
    /// The largest ordinal a wide table holds.
    public static let maximumOrdinal = Int(UInt32.max) - 1

    /// True when `ordinal` fits this table; else the owner rebuilds it wide.
    public func canHold(ordinal: Int) -> Bool {
        ordinal >= 0 && ordinal <= (isWide ? Self.maximumOrdinal : Self.narrowMaximumOrdinal)
    }

    @inline(__always)
    private func home(_ digest: UInt64) -> Int {
        // The high 32 bits scaled to the capacity (no power-of-two size needed); the tag is the low 8 bits.
        Int(truncatingIfNeeded: ((digest >> 32) &* UInt64(slots.count)) >> 32)
    }

    /// Calls `body` with each ordinal that may have `digest`, the first inserted first, until `body` returns false.
    public func forEachCandidate(_ digest: UInt64, _ body: (Int) -> Bool) {
        let tag = UInt8(truncatingIfNeeded: digest)
        let capacity = slots.count
        guard capacity > 0 else { return }
        var slot = home(digest)
        slots.withUnsafeBufferPointer { slots in
            if isWide {
                tags.withUnsafeBufferPointer { tags in
                    while true {
                        let stored = slots[slot]
                        if stored == 0 { return }
                        if tags[slot] == tag && !body(Int(stored) - 1) { return }
                        slot &+= 1
                        if slot == capacity { slot = 0 }
                    }
                }
            } else {
                while true {
                    let stored = slots[slot]
                    if stored == 0 { return }
                    if UInt8(truncatingIfNeeded: stored) == tag && !body(Int(stored >> 8) - 1) { return }
                    slot &+= 1
                    if slot == capacity { slot = 0 }
                }
            }
        }
    }

    /// Adds an entry; the table must not be full (``isFull``) and must hold `ordinal` (``canHold(ordinal:)``).
    public mutating func insert(_ digest: UInt64, ordinal: Int) {
        precondition(!isFull && canHold(ordinal: ordinal), "DigestTable: insert into a full or narrow table")
        let capacity = slots.count
        var slot = home(digest)
        while slots[slot] != 0 {
            slot &+= 1
            if slot == capacity { slot = 0 }
        }
        let tag = UInt8(truncatingIfNeeded: digest)
        if isWide {
            slots[slot] = UInt32(truncatingIfNeeded: ordinal + 1)
            tags[slot] = tag
        } else {
            slots[slot] = UInt32(truncatingIfNeeded: ordinal + 1) << 8 | UInt32(tag)
        }
        count += 1
    }
}
