import SMRLCore
import SMRLJATS
import SMRLTestSupport
import SMRLXML
import Testing

/// Every article of the corpus, read and checked against the document itself through XPath.
@Suite("JATS corpus")
struct JATSCorpusTests {
    /// The text of the first match, footnote markers left out, white space collapsed.
    static func text(_ document: XPathDocument, _ path: String) throws -> String {
        let parts = try document.strings(xpath: "(\(path))[1]//text()[not(ancestor::xref)][not(ancestor::fn)]")
        return XMLText.collapsingWhitespace(parts.joined())
    }

    /// The publication year the reader's documented preference order gives.
    static func expectedYear(_ document: XPathDocument, meta: String) throws -> Int? {
        let publication = "(not(@date-type) or @date-type='pub' or @date-type='publication' or @date-type='version-of-record')"
        let kinds = [
            "@pub-type='ppub' or @pub-type='epub-ppub' or (not(@pub-type) and \(publication) and @publication-format='print')",
            "@pub-type='collection' or @date-type='collection'",
            "@pub-type='epub' or (not(@pub-type) and \(publication) and (@publication-format='electronic' or @publication-format='online'))",
            "not(@pub-type) and \(publication)",
            "true()",
        ]
        for kind in kinds {
            for value in try document.strings(xpath: "\(meta)/pub-date[\(kind)]/year") {
                if let year = Int(value.trimmingSpaces) { return year }
            }
        }
        return nil
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled), arguments: JATSTest.articleFiles)
    func articleFrontMatterMatchesTheDocument(file: String) throws {
        let results = try JATSTest.readFile(file)
        guard let document = try? JATSTest.xpath(file) else {
            // Not well-formed: the reader reports where, and keeps what it read before.
            #expect(results.flatMap(\.diagnostics).contains { $0.code == .xmlNotWellFormed && ($0.location?.line ?? 0) > 1 })
            return
        }
        let records = results.compactMap(\.record)
        let articleCount = try document.count(xpath: "count(//article[front or front-stub])")
        #expect(records.count == articleCount, "\(file): \(results.flatMap(\.diagnostics).prefix(5))")
        guard articleCount > 0, let record = records.first else { return }
        let meta = "(//article)[1]/front/article-meta"

        let title = try Self.text(document, "\(meta)/title-group/article-title")
        #expect(RichText.plainText(record.title ?? "") == title, "\(file)")

        let authorPath = "\(meta)/contrib-group/contrib[@contrib-type='author' or not(@contrib-type)][normalize-space(name | string-name | collab | name-alternatives | collab-alternatives) != '' or anonymous]"
        #expect(record.authors.count == (try document.count(xpath: "count(\(authorPath))")), "\(file)")
        if let surname = try document.string(xpath: "(\(authorPath))[1]/name/surname"), !surname.isEmpty {
            #expect(record.authors.first?.family == XMLText.collapsingWhitespace(surname), "\(file)")
        }

        let doi = try document.string(xpath: "\(meta)/article-id[@pub-id-type='doi']").flatMap(Identifiers.normalizeDOI)
        #expect(record.doi == doi, "\(file)")
        let pmid = try document.string(xpath: "\(meta)/article-id[@pub-id-type='pmid']")?.trimmingSpaces
        #expect(record.pmid == pmid, "\(file)")
        let pmcid = try document.string(xpath: "\(meta)/article-id[@pub-id-type='pmc' or @pub-id-type='pmcid']")
            .flatMap(Identifiers.normalizePMCID)
        #expect(record.pmcid == pmcid, "\(file)")

        #expect(record.issued?.year == (try Self.expectedYear(document, meta: meta)), "\(file)")

        let journal = try Self.text(document, "(//article)[1]/front/journal-meta//journal-title")
        #expect(RichText.plainText(record.containerTitle ?? "") == journal, "\(file)")
        let volume = try document.string(xpath: "normalize-space(\(meta)/volume)")
        #expect((record.volume ?? "") == (volume ?? ""), "\(file)")
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled), arguments: JATSTest.articleFiles)
    func referenceListsMatchTheDocument(file: String) throws {
        guard let document = try? JATSTest.xpath(file) else { return }
        let results = try JATSTest.readFile(file, settings: ["jats.content": "references"])
        let records = results.compactMap(\.record)
        let refs = "//ref[not(ancestor::sub-article)][not(ancestor::response)]"
        let citation = "self::element-citation or self::mixed-citation or self::citation or self::nlm-citation"
        let alternatives = "citation-alternatives or (element-citation and mixed-citation)"
        let expected = try document.count(xpath: "count(\(refs)[\(alternatives)][normalize-space(.) != ''])")
            + document.count(xpath: "count(\(refs)[not(\(alternatives))]/*[\(citation)][normalize-space(.) != ''])")
            + document.count(xpath: "count(\(refs)[not(*[\(citation)] or citation-alternatives)][normalize-space(note) != ''])")
        #expect(records.count == expected, "\(file)")
        #expect(!records.contains { $0.id == nil && $0.title == nil && $0.note == nil && $0.containerTitle == nil }, "\(file)")

        // Every DOI tagged in a reference list comes out on some record.
        let taggedDOIs = Set(try document.strings(xpath: "\(refs)//pub-id[@pub-id-type='doi'][not(ancestor::citation-alternatives) or ancestor::element-citation]")
            .compactMap { Identifiers.normalizeDOI($0)?.lowercased() })
        let readDOIs = Set(records.compactMap { $0.doi?.lowercased() })
        #expect(taggedDOIs.isSubset(of: readDOIs), "\(file): missing \(taggedDOIs.subtracting(readDOIs).prefix(5))")

        // Both: each article, then its references.
        let both = try JATSTest.readFile(file, settings: ["jats.content": "both"]).compactMap(\.record)
        let articles = try document.count(xpath: "count(//article[front or front-stub])")
        #expect(both.count == articles + records.count, "\(file)")
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled), arguments: JATSTest.articleFiles)
    func everyRecordWrittenBackIsValidJATSAndReadsBackTheSame(file: String) throws {
        let records = try JATSTest.readFile(file, settings: ["jats.content": "both"]).compactMap(\.record)
        guard !records.isEmpty else { return }
        let validator = try #require(JATSTest.publishingDTD)

        // All records as one collection.
        let (collection, losses) = try JATSTest.write(records)
        let result = validator.validate(bytes: collection, fileName: file + ".collection.xml")
        #expect(result.isValid, "\(file): \(result.diagnostics.prefix(5))")
        #expect(losses.allSatisfy { $0.isEmpty }, "\(file): \(losses.filter { !$0.isEmpty }.prefix(3))")
        let back = try JATSTest.read(collection).compactMap(\.record)
        #expect(back.count == records.count, "\(file)")
        for (original, copy) in zip(records, back) {
            var expected = original
            if expected.id == nil { expected.id = copy.id }
            let differences = JATSTest.differences(expected, copy)
            #expect(differences.isEmpty, "\(file) \(original.id ?? ""): \(differences)")
        }

        // The article alone, as an article.
        let (single, _) = try JATSTest.write([records[0]])
        let singleResult = validator.validate(bytes: single, fileName: file + ".article.xml")
        #expect(singleResult.isValid, "\(file): \(singleResult.diagnostics.prefix(5))")
        let copy = try JATSTest.read(single).compactMap(\.record)
        #expect(copy.count == 1)
        if let first = copy.first {
            let differences = JATSTest.differences(records[0], first)
            #expect(differences.isEmpty, "\(file): \(differences)")
        }
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled))
    func subArticlesCanBeRecords() throws {
        let file = "jats/elife/elife-102451-v1.xml"
        let document = try JATSTest.xpath(file)
        let subArticles = try document.count(xpath: "count(//sub-article)")
        #expect(subArticles > 0)
        let skipped = try JATSTest.readFile(file)
        #expect(skipped.compactMap(\.record).count == 1)
        #expect(skipped.flatMap(\.diagnostics).contains { $0.code == .jatsSubArticlesSkipped })
        let all = try JATSTest.readFile(file, settings: ["jats.sub-articles": "records"]).compactMap(\.record)
        #expect(all.count == 1 + subArticles)
        let dois = try document.strings(xpath: "//sub-article/front-stub/article-id[@pub-id-type='doi']")
        #expect(all.dropFirst().compactMap(\.doi) == dois.compactMap(Identifiers.normalizeDOI))
        // Sub-articles inherit the journal.
        #expect(all.dropFirst().allSatisfy { $0.containerTitle == all[0].containerTitle })
    }

    @Test(.enabled(if: TestCorpus.isAvailable, JATSTest.corpusEnabled))
    func pmcArticleSetYieldsEveryArticle() throws {
        var body = ""
        var expectedTitles: [String] = []
        for file in ["jats/pmc/pone.0000217.nxml", "jats/pmc/mds526.nxml", "jats/plos/journal.pone.0146913.xml"] {
            let bytes = try ByteReader(path: TestCorpus.url(file).path).readAll()
            var text = String(decoding: bytes, as: UTF8.self)
            // Drop the prolog: an article set holds the articles themselves.
            if let start = text.firstRange(of: "<article ")?.lowerBound { text = String(text[start...]) }
            body += text
            expectedTitles.append(try JATSCorpusTests.text(try JATSTest.xpath(file), "//article-meta/title-group/article-title"))
        }
        let set = "<?xml version=\"1.0\"?>\n<pmc-articleset>" + body + "</pmc-articleset>"
        let results = try JATSTest.read(set)
        #expect(results.compactMap(\.record).map { RichText.plainText($0.title ?? "") } == expectedTitles)
        let both = try JATSTest.read(set, settings: ["jats.content": "both"]).compactMap(\.record)
        #expect(both.count > 100)
    }
}
