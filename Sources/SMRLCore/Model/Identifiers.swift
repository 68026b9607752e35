/// Normalising and checking the identifiers a resource carries.
public enum Identifiers {
    /// Extracts and normalises a DOI from text such as `https://dx.doi.org/10.1000/XYZ.`, `doi: 10.1000/xyz` or
    /// `DOI 10.1000/xyz`: the resolver prefix, a leading `doi:` and trailing punctuation are removed; the case is
    /// kept as given (DOIs are case-insensitive, and the prefix `10.` is digits). Returns nil when no DOI is found.
    public static func normalizeDOI(_ text: String) -> String? {
        // The DOI starts at "10." followed by a registrant code of digits and dots, then "/".
        var searchFrom = text.startIndex
        var found: String.Index?
        while let index = text[searchFrom...].firstIndex(of: "1") {
            if text[index...].hasPrefix("10.") {
                found = index
                break
            }
            searchFrom = text.index(after: index)
        }
        guard let found else { return nil }
        var candidate = text[found...]
        guard let slash = candidate.firstIndex(of: "/") else { return nil }
        let registrant = candidate[candidate.index(candidate.startIndex, offsetBy: 3)..<slash]
        guard !registrant.isEmpty, registrant.allSatisfy({ $0.isASCIIDigit || $0 == "." }) else { return nil }
        // The suffix runs to the first white space.
        if let space = candidate.firstIndex(where: { $0.isWhitespace }) {
            candidate = candidate[..<space]
        }
        var doi = String(candidate)
        while let last = doi.last, ".,;:)]}>\"'".contains(last) {
            if last == ")" && doi.filter({ $0 == "(" }).count > doi.filter({ $0 == ")" }).count - 1 { break }
            doi.removeLast()
        }
        guard doi.count > doi.distance(from: doi.startIndex, to: doi.firstIndex(of: "/")!) + 1 else { return nil }
        return doi.removingPercentEscapesIfSafe
    }

    /// True when `text` is a bare DOI: `10.` + registrant digits + `/` + a suffix without spaces.
    public static func isValidDOI(_ text: String) -> Bool {
        guard text.hasPrefix("10."), let slash = text.firstIndex(of: "/") else { return false }
        let registrant = text[text.index(text.startIndex, offsetBy: 3)..<slash]
        let suffix = text[text.index(after: slash)...]
        return !registrant.isEmpty && registrant.allSatisfy({ $0.isASCIIDigit || $0 == "." })
            && registrant.first!.isASCIIDigit && !suffix.isEmpty && !suffix.contains(where: \.isWhitespace)
    }

    /// The ISSN as `NNNN-NNNC` when `text` has that shape (hyphen optional, `x` accepted); nil otherwise.
    public static func normalizeISSN(_ text: String) -> String? {
        let chars = Array(text.trimmingSpaces.uppercased().filter { $0 != "-" })
        guard chars.count == 8, chars.prefix(7).allSatisfy(\.isASCIIDigit),
            chars[7].isASCIIDigit || chars[7] == "X"
        else { return nil }
        return String(chars[0..<4]) + "-" + String(chars[4..<8])
    }

    /// True when the ISSN's check digit is right.
    public static func isValidISSN(_ text: String) -> Bool {
        guard let issn = normalizeISSN(text) else { return false }
        let digits = Array(issn.filter { $0 != "-" })
        var sum = 0
        for (index, char) in digits.prefix(7).enumerated() { sum += (8 - index) * char.wholeNumberValue! }
        let check = (11 - sum % 11) % 11
        return digits[7] == (check == 10 ? "X" : Character(String(check)))
    }

    /// The ISBN's digits (with `X`) when it has the shape of an ISBN-10 or ISBN-13; nil otherwise.
    public static func isbnDigits(_ text: String) -> String? {
        let compact = text.trimmingSpaces.uppercased().filter { $0 != "-" && $0 != " " }
        let chars = Array(compact)
        if chars.count == 13, chars.allSatisfy(\.isASCIIDigit) { return compact }
        if chars.count == 10, chars.prefix(9).allSatisfy(\.isASCIIDigit), chars[9].isASCIIDigit || chars[9] == "X" {
            return compact
        }
        return nil
    }

    /// True when the ISBN-10 or ISBN-13 check digit is right.
    public static func isValidISBN(_ text: String) -> Bool {
        guard let digits = isbnDigits(text) else { return false }
        let values = digits.map { $0 == "X" ? 10 : $0.wholeNumberValue! }
        if values.count == 10 {
            let sum = values.enumerated().reduce(0) { $0 + (10 - $1.offset) * $1.element }
            return sum % 11 == 0 && !values.prefix(9).contains(10)
        }
        let sum = values.enumerated().reduce(0) { $0 + ($1.offset % 2 == 0 ? 1 : 3) * $1.element }
        return sum % 10 == 0
    }

    /// Normalises an ORCID given bare or as `https://orcid.org/…` to `0000-0000-0000-000X`; nil when it has
    /// another shape.
    public static func normalizeORCID(_ text: String) -> String? {
        var value = Substring(text.trimmingSpaces)
        for prefix in ["https://orcid.org/", "http://orcid.org/", "orcid.org/", "ORCID:", "orcid:"]
        where value.lowercased().hasPrefix(prefix.lowercased()) {
            value = value.dropFirst(prefix.count)
        }
        let chars = Array(value.uppercased().filter { $0 != "-" && $0 != " " })
        guard chars.count == 16, chars.prefix(15).allSatisfy(\.isASCIIDigit), chars[15].isASCIIDigit || chars[15] == "X"
        else { return nil }
        let text = String(chars)
        return [0, 4, 8, 12].map { String(Array(text)[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// True when the ORCID's ISO 7064 11-2 check digit is right.
    public static func isValidORCID(_ text: String) -> Bool {
        guard let orcid = normalizeORCID(text) else { return false }
        let chars = Array(orcid.filter { $0 != "-" })
        var total = 0
        for char in chars.prefix(15) { total = (total + char.wholeNumberValue!) * 2 }
        let result = (12 - total % 11) % 11
        return chars[15] == (result == 10 ? "X" : Character(String(result)))
    }

    /// True when `text` is a PubMed id: 1 to 9 digits.
    public static func isValidPMID(_ text: String) -> Bool {
        (1...9).contains(text.count) && text.allSatisfy(\.isASCIIDigit) && text != "0"
    }

    /// Normalises a PubMed Central id given with or without its prefix to `PMC1234567`; nil for other shapes.
    public static func normalizePMCID(_ text: String) -> String? {
        var value = Substring(text.trimmingSpaces)
        if value.uppercased().hasPrefix("PMCID:") { value = value.dropFirst(6).drop(while: { $0 == " " }) }
        if value.uppercased().hasPrefix("PMC") { value = value.dropFirst(3) }
        guard (1...10).contains(value.count), value.allSatisfy(\.isASCIIDigit) else { return nil }
        return "PMC" + value
    }
}

extension String {
    /// Decodes `%2F`-style escapes in DOIs copied from URLs, when every escape is valid UTF-8.
    var removingPercentEscapesIfSafe: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return self }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? self
    }
}
