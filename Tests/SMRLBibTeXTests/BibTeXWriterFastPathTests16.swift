import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 16's writer paths: plain runs found sixteen bytes at a time, library-list items written as they are
/// copied without the encoder, the one-pass test of a name part eight bytes at a time, citation keys sanitised and
/// digested in one pass with one lookup a key, and one writer for field heads.
@Suite struct BibTeXWriterFastPathTests16 {
    /// ``LaTeXEncoder/plainRunEnd(_:from:)`` by its definition, byte by byte.
    static func plainRunEndSlowly(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count, Int(bytes[index]) < 128, LaTeXEncoder.plainASCII[Int(bytes[index])] { index += 1 }
        return max(index, start)
    }

    /// ``LaTeXEncoder/containsPunctuation(_:_:or:)`` by its definition: nil when a non-ASCII scalar is not
    /// punctuation-inert, else whether a needle byte occurs.
    static func containsPunctuationSlowly(_ text: String, _ needle: UInt8, _ other: UInt8) -> Bool? {
        guard text.unicodeScalars.allSatisfy({ $0.isASCII || LaTeXEncoder.isPunctuationInert($0.value) }) else {
            return nil
        }
        return text.utf8.contains { $0 == needle || $0 == other }
    }

    /// Every byte value at every position of buffers of 1–40 bytes (so at every place of a sixteen-byte block, of an
    /// eight-byte word and of the bytes after them), the run searched from starts on both sides of the block edges
    /// and of the byte; a second special byte later on.
    @Test func plainRunEndFindsEveryByteAtEveryPosition() {
        var mismatches: [String] = []
        let filler = Array("The quick brown fox, jumps!The quick brown fox, jumps!".utf8)
        for length in 1...40 {
            for position in 0..<length {
                for bad in 0...255 {
                    var bytes = Array(filler.prefix(length))
                    bytes[position] = UInt8(bad)
                    if position + 3 < length { bytes[position + 3] = UInt8(ascii: "{") }
                    bytes.withUnsafeBufferPointer { buffer in
                        for start in Set([0, 1, 2, 7, 8, 9, 15, 16, 17, position, position + 1, length]) where start <= length {
                            let fast = LaTeXEncoder.plainRunEnd(buffer, from: start)
                            let slow = Self.plainRunEndSlowly(buffer, from: start)
                            if fast != slow, mismatches.count < 20 {
                                mismatches.append("\(length) \(position) \(bad) from \(start): \(fast) \(slow)")
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // Empty buffers, starts at the end, and long runs.
        #expect(LaTeXEncoder.plainRunEnd(UnsafeBufferPointer(start: nil, count: 0), from: 0) == 0)
        for length in [0, 7, 8, 9, 15, 16, 17, 64, 1000] {
            let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: length)
            bytes.withUnsafeBufferPointer { buffer in
                #expect(LaTeXEncoder.plainRunEnd(buffer, from: 0) == length)
                #expect(LaTeXEncoder.plainRunEnd(buffer, from: length) == length)
                #expect(LaTeXEncoder.writtenRunEnd(buffer, from: 0) == length)
            }
        }
    }

    /// Each needle, and non-ASCII scalars (inert and not) at every position of texts of 0–24 bytes, so at the
    /// edges of every word.
    @Test func punctuationSearchAtEveryPosition() {
        var mismatches: [String] = []
        let inserts = [",", ";", "<", "\\", "é", "–", "💡", "\u{0301}", "\u{037E}", "\u{00A0}", "中", "\u{1EBD}"]
        let pairs: [(UInt8, UInt8)] = [
            (UInt8(ascii: ","), UInt8(ascii: ";")), (UInt8(ascii: ","), UInt8(ascii: ",")),
            (UInt8(ascii: "<"), UInt8(ascii: "<")), (UInt8(ascii: "\\"), UInt8(ascii: "\\")),
        ]
        for length in 0...24 {
            let base = String(repeating: "a", count: length)
            var texts = [base]
            for position in 0...length {
                for insert in inserts {
                    let head = String(base.prefix(position))
                    let tail = String(base.dropFirst(position))
                    texts.append(head + insert + tail)
                    texts.append(head + insert + tail + insert)
                    texts.append("é" + head + insert + tail)
                }
            }
            for text in texts {
                var copy = text
                for (needle, other) in pairs {
                    let fast = copy.withUTF8 { LaTeXEncoder.containsPunctuation($0, needle, or: other) }
                    let slow = Self.containsPunctuationSlowly(text, needle, other)
                    if fast != slow, mismatches.count < 20 { mismatches.append("\(text.debugDescription) \(needle)") }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// The one-pass test of a name part (eight bytes at a time for spaces, commas and non-ASCII bytes) against the
    /// general path: a space, a comma, `and`, a non-ASCII letter and a combining mark at every position of parts of
    /// 0–24 bytes.
    @Test func namePartBracesAtEveryPosition() {
        var mismatches: [String] = []
        let inserts = [" ", ",", " and ", "é", "É", "\u{0301}", "\u{037E}", "中", " van ", "–", "ß"]
        for length in 0...24 {
            let base = String("Abcdefghijklmnopqrstuvwxyz".prefix(length))
            var texts = [base, base.lowercased()]
            for position in 0...length {
                for insert in inserts {
                    let head = String(base.prefix(position))
                    let tail = String(base.dropFirst(position))
                    texts += [head + insert + tail, head.lowercased() + insert + tail, head + insert + tail + insert]
                }
            }
            for text in texts {
                for ascii in [true, false] {
                    for protectWords in [false, true] {
                        let slow = BibTeXWriter.namePartNeedsBracesSlowly(text, protectWords: protectWords, ascii: ascii)
                        if let fast = BibTeXWriter.namePartNeedsBraces(text, protectWords: protectWords, ascii: ascii),
                            fast != slow, mismatches.count < 20
                        {
                            mismatches.append("\(text.debugDescription) \(ascii) \(protectWords)")
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// The verbatim test eight bytes at a time: each byte that stops it (non-ASCII, line breaks, braces) and its
    /// neighbours at every position of values of 0–24 bytes.
    @Test func plainVerbatimAtEveryPosition() {
        var mismatches: [String] = []
        let inserts = ["\n", "\r", "{", "}", "é", "\u{00A0}", "z", "|", "\t", "\u{0B}", "\u{0C}", "\u{0E}", "\u{7A}", "\u{7C}",
            "\u{7E}", "\u{1A}", "\u{2C}"]
        for length in 0...24 {
            let base = String("https://doi.org/10.1000/xyz-abc".prefix(length))
            for position in 0...length {
                for insert in inserts {
                    let text = String(base.prefix(position)) + insert + String(base.dropFirst(position))
                    let slow = !text.utf8.contains { $0 >= 0x80 || $0 == 0x0A || $0 == 0x0D || $0 == 0x7B || $0 == 0x7D }
                    if BibTeXWriter.isPlainVerbatim(text) != slow, mismatches.count < 20 {
                        mismatches.append(text.debugDescription)
                    }
                }
            }
            if !BibTeXWriter.isPlainVerbatim(base) { mismatches.append(base) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// The keys of the old algorithm: the id sanitised by scalars, a lookup and then an insertion of the digest of
    /// the key lowercased.
    struct KeysReference {
        var used = Set<UInt64>()

        mutating func key(for resource: Resource, generate: Bool) -> (key: String, fromID: Bool) {
            var base: String
            var fromID = false
            if !generate, let id = resource.id, let cleaned = CitationKeys.sanitizeSlowly(id), !cleaned.isEmpty {
                base = cleaned
                fromID = true
            } else {
                base = CitationKeys.generate(for: resource)
            }
            var digest = DigestMap.digest(base.lowercased())
            if used.contains(digest) {
                var suffixIndex = 0
                var candidate: String
                repeat {
                    candidate = base + CitationKeys.suffix(suffixIndex)
                    suffixIndex += 1
                    digest = DigestMap.digest(candidate.lowercased())
                } while used.contains(digest)
                base = candidate
            }
            used.insert(digest)
            return (base, fromID)
        }
    }

    static let keyTexts: [String] = [
        "", " ", "  padded  ", "\tKey\n", "é", "ÉTUDE2020", "Smith2020", "SMITH2020", "smith2020", "10.1000/XYZ",
        "a,b;c", "{Key}", "Müller_2001", "💡idea", "k\u{0301}ey", "İstanbul", "ǅemal", "ＡＢＣ", "ß", "__", "Z", "z9",
        "A@B[C]", "key with spaces", "x\u{00A0}y", "UPPER-lower-MiXeD-123",
    ]

    /// The key and its digest in one pass equal the key made by scalars and the digest of its lowercased String.
    @Test func keySanitisingAndDigestMatchTheGeneralPath() {
        for text in Self.keyTexts + Self.keyTexts.map({ $0 + "-" + $0.uppercased() }) {
            let slow = CitationKeys.sanitizeSlowly(text)
            let fast = CitationKeys.sanitizeAndDigest(text)
            #expect(fast?.key == slow, "\(text.debugDescription)")
            if let slow, let fast { #expect(fast.digest == DigestMap.digest(slow.lowercased()), "\(text.debugDescription)") }
            #expect(CitationKeys.digestOfLowercased(text) == DigestMap.digest(text.lowercased()), "\(text.debugDescription)")
        }
    }

    /// Records whose keys collide (ids that differ only in case, repeated ids, generated keys) get the keys the old
    /// algorithm gave, in order.
    @Test func keysInOrderMatchTheReference() {
        var records: [Resource] = []
        for id in Self.keyTexts + ["Smith2020", "smith2020a", "SMITH2020", "smith2020"] {
            records.append(Resource(id: id, type: .book))
        }
        var generated = Resource(type: .articleJournal)
        generated.authors = [Person(family: "Müller", given: "Jörg")]
        generated.issued = EDTFDate(year: 2020)
        generated.title = "The Ökonomie of things"
        records += Array(repeating: generated, count: 30)
        records.append(Resource(id: "muller2020okonomie", type: .book))
        for generate in [false, true] {
            var keys = CitationKeys()
            var reference = KeysReference()
            for record in records {
                let fast = keys.key(for: record, generate: generate)
                let slow = reference.key(for: record, generate: generate)
                #expect(fast.key == slow.key && fast.fromID == slow.fromID, "\(String(describing: record.id))")
            }
        }
    }

    /// A library list as the encoder writes it (the reference of the copy for items written as they are): `; `
    /// between items, each item that holds `,` or `;` braced.
    static func libraryFieldSlowly(_ name: String, _ items: [String], ascii: Bool) -> String {
        let encoded = items.map { item in
            let latex = LaTeXEncoder.encodeSlowly(item, rich: false, ascii: ascii).latex
            return item.bibContainsCommaOrSemicolon ? "{" + latex + "}" : latex
        }
        return ",\n  " + name + " = {" + encoded.joined(separator: "; ") + "}"
    }

    static let listItems: [String] = [
        "students-faculty", "patient-community-health", "a,b", "a;b", "co-op's", "a--b", "a-", "-", "'", "x'",
        "plain label", "label, with comma", "label; with semicolon", "Müller-Lüdenscheidt", "é,", "x\u{037E}y",
        "100%", "a_b", "{braced}", "$x$", "~", "tab\there", "long label without any special byte at all here",
        "ends with a hyphen-", "α-β", "中文", "a\u{0301}", "1234567,", "12345678;", ",1234567", "x",
    ]

    /// Every list item, alone, beside others and at the end, is written as the encoder writes it.
    @Test func libraryListItemsMatchTheEncoder() {
        var lists = Self.listItems.map { [$0] }
        lists.append(Self.listItems)
        lists.append(Self.listItems.reversed())
        for items in lists { Self.checkLibraryList(items) }
    }

    static func checkLibraryList(_ items: [String]) {
        for dialect in [BibTeXDialect.bibtex, .biblatex] {
            var record = Resource(id: "k", type: .book)
            record.domains = items
            record.topics = items.reversed()
            let written = BibTeXTest.write([record], dialect: dialect).text
            let ascii = dialect == .bibtex
            #expect(written.contains(Self.libraryFieldSlowly("smrl-domains", items, ascii: ascii)),
                "\(items) \(written)")
            #expect(written.contains(Self.libraryFieldSlowly("smrl-topics", items.reversed(), ascii: ascii)),
                "\(items) \(written)")
        }
    }

    /// The values of every record of the corpus's BibTeX files: plain runs, punctuation searches, keys and library
    /// lists against their references.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusValuesMatchTheReferences() throws {
        var mismatches: [String] = []
        var keys = CitationKeys()
        var reference = KeysReference()
        var records = 0
        for url in TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"]) {
            guard let results = try? BibTeXTest.readFile(url) else { continue }
            for record in results.compactMap(\.record) {
                records += 1
                var values = [record.id, record.title, record.subtitle, record.containerTitle, record.abstract,
                    record.note, record.publisher, record.pages, record.volume, record.doi, record.url]
                    .compactMap { $0 }
                values += record.keywords + record.domains + record.topics + record.professions
                for person in record.authors + record.editors + record.translators {
                    values += [person.family, person.given, person.particle, person.literal, person.suffix]
                        .compactMap { $0 }
                }
                for person in record.authors + record.editors + record.translators {
                    for part in [person.family, person.given, person.particle, person.suffix].compactMap({ $0 }) {
                        for protectWords in [false, true] {
                            let slow = BibTeXWriter.namePartNeedsBracesSlowly(part, protectWords: protectWords, ascii: true)
                            if let fast = BibTeXWriter.namePartNeedsBraces(part, protectWords: protectWords, ascii: true),
                                fast != slow
                            {
                                mismatches.append("name part \(part.debugDescription)")
                            }
                        }
                    }
                }
                for value in values {
                    var copy = value
                    copy.withUTF8 { buffer in
                        for start in Set([0, 1, buffer.count / 2, max(0, buffer.count - 7)]) where start <= buffer.count {
                            if LaTeXEncoder.plainRunEnd(buffer, from: start) != Self.plainRunEndSlowly(buffer, from: start) {
                                mismatches.append("run \(value.debugDescription) from \(start)")
                            }
                        }
                        for needle in [UInt8(ascii: ","), UInt8(ascii: "<"), UInt8(ascii: "\\")] {
                            if LaTeXEncoder.containsPunctuation(buffer, needle, or: UInt8(ascii: ";"))
                                != Self.containsPunctuationSlowly(value, needle, UInt8(ascii: ";"))
                            {
                                mismatches.append("punctuation \(value.debugDescription) \(needle)")
                            }
                        }
                    }
                    let fast = CitationKeys.sanitizeAndDigest(value)
                    let slow = CitationKeys.sanitizeSlowly(value)
                    if fast?.key != slow || fast.map({ $0.digest != DigestMap.digest(slow?.lowercased() ?? "") }) == true {
                        mismatches.append("key \(value.debugDescription)")
                    }
                }
                // The record's key, twice (the second takes a suffix).
                for _ in 0..<2 {
                    let fast = keys.key(for: record, generate: false)
                    let slow = reference.key(for: record, generate: false)
                    if fast.key != slow.key || fast.fromID != slow.fromID { mismatches.append("record key \(fast.key)") }
                }
                // Its values as library-list items, the reference written beside the writer's text.
                let items = values.filter { !$0.isEmpty }
                if !items.isEmpty {
                    var list = Resource(id: "k", type: .book)
                    list.domains = items
                    let written = BibTeXTest.write([list], dialect: .bibtex).text
                    if !written.contains(Self.libraryFieldSlowly("smrl-domains", items, ascii: true)) {
                        mismatches.append("list \(items)")
                    }
                }
                if mismatches.count > 20 { break }
            }
        }
        #expect(records > 1000)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    /// Field heads from a literal name, from `add(_:latex:)` and from an `extra.bibtex` name are one writer's:
    /// `,\n  name = {`.
    @Test func fieldHeadsOfEveryKind() {
        var record = Resource(id: "key", type: .articleMagazine)
        record.title = "T"
        record.url = "https://example.org/x"
        record.extra = ["bibtex": ["CustomField": ["value {x}"], "note2": ["ü"]]]
        record.issued = EDTFDate(year: 2020, month: 6, day: 3)
        let text = BibTeXTest.write([record], dialect: .bibtex).text
        #expect(text == """
            @article{key,
              entrysubtype = {magazine},
              title = {T},
              year = {2020},
              month = jun,
              date = {2020-06-03},
              url = {https://example.org/x},
              customfield = {value {x}},
              note2 = {{\\"u}}
            }

            """, "\(text)")
    }
}
