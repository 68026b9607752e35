import Foundation
import SMRLBibTeX
import SMRLCore
import SMRLRIS
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// Expectations of other converters that end in CSL-JSON, checked through our BibTeX and RIS readers plus this
/// writer: citation-js (`bibtex/citation-js/input.json`, `ris/citation-js/plugin-ris-test-input.json`) and pandoc
/// (`bibtex/pandoc-tests/*.md`, `ris/pandoc-7894.md`, outputs as CSL-JSON or as the CSL-YAML `references` of
/// `-t markdown -s`).
///
/// Every variable the other tool writes is compared with ours (numbers and numeric strings alike, dates by
/// meaning, names part by part, text with its markup, then without). A difference must be one of the deliberate
/// disagreements listed in ``Disagreement`` — each with its reason — or the test fails. What we write beyond the
/// expectation (`custom`, `categories`, extra variables) is not a difference.
@Suite("CSL-JSON from BibTeX and RIS (citation-js, pandoc)")
struct CSLCrossFormatTests {
    static let bibtexReady = BibTeXFormat.biblatex.canRead && BibTeXFormat.bibtex.canRead
    static let risReady = RISFormat.descriptor.canRead
    static let bibtexSkip =
        "skipped: the BibTeX reader is not built yet (BibTeXFormat.biblatex.canRead is false) or the corpus is absent"
    static let risSkip = "skipped: the RIS reader is not built yet (RISFormat.descriptor.canRead is false) or the corpus is absent"

    // MARK: Deliberate disagreements

    /// A way in which our CSL deliberately differs from another tool's, by variable.
    struct Disagreement {
        let tool: String
        let variable: String
        let reason: String
    }

    static let disagreements: [Disagreement] = [
        // Written down as they are met; see the printout of each test for the counts.
    ]

    static func reason(tool: String, variable: String) -> String? {
        disagreements.first { ($0.tool == tool || $0.tool == "*") && ($0.variable == variable || $0.variable == "*") }?
            .reason
    }

    // MARK: Conversion and comparison

    /// Reads `text` with `format` and writes each record with our writer.
    static func convert(_ text: String, with format: FormatDescriptor, fileName: String) throws -> [JSONValue] {
        let makeReader = try #require(format.makeReader)
        var reader = makeReader(ByteReader(text: text, fileName: fileName), ReaderOptions())
        var records: [Resource] = []
        while let result = try reader.next() {
            if let record = result.record { records.append(record) }
        }
        return CSLTest.items(records, settings: ["csl-json.library-tags": "false"])
    }

    /// Tallies of one expectation source.
    struct Tally {
        var compared = 0
        var matched = 0
        var markupOnly = 0
        var documented: [String: Int] = [:]
        var unexplained: [String] = []
        var missingItems: [String] = []

        mutating func record(tool: String, variable: String, detail: String) {
            if let reason = CSLCrossFormatTests.reason(tool: tool, variable: variable) {
                documented["\(variable): \(reason)", default: 0] += 1
            } else {
                unexplained.append(detail)
            }
        }

        func report(_ title: String) {
            print("\(title): \(matched) of \(compared) variables agree (\(markupOnly) of them only after removing markup)")
            for (reason, count) in documented.sorted(by: { $0.value > $1.value }) {
                print("  \(count)× deliberate: \(reason)")
            }
            for line in missingItems { print("  missing item: \(line)") }
            for line in unexplained { print("  UNEXPLAINED: \(line)") }
        }
    }

    /// Compares the expected items with ours, matched by id (else by position).
    static func compare(expected: [JSONValue], actual: [JSONValue], tool: String, source: String, into tally: inout Tally) {
        for (index, want) in expected.enumerated() {
            let wantID = want["id"]?.stringValue ?? want["citation-key"]?.stringValue
            let got = actual.first { wantID != nil && ($0["id"]?.stringValue == wantID
                    || $0["citation-key"]?.stringValue == wantID) }
                ?? (index < actual.count ? actual[index] : nil)
            guard let got else {
                tally.missingItems.append("\(source) #\(index) \(wantID ?? "")")
                tally.unexplained.append("\(source): item \(wantID ?? "#\(index)") missing")
                continue
            }
            for member in want.members ?? [] {
                let variable = member.key
                if variable.hasPrefix("_") { continue }  // citation-js internals (`_graph`)
                tally.compared += 1
                let ours = value(of: variable, in: got)
                switch agreement(variable, member.value, ours) {
                case .same:
                    tally.matched += 1
                case .sameWithoutMarkup:
                    tally.matched += 1
                    tally.markupOnly += 1
                case .different:
                    tally.record(tool: tool, variable: variable,
                        detail: "\(source) \(wantID ?? "#\(index)") \(variable): \(CSLJSON.text(member.value)) ≠ ours \(ours.map(CSLJSON.text) ?? "absent")")
                }
            }
        }
    }

    /// Our value for a variable the other tool names (aliases resolved).
    static func value(of variable: String, in item: JSONValue) -> JSONValue? {
        if let value = item[variable] { return value }
        if let main = CSLMapping.aliases[variable] { return item[main] }
        if variable == "keyword", let categories = item["categories"]?.elements {
            return .string(CSLKeywords.join(categories.compactMap(\.stringValue)))
        }
        return nil
    }

    enum Agreement {
        case same, sameWithoutMarkup, different
    }

    static func agreement(_ variable: String, _ want: JSONValue, _ got: JSONValue?) -> Agreement {
        guard let got else { return .different }
        if CSLJSON.equivalent(want, got) { return .same }
        switch CSLMapping.kinds[variable] {
        case .date?:
            // By meaning: `{"date-parts": [[2019, 5]]}`, `"2019-05"` (pandoc YAML) and `{"raw": "2019-05"}` agree.
            if let a = CSLDates.read(want).date, let b = CSLDates.read(got).date, a == b { return .same }
        case .name?:
            if let a = want.elements, let b = got.elements, a.count == b.count,
                zip(a, b).allSatisfy({ CSLJSON.equivalent(trimmedName($0), trimmedName($1)) })
            {
                return .same
            }
        default:
            break
        }
        if variable == "keyword", let a = want.stringValue, let b = got.stringValue,
            Set(CSLKeywords.split(a)) == Set(CSLKeywords.split(b))
        {
            return .same
        }
        if let a = want.stringValue, let b = got.stringValue, plain(a) == plain(b) { return .sameWithoutMarkup }
        return .different
    }

    /// A name without citation-js/pandoc extras (`_orcid`) and empty parts.
    static func trimmedName(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(members.filter { !$0.key.hasPrefix("_") && $0.value != .string("") })
    }

    /// Text without CSL/HTML tags and pandoc markdown emphasis, spaces collapsed.
    static func plain(_ text: String) -> String {
        var result = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true; continue }
            if character == ">" && inTag { inTag = false; continue }
            if inTag { continue }
            if "*_^~".contains(character) { continue }
            result.append(character)
        }
        // pandoc spans: [text]{.nocase} / {.smallcaps}
        for span in ["{.nocase}", "{.smallcaps}", "{.underline}"] {
            result = result.components(separatedByString: span).joined()
        }
        result = String(result.filter { $0 != "[" && $0 != "]" })
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: citation-js

    @Test(.enabled(if: bibtexReady && TestCorpus.isAvailable, Comment(rawValue: bibtexSkip)))
    func citationJSBibTeXToCSL() throws {
        let text = try String(contentsOf: TestCorpus.url("bibtex/citation-js/input.json"), encoding: .utf8)
        let cases = try #require(CSLJSON.parse(text)?["@biblatex/text"]?.members)
        var tally = Tally()
        for testCase in cases {
            let pair = try #require(testCase.value.elements)
            let input: String
            if let inline = pair[0].stringValue {
                input = inline
            } else {
                let stem = testCase.key.replacingOccurrences(of: "with ", with: "", options: .anchored)
                    .replacingOccurrences(of: " ", with: "_")
                input = try String(contentsOf: TestCorpus.url("bibtex/citation-js/input/\(stem).bib"), encoding: .utf8)
            }
            let expected = try #require(pair[1].elements)
            let ours = try Self.convert(input, with: BibTeXFormat.biblatex, fileName: testCase.key)
            Self.compare(expected: expected, actual: ours, tool: "citation-js-bibtex", source: testCase.key, into: &tally)
        }
        tally.report("citation-js BibTeX → CSL")
        #expect(tally.compared > 300)
        #expect(tally.unexplained.isEmpty, "\(tally.unexplained.joined(separator: "\n"))")
    }

    @Test(.enabled(if: risReady && TestCorpus.isAvailable, Comment(rawValue: risSkip)))
    func citationJSRISToCSL() throws {
        let text = try String(contentsOf: TestCorpus.url("ris/citation-js/plugin-ris-test-input.json"), encoding: .utf8)
        let root = try #require(CSLJSON.parse(text))
        var tally = Tally()
        for testCase in root["@ris/file"]?.members ?? [] {
            let pair = try #require(testCase.value.elements)
            let input = try #require(pair[0].stringValue)
            let ours = try Self.convert(input, with: RISFormat.descriptor, fileName: testCase.key)
            Self.compare(expected: pair[1].elements ?? [], actual: ours, tool: "citation-js-ris", source: testCase.key,
                into: &tally)
        }
        for testCase in root["@ris/record"]?.members ?? [] {
            let pair = try #require(testCase.value.elements)
            let ours = try Self.convert(Self.risText(pair[0]), with: RISFormat.descriptor, fileName: testCase.key)
            Self.compare(expected: pair[1].elements ?? [], actual: ours, tool: "citation-js-ris", source: testCase.key,
                into: &tally)
        }
        tally.report("citation-js RIS → CSL")
        #expect(tally.compared > 40)
        #expect(tally.unexplained.isEmpty, "\(tally.unexplained.joined(separator: "\n"))")
    }

    /// A citation-js RIS record object (`{"TY": "JOUR", "AU": [...]}`) as RIS text.
    static func risText(_ record: JSONValue) -> String {
        var lines: [String] = []
        let members = record.members ?? []
        let ordered = members.filter { $0.key == "TY" } + members.filter { $0.key != "TY" && $0.key != "ER" }
        for member in ordered {
            let values = member.value.elements ?? [member.value]
            for value in values {
                if let text = CSLJSON.scalarText(value) {
                    lines.append("\(member.key)  - \(text)")
                } else if let parts = value.elements {  // e.g. dates as arrays
                    lines.append("\(member.key)  - " + parts.compactMap(CSLJSON.scalarText).joined(separator: "/"))
                }
            }
        }
        lines.append("ER  - ")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: pandoc

    /// One pandoc test: the command, the input and the expected CSL items.
    struct PandocCase {
        var file: String
        var from: String
        var input: String
        var expected: [JSONValue]
    }

    /// The pandoc tests whose output is CSL (JSON or the YAML `references`), read through python3+PyYAML.
    static func pandocCases(_ files: [URL]) throws -> [PandocCase]? {
        let script = #"""
            import json, re, sys, yaml, datetime
            out = []
            for path in sys.argv[1:]:
                text = open(path, encoding="utf-8").read()
                for block in re.findall(r"```\n(% pandoc[^\n]*)\n(.*?)\n\^D\n(.*?)```", text, re.S):
                    command, source, result = block
                    m = re.search(r"-f (bibtex|biblatex|ris)\b", command)
                    if not m: continue
                    if "-t csljson" in command:
                        expected = json.loads(result)
                    elif re.search(r"-t markdown\b", command) and "-s" in command.split():
                        body = result.strip()
                        if body.startswith("---"): body = body[3:]
                        body = body.split("\n---", 1)[0]
                        try: data = yaml.safe_load(body) or {}
                        except Exception: continue
                        expected = data.get("references", [])
                    else:
                        continue
                    out.append({"file": path.split("/")[-1], "from": m.group(1), "input": source, "expected": expected})
            print(json.dumps(out, default=str))
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + files.map(\.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let value = CSLJSON.parse(String(decoding: data, as: UTF8.self)) else {
            return nil
        }
        return (value.elements ?? []).compactMap { element in
            guard let file = element["file"]?.stringValue, let from = element["from"]?.stringValue,
                let input = element["input"]?.stringValue, let expected = element["expected"]?.elements
            else { return nil }
            return PandocCase(file: file, from: from, input: input, expected: expected)
        }
    }

    static let pythonYAML: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import yaml"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(.enabled(if: bibtexReady && risReady && TestCorpus.isAvailable && pythonYAML,
        Comment(rawValue: bibtexSkip + "; also needs python3 with PyYAML")))
    func pandocToCSL() throws {
        let files = TestCorpus.files(in: "bibtex/pandoc-tests", extensions: ["md"]) + [TestCorpus.url("ris/pandoc-7894.md")]
        let cases = try #require(try Self.pandocCases(files))
        #expect(cases.count > 100)
        var tally = Tally()
        for testCase in cases {
            let format = testCase.from == "ris" ? RISFormat.descriptor
                : testCase.from == "bibtex" ? BibTeXFormat.bibtex : BibTeXFormat.biblatex
            let ours = try Self.convert(testCase.input, with: format, fileName: testCase.file)
            Self.compare(expected: testCase.expected, actual: ours, tool: "pandoc", source: testCase.file, into: &tally)
        }
        tally.report("pandoc BibTeX/biblatex/RIS → CSL")
        #expect(tally.compared > 1000)
        #expect(tally.unexplained.isEmpty, "\(tally.unexplained.count) unexplained:\n\(tally.unexplained.prefix(80).joined(separator: "\n"))")
    }
}
