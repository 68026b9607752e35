/// Finds records that describe the same work, within a stream of records and against an existing library, so a
/// librarian sees which imported records the library already holds.
///
/// Two records are duplicates when they share a DOI (compared case-insensitively, resolver prefix ignored), a
/// PubMed id, a PubMed Central id, or the same normalised title, year and first author's family name (case,
/// accents, punctuation and markup ignored) without DOIs or PMIDs that tell them apart. Records with the same id
/// are reported separately (`duplicate.id`), since ids must be unique whatever the content.
///
/// Streaming: the detector keeps only the keys of the records it has seen and, per record, its index, id and
/// location, never the records themselves. Each duplicate is one warning on the later record that names the
/// earlier one (index and id in the message, its location as `related`): the first library record and the first
/// earlier input record with the same key, so a work both in the library and twice in the input gets both.
public struct DuplicateDetector: Sendable {
    /// What is kept of a record already seen.
    struct Seen: Sendable {
        var inLibrary: Bool
        var index: Int
        var id: String?
        var location: SourceLocation?
        var doi: String?
        var pmid: String?
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

    /// The first library record and the first input record with a key (positions in `seen`).
    struct Slot: Sendable {
        var library: Int?
        var input: Int?

        var positions: [Int] { [library, input].compactMap { $0 } }

        mutating func fill(_ position: Int, inLibrary: Bool) {
            if inLibrary {
                if library == nil { library = position }
            } else if input == nil {
                input = position
            }
        }
    }

    private var seen: [Seen] = []
    private var byID: [String: Slot] = [:]
    private var byDOI: [String: Slot] = [:]
    private var byPMID: [String: Slot] = [:]
    private var byPMCID: [String: Slot] = [:]
    private var byTitle: [String: Slot] = [:]

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
        insert(Self.keys(of: record), Seen(inLibrary: true, index: index, id: record.id, location: location))
    }

    /// Checks a record against the library and the records checked before it, then remembers it.
    /// - Returns: one `duplicate.id` warning per record with the same id, and one warning per earlier record
    ///   describing the same work, coded by the strongest shared key (DOI, PMID, PMCID, title-year-author).
    public mutating func check(
        _ record: Resource, index: Int, location: SourceLocation? = nil,
        fieldLocations: [String: SourceLocation] = [:]
    ) -> [Diagnostic] {
        let keys = Self.keys(of: record)
        var diagnostics: [Diagnostic] = []
        func warn(_ code: DiagnosticCode, _ message: String, field: String, other: Seen) {
            diagnostics.append(
                Diagnostic(
                    .warning, code, message, at: fieldLocations[field] ?? location, field: field,
                    related: other.location, recordIndex: index, recordID: record.id))
        }

        for position in keys.id.flatMap({ byID[$0] })?.positions ?? [] {
            let other = seen[position]
            warn(
                .duplicateID, "the id \"\(keys.id ?? "")\" is already used by \(Self.name(other))", field: "id",
                other: other)
        }

        var found: [(position: Int, bases: [Basis])] = []
        func note(_ slot: Slot?, _ basis: Basis) {
            for position in slot?.positions ?? [] {
                if basis == .titleYearAuthor {
                    // Identifiers that differ tell two works with the same title apart.
                    let other = seen[position]
                    if keys.doi != nil && other.doi != nil && keys.doi != other.doi { continue }
                    if keys.pmid != nil && other.pmid != nil && keys.pmid != other.pmid { continue }
                }
                if let existing = found.firstIndex(where: { $0.position == position }) {
                    found[existing].bases.append(basis)
                } else {
                    found.append((position, [basis]))
                }
            }
        }
        note(keys.doi.flatMap { byDOI[$0] }, .doi)
        note(keys.pmid.flatMap { byPMID[$0] }, .pmid)
        note(keys.pmcid.flatMap { byPMCID[$0] }, .pmcid)
        note(keys.titleYearAuthor.flatMap { byTitle[$0] }, .titleYearAuthor)
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
                strongest.code, "\(what): \(Self.name(other)) has the same " + shared.joined(separator: " and "),
                field: strongest.field, other: other)
        }

        insert(keys, Seen(inLibrary: false, index: index, id: record.id, location: location))
        return diagnostics
    }

    private mutating func insert(_ keys: Keys, _ entry: Seen) {
        var entry = entry
        entry.doi = keys.doi
        entry.pmid = keys.pmid
        let position = seen.count
        seen.append(entry)
        let library = entry.inLibrary
        if let key = keys.id { byID[key, default: Slot()].fill(position, inLibrary: library) }
        if let key = keys.doi { byDOI[key, default: Slot()].fill(position, inLibrary: library) }
        if let key = keys.pmid { byPMID[key, default: Slot()].fill(position, inLibrary: library) }
        if let key = keys.pmcid { byPMCID[key, default: Slot()].fill(position, inLibrary: library) }
        if let key = keys.titleYearAuthor { byTitle[key, default: Slot()].fill(position, inLibrary: library) }
    }

    /// `the record at index 3 (id "mullan2010")`, with "library" for library records.
    private static func name(_ seen: Seen) -> String {
        let idText = seen.id.map { " (id \"\($0)\")" } ?? ""
        return (seen.inLibrary ? "the library record at index " : "the record at index ") + "\(seen.index)" + idText
    }

    // MARK: Keys

    static func keys(of record: Resource) -> Keys {
        var keys = Keys()
        if let id = record.id?.trimmingSpaces, !id.isEmpty { keys.id = id }
        if let doi = record.doi {
            let bare = Validator.isWellFormedDOI(doi) ? doi : Identifiers.normalizeDOI(doi) ?? doi.trimmingSpaces
            if !bare.isEmpty { keys.doi = bare.lowercased() }
        }
        if let pmid = record.pmid {
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

    /// Lower case without accents, letters and digits only, words separated by one space.
    ///
    /// Works on Unicode scalars: ASCII is folded inline, the Latin, Latin Extended Additional and General
    /// Punctuation blocks through a table built once, anything else through the Unicode properties.
    static func foldForComparison(_ text: String) -> String {
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
