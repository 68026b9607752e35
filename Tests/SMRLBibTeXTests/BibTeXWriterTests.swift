import Foundation
import SMRLCore
import Testing
@testable import SMRLBibTeX

/// A record set that uses every field the schema has, with the hard cases in it.
enum RichRecords {
    static var all: [Resource] {
        var article = Resource(id: "smith2020", type: .articleJournal)
        article.resourceType = "peer-reviewed-article"
        article.title = "<span class=\"nocase\">DNA</span> repair in <span class=\"nocase\">HIV</span>-positive adults: <i>Homo sapiens</i> & CO<sub>2</sub>"
        article.subtitle = "A 50% cheaper α-approach with $e=mc^2$"
        article.shortTitle = "DNA repair"
        article.containerTitle = "Journal of Things & Stuff"
        article.containerTitleShort = "J Things"
        article.authors = [
            Person(family: "Beethoven", given: "Ludwig", particle: "van", orcid: "0000-0002-1825-0097"),
            Person(family: "Ford", given: "Henry", suffix: "Jr."),
            Person(literal: "World Health Organization"),
            Person(literal: "Barnes and Noble, Inc."),
            Person(family: "Vallée Poussin", given: "Charles Louis Xavier Joseph", particle: "de la"),
            Person(family: "Müller-Lüdenscheidt", given: "Jörg Ø."),
            Person(family: "García", given: "Pía"),
        ]
        article.issued = EDTFDate(year: 2020, month: 6, day: 15)
        article.accessed = EDTFDate(year: 2021, month: 1, day: 2)
        article.volume = "12"
        article.issue = "3"
        article.pages = "123-145"
        article.doi = "10.1000/xyz_123"
        article.pmid = "12345678"
        article.pmcid = "PMC1234567"
        article.issn = ["1234-5678", "2345-6789"]
        article.url = "https://example.org/a_b%20c?x=1&y=~z#frag"
        article.abstract = "First paragraph with “quotes” and ‘single’ ones — and an en dash – here.\n\nSecond paragraph: 5 < 6, ½, 10 µm, ±2, ≤ 3, café."
        article.keywords = ["Pathways, Admission, & Graduation", "asthma", "air pollution"]
        article.language = "en"
        article.note = "A note with {braces}, a backslash \\ and 100$ and ^ and ~ and _ and #."
        article.domains = ["pathways-admission-graduation", "community-engagement"]
        article.topics = ["Diversity, inclusion & belonging", "specialty-choice"]
        article.professions = ["pharmacy"]
        article.openAccess = true
        article.description = "The library's own summary."
        article.extra = ["bibtex": ["owner": ["jane"], "timestamp": ["2020-01-01"]]]

        var chapter = Resource(type: .chapter)
        chapter.title = "A chapter on Łódź and the Straße"
        chapter.containerTitle = "The Handbook"
        chapter.authors = [Person(family: "Doe", given: "Jane")]
        chapter.editors = [Person(family: "Roe", given: "Richard")]
        chapter.translators = [Person(family: "Trans", given: "Lator")]
        chapter.publisher = "Springer"
        chapter.publisherPlace = "Berlin"
        chapter.edition = "2"
        chapter.collectionTitle = "Lecture Notes"
        chapter.issued = EDTFDate(year: 2019)
        chapter.pages = "S12-S19"
        chapter.isbn = ["978-3-16-148410-0"]

        var thesis = Resource(id: "a key with spaces, and {braces}", type: .thesis)
        thesis.title = "Ŝpecial ĉaracters of Esperanto"
        thesis.authors = [Person(family: "Zamenhof", given: "L. L.")]
        thesis.publisher = "University of Warsaw"
        thesis.issued = EDTFDate(edtf: "1887~")

        var report = Resource(type: .report)
        report.title = "Grey literature"
        report.authors = [Person(literal: "Social Mission Alliance")]
        report.publisher = "SMA"
        report.issued = EDTFDate(edtf: "2019-21")
        report.articleNumber = "e0123"

        var web = Resource(type: .webpage)
        web.title = "A web page"
        web.authors = [Person(literal: "Médecins Sans Frontières")]
        web.url = "https://example.org/page"
        web.accessed = EDTFDate(year: 2024, month: 3, day: 1)
        web.issued = EDTFDate(literal: "in press")

        var paper = Resource(type: .paperConference)
        paper.title = "Conference paper"
        paper.authors = [Person(family: "Smith", given: "Ann")]
        paper.containerTitle = "Proceedings of CHI"
        paper.event = "CHI 2020"
        paper.issued = EDTFDate(edtf: "2020-04-25/2020-04-30")

        var book = Resource(type: .book)
        book.title = "A book"
        book.editors = [Person(family: "Editor", given: "Ed")]
        book.publisher = "Pub"
        book.issued = EDTFDate(year: 2001)

        return [article, chapter, thesis, report, web, paper, book]
    }
}

@Suite struct BibTeXWriterTests {
    @Test("A manuscript with an event is written as a talk, and the type change is reported", arguments: [BibTeXDialect.bibtex, .biblatex])
    func manuscriptWithAnEventReportsItsTypeChange(_ dialect: BibTeXDialect) throws {
        var manuscript = Resource(id: "m", type: .manuscript)
        manuscript.title = "Draft"
        manuscript.event = "Annual Meeting"
        var plain = manuscript
        plain.id = "p"
        plain.event = nil
        var talk = manuscript
        talk.id = "t"
        talk.type = .speech
        let (text, losses) = BibTeXTest.write([manuscript, plain, talk], dialect: dialect)
        #expect(losses[0].contains { $0.field == "type" && $0.kind == .changed })
        #expect(!losses[1].contains { $0.field == "type" })
        #expect(!losses[2].contains { $0.field == "type" })
        let back = BibTeXTest.read(text).compactMap(\.record)
        #expect(back.map(\.type) == [.speech, .manuscript, .speech])
    }

    @Test func bibtexDialectIsSevenBitASCII() {
        let (text, losses) = BibTeXTest.write(RichRecords.all, dialect: .bibtex)
        #expect(text.utf8.allSatisfy { $0 < 0x80 }, "bibtex output must be 7-bit")
        #expect(text.contains("@article{smith2020,"))
        #expect(text.contains("author = {van Beethoven, Ludwig and Ford, Jr., Henry and {World Health Organization} and {Barnes and Noble, Inc.} and de la Vall{\\'e}e Poussin, Charles Louis Xavier Joseph"))
        #expect(text.contains("title = {{DNA} repair in {HIV}-positive adults: \\textit{Homo sapiens} \\& CO\\textsubscript{2}: A 50\\% cheaper $\\alpha$-approach with $e=mc^2$}"))
        #expect(text.contains("journal = {Journal of Things \\& Stuff}"))
        #expect(text.contains("pages = {123--145}"))
        #expect(text.contains("year = {2020}"))
        #expect(text.contains("month = jun,"))
        #expect(text.contains("date = {2020-06-15}"))
        #expect(text.contains("keywords = {Pathways, Admission, \\& Graduation; asthma; air pollution}"))
        #expect(text.contains("smrl-topics = {{Diversity, inclusion \\& belonging}; specialty-choice}"))
        #expect(text.contains("smrl-domains = {pathways-admission-graduation; community-engagement}"))
        #expect(text.contains("smrl-open-access = {true}"))
        #expect(text.contains("author+an:orcid = {1=\"0000-0002-1825-0097\"}"))
        #expect(text.contains("owner = {jane}"))
        #expect(text.contains("@incollection{doe2019chapter,"))
        #expect(text.contains("school = {University of Warsaw}"))
        #expect(text.contains("@phdthesis{a_key_with_spaces__and__braces_,"))
        #expect(text.contains("smrl-id = {a key with spaces, and {braces}}"))
        #expect(losses[0].contains(Loss("subtitle", "joined to the title with ': '", kind: .changed)))
        #expect(losses[4].contains { $0.field == "type" })
    }

    @Test func biblatexDialectKeepsUTF8() {
        let (text, _) = BibTeXTest.write(RichRecords.all, dialect: .biblatex)
        #expect(text.hasPrefix("% Encoding: UTF-8\n"))
        #expect(text.contains("de la Vallée Poussin, Charles Louis Xavier Joseph"))
        #expect(text.contains("journaltitle = {Journal of Things \\& Stuff}"))
        #expect(text.contains("subtitle = {A 50\\% cheaper α-approach with $e=mc^2$}"))
        #expect(text.contains("date = {2020-06-15}"))
        #expect(!text.contains("month ="))
        #expect(text.contains("eprint = {12345678}"))
        #expect(text.contains("eprinttype = {pubmed}"))
        #expect(text.contains("location = {Berlin}"))
        #expect(text.contains("@incollection{doe2019chapter,"))
        #expect(text.contains("@thesis{"))
        #expect(text.contains("institution = {University of Warsaw}"))
        #expect(text.contains("date = {1887~}"))
        #expect(text.contains("@online{"))
        #expect(text.contains("pubstate = {inpress}"))
        #expect(text.contains("date = {2020-04-25/2020-04-30}"))
    }

    @Test func specialsAreEscapedAndReadBack() {
        var record = Resource(id: "k", type: .document)
        record.title = "R&D costs 50% of $10 at #1_place ~ ^ \\ {x} -- ''"
        for dialect in BibTeXDialect.allCases {
            let (text, _) = BibTeXTest.write([record], dialect: dialect)
            #expect(text.contains("R\\&D costs 50\\% of \\$10 at \\#1\\_place \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\{x\\} -{}- '{}'"))
            #expect(BibTeXTest.records(text).first?.title == record.title)
        }
    }

    @Test func generatedKeysAreStableUniqueAndASCII() {
        var first = Resource(type: .articleJournal)
        first.authors = [Person(family: "Müller", given: "Jörg")]
        first.issued = EDTFDate(year: 2020)
        first.title = "The Ökonomie of things"
        var keys = CitationKeys()
        #expect(keys.key(for: first, generate: false).key == "muller2020okonomie")
        #expect(keys.key(for: first, generate: false).key == "muller2020okonomiea")
        #expect(keys.key(for: first, generate: false).key == "muller2020okonomieb")
        var second = Resource(id: "muller2020okonomie", type: .book)
        second.title = "x"
        #expect(keys.key(for: second, generate: false).key == "muller2020okonomiec")
        #expect(CitationKeys.generate(for: Resource()) == "anonnd")
        #expect(CitationKeys.suffix(25) == "z")
        #expect(CitationKeys.suffix(26) == "aa")
        var settings = WriterOptions()
        settings.settings["bibtex.keys"] = "generate"
        var writer = BibTeXWriter(dialect: .bibtex, options: settings)
        let sink = OutputSink.inMemory()
        var identified = first
        identified.id = "original"
        _ = try? writer.write(identified, into: sink)
        try? sink.flush()
        let text = String(decoding: sink.memory, as: UTF8.self)
        #expect(text.hasPrefix("@article{muller2020okonomie,"))
        #expect(text.contains("smrl-id = {original}"))
    }

    @Test func namesThatBibTeXWouldSplitAreProtected() {
        var record = Resource(id: "k", type: .book)
        record.authors = [
            Person(family: "de Gaulle", given: "Charles"),
            Person(family: "Beethoven", given: "Ludwig", particle: "Van"),
            Person(given: "Plato"),
            Person(family: "Smith, Jones", given: "Ann and Bob"),
        ]
        let (bibtex, bibtexLosses) = BibTeXTest.write([record], dialect: .bibtex)
        #expect(bibtex.contains("author = {{de Gaulle}, Charles and {Van} Beethoven, Ludwig and {}, Plato and {Smith, Jones}, {Ann and Bob}}"))
        #expect(bibtexLosses[0].contains { $0.field == "authors" })
        let back = BibTeXTest.record(bibtex)
        #expect(back.authors[0] == Person(family: "de Gaulle", given: "Charles"))
        #expect(back.authors[2] == Person(given: "Plato"))
        #expect(back.authors[3] == Person(family: "Smith, Jones", given: "Ann and Bob"))
        let (biblatex, _) = BibTeXTest.write([record], dialect: .biblatex)
        #expect(biblatex.contains("family={Beethoven}, given={Ludwig}, prefix={Van}, useprefix=true"))
        #expect(BibTeXTest.record(biblatex).authors == record.authors)
    }

    @Test func lossesForOtherFormatsExtras() {
        var record = Resource(id: "k")
        record.extra = ["ris": ["M1": ["x"]], "bibtex": ["@type": ["misc"], "bad name": ["v"]]]
        let (_, losses) = BibTeXTest.write([record], dialect: .biblatex)
        #expect(losses[0].contains(Loss("extra.ris.M1")))
        #expect(losses[0].contains { $0.field == "extra.bibtex.bad name" })
    }
}

@Suite struct BibTeXRoundTripTests {
    /// Clears the fields a writer reported as lost, so the rest can be compared.
    static func comparable(_ record: Resource, losses: [Loss]) -> Resource {
        var record = record
        for loss in losses {
            switch loss.field {
            case "subtitle": record.subtitle = nil; record.title = nil
            case "type": record.type = .document
            case "authors": record.authors = []
            default:
                if loss.field.hasPrefix("extra.") {
                    let parts = loss.field.split(separator: ".", maxSplits: 2).map(String.init)
                    if parts.count == 3 { record.extra[parts[1]]?[parts[2]] = nil }
                    if record.extra[parts[1]]?.isEmpty == true { record.extra[parts[1]] = nil }
                }
            }
        }
        record.extra["bibtex"]?["@type"] = nil
        if record.extra["bibtex"]?.isEmpty == true { record.extra["bibtex"] = nil }
        // Extra fields are LaTeX source; the bibtex dialect re-encodes their non-ASCII characters. Compare text.
        if let fields = record.extra["bibtex"] {
            record.extra["bibtex"] = fields.mapValues { $0.map { LaTeXDecoder.decode($0, mode: .plain) } }
        }
        return record
    }

    @Test(arguments: BibTeXDialect.allCases)
    func resourceToBibTeXToResource(dialect: BibTeXDialect) throws {
        let originals = RichRecords.all
        let (text, losses) = BibTeXTest.write(originals, dialect: dialect)
        let results = BibTeXTest.read(text)
        #expect(!results.flatMap(\.diagnostics).contains { $0.severity >= .warning }, "\(results.flatMap(\.diagnostics))")
        let back = results.compactMap(\.record)
        try #require(back.count == originals.count)
        for (index, original) in originals.enumerated() {
            var expected = Self.comparable(original, losses: losses[index])
            var actual = Self.comparable(back[index], losses: losses[index])
            if original.id == nil { actual.id = nil }
            if losses[index].contains(where: { $0.field == "subtitle" }) { actual.title = nil }
            if losses[index].contains(where: { $0.field == "type" }) { actual.type = .document }
            if losses[index].contains(where: { $0.field == "authors" }) { actual.authors = [] }
            expected.extra = expected.extra.filter { $0.key == "bibtex" }
            #expect(actual == expected, "record \(index) via \(dialect)")
        }
    }

    @Test func subtitleSplitSurvivesBiblatexOnly() {
        var record = Resource(id: "k", type: .book)
        record.title = "Main"
        record.subtitle = "Sub"
        let viaBibTeX = BibTeXTest.record(BibTeXTest.write([record], dialect: .bibtex).text)
        #expect(viaBibTeX.title == "Main: Sub")
        let viaBiblatex = BibTeXTest.record(BibTeXTest.write([record], dialect: .biblatex).text)
        #expect(viaBiblatex.title == "Main")
        #expect(viaBiblatex.subtitle == "Sub")
    }

    @Test func hardCase38VocabularyLabelWithCommas() {
        var record = Resource(id: "k")
        record.topics = ["Pathways, Admission, & Graduation"]
        record.keywords = ["Pathways, Admission, & Graduation"]
        for dialect in BibTeXDialect.allCases {
            let text = BibTeXTest.write([record], dialect: dialect).text
            #expect(text.contains("Pathways, Admission, \\& Graduation"))
            let back = BibTeXTest.record(text)
            #expect(back.topics == record.topics)
            #expect(back.keywords == record.keywords)
        }
    }
}
