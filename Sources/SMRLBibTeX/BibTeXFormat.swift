public import SMRLCore

/// The two flavours the writer produces. The reader accepts both in any mix.
public enum BibTeXDialect: String, Sendable, CaseIterable {
    /// Classic BibTeX: 7-bit ASCII output (Unicode written as LaTeX), plain.bst entry types, `year`/`month`,
    /// `journal`, `address`, `school`.
    case bibtex
    /// biblatex/biber: UTF-8 output, biblatex entry types, `date` (EDTF), `journaltitle`, `location`,
    /// `institution`, `eprint`.
    case biblatex
}

/// The BibTeX and BibLaTeX formats.
///
/// Reader settings (``ReaderOptions/settings``): `bibtex.crossref` = `resolve` (default) | `keep`.
/// Writer settings (``WriterOptions/settings``): `bibtex.keys` = `keep` (default: the record's id, else a generated
/// key) | `generate` (always generate).
public enum BibTeXFormat {
    public static let bibtex = FormatDescriptor(
        name: "bibtex", aliases: ["bib"],
        summary: "BibTeX (.bib; reads BibTeX and biblatex, writes 7-bit BibTeX for bibtex and plain.bst)",
        fileExtensions: ["bib", "bibtex"],
        makeReader: { reader, options in BibTeXReader(reader: reader, options: options) },
        makeWriter: { options in BibTeXWriter(dialect: .bibtex, options: options) },
        sniff: { sniff($0, dialect: .bibtex) })

    public static let biblatex = FormatDescriptor(
        name: "biblatex", aliases: ["biber"],
        summary: "BibLaTeX (.bib for biber; UTF-8, EDTF dates, journaltitle, location)",
        fileExtensions: ["bib", "biblatex"],
        makeReader: { reader, options in BibTeXReader(reader: reader, options: options) },
        makeWriter: { options in BibTeXWriter(dialect: .biblatex, options: options) },
        sniff: { sniff($0, dialect: .biblatex) })

    /// How sure we are that the first bytes of an input are BibTeX: an `@type{` or `@type(` at the start of a line,
    /// after any comment or blank lines. The biblatex descriptor answers higher only when biblatex-only fields or
    /// types appear, so a plain .bib is named `bibtex`.
    static func sniff(_ prefix: ArraySlice<UInt8>, dialect: BibTeXDialect) -> Int {
        var index = prefix.startIndex
        var atLineStart = true
        var found = false
        while index < prefix.endIndex {
            let byte = prefix[index]
            if byte == 0x0A || byte == 0x0D {
                atLineStart = true
            } else if atLineStart && (byte == 0x20 || byte == 0x09) {
                // leading spaces keep the line start
            } else if atLineStart && byte == UInt8(ascii: "@") {
                var probe = index + 1
                let nameStart = probe
                while probe < prefix.endIndex, BibTeXScanner.isLetter(prefix[probe]) { probe += 1 }
                let name = String(decoding: prefix[nameStart..<probe], as: UTF8.self).lowercased()
                while probe < prefix.endIndex, BibTeXScanner.isSpace(prefix[probe]) { probe += 1 }
                if !name.isEmpty, probe < prefix.endIndex,
                    prefix[probe] == UInt8(ascii: "{") || prefix[probe] == UInt8(ascii: "(")
                {
                    if BibTeXMapping.itemType(forEntryType: name, subtype: nil) != nil
                        || ["string", "comment", "preamble", "xdata"].contains(name)
                    {
                        found = true
                        break
                    }
                }
                atLineStart = false
            } else {
                atLineStart = false
            }
            index += 1
        }
        guard found else { return 0 }
        switch dialect {
        case .bibtex:
            return 80
        case .biblatex:
            // Searched on the bytes, in any ASCII letter case: a lower-cased copy searched character by character
            // cost about 15 million instructions on every .bib input.
            let text = String(decoding: prefix, as: UTF8.self)
            return biblatexMarkers.contains { text.containsASCIICaseInsensitive($0) } ? 85 : 0
        }
    }

    /// Fields and types only biblatex uses (lower case).
    static let biblatexMarkers: [StaticString] = [
        "journaltitle", "urldate", "langid", "@online", "@mvbook", "@thesis", "@report{", "eprinttype", "location =",
        "location=", "date =", "date=",
    ]
}
