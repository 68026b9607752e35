import SMRLCore

/// Fields that other readers keep in their own `extra` (the model has no place for them) but that CSL has a
/// variable for: BibTeX/biblatex `pagetotal` is CSL `number-of-pages`, RIS `DP` is `source`, and so on. The writer
/// emits them as those variables (when the item has no such variable of its own) so that BibTeX → CSL and
/// RIS → CSL give what citation-js and pandoc give; the originals still travel in `custom.smrl.extra`, and the
/// reader drops the CSL copy again when it equals the original, so smrl → CSL → smrl stays exact.
///
/// Only plain values are taken: a BibTeX value with LaTeX commands, math or inner braces is left alone (the
/// BibTeX module, not this one, knows how to decode it).
enum CSLForeignExtra {
    struct Rule {
        let format: String
        let field: String
        let variable: String
        /// Only for these types (nil: any).
        let types: Set<ItemType>?
    }

    static let rules: [Rule] = [
        Rule(format: "bibtex", field: "pagetotal", variable: "number-of-pages", types: nil),
        Rule(format: "bibtex", field: "numpages", variable: "number-of-pages", types: nil),
        Rule(format: "bibtex", field: "chapter", variable: "chapter-number", types: nil),
        Rule(format: "bibtex", field: "type", variable: "genre", types: nil),
        Rule(format: "bibtex", field: "number", variable: "number", types: nil),
        Rule(format: "bibtex", field: "version", variable: "version", types: nil),
        Rule(format: "bibtex", field: "annotation", variable: "annote", types: nil),
        Rule(format: "bibtex", field: "annote", variable: "annote", types: nil),
        Rule(format: "bibtex", field: "eventdate", variable: "event-date", types: nil),
        Rule(format: "bibtex", field: "venue", variable: "event-place", types: nil),
        Rule(format: "bibtex", field: "origdate", variable: "original-date", types: nil),
        Rule(format: "bibtex", field: "origtitle", variable: "original-title", types: nil),
        Rule(format: "bibtex", field: "origpublisher", variable: "original-publisher", types: nil),
        Rule(format: "bibtex", field: "origlocation", variable: "original-publisher-place", types: nil),
        Rule(format: "bibtex", field: "volumes", variable: "number-of-volumes", types: nil),
        Rule(format: "ris", field: "DP", variable: "source", types: nil),
        Rule(format: "ris", field: "DB", variable: "source", types: nil),
        Rule(format: "ris", field: "CN", variable: "call-number", types: nil),
        Rule(format: "ris", field: "M3", variable: "genre", types: [.thesis, .report, .manuscript, .map, .motionPicture]),
    ]

    /// A variable's value from a foreign extra: text, or a date (written as a CSL date object).
    enum Value {
        case text(String)
        case date(EDTFDate)
    }

    /// The CSL variables the record's foreign extras give, in rule order, as JSON values.
    static func variables(for resource: Resource) -> [(variable: String, value: JSONValue)] {
        values(for: resource).map { variable, value in
            switch value {
            case .text(let text): return (variable, JSONValue.string(text))
            case .date(let date): return (variable, CSLDates.encode(date))
            }
        }
    }

    /// The CSL variables the record's foreign extras give, in rule order (what ``variables(for:)`` gives, before
    /// it becomes JSON: the writer writes these straight into its output).
    static func values(for resource: Resource) -> [(variable: String, value: Value)] {
        guard resource.extra["bibtex"] != nil || resource.extra["ris"] != nil else { return [] }
        var result: [(String, Value)] = []
        var seen: Set<String> = []
        for rule in rules where !seen.contains(rule.variable) {
            if let types = rule.types, !types.contains(resource.type) { continue }
            guard let raw = resource.extra[rule.format]?[rule.field]?.first,
                let text = plainValue(raw, format: rule.format)
            else { continue }
            let value: Value
            switch CSLMapping.kinds[rule.variable] {
            case .date?:
                let date = CSLDates.parseText(text)
                guard !date.isLiteral else { continue }
                value = .date(date)
            default:
                value = .text(text)
            }
            seen.insert(rule.variable)
            result.append((rule.variable, value))
        }
        return result
    }

    /// The value when it is plain text: for BibTeX without commands, math or braces (one pair of braces around
    /// the whole value is removed).
    static func plainValue(_ raw: String, format: String) -> String? {
        var text = raw.trimmedFast
        guard !text.isEmpty else { return nil }
        if format == "bibtex" {
            if text.hasPrefix("{"), text.hasSuffix("}"), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            if text.contains(where: { $0 == "\\" || $0 == "{" || $0 == "}" || $0 == "$" || $0 == "~" }) { return nil }
            // Line breaks and indentation inside a BibTeX value are one space.
            text = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
                .joined(separator: " ")
        }
        return text
    }

    /// Removes from `extra["csl-json"]` the variables that only repeat a foreign extra (after reading back what
    /// the writer emitted).
    static func dropCopies(from resource: inout Resource) {
        guard var csl = resource.extra[CSLItemDecoder.extraKey], !csl.isEmpty else { return }
        for (variable, value) in variables(for: resource) {
            guard let stored = csl[variable]?.first else { continue }
            let same: Bool
            switch CSLMapping.kinds[variable] {
            case .date?: same = CSLJSON.parse(stored).map { CSLJSON.equivalent($0, value) } ?? false
            default: same = stored == value.stringValue
            }
            if same { csl[variable] = nil }
        }
        resource.extra[CSLItemDecoder.extraKey] = csl.isEmpty ? nil : csl
    }
}
