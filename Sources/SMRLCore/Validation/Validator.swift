#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the validator requires of a record.
public enum ValidationProfile: String, Sendable, Hashable, CaseIterable, Codable {
    /// Checks what is present (the default): vocabulary values, identifiers, dates.
    case citation
    /// Also requires what the library needs to file a record: a title, a year, a resource type, at least one
    /// domain and at least one topic.
    case library
}

/// Checks one record at a time against the vocabularies, the identifier rules and a profile, and normalises what
/// it safely can.
///
/// Always applied (each reported as a note or warning): labels and variants of vocabulary terms rewritten to
/// canonical ids, combined values split, repeated terms and blank values removed, mojibake repaired, identifiers
/// put in their stored form (DOI without resolver, `PMC` prefix, ISSN hyphen, bare ORCID).
///
/// Applied only with `fix`: legacy Action Areas replaced by their replacement domain(s), and terms found in the
/// wrong field moved to their own field; each change is reported.
///
/// Every diagnostic carries the record's index and id, the field (a ``Resource`` key), and the location of the
/// field when the reader gave one: `fieldLocations["domains[2]"]`, else `fieldLocations["domains"]`, else the
/// record's location. The codes are listed in ``DiagnosticCode/validationCodes``. Duplicates are found by
/// ``DuplicateDetector``, which needs to see the whole stream.
public struct Validator: Sendable {
    /// The vocabularies values are checked against.
    public var vocabulary: Vocabulary
    /// What a record must have.
    public var profile: ValidationProfile
    /// Rewrite legacy Action Areas and misplaced terms (variants are normalised regardless).
    public var fix: Bool
    /// The current year (UTC), for year plausibility.
    let currentYear: Int

    /// A validator; the current year (UTC) is read once, here.
    public init(vocabulary: Vocabulary = .bundled, profile: ValidationProfile = .citation, fix: Bool = false) {
        self.vocabulary = vocabulary
        self.profile = profile
        self.fix = fix
        currentYear = Self.currentUTCYear()
    }

    /// The current year in UTC, from the system clock (proleptic Gregorian calendar).
    static func currentUTCYear() -> Int {
        let days = Int(time(nil)) / 86_400
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), keeping only the year.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Checks a record, normalises it in place, and returns what was found.
    /// - Parameters:
    ///   - index: the record's 0-based index in its input.
    ///   - location: where the record starts, when known.
    ///   - fieldLocations: where fields start, keyed by ``Resource`` key (or `key[n]` for one element of a list).
    public func validate(
        _ record: inout Resource, index: Int, location: SourceLocation? = nil,
        fieldLocations: [String: SourceLocation] = [:]
    ) -> [Diagnostic] {
        validate(&record, index: index, location: location, fieldLocationList: FieldLocationList(fieldLocations))
    }

    /// ``validate(_:index:location:fieldLocations:)`` with the field locations as a list (as readers give them).
    public func validate(
        _ record: inout Resource, index: Int, location: SourceLocation? = nil, fieldLocationList fieldLocations: FieldLocationList
    ) -> [Diagnostic] {
        var report = Report(
            recordIndex: index, recordID: record.id, location: location, fieldLocations: fieldLocations)
        checkLibraryFields(&record, &report)
        checkIdentifiers(&record, &report)
        checkPeople(&record, &report)
        checkDates(record, &report)
        if profile == .library { checkRequired(record, &report) }
        return report.diagnostics
    }

    // MARK: Required fields

    private func checkRequired(_ record: Resource, _ report: inout Report) {
        if (record.title ?? "").trimmingSpaces.isEmpty {
            report.add(.error, .recordMissingTitle, "the record has no title", field: "title")
        }
        // A web page often has no publication date; citation practice then gives the date it was read, so its
        // access year counts for the library profile.
        let undatedOnline = [ItemType.webpage, .post, .postWeblog].contains(record.type) && record.accessed?.year != nil
        if record.issued?.year == nil && !undatedOnline {
            let detail = record.issued.map { " (the date \"\($0)\" has no year)" } ?? ""
            report.add(.error, .recordMissingYear, "the record has no year of publication" + detail, field: "issued")
        }
        if record.resourceType == nil {
            report.add(.error, .recordMissingResourceType, "the record has no resource type", field: "resourceType")
        }
        if record.domains.isEmpty {
            report.add(.error, .recordMissingDomain, "the record has no Social Mission Domain", field: "domains")
        }
        if record.topics.isEmpty {
            report.add(.error, .recordMissingTopic, "the record has no Social Mission Topic", field: "topics")
        }
    }

    // MARK: People

    private func checkPeople(_ record: inout Resource, _ report: inout Report) {
        record.authors = checkPeople(record.authors, field: "authors", role: "author", &report)
        record.editors = checkPeople(record.editors, field: "editors", role: "editor", &report)
        record.translators = checkPeople(record.translators, field: "translators", role: "translator", &report)
    }

    private func checkPeople(_ people: [Person], field: String, role: String, _ report: inout Report) -> [Person] {
        var people = people
        for position in people.indices {
            // No copy of the person for the common case: a name and no ORCID, or a canonical one.
            if people[position].isEmpty {
                report.add(
                    .warning, .recordEmptyPerson, "\(role) \(position + 1) has no name", field: field,
                    element: position)
            }
            guard let raw = people[position].orcid else { continue }
            if Self.isCanonicalWithRightCheckDigit(raw, groups: 4) { continue }
            let person = people[position]
            let name = person.isEmpty ? "\(role) \(position + 1)" : "\(role) \(person.displayName)"
            guard let orcid = Identifiers.normalizeORCID(raw) else {
                report.add(
                    .error, .identifierInvalidORCID,
                    "ORCID \"\(raw)\" of \(name) is not 16 digits (the last may be X) in the form 0000-0000-0000-0000",
                    field: field, element: position)
                continue
            }
            guard Identifiers.isValidORCID(orcid) else {
                report.add(
                    .error, .identifierInvalidORCID, "ORCID \"\(raw)\" of \(name) has a wrong check digit",
                    field: field, element: position)
                continue
            }
            if orcid != raw {
                people[position].orcid = orcid
                report.add(
                    .note, .identifierNormalised, "ORCID \"\(raw)\" of \(name) normalised to \(orcid)", field: field,
                    element: position, suggestion: orcid)
            }
        }
        return people
    }

    // MARK: Dates

    private func checkDates(_ record: Resource, _ report: inout Report) {
        if let issued = record.issued { checkDate(issued, field: "issued", latest: currentYear + 2, &report) }
        if let accessed = record.accessed { checkDate(accessed, field: "accessed", latest: currentYear, &report) }
    }

    private func checkDate(_ date: EDTFDate, field: String, latest: Int, _ report: inout Report) {
        // The start, else the end (no array of the two per date).
        if let year = date.start?.year, year < 1450 || year > latest {
            reportImplausible(year, field: field, latest: latest, &report)
        } else if let year = date.end?.year, year < 1450 || year > latest {
            reportImplausible(year, field: field, latest: latest, &report)
        }
        if let start = date.start, let end = date.end, Self.sortKey(end) < Self.sortKey(start) {
            report.add(.warning, .dateInvalidRange, "\(field) range \(date) ends before it starts", field: field)
        }
    }

    private func reportImplausible(_ year: Int, field: String, latest: Int, _ report: inout Report) {
        let why = year < 1450 ? "before 1450" : "after \(latest)"
        report.add(.warning, .dateImplausibleYear, "\(field) year \(year) is implausible (\(why))", field: field)
    }

    /// Year, month, day for ordering; a season counts as the month it starts in, a missing part as the earliest.
    private static func sortKey(_ point: EDTFDate.Point) -> (Int, Int, Int) {
        var month = point.month ?? 0
        if let season = point.season, (1...4).contains(season) { month = season * 3 }
        return (point.year, month, point.day ?? 0)
    }
}

/// The diagnostics of one record, with the record's identity and locations filled in.
struct Report {
    let recordIndex: Int
    let recordID: String?
    let location: SourceLocation?
    let fieldLocations: FieldLocationList
    var diagnostics: [Diagnostic] = []

    mutating func add(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, field: String, element: Int? = nil,
        suggestion: String? = nil
    ) {
        let at = element.flatMap { fieldLocations["\(field)[\($0)]"] } ?? fieldLocations[field] ?? location
        diagnostics.append(
            Diagnostic(
                severity, code, message, at: at, field: field, suggestion: suggestion, recordIndex: recordIndex,
                recordID: recordID))
    }
}
