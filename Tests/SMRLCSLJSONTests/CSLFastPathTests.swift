import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// The byte-level shortcuts of the reader and writer must give what the Character-level code they skip gives.
/// Each test runs both over hand-made edge cases and over every key and string value of the corpus items and the
/// sample library.
@Suite("CSL-JSON fast paths agree with the slow paths")
struct CSLFastPathTests {
    /// Edge cases for the shortcuts: markup-ish text, combining marks right after the bytes a shortcut looks
    /// at, canonically equivalent spellings, separators, keys in other cases.
    static let edgeCases: [String] = [
        "", " ", "a", "<", ">", "<>", "< >", "a < b", "a <b", "a<b", "a<b>c", "p < 0.05 and q > 1", "p <0.05 > 1",
        "<i>x</i>", "<i>x</i> < y", "</i>", "<i>", "<b>bold</b> and <i>it</i>", "<sub>2</sub>O", "x<sup>2</sup>",
        "<sc>X</sc>", "<em>x</em>", "<I>x</I>", "<i >x</i>", "<span class=\"nocase\">NASA</span>",
        "<span style=\"font-variant:small-caps;\">X</span>", "<SPAN STYLE='font-variant: small-caps'>X</SPAN>",
        "<a href=\"x\">link</a>", "<i>\u{301}x</i>", "<\u{301}i>", "a\u{0600}<i>x</i>", "<\t>", "<\n", "<i", "<su",
        "<sub", "<sup>", "</sup>", "</span>", "<b>unclosed", "text </b> stray", "<i><b>x</b></i>",
        "<i>" + String(repeating: "a", count: 200) + "</i>", "a > b < c", "<<i>>", "<i>>", "<<",
        "smrl:domain:x", "SMRL:Domain:x", "sMrL:topic:y", "smrl:", "smrl", "smrl:\u{301}x", " smrl:domain:x",
        "\u{A0}smrl:domain:x", "Smrl:open-access:true", "smrl:nofield:x", "smrl:domain:", "science", "Surgery",
        "éducation", "s", "S", "\tsmrl:domain:x", "smrl;x", "Smr", "sm", "smrl", "Social mission", "SMRL:",
        "smrl:\u{301}", "smr\u{301}l:x", "s\u{301}mrl:x", "ſmrl:domain:x", "\u{212A}", "smrl:domain:x ", "Ärzte", "Éducation", "\u{2003}smrl:domain:x",
        "\u{0130}stanbul", "\u{FEFF}smrl:domain:x",
        "resourceType", "resource-type", "Resource_Type", "DOI", "doi", "Container Title", "container-title",
        "ISSN", "Ünïcode-Key", "İstanbul", "K\u{212A}", "ﬁeld",
        "1234-5678", "1234-5678, 8765-4321", "1234-5678;8765-4321", "1234 5678", ",,1234-5678,,", "a,\u{301}b",
        "978-1-107-04452-4 978-1-107-68637-3", "0-306-40615-2", "x y", "é, ü; a",
        "Title: Sub", "Title: Sübtitle", "Ti\u{0600}: Sub", ": Sub", "Title:Sub", "Café: Sub",
        "Cafe\u{301}: Sub", "e\u{301}",
    ]

    /// Every key and string of the corpus items (when the corpus is present) and of the sample library.
    static func corpusStrings() throws -> [String] {
        var strings: Set<String> = Set(edgeCases)
        func collect(_ value: JSONValue) {
            switch value {
            case .string(let text), .number(let text): strings.insert(text)
            case .array(let elements): elements.forEach(collect)
            case .object(let members):
                for member in members {
                    strings.insert(member.key)
                    collect(member.value)
                }
            default: break
            }
        }
        if TestCorpus.isAvailable {
            for (_, item) in try CSLCorpusTests.allItems() { collect(item) }
        }
        let sample = try String(contentsOf: TestCorpus.repositoryFile("Samples/library.csl.json"), encoding: .utf8)
        CSLTest.parseArray(sample).forEach(collect)
        return strings.sorted()
    }

    @Test("the format sniff's byte search finds each key where a String search does, in every corpus JSON file")
    func sniffSearchAgrees() throws {
        var prefixes: [[UInt8]] = [Array("[{\"DOI\": \"x\", \"author\": []}]".utf8), Array("{\"doi\"".utf8), [], Array("\"".utf8)]
        for url in TestCorpus.files(in: "csljson", extensions: ["json", "ndjson", "jsonl"]) {
            prefixes.append(Array(try Data(contentsOf: url).prefix(8192)))
        }
        var found = 0
        for prefix in prefixes {
            let text = String(decoding: prefix, as: UTF8.self)
            for key in CSLJSONFormat.cslKeys + CSLJSONFormat.nativeKeys {
                let byBytes = prefix.withUnsafeBufferPointer { $0.containsBytes(Array(key.utf8)) }
                #expect(byBytes == text.contains(key), "\(key)")
                if byBytes { found += 1 }
            }
        }
        if TestCorpus.isAvailable { #expect(found > 10) }
    }

    @Test func markupShortcutAgrees() throws {
        for text in try Self.corpusStrings() {
            let rich = CSLMarkup.convertToRich(text)
            let csl = CSLMarkup.convertToCSL(text)
            if CSLMarkup.isLiteral(text) {
                #expect(rich == text, "toRich changes \(text.debugDescription) though isLiteral holds")
                #expect(csl == text, "toCSL changes \(text.debugDescription) though isLiteral holds")
            }
            #expect(CSLMarkup.toRich(text) == rich)
            #expect(CSLMarkup.toCSL(text) == csl)
        }
        // The shortcut is taken where it should be.
        #expect(CSLMarkup.isLiteral("p < 0.05"))
        #expect(CSLMarkup.isLiteral("<i>Homo sapiens</i> and H<sub>2</sub>O"))
        #expect(!CSLMarkup.isLiteral("<em>x</em>"))
        #expect(!CSLMarkup.isLiteral("<sc>x</sc>"))
    }

    @Test func foldShortcutAgrees() throws {
        for text in try Self.corpusStrings() {
            if let ascii = CSLMapping.foldASCII(text) {
                #expect(ascii == CSLMapping.foldScalars(text), "fold of \(text.debugDescription)")
            } else {
                #expect(text.utf8.contains { $0 >= 0x80 })
            }
        }
        for (name, _) in CSLMapping.variables {
            #expect(CSLMapping.fold(name.uppercased()) == CSLMapping.foldScalars(name))
        }
    }

    @Test func libraryTagShortcutAgrees() throws {
        for text in try Self.corpusStrings() {
            let slow = LibraryTags.parse(text) != nil || text.lowercased().hasPrefix(LibraryTags.prefix)
            #expect(CSLKeywords.looksLikeLibraryTag(text) == slow, "\(text.debugDescription)")
        }
    }

    @Test func keywordJoinShortcutAgrees() throws {
        let strings = try Self.corpusStrings()
        var lists: [[String]] = [[], [""], ["", ""], ["a"], ["a", "b"], ["a,b", "c"], ["e\u{301}"], ["\u{212A}"]]
        for (index, text) in strings.enumerated() {
            lists.append([text])
            lists.append([text, strings[(index * 7 + 3) % strings.count]])
        }
        var texts = strings
        for list in lists { texts.append(CSLKeywords.join(list)) }
        texts += ["é", "K", "a; b", "a, b", "a,b", "a, b, "]
        for list in lists {
            let joined = CSLKeywords.join(list)
            let separator = list.contains(where: { $0.contains(",") }) ? "; " : ", "
            #expect(Array(joined.utf8) == Array(list.joined(separator: separator).utf8), "\(list)")
            #expect(CSLKeywords.isJoined(joined, list))
            for text in [joined, joined + " ", "é", "K", "a, b", "e\u{301}", String(joined.dropLast())] {
                #expect(CSLKeywords.isJoined(text, list) == (text == joined), "\(text.debugDescription) \(list)")
            }
        }
        // Canonically equivalent spellings compare equal, as String == does.
        #expect(CSLKeywords.isJoined("é", ["e\u{301}"]))
        #expect(CSLKeywords.isJoined("K", ["\u{212A}"]))
    }

    @Test func separatorSplitAgrees() throws {
        for text in try Self.corpusStrings() {
            let slow = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" }).map(String.init)
            #expect(CSLIdentifiers.splitOnSeparators(text) == slow, "\(text.debugDescription)")
        }
    }

    @Test func subtitleSuffixShortcutAgrees() throws {
        let strings = try Self.corpusStrings()
        var pairs: [(String, String)] = [
            ("Title: Sub", "Sub"), ("Ti\u{0600}: Sub", "Sub"), (": Sub", "Sub"), ("Cafe\u{301}: Sub", "Sub"),
            ("Title: Sübtitle", "Su\u{308}btitle"), ("Sub", "Sub"), ("", "x"),
        ]
        for (index, text) in strings.enumerated() {
            let other = strings[(index * 13 + 5) % strings.count]
            pairs.append((text + ": " + other, other))
            pairs.append((text, other))
        }
        for (title, subtitle) in pairs {
            let suffix = ": " + subtitle
            if let head = CSLItemDecoder.headBeforeSuffix(title, suffix) {
                #expect(title.hasSuffix(suffix), "\(title.debugDescription)")
                #expect(head == String(title.dropLast(suffix.count)), "\(title.debugDescription)")
            }
        }
    }

    @Test func variableTableFindsEveryName() {
        #expect(CSLMapping.variables.count <= VariableSet.capacity)
        for (index, variable) in CSLMapping.variables.enumerated() {
            #expect(CSLMapping.positions.index(of: variable.name) == CSLMapping.order[variable.name])
            #expect(CSLMapping.order[variable.name] == index || CSLMapping.variables[CSLMapping.order[variable.name] ?? 0].name == variable.name)
        }
        for other in ["", "Title", "titl", "title ", "authors", "DOI\u{301}", "nöte", "custom-"] {
            #expect(CSLMapping.positions.index(of: other) == nil)
        }
        var set = VariableSet()
        for index in stride(from: 0, to: VariableSet.capacity, by: 3) { set.insert(index) }
        for index in 0..<VariableSet.capacity { #expect(set.contains(index) == (index % 3 == 0)) }
    }
}
