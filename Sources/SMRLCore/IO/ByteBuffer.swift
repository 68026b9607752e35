/// Growable bytes in memory managed by hand, for writers that build their output a few bytes at a time.
///
/// An `Array<UInt8>` checks uniqueness and capacity on every append and copies a run of bytes through a generic
/// path (about 90 instructions a call before the copy itself); writers append tens of short runs per record. A
/// `ByteBuffer` keeps its memory in a ``Storage`` object and caches the pointer, capacity and count in the struct:
/// an append is one uniqueness check, one room check and a store or a copy.
///
/// It has value semantics, like an array: a copy shares the memory until either writes, and the one that writes
/// first takes memory of its own (copy on write). Memory is freed with the last buffer using it; it is never
/// reallocated while another buffer shares it.
public struct ByteBuffer {
    /// The memory: one block, freed when the last buffer using it goes.
    @usableFromInline
    final class Storage {
        @usableFromInline var base: UnsafeMutablePointer<UInt8>
        @usableFromInline var capacity: Int

        @usableFromInline
        init(capacity: Int) {
            self.capacity = Swift.max(capacity, 16)
            base = .allocate(capacity: self.capacity)
        }

        /// Takes charge of `base`, a block of `capacity` bytes allocated by the caller.
        @usableFromInline
        init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
            self.base = base
            self.capacity = capacity
        }

        deinit { base.deallocate() }
    }

    /// nil for a buffer made by ``init()`` that has not written yet.
    @usableFromInline var storage: Storage?
    /// `storage.base` and `storage.capacity`, kept here so that writing reads no class property.
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    /// The number of bytes held (``count``).
    @usableFromInline var length = 0

    /// The number of bytes held.
    public var count: Int { length }

    public init(capacity: Int) {
        let storage = Storage(capacity: capacity)
        self.storage = storage
        base = storage.base
        self.capacity = storage.capacity
    }

    /// An empty buffer with no memory of its own yet (it takes some on its first write): a placeholder to swap a
    /// buffer kept elsewhere into, at the cost of no allocation.
    public init() {
        storage = nil
        // Never read or written through: there are no bytes and no room, so the first write takes memory.
        base = UnsafeMutablePointer(bitPattern: MemoryLayout<UInt64>.alignment)!
        capacity = 0
    }

    public var isEmpty: Bool { count == 0 }

    /// The last byte, if any.
    public var last: UInt8? { count > 0 ? base[count - 1] : nil }

    /// The byte at `index`, which must be below ``count``.
    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "ByteBuffer index out of range")
        return base[index]
    }

    /// A copy of the bytes.
    public var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The bytes as text (invalid UTF-8 repaired).
    public var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// The bytes from `start` on, valid until the buffer next changes.
    public func withBytes<Result>(
        from start: Int = 0, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        precondition(start >= 0 && start <= count, "ByteBuffer index out of range")
        return try body(UnsafeBufferPointer(start: base + start, count: count - start))
    }

    /// The bytes from `start` on, for writers of this package that read back what they wrote: valid until the buffer
    /// next changes.
    @inlinable @inline(__always)
    package func unsafeBytes(from start: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + start, count: length &- start)
    }

    // MARK: Writing

    @inlinable
    public mutating func append(_ byte: UInt8) {
        prepare(1)
        put(byte)
    }

    @inlinable
    public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }
        prepare(bytes.count)
        put(start, count: bytes.count)
    }

    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends any bytes (contiguous ones at once).
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        let copied: Void? = bytes.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        guard copied == nil else { return }
        for byte in bytes { append(byte) }
    }

    /// Appends a literal's UTF-8.
    @inlinable
    public mutating func append(literal: StaticString) {
        prepare(literal.utf8CodeUnitCount)
        put(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// Appends a string's UTF-8.
    public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Removes every byte, keeping the memory.
    public mutating func removeAll() {
        length = 0
    }

    /// Removes the bytes from `newCount` on (`newCount` at most ``count``).
    public mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "ByteBuffer index out of range")
        length = newCount
    }

    /// Removes the bytes in `range`, moving those after it down.
    public mutating func removeSubrange(_ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "ByteBuffer index out of range")
        prepare(0)
        // Forward, byte by byte: the regions may overlap and the destination is the lower one.
        var from = range.upperBound
        var to = range.lowerBound
        while from < count {
            base[to] = base[from]
            from += 1
            to += 1
        }
        length = to
    }

    /// Makes room for `minimumCapacity` bytes in all, as `Array.reserveCapacity(_:)` does.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        prepare(Swift.max(0, minimumCapacity - count))
    }

    /// Hands the bytes to `sink` and empties the buffer, keeping its memory.
    public mutating func flush(into sink: OutputSink) {
        guard count > 0 else { return }
        sink.write(UnsafeBufferPointer(start: base, count: count))
        length = 0
    }

    // MARK: Unchecked stores
    //
    // For writers of this package that settle uniqueness once and then store several times: ``JSONOutput`` once per
    // call, the LaTeX decoder's non-copyable output once for its life.

    /// Makes sure this buffer alone uses its memory and that `extra` more bytes fit.
    @inlinable @inline(__always)
    package mutating func prepare(_ extra: Int) {
        if _slowPath(!isKnownUniquelyReferenced(&storage)) { detach() }
        if _slowPath(length &+ extra > capacity) { grow(toHold: length &+ extra) }
    }

    /// Makes room for `extra` more bytes; the memory must be this buffer's own (``prepare(_:)`` ran since the
    /// buffer was last copied).
    @inlinable @inline(__always)
    package mutating func reserve(_ extra: Int) {
        if _slowPath(length &+ extra > capacity) { grow(toHold: length &+ extra) }
    }

    /// Stores a byte; room was made.
    @inlinable @inline(__always)
    package mutating func put(_ byte: UInt8) {
        base[length] = byte
        length &+= 1
    }

    /// Stores two bytes; room was made.
    @inlinable @inline(__always)
    package mutating func put(_ first: UInt8, _ second: UInt8) {
        base[length] = first
        base[length &+ 1] = second
        length &+= 2
    }

    /// Copies `byteCount` bytes in; room was made.
    @inlinable @inline(__always)
    package mutating func put(_ bytes: UnsafePointer<UInt8>, count byteCount: Int) {
        (base + length).update(from: bytes, count: byteCount)
        length &+= byteCount
    }

    /// Stores eight bytes as they lie in memory; room was made.
    @inlinable @inline(__always)
    package mutating func put(word: UInt64) {
        UnsafeMutableRawPointer(base + length).storeBytes(of: word, as: UInt64.self)
        length &+= 8
    }

    /// Stores `count` spaces; room was made.
    @inlinable @inline(__always)
    package mutating func put(spaces: Int) {
        (base + length).initialize(repeating: 0x20, count: spaces)
        length &+= spaces
    }

    /// Gives this buffer memory of its own: a copy of it shares the memory.
    @usableFromInline
    mutating func detach() {
        let copy = Storage(capacity: Swift.max(capacity, length))
        copy.base.update(from: base, count: length)
        storage = copy
        base = copy.base
        capacity = copy.capacity
    }

    @usableFromInline
    mutating func grow(toHold needed: Int) {
        var newCapacity = Swift.max(capacity &* 2, 16)
        while newCapacity < needed { newCapacity &*= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: length)
        if let storage {
            // The memory is this buffer's alone (``prepare(_:)`` ran first), so the old block can go.
            storage.base.deallocate()
            storage.base = newBase
            storage.capacity = newCapacity
        } else {
            // A placeholder (``init()``) writing for the first time: its pointer is no memory to free.
            storage = Storage(base: newBase, capacity: newCapacity)
        }
        base = newBase
        capacity = newCapacity
    }
}
