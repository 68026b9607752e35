internal import SMRLCLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element and attribute names, namespace prefixes and URIs copied out of libxml2, each made into a `String` once.
/// libxml2's reader keeps names in its dictionary, so a name comes back at the same address again and again; the
/// cache remembers, in each of its slots, the last address seen there, a copy of its bytes and its string. A hit
/// needs the same address and the same bytes (an address libxml2 freed and reused holds others), so the cache can
/// only ever give the string that `String(cString:)` makes of the bytes at hand.
///
/// Owned by one ``XMLStreamReader`` and used on its thread only.
final class XMLNameCache {
    private static let slotCount = 128
    /// Longer names are made afresh every time.
    private static let maxLength = 32

    private let addresses: UnsafeMutablePointer<UnsafeRawPointer?>
    private let lengths: UnsafeMutablePointer<Int>
    /// `maxLength` bytes per slot.
    private let bytes: UnsafeMutablePointer<UInt8>
    /// The string of each slot (a buffer, not an array: no uniqueness or exclusivity checks on each look-up).
    private let strings: UnsafeMutablePointer<String>

    init() {
        addresses = .allocate(capacity: Self.slotCount)
        addresses.initialize(repeating: nil, count: Self.slotCount)
        lengths = .allocate(capacity: Self.slotCount)
        lengths.initialize(repeating: 0, count: Self.slotCount)
        bytes = .allocate(capacity: Self.slotCount * Self.maxLength)
        bytes.initialize(repeating: 0, count: Self.slotCount * Self.maxLength)
        strings = .allocate(capacity: Self.slotCount)
        strings.initialize(repeating: "", count: Self.slotCount)
    }

    deinit {
        addresses.deallocate()
        lengths.deallocate()
        bytes.deallocate()
        strings.deinitialize(count: Self.slotCount)
        strings.deallocate()
    }

    /// `String(cString:)` of the NUL-terminated bytes at `pointer`; nil for a null pointer.
    func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        let address = UnsafeRawPointer(pointer)
        let length = strlen(address.assumingMemoryBound(to: CChar.self))
        let bits = UInt(bitPattern: address)
        let slot = Int(truncatingIfNeeded: (bits ^ (bits &>> 7)) & UInt(Self.slotCount - 1))
        let copy = bytes + slot * Self.maxLength
        if addresses[slot] == address, lengths[slot] == length, memcmp(copy, address, length) == 0 {
            return strings[slot]
        }
        let string = String(cString: pointer)
        if length <= Self.maxLength {
            addresses[slot] = address
            lengths[slot] = length
            copy.update(from: pointer, count: length)
            strings[slot] = string
        }
        return string
    }
}
