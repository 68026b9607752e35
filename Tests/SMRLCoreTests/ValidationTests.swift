import Foundation
import SMRLCore
import Testing

/// Runs the validator on a copy of `record`.
func validated(
    _ record: Resource, profile: ValidationProfile = .citation, fix: Bool = false,
    location: SMRLCore.SourceLocation? = nil, fieldLocations: [String: SMRLCore.SourceLocation] = [:]
) -> (record: Resource, diagnostics: [Diagnostic]) {
    var copy = record
    let diagnostics = Validator(profile: profile, fix: fix).validate(
        &copy, index: 7, location: location, fieldLocations: fieldLocations)
    return (copy, diagnostics)
}

/// A record that passes the library profile without any diagnostic.
func completeRecord() -> Resource {
    var record = Resource(id: "mullan2010", type: .articleJournal)
    record.title = "The Social Mission of Medical Education: Ranking the Schools"
    record.authors = [Person(family: "Mullan", given: "Fitzhugh")]
    record.issued = EDTFDate(year: 2010, month: 6, day: 15)
    record.containerTitle = "Annals of Internal Medicine"
    record.doi = "10.7326/0003-4819-152-12-201006150-00009"
    record.resourceType = "peer-reviewed-article"
    record.domains = ["governance-accountability"]
    record.topics = ["practice-underserved", "specialty-choice"]
    record.professions = ["medicine"]
    return record
}

@Suite("Validator: domains and topics")
struct ValidatorVocabularyTests {
    @Test func completeRecordIsClean() {
        let (record, diagnostics) = validated(completeRecord(), profile: .library)
        #expect(diagnostics.isEmpty)
        #expect(record == completeRecord())
    }

    @Test(arguments: [
        ("domains", "Curriculum and Programing", DiagnosticCode.vocabularyUnknownDomain, "curriculum-programming"),
        ("domains", "Rural Health", .vocabularyUnknownDomain, nil),
        ("topics", "Diversity", .vocabularyUnknownTopic, "diversity-inclusion-belonging"),
        ("topics", "Health Equity Champion", .vocabularyUnknownTopic, "health-equity-champions"),
        // "health" is in two topics: no suggestion rather than a guess.
        ("topics", "Rural Health", .vocabularyUnknownTopic, nil),
    ] as [(String, String, DiagnosticCode, String?)])
    func unknownIsAnErrorWithSuggestion(_ field: String, _ value: String, _ code: DiagnosticCode, _ suggestion: String?)
    {
        var input = completeRecord()
        if field == "domains" { input.domains = [value] } else { input.topics = [value] }
        let (record, diagnostics) = validated(input)
        #expect(diagnostics.count == 1)
        let diagnostic = diagnostics.first
        #expect(diagnostic?.severity == .error)
        #expect(diagnostic?.code == code)
        #expect(diagnostic?.suggestion == suggestion)
        #expect(diagnostic?.field == field)
        #expect(diagnostic?.message.contains(value) == true)
        // Unknown values are kept as given.
        #expect((field == "domains" ? record.domains : record.topics) == [value])
    }

    @Test(arguments: [
        ("domains", "Students & Faculty", "students-faculty"),
        ("domains", "Pathways, Admission, & Graduation", "pathways-admission-graduation"),
        ("domains", "governance and accountability", "governance-accountability"),
        ("domains", "Domain: Community Engagement", "community-engagement"),
        ("topics", "Diversity, Inclusion & Belonging", "diversity-inclusion-belonging"),
        ("topics", "Patient and Community Health", "patient-community-health"),
        ("professions", "Physician Associate", "physician-assistant"),
        ("professions", "PHARMACY", "pharmacy"),
    ])
    func variantsAreAlwaysNormalised(_ field: String, _ value: String, _ id: String) {
        var input = completeRecord()
        switch field {
        case "domains": input.domains = [value]
        case "topics": input.topics = [value]
        default: input.professions = [value]
        }
        for fix in [false, true] {
            let (record, diagnostics) = validated(input, fix: fix)
            #expect(diagnostics.map(\.code) == [.vocabularyVariantNormalised])
            #expect(diagnostics.first?.severity == .note)
            #expect(diagnostics.first?.suggestion == id)
            let values = field == "domains" ? record.domains : field == "topics" ? record.topics : record.professions
            #expect(values == [id])
        }
    }

    /// The two resources vocabulary.md shows, with their cards' values.
    @Test func realResourcesFromTheSite() throws {
        var adams = Resource(id: "adams2015", type: .articleJournal)
        adams.title = "A Novel Education and Training Program to Enhance Student Advocacy"
        adams.authors = [
            Person(family: "Adams", given: "A. J."), Person(family: "Matzke", given: "G. R."),
            Person(family: "McCall", given: "K. L."),
        ]
        adams.containerTitle = "American Journal of Pharmaceutical Education"
        adams.containerTitleShort = "Am J Pharm Educ"
        adams.issued = EDTFDate(year: 2015)
        adams.volume = "79"
        adams.issue = "7"
        adams.articleNumber = "95"
        adams.domains = ["Curriculum & Programming, Students & Faculty"]
        adams.professions = ["Pharmacy"]
        let (fixedAdams, adamsDiagnostics) = validated(adams, fieldLocations: ["domains": .init(file: "f", line: 9, column: 3)])
        #expect(fixedAdams.domains == ["curriculum-programming", "students-faculty"])
        #expect(fixedAdams.professions == ["pharmacy"])
        #expect(adamsDiagnostics.map(\.code) == [.vocabularyCombinedValueSplit, .vocabularyVariantNormalised])
        #expect(adamsDiagnostics.allSatisfy { $0.severity == .note })
        #expect(adamsDiagnostics.first?.location == SMRLCore.SourceLocation(file: "f", line: 9, column: 3))

        var lebow = Resource(id: "lebow-skelley2023", type: .articleJournal)
        lebow.title = "A Collaborative Approach to Address Racism in a Community\u{2013}Academic Partnership"
        lebow.authors = [
            Person(family: "Lebow-Skelley", given: "E."), Person(family: "Scott Tomlinson", given: "M."),
            Person(family: "Charles", given: "S."), Person(family: "Fuller", given: "C."),
            Person(family: "Ames", given: "B."), Person(family: "Pearson", given: "M. A."),
        ]
        lebow.containerTitleShort = "Prev Chronic Dis"
        lebow.issued = EDTFDate(year: 2023)
        lebow.volume = "20"
        lebow.articleNumber = "E47"
        lebow.doi = "doi:10.5888/pcd20.220365"
        lebow.pmid = "37290007"
        lebow.domains = ["Community Engagement"]
        lebow.professions = ["Interdisciplinary"]
        let (fixedLebow, lebowDiagnostics) = validated(lebow)
        #expect(fixedLebow.domains == ["community-engagement"])
        #expect(fixedLebow.professions == ["interdisciplinary"])
        #expect(fixedLebow.doi == "10.5888/pcd20.220365")
        #expect(
            lebowDiagnostics.map(\.code) == [
                .vocabularyVariantNormalised, .vocabularyVariantNormalised, .identifierNormalised,
            ])
        // In the library profile they still lack topics and a resource type.
        let codes = validated(lebow, profile: .library).diagnostics.filter { $0.severity == .error }.map(\.code)
        #expect(codes == [.recordMissingResourceType, .recordMissingTopic])
    }

    @Test func combinedValueWithUnknownRemainder() {
        var input = completeRecord()
        input.domains = ["Curriculum & Programming, Rural Health, Students & Faculty"]
        let (record, diagnostics) = validated(input)
        #expect(record.domains == ["curriculum-programming", "students-faculty", "Rural Health"])
        #expect(diagnostics.map(\.code) == [.vocabularyCombinedValueSplit, .vocabularyUnknownDomain])
        #expect(diagnostics.last?.message.contains("\"Rural Health\"") == true)
    }

    static let legacyCases: [(String, [String])] = [
        ("Admissions & Recruitment", ["pathways-admission-graduation"]),
        ("Educational Programming", ["curriculum-programming"]),
        ("Measurement & Assessment", ["governance-accountability"]),
        ("Advocacy and Activism", ["students-faculty"]),
        ("Institutional Culture", ["governance-accountability", "students-faculty"]),
        ("Action Area: Educational Programming", ["curriculum-programming"]),
        ("advocacy-activism", ["students-faculty"]),
    ]

    @Test(arguments: legacyCases)
    func legacyActionAreaInDomainsWarnsAndFixRewrites(_ value: String, _ replacements: [String]) throws {
        var input = completeRecord()
        input.domains = [value]
        let (kept, warned) = validated(input)
        let diagnostic = try #require(warned.first)
        #expect(warned.count == 1)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.code == .vocabularyLegacyActionArea)
        #expect(diagnostic.suggestion == replacements.joined(separator: ", "))
        for id in replacements { #expect(diagnostic.message.contains(id)) }
        #expect(!diagnostic.message.contains("rewritten"))
        // Without fix, the value is only put in its canonical (legacy) form.
        let legacyID = try #require(Vocabulary.bundled.match(value, in: .actionAreas)?.id)
        #expect(kept.domains == [legacyID])

        let (fixed, reported) = validated(input, fix: true)
        #expect(fixed.domains == replacements)
        #expect(reported.map(\.code) == [.vocabularyLegacyActionArea])
        #expect(reported.first?.message.contains("rewritten") == true)
        // A fixed record validates clean.
        #expect(validated(fixed, profile: .library).diagnostics.isEmpty)
    }

    @Test func legacyActionAreaInTopicsMovesToDomainsWithFix() {
        var input = completeRecord()
        input.domains = ["students-faculty"]
        input.topics = ["specialty-choice", "Institutional Culture"]
        let (kept, warned) = validated(input)
        #expect(warned.map(\.code) == [.vocabularyLegacyActionArea])
        #expect(warned.first?.field == "topics")
        #expect(kept.topics == ["specialty-choice", "institutional-culture"])

        let (fixed, reported) = validated(input, fix: true)
        #expect(reported.map(\.code) == [.vocabularyLegacyActionArea])
        #expect(fixed.topics == ["specialty-choice"])
        #expect(fixed.domains == ["students-faculty", "governance-accountability"])
        #expect(reported.first?.message.contains("moved to domains") == true)
    }

    @Test func communityEngagementIsADomainInDomainsAndLegacyInTopics() {
        var input = completeRecord()
        input.domains = ["Community Engagement"]
        input.topics = ["Community Engagement", "community-partnerships"]
        let (record, diagnostics) = validated(input, fix: true)
        #expect(diagnostics.map(\.code) == [.vocabularyVariantNormalised, .vocabularyLegacyActionArea])
        #expect(record.domains == ["community-engagement"])
        #expect(record.topics == ["community-partnerships"])
    }

    @Test func misplacedTermIsAnErrorAndFixMovesIt() {
        var input = completeRecord()
        input.domains = ["governance-accountability", "Community partnerships"]
        let (kept, errors) = validated(input)
        #expect(errors.map(\.code) == [.vocabularyMisplacedTerm])
        #expect(errors.first?.severity == .error)
        #expect(errors.first?.suggestion == "community-partnerships")
        #expect(kept.domains == ["governance-accountability", "community-partnerships"])

        let (fixed, warnings) = validated(input, fix: true)
        #expect(warnings.map(\.severity) == [.warning])
        #expect(fixed.domains == ["governance-accountability"])
        #expect(fixed.topics == ["practice-underserved", "specialty-choice", "community-partnerships"])
    }

    @Test func domainAmongProfessionsIsOnlyAWarning() {
        var input = completeRecord()
        input.professions = ["Curriculum & Programming"]
        let diagnostics = validated(input).diagnostics
        #expect(diagnostics.map(\.code) == [.vocabularyMisplacedTerm])
        #expect(diagnostics.first?.severity == .warning)
    }

    @Test func repeatsAndBlanksAreRemoved() {
        var input = completeRecord()
        input.domains = ["students-faculty", "Students & Faculty", " ", "governance-accountability"]
        let (record, diagnostics) = validated(input)
        #expect(record.domains == ["students-faculty", "governance-accountability"])
        #expect(
            diagnostics.map(\.code) == [
                .vocabularyVariantNormalised, .vocabularyDuplicateTerm, .vocabularyEmptyValue,
            ])
    }

    /// Huge and odd values end quickly as unknown values; nothing crashes.
    @Test(arguments: [
        String(repeating: "Curriculum & Programming, ", count: 20_000) + "Foo",
        String(repeating: "x", count: 200_000),
        String(repeating: ",;:& \u{A0}", count: 10_000),
        String(repeating: "\u{00C2}", count: 5_000),
        "\u{301}\u{301}Students\u{0}&\u{200B}Faculty\u{FFFF}",
    ])
    func survivesHugeAndOddValues(_ value: String) {
        var input = completeRecord()
        input.domains = [value]
        input.topics = [value]
        input.resourceType = value
        let (record, diagnostics) = validated(input)
        #expect(!diagnostics.isEmpty)
        #expect(record.domains.count <= 2)
    }

    @Test func mojibakeIsRepairedAndReported() {
        var input = completeRecord()
        input.domains = ["Governance\u{00C2}\u{A0}& Accountability"]
        let (record, diagnostics) = validated(input)
        #expect(record.domains == ["governance-accountability"])
        #expect(diagnostics.map(\.code) == [.vocabularyMojibakeRepaired, .vocabularyVariantNormalised])
        #expect(diagnostics.first?.severity == .warning)
    }

    @Test(arguments: [
        ("Nurse", "nursing"),
        ("Social Work", nil),
    ] as [(String, String?)])
    func unknownProfessionIsAWarning(_ value: String, _ suggestion: String?) {
        var input = completeRecord()
        input.professions = [value]
        let (record, diagnostics) = validated(input)
        #expect(diagnostics.map(\.code) == [.vocabularyUnknownProfession])
        #expect(diagnostics.first?.severity == .warning)
        #expect(diagnostics.first?.suggestion == suggestion)
        #expect(record.professions == [value])
    }

    @Test(arguments: [
        ("Real World Examples", "real-world-example", DiagnosticCode?.some(.vocabularyVariantNormalised)),
        ("implementation guidance & tools", "implementation-guidance-tools", .vocabularyVariantNormalised),
        ("Peer-Reviewed Article", "peer-reviewed-article", .vocabularyVariantNormalised),
        ("peer-reviewed-article", "peer-reviewed-article", nil),
        ("Podcast", "Podcast", .vocabularyUnknownResourceType),
        ("Peer Reviewed Articles, Real World Examples", "Peer Reviewed Articles, Real World Examples",
         .vocabularyUnknownResourceType),
    ])
    func resourceType(_ value: String, _ result: String, _ code: DiagnosticCode?) {
        var input = completeRecord()
        input.resourceType = value
        let (record, diagnostics) = validated(input)
        #expect(record.resourceType == result)
        #expect(diagnostics.map(\.code) == (code.map { [$0] } ?? []))
        if code == .vocabularyUnknownResourceType { #expect(diagnostics.first?.severity == .warning) }
    }

    @Test func blankResourceTypeIsRemoved() {
        var input = completeRecord()
        input.resourceType = "  "
        let (record, diagnostics) = validated(input, profile: .library)
        #expect(record.resourceType == nil)
        #expect(diagnostics.map(\.code) == [.vocabularyEmptyValue, .recordMissingResourceType])
    }
}

@Suite("Validator: profiles, people, dates, locations")
struct ValidatorRecordTests {
    @Test(arguments: [
        ("title", DiagnosticCode.recordMissingTitle),
        ("issued", .recordMissingYear),
        ("resourceType", .recordMissingResourceType),
        ("domains", .recordMissingDomain),
        ("topics", .recordMissingTopic),
    ])
    func libraryProfileRequires(_ field: String, _ code: DiagnosticCode) {
        var input = completeRecord()
        switch field {
        case "title": input.title = " "
        case "issued": input.issued = EDTFDate(literal: "in press")
        case "resourceType": input.resourceType = nil
        case "domains": input.domains = []
        default: input.topics = []
        }
        let library = validated(input, profile: .library).diagnostics
        #expect(library.map(\.code) == [code])
        #expect(library.first?.severity == .error)
        #expect(library.first?.field == field)
        #expect(validated(input, profile: .citation).diagnostics.isEmpty)
    }

    @Test func emptyPersonIsAWarning() {
        var input = completeRecord()
        input.editors = [Person(), Person(literal: "World Health Organization")]
        let diagnostics = validated(input, fieldLocations: ["editors[0]": .init(file: "x", line: 4, column: 5)])
            .diagnostics
        #expect(diagnostics.map(\.code) == [.recordEmptyPerson])
        #expect(diagnostics.first?.location?.line == 4)
    }

    static let currentYear = Calendar(identifier: .gregorian).dateComponents(
        in: TimeZone(identifier: "UTC")!, from: Date()
    ).year!

    @Test(arguments: [
        ("1449", true), ("1450", false), ("2019-22", false), ("\(currentYear + 2)", false),
        ("\(currentYear + 3)", true), ("0201", true), ("1200/2000", true), ("2000/9999", true),
    ])
    func issuedYearPlausibility(_ edtf: String, _ warned: Bool) throws {
        var input = completeRecord()
        let date: EDTFDate = try #require(EDTFDate(edtf: edtf))
        input.issued = date
        let diagnostics = validated(input).diagnostics
        #expect(diagnostics.map(\.code) == (warned ? [.dateImplausibleYear] : []))
        #expect(diagnostics.allSatisfy { $0.severity == .warning && $0.field == "issued" })
    }

    @Test func accessedInTheFutureIsImplausible() throws {
        var input = completeRecord()
        input.accessed = EDTFDate(year: Self.currentYear + 1, month: 1, day: 2)
        #expect(validated(input).diagnostics.map(\.code) == [.dateImplausibleYear])
        input.accessed = EDTFDate(year: Self.currentYear)
        #expect(validated(input).diagnostics.isEmpty)
    }

    @Test(arguments: [
        ("2019-05/2019-03", true), ("2019/2018", true), ("2019-03/2019-05", false), ("2019-21/2019-03", false),
        ("2019-22/2019-03", true), ("2019-03-02/2019-03-01", true), ("../2019", false),
    ])
    func reversedRange(_ edtf: String, _ warned: Bool) throws {
        var input = completeRecord()
        let date: EDTFDate = try #require(EDTFDate(edtf: edtf))
        input.issued = date
        #expect(validated(input).diagnostics.map(\.code) == (warned ? [.dateInvalidRange] : []))
    }

    @Test func diagnosticsCarryRecordAndLocation() throws {
        var input = completeRecord()
        input.domains = ["governance-accountability", "Foo"]
        input.topics = ["Bar"]
        input.doi = "10.12/x"
        let record = SMRLCore.SourceLocation(file: "feed.json", line: 10, column: 3)
        let element = SMRLCore.SourceLocation(file: "feed.json", line: 20, column: 7)
        let list = SMRLCore.SourceLocation(file: "feed.json", line: 19, column: 5)
        let topics = SMRLCore.SourceLocation(file: "feed.json", line: 22, column: 5)
        let diagnostics = validated(
            input, location: record, fieldLocations: ["domains[1]": element, "domains": list, "topics": topics]
        ).diagnostics
        #expect(diagnostics.map(\.code) == [.vocabularyUnknownDomain, .vocabularyUnknownTopic, .identifierInvalidDOI])
        #expect(diagnostics.map(\.location) == [element, topics, record])
        #expect(diagnostics.allSatisfy { $0.recordIndex == 7 && $0.recordID == "mullan2010" })
        #expect(diagnostics.map(\.field) == ["domains", "topics", "doi"])
        #expect(diagnostics[0].description.hasPrefix("feed.json:20:7: error[vocabulary.unknown-domain]: "))
    }
}

@Suite("Validator: identifiers")
struct ValidatorIdentifierTests {
    /// (value, stored result, code or nil)
    @Test(arguments: [
        ("10.1001/jama.2017.7286", "10.1001/jama.2017.7286", nil),
        ("10.1097/ACM.0000000000003324", "10.1097/ACM.0000000000003324", nil),
        ("https://doi.org/10.1001/jama.2017.7286", "10.1001/jama.2017.7286", DiagnosticCode?.some(.identifierNormalised)),
        ("doi:10.5888/pcd20.220365", "10.5888/pcd20.220365", .identifierNormalised),
        (" 10.1001/jama.2017.7286 ", "10.1001/jama.2017.7286", .identifierNormalised),
        ("10.1000.10/abc", "10.1000.10/abc", nil),
        ("10.12/abc", "10.12/abc", .identifierInvalidDOI),
        ("10.1001/", "10.1001/", .identifierInvalidDOI),
        ("jama.2017.7286", "jama.2017.7286", .identifierInvalidDOI),
        ("10.1001 /jama", "10.1001 /jama", .identifierInvalidDOI),
        ("11.1001/jama", "11.1001/jama", .identifierInvalidDOI),
        ("10/b4mz6g", "10/b4mz6g", .identifierShortDOI),
        ("https://doi.org/10/b4mz6g", "https://doi.org/10/b4mz6g", .identifierShortDOI),
        ("10/b4mz6g/x", "10/b4mz6g/x", .identifierInvalidDOI),
    ])
    func doi(_ value: String, _ stored: String, _ code: DiagnosticCode?) {
        var input = completeRecord()
        input.doi = value
        let (record, diagnostics) = validated(input)
        #expect(record.doi == stored)
        #expect(diagnostics.map(\.code) == (code.map { [$0] } ?? []))
        if code == .identifierInvalidDOI { #expect(diagnostics.first?.severity == .error) }
    }

    @Test(arguments: [
        ("0002-9459", "0002-9459", nil),
        ("1545-1151", "1545-1151", nil),
        ("15451151", "1545-1151", DiagnosticCode?.some(.identifierNormalised)),
        ("2378-864x", "2378-864X", .identifierNormalised),
        ("0002-9458", "0002-9458", .identifierInvalidISSN),
        ("0002-945", "0002-945", .identifierInvalidISSN),
        ("ISSN 0002-9459", "ISSN 0002-9459", .identifierInvalidISSN),
    ])
    func issn(_ value: String, _ stored: String, _ code: DiagnosticCode?) {
        var input = completeRecord()
        input.issn = [value]
        let (record, diagnostics) = validated(input)
        #expect(record.issn == [stored])
        #expect(diagnostics.map(\.code) == (code.map { [$0] } ?? []))
    }

    /// Zotero stores several ISSNs or ISBNs in one string; they become one element each.
    @Test(arguments: [
        ("issn", "0018-8158, 1573-5117", ["0018-8158", "1573-5117"], [DiagnosticCode.identifierNormalised]),
        ("issn", "00368075, 10959203", ["0036-8075", "1095-9203"], [
            .identifierNormalised, .identifierNormalised, .identifierNormalised,
        ]),
        ("issn", "1476-5616 0033-3506", ["1476-5616", "0033-3506"], [.identifierNormalised]),
        ("issn", "0010-2571; 1420-8946/e", ["0010-2571; 1420-8946/e"], [.identifierInvalidISSN]),
        ("isbn", "978-0-226-46713-9 978-0-226-46734-4", ["978-0-226-46713-9", "978-0-226-46734-4"], [
            .identifierNormalised,
        ]),
        ("isbn", "0415170540 (hardcover)", ["0415170540 (hardcover)"], []),
        ("isbn", "ISBN 978-85-63994-24-0", ["978-85-63994-24-0"], [.identifierNormalised]),
    ])
    func splitsJoinedIdentifiers(_ field: String, _ value: String, _ stored: [String], _ codes: [DiagnosticCode]) {
        var input = completeRecord()
        if field == "issn" { input.issn = [value] } else { input.isbn = [value] }
        let (record, diagnostics) = validated(input)
        #expect((field == "issn" ? record.issn : record.isbn) == stored)
        #expect(diagnostics.map(\.code) == codes, "\(diagnostics)")
    }

    @Test(arguments: [
        ("978-0-306-40615-7", "978-0-306-40615-7", nil),
        ("0-306-40615-2", "0-306-40615-2", nil),
        ("0-8044-2957-X", "0-8044-2957-X", nil),
        ("9780306406157 (pbk.)", "9780306406157 (pbk.)", nil),
        ("ISBN 978-0-306-40615-7", "978-0-306-40615-7", DiagnosticCode?.some(.identifierNormalised)),
        ("ISBN-10: 0-306-40615-2", "0-306-40615-2", .identifierNormalised),
        ("978-0-306-40615-8", "978-0-306-40615-8", .identifierInvalidISBN),
        ("0-306-40615-3", "0-306-40615-3", .identifierInvalidISBN),
        ("123-4-567-89012-8", "123-4-567-89012-8", .identifierInvalidISBN),
        ("978-0-306", "978-0-306", .identifierInvalidISBN),
        ("X-306-40615-2", "X-306-40615-2", .identifierInvalidISBN),
    ])
    func isbn(_ value: String, _ stored: String, _ code: DiagnosticCode?) {
        var input = completeRecord()
        input.isbn = [value]
        let (record, diagnostics) = validated(input)
        #expect(record.isbn == [stored])
        #expect(diagnostics.map(\.code) == (code.map { [$0] } ?? []))
    }

    @Test(arguments: [
        ("0000-0002-1825-0097", "0000-0002-1825-0097", nil),
        ("0000-0002-1694-233X", "0000-0002-1694-233X", nil),
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097", DiagnosticCode?.some(.identifierNormalised)),
        ("0000000218250097", "0000-0002-1825-0097", .identifierNormalised),
        ("0000-0002-1825-0098", "0000-0002-1825-0098", .identifierInvalidORCID),
        ("0000-0002-1825", "0000-0002-1825", .identifierInvalidORCID),
    ])
    func orcid(_ value: String, _ stored: String, _ code: DiagnosticCode?) {
        for field in ["authors", "editors", "translators"] {
            var input = completeRecord()
            let person = Person(family: "Rodríguez", given: "José E.", orcid: value)
            switch field {
            case "authors": input.authors.append(person)
            case "editors": input.editors = [person]
            default: input.translators = [person]
            }
            let (record, diagnostics) = validated(input)
            let people = field == "authors" ? record.authors : field == "editors" ? record.editors : record.translators
            #expect(people.last?.orcid == stored)
            #expect(diagnostics.map(\.code) == (code.map { [$0] } ?? []))
            #expect(diagnostics.allSatisfy { $0.field == field })
        }
    }

    @Test(arguments: [
        ("37290007", "37290007", nil),
        ("PMID: 37290007", "37290007", DiagnosticCode?.some(.identifierNormalised)),
        ("3729000712", "3729000712", .identifierInvalidPMID),
        ("PMC37290007", "PMC37290007", .identifierInvalidPMID),
        ("0", "0", .identifierInvalidPMID),
        ("", nil, .identifierNormalised),
    ] as [(String, String?, DiagnosticCode?)])
    func pmid(_ value: String, _ stored: String?, _ code: DiagnosticCode?) {
        var input = completeRecord()
        input.pmid = value
        let (record, diagnostics) = validated(input)
        #expect(record.pmid == stored)
        #expect(diagnostics.map(\.code) == (code.map { [$0] } ?? []))
    }

    @Test(arguments: [
        ("PMC10262225", "PMC10262225", nil),
        ("10262225", "PMC10262225", DiagnosticCode?.some(.identifierNormalised)),
        ("pmc10262225", "PMC10262225", .identifierNormalised),
        ("PMCID: PMC10262225", "PMC10262225", .identifierNormalised),
        ("PMC", "PMC", .identifierInvalidPMCID),
        ("PMC12AB", "PMC12AB", .identifierInvalidPMCID),
    ])
    func pmcid(_ value: String, _ stored: String, _ code: DiagnosticCode?) {
        var input = completeRecord()
        input.pmcid = value
        let (record, diagnostics) = validated(input)
        #expect(record.pmcid == stored)
        #expect(diagnostics.map(\.code) == (code.map { [$0] } ?? []))
    }

    @Test(arguments: [
        ("https://www.cdc.gov/pcd/issues/2023/22_0365.htm", nil, nil),
        ("http://localhost:8080/x", nil, nil),
        ("https://example.org:443/a?b=c#d", nil, nil),
        ("https://[2001:db8::1]/x", nil, nil),
        ("https://例え.jp/パス", nil, nil),
        ("urn:isbn:9780306406157", nil, nil),
        ("ftp://ftp.example.org/file.txt", nil, nil),
        ("https://example.org/a%20b", nil, nil),
        ("www.socialmission.org/resource-library", "https://www.socialmission.org/resource-library",
         DiagnosticCode?.some(.identifierInvalidURL)),
        ("https://example.org/a b", nil, .identifierInvalidURL),
        ("https:/example.org", nil, .identifierInvalidURL),
        ("https://", nil, .identifierInvalidURL),
        ("https://example", nil, .identifierInvalidURL),
        ("https://example.org:99999/", nil, .identifierInvalidURL),
        ("https://exa_mple.org/", nil, .identifierInvalidURL),
        ("https://example.org/%zz", nil, .identifierInvalidURL),
        ("https://example.org/<x>", nil, .identifierInvalidURL),
        ("3http://example.org", nil, .identifierInvalidURL),
        ("no url", nil, .identifierInvalidURL),
    ] as [(String, String?, DiagnosticCode?)])
    func url(_ value: String, _ suggestion: String?, _ code: DiagnosticCode?) {
        var input = completeRecord()
        input.url = value
        let diagnostics = validated(input).diagnostics
        #expect(diagnostics.map(\.code) == (code.map { [$0] } ?? []))
        #expect(diagnostics.first?.suggestion == suggestion)
        #expect(Identifiers.isValidURL(value) == (code == nil))
    }

    @Test func urlIsTrimmed() {
        var input = completeRecord()
        input.url = " https://example.org/x\n"
        let (record, diagnostics) = validated(input)
        #expect(record.url == "https://example.org/x")
        #expect(diagnostics.map(\.code) == [.identifierNormalised])
    }
}
