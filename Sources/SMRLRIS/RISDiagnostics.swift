public import SMRLCore

/// Diagnostic codes raised by the RIS and MEDLINE readers. Codes never change once released.
extension DiagnosticCode {
    /// Text that is neither a tag nor inside a record (a header such as `Record #3 of 18`, a numbering line).
    public static let risTextOutsideRecord: DiagnosticCode = "ris.text-outside-record"
    /// A record that ends at the next `TY` or at the end of the input, without an `ER` line.
    public static let risMissingEnd: DiagnosticCode = "ris.missing-end"
    /// A record whose first tag is not `TY`; it is read with the generic type.
    public static let risMissingType: DiagnosticCode = "ris.missing-type"
    /// An `ER` line with no record open.
    public static let risStrayEnd: DiagnosticCode = "ris.stray-end"
    /// A `TY` code that no RIS dialect defines; the record is kept with the generic type `document`.
    public static let risUnknownType: DiagnosticCode = "ris.unknown-type"
    /// A known alias or misspelling of a `TY` code (`JOURN`, `GRNT`, `Journal Article`), mapped to its code.
    public static let risTypeAlias: DiagnosticCode = "ris.type-alias"
    /// The input is MEDLINE/PubMed text (`PMID- `, `FAU - `), not RIS; it is read with the MEDLINE reader.
    public static let risMedlineInput: DiagnosticCode = "ris.medline-input"
    /// The input is Web of Science tagged text (`FN`, `PT J`), read with the Web of Science tag table.
    public static let risWebOfScienceInput: DiagnosticCode = "ris.wos-input"
    /// The input is an Ovid export (`<1. >` record markers, no `TY`), read with the Ovid tag table.
    public static let risOvidInput: DiagnosticCode = "ris.ovid-input"
    /// A second tag glued into a value line (`DO  - 10.1038/x   LK  - https://…`); the two were split.
    public static let risGluedTag: DiagnosticCode = "ris.glued-tag"
    /// A date that has none of the RIS date forms; kept as literal text.
    public static let risUnparsedDate: DiagnosticCode = "ris.unparsed-date"
    /// A keyword that starts like a library tag (`smrl:`) but names no library field or has a bad value.
    public static let risBadLibraryTag: DiagnosticCode = "ris.bad-library-tag"
    /// The input holds no record at all.
    public static let risNoRecords: DiagnosticCode = "ris.no-records"
    /// A `DO` value in which no DOI could be found; kept as an extra tag.
    public static let risInvalidDOI: DiagnosticCode = "ris.invalid-doi"
}
