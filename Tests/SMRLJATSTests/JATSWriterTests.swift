import SMRLCore
import SMRLJATS
import SMRLTestSupport
import SMRLXML
import Testing

/// Records that use every field the model has, over many item types and date forms.
enum RichRecords {
    static var all: [Resource] {
        var article = Resource(id: "smith2020", type: .articleJournal)
        article.title = "Effects of <i>Staphylococcus aureus</i> on CO<sub>2</sub> &amp; <b>x<sup>2</sup></b>"
        article.subtitle = "A <sc>randomised</sc> trial"
        article.shortTitle = "Effects of S. aureus"
        article.containerTitle = "Journal of <i>Things</i>"
        article.containerTitleShort = "J Things"
        article.authors = [
            Person(family: "Smith", given: "Jane Q.", suffix: "Jr.", orcid: "0000-0002-1825-0097"),
            Person(literal: "World Health Organization"),
            Person(family: "Ngũgĩ", given: "Wa Thiong'o"),
        ]
        article.editors = [Person(family: "Editor", given: "Ed")]
        article.translators = [Person(family: "Traductor", given: "Tomás", orcid: "0000-0001-5109-3700")]
        article.issued = EDTFDate(year: 2020, month: 5, day: 14)
        article.volume = "12"
        article.issue = "3"
        article.pages = "101-119"
        article.articleNumber = "e0123"
        article.doi = "10.1000/xyz.123"
        article.pmid = "31234567"
        article.pmcid = "PMC6543210"
        article.issn = ["1234-5679", "2049-3630"]
        article.url = "https://example.org/article?id=1&x=<2>"
        article.abstract = "First paragraph with <i>italics</i> & an ampersand.\n\nSecond paragraph: 5 < 6."
        article.description = "The library's summary."
        article.keywords = ["Pathways, Admission, & Graduation", "asthma"]
        article.language = "en"
        article.note = "A note with \"quotes\"."
        article.domains = ["community-engagement"]
        article.topics = ["specialty-choice", "rural-health"]
        article.professions = ["pharmacy"]
        article.resourceType = "peer-reviewed-article"
        article.openAccess = true
        article.accessed = EDTFDate(year: 2021, month: 1, day: 2)
        article.publisher = "Example Press"
        article.publisherPlace = "Cape Town"
        article.addExtra(format: "ris", field: "M1", value: "custom value")
        article.addExtra(format: "bibtex", field: "owner", value: "librarian")

        var book = Resource(id: "10.1000/book id", type: .book)
        book.title = "A Book"
        book.subtitle = "Its Subtitle"
        book.authors = [Person(family: "Author", given: "Anne")]
        book.editors = [Person(family: "Editor", given: "Eddie")]
        book.issued = EDTFDate(year: 1999)
        book.edition = "2"
        book.publisher = "Book House"
        book.publisherPlace = "London"
        book.isbn = ["978-0-306-40615-7", "0-306-40615-2"]
        book.collectionTitle = "Series of Books"
        book.openAccess = false
        book.note = "First paragraph.\n\nSecond paragraph."

        var chapter = Resource(id: "chap1", type: .chapter)
        chapter.title = "A Chapter"
        chapter.containerTitle = "The Edited Book"
        chapter.authors = [Person(family: "Writer", given: "Wes")]
        chapter.editors = [Person(family: "Editor", given: "Edna")]
        chapter.pages = "12-34"
        chapter.issued = EDTFDate(year: 2010, month: 22)  // Summer 2010
        chapter.publisher = "Press"

        var report = Resource(id: "rep", type: .report)
        report.title = "Technical Report on Things"
        report.authors = [Person(literal: "Agency for Things")]
        report.publisher = "Agency for Things"
        report.issued = EDTFDate(literal: "in press")
        report.containerTitle = "Report Series"

        var thesis = Resource(id: "thesis", type: .thesis)
        thesis.title = "A Thesis"
        thesis.authors = [Person(family: "Student", given: "Sam")]
        thesis.publisher = "University"
        thesis.issued = EDTFDate(start: .init(year: 2001), end: .init(year: 2003))

        var web = Resource(id: "web", type: .webpage)
        web.title = "A Web Page"
        web.containerTitle = "Example Site"
        web.url = "https://example.org/page"
        web.accessed = EDTFDate(year: 2022, month: 3, day: 4)
        web.issued = EDTFDate(start: .init(year: 2019), approximate: true)

        var data = Resource(id: "data", type: .dataset)
        data.title = "A Dataset"
        data.containerTitle = "Dryad"
        data.doi = "10.5061/dryad.abc"
        data.issued = EDTFDate(year: 2018)
        data.authors = [Person(family: "Collector", given: "Cora")]

        var software = Resource(id: "sw", type: .software)
        software.title = "smrl"
        software.authors = [Person(literal: "R Core Team")]
        software.issued = EDTFDate(year: 2023)
        software.url = "https://github.com/example/smrl"
        software.addExtra(format: "jats", field: "version", value: "1.2.3")

        var patent = Resource(id: "pat", type: .patent)
        patent.title = "A Patent"
        patent.authors = [Person(family: "Inventor", given: "Ivy")]
        patent.issued = EDTFDate(year: 2005, month: 6)

        var standard = Resource(id: "std", type: .standard)
        standard.title = "JATS: Journal Article Tag Suite"
        standard.authors = [Person(literal: "NISO")]
        standard.issued = EDTFDate(year: 2019)

        var preprint = Resource(id: "pre", type: .article)
        preprint.title = "A Preprint"
        preprint.containerTitle = "bioRxiv"
        preprint.doi = "10.1101/2020.01.01.000001"
        preprint.issued = EDTFDate(year: 2020, month: 1, day: 1)

        var paper = Resource(id: "conf", type: .paperConference)
        paper.title = "A Conference Paper"
        paper.containerTitle = "Proceedings of the Conference"
        paper.event = "The Conference 2019"
        paper.authors = [Person(family: "Speaker", given: "Sue")]
        paper.issued = EDTFDate(year: 2019)

        var magazine = Resource(id: "mag", type: .articleMagazine)
        magazine.title = "A Magazine Piece"
        magazine.containerTitle = "The Magazine"
        magazine.issued = EDTFDate(year: 2015, month: 11)

        var bare = Resource(id: nil, type: .document)
        bare.note = "doi: 10.9999/not-really — only a note"

        var review = Resource(id: "rev", type: .reviewBook)
        review.title = "Review of A Book"
        review.containerTitle = "Reviews Journal"
        review.issued = EDTFDate(year: 2012)

        return [article, book, chapter, report, thesis, web, data, software, patent, standard, preprint, paper,
            magazine, bare, review]
    }
}

@Suite("JATS writer")
struct JATSWriterTests {
    @Test("Types JATS has no publication-type for keep their title and type through a reference")
    func titlesOfTypesWithoutAPublicationTypeComeBack() throws {
        let records: [Resource] = [ItemType.event, .manuscript, .periodical].map { type in
            var record = Resource(id: type.rawValue, type: type)
            record.title = "Title of the \(type.rawValue)"
            record.containerTitle = "Container"
            return record
        }
        let back = try JATSTest.read(try JATSTest.write(records).bytes).compactMap(\.record)
        #expect(back.map(\.type) == records.map(\.type))
        #expect(back.map(\.title) == records.map(\.title))
        #expect(back.map(\.containerTitle) == records.map(\.containerTitle))
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled))
    func collectionOfRichRecordsIsValidAndReadsBackExactly() throws {
        let records = RichRecords.all
        let (bytes, losses) = try JATSTest.write(records)
        let validation = try #require(JATSTest.publishingDTD).validate(bytes: bytes, fileName: "collection.xml")
        #expect(validation.isValid, "\(validation.diagnostics.prefix(10))\n\(String(decoding: bytes, as: UTF8.self))")
        #expect(losses.allSatisfy { $0.isEmpty }, "\(losses)")
        let read = try JATSTest.read(bytes)
        let back = read.compactMap(\.record)
        #expect(back.count == records.count)
        for (original, copy) in zip(records, back) {
            var expected = original
            if expected.id == nil { expected.id = copy.id }  // the writer names every ref
            let differences = JATSTest.differences(expected, copy)
            #expect(differences.isEmpty, "\(original.id ?? "?"): \(differences)")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for type in ["journal", "book", "report", "thesis", "webpage", "data", "software", "patent", "standard",
            "preprint", "confproc", "periodical"]
        {
            #expect(text.contains("publication-type=\"\(type)\""), "\(type)")
        }
        #expect(!text.contains("publication-type=\"article-journal\""))
        #expect(!text.contains("publication-type=\"chapter\""))
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled), arguments: RichRecords.all.indices)
    func eachRichRecordAsAnArticleIsValidAndReadsBackExactly(index: Int) throws {
        let record = RichRecords.all[index]
        let (bytes, losses) = try JATSTest.write([record])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("<article "))
        #expect(!text.contains("specific-use=\"smrl-collection\""))
        let validation = try #require(JATSTest.publishingDTD).validate(bytes: bytes, fileName: "article.xml")
        #expect(validation.isValid, "\(validation.diagnostics.prefix(10))\n\(text)")
        #expect(losses == [[]])
        let back = try JATSTest.read(bytes).compactMap(\.record)
        try #require(back.count == 1)
        let differences = JATSTest.differences(record, back[0])
        #expect(differences.isEmpty, "\(differences)\n\(text)")
    }

    @Test func libraryFieldsUseDocumentedPlaces() throws {
        let article = RichRecords.all[0]
        let single = String(decoding: try JATSTest.write([article]).bytes, as: UTF8.self)
        #expect(single.contains("<kwd-group kwd-group-type=\"smrl-domain\">"))
        #expect(single.contains("<kwd>community-engagement</kwd>"))
        #expect(single.contains("<kwd-group kwd-group-type=\"smrl-topic\">"))
        #expect(single.contains("<kwd-group kwd-group-type=\"smrl-profession\">"))
        #expect(single.contains("<kwd-group kwd-group-type=\"smrl-resource-type\">"))
        #expect(single.contains("<ali:free_to_read/>"))
        #expect(single.contains("<italic>Staphylococcus aureus</italic> on CO<sub>2</sub> &amp;amp; <bold>x<sup>2</sup></bold>"))
        let closed = String(decoding: try JATSTest.write([RichRecords.all[1]]).bytes, as: UTF8.self)
        #expect(closed.contains("<meta-name>smrl-open-access</meta-name>"))
        let collection = String(decoding: try JATSTest.write(Array(RichRecords.all.prefix(2))).bytes, as: UTF8.self)
        #expect(collection.contains("<annotation content-type=\"smrl-library\">"))
        #expect(collection.contains("<p>smrl:domain:community-engagement</p>"))
        #expect(collection.contains("<p>smrl:open-access:true</p>"))
    }

    @Test func particlesAndCaseProtectionAreReportedAsLosses() throws {
        var record = Resource(id: "b", type: .book)
        record.title = "The <span class=\"nocase\">DNA</span> book"
        record.authors = [Person(family: "Beethoven", given: "Ludwig", particle: "van")]
        let (bytes, losses) = try JATSTest.write([record])
        #expect(losses.first?.map(\.field).sorted() == ["authors", "title"])
        let back = try JATSTest.read(bytes).compactMap(\.record).first
        #expect(back?.authors.first?.family == "van Beethoven")
        #expect(back?.title == "The DNA book")
    }

    @Test func noRecordsGiveAnEmptyValidCollection() throws {
        let (bytes, _) = try JATSTest.write([])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("<ref-list"))
        if let validator = JATSTest.publishingDTD {
            #expect(validator.validate(bytes: bytes, fileName: "empty.xml").isValid)
        }
        #expect(try JATSTest.read(bytes).compactMap(\.record).isEmpty)
    }

    @Test func oneRecordCanBeForcedIntoACollection() throws {
        let (bytes, _) = try JATSTest.write([RichRecords.all[1]], settings: ["jats.shape": "collection"])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("specific-use=\"smrl-collection\""))
        #expect(text.contains("<element-citation publication-type=\"book\""))
    }

    @Test("A citation's kept JATS groups (dates in citation, pub-ids, person groups) are written in key order, every run")
    func keptGroupsInKeyOrder() throws {
        var record = Resource(id: "r", type: .articleJournal)
        record.title = "T"
        // Added out of order; a dictionary's own order changes from run to run.
        for type in ["updated", "access-date-2", "cited", "b-date", "a-date"] {
            record.addExtra(format: "jats", field: "date-in-citation.\(type)", value: "2020-01-0\(type.count % 9)")
        }
        for type in ["zz", "arxiv", "other", "bibcode"] {
            record.addExtra(format: "jats", field: "pub-id.\(type)", value: "id-\(type)")
        }
        for role in ["transed", "compiler", "curator"] {
            record.addExtra(format: "jats", field: "person-group.\(role)", value: "Name \(role)")
        }
        let (bytes, _) = try JATSTest.write([record], settings: ["jats.shape": "collection"])
        let text = String(decoding: bytes, as: UTF8.self)
        func order(_ needles: [String]) -> [String] {
            needles.compactMap { needle in text.range(of: needle).map { (needle, $0.lowerBound) } }
                .sorted { $0.1 < $1.1 }.map(\.0)
        }
        let dates = ["a-date", "access-date-2", "b-date", "cited", "updated"].map { "content-type=\"\($0)\"" }
        #expect(order(dates) == dates)
        let ids = ["id-arxiv", "id-bibcode", "id-other", "id-zz"]
        #expect(order(ids) == ids)
        let groups = ["compiler", "curator", "transed"].map { "person-group-type=\"\($0)\"" }
        #expect(order(groups) == groups)
    }
}
