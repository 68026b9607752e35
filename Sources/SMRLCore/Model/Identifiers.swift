/// Normalising and checking the identifiers a resource carries.
public enum Identifiers {
    /// Extracts and normalises a DOI from text such as `https://dx.doi.org/10.1000/XYZ.`, `doi: 10.1000/xyz` or
    /// `DOI 10.1000/xyz`: the resolver prefix, a leading `doi:` and trailing punctuation are removed; the case is
    /// kept as given (DOIs are case-insensitive, and the prefix `10.` is digits). Returns nil when no DOI is found.
    public static func normalizeDOI(_ text: String) -> String? {
        // Fast path: a bare DOI already in its stored form (printable ASCII, `10.` and registrant digits, a
        // suffix that ends in no punctuation and has no `%`) is returned as it is; the same result as below.
        if isStoredDOIForm(text) { return text }
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

    /// A DOI that ``normalizeDOI(_:)`` returns unchanged, recognised on its bytes.
    static func isStoredDOIForm(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count > 4, bytes[0] == UInt8(ascii: "1"), bytes[1] == UInt8(ascii: "0"),
                bytes[2] == UInt8(ascii: ".")
            else { return false }
            var slash = -1
            for index in 3..<bytes.count {
                let byte = bytes[index]
                guard byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") else { return false }
                if slash < 0 {
                    if byte == UInt8(ascii: "/") {
                        slash = index
                    } else if !(byte == UInt8(ascii: ".") || (byte >= 0x30 && byte <= 0x39)) {
                        return false
                    }
                }
            }
            guard slash > 3, slash + 1 < bytes.count else { return false }
            // No trailing punctuation that normalizeDOI would strip.
            return !".,;:)]}>\"'".utf8.contains(bytes[bytes.count - 1])
        }
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
        // Fast path: already `NNNN-NNNC`.
        if text.utf8.count == 9, text.utf8.enumerated().allSatisfy({ offset, byte in
            offset == 4 ? byte == UInt8(ascii: "-")
                : (byte >= 0x30 && byte <= 0x39) || (offset == 8 && byte == UInt8(ascii: "X"))
        }) {
            return text
        }
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
        // Fast path: only digits, hyphens and X (the usual shape), byte by byte; the same result as below.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(13)
        var plain = true
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39: bytes.append(byte)
            case UInt8(ascii: "-"): continue
            case UInt8(ascii: "X"), UInt8(ascii: "x"): bytes.append(UInt8(ascii: "X"))
            default: plain = false
            }
            if !plain || bytes.count > 13 { break }
        }
        if plain {
            let digitsOnly = !bytes.contains(UInt8(ascii: "X"))
            if bytes.count == 13 && digitsOnly { return String(decoding: bytes, as: UTF8.self) }
            if bytes.count == 10 && !bytes[0..<9].contains(UInt8(ascii: "X")) {
                return String(decoding: bytes, as: UTF8.self)
            }
            if bytes.count <= 13 { return nil }
        }
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
        // The digits are ASCII 0-9 and X (see isbnDigits).
        let values = digits.utf8.map { $0 == UInt8(ascii: "X") ? 10 : Int($0 &- 0x30) }
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
        // Fast path: already `0000-0000-0000-000X`.
        if text.utf8.count == 19, text.utf8.enumerated().allSatisfy({ offset, byte in
            offset % 5 == 4 ? byte == UInt8(ascii: "-")
                : (byte >= 0x30 && byte <= 0x39) || (offset == 18 && byte == UInt8(ascii: "X"))
        }) {
            return text
        }
        var value = Substring(text.trimmingSpaces)
        for prefix in ["https://orcid.org/", "http://orcid.org/", "orcid.org/", "ORCID:", "orcid:"]
        where value.lowercased().hasPrefix(prefix.lowercased()) {
            value = value.dropFirst(prefix.count)
        }
        let chars = Array(value.uppercased().filter { $0 != "-" && $0 != " " })
        guard chars.count == 16, chars.prefix(15).allSatisfy(\.isASCIIDigit), chars[15].isASCIIDigit || chars[15] == "X"
        else { return nil }
        return [0, 4, 8, 12].map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
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

    /// True when `text` is an absolute URL: a scheme (`https:`, `urn:`) followed by text without white space,
    /// control characters, `"`, `<`, `>`, `\` or malformed `%` escapes. `http`, `https`, `ftp` and `ftps` URLs
    /// also need `//` and a host (a name with a dot, `localhost`, or a bracketed IP literal) with an optional
    /// numeric port. Non-ASCII letters are accepted (IRIs).
    public static func isValidURL(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 1 < bytes.count,
            isASCIILetter(bytes[0]),
            bytes[..<colon].allSatisfy({ isASCIILetter($0) || isASCIIDigitByte($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
        else { return false }
        // Characters no URL may hold.
        var index = colon + 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0...0x20, 0x7F, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"):
                return false
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else {
                    return false
                }
                index += 2
            default:
                break
            }
            index += 1
        }
        if bytes.contains(where: { $0 >= 0x80 }),
            text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
        {
            return false
        }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        guard ["http", "https", "ftp", "ftps"].contains(scheme) else { return true }
        // scheme "://" authority
        let rest = bytes[(colon + 1)...]
        guard rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) else { return false }
        let authorityStart = rest.startIndex + 2
        let authorityEnd =
            bytes[authorityStart...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
            ?? bytes.endIndex
        var authority = bytes[authorityStart..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        var host = authority
        var port: ArraySlice<UInt8> = []
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")), close > authority.startIndex + 1 else {
                return false
            }
            host = authority[authority.startIndex...close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return false }
                port = after.dropFirst()
            }
        } else if let portColon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = authority[..<portColon]
            port = authority[(portColon + 1)...]
        }
        if !port.isEmpty {
            guard port.count <= 5, port.allSatisfy(isASCIIDigitByte),
                let number = Int(String(decoding: port, as: UTF8.self)), number <= 65535
            else { return false }
        }
        if host.first == UInt8(ascii: "[") { return true }
        guard !host.isEmpty else { return false }
        var labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }  // a trailing dot
        guard labels.count >= 2 || String(decoding: host, as: UTF8.self).lowercased() == "localhost" else {
            return false
        }
        return labels.allSatisfy { label in
            !label.isEmpty && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { isASCIILetter($0) || isASCIIDigitByte($0) || $0 == UInt8(ascii: "-") || $0 >= 0x80 }
        }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func isASCIIDigitByte(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isASCIIDigitByte(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66)
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
