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
        return isbnCheckDigitIsRight(digits)
    }

    /// The ISBN-10 or ISBN-13 check on what ``isbnDigits(_:)`` returned.
    static func isbnCheckDigitIsRight(_ digits: String) -> Bool {
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
        // On the bytes when they are all ASCII digits (each is then a character of its own); any other text takes
        // the character test.
        var copy = text
        let digitsOnly: Bool = copy.withUTF8 { bytes in
            for byte in bytes where byte &- 0x30 >= 10 { return false }
            return true
        }
        if digitsOnly { return (1...9).contains(text.utf8.count) && text != "0" }
        return (1...9).contains(text.count) && text.allSatisfy(\.isASCIIDigit) && text != "0"
    }

    /// Normalises a PubMed Central id given with or without its prefix to `PMC1234567`; nil for other shapes.
    public static func normalizePMCID(_ text: String) -> String? {
        // Fast path: already `PMC` and 1 to 10 ASCII digits (the stored form), which the steps below return as it
        // is.
        if isStoredPMCID(text) { return text }
        var value = Substring(text.trimmingSpaces)
        if value.uppercased().hasPrefix("PMCID:") { value = value.dropFirst(6).drop(while: { $0 == " " }) }
        if value.uppercased().hasPrefix("PMC") { value = value.dropFirst(3) }
        guard (1...10).contains(value.count), value.allSatisfy(\.isASCIIDigit) else { return nil }
        return "PMC" + value
    }

    /// True for `PMC` and 1 to 10 ASCII digits (the stored form, which ``normalizePMCID(_:)`` returns as it is), on
    /// the bytes.
    package static func isStoredPMCID(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 4, bytes.count <= 13, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "M"),
                bytes[2] == UInt8(ascii: "C")
            else { return false }
            for byte in bytes[3...] where byte < 0x30 || byte > 0x39 { return false }
            return true
        }
    }

    /// True when `text` is an absolute URL: a scheme (`https:`, `urn:`) followed by text without white space,
    /// control characters, `"`, `<`, `>`, `\` or malformed `%` escapes. `http`, `https`, `ftp` and `ftps` URLs
    /// also need `//` and a host (a name with a dot, `localhost`, or a bracketed IP literal) with an optional
    /// numeric port. Non-ASCII letters are accepted (IRIs).
    public static func isValidURL(_ text: String) -> Bool {
        // On the UTF-8 bytes, in place (no array, no scheme string, no host labels).
        let original = text
        var text = text
        return text.withUTF8 { bytes -> Bool in
            let count = bytes.count
            var colon = -1
            for index in 0..<count where bytes[index] == UInt8(ascii: ":") {
                colon = index
                break
            }
            guard colon > 0, colon + 1 < count, isASCIILetter(bytes[0]) else { return false }
            for index in 0..<colon {
                let byte = bytes[index]
                guard isASCIILetter(byte) || isASCIIDigitByte(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E else {
                    return false
                }
            }
            // Characters no URL may hold.
            var nonASCII = false
            var index = colon + 1
            while index < count {
                let byte = bytes[index]
                switch byte {
                case 0...0x20, 0x7F, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"):
                    return false
                case UInt8(ascii: "%"):
                    guard index + 2 < count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else {
                        return false
                    }
                    index += 2
                default:
                    if byte >= 0x80 { nonASCII = true }
                }
                index += 1
            }
            if nonASCII,
                original.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
            {
                return false
            }
            // http, https, ftp, ftps (any case) need an authority.
            func lower(_ offset: Int) -> UInt8 { bytes[offset] | 0x20 }
            let web: Bool
            switch colon {
            case 3: web = lower(0) == UInt8(ascii: "f") && lower(1) == UInt8(ascii: "t") && lower(2) == UInt8(ascii: "p")
            case 4:
                web = (lower(0) == UInt8(ascii: "h") && lower(1) == UInt8(ascii: "t") && lower(2) == UInt8(ascii: "t")
                    && lower(3) == UInt8(ascii: "p"))
                    || (lower(0) == UInt8(ascii: "f") && lower(1) == UInt8(ascii: "t") && lower(2) == UInt8(ascii: "p")
                        && lower(3) == UInt8(ascii: "s"))
            case 5:
                web = lower(0) == UInt8(ascii: "h") && lower(1) == UInt8(ascii: "t") && lower(2) == UInt8(ascii: "t")
                    && lower(3) == UInt8(ascii: "p") && lower(4) == UInt8(ascii: "s")
            default: web = false
            }
            guard web else { return true }
            // scheme "://" authority
            guard colon + 2 < count, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/") else {
                return false
            }
            var authorityStart = colon + 3
            var authorityEnd = count
            for index in authorityStart..<count
            where bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "#") {
                authorityEnd = index
                break
            }
            var index2 = authorityEnd - 1
            while index2 >= authorityStart {
                if bytes[index2] == UInt8(ascii: "@") {
                    authorityStart = index2 + 1
                    break
                }
                index2 -= 1
            }
            let hostStart = authorityStart
            var hostEnd = authorityEnd
            var portStart = authorityEnd
            let portEnd = authorityEnd
            if authorityStart < authorityEnd && bytes[authorityStart] == UInt8(ascii: "[") {
                var close = -1
                for index in authorityStart..<authorityEnd where bytes[index] == UInt8(ascii: "]") {
                    close = index
                    break
                }
                guard close > authorityStart + 1 else { return false }
                hostEnd = close + 1
                if close + 1 < authorityEnd {
                    guard bytes[close + 1] == UInt8(ascii: ":") else { return false }
                    portStart = close + 2
                }
            } else {
                var index = authorityEnd - 1
                while index >= authorityStart {
                    if bytes[index] == UInt8(ascii: ":") {
                        hostEnd = index
                        portStart = index + 1
                        break
                    }
                    index -= 1
                }
            }
            if portStart < portEnd {
                guard portEnd - portStart <= 5 else { return false }
                var number = 0
                for index in portStart..<portEnd {
                    guard isASCIIDigitByte(bytes[index]) else { return false }
                    number = number * 10 + Int(bytes[index] &- 0x30)
                }
                guard number <= 65535 else { return false }
            }
            if hostStart < hostEnd && bytes[hostStart] == UInt8(ascii: "[") { return true }
            guard hostStart < hostEnd else { return false }
            // Labels between dots; a trailing dot ends the last label.
            var labels = 1
            for index in hostStart..<hostEnd where bytes[index] == UInt8(ascii: ".") { labels += 1 }
            var labelsEnd = hostEnd
            if labels > 1 && bytes[hostEnd - 1] == UInt8(ascii: ".") {
                labels -= 1
                labelsEnd -= 1
            }
            if labels < 2 {
                let localhost = "localhost".utf8
                guard hostEnd - hostStart == localhost.count else { return false }
                for (offset, letter) in localhost.enumerated() where bytes[hostStart + offset] | 0x20 != letter {
                    return false
                }
            }
            var labelStart = hostStart
            while true {
                var labelEnd = labelStart
                while labelEnd < labelsEnd && bytes[labelEnd] != UInt8(ascii: ".") { labelEnd += 1 }
                guard labelEnd > labelStart, bytes[labelStart] != UInt8(ascii: "-"), bytes[labelEnd - 1] != UInt8(ascii: "-")
                else { return false }
                for index in labelStart..<labelEnd {
                    let byte = bytes[index]
                    guard isASCIILetter(byte) || isASCIIDigitByte(byte) || byte == UInt8(ascii: "-") || byte >= 0x80 else {
                        return false
                    }
                }
                if labelEnd >= labelsEnd { break }
                labelStart = labelEnd + 1
            }
            return true
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
