import SMRLCore
import Testing
@testable import SMRLBibTeX

@Suite struct BibTeXMappingTests {
    @Test func bibtexArticle() {
        let record = BibTeXTest.record("""
            @article{Article,
              author = {Adams, Alice and Brody, Bob},
              title = {Lorem Ipsum},
              journal = {The BibTeX Journal},
              year = 2020, volume = 5, number = 6, pages = {200--210}, month = feb,
              note = {This is a note.},
              doi = {https://doi.org/10.1000/XYZ.}, pmid = {12653513}, issn = {00952338},
              isbn = {978-1-60558-730-1, 2214707786},
              keywords = {asthma, air pollution},
              owner = {jane}, timestamp = {2020.01.01}, groups = {g1}
            }
            """)
        #expect(record.type == .articleJournal)
        #expect(record.authors.map(\.family) == ["Adams", "Brody"])
        #expect(record.containerTitle == "The BibTeX Journal")
        #expect(record.issued?.description == "2020-02")
        #expect(record.volume == "5")
        #expect(record.issue == "6")
        #expect(record.pages == "200-210")
        #expect(record.doi == "10.1000/XYZ")
        #expect(record.pmid == "12653513")
        #expect(record.issn == ["0095-2338"])
        #expect(record.isbn == ["978-1-60558-730-1", "2214707786"])
        #expect(record.keywords == ["asthma", "air pollution"])
        // Hard case 24: unknown fields survive.
        #expect(record.extra["bibtex"]?["owner"] == ["jane"])
        #expect(record.extra["bibtex"]?["timestamp"] == ["2020.01.01"])
        #expect(record.extra["bibtex"]?["groups"] == ["g1"])
        #expect(record.extra["bibtex"]?["@type"] == nil)
    }

    @Test func biblatexFields() {
        let record = BibTeXTest.record("""
            @online{w, author = {{World Health Organization}}, title = {Fact sheet}, subtitle = {Asthma},
              journaltitle = {WHO News}, journal = {WHO}, date = {2023-05~}, urldate = {2024-01-02},
              location = {Geneva}, address = {Genf}, eprint = {31452104}, eprinttype = {pubmed},
              pmcid = {6712345}, langid = {english}, url = {https://who.int/a_b%20c~d}}
            """)
        #expect(record.type == .webpage)
        #expect(record.authors == [Person(literal: "World Health Organization")])
        #expect(record.subtitle == "Asthma")
        #expect(record.containerTitle == "WHO News")
        #expect(record.extra["bibtex"]?["journal"] == ["WHO"])
        #expect(record.issued?.description == "2023-05~")
        #expect(record.accessed?.description == "2024-01-02")
        #expect(record.publisherPlace == "Geneva")
        #expect(record.extra["bibtex"]?["address"] == ["Genf"])
        #expect(record.pmid == "31452104")
        #expect(record.pmcid == "PMC6712345")
        #expect(record.language == "english")
        #expect(record.url == "https://who.int/a_b%20c~d")
        #expect(record.extra["bibtex"]?["@type"] == ["online"])
    }

    @Test(arguments: [
        ("article", ItemType.articleJournal), ("book", .book), ("mvbook", .book), ("inbook", .chapter),
        ("incollection", .chapter), ("booklet", .pamphlet), ("collection", .book), ("proceedings", .book),
        ("inproceedings", .paperConference), ("conference", .paperConference), ("manual", .report),
        ("mastersthesis", .thesis), ("phdthesis", .thesis), ("thesis", .thesis), ("misc", .document),
        ("online", .webpage), ("patent", .patent), ("periodical", .periodical), ("report", .report),
        ("techreport", .report), ("unpublished", .manuscript), ("software", .software), ("dataset", .dataset),
        ("inreference", .entryEncyclopedia), ("video", .motionPicture), ("legislation", .legislation),
        ("jurisdiction", .legalCase), ("standard", .standard), ("letter", .personalCommunication),
    ])
    func entryTypes(type: String, expected: ItemType) {
        #expect(BibTeXTest.record("@\(type){k, title = {t}}").type == expected)
    }

    @Test func articleSubtypesAndUnknownTypes() {
        #expect(BibTeXTest.record("@article{k, entrysubtype = {magazine}}").type == .articleMagazine)
        let results = BibTeXTest.read("@wrong{foo, author = {wrong}}")
        #expect(results.first?.record?.type == .document)
        #expect(results.first?.record?.extra["bibtex"]?["@type"] == ["wrong"])
        #expect(BibTeXTest.codes(results) == ["bibtex.unknown-type"])
    }

    @Test func datesYearMonthDayAndConflicts() {
        #expect(BibTeXTest.record("@misc{k, year = {1999--2001}}").issued?.description == "1999/2001")
        #expect(BibTeXTest.record("@misc{k, date = {2016/2017}}").issued?.description == "2016/2017")
        #expect(BibTeXTest.record("@misc{k, date = {1988/}}").issued?.description == "1988/..")
        #expect(BibTeXTest.record("@misc{k, year = 2001, month = {Sept.}, day = 9}").issued?.description
            == "2001-09-09")
        #expect(BibTeXTest.record("@misc{k, year = 2001, month = 08}").issued?.description == "2001-08")
        let literal = BibTeXTest.read("@misc{k, year = {in press}}")
        #expect(literal.first?.record?.issued == EDTFDate(literal: "in press"))
        #expect(BibTeXTest.record("@misc{k, pubstate = {forthcoming}}").issued == EDTFDate(literal: "forthcoming"))
        let conflict = BibTeXTest.record("@misc{k, date = {2016-12-13}, year = 2017, month = 8}")
        #expect(conflict.issued?.description == "2016-12-13")
        #expect(conflict.extra["bibtex"]?["year"] == ["2017"])
        #expect(conflict.extra["bibtex"]?["month"] == ["8"])
        let agreeing = BibTeXTest.record("@misc{k, date = {2016-12-13}, year = 2016, month = dec}")
        #expect(agreeing.extra["bibtex"] == nil)
        let badMonth = BibTeXTest.record("@misc{k, year = 2016, month = {Spring}}")
        #expect(badMonth.issued?.description == "2016")
        #expect(badMonth.extra["bibtex"]?["month"] == ["Spring"])
    }

    @Test func hardCase25KeywordSeparators() {
        #expect(BibTeXTest.record("@misc{k, keywords = {program interpreters;software portability}}").keywords
            == ["program interpreters", "software portability"])
        #expect(BibTeXTest.record("@misc{k, keywords = {asthma, air pollution}}").keywords
            == ["asthma", "air pollution"])
        #expect(BibTeXTest.record("@misc{k, keywords = {{Pathways, Admission, \\& Graduation}, x}}").keywords
            == ["Pathways, Admission, & Graduation", "x"])
        #expect(BibTeXTest.record("@misc{k, keywords = {Pathways, Admission, \\& Graduation; x}}").keywords
            == ["Pathways, Admission, & Graduation", "x"])
    }

    @Test func libraryFieldsAndTags() {
        let record = BibTeXTest.record("""
            @article{k, smrl-domains = {pathways-admission-graduation; community-engagement},
              smrl-topics = {{Pathways, Admission, \\& Graduation}}, smrl-professions = {pharmacy},
              smrl-resource-type = {peer-reviewed-article}, smrl-open-access = {true},
              smrl-description = {Our summary.}, keywords = {smrl:profession:dentistry, asthma}}
            """)
        #expect(record.domains == ["pathways-admission-graduation", "community-engagement"])
        #expect(record.topics == ["Pathways, Admission, & Graduation"])
        #expect(Set(record.professions) == ["pharmacy", "dentistry"])
        #expect(record.resourceType == "peer-reviewed-article")
        #expect(record.openAccess == true)
        #expect(record.description == "Our summary.")
        #expect(record.keywords == ["asthma"])
        #expect(record.extra.isEmpty)
    }

    @Test func publisherVariantsAndContainers() {
        let thesis = BibTeXTest.record("@phdthesis{k, school = {MIT}, address = {Cambridge}}")
        #expect(thesis.publisher == "MIT")
        #expect(thesis.publisherPlace == "Cambridge")
        #expect(thesis.extra["bibtex"]?["@type"] == ["phdthesis"])
        #expect(BibTeXTest.record("@techreport{k, institution = {RAND}, number = {TR-1}}").publisher == "RAND")
        let paper = BibTeXTest.record("@inproceedings{k, booktitle = {Proc. {ACM}}, eventtitle = {CHI}}")
        #expect(paper.containerTitle == "Proc. <span class=\"nocase\">ACM</span>")
        #expect(paper.event == "CHI")
        let misc = BibTeXTest.record("@misc{k, howpublished = {\\url{https://example.org/x}}}")
        #expect(misc.url == "https://example.org/x")
        #expect(BibTeXTest.record("@misc{k, howpublished = {Online}}").publisher == "Online")
    }

    @Test func namesAndOrcidAndOthers() {
        let record = BibTeXTest.record("""
            @article{k, author = {Willighagen, Lars G. and Jongejans, Eelke and others},
              author+an:orcid = {1="0000-0002-4751-4637"; 2="0000-0003-1148-7419"},
              editor = {Ed, Itor}, translator = {Trans, Lator}}
            """)
        #expect(record.authors.map(\.orcid) == ["0000-0002-4751-4637", "0000-0003-1148-7419"])
        #expect(record.extra["bibtex"]?["@and-others"] == ["author"])
        #expect(record.editors.first?.family == "Ed")
        #expect(record.translators.first?.family == "Trans")
    }

    @Test func verbatimAndInvalidIdentifiers() {
        let results = BibTeXTest.read("@misc{k, doi = {not a doi}, url = {\\url{http://x.org/a\\_b}}}")
        let record = results.first?.record
        #expect(record?.doi == nil)
        #expect(record?.extra["bibtex"]?["doi"] == ["not a doi"])
        #expect(record?.url == "http://x.org/a_b")
        #expect(BibTeXTest.codes(results) == ["bibtex.invalid-doi"])
    }

    @Test func sniffing() {
        let registry = FormatRegistry([BibTeXFormat.bibtex, BibTeXFormat.biblatex])
        let plain = Array("% JabRef\n\n@Article{a,\n title = {x}}".utf8)
        #expect(registry.detect(fileName: "x.txt", prefix: plain[...])?.name == "bibtex")
        let biblatex = Array("@online{a, journaltitle = {x}, date = {2020}}".utf8)
        #expect(registry.detect(fileName: nil, prefix: biblatex[...])?.name == "biblatex")
        let ris = Array("TY  - JOUR\nER  - \n".utf8)
        #expect(BibTeXFormat.sniff(ris[...], dialect: .bibtex) == 0)
        let mail = Array("Write to someone@example.org {soon}".utf8)
        #expect(BibTeXFormat.sniff(mail[...], dialect: .bibtex) == 0)
    }
}
