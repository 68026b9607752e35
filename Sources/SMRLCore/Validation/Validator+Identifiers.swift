/// DOI, PubMed ids, ISBN, ISSN and URL.
extension Validator {
    func checkIdentifiers(_ record: inout Resource, _ report: inout Report) {
        if let doi = record.doi { record.doi = checkDOI(doi, &report) }
        if let pmid = record.pmid { record.pmid = checkPMID(pmid, &report) }
        if let pmcid = record.pmcid { record.pmcid = checkPMCID(pmcid, &report) }
        record.isbn = record.isbn.enumerated().compactMap { checkISBN($0.element, element: $0.offset, &report) }
        record.issn = record.issn.enumerated().compactMap { checkISSN($0.element, element: $0.offset, &report) }
        if let url = record.url { record.url = checkURL(url, &report) }
    }

    /// True for a bare DOI whose registrant code starts with at least four digits and has no empty part.
    static func isWellFormedDOI(_ doi: String) -> Bool {
        guard Identifiers.isValidDOI(doi), let slash = doi.firstIndex(of: "/") else { return false }
        let registrant = doi[doi.index(doi.startIndex, offsetBy: 3)..<slash]
        let parts = registrant.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count >= 4, parts.allSatisfy({ !$0.isEmpty }) else { return false }
        return !doi[slash...].unicodeScalars.contains { $0.properties.generalCategory == .control }
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
        if blank(raw, "DOI", field: "doi", &report) { return nil }
        let trimmed = raw.trimmingSpaces
        var candidate = trimmed
        if !Self.isWellFormedDOI(candidate), let extracted = Identifiers.normalizeDOI(trimmed) {
            candidate = extracted
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

    private func checkISBN(_ raw: String, element: Int, _ report: inout Report) -> String? {
        if blank(raw, "ISBN", field: "isbn", element: element, &report) { return nil }
        // A label is removed; a qualifier such as "(pbk.)" is kept but not checked.
        var value = raw.trimmingSpaces
        var labelled = false
        for label in ["ISBN-13", "ISBN-10", "ISBN13", "ISBN10", "ISBN"] where value.uppercased().hasPrefix(label) {
            value = String(value.dropFirst(label.count).drop { $0 == ":" || $0 == " " })
            labelled = true
            break
        }
        var number = value
        if let parenthesis = number.firstIndex(of: "(") { number = number[..<parenthesis].trimmingSpaces }
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
