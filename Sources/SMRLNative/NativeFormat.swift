public import SMRLCore

/// The library's own formats: every ``Resource`` field, nothing lost, in the JSON form `Resource`'s `Codable`
/// conformance defines (keys exactly the `Resource.CodingKeys` names, in that order; a person is an object with
/// `family`, `given`, `particle`, `droppingParticle`, `suffix`, `literal`, `orcid`; dates are EDTF strings such
/// as `"2015-07"` or `"2019-21"`; nil values and empty lists omitted; `extra` is `{format: {field: [text]}}`).
///
/// - `smrl-json` (`.json`): a JSON array of record objects, written indented by two spaces per level (or on one
///   line when not pretty), ending with a line break. A single record object is read too.
/// - `smrl-ndjson` (`.ndjson`, `.jsonl`): one compact record object per line, for pipelines and streaming.
///
/// Both are read and written one record at a time, so memory does not grow with the feed. A bad record (JSON
/// syntax, an element that is no object, a value of the wrong type, an unknown key or item type) is reported with
/// its line:column and record index, and reading goes on with the next; values that cannot be mapped are kept in
/// `extra["smrl-json"]` so that a round trip keeps them. Codes: see ``DiagnosticCode/nativeWrongType`` and its
/// neighbours in NativeDiagnostics.swift.
///
/// A `type` that is not a CSL 1.0.2 type is a warning, not an error: the rest of the record is sound, so it is
/// read as `document` (or as the type a spelling variant such as `Article_Journal` names) and the original value
/// is kept in `extra["smrl-json"]["type"]`; `--strict` still refuses it. `Codable` rejects such a record outright.
///
/// Leniency on reading, beyond `Codable`: numbers are accepted (as written) for `id`, `volume`, `issue`,
/// `pages`, `articleNumber`, `edition`, `pmid`, the dates and `isbn` elements; `null` means absent everywhere;
/// a single string where a list is expected is read as a one-element list (with a warning).
public enum NativeFormat {
    public static let json = FormatDescriptor(
        name: "smrl-json", aliases: ["smrl"],
        summary: "smrl's own JSON: an array of resource records (lossless)", fileExtensions: ["json"],
        makeReader: { input, options in NativeReader(input: input, lines: false, options: options) },
        makeWriter: { options in NativeWriter(lines: false, options: options) },
        sniff: { sniffJSON($0) })

    public static let ndjson = FormatDescriptor(
        name: "smrl-ndjson", aliases: ["smrl-jsonl"],
        summary: "smrl's own JSON, one resource record per line (lossless, for pipelines)",
        fileExtensions: ["ndjson", "jsonl"],
        makeReader: { input, options in NativeReader(input: input, lines: true, options: options) },
        makeWriter: { options in NativeWriter(lines: true, options: options) },
        sniff: { sniffLines($0) })

    // MARK: Sniffing

    /// How sure we are that `prefix` is `smrl-json`: a JSON array or object whose member names are smrl's
    /// (`containerTitle`, `authors`, `issued` given as a string…) rather than CSL-JSON's (`container-title`,
    /// `author`, `issued` as a `date-parts` object).
    static func sniffJSON(_ prefix: ArraySlice<UInt8>) -> Int {
        let scan = PrefixScan(prefix)
        guard scan.opensWith != nil, scan.smrlKeys > scan.foreignKeys else { return 0 }
        if scan.looksLikeLines { return 20 }  // smrl-ndjson says 95
        if scan.opensWith == UInt8(ascii: "[") { return scan.foreignKeys == 0 ? 90 : 70 }
        return scan.foreignKeys == 0 ? 60 : 45
    }

    /// How sure we are that `prefix` is `smrl-ndjson`: a first line that is a complete smrl object, then a line
    /// break and `{`. A first line longer than the prefix is a possible ndjson record (the file extension
    /// decides).
    static func sniffLines(_ prefix: ArraySlice<UInt8>) -> Int {
        let scan = PrefixScan(prefix)
        guard scan.opensWith == UInt8(ascii: "{"), scan.smrlKeys > scan.foreignKeys else { return 0 }
        if scan.looksLikeLines { return 95 }
        if scan.firstValueOpen && !scan.sawNewlineInFirstValue { return 50 }
        return 0
    }
}

/// A light look at the first few KB of an input: which member names it uses and how its first value is laid
/// out. Not a parser: it only tracks strings and nesting.
struct PrefixScan {
    /// `[` or `{` when the input starts with one (after white space).
    var opensWith: UInt8?
    /// Member names only smrl-json uses (and `issued` with a string value).
    var smrlKeys = 0
    /// Member names of CSL-JSON or Zotero JSON (and `issued` with an object value).
    var foreignKeys = 0
    /// The first top-level value ended on its first line, followed by a line break and `{`.
    var looksLikeLines = false
    /// The first top-level value did not end within the prefix.
    var firstValueOpen = true
    /// A line break occurred before the first top-level value ended.
    var sawNewlineInFirstValue = false

    static let limit = 8192

    static let smrlNames: Set<String> = [
        "containerTitle", "containerTitleShort", "collectionTitle", "authors", "editors", "translators",
        "resourceType", "domains", "topics", "professions", "openAccess", "articleNumber", "publisherPlace",
        "droppingParticle", "subtitle", "pmcid",
    ]
    static let foreignNames: Set<String> = [
        "container-title", "container-title-short", "collection-title", "author", "editor", "translator",
        "date-parts", "DOI", "URL", "ISSN", "ISBN", "PMID", "PMCID", "page", "publisher-place",
        "non-dropping-particle", "dropping-particle", "citation-key", "title-short", "number-of-pages",
        "itemType", "creators", "journalAbbreviation", "publicationTitle", "firstName", "lastName",
    ]

    init(_ prefix: ArraySlice<UInt8>) {
        let bytes = prefix.prefix(Self.limit)
        var index = bytes.startIndex
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while index < bytes.endIndex, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "{") else {
            return
        }
        opensWith = bytes[index]
        var depth = 0
        var firstValueDone = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                // A string: find its end, then see whether a `:` follows (a member name).
                let start = index + 1
                var end = start
                var escaped = false
                while end < bytes.endIndex {
                    let inner = bytes[end]
                    if escaped {
                        escaped = false
                    } else if inner == UInt8(ascii: "\\") {
                        escaped = true
                    } else if inner == UInt8(ascii: "\"") {
                        break
                    }
                    end += 1
                }
                guard end < bytes.endIndex else { return }
                var after = end + 1
                while after < bytes.endIndex, isSpace(bytes[after]) { after += 1 }
                if after < bytes.endIndex, bytes[after] == UInt8(ascii: ":"), end - start <= 32 {
                    let name = String(decoding: bytes[start..<end], as: UTF8.self)
                    if name == "issued" || name == "accessed" {
                        var value = after + 1
                        while value < bytes.endIndex, isSpace(bytes[value]) { value += 1 }
                        if value < bytes.endIndex {
                            if bytes[value] == UInt8(ascii: "\"") { smrlKeys += 1 }
                            if bytes[value] == UInt8(ascii: "{") { foreignKeys += 1 }
                        }
                    } else if Self.smrlNames.contains(name) {
                        smrlKeys += 1
                    } else if Self.foreignNames.contains(name) {
                        foreignKeys += 1
                    }
                }
                index = end + 1
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 && !firstValueDone {
                    firstValueDone = true
                    firstValueOpen = false
                    if !sawNewlineInFirstValue && opensWith == UInt8(ascii: "{") {
                        // A complete one-line object: ndjson when a line break and `{` follow.
                        var next = index + 1
                        var newline = false
                        while next < bytes.endIndex, isSpace(bytes[next]) {
                            if bytes[next] == 0x0A { newline = true }
                            next += 1
                        }
                        looksLikeLines = newline && next < bytes.endIndex && bytes[next] == UInt8(ascii: "{")
                    }
                }
            case 0x0A:
                if !firstValueDone { sawNewlineInFirstValue = true }
            default:
                break
            }
            index += 1
        }
    }
}
