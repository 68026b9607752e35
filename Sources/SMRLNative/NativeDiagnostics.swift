public import SMRLCore

/// Codes raised by the `smrl-json` and `smrl-ndjson` readers. Both formats hold the same record objects, so they
/// share one set of codes (area `smrl-json`). JSON that is not well-formed is reported with the core's
/// `json.syntax`, nesting and size limits with `input.nesting-too-deep` and `input.record-too-large`.
extension DiagnosticCode {
    /// A record (an element of the top-level array, or a line) is not a JSON object. Error; nothing is read.
    public static let nativeNotAnObject: DiagnosticCode = "smrl-json.not-an-object"
    /// A member's value has the wrong JSON type (a number for `title`, a string for `authors`). Error; the value
    /// is kept verbatim in `extra["smrl-json"]` under the member's path (`title`, `authors[2]`,
    /// `authors[0].family`), and the rest of the record is read.
    public static let nativeWrongType: DiagnosticCode = "smrl-json.wrong-type"
    /// A member the schema does not know (a misspelt key, a key of another format). Warning; the value is kept
    /// in `extra["smrl-json"][key]` as its JSON text, so it is written back.
    public static let nativeUnknownKey: DiagnosticCode = "smrl-json.unknown-key"
    /// `type` is not a CSL 1.0.2 item type. Warning: a spelling variant (`Article_Journal`) is read as the type it
    /// names; anything else is read as `document` and the original value kept in `extra["smrl-json"]["type"]`.
    public static let nativeUnknownItemType: DiagnosticCode = "smrl-json.unknown-item-type"
    /// A list field (`keywords`, `domains`…) holds a single string; it is read as a one-element list. Warning.
    public static let nativeNotAList: DiagnosticCode = "smrl-json.not-a-list"
    /// The same key appears twice in one object; the later value replaces the earlier one (two `extra`
    /// objects are merged). Warning.
    public static let nativeDuplicateKey: DiagnosticCode = "smrl-json.duplicate-key"
}
