import SMRLCore

/// The entries a ``BibTeXReader`` keeps as possible `crossref`/`xdata` parents, by lowercased key, in flat
/// memory: each entry is written once, as bytes, to a ``SpillBuffer`` (an unlinked temporary file past 256 KiB), and
/// memory holds a ``DigestMap`` from the key's digest to where the entry starts, plus the few entries read back
/// most recently (children of one parent tend to come together). So a file with a hundred thousand books or
/// proceedings costs a few bytes of memory per book, and its children still inherit from every one of them.
///
/// The first entry kept for a key stays (as BibTeX resolves a crossref to the first entry with the key).
final class BibTeXParentStore {
    private let fileName: String
    private let bytes: SpillBuffer
    private let offsets: DigestMap
    /// Entries read back recently, by lowercased key.
    private var recent: [String: BibTeXEntry] = [:]
    private static let recentLimit = 64

    init(fileName: String, spillThreshold: Int = SpillBuffer.defaultThreshold) {
        self.fileName = fileName
        bytes = SpillBuffer(spillThreshold: spillThreshold)
        offsets = DigestMap(spillThreshold: spillThreshold)
    }

    /// True once kept entries have moved to a temporary file.
    var isSpilled: Bool { bytes.isSpilled }

    /// True when an entry is kept for `key` (lowercased).
    func contains(_ key: String) -> Bool {
        self[key] != nil
    }

    /// The entry kept for `key` (lowercased).
    subscript(key: String) -> BibTeXEntry? {
        if let entry = recent[key] { return entry }
        guard let offset = offsets.value(for: BibTeXEntry.hash(key)).map(Int.init) else { return nil }
        var length: UInt32 = 0
        withUnsafeMutableBytes(of: &length) { bytes.read(at: offset, into: $0) }
        var decoder = Decoder(
            bytes: bytes.bytes(offset + 4..<offset + 4 + Int(UInt32(littleEndian: length))), fileName: fileName)
        guard let entry = decoder.entry(), entry.key?.lowercased() == key else { return nil }  // a digest collision
        if recent.count >= Self.recentLimit { recent.removeAll(keepingCapacity: true) }
        recent[key] = entry
        return entry
    }

    /// Keeps `entry` for `key` (lowercased) unless an entry is kept for it already.
    func keep(_ entry: BibTeXEntry, as key: String) {
        let offset = bytes.count
        guard offsets.insert(BibTeXEntry.hash(key), value: UInt64(offset)) == nil else { return }
        var encoder = Encoder()
        encoder.number(0)  // the length, filled in below
        encoder.entry(entry)
        let length = UInt32(clamping: encoder.bytes.count - 4).littleEndian
        withUnsafeBytes(of: length) { encoder.bytes.replaceSubrange(0..<4, with: $0) }
        encoder.bytes.withUnsafeBytes { bytes.append($0) }
    }

    // MARK: Bytes

    /// An entry as bytes: their count, then its type, key, location, and each field's name, value, location and
    /// inherited flag. Numbers are 32-bit little-endian; a string is its byte count and its UTF-8; a location is line and column
    /// (0, 0: none), in the reader's file.
    private struct Encoder {
        var bytes: [UInt8] = []

        mutating func number(_ value: Int) {
            let value = UInt32(clamping: max(0, value))
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
        }

        mutating func string(_ text: String) {
            let utf8 = text.utf8
            number(utf8.count)
            bytes.append(contentsOf: utf8)
        }

        mutating func location(_ location: SourceLocation?) {
            number(location?.line ?? 0)
            number(location?.column ?? 0)
        }

        mutating func entry(_ entry: BibTeXEntry) {
            string(entry.type)
            number(entry.key == nil ? 0 : 1)
            string(entry.key ?? "")
            location(entry.location)
            number(entry.fields.count)
            for field in entry.fields {
                string(field.name)
                string(field.value)
                location(field.location)
                number(field.inherited ? 1 : 0)
            }
        }
    }

    private struct Decoder {
        let bytes: [UInt8]
        var offset = 0
        let fileName: String

        init(bytes: [UInt8], fileName: String) {
            self.bytes = bytes
            self.fileName = fileName
        }

        mutating func number() -> Int? {
            guard offset + 4 <= bytes.count else { return nil }
            var value = 0
            for shift in stride(from: 0, to: 32, by: 8) {
                value |= Int(bytes[offset]) << shift
                offset += 1
            }
            return value
        }

        mutating func string() -> String? {
            guard let count = number(), offset + count <= bytes.count else { return nil }
            let text = String(decoding: bytes[offset..<offset + count], as: UTF8.self)
            offset += count
            return text
        }

        mutating func location() -> SourceLocation? {
            guard let line = number(), let column = number(), line > 0 else { return nil }
            return SourceLocation(file: fileName, line: line, column: column)
        }

        mutating func entry() -> BibTeXEntry? {
            guard let type = string(), let hasKey = number(), let key = string() else { return nil }
            let location = location() ?? SourceLocation(file: fileName, line: 1, column: 1)
            guard let count = number() else { return nil }
            var fields: [BibTeXEntry.Field] = []
            fields.reserveCapacity(count)
            for _ in 0..<count {
                guard let name = string(), let value = string() else { return nil }
                let fieldLocation = self.location()
                guard let inherited = number() else { return nil }
                fields.append(.init(name: name, value: value, location: fieldLocation, inherited: inherited != 0))
            }
            return BibTeXEntry(type: type, key: hasKey != 0 ? key : nil, fields: fields, location: location)
        }
    }
}
