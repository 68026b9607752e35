import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

extension RISScanner {
    /// True when the two buffers hold the same bytes (compared eight at a time): the compare of the decoding by
    /// repair below.
    static func sameBytes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = left.count
        guard count == right.count else { return false }
        guard count > 0, let a = left.baseAddress, let b = right.baseAddress else { return true }
        var index = 0
        while index + 8 <= count {
            if ByteWord.load(a, index) != ByteWord.load(b, index) { return false }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    /// The value decoding that ``RISScanner/decodeChecked(_:)`` replaced (session 9): the bytes decoded with repair
    /// by the standard library, valid UTF-8 exactly when the text's bytes are the input's; the line separator
    /// search done apart (``RISScanner/containsLineSeparator(_:)``).
    static func decodeTextSlowly(_ bytes: ArraySlice<UInt8>) -> (text: String, legacy: Bool, lineSeparator: Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            let text = String(decoding: buffer, as: UTF8.self)
            let same = text.withUTF8Bytes { decoded in sameBytes(decoded, buffer) }
            return same ? (text, false, containsLineSeparator(bytes)) : (TextDecoding.decodeWindows1252(buffer), true, false)
        }
    }
}

/// Session 10 of the RIS reading speed work (issue 7): values are checked as UTF-8 once, by the scanner's own check
/// (which also notes line separators and whether the bytes are ASCII), and made into Strings without the standard
/// library validating them again. The decoding must give what the decoding by repair and compare gave, and the
/// Strings made must behave as any other String of the same text.
@Suite("RIS values decoded by one UTF-8 check")
struct RISCheckedDecodingTests {
    /// Every byte string compared: the crafted edge cases, every corpus line (RIS, MEDLINE, Web of Science, Ovid,
    /// BibTeX, some in Windows-1252), and each line's value alone (what the scanner decodes).
    static func cases() -> [[UInt8]] {
        var cases = RISReadSpeedPathTests.craftedBytes
        for first in UInt8(0)...0xFF {
            cases.append([first])
            if first >= 0xC0 { for second in UInt8(0x70)...0xC5 { cases.append([first, second]) } }
        }
        // A sequence that is not ASCII at every offset of two words, so that the word skip stops at each place.
        for sequence: [UInt8] in [[0xC3, 0xA9], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xE2, 0x80, 0xAA], [0xF0, 0x9F, 0x8E, 0x93],
            [0xE9], [0xE2, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0x80]]
        {
            for offset in 0...17 {
                cases.append(Array(repeating: 0x61, count: offset) + sequence + Array(repeating: 0x62, count: 16 - offset % 9))
                cases.append(Array(repeating: 0x61, count: offset) + sequence)
            }
        }
        if TestCorpus.isAvailable {
            for line in RISReadSpeedPathTests.corpusLines() {
                cases.append(line)
                // The value after a tag (`XX  - `, `XXXX- `), as the scanner cuts it.
                if line.count > 6 { cases.append(Array(line[6...])) }
            }
        }
        return cases
    }

    @Test("the one-check decoding gives the decoding by repair and compare, and TextDecoding's, on every case")
    func sameAsRepairAndCompare() {
        let cases = Self.cases()
        var legacy = 0
        var separators = 0
        for bytes in cases {
            // A slice that does not start at index 0, as the scanner's values do.
            let padded = [UInt8(0x20)] + bytes
            let new = RISScanner.decodeChecked(padded[1...])
            let old = RISScanner.decodeTextSlowly(padded[1...])
            let reference = TextDecoding.decode(bytes)
            #expect(Array(new.text.utf8) == Array(old.text.utf8), "\(bytes)")
            #expect(Array(new.text.utf8) == Array(reference.text.utf8), "\(bytes)")
            #expect(new.legacy == old.legacy && new.legacy == reference.legacy, "\(bytes)")
            #expect(new.lineSeparator == old.lineSeparator, "\(bytes)")
            // The String made without validation behaves as the validated one: equal, same hash, same scalars,
            // same order against others.
            #expect(new.text == old.text, "\(bytes)")
            #expect(new.text.hashValue == old.text.hashValue, "\(bytes)")
            #expect(Array(new.text.unicodeScalars) == Array(old.text.unicodeScalars), "\(bytes)")
            #expect(new.text.count == old.text.count, "\(bytes)")
            #expect((new.text < "m") == (old.text < "m") && (new.text < "é") == (old.text < "é"), "\(bytes)")
            #expect(RISScanner.decodeText(padded[1...]).text == old.text, "\(bytes)")
            if new.legacy { legacy += 1 }
            if new.lineSeparator { separators += 1 }
        }
        #expect(legacy > 100)
        #expect(separators > 10)
    }

    @Test("the UTF-8 check answers as String decoding does, its ASCII answer is exact, and it finds every line separator")
    func checkOnEveryCase() {
        var random = SystemRandomNumberGenerator()
        var cases = Self.cases()
        // Random damage: bytes from a small alphabet of ASCII, lead and continuation bytes.
        let alphabet: [UInt8] = [0x41, 0x20, 0x80, 0x8F, 0xA8, 0xA9, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...24, using: &random)
            cases.append((0..<count).map { _ in alphabet.randomElement(using: &random)! })
        }
        for bytes in cases {
            let check = bytes.withUnsafeBufferPointer { RISScanner.utf8Check($0) }
            let valid = Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
            #expect(check.valid == valid, "\(bytes)")
            #expect(bytes.withUnsafeBufferPointer { RISScanner.isValidUTF8($0) } == valid, "\(bytes)")
            if valid {
                #expect(check.ascii == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)")
                #expect(check.lineSeparator == RISByteStoreTests.referenceLineSeparator(bytes), "\(bytes)")
            }
        }
    }

    @Test("strings made from checked bytes: empty, small, large, ASCII and not")
    func madeStrings() {
        for text in ["", "a", "JOUR", "exactly fifteen", "sixteen bytes!!!", "Núñez", "χ² = 12.4 – p ≤ 0.05, and more text here", "🎓",
            String(repeating: "abstract ", count: 200) + "é"]
        {
            let bytes = Array(text.utf8)
            let made = bytes.withUnsafeBufferPointer { buffer in
                UTF8Strings.string(validUTF8: buffer, ascii: bytes.allSatisfy { $0 < 0x80 })
            }
            #expect(made == text)
            #expect(made.hashValue == text.hashValue)
            #expect(Array(made.utf8) == bytes)
            #expect(made.count == text.count)
            #expect(Set([made, text]).count == 1)
        }
    }

    /// Reads `bytes` with the one-check decoding and with the reference decoding; returns both readings.
    static func bothDecodings(_ bytes: [UInt8], chunk: Int = 1 << 16) -> (new: [RISByteStoreTests.Reading], old: [RISByteStoreTests.Reading]) {
        (
            RISByteStoreTests.readings(bytes, chunk: chunk) { _ in },
            RISByteStoreTests.readings(bytes, chunk: chunk) { $0.referenceDecoding = RISScanner.decodeTextSlowly }
        )
    }

    /// Hand-made inputs: every line ending, a BOM, Windows-1252 bytes, tags with one space or none before the dash,
    /// continuation lines, empty values, a missing `ER`, a very long line, DOIs as links, ISBN lists, line
    /// separators, non-ASCII white space at the ends of values, MEDLINE text.
    static let hardCases: [[UInt8]] = {
        let abstract = String(repeating: "Rural background (OR 1.8, 95% CI 1.2–2.6; p ≤ 0.05) χ² = 12.4. ", count: 400)
        var texts: [String] = [
            "TY  - JOUR\r\nTI  - Crlf title é\r\nAU  - Núñez, María\r\nAB  - \(abstract)\r\nER  - \r\n",
            "TY  - JOUR\rTI  - CR only é\rAU  - Smith, J\rN1  - note\u{2028}second\u{2029}third\rER  - \r",
            "\u{FEFF}TY  - BOOK\nTI - one space\nT2 -  none before\nSN  - 978-0-306-40615-7; 0-306-40615-2, 1234-5679 (Print)\nER  - \n",
            "TY  - JOUR\nTI  - \nAB  - first line é\n  continued line\n\n  after blank\nKW  - \nER  - \n",
            "TY  - JOUR\nDO  - https://doi.org/10.1000/XYZ-é\nUR  - https://doi.org/10.1000/abc http://x.org/y\nL1  - doi:10.5555/1\nER  - \n",
            "TY  - JOUR\nTI  - \u{00A0}Non-breaking ends\u{3000}\nT2  - \u{2003}Em space\nPB  - Ü\nER  - \n",
            "TY  - JOUR\nTI  - no end record é\nAU  - Last, First\n",
            "TY  - JOUR\nTI  - Title  PY  - 2020 glued é\nER  - \nTY  - CHAP\nTI  - \u{1F393} cap 🎓\nER  - \n",
            "PMID- 12345678\nTI  - MEDLINE title é\n      continued\nFAU - Müller, Anna\nAB  - \(abstract)\nLID - 10.1000/x [doi]\n\n",
        ]
        texts.append("TY  - JOUR\nTI  - " + String(repeating: "long value é ", count: 20_000) + "\nER  - \n")
        var cases = texts.map { Array($0.utf8) }
        // Windows-1252 bytes (é as 0xE9, curly quotes 0x93/0x94) and broken sequences in several tags.
        cases.append(Array("TY  - JOUR\nTI  - Caf".utf8) + [0xE9] + Array("\nAB  - ".utf8) + [0x93, 0x71, 0x94]
            + Array("\nN1  - a".utf8) + [0xE2, 0x80] + Array("\nT2  - ok é\nER  - \n".utf8))
        cases.append(Array("PMID- 1\nTI  - M".utf8) + [0xFC] + Array("ller\n      more ".utf8) + [0xC3] + Array("\n\n".utf8))
        return cases
    }()

    @Test("hand-made inputs read the same with the one-check decoding and with the reference decoding")
    func hardCasesReadTheSame() {
        for input in Self.hardCases {
            for chunk in [5, 64, 1 << 16] {
                let (new, old) = Self.bothDecodings(input, chunk: chunk)
                #expect(new == old, "\(String(decoding: input.prefix(80), as: UTF8.self).debugDescription) chunk \(chunk)")
            }
        }
    }

    @Test(
        "every RIS and MEDLINE corpus file reads the same with the one-check decoding and with the reference decoding",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusReadsTheSame() throws {
        let files = TestCorpus.files(in: "ris", extensions: ["ris", "nbib", "txt", "isi", "ovd"])
        #expect(!files.isEmpty)
        var records = 0
        for url in files {
            let bytes = [UInt8](try Data(contentsOf: url))
            let (new, old) = Self.bothDecodings(bytes)
            #expect(new.count == old.count, "\(url.lastPathComponent)")
            records += new.count
            if let first = new.indices.first(where: { $0 < old.count && new[$0] != old[$0] }) {
                Issue.record("\(url.lastPathComponent) record \(first): \(new[first]) ≠ \(old[first])")
            }
        }
        #expect(records > 100)
    }

    // MARK: Keywords and names read from stored bytes

    /// Keyword lines: the corpus's `KW`, `OT` and `MH` values, the values of the fast path tests, and library tags
    /// in every shape around the one-pass test (case, `;`, spaces, control and non-ASCII bytes, colons, no value).
    static func keywordLines() throws -> [String] {
        var lines = try RISValueFastPathTests.values()
        lines += [
            "smrl:topic:x", "SMRL:Topic:x", "smrl:domain:students-faculty", "smrl:topic:x;y", "smrl:topic:x; y",
            "smrl:open-access:maybe", "smrl:open-access:TRUE", "smrl:open-access:no", "smrl:topic:x\u{7F}",
            "smrl:topic:\u{1F}x", "smrl:topic:", "smrl::x", "smrl:topic:a:b", "smrl:resource-type:case-study",
            "smrl:profession:nursing", "smrl:domain:é", "smrl:domain:a b", "smrl:domain: a", "smrl:topics:x",
            "smrl:unknown:x", "smrl:", "smrl:x", "smrl:topic:x ", " smrl:topic:x", "smrl-topic:x", "smrk:topic:x",
            "smrl:TOPIC:X", "smrl:topic:~!@#$%^&*()_+{}|<>?", "plain keyword", "a;b", ";", "smrl:domain:x\ty",
        ]
        if TestCorpus.isAvailable {
            for line in RISReadSpeedPathTests.corpusLines() where line.count > 6 {
                let tag = String(decoding: line.prefix(4), as: UTF8.self)
                if tag.hasPrefix("KW") || tag.hasPrefix("OT") || tag.hasPrefix("MH") || tag.hasPrefix("AU") {
                    lines.append(String(decoding: line[6...], as: UTF8.self))
                }
            }
        }
        return lines
    }

    @Test("the one-pass library tag test answers only where the old tests pass, and as the old parser does")
    func plainLibraryTags() throws {
        var found = 0
        for line in try Self.keywordLines() {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                guard let plain = RISLibraryTag.plainTag(bytes: buffer) else { return }
                found += 1
                #expect(!buffer.contains(0x3B) && RISValues.isCompact(bytes: buffer), "\(line.debugDescription)")
                let parsed = RISLibraryTag.fastParse(bytes: buffer)
                #expect(parsed?.field == plain.field && parsed?.value == plain.value, "\(line.debugDescription)")
                #expect(plain.value.count == plain.value.utf8.count)
            }
        }
        #expect(found >= 8)
    }

    /// ``RISValues/commaPerson(bytes:)`` as it was: the parts made by `String(decoding:as:)`.
    static func commaPersonSlowly(_ bytes: UnsafeBufferPointer<UInt8>) -> Person? {
        guard let split = RISValues.plainCommaSplit(bytes) else { return nil }
        let familyBytes = UnsafeBufferPointer(rebasing: bytes[..<split.familyEnd])
        let family = String(decoding: familyBytes, as: UTF8.self)
        let given = String(decoding: UnsafeBufferPointer(rebasing: bytes[split.givenStart...]), as: UTF8.self)
        guard RISValues.mayStartWithParticle(familyBytes) else { return Person(family: family, given: given) }
        var person = Person()
        person.given = given
        RISValues.splitParticle(family, into: &person)
        return person
    }

    @Test("names and keyword lines read from bytes as before, with Strings that behave as validated ones")
    func namesAndKeywords() throws {
        for line in try Self.keywordLines() {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                let new = RISValues.commaPerson(bytes: buffer)
                let old = Self.commaPersonSlowly(buffer)
                #expect(RISValueFastPathTests.describe(new) == RISValueFastPathTests.describe(old), "\(line.debugDescription)")
                for (made, reference) in [(new?.family, old?.family), (new?.given, old?.given)] {
                    guard let made, let reference else { continue }
                    #expect(made.count == reference.count && made.hashValue == reference.hashValue, "\(line.debugDescription)")
                    #expect(Array(made.unicodeScalars) == Array(reference.unicodeScalars), "\(line.debugDescription)")
                }
                let person = RISValues.person(bytes: buffer)
                #expect(RISValueFastPathTests.describe(person) == RISValueFastPathTests.describe(RISValues.person(line)), "\(line.debugDescription)")
            }
            // The keyword line read from its bytes as the keyword loop reads the String.
            RISByteStoreTests.expectSameKeywordReading(line)
        }
    }
}

@Suite("RIS tag set")
struct RISTagSetTests {
    @Test("the tag set answers as a Set for every two-character tag and for tags that do not pack")
    func everyTag() {
        var names: [String] = []
        for first in UInt8(0x30)...0x5A {
            for second in UInt8(0x30)...0x5A { names.append(String(decoding: [first, second], as: UTF8.self)) }
        }
        names += ["PMID", "FAU", "au", "Ä1", "", "ABCDE", "0", "Z"]
        var set = RISTagSet()
        var reference: Set<String> = []
        for (index, name) in names.enumerated() where index % 3 == 0 || index % 7 == 1 {
            set.insert(named: name)
            reference.insert(name)
        }
        // The first and the last bit of the table, and a copy that changes on its own.
        set.insert(named: "00")
        reference.insert("00")
        set.insert(named: "ZZ")
        reference.insert("ZZ")
        var copy = set
        copy.insert(named: "Q7")
        for name in names {
            #expect(set.contains(named: name) == reference.contains(name), "\(name)")
            #expect(copy.contains(named: name) == (reference.contains(name) || name == "Q7"), "\(name)")
            if RISTag(name).isPacked { #expect(set.contains(RISTag(name)) == reference.contains(name), "\(name)") }
        }
        let made = RISTagSet(["TY", "AU", "PMID"])
        #expect(made.contains("TY") && made.contains("AU") && made.contains("PMID") && !made.contains("KW"))
    }
}
