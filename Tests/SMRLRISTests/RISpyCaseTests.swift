import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

private let corpusAvailable = TestCorpus.isAvailable
private let skip = Comment(rawValue: TestCorpus.skipMessage)

/// rispy's example files, read field by field. rispy itself only splits tags (its expectations are tag lists);
/// these are the fields the files hold, written from the files. Deliberate differences from rispy: a record is
/// never merged or dropped for a missing ER, unknown tags keep their own name (rispy gathers them under
/// `unknown_tag`), and the BOM is removed by the reader (rispy leaves that to the caller).
@Suite("RIS expectations: rispy examples")
struct RISpyCaseTests {
    private func read(_ name: String) throws -> (records: [Resource], diagnostics: [Diagnostic]) {
        let results = try RISTest.corpusResults("ris/rispy/" + name)
        return (results.compactMap(\.record), results.flatMap(\.diagnostics))
    }

    @Test("example_basic, example_starting_newlines", .enabled(if: corpusAvailable, skip), arguments: ["example_basic.ris", "example_starting_newlines.ris"])
    func basic(file: String) throws {
        let (records, diagnostics) = try read(file)
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.type == .articleJournal)
        #expect(record.authors == [Person(family: "Shannon", given: "Claude E.")])
        #expect(record.issued == EDTFDate(year: 1948, month: 7))
        #expect(record.title == "A Mathematical Theory of Communication")
        #expect(record.containerTitle == "Bell System Technical Journal")
        #expect(record.pages == "379-423")
        #expect(record.volume == "27")
        #expect(record.extra.isEmpty)
        #expect(diagnostics.isEmpty)
    }

    @Test("example_bom", .enabled(if: corpusAvailable, skip))
    func bom() throws {
        let (records, diagnostics) = try read("example_bom.ris")
        #expect(records.map(\.doi) == ["10.1186/s40981-020-0316-0"])
        #expect(diagnostics.map(\.code) == [.byteOrderMark])
    }

    @Test("example_custom_list_tags", .enabled(if: corpusAvailable, skip))
    func customListTags() throws {
        let (records, diagnostics) = try read("example_custom_list_tags.ris")
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.authors.map(\.family) == ["Marx", "Marxus"])
        // None of the three SN values is an ISSN or ISBN: each is kept.
        #expect(record.extra["ris"]?["SN"] == ["12345", "ABCDEFG", "666666"])
        #expect(record.issn.isEmpty && record.isbn.isEmpty)
        // "1." before the TY is reported with its line.
        #expect(diagnostics.contains { $0.code == .risTextOutsideRecord && $0.location?.line == 1 })
    }

    @Test("example_empty_tag", .enabled(if: corpusAvailable, skip))
    func emptyTag() throws {
        let (records, _) = try read("example_empty_tag.ris")
        let record = try #require(records.first)
        #expect(record.id == "2006713348")
        #expect(record.authors == [Person(family: "Fanning", given: "E.")])
        #expect(record.issued == EDTFDate(year: 2020))
        #expect(record.pages == nil)
        #expect(record.issn == ["2325-9671"])
        #expect(record.doi == "10.1177/2325967120950040")
        #expect(record.keywords == ["*athlete", "biomechanics", "bone remodeling"])
        #expect(record.abstract?.contains("\nOutcome measures are valuable") == true)
        #expect(record.containerTitle == "Orthopaedic Journal of Sports Medicine")
        #expect(record.containerTitleShort == "Orthop. J. Sports Med.")
        #expect(record.extra["ris"]?["SP"] == nil)
    }

    @Test("example_full, example_full_without_whitespace, example_extraneous_data", .enabled(if: corpusAvailable, skip),
        arguments: ["example_full.ris", "example_full_without_whitespace.ris", "example_extraneous_data.ris"])
    func full(file: String) throws {
        let (records, diagnostics) = try read(file)
        #expect(records.count == 2)
        let first = try #require(records.first)
        #expect(first.id == "12345")
        #expect(first.title == "Title of reference")
        #expect(first.authors == [Person(family: "Marx", given: "Karl"), Person(family: "Lindgren", given: "Astrid")])
        #expect(first.editors == [Person(family: "Glattauer", given: "Daniel")])
        #expect(first.issued == EDTFDate(year: 2014))
        #expect(first.keywords == ["Pippi", "Nordwind", "Piraten"])
        #expect(first.containerTitle == "Lorem")
        #expect(first.containerTitleShort == "lorem")
        #expect(first.volume == "9" && first.issue == "3" && first.pages == "e0815")
        #expect(first.publisherPlace == "United States" && first.publisher == "Fun Factory")
        #expect(first.issn == ["1932-6208"])
        // M1 of a journal article is its issue only when IS is missing: here it is kept.
        #expect(first.extra["ris"]?["M1"] == ["1008150341"])
        #expect(first.extra["ris"]?["L2"] == ["http://example.com"])
        #expect(first.url == "http://example_url.com")
        #expect(records[1].title == "The title of the reference")
        #expect(records[1].issn == ["1732-4208"])
        #expect(diagnostics.allSatisfy { $0.code == .risTextOutsideRecord })
        #expect(diagnostics.count == 2)  // one block of text before each record
    }

    @Test("example_multiline", .enabled(if: corpusAvailable, skip))
    func multiline() throws {
        let (records, diagnostics) = try read("example_multiline.ris")
        #expect(records.count == 3)
        for record in records {
            // "ER then second line" is a continuation, not an end of record.
            #expect(record.abstract == "first line, ER then second line and at the end the last line")
            #expect(record.note == "first line\n* second line\n* last line")
        }
        #expect(diagnostics.isEmpty)
    }

    @Test("example_single_unknown_tag, example_multi_unknown_tags", .enabled(if: corpusAvailable, skip))
    func unknownTags() throws {
        let single = try #require(try read("example_single_unknown_tag.ris").records.first)
        #expect(single.extra["ris"]?["JP"] == ["CRISPR", "Direct Current"])
        let multi = try #require(try read("example_multi_unknown_tags.ris").records.first)
        #expect(multi.extra["ris"]?["JP"] == ["CRISPR"])
        #expect(multi.extra["ris"]?["DC"] == ["Direct Current"])
        // EP without SP: no page range can be made; the end page is kept.
        #expect(multi.pages == nil && multi.extra["ris"]?["EP"] == ["423"])
    }

    @Test("example_urls", .enabled(if: corpusAvailable, skip))
    func urls() throws {
        let (records, _) = try read("example_urls.ris")
        #expect(records.count == 4)
        #expect(records[0].url == "http://example.com" && records[0].extra["ris"]?["UR"] == nil)
        for record in records.dropFirst() {
            #expect(record.url == "http://example.com")
            #expect(record.extra["ris"]?["UR"] == ["http://www.example.com"])
        }
    }

    @Test("example_utf_chars", .enabled(if: corpusAvailable, skip))
    func utf() throws {
        let (records, diagnostics) = try read("example_utf_chars.ris")
        let record = try #require(records.first)
        #expect(record.type == .articleJournal)
        #expect(diagnostics.contains { $0.code == .risTypeAlias })
        #expect(record.authors.first == Person(family: "Dobrokhotova", given: "Yu E."))
        #expect(record.abstract?.hasPrefix("Состояние рецепторного аппарата") == true)
        #expect(record.note == "Ä,Ö,Ü,ä,ö,ü,ß")
        #expect(record.extra["ris"]?["VO"] == ["8"])
        #expect(record.pages == "52-57")
    }

    @Test("example_wos is Web of Science text", .enabled(if: corpusAvailable, skip))
    func wos() throws {
        let (records, diagnostics) = try read("example_wos.ris")
        #expect(diagnostics.contains { $0.code == .risWebOfScienceInput })
        #expect(records.count == 2)
        #expect(records[0].doi == "10.1021/bi049798f")
        #expect(records[0].issued == EDTFDate(year: 2004, month: 6, day: 8))
        #expect(records[0].title?.hasPrefix("Interactions stabilizing the structure of the core light-harvesting complex") == true)
        #expect(records[0].authors.first == Person(family: "Parkes-Loach", given: "PS"))
    }
}
