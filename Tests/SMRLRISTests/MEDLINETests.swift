import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

private let corpusAvailable = TestCorpus.isAvailable
private let skip = Comment(rawValue: TestCorpus.skipMessage)

private func medline(_ text: String) throws -> [Resource] {
    try RISTest.results(ByteReader(text: text), medline: true).compactMap(\.record)
}

@Suite("MEDLINE reader")
struct MEDLINETests {
    /// Zotero's MEDLINE/nbib translator cases, field by field. Deliberate differences: abbreviated page ranges
    /// are kept as given (`6913-7`; Zotero expands them), dates are parsed (`1996 Jul 9` → 1996-07-09; Zotero
    /// keeps the text and so is compared through the same parser), initials are kept as PubMed writes them, and
    /// ISSNs are a list (Zotero joins them with a space), ISBNs keep their hyphens (compared by digits), and a
    /// PMID must have one to nine digits (case 1's `000000000000` is kept in extra; Zotero takes it).
    @Test("Zotero MEDLINEnbib cases", .enabled(if: corpusAvailable, skip))
    func zoteroCases() throws {
        let data = try Data(contentsOf: TestCorpus.url("ris/zotero-MEDLINEnbib.testcases.json"))
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(cases.count == 9)
        var problems: [String] = []
        for (index, testCase) in cases.enumerated() {
            let input = try #require(testCase["input"] as? String)
            let items = (testCase["items"] as? [[String: Any]]) ?? []
            let records = try medline(input)
            #expect(records.count == items.count, "case \(index + 1)")
            for (item, record) in zip(items, records) {
                func check(_ field: String, _ expected: String?, _ actual: String?) {
                    guard let expected, !expected.isEmpty else { return }
                    if RISValues.collapseSpaces(expected) != actual.map(RISValues.collapseSpaces) {
                        problems.append("case \(index + 1) \(field): expected \(expected), got \(actual ?? "nil")")
                    }
                }
                check("title", item["title"] as? String, record.title)
                let creators = (item["creators"] as? [[String: Any]]) ?? []
                let authors = creators.filter { $0["creatorType"] as? String == "author" }.map { $0["lastName"] as? String ?? "" }
                check("authors", authors.joined(separator: "; "), record.authors.map { $0.familyWithParticle ?? $0.literal ?? "" }.joined(separator: "; "))
                let editors = creators.filter { $0["creatorType"] as? String == "editor" }.map { $0["lastName"] as? String ?? "" }
                check("editors", editors.joined(separator: "; "), record.editors.map { $0.familyWithParticle ?? "" }.joined(separator: "; "))
                if let date = item["date"] as? String, case .date(let expected, _) = RISValues.date(date) {
                    check("date", expected.description, record.issued?.description)
                }
                check("DOI", item["DOI"] as? String, record.doi)
                check("ISSN", (item["ISSN"] as? String).map { $0.split(separator: " ").joined(separator: ",") }, record.issn.joined(separator: ","))
                check("ISBN", item["ISBN"] as? String, record.isbn.first.flatMap(Identifiers.isbnDigits))
                check("volume", item["volume"] as? String, record.volume)
                check("issue", item["issue"] as? String, record.issue)
                check("journalAbbreviation", item["journalAbbreviation"] as? String, record.containerTitleShort)
                check("publicationTitle", item["publicationTitle"] as? String, record.containerTitle)
                check("bookTitle", item["bookTitle"] as? String, record.containerTitle)
                check("language", item["language"] as? String, record.language)
                check("publisher", item["publisher"] as? String, record.publisher)
                check("place", item["place"] as? String, record.publisherPlace)
                if let pages = item["pages"] as? String, let ours = record.pages, ours != pages {
                    // Only an abbreviated end page may differ: same first page, fewer end digits.
                    let a = pages.split(separator: "-"), b = ours.split(separator: "-")
                    if !(a.count == 2 && b.count == 2 && a[0] == b[0] && a[1].hasSuffix(b[1])) {
                        problems.append("case \(index + 1) pages: expected \(pages), got \(ours)")
                    }
                }
                let extra = item["extra"] as? String ?? ""
                if let range = extra.range(of: "PMID: "), index != 0 {
                    check("PMID", String(extra[range.upperBound...].prefix(while: \.isNumber)), record.pmid)
                }
                if let range = extra.range(of: "PMCID: ") {
                    check("PMCID", String(extra[range.upperBound...].prefix(while: { !$0.isWhitespace })), record.pmcid)
                }
                let tags = ((item["tags"] as? [[String: Any]]) ?? []).compactMap { $0["tag"] as? String }
                if Set(tags) != Set(record.keywords) {
                    problems.append("case \(index + 1) tags: \(Set(tags).symmetricDifference(record.keywords).sorted())")
                }
                if let type = item["itemType"] as? String {
                    let expected: ItemType? = ["journalArticle": .articleJournal, "bookSection": .chapter, "book": .book, "report": .report, "thesis": .thesis][type]
                    if expected != record.type { problems.append("case \(index + 1) type: expected \(type), got \(record.type.rawValue)") }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) differences:\n\(problems.joined(separator: "\n"))")
    }

    @Test("JabRef MEDLINE and nbib files", .enabled(if: corpusAvailable, skip))
    func jabref() throws {
        let multiple = try RISTest.corpusResults("ris/jabref/medline-plain/MedlinePlainImporterTestMultipleEntries.txt", medline: true)
        // Seven blank-line separated records: five with a PMID, one that starts with `PMC -`, one with `PMCR-`
        // (the line "This line should be omitted by the importer." is reported as text outside a record).
        #expect(multiple.compactMap(\.record).count == 7)
        #expect(multiple.flatMap(\.diagnostics).map(\.code) == [.risTextOutsideRecord])
        let first = try #require(multiple.first?.record)
        #expect(first.title == "From danger and motherhood to health and beauty: health advice for the factory girl in early twentieth-century Britain.")
        #expect(first.authors == [Person(family: "Long", given: "Vicky"), Person(family: "Marland", given: "Hilary")])
        #expect(first.pages == "454-81" && first.issued == EDTFDate(year: 2009) && first.issn == ["0955-2359"])
        // `PMID-22664238` with no space after the dash is still a tag.
        let inproceedings = try #require(try RISTest.corpusRecords("ris/jabref/medline-plain/MedlinePlainImporterTestInproceeding.txt").first)
        #expect(inproceedings.pmid == "22664238" && inproceedings.containerTitle == "Inproceedings book title")
        let nbib = try RISTest.corpusResults("ris/jabref/NbibImporterTest.nbib", medline: true)
        #expect(nbib.compactMap(\.record).count == 1)
        #expect(nbib.flatMap(\.diagnostics).allSatisfy { $0.severity != .error })
        // Five TI lines: the first is the title; JabRef joins them all, we keep the others in extra.
        let multiTitle = try #require(try RISTest.corpusResults("ris/jabref/medline-plain/MedlinePlainImporterTestMultiTitle.txt", medline: true).first?.record)
        #expect(multiTitle.title == "This is a Testtitle" && multiTitle.extra["medline"]?["TI"]?.count == 4)
        #expect(multiTitle.type == .book)
    }

    @Test("ORCIDs, organisations, editors and book chapters")
    func fields() throws {
        let records = try medline("""
            PMID- 21249755
            TI  - Peutz-Jeghers Syndrome
            BTI - Cancer Syndromes
            FED - Riegert-Johnson, Douglas L
            ED  - Riegert-Johnson DL
            AUID- ORCID: 0000-0002-1825-0097
            FAU - van Raaij, M J
            AU  - van Raaij MJ
            AUID- ORCID: https://orcid.org/0000-0001-5109-3700
            CN  - WHO Study Group
            PB  - National Center for Biotechnology Information (US)
            PL  - Bethesda (MD)
            DP  - 2009
            PMC - PMC38908

            """)
        let record = try #require(records.first)
        #expect(record.type == .chapter && record.containerTitle == "Cancer Syndromes")
        #expect(record.editors == [Person(family: "Riegert-Johnson", given: "Douglas L", orcid: "0000-0002-1825-0097")])
        #expect(record.authors == [Person(family: "Raaij", given: "M J", particle: "van", orcid: "0000-0001-5109-3700"), Person(literal: "WHO Study Group")])
        #expect(record.publisherPlace == "Bethesda (MD)" && record.pmcid == "PMC38908")
    }
}
