/// Codes raised by ``Validator`` and ``DuplicateDetector``. Each names its severity; "per enforcement" means the
/// `enforcement` of the vocabulary in the vocabulary file (`error` for domains and topics, `warning` for
/// professions and resource types in the bundled file).
extension DiagnosticCode {
    // MARK: Vocabulary

    /// A domain that is in no vocabulary (error per enforcement). `suggestion` holds the closest domain id, when
    /// one is close. The value is kept as given.
    public static let vocabularyUnknownDomain: DiagnosticCode = "vocabulary.unknown-domain"
    /// A topic that is in no vocabulary (error per enforcement), with the closest topic as `suggestion`.
    public static let vocabularyUnknownTopic: DiagnosticCode = "vocabulary.unknown-topic"
    /// A health profession that is not in the vocabulary (warning per enforcement: the list is open), with the
    /// closest profession as `suggestion`.
    public static let vocabularyUnknownProfession: DiagnosticCode = "vocabulary.unknown-profession"
    /// A resource type that is not in the vocabulary, or a value naming several (warning per enforcement), with
    /// the closest type as `suggestion`.
    public static let vocabularyUnknownResourceType: DiagnosticCode = "vocabulary.unknown-resource-type"
    /// A legacy Action Area given as a domain or topic (warning). The message names the replacement domain(s) and
    /// the crosswalk's confidence; `suggestion` holds the replacement ids joined by `, `. Without the fix option
    /// the value is normalised to the Action Area's id; with it, it is replaced by its replacement(s) (and moved
    /// to their field), which the message states.
    public static let vocabularyLegacyActionArea: DiagnosticCode = "vocabulary.legacy-action-area"
    /// A term of another vocabulary in a field (a topic among the domains, a domain among the professions):
    /// the field's unknown-value severity; with the fix option it is moved to its own field and this is a
    /// warning that says so. `suggestion` holds the term's id.
    public static let vocabularyMisplacedTerm: DiagnosticCode = "vocabulary.misplaced-term"
    /// A label, variant or differently written id (`Students & Faculty`) that was rewritten to the canonical id
    /// (`students-faculty`) (note). Always applied.
    public static let vocabularyVariantNormalised: DiagnosticCode = "vocabulary.variant-normalised"
    /// One value that named several terms (`Curriculum & Programming, Students & Faculty`) and was split into
    /// their ids (note). Always applied; parts that name no term are reported as unknown.
    public static let vocabularyCombinedValueSplit: DiagnosticCode = "vocabulary.combined-value-split"
    /// The same term twice in one field, once normalised (note). The repeat is removed.
    public static let vocabularyDuplicateTerm: DiagnosticCode = "vocabulary.duplicate-term"
    /// An empty or blank vocabulary value (warning). It is removed.
    public static let vocabularyEmptyValue: DiagnosticCode = "vocabulary.empty-value"
    /// A vocabulary value carrying mojibake (`Â` before a non-breaking space, UTF-8 read as Windows-1252),
    /// repaired before matching (warning: the source's encoding is damaged).
    public static let vocabularyMojibakeRepaired: DiagnosticCode = "vocabulary.mojibake-repaired"

    // MARK: Required fields (library profile)

    /// No title (error, `library` profile).
    public static let recordMissingTitle: DiagnosticCode = "record.missing-title"
    /// No year of publication: no `issued` date, or one without a year such as `in press` (error, `library`
    /// profile).
    public static let recordMissingYear: DiagnosticCode = "record.missing-year"
    /// No library resource type (error, `library` profile).
    public static let recordMissingResourceType: DiagnosticCode = "record.missing-resource-type"
    /// No Social Mission Domain (error, `library` profile).
    public static let recordMissingDomain: DiagnosticCode = "record.missing-domain"
    /// No Social Mission Topic (error, `library` profile).
    public static let recordMissingTopic: DiagnosticCode = "record.missing-topic"
    /// An author, editor or translator with no name at all (warning).
    public static let recordEmptyPerson: DiagnosticCode = "record.empty-person"

    // MARK: Identifiers

    /// A DOI that is not `10.` + a registrant code of at least four digits (dot-separated) + `/` + a suffix
    /// without spaces, even after removing a resolver prefix (error).
    public static let identifierInvalidDOI: DiagnosticCode = "identifier.invalid-doi"
    /// A shortDOI alias (`10/b4mz6g`) where the full DOI belongs (warning). It resolves through doi.org but is
    /// no DOI of the work; the value is kept as given.
    public static let identifierShortDOI: DiagnosticCode = "identifier.short-doi"
    /// An ISSN without the `NNNN-NNNC` shape or with a wrong check digit (error).
    public static let identifierInvalidISSN: DiagnosticCode = "identifier.invalid-issn"
    /// An ISBN that is neither an ISBN-10 nor an ISBN-13 (`978`/`979`), or whose check digit is wrong (error).
    public static let identifierInvalidISBN: DiagnosticCode = "identifier.invalid-isbn"
    /// An ORCID iD of a person without the 16-character shape or with a wrong ISO 7064 check digit (error).
    public static let identifierInvalidORCID: DiagnosticCode = "identifier.invalid-orcid"
    /// A PubMed id that is not 1 to 9 digits (error).
    public static let identifierInvalidPMID: DiagnosticCode = "identifier.invalid-pmid"
    /// A PubMed Central id that is not `PMC` + 1 to 10 digits (error).
    public static let identifierInvalidPMCID: DiagnosticCode = "identifier.invalid-pmcid"
    /// A URL that is not `scheme:` + text without spaces (with a host for http, https and ftp) (error).
    public static let identifierInvalidURL: DiagnosticCode = "identifier.invalid-url"
    /// An identifier rewritten to its stored form (note): a DOI without its resolver prefix, an ISSN with its
    /// hyphen, a PMCID with its `PMC` prefix, a bare ORCID, a PMID or ISBN without its label, a URL without
    /// surrounding spaces, one ISSN or ISBN value holding several split into one element each. Always applied.
    public static let identifierNormalised: DiagnosticCode = "identifier.normalised"

    // MARK: Dates

    /// A year before 1450 or more than two years after the current year in `issued`, or after the current
    /// year in `accessed` (warning).
    public static let dateImplausibleYear: DiagnosticCode = "date.implausible-year"
    /// A date interval whose end is before its start (warning).
    public static let dateInvalidRange: DiagnosticCode = "date.invalid-range"

    // MARK: Duplicates (DuplicateDetector)

    /// Two records with the same id, in the feed or in the feed and the library (warning).
    public static let duplicateID: DiagnosticCode = "duplicate.id"
    /// Two records with the same DOI, compared case-insensitively (warning; `related` is the other record).
    public static let duplicateDOI: DiagnosticCode = "duplicate.doi"
    /// Two records with the same PubMed id (warning).
    public static let duplicatePMID: DiagnosticCode = "duplicate.pmid"
    /// Two records with the same PubMed Central id (warning).
    public static let duplicatePMCID: DiagnosticCode = "duplicate.pmcid"
    /// Two records with the same normalised title (case, accents, punctuation and markup ignored), year and
    /// first author's family name, and no identifier that tells them apart (warning).
    public static let duplicateTitleYearAuthor: DiagnosticCode = "duplicate.title-year-author"

    /// Every code the validator and the duplicate detector can raise, in documentation order.
    public static let validationCodes: [DiagnosticCode] = [
        vocabularyUnknownDomain, vocabularyUnknownTopic, vocabularyUnknownProfession, vocabularyUnknownResourceType,
        vocabularyLegacyActionArea, vocabularyMisplacedTerm, vocabularyVariantNormalised,
        vocabularyCombinedValueSplit, vocabularyDuplicateTerm, vocabularyEmptyValue, vocabularyMojibakeRepaired,
        recordMissingTitle, recordMissingYear, recordMissingResourceType, recordMissingDomain, recordMissingTopic,
        recordEmptyPerson,
        identifierInvalidDOI, identifierShortDOI, identifierInvalidISSN, identifierInvalidISBN, identifierInvalidORCID,
        identifierInvalidPMID, identifierInvalidPMCID, identifierInvalidURL, identifierNormalised,
        dateImplausibleYear, dateInvalidRange,
        duplicateID, duplicateDOI, duplicatePMID, duplicatePMCID, duplicateTitleYearAuthor,
    ]
}
