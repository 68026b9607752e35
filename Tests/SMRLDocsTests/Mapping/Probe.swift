import Foundation
import SMRLCore

/// Finds out where a writer puts each field, per item type, and what comes back when the output is read again,
/// by writing a record whose every field holds a value that can be recognised in the output.
///
/// This is how the mapping references describe the writing direction without a hand-kept table: they report
/// what the code does today.
struct Probe {
    /// One recognisable value per field. A field is found where a key's value contains one of `markers` (as a
    /// whole word when `word` is set), or, for `inKey`, where the key itself contains one.
    struct Marker {
        var field: String
        var markers: [String]
        var word = false
        var inKey = false
    }

    /// What one written key holds: its name as the mapping reference shows it, and its text.
    struct Entry: Hashable {
        var key: String
        var value: String
    }

    /// The outcome for one item type.
    struct TypeResult {
        var type: ItemType
        /// The format's own name for the type (`JOUR`, `@article`, `journal`), as the writer wrote it.
        var writtenType: String
        /// Field → keys it was found under.
        var keys: [String: [String]] = [:]
        /// Field → what the writer reported it could not carry (detail, or "" when none was given).
        var losses: [String: [String]] = [:]
        /// Fields that came back different after reading the output again, with both values.
        var changed: [String: (written: String, read: String)] = [:]
        /// Fields that came back equal.
        var kept: Set<String> = []
    }

    static let orcid = "0000-0002-1825-0097"

    /// The record every writer is given, for an item type.
    static func record(_ type: ItemType) -> Resource {
        var record = Resource(id: "probe-id", type: type)
        record.resourceType = "real-world-example"
        record.title = "Probetitle Alpha"
        record.subtitle = "Probesub Beta"
        record.shortTitle = "Probeshort Gamma"
        record.containerTitle = "Probecontainer Delta"
        record.containerTitleShort = "Probeabbrev Epsilon"
        record.collectionTitle = "Probeseries Zeta"
        record.authors = [Person(family: "Authorfamily", given: "Ann", orcid: orcid)]
        record.editors = [Person(family: "Editorfamily", given: "Ed")]
        record.translators = [Person(family: "Translatorfamily", given: "Tran")]
        record.issued = EDTFDate(year: 1987, month: 6, day: 15)
        record.accessed = EDTFDate(year: 2021, month: 3, day: 4)
        record.volume = "417"
        record.issue = "29"
        record.pages = "1123-1145"
        record.articleNumber = "e90210"
        record.edition = "13"
        record.publisher = "Probepublisher Eta"
        record.publisherPlace = "Probeplace Theta"
        record.event = "Probeevent Iota"
        record.doi = "10.5555/probe.8731"
        record.pmid = "31415926"
        record.pmcid = "PMC2718281"
        record.isbn = ["978-0-306-40615-7"]
        record.issn = ["0378-5955"]
        record.url = "https://example.org/probe-url"
        record.abstract = "Probeabstract Kappa"
        record.description = "Probedescription Lambda"
        record.keywords = ["Probekeyword Mu"]
        record.language = "haw"
        record.note = "Probenote Nu"
        record.domains = ["community-engagement"]
        record.topics = ["specialty-choice"]
        record.professions = ["pharmacy"]
        record.openAccess = true
        return record
    }

    /// The fields in the order of the record's JSON keys, with their markers.
    static let markers: [Marker] = [
        Marker(field: "id", markers: ["probe-id"]),
        Marker(field: "resourceType", markers: ["real-world-example"]),
        Marker(field: "title", markers: ["Probetitle"]),
        Marker(field: "subtitle", markers: ["Probesub"]),
        Marker(field: "shortTitle", markers: ["Probeshort"]),
        Marker(field: "containerTitle", markers: ["Probecontainer"]),
        Marker(field: "containerTitleShort", markers: ["Probeabbrev"]),
        Marker(field: "collectionTitle", markers: ["Probeseries"]),
        Marker(field: "authors", markers: ["Authorfamily"]),
        Marker(field: "authors[].orcid", markers: ["1825-0097"]),
        Marker(field: "editors", markers: ["Editorfamily"]),
        Marker(field: "translators", markers: ["Translatorfamily"]),
        Marker(field: "issued", markers: ["1987"], word: true),
        Marker(field: "accessed", markers: ["2021"], word: true),
        Marker(field: "volume", markers: ["417"], word: true),
        Marker(field: "issue", markers: ["29"], word: true),
        Marker(field: "pages", markers: ["1123", "1145"], word: true),
        Marker(field: "articleNumber", markers: ["e90210"], word: true),
        Marker(field: "edition", markers: ["13"], word: true),
        Marker(field: "publisher", markers: ["Probepublisher"]),
        Marker(field: "publisherPlace", markers: ["Probeplace"]),
        Marker(field: "event", markers: ["Probeevent"]),
        Marker(field: "doi", markers: ["probe.8731"]),
        Marker(field: "pmid", markers: ["31415926"]),
        Marker(field: "pmcid", markers: ["2718281"]),
        Marker(field: "isbn", markers: ["40615"]),
        Marker(field: "issn", markers: ["0378-5955"]),
        Marker(field: "url", markers: ["example.org/probe-url"]),
        Marker(field: "abstract", markers: ["Probeabstract"]),
        Marker(field: "description", markers: ["Probedescription"]),
        Marker(field: "keywords", markers: ["Probekeyword"]),
        Marker(field: "language", markers: ["haw"], word: true),
        Marker(field: "note", markers: ["Probenote"]),
        Marker(field: "domains", markers: ["community-engagement"]),
        Marker(field: "topics", markers: ["specialty-choice"]),
        Marker(field: "professions", markers: ["pharmacy"]),
        Marker(field: "openAccess", markers: ["open-access", "openAccess", "free_to_read"], inKey: true),
    ]

    /// The fields whose round trip is compared (every record key except `type` and `extra`).
    static let comparedFields = markers.map(\.field)

    /// Runs the probe for every item type.
    /// - Parameters:
    ///   - format: the format written and read back.
    ///   - settings: writer and reader settings (`jats.shape` = `collection`).
    ///   - extract: the keys of the written text, and the type as the format names it.
    static func run(
        _ format: FormatDescriptor, settings: [String: String] = [:],
        extract: (String) -> (type: String, entries: [Entry])
    ) throws -> [TypeResult] {
        var results: [TypeResult] = []
        for type in ItemType.allCases {
            let record = record(type)
            var writerOptions = WriterOptions()
            writerOptions.settings = settings
            guard let makeWriter = format.makeWriter, let makeReader = format.makeReader else { return [] }
            var writer = makeWriter(writerOptions)
            let sink = OutputSink.inMemory()
            try writer.begin(into: sink)
            let losses = try writer.write(record, into: sink)
            try writer.end(into: sink)
            try sink.commit()
            let text = String(decoding: sink.memory, as: UTF8.self)

            let (writtenType, entries) = extract(text)
            var result = TypeResult(type: type, writtenType: writtenType)
            for marker in markers {
                var keys: [String] = []
                for entry in entries where matches(entry, marker) && !keys.contains(entry.key) {
                    keys.append(entry.key)
                }
                if !keys.isEmpty { result.keys[marker.field] = keys }
            }
            for loss in losses {
                let orcid = loss.field.lowercased().contains("orcid") || (loss.detail ?? "").lowercased().contains("orcid")
                let field = orcid && loss.field.hasPrefix("authors") ? "authors[].orcid" : loss.field
                result.losses[field, default: []].append(loss.detail ?? "")
            }

            var readerOptions = ReaderOptions()
            readerOptions.settings = settings
            var reader = makeReader(ByteReader(text: text, fileName: "probe"), readerOptions)
            var read: Resource?
            while let next = try reader.next() {
                if let found = next.record { read = found; break }
            }
            let before = try fields(of: record)
            let after = try read.map(fields(of:)) ?? [:]
            for field in comparedFields {
                let a = before[field] ?? "—"
                let b = after[field] ?? "—"
                if a == b { result.kept.insert(field) } else { result.changed[field] = (a, b) }
            }
            if read?.type != type {
                result.changed["type"] = (type.rawValue, read?.type.rawValue ?? "—")
            } else {
                result.kept.insert("type")
            }
            results.append(result)
        }
        return results
    }

    static func matches(_ entry: Entry, _ marker: Marker) -> Bool {
        for text in marker.markers {
            if marker.inKey && entry.key.contains(text) { return true }
            if marker.word {
                if words(entry.value).contains(text) { return true }
            } else if entry.value.contains(text) {
                return true
            }
        }
        return false
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// Each field of a record as compact JSON text, for comparison.
    static func fields(of record: Resource) throws -> [String: String] {
        var withoutORCIDs = record
        for index in withoutORCIDs.authors.indices { withoutORCIDs.authors[index].orcid = nil }
        let data = try JSONEncoder().encode(withoutORCIDs)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object {
            let json = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
            result[key] = String(decoding: json, as: UTF8.self)
        }
        // The ORCID on its own, so that it can be told apart from the rest of the name.
        result["authors[].orcid"] = record.authors.map { $0.orcid ?? "—" }.joined(separator: ",")
        return result
    }
}
