public import SMRLCore

/// Diagnostic codes raised by the CSL-JSON reader. Codes never change once released.
///
/// JSON syntax errors keep the core's `json.syntax` code (``DiagnosticCode/jsonSyntax``); the element they concern
/// is skipped and the items around it are read.
extension DiagnosticCode {
    /// An element of the top-level array (or a line) that is not a JSON object, so not a CSL item.
    public static let cslNotAnItem: DiagnosticCode = "csl-json.not-an-item"
    /// An item without `type` (required by CSL); read as `document`.
    public static let cslMissingType: DiagnosticCode = "csl-json.missing-type"
    /// A `type` that CSL 1.0.2 does not define: mis-cased (`Article`), a CSL 1.1, Zotero, Crossref or BibTeX type
    /// name (`preprint`, `journalArticle`, `journal-article`), or unknown; read with the closest CSL 1.0.2 type.
    public static let cslUnknownType: DiagnosticCode = "csl-json.unknown-type"
    /// A key that is no CSL 1.0.2 variable; kept verbatim under `extra["csl-json"]` and written back into `custom`.
    public static let cslUnknownVariable: DiagnosticCode = "csl-json.unknown-variable"
    /// A variable spelled with another case or separator than CSL's (`url`, `doi`, `container_title`); read as the
    /// CSL variable.
    public static let cslMiscasedVariable: DiagnosticCode = "csl-json.miscased-variable"
    /// The same key twice in one item; the first is used, the second is ignored.
    public static let cslDuplicateVariable: DiagnosticCode = "csl-json.duplicate-variable"
    /// A value of another JSON type than the schema allows (a number for `title`, an object for `page`); read as
    /// well as possible.
    public static let cslWrongValueType: DiagnosticCode = "csl-json.wrong-value-type"
    /// A date with parts that make no calendar date (month 60, a non-numeric part) or text that no date parser
    /// understood; kept as far as it goes, and verbatim for the round trip.
    public static let cslInvalidDate: DiagnosticCode = "csl-json.invalid-date"
    /// A name that is not a CSL name object, is empty, or uses keys CSL 1.0.2 does not define (`isInstitution`).
    public static let cslInvalidName: DiagnosticCode = "csl-json.invalid-name"
    /// A Zotero "cheater syntax" line of `note` (`PMID: 123`, `original-date: 2012`) read as the variable it names.
    public static let cslNoteVariable: DiagnosticCode = "csl-json.note-variable"
    /// A library field in `custom` (or an `smrl:` tag in `categories`/`keyword`) with a value of the wrong shape.
    public static let cslInvalidLibraryField: DiagnosticCode = "csl-json.invalid-library-field"
    /// The input is a CSL 1.1 document (`{"version": 1.1, "references": [...]}`); its references are read.
    public static let cslVersion11Document: DiagnosticCode = "csl-json.csl-1.1-document"
}
