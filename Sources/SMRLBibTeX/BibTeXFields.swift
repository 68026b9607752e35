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

    /// The field whose name is these bytes exactly.
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        let table = BibFieldTable.shared
        let count = bytes.count
        guard count >= table.minLength, count <= table.maxLength else { return nil }
        var slot = BibFieldTable.slot(bytes)
        while true {
            let entry = table.slots[slot]
            if entry == 0 { return nil }
            if table.matches(Int(entry - 1), bytes), let field = BibField(rawValue: entry - 1) {
                self = field
                return
            }
            slot = (slot + 1) & (BibFieldTable.size - 1)
        }
    }
}

/// An open-addressing table of the ``BibField`` names (a quarter full, so a miss usually ends at its first slot).
final class BibFieldTable: Sendable {
    static let shared = BibFieldTable()
    static let size = 256

    /// Slot → raw value + 1 of the field there, 0 for an empty slot.
    let slots: [UInt8]
    /// The names' bytes, one after the other, and where each starts (`starts[raw] ..< starts[raw + 1]`).
    let bytes: [UInt8]
    let starts: [Int]
    let minLength: Int
    let maxLength: Int

    private init() {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var slots = [UInt8](repeating: 0, count: Self.size)
        for field in BibField.allCases {
            starts.append(bytes.count)
            let name = Array(field.name.utf8)
            bytes += name
            var slot = name.withUnsafeBufferPointer { Self.slot($0) }
            while slots[slot] != 0 { slot = (slot + 1) & (Self.size - 1) }
            slots[slot] = field.rawValue + 1
        }
        starts.append(bytes.count)
        let lengths = BibField.allCases.map { $0.name.utf8.count }
        self.slots = slots
        self.bytes = bytes
        self.starts = starts
        minLength = lengths.min() ?? 0
        maxLength = lengths.max() ?? 0
    }

    /// The home slot of a name.
    @inline(__always)
    static func slot(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        var hash = UInt32(truncatingIfNeeded: name.count)
        for byte in name { hash = hash &* 31 &+ UInt32(byte) }
        return Int((hash &* 0x9E37_79B1) >> 24) & (size - 1)
    }

    /// True when field `raw`'s name is `name`.
    @inline(__always)
    func matches(_ raw: Int, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[raw]
        guard starts[raw + 1] - start == name.count else { return false }
        return bytes.withUnsafeBufferPointer { bytes in
            for index in 0..<name.count where bytes[start + index] != name[index] { return false }
            return true
        }
    }
}
