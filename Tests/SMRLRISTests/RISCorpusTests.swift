import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

private let corpusAvailable = TestCorpus.isAvailable
private let skip = Comment(rawValue: TestCorpus.skipMessage)

/// An independent count of the records in a tagged file: lines that start a record in its dialect (a `TY`
/// tag, with or without a BOM, one or more spaces around the dash, any case; `PMID- ` for MEDLINE; `PT ` for Web
/// of Science; `<n. >` for Ovid). RIS records are counted by their `TY` lines or by their `ER` lines, whichever
/// are more: a record without `ER` still has its `TY`, and one without `TY` (JabRef's `RisImporterCorrupted.ris`)
/// still has its `ER`; the reader keeps both kinds, with a warning.
private func countRecordStarts(_ text: String) -> Int {
    var starts = 0
    var ends = 0
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
        var line = Substring(rawLine)
        if line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
        let upper = line.uppercased()
        if upper.hasPrefix("TY ") && upper.dropFirst(2).drop(while: { $0 == " " }).hasPrefix("-") { starts += 1 }
        else if upper.hasPrefix("ER ") && upper.dropFirst(2).drop(while: { $0 == " " }).hasPrefix("-") { ends += 1 }
        else if line.hasPrefix("PMID- ") { starts += 1 }
        else if line.hasPrefix("PT ") && line.count <= 4 { starts += 1 }
        else if line.hasPrefix("<") && line.hasSuffix(". >") && line.dropFirst().dropLast(3).allSatisfy(\.isNumber) { starts += 1 }
    }
    return max(starts, ends)
}

private func errors(_ results: [ReadResult]) -> [Diagnostic] {
    results.flatMap(\.diagnostics).filter { $0.severity == .error }
}

/// The files of `asreview-flavours`: one record set exported by many tools.
private let flavourFiles = TestCorpus.files(in: "ris/asreview-flavours", extensions: ["ris"]).map(\.lastPathComponent)

@Suite("RIS corpus: asreview flavours")
struct RISFlavourTests {
    @Test(
        "every file yields exactly as many records as it holds",
        .enabled(if: corpusAvailable, skip),
        arguments: flavourFiles)
    func recordCount(file: String) throws {
        let path = "ris/asreview-flavours/" + file
        let results = try RISTest.corpusResults(path)
        let records = results.compactMap(\.record)
        let expected = countRecordStarts(try RISTest.corpusText(path))
        // The independent count sees every record start: no file here has a record without TY, and Scopus's
        // first TY sits behind a BOM, which the count strips as the reader does.
        #expect(records.count == expected, "\(file): \(records.count) records, file holds \(expected)")
        #expect(expected > 0)
        #expect(errors(results).isEmpty, "\(file): \(errors(results))")
        // No record is empty: every one has a title.
        #expect(records.allSatisfy { ($0.title ?? "").isEmpty == false })
    }

    @Test("_baseline_pubmed.ris is detected as MEDLINE", .enabled(if: corpusAvailable, skip))
    func pubmedIsMedline() throws {
        let path = "ris/asreview-flavours/_baseline_pubmed.ris"
        let results = try RISTest.corpusResults(path)
        #expect(results.first?.diagnostics.contains { $0.code == .risMedlineInput } == true)
        let records = results.compactMap(\.record)
        #expect(records.count == countRecordStarts(try RISTest.corpusText(path)))
        #expect(records.allSatisfy { $0.pmid != nil && $0.title != nil && !$0.authors.isEmpty || $0.pmid != nil })
        // Content sniffing prefers MEDLINE over the .ris extension.
        let data = try Data(contentsOf: TestCorpus.url(path))
        let prefix = Array(data.prefix(4096))[...]
        let registry = FormatRegistry([RISFormat.descriptor, RISFormat.medline])
        #expect(registry.detect(fileName: "_baseline_pubmed.ris", prefix: prefix)?.name == "medline")
        #expect(RISFormat.sniffRIS(prefix) == 0)
        // And a real RIS file is detected as RIS.
        let ris = Array(try Data(contentsOf: TestCorpus.url("ris/asreview-flavours/_baseline_zotero.ris")).prefix(4096))[...]
        #expect(registry.detect(fileName: "x.ris", prefix: ris)?.name == "ris")
    }

    /// Title, DOI, family names with initials, and year, normalised for comparison across exporters.
    private struct Work: Equatable, CustomStringConvertible {
        var title: String
        var doi: String?
        var authors: [String]
        var year: Int?
        var description: String { "\(title.prefix(40)) | \(doi ?? "-") | \(year.map(String.init) ?? "-") | \(authors)" }

        init(_ record: Resource) {
            title = RISValues.collapseSpaces(record.title ?? "").lowercased()
            while let last = title.last, ".".contains(last) { title.removeLast() }
            doi = record.doi?.lowercased()
            authors = record.authors.map { person in
                let initials = (person.given ?? "").unicodeScalars.filter { $0.properties.isUppercase }
                return ((person.familyWithParticle ?? person.literal ?? "").lowercased()) + " " + String(String.UnicodeScalarView(initials))
            }
            year = record.issued?.year
        }
    }

    @Test(
        "files holding the same works agree on title, DOI, authors and year",
        .enabled(if: corpusAvailable, skip),
        arguments: [
            ["_baseline_covidence_endnote.ris", "_baseline_covidence_mendeley.ris", "_baseline_covidence_zotero.ris", "_baseline_zotero.ris"],
            ["_baseline_endnote.ris", "_baseline_mendeley.ris", "_baseline_refworks.ris"],
            ["_baseline_cochrane_endnote.ris", "_baseline_cochrane_refman.ris"],
        ])
    func sameWorks(files: [String]) throws {
        var byFile: [String: [String: Work]] = [:]
        for file in files {
            let records = try RISTest.corpusRecords("ris/asreview-flavours/" + file)
            var works: [String: Work] = [:]
            for record in records {
                let work = Work(record)
                let doi = try #require(work.doi, "\(file): record without DOI: \(work)")
                works[doi] = work
            }
            #expect(works.count == records.count, "\(file): duplicate DOIs")
            byFile[file] = works
        }
        let reference = byFile[files[0]] ?? [:]
        for file in files.dropFirst() {
            let other = byFile[file] ?? [:]
            let shared = Set(reference.keys).intersection(other.keys)
            // `_baseline_zotero.ris` holds 8 of the 10 Covidence works plus two others (its own selection);
            // every other pair holds exactly the same works.
            #expect(shared.count >= min(8, reference.count), "\(file) shares only \(shared.count) works with \(files[0])")
            if !file.contains("_baseline_zotero") { #expect(shared.count == reference.count) }
            for doi in shared {
                #expect(reference[doi] == other[doi], "\(files[0]) vs \(file): \(reference[doi]!) ≠ \(other[doi]!)")
            }
        }
    }
}

@Suite("RIS corpus: other real exports")
struct RISRealWorldTests {
    static let files: [String] =
        (TestCorpus.files(in: "ris/realworld-exports", extensions: ["ris", "ovd", "txt"])
        + TestCorpus.files(in: "ris/bolognese", extensions: ["ris"])
        + TestCorpus.files(in: "ris/rispy", extensions: ["ris"])
        + TestCorpus.files(in: "ris/jabref", extensions: ["ris"])
        + TestCorpus.files(in: "ris/rbibutils", extensions: ["nbib"])
        + TestCorpus.files(in: "ris/zotero-RIS-inputs", extensions: ["ris"]))
        .map { $0.path.replacingOccurrences(of: TestCorpus.root.path + "/", with: "") }

    @Test("parses with no error and the right record count", .enabled(if: corpusAvailable, skip), arguments: files)
    func parses(file: String) throws {
        let results = try RISTest.corpusResults(file)
        let records = results.compactMap(\.record)
        #expect(errors(results).isEmpty, "\(file): \(errors(results))")
        let expected = countRecordStarts(try RISTest.corpusText(file))
        #expect(records.count == expected, "\(file): \(records.count) records, file holds \(expected)")
        #expect(results.allSatisfy { $0.record != nil || $0.diagnostics.allSatisfy { $0.severity != .error } })
    }

    @Test("Ovid and Web of Science exports are recognised and mapped", .enabled(if: corpusAvailable, skip))
    func dialects() throws {
        let ovid = try RISTest.corpusResults("ris/realworld-exports/Embase_ovid_endnote_r3001-3002.ris")
        #expect(ovid.first?.diagnostics.contains { $0.code == .risOvidInput } == true)
        let ovidRecords = ovid.compactMap(\.record)
        #expect(ovidRecords.count == 2)
        #expect(ovidRecords[0].title == "Quality of life in patients with primary ciliary dyskinesia: A systematic review.")
        #expect(ovidRecords[0].authors.first == Person(family: "Behan", given: "L."))
        #expect(ovidRecords[0].issn == ["1753-6561"])
        #expect(ovidRecords[0].doi == "10.1186/s12919-018-0099-8")
        #expect(ovidRecords[0].issued == EDTFDate(year: 2018))
        #expect(ovidRecords[0].type == .paperConference)
        #expect(ovidRecords[0].keywords.contains("*Kartagener syndrome"))
        #expect(ovidRecords[0].abstract?.contains("\nMethod(s): We searched") == true)
        #expect(ovidRecords[0].extra["ovid"]?["UI"] == ["621381829"])

        let wos = try RISTest.corpusResults("ris/realworld-exports/WoS_other_reference_software_r4001-4012.txt")
        #expect(wos.first?.diagnostics.contains { $0.code == .risWebOfScienceInput } == true)
        let wosRecords = wos.compactMap(\.record)
        #expect(wosRecords.count == 12)
        let first = wosRecords[0]
        #expect(first.title == "Caregivers' views on stigmatization and discrimination of people affected by leprosy in Ghana")
        #expect(first.authors.prefix(2) == [Person(family: "Asampong", given: "Emmanuel"), Person(family: "Gyeke", given: "Mavis Dako Plusminus")])
        #expect(first.containerTitle == "PLOS NEGLECTED TROPICAL DISEASES")
        #expect(first.keywords.contains("STIGMA"))
        #expect(first.abstract?.hasPrefix("Background\nLeprosy is a condition") == true)
        #expect(wosRecords.allSatisfy { $0.doi != nil && $0.issued?.year != nil })
    }
}

@Suite("RIS corpus: round trips")
struct RISCorpusRoundTripTests {
    static let files: [String] =
        (TestCorpus.files(in: "ris/asreview-flavours", extensions: ["ris"])
        + TestCorpus.files(in: "ris/bolognese", extensions: ["ris"])
        + TestCorpus.files(in: "ris/rispy", extensions: ["ris"])
        + TestCorpus.files(in: "ris/jabref", extensions: ["ris"])
        + TestCorpus.files(in: "ris/zotero-RIS-inputs", extensions: ["ris"])
        + TestCorpus.files(in: "ris/realworld-exports", extensions: ["ris"]))
        .map { $0.path.replacingOccurrences(of: TestCorpus.root.path + "/", with: "") }
        .filter { !$0.contains("_baseline_pubmed") && !$0.contains("example_wos") }

    /// RIS → Resource → RIS → Resource gives the same resources: every mapped field and every kept tag.
    @Test("RIS → smrl → RIS keeps every tag", .enabled(if: corpusAvailable, skip), arguments: files)
    func roundTrip(file: String) throws {
        let first = try RISTest.corpusRecords(file)
        let (text, second, _) = try RISTest.roundTrip(first)
        #expect(second.count == first.count, "\(file)")
        for (a, b) in zip(first, second) {
            var expected = a
            // Not RIS, or unknown TY codes, are not written back as they came (see RISWriter): extras of the Ovid
            // tag table stay under extra["ovid"], which the RIS writer reports as lost.
            expected.extra["ovid"] = nil
            if let ty = expected.extra["ris"]?["TY"]?.first, RISTypeInfo.byCode[ty] == nil {
                expected.extra["ris"]?["TY"] = nil
            }
            if expected.extra["ris"]?.isEmpty == true { expected.extra["ris"] = nil }
            if expected != b {
                Issue.record("\(file): record \(a.title ?? "?") differs after RIS → smrl → RIS\n\(RISTest.json(expected))\n---\n\(RISTest.json(b))\n---\n\(text.prefix(3000))")
                break
            }
        }
        // Every tag of the input appears in the output, unless it was empty or its value went to a field
        // written under its standard tag.
        #expect(text.hasPrefix("TY  - "))
    }
}

@Suite("RIS corpus: Zotero Web of Science cases")
struct ZoteroWoSCases {
    /// Zotero's "Web of Science Tagged" cases: type, title, authors, DOI, volume, issue, first page, container,
    /// ISSN/ISBN and year, field by field. Not compared: Zotero's dates are the raw `PD PY` text (ours are parsed,
    /// so only the year is compared), and its tags merge every keyword field.
    @Test("field by field", .enabled(if: corpusAvailable, skip))
    func cases() throws {
        let data = try Data(contentsOf: TestCorpus.url("ris/zotero-WoS-Tagged.testcases.json"))
        let cases = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        var problems: [String] = []
        let types: [String: ItemType] = [
            "journalArticle": .articleJournal, "bookSection": .chapter, "book": .book, "patent": .patent,
            "conferencePaper": .paperConference,
        ]
        for (index, testCase) in cases.enumerated() {
            let results = try RISTest.results(try #require(testCase["input"] as? String))
            let records = results.compactMap(\.record)
            let items = (testCase["items"] as? [[String: Any]]) ?? []
            #expect(records.count == items.count, "case \(index + 1)")
            #expect(results.flatMap(\.diagnostics).allSatisfy { $0.severity != .error })
            for (item, record) in zip(items, records) {
                func check(_ field: String, _ expected: String?, _ actual: String?) {
                    guard let expected, !expected.isEmpty, expected != actual else { return }
                    problems.append("case \(index + 1) \(field): expected \(expected), got \(actual ?? "nil")")
                }
                check("type", (item["itemType"] as? String).flatMap { types[$0]?.rawValue }, record.type.rawValue)
                check("title", item["title"] as? String, record.title)
                let creators = ((item["creators"] as? [[String: Any]]) ?? []).filter { ["author", "inventor"].contains($0["creatorType"] as? String ?? "") }
                check("authors", creators.map { $0["lastName"] as? String ?? "" }.joined(separator: "; "), record.authors.map { $0.familyWithParticle ?? $0.literal ?? "" }.joined(separator: "; "))
                check("DOI", item["DOI"] as? String, record.doi)
                check("volume", item["volume"] as? String, record.volume)
                check("issue", item["issue"] as? String, record.issue)
                check("first page", (item["pages"] as? String)?.split(separator: "-").first.map(String.init), record.pages?.split(separator: "-").first.map(String.init))
                check("container", (item["publicationTitle"] ?? item["bookTitle"] ?? item["proceedingsTitle"]) as? String, record.containerTitle)
                check("ISSN", (item["ISSN"] as? String)?.replacingOccurrences(of: " ", with: ""), record.issn.isEmpty ? nil : record.issn.joined(separator: ","))
                check("ISBN", item["ISBN"] as? String, record.isbn.first)
                if let date = item["date"] as? String,
                    let year = date.split(whereSeparator: { !$0.isNumber }).first(where: { $0.count == 4 }).flatMap({ Int($0) })
                {
                    check("year", String(year), record.issued?.year.map(String.init))
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) differences:\n\(problems.joined(separator: "\n"))")
    }
}
