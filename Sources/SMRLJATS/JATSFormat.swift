public import SMRLCore

/// JATS XML (Journal Article Tag Suite, NISO Z39.96; JATS 1.0–1.4 and NLM 2.3/3.0 read, JATS 1.3 Journal
/// Publishing written).
///
/// Reading: see ``JATSReader`` (settings `jats.content`, `jats.sub-articles`). Writing: see ``JATSWriter``
/// (setting `jats.shape`). Fields JATS has no element for travel as documented in the writer.
public enum JATSFormat {
    public static let descriptor = FormatDescriptor(
        name: "jats",
        aliases: ["jats-xml", "nlm", "pmc", "nxml"],
        summary: "JATS XML: articles, PMC article sets and reference lists (JATS 1.0-1.4, NLM 2.3/3.0); writes JATS 1.3",
        fileExtensions: ["xml", "nxml", "jats"],
        makeReader: { input, options in JATSReader(input: input, options: options) },
        makeWriter: { options in JATSWriter(options: options) },
        sniff: { sniff($0) })

    /// How sure the first bytes are JATS: 95 for a JATS/NLM DOCTYPE or a `<pmc-articleset>`, 85 for an
    /// `<article>` root with JATS attributes, 60 for a bare `<article>` or `<ref-list>` root, 0 otherwise.
    public static func sniff(_ prefix: ArraySlice<UInt8>) -> Int {
        let text = String(decoding: prefix.prefix(4096), as: UTF8.self)
        guard let root = rootElement(text) else { return 0 }
        let lower = text.lowercased()
        if lower.contains("<!doctype") && (lower.contains("jats") || lower.contains("//nlm//dtd")) { return 95 }
        switch root.name {
        case "pmc-articleset": return 95
        case "article":
            let attributes = root.rest
            if attributes.contains("dtd-version") || attributes.contains("article-type")
                || attributes.contains("xmlns:xlink") || attributes.contains("xmlns:mml") || attributes.contains("xmlns:ali")
            {
                return 85
            }
            return 60
        case "ref-list", "sub-article": return 60
        default: return 0
        }
    }

    /// The root element's name and the text after it, skipping the XML declaration, comments, processing
    /// instructions and the DOCTYPE.
    private static func rootElement(_ text: String) -> (name: String, rest: Substring)? {
        var rest = Substring(text)
        while true {
            rest = rest.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
            if rest.hasPrefix("<?") {
                guard let end = rest.firstRange(of: "?>") else { return nil }
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("<!--") {
                guard let end = rest.firstRange(of: "-->") else { return nil }
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("<!") {
                // DOCTYPE, possibly with an internal subset.
                var depth = 0
                var index = rest.startIndex
                while index < rest.endIndex {
                    let char = rest[index]
                    if char == "[" { depth += 1 }
                    if char == "]" { depth -= 1 }
                    if char == ">" && depth <= 0 { break }
                    index = rest.index(after: index)
                }
                guard index < rest.endIndex else { return nil }
                rest = rest[rest.index(after: index)...]
            } else if rest.hasPrefix("<") {
                let nameAndRest = rest.dropFirst()
                let name = nameAndRest.prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
                let local = name.split(separator: ":").last.map(String.init) ?? String(name)
                return (local, nameAndRest.dropFirst(name.count).prefix(2000))
            } else {
                return nil
            }
        }
    }
}
