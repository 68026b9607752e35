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
    /// copied on write (see ``DuplicateDetector/uniqueStorage()``).
    final class Storage: @unchecked Sendable {
        let entries: SpillBuffer
        let ids: SpillBuffer
        private(set) var entryCount = 0
        var table = DigestTable()
        /// The file names of the locations seen, each once.
        var files: [String] = []
        var fileIndexes: [String: Int32] = [:]
        /// True once a library record was remembered (lookups then also look for library holders).
        var hasLibrary = false

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
            let capacity = table.grownCapacity(toHold: count)
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

    /// The digest of a key (SipHash through `Hasher`, seeded per process, which is all a detector needs).
    private static func digest(_ kind: KeyKind, _ key: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(UInt8(kind.rawValue))
        hasher.combine(key)
        let value = UInt64(bitPattern: Int64(hasher.finalize()))
        return value == 0 ? 1 : value  // 0 means "none" in `Entry`
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
        let keys = Self.keys(of: record)
        var entry = makeEntry(keys, index: index, location: location, inLibrary: true)
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
        let keys = Self.keys(of: record)
        var entry = makeEntry(keys, index: index, location: location, inLibrary: false)
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
                .duplicateID, "the id \"\(keys.id ?? "")\" is already used by \(name(other))", field: "id",
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

    /// A record's entry, its id stored; no key marked as indexed yet.
    private func makeEntry(_ keys: Keys, index: Int, location: SourceLocation?, inLibrary: Bool) -> Entry {
        var entry = Entry(
            index: index, idOffset: storage.ids.count, idLength: -1, file: -1, line: 0, column: 0,
            flags: inLibrary ? 1 : 0, idDigest: 0, doiDigest: 0, pmidDigest: 0, pmcidDigest: 0,
            titleYearAuthorDigest: 0)
        if let id = keys.id {
            entry.idDigest = Self.digest(.id, id)
            storage.ids.append(id)
            entry.idLength = Int32(clamping: storage.ids.count - entry.idOffset)
        }
        if let doi = keys.doi { entry.doiDigest = Self.digest(.doi, doi) }
        if let pmid = keys.pmid { entry.pmidDigest = Self.digest(.pmid, pmid) }
        if let pmcid = keys.pmcid { entry.pmcidDigest = Self.digest(.pmcid, pmcid) }
        if let key = keys.titleYearAuthor { entry.titleYearAuthorDigest = Self.digest(.titleYearAuthor, key) }
        if let location {
            entry.file = storage.fileIndex(location.file)
            entry.line = Int32(clamping: location.line)
            entry.column = Int32(clamping: location.column)
        }
        return entry
    }

    /// `the record at index 3 (id "mullan2010")`, with "library" for library records.
    private func name(_ entry: Entry) -> String {
        let idText = storage.id(of: entry).map { " (id \"\($0)\")" } ?? ""
        return (entry.inLibrary ? "the library record at index " : "the record at index ") + "\(entry.index)" + idText
    }

    // MARK: Keys

    static func keys(of record: Resource) -> Keys {
        var keys = Keys()
        if let id = record.id?.trimmingSpaces, !id.isEmpty { keys.id = id }
        if let doi = record.doi {
            let bare = Validator.isWellFormedDOI(doi) ? doi : Identifiers.normalizeDOI(doi) ?? doi.trimmingSpaces
            if !bare.isEmpty { keys.doi = asciiHasNoUppercase(bare) ? bare : bare.lowercased() }
        }
        if let pmid = record.pmid, let digits = significantDigits(pmid) {
            // The common case, ASCII digits only: their value without leading zeros.
            if !digits.isEmpty { keys.pmid = digits }
        } else if let pmid = record.pmid {
            var digits = Substring(pmid.trimmingSpaces)
            if digits.uppercased().hasPrefix("PMID") { digits = digits.dropFirst(4).drop { $0 == ":" || $0 == " " } }
            digits = digits.drop { $0 == "0" }
            if !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) { keys.pmid = String(digits) }
        }
        if let pmcid = record.pmcid, let normalised = Identifiers.normalizePMCID(pmcid) {
            keys.pmcid = "PMC" + String(normalised.dropFirst(3).drop { $0 == "0" })
        }
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
    /// Punctuation blocks through a table built once, anything else through the Unicode properties.
    static func foldForComparison(_ text: String) -> String {
        if let folded = foldASCII(text) { return folded }
        return foldScalars(text)
    }

    /// ``foldForComparison(_:)`` of ASCII text, written straight into the result's storage (the result is never
    /// longer than the text); nil when the text is not all ASCII.
    static func foldASCII(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { utf8 -> String? in
            let count = utf8.count
            for byte in utf8 where byte >= 0x80 { return nil }
            return String(unsafeUninitializedCapacity: count) { output in
                var written = 0
                var pendingSpace = false
                for byte in utf8 {
                    let lower = byte | 0x20
                    let isDigit = byte >= 0x30 && byte <= 0x39
                    if (lower >= 0x61 && lower <= 0x7A) || isDigit {
                        if pendingSpace && written > 0 {
                            output[written] = 0x20
                            written &+= 1
                        }
                        pendingSpace = false
                        output[written] = isDigit ? byte : lower
                        written &+= 1
                    } else {
                        pendingSpace = true
                    }
                }
                return written
            }
        }
    }

    /// ``foldForComparison(_:)`` of any text, scalar by scalar.
    static func foldScalars(_ text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            // No nested function capturing the buffer: captured variables are boxed and every access to them pays
            // an exclusivity check.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count)
            var pendingSpace = false
            var index = 0
            let count = utf8.count
            while index < count {
                let byte = utf8[index]
                if byte < 0x80 {
                    index &+= 1
                    let lower = byte | 0x20
                    if (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                        if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
                        pendingSpace = false
                        bytes.append(byte >= 0x30 && byte <= 0x39 ? byte : lower)
                    } else {
                        pendingSpace = true
                    }
                    continue
                }
                // A multi-byte scalar (the text is valid UTF-8).
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                var next = index &+ 1
                while next < index &+ length && next < count {
                    value = value << 6 | (UInt32(utf8[next]) & 0x3F)
                    next &+= 1
                }
                index = next
                let fold = FoldTable.shared.fold(value)
                switch fold.kind {
                case .separator:
                    pendingSpace = true
                case .ignored:
                    break
                case .letters:
                    if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
                    pendingSpace = false
                    if let long = fold.long {
                        bytes.append(contentsOf: long)
                    } else {
                        var packed = fold.packed
                        for _ in 0..<fold.length {
                            bytes.append(UInt8(truncatingIfNeeded: packed))
                            packed >>= 8
                        }
                    }
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
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
                let letters = Array(
                    (DuplicateDetector.baseLetters(scalar) ?? Vocabulary.foldCase(String(scalar))).utf8)
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

    /// ``Fold`` for the blocks titles and names mostly use beyond ASCII, computed once (reading Unicode names is
    /// slow).
    struct FoldTable: Sendable {
        static let shared = FoldTable()
        /// Latin-1 Supplement and Latin Extended-A/B (U+0080–U+024F), combining diacritics (U+0300–U+036F),
        /// Latin Extended Additional (U+1E00–U+1EFF), General Punctuation (U+2000–U+206F).
        private let latin: [Fold]
        private let marks: [Fold]
        private let latinAdditional: [Fold]
        private let punctuation: [Fold]

        init() {
            func block(_ range: Range<UInt32>) -> [Fold] { range.map(Fold.init) }
            latin = block(0x80..<0x250)
            marks = block(0x300..<0x370)
            latinAdditional = block(0x1E00..<0x1F00)
            punctuation = block(0x2000..<0x2070)
        }

        func fold(_ value: UInt32) -> Fold {
            switch value {
            case 0x80..<0x250: return latin[Int(value &- 0x80)]
            case 0x300..<0x370: return marks[Int(value &- 0x300)]
            case 0x1E00..<0x1F00: return latinAdditional[Int(value &- 0x1E00)]
            case 0x2000..<0x2070: return punctuation[Int(value &- 0x2000)]
            default: return Fold(value)
            }
        }
    }

    /// The unaccented lowercase letters of an accented Latin letter (`é` → `e`, `Ł` → `l`, `æ` → `ae`,
    /// `ß` → `ss`), read from its Unicode name; nil for other characters.
    static func baseLetters(_ scalar: Unicode.Scalar) -> String? {
        guard scalar.value >= 0xC0, let name = scalar.properties.name else { return nil }
        for prefix in ["LATIN SMALL LETTER ", "LATIN CAPITAL LETTER ", "LATIN SMALL LIGATURE ", "LATIN CAPITAL LIGATURE "]
        where name.hasPrefix(prefix) {
            let words = name.dropFirst(prefix.count).split(separator: " ")
            guard let first = words.first else { return nil }
            if first == "SHARP" { return "ss" }
            if first.count <= 2 { return first.lowercased() }
            if words.count > 1, words[1].count == 1, first == "DOTLESS" || first == "LONG" {
                return words[1].lowercased()
            }
            return nil
        }
        return nil
    }
}
