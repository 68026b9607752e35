public import SMRLCore

/// Codes raised by the JATS reader and writer (the XML layer's own are `xml.*`).
extension DiagnosticCode {
    /// The document's root is not a JATS `<article>`, `<pmc-articleset>` or `<ref-list>`; nothing was read.
    public static let jatsNotJATS: DiagnosticCode = "jats.not-jats"
    /// An article has no `<front>` or `<front-stub>`, so no record could be made from it.
    public static let jatsMissingFront: DiagnosticCode = "jats.missing-front"
    /// An article or reference has no title.
    public static let jatsMissingTitle: DiagnosticCode = "jats.missing-title"
    /// A `<ref>` holds no citation element (`element-citation`, `mixed-citation`, `citation`, `nlm-citation`).
    public static let jatsEmptyReference: DiagnosticCode = "jats.empty-reference"
    /// A citation has no tagged parts; its text was kept in the record's note.
    public static let jatsUnstructuredCitation: DiagnosticCode = "jats.unstructured-citation"
    /// A `publication-type` (or NLM `citation-type`) value smrl does not know; the item type was inferred.
    public static let jatsUnknownPublicationType: DiagnosticCode = "jats.unknown-publication-type"
    /// A date part (`year`, `month`, `season`, `iso-8601-date`) that could not be understood; kept as text.
    public static let jatsUnparsedDate: DiagnosticCode = "jats.unparsed-date"
    /// An identifier (`doi`, `pmid`, `pmcid`, ISSN, ORCID) with an unexpected shape; kept as given.
    public static let jatsMalformedIdentifier: DiagnosticCode = "jats.malformed-identifier"
    /// Sub-articles or responses were not read as records (setting `jats.sub-articles=skip`, the default).
    public static let jatsSubArticlesSkipped: DiagnosticCode = "jats.sub-articles-skipped"
    /// A reader setting has a value the reader does not know; the default was used.
    public static let jatsUnknownSetting: DiagnosticCode = "jats.unknown-setting"
}
