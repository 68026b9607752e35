import Foundation
import SMRLCore
@testable import SMRLBibTeX

/// Field-by-field comparison of our records with other projects' expected conversions (citation-js, pandoc,
/// Zotero, Better BibTeX). Each side is reduced to the same flat form: normalised single values and name lists.
enum Expectation {
    typealias Fields = [String: String]

    /// Text as compared: markup removed, no-break and other spaces as one space, dashes as `-`, trimmed.
    static func text(_ value: String?) -> String? {
        guard let value else { return nil }
        var plain = RichText.plainText(value)
        plain = String(plain.map { $0 == "\u{00A0}" || $0 == "\u{2009}" || $0.isNewline ? " " : $0 })
        let collapsed = plain.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed.precomposedStringWithCanonicalMapping
    }

    static func pages(_ value: String?) -> String? {
        text(value).map { String($0.map { $0 == "–" || $0 == "—" ? "-" : $0 }).replacingOccurrences(of: "--", with: "-") }
    }

    /// A name as `family|given|particle|suffix`, or `literal:Name`.
    static func name(family: String?, given: String?, particle: String?, suffix: String?, literal: String?) -> String {
        if let literal = text(literal) { return "literal:" + literal }
        return [family, given, particle, suffix].map { text($0) ?? "" }.joined(separator: "|")
    }

    static func names(_ people: [Person]) -> String? {
        guard !people.isEmpty else { return nil }
        return people.map {
            name(family: $0.family, given: $0.given, particle: $0.particle, suffix: $0.suffix,
                literal: $0.family == nil ? $0.literal : nil)
        }.joined(separator: "; ")
    }

    /// Our record in the flat form.
    static func fields(of record: Resource) -> Fields {
        var fields: Fields = [:]
        fields["id"] = record.id
        fields["type"] = record.type.rawValue
        fields["title"] = text(record.fullTitle)
        fields["container"] = text(record.containerTitle)
        fields["collection"] = text(record.collectionTitle)
        fields["author"] = names(record.authors)
        fields["editor"] = names(record.editors)
        fields["translator"] = names(record.translators)
        fields["issued"] = record.issued?.description
        fields["accessed"] = record.accessed?.description
        fields["volume"] = text(record.volume)
        fields["issue"] = text(record.issue)
        fields["pages"] = pages(record.pages)
        fields["edition"] = text(record.edition)
        fields["publisher"] = text(record.publisher)
        fields["place"] = text(record.publisherPlace)
        fields["doi"] = record.doi
        fields["url"] = record.url
        fields["isbn"] = record.isbn.isEmpty ? nil : record.isbn.joined(separator: ", ")
        fields["issn"] = record.issn.isEmpty ? nil : record.issn.joined(separator: ", ")
        fields["note"] = text(record.note)
        fields["keywords"] = record.keywords.isEmpty ? nil : record.keywords.sorted().joined(separator: "|")
        fields["pmid"] = record.pmid
        fields["language"] = record.language
        return fields
    }

    /// CSL-JSON (or CSL YAML read as JSON-like values) in the flat form.
    static func fields(ofCSL item: [String: Any]) -> Fields {
        var fields: Fields = [:]
        func string(_ key: String) -> String? {
            if let value = item[key] as? String { return value }
            if let value = item[key] as? NSNumber { return value.stringValue }
            if let value = item[key] as? Int { return String(value) }
            return nil
        }
        fields["id"] = string("citation-key") ?? string("id")
        fields["type"] = string("type")
        fields["title"] = text(string("title"))
        fields["container"] = text(string("container-title"))
        fields["collection"] = text(string("collection-title"))
        for role in ["author", "editor", "translator"] {
            guard let people = item[role] as? [[String: Any]], !people.isEmpty else { continue }
            fields[role] = people.map {
                name(family: $0["family"] as? String, given: $0["given"] as? String,
                    particle: ($0["non-dropping-particle"] as? String) ?? ($0["dropping-particle"] as? String),
                    suffix: $0["suffix"] as? String, literal: $0["literal"] as? String)
            }.joined(separator: "; ")
        }
        fields["issued"] = date(item["issued"])
        fields["accessed"] = date(item["accessed"])
        fields["volume"] = text(string("volume"))
        fields["issue"] = text(string("issue"))
        fields["pages"] = pages(string("page"))
        fields["edition"] = text(string("edition"))
        fields["publisher"] = text(string("publisher"))
        fields["place"] = text(string("publisher-place"))
        fields["doi"] = string("DOI") ?? string("doi")
        fields["url"] = string("URL") ?? string("url")
        fields["isbn"] = string("ISBN") ?? string("isbn")
        fields["issn"] = string("ISSN") ?? string("issn")
        fields["note"] = text(string("note"))
        fields["pmid"] = string("PMID")
        fields["language"] = string("language")
        if let keywords = string("keyword") {
            fields["keywords"] = keywords.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .sorted().joined(separator: "|")
        }
        return fields
    }

    /// A CSL date (`date-parts`, `literal`, `raw`, or a string) as EDTF.
    static func date(_ value: Any?) -> String? {
        if let string = value as? String { return string }
        guard let object = value as? [String: Any] else { return nil }
        if let literal = object["literal"] as? String { return literal }
        if let raw = object["raw"] as? String { return raw }
        guard let parts = object["date-parts"] as? [[Any]] else { return nil }
        let points = parts.map { part -> String in
            part.enumerated().map { index, value -> String in
                let number = (value as? Int) ?? Int("\(value)") ?? 0
                return index == 0 ? EDTFDate(year: number).description : (number < 10 ? "0\(number)" : "\(number)")
            }.joined(separator: "-")
        }
        return points.joined(separator: "/")
    }

    /// A Zotero item (translator test or Better BibTeX export) in the flat form.
    static func fields(ofZotero item: [String: Any]) -> Fields {
        var fields: Fields = [:]
        func string(_ key: String) -> String? { item[key] as? String }
        fields["id"] = string("citationKey") ?? string("itemID")
        fields["type"] = string("itemType").flatMap { zoteroTypes[$0] }
        fields["title"] = text(string("title"))
        fields["container"] = text(string("publicationTitle") ?? string("bookTitle") ?? string("proceedingsTitle")
            ?? string("websiteTitle") ?? string("encyclopediaTitle"))
        fields["collection"] = text(string("series"))
        if let creators = item["creators"] as? [[String: Any]] {
            for role in ["author", "editor", "translator"] {
                let people = creators.filter { ($0["creatorType"] as? String) == role }
                guard !people.isEmpty else { continue }
                fields[role] = people.map { zoteroName($0) }.joined(separator: "; ")
            }
        }
        fields["issued"] = string("date")
        fields["accessed"] = string("accessDate")
        fields["volume"] = text(string("volume"))
        fields["issue"] = text(string("issue"))
        fields["pages"] = pages(string("pages"))
        fields["edition"] = text(string("edition"))
        fields["publisher"] = text(string("publisher") ?? string("university") ?? string("institution"))
        fields["place"] = text(string("place"))
        fields["doi"] = string("DOI")
        fields["url"] = string("url")
        fields["isbn"] = string("ISBN")
        fields["issn"] = string("ISSN")
        fields["language"] = string("language")
        if let tags = item["tags"] as? [Any], !tags.isEmpty {
            let names = tags.compactMap { ($0 as? String) ?? (($0 as? [String: Any])?["tag"] as? String) }
            fields["keywords"] = names.sorted().joined(separator: "|")
        }
        return fields
    }

    /// Zotero has no particle or suffix: its last name holds the particle, its first name the suffix.
    static func zoteroName(_ creator: [String: Any]) -> String {
        if let name = creator["name"] as? String { return "literal:" + (text(name) ?? name) }
        if (creator["fieldMode"] as? Int) == 1, let name = creator["lastName"] as? String {
            return "literal:" + (text(name) ?? name)
        }
        let last = text(creator["lastName"] as? String) ?? ""
        let first = text(creator["firstName"] as? String) ?? ""
        return "zotero:" + last + "|" + first
    }

    /// Our names as Zotero would hold them, for comparison with ``zoteroName(_:)``.
    static func zoteroNames(_ people: [Person]) -> String? {
        guard !people.isEmpty else { return nil }
        return people.map { person in
            if let literal = person.literal, person.family == nil { return "literal:" + (text(literal) ?? literal) }
            let last = [person.particle, person.family].compactMap { text($0) }.joined(separator: " ")
            let first = [person.given, person.suffix].compactMap { text($0) }.joined(separator: ", ")
            return "zotero:" + last + "|" + first
        }.joined(separator: "; ")
    }

    static let zoteroTypes: [String: String] = [
        "journalArticle": "article-journal", "book": "book", "bookSection": "chapter",
        "conferencePaper": "paper-conference", "thesis": "thesis", "report": "report", "webpage": "webpage",
        "document": "document", "manuscript": "manuscript", "magazineArticle": "article-magazine",
        "newspaperArticle": "article-newspaper", "patent": "patent", "computerProgram": "software",
        "dataset": "dataset", "encyclopediaArticle": "entry-encyclopedia", "dictionaryEntry": "entry-dictionary",
        "film": "motion_picture", "audioRecording": "song", "letter": "personal_communication",
        "presentation": "speech", "case": "legal_case", "statute": "legislation", "artwork": "graphic",
        "blogPost": "post-weblog", "forumPost": "post", "standard": "standard", "preprint": "article",
        "map": "map", "interview": "interview", "podcast": "broadcast", "videoRecording": "motion_picture",
        "bill": "bill", "hearing": "hearing", "radioBroadcast": "broadcast", "tvBroadcast": "broadcast",
        "email": "personal_communication", "instantMessage": "personal_communication",
    ]

    /// One field that differs.
    struct Mismatch: CustomStringConvertible, Hashable {
        var item: String
        var field: String
        var expected: String
        var actual: String
        var description: String { "\(item).\(field): expected '\(expected)', got '\(actual)'" }
    }

    /// Compares the fields the expectation sets; returns the mismatches and how many fields were compared.
    static func compare(item: String, expected: Fields, actual: Fields, only keys: Set<String>? = nil)
        -> (mismatches: [Mismatch], compared: Int)
    {
        var mismatches: [Mismatch] = []
        var compared = 0
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) where keys?.contains(key) ?? true {
            compared += 1
            let ours = actual[key] ?? "<none>"
            if ours != value { mismatches.append(Mismatch(item: item, field: key, expected: value, actual: ours)) }
        }
        return (mismatches, compared)
    }
}
