import Foundation
@testable import SMRLCore
import SMRLTestSupport
import Testing

/// The byte-level fast paths of the per-record checks must give what the general paths (or the code they replaced)
/// give, on edge cases and on every value of the corpus.
@Suite("Check fast paths agree with the general paths")
struct CheckFastPathTests {
    /// The DOI shape check as it was written before its byte loop (reference).
    static func referenceIsWellFormedDOI(_ doi: String) -> Bool {
        let bytes = doi.utf8
        guard bytes.starts(with: "10.".utf8) else { return false }
        var index = bytes.index(bytes.startIndex, offsetBy: 3)
        var part = 0
        var firstPart = -1
        while index < bytes.endIndex, bytes[index] != UInt8(ascii: "/") {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                if part == 0 { return false }
                if firstPart < 0 { firstPart = part }
                part = 0
            } else if byte >= 0x30 && byte <= 0x39 {
                part += 1
            } else {
                return false
            }
            index = bytes.index(after: index)
        }
        if firstPart < 0 { firstPart = part }
        guard index < bytes.endIndex, part > 0, firstPart >= 4 else { return false }
        let suffix = bytes[bytes.index(after: index)...]
        guard !suffix.isEmpty else { return false }
        if suffix.allSatisfy({ $0 < 0x80 }) { return suffix.allSatisfy { $0 > 0x20 && $0 != 0x7F } }
        return !doi.unicodeScalars.contains {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control
        }
    }

    /// The canonical-digits check as it was written before (reference).
    static func referenceCanonicalDigits(_ text: String, groups: Int) -> [Int]? {
        let bytes = Array(text.utf8)
        guard bytes.count == groups * 5 - 1 else { return nil }
        var digits: [Int] = []
        for (offset, byte) in bytes.enumerated() {
            if offset % 5 == 4 {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else if byte >= 0x30 && byte <= 0x39 {
                digits.append(Int(byte - 0x30))
            } else if byte == UInt8(ascii: "X") && offset == bytes.count - 1 {
                digits.append(10)
            } else {
                return nil
            }
        }
        return digits
    }

    static let doiCases = [
        "10.1000/xyz", "10.1000.10/abc", "10.100/abc", "10..1000/abc", "10.1000./abc", "10.1000/", "10.1000",
        "10.1000/a b", "10.1000/a\u{7F}", "10.1000/a\u{01}", "10.1000/é", "10.1000/é b", "10.1000/é\u{A0}",
        "10.1000/é\u{2003}x", "10.1000/ab\u{85}", " 10.1000/abc", "10.1000/abc ", "11.1000/abc", "10/abc", "",
        "10.", "10.1234/ABC.def-(1)", "10.12a4/abc", "10.1234/x/y/z", "doi:10.1234/abc", "https://doi.org/10.1234/a",
        "10.1234/\u{200B}", "10.1234/日本",
    ]

    /// Values from the corpus files that look like DOIs, identifiers and titles (every whitespace-separated word
    /// and every line), a few thousand of each.
    static func corpusValues() -> (words: [String], lines: [String]) {
        var words: Set<String> = []
        var lines: [String] = []
        let root = TestCorpus.root
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return ([], [])
        }
        for case let url as URL in enumerator where ["ris", "bib", "json", "xml", "txt"].contains(url.pathExtension) {
            guard let data = try? Data(contentsOf: url), data.count < 4_000_000 else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(separator: "\n").prefix(3_000) {
                lines.append(String(line))
                for word in line.split(whereSeparator: { $0 == " " || $0 == "\"" || $0 == "{" || $0 == "}" }) {
                    words.insert(String(word))
                }
            }
        }
        return (Array(words), lines)
    }

    @Test func doiShapeCheckAgreesOnEdgeCases() {
        for doi in Self.doiCases {
            #expect(Validator.isWellFormedDOI(doi) == Self.referenceIsWellFormedDOI(doi), "\(doi.debugDescription)")
        }
    }

    @Test func canonicalDigitsAgreeOnEdgeCases() {
        for text in [
            "0317-8471", "0317-847X", "0317-847x", "031X-8471", "03178471", "0000-0002-1825-0097",
            "0000-0002-1825-009X", "0000-0002-1825-009", "0000-0002-1825 0097", "", "é317-8471", "0317–8471",
            "0378-5955", "2049-3630", "0000-0001-5109-3700", "0000-0002-1694-233X", "0000-0002-1694-2330",
        ] {
            for groups in [2, 4] {
                #expect(
                    Validator.isCanonicalWithRightCheckDigit(text, groups: groups)
                        == Self.referenceCheckDigitIsRight(text, groups: groups), "\(text.debugDescription)")
            }
        }
        #expect(Validator.isCanonicalWithRightCheckDigit("0378-5955", groups: 2))
        #expect(Validator.isCanonicalWithRightCheckDigit("0000-0002-1694-233X", groups: 4))
        #expect(!Validator.isCanonicalWithRightCheckDigit("0000-0002-1694-2330", groups: 4))
    }

    /// The canonical-digits check followed by the ISSN or ORCID check digit, as the validator called them.
    static func referenceCheckDigitIsRight(_ text: String, groups: Int) -> Bool {
        guard let digits = referenceCanonicalDigits(text, groups: groups) else { return false }
        if groups == 2 {
            var sum = 0
            for (index, digit) in digits.prefix(7).enumerated() { sum += (8 - index) * digit }
            return digits[7] == (11 - sum % 11) % 11 && !digits.prefix(7).contains(10)
        }
        var total = 0
        for digit in digits.prefix(15) { total = (total + digit) * 2 }
        return digits[15] == (12 - total % 11) % 11 && !digits.prefix(15).contains(10)
    }

    /// PMCID normalisation as it was before its fast path (reference).
    static func referenceNormalizePMCID(_ text: String) -> String? {
        var value = Substring(text.trimmingSpaces)
        if value.uppercased().hasPrefix("PMCID:") { value = value.dropFirst(6).drop(while: { $0 == " " }) }
        if value.uppercased().hasPrefix("PMC") { value = value.dropFirst(3) }
        guard (1...10).contains(value.count), value.allSatisfy(\.isASCIIDigit) else { return nil }
        return "PMC" + value
    }

    static let pmcidCases = [
        "PMC7654321", "PMC007654321", "PMC0", "PMC", "7654321", "pmc123", "PMCID: PMC123", " PMC123 ", "PMC12345678901",
        "PMC1234567890", "PMC12a", "", "PMCé1", "PMC1\u{301}", "PMC١٢٣", "PMCID:PMC9",
    ]

    // MARK: URL check reference (the implementation before its in-place byte loop)

    static func referenceIsValidURL(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 1 < bytes.count,
            refLetter(bytes[0]),
            bytes[..<colon].allSatisfy({ refLetter($0) || refDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
        else { return false }
        // Characters no URL may hold.
        var index = colon + 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0...0x20, 0x7F, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"):
                return false
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, refHex(bytes[index + 1]), refHex(bytes[index + 2]) else {
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
            guard port.count <= 5, port.allSatisfy(refDigit),
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
                && label.allSatisfy { refLetter($0) || refDigit($0) || $0 == UInt8(ascii: "-") || $0 >= 0x80 }
        }
    }

    static func refLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    static func refDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func refHex(_ byte: UInt8) -> Bool { refDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66) }

    static let urlCases = [
        "https://example.org/path?q=1#x", "http://localhost", "http://LOCALHOST:8080/", "http://localhost.", "http://a.",
        "http://.", "http://..", "http://a..b", "http://-a.b", "http://a-.b", "http://a.b-", "http://[::1]", "http://[::1]:80",
        "http://[::1]:", "http://[::1]x", "http://[]", "http://[", "http://user@host.org", "http://user@[::1]:99/",
        "http://a.b:65535", "http://a.b:65536", "http://a.b:123456", "http://a.b:", "http://a.b:8a", "https:", "https:/a.b",
        "https:///a.b", "ftp://ftp.example.org", "FTPS://x.y", "ftpx://x", "urn:isbn:123", "mailto:a@b.c", "1http://x.y",
        ":x", "x:", "a+b-c.d:rest", "a_b:rest", "http://a.b/%41", "http://a.b/%4", "http://a.b/%zz", "http://a b.c",
        "http://a.b/\"", "http://a.b/<", "http://a.b/\\", "http://é.fr/ü", "http://a.b/\u{A0}", "http://a.b/\u{2028}",
        "http://a.b/\u{85}", "https://doi.org/10.1000/xyz", "www.example.org", "http://a.b?x", "http://a.b#y", "http://@a.b",
        "http://a@b@c.d", "http://a.b:80:90", "http://ex_ample.org", "http://localhosts", "http://localhos", "",
    ]

    @Test func urlCheckAgreesWithTheReference() {
        for url in Self.urlCases {
            #expect(Identifiers.isValidURL(url) == Self.referenceIsValidURL(url), "\(url.debugDescription)")
        }
        for url in ValidationCorpusTests.corpusValues()["URL"] ?? [] {
            #expect(Identifiers.isValidURL(url) == Self.referenceIsValidURL(url), "\(url.debugDescription)")
        }
    }

    /// What the general ISBN path keeps as it is, without a report (reference for the fast path).
    static func referenceKeepsISBN(_ text: String) -> Bool {
        let (value, number, labelled) = Validator.isbnCore(text)
        guard !text.trimmingSpaces.isEmpty, !labelled, value == text, let digits = Identifiers.isbnDigits(number) else {
            return false
        }
        if digits.count == 13, !(digits.hasPrefix("978") || digits.hasPrefix("979")) { return false }
        return Identifiers.isValidISBN(number)
    }

    static let isbnCases = [
        "978-0-226-46713-9", "9780226467139", "978-0-226-46713-8", "979-10-90636-07-1", "977-0-226-46713-9",
        "0-306-40615-2", "0306406152", "0-306-40615-3", "0-8044-2957-X", "0-8044-2957-x", "080442957X", "X-8044-2957-0",
        "0-8044-2957-X1", "0-8044-2957-XX", "978-0-226-46713-9 (pbk.)", "ISBN 978-0-226-46713-9", " 978-0-226-46713-9",
        "978-0-226-46713-9-", "97802264671390", "", "-", "978 0 226 46713 9", "978–0–226–46713–9", "１２３",
    ]

    @Test func plainISBNFastPathKeepsOnlyWhatTheGeneralPathKeeps() {
        var kept = 0
        for text in Self.isbnCases {
            if Validator.isPlainValidISBN(text) {
                kept += 1
                #expect(Self.referenceKeepsISBN(text), "\(text.debugDescription)")
            }
        }
        #expect(kept >= 8)
        for valid in ["978-0-226-46713-9", "0-8044-2957-x", "979-10-90636-07-1"] { #expect(Validator.isPlainValidISBN(valid)) }
        // The validator gives the same record and report either way.
        for text in Self.isbnCases {
            var record = Resource(id: "x")
            record.isbn = [text, "9780226467139"]
            let diagnostics = Validator().validate(&record, index: 0)
            #expect(diagnostics.isEmpty == (Self.referenceKeepsISBN(text)), "\(text.debugDescription)")
            if diagnostics.isEmpty { #expect(record.isbn == [text, "9780226467139"]) }
        }
    }

    @Test func pmcidFastPathAndParenthesisSearchAgree() {
        for text in Self.pmcidCases {
            #expect(Identifiers.normalizePMCID(text) == Self.referenceNormalizePMCID(text), "\(text.debugDescription)")
        }
        for text in ["978-0-226-46713-9 (pbk.)", "(", "no parenthesis", "é (x)", "a(\u{301}b(c", "\u{600}(x) (y)", ""] {
            #expect(Validator.firstParenthesis(text) == text.firstIndex(of: "("), "\(text.debugDescription)")
        }
    }

    @Test func foldingAgreesWithTheReferenceOnEdgeCases() {
        for text in [
            "", " ", "Hello, World!", "  leading and trailing  ", "a-b_c.d", "ABC123def", "x", "1 2 3", "!!!",
            "Don't stop: the 2nd edition (revised)", "tab\tand\nnewline", "\u{7F}del", "Résumé", "Łódź — Æsop's ﬁne",
            "Straße \u{1E9E}", "e\u{301}te\u{301}", "İstanbul", "Ελληνικά", "Москва", "東京 2020", "½ ² Ⅻ", "\u{10FFFF}",
        ] {
            #expect(DuplicateDetector.foldForComparison(text) == Self.referenceFold(text), "\(text.debugDescription)")
        }
        #expect(DuplicateDetector.foldForComparison("Résumé of THE  work") == "resume of the work")
    }

    /// The fold reads runs of ASCII letters and digits eight bytes at a time: every byte value (and a few
    /// non-ASCII characters) at every position of runs longer than a word, and runs that end at, before and after
    /// a word's end, fold as the reference folds them.
    @Test func foldingOfLongRunsAgreesWithTheReference() {
        let run = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        var inserts = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        inserts += ["é", "É", "ß", "ﬁ", "\u{301}", "\u{2014}", "東", "\u{1F600}", "  ", "<i>", "\u{00A0}"]
        for insert in inserts {
            for position in 0..<26 {
                let prefix = String(run.prefix(position))
                for text in [prefix + insert + run, String(run.suffix(position)) + insert + "x", "Q" + insert + prefix] {
                    #expect(DuplicateDetector.foldForComparison(text) == Self.referenceFold(text), "\(text.debugDescription)")
                }
            }
        }
        for length in 0...24 {
            let text = String(run.prefix(length))
            for wrapped in [text, " " + text, text + " ", "é" + text + "é", "@" + text + "[" + text + "`{"] {
                #expect(DuplicateDetector.foldForComparison(wrapped) == Self.referenceFold(wrapped), "\(wrapped.debugDescription)")
            }
        }
    }

    /// The fold as it was written before its byte loop and tables (reference): scalar by scalar, base letters
    /// read from Unicode names.
    static func referenceFold(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                if pendingSpace && !result.isEmpty { result += " " }
                pendingSpace = false
                if scalar.isASCII {
                    result += String(scalar).lowercased()
                } else {
                    result += DuplicateDetector.baseLettersFromName(scalar) ?? Vocabulary.foldCase(String(scalar))
                }
            } else if properties.generalCategory != .nonspacingMark {
                pendingSpace = true
            }
        }
        return result
    }

    @Test func significantDigitsAgreeWithTheGeneralPmidPath() {
        for pmid in ["123", "00123", "0", "000", "", "12a", "PMID: 123", " 123", "１２３", "9999999999"] {
            let general: String? = {
                var digits = Substring(pmid.trimmingSpaces)
                if digits.uppercased().hasPrefix("PMID") {
                    digits = digits.dropFirst(4).drop { $0 == ":" || $0 == " " }
                }
                digits = digits.drop { $0 == "0" }
                return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit) ? String(digits) : nil
            }()
            if let fast = DuplicateDetector.significantDigits(pmid) {
                #expect((fast.isEmpty ? nil : fast) == general, "\(pmid.debugDescription)")
            }
        }
        #expect(DuplicateDetector.significantDigits("00123") == "123")
        #expect(DuplicateDetector.significantDigits("000") == "")
        #expect(DuplicateDetector.significantDigits("12a") == nil)
    }

    @Test func lowercaseCheckAgreesWithLowercased() {
        for text in ["10.1000/abc", "10.1000/ABC", "10.1000/é", "", "a[Z]", "@`{"] {
            #expect(DuplicateDetector.asciiHasNoUppercase(text) == (text.lowercased() == text && text.utf8.allSatisfy { $0 < 0x80 }))
        }
    }

    @Test func vocabularyIdLookupAgreesWithTermLookup() {
        let vocabulary = Vocabulary.bundled
        for kind in Vocabulary.Kind.allCases {
            let ids = vocabulary[kind].terms.map(\.id)
            let others = Vocabulary.Kind.allCases.flatMap { vocabulary[$0].terms.map(\.label) }
            let near = ids.flatMap { [$0.uppercased(), $0 + " ", String($0.dropLast()), $0 + "s", "x" + $0.dropFirst()] }
            for value in ids + others + near + ["", "unknown-term", " community-engagement", "\u{212A}", "é", "e\u{301}"] {
                #expect(vocabulary.isTermID(value, in: kind) == (vocabulary.term(value, in: kind) != nil))
            }
        }
    }

    /// Ids the bytes cannot decide (String equality is canonical equivalence) go to the dictionary.
    @Test func vocabularyIdLookupWithNonASCIIIds() throws {
        var lists: [Vocabulary.Kind: Vocabulary.TermList] = [:]
        for kind in Vocabulary.Kind.allCases { lists[kind] = Vocabulary.bundled[kind] }
        lists[.professions] = Vocabulary.TermList(
            label: "P", enforcement: .warning,
            terms: [.init(id: "santé", label: "Santé"), .init(id: "K-12", label: "School"), .init(id: "nurse", label: "Nurse")])
        let vocabulary = try Vocabulary(version: "t", lists: lists)
        for value in ["santé", "sante\u{301}", "sante", "K-12", "\u{212A}-12", "k-12", "nurse", "nurses", ""] {
            #expect(
                vocabulary.isTermID(value, in: .professions) == (vocabulary.term(value, in: .professions) != nil),
                "\(value.debugDescription)")
        }
        #expect(vocabulary.isTermID("sante\u{301}", in: .professions))
        #expect(vocabulary.isTermID("\u{212A}-12", in: .professions))
    }

    /// The id set's positions are the id dictionary's (the reference), for every id, near misses and values that
    /// share a length and their first and last eight bytes with an id (the same hash, so a probe goes on).
    @Test func termIDPositionsAgreeWithTheDictionary() {
        let vocabulary = Vocabulary.bundled
        for kind in Vocabulary.Kind.allCases {
            let ids = vocabulary.indexes[kind]?.ids ?? [:]
            #expect(!ids.isEmpty)
            let near = ids.keys.flatMap { id -> [String] in
                let middle = id.count > 16 ? [String(id.prefix(8)) + "#" + String(id.dropFirst(9))] : []
                return [id.uppercased(), id + " ", String(id.dropLast()), id + "s", "x" + id.dropFirst()] + middle
            }
            for value in Array(ids.keys) + near + ["", "-", "unknown-term", "\u{212A}", "é", "e\u{301}", "12345678"] {
                #expect(vocabulary.termIDPosition(value, in: kind) == ids[value], "\(value.debugDescription)")
            }
        }
        // Ids of one length whose first and last eight bytes agree, an empty id, and ids shorter than a word.
        let crafted = [
            "abcdefgh-one-stuvwxyz": 0, "abcdefgh-two-stuvwxyz": 1, "abcdefgh-six-stuvwxyz": 2, "": 3, "a": 4,
            "abcdefg": 5, "abcdefgh": 6, "abcdefghi": 7,
        ]
        let set = TermIDSet(crafted)
        for value in Array(crafted.keys) + ["abcdefgh-ten-stuvwxyz", "abcdefgh-one-stuvwxyZ", "b", "abcdefgH", "abcdefghij"] {
            #expect(set.position(of: value) == crafted[value], "\(value.debugDescription)")
        }
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func fastPathsAgreeOnCorpusValues() {
        let (words, lines) = Self.corpusValues()
        #expect(words.count > 1_000)
        var dois = 0
        for word in words {
            if word.hasPrefix("10.") { dois += 1 }
            #expect(Validator.isWellFormedDOI(word) == Self.referenceIsWellFormedDOI(word), "\(word.debugDescription)")
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ",;."))
            #expect(Validator.isWellFormedDOI(trimmed) == Self.referenceIsWellFormedDOI(trimmed))
            for groups in [2, 4] {
                #expect(
                    Validator.isCanonicalWithRightCheckDigit(word, groups: groups)
                        == Self.referenceCheckDigitIsRight(word, groups: groups))
            }
            #expect(Identifiers.normalizePMCID(word) == Self.referenceNormalizePMCID(word), "\(word.debugDescription)")
            #expect(Validator.firstParenthesis(word) == word.firstIndex(of: "("), "\(word.debugDescription)")
            #expect(Identifiers.isValidURL(word) == Self.referenceIsValidURL(word), "\(word.debugDescription)")
            if Validator.isPlainValidISBN(word) { #expect(Self.referenceKeepsISBN(word), "\(word.debugDescription)") }
        }
        #expect(dois > 10)
        for line in lines {
            #expect(DuplicateDetector.foldForComparison(line) == Self.referenceFold(line), "\(line.debugDescription)")
        }
    }

    /// The validator's DOI fast path (a bare DOI is returned as it is) gives the same record and diagnostics as the
    /// general path for DOIs with resolvers, spaces, labels and case.
    @Test func validatorDOIResults() {
        let validator = Validator()
        func check(_ doi: String) -> (String?, [DiagnosticCode]) {
            var record = Resource(type: .articleJournal)
            record.doi = doi
            let diagnostics = validator.validate(&record, index: 0)
            return (record.doi, diagnostics.map(\.code))
        }
        #expect(check("10.1234/abc") == ("10.1234/abc", []))
        #expect(check("10.1234/ABC") == ("10.1234/ABC", []))
        #expect(check("https://doi.org/10.1234/abc") == ("10.1234/abc", [.identifierNormalised]))
        #expect(check(" 10.1234/abc ") == ("10.1234/abc", [.identifierNormalised]))
        #expect(check("10/b4mz6g").1 == [.identifierShortDOI])
        #expect(check("10.12/abc").1 == [.identifierInvalidDOI])
        #expect(check("   ") == (nil, [.identifierNormalised]))
    }
}
