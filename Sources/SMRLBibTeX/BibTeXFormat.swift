public import SMRLCore

/// The BibTeX and BibLaTeX formats. Placeholder until the reader and writer land.
public enum BibTeXFormat {
    public static let bibtex = FormatDescriptor(
        name: "bibtex", summary: "BibTeX (not built yet)", fileExtensions: ["bib"], makeReader: nil, makeWriter: nil)
    public static let biblatex = FormatDescriptor(
        name: "biblatex", summary: "BibLaTeX (not built yet)", fileExtensions: ["bib"], makeReader: nil,
        makeWriter: nil)
}
