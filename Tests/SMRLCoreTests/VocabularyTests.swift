import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@Suite("Vocabulary: the file, loading, errors")
struct VocabularyFileTests {
    @Test func bundledCopyMatchesFile() throws {
        let url = TestCorpus.repositoryFile("Schemas/vocabulary.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(
            Vocabulary.bundledJSON == text,
            "BundledVocabulary.swift is stale: run scripts/generate-vocabulary.sh after editing Schemas/vocabulary.json")
    }

    @Test func bundledHasEveryVocabulary() {
        let vocabulary = Vocabulary.bundled
        #expect(vocabulary.version == "2026-11-26")
        #expect(vocabulary[.domains].terms.count == 5)
        #expect(vocabulary[.topics].terms.count == 6)
        #expect(vocabulary[.resourceTypes].terms.count == 3)
        #expect(vocabulary[.professions].terms.count == 7)
        #expect(vocabulary[.actionAreas].terms.count == 6)
        #expect(vocabulary[.domains].enforcement == .error)
        #expect(vocabulary[.topics].enforcement == .error)
        #expect(vocabulary[.resourceTypes].enforcement == .warning)
        #expect(vocabulary[.professions].enforcement == .warning)
        #expect(vocabulary[.actionAreas].enforcement == .deprecated)
        for kind in Vocabulary.Kind.allCases {
            for term in vocabulary[kind].terms {
                #expect(!term.definition.isEmpty, "\(kind) \(term.id) has no definition")
            }
        }
    }

    /// The ids and labels are the ones `vocabulary.md` gives (read from the reference when it is present).
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func idsAndLabelsMatchReference() throws {
        let url = TestCorpus.root.deletingLastPathComponent().appendingPathComponent("reference/vocabulary.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        // Table rows "| `id` | label | ..." per section.
        var section = ""
        var expected: [String: [(id: String, label: String)]] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("## ") { section = String(line) }
            guard line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let id = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            var label = cells[1]
            if let paren = label.range(of: " (variant") { label = String(label[..<paren.lowerBound]) }
            let kind =
                section.contains("Domains") ? "domains" : section.contains("Topics") ? "topics"
                : section.contains("Resource types") ? "resourceTypes" : section.contains("professions") ? "professions" : ""
            expected[kind, default: []].append((id, label))
        }
        let vocabulary = Vocabulary.bundled
        for (key, terms) in expected {
            let kind = try #require(Vocabulary.Kind(rawValue: key))
            #expect(vocabulary[kind].terms.map(\.id) == terms.map(\.id), "\(key)")
            #expect(vocabulary[kind].terms.map(\.label) == terms.map(\.label), "\(key)")
        }
        #expect(expected.keys.sorted() == ["domains", "professions", "resourceTypes", "topics"])
    }

    @Test func actionAreaCrosswalk() throws {
        let areas = Vocabulary.bundled[.actionAreas]
        let expected: [(String, [String], String)] = [
            ("Admissions & Recruitment", ["pathways-admission-graduation"], "high"),
            ("Educational Programming", ["curriculum-programming"], "high"),
            ("Community Engagement", ["community-engagement"], "high"),
            ("Measurement & Assessment", ["governance-accountability"], "high"),
            ("Advocacy & Activism", ["students-faculty"], "medium"),
            ("Institutional Culture", ["governance-accountability", "students-faculty"], "medium"),
        ]
        #expect(areas.terms.map(\.label) == expected.map(\.0))
        for (term, (_, replacements, confidence)) in zip(areas.terms, expected) {
            #expect(term.replacedBy == [.domains: replacements])
            #expect(term.confidence == confidence)
        }
    }

    @Test func encodesToTheSameShape() throws {
        let data = try JSONEncoder().encode(Vocabulary.bundled)
        let decoded = try JSONDecoder().decode(Vocabulary.self, from: data)
        #expect(decoded == Vocabulary.bundled)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let lists = try #require(object["vocabularies"] as? [String: Any])
        #expect(Set(lists.keys) == ["domains", "topics", "resourceTypes", "professions", "actionAreas"])
    }

    /// A file given at run time adds terms; the bundled copy is untouched.
    @Test func loadsReplacementFileAtRunTime() throws {
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(Vocabulary.bundledJSON.utf8)) as? [String: Any])
        var lists = try #require(object["vocabularies"] as? [String: Any])
        var professions = try #require(lists["professions"] as? [String: Any])
        var terms = try #require(professions["terms"] as? [[String: Any]])
        terms.append(["id": "social-work", "label": "Social Work", "definition": "Schools of social work.", "variants": []])
        professions["terms"] = terms
        lists["professions"] = professions
        object["vocabularies"] = lists
        let url = try temporaryFile(try JSONSerialization.data(withJSONObject: object))
        defer { try? FileManager.default.removeItem(at: url) }

        let vocabulary = try Vocabulary(contentsOf: url.path)
        #expect(vocabulary.match("social work", in: .professions)?.id == "social-work")
        #expect(Vocabulary.bundled.match("social work", in: .professions) == nil)
        var record = Resource(id: "r")
        record.professions = ["Social Work"]
        let diagnostics = Validator(vocabulary: vocabulary).validate(
            &record, index: 0, location: nil, fieldLocations: [:])
        #expect(record.professions == ["social-work"])
        #expect(diagnostics.map(\.code) == [.vocabularyVariantNormalised])
    }

    static let brokenFiles: [(json: String, message: String)] = [
        ("{", "not valid JSON"),
        (#"{"version": "1", "vocabularies": {}}"#, #"the vocabulary "domains" is missing"#),
        (
            #"{"vocabularies": {}}"#, "version: required key is missing"
        ),
        (
            minimal(domains: #"[{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]"#),
            #"domains: the id "a" appears twice"#
        ),
        (
            minimal(domains: #"[{"id": "a", "label": "A & B"}, {"id": "b", "label": "a and b"}]"#),
            #"also names "a""#
        ),
        (
            minimal(domains: #"[{"id": "a", "label": ""}]"#),
            "has an empty label"
        ),
        (
            minimal(domains: #"[{"id": "a"}]"#),
            "vocabularies.domains.terms[0].label: required key is missing"
        ),
        (
            minimal(
                domains: #"[{"id": "a", "label": "A"}]"#,
                actionAreas: #"[{"id": "old", "label": "Old", "replacedBy": {"domains": ["zzz"]}}]"#),
            #"replaced by domains "zzz", which does not exist"#
        ),
        (
            minimal(
                domains: #"[{"id": "a", "label": "A"}]"#,
                actionAreas: #"[{"id": "old", "label": "Old", "replacedBy": {"colours": ["a"]}}]"#),
            #""colours" is no vocabulary"#
        ),
        (
            minimal(domains: #"[{"id": "a", "label": "A"}]"#, enforcement: "fatal"),
            "vocabularies.domains.enforcement"
        ),
    ]

    @Test(arguments: brokenFiles)
    func rejectsBrokenFile(_ json: String, _ message: String) throws {
        let url = try temporaryFile(Data(json.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try Vocabulary(contentsOf: url.path)
            Issue.record("accepted a broken file")
        } catch let error as VocabularyError {
            #expect(error.file == url.path)
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("vocabulary file \(url.path): "))
        }
    }

    @Test func missingFileIsAClearError() {
        let missing = #expect(throws: VocabularyError.self) {
            try Vocabulary(contentsOf: "/nonexistent/vocabulary.json")
        }
        #expect(missing?.description == "vocabulary file /nonexistent/vocabulary.json: No such file or directory")
        #expect(throws: VocabularyError(file: "/tmp", message: "is a directory")) {
            try Vocabulary(contentsOf: "/tmp")
        }
    }

    @Test(arguments: [
        ("{\"version\": \"1\",\n  \"vocabularies\": {\"domains\": [1,]}}", "line 2, column 34: unexpected character `]`"),
        ("{\"version\": \"1\"\n\"x\": 1}", "line 2, column 1: `,` or `}` expected in object"),
        ("{\"version\": \"caf\u{E9}\n", "line 1, column 18: control character in string"),
        ("[\"\\x\"]", "line 1, column 3: invalid escape `\\x`"),
        ("{} x", "line 1, column 4: unexpected text after the end of the JSON document"),
        (String(repeating: "[", count: 100), "JSON nesting deeper than 64 levels"),
    ])
    func reportsJSONSyntaxErrorsWithLineAndColumn(_ json: String, _ message: String) {
        let error = #expect(throws: VocabularyError.self) { try Vocabulary(json: json, source: "v.json") }
        #expect(error?.message.hasPrefix("not valid JSON: ") == true)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func readsEscapesAndByteOrderMark() throws {
        let json = Self.minimal(
            domains: #"[{"id": "sante", "label": "Sant\u00e9 \ud83c\udfe5 \"publique\"\t\/", "variants": null}]"#)
        let vocabulary = try Vocabulary(json: json)
        #expect(vocabulary[.domains].terms.first?.label == "Sant\u{E9} \u{1F3E5} \"publique\"\t/")
        #expect(vocabulary[.domains].terms.first?.variants == [])
        let url = try temporaryFile(Data([0xEF, 0xBB, 0xBF] + Array(json.utf8)))
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try Vocabulary(contentsOf: url.path)[.domains].terms.map(\.id) == ["sante"])
        let latin1 = try temporaryFile(Data(Self.minimal(domains: "[]").utf8 + [0xE9]))
        defer { try? FileManager.default.removeItem(at: latin1) }
        #expect(throws: VocabularyError(file: latin1.path, message: "is not UTF-8 text")) {
            try Vocabulary(contentsOf: latin1.path)
        }
    }

    static func minimal(
        domains: String, actionAreas: String = "[]", enforcement: String = "error"
    ) -> String {
        """
        {"version": "test", "vocabularies": {
          "domains": {"label": "D", "enforcement": "\(enforcement)", "terms": \(domains)},
          "topics": {"label": "T", "enforcement": "error", "terms": []},
          "resourceTypes": {"label": "R", "enforcement": "warning", "terms": []},
          "professions": {"label": "P", "enforcement": "warning", "terms": []},
          "actionAreas": {"label": "A", "enforcement": "deprecated", "terms": \(actionAreas)}
        }}
        """
    }

    private func temporaryFile(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smrl-vocab-\(UUID().uuidString).json")
        try data.write(to: url)
        return url
    }
}

@Suite("Vocabulary: matching values")
struct VocabularyMatchingTests {
    let vocabulary = Vocabulary.bundled

    @Test(arguments: [
        ("students-faculty", "students-faculty"),
        ("Students and Faculty", "students-faculty"),
        ("Students & Faculty", "students-faculty"),
        ("  students  AND   faculty ", "students-faculty"),
        ("STUDENTS-FACULTY", "students-faculty"),
        ("Students\u{A0}&\u{A0}Faculty", "students-faculty"),
        ("Students\u{00C2}\u{A0}& Faculty", "students-faculty"),
        ("Pathways, Admission, & Graduation", "pathways-admission-graduation"),
        ("Pathways, Admission & Graduation", "pathways-admission-graduation"),
        ("pathways, admission, and graduation", "pathways-admission-graduation"),
        ("Pathways,Admission,&Graduation", "pathways-admission-graduation"),
        ("Curriculum &amp Programming", nil),
        ("Curriculum ＆ Programming", "curriculum-programming"),
        ("Domain: Community Engagement", "community-engagement"),
        ("Governance\u{2003}&\u{2009}Accountability", "governance-accountability"),
        ("Community Engagement Programs", nil),
        ("Community", nil),
    ] as [(String, String?)])
    func domains(_ value: String, _ id: String?) {
        #expect(vocabulary.match(value, in: .domains)?.id == id)
    }

    @Test(arguments: [
        ("Diversity, Inclusion & Belonging", "diversity-inclusion-belonging"),
        ("Diversity, inclusion and belonging", "diversity-inclusion-belonging"),
        ("PATIENT & COMMUNITY HEALTH", "patient-community-health"),
        ("Practice in underserved areas or settings", "practice-underserved"),
        ("Specialty choice", "specialty-choice"),
    ])
    func topics(_ value: String, _ id: String) {
        #expect(vocabulary.match(value, in: .topics)?.id == id)
    }

    @Test(arguments: [
        ("Physician Associate", "physician-assistant"),
        ("physician assistant", "physician-assistant"),
        ("Pharmacy", "pharmacy"),
        ("Profession: Interdisciplinary", "interdisciplinary"),
    ])
    func professions(_ value: String, _ id: String) {
        #expect(vocabulary.match(value, in: .professions)?.id == id)
    }

    @Test(arguments: [
        ("Peer Reviewed Articles", "peer-reviewed-article"),
        ("peer-reviewed article", "peer-reviewed-article"),
        ("Implementation Guidance and Tools", "implementation-guidance-tools"),
        ("Real World Examples", "real-world-example"),
        ("real-world example", "real-world-example"),
    ])
    func resourceTypes(_ value: String, _ id: String) {
        #expect(vocabulary.match(value, in: .resourceTypes)?.id == id)
    }

    @Test func nfcAndCaseFolding() {
        // A label with a decomposed accent matches its precomposed form.
        let list = Vocabulary.TermList(
            label: "P", enforcement: .warning, terms: [.init(id: "sante", label: "Santé Publique")])
        var lists: [Vocabulary.Kind: Vocabulary.TermList] = [:]
        for kind in Vocabulary.Kind.allCases { lists[kind] = Vocabulary.bundled[kind] }
        lists[.professions] = list
        let vocabulary = try? Vocabulary(version: "t", lists: lists)
        #expect(vocabulary?.match("SANTE\u{301} publique", in: .professions)?.id == "sante")
        #expect(vocabulary?.match("Sante publique", in: .professions) == nil)
        #expect(Vocabulary.fold("Pathways,\u{A0}Admission,  &  GRADUATION") == "pathways , admission and graduation")
    }

    /// The card of resource 1 in vocabulary.md: one string holding two domains.
    @Test(arguments: [
        "Curriculum & Programming, Students & Faculty",
        "Domain: Curriculum & Programming, Students & Faculty",
        "Curriculum & Programming; Students & Faculty",
        "Curriculum & Programming and Students & Faculty",
        "Curriculum & Programming, and Students & Faculty",
        "Curriculum & Programming Students & Faculty",
        "curriculum-programming, students-faculty",
        "Curriculum\u{00C2}\u{A0}& Programming,\u{A0}Students & Faculty",
    ])
    func splitsCombinedCardValue(_ value: String) {
        let resolution = vocabulary.resolve(value, in: [.domains])
        #expect(resolution.matches.map(\.id) == ["curriculum-programming", "students-faculty"])
        #expect(resolution.unmatched.isEmpty)
    }

    @Test func keepsLabelsWithCommasWhole() {
        let resolution = vocabulary.resolve(
            "Pathways, Admission, & Graduation, Community Engagement, Students and Faculty", in: [.domains])
        #expect(
            resolution.matches.map(\.id) == [
                "pathways-admission-graduation", "community-engagement", "students-faculty",
            ])
        #expect(resolution.matches.first?.text == "Pathways, Admission, & Graduation")
    }

    @Test(arguments: [
        ("Curriculum & Programming, Rural Health", ["curriculum-programming"], ["Rural Health"]),
        ("Rural Health, Students & Faculty", ["students-faculty"], ["Rural Health"]),
        (
            "Community Engagement, Foo, Bar, Governance & Accountability",
            ["community-engagement", "governance-accountability"], ["Foo, Bar"]
        ),
        ("Diversity, Equity & Inclusion", [], ["Diversity, Equity & Inclusion"]),
        ("Domain: Rural, Remote", [], ["Rural, Remote"]),
    ] as [(String, [String], [String])])
    func reportsUnmatchedRemainder(_ value: String, _ ids: [String], _ rest: [String]) {
        let resolution = vocabulary.resolve(value, in: [.domains])
        #expect(resolution.matches.map(\.id) == ids)
        #expect(resolution.unmatched == rest)
    }

    @Test func legacyAndOtherVocabulariesByPriority() {
        let inDomains = vocabulary.resolve("Community Engagement, Admissions & Recruitment", in: [.domains, .actionAreas])
        #expect(inDomains.matches.map(\.kind) == [.domains, .actionAreas])
        #expect(inDomains.matches.map(\.id) == ["community-engagement", "admissions-recruitment"])
        let inTopics = vocabulary.resolve("Community Engagement", in: [.topics, .actionAreas, .domains])
        #expect(inTopics.matches.map(\.kind) == [.actionAreas])
        #expect(vocabulary.match("measurement", in: .actionAreas)?.id == "measurement-assessment")
    }

    @Test(arguments: [
        ("Students\u{00C2}\u{A0}& Faculty", true),
        ("Students\u{00C2} & Faculty", true),
        ("Students & Faculty\u{00C2}", true),
        ("Community\u{00E2}\u{20AC}\u{201C}Academic", true),  // an en dash read as Windows-1252
        ("Students & Faculty", false),
        ("Santé", false),
    ])
    func repairsMojibake(_ value: String, _ repaired: Bool) {
        #expect(vocabulary.resolve(value, in: [.domains]).repairedMojibake == repaired)
    }

    @Test func mojibakeRepairRestoresText() {
        let resolution = vocabulary.resolve("Community\u{00E2}\u{20AC}\u{201C}Academic", in: [.domains])
        #expect(resolution.unmatched == ["Community\u{2013}Academic"])
    }

    @Test(arguments: [
        ("Curriculum and Programing", Vocabulary.Kind.domains, "curriculum-programming"),
        ("Student & Faculty", .domains, "students-faculty"),
        ("Governance", .domains, "governance-accountability"),
        ("Pathways and Admissions", .domains, "pathways-admission-graduation"),
        ("Community engagment", .domains, "community-engagement"),
        ("Diversity", .topics, "diversity-inclusion-belonging"),
        ("specialty choise", .topics, "specialty-choice"),
        ("Nurse", .professions, "nursing"),
        ("Pharmacology", .professions, "pharmacy"),
        ("Peer reviewed", .resourceTypes, "peer-reviewed-article"),
    ])
    func suggestsClosestTerm(_ value: String, _ kind: Vocabulary.Kind, _ id: String) {
        #expect(vocabulary.suggestion(for: value, in: kind)?.id == id)
    }

    @Test(arguments: ["xyz", "Quantum chromodynamics", ""])
    func noSuggestionWhenNothingIsClose(_ value: String) {
        #expect(vocabulary.suggestion(for: value, in: .domains) == nil)
    }

    @Test func blankValuesAreEmpty() {
        #expect(vocabulary.resolve("  ,\u{A0}; ", in: [.domains]).isEmpty)
        #expect(vocabulary.resolve("", in: [.domains]).isEmpty)
    }
}
