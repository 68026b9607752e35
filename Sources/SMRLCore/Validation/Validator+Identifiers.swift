/// DOI, PubMed ids, ISBN, ISSN and URL.
extension Validator {
    func checkIdentifiers(_ record: inout Resource, _ report: inout Report) {
        if let doi = record.doi { record.doi = checkDOI(doi, &report) }
        if let pmid = record.pmid { record.pmid = checkPMID(pmid, &report) }
        if let pmcid = record.pmcid { record.pmcid = checkPMCID(pmcid, &report) }
        // Values already in their stored form with a right check digit (the usual case) leave the lists as they
        // are, without a report: the general path below would keep each as it is.
        if !record.isbn.isEmpty && !record.isbn.allSatisfy(Self.isPlainValidISBN) {
            record.isbn = splitJoined(record.isbn, field: "isbn", name: "ISBN", &report) {
            Identifiers.isbnDigits(Self.isbnCore($0).number) != nil
            }.compactMap { checkISBN($0.value, element: $0.element, &report) }
        }
        if !record.issn.isEmpty && !record.issn.allSatisfy({ Self.isCanonicalWithRightCheckDigit($0, groups: 2) }) {
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

    /// True for `NNNN-NNNC` (2 groups) or `NNNN-NNNN-NNNN-NNNC` (4 groups: digit groups joined by hyphens, the
    /// last character a digit or `X` as 10) whose check digit is right: the ISSN check (weights 8…2, mod 11) or
    /// the ORCID check (ISO 7064 11-2). Decided on the bytes; any other shape goes the slower normalising way.
    static func isCanonicalWithRightCheckDigit(_ text: String, groups: Int) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            let count = bytes.count
            guard count == groups * 5 - 1 else { return false }
            var position = 0  // digits so far
            var sum = 0
            var check = -1
            for offset in 0..<count {
                let byte = bytes[offset]
                let digit: Int
                if offset % 5 == 4 {
                    guard byte == UInt8(ascii: "-") else { return false }
                    continue
                } else if byte >= 0x30 && byte <= 0x39 {
                    digit = Int(byte &- 0x30)
                } else if byte == UInt8(ascii: "X") && offset == count - 1 {
                    digit = 10
                } else {
                    return false
                }
                if offset == count - 1 {
                    check = digit
                } else if groups == 2 {
                    sum += (8 - position) * digit
                } else {
                    sum = (sum + digit) * 2
                }
                position += 1
            }
            // Only the last character may be X, so the other digits are never 10.
            return groups == 2 ? check == (11 - sum % 11) % 11 : check == (12 - sum % 11) % 11
        }
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

    /// True for an ISBN-10 or ISBN-13 of ASCII digits and hyphens (the last digit of an ISBN-10 may be `X` or
    /// `x`), starting with a digit, with a right check digit and, for 13 digits, the prefix 978 or 979: a value
    /// that ``checkISBN(_:element:_:)`` keeps as it is without a report. Decided on the bytes.
    static func isPlainValidISBN(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            guard let first = bytes.first, first >= 0x30 && first <= 0x39 else { return false }
            var digits = 0
            var sum10 = 0
            var sum13 = 0
            var prefix = 0
            var hasX = false
            for byte in bytes {
                let value: Int
                if byte >= 0x30 && byte <= 0x39 {
                    value = Int(byte &- 0x30)
                } else if byte == UInt8(ascii: "X") || byte == UInt8(ascii: "x") {
                    // Only as the tenth and last digit of an ISBN-10 (checked below).
                    if hasX { return false }
                    hasX = true
                    value = 10
                } else if byte == UInt8(ascii: "-") {
                    continue
                } else {
                    return false
                }
                if hasX && value != 10 { return false }  // a digit after the X
                if digits < 3 { prefix = prefix * 10 + value }
                sum10 += (10 - digits) * value
                sum13 += (digits % 2 == 0 ? 1 : 3) * value
                digits += 1
                if digits > 13 { return false }
            }
            if digits == 13 { return !hasX && (prefix == 978 || prefix == 979) && sum13 % 10 == 0 }
            return digits == 10 && sum10 % 11 == 0
        }
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
        if let parenthesis = firstParenthesis(value) { number = value[..<parenthesis].trimmingSpaces }
        return (value, number, labelled)
    }

    /// `text.firstIndex(of: "(")`, searched on the bytes when the text is ASCII (each byte a character).
    static func firstParenthesis(_ text: String) -> String.Index? {
        var copy = text
        let ascii = copy.withUTF8 { bytes -> (ascii: Bool, offset: Int?) in
            var found: Int?
            for (offset, byte) in bytes.enumerated() {
                if byte >= 0x80 { return (false, nil) }
                if byte == UInt8(ascii: "("), found == nil { found = offset }
            }
            return (true, found)
        }
        guard ascii.ascii else { return text.firstIndex(of: "(") }
        return ascii.offset.map { text.utf8.index(text.startIndex, offsetBy: $0) }
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
        guard Identifiers.isbnCheckDigitIsRight(digits) else {
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
        if Self.isCanonicalWithRightCheckDigit(raw, groups: 2) { return raw }
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
