public import SMRLCore
import SMRLXML

/// Reads JATS (1.0–1.4) and NLM (2.3, 3.0) documents: a single `<article>`, a PubMed Central
/// `<pmc-articleset>`, an article's sub-articles, or a bare `<ref-list>`.
///
/// The document is streamed: the reader expands one `<front>` or one `<ref>` at a time and skips everything
/// else, so memory stays flat however many articles or references a file holds.
///
/// Settings (``ReaderOptions/settings``):
/// - `jats.content` = `article` (default: one record per article, from its front matter) | `references` (one
///   record per reference of the reference lists) | `both` (each article, then its references).
/// - `jats.sub-articles` = `skip` (default; a note says how many were skipped) | `records` (each
///   `<sub-article>` and `<response>` is read like an article, with its own references).
///
/// A document written by smrl's JATS writer for several records (an `<article specific-use="smrl-collection">`)
/// yields its references whatever `jats.content` says: they are the records.
///
/// What JATS says beyond the resource model is kept in `extra["jats"]`, so that writing JATS again restores it:
/// `article-type`, `journal-id.<type>`, `issn.electronic`, `article-id.<type>`, `subject.<subj-group-type>`
/// (subjects other than headings are also keywords), `kwd-group.<type>`, `trans-title`, `abstract.<type>`
/// (teasers, digests, summaries), `trans-abstract`, `pub-date.<kind>` and `issued-pub-date`, `history.<date-type>`,
/// `copyright-statement`/`-year`/`-holder`, `license`, `license-type`, `license-p`, `self-uri.<content-type>`,
/// `custom-meta.<name>`, `contrib.<type>` (reviewers and other roles); in references `label`,
/// `publication-type` (when the item type does not imply it), `etal` (the role), `person-group.<type>`,
/// `pub-id.<type>`, `year` (the year as written: `2017a`, `1623/1995`), `season`, `date-in-citation.<type>`,
/// `part-title`, `trans-source`, `institution`, `conf-loc`, `conf-date`, `version`, `size`, `patent`, `std` and
/// `annotation`.
///
/// The publication date (`issued`) of an article is, in this order of preference: the print date
/// (`pub-type="ppub"`/`"epub-ppub"`, or `date-type="pub"` with `publication-format="print"`), the issue date
/// (`pub-type`/`date-type` `"collection"`), the electronic date (`pub-type="epub"`, or `date-type="pub"` with
/// `publication-format="electronic"`), then any other publication date (`date-type` absent, `pub`,
/// `publication`, `version-of-record`); when another date of the same year is more precise (an epub day
/// beside a collection year), that one is used. `season` becomes an EDTF season (`Summer` → `2019-22`), a
/// month range an interval; `iso-8601-date` wins over the parts when it is a valid date.
public struct JATSReader: StagedRecordReader {
    /// What a file yields.
    public enum Content: String, Sendable {
        case article, references, both
    }

    private let xml: XMLStreamReader
    private let fileName: String
    private var content: Content = .article
    private var readSubArticles = false
    private var pending: [PendingRecord] = []
    private var finished = false
    private var carriedDiagnostics: [Diagnostic] = []
    private var recordCount = 0
    private var skippedSubArticles = 0
    private var rootName: String?
    private var sawJATS = false

    /// An article (or sub-article) being read: where it starts and what its children inherit.
    private struct ArticleContext {
        var depth: Int
        var attributes: [XMLAttribute]
        var journal: JATSJournal?
        var language: String?
        var frontRead = false
        var isCollection = false
        var location: SourceLocation
    }
    private var contexts: [ArticleContext] = []

    public init(input: ByteReader, options: ReaderOptions = ReaderOptions()) {
        xml = XMLStreamReader(input, options: XMLReaderOptions(options))
        fileName = input.fileName
        var settingProblems: [Diagnostic] = []
        if let value = options.settings["jats.content"] {
            if let parsed = Content(rawValue: value.lowercased()) {
                content = parsed
            } else {
                settingProblems.append(.warning(.jatsUnknownSetting,
                    "jats.content=\(value) is not article, references or both; article is used"))
            }
        }
        if let value = options.settings["jats.sub-articles"] {
            switch value.lowercased() {
            case "records", "include", "yes", "true": readSubArticles = true
            case "skip", "no", "false": readSubArticles = false
            default:
                settingProblems.append(.warning(.jatsUnknownSetting,
                    "jats.sub-articles=\(value) is not skip or records; skip is used"))
            }
        }
        carriedDiagnostics = settingProblems
    }

    /// The next result found. A reference's citations are mapped by ``PendingRecord/complete()``, which the
    /// conversion pipeline may run on its other thread; articles (whose journal and language their
    /// sub-articles and references inherit) are mapped here, in order.
    public mutating func nextPending() throws -> PendingRecord? {
        while pending.isEmpty && !finished {
            step()
        }
        guard !pending.isEmpty else { return nil }
        return pending.removeFirst()
    }

    private var wantsArticles: Bool { content != .references }
    private var wantsReferences: Bool { content != .article || (contexts.last?.isCollection ?? false) }

    private mutating func step() {
        guard let tag = xml.nextStartTag() else {
            finish()
            return
        }
        if rootName == nil { rootName = tag.name }
        while let last = contexts.last, last.depth >= tag.depth { close(contexts.removeLast()) }
        let tagLocation = SourceLocation(file: fileName, line: tag.line, column: tag.column)

        switch tag.name {
        case "article" where tag.namespaceURI != "http://www.w3.org/1999/xhtml":
            sawJATS = true
            let isCollection = tag.attribute("specific-use") == "smrl-collection"
            contexts.append(ArticleContext(
                depth: tag.depth, attributes: tag.attributes, journal: nil,
                language: tag.attributes.first { $0.name == "lang" }?.value, isCollection: isCollection,
                location: tagLocation))
        case "sub-article", "response":
            sawJATS = true
            guard readSubArticles else {
                skippedSubArticles += 1
                xml.skipElement()
                return
            }
            let parent = contexts.last
            contexts.append(ArticleContext(
                depth: tag.depth, attributes: tag.attributes, journal: parent?.journal,
                language: tag.attributes.first { $0.name == "lang" }?.value ?? parent?.language,
                location: tagLocation))
        case "front", "front-stub":
            guard var context = contexts.last, !context.frontRead, context.depth == tag.depth - 1 else { return }
            guard let front = xml.readElement() else { return }
            context.frontRead = true
            let parentJournal = contexts.count >= 2 ? contexts[contexts.count - 2].journal : nil
            let mapping = JATSArticleMapping(
                fileName: fileName, articleAttributes: context.attributes, parentJournal: parentJournal,
                parentLanguage: contexts.count >= 2 ? contexts[contexts.count - 2].language : nil)
            let (mapped, journal) = mapping.map(front: front)
            context.journal = journal
            context.language = mapped.resource.language
            contexts[contexts.count - 1] = context
            if wantsArticles && !context.isCollection {
                emit(mapped, at: context.location)
            }
        case "body", "floats-group":
            if !wantsReferences { xml.skipElement() }
        case "back":
            if !wantsReferences { xml.skipElement() }
        case "ref-list":
            if tag.depth == 0 { sawJATS = true }
        case "ref":
            if contexts.isEmpty && rootName == "ref-list" {
                // A bare reference list: its references are the records.
            } else if !wantsReferences {
                xml.skipElement()
                return
            }
            guard let ref = xml.readElement() else { return }
            let mapping = JATSReferenceMapping(fileName: fileName, articleLanguage: contexts.last?.language)
            switch mapping.plan(ref: ref) {
            case .unread(let diagnostics):
                carriedDiagnostics += diagnostics
                pending.append(PendingRecord(ReadResult(record: nil, location: tagLocation, diagnostics: takeCarried())))
            case .mapped(let mapped):
                emit(mapped, at: tagLocation)
            case .citations(let citations, let label):
                for (citation, id) in citations {
                    let carried = takeCarried()
                    let index = recordCount
                    recordCount += 1
                    pending.append(PendingRecord(record: {
                        Self.result(mapping.map(citation: citation, id: id, label: label), index: index,
                            carried: carried, at: tagLocation)
                    }))
                }
            }
        case "pmc-articleset", "article-set", "articles":
            sawJATS = true
        default:
            if tag.depth == 0 && !["article", "pmc-articleset", "ref-list"].contains(tag.name) {
                // Not JATS: stop early rather than walking an unrelated document.
                finish()
            }
        }
    }

    /// An article that ends without front matter still gets a result, so that it is not lost silently.
    private mutating func close(_ context: ArticleContext) {
        guard !context.frontRead, wantsArticles, !context.isCollection, !xml.hasFailed else { return }
        carriedDiagnostics.append(.error(.jatsMissingFront,
            "the article has no <front> or <front-stub>; no record was made from it", at: context.location))
        pending.append(PendingRecord(ReadResult(record: nil, location: context.location, diagnostics: takeCarried())))
    }

    private mutating func emit(_ mapped: JATSMapped, at location: SourceLocation) {
        pending.append(PendingRecord(Self.result(mapped, index: recordCount, carried: takeCarried(), at: location)))
        recordCount += 1
    }

    /// A mapped record's result: the diagnostics carried to it, then its own, which name it.
    private static func result(
        _ mapped: JATSMapped, index: Int, carried: [Diagnostic], at location: SourceLocation
    ) -> ReadResult {
        var diagnostics = carried
        diagnostics += mapped.diagnostics.map {
            var diagnostic = $0
            diagnostic.recordIndex = index
            diagnostic.recordID = mapped.resource.id
            return diagnostic
        }
        return ReadResult(
            record: mapped.resource, location: location, diagnostics: diagnostics, fieldLocationList: mapped.fieldLocations)
    }

    private mutating func takeCarried() -> [Diagnostic] {
        var diagnostics = carriedDiagnostics + xml.takeDiagnostics()
        carriedDiagnostics.removeAll()
        for index in diagnostics.indices where diagnostics[index].location == nil {
            diagnostics[index].location = SourceLocation(file: fileName, line: 1, column: 1)
        }
        return diagnostics
    }

    private mutating func finish() {
        guard !finished else { return }
        finished = true
        xml.stopReading()
        while let context = contexts.popLast() { close(context) }
        if skippedSubArticles > 0 {
            carriedDiagnostics.append(.note(.jatsSubArticlesSkipped,
                "\(skippedSubArticles) sub-article\(skippedSubArticles == 1 ? " was" : "s were") not read (jats.sub-articles=records reads them)",
                at: SourceLocation(file: fileName, line: 1, column: 1)))
        }
        if !sawJATS && !xml.hasFailed {
            let root = rootName.map { "<\($0)>" } ?? "nothing"
            carriedDiagnostics.append(.error(.jatsNotJATS,
                "the document's root element is \(root), not a JATS <article>, <pmc-articleset> or <ref-list>",
                at: SourceLocation(file: fileName, line: 1, column: 1)))
        }
        let diagnostics = takeCarried()
        if !diagnostics.isEmpty {
            pending.append(PendingRecord(ReadResult(record: nil, location: nil, diagnostics: diagnostics)))
        }
    }
}
