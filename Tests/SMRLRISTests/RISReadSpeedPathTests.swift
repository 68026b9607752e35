import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The shortcuts of the RIS reading speed work (issue 7) must give what the code they replaced gave: the value
/// decoding (repair and compare instead of validating), the ISSN byte pre-check, the particle split's first-byte
/// test, the type look-up of upper-case codes, the single-line fields and the marking of field locations.
@Suite("RIS reading shortcuts agree with the general code")
struct RISReadSpeedPathTests {
    // MARK: Value decoding

    /// Byte strings around the UTF-8 edge cases: valid multi-byte text, U+FFFD itself, Windows-1252 bytes,
    /// truncated and overlong sequences, surrogates, code points past U+10FFFF, CR, tabs and empty input.
    static let craftedBytes: [[UInt8]] = {
        var cases: [[UInt8]] = [
            [], Array("plain ASCII".utf8), Array("Müller, Anna".utf8), Array("χ² = 12.4 – p ≤ 0.05".utf8),
            Array("replacement \u{FFFD} kept".utf8), [0xEF, 0xBF, 0xBD], Array("emoji 🎓 and 漢字".utf8),
            [0x43, 0x61, 0x66, 0xE9], [0x93, 0x71, 0x75, 0x6F, 0x74, 0x65, 0x94], [0x80], [0xFF], [0xC3],
            [0xC3, 0x28], [0xE2, 0x80], [0xE2, 0x80, 0x41], [0xF0, 0x9F, 0x8E], [0xC0, 0xAF], [0xE0, 0x80, 0xAF],
            [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
            Array("line\u{2028}separator\u{2029}".utf8), Array("tab\there\r".utf8), [0x00, 0x41, 0x00],
        ]
        // Each bad byte at every offset of a word-sized run, so that both the eight-byte and the byte loops meet it.
        for bad: [UInt8] in [[0xE9], [0xC3], [0xEF, 0xBF, 0xBD], [0xE2, 0x80, 0xA8]] {
            for offset in 0...17 {
                var bytes = Array(repeating: UInt8(0x61), count: offset)
                bytes += bad
                bytes += Array(repeating: UInt8(0x62), count: 17 - offset)
                cases.append(bytes)
            }
        }
        return cases
    }()

    /// Every line of every corpus file of the RIS folder, and of the BibTeX files (some in Windows-1252 or other
    /// legacy encodings), as bytes.
    static func corpusLines() -> [[UInt8]] {
        var lines: [[UInt8]] = []
        let files = TestCorpus.files(in: "ris", extensions: ["ris", "nbib", "txt", "isi", "ovd"])
            + TestCorpus.files(in: "bibtex", extensions: ["bib"])
        for url in files {
            guard let data = try? Data(contentsOf: url) else { continue }
            var line: [UInt8] = []
            for byte in data {
                if byte == 0x0A || byte == 0x0D {
                    if !line.isEmpty { lines.append(line) }
                    line.removeAll(keepingCapacity: true)
                } else {
                    line.append(byte)
                }
            }
            if !line.isEmpty { lines.append(line) }
        }
        return lines
    }

    static func expectSameDecoding(_ bytes: [UInt8]) {
        let fast = RISScanner.decodeText(bytes[...])
        let reference = TextDecoding.decode(bytes)
        #expect(fast.text == reference.text, "\(bytes)")
        #expect(Array(fast.text.utf8) == Array(reference.text.utf8), "\(bytes)")
        #expect(fast.legacy == reference.legacy, "\(bytes)")
        // A slice that does not start at index 0.
        let padded = [UInt8(0x20)] + bytes
        let sliced = RISScanner.decodeText(padded[1...])
        #expect(Array(sliced.text.utf8) == Array(reference.text.utf8), "\(bytes)")
        #expect(sliced.legacy == reference.legacy, "\(bytes)")
    }

    @Test("decoding by repair and compare equals UTF-8 validation with the Windows-1252 fallback (crafted)")
    func decodingCrafted() {
        for bytes in Self.craftedBytes { Self.expectSameDecoding(bytes) }
        // Every single byte and every two-byte pair with a lead byte.
        for first in UInt8(0)...0xFF {
            Self.expectSameDecoding([first])
            if first >= 0xC0 { for second in UInt8(0x70)...0xC5 { Self.expectSameDecoding([first, second]) } }
        }
    }

    @Test(
        "decoding by repair and compare equals UTF-8 validation on every corpus line",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func decodingCorpus() {
        let lines = Self.corpusLines()
        #expect(lines.count > 1000)
        var legacy = 0
        for bytes in lines {
            Self.expectSameDecoding(bytes)
            if TextDecoding.decode(bytes).legacy { legacy += 1 }
        }
        // The corpus holds Windows-1252 lines: the fallback was compared too.
        #expect(legacy > 0)
    }

    static func expectSameScan(_ bytes: [UInt8]) {
        let padded = [UInt8(0x41)] + bytes
        let scan = RISScanner.scanValue(padded[1...])
        #expect(scan.ascii == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)")
        let pair = bytes.indices.dropLast().contains { bytes[$0] == 0x20 && bytes[$0 + 1] == 0x20 }
        #expect(scan.spacePair == pair, "\(bytes)")
        if scan.ascii { #expect(RISScanner.hasControlByte(padded[1...]) == bytes.contains { $0 < 0x20 }, "\(bytes)") }
        // The scan's control answer is the separate scan's, for every value (exact where both are: ASCII bytes).
        #expect(scan.control == RISScanner.hasControlByte(padded[1...]), "\(bytes)")
        if scan.ascii { #expect(scan.control == bytes.contains { $0 < 0x20 }, "\(bytes)") }
        // Without the control question (abstracts), the other two answers are the same and the control one false.
        let noControl = RISScanner.scanValue(padded[1...], control: false)
        #expect(noControl.ascii == scan.ascii && noControl.spacePair == scan.spacePair && !noControl.control, "\(bytes)")
        // Without two spaces in a row, the glued-tag search (which the scan now gates) finds nothing.
        if !pair { #expect(RISScanner.gluedTag(in: padded[1...]) == nil, "\(bytes)") }
    }

    @Test("the value scan finds non-ASCII bytes and pairs of spaces at every offset, and on every corpus line")
    func valueScan() {
        for count in 0...24 {
            for first in 0..<count {
                var bytes = Array(repeating: UInt8(0x61), count: count)
                bytes[first] = 0x20
                Self.expectSameScan(bytes)
                if first + 1 < count {
                    bytes[first + 1] = 0x20
                    Self.expectSameScan(bytes)
                }
                var high = Array(repeating: UInt8(0x20), count: count)
                high[first] = 0xC3
                Self.expectSameScan(high)
                // A control byte (and bytes next to the range) at every offset, in the word loop and after it.
                for byte: UInt8 in [0x00, 0x09, 0x1F, 0x20, 0x7F, 0x85, 0x9F] {
                    var control = Array(repeating: UInt8(0x61), count: count)
                    control[first] = byte
                    Self.expectSameScan(control)
                }
            }
        }
        for bytes in Self.craftedBytes { Self.expectSameScan(bytes) }
        for text in ["AB  - text  TI  - glued", "x  AU  - Smith, J", "a \u{00A0} b", "TI  - Title  PY  - 2020"] {
            Self.expectSameScan(Array(text.utf8))
        }
        if TestCorpus.isAvailable { for bytes in Self.corpusLines() { Self.expectSameScan(bytes) } }
    }

    @Test("sameBytes compares every byte, in the word loop and after it")
    func sameBytes() {
        for count in 0...20 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }
            bytes.withUnsafeBufferPointer { a in
                #expect(RISScanner.sameBytes(a, a))
                for position in 0..<count {
                    var other = bytes
                    other[position] ^= 0x40
                    other.withUnsafeBufferPointer { b in #expect(!RISScanner.sameBytes(a, b), "\(count) \(position)") }
                }
                (bytes + [0]).withUnsafeBufferPointer { b in #expect(!RISScanner.sameBytes(a, b)) }
            }
        }
    }

    // MARK: ISSN pre-check

    @Test("an SN token the ISSN pre-check turns away is never an ISSN")
    func issnPreCheck() throws {
        var tokens = [
            "1932-8494", "19328494", "1932-849X", "1932-849x", "0000-0000", "978-0-0000-0015-6", "1-2-3-4-5-6-7-8",
            " 1932-8494 ", "1932 8494", "1932-84945", "193-8494", "ISSN 1932-8494", "１９３２-８４９４", "1932‐8494",
            "1932-8494\u{301}", "x1932849", "", "-", "12345678X", "1234567", "\t12345678\n",
        ]
        if TestCorpus.isAvailable {
            for value in try RISFastPathTests.corpusValues() {
                tokens.append(value)
                tokens += value.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }).map(String.init)
            }
        }
        for token in tokens where !RISValues.mayBeISSN(token) {
            #expect(Identifiers.normalizeISSN(token) == nil, "\(token.debugDescription)")
        }
        #expect(RISValues.serialNumbers("1932-8494; 978-0-0000-0015-6").issn == ["1932-8494"])
        #expect(RISValues.serialNumbers("978-0-0000-0015-6").isbn == ["978-0-0000-0015-6"])
    }

    // MARK: PMID, PMCID and character tests

    static let identifierValues: [String] = [
        "", "0", "00", "1", "12345678", "123456789", "1234567890", "20000029", " 123", "123 ", "١٢٣", "１２３",
        "12a", "1\u{301}23", "PMC3000009", "PMC", "PMC1", "PMC12345678901", "pmc123", "PMC 123", "PMC123 ",
        "PMCID: PMC123", "PMC123[pmcid]", "PMC１２３", "PMC12\u{301}3", " PMC123", "PMC0", "10.1000/x y",
        "978-0-0000-0015-6", "1932-8494", "a-\u{301}b", "a \u{301}b", "a\r\nb", "-", " ", "é-", "é -",
    ]

    @Test("the byte tests of PMIDs, plain PMCIDs and ASCII characters give what the character tests give")
    func identifierShortcuts() throws {
        var values = Self.identifierValues
        if TestCorpus.isAvailable {
            for value in try RISFastPathTests.corpusValues() {
                values.append(value)
                values += value.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " || $0 == ":" }).map(String.init)
            }
        }
        for value in values {
            // Identifiers.isValidPMID decides all-digit text on the bytes; the character test it had is the reference.
            let reference = (1...9).contains(value.count) && value.allSatisfy({ $0.isASCII && $0.isNumber }) && value != "0"
            #expect(Identifiers.isValidPMID(value) == reference, "\(value.debugDescription)")
            if Identifiers.isStoredPMCID(value) {
                // standalonePMCID returns the stored form as it is; the code it replaced gave the same.
                #expect(RISValueFastPathTests.referencePMCID(value) == value, "\(value.debugDescription)")
            }
            for byte: UInt8 in [0x2D, 0x20] {
                let character = Character(Unicode.Scalar(byte))
                #expect(
                    RISValues.containsASCIICharacter(value, byte) == value.contains(character),
                    "\(value.debugDescription) \(byte)")
            }
        }
        #expect(RISValues.standalonePMCID("PMC3000009") == "PMC3000009")
        #expect(RISValues.standalonePMID("PMID: 20000029", bareDigits: false) == "20000029")
        #expect(RISValues.standalonePMID("20000029", bareDigits: true) == "20000029")
        #expect(RISValues.standalonePMID("0", bareDigits: true) == nil)
    }

    // MARK: Particles

    /// ``RISValues/splitParticle(_:into:)`` before its first-byte test.
    static func referenceSplitParticle(_ family: String) -> Person {
        var person = Person()
        RISValueFastPathTests.referenceSplitParticle(family, into: &person)
        return person
    }

    @Test("the particle split's first-byte test gives what the word-by-word split gives")
    func particles() throws {
        var families = [
            "van der Berg", "von Goethe", "de la Fontaine", "d' Alembert", "'t Hooft", "van't Hoff", "García Márquez",
            "Van der Berg", "la", "le Carré", "Ål van", " van Berg", "van  Berg", "ibn Sina", "st. John", "Ždanov de",
            "der", "de", "du Pont", "zu Guttenberg", "al Hassan", "el Greco",
        ]
        for particle in RISValues.particles {
            families += [particle + " Smith", particle + " smith", particle + " van Smith", particle]
        }
        if TestCorpus.isAvailable {
            for value in try RISFastPathTests.corpusValues() {
                families.append(value)
                if let comma = value.firstIndex(of: ",") { families.append(String(value[..<comma])) }
            }
        }
        for family in families {
            var person = Person()
            RISValues.splitParticle(family, into: &person)
            #expect(person == Self.referenceSplitParticle(family), "\(family.debugDescription)")
        }
    }

    // MARK: Type look-up

    /// ``RISTypeInfo/lookup(_:)`` without its shortcut for upper-case codes.
    static func referenceLookup(_ value: String) -> (code: String, alias: Bool)? {
        let folded = value.uppercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "\t" })
            .joined(separator: " ")
        if let info = RISTypeInfo.byCode[folded] { return (info.code, false) }
        if let code = RISTypeInfo.aliases[folded], let info = RISTypeInfo.byCode[code] { return (info.code, true) }
        return nil
    }

    @Test("the type look-up of upper-case codes gives what folding gives")
    func typeLookup() {
        var values = Array(RISTypeInfo.byCode.keys) + Array(RISTypeInfo.aliases.keys)
        values += values.map { $0.lowercased() } + values.map { " " + $0 } + values.map { $0 + "_X" }
        values += ["", "JOUR2", "J0UR", "JOUR ", "Jour", "ÉLEC", "E BOOK", "E_BOOK", "UNKNOWN", "123"]
        for value in values {
            let fast = RISTypeInfo.lookup(value)
            let reference = Self.referenceLookup(value)
            #expect(fast?.info.code == reference?.code, "\(value.debugDescription)")
            #expect(fast?.alias == reference?.alias, "\(value.debugDescription)")
        }
    }

    // MARK: Fields and locations

    @Test("a field's lines, line count and joined value read the same through value and more")
    func fieldLines() {
        for lines in [["a"], [""], ["a", "b"], ["a", "", "b"], ["", "x"], ["one", "two", "three"]] {
            let field = RISField(tag: "AB", lines: lines, line: 1, column: 7)
            #expect(field.lines == lines)
            #expect(field.lineCount == lines.count)
            let expected = lines.count == 1 ? lines[0] : lines.filter { !$0.isEmpty }.joined(separator: " ")
            #expect(field.joined == expected)
        }
    }

    @Test("marking keeps the first location of a key, also after a move and a removal")
    func marking() {
        func field(_ line: Int) -> RISField { RISField(tag: "TI", value: "x", line: line, column: 7) }
        var builder = RecordBuilder(file: "f", format: "ris", type: .book)
        builder.mark(.title, field(1))
        builder.mark(.title, field(2))
        builder.mark(.containerTitleShort, field(3))
        #expect(builder.locations["title"]?.line == 1)
        #expect(builder.locations.count == 2)
        builder.moveLocation(from: .containerTitleShort, to: .containerTitle)
        builder.mark(.containerTitle, field(5))
        builder.mark(.containerTitleShort, field(6))
        #expect(builder.locations["containerTitle"]?.line == 3)
        #expect(builder.locations["containerTitleShort"]?.line == 6)
        builder.removeLocation(.title)
        builder.mark(.title, field(7))
        #expect(builder.locations["title"]?.line == 7)
        #expect(builder.locations.entries.map(\.key) == ["containerTitle", "containerTitleShort", "title"])
        // A move from a key without a location removes the target's.
        builder.moveLocation(from: .doi, to: .title)
        #expect(builder.locations["title"] == nil)
        builder.mark(.title, field(8))
        #expect(builder.locations["title"]?.line == 8)
    }

    @Test("every key's name is the Resource key it stands for, and its bit is its own")
    func keyNames() {
        #expect(RISKey.allCases.count <= 64)
        #expect(Set(RISKey.allCases.map(\.bit)).count == RISKey.allCases.count)
        #expect(RISKey.containerTitleShort.name == "containerTitleShort")
        #expect(RISKey.type.name == "type")
        #expect(RISKey.id.name == "id")
        for key in RISKey.allCases { #expect(key.name == "\(key)") }
    }
}
