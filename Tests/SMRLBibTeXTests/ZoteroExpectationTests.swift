import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Zotero's BibTeX translator test cases (`bibtex/zotero-BibTeX.testcases.json`) and Better BibTeX's import tests
/// (`bibtex/bbt-import/X.bib` → `X.json`), field by field on the fields both models have.
@Suite(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
struct ZoteroExpectationTests {
    /// The fields compared: those with the same meaning in Zotero's model and ours.
    static let comparedFields: Set<String> = [
        "id", "type", "title", "container", "author", "editor", "issued", "volume", "issue", "pages", "doi", "url",
        "isbn", "issn", "publisher", "place", "edition", "keywords",
    ]

    /// Brings our flat record to Zotero's conventions where they differ only in form.
    static func zoteroForm(_ record: Resource, expected: Expectation.Fields) -> Expectation.Fields {
        var fields = Expectation.fields(of: record)
        fields["author"] = Expectation.zoteroNames(record.authors)
        fields["editor"] = Expectation.zoteroNames(record.editors)
        // Zotero keeps ISBNs and ISSNs as one string.
        fields["isbn"] = record.isbn.isEmpty ? nil : record.isbn.joined(separator: " ")
        fields["issn"] = record.issn.isEmpty ? nil : record.issn.joined(separator: ", ")
        return fields
    }

    /// Zotero's flat form, with the particle and suffix conventions of ``Expectation/zoteroName(_:)``.
    static func zoteroFields(_ item: [String: Any]) -> Expectation.Fields {
        var fields = Expectation.fields(ofZotero: item)
        if let isbn = item["ISBN"] as? String { fields["isbn"] = isbn }
        return fields
    }

    /// Better BibTeX's import conventions that differ from ours in form or in policy, applied to both sides before
    /// comparing. Each is a deliberate disagreement:
    /// - titles: Zotero stores titles in sentence case, so BBT re-cases title-cased input; we keep the text as
    ///   written (compared without case);
    /// - TeX: math and unknown commands are kept as TeX by us, rendered by BBT (a value where ours holds `$` or `\`
    ///   is not compared);
    /// - ISBN/ISSN: BBT re-hyphenates them, we keep them as given (compared on their digits);
    /// - pages: BBT keeps the spaces around a dash, our pages have a bare hyphen (compared without spaces);
    /// - one-word names: Zotero's single-field name equals our family-only name;
    /// - tags starting with `#` are BBT's own import-error markers;
    /// - dates that are not EDTF are kept as text by BBT and parsed by us; `2015/` is our `2015/..`;
    /// - keys: BBT generates keys for entries that have none, or whose key it rejects.
    static func bbtNormalized(_ fields: Expectation.Fields, ours: Bool) -> Expectation.Fields {
        var fields = fields
        for key in ["title", "container", "publisher"] { fields[key] = fields[key]?.lowercased() }
        for key in ["isbn", "issn"] {
            fields[key] = fields[key].map { String($0.uppercased().filter { $0.isNumber || $0 == "X" }) }
        }
        fields["pages"] = fields["pages"].map { String($0.filter { $0 != " " }) }
        // BBT joins a subtitle with ". ", we with ": ".
        fields["title"] = fields["title"]?.replacingOccurrences(of: ". ", with: ": ")
        for key in ["author", "editor"] {
            fields[key] = fields[key].map { list in
                list.components(separatedBy: "; ").map { name in
                    name.hasPrefix("zotero:") && name.hasSuffix("|") ? "literal:" + name.dropFirst(7).dropLast() : name
                }.joined(separator: "; ")
            }
        }
        fields["keywords"] = fields["keywords"].map {
            $0.split(separator: "|").filter { !$0.hasPrefix("#") }.joined(separator: "|")
        }
        if fields["keywords"] == "" { fields["keywords"] = nil }
        if let issued = fields["issued"] {
            if issued.hasSuffix("/") { fields["issued"] = issued + ".." }
            if !ours && EDTFDate(edtf: issued) == nil { fields["issued"] = nil }
        }
        return fields
    }

    static func run(cases: [(name: String, input: String, items: [[String: Any]])],
        disagreements: [String: String], normalize: Bool = false) -> (unexplained: [String], stale: Set<String>, compared: Int)
    {
        var unexplained: [String] = []
        var seen: Set<String> = []
        var compared = 0
        for (name, input, items) in cases {
            let records = BibTeXTest.records(input)
            for (index, item) in items.enumerated() {
                var theirs = zoteroFields(item)
                let record = theirs["id"].flatMap { id in records.first { $0.id == id } }
                    ?? (index < records.count ? records[index] : nil)
                guard let record else {
                    let key = "\(name)#\(index).record"
                    if disagreements[key] != nil { seen.insert(key) } else { unexplained.append("\(key): no record") }
                    continue
                }
                var ours = zoteroForm(record, expected: theirs)
                if normalize {
                    theirs = bbtNormalized(theirs, ours: false)
                    ours = bbtNormalized(ours, ours: true)
                    for (key, value) in ours where value.contains("$") || value.contains("\\") { theirs[key] = nil }
                    if record.id == nil { theirs["id"] = nil }
                    // BBT appends `titleaddon`, `type` and the like to the title; we keep them as fields.
                    if let title = ours["title"], let their = theirs["title"], their.hasPrefix(title) {
                        theirs["title"] = title
                    }
                }
                let result = Expectation.compare(item: "\(name)#\(index)", expected: theirs, actual: ours,
                    only: comparedFields)
                compared += result.compared
                for mismatch in result.mismatches {
                    let key = "\(name)#\(index).\(mismatch.field)"
                    let wildcard = "\(name)#*.\(mismatch.field)"
                    if disagreements[key] != nil {
                        seen.insert(key)
                    } else if disagreements[wildcard] != nil {
                        seen.insert(wildcard)
                    } else {
                        unexplained.append(mismatch.description)
                    }
                }
            }
        }
        return (unexplained, Set(disagreements.keys).subtracting(seen), compared)
    }

    // MARK: Zotero

    static let zoteroDisagreements: [String: String] = [
        "zotero6#0.title": "a bare `\\~` with no letter is a tilde for us; Zotero makes it U+223C (tilde operator)",
        "zotero7#0.container": "math `$4^{\\textrm{ème}}$` is kept as TeX; Zotero renders it",
        "zotero7#0.title": "small caps are <sc>, subscripts stay markup; Zotero writes a style span and Unicode subscripts",
        "zotero8#0.author": "BibTeX's rule makes lowercase 'at' a von part (family 'Work'); Zotero has no von part",
        "zotero10#0.title": "a trailing `\\\\{}` is a line break for us; Zotero keeps a brace",
        "zotero15#0.place": "biblatex's `location` wins over `address`; Zotero takes `address`",
        "zotero18#0.author": "unbraced 'Corporation for Digital Scholarship' is split by BibTeX's rules ('for' is von)",
        "zotero19#0.author": "`\\\\'e` is a line break then an apostrophe for us; Zotero reads a backslash and é",
        "zotero19#0.publisher": "same `\\\\\"e` spelling; and math `$_{eee}$` kept as TeX",
        "zotero19#0.title": "Zotero turns the letters TEL into the ℡ sign; we keep the letters",
        "zotero20#0.author": "'KC Wright' is kept as written; Zotero inserts dots in initials",
        "zotero21#0.author": "lowercase 'sudhin jacob' is von + family by BibTeX's rules; Zotero splits first/last",
        "zotero22#0.author": "Zotero inserts a space after the apostrophe of D'aspremont",
        "zotero23#0.title": "math `$\\Sigma^{0}$` is kept as TeX; Zotero renders Σ⁰",
    ]

    @Test func zoteroTranslatorCases() throws {
        let data = try Data(contentsOf: TestCorpus.url("bibtex/zotero-BibTeX.testcases.json"))
        let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        let cases = list.enumerated().compactMap { index, value -> (String, String, [[String: Any]])? in
            guard let input = value["input"] as? String, let items = value["items"] as? [[String: Any]] else { return nil }
            return ("zotero\(index + 1)", input, items)
        }
        #expect(cases.count == 24)
        let result = Self.run(cases: cases, disagreements: Self.zoteroDisagreements)
        #expect(result.compared > 150, "fields compared: \(result.compared)")
        #expect(result.unexplained == [], "\(result.unexplained.joined(separator: "\n"))")
        #expect(result.stale.isEmpty, "stale: \(result.stale.sorted())")
    }

    // MARK: Better BibTeX

    static let bbtDisagreements: [String: String] = [
        // Better BibTeX's APA test file: custom entry types (@NAMEONLY…) and APA-specific rules.
        "Import_error_with_character_+_in_BibTeX_field_name_#2660#*.type":
            "custom APA types and BBT's own type rules (e.g. @periodical → document, legislation variants)",
        "Import_error_with_character_+_in_BibTeX_field_name_#2660#*.title":
            "BBT builds titles from titleaddon/type/note pieces; we keep the title field",
        "Import_error_with_character_+_in_BibTeX_field_name_#2660#*.publisher":
            "BBT joins publisher and institution with ' / ' and maps APA `howpublished` codes; we keep one publisher",
        "Import_error_with_character_+_in_BibTeX_field_name_#2660#*.doi":
            "a `doi` that is no DOI (fg6rf9) goes to extra with bibtex.invalid-doi; BBT keeps it",
        "Import_error_with_character_+_in_BibTeX_field_name_#2660#*.issued":
            "`-3000~` keeps EDTF's approximate marker; BBT drops it",
        "Import_error_with_character_+_in_BibTeX_field_name_#2660#*.container":
            "BBT expands journal abbreviations from its own list",
        // Journal unabbreviation is a BBT feature.
        "Overline_during_Import_#1467#*.container": "BBT expands journal abbreviations from its own list",
        "Math_formatting_lost_on_import_#627#0.container": "BBT expands journal abbreviations from its own list",
        "Import_of_langle_and_rangle_TeX_commands_#1468#0.container": "BBT expands journal abbreviations",
        "Problem_when_importing_BibTeX_entries_with_square_brackets_#94#0.container": "BBT expands journal abbreviations",
        // Policies.
        "Allow_spaces_between_href_arguments_for_import_#2504#3.publisher":
            "howpublished with a bare URL is a publisher text for us; BBT moves it to url",
        "BBT_+_Zotfile_creating_duplicate_files_in_the_wrong_location_#2300#3.container":
            "a @book with booktitle stays a book (booktitle repeats a parent's title); BBT makes a book section",
        "BBT_+_Zotfile_creating_duplicate_files_in_the_wrong_location_#2300#3.type": "same @book with booktitle",
        "Better_BibTeX.003#1.container": "a @proceedings with a booktitle stays a book; BBT makes a book section",
        "Better_BibTeX.003#1.type": "same @proceedings with booktitle",
        "BBT_+_Zotfile_creating_duplicate_files_in_the_wrong_location_#2300#3.edition": "edition kept as written (2nd); BBT keeps the number",
        "Better_BibTeX.004#0.edition": "edition kept as written (1st); BBT keeps the number",
        "Better_BibTeX.006#0.title": "\\url{…} in a title is its text; BBT makes an HTML link",
        "BBT_does_not_import_groups_from_JabRef_5.1_#1641#2.author": "`\\d{}` with an empty argument is dropped; BBT keeps a dot below a space",
        "BBT_does_not_import_groups_from_JabRef_5.1_#1641#2.title": "`\\-` (discretionary hyphen) is dropped; BBT keeps a soft hyphen",
        "BBT_does_not_import_groups_from_JabRef_5.1_#1641#15.title": "`\\-` is dropped; BBT keeps a soft hyphen",
        "Better_BibLaTeX_import_improvements_#549#4.container": "BBT reads biblatex `lista` as the entry's title; we keep it as an extra field",
        "Better_BibLaTeX_import_improvements_#549#4.title": "same `lista`",
        "Failure_to_handle_unparsed_author_names_92_#0.author": "`and others` is a marker (extra.bibtex.@and-others), not a person",
        "Film_references_do_not_export_properly_for_APA_formating_#2494#*.type": "@video is a motion picture for us; BBT maps it to broadcast",
        "Issues_with_round_instead_of_curly_braces_do_not_import_correctly_#871#0.title": "small caps compared as plain text; BBT writes a font-variant span",
        "Jabref_groups_import_does_not_work_#717.3.8#*.title": "the file repeats citation keys; records are matched by key, so the first one answers",
        "LaTeX_commands_in_Zotero_should_be_exported_untouched_#1380#0.title": "\\LaTeX{} decodes to the text LaTeX; BBT keeps the command",
        "Math_markup_to_unicode_not_always_imported_correctly_#472#*.container": "an undefined @string reads as empty (BibTeX); BBT keeps its name",
        "Math_markup_to_unicode_not_always_imported_correctly_#472#2.title": "\\quad is an em space for us; BBT writes a plain space",
        "Options_to_use_default_import_process_#1562#0.id": "the entry's own key is kept; BBT generates one",
        "Options_to_use_default_import_process_#1562#0.keywords": "`{{a; b}}` is split at `;`; BBT keeps stray braces in two tags",
    ]

    @Test func betterBibTeXImportCases() throws {
        let folder = TestCorpus.url("bibtex/bbt-import")
        var cases: [(String, String, [[String: Any]])] = []
        for bib in TestCorpus.files(in: "bibtex/bbt-import", extensions: ["bib"]) {
            let json = bib.deletingPathExtension().appendingPathExtension("json")
            guard let data = try? Data(contentsOf: json),
                let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let items = root["items"] as? [[String: Any]],
                let input = try? String(contentsOf: bib, encoding: .utf8)
            else { continue }
            cases.append((bib.deletingPathExtension().lastPathComponent, input, items))
        }
        _ = folder
        #expect(cases.count > 80)
        let result = Self.run(cases: cases, disagreements: Self.bbtDisagreements, normalize: true)
        #expect(result.compared > 1000, "fields compared: \(result.compared)")
        #expect(result.unexplained == [], "\(result.unexplained.count) unexplained:\n\(result.unexplained.joined(separator: "\n"))")
        #expect(result.stale.isEmpty, "stale: \(result.stale.sorted())")
    }
}
