public import SMRLCore
package import SMRLXML

/// Writes valid JATS 1.3 Journal Publishing XML (checked against the NISO DTD in smrl's tests).
///
/// Document shape:
/// - **One record** becomes an `<article>` with full front matter: journal-meta (journal title and abbreviation,
///   ISSNs by publication format, publisher) and article-meta (ids, subjects, titles, contributors with ORCIDs,
///   publication dates, volume, issue, pages or elocation-id, permissions with ALI `free_to_read`, self-uri,
///   abstracts, keyword groups, custom-meta).
/// - **Several records** become one `<article article-type="other" specific-use="smrl-collection">` whose front
///   matter is the minimum the DTD asks for (empty `journal-id`, `issn` and `article-title`,
///   `pub-date-not-available`) and whose `<back><ref-list>` holds one `<ref>` with one `<element-citation>` per
///   record, with a JATS `publication-type` (journal, book, confproc, report, data, webpage, thesis, patent,
///   standard, software, preprint, periodical, communication, gov, other; never a CSL name). smrl's reader
///   reads such a document back as its references.
///
/// The writer holds the first record until it sees a second one (then it writes a collection) or the end (then
/// an article); nothing else is buffered. Setting `jats.shape` = `collection` always writes a collection (even
/// for one record); the default `auto` decides as described.
///
/// Fields without a JATS element travel in schema-valid places that ``JATSReader`` maps back exactly:
///
/// | Field | In a one-record `<article>` | In a collection's `<element-citation>` |
/// |---|---|---|
/// | `domains`, `topics`, `professions`, `resourceType` | `<kwd-group kwd-group-type="smrl-domain">` (`smrl-topic`, `smrl-profession`, `smrl-resource-type`), one `<kwd>` per vocabulary id | `<annotation content-type="smrl-library">`, one `<p>` per `smrl:<field>:<id>` tag (``LibraryTags``) |
/// | `openAccess` | true: `<permissions><ali:free_to_read/>`; false: `<custom-meta>` `smrl-open-access` = `false` | in the `smrl-library` annotation: `smrl:open-access:true` / `false` |
/// | `keywords` | `<kwd-group kwd-group-type="author">` (and the record's own typed groups / subjects) | `<annotation content-type="keywords">`, one `<p>` each |
/// | `abstract` | `<abstract>`, one `<p>` per paragraph | `<annotation content-type="abstract">` |
/// | `description` | `<abstract abstract-type="smrl-description">` | `<annotation content-type="smrl-description">` |
/// | `type` | `article-type`, plus `<custom-meta>` `smrl-item-type` = CSL type when the article-type does not say it | `publication-type`, plus `<annotation content-type="smrl-item-type">` when that does not say it |
/// | a field without an element (`accessed`, `edition`, `collectionTitle`, `event`, `note` in an article; `shortTitle`, `containerTitleShort`, `subtitle`, ORCIDs in a citation …) | `<custom-meta>` named `smrl-<field>` (kebab-case key: `smrl-collection-title`) | `<annotation content-type="smrl-<field>">` |
/// | `extra[format][field]` without an element | `<custom-meta>` named `extra.<format>.<field>` | one `<annotation content-type="extra.<format>.<field>">` per value |
///
/// A value of several paragraphs is an annotation with one `<p>` per paragraph, or consecutive `custom-meta` of
/// the same name, the later ones with `specific-use="smrl-continued"`. As every field has a place in both shapes,
/// the loss report of a record does not depend on the shape. What is reported: name particles (joined into the
/// surname or given names; JATS has no particle element) and case-protection markup (`<span class="nocase">`,
/// which JATS cannot express).
public struct JATSWriter: RecordWriter {
    private var forceCollection = false
    private let pretty: Bool
    private var held: Resource?
    private var xml: XMLStreamWriter?
    private var collectionOpen = false
    /// Digests of the reference ids written (flat memory: see ``DigestMap``; a digest shared by two ids would
    /// only cost the second a needless `-x`).
    private let usedIDs = DigestMap()
    private var refCount = 0
    /// Who makes the XML bytes: smrl's own writer, or libxml2's (the reference the tests compare with).
    private let xmlEngine: XMLStreamWriter.Engine

    public init(options: WriterOptions = WriterOptions()) {
        self.init(options: options, xmlEngine: .bytes)
    }

    /// A writer whose XML is made by `xmlEngine` (tests compare ``XMLStreamWriter/Engine/libxml2`` with the default).
    package init(options: WriterOptions, xmlEngine: XMLStreamWriter.Engine) {
        pretty = options.pretty
        forceCollection = options.settings["jats.shape"]?.lowercased() == "collection"
        self.xmlEngine = xmlEngine
    }

    public mutating func begin(into sink: OutputSink) throws {}

    public mutating func write(_ record: Resource, into sink: OutputSink) throws -> [Loss] {
        let losses = Self.losses(for: record)
        if collectionOpen {
            try writeReference(record, into: sink)
        } else if let first = held {
            held = nil
            try openCollection(into: sink)
            try writeReference(first, into: sink)
            try writeReference(record, into: sink)
        } else if forceCollection {
            try openCollection(into: sink)
            try writeReference(record, into: sink)
        } else {
            held = record
        }
        return losses
    }

    public mutating func end(into sink: OutputSink) throws {
        if let record = held {
            held = nil
            let writer = try XMLStreamWriter(sink: sink, indent: pretty, engine: xmlEngine)
            try writeDocumentStart(writer, collection: false, record: record)
            try JATSArticleWriter(xml: writer, record: record).writeFront()
            try writer.endDocument()
        } else {
            if !collectionOpen { try openCollection(into: sink) }
            guard let xml else { return }
            try xml.endDocument()
        }
        try sink.flush()
    }

    /// What a record loses in JATS (the same for both document shapes).
    static func losses(for record: Resource) -> [Loss] {
        var losses: [Loss] = []
        for (key, people) in [("authors", record.authors), ("editors", record.editors), ("translators", record.translators)] {
            if people.contains(where: { !($0.particle ?? "").isEmpty }) {
                losses.append(Loss(key, "name particles joined into the surname (JATS has no particle element)", kind: .changed))
            }
            if people.contains(where: { !($0.droppingParticle ?? "").isEmpty }) {
                losses.append(Loss(key, "dropping particles joined into the given names (JATS has no particle element)", kind: .changed))
            }
        }
        let rich: [(String, String?)] = [
            ("title", record.title), ("subtitle", record.subtitle), ("containerTitle", record.containerTitle),
            ("abstract", record.abstract), ("description", record.description),
        ]
        for (key, value) in rich {
            if let value, holdsNoCase(value) {
                losses.append(Loss(key, "case protection (nocase) has no JATS markup and was dropped", kind: .changed))
            }
        }
        return losses
    }

    private static let noCaseTag = Array("<span class=\"nocase\">".utf8)

    /// Whether the value holds `<span class="nocase">` as a run of whole characters. A value without the tag's
    /// bytes cannot (no other characters are canonically equivalent to the tag's ASCII ones); one with them is
    /// confirmed by the character search, which a combining mark after the `>` (one character with it) fails.
    /// The byte search alone costs a small part of the character search, which most values with markup would need.
    static func holdsNoCase(_ value: String) -> Bool {
        var value = value
        guard value.withUTF8({ $0.containsBytes(noCaseTag) }) else { return false }
        return value.contains("<span class=\"nocase\">")
    }

    /// ``holdsNoCase(_:)`` as it was written before the byte search: the tests' reference. (It must stay in a
    /// module without Foundation, whose `contains` compares differently.)
    static func holdsNoCaseSlowly(_ value: String) -> Bool {
        value.containsByte(0x3C) && value.contains("<span class=\"nocase\">")
    }

    // MARK: Document

    private func writeDocumentStart(_ writer: XMLStreamWriter, collection: Bool, record: Resource?) throws {
        try writer.startDocument()
        try writer.docType(
            name: "article",
            publicID: "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN",
            systemID: "JATS-journalpublishing1-3.dtd")
        try writer.startElement("article")
        try writer.attribute("xmlns:ali", "http://www.niso.org/schemas/ali/1.0/")
        try writer.attribute("xmlns:xlink", "http://www.w3.org/1999/xlink")
        if collection {
            try writer.attribute("article-type", "other")
            try writer.attribute("specific-use", "smrl-collection")
        } else if let record {
            try writer.attribute("article-type", JATSArticleWriter.articleType(for: record))
        }
        try writer.attribute("dtd-version", "1.3")
        if let language = record?.language, JATSArticleWriter.isNMToken(language) {
            try writer.attribute("xml:lang", language)
        }
    }

    private mutating func openCollection(into sink: OutputSink) throws {
        let writer = try XMLStreamWriter(sink: sink, indent: pretty, engine: xmlEngine)
        try writeDocumentStart(writer, collection: true, record: nil)
        try writer.startElement("front")
        try writer.startElement("journal-meta")
        try writer.emptyElement("journal-id")
        try writer.emptyElement("issn")
        try writer.endElement()
        try writer.startElement("article-meta")
        try writer.startElement("title-group")
        try writer.emptyElement("article-title")
        try writer.endElement()
        try writer.emptyElement("pub-date-not-available")
        try writer.endElement()
        try writer.endElement()
        try writer.startElement("back")
        try writer.startElement("ref-list")
        xml = writer
        collectionOpen = true
    }

    private mutating func writeReference(_ record: Resource, into sink: OutputSink) throws {
        guard let xml else { return }
        refCount += 1
        var id = "ref-\(refCount)"
        var keepID: String?
        if let original = record.id {
            if JATSArticleWriter.isNCName(original), !usedIDs.contains(DigestMap.digest(original)) {
                id = original
            } else {
                keepID = original
                while usedIDs.contains(DigestMap.digest(id)) { id += "-x" }
            }
        }
        usedIDs.insert(DigestMap.digest(id), value: 0)
        try JATSCitationWriter(xml: xml, refID: id, originalID: keepID).write(record)
        try xml.flush()
    }
}
