public import SMRLCore

/// The ris format. Placeholder until its reader and writer land.
public enum RISFormat {
    public static let descriptor = FormatDescriptor(
        name: "ris", summary: "RIS (EndNote, Zotero, PubMed, Scopus, WoS exports) (not built yet)", fileExtensions: ["ris"], makeReader: nil, makeWriter: nil)
}
