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
        ] {
            for groups in [2, 4] {
                #expect(Validator.canonicalDigits(text, groups: groups) == Self.referenceCanonicalDigits(text, groups: groups))
            }
        }
    }

    @Test func foldingFastPathAgreesOnEdgeCases() {
        for text in [
            "", " ", "Hello, World!", "  leading and trailing  ", "a-b_c.d", "ABC123def", "x", "1 2 3", "!!!",
            "Don't stop: the 2nd edition (revised)", "tab\tand\nnewline", "\u{7F}del",
        ] {
            #expect(DuplicateDetector.foldASCII(text) == DuplicateDetector.foldScalars(text), "\(text.debugDescription)")
        }
        #expect(DuplicateDetector.foldASCII("Résumé") == nil)
        #expect(DuplicateDetector.foldForComparison("Résumé of THE  work") == "resume of the work")
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
            for value in ids + others + ["", "unknown-term", " community-engagement"] {
                #expect(vocabulary.isTermID(value, in: kind) == (vocabulary.term(value, in: kind) != nil))
            }
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
                #expect(Validator.canonicalDigits(word, groups: groups) == Self.referenceCanonicalDigits(word, groups: groups))
            }
        }
        #expect(dois > 10)
        for line in lines {
            if let fast = DuplicateDetector.foldASCII(line) {
                #expect(fast == DuplicateDetector.foldScalars(line), "\(line.debugDescription)")
            }
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
