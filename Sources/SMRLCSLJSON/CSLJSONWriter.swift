public import SMRLCore

/// Writes CSL-JSON that validates against `csl-data.json` 1.0.2, one item per record as it comes (streaming):
/// `[`, the items, `]`; or, with `csl-json.lines` = `true`, one compact item per line and no brackets.
///
/// Settings (``WriterOptions/settings``):
/// - `csl-json.lines` = `true` | `false` (default): one item per line (NDJSON) for pipelines.
/// - `csl-json.library-tags` = `true` (default) | `false`: also list the library fields as `smrl:` tags in
///   `categories` and `keyword` (see ``LibraryTags``), for reference managers that show keywords but not `custom`.
/// - `csl-json.foreign-extra` = `true` (default) | `false`: carry other formats' `extra` in `custom.smrl.extra`
///   (so smrl → CSL → smrl is lossless); with `false` they are dropped and reported as ``Loss``es.
///
/// ``WriterOptions/pretty`` indents the output; otherwise each item is compact.
///
/// Every item gets an `id`: the record's own, else one made from the first author's family name, the year and
/// the first word of the title (`smith2020novel`, `-2`, `-3` … when such an id was already made in this run).
public struct CSLJSONWriter: RecordWriter {
    private var output: JSONOutput
    private let lines: Bool
    private let libraryTags: Bool
    private let foreignExtra: Bool
    /// Writes each item straight into `output` (reused from item to item).
    private var encoder: CSLItemEncoder
    /// Digests of the ids made for items without one (flat memory: see ``DigestMap``; a digest shared by two ids
    /// would only cost the second a needless counter).
    private let generatedIDs = DigestMap()

    public init(options: WriterOptions = WriterOptions()) {
        func flag(_ name: String, default value: Bool) -> Bool {
            switch options.settings[name]?.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default: return value
            }
        }
        lines = flag("csl-json.lines", default: false)
        libraryTags = flag("csl-json.library-tags", default: true)
        foreignExtra = flag("csl-json.foreign-extra", default: true)
        output = JSONOutput(indent: options.pretty && !lines ? 2 : 0, reserving: 1 << 14)
        encoder = CSLItemEncoder(libraryTags: libraryTags, foreignExtra: foreignExtra)
    }

    public mutating func begin(into sink: OutputSink) throws {
        guard !lines else { return }
        output.beginArray()
        output.flush(into: sink)
    }

    public mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
        let id = record.id.flatMap { $0.isEmpty ? nil : $0 } ?? makeID(for: record)
        // With lines, `output` is compact and opened no array: each item is a value of its own at the top level.
        encoder.encode(record, id: id, into: &output)
        if lines { output.raw(0x0A) }
        output.flush(into: sink)
        return encoder.losses
    }

    public mutating func end(into sink: OutputSink) throws {
        guard !lines else { return }
        output.endArray()
        output.raw(0x0A)
        output.flush(into: sink)
    }

    /// A stable id for a record without one: `family` + `year` + first title word, lower case.
    private mutating func makeID(for record: Resource) -> String {
        var base = CSLItemIDs.make(for: record)
        if generatedIDs.contains(DigestMap.digest(base)) {
            var counter = 2
            while generatedIDs.contains(DigestMap.digest(base + "-\(counter)")) { counter += 1 }
            base += "-\(counter)"
        }
        generatedIDs.insert(DigestMap.digest(base), value: 0)
        return base
    }
}

/// Ids made for items that have none.
enum CSLItemIDs {
    private static let stopWords: Set<String> = [
        "a", "an", "the", "of", "on", "in", "and", "for", "to", "with", "at", "by", "from", "is", "are", "der", "die",
        "das", "le", "la", "les", "el", "los", "un", "une",
    ]

    static func make(for record: Resource) -> String {
        let person = (record.authors + record.editors + record.translators).first
        let name = person?.family ?? person?.literal?.split(separator: " ").first.map(String.init) ?? ""
        let year = record.issued?.year.map(String.init) ?? ""
        let words = RichText.plainText(record.fullTitle ?? "").split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        let word = words.first { !stopWords.contains($0.lowercased()) }.map(String.init) ?? ""
        let id = slug(name) + year + slug(word)
        if !id.isEmpty && !(id.first?.isNumber ?? false) { return id }
        if !id.isEmpty { return "item" + id }
        // Nothing to build from: a hash of the record's text.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(record.type.rawValue)|\(record.fullTitle ?? "")|\(record.url ?? "")|\(record.doi ?? "")".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "item-" + String(hash, radix: 36)
    }

    private static func slug(_ text: String) -> String {
        String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter {
            $0.properties.isAlphabetic || ("0"..."9").contains($0)
        }))
    }
}
