import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// Helpers shared by the CSL-JSON tests.
enum CSLTest {
    /// Every result of reading `text` (records and record-less diagnostics).
    static func read(_ text: String, settings: [String: String] = [:], fileName: String = "t.json") -> [ReadResult] {
        read(bytes: Array(text.utf8), settings: settings, fileName: fileName)
    }

    static func read(bytes: [UInt8], settings: [String: String] = [:], fileName: String = "t.json") -> [ReadResult] {
        var options = ReaderOptions()
        options.settings = settings
        var reader = CSLJSONReader(reader: ByteReader(bytes: bytes, fileName: fileName), options: options)
        var results: [ReadResult] = []
        while let result = try? reader.next() { results.append(result) }
        return results
    }

    /// The records of `text`.
    static func records(_ text: String, settings: [String: String] = [:]) -> [Resource] {
        read(text, settings: settings).compactMap(\.record)
    }

    /// One record from one item's JSON.
    static func record(_ itemJSON: String, settings: [String: String] = [:]) throws -> Resource {
        let results = read("[" + itemJSON + "]", settings: settings)
        return try #require(results.first?.record)
    }

    /// The diagnostics of reading one item.
    static func diagnostics(_ itemJSON: String) -> [Diagnostic] {
        read("[" + itemJSON + "]").flatMap(\.diagnostics)
    }

    /// Writes records; returns the text and each record's losses.
    static func write(_ records: [Resource], settings: [String: String] = [:], pretty: Bool = true)
        -> (text: String, losses: [[Loss]])
    {
        var options = WriterOptions()
        options.settings = settings
        options.pretty = pretty
        var writer = CSLJSONWriter(options: options)
        let sink = OutputSink.inMemory()
        var losses: [[Loss]] = []
        try? writer.begin(into: sink)
        for record in records { losses.append((try? writer.write(record, into: sink)) ?? []) }
        try? writer.end(into: sink)
        try? sink.flush()
        return (String(decoding: sink.memory, as: UTF8.self), losses)
    }

    /// The items of written CSL-JSON, parsed.
    static func items(_ records: [Resource], settings: [String: String] = [:]) -> [JSONValue] {
        parseArray(write(records, settings: settings).text)
    }

    /// One written item.
    static func item(_ record: Resource, settings: [String: String] = [:]) throws -> JSONValue {
        try #require(items([record], settings: settings).first)
    }

    /// Parses a JSON array (or a single value) into its elements.
    static func parseArray(_ text: String) -> [JSONValue] {
        guard let value = CSLJSON.parse(text) else { return [] }
        return value.elements ?? [value]
    }

    /// CSL → smrl → CSL for a list of items given as JSON values; returns the records and the written items.
    static func roundTrip(_ items: [JSONValue]) -> (records: [Resource?], output: [JSONValue], results: [ReadResult]) {
        let results = read(CSLJSON.text(.array(items)))
        let records = results.map(\.record)
        let output = CSLTest.items(records.compactMap { $0 })
        return (records, output, results)
    }

    /// The record through smrl-json (the model's own Codable form) and back, as the pipeline carries it.
    static func throughNativeJSON(_ record: Resource) throws -> Resource {
        let data = try JSONEncoder().encode(record)
        return try JSONDecoder().decode(Resource.self, from: data)
    }
}

/// `csl-data.json` 1.0.2 validation through Python's `jsonschema`.
enum CSLSchema {
    static var schemaURL: URL { TestCorpus.url("schemas/csl/v1.0.2/csl-data.json") }

    static let isCI: Bool = {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value.lowercased() != "false" && value != "0"
    }()

    /// True when python3 with jsonschema runs here.
    static let pythonAvailable: Bool = {
        (try? run(["-c", "import jsonschema"], input: nil))?.status == 0
    }()

    /// Schema tests run when the corpus is present and python3+jsonschema is installed; under CI a missing
    /// python is a failure (see ``requirePython()``), not a skip.
    static let canValidate: Bool = TestCorpus.isAvailable && (pythonAvailable || isCI)

    static let skipMessage =
        "skipped: needs ../shared/corpus and python3 with jsonschema (under CI a missing jsonschema fails)"

    /// Fails the test under CI when python3/jsonschema is missing.
    static func requirePython() -> Bool {
        if pythonAvailable { return true }
        Issue.record("python3 with the jsonschema module is required to validate CSL-JSON (CI is set)")
        return false
    }

    private static let script = """
        import json, sys
        import jsonschema
        schema = json.load(open(sys.argv[1], encoding="utf-8"))
        items = json.load(sys.stdin)
        validator = jsonschema.Draft7Validator(schema)
        result = []
        for item in items:
            errors = sorted(validator.iter_errors([item]), key=lambda e: [str(p) for p in e.path])
            result.append(["/".join(str(p) for p in list(e.path)[1:]) + ": " + e.message for e in errors])
        print(json.dumps(result))
        """

    /// The schema's complaints about each item (empty lists for valid items), or nil when python failed.
    static func validate(_ items: [JSONValue]) -> [[String]]? {
        guard !items.isEmpty else { return [] }
        let input = CSLJSON.text(.array(items))
        guard let (status, output) = try? run(["-c", script, schemaURL.path], input: Data(input.utf8)), status == 0,
            let parsed = try? JSONSerialization.jsonObject(with: output) as? [[String]]
        else { return nil }
        return parsed
    }

    private static func run(_ arguments: [String], input: Data?) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = stdin
        try process.run()
        // Write and read concurrently so large inputs cannot dead-lock on full pipes.
        let writer = Thread {
            if let input { stdin.fileHandleForWriting.write(input) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

/// Variable-by-variable comparison of an input item and what CSL → smrl → CSL gave back.
///
/// The documented normalisations (and nothing else) are accepted:
/// - a number and a string with the same text are equal (`"volume": 76` comes back as `"76"`);
/// - an alias alone comes back under the main name (`shortTitle` → `title-short`, `journalAbbreviation` →
///   `container-title-short`, `event` → `event-title`);
/// - Zotero note lines naming a CSL variable come back as that variable (and leave `note`), a `type:` line
///   sets `type`;
/// - `id` (made when missing), `type` (`document` when missing), `categories` (beside `keyword`), `keyword`
///   (beside `categories`) and `custom` may be added.
enum CSLRoundTrip {
    static func differences(_ original: JSONValue, _ output: JSONValue) -> [String] {
        guard let inputMembers = original.members, let outputMembers = output.members else {
            return ["not objects"]
        }
        var differences: [String] = []
        let outputKeys = Set(outputMembers.map(\.key))
        let inputKeys = Set(inputMembers.map(\.key))
        var accounted: Set<String> = []
        // Note lines that became variables.
        var promoted: Set<String> = []
        if case .string(let note)? = original["note"] {
            let outputLines = Set((output["note"]?.stringValue ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            for line in note.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            where !outputLines.contains(line) {
                var text = Substring(line.trimmingCharacters(in: .whitespaces))
                if text.hasPrefix("{:"), text.hasSuffix("}") { text = text.dropFirst(2).dropLast() }
                guard let colon = text.firstIndex(of: ":"),
                    let variable = CSLMapping.foldedNames[CSLMapping.fold(String(text[..<colon]))],
                    outputKeys.contains(variable)
                else {
                    differences.append("note line \"\(line)\" is gone")
                    continue
                }
                promoted.insert(variable)
            }
            if let outNote = output["note"]?.stringValue {
                let inputLines = Set(note.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
                for line in outNote.split(separator: "\n", omittingEmptySubsequences: false) where !inputLines.contains(String(line)) {
                    differences.append("note line \"\(line)\" is new")
                }
            }
            accounted.insert("note")
        }
        for member in inputMembers where member.key != "note" {
            var key = member.key
            if let main = CSLMapping.aliases[key], !inputKeys.contains(main) { key = main }
            accounted.insert(key)
            guard let value = output[key] else {
                differences.append("\(member.key) is missing")
                continue
            }
            if key == "type", promoted.contains("type") { continue }
            if !CSLJSON.equivalent(member.value, value) {
                differences.append("\(member.key): \(CSLJSON.text(member.value)) came back as \(CSLJSON.text(value))")
            }
        }
        let mayBeAdded: Set<String> = ["id", "type", "categories", "keyword", "custom"]
        for key in outputKeys where !accounted.contains(key) && !mayBeAdded.contains(key) && !promoted.contains(key) {
            differences.append("\(key) was added")
        }
        return differences
    }
}
