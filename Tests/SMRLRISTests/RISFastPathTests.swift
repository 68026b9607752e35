import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The byte-level fast paths of the RIS reader and writer must give what the general code gives. Each test holds
/// the general (slow) form as a reference and compares over crafted edge cases and every value of the corpus.
@Suite("RIS fast paths agree with the general code")
struct RISFastPathTests {
    // MARK: References (the code the fast paths replaced)

    /// White space collapsed scalar by scalar (the general path of `collapseSpaces`).
    static func referenceCollapse(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.unicodeScalars.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The split on UTF-8 indices, walking the view one index at a time.
    static func referenceSplit(_ text: String, _ separator: UInt8, omittingEmpty: Bool) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.utf8.startIndex
        while index != text.utf8.endIndex {
            if text.utf8[index] == separator {
                if !(omittingEmpty && start == index) { pieces.append(text[start..<index]) }
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        if !(omittingEmpty && start == text.endIndex) { pieces.append(text[start..<text.endIndex]) }
        return pieces
    }

    /// The glued-tag search looking at every position.
    static func referenceGluedTag(_ value: [UInt8]) -> (tag: String, cut: Int, offset: Int)? {
        guard value.count >= 8 else { return nil }
        var index = 0
        let end = value.count
        while index + 7 < end {
            if value[index] == 0x20, value[index + 1] == 0x20 {
                var tagStart = index
                while tagStart < end, value[tagStart] == 0x20 { tagStart += 1 }
                if tagStart + 5 < end, Array(value[(tagStart + 2)..<(tagStart + 6)]) == [0x20, 0x20, 0x2D, 0x20],
                    value[tagStart] >= 0x41 && value[tagStart] <= 0x5A,
                    (value[tagStart + 1] >= 0x41 && value[tagStart + 1] <= 0x5A)
                        || (value[tagStart + 1] >= 0x30 && value[tagStart + 1] <= 0x39)
                {
                    let tag = String(decoding: value[tagStart..<(tagStart + 2)], as: UTF8.self)
                    let gluable: Set<String> = [
                        "AU", "A1", "A2", "A3", "A4", "TI", "T1", "T2", "T3", "PY", "DA", "Y1", "Y2", "VL", "IS", "SP",
                        "EP", "DO", "UR", "L1", "L2", "L3", "L4", "LK", "SN", "PB", "CY", "AB", "N1", "N2", "KW", "JO",
                        "JF", "JA", "J2", "ST", "ET", "AN", "DB", "DP", "LA", "M1", "M2", "M3", "C1", "C2", "C3", "C7",
                        "ID",
                    ]
                    if gluable.contains(tag) { return (tag, index, tagStart) }
                }
                index = tagStart
                continue
            }
            index += 1
        }
        return nil
    }

    /// White space trimmed scalar by scalar.
    static func referenceTrim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(text[start...end])
    }

    @Test("plain dates read on bytes agree with the general date grammar")
    func plainDates() {
        var values = ["2020", "0000", "0001", "0950", "2020/", "2020//", "2020///", "2020////", "2020/1/5/", "2020/10",
            "2020/10/", "2020/10//", "2020/10/17", "2020/10/17/", "2020/10/17/x", "2020/10/17/Spring", "2020///Spring",
            "2020/00/00", "2020/13//", "2020/02/31/", "2020/02/32/", "2020/00/15/", "0000/10/10/", " 2020", "2020 ",
            "2020/2021", "20200", "2020-10-17", "2020/ 10/", "2020/1a/", "9999/12/31/", "2020/12/31//"]
        for year in ["1999", "2024", "0100"] {
            for month in ["", "00", "01", "09", "12", "13", "1"] {
                for day in ["", "00", "01", "31", "32", "7"] {
                    for tail in ["", "/", "//", "/x"] { values.append(year + "/" + month + "/" + day + tail) }
                }
            }
        }
        for value in values {
            #expect(RISValues.date(value) == RISValues.generalDate(value), "\(value)")
        }
        #expect(RISValues.plainDate("2020/10//") == .date(EDTFDate(year: 2020, month: 10), other: nil))
    }

    @Test("trimmed decides non-ASCII ends on bytes as the scalar walk does")
    func trimming() {
        for value in Self.crafted + ["Šimić", "é ", " é", "\u{00A0}é", "é\u{3000}", "é\u{2009}", "é\u{200B}", "\u{1680}x",
            "x\u{205F}", "ü\u{0085}", "\u{0301}a", "a\u{0301}", "日本", "😀", "😀 ", "\u{7F}x", "x\u{1F}"]
        {
            #expect(value[...].trimmed == Self.referenceTrim(value), "\(value.debugDescription)")
        }
    }

    @Test("the scanner splits lines as ByteReader.readLine does, across chunk boundaries")
    func lineSplitting() {
        let inputs: [[UInt8]] = [
            Array("a\nb\r\nc\rd\r\r\ne\n\nf".utf8), Array("\r\n\r\n".utf8), Array("x\r".utf8), Array("".utf8),
            Array("only".utf8), Array("\n".utf8), Array("TY  - JOUR\r\nTI  - Núñez\r\nER  - \r\n".utf8),
            [0xEF, 0xBB, 0xBF] + Array("TY  - X\rER  - ".utf8), Array(repeating: 0x41, count: 40) + [0x0D, 0x0A, 0x42],
            [0xFF, 0xFE, 0x41, 0x00, 0x0D, 0x00, 0x0A, 0x00, 0x42, 0x00],
            // Lines longer than a chunk, a CR as the last byte of a chunk (its LF in the next), word-sized runs.
            Array(repeating: 0x61, count: 17) + [0x0D] + Array(repeating: 0x62, count: 15) + [0x0D, 0x0A, 0x0D],
            Array("1234567\r\n12345678\n123456789\r\r\n\n\r".utf8) + Array(repeating: 0x7A, count: 100),
            Array("é\u{2028}x\r\n\r\n\r\nTY  - JOUR\n".utf8) + Array(repeating: 0x20, count: 9),
        ]
        for input in inputs {
            for chunk in [1, 2, 3, 5, 7, 8, 9, 16, 64] {
                let expectedReader = ByteReader(source: MemoryByteSource(input), fileName: "x", chunkSize: chunk)
                var expected: [[UInt8]] = []
                var numbers: [Int] = []
                while let line = expectedReader.readLine() {
                    expected.append(line.bytes)
                    numbers.append(line.number)
                }
                var scanner = RISScanner(
                    reader: ByteReader(source: MemoryByteSource(input), fileName: "x", chunkSize: chunk),
                    maxRecordBytes: 1 << 20, dialect: .ris)
                var actual: [[UInt8]] = []
                var actualNumbers: [Int] = []
                while let line = scanner.readLine() {
                    actual.append(Array(line.bytes))
                    actualNumbers.append(line.number)
                }
                #expect(actual == expected, "\(input) chunk \(chunk)")
                #expect(actualNumbers == numbers, "\(input) chunk \(chunk)")
            }
        }
    }

    /// The one-line test of the writer, byte by byte.
    static func referenceSingleLine(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        var doubleSpace = false
        var bom = false
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte == 0x85)
                || (previous == 0x80 && (byte == 0xA8 || byte == 0xA9))
            {
                return false
            }
            if byte == 0x20 && previous == 0x20 { doubleSpace = true }
            if byte == 0xBF && previous == 0xBB && beforePrevious == 0xEF { bom = true }
            beforePrevious = previous
            previous = byte
        }
        guard let first = bytes.first, let last = bytes.last, first != 0x20 && last != 0x20 else { return false }
        if first >= 0x80 || last >= 0x80 {
            guard !bom, let head = value.unicodeScalars.first, let tail = value.unicodeScalars.last,
                !head.properties.isWhitespace, !tail.properties.isWhitespace
            else { return false }
        }
        return !doubleSpace || RISScanner.gluedTag(in: bytes[...]) == nil
    }

    @Test("the writer's one-line test agrees with the byte loop",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func singleLine() throws {
        var values = try Self.corpusValues()
        values += ["abcdefgh  DO  - 10.1/x", "abcdefg  DO  - 10.1/x", "abcdefghijklmno  AU  - Smith, J",
            "12345678\u{7F}", "1234567\u{FEFF}x", "ab\u{0085}cdefghij", "abcdefgh\u{2028}", "abcdefg        h"]
        // A non-ASCII letter early, then something to clean or a glued tag later, at every offset across words
        // (the scan goes back to whole words after a word with a non-ASCII byte).
        let text = "Abcdefghijklmnopqrstuvwxyz0123456789"
        for accent in [0, 3, 7, 8, 9] {
            for (offset, special) in [(11, "\u{1}"), (15, "  AU  - x"), (16, "\u{2028}"), (17, "\u{85}"), (23, "  "),
                (24, "\u{FEFF}"), (30, " "), (35, "é")]
            {
                var scalars = Array(text.unicodeScalars)
                scalars.insert(contentsOf: special.unicodeScalars, at: min(offset, scalars.count))
                scalars.insert("é", at: accent)
                values.append(String(String.UnicodeScalarView(scalars)))
            }
        }
        for value in values {
            #expect(RISRecordText.isSingleLine(value) == Self.referenceSingleLine(value), "\(value.debugDescription)")
        }
    }

    // MARK: Values

    static let crafted: [String] = [
        "", " ", "a", "plain title", "two  spaces", " lead", "trail ", "tab\there", "line\nbreak", "nbsp\u{00A0}here",
        "\u{00A0}edge\u{00A0}", "nel\u{0085}x", "ogham\u{1680}x", "en\u{2002}space", "hair\u{200A}x", "zw\u{200B}x",
        "ls\u{2028}ps\u{2029}x", "narrow\u{202F}x", "math\u{205F}x", "ideo\u{3000}x", "Núñez, María José",
        "Šimić, Anna", "χ² = 12.4", "1.2–2.6", "≥ 510", "é", "e\u{0301}", "a,\u{0301}b", "x,,y", ",", ";;", "a;b;c",
        "Smith, John, Jr.", "van Beethoven, Ludwig", "World Health Organization", "Smith JA", "Title   DO  - 10.1/x",
        "x  AU  - Smith", "x   KW  - y  N1  - z", "  TI  - x", "abc  ZZ  - no", "a  A1  - b", "p < 0.05", "<i>x</i>",
        "a<b", "H<sub>2</sub>O", "E = mc<sup>2</sup>", "<sc>Caps</sc>", "<span class=\"nocase\">DNA</span>", "</i>",
        "<B>bold?</B>", "< i>", "<\u{0301}i>", "\u{FEFF}TY  - JOUR",
    ]

    /// Every value of the corpus RIS files (the text after `XX  - `), and whole lines.
    static func corpusValues() throws -> [String] {
        var values = crafted
        for url in TestCorpus.files(in: "ris", extensions: ["ris", "nbib", "txt"]) {
            guard let data = try? Data(contentsOf: url) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                values.append(String(line))
                if let dash = line.range(of: "- ") { values.append(String(line[dash.upperBound...])) }
            }
        }
        return values
    }

    @Test("collapseSpaces and isCompact agree with the scalar walk (crafted values)")
    func collapseCrafted() {
        for value in Self.crafted {
            #expect(RISValues.collapseSpaces(value) == Self.referenceCollapse(value), "\(value.debugDescription)")
            if RISValues.isCompact(value) { #expect(Self.referenceCollapse(value) == value, "\(value.debugDescription)") }
        }
        // Every Unicode white-space scalar sends the value to the general path.
        for scalar in (0...0x3000).compactMap(Unicode.Scalar.init) where scalar.properties.isWhitespace && scalar != " " {
            let value = "a" + String(scalar) + "b"
            #expect(!RISValues.isCompact(value), "U+\(String(scalar.value, radix: 16))")
            #expect(RISValues.collapseSpaces(value) == "a b")
        }
    }

    @Test("the eight-byte scans agree with the byte loops at every offset of a word")
    func wordScans() {
        let base = Array("Abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let inserts: [[UInt8]] = [
            [0x20, 0x20], [0x20], [0x09], [0x01], [0x7F], [0xC2, 0xA0], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9],
            [0xE2, 0x80, 0x99], Array("  DO  - 10.1/x".utf8), Array("   KW  - y".utf8), Array(" ".utf8),
        ]
        for insert in inserts {
            for length in [0, 1, 6, 7, 8, 9, 15, 16, 17, 24] {
                for offset in 0...length {
                    var bytes = Array(base[..<length])
                    bytes.insert(contentsOf: insert, at: offset)
                    for value in [bytes, bytes + [0x20], [0x20] + bytes] {
                        let text = String(decoding: value, as: UTF8.self)
                        let compact = RISValues.isCompact(text)
                        #expect(!compact || Self.referenceCollapse(text) == text, "\(text.debugDescription)")
                        #expect(RISValues.collapseSpaces(text) == Self.referenceCollapse(text), "\(text.debugDescription)")
                        let fast = RISScanner.gluedTag(in: value[...])
                        let slow = Self.referenceGluedTag(value)
                        #expect(fast?.tag == slow?.tag && fast?.cut == slow?.cut && fast?.offset == slow?.offset,
                            "\(text.debugDescription)")
                        var separator = false
                        for index in value.indices where index + 2 < value.count {
                            if value[index] == 0xE2, value[index + 1] == 0x80, value[index + 2] & 0xFE == 0xA8 { separator = true }
                        }
                        #expect(RISScanner.containsLineSeparator(value[...]) == separator, "\(text.debugDescription)")
                    }
                }
            }
        }
        // A string with no space, control or non-ASCII byte is compact at any length.
        for length in 1...20 { #expect(RISValues.isCompact(String(decoding: base[..<length], as: UTF8.self))) }
    }

    @Test("byte fast paths agree with the general code over the corpus values",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusAgreement() throws {
        let values = try Self.corpusValues()
        #expect(values.count > 1000)
        for value in values {
            #expect(RISValues.collapseSpaces(value) == Self.referenceCollapse(value), "\(value.debugDescription)")
            for separator: UInt8 in [0x2C, 0x3B, 0x20] {
                for omitting in [true, false] {
                    #expect(value.splitASCII(separator, omittingEmpty: omitting).map(String.init)
                        == Self.referenceSplit(value, separator, omittingEmpty: omitting).map(String.init))
                }
            }
            let bytes = Array(value.utf8)
            let fast = RISScanner.gluedTag(in: bytes[...])
            let slow = Self.referenceGluedTag(bytes)
            #expect(fast?.tag == slow?.tag && fast?.cut == slow?.cut && fast?.offset == slow?.offset,
                "\(value.debugDescription)")
            if !RISRecordEncoder.mayHoldMarkup(value) { #expect(!RichText.hasMarkup(value), "\(value.debugDescription)") }
            #expect(RISLibraryTag.parse(value).map { "\($0.field):\($0.value)" }
                == LibraryTags.parse(value).map { "\($0.field):\($0.value)" })
            #expect(RISValues.date(value) == RISValues.generalDate(value), "\(value.debugDescription)")
            #expect(value[...].trimmed == Self.referenceTrim(value), "\(value.debugDescription)")
            let serials = RISValues.serialNumbers(value)
            let general = RISValues.generalSerialNumbers(value)
            #expect(serials.issn == general.issn && serials.isbn == general.isbn && serials.rest == general.rest,
                "\(value.debugDescription)")
        }
    }

    @Test("splitASCII, glued tags, serial numbers and markup checks on crafted values")
    func craftedAgreement() {
        let serials = [
            "1932-8494", "19328494", "1932-849X", "1932-849x", "0028-0836", "978-1-4822-5326-9", "9781482253269",
            "1932-8494; 1932-8486", "2325-9671 (electronic)", "ISSN1932-8494", "abc", "1932-8494\r\n1932-8486",
        ]
        for value in serials {
            let fast = RISValues.serialNumbers(value)
            let general = RISValues.generalSerialNumbers(value)
            #expect(fast.issn == general.issn && fast.isbn == general.isbn && fast.rest == general.rest, "\(value)")
        }
        for value in Self.crafted {
            for separator: UInt8 in [0x2C, 0x3B, 0x20] {
                for omitting in [true, false] {
                    #expect(value.splitASCII(separator, omittingEmpty: omitting).map(String.init)
                        == Self.referenceSplit(value, separator, omittingEmpty: omitting).map(String.init))
                }
            }
            let bytes = Array(value.utf8)
            let fast = RISScanner.gluedTag(in: bytes[...])
            let slow = Self.referenceGluedTag(bytes)
            #expect(fast?.tag == slow?.tag && fast?.cut == slow?.cut && fast?.offset == slow?.offset,
                "\(value.debugDescription)")
            if !RISRecordEncoder.mayHoldMarkup(value) { #expect(!RichText.hasMarkup(value), "\(value.debugDescription)") }
        }
        #expect(RISRecordEncoder.mayHoldMarkup("<i>x</i>"))
        #expect(!RISRecordEncoder.mayHoldMarkup("p < 0.05 and q<0.1"))
        // Odd and even offsets of the double space both find the glued tag.
        #expect(RISScanner.gluedTag(in: Array("ab  DO  - 10.1/x".utf8)[...])?.tag == "DO")
        #expect(RISScanner.gluedTag(in: Array("abc  DO  - 10.1/x".utf8)[...])?.tag == "DO")
    }

    @Test("library tags: the byte parser and apply agree with LibraryTags")
    func libraryTags() {
        var keywords = [
            "smrl:domain:community-engagement", "SMRL:Domain:Community-Engagement", "smrl:domain: spaced",
            "smrl:domain:", "smrl:domain", "smrl:domainx:y", "smrl:topic:a b", "smrl:topic:é", "smrl:topic:x ",
            "smrl:open-access:true", "smrl:open-access:TRUE", "smrl:open-access:yes", "smrl:open-access:0",
            "smrl:open-access:maybe", "smrl:resource-type:peer-reviewed-article", "smrl:profession:pharmacy",
            "smrl:profession:a:b", "smrl::x", "smrl:Resource-Type:x", "smrl:topic:\u{00A0}x", "smrl:topic:x\ty",
            "smrlx:domain:y", "keyword", "smrl:",
        ]
        for field in LibraryTags.Field.allCases { keywords.append(LibraryTags.tag(field, "value-1")) }
        for keyword in keywords {
            let fast = RISLibraryTag.parse(keyword)
            let slow = LibraryTags.parse(keyword)
            #expect(fast?.field == slow?.field && fast?.value == slow?.value, "\(keyword)")
            if let fast {
                var viaFast = Resource(type: .document)
                var viaCore = Resource(type: .document)
                let appliedFast = RISLibraryTag.apply(fast.field, fast.value, to: &viaFast)
                let appliedCore = LibraryTags.apply(keyword, to: &viaCore)
                #expect(appliedFast == appliedCore, "\(keyword)")
                #expect(viaFast == viaCore, "\(keyword)")
            }
        }
    }

    @Test("tag set and a record's tag chains behave as Set and Dictionary")
    func tagTables() {
        let tags = ["TY", "AU", "A1", "C7", "PMID", "FAU", "au", "Ä1", "ER", "AU", "KW", "KW", "DO", "Y2", "TI", "T1", "AU"]
        var set = RISTagSet()
        var reference: Set<String> = []
        var record = RISRawRecord(dialect: .ris, line: 1)
        var dictionary: [String: [RISField]] = [:]
        for (number, tag) in tags.enumerated() {
            let field = RISField(tag: tag, lines: ["v\(number)"], line: number + 1, column: 7)
            record.append(field)
            dictionary[tag, default: []].append(field)
            if number % 2 == 0 {
                set.insert(named: tag)
                reference.insert(tag)
            }
        }
        for tag in tags + ["XX", "PM", "PMI", "T2", ""] {
            #expect(set.contains(named: tag) == reference.contains(tag), "\(tag)")
            // Tags that do not pack into a code (`Ä1`, the empty tag) are not chained; the scanner makes none.
            let expected = RISTag(tag).isPacked ? dictionary[tag]?.map(\.lines) ?? [] : []
            #expect(record.fields(RISTag(tag)).map(\.lines) == expected, "\(tag)")
            #expect(record.has(RISTag(tag)) == !expected.isEmpty, "\(tag)")
            #expect(record.first(RISTag(tag))?.lines == expected.first, "\(tag)")
        }
        #expect(record.fields.map(\.tag) == tags)
        record.removeAllFields()
        #expect(record.fields.isEmpty && !record.has("AU") && record.fields("AU").isEmpty)
    }

    @Test("a record's tag chains stay right past the size of their hash table")
    func manyTags() {
        var record = RISRawRecord(dialect: .medline, line: 1)
        var dictionary: [String: [Int]] = [:]
        var order: [String] = []
        // 300 distinct tags of two to four characters, each twice or three times, interleaved.
        for round in 0..<3 {
            for number in 0..<300 {
                let tag = "T" + String(number, radix: 36).uppercased()
                if round == 2 && number % 3 != 0 { continue }
                let position = record.fields.count
                record.append(RISField(tag: tag, value: "\(position)", line: position + 1, column: 7))
                if dictionary[tag] == nil { order.append(tag) }
                dictionary[tag, default: []].append(position)
            }
        }
        for tag in order + ["ZZZZ", "Q"] {
            #expect(record.fields(RISTag(tag)).map(\.value) == (dictionary[tag] ?? []).map(String.init), "\(tag)")
        }
        // Tags the record lacks, whatever their bit in the record's tag mask: none found; with few tags (most
        // bits clear) the same.
        var small = RISRawRecord(dialect: .ris, line: 1)
        for tag in ["TY", "AU", "TI", "PY", "KW"] { small.append(RISField(tag: tag, value: tag, line: 1, column: 7)) }
        for number in 0..<2000 {
            let absent = "U" + String(number, radix: 36).uppercased()
            #expect(!record.has(RISTag(absent)) && record.first(RISTag(absent)) == nil && record.fields(RISTag(absent)).isEmpty, "\(absent)")
            #expect(!small.has(RISTag(absent)) && small.firstPosition(RISTag(absent)) == -1, "\(absent)")
        }
        for tag in ["TY", "AU", "TI", "PY", "KW"] {
            #expect(small.has(RISTag(tag)) && small.first(RISTag(tag))?.value == tag, "\(tag)")
        }
    }

    @Test("values with non-ASCII white space at the ends and line separators still read as before")
    func nonASCIIValues() throws {
        let records = try RISTest.records(
            "TY  - JOUR\r\nTI  - \u{00A0}Title\u{2028}second\u{00A0}\r\nAU  - Núñez, María\r\nER  - \r\n")
        #expect(records.first?.title == "Title second")
        #expect(records.first?.authors.first?.family == "Núñez")
        let legacy = try RISTest.results(bytes: Array("TY  - JOUR\nTI  - Caf".utf8) + [0xE9] + Array("\nER  - \n".utf8))
        #expect(legacy.first?.record?.title == "Café")
        #expect(legacy.first?.diagnostics.contains { $0.code == .legacyEncoding } == true)
    }
}
