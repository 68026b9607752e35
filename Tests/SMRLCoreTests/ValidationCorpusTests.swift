import Foundation
@testable import SMRLCore
import SMRLTestSupport
import Testing

/// The identifier checks on the real DOIs, URLs, ISSNs and ISBNs of the shared corpus (Zotero and Better BibTeX
/// expectations, CSL test inputs), each judged against an independent oracle written here: Crossref's DOI
/// pattern, a plain-URL pattern, and the ISO 3297 / ISO 2108 check digits computed directly.
@Suite("Validator: identifiers from the corpus")
struct ValidationCorpusTests {
    /// Every string value under the keys `DOI`, `URL`, `ISSN` and `ISBN` (any case) in the corpus' JSON files,
    /// read once.
    static let cachedValues: [String: [String]] = readCorpusValues()

    static func corpusValues() -> [String: [String]] { cachedValues }

    static func readCorpusValues() -> [String: [String]] {
        var values: [String: Set<String>] = ["DOI": [], "URL": [], "ISSN": [], "ISBN": []]
        let files = TestCorpus.files(in: "", extensions: ["json"])
        for file in files {
            guard let data = try? Data(contentsOf: file),
                let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            else { continue }
            var stack: [Any] = [object]
            while let next = stack.popLast() {
                if let dictionary = next as? [String: Any] {
                    for (key, value) in dictionary {
                        if let text = value as? String, values[key.uppercased()] != nil {
                            values[key.uppercased()]?.insert(text)
                        } else {
                            stack.append(value)
                        }
                    }
                } else if let array = next as? [Any] {
                    stack.append(contentsOf: array)
                }
            }
        }
        return values.mapValues { $0.sorted() }
    }

    static func validate(_ build: (inout Resource) -> Void) -> (Resource, Set<DiagnosticCode>) {
        var record = Resource(id: "corpus")
        build(&record)
        let diagnostics = Validator().validate(&record, index: 0, location: nil, fieldLocations: [:])
        #expect(diagnostics.allSatisfy { DiagnosticCode.validationCodes.contains($0.code) })
        return (record, Set(diagnostics.map(\.code)))
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func doisAgainstCrossrefPattern() throws {
        let dois = try #require(Self.corpusValues()["DOI"])
        #expect(dois.count >= 100)
        var judged = 0
        for doi in dois {
            let (record, codes) = Self.validate { $0.doi = doi }
            if doi.wholeMatch(of: #/10\.\d{4,9}/[-._;()/:A-Za-z0-9<>\[\]]+/#) != nil {
                #expect(codes.isEmpty, "\(doi): \(codes)")
                #expect(record.doi == doi)
                judged += 1
            } else if doi.wholeMatch(of: #/10/[a-z0-9]+/#) != nil {
                #expect(codes == [.identifierShortDOI], "\(doi)")
                judged += 1
            } else if !doi.contains("10.") && !doi.contains("10/") {
                #expect(codes == [.identifierInvalidDOI], "\(doi)")
                judged += 1
            } else if let match = doi.firstMatch(of: #/10\.\d{4,9}/\S+/#), doi.hasPrefix("http") {
                #expect(codes == [.identifierNormalised], "\(doi)")
                #expect(record.doi == String(match.output))
                judged += 1
            }
        }
        #expect(judged == dois.count, "some corpus DOIs fit no oracle case")
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func urlsAgainstPlainPattern() throws {
        let urls = try #require(Self.corpusValues()["URL"])
        #expect(urls.count >= 100)
        var plain = 0
        for url in urls {
            let codes = Self.validate { $0.url = url }.1
            let isPlain =
                url.wholeMatch(
                    of: #/https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d{1,5})?(/[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*)?/#)
                != nil
            if isPlain {
                #expect(codes.isEmpty, "\(url): \(codes)")
                plain += 1
            }
            if !url.contains(":") || url.contains(" ") {
                #expect(codes == [.identifierInvalidURL], "\(url)")
            }
        }
        #expect(plain * 2 > urls.count)
    }

    /// ISO 3297: weights 8…2, check = (11 − sum mod 11) mod 11, 10 written X.
    static func issnOracle(_ part: String) -> Bool? {
        let chars = Array(part.uppercased().replacingOccurrences(of: "-", with: ""))
        guard chars.count == 8, chars.prefix(7).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let sum = (0..<7).reduce(0) { $0 + (8 - $1) * Int(String(chars[$1]))! }
        let check = (11 - sum % 11) % 11
        return String(chars[7]) == (check == 10 ? "X" : String(check))
    }

    /// ISO 2108: ISBN-10 weights 10…1 mod 11; ISBN-13 weights 1,3 mod 10 and a 978/979 prefix.
    static func isbnOracle(_ part: String) -> Bool? {
        let chars = Array(part.uppercased().filter { $0 != "-" })
        if chars.count == 10, chars.prefix(9).allSatisfy({ $0.isASCII && $0.isNumber }) {
            let values = chars.map { $0 == "X" ? 10 : Int(String($0)) ?? -100 }
            return (0..<10).reduce(0) { $0 + (10 - $1) * values[$1] } % 11 == 0
        }
        if chars.count == 13, chars.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let values = chars.map { Int(String($0))! }
            let sum = (0..<13).reduce(0) { $0 + ($1 % 2 == 0 ? 1 : 3) * values[$1] }
            return sum % 10 == 0 && (part.hasPrefix("978") || part.hasPrefix("979"))
        }
        return nil
    }

    /// The parts of a value an oracle judges: split on commas, semicolons and spaces, without an `ISBN` label
    /// or a parenthesised qualifier.
    static func parts(_ value: String) -> [String] {
        var text = value
        if let label = text.range(of: #"^ISBN(-1[03])?:? *"#, options: .regularExpression) { text.removeSubrange(label) }
        if let qualifier = text.range(of: #" *\([^)]*\)"#, options: .regularExpression) { text.removeSubrange(qualifier) }
        return text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func issnsAndISBNsAgainstCheckDigits() throws {
        let values = Self.corpusValues()
        let issns = try #require(values["ISSN"])
        let isbns = try #require(values["ISBN"])
        #expect(issns.count >= 50 && isbns.count >= 50)
        var judged = 0
        for (field, list) in [("ISSN", issns), ("ISBN", isbns)] {
            for value in list {
                let codes = Self.validate { field == "ISSN" ? ($0.issn = [value]) : ($0.isbn = [value]) }.1
                let invalid = field == "ISSN" ? DiagnosticCode.identifierInvalidISSN : .identifierInvalidISBN
                let verdicts = Self.parts(value).map { field == "ISSN" ? Self.issnOracle($0) : Self.isbnOracle($0) }
                if !verdicts.isEmpty, verdicts.allSatisfy({ $0 == true }) {
                    #expect(!codes.contains(invalid), "\(field) \(value): \(codes)")
                    judged += 1
                } else if verdicts.contains(false) || verdicts.isEmpty || verdicts.count == 1 {
                    #expect(codes.contains(invalid), "\(field) \(value): \(codes)")
                    judged += 1
                }
            }
        }
        #expect(judged * 10 >= (issns.count + isbns.count) * 9)
    }

    /// Every corpus DOI, then each again in upper case, through the validator and the duplicate detector: a
    /// record is reported exactly when an earlier one has the same DOI (case-insensitively), naming the first; with
    /// the detector's entries in memory and moved to temporary files.
    @Test(
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)),
        arguments: [1 << 30, 64])
    func duplicateDOIsAcrossCase(spillThreshold: Int) throws {
        let dois = try #require(Self.corpusValues()["DOI"])
        var detector = DuplicateDetector(spillThreshold: spillThreshold)
        var first: [String: Int] = [:]
        var reported = 0
        for (index, doi) in (dois + dois.map { $0.uppercased() }).enumerated() {
            var record = Resource(id: "r\(index)")
            record.doi = doi
            _ = Validator().validate(&record, index: index, location: nil, fieldLocations: [:])
            let warnings = detector.check(record, index: index).filter { $0.code == .duplicateDOI }
            let key = (record.doi ?? "").lowercased()
            if let earlier = first[key] {
                #expect(warnings.count == 1, "\(doi)")
                #expect(warnings.first?.message.contains("index \(earlier) (id \"r\(earlier)\")") == true)
                reported += 1
            } else {
                #expect(warnings.isEmpty, "\(doi): \(warnings)")
                first[key] = index
            }
        }
        #expect(reported >= dois.count)
        #expect(detector.isSpilled == (spillThreshold < 1 << 30))
    }
}
