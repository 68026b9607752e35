import Foundation
import SMRLCore
import Testing

@testable import SMRLRIS

/// A journal article with every field RIS carries, library fields included.
func richArticle() -> Resource {
    var r = Resource(id: "smith2020", type: .articleJournal)
    r.resourceType = "peer-reviewed-article"
    r.title = "Admission pathways & rural practice: a cohort study"
    r.shortTitle = "Admission pathways"
    r.containerTitle = "Academic Medicine"
    r.containerTitleShort = "Acad Med"
    r.collectionTitle = "Research Reports"
    r.authors = [
        Person(family: "Smith", given: "Jane", suffix: "Jr."),
        Person(family: "Beethoven", given: "Ludwig", particle: "van"),
        Person(family: "Núñez", given: "María José"),
        Person(literal: "World Health Organization"),
    ]
    r.editors = [Person(family: "Doe", given: "John")]
    r.translators = [Person(family: "Roe", given: "Rita")]
    r.issued = EDTFDate(year: 2020, month: 5, day: 17)
    r.accessed = EDTFDate(year: 2021, month: 1, day: 2)
    r.volume = "95"
    r.issue = "11S"
    r.pages = "804-811"
    r.articleNumber = "e2210900"
    r.publisher = "Wolters Kluwer"
    r.publisherPlace = "Philadelphia, PA"
    r.doi = "10.1097/ACM.0000000000003633"
    r.pmid = "32769473"
    r.pmcid = "PMC7654321"
    r.issn = ["1040-2446", "1938-808X"]
    r.url = "https://journals.lww.com/academicmedicine/x"
    r.abstract = "Purpose: to study admission.\nMethod: a cohort of 1,200 students."
    r.description = "Library summary: strong design."
    r.keywords = ["Pathways, Admission, & Graduation", "rural health", "smrl-like but not a tag"]
    r.language = "en"
    r.note = "First note line\nSecond note line"
    r.domains = ["community-engagement", "diversity"]
    r.topics = ["specialty-choice"]
    r.professions = ["medicine", "pharmacy"]
    r.openAccess = false
    r.extra = ["ris": ["M3": ["Original Research"], "DB": ["PubMed"]]]
    return r
}

@Suite("RIS writer")
struct RISWriterTests {
    @Test("spec form: TAG  - value, CRLF, TY first and ER last, no BOM, one name and keyword per line")
    func specForm() throws {
        let (text, losses) = RISWriter.text(for: richArticle())
        #expect(losses.isEmpty, "\(losses)")
        #expect(!text.hasPrefix("\u{FEFF}"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.first == "TY  - JOUR")
        #expect(lines.dropLast(2).last == "ER  - ")
        #expect(lines.suffix(2) == ["", ""])
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for line in lines where !line.isEmpty {
            #expect(RISScanner.risTag(Array(line.utf8)[...]) != nil || line.hasPrefix("Method:"), "\(line)")
        }
        #expect(lines.filter { $0.hasPrefix("AU  - ") } == [
            "AU  - Smith, Jane, Jr.", "AU  - van Beethoven, Ludwig", "AU  - Núñez, María José", "AU  - World Health Organization",
        ])
        #expect(lines.contains("DA  - 2020/05/17/") && lines.contains("PY  - 2020") && lines.contains("Y2  - 2021/01/02/"))
        #expect(lines.contains("SP  - 804") && lines.contains("EP  - 811"))
        #expect(lines.contains("A2  - Doe, John") && lines.contains("A4  - Roe, Rita"))
        #expect(lines.contains("KW  - Pathways, Admission, & Graduation"))
        #expect(lines.contains("C2  - PMC7654321") && lines.contains("AN  - 32769473"))
        #expect(lines.contains("RN  - Library summary: strong design."))
        // Library fields as prefixed keywords, after the ordinary ones.
        let keywords = lines.filter { $0.hasPrefix("KW  - ") }
        #expect(Array(keywords.suffix(7)) == [
            "KW  - smrl:resource-type:peer-reviewed-article", "KW  - smrl:domain:community-engagement",
            "KW  - smrl:domain:diversity", "KW  - smrl:topic:specialty-choice", "KW  - smrl:profession:medicine",
            "KW  - smrl:profession:pharmacy", "KW  - smrl:open-access:false",
        ])
        #expect(lines.contains("M3  - Original Research"))
    }

    @Test("smrl-json → RIS → smrl-json: a rich resource comes back equal on every field RIS carries")
    func richRoundTrip() throws {
        let json = try JSONEncoder().encode(richArticle())
        let original = try JSONDecoder().decode(Resource.self, from: json)
        let (text, records, losses) = try RISTest.roundTrip([original])
        #expect(losses == [[]])
        let back = try JSONDecoder().decode([Resource].self, from: JSONEncoder().encode(records))
        #expect(back == [original], "\(text)")
    }

    @Test("every CSL type is written with a TY that reads back as that type, or the change is reported",
        arguments: ItemType.allCases)
    func everyType(type: ItemType) throws {
        var r = Resource(type: type)
        r.title = "T"
        let (text, records, losses) = try RISTest.roundTrip([r])
        let typeLost = losses.first?.contains { $0.field == "type" } ?? false
        #expect(records.count == 1)
        #expect(typeLost || records.first?.type == type, "\(text)")
        #expect(!typeLost || records.first?.type != type)
    }

    @Test("other types keep their type-dependent fields", arguments: [
        ItemType.book, .chapter, .paperConference, .webpage, .report, .thesis, .dataset, .software,
    ])
    func typesRoundTrip(type: ItemType) throws {
        var r = Resource(type: type)
        r.title = "A title"
        r.authors = [Person(family: "Author", given: "An")]
        r.issued = EDTFDate(year: 2019, month: 3)
        r.publisher = "Press"
        r.publisherPlace = "Oxford"
        r.url = "https://example.org/w"
        r.keywords = ["k"]
        r.domains = ["d"]
        switch type {
        case .book:
            r.editors = [Person(family: "Editor", given: "Ed")]
            r.edition = "2nd"
            r.collectionTitle = "A Series"
            r.isbn = ["978-0-06-297658-1"]
            r.volume = "3"
        case .chapter:
            r.editors = [Person(family: "Editor", given: "Ed")]
            r.containerTitle = "The Book"
            r.collectionTitle = "The Series"
            r.pages = "3-5"
            r.edition = "3"
        case .paperConference:
            r.containerTitle = "Proceedings of the Meeting"
            r.event = "The Meeting 2019"
            r.pages = "11-16"
        case .webpage:
            r.containerTitle = "A Website"
            r.accessed = EDTFDate(year: 2023, month: 11, day: 1)
        case .report:
            r.collectionTitle = "Working Papers"
            r.extra = ["ris": ["SN": ["WP-12"]]]
        case .thesis:
            r.extra = ["ris": ["M3": ["PhD thesis"]]]
        case .software:
            r.edition = "0.5.0"
        default:
            r.doi = "10.5281/zenodo.10037162"
        }
        let (text, records, losses) = try RISTest.roundTrip([r])
        #expect(losses == [[]], "\(text)")
        #expect(records == [r], "\(text)")
    }

    @Test("what RIS cannot hold is reported, never dropped silently")
    func losses() throws {
        var r = Resource(type: .interview)
        r.title = "A <i>rich</i> title"
        r.subtitle = "and its subtitle"
        r.authors = [
            Person(family: "Gaulle", given: "Charles", droppingParticle: "de", orcid: "0000-0002-1825-0097"),
            Person(literal: "Barnes and Noble, Inc."),
        ]
        r.event = "A conference"
        r.edition = "2"
        r.extra = ["bibtex": ["owner": ["me"]], "ris": ["TY": ["WHATEVER"], "x1": ["bad tag"]]]
        let (text, losses) = RISWriter.text(for: r)
        let fields = Set(losses.map(\.field))
        #expect(fields == [
            "type", "title", "subtitle", "authors.orcid", "authors.droppingParticle", "authors", "event",
            "extra.bibtex.owner", "extra.ris.TY", "extra.ris.x1",
        ])
        #expect(text.contains("TY  - GEN\r\n"))
        #expect(text.contains("TI  - A rich title: and its subtitle\r\n"))
        #expect(text.contains("ET  - 2\r\n"))
        // The edition of a journal article has no tag (ET is the e-pub date there).
        var article = Resource(type: .articleJournal)
        article.edition = "2"
        #expect(RISWriter.text(for: article).losses.map(\.field) == ["edition"])
    }

    @Test("a keyword with a ';' is reported as changed: it reads back as several (also with a mark after the ';')")
    func keywordWithSemicolon() throws {
        for keyword in ["health; equity", "a;\u{0301}b"] {
            var r = Resource(type: .articleJournal)
            r.title = "T"
            r.keywords = [keyword, "plain"]
            let (text, losses) = RISWriter.text(for: r)
            #expect(losses.map(\.field) == ["keywords"], "\(keyword.debugDescription)")
            #expect(losses.first?.kind == .changed)
            let (_, records, _) = try RISTest.roundTrip([r])
            #expect(records.first?.keywords.count == 3, "\(text)")
        }
        var plain = Resource(type: .articleJournal)
        plain.title = "T"
        plain.keywords = ["health, equity", "a\u{037E}b"]
        #expect(RISWriter.text(for: plain).losses.isEmpty)
    }

    @Test("dates that are not a plain day, month or year travel as EDTF in PY", arguments: [
        "1984/1985", "1950~", "2000-03-15/2000-03-17", "2019-21", "in press",
    ])
    func edtfDates(date: String) throws {
        var r = Resource(type: .articleJournal)
        r.title = "t"
        r.issued = EDTFDate(parsing: date)
        let (_, records, _) = try RISTest.roundTrip([r])
        #expect(records.first?.issued == r.issued)
    }

    @Test("settings: LF line ends and an optional BOM; the descriptor makes both sides")
    func settings() throws {
        var options = WriterOptions()
        options.settings = ["ris.newline": "lf", "ris.bom": "true"]
        let descriptor = RISFormat.descriptor
        var writer = try #require(descriptor.makeWriter?(options))
        let sink = OutputSink.inMemory()
        try writer.begin(into: sink)
        _ = try writer.write(richArticle(), into: sink)
        try writer.end(into: sink)
        try sink.flush()
        #expect(Array(sink.memory.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(!sink.memory.contains(0x0D))
        var reader = try #require(descriptor.makeReader?(ByteReader(bytes: sink.memory), ReaderOptions()))
        #expect(try reader.next()?.record == richArticle())
        #expect(RISFormat.sniffRIS(Array("TY  - JOUR\r\n".utf8)[...]) == 90)
        #expect(RISFormat.sniffMEDLINE(Array("PMID- 1\n".utf8)[...]) == 95)
        #expect(RISFormat.medline.makeWriter == nil && RISFormat.medline.canRead)
    }

    @Test("a continuation that would look like a tag is joined to the line before")
    func continuationSafety() throws {
        var r = Resource(type: .articleJournal)
        r.abstract = "Results.\nER  - not an end\nKW  - not a keyword"
        let (_, records, losses) = try RISTest.roundTrip([r])
        #expect(records.first?.abstract == "Results. ER  - not an end KW  - not a keyword")
        #expect(losses.first?.map(\.field) == ["abstract"])
        #expect(records.first?.keywords.isEmpty == true)
    }
}
