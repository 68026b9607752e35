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
        /// `case` (the text differs only in letter case), `absent` (we write no such variable), `value`.
        let kind: String
        let reason: String
    }

    /// Where we differ from citation-js and pandoc, and why. "writer" marks a choice of this module, "BibTeX
    /// reader" / "RIS reader" a choice of those modules (recorded here because it shows in our CSL), "model" a
    /// field the resource model does not have. The printout of each test gives the counts.
    static let disagreements: [Disagreement] = [
        // citation-js, BibTeX → CSL
        Disagreement(tool: "citation-js-bibtex", variable: "citation-key", kind: "absent",
            reason: "writer: the key is written once, as id; citation-js repeats it in citation-key"),
        Disagreement(tool: "citation-js-bibtex", variable: "URL", kind: "value",
            reason: "BibTeX reader: percent-escapes in url are decoded; citation-js keeps them"),
        Disagreement(tool: "citation-js-bibtex", variable: "author", kind: "value",
            reason: "BibTeX reader: a braced name ({Acme Inc.}, {a and b}) is an organisation (literal), citation-js makes it a family name; biblatex's extended name syntax (family=…, given=…) is not read"),
        Disagreement(tool: "*-bibtex", variable: "collection-number", kind: "absent",
            reason: "BibTeX reader: number is kept as the model's issue; CSL collection-number is not derived from it"),
        Disagreement(tool: "*-bibtex", variable: "number", kind: "absent",
            reason: "BibTeX reader: a report or patent number is kept as the model's issue; CSL number is not derived from it"),
        Disagreement(tool: "*-bibtex", variable: "container-author", kind: "absent",
            reason: "model/BibTeX reader: crossref and mvbook inheritance of the container's author (bookauthor) has no field"),
        Disagreement(tool: "citation-js-bibtex", variable: "title", kind: "value",
            reason: "BibTeX reader: math stays TeX ($e=mc^2$), \\href{url}{text} keeps the text; citation-js renders math as Unicode or HTML and keeps the URL"),
        Disagreement(tool: "citation-js-bibtex", variable: "type", kind: "value",
            reason: "BibTeX reader: @booklet is CSL pamphlet (the type table of the reference), citation-js says book"),
        // citation-js, RIS → CSL
        Disagreement(tool: "citation-js-ris", variable: "keyword", kind: "value",
            reason: "writer: KW lines stay a list (categories; keyword joined with \"; \" when a keyword holds a comma); citation-js joins them with \",\" and loses the commas inside keywords (hard case 1)"),
        Disagreement(tool: "citation-js-ris", variable: "version", kind: "absent",
            reason: "RIS reader: ET of a computer program is kept as the model's edition; CSL version is not derived from it"),
        // pandoc, RIS → CSL
        Disagreement(tool: "pandoc-ris", variable: "id", kind: "value",
            reason: "writer: an id made for a record without one is family + year + first title word (shannon1948mathematical); pandoc makes Family_Year"),
        Disagreement(tool: "pandoc-ris", variable: "issued", kind: "value",
            reason: "RIS reader: DA (July) adds the month to PY 1948; pandoc reads only PY/Y1"),
        // pandoc, BibTeX/biblatex → CSL
        Disagreement(tool: "pandoc-bibtex", variable: "item", kind: "missing in 6752.md",
            reason: "BibTeX reader: the entry is indented with U+00A0 no-break spaces, which it reports as a syntax error; pandoc takes them as white space"),
        Disagreement(tool: "pandoc-bibtex", variable: "DOI", kind: "absent",
            reason: "BibTeX reader: doi = \"%20and%20\" holds no DOI and is kept as an extra field"),
        Disagreement(tool: "pandoc-bibtex", variable: "annote", kind: "absent",
            reason: "writer: annotations with LaTeX markup are not decoded here; they stay in custom.smrl.extra"),
        Disagreement(tool: "pandoc-bibtex", variable: "author", kind: "value",
            reason: "BibTeX reader: particles are non-dropping (pandoc applies biblatex useprefix=false: von → dropping-particle); % inside a value is text for BibTeX, a comment for pandoc"),
        Disagreement(tool: "pandoc-bibtex", variable: "*", kind: "case",
            reason: "pandoc converts English titles to sentence case; we keep the case as written, braced words marked nocase"),
        Disagreement(tool: "pandoc-bibtex", variable: "collection-title", kind: "value",
            reason: "BibTeX reader: biblatex localisation keys stay keys (newseries, 3); pandoc expands them (New series, 3rd series)"),
        Disagreement(tool: "pandoc-bibtex", variable: "genre", kind: "value",
            reason: "BibTeX reader: biblatex localisation keys stay keys (resreport, phdthesis, patenteu); pandoc expands them"),
        Disagreement(tool: "pandoc-bibtex", variable: "container-title", kind: "*",
            reason: "BibTeX reader: journalsubtitle, booksubtitle, booktitleaddon and mvbook/maintitle inheritance are not joined into the container title; @periodical's title is the container for pandoc"),
        Disagreement(tool: "pandoc-bibtex", variable: "volume-title", kind: "absent",
            reason: "model: no volume-title field (biblatex maintitle/volume split)"),
        Disagreement(tool: "pandoc-bibtex", variable: "number-of-volumes", kind: "absent",
            reason: "BibTeX reader: volumes inherited through crossref/xdata is not kept"),
        Disagreement(tool: "pandoc-bibtex", variable: "event-place", kind: "absent",
            reason: "writer: a venue with LaTeX accents is not decoded here; it stays in custom.smrl.extra"),
        Disagreement(tool: "pandoc-bibtex", variable: "issue", kind: "value",
            reason: "BibTeX reader: biblatex number and issue are not joined (pandoc: \"number, issue\")"),
        Disagreement(tool: "pandoc-bibtex", variable: "issued", kind: "value",
            reason: "BibTeX reader: biblatex EDTF end markers (unknown, open) and times are kept as literal text; % inside a value is text for BibTeX"),
        Disagreement(tool: "pandoc-bibtex", variable: "jurisdiction", kind: "absent",
            reason: "model: a patent's location (jurisdiction) has no field"),
        Disagreement(tool: "pandoc-bibtex", variable: "language", kind: "value",
            reason: "BibTeX reader: babel language names (american, german) are kept as given; pandoc maps them to BCP 47 tags"),
        Disagreement(tool: "pandoc-bibtex", variable: "note", kind: "value",
            reason: "BibTeX reader: addendum is not appended to note"),
        Disagreement(tool: "pandoc-bibtex", variable: "original-date", kind: "absent",
            reason: "model: biblatex related entries (relatedtype=reprintfrom) are not resolved"),
        Disagreement(tool: "pandoc-bibtex", variable: "original-publisher", kind: "absent",
            reason: "model: biblatex related entries (relatedtype=reprintfrom) are not resolved"),
        Disagreement(tool: "pandoc-bibtex", variable: "publisher", kind: "value",
            reason: "BibTeX reader: a biblatex list (A and B) is kept as written; pandoc joins it with \"; \""),
        Disagreement(tool: "pandoc-bibtex", variable: "publisher-place", kind: "value",
            reason: "BibTeX reader: a biblatex list (Durham and London) is kept as written; pandoc joins it with \"; \""),
        Disagreement(tool: "pandoc-bibtex", variable: "status", kind: "absent",
            reason: "writer: pubstate holds a biblatex localisation key (inpress), not text; it stays in custom.smrl.extra"),
        Disagreement(tool: "pandoc-bibtex", variable: "title", kind: "value",
            reason: "BibTeX reader: titles keep their case with braced words marked nocase (pandoc: sentence case), titleaddon is not appended"),
        Disagreement(tool: "pandoc-bibtex", variable: "title-short", kind: "absent",
            reason: "writer: title-short is written only when the source has one; pandoc derives it from the title before the subtitle"),
        Disagreement(tool: "pandoc-bibtex", variable: "type", kind: "value",
            reason: "writer: a type is always a CSL type (pandoc writes \"\" for unknown entry types); BibTeX reader: @manual is report (pandoc: book)"),
        Disagreement(tool: "pandoc-bibtex", variable: "url", kind: "absent",
            reason: "BibTeX reader: no URL is built from eprint + eprinttype (arXiv)"),
        Disagreement(tool: "pandoc-bibtex", variable: "volume", kind: "value",
            reason: "BibTeX reader: volume and part are not joined (pandoc: 7.2)"),
    ]

    static func reason(tool: String, variable: String, kind: String) -> String? {
        disagreements.first {
            ($0.tool == tool || ($0.tool.hasPrefix("*") && tool.hasSuffix($0.tool.dropFirst())))
                && ($0.variable == variable || $0.variable == "*")
                && ($0.kind == kind || $0.kind == "*")
        }?.reason
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

        mutating func record(tool: String, variable: String, kind: String, detail: String) {
            if let reason = CSLCrossFormatTests.reason(tool: tool, variable: variable, kind: kind) {
                documented["\(variable) (\(kind)): \(reason)", default: 0] += 1
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
            for line in unexplained.prefix(400) { print("  UNEXPLAINED: \(line)") }
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
                tally.record(tool: tool, variable: "item", kind: "missing in \(source)",
                    detail: "\(source): item \(wantID ?? "#\(index)") missing")
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
                case .caseOnly:
                    tally.record(tool: tool, variable: variable, kind: "case",
                        detail: "\(source) \(wantID ?? "#\(index)") \(variable): \(CSLJSON.text(member.value)) ≠ ours \(ours.map(CSLJSON.text) ?? "absent")")
                case .different:
                    tally.record(tool: tool, variable: variable, kind: ours == nil ? "absent" : "value",
                        detail: "\(source) \(wantID ?? "#\(index)") \(variable): \(CSLJSON.text(member.value)) ≠ ours \(ours.map(CSLJSON.text) ?? "absent")")
                }
            }
        }
    }

    /// Our value for a variable the other tool names (aliases resolved).
    static func value(of variable: String, in item: JSONValue) -> JSONValue? {
        if let value = item[variable] { return value }
        // pandoc's YAML spells some variables in lower case (`doi`, `url`, `isbn`).
        if let canonical = CSLMapping.foldedNames[CSLMapping.fold(variable)], canonical != variable,
            let value = item[canonical]
        {
            return value
        }
        if let main = CSLMapping.aliases[variable] { return item[main] }
        if variable == "keyword", let categories = item["categories"]?.elements {
            return .string(CSLKeywords.join(categories.compactMap(\.stringValue)))
        }
        return nil
    }

    enum Agreement {
        case same, sameWithoutMarkup, caseOnly, different
    }

    static func agreement(_ variable: String, _ want: JSONValue, _ got: JSONValue?) -> Agreement {
        guard let got else { return .different }
        if CSLJSON.equivalent(want, got) { return .same }
        let variable = CSLMapping.foldedNames[CSLMapping.fold(variable)] ?? variable
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
        if let a = want.stringValue, let b = got.stringValue {
            if plain(a) == plain(b) { return .sameWithoutMarkup }
            if plain(a).lowercased() == plain(b).lowercased() { return .caseOnly }
        }
        return .different
    }

    /// A name without citation-js/pandoc extras (`_orcid`) and empty parts.
    static func trimmedName(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(members.filter { !$0.key.hasPrefix("_") && $0.value != .string("") })
    }

    /// Text without CSL/HTML tags and pandoc markdown emphasis, spaces collapsed; pandoc markdown's `--`, `---`,
    /// straight quotes and backslash escapes read as the characters they stand for.
    static func plain(_ text: String) -> String {
        var text = text.replacingOccurrences(of: "---", with: "—").replacingOccurrences(of: "--", with: "–")
        for (from, to) in [("“", "\""), ("”", "\""), ("„", "\""), ("‘", "'"), ("’", "'"), ("\u{00A0}", " ")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        var unescaped = ""
        var escaping = false
        for character in text {
            if escaping || character != "\\" {
                unescaped.append(character)
                escaping = false
            } else {
                escaping = true
            }
        }
        text = unescaped
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
            Self.compare(expected: testCase.expected, actual: ours,
                tool: testCase.from == "ris" ? "pandoc-ris" : "pandoc-bibtex", source: testCase.file, into: &tally)
        }
        tally.report("pandoc BibTeX/biblatex/RIS → CSL")
        #expect(tally.compared > 1000)
        #expect(tally.unexplained.isEmpty, "\(tally.unexplained.count) unexplained:\n\(tally.unexplained.prefix(80).joined(separator: "\n"))")
    }
}
