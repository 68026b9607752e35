public import SMRLCore

/// Diagnostic codes raised by the BibTeX and BibLaTeX reader.
///
/// Every code is `bibtex.<kebab-name>` whichever dialect was read; the codes never change once released.
extension DiagnosticCode {
    /// Lines outside any entry look like an entry's fields (`title = {…},`): the entry's `@type{key,` line is
    /// missing, so the entry cannot be read. Reported once for the run of such lines; reading resumes at the next
    /// `@` that starts a line.
    public static let bibtexFieldsOutsideEntry: DiagnosticCode = "bibtex.fields-outside-entry"
    /// An entry could not be parsed (unexpected character, missing `=`, unterminated value). The entry is skipped
    /// and reading resumes at the next `@` that starts a line.
    public static let bibtexSyntaxError: DiagnosticCode = "bibtex.syntax-error"
    /// The input ended inside an entry; the fields read so far are kept.
    public static let bibtexUnterminatedEntry: DiagnosticCode = "bibtex.unterminated-entry"
    /// A field value opened a brace or a quote that was not closed before the next entry started.
    public static let bibtexUnbalancedBraces: DiagnosticCode = "bibtex.unbalanced-braces"
    /// Two fields followed each other without the separating comma; the reader accepted it.
    public static let bibtexMissingComma: DiagnosticCode = "bibtex.missing-comma"
    /// An entry opened with `{` closes with `)` or the other way round; it is read as closed.
    public static let bibtexMismatchedDelimiter: DiagnosticCode = "bibtex.mismatched-delimiter"
    /// An entry has no citation key.
    public static let bibtexMissingKey: DiagnosticCode = "bibtex.missing-key"
    /// A citation key was used by an earlier entry (compared without case, as BibTeX does).
    public static let bibtexDuplicateKey: DiagnosticCode = "bibtex.duplicate-key"
    /// A field appears twice in one entry; the first value is kept, as BibTeX and biber do.
    public static let bibtexDuplicateField: DiagnosticCode = "bibtex.duplicate-field"
    /// A bare word in a value names no `@string` and no month; it is read as empty, as BibTeX does.
    public static let bibtexUndefinedMacro: DiagnosticCode = "bibtex.undefined-macro"
    /// An entry type that neither BibTeX nor biblatex defines; read as a generic document.
    public static let bibtexUnknownType: DiagnosticCode = "bibtex.unknown-type"
    /// A `crossref` or `xdata` target was not found in the input; the entry is kept without inheritance.
    public static let bibtexCrossrefMissing: DiagnosticCode = "bibtex.crossref-missing"
    /// `crossref`/`xdata` references form a cycle; inheritance stops at the repeated entry.
    public static let bibtexCrossrefCycle: DiagnosticCode = "bibtex.crossref-cycle"
    /// A date, year or month that has no structured form; the text is kept.
    public static let bibtexInvalidDate: DiagnosticCode = "bibtex.invalid-date"
    /// A `doi` field that holds no DOI; the text is kept under `extra.bibtex.doi`.
    public static let bibtexInvalidDOI: DiagnosticCode = "bibtex.invalid-doi"
    /// A name list entry that could not be split by the BibTeX rules (too many commas, empty name).
    public static let bibtexInvalidName: DiagnosticCode = "bibtex.invalid-name"
    /// Fields disagree (`date` and `year`, `journal` and `journaltitle`); the preferred one wins and the other is kept
    /// in `extra.bibtex`.
    public static let bibtexConflictingFields: DiagnosticCode = "bibtex.conflicting-fields"
    /// An `@preamble` block was read; smrl has no place for it.
    public static let bibtexPreambleIgnored: DiagnosticCode = "bibtex.preamble-ignored"
}
