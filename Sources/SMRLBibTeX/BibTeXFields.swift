/// The field names the mapping and the reader look up, each a byte: the reader gives every field the one its
/// (lowercased) name is, once, and lookups then compare bytes instead of hashing names.
///
/// The list only has to hold every name looked up by constant; a name not in it is found by comparing names.
enum BibField: UInt8, CaseIterable, Sendable {
    case abstract
    case address
    case author
    case authorAnOrcid
    case bdskUrl1
    case booktitle
    case crossref
    case date
    case day
    case doi
    case edition
    case editor
    case editorAnOrcid
    case eid
    case entrysubtype
    case eprint
    case eprinttype
    case eventtitle
    case fjournal
    case howpublished
    case hyphenation
    case institution
    case isbn
    case issn
    case issue
    case journal
    case journaltitle
    case keyword
    case keywords
    case langid
    case language
    case lastchecked
    case location
    case month
    case note
    case number
    case organization
    case pages
    case pmcid
    case pmid
    case publisher
    case pubstate
    case school
    case series
    case shortjournal
    case shorttitle
    case smrlDescription
    case smrlDomains
    case smrlId
    case smrlOpenAccess
    case smrlProfessions
    case smrlResourceType
    case smrlTopics
    case subtitle
    case tags
    case title
    case translator
    case translatorAnOrcid
    case url
    case urldate
    case volume
    case xdata
    case year

    /// The (lowercased) field name.
    var name: String {
        switch self {
        case .abstract: return "abstract"
        case .address: return "address"
        case .author: return "author"
        case .authorAnOrcid: return "author+an:orcid"
        case .bdskUrl1: return "bdsk-url-1"
        case .booktitle: return "booktitle"
        case .crossref: return "crossref"
        case .date: return "date"
        case .day: return "day"
        case .doi: return "doi"
        case .edition: return "edition"
        case .editor: return "editor"
        case .editorAnOrcid: return "editor+an:orcid"
        case .eid: return "eid"
        case .entrysubtype: return "entrysubtype"
        case .eprint: return "eprint"
        case .eprinttype: return "eprinttype"
        case .eventtitle: return "eventtitle"
        case .fjournal: return "fjournal"
        case .howpublished: return "howpublished"
        case .hyphenation: return "hyphenation"
        case .institution: return "institution"
        case .isbn: return "isbn"
        case .issn: return "issn"
        case .issue: return "issue"
        case .journal: return "journal"
        case .journaltitle: return "journaltitle"
        case .keyword: return "keyword"
        case .keywords: return "keywords"
        case .langid: return "langid"
        case .language: return "language"
        case .lastchecked: return "lastchecked"
        case .location: return "location"
        case .month: return "month"
        case .note: return "note"
        case .number: return "number"
        case .organization: return "organization"
        case .pages: return "pages"
        case .pmcid: return "pmcid"
        case .pmid: return "pmid"
        case .publisher: return "publisher"
        case .pubstate: return "pubstate"
        case .school: return "school"
        case .series: return "series"
        case .shortjournal: return "shortjournal"
        case .shorttitle: return "shorttitle"
        case .smrlDescription: return "smrl-description"
        case .smrlDomains: return "smrl-domains"
        case .smrlId: return "smrl-id"
        case .smrlOpenAccess: return "smrl-open-access"
        case .smrlProfessions: return "smrl-professions"
        case .smrlResourceType: return "smrl-resource-type"
        case .smrlTopics: return "smrl-topics"
        case .subtitle: return "subtitle"
        case .tags: return "tags"
        case .title: return "title"
        case .translator: return "translator"
        case .translatorAnOrcid: return "translator+an:orcid"
        case .url: return "url"
        case .urldate: return "urldate"
        case .volume: return "volume"
        case .xdata: return "xdata"
        case .year: return "year"
        }
    }

    /// The field with this (lowercased) name; nil for any other text (a capital letter included).
    init?(name: String) {
        var name = name
        guard let field = name.withUTF8({ BibField(bytes: $0) }) else { return nil }
        self = field
    }

    /// The field whose name is these bytes exactly: the bytes packed into three words (a name has at most 24
    /// bytes), hashed to a slot of ``BibFieldTable``, and compared there as words.
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        guard count >= BibFieldTable.minLength, count <= BibFieldTable.maxLength else { return nil }
        let key = BibFieldTable.pack(bytes)
        let table = BibFieldTable.table
        var slot = BibFieldTable.slot(key)
        while true {
            let entry = table.slots[slot]
            if entry == 0 { return nil }
            let raw = Int(entry - 1)
            if table.keys[raw] == key, let field = BibField(rawValue: entry - 1) {
                self = field
                return
            }
            slot = (slot + 1) & (BibFieldTable.size - 1)
        }
    }
}

/// An open-addressing table of the ``BibField`` names (a quarter full, so a miss usually ends at its first slot).
struct BibFieldTable: Sendable {
    /// A name packed: its bytes in three little-endian words (zeros after the end) and its length.
    struct Key: Equatable, Sendable {
        var words: (UInt64, UInt64, UInt64)
        var count: Int

        static func == (a: Key, b: Key) -> Bool {
            a.count == b.count && a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2
        }
    }

    static let table = BibFieldTable()
    static let size = 256
    /// The lengths a name may have (3 for `doi`; 24 is what a key holds): no other length is looked up.
    static let minLength = 3
    static let maxLength = 24

    /// Slot → raw value + 1 of the field there, 0 for an empty slot.
    let slots: [UInt8]
    /// Each field's key, by raw value.
    let keys: [Key]

    private init() {
        var slots = [UInt8](repeating: 0, count: Self.size)
        var keys: [Key] = []
        for field in BibField.allCases {
            let name = Array(field.name.utf8)
            precondition(name.count >= Self.minLength && name.count <= Self.maxLength, "BibField name length")
            let key = name.withUnsafeBufferPointer { Self.pack($0) }
            keys.append(key)
            var slot = Self.slot(key)
            while slots[slot] != 0 { slot = (slot + 1) & (Self.size - 1) }
            slots[slot] = field.rawValue + 1
        }
        self.slots = slots
        self.keys = keys
    }

    /// The key of a name of at most 24 bytes.
    @inline(__always)
    static func pack(_ name: UnsafeBufferPointer<UInt8>) -> Key {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        // The bytes copied over the three words at once: each word then holds its eight bytes from the lowest
        // (``packSlowly(_:)`` on a little-endian machine; the table is built by this function too, so a key
        // matches whatever the byte order).
        let count = Swift.min(name.count, 24)
        if count > 0, let base = name.baseAddress {
            withUnsafeMutableBytes(of: &words) { raw in
                raw.baseAddress?.copyMemory(from: base, byteCount: count)
            }
        }
        return Key(words: words, count: name.count)
    }

    /// The key as numbers: byte `i` in word `i / 8` at bit `8 * (i % 8)` (for names of at most 24 bytes, all
    /// that is looked up). The reference ``pack(_:)`` is tested against.
    static func packSlowly(_ name: UnsafeBufferPointer<UInt8>) -> Key {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for index in 0..<name.count {
            let shifted = UInt64(name[index]) << UInt64((index & 7) << 3)
            switch index >> 3 {
            case 0: words.0 |= shifted
            case 1: words.1 |= shifted
            default: words.2 |= shifted
            }
        }
        return Key(words: words, count: name.count)
    }

    /// The home slot of a key.
    @inline(__always)
    static func slot(_ key: Key) -> Int {
        let mixed = (key.words.0 ^ (key.words.1 &* 0x9E37_79B9_7F4A_7C15) ^ key.words.2 ^ UInt64(key.count))
            &* 0xBF58_476D_1CE4_E5B9
        return Int(mixed >> 56) & (size - 1)
    }
}
