/// DOI, PubMed ids, ISBN, ISSN and URL.
extension Validator {
    func checkIdentifiers(_ record: inout Resource, _ report: inout Report) {
        if let doi = record.doi { record.doi = checkDOI(doi, &report) }
        if let pmid = record.pmid { record.pmid = checkPMID(pmid, &report) }
        if let pmcid = record.pmcid { record.pmcid = checkPMCID(pmcid, &report) }
        if !record.isbn.isEmpty {
            record.isbn = splitJoined(record.isbn, field: "isbn", name: "ISBN", &report) {
            Identifiers.isbnDigits(Self.isbnCore($0).number) != nil
            }.compactMap { checkISBN($0.value, element: $0.element, &report) }
        }
        if !record.issn.isEmpty {
            record.issn = splitJoined(record.issn, field: "issn", name: "ISSN", &report) {
                Identifiers.normalizeISSN($0) != nil
            }.compactMap { checkISSN($0.value, element: $0.element, &report) }
        }
        if let url = record.url { record.url = checkURL(url, &report) }
    }

    /// True for a bare DOI: `10.`, a registrant code of digits whose dot-separated parts are not empty and whose
    /// first part has at least four digits, `/`, and a suffix without white space or control characters.
    static func isWellFormedDOI(_ doi: String) -> Bool {
        var doi = doi
        let asciiVerdict: Bool? = doi.withUTF8 { bytes -> Bool? in
            let count = bytes.count
            guard count > 3, bytes[0] == 0x31, bytes[1] == 0x30, bytes[2] == 0x2E else { return false }
            var index = 3
            var part = 0
            var firstPart = -1
            while index < count {
                let byte = bytes[index]
                if byte == 0x2F { break }
                if byte == 0x2E {
                    if part == 0 { return false }
                    if firstPart < 0 { firstPart = part }
                    part = 0
                } else if byte >= 0x30 && byte <= 0x39 {
                    part &+= 1
                } else {
                    return false
                }
                index &+= 1
            }
            if firstPart < 0 { firstPart = part }
            guard index < count, part > 0, firstPart >= 4, index &+ 1 < count else { return false }
            index &+= 1
            while index < count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }  // decided on Unicode scalars below
                if byte <= 0x20 || byte == 0x7F { return false }
                index &+= 1
            }
            return true
        }
        if let asciiVerdict { return asciiVerdict }
        return !doi.unicodeScalars.contains {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control
        }
    }

    /// The code of a shortDOI (`10/b4mz6g` gives `b4mz6g`): `10/` and letters and digits only.
    static func shortDOI(_ text: String) -> Substring? {
        guard text.hasPrefix("10/") else { return nil }
        let code = text.dropFirst(3)
        guard !code.isEmpty, code.utf8.count <= 16,
            code.utf8.allSatisfy({ ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) })
        else { return nil }
        return code
    }

    /// The text after a DOI resolver (`https://doi.org/`, `http://dx.doi.org/`) or a `doi:` label, if any.
    static func withoutResolver(_ text: String) -> String {
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"] {
            if text.lowercased().hasPrefix(prefix) { return String(text.dropFirst(prefix.count)).trimmingSpaces }
        }
        return text
    }

    /// For `NNNN-NNNC`, `NNNN-NNNN-NNNN-NNNC` and the like (digit groups joined by hyphens, last character a digit
    /// or `X`): the digits with `X` as 10; nil for any other shape, which then goes the slower normalising way.
    static func canonicalDigits(_ text: String, groups: Int) -> [Int]? {
        var text = text
        return text.withUTF8 { bytes -> [Int]? in
            let count = bytes.count
            guard count == groups * 5 - 1 else { return nil }
            var digits: [Int] = []
            digits.reserveCapacity(groups * 4)
            for offset in 0..<count {
                let byte = bytes[offset]
                if offset % 5 == 4 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                } else if byte >= 0x30 && byte <= 0x39 {
                    digits.append(Int(byte &- 0x30))
                } else if byte == UInt8(ascii: "X") && offset == count - 1 {
                    digits.append(10)
                } else {
                    return nil
                }
            }
            return digits
        }
    }

    /// The ISSN check (weights 8…2, mod 11) on canonical digits.
    static func issnCheckDigitIsRight(_ digits: [Int]) -> Bool {
        var sum = 0
        for (index, digit) in digits.prefix(7).enumerated() { sum += (8 - index) * digit }
        return digits[7] == (11 - sum % 11) % 11 && !digits.prefix(7).contains(10)
    }

    /// The ORCID check (ISO 7064 11-2) on canonical digits.
    static func orcidCheckDigitIsRight(_ digits: [Int]) -> Bool {
        var total = 0
        for digit in digits.prefix(15) { total = (total + digit) * 2 }
        return digits[15] == (12 - total % 11) % 11 && !digits.prefix(15).contains(10)
    }

    /// True, after noting its removal, when an identifier is blank (the caller then drops it).
    private func blank(_ raw: String, _ name: String, field: String, element: Int? = nil, _ report: inout Report)
        -> Bool
    {
        guard raw.trimmingSpaces.isEmpty else { return false }
        report.add(.note, .identifierNormalised, "an empty \(name) is removed", field: field, element: element)
        return true
    }

    private func normalised(
        _ name: String, from raw: String, to value: String, field: String, element: Int? = nil,
        _ report: inout Report
    ) {
        report.add(
            .note, .identifierNormalised, "\(name) \"\(raw)\" normalised to \(value)", field: field, element: element,
            suggestion: value)
    }

    private func checkDOI(_ raw: String, _ report: inout Report) -> String? {
        // Already a bare DOI (the common case): nothing to trim, extract or report, and it cannot be a shortDOI
        // (which starts `10/`) with or without a resolver.
        if Self.isWellFormedDOI(raw) { return raw }
        if blank(raw, "DOI", field: "doi", &report) { return nil }
        let trimmed = raw.trimmingSpaces
        var candidate = trimmed
        if !Self.isWellFormedDOI(candidate), let extracted = Identifiers.normalizeDOI(trimmed) {
            candidate = extracted
        }
        if let short = Self.shortDOI(candidate) ?? Self.shortDOI(Self.withoutResolver(trimmed)) {
            report.add(
                .warning, .identifierShortDOI,
                "\"\(raw)\" is a shortDOI alias (10/\(short)); the library stores the full DOI, which "
                    + "https://doi.org/10/\(short) resolves to", field: "doi")
            return raw
        }
        guard Self.isWellFormedDOI(candidate) else {
            report.add(
                .error, .identifierInvalidDOI,
                "DOI \"\(raw)\" is not a DOI (10.NNNN/suffix: a registrant code of at least four digits, a slash, "
                    + "a suffix without spaces)", field: "doi")
            return raw
        }
        if candidate != raw { normalised("DOI", from: raw, to: candidate, field: "doi", &report) }
        return candidate
    }

    private func checkPMID(_ raw: String, _ report: inout Report) -> String? {
        if (1...9).contains(raw.utf8.count), raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), raw != "0" {
            return raw
        }
        if blank(raw, "PMID", field: "pmid", &report) { return nil }
        var value = Substring(raw.trimmingSpaces)
        if value.uppercased().hasPrefix("PMID") {
            value = value.dropFirst(4).drop { $0 == ":" || $0 == " " }
        }
        let pmid = String(value)
        guard Identifiers.isValidPMID(pmid) else {
            report.add(.error, .identifierInvalidPMID, "PMID \"\(raw)\" is not 1 to 9 digits", field: "pmid")
            return raw
        }
        if pmid != raw { normalised("PMID", from: raw, to: pmid, field: "pmid", &report) }
        return pmid
    }

    private func checkPMCID(_ raw: String, _ report: inout Report) -> String? {
        if blank(raw, "PMCID", field: "pmcid", &report) { return nil }
        guard let pmcid = Identifiers.normalizePMCID(raw) else {
            report.add(
                .error, .identifierInvalidPMCID, "PMCID \"\(raw)\" is not PMC followed by 1 to 10 digits",
                field: "pmcid")
            return raw
        }
        if pmcid != raw { normalised("PMCID", from: raw, to: pmcid, field: "pmcid", &report) }
        return pmcid
    }

    /// Values that hold several identifiers joined into one string (`0018-8158, 1573-5117`,
    /// `978-0-226-46713-9 978-0-226-46734-4`, as Zotero stores them) split into one element each, when every part
    /// has the identifier's shape; each split is noted. Returns the values with their original element index.
    private func splitJoined(
        _ values: [String], field: String, name: String, _ report: inout Report, isPart: (String) -> Bool
    ) -> [(value: String, element: Int)] {
        var result: [(value: String, element: Int)] = []
        for (element, value) in values.enumerated() {
            // Fast path: ASCII without a separator is one part.
            if value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x80 && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: ";") }) {
                result.append((value, element))
                continue
            }
            var parts: [String] = []
            for piece in value.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }) {
                // A qualifier such as "(hardcover)" belongs to the number before it.
                if piece.hasPrefix("("), let last = parts.popLast() {
                    parts.append(last + " " + piece)
                } else {
                    parts.append(String(piece))
                }
            }
            guard parts.count > 1, parts.allSatisfy(isPart) else {
                result.append((value, element))
                continue
            }
            report.add(
                .note, .identifierNormalised,
                "\(name) value \"\(value)\" holds \(parts.count) \(name)s, split into " + parts.joined(separator: ", "),
                field: field, element: element)
            result += parts.map { ($0, element) }
        }
        return result
    }

    /// An ISBN without its label (`ISBN-13:`) and, separately, the number without a trailing qualifier
    /// (`(pbk.)`).
    static func isbnCore(_ raw: String) -> (value: String, number: String, labelled: Bool) {
        var value = raw.trimmingSpaces
        var labelled = false
        // Every label starts with I; an ASCII first byte other than I or i rules them all out.
        let first = value.utf8.first ?? 0
        let mayBeLabelled = first >= 0x80 || first == UInt8(ascii: "I") || first == UInt8(ascii: "i")
        for label in ["ISBN-13", "ISBN-10", "ISBN13", "ISBN10", "ISBN"]
        where mayBeLabelled && value.uppercased().hasPrefix(label) {
            value = String(value.dropFirst(label.count).drop { $0 == ":" || $0 == " " })
            labelled = true
            break
        }
        var number = value
        if let parenthesis = number.firstIndex(of: "(") { number = number[..<parenthesis].trimmingSpaces }
        return (value, number, labelled)
    }

    private func checkISBN(_ raw: String, element: Int, _ report: inout Report) -> String? {
        if blank(raw, "ISBN", field: "isbn", element: element, &report) { return nil }
        // A label is removed; a qualifier such as "(pbk.)" is kept but not checked.
        let (value, number, labelled) = Self.isbnCore(raw)
        guard let digits = Identifiers.isbnDigits(number) else {
            report.add(
                .error, .identifierInvalidISBN, "ISBN \"\(raw)\" has neither 10 nor 13 digits", field: "isbn",
                element: element)
            return raw
        }
        if digits.count == 13, !(digits.hasPrefix("978") || digits.hasPrefix("979")) {
            report.add(
                .error, .identifierInvalidISBN, "ISBN \"\(raw)\" does not start with 978 or 979", field: "isbn",
                element: element)
            return raw
        }
        guard Identifiers.isValidISBN(number) else {
            report.add(
                .error, .identifierInvalidISBN, "ISBN \"\(raw)\" has a wrong check digit", field: "isbn",
                element: element)
            return raw
        }
        if labelled || value != raw {
            normalised("ISBN", from: raw, to: value, field: "isbn", element: element, &report)
        }
        return value
    }

    private func checkISSN(_ raw: String, element: Int, _ report: inout Report) -> String? {
        if let digits = Self.canonicalDigits(raw, groups: 2), Self.issnCheckDigitIsRight(digits) { return raw }
        if blank(raw, "ISSN", field: "issn", element: element, &report) { return nil }
        guard let issn = Identifiers.normalizeISSN(raw) else {
            report.add(
                .error, .identifierInvalidISSN, "ISSN \"\(raw)\" is not 8 characters in the form NNNN-NNNC",
                field: "issn", element: element)
            return raw
        }
        guard Identifiers.isValidISSN(issn) else {
            report.add(
                .error, .identifierInvalidISSN, "ISSN \"\(raw)\" has a wrong check digit", field: "issn",
                element: element)
            return raw
        }
        if issn != raw { normalised("ISSN", from: raw, to: issn, field: "issn", element: element, &report) }
        return issn
    }

    private func checkURL(_ raw: String, _ report: inout Report) -> String? {
        if blank(raw, "URL", field: "url", &report) { return nil }
        let url = raw.trimmingSpaces
        guard Identifiers.isValidURL(url) else {
            var suggestion: String?
            if !url.contains(":"), url.contains("."), !url.contains(" "),
                Identifiers.isValidURL("https://" + url)
            {
                suggestion = "https://" + url
            }
            report.add(
                .error, .identifierInvalidURL,
                "URL \"\(raw)\" is not an absolute URL" + (suggestion.map { "; did you mean \($0)?" } ?? ""),
                field: "url", suggestion: suggestion)
            return raw
        }
        if url != raw { normalised("URL", from: raw, to: url, field: "url", &report) }
        return url
    }
}
