import SMRLCore
import Testing

@Suite("Duplicate detection")
struct ValidationDuplicateTests {
    static func work(
        id: String, title: String = "Social Mission Metrics: Developing a Survey to Guide Health Professions Schools",
        year: Int = 2020, family: String = "Batra", doi: String? = nil, pmid: String? = nil, pmcid: String? = nil
    ) -> Resource {
        var record = Resource(id: id)
        record.title = title
        record.issued = EDTFDate(year: year)
        record.authors = [Person(family: family, given: "Sonal")]
        record.doi = doi
        record.pmid = pmid
        record.pmcid = pmcid
        return record
    }

    static func location(_ line: Int) -> SMRLCore.SourceLocation { SMRLCore.SourceLocation(file: "feed.json", line: line, column: 3) }

    /// Pairs of records that describe the same work, and the code that must name them.
    static let duplicatePairs: [(Resource, Resource, DiagnosticCode)] = [
        (
            work(id: "a", title: "A", doi: "10.1097/ACM.0000000000003324"),
            work(id: "b", title: "B", doi: "https://doi.org/10.1097/acm.0000000000003324"), .duplicateDOI
        ),
        (work(id: "a", title: "A", pmid: "32909999"), work(id: "b", title: "B", pmid: "PMID: 32909999"), .duplicatePMID),
        (work(id: "a", title: "A", pmcid: "PMC7654321"), work(id: "b", title: "B", pmcid: "7654321"), .duplicatePMCID),
        (
            work(id: "a", title: "Social mission metrics: developing a survey"),
            work(id: "b", title: "<i>Social Mission Metrics</i> \u{2014} Developing a Survey!"), .duplicateTitleYearAuthor
        ),
        (
            work(id: "a", title: "The social mission in medical school mission statements", family: "Rodríguez"),
            work(id: "b", title: "The Social Mission in Medical School Mission Statements", family: "RODRIGUEZ"),
            .duplicateTitleYearAuthor
        ),
        // The strongest shared key names the pair.
        (
            work(id: "a", doi: "10.1097/ACM.0000000000003324", pmid: "1"),
            work(id: "b", doi: "10.1097/ACM.0000000000003324", pmid: "1"), .duplicateDOI
        ),
        // Title, year and author match; only one has a DOI.
        (work(id: "a", doi: "10.1097/ACM.0000000000003324"), work(id: "b"), .duplicateTitleYearAuthor),
    ]

    @Test(arguments: duplicatePairs)
    func findsDuplicateInFeed(_ first: Resource, _ second: Resource, _ code: DiagnosticCode) throws {
        var detector = DuplicateDetector()
        #expect(detector.check(first, index: 0, location: Self.location(2)).isEmpty)
        let diagnostics = detector.check(
            second, index: 1, location: Self.location(9), fieldLocations: ["doi": Self.location(12)])
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.code == code)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.recordIndex == 1)
        #expect(diagnostic.recordID == "b")
        #expect(diagnostic.related == Self.location(2))
        #expect(diagnostic.message.contains("the record at index 0 (id \"a\")"))
        #expect(diagnostic.location == (code == .duplicateDOI ? Self.location(12) : Self.location(9)))
    }

    static let distinctPairs: [(Resource, Resource)] = [
        (work(id: "a", title: "A", doi: "10.1097/ACM.1"), work(id: "b", title: "B", doi: "10.1097/ACM.2")),
        (work(id: "a", year: 2020), work(id: "b", year: 2021)),
        (work(id: "a", family: "Batra"), work(id: "b", family: "Mullan")),
        // Same title, year and author, but DOIs or PMIDs that differ: two works (an article and its erratum).
        (work(id: "a", doi: "10.1097/ACM.1"), work(id: "b", doi: "10.1097/ACM.2")),
        (work(id: "a", pmid: "11"), work(id: "b", pmid: "12")),
    ]

    @Test(arguments: distinctPairs)
    func distinctWorksAreNotDuplicates(_ first: Resource, _ second: Resource) {
        var detector = DuplicateDetector()
        #expect(detector.check(first, index: 0).isEmpty)
        #expect(detector.check(second, index: 1).isEmpty)
    }

    @Test func againstExistingLibrary() throws {
        let library: [(Resource, SMRLCore.SourceLocation?)] = [
            (Self.work(id: "lib-mullan", title: "Beyond Flexner", doi: "10.1001/JAMA.2017.7286"),
             SMRLCore.SourceLocation(file: "library.json", line: 3, column: 3)),
            (Self.work(id: "lib-batra", pmid: "32909999"), SMRLCore.SourceLocation(file: "library.json", line: 30, column: 3)),
        ]
        var detector = DuplicateDetector(against: library)
        let first = detector.check(
            Self.work(id: "new-1", title: "Other", doi: "10.1001/jama.2017.7286"), index: 0, location: Self.location(2))
        let diagnostic = try #require(first.first)
        #expect(first.count == 1)
        #expect(diagnostic.code == .duplicateDOI)
        #expect(diagnostic.message.contains("the library already holds this work"))
        #expect(diagnostic.message.contains("the library record at index 0 (id \"lib-mullan\")"))
        #expect(diagnostic.related == SMRLCore.SourceLocation(file: "library.json", line: 3, column: 3))

        // Matching a library record and an earlier feed record gives one warning for each.
        let second = detector.check(Self.work(id: "new-2", pmid: "32909999"), index: 1, location: Self.location(9))
        #expect(second.map(\.code) == [.duplicatePMID])
        let third = detector.check(Self.work(id: "new-3", pmid: "32909999"), index: 2)
        #expect(third.map(\.code) == [.duplicatePMID, .duplicatePMID])
        #expect(third.map(\.related) == [
            SMRLCore.SourceLocation(file: "library.json", line: 30, column: 3), Self.location(9),
        ])
    }

    @Test func libraryDuplicatesAmongThemselvesAreNotReported() {
        var detector = DuplicateDetector()
        detector.remember(libraryRecord: Self.work(id: "x", pmid: "5"), index: 0, location: nil)
        detector.remember(libraryRecord: Self.work(id: "x", pmid: "5"), index: 1, location: nil)
        let diagnostics = detector.check(Self.work(id: "y", pmid: "5"), index: 0)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("index 0") == true)
    }

    @Test func sameIDIsReportedSeparately() {
        var detector = DuplicateDetector()
        _ = detector.check(Self.work(id: "smith2020", title: "One"), index: 0, location: Self.location(1))
        let diagnostics = detector.check(
            Self.work(id: "smith2020", title: "Two", family: "Jones"), index: 1, fieldLocations: ["id": Self.location(5)])
        #expect(diagnostics.map(\.code) == [.duplicateID])
        #expect(diagnostics.first?.location == Self.location(5))
        #expect(diagnostics.first?.related == Self.location(1))
    }

    @Test func recordsWithoutKeysAreNeverDuplicates() {
        var detector = DuplicateDetector()
        for index in 0..<3 {
            var record = Resource()
            record.title = "Editorial"
            #expect(detector.check(record, index: index).isEmpty)
        }
    }
}
