/// A map from 64-bit digests to 64-bit values where the first value put in for a digest stays, in flat memory:
/// for the per-key memory of a streaming reader (a BibTeX reader's citation keys and the places of its crossref
/// parents) over feeds of any length.
///
/// Each entry (the digest and its value, 16 bytes) goes to a ``SpillBuffer``, which moves to a temporary file past
/// its threshold; memory holds a ``DigestTable`` of entry ordinals, 4 bytes a slot (5 past 16 million entries),
/// rebuilt a fifth larger from the entries when full. A lookup reads the entries its table's tags point at (one, for a digest present). The
/// digest is the key: two keys with the same 64-bit digest are one key (for FNV-1a or SipHash digests of text,
/// about 2⁻⁶⁴ per pair). Digests need not be well mixed; the map mixes them.
///
/// A class: copies share the map.
public final class DigestMap {
    private struct Entry: BitwiseCopyable {
        var digest: UInt64
        var value: UInt64
    }

    private let entries: SpillBuffer
    private var table = DigestTable()
    /// How many digests the map holds.
    public private(set) var count = 0

    /// - Parameter spillThreshold: bytes of entries held in memory before they move to a temporary file.
    public init(spillThreshold: Int = SpillBuffer.defaultThreshold) {
        entries = SpillBuffer(spillThreshold: spillThreshold)
    }

    /// True once entries have moved to a temporary file.
    public var isSpilled: Bool { entries.isSpilled }

    /// A bijective mix (the SplitMix64 finaliser), so that digests with weak high or low bits spread over the
    /// table.
    @inline(__always)
    private static func mix(_ digest: UInt64) -> UInt64 {
        var value = digest
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// FNV-1a (64 bits) of a text's UTF-8: a digest for keys that are text (citation keys, XML ids).
    /// Inlinable: formats call it per field name on their hot paths.
    @inlinable
    public static func digest(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
    }

    /// True when the map has `digest`.
    public func contains(_ digest: UInt64) -> Bool { value(for: digest) != nil }

    /// The value first put in for `digest`, if any.
    public func value(for digest: UInt64) -> UInt64? {
        let mixed = Self.mix(digest)
        var found: UInt64?
        table.forEachCandidate(mixed) { ordinal in
            let entry = entries.value(Entry.self, at: ordinal)
            if entry.digest == mixed {
                found = entry.value
                return false
            }
            return true
        }
        return found
    }

    /// Puts `value` in for `digest` unless the map has it.
    /// - Returns: the value the map already had for `digest`, or nil when `value` was put in.
    @discardableResult
    public func insert(_ digest: UInt64, value: UInt64) -> UInt64? {
        if let existing = self.value(for: digest) { return existing }
        guard count <= DigestTable.maximumOrdinal else { return nil }  // 4 billion keys: not remembered
        let mixed = Self.mix(digest)
        if table.isFull || !table.canHold(ordinal: count) { rebuildTable() }
        table.insert(mixed, ordinal: count)
        entries.append(value: Entry(digest: mixed, value: value))
        count += 1
        return nil
    }

    /// A larger table from the entries (the old one is freed first, so the two are never held together).
    private func rebuildTable() {
        let capacity = table.grownCapacity(toHold: count + 1)
        table.release()
        table = DigestTable(capacity: capacity, wide: count + 1 > DigestTable.narrowMaximumOrdinal)
        entries.forEachValue(Entry.self, count: count) { ordinal, entry in
            table.insert(entry.digest, ordinal: ordinal)
        }
    }
}
