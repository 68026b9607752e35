public import SMRLCore
import SMRLBibTeX
import SMRLCSLJSON
import SMRLJATS
import SMRLNative
import SMRLRIS

extension FormatRegistry {
    /// Every format smrl ships, in the order `smrl formats` lists them.
    public static let builtIn = FormatRegistry([
        NativeFormat.json,
        NativeFormat.ndjson,
        RISFormat.descriptor,
        RISFormat.medline,
        BibTeXFormat.bibtex,
        BibTeXFormat.biblatex,
        CSLJSONFormat.descriptor,
        JATSFormat.descriptor,
    ])
}
