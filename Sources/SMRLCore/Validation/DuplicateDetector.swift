/// Finds records that describe the same work, within a stream of records and against an existing library, so a
/// librarian sees which imported records the library already holds.
///
/// Two records are duplicates when they share a DOI (compared case-insensitively, resolver prefix ignored), a
/// PubMed id, a PubMed Central id, or the same normalised title, year and first author's family name (case,
/// accents, punctuation and markup ignored) without DOIs or PMIDs that tell them apart. Records with the same id
/// are reported separately (`duplicate.id`), since ids must be unique whatever the content.
///
/// Each duplicate is one warning on the later record that names the earlier one (index and id in the message, its
/// location as `related`): the first library record and the first earlier input record with the same key, so a
/// work both in the library and twice in the input gets both.
///
/// Streaming in flat memory: the detector never keeps records, only one fixed-size entry per record (its index,
/// location, where its id is, and 64-bit digests of its keys; two different keys share a digest with a
/// probability of about 2⁻⁶⁴ per pair) and its id's bytes. Both go to ``SpillBuffer``s, which move to an unlinked
/// temporary file past 256 KiB each. What stays in memory is a ``DigestTable`` from the digests of the first record
/// with each key to its entry, about 5.3–6.4 bytes per key (a record has two to five keys: id, DOI, PMID, PMCID,
/// title-year-author), so 1,000,000 records hold about 20–25 MB. A copy of a detector shares its storage until one
/// of the two changes it.
public struct DuplicateDetector: Sendable {
    /// The keys of one record.
    struct Keys {
        var id: String?
        var doi: String?
        var pmid: String?
        var pmcid: String?
        var titleYearAuthor: String?
    }

    /// One kind of key, strongest first.
    private enum Basis: Int, Comparable {
        case doi, pmid, pmcid, titleYearAuthor

        static func < (lhs: Basis, rhs: Basis) -> Bool { lhs.rawValue < rhs.rawValue }

        var code: DiagnosticCode {
            switch self {
            case .doi: return .duplicateDOI
            case .pmid: return .duplicatePMID
            case .pmcid: return .duplicatePMCID
            case .titleYearAuthor: return .duplicateTitleYearAuthor
            }
        }

        var field: String {
            switch self {
            case .doi: return "doi"
            case .pmid: return "pmid"
            case .pmcid: return "pmcid"
            case .titleYearAuthor: return "title"
            }
        }

        var kind: KeyKind {
            switch self {
            case .doi: return .doi
            case .pmid: return .pmid
            case .pmcid: return .pmcid
            case .titleYearAuthor: return .titleYearAuthor
            }
        }
    }

    /// What a key identifies; part of its digest, so that equal text under two kinds never meets.
    enum KeyKind: Int, CaseIterable {
        case id, doi, pmid, pmcid, titleYearAuthor
    }

    /// What is kept of a record seen, in ``Storage/entries``: plain integers only, so that it is stored as its
    /// bytes.
    struct Entry: BitwiseCopyable {
        var index: Int
        /// Where the id's bytes start in ``Storage/ids``.
        var idOffset: Int
        /// -1: no id.
        var idLength: Int32
        /// An index into ``Storage/files``; -1: no location.
        var file: Int32
        var line: Int32
        var column: Int32
        /// Bit 0: a library record. Bit 1 + kind: this record's key of that kind is in the table (it is the first
        /// library or input record with it), which is what rebuilding the table reads.
        var flags: UInt32
        /// The digests of the keys, by ``KeyKind``; 0: none.
        var idDigest: UInt64
        var doiDigest: UInt64
        var pmidDigest: UInt64
        var pmcidDigest: UInt64
        var titleYearAuthorDigest: UInt64

        var inLibrary: Bool { flags & 1 != 0 }

        subscript(kind: KeyKind) -> UInt64 {
            get {
                switch kind {
                case .id: return idDigest
                case .doi: return doiDigest
                case .pmid: return pmidDigest
                case .pmcid: return pmcidDigest
                case .titleYearAuthor: return titleYearAuthorDigest
                }
            }
            set {
                switch kind {
                case .id: idDigest = newValue
                case .doi: doiDigest = newValue
                case .pmid: pmidDigest = newValue
                case .pmcid: pmcidDigest = newValue
                case .titleYearAuthor: titleYearAuthorDigest = newValue
                }
            }
        }

        static func indexedFlag(_ kind: KeyKind) -> UInt32 { 1 << UInt32(kind.rawValue + 1) }
    }

    /// The first library record and the first input record with a key (ordinals of entries).
    struct Holders {
        var library: Int?
        var input: Int?

        var ordinals: [Int] { [library, input].compactMap { $0 } }
    }

    /// Everything the detector remembers; a class so that the spill buffers are not copied with the detector,
    /// copied on write (see ``DuplicateDetector/uniqueStorage()``). One thread at a time uses a storage (a detector
    /// is a value; a second user gets a copy first), so its fields need no run-time exclusivity checks.
    final class Storage: @unchecked Sendable {
        let entries: SpillBuffer
        let ids: SpillBuffer
        @exclusivity(unchecked) private(set) var entryCount = 0
        /// 8,192 slots (32 KiB) to begin with: the keys of about 1,500 records before the first rebuild (which
        /// re-inserts every key so far).
        @exclusivity(unchecked) var table = DigestTable(capacity: 8_192)
        /// The file names of the locations seen, each once.
        @exclusivity(unchecked) var files: [String] = []
        @exclusivity(unchecked) var fileIndexes: [String: Int32] = [:]
        /// True once a library record was remembered (lookups then also look for library holders).
        @exclusivity(unchecked) var hasLibrary = false
        /// Where keys are written to be digested, reused from record to record.
        let keyBuffer = KeyBuffer()

        init(spillThreshold: Int) {
            entries = SpillBuffer(spillThreshold: spillThreshold)
            ids = SpillBuffer(spillThreshold: spillThreshold)
        }

        private init(copying other: Storage) {
            entries = other.entries.copy()
            ids = other.ids.copy()
            entryCount = other.entryCount
            table = other.table
            files = other.files
            fileIndexes = other.fileIndexes
            hasLibrary = other.hasLibrary
        }

        func copy() -> Storage { Storage(copying: self) }

        /// The table's slots below which it doubles when full (256 Ki slots of 4 bytes).
        static let doublingLimit = 1 << 18

        func entry(_ ordinal: Int) -> Entry { entries.value(Entry.self, at: ordinal) }

        func append(_ entry: Entry) {
            entries.append(value: entry)
            entryCount += 1
        }

        /// The first library and input records whose key of `kind` has `digest`.
        func holders(of digest: UInt64, kind: KeyKind) -> Holders {
            var holders = Holders()
            table.forEachCandidate(digest) { ordinal in
                let entry = self.entry(ordinal)
                guard entry[kind] == digest else { return true }  // another key with the same tag
                if entry.inLibrary {
                    if holders.library == nil { holders.library = ordinal }
                } else if holders.input == nil {
                    holders.input = ordinal
                }
                return holders.input == nil || (hasLibrary && holders.library == nil)
            }
            return holders
        }

        /// Adds a record's entry and its new keys (those with the record's flag bits set) to the table.
        func add(_ entry: Entry) {
            let ordinal = entryCount
            let newKeys = (entry.flags >> 1).nonzeroBitCount
            if ordinal <= DigestTable.maximumOrdinal {
                if (table.count + newKeys) * 4 > table.capacity * 3 || !table.canHold(ordinal: ordinal) {
                    rebuildTable(toHold: table.count + newKeys)
                }
                for kind in KeyKind.allCases where entry.flags & Entry.indexedFlag(kind) != 0 {
                    table.insert(entry[kind], ordinal: ordinal)
                }
            }
            append(entry)
        }

        /// Replaces the table by a larger one holding the same keys, read back from the entries (the old table is
        /// freed first, so the two are never held together).
        private func rebuildTable(toHold count: Int) {
            // Doubling while the table is small (at most 1 MiB of slots): growing by a fifth from 1,024 slots
            // rebuilt the table 14 times for the first 2,000 records, re-inserting every key about five times.
            // Past that the table grows by a fifth, which keeps large detectors small.
            let doubled = table.capacity < Self.doublingLimit ? min(table.capacity * 2, Self.doublingLimit) : 0
            let capacity = max(table.grownCapacity(toHold: count), doubled)
            table.release()
            table = DigestTable(capacity: capacity, wide: entryCount >= DigestTable.narrowMaximumOrdinal)
            entries.forEachValue(Entry.self, count: entryCount) { ordinal, entry in
                guard entry.flags > 1 else { return }
                for kind in KeyKind.allCases where entry.flags & Entry.indexedFlag(kind) != 0 {
                    table.insert(entry[kind], ordinal: ordinal)
                }
            }
        }

        func id(of entry: Entry) -> String? {
            guard entry.idLength >= 0 else { return nil }
            return String(decoding: ids.bytes(entry.idOffset..<entry.idOffset + Int(entry.idLength)), as: UTF8.self)
        }

        func location(of entry: Entry) -> SourceLocation? {
            guard entry.file >= 0 else { return nil }
            return SourceLocation(file: files[Int(entry.file)], line: Int(entry.line), column: Int(entry.column))
        }

        func fileIndex(_ file: String) -> Int32 {
            if let last = files.last, last == file {
                // The file of the record before (the usual case): no hashing of the path.
                return Int32(clamping: files.count - 1)
            }
            if let known = fileIndexes[file] { return known }
            let index = Int32(clamping: files.count)
            fileIndexes[file] = index
            files.append(file)
            return index
        }
    }

    private var storage: Storage

    /// The storage, copied first if another detector shares it.
    private mutating func uniqueStorage() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// The digest of a key's UTF-8 bytes, which is all a detector needs: digests are never stored beyond the
    /// process. Sixteen bytes at a time are folded into the state by one full-width multiplication under keys
    /// drawn from the standard library's per-process random seed (``digestKeys``), so that, as with the `Hasher`
    /// (SipHash) used before, which keys share a digest cannot be known in advance; the bytes are loaded so that
    /// each length reads them injectively, and the length is folded in last. About a fifth of `Hasher`'s cost.
    static func digest(_ kind: KeyKind, _ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let keys = digestKeys
        let count = key.count
        var state = keys.0 ^ (UInt64(kind.rawValue) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        var first: UInt64 = 0
        var second: UInt64 = 0
        if count > 0, let base = key.baseAddress {
            let raw = UnsafeRawPointer(base)
            var offset = 0
            while count &- offset > 16 {
                state = mix(
                    raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ keys.1,
                    raw.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self) ^ state)
                offset &+= 16
            }
            // The last 1 to 16 bytes: two words that overlap when fewer than 16 are left, or one word and a
            // part of one (padded with zeros).
            let left = count &- offset
            if left >= 8 {
                first = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                second = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            } else {
                for index in 0..<left {
                    first |= UInt64(raw.load(fromByteOffset: offset &+ index, as: UInt8.self)) << (8 &* UInt64(index))
                }
            }
        }
        state = mix(first ^ keys.1, second ^ state)
        let value = mix(state ^ keys.2, UInt64(count) ^ keys.3)
        return value == 0 ? 1 : value  // 0 means "none" in `Entry`
    }

    /// The high and low halves of the full product of `a` and `b`, exclusive-or'ed.
    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The keys of ``digest(_:_:)``: random per process (the standard library seeds `Hasher` so), odd.
    static let digestKeys: (UInt64, UInt64, UInt64, UInt64) = {
        func draw(_ salt: UInt64) -> UInt64 {
            var hasher = Hasher()
            hasher.combine(salt)
            return UInt64(bitPattern: Int64(hasher.finalize())) | 1
        }
        return (draw(0x736D_726C_2D30), draw(0x736D_726C_2D31), draw(0x736D_726C_2D32), draw(0x736D_726C_2D33))
    }()

    /// True when the first and last bytes are printable ASCII, so `trimmingSpaces` returns the text as it is.
    static func hasNoOuterSpace(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F
        }
    }

    /// A detector for one stream, with no library to compare against.
    public init() {
        storage = Storage(spillThreshold: SpillBuffer.defaultThreshold)
    }

    /// A detector whose storage moves to temporary files past `spillThreshold` bytes (for tests: the default is
    /// 256 KiB).
    init(spillThreshold: Int) {
        storage = Storage(spillThreshold: spillThreshold)
    }

    /// A detector that also compares every record with an existing library (`--against FILE`). Each library
    /// record is named by its index in `library`.
    public init(against library: [(Resource, SourceLocation?)]) {
        self.init()
        for (index, entry) in library.enumerated() {
            remember(libraryRecord: entry.0, index: index, location: entry.1)
        }
    }

    /// True once the detector's entries have moved to a temporary file (for tests).
    var isSpilled: Bool { storage.entries.isSpilled }

    /// How many keys the detector's table holds, and its slots (for tests).
    var tableStatistics: (count: Int, capacity: Int) { (storage.table.count, storage.table.capacity) }

    /// Adds one record of the existing library, for reading a large library file record by record. Duplicates
    /// within the library itself are not reported; the first of them is the one named.
    public mutating func remember(libraryRecord record: Resource, index: Int, location: SourceLocation?) {
        let storage = uniqueStorage()
        storage.hasLibrary = true
        var (entry, _) = makeEntry(record, index: index, location: location, inLibrary: true, storage: storage)
        for kind in KeyKind.allCases where entry[kind] != 0 {
            if storage.holders(of: entry[kind], kind: kind).library == nil {
                entry.flags |= Entry.indexedFlag(kind)
            }
        }
        storage.add(entry)
    }

    /// Checks a record against the library and the records checked before it, then remembers it.
    /// - Returns: one `duplicate.id` warning per record with the same id, and one warning per earlier record
    ///   describing the same work, coded by the strongest shared key (DOI, PMID, PMCID, title-year-author).
    public mutating func check(
        _ record: Resource, index: Int, location: SourceLocation? = nil,
        fieldLocations: [String: SourceLocation] = [:]
    ) -> [Diagnostic] {
        check(record, index: index, location: location, fieldLocationList: FieldLocationList(fieldLocations))
    }

    /// ``check(_:index:location:fieldLocations:)`` with the field locations as a list (as readers give them).
    public mutating func check(
        _ record: Resource, index: Int, location: SourceLocation? = nil, fieldLocationList fieldLocations: FieldLocationList
    ) -> [Diagnostic] {
        let storage = uniqueStorage()
        var (entry, id) = makeEntry(record, index: index, location: location, inLibrary: false, storage: storage)
        var holders: [KeyKind: Holders] = [:]
        for kind in KeyKind.allCases where entry[kind] != 0 {
            let found = storage.holders(of: entry[kind], kind: kind)
            if found.input == nil { entry.flags |= Entry.indexedFlag(kind) }
            if found.library != nil || found.input != nil { holders[kind] = found }
        }
        var diagnostics: [Diagnostic] = []
        guard !holders.isEmpty else {
            storage.add(entry)
            return diagnostics
        }

        func warn(_ code: DiagnosticCode, _ message: String, field: String, other: Entry) {
            diagnostics.append(
                Diagnostic(
                    .warning, code, message, at: fieldLocations[field] ?? location, field: field,
                    related: storage.location(of: other), recordIndex: index, recordID: record.id))
        }

        for ordinal in holders[.id]?.ordinals ?? [] {
            let other = storage.entry(ordinal)
            warn(
                .duplicateID, "the id \"\(id ?? "")\" is already used by \(name(other))", field: "id",
                other: other)
        }

        var found: [(ordinal: Int, other: Entry, bases: [Basis])] = []
        for basis in [Basis.doi, .pmid, .pmcid, .titleYearAuthor] {
            for ordinal in holders[basis.kind]?.ordinals ?? [] {
                let existing = found.firstIndex { $0.ordinal == ordinal }
                let other = existing.map { found[$0].other } ?? storage.entry(ordinal)
                if basis == .titleYearAuthor {
                    // Identifiers that differ tell two works with the same title apart.
                    if entry.doiDigest != 0, other.doiDigest != 0, entry.doiDigest != other.doiDigest { continue }
                    if entry.pmidDigest != 0, other.pmidDigest != 0, entry.pmidDigest != other.pmidDigest { continue }
                }
                if let existing {
                    found[existing].bases.append(basis)
                } else {
                    found.append((ordinal, other, [basis]))
                }
            }
        }
        for (_, other, bases) in found {
            let strongest = bases.min() ?? .titleYearAuthor
            let shared = bases.sorted().map { basis -> String in
                switch basis {
                case .doi: return "DOI \(record.doi ?? "")"
                case .pmid: return "PMID \(record.pmid ?? "")"
                case .pmcid: return "PMCID \(record.pmcid ?? "")"
                case .titleYearAuthor: return "title, year and first author"
                }
            }
            let what =
                other.inLibrary ? "the library already holds this work" : "this work appears twice in the input"
            warn(
                strongest.code, "\(what): \(name(other)) has the same " + shared.joined(separator: " and "),
                field: strongest.field, other: other)
        }

        storage.add(entry)
        return diagnostics
    }

    /// A record's entry, its id stored, with the digests of its keys (those of ``keys(of:)``, written as bytes
    /// into the storage's scratch buffer); no key marked as indexed yet. Also returns the id key.
    private func makeEntry(
        _ record: Resource, index: Int, location: SourceLocation?, inLibrary: Bool, storage: Storage
    ) -> (Entry, id: String?) {
        var entry = Entry(
            index: index, idOffset: storage.ids.count, idLength: -1, file: -1, line: 0, column: 0,
            flags: inLibrary ? 1 : 0, idDigest: 0, doiDigest: 0, pmidDigest: 0, pmcidDigest: 0,
            titleYearAuthorDigest: 0)
        var id = record.id.map { Self.hasNoOuterSpace($0) ? $0 : $0.trimmingSpaces }
        if var key = id, !key.isEmpty {
            key.withUTF8 { entry.idDigest = Self.digest(.id, $0) }
            storage.ids.append(key)
            entry.idLength = Int32(clamping: storage.ids.count - entry.idOffset)
        } else {
            id = nil
        }
        let key = storage.keyBuffer
        if let doi = record.doi, Self.doiKey(doi, into: key) { entry.doiDigest = Self.digest(.doi, key.bytes) }
        if let pmid = record.pmid, Self.pmidKey(pmid, into: key) { entry.pmidDigest = Self.digest(.pmid, key.bytes) }
        if let pmcid = record.pmcid, Self.pmcidKey(pmcid, into: key) {
            entry.pmcidDigest = Self.digest(.pmcid, key.bytes)
        }
        if Self.titleYearAuthorKey(of: record, into: key) {
            entry.titleYearAuthorDigest = Self.digest(.titleYearAuthor, key.bytes)
        }
        if let location {
            entry.file = storage.fileIndex(location.file)
            entry.line = Int32(clamping: location.line)
            entry.column = Int32(clamping: location.column)
        }
        return (entry, id)
    }

    /// `the record at index 3 (id "mullan2010")`, with "library" for library records.
    private func name(_ entry: Entry) -> String {
        let idText = storage.id(of: entry).map { " (id \"\($0)\")" } ?? ""
        return (entry.inLibrary ? "the library record at index " : "the record at index ") + "\(entry.index)" + idText
    }

    // MARK: Keys

    /// The keys of a record as text: the definition of what ``makeEntry(_:index:location:inLibrary:storage:)``
    /// digests, which writes the same bytes without building these strings (tests compare the two).
    static func keys(of record: Resource) -> Keys {
        var keys = Keys()
        if let id = record.id?.trimmingSpaces, !id.isEmpty { keys.id = id }
        if let doi = record.doi { keys.doi = slowDOIKey(doi) }
        if let pmid = record.pmid { keys.pmid = slowPMIDKey(pmid) }
        if let pmcid = record.pmcid { keys.pmcid = slowPMCIDKey(pmcid) }
        if let title = record.fullTitle, let year = record.issued?.year,
            let person = record.authors.first ?? record.editors.first,
            let family = person.family ?? person.literal
        {
            let foldedTitle = foldForComparison(RichText.plainText(title))
            let foldedFamily = foldForComparison(family)
            if foldedTitle.contains(where: \.isLetter), !foldedFamily.isEmpty {
                keys.titleYearAuthor = "\(year)|\(foldedFamily)|\(foldedTitle)"
            }
        }
        return keys
    }

    /// The DOI key by characters: the bare DOI (resolver removed), lower-cased.
    private static func slowDOIKey(_ doi: String) -> String? {
        let bare = Validator.isWellFormedDOI(doi) ? doi : Identifiers.normalizeDOI(doi) ?? doi.trimmingSpaces
        guard !bare.isEmpty else { return nil }
        return asciiHasNoUppercase(bare) ? bare : bare.lowercased()
    }

    /// The PMID key by characters: the digits after an optional `PMID`/`PMID:` label, without leading zeros.
    private static func slowPMIDKey(_ pmid: String) -> String? {
        if let digits = significantDigits(pmid) { return digits.isEmpty ? nil : digits }
        var digits = Substring(pmid.trimmingSpaces)
        if digits.uppercased().hasPrefix("PMID") { digits = digits.dropFirst(4).drop { $0 == ":" || $0 == " " } }
        digits = digits.drop { $0 == "0" }
        return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit) ? String(digits) : nil
    }

    /// The PMCID key by characters: `PMC` and the number without leading zeros.
    private static func slowPMCIDKey(_ pmcid: String) -> String? {
        guard let normalised = Identifiers.normalizePMCID(pmcid) else { return nil }
        return "PMC" + String(normalised.dropFirst(3).drop { $0 == "0" })
    }

    /// Writes the DOI key of `doi` (``Keys/doi``) into `key`; false when there is none. A bare ASCII DOI (the
    /// usual case) is lower-cased byte by byte.
    static func doiKey(_ doi: String, into key: KeyBuffer) -> Bool {
        key.removeAll()
        if Validator.isWellFormedDOI(doi) {
            var doi = doi
            let ascii = doi.withUTF8 { bytes -> Bool in
                let output = key.reserve(bytes.count)
                for (offset, byte) in bytes.enumerated() {
                    guard byte < 0x80 else { return false }
                    output[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                }
                key.count = bytes.count
                return true
            }
            if ascii { return true }
        }
        guard let slow = slowDOIKey(doi) else { return false }
        key.append(slow)
        return true
    }

    /// Writes the PMID key of `pmid` (``Keys/pmid``) into `key`; false when there is none. ASCII digits (the usual
    /// case) are copied without their leading zeros.
    static func pmidKey(_ pmid: String, into key: KeyBuffer) -> Bool {
        key.removeAll()
        var text = pmid
        let allDigits = text.withUTF8 { bytes -> Bool in
            guard !bytes.isEmpty else { return false }
            for byte in bytes {
                guard byte >= 0x30 && byte <= 0x39 else { return false }
                if byte != 0x30 || key.count > 0 { key.append(byte) }
            }
            return true
        }
        if allDigits { return key.count > 0 }
        key.removeAll()
        guard let slow = slowPMIDKey(pmid) else { return false }
        key.append(slow)
        return true
    }

    /// Writes the PMCID key of `pmcid` (``Keys/pmcid``) into `key`; false when there is none. `PMC` and 1 to 10
    /// ASCII digits (the stored form) are copied without the leading zeros.
    static func pmcidKey(_ pmcid: String, into key: KeyBuffer) -> Bool {
        key.removeAll()
        if Identifiers.isStoredPMCID(pmcid) {
            var text = pmcid
            text.withUTF8 { bytes in
                for byte in bytes where byte != 0x30 || key.count > 3 { key.append(byte) }
            }
            return true
        }
        guard let slow = slowPMCIDKey(pmcid) else { return false }
        key.append(slow)
        return true
    }

    /// Writes the title-year-author key of a record (``Keys/titleYearAuthor``: `year|family|title`, folded) into
    /// `key`; false when there is none. Folds the title, subtitle and family name from their UTF-8 bytes; only a
    /// title with markup goes through ``RichText/plainText(_:)`` first.
    static func titleYearAuthorKey(of record: Resource, into key: KeyBuffer) -> Bool {
        key.removeAll()
        guard record.title != nil || record.subtitle != nil, let year = record.issued?.year else { return false }
        let family: String
        if let first = record.authors.first {
            guard let name = first.family ?? first.literal else { return false }
            family = name
        } else if let first = record.editors.first {
            guard let name = first.family ?? first.literal else { return false }
            family = name
        } else {
            return false
        }
        appendDecimal(year, to: key)
        key.append(UInt8(ascii: "|"))
        let familyStart = key.count
        var pendingSpace = false
        fold(family, into: key, start: familyStart, pendingSpace: &pendingSpace)
        guard key.count > familyStart else { return false }
        key.append(UInt8(ascii: "|"))
        let titleStart = key.count
        pendingSpace = false
        // Folded as plain text first (most titles have no markup); a `<` seen means folding again without it.
        var result = FoldResult()
        if let title = record.title {
            result = fold(title, into: key, start: titleStart, pendingSpace: &pendingSpace)
            if let subtitle = record.subtitle, !subtitle.isEmpty {
                // `fullTitle` joins the two with ": ", which only separates words.
                pendingSpace = true
                result.add(fold(subtitle, into: key, start: titleStart, pendingSpace: &pendingSpace))
            }
        } else if let subtitle = record.subtitle {
            result = fold(subtitle, into: key, start: titleStart, pendingSpace: &pendingSpace)
        }
        if result.sawLessThan, var full = record.fullTitle, RichText.mayHoldTag(full) {
            // Markup is removed from the whole title (a tag may close in the subtitle).
            key.count = titleStart
            pendingSpace = false
            let folded = full.withUTF8 { foldWithoutMarkup($0, into: key, start: titleStart, pendingSpace: &pendingSpace) }
            result = folded ?? fold(RichText.plainText(full), into: key, start: titleStart, pendingSpace: &pendingSpace)
        }
        // The folded title must hold a letter. ASCII output is spaces, digits and letters a–z, which alone have
        // bit 0x40; anything else is decided on characters.
        if result.written & 0x80 == 0 { return result.written & 0x40 != 0 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: key.bytes[titleStart...]), as: UTF8.self)
        return text.contains(where: \.isLetter)
    }

    /// Appends `value` in decimal, as `"\(value)"` writes it.
    static func appendDecimal(_ value: Int, to key: KeyBuffer) {
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let sign = value < 0 ? 1 : 0
        let output = key.reserve(digits + sign)
        if sign == 1 { output[0] = UInt8(ascii: "-") }
        var position = sign + digits
        repeat {
            position -= 1
            output[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
            magnitude /= 10
        } while magnitude > 0
        key.count += digits + sign
    }

    /// Folds CSL rich text without its markup into `output`, as `fold(RichText.plainText(text))` does: the text
    /// between the tags that ``RichText/tokenize(_:)`` recognises is folded piece by piece. Returns nil, having
    /// written nothing, when a `<` or `>` has a non-ASCII neighbour (a combining mark after it, a prepended mark
    /// before a `<`): characters then group differently than bytes, and the caller takes the character path.
    static func foldWithoutMarkup(
        _ utf8: UnsafeBufferPointer<UInt8>, into output: KeyBuffer, start: Int, pendingSpace: inout Bool
    ) -> FoldResult? {
        let count = utf8.count
        for index in 0..<count where utf8[index] == UInt8(ascii: "<") || utf8[index] == UInt8(ascii: ">") {
            if index + 1 < count && utf8[index + 1] >= 0x80 { return nil }
            if utf8[index] == UInt8(ascii: "<") && index > 0 && utf8[index - 1] >= 0x80 { return nil }
        }
        var result = FoldResult()
        var open: [RichText.Style] = []
        var pieceStart = 0
        var index = 0
        while index < count {
            guard utf8[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            var matched = 0
            for style in RichText.Style.allCases {
                if hasPrefix(utf8, at: index, style.openTag) {
                    open.append(style)
                    matched = style.openTag.utf8.count
                    break
                }
                if hasPrefix(utf8, at: index, style.closeTag), let position = open.lastIndex(of: style) {
                    open.remove(at: position)
                    matched = style.closeTag.utf8.count
                    break
                }
            }
            guard matched > 0 else {
                index += 1
                continue
            }
            result.add(
                fold(UnsafeBufferPointer(rebasing: utf8[pieceStart..<index]), into: output, start: start, pendingSpace: &pendingSpace))
            index += matched
            pieceStart = index
        }
        result.add(
            fold(UnsafeBufferPointer(rebasing: utf8[pieceStart..<count]), into: output, start: start, pendingSpace: &pendingSpace))
        return result
    }

    /// True when the bytes at `offset` start with `prefix`'s UTF-8.
    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ prefix: String) -> Bool {
        var index = offset
        for byte in prefix.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    /// True when `text` is ASCII without an uppercase letter (so `lowercased()` would return it unchanged).
    static func asciiHasNoUppercase(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte >= 0x80 || (byte >= 0x41 && byte <= 0x5A) { return false }
            return true
        }
    }

    /// For a value of ASCII digits only (at least one): the digits without leading zeros (empty when all are
    /// zeros); nil for anything else.
    static func significantDigits(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard !bytes.isEmpty else { return nil }
            var firstNonZero = -1
            for (offset, byte) in bytes.enumerated() {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                if firstNonZero < 0 && byte != 0x30 { firstNonZero = offset }
            }
            if firstNonZero < 0 { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[firstNonZero...]), as: UTF8.self)
        }
    }

    /// Lower case without accents, letters and digits only, words separated by one space.
    ///
    /// Works on Unicode scalars: ASCII is folded inline, the Latin, Latin Extended Additional and General
    /// Punctuation blocks through tables built on first use, anything else through the Unicode properties.
    static func foldForComparison(_ text: String) -> String {
        let output = KeyBuffer()
        var pendingSpace = false
        fold(text, into: output, start: 0, pendingSpace: &pendingSpace)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// Appends the fold of `text` (``foldForComparison(_:)``) to `output`. `pendingSpace` says that a separator
    /// came last, so the next word starts with a space unless nothing was written since `start`; it carries over
    /// between calls, so several pieces fold as their concatenation does.
    @discardableResult
    static func fold(_ text: String, into output: KeyBuffer, start: Int, pendingSpace: inout Bool) -> FoldResult {
        var text = text
        return text.withUTF8 { fold($0, into: output, start: start, pendingSpace: &pendingSpace) }
    }

    /// What a fold saw and wrote.
    struct FoldResult {
        /// Every byte written, or-ed: bit 0x40 set for an ASCII letter (digits and spaces lack it), bit 0x80 for
        /// a non-ASCII byte.
        var written: UInt8 = 0
        /// The text holds a `<` (markup may need removing).
        var sawLessThan = false

        mutating func add(_ other: FoldResult) {
            written |= other.written
            sawLessThan = sawLessThan || other.sawLessThan
        }
    }

    /// Per byte, what the fold writes for it: the lower-case letter or the digit; 0 for a separator; 0x80 for the
    /// bytes of non-ASCII scalars. Immutable once built, never freed (a pointer: no array access per byte).
    nonisolated(unsafe) static let asciiFold: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0..<256 {
            switch byte {
            case 0x30...0x39, 0x61...0x7A: table[byte] = UInt8(byte)
            case 0x41...0x5A: table[byte] = UInt8(byte) | 0x20
            case 0x80...: table[byte] = 0x80
            default: table[byte] = 0
            }
        }
        return UnsafePointer(table)
    }()

    /// ``fold(_:into:start:pendingSpace:)`` of UTF-8 bytes (valid UTF-8), written through the buffer's pointer.
    @discardableResult
    static func fold(
        _ utf8: UnsafeBufferPointer<UInt8>, into output: KeyBuffer, start: Int, pendingSpace: inout Bool
    ) -> FoldResult {
        let count = utf8.count
        var result = FoldResult()
        guard count > 0, let input = utf8.baseAddress else { return result }
        // Room for every byte plus a pending space: a space is written only for a separator read before, and
        // ASCII writes at most a byte per byte read. Non-ASCII letters check their own room.
        _ = output.reserve(count + 1)
        var base = output.base
        var capacity = output.capacity
        var written = output.count
        var pending = pendingSpace
        var orWritten: UInt8 = 0
        var index = 0
        let table = asciiFold
        do {
            while index < count {
                let byte = input[index]
                let folded = table[Int(byte)]
                if folded &- 0x30 < 0x50 {
                    // A letter or digit, and the rest of its word in a loop of its own.
                    if pending {
                        if written > start {
                            base[written] = 0x20
                            written &+= 1
                        }
                        pending = false
                    }
                    var position = index
                    var end = written
                    var seen = orWritten
                    // Eight bytes at a time while they are ASCII letters and digits: classified and lower-cased
                    // at once, all eight stored, and as many kept as lead with letters and digits. The store has
                    // room: the output never outruns the input read (a space is written only for a separator read
                    // before, or the one `reserve` counted), and `reserve` made room for all of the input.
                    while position &+ 8 <= count {
                        let word = UInt64(
                            littleEndian: UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self))
                        let lanes = asciiLettersAndDigits(word)
                        let lowered = word | lanes.upper >> 2
                        UnsafeMutableRawPointer(base + end).storeBytes(of: lowered.littleEndian, as: UInt64.self)
                        if lanes.alphanumeric == laneHighBits {
                            seen |= orOfLanes(lowered)
                            position &+= 8
                            end &+= 8
                            continue
                        }
                        let run = (~lanes.alphanumeric & laneHighBits).trailingZeroBitCount &>> 3
                        seen |= orOfLanes(lowered & ((1 &<< (UInt64(run) &<< 3)) &- 1))
                        position &+= run
                        end &+= run
                        break
                    }
                    // The rest of the word, byte by byte.
                    while position < count {
                        let letter = table[Int(input[position])]
                        guard letter &- 0x30 < 0x50 else { break }
                        base[end] = letter
                        end &+= 1
                        seen |= letter
                        position &+= 1
                    }
                    index = position
                    written = end
                    orWritten = seen
                    continue
                }
                if folded == 0 {
                    index &+= 1
                    pending = true
                    if byte == UInt8(ascii: "<") { result.sawLessThan = true }
                    continue
                }
                // A multi-byte scalar.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                var next = index &+ 1
                while next < index &+ length && next < count {
                    value = value << 6 | (UInt32(input[next]) & 0x3F)
                    next &+= 1
                }
                index = next
                let fold = FoldTable.fold(value)
                switch fold.kind {
                case .separator:
                    pending = true
                case .ignored:
                    break
                case .letters:
                    let letters = fold.long?.count ?? fold.length
                    let needed = written &+ 1 &+ letters &+ (count &- index)
                    if needed > capacity {
                        output.count = written
                        _ = output.reserve(needed &- written)
                        base = output.base
                        capacity = output.capacity
                    }
                    if pending && written > start {
                        base[written] = 0x20
                        written &+= 1
                    }
                    pending = false
                    if let long = fold.long {
                        for letter in long {
                            base[written] = letter
                            written &+= 1
                            orWritten |= letter
                        }
                    } else {
                        var packed = fold.packed
                        for _ in 0..<fold.length {
                            let letter = UInt8(truncatingIfNeeded: packed)
                            base[written] = letter
                            written &+= 1
                            orWritten |= letter
                            packed >>= 8
                        }
                    }
                }
            }
        }
        output.count = written
        pendingSpace = pending
        result.written = orWritten
        return result
    }

    /// Bit 7 of each byte of a word.
    static let laneHighBits: UInt64 = 0x8080_8080_8080_8080

    /// For each byte (lane) of `word` (first byte lowest): bit 7 set in `alphanumeric` when it is an ASCII letter or
    /// digit, in `upper` when it is an ASCII capital. A lane of 0–0x7F plus at most 0x80 stays within its byte, so
    /// bit 7 of `lane + 0x80 - low` says `lane >= low` and bit 7 of `lane + 0x7F - high` says `lane > high`.
    @inline(__always)
    static func asciiLettersAndDigits(_ word: UInt64) -> (alphanumeric: UInt64, upper: UInt64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low = word & ~laneHighBits
        @inline(__always) func within(_ first: UInt64, _ last: UInt64) -> UInt64 {
            (low &+ (0x80 &- first) &* ones) & ~(low &+ (0x7F &- last) &* ones) & laneHighBits
        }
        let ascii = ~word & laneHighBits
        let upper = within(0x41, 0x5A) & ascii
        return ((within(0x30, 0x39) | upper | within(0x61, 0x7A)) & ascii, upper)
    }

    /// The bytes of a word or-ed together.
    @inline(__always)
    static func orOfLanes(_ word: UInt64) -> UInt8 {
        var folded = word | word &>> 32
        folded |= folded &>> 16
        folded |= folded &>> 8
        return UInt8(truncatingIfNeeded: folded)
    }

    /// A growable byte buffer written through its pointer (an array would check its uniqueness and capacity on
    /// every byte appended), reused for every key of every record. Used by one thread at a time (each detector's
    /// storage has its own), so its fields need no run-time exclusivity checks.
    final class KeyBuffer {
        @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
        @exclusivity(unchecked) private(set) var capacity: Int
        /// The bytes written; only lowered by the callers (or raised after writing through ``reserve(_:)``).
        @exclusivity(unchecked) var count = 0

        init(capacity: Int = 256) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }

        func removeAll() { count = 0 }

        /// Makes room for `extra` more bytes; returns where the next byte goes.
        func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
            if count + extra > capacity {
                let grown = max(capacity * 2, count + extra)
                let new = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
                new.update(from: base, count: count)
                base.deallocate()
                base = new
                capacity = grown
            }
            return base + count
        }

        func append(_ byte: UInt8) {
            reserve(1).pointee = byte
            count += 1
        }

        func append(_ text: String) {
            for byte in text.utf8 { append(byte) }
        }

        /// The bytes written, valid until the next write.
        var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    }

    /// What ``foldForComparison(_:)`` makes of one non-ASCII scalar: a separator, nothing (a combining accent),
    /// or letters, packed into a word when they fit (no array to retain and release per letter).
    struct Fold: Sendable {
        enum Kind: Sendable {
            /// Not a letter or digit: separates words.
            case separator
            /// A combining accent: vanishes.
            case ignored
            /// A letter or digit: the folded letters.
            case letters
        }

        var kind: Kind
        /// Up to 8 bytes of UTF-8, first byte lowest.
        var packed: UInt64 = 0
        var length: Int = 0
        /// Longer folds (rare).
        var long: [UInt8]?

        init(_ value: UInt32) {
            guard let scalar = Unicode.Scalar(value) else {
                kind = .separator
                return
            }
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                kind = .letters
                let base = DuplicateDetector.baseLettersPacked(value)
                if base != 0 {
                    packed = UInt64(base)
                    length = base > 0xFF ? 2 : 1
                    return
                }
                let letters = Array(Vocabulary.foldCase(String(scalar)).utf8)
                if letters.count <= 8 {
                    length = letters.count
                    for (offset, byte) in letters.enumerated() { packed |= UInt64(byte) << (8 * UInt64(offset)) }
                } else {
                    long = letters
                }
            } else if properties.generalCategory != .nonspacingMark {
                kind = .separator
            } else {
                kind = .ignored
            }
        }
    }

    /// ``Fold`` for the blocks titles and names mostly use beyond ASCII, each block computed on first use (an
    /// ASCII-only input computes none).
    enum FoldTable {
        /// Latin-1 Supplement and Latin Extended-A/B (U+0080–U+024F).
        static let latin = block(0x80..<0x250)
        /// Combining diacritics (U+0300–U+036F).
        static let marks = block(0x300..<0x370)
        /// Latin Extended Additional (U+1E00–U+1EFF).
        static let latinAdditional = block(0x1E00..<0x1F00)
        /// General Punctuation (U+2000–U+206F).
        static let punctuation = block(0x2000..<0x2070)

        private static func block(_ range: Range<UInt32>) -> [Fold] { range.map(Fold.init) }

        static func fold(_ value: UInt32) -> Fold {
            switch value {
            case 0x80..<0x250: return latin[Int(value &- 0x80)]
            case 0x300..<0x370: return marks[Int(value &- 0x300)]
            case 0x1E00..<0x1F00: return latinAdditional[Int(value &- 0x1E00)]
            case 0x2000..<0x2070: return punctuation[Int(value &- 0x2000)]
            default: return Fold(value)
            }
        }
    }
}
