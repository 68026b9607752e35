import Foundation
@testable import SMRLCore
import SMRLTestSupport
import Testing

/// The duplicate detector digests keys it writes as bytes (``DuplicateDetector/doiKey(_:into:)`` and the like);
/// they must be the UTF-8 of the keys ``DuplicateDetector/keys(of:)`` builds as strings, and the base-letter table
/// must say what the Unicode names say.
@Suite("Duplicate keys written as bytes agree with the text keys")
struct DuplicateKeyBytesTests {
    /// The byte keys of a record, as optional strings like ``DuplicateDetector/Keys``.
    static func byteKeys(_ record: Resource) -> [String?] {
        // A small buffer that must grow, not empty: each writer must clear it.
        let scratch = DuplicateDetector.KeyBuffer(capacity: 1)
        scratch.append(0x41)
        func text(_ written: Bool) -> String? { written ? String(decoding: scratch.bytes, as: UTF8.self) : nil }
        let doi = record.doi.flatMap { text(DuplicateDetector.doiKey($0, into: scratch)) }
        let pmid = record.pmid.flatMap { text(DuplicateDetector.pmidKey($0, into: scratch)) }
        let pmcid = record.pmcid.flatMap { text(DuplicateDetector.pmcidKey($0, into: scratch)) }
        let title = text(DuplicateDetector.titleYearAuthorKey(of: record, into: scratch))
        return [doi, pmid, pmcid, title]
    }

    static func textKeys(_ record: Resource) -> [String?] {
        let keys = DuplicateDetector.keys(of: record)
        return [keys.doi, keys.pmid, keys.pmcid, keys.titleYearAuthor]
    }

    static func record(
        title: String?, subtitle: String? = nil, year: Int? = 2020, family: String? = "Batra", literal: String? = nil,
        editor: Bool = false, doi: String? = nil, pmid: String? = nil, pmcid: String? = nil
    ) -> Resource {
        var record = Resource(id: "r")
        record.title = title
        record.subtitle = subtitle
        record.issued = year.map { EDTFDate(year: $0) }
        let person = Person(family: family, given: "A.", literal: literal)
        if editor { record.editors = [person] } else if family != nil || literal != nil { record.authors = [person] }
        record.doi = doi
        record.pmid = pmid
        record.pmcid = pmcid
        return record
    }

    static let titles: [String?] = [
        nil, "", " ", "!!!", "2020", "Social Mission Metrics", "<i>Social Mission</i> Metrics", "Social <b>Mission",
        "Mission</i> statements", "<span class=\"nocase\">DNA</span> and <sc>rna</sc>", "p < 0.05 <i>in vivo</i>",
        "A <sub>2</sub> b<sup>3</sup>", "Résumé — Łódź, Æsop’s ﬁne", "É<i>tude</i>", "e\u{301}tude", "Ελληνικά", "東京",
        "½", "x\u{0301}", "<i></i>", "a &amp; b", "<", "title<", "</i>", "Straße", "İstanbul", "\u{00A0}nbsp\u{2003}",
        "<i>Étude</i> des <b>soins</b>", "<i>\u{301}x</i>", "a\u{600}<i>b</i>", "<i>b</i>\u{301}c", "<I>caps</I>",
        "<i>open <b>nested</i> close</b>", "</b><b>x</b></b>", "<span class=\"nocase\">x</span></span>", "<sup>2</sub>",
        "<i>a</i><i>b</i>", "x<i >y</i>", "<scx>", "<<i>>", "a<i>b<i>c</i>d</i>e", "Ré<sc>sumé</sc>", "<sub>",
    ]

    @Test func crafted() {
        var cases: [Resource] = []
        for title in Self.titles {
            for subtitle in [nil, "", "A subtitle", "<i>Sub</i>title", "</i> closes", "ÉCOLE", "!"] as [String?] {
                cases.append(Self.record(title: title, subtitle: subtitle))
            }
        }
        for family in ["Batra", "RODRÍGUEZ", "", "  ", "-", "de la Cruz", "O'Neil", "Ørsted", "李"] as [String?] {
            cases.append(Self.record(title: "Same title", family: family))
            cases.append(Self.record(title: "Same title", family: nil, literal: family))
            cases.append(Self.record(title: "Same title", family: family, editor: true))
        }
        cases.append(Self.record(title: "No author", family: nil))
        for year in [0, -50, 7, 2020, Int.max, Int.min, nil] as [Int?] {
            cases.append(Self.record(title: "Years", year: year))
        }
        for doi in [
            "10.1097/ACM.0000000000003324", "10.1097/acm.0000000000003324", "https://doi.org/10.1097/ACM.1",
            "doi:10.1097/ACM.1", " 10.1097/ACM.1 ", "", " ", "10/b4mz6g", "10.1000/ÉCOLE", "10.1000/x y", "nonsense",
            "https://dx.doi.org/10.1000/ABC.", "10.1000/%41", "10.1000/",
        ] {
            cases.append(Self.record(title: nil, doi: doi))
        }
        for pmid in ["123", "00123", "0", "000", "", "12a", "PMID: 123", "pmid:0042", " 123", "１２３", "PMID", "9999999999"] {
            cases.append(Self.record(title: nil, pmid: pmid))
        }
        for pmcid in [
            "PMC7654321", "PMC007654321", "PMC0", "PMC", "7654321", "pmc123", "PMCID: PMC123", " PMC123 ", "PMC12345678901",
            "PMC1234567890", "PMC12a", "", "PMCé1",
        ] {
            cases.append(Self.record(title: nil, pmcid: pmcid))
        }
        for record in cases {
            #expect(Self.byteKeys(record) == Self.textKeys(record), "\(record)")
        }
    }

    /// Every JSON object (at any depth) of every JSON file in the corpus.
    static func corpusJSONObjects() -> [[String: Any]] {
        var objects: [[String: Any]] = []
        for file in TestCorpus.files(in: "", extensions: ["json"]) {
            guard let data = try? Data(contentsOf: file),
                let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            else { continue }
            var stack: [Any] = [object]
            while let next = stack.popLast() {
                if let array = next as? [Any] {
                    stack.append(contentsOf: array)
                    continue
                }
                guard let item = next as? [String: Any] else { continue }
                stack.append(contentsOf: item.values)
                objects.append(item)
            }
        }
        return objects
    }

    /// Titles, names and identifiers of every CSL-JSON item in the corpus, each way the detector may see them.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusItems() {
        var compared = 0
        var withTitleKey = 0
        for item in Self.corpusJSONObjects() {
            let title = item["title"] as? String
            let people = (item["author"] as? [[String: Any]]) ?? (item["editor"] as? [[String: Any]]) ?? []
            let family = people.first?["family"] as? String
            let literal = people.first?["literal"] as? String
            guard title != nil || item["DOI"] != nil || item["PMID"] != nil || item["PMCID"] != nil else {
                continue
            }
            for (subtitle, year) in [(nil, 2020), (item["container-title"] as? String, 1999)] as [(String?, Int)] {
                let record = Self.record(
                    title: title, subtitle: subtitle, year: year, family: family, literal: literal,
                    doi: item["DOI"] as? String, pmid: (item["PMID"] as? String) ?? (item["PMID"] as? Int).map { "\($0)" },
                    pmcid: item["PMCID"] as? String)
                let keys = Self.textKeys(record)
                #expect(Self.byteKeys(record) == keys, "\(record)")
                compared += 1
                if keys[3] != nil { withTitleKey += 1 }
            }
        }
        #expect(compared > 500)
        #expect(withTitleKey > 200)
    }

    /// The table of base letters says what the Unicode names say, for every scalar.
    @Test func baseLetterTableAgreesWithUnicodeNames() {
        var named = 0
        for value in UInt32(0x80)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let fromName = DuplicateDetector.baseLettersFromName(scalar)
            #expect(DuplicateDetector.baseLetters(scalar) == fromName, "U+\(String(value, radix: 16, uppercase: true))")
            if fromName != nil { named += 1 }
        }
        #expect(named > 800)
    }

    /// Folding every scalar of the Basic Multilingual Plane beyond ASCII (alone and between letters) gives what the
    /// reference fold, with names, gives; the blocks the fold tables hold are among them.
    @Test func foldOfEveryBMPScalarAgreesWithTheReference() {
        for value in UInt32(0x80)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(scalar), "a" + String(scalar) + "B", "1 " + String(scalar) + "\u{301}z"] {
                #expect(
                    DuplicateDetector.foldForComparison(text) == CheckFastPathTests.referenceFold(text),
                    "U+\(String(value, radix: 16, uppercase: true))")
            }
        }
    }

    // MARK: Digests

    /// The digest of `key` under `kind`, computed from a buffer of its own (so that equal keys are seen at
    /// different addresses).
    static func digest(_ kind: DuplicateDetector.KeyKind, _ key: [UInt8]) -> UInt64 {
        key.withUnsafeBufferPointer { DuplicateDetector.digest(kind, $0) }
    }

    /// Keys the digest must tell apart: every length from 0 to 40 of zero bytes (the tail is padded with zeros, so
    /// only the length separates them), keys one byte apart at every position of every length, keys that differ
    /// in the part two words overlap, and the keys of many generated records.
    static func digestCases() -> [[UInt8]] {
        var keys: [[UInt8]] = []
        for length in 0...40 {
            keys.append([UInt8](repeating: 0, count: length))
            let base = (0..<length).map { UInt8(truncatingIfNeeded: 0x61 + $0 % 26) }
            keys.append(base)
            for position in 0..<length {
                var changed = base
                changed[position] ^= 0x01
                keys.append(changed)
                changed[position] = 0
                keys.append(changed)
            }
        }
        for index in 0..<5_000 {
            keys.append(Array("\(2000 + index % 25)|family\(index % 40)|study \(index) of curricula".utf8))
            keys.append(Array("10.1000/x\(index)".utf8))
            keys.append(Array("\(index + 1)".utf8))
        }
        return keys
    }

    /// Distinct keys get distinct digests, equal keys equal ones, and each kind digests apart from the others.
    @Test func digestsSeparateKeysAndKinds() {
        let keys = Array(Set(Self.digestCases()))
        #expect(keys.count > 15_000)
        for kind in DuplicateDetector.KeyKind.allCases {
            var seen: [UInt64: [UInt8]] = [:]
            for key in keys {
                let digest = Self.digest(kind, key)
                #expect(digest != 0)
                #expect(digest == Self.digest(kind, Array(key)))
                if let other = seen.updateValue(key, forKey: digest) { Issue.record("\(kind): \(key) and \(other) share a digest") }
            }
        }
        for key in keys.prefix(2_000) {
            let digests = Set(DuplicateDetector.KeyKind.allCases.map { Self.digest($0, key) })
            #expect(digests.count == DuplicateDetector.KeyKind.allCases.count, "\(key)")
        }
    }

    /// The keys of every CSL-JSON item in the corpus: as many distinct digests as distinct keys.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusKeysGetDistinctDigests() {
        var keys: Set<[UInt8]> = []
        for item in Self.corpusJSONObjects() {
            let people = (item["author"] as? [[String: Any]]) ?? []
            let record = Self.record(
                title: item["title"] as? String, family: people.first?["family"] as? String,
                literal: people.first?["literal"] as? String, doi: item["DOI"] as? String)
            for key in Self.byteKeys(record) { if let key { keys.insert(Array(key.utf8)) } }
            if let title = item["title"] as? String { keys.insert(Array(title.utf8)) }
        }
        #expect(keys.count > 500)
        #expect(Set(keys.map { Self.digest(.titleYearAuthor, $0) }).count == keys.count)
    }
}
