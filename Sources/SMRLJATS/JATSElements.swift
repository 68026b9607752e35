import SMRLCore
import SMRLXML

/// The XLink namespace, for `xlink:href`.
let xlinkNamespace = "http://www.w3.org/1999/xlink"
/// The Access and License Indicators namespace, for `ali:free_to_read` and `ali:license_ref`.
let aliNamespace = "http://www.niso.org/schemas/ali/1.0/"

extension XMLElementNode {
    /// `xlink:href`, also when the document forgot to declare the `xlink` prefix.
    var href: String? {
        attribute("href", namespaceURI: xlinkNamespace) ?? attribute("xlink:href") ?? attribute("href")
    }

    /// `xml:lang`.
    var language: String? {
        attribute("lang", namespaceURI: "http://www.w3.org/XML/1998/namespace") ?? attribute("xml:lang")
    }

    /// The normalized text, or nil when it is empty.
    var nonEmptyText: String? {
        let text = normalizedText
        return text.isEmpty ? nil : text
    }

    /// An attribute's trimmed value, nil when absent or blank.
    func value(_ name: String) -> String? {
        guard let value = attribute(name)?.trimmingSpaces else { return nil }
        return value.isEmpty ? nil : value
    }
}

/// Turning JATS content into smrl values: rich text, paragraphs, names, dates.
enum JATSText {
    /// Elements whose content is not part of the surrounding text (footnote markers, labels, floating objects).
    static let skippedInline: Set<String> = [
        "xref", "fn", "label", "inline-graphic", "graphic", "target", "alternatives-media", "fn-group", "object-id",
    ]

    /// The element's content as rich text: `italic`, `bold`, `sub`, `sup` and `sc` become CSL markup, other
    /// elements contribute their text, white space is collapsed.
    static func richText(_ element: XMLElementNode, skipping: Set<String> = skippedInline) -> String {
        var result = ""
        appendRich(element, to: &result, skipping: skipping, depth: 0)
        return XMLText.collapsingWhitespace(result)
    }

    /// Rich text, or nil when empty.
    static func richTextOrNil(_ element: XMLElementNode?) -> String? {
        guard let element else { return nil }
        let text = richText(element)
        return RichText.plainText(text).trimmingSpaces.isEmpty ? nil : text
    }

    private static func appendRich(_ element: XMLElementNode, to result: inout String, skipping: Set<String>, depth: Int) {
        for child in element.children {
            switch child {
            case .text(let text):
                result += text
            case .element(let inner):
                if skipping.contains(inner.name) { continue }
                let style: RichText.Style?
                switch inner.name {
                case "italic": style = .italic
                case "bold": style = .bold
                case "sub": style = .subscript
                case "sup": style = .superscript
                case "sc": style = .smallCaps
                case "break": style = nil; result += " "; continue
                default: style = nil
                }
                if let style {
                    var inside = ""
                    appendRich(inner, to: &inside, skipping: skipping, depth: depth + 1)
                    if !inside.trimmingSpaces.isEmpty { result += style.openTag + inside + style.closeTag } else { result += inside }
                } else {
                    appendRich(inner, to: &result, skipping: skipping, depth: depth + 1)
                }
            }
        }
    }

    /// Block-level content (an abstract, a note) as rich-text paragraphs separated by a blank line. Section
    /// titles are paragraphs of their own; a leading generic "Abstract" title is dropped.
    static func paragraphs(_ element: XMLElementNode) -> String? {
        var blocks: [String] = []
        collectBlocks(element, into: &blocks)
        if let first = blocks.first, ["abstract", "summary"].contains(RichText.plainText(first).lowercased()
            .trimmingCharacters(in: ":. ")) {
            blocks.removeFirst()
        }
        let joined = blocks.filter { !$0.isEmpty }.joined(separator: "\n\n")
        return joined.isEmpty ? nil : joined
    }

    /// Elements whose children are blocks of their own.
    static let containerBlocks: Set<String> = [
        "sec", "list", "list-item", "def-list", "def-item", "boxed-text", "disp-quote", "statement",
    ]
    /// Elements that are one paragraph each.
    static let paragraphBlocks: Set<String> = ["p", "title", "license-p", "speech", "verse-group"]

    private static func collectBlocks(_ element: XMLElementNode, into blocks: inout [String]) {
        var inline = XMLElementNode(name: element.name)
        func flushInline() {
            let text = richText(inline)
            if !text.isEmpty { blocks.append(text) }
            inline.children.removeAll()
        }
        for child in element.children {
            if case .element(let inner) = child {
                if skippedInline.contains(inner.name) { continue }
                if containerBlocks.contains(inner.name) {
                    flushInline()
                    collectBlocks(inner, into: &blocks)
                    continue
                }
                if paragraphBlocks.contains(inner.name) {
                    flushInline()
                    let text = richText(inner)
                    if !text.isEmpty { blocks.append(text) }
                    continue
                }
            }
            inline.children.append(child)
        }
        flushInline()
    }

    /// Splits rich-text paragraphs written by ``paragraphs(_:)`` (the writer's inverse).
    static func splitParagraphs(_ text: String) -> [String] {
        // One line (no line feed at all, the usual case) is one paragraph, or none when blank.
        guard text.containsByte(0x0A) else { return text.trimmingSpaces.isEmpty ? [] : [text] }
        var result: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingSpaces.isEmpty {
                if !current.isEmpty { result.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        return result
    }
}

extension String {
    /// The string without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

// MARK: - Names

enum JATSNames {
    /// A person from `<name>`, `<string-name>`, `<name-alternatives>`, `<collab>` or `<anonymous>`; nil when
    /// the element is empty.
    static func person(_ element: XMLElementNode, preferredLanguage: String? = nil) -> Person? {
        switch element.name {
        case "name":
            return fromParts(element)
        case "string-name":
            if element.element("surname") != nil || element.element("given-names") != nil { return fromParts(element) }
            return element.nonEmptyText.map { Person(literal: $0) }
        case "name-alternatives":
            let names = element.elements.filter { ["name", "string-name"].contains($0.name) }
            let chosen = names.first { preferredLanguage != nil && $0.language == preferredLanguage }
                ?? names.first { ($0.attribute("name-style") ?? "western") == "western" && $0.name == "name" }
                ?? names.first
            return chosen.flatMap { person($0) }
        case "collab", "collab-name":
            return collabName(element).map { Person(literal: $0) }
        case "collab-alternatives":
            return element.elements("collab").first.flatMap { person($0) }
        case "anonymous":
            return Person(literal: element.nonEmptyText ?? "Anonymous")
        default:
            return nil
        }
    }

    /// The elements of a `collab` that are not part of the group's name (made once, not on each call).
    private static let collabSkipped: Set<String> = [
        "contrib-group", "contrib", "xref", "fn", "address", "email", "ext-link", "uri",
    ]

    /// A group's name without its member list or footnote markers.
    static func collabName(_ element: XMLElementNode) -> String? {
        var copy = element
        copy.children = element.children.filter {
            if case .element(let inner) = $0 { return !collabSkipped.contains(inner.name) }
            return true
        }
        if let named = copy.element("collab-name") { return named.nonEmptyText }
        return copy.nonEmptyText
    }

    private static func fromParts(_ element: XMLElementNode) -> Person? {
        var person = Person()
        person.family = element.element("surname")?.nonEmptyText
        person.given = element.element("given-names")?.nonEmptyText
        person.suffix = element.element("suffix")?.nonEmptyText
        if person.family == nil && person.given == nil {
            return element.nonEmptyText.map { Person(literal: $0) }
        }
        if person.family == nil, let given = person.given {
            // A given-only name (name-style="given-only") is one name, kept whole.
            return Person(literal: given)
        }
        return person
    }

    /// An ORCID from a `contrib-id` value (bare or as a URL).
    static func orcid(_ value: String) -> String? {
        Identifiers.normalizeORCID(value)
    }
}

// MARK: - Dates

enum JATSDates {
    /// The outcome of reading a JATS date: the date, the original text when it said more than the date
    /// (`2017a`, `1623/1995`), and a problem to report.
    struct Parsed {
        var date: EDTFDate?
        var originalYear: String?
        var season: String?
        var problem: String?
    }

    /// Reads `year`, `month`, `day`, `season`, `string-date` and `@iso-8601-date` from an element that holds them
    /// (`pub-date`, `date`, `element-citation`, `mixed-citation`, `date-in-citation`).
    static func parse(_ element: XMLElementNode) -> Parsed {
        var parsed = Parsed()
        let yearElement = element.element("year")
        let yearText = yearElement?.nonEmptyText
        let isoAttribute = yearElement?.value("iso-8601-date") ?? element.value("iso-8601-date")
        if let iso = isoAttribute, let date = isoDate(iso) {
            parsed.date = date
            if let yearText, yearText != String(date.year ?? 0) && Int(yearText) == nil { parsed.originalYear = yearText }
            if let season = element.element("season")?.nonEmptyText { parsed.season = season }
            return parsed
        }
        guard let yearText else {
            if let stringDate = element.element("string-date")?.nonEmptyText ?? (element.name == "date-in-citation" || element.name == "string-date" ? element.nonEmptyText : nil) {
                parsed.date = looseDate(stringDate)
            }
            return parsed
        }
        let year = parseYear(yearText)
        parsed.originalYear = year.original
        guard let yearValue = year.value else {
            parsed.date = EDTFDate(literal: yearText)
            if year.isUnknownText { parsed.problem = "year '\(yearText)' is not a year" }
            return parsed
        }
        let monthText = element.element("month")?.nonEmptyText
        let dayText = element.element("day")?.nonEmptyText
        let seasonText = element.element("season")?.nonEmptyText
        if let monthText {
            if let month = monthNumber(monthText) {
                var day: Int?
                if let dayText {
                    if let value = Int(dayText.filter(\.isNumber)), (1...31).contains(value) {
                        day = value
                    } else {
                        parsed.problem = "day '\(dayText)' is not a day of the month"
                    }
                }
                parsed.date = EDTFDate(year: yearValue, month: month, day: day)
            } else if let range = monthRange(monthText) {
                parsed.date = EDTFDate(start: .init(year: yearValue, month: range.0), end: .init(year: yearValue, month: range.1))
            } else {
                parsed.date = EDTFDate(year: yearValue)
                parsed.season = monthText
                parsed.problem = "month '\(monthText)' is not a month"
            }
        } else if let seasonText {
            if let code = seasonCode(seasonText) {
                parsed.date = EDTFDate(year: yearValue, month: code)
            } else if let range = monthRange(seasonText) {
                parsed.date = EDTFDate(start: .init(year: yearValue, month: range.0), end: .init(year: yearValue, month: range.1))
            } else {
                parsed.date = EDTFDate(year: yearValue)
                parsed.season = seasonText
            }
        } else {
            parsed.date = EDTFDate(year: yearValue)
        }
        return parsed
    }

    /// `2019`, `2019-05`, `2019-05-14`, `2019-05-14T10:00:00Z` → EDTF; nil otherwise.
    static func isoDate(_ text: String) -> EDTFDate? {
        if let plain = plainISODate(text) { return plain }
        return isoDateSlowly(text)
    }

    /// ``isoDate(_:)`` for the usual attribute, ASCII `YYYY`, `YYYY-M[M]` or `YYYY-M[M]-D[D]` and nothing else,
    /// read from its bytes: `.some` of the date ``isoDateSlowly(_:)`` gives (nil for a month or day out of range),
    /// without its Character and Substring work; nil (not decided here) for any other text.
    static func plainISODate(_ text: String) -> EDTFDate?? {
        // Year, month, day, and how many digits each had.
        var values = (0, 0, 0)
        var counts = (0, 0, 0)
        var part = 0
        for byte in text.utf8 {
            if byte == 0x2D {
                part += 1
                guard part < 3 else { return nil }
                continue
            }
            guard byte &- 0x30 < 10 else { return nil }
            let digit = Int(byte &- 0x30)
            switch part {
            case 0:
                guard counts.0 < 4 else { return nil }
                values.0 = values.0 * 10 + digit
                counts.0 += 1
            case 1:
                guard counts.1 < 2 else { return nil }
                values.1 = values.1 * 10 + digit
                counts.1 += 1
            default:
                guard counts.2 < 2 else { return nil }
                values.2 = values.2 * 10 + digit
                counts.2 += 1
            }
        }
        guard counts.0 == 4, part < 1 || counts.1 > 0, part < 2 || counts.2 > 0 else { return nil }
        if part == 0 { return .some(EDTFDate(year: values.0)) }
        guard (1...12).contains(values.1) || (21...24).contains(values.1) else { return .some(nil) }
        if part == 1 { return .some(EDTFDate(year: values.0, month: values.1)) }
        guard (1...31).contains(values.2), values.1 <= 12 else { return .some(nil) }
        return .some(EDTFDate(year: values.0, month: values.1, day: values.2))
    }

    /// ``isoDate(_:)`` for any text, on Characters; the reference for ``plainISODate(_:)``.
    static func isoDateSlowly(_ text: String) -> EDTFDate? {
        var value = text.trimmingSpaces
        if let t = value.firstIndex(of: "T") { value = String(value[..<t]) }
        // `2019-5-4` → `2019-05-04`
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count >= 2, parts.count <= 3, parts[0].count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            value = parts.enumerated().map { $0.offset == 0 ? String($0.element) : ($0.element.count == 1 ? "0" + $0.element : String($0.element)) }.joined(separator: "-")
        }
        if let date = EDTFDate(edtf: value), !date.isInterval { return date }
        return nil
    }

    /// A year's value and what else its text said.
    static func parseYear(_ text: String) -> (value: Int?, original: String?, isUnknownText: Bool) {
        let trimmed = text.trimmingSpaces
        let chars = Array(trimmed)
        if chars.count == 4, chars.allSatisfy(\.isNumber), let value = Int(trimmed) { return (value, nil, false) }
        // 2017a, 2017b
        if chars.count > 4, chars.prefix(4).allSatisfy(\.isNumber), chars.dropFirst(4).allSatisfy(\.isLetter),
            chars.count <= 6
        {
            return (Int(String(chars.prefix(4))), trimmed, false)
        }
        // 1623/1995 (original/edition), 1998-1999: the last four-digit year is the edition cited.
        let runs = fourDigitRuns(trimmed)
        if !runs.isEmpty {
            let lower = trimmed.lowercased()
            if lower.contains("press") || lower.contains("forthcoming") { return (nil, nil, false) }
            return (runs.last, trimmed, false)
        }
        let known = ["in press", "forthcoming", "n.d.", "n. d.", "nd", "no date", "submitted", "accepted",
            "in preparation", "unpublished", "epub ahead of print", "ahead of print", "s.d.", "sd"]
        return (nil, nil, !known.contains(trimmed.lowercased().trimmingCharacters(in: "[]().")))
    }

    /// Four-digit numbers from 1500 to 2100 standing alone in running text (a citation's loose text).
    static func plausibleYears(in text: String) -> [Int] {
        fourDigitRuns(text).filter { (1500...2100).contains($0) }
    }

    private static func fourDigitRuns(_ text: String) -> [Int] {
        var result: [Int] = []
        var run = ""
        for char in text + " " {
            if char.isASCII && char.isNumber {
                run.append(char)
            } else {
                if run.count == 4, let value = Int(run), (1000...2999).contains(value) { result.append(value) }
                run = ""
            }
        }
        return result
    }

    static let monthNames = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// 1–12 from `5`, `05`, `May`, `may.`, `September`, `Sept`.
    static func monthNumber(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces.lowercased().trimmingCharacters(in: ".")
        if let value = Int(trimmed), (1...12).contains(value) { return value }
        guard trimmed.count >= 3, trimmed.allSatisfy(\.isLetter) else { return nil }
        if trimmed == "sept" { return 9 }
        if let index = monthNames.firstIndex(of: String(trimmed.prefix(3))) {
            let full = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"][index]
            if full.hasPrefix(trimmed) { return index + 1 }
        }
        return nil
    }

    /// `Jan-Feb`, `January–March` → (1, 3).
    static func monthRange(_ text: String) -> (Int, Int)? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "–" || $0 == "/" || $0 == "—" })
        guard parts.count == 2, let first = monthNumber(String(parts[0])), let last = monthNumber(String(parts[1])),
            first < last
        else { return nil }
        return (first, last)
    }

    /// EDTF season codes: Spring 21, Summer 22, Autumn/Fall 23, Winter 24.
    static func seasonCode(_ text: String) -> Int? {
        switch text.trimmingSpaces.lowercased() {
        case "spring": return 21
        case "summer": return 22
        case "autumn", "fall": return 23
        case "winter": return 24
        default: return nil
        }
    }

    static let seasonNames = [21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"]

    /// A date written as text: `2019 Jan 2`, `cited 2019 May 5`, `2019-01-02`, `January 2, 2019`; else a literal.
    static func looseDate(_ text: String) -> EDTFDate {
        let trimmed = text.trimmingSpaces
        if let iso = isoDate(trimmed) { return iso }
        var cleaned = trimmed.lowercased()
        for noise in ["cited", "accessed", "accessed on", "last accessed", "retrieved", "[", "]", ",", "on "] {
            cleaned = cleaned.split(separator: Substring(noise), omittingEmptySubsequences: false).joined(separator: " ")
        }
        let words = cleaned.split(whereSeparator: { $0 == " " || $0 == "." || $0 == "/" }).map(String.init)
        var year: Int?
        var month: Int?
        var day: Int?
        for word in words {
            if word.count == 4, let value = Int(word), (1000...2999).contains(value) {
                year = value
            } else if let value = monthNumber(word), !word.allSatisfy(\.isNumber) {
                month = value
            } else if let value = Int(word), (1...31).contains(value), day == nil {
                day = value
            }
        }
        guard let year else { return EDTFDate(literal: trimmed) }
        return EDTFDate(year: year, month: month, day: month == nil ? nil : day)
    }
}
