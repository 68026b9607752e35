import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

/// `Schemas/resource.schema.json`, the sample library and `Schemas/vocabulary.json` against each other and against the
/// Swift model.
///
/// Schema validation proper runs the Python `jsonschema` package (Draft 2020-12) in a child process: without it the
/// validating tests skip, except under CI (`CI` set), where a missing validator is a failure.
@Suite("Resource schema and sample library")
struct SchemaTests {
    // MARK: Validation with jsonschema

    @Test(
        "Samples validate against the schema, keys in Resource.CodingKeys order",
        .enabled(if: JSONSchemaTool.shouldRun, Comment(rawValue: JSONSchemaTool.skipMessage)),
        arguments: ["Samples/library.json"])
    func samplesValidate(_ sample: String) throws {
        try #require(JSONSchemaTool.isAvailable, Comment(rawValue: JSONSchemaTool.unavailableMessage))
        let order = Resource.CodingKeys.allCases.map(\.rawValue).joined(separator: ",")
        let result = try JSONSchemaTool.run(
            mode: "validate", schema: RepoFile.schema, data: TestCorpus.repositoryFile(sample), extra: [order])
        #expect(result.status == 0, Comment(rawValue: "\(sample) does not conform:\n\(result.output)"))
    }

    /// Records the schema must reject (so that the validation above can fail) and unusual ones it must accept.
    static let classifiedRecords: [(json: String, valid: Bool, why: String)] = [
        (#"{"type":"article-journal","title":"Minimal"}"#, true, "minimal record"),
        (#"{"type":"book","professions":["veterinary-medicine"]}"#, true, "professions are an open list"),
        (#"{"type":"report","issued":"in press","accessed":"2019-21"}"#, true, "literal and season dates"),
        (#"{"type":"report","authors":[{"literal":"World Health Organization"}]}"#, true, "organisation author"),
        (#"{"type":"report","extra":{"ris":{"M1":["a","b"]}}}"#, true, "extra field"),
        (#"{"title":"No type"}"#, false, "type is required"),
        (#"{"type":"journal-article"}"#, false, "not a CSL type"),
        (#"{"type":"book","domains":["admissions-recruitment"]}"#, false, "legacy Action Area is not a domain id"),
        (#"{"type":"book","domains":["Curriculum & Programming"]}"#, false, "label instead of id"),
        (#"{"type":"book","topics":["specialty"]}"#, false, "unknown topic"),
        (#"{"type":"book","resourceType":"toolkit"}"#, false, "unknown resource type"),
        (#"{"type":"book","professions":["Pharmacy"]}"#, false, "profession id must be kebab-case"),
        (#"{"type":"book","domains":["community-engagement","community-engagement"]}"#, false, "duplicate domain"),
        (#"{"type":"book","keywords":[]}"#, false, "empty lists are omitted"),
        (#"{"type":"book","title":null}"#, false, "absent values are omitted, not null"),
        (#"{"type":"book","publisherPlace":"Geneva","city":"Geneva"}"#, false, "unknown key"),
        (#"{"type":"book","authors":[{"orcid":"0000-0002-1825-0097"}]}"#, false, "person without a name"),
        (#"{"type":"book","authors":[{"family":"Mullan","initials":"F"}]}"#, false, "unknown person key"),
        (#"{"type":"book","doi":"https://doi.org/10.1001/jama.2017.7286"}"#, false, "DOI with resolver prefix"),
        (#"{"type":"book","pmcid":"7678650"}"#, false, "PMCID without prefix"),
        (#"{"type":"book","issn":["00987484"]}"#, false, "ISSN without hyphen"),
        (#"{"type":"book","openAccess":"yes"}"#, false, "openAccess is boolean"),
        (#"{"type":"book","issued":2015}"#, false, "dates are strings"),
        (#"{"type":"book","extra":{"ris":{"M1":"a"}}}"#, false, "extra values are string arrays"),
    ]

    @Test(
        "The schema rejects faulty records and accepts unusual valid ones",
        .enabled(if: JSONSchemaTool.shouldRun, Comment(rawValue: JSONSchemaTool.skipMessage)))
    func schemaClassifiesRecords() throws {
        try #require(JSONSchemaTool.isAvailable, Comment(rawValue: JSONSchemaTool.unavailableMessage))
        let cases = Self.classifiedRecords
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("smrl-schema-cases-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(("[" + cases.map(\.json).joined(separator: ",\n") + "]").utf8).write(to: file)
        let result = try JSONSchemaTool.run(mode: "classify", schema: RepoFile.schema, data: file)
        try #require(result.status == 0, Comment(rawValue: result.output))
        let verdicts = result.output.split(separator: "\n").map { $0 == "valid" }
        try #require(verdicts.count == cases.count, Comment(rawValue: result.output))
        for (index, (json, valid, why)) in cases.enumerated() {
            #expect(verdicts[index] == valid, "\(why): \(json) should be \(valid ? "valid" : "invalid")")
        }
    }

    // MARK: Schema against the Swift model

    @Test("Schema properties are exactly Resource.CodingKeys, and no others are allowed")
    func propertiesMatchCodingKeys() throws {
        let schema = try SchemaFile.load()
        let keys = Set(Resource.CodingKeys.allCases.map(\.rawValue))
        let properties = Set(schema.properties.keys)
        #expect(properties == keys, "missing: \(keys.subtracting(properties)), extra: \(properties.subtracting(keys))")
        #expect(schema.root["additionalProperties"] as? Bool == false)
        #expect(schema.root["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test("Schema person properties are exactly the keys Person encodes")
    func personPropertiesMatchPerson() throws {
        let schema = try SchemaFile.load()
        let person = try #require(schema.definition("person"))
        let properties = Set(try #require(person["properties"] as? [String: Any]).keys)
        let full = Person(
            family: "Vleuten", given: "Cees", particle: "van der", droppingParticle: "de", suffix: "Jr.",
            literal: "X", orcid: "0000-0002-1825-0097")
        let encoded = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(full)) as? [String: Any])
        #expect(properties == Set(encoded.keys))
        #expect(person["additionalProperties"] as? Bool == false)
    }

    @Test("Schema type enum equals ItemType.allCases")
    func typeEnumMatchesItemType() throws {
        let schema = try SchemaFile.load()
        let type = try #require(schema.properties["type"] as? [String: Any])
        let values = try #require(type["enum"] as? [String])
        #expect(values == ItemType.allCases.map(\.rawValue))
    }

    @Test(
        "Schema vocabulary enums equal the ids in Schemas/vocabulary.json",
        .enabled(
            if: FileManager.default.fileExists(atPath: RepoFile.vocabulary.path),
            "skipped: Schemas/vocabulary.json is not in this checkout yet"))
    func vocabularyEnumsMatchVocabularyFile() throws {
        let schema = try SchemaFile.load()
        let vocabulary = try VocabularyFile.load()
        for (definition, name) in [
            ("domainId", "domains"), ("topicId", "topics"), ("resourceTypeId", "resourceTypes"),
        ] {
            let schemaIDs = try schema.enumValues(definition)
            let vocabularyIDs = try vocabulary.ids(name)
            #expect(Set(schemaIDs) == Set(vocabularyIDs), "\(definition) vs vocabularies.\(name)")
            #expect(schemaIDs.count == Set(schemaIDs).count, "\(definition) has duplicates")
        }
        // Professions are an open list: the schema only documents the known ids.
        #expect(Set(try schema.professionExamples()) == Set(try vocabulary.ids("professions")))
    }

    // MARK: The sample library

    @Test("Samples/library.json decodes into Resource and round-trips through Codable without loss")
    func libraryRoundTrips() throws {
        let data = try Data(contentsOf: RepoFile.library)
        let records = try JSONDecoder().decode([Resource].self, from: data)
        #expect(records.count >= 30)
        let encoded = try JSONEncoder().encode(records)
        let decodedAgain = try JSONDecoder().decode([Resource].self, from: encoded)
        #expect(decodedAgain == records)

        // The re-encoded JSON says exactly what the file says: no key dropped, defaulted or added.
        let original = try #require(try JSONSerialization.jsonObject(with: data) as? [Any])
        let reencoded = try #require(try JSONSerialization.jsonObject(with: encoded) as? [Any])
        try #require(original.count == reencoded.count)
        for (index, (before, after)) in zip(original, reencoded).enumerated() {
            #expect(try canonicalJSON(before) == canonicalJSON(after), "record \(index) (\(records[index].id ?? "?"))")
        }
    }

    @Test("The sample library covers every domain, topic, resource type and the hard name and date cases")
    func libraryCoverage() throws {
        let schema = try SchemaFile.load()
        let records = try JSONDecoder().decode([Resource].self, from: Data(contentsOf: RepoFile.library))
        #expect(records.count >= 30)

        let coverage: [(String, [String], Set<String>)] = [
            ("domain", try schema.enumValues("domainId"), Set(records.flatMap(\.domains))),
            ("topic", try schema.enumValues("topicId"), Set(records.flatMap(\.topics))),
            ("resource type", try schema.enumValues("resourceTypeId"), Set(records.compactMap(\.resourceType))),
        ]
        for (name, ids, used) in coverage {
            #expect(!ids.isEmpty)
            #expect(Set(ids).subtracting(used).isEmpty, "no sample for \(name) \(Set(ids).subtracting(used).sorted())")
        }
        let knownProfessions = Set(try schema.professionExamples())
        let professions = Set(records.flatMap(\.professions))
        #expect(professions.isSubset(of: knownProfessions), "\(professions.subtracting(knownProfessions))")
        #expect(professions.count >= 5)

        let wantedTypes: Set<ItemType> = [.articleJournal, .report, .webpage, .book, .chapter, .paperConference]
        #expect(wantedTypes.isSubset(of: Set(records.map(\.type))), "\(wantedTypes.subtracting(records.map(\.type)))")

        let authors = records.flatMap(\.authors)
        let people = records.flatMap { $0.authors + $0.editors + $0.translators }
        #expect(authors.contains { $0.isLiteral }, "an organisation as author")
        #expect(people.contains { !($0.particle ?? "").isEmpty }, "a name with a particle")
        #expect(people.contains { !($0.suffix ?? "").isEmpty }, "a name with a suffix")
        #expect(people.contains { ($0.family ?? "").contains(" ") }, "a compound family name")
        #expect(people.contains { ($0.family ?? "").unicodeScalars.contains { !$0.isASCII } }, "a name with diacritics")
        #expect(people.contains { $0.orcid != nil })
        #expect(records.contains { !$0.editors.isEmpty })

        #expect(records.contains { $0.openAccess == true })
        #expect(records.contains { $0.openAccess == false })
        #expect(records.contains { $0.openAccess == nil })

        let points = records.compactMap { $0.issued?.start }
        #expect(points.contains { $0.month == nil }, "a year-only date")
        #expect(points.contains { $0.month != nil && $0.day == nil }, "a year-month date")
        #expect(points.contains { $0.day != nil }, "a full date")
        #expect(records.contains { $0.articleNumber != nil })
        #expect(records.contains { $0.keywords.contains("Pathways, Admission, & Graduation") })
    }

    @Test("Sample identifiers, dates and ids are well formed")
    func libraryIdentifiersAreWellFormed() throws {
        let records = try JSONDecoder().decode([Resource].self, from: Data(contentsOf: RepoFile.library))
        let ids = records.compactMap(\.id)
        #expect(ids.count == records.count, "every sample has an id")
        #expect(Set(ids).count == ids.count, "ids are unique")
        for record in records {
            let name = record.id ?? "?"
            if let doi = record.doi { #expect(Identifiers.isValidDOI(doi), "\(name): DOI \(doi)") }
            if let pmid = record.pmid { #expect(Identifiers.isValidPMID(pmid), "\(name): PMID \(pmid)") }
            if let pmcid = record.pmcid { #expect(Identifiers.normalizePMCID(pmcid) == pmcid, "\(name): \(pmcid)") }
            for issn in record.issn { #expect(Identifiers.isValidISSN(issn), "\(name): ISSN \(issn)") }
            for isbn in record.isbn { #expect(Identifiers.isValidISBN(isbn), "\(name): ISBN \(isbn)") }
            for person in record.authors + record.editors + record.translators {
                if let orcid = person.orcid { #expect(Identifiers.isValidORCID(orcid), "\(name): ORCID \(orcid)") }
                #expect(!person.isEmpty, "\(name): empty person")
            }
            if let url = record.url {
                #expect(["http", "https"].contains(URL(string: url)?.scheme ?? ""), "\(name): URL \(url)")
            }
            #expect(record.issued.map { !$0.isLiteral } ?? true, "\(name): issued is not EDTF")
            #expect(record.accessed.map { !$0.isLiteral } ?? true, "\(name): accessed is not EDTF")
            #expect(record.title != nil, "\(name): no title")
        }
    }
}

// MARK: - Helpers

private enum RepoFile {
    static let schema = TestCorpus.repositoryFile("Schemas/resource.schema.json")
    static let library = TestCorpus.repositoryFile("Samples/library.json")
    static let vocabulary = TestCorpus.repositoryFile("Schemas/vocabulary.json")
}

private enum SchemaTestError: Error, CustomStringConvertible {
    case shape(String)
    var description: String {
        switch self {
        case .shape(let message): return message
        }
    }
}

/// A JSON value serialised with sorted keys, for comparing two parsed documents.
private func canonicalJSON(_ value: Any) throws -> Data {
    try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
}

private func loadJSONObject(_ url: URL) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
        throw SchemaTestError.shape("\(url.lastPathComponent) is not a JSON object")
    }
    return object
}

/// `Schemas/resource.schema.json`, parsed.
private struct SchemaFile {
    let root: [String: Any]

    static func load() throws -> SchemaFile { SchemaFile(root: try loadJSONObject(RepoFile.schema)) }

    var properties: [String: Any] { root["properties"] as? [String: Any] ?? [:] }

    func definition(_ name: String) -> [String: Any]? {
        (root["$defs"] as? [String: Any])?[name] as? [String: Any]
    }

    func enumValues(_ name: String) throws -> [String] {
        guard let values = definition(name)?["enum"] as? [String] else {
            throw SchemaTestError.shape("$defs.\(name).enum is missing or not a list of strings")
        }
        return values
    }

    func professionExamples() throws -> [String] {
        guard let values = definition("professionId")?["examples"] as? [String] else {
            throw SchemaTestError.shape("$defs.professionId.examples is missing or not a list of strings")
        }
        return values
    }
}

/// `Schemas/vocabulary.json`: `{"vocabularies": {"domains": {"terms": [{"id": …, "deprecated": …}]}, …}}`.
private struct VocabularyFile {
    let vocabularies: [String: Any]

    static func load() throws -> VocabularyFile {
        guard let vocabularies = try loadJSONObject(RepoFile.vocabulary)["vocabularies"] as? [String: Any] else {
            throw SchemaTestError.shape("vocabulary.json has no \"vocabularies\" object")
        }
        return VocabularyFile(vocabularies: vocabularies)
    }

    /// The ids of a vocabulary's current terms (terms marked deprecated are left out).
    func ids(_ name: String) throws -> [String] {
        guard let terms = (vocabularies[name] as? [String: Any])?["terms"] as? [[String: Any]] else {
            throw SchemaTestError.shape("vocabularies.\(name).terms is missing")
        }
        return terms.filter { ($0["deprecated"] as? Bool) != true }.compactMap { $0["id"] as? String }
    }
}

/// Runs the Python `jsonschema` package (Draft 2020-12 validator with a `referencing` registry) in a child process.
private enum JSONSchemaTool {
    static let isCI: Bool = !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty

    /// True when `python3` can import `jsonschema` (with `Draft202012Validator`) and `referencing`.
    static let isAvailable: Bool = (try? run(arguments: ["probe"]).status == 0) ?? false

    /// Run where the tool is available, and always under CI, where its absence is a failure.
    static let shouldRun: Bool = isAvailable || isCI

    static let skipMessage =
        "skipped: python3 with the jsonschema package (4.18 or later) is not available; install it (pip install jsonschema) to validate the samples"
    static let unavailableMessage =
        "CI is set but python3 with the jsonschema package (4.18 or later) is not available: schema validation cannot run"

    static func run(mode: String, schema: URL, data: URL, extra: [String] = []) throws -> (status: Int32, output: String) {
        try run(arguments: [mode, schema.path, data.path] + extra)
    }

    /// Runs the script with `arguments`; stdout and stderr together.
    static func run(arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// `probe` | `validate SCHEMA DATA ORDER` | `classify SCHEMA DATA`.
    ///
    /// `validate` checks the schema against the 2020-12 meta-schema, DATA (a smrl-json array) against
    /// `$defs/library`, the order of the schema's properties and of each record's keys against ORDER (the
    /// comma-separated CodingKeys), and each person's keys against the order of the schema's person properties.
    /// `classify` prints `valid` or `invalid` for each record of DATA (a JSON array of records).
    static let script = #"""
        import json, sys
        try:
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource
        except ImportError as error:
            print("cannot import jsonschema/referencing:", error)
            sys.exit(3)
        mode = sys.argv[1]
        if mode == "probe":
            sys.exit(0)
        with open(sys.argv[2], encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
        with open(sys.argv[3], encoding="utf-8") as f:
            data = json.load(f)
        if mode == "classify":
            record = Draft202012Validator({"$ref": schema["$id"]}, registry=registry)
            for item in data:
                print("valid" if record.is_valid(item) else "invalid")
            sys.exit(0)
        order = sys.argv[4].split(",")
        problems = []
        if list(schema["properties"]) != order:
            problems.append("schema properties are not in Resource.CodingKeys order: %s" % list(schema["properties"]))
        library = Draft202012Validator({"$ref": schema["$id"] + "#/$defs/library"}, registry=registry)
        for error in sorted(library.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
            problems.append("/%s: %s" % ("/".join(str(p) for p in error.absolute_path), error.message))
        def check_order(keys, wanted, where):
            known = [k for k in keys if k in wanted]
            if known != sorted(known, key=wanted.index):
                problems.append("%s: keys out of order: %s" % (where, known))
        person_order = list(schema["$defs"]["person"]["properties"])
        for i, item in enumerate(data if isinstance(data, list) else []):
            if not isinstance(item, dict):
                continue
            check_order(list(item), order, "/%d" % i)
            for role in ("authors", "editors", "translators"):
                for j, person in enumerate(item.get(role) or []):
                    if isinstance(person, dict):
                        check_order(list(person), person_order, "/%d/%s/%d" % (i, role, j))
        for problem in problems[:50]:
            print(problem)
        if len(problems) > 50:
            print("... and %d more" % (len(problems) - 50))
        sys.exit(1 if problems else 0)
        """#
}
