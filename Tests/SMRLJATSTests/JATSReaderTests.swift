import SMRLCore
import SMRLJATS
import SMRLTestSupport
import SMRLXML
import Testing

/// The JATS hard cases 30–37 of formats-and-anchors.md, and the reader's containers and settings.
@Suite("JATS reader")
struct JATSReaderTests {
    static func refs(_ body: String, article: String = "") throws -> [Resource] {
        let xml = """
            <?xml version="1.0"?>
            <article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article">
            <front><article-meta><title-group><article-title>Host</article-title></title-group>\(article)</article-meta></front>
            <back><ref-list>\(body)</ref-list></back></article>
            """
        return try JATSTest.read(xml, settings: ["jats.content": "references"]).compactMap(\.record)
    }

    static func article(_ meta: String, journal: String = "", attributes: String = "") throws -> Resource? {
        let xml = """
            <article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:ali="http://www.niso.org/schemas/ali/1.0/" \(attributes)>
            <front><journal-meta>\(journal)</journal-meta><article-meta>\(meta)</article-meta></front></article>
            """
        return try JATSTest.read(xml).compactMap(\.record).first
    }

    // 30
    @Test func citationAlternativesGiveOneRecordPreferringTheElementCitation() throws {
        let records = try Self.refs("""
            <ref id="r1"><citation-alternatives>
              <mixed-citation publication-type="journal"><string-name><surname>Holmes</surname>, <given-names>S. J.</given-names></string-name> The Title. <source>J Stuff</source> <year>1901</year>;</mixed-citation>
              <element-citation publication-type="journal"><person-group person-group-type="author"><name><surname>Holmes</surname><given-names>SJ</given-names></name></person-group><article-title>The Title</article-title><source>Journal of Stuff</source><year>1901</year></element-citation>
            </citation-alternatives></ref>
            <ref id="r2"><mixed-citation>Plain text citation only.</mixed-citation><element-citation publication-type="book"><source>Tagged Book</source><publisher-name>P</publisher-name></element-citation></ref>
            """)
        #expect(records.count == 2)
        #expect(records[0].id == "r1")
        #expect(records[0].containerTitle == "Journal of Stuff")
        #expect(records[0].authors == [Person(family: "Holmes", given: "SJ")])
        #expect(records[1].title == "Tagged Book")
        #expect(records[1].type == .book)
    }

    // 31
    @Test func mixedCitationTaggedPartsArePickedOutOfLooseText() throws {
        let records = try Self.refs("""
            <ref id="h"><mixed-citation publication-type="journal"><string-name><surname>Holmes</surname>, <given-names>S. J.</given-names></string-name> (<year>1901</year>) <article-title>On <italic>Amoeba</italic></article-title>. <source>Biol Bull</source> <volume>2</volume>: <fpage>12</fpage>–<lpage>19</lpage>. doi: 10.2307/1535703. PMID: 12345678</mixed-citation></ref>
            <ref id="free"><mixed-citation>Smith J. A free-text reference. Some Publisher; 2015. pp 3681–3690.</mixed-citation></ref>
            """)
        let holmes = try #require(records.first)
        #expect(holmes.authors == [Person(family: "Holmes", given: "S. J.")])
        #expect(holmes.issued == EDTFDate(year: 1901))
        #expect(holmes.title == "On <i>Amoeba</i>")
        #expect(holmes.containerTitle == "Biol Bull")
        #expect(holmes.volume == "2")
        #expect(holmes.pages == "12-19")
        #expect(holmes.doi == "10.2307/1535703")
        #expect(holmes.pmid == "12345678")
        #expect(holmes.type == .articleJournal)
        let free = try #require(records.last)
        #expect(free.note == "Smith J. A free-text reference. Some Publisher; 2015. pp 3681–3690.")
        #expect(free.issued == EDTFDate(year: 2015))
    }

    @Test("The loose text's PMID is found on bytes: text that grows when lower-cased (İ) before it is no trap")
    func pmidAfterTextThatGrowsWhenLowerCased() throws {
        let turkish = String(repeating: "İ", count: 40)
        let records = try Self.refs("""
            <ref id="t"><mixed-citation publication-type="journal"><article-title>\(turkish)</article-title> \(turkish) Pmid 87654321</mixed-citation></ref>
            <ref id="n"><mixed-citation publication-type="journal"><article-title>No id</article-title> \(turkish) pmid:</mixed-citation></ref>
            <ref id="y"><mixed-citation publication-type="journal"><article-title>Year</article-title> PMID not available. 2015;33:12.</mixed-citation></ref>
            """)
        #expect(records.count == 3)
        #expect(records.first?.pmid == "87654321")
        #expect(records[1].pmid == nil)
        // Only separators between the label and the digits: the year that follows some other text is no PMID.
        #expect(records[2].pmid == nil)
    }

    // 32
    @Test func publicationDatesFollowTheDocumentedPreference() throws {
        let title = "<title-group><article-title>T</article-title></title-group>"
        let legacy = try Self.article(title + """
            <pub-date pub-type="epub"><day>14</day><month>2</month><year>2007</year></pub-date>
            <pub-date pub-type="ppub"><month>3</month><year>2007</year></pub-date>
            <pub-date pub-type="collection"><year>2007</year></pub-date>
            """)
        #expect(legacy?.issued == EDTFDate(year: 2007, month: 3))
        #expect(legacy?.extra["jats"]?["pub-date.epub"] == ["2007-02-14"])
        let modern = try Self.article(title + """
            <pub-date date-type="collection"><year>2019</year></pub-date>
            <pub-date date-type="pub" publication-format="electronic" iso-8601-date="2019-05-14"><day>14</day><month>05</month><year>2019</year></pub-date>
            """)
        #expect(modern?.issued == EDTFDate(year: 2019, month: 5, day: 14))
        let season = try Self.article(title + "<pub-date><season>Summer</season><year>2019</year></pub-date>")
        #expect(season?.issued == EDTFDate(year: 2019, month: 22))
        let range = try Self.article(title + "<pub-date pub-type=\"ppub\"><season>Jan-Feb</season><year>2018</year></pub-date>")
        #expect(range?.issued?.description == "2018-01/2018-02")
        let none = try Self.article(title)
        #expect(none?.issued == nil)
        let iso = try Self.article(title + "<pub-date iso-8601-date=\"2020-07\"><year>2020</year></pub-date>")
        #expect(iso?.issued == EDTFDate(year: 2020, month: 7))
    }

    // 33
    @Test func yearQuirks() throws {
        let records = try Self.refs("""
            <ref id="a"><element-citation publication-type="journal"><article-title>A</article-title><source>S</source><year iso-8601-date="2017">2017a</year></element-citation></ref>
            <ref id="b"><element-citation publication-type="journal"><article-title>B</article-title><source>S</source><year>in press</year></element-citation></ref>
            <ref id="c"><element-citation publication-type="book"><source>C</source><year>1623/1995</year></element-citation></ref>
            <ref id="d"><element-citation publication-type="webpage"><source>D</source><date-in-citation content-type="access-date">cited 2019 Jan 2</date-in-citation></element-citation></ref>
            """)
        #expect(records[0].issued == EDTFDate(year: 2017))
        #expect(records[0].extra["jats"]?["year"] == ["2017a"])
        #expect(records[1].issued == EDTFDate(literal: "in press"))
        #expect(records[2].issued == EDTFDate(year: 1995))
        #expect(records[2].extra["jats"]?["year"] == ["1623/1995"])
        #expect(records[3].accessed == EDTFDate(year: 2019, month: 1, day: 2))
    }

    // 34
    @Test func peopleByRoleWithCollabEtalStringNamesAndAlternatives() throws {
        let records = try Self.refs("""
            <ref id="p"><element-citation publication-type="book">
              <person-group person-group-type="author"><collab>R Core Team</collab><string-name>Plato</string-name>
                <name-alternatives><name name-style="eastern" xml:lang="zh"><surname>王</surname><given-names>小明</given-names></name><name name-style="western"><surname>Wang</surname><given-names>Xiaoming</given-names></name></name-alternatives>
                <etal/></person-group>
              <person-group person-group-type="editor"><name><surname>Ed</surname><given-names>E</given-names><suffix>Jr</suffix></name></person-group>
              <person-group person-group-type="translator"><name><surname>Tr</surname></name></person-group>
              <source>Book</source></element-citation></ref>
            """)
        let record = try #require(records.first)
        #expect(record.authors == [Person(literal: "R Core Team"), Person(literal: "Plato"), Person(family: "Wang", given: "Xiaoming")])
        #expect(record.extra["jats"]?["etal"] == ["author"])
        #expect(record.editors == [Person(family: "Ed", given: "E", suffix: "Jr")])
        #expect(record.translators == [Person(family: "Tr")])
    }

    // 35
    @Test func identifiersOfEveryKindAndElocationIDs() throws {
        let records = try Self.refs("""
            <ref id="i"><element-citation publication-type="journal"><article-title>T</article-title><source>eLife</source>
              <pub-id pub-id-type="doi">https://doi.org/10.7554/eLife.00001</pub-id><pub-id pub-id-type="pmid">23456789</pub-id>
              <pub-id pub-id-type="pmcid">PMC1234567</pub-id><pub-id pub-id-type="arxiv">1234.5678</pub-id>
              <elocation-id>e12345</elocation-id><isbn>978-0-306-40615-7</isbn></element-citation></ref>
            """)
        let record = try #require(records.first)
        #expect(record.doi == "10.7554/eLife.00001")
        #expect(record.pmid == "23456789")
        #expect(record.pmcid == "PMC1234567")
        #expect(record.extra["jats"]?["pub-id.arxiv"] == ["1234.5678"])
        #expect(record.articleNumber == "e12345")
        #expect(record.pages == nil)
        #expect(record.isbn == ["978-0-306-40615-7"])
    }

    // 36
    @Test func legacyNLMCitations() throws {
        let records = try Self.refs("""
            <ref id="n1"><citation citation-type="journal"><person-group person-group-type="author"><name><surname>Orr</surname><given-names>HA</given-names></name></person-group><year>2000</year><article-title>Adaptation</article-title><source>Evolution</source><volume>54</volume><fpage>13</fpage><lpage>20</lpage></citation></ref>
            <ref id="n2"><nlm-citation citation-type="book"><person-group person-group-type="author"><name><surname>Fisher</surname><given-names>RA</given-names></name></person-group><year>1930</year><source>The Genetical Theory</source><publisher-loc>Oxford</publisher-loc><publisher-name>Clarendon</publisher-name></nlm-citation></ref>
            """)
        #expect(records.map(\.type) == [.articleJournal, .book])
        #expect(records[0].pages == "13-20")
        #expect(records[1].title == "The Genetical Theory")
        #expect(records[1].publisher == "Clarendon")
        #expect(records[1].publisherPlace == "Oxford")
    }

    // 37
    @Test func inlineMarkupInTitlesBecomesRichText() throws {
        let record = try Self.article("""
            <title-group><article-title>Effects of <italic>Staphylococcus aureus</italic> on CO<sub>2</sub> and <bold>x<sup>2</sup></bold><xref ref-type="fn" rid="f1">*</xref> in <sc>vitro</sc></article-title>
            <subtitle>A <monospace>code</monospace> study</subtitle></title-group>
            """)
        #expect(record?.title == "Effects of <i>Staphylococcus aureus</i> on CO<sub>2</sub> and <b>x<sup>2</sup></b> in <sc>vitro</sc>")
        #expect(record?.subtitle == "A code study")
    }

    @Test func publicationTypesMapToItemTypes() throws {
        let pairs: [(String, ItemType)] = [
            ("journal", .articleJournal), ("book", .book), ("confproc", .paperConference), ("report", .report),
            ("thesis", .thesis), ("patent", .patent), ("data", .dataset), ("webpage", .webpage), ("web", .webpage),
            ("software", .software), ("preprint", .article), ("standard", .standard), ("periodical", .articleMagazine),
            ("newspaper", .articleNewspaper), ("communication", .personalCommunication), ("gov", .report),
            ("article-journal", .articleJournal),
        ]
        let body = pairs.enumerated().map { index, pair in
            "<ref id=\"t\(index)\"><element-citation publication-type=\"\(pair.0)\"><source>S\(index)</source></element-citation></ref>"
        }.joined()
        let records = try Self.refs(body)
        #expect(records.map(\.type) == pairs.map(\.1))
        let chapter = try Self.refs("<ref><element-citation publication-type=\"book\"><chapter-title>Ch</chapter-title><source>Book</source></element-citation></ref>")
        #expect(chapter.first?.type == .chapter)
        #expect(chapter.first?.title == "Ch")
        #expect(chapter.first?.containerTitle == "Book")
    }

    @Test func frontMatterFieldsAndLibraryFields() throws {
        let record = try #require(try Self.article("""
            <article-id pub-id-type="doi">10.1000/ABC</article-id><article-id pub-id-type="pmid">123</article-id><article-id pub-id-type="pmc">PMC99</article-id>
            <article-categories><subj-group subj-group-type="heading"><subject>Research Article</subject></subj-group><subj-group><subject>Ecology</subject></subj-group></article-categories>
            <title-group><article-title>T</article-title><alt-title alt-title-type="running-head">Short</alt-title></title-group>
            <contrib-group><contrib contrib-type="author"><contrib-id contrib-id-type="orcid">http://orcid.org/0000-0002-1825-0097</contrib-id><name><surname>Carberry</surname><given-names>Josiah</given-names><suffix>III</suffix></name></contrib>
              <contrib><collab>The Consortium<contrib-group><contrib><name><surname>Member</surname></name></contrib></contrib-group></collab></contrib>
              <contrib contrib-type="editor"><name><surname>Ed</surname></name></contrib></contrib-group>
            <pub-date pub-type="epub"><year>2021</year></pub-date><volume>4</volume><issue>2</issue><fpage>101</fpage><lpage>110</lpage>
            <permissions><license license-type="open-access" xlink:href="https://creativecommons.org/licenses/by/4.0/"><license-p>CC BY</license-p></license></permissions>
            <self-uri xlink:href="https://example.org/a"/>
            <abstract abstract-type="teaser"><p>Teaser.</p></abstract><abstract><title>Abstract</title><sec><title>Background</title><p>B <italic>x</italic>.</p></sec><p>End.</p></abstract>
            <kwd-group kwd-group-type="author"><kwd>alpha</kwd><kwd>smrl:topic:rural-health</kwd></kwd-group>
            <kwd-group kwd-group-type="smrl-domain"><kwd>community-engagement</kwd></kwd-group>
            <custom-meta-group><custom-meta><meta-name>Funding</meta-name><meta-value>NIH</meta-value></custom-meta></custom-meta-group>
            """, journal: """
            <journal-id journal-id-type="nlm-ta">J Ecol</journal-id><journal-title-group><journal-title>Journal of Ecology</journal-title></journal-title-group>
            <issn pub-type="ppub">0022-0477</issn><issn pub-type="epub">1365-2745</issn><publisher><publisher-name>Wiley</publisher-name><publisher-loc>Oxford</publisher-loc></publisher>
            """, attributes: "article-type=\"research-article\" xml:lang=\"en\""))
        #expect(record.doi == "10.1000/ABC")
        #expect(record.pmid == "123")
        #expect(record.pmcid == "PMC99")
        #expect(record.title == "T")
        #expect(record.shortTitle == "Short")
        #expect(record.authors == [Person(family: "Carberry", given: "Josiah", suffix: "III", orcid: "0000-0002-1825-0097"), Person(literal: "The Consortium")])
        #expect(record.editors == [Person(family: "Ed")])
        #expect(record.issued == EDTFDate(year: 2021))
        #expect(record.pages == "101-110")
        #expect(record.openAccess == true)
        #expect(record.url == "https://example.org/a")
        #expect(record.abstract == "Background\n\nB <i>x</i>.\n\nEnd.")
        #expect(record.extra["jats"]?["abstract.teaser"] == ["Teaser."])
        #expect(record.keywords == ["Ecology", "alpha"])
        #expect(record.topics == ["rural-health"])
        #expect(record.domains == ["community-engagement"])
        #expect(record.containerTitle == "Journal of Ecology")
        #expect(record.containerTitleShort == "J Ecol")
        #expect(record.issn == ["0022-0477", "1365-2745"])
        #expect(record.publisher == "Wiley")
        #expect(record.publisherPlace == "Oxford")
        #expect(record.language == "en")
        #expect(record.extra["jats"]?["custom-meta.Funding"] == ["NIH"])
        #expect(record.extra["jats"]?["subject.heading"] == ["Research Article"])
    }

    @Test func freeToReadMeansOpenAccess() throws {
        let record = try Self.article("<title-group><article-title>T</article-title></title-group><permissions><ali:free_to_read/></permissions>")
        #expect(record?.openAccess == true)
        let closed = try Self.article("<title-group><article-title>T</article-title></title-group><permissions><copyright-statement>©</copyright-statement></permissions>")
        #expect(closed?.openAccess == nil)
    }

    @Test func resultsCarryLocationsAndFieldLocations() throws {
        let xml = "<article>\n<front>\n<article-meta>\n  <article-id pub-id-type=\"doi\">10.1/x</article-id>\n<title-group><article-title>T</article-title></title-group></article-meta></front>\n<back><ref-list>\n   <ref id=\"a\"><element-citation><source>S</source></element-citation></ref></ref-list></back></article>"
        let results = try JATSTest.read(xml, settings: ["jats.content": "both"])
        #expect(results.count == 2)
        #expect(results[0].location == SourceLocation(file: "test.xml", line: 1, column: 1))
        #expect(results[0].fieldLocations["doi"] == SourceLocation(file: "test.xml", line: 4, column: 3))
        #expect(results[1].location == SourceLocation(file: "test.xml", line: 7, column: 4))
    }

    @Test func bareReferenceListAndProblemDocuments() throws {
        let list = try JATSTest.read("<ref-list><ref id=\"x\"><element-citation publication-type=\"journal\"><article-title>A</article-title><source>B</source></element-citation></ref><ref id=\"empty\"/></ref-list>")
        #expect(list.compactMap(\.record).map(\.id) == ["x"])
        #expect(list.flatMap(\.diagnostics).contains { $0.code == .jatsEmptyReference })

        let html = try JATSTest.read("<html><body><p>not JATS</p></body></html>")
        #expect(html.compactMap(\.record).isEmpty)
        #expect(html.flatMap(\.diagnostics).contains { $0.code == .jatsNotJATS && $0.severity == .error })

        let noFront = try JATSTest.read("<article><body><p>x</p></body></article>")
        #expect(noFront.flatMap(\.diagnostics).contains { $0.code == .jatsMissingFront })

        // libxml2 stops at a well-formedness error; what was read before it (up to its 512-byte look-ahead) stays.
        let good = (0..<100).map { "<ref id=\"r\($0)\"><mixed-citation>Reference \($0).</mixed-citation></ref>\n" }.joined()
        let broken = try JATSTest.read("<article><front><article-meta><title-group><article-title>Kept</article-title></title-group></article-meta></front>\n<back><ref-list>\n" + good + "<ref id=\"b\"><mixed-citation>bad</mixed</ref>", settings: ["jats.content": "both"])
        let kept = broken.compactMap(\.record)
        #expect(kept.first?.title == "Kept")
        #expect(kept.count > 80 && kept.count <= 101)
        #expect(broken.last?.record == nil)
        #expect(broken.flatMap(\.diagnostics).contains { $0.code == .xmlNotWellFormed && $0.location?.line == 103 })

        let badSetting = try JATSTest.read("<article/>", settings: ["jats.content": "everything"])
        #expect(badSetting.flatMap(\.diagnostics).contains { $0.code == .jatsUnknownSetting })
    }

    @Test func largeReferenceListsStream() throws {
        let count = 20_000
        var xml = "<article><front><article-meta><title-group><article-title>Big</article-title></title-group></article-meta></front><back><ref-list>"
        for index in 0..<count {
            xml += "<ref id=\"r\(index)\"><element-citation publication-type=\"journal\"><person-group><name><surname>S\(index)</surname></name></person-group><article-title>T&mdash;\(index)</article-title><source>J</source><year>2000</year></element-citation></ref>\n"
        }
        xml += "</ref-list></back></article>"
        var options = ReaderOptions()
        options.settings["jats.content"] = "references"
        var reader = JATSReader(input: ByteReader(text: xml), options: options)
        var seen = 0
        while let result = try reader.next() {
            if let record = result.record {
                #expect(record.title == "T\u{2014}\(seen)")
                #expect(result.location?.line == seen + 1)
                seen += 1
            }
        }
        #expect(seen == count)
    }

    @Test func sniffing() {
        func score(_ text: String) -> Int { JATSFormat.sniff(ArraySlice(Array(text.utf8))) }
        #expect(score("<?xml version=\"1.0\"?>\n<!DOCTYPE article PUBLIC \"-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN\" \"x.dtd\">\n<article>") >= 90)
        #expect(score("<?xml version=\"1.0\"?><!-- c --><pmc-articleset><article>") >= 90)
        #expect(score("<article xmlns:xlink=\"http://www.w3.org/1999/xlink\" article-type=\"research-article\">") >= 80)
        #expect(score("<ref-list><ref/></ref-list>") >= 50)
        #expect(score("<html><body/></html>") == 0)
        #expect(score("TY  - JOUR\nER  -\n") == 0)
        #expect(score("{\"id\": 1}") == 0)
        #expect(JATSFormat.descriptor.canRead && JATSFormat.descriptor.canWrite)
    }
}
