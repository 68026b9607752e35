public import SMRLCore

/// The RIS format (EndNote, Zotero, Mendeley, RefWorks, Citavi, Scopus, Covidence, Rayyan, Cochrane… exports) and
/// MEDLINE/PubMed text.
///
/// - ``descriptor``: `ris`. Reads RIS and the look-alikes met under a `.ris` name (Ovid, Web of Science tagged,
///   MEDLINE, each announced by a diagnostic); writes spec RIS (``RISWriter``). Library fields travel as
///   `KW  - smrl:domain:<id>` style keywords (``LibraryTags``).
/// - ``medline``: `medline` (aliases `nbib`, `pubmed`), read only (``MEDLINEReader``).
public enum RISFormat {
    public static let descriptor = FormatDescriptor(
        name: "ris", aliases: ["refman"],
        summary: "RIS (EndNote, Zotero, Mendeley, RefWorks, Scopus, Ovid, Web of Science exports)",
        fileExtensions: ["ris"],
        makeReader: { reader, options in RISReader(reader: reader, options: options) },
        makeWriter: { options in RISWriter(options: options) },
        sniff: { prefix in sniffRIS(prefix) })

    public static let medline = FormatDescriptor(
        name: "medline", aliases: ["nbib", "pubmed"],
        summary: "MEDLINE/PubMed text (.nbib), read only",
        fileExtensions: ["nbib", "medline"],
        makeReader: { reader, options in MEDLINEReader(reader: reader, options: options) },
        makeWriter: nil,
        sniff: { prefix in sniffMEDLINE(prefix) })

    /// The first lines of an input, without their terminators (at most `limit`).
    static func lines(_ prefix: ArraySlice<UInt8>, limit: Int = 60) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = prefix.startIndex
        var index = start
        while index < prefix.endIndex, lines.count < limit {
            let byte = prefix[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(prefix[start..<index])
                if byte == 0x0D, index + 1 < prefix.endIndex, prefix[index + 1] == 0x0A { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < prefix.endIndex, lines.count < limit { lines.append(prefix[start..<prefix.endIndex]) }
        return lines.map { line in
            line.starts(with: [0xEF, 0xBB, 0xBF]) ? line.dropFirst(3) : line
        }
    }

    /// 90 for a `TY  - ` line, 60 for an Ovid or Web of Science export, 40 for other RIS-shaped tag lines,
    /// 0 for MEDLINE text (which ``medline`` claims) and anything else.
    static func sniffRIS(_ prefix: ArraySlice<UInt8>) -> Int {
        var tagLines = 0
        for line in lines(prefix) where !RISScanner.isBlank(line) {
            switch RISScanner.dialectEvidence(line) {
            case .medline?: return 0
            case .webOfScience?: return 60
            case .ovid?:
                if RISScanner.isOvidMarker(line) { return 60 }
                tagLines += 1
            case .ris?:
                if RISScanner.risTag(line)?.tag == "TY" { return 90 }
                tagLines += 1
            case nil:
                continue
            }
        }
        return tagLines >= 2 ? 40 : 0
    }

    /// 95 when the first tag line is a MEDLINE tag of three or four characters (`PMID- `, `OWN - ` of ERIC),
    /// else 0.
    static func sniffMEDLINE(_ prefix: ArraySlice<UInt8>) -> Int {
        for line in lines(prefix) where !RISScanner.isBlank(line) {
            if let tag = RISScanner.medlineTag(line), tag.tag.count >= 3 { return 95 }
            if RISScanner.risTag(line) != nil || RISScanner.medlineTag(line) != nil { return 0 }
        }
        return 0
    }
}
