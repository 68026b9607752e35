import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// The fast paths of the reader give what the general paths give: over every value of the corpus, and over the
/// edge cases each fast path has to hand back to the general one.
@Suite struct BibTeXFastPathTests {
    /// The old `isPlain`, byte class by byte class: the reference for the bit-set version.
    static func referenceIsPlain(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return bytes.isEmpty }
        var previousSpace = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "$"), UInt8(ascii: "~"),
                UInt8(ascii: "-"), UInt8(ascii: "`"), UInt8(ascii: "'"), 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                return false
            case 0x20:
                if previousSpace { return false }
                previousSpace = true
            default:
                previousSpace = false
            }
        }
        return true
    }

    static func isPlain(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { LaTeXDecoder.isPlain($0) }
    }

    /// Checks every fast path on one field value.
    static func check(_ bytes: [UInt8]) {
        #expect(bytes.withUnsafeBufferPointer { LaTeXDecoder.isPlainSlowly($0) } == referenceIsPlain(bytes),
            "isPlainSlowly: \(String(decoding: bytes, as: UTF8.self))")
        #expect(isPlain(bytes) == BibTeXFastPathTests11.referenceIsPlain(bytes),
            "isPlain: \(String(decoding: bytes, as: UTF8.self))")
        let reference = TextDecoding.decode(bytes)
        let fast = BibTeXReader.decodeText(bytes)
        #expect(fast.text == reference.text && fast.legacy == reference.legacy)
        let text = reference.text
        for mode in [LaTeXDecoder.Mode.plain, .rich] {
            let decoded = LaTeXDecoder.decode(text, mode: mode)
            // A plain value decodes to itself: the fast path skips nothing the decoder would have done.
            if isPlain(Array(text.utf8)) {
                #expect(LaTeXDecoder.decodeNonPlain(Array(text.utf8), mode: mode, paragraphs: false) == text)
                #expect(decoded == text)
            }
            if !reference.legacy {
                #expect(LaTeXDecoder.decode(bytes: bytes, mode: mode) == decoded)
            }
        }
        #expect(BibTeXMapping.verbatim(text) == BibTeXMapping.verbatimSlowly(text))
        checkMappingPaths(text)
    }

    /// The name parser over index ranges against the one over arrays of slices, and the byte paths of the
    /// mapping against their Character forms, on one value.
    static func checkMappingPaths(_ text: String) {
        let fast = BibTeXNames.parse(text)
        let slow = BibTeXNames.parseSlowly(text)
        #expect(fast.people == slow.people && fast.others == slow.others && fast.problems == slow.problems,
            "names: \(text)")
        #expect(BibTeXMapping.normalizePages(text) == BibTeXMapping.normalizePagesSlowly(text), "pages: \(text)")
        // Pages are normalised after decoding, where `--` has become an en dash.
        let decoded = LaTeXDecoder.decode(text, mode: .plain)
        #expect(BibTeXMapping.normalizePages(decoded) == BibTeXMapping.normalizePagesSlowly(decoded), "pages: \(decoded)")
        #expect(BibTeXMapping.splitList(text) == referenceSplitList(text), "list: \(text)")
        #expect(BibTeXMapping.listItems(text) == BibTeXMapping.listItemsSlowly(text), "items: \(text)")
        var bytes = Array(text.utf8)
        for byte: UInt8 in [0xEF, 0x20, 0x00, 0x80, 0xFF] {
            let found = bytes.withUnsafeBufferPointer { BibTeXReader.containsByte($0, byte) }
            #expect(found == bytes.contains(byte))
        }
        bytes.append(0xEF)
        #expect(bytes.withUnsafeBufferPointer { BibTeXReader.containsByte($0, 0xEF) })
        #expect(BibTeXMapping.split(text[...], at: ";") == text.split(separator: ";"), "split ;: \(text)")
        #expect(BibTeXMapping.split(text[...], at: "=", maxSplits: 1) == text.split(separator: "=", maxSplits: 1),
            "split =: \(text)")
        #expect(BibTeXMapping.monthWords(text) == text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init),
            "month words: \(text)")
    }

    /// The list split as it was before its items were trimmed on bytes: the reference for ``BibTeXMapping/splitList(_:)``.
    static func referenceSplitList(_ value: String) -> [String] {
        var bytes = Array(value.bibTrimmed.utf8)
        func hasSeparator(_ bytes: ArraySlice<UInt8>, _ separator: UInt8) -> Bool {
            var depth = 0
            var index = bytes.startIndex
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "{") { depth += 1 }
                if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
                if byte == separator && depth == 0 { return true }
                index += 1
            }
            return false
        }
        if let inner = BibTeXNames.wholeGroup(bytes[...]), hasSeparator(inner, UInt8(ascii: ";")) { bytes = Array(inner) }
        let separator = hasSeparator(bytes[...], UInt8(ascii: ";")) ? UInt8(ascii: ";") : UInt8(ascii: ",")
        var items: [String] = []
        var start = 0
        var depth = 0
        var index = 0
        func add(_ range: Range<Int>) {
            var text = String(decoding: bytes[range], as: UTF8.self).bibTrimmed
            if text.utf8.first == UInt8(ascii: "{"), let inner = BibTeXNames.wholeGroup(Array(text.utf8)[...]) {
                text = String(decoding: inner, as: UTF8.self)
            }
            if !text.isEmpty { items.append(text) }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            if byte == separator && depth == 0 {
                add(start..<index)
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { add(start..<bytes.count) }
        return items
    }

    /// The first byte `byteMask` marks is the first byte that is the one looked for, wherever it stands in the
    /// word and whatever bytes (ASCII or not, equal or not) come before and after it.
    @Test("the biblatex sniff's byte search agrees with searching a lower-cased copy, on every corpus .bib file")
    func biblatexMarkersOnBytes() throws {
        var texts = ["", "@Online{x,", "DATE = {2020}", "Location={Paris}", "@MVBook{", "date\u{0301}=", "LANGİD", "@REPORT{a,"]
        for url in TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"]) {
            texts.append(String(decoding: try Data(contentsOf: url).prefix(8192), as: UTF8.self))
        }
        var found = 0
        for text in texts {
            for marker in BibTeXFormat.biblatexMarkers {
                let onBytes = text.containsASCIICaseInsensitive(marker)
                #expect(onBytes == text.lowercased().contains(marker.description), "\(marker) in \(text.prefix(40))")
                if onBytes { found += 1 }
            }
        }
        #expect(found >= 5)
    }

    @Test func byteMaskMarksTheFirstMatch() {
        var generator = SystemRandomNumberGenerator()
        let fillers: [UInt8] = [0x41, 0x7A, 0x7C, 0x7E, 0x80, 0xC3, 0xFF, 0x00, 0x01, 0x7B, 0x7D]
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in fillers.randomElement(using: &generator) ?? 0 }
            var word: UInt64 = 0
            for (index, byte) in bytes.enumerated() { word |= UInt64(byte) << (8 * UInt64(index)) }
            for target: UInt8 in [0x7B, 0x7D, 0x0A, 0x22, 0x00] {
                let mask = BibTeXScanner.byteMask(word, target)
                let first = bytes.firstIndex(of: target)
                #expect((mask == 0) == (first == nil))
                if let first { #expect(mask.trailingZeroBitCount >> 3 == first) }
            }
        }
    }

    /// Values whose braces, quotes, line ends and non-ASCII letters stand at every offset of an eight-byte word
    /// are read whole, and the next field's line and column are right.
    @Test func valuesWithStopsAtEveryOffset() throws {
        let stops = ["{x}", "é", "\n", "\r\n", "{\"}", "ü{ö}", "{}", "\n  "]
        for quoted in [false, true] {
            for stop in stops {
                for offset in 0..<20 {
                    let value = String(repeating: "a", count: offset) + stop + String(repeating: "b", count: 9 + offset % 5)
                    let head = "@misc{k,\n  note = " + (quoted ? "\"" + value + "\"" : "{" + value + "}") + ", "
                    let text = head + "title = {T}}\n"
                    var scanner = BibTeXScanner(reader: ByteReader(bytes: Array(text.utf8), fileName: "t.bib"),
                        options: ReaderOptions())
                    guard case .entry(let entry) = scanner.nextBlock() else {
                        Issue.record("no entry for \(value.debugDescription)")
                        continue
                    }
                    #expect(entry.fields.count == 2)
                    guard entry.fields.count == 2, let bytes = entry.fields[0].first.textBytes else { continue }
                    #expect(bytes == Array(value.utf8), "\(value.debugDescription)")
                    let lines = head.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
                    #expect(entry.fields[1].location.line == lines.count)
                    #expect(entry.fields[1].location.column == (lines.last?.count ?? 0) + 1)
                }
            }
        }
    }

    /// ORCID annotations read over bytes (ASCII) give what the Character path gives (forced by a non-ASCII item
    /// that names no person).
    @Test func orcidAnnotationsOverBytesAndCharacters() {
        let annotations = [
            "1=\"0000-0002-1825-0097\"", "1=\"0000-0002-1825-0097\"; 2 = 0000-0001-5109-3700 ", " 2=\"0000-0001-5109-3700\";;",
            "3=\"bad\"", "x=1", "=1=\"0000-0002-1825-0097\"", "2==\"0000-0002-1825-0097\"", "+1=0000-0002-1825-0097",
            "0=0000-0002-1825-0097", "4=0000-0002-1825-0097", "1=\"\"", "1=\"", "2=https://orcid.org/0000-0002-1825-0097",
            // Session 8 (the index and value trimmed and unquoted on the bytes): white space of every kind the trim
            // takes, quotes with space inside, a lone or unbalanced quote, leading zeros, a sign.
            " \t1\t=\t0000-0002-1825-009X\t", "1 =\n\"0000-0002-1825-0097\"\n", "1=\" 0000-0002-1825-0097 \"",
            "1=\"\"\"", "1=\"x", "1=\"0000-0002-1825-0097", "1=0000-0002-1825-0097\"", "01=0000-0002-1825-0097",
            "-1=0000-0002-1825-0097", "1\u{0B}=\u{0C}0000-0002-1825-0097", "2=\"\"0000-0001-5109-3700\"\"",
            "3 = \"0000-0001-5109-3700\" ; 1=\"0000-0002-1825-0097\"", "1= ", " = ", "1=\"\t\"",
        ]
        for annotation in annotations {
            func read(_ value: String) -> (orcids: [String?], kept: Bool) {
                let text = "@article{k, author = {A, B and C, D and E, F}, author+an:orcid = {\(value)}, title = {T}}\n"
                let record = BibTeXTest.read(text).compactMap(\.record).first
                return (record?.authors.map(\.orcid) ?? [], record?.extra["bibtex"]?["author+an:orcid"] != nil)
            }
            let bytes = read(annotation)
            let characters = read(annotation + "; é=0000-0002-1825-0097")
            #expect(bytes.orcids == characters.orcids, "\(annotation)")
            #expect(bytes.kept == characters.kept, "\(annotation)")
        }
    }

    /// An accent over a one-letter group (`\c{c}`, `\'{e}`) or a dotless letter (`\'{\i}`), which takes the
    /// table's composition at once, gives what the general path (the group decoded, then composed) gives.
    @Test func accentsOverOneLetterGroups() {
        let commands = ["'", "`", "^", "\"", "~", "=", ".", "u", "v", "H", "c", "k", "r", "b", "d", "t", "G", "h", "f",
            "textcommabelow"]
        for command in commands {
            guard let mark = LaTeXTables.accents[command] else { continue }
            for letter in UInt8(ascii: "A")...UInt8(ascii: "z") where BibTeXScanner.isLetter(letter) {
                let base = String(Unicode.Scalar(letter))
                for mode in [LaTeXDecoder.Mode.plain, .rich] {
                    #expect(LaTeXDecoder.decode("a\\\(command){\(base)}b", mode: mode)
                        == "a" + LaTeXDecoder.compose(base, mark) + "b", "\\\(command){\(base)}")
                }
            }
            for (dotless, base) in [("i", "ı"), ("j", "ȷ")] {
                #expect(LaTeXDecoder.decode("\\\(command){\\\(dotless)}", mode: .plain) == LaTeXDecoder.compose(base, mark))
            }
        }
    }

    /// Name lists and other mapping inputs at the edges of the byte paths: spacing, ties, commas, braces,
    /// control symbols, `and`/`others` in every place, CR LF, non-ASCII letters and spaces.
    @Test func mappingEdgeValues() {
        let values = [
            "", " ", "and", "others", "A and others", "others and A", "A and others and B", "A and", "and A", " and ",
            "A and and B", "{}", "{ }", "{A and B}", "{\\'E}mile Zola", "\\'Emile Zola", "Jean {\\'e}t{\\'e} Dupont",
            "von Last, Jr, First", "von Last, Jr, First, More, Most", "Last,", ",First", ",", ",,", "a , b",
            "A~B C", "A  B", "A\tB", "A\nB", "A \\ B", "A\\ B", "A\\,B, C", "A\r\nB", "Jean\u{00A0}Dupont",
            "Ludwig van Beethoven", "de la Fontaine, Jean", "Van Beethoven, Ludwig", "given={Jean Pierre}, family={Dupont}",
            "family=Beethoven, given=Ludwig, prefix=van, useprefix=true", "a = b", "Müller, Jörg", "Émile Zola",
            "ß Last", "{\\ss}ler, A", "\\O{}ster, B", "{\\O}ster, B", "A {B} C", "{A}{B} C", "A {B C} D, E F",
            "Smith, John AND Jones, Mary and OTHERS", "x\u{0301} y", "1--2", "12 -- 15", "3 - 4", "a–b", "e1 -- e5",
            "1=\"0000-0002-1825-0097\"; 2=x", "=1=x", "1==x", ";;", "a;b;", "June~15", "15 June", "Sept.", "jun",
            "10", "\r\n", "A\r\n-B", "é;x", "a\u{0301};b",
            "1–2", "1 — 2", "1‐2", "1−2", "1\u{00A0}–\u{00A0}2", "–\u{0301}2", "1–", "é–2", "\u{00A0}1", "1 \u{00A0}",
            "12\u{2013}", "\u{E2}", "a, b", " a ; b ;", "{a, b}, c", "{{a; b; c}}", "{ a }, { }, {}", "a\u{00A0}, b",
            " é , b", "a\t,\u{000B}b\u{000C}", "\\{a, b", "{a}{b}, c",
        ]
        for value in values { Self.checkMappingPaths(value) }
    }

    @Test func edgeValues() {
        let values = [
            "", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "10.1000/x_y", "http://e.org/a%20b", "\\url{x}",
            "x\\_y", "Müller", "a~b", "a--b", "$x$", "{A}", "it's", "``q''", "é\u{00A0}x", "\u{2028}", "a\u{0085}b",
            "\\href{http://x}{y}", "  10.1/x  ", "a\rb", "a\u{000B}b", "a\u{000C}b", "\u{FFFD}",
        ]
        for value in values { Self.check(Array(value.utf8)) }
        // Invalid UTF-8, and a valid U+FFFD beside an invalid byte.
        for bytes: [UInt8] in [[0x41, 0xE9, 0x42], [0xEF, 0xBF, 0xBD, 0x41], [0xEF, 0xBF, 0xBD, 0xFF], [0xC3], [0x80]] {
            Self.check(bytes)
        }
        for byte in UInt8(0)..<128 {
            Self.check([0x41, byte, 0x42])
            Self.check([byte])
        }
    }

    @Test func composedLettersMatchTheNormalisation() {
        let marks = Set(LaTeXTables.accents.values)
        var bases = (UInt8(ascii: "A")...UInt8(ascii: "z")).map { String(Unicode.Scalar($0)) }
        bases += ["ı", "ȷ", "", "ab", "ö", "1", "ß", "ıa", "\u{00A0}"]
        for mark in marks.union(["\u{0340}", "\u{0345}", "\u{20D7}"]) {
            for base in bases {
                #expect(LaTeXDecoder.compose(base, mark) == LaTeXDecoder.composeSlowly(base, mark),
                    "\(base) + U+\(String(mark.value, radix: 16))")
            }
        }
    }

    /// The encoder skips the NFC normalisation of text below U+0300: it would change nothing there.
    @Test func textBelowCombiningMarksIsNFC() {
        var all = String.UnicodeScalarView()
        for value in UInt32(1)..<0x300 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let single = String(scalar)
            #expect(LaTeXEncoder.isNFCByConstruction(single))
            #expect(single.precomposedStringWithCanonicalMapping == single)
            all.append(scalar)
        }
        #expect(String(all).precomposedStringWithCanonicalMapping == String(all))
        #expect(!LaTeXEncoder.isNFCByConstruction("o\u{0308}"))
        #expect(!LaTeXEncoder.isNFCByConstruction("\u{212B}"))
        #expect(LaTeXEncoder.encode("Mu\u{0308}ller", rich: false, ascii: true).latex == "M{\\\"u}ller")
    }

    /// The inert Greek and symbol scalars: alone, after a letter, and between letters, NFC leaves them as they are;
    /// the Latin decompositions are Foundation's.
    @Test func inertScalarsAndDecompositionsMatchFoundation() {
        // The constant table is the definition computed from Foundation's decompositions.
        for (slot, value) in (Array(0x370..<0x400) + Array(0x2000..<0x2C00)).enumerated() {
            let inert = Unicode.Scalar(UInt32(value)).map { scalar in
                scalar.properties.canonicalCombiningClass == .notReordered
                    && Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars) == [scalar]
            } ?? false
            #expect(LaTeXEncoder.isInertSlot(slot) == inert, "U+\(String(value, radix: 16))")
        }
        #expect(LaTeXEncoder.inertBits.count == (0x90 + 0xC00 + 63) / 64)
        for value in Array(0x370..<0x400) + Array(0x2000..<0x2C00) {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let texts = [String(scalar), "a" + String(scalar), "e" + String(scalar) + "x", String(scalar) + "\u{00E9}"]
            for text in texts where LaTeXEncoder.isNFCByConstruction(text) {
                #expect(text.precomposedStringWithCanonicalMapping == text, "U+\(String(value, radix: 16))")
            }
        }
        #expect(LaTeXEncoder.isNFCByConstruction("χ² ≤ 0.05 – β"))
        #expect(!LaTeXEncoder.isNFCByConstruction("\u{2126}"))
        #expect(!LaTeXEncoder.isNFCByConstruction("≤\u{0338}"))
        for value in UInt32(0x80)..<0x250 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(LaTeXEncoder.decomposition(scalar)
                == Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars))
        }
    }

    @Test func byteContainsMatchesFoundation() {
        let texts = ["", "a,b", "a;b", "ab", "p < 0.05", "Müller, A", "é", ",\u{0301}", "x\u{037E}y", "≮", "Ť1999",
            "1999-01-01T10:00", "a\\b"]
        for text in texts {
            for needle in [",", ";", "<", "T", "\\"] {
                #expect(text.bibContains(needle) == text.contains(needle), "\(text) \(needle)")
            }
        }
    }

    @Test func symbolAccentTableMatchesTheTable() {
        for byte in 0..<256 {
            #expect(LaTeXDecoder.symbolAccents[byte] == LaTeXTables.accents[String(Character(Unicode.Scalar(UInt8(byte))))])
        }
    }

    /// The one-lookup command table answers as the chain of tables does, for every name of the tables and others.
    @Test func commandKindTableMatchesTheTables() {
        var names = Set(LaTeXTables.accents.keys).union(LaTeXTables.symbols.keys).union(LaTeXTables.styleCommands.keys)
        names.formUnion(LaTeXTables.styleSwitches.keys)
        names.formUnion(LaTeXTables.neutralSwitches)
        names.formUnion(LaTeXTables.transparentCommands)
        names.formUnion(LaTeXTables.decodedCommands)
        names.formUnion(["textogonekcentered", "url", "unknown", "", "alpha", "href", "par", "G", "ij", "t"])
        for name in names {
            #expect(LaTeXDecoder.commandKinds[name] == LaTeXDecoder.commandKindSlowly(name), "\(name)")
        }
        #expect(LaTeXDecoder.commandKinds["textogonekcentered"] == nil)
        #expect(LaTeXDecoder.commandKinds["'"] == .accent("\u{0301}"))
    }

    @Test func leftoverLetterTableMatchesTheTest() {
        for value in 0x80..<0x250 {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            #expect(LaTeXDecoder.leftoverLetters[value - 0x80] == LaTeXDecoder.isLeftoverLetter(String(scalar)))
        }
        // The decoder reads the table for `{ö}`-style groups: a leftover letter is no case protection.
        #expect(BibTeXTest.rich("{Ö}sterreich") == "Österreich")
        #expect(BibTeXTest.rich("{γ}") == "<span class=\"nocase\">γ</span>")
    }

    /// Keys and identifiers read from the buffer at once keep line and column, also where a chunk of input ends
    /// inside them (the scanner reads 64 KiB at a time) and where they hold non-ASCII letters.
    @Test(arguments: ["key", "kéy", "a-very-long-citation-key-that-runs-on-2020"])
    func keysAcrossChunkBoundaries(key: String) {
        for shift in 0..<48 {
            let padding = String(repeating: "%", count: 65_536 - 40 + shift - 1) + "\n"
            let text = padding + "@article{" + key + ",\n  title = {T} author = {A},\n  Journal = {J},\n  note = jn\n}\n"
            let results = BibTeXTest.read(text)
            let records = results.compactMap(\.record)
            #expect(records.count == 1)
            #expect(records.first?.id == key)
            #expect(records.first?.containerTitle == "J")
            let warning = results.flatMap(\.diagnostics).first { $0.code == .bibtexMissingComma }
            #expect(warning?.location?.line == 3)
            #expect(warning?.location?.column == 15)
            let macro = results.flatMap(\.diagnostics).first { $0.code == .bibtexUndefinedMacro }
            #expect(macro?.location?.line == 5)
            #expect(macro?.location?.column == 10)
        }
    }

    /// Every value of every corpus file, through every fast path.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusValues() throws {
        let values = try BibTeXTest.corpusValueParts()
        for bytes in values { Self.check(bytes) }
        #expect(values.count > 1000)
    }
}
