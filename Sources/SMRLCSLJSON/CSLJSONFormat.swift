public import SMRLCore

/// CSL-JSON, the exchange format of Zotero, Mendeley, pandoc and every citeproc processor
/// (`csl-data.json` 1.0.2).
///
/// Reading: ``CSLJSONReader`` (arrays streamed item by item, single objects, one item per line, CSL 1.1
/// documents; CSL-YAML is not read). Writing: ``CSLJSONWriter``. The variable table is in ``CSLMapping``.
///
/// ## Library fields
/// CSL has no variables for the library's own fields, so they travel in `custom` (which CSL 1.0.2 provides for
/// exactly this), under one namespaced object so that other tools' custom keys never collide with them:
///
/// ```json
/// "custom": {"smrl": {"resourceType": "peer-reviewed-article", "domains": ["community-engagement"],
///   "topics": ["specialty-choice"], "professions": ["pharmacy"], "openAccess": true,
///   "description": "…", "subtitle": "…", "orcid": {"author": ["0000-0002-1825-0097", null]},
///   "extra": {"ris": {"M1": ["…"]}}}}
/// ```
///
/// Keys are the smrl-json property names. `custom.smrl` is authoritative. Reference managers (Zotero, Mendeley)
/// do not show `custom`, so the writer also lists the library fields as tags (`smrl:domain:community-engagement`,
/// see ``LibraryTags``) at the end of `categories` and `keyword`; turn that off with `csl-json.library-tags` =
/// `false`. The reader maps `smrl:` tags back only when there is no `custom.smrl`, and also accepts flat keys
/// (`"custom": {"domain": "…", "topics": […], "openAccess": true}`).
///
/// ## Keywords
/// `categories` (array) is the authoritative keyword list and is always written; `keyword` (one string) is
/// written beside it as a convenience, joined with `", "` (or `"; "` when a keyword holds a comma). See
/// ``CSLKeywords`` for how a lone `keyword` string is split.
public enum CSLJSONFormat {
    public static let descriptor = FormatDescriptor(
        name: "csl-json", aliases: ["csl", "csljson", "citeproc-json"],
        summary: "CSL-JSON 1.0.2 (Zotero, Mendeley, pandoc, citeproc); arrays, single items or one item per line",
        fileExtensions: ["json", "csljson", "ndjson", "jsonl"],
        makeReader: { reader, options in CSLJSONReader(reader: reader, options: options) },
        makeWriter: { options in CSLJSONWriter(options: options) },
        sniff: { sniff($0) })

    /// Keys that mark CSL-JSON (and that smrl-json, its neighbour among `.json` files, never uses).
    static let cslKeys: [String] = [
        "\"container-title\"", "\"date-parts\"", "\"citation-key\"", "\"title-short\"", "\"publisher-place\"",
        "\"collection-title\"", "\"non-dropping-particle\"", "\"dropping-particle\"", "\"container-title-short\"",
        "\"number-of-pages\"", "\"event-title\"", "\"author\"", "\"editor\"", "\"DOI\"", "\"URL\"", "\"ISSN\"",
        "\"ISBN\"", "\"page\"", "\"family\"",
    ]

    /// Keys that mark smrl-json.
    static let nativeKeys: [String] = [
        "\"authors\"", "\"containerTitle\"", "\"resourceType\"", "\"domains\"", "\"professions\"", "\"doi\"",
        "\"articleNumber\"", "\"publisherPlace\"",
    ]

    /// 0 when the input does not start like JSON; 85 when it holds CSL keys and no smrl-json keys; 10 otherwise.
    static func sniff(_ prefix: ArraySlice<UInt8>) -> Int {
        guard let first = prefix.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
            first == UInt8(ascii: "[") || first == UInt8(ascii: "{")
        else { return 0 }
        // On the bytes: a String search of each key went character by character through the whole prefix
        // (45 million instructions for the 27 keys, on every JSON input whose format is detected).
        let (csl, native) = prefix.withUnsafeBufferPointer { bytes in
            (cslKeyBytes.reduce(0) { $0 + (bytes.containsBytes($1) ? 1 : 0) },
             nativeKeyBytes.reduce(0) { $0 + (bytes.containsBytes($1) ? 1 : 0) })
        }
        if csl > 0 && native == 0 { return csl >= 2 ? 85 : 60 }
        if native > csl { return 0 }
        return 10
    }

    private static let cslKeyBytes = cslKeys.map { Array($0.utf8) }
    private static let nativeKeyBytes = nativeKeys.map { Array($0.utf8) }
}
