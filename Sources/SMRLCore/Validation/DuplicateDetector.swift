/// Finds records that describe the same work, within a stream of records and against an existing library, so a
/// librarian sees which imported records the library already holds.
///
/// Two records are duplicates when they share a DOI (compared case-insensitively, resolver prefix ignored), a
/// PubMed id, a PubMed Central id, or the same normalised title, year and first author's family name (case,
/// accents, punctuation and markup ignored) without DOIs or PMIDs that tell them apart. Records with the same id
/// are reported separately (`duplicate.id`), since ids must be unique whatever the content.
///
/// Streaming: the detector keeps only the keys of the records it has seen and, per record, its index, id and
/// location, never the records themselves. Keys are kept as 64-bit digests (two different keys share one with a
/// probability of about 2⁻⁶⁴ per pair), ids as bytes in one shared buffer and file names once each, so a record
/// costs about 150 bytes however long its title: 1,000,000 records take about 150 MB. Each duplicate is one warning on the later record that names the
/// earlier one (index and id in the message, its location as `related`): the first library record and the first
/// earlier input record with the same key, so a work both in the library and twice in the input gets both.
public struct DuplicateDetector: Sendable {
    /// What is kept of a record already seen: its index, where its id's bytes are in ``idBytes``, its location
    /// (the file as an index into ``files``) and the digests of its DOI and PMID (0: none), which tell works with
    /// the same title apart.
    struct Seen: Sendable {
        var index: Int
        var idStart: Int
        /// -1: no id.
        var idLength: Int32
        /// -1: no location.
        var file: Int32
        var line: Int32
        var column: Int32
        var doi: UInt64
        var pmid: UInt64
        var inLibrary: Bool
    }

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
    }

    /// The first library record and the first input record with a key (positions in `seen`; -1: none).
    struct Slot: Sendable {
        var library: Int32 = -1
        var input: Int32 = -1

        var positions: [Int] {
            var positions: [Int] = []
            if library >= 0 { positions.append(Int(library)) }
            if input >= 0 { positions.append(Int(input)) }
            return positions
        }

        mutating func fill(_ position: Int32, inLibrary: Bool) {
            if inLibrary {
                if library < 0 { library = position }
            } else if input < 0 {
                input = position
            }
        }
    }

    /// What a key identifies; part of its digest, so that equal text under two kinds never meets.
    private enum KeyKind: UInt8 {
        case id, doi, pmid, pmcid, titleYearAuthor
    }

    private var seen: [Seen] = []
    /// The ids of the records seen, one after another (see ``Seen/idStart``).
    private var idBytes: [UInt8] = []
    /// The file names of the locations seen, each once.
    private var files: [String] = []
    private var fileIndexes: [String: Int32] = [:]
    /// Every key of every record seen, by digest.
    private var slots: [UInt64: Slot] = [:]

    /// The digest of a key (SipHash through `Hasher`, seeded per process, which is all a detector needs).
    private static func digest(_ kind: KeyKind, _ key: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(kind.rawValue)
        hasher.combine(key)
        let value = UInt64(bitPattern: Int64(hasher.finalize()))
        return value == 0 ? 1 : value  // 0 means "none" in `Seen`
    }

    private func id(of entry: Seen) -> String? {
        guard entry.idLength >= 0 else { return nil }
        return String(decoding: idBytes[entry.idStart..<entry.idStart + Int(entry.idLength)], as: UTF8.self)
    }

    private func location(of entry: Seen) -> SourceLocation? {
        guard entry.file >= 0 else { return nil }
        return SourceLocation(file: files[Int(entry.file)], line: Int(entry.line), column: Int(entry.column))
    }

    /// A detector for one stream, with no library to compare against.
    public init() {}

    /// A detector that also compares every record with an existing library (`--against FILE`). Each library
    /// record is named by its index in `library`.
    public init(against library: [(Resource, SourceLocation?)]) {
        for (index, entry) in library.enumerated() {
            remember(libraryRecord: entry.0, index: index, location: entry.1)
        }
    }

    /// Adds one record of the existing library, for reading a large library file record by record. Duplicates
    /// within the library itself are not reported; the first of them is the one named.
    public mutating func remember(libraryRecord record: Resource, index: Int, location: SourceLocation?) {
        let keys = Self.keys(of: record)
        insert(keys.id, Digests(keys), inLibrary: true, index: index, location: location)
    }

    /// Checks a record against the library and the records checked before it, then remembers it.
    /// - Returns: one `duplicate.id` warning per record with the same id, and one warning per earlier record
    ///   describing the same work, coded by the strongest shared key (DOI, PMID, PMCID, title-year-author).
    public mutating func check(
        _ record: Resource, index: Int, location: SourceLocation? = nil,
        fieldLocations: [String: SourceLocation] = [:]
    ) -> [Diagnostic] {
        let keys = Self.keys(of: record)
        let digests = Digests(keys)
        var diagnostics: [Diagnostic] = []
        func warn(_ code: DiagnosticCode, _ message: String, field: String, other: Seen) {
            diagnostics.append(
                Diagnostic(
                    .warning, code, message, at: fieldLocations[field] ?? location, field: field,
                    related: self.location(of: other), recordIndex: index, recordID: record.id))
        }

        for position in digests.id.flatMap({ slots[$0] })?.positions ?? [] {
            let other = seen[position]
            warn(
                .duplicateID, "the id \"\(keys.id ?? "")\" is already used by \(name(other))", field: "id",
                other: other)
        }

        var found: [(position: Int, bases: [Basis])] = []
        func note(_ slot: Slot?, _ basis: Basis) {
            for position in slot?.positions ?? [] {
                if basis == .titleYearAuthor {
                    // Identifiers that differ tell two works with the same title apart.
                    let other = seen[position]
                    if let doi = digests.doi, other.doi != 0, doi != other.doi { continue }
                    if let pmid = digests.pmid, other.pmid != 0, pmid != other.pmid { continue }
                }
                if let existing = found.firstIndex(where: { $0.position == position }) {
                    found[existing].bases.append(basis)
                } else {
                    found.append((position, [basis]))
                }
            }
        }
        note(digests.doi.flatMap { slots[$0] }, .doi)
        note(digests.pmid.flatMap { slots[$0] }, .pmid)
        note(digests.pmcid.flatMap { slots[$0] }, .pmcid)
        note(digests.titleYearAuthor.flatMap { slots[$0] }, .titleYearAuthor)
        for (position, bases) in found {
            let other = seen[position]
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

        insert(keys.id, digests, inLibrary: false, index: index, location: location)
        return diagnostics
    }

    /// The digests of a record's keys.
    private struct Digests {
        var id: UInt64?
        var doi: UInt64?
        var pmid: UInt64?
        var pmcid: UInt64?
        var titleYearAuthor: UInt64?

        init(_ keys: Keys) {
            id = keys.id.map { DuplicateDetector.digest(.id, $0) }
            doi = keys.doi.map { DuplicateDetector.digest(.doi, $0) }
            pmid = keys.pmid.map { DuplicateDetector.digest(.pmid, $0) }
            pmcid = keys.pmcid.map { DuplicateDetector.digest(.pmcid, $0) }
            titleYearAuthor = keys.titleYearAuthor.map { DuplicateDetector.digest(.titleYearAuthor, $0) }
        }
    }

    private mutating func insert(
        _ id: String?, _ digests: Digests, inLibrary: Bool, index: Int, location: SourceLocation?
    ) {
        var entry = Seen(
            index: index, idStart: idBytes.count, idLength: -1, file: -1, line: 0, column: 0, doi: digests.doi ?? 0,
            pmid: digests.pmid ?? 0, inLibrary: inLibrary)
        if let id {
            idBytes.append(contentsOf: id.utf8)
            entry.idLength = Int32(clamping: idBytes.count - entry.idStart)
        }
        if let location {
            if let last = files.last, last == location.file {
                // The file of the record before (the usual case): no hashing of the path.
                entry.file = Int32(clamping: files.count - 1)
            } else if let known = fileIndexes[location.file] {
                entry.file = known
            } else {
                entry.file = Int32(clamping: files.count)
                fileIndexes[location.file] = entry.file
                files.append(location.file)
            }
            entry.line = Int32(clamping: location.line)
            entry.column = Int32(clamping: location.column)
        }
        let position = Int32(clamping: seen.count)
        seen.append(entry)
        if let digest = digests.id { slots[digest, default: Slot()].fill(position, inLibrary: inLibrary) }
        if let digest = digests.doi { slots[digest, default: Slot()].fill(position, inLibrary: inLibrary) }
        if let digest = digests.pmid { slots[digest, default: Slot()].fill(position, inLibrary: inLibrary) }
        if let digest = digests.pmcid { slots[digest, default: Slot()].fill(position, inLibrary: inLibrary) }
        if let digest = digests.titleYearAuthor {
            slots[digest, default: Slot()].fill(position, inLibrary: inLibrary)
        }
    }

    /// `the record at index 3 (id "mullan2010")`, with "library" for library records.
    private func name(_ seen: Seen) -> String {
        let idText = id(of: seen).map { " (id \"\($0)\")" } ?? ""
        return (seen.inLibrary ? "the library record at index " : "the record at index ") + "\(seen.index)" + idText
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
