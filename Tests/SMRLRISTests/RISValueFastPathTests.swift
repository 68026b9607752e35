import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The byte pre-checks and fast paths of the identifier and name readers must give what the code they replaced
/// gave. The references below are that code, kept verbatim; they are compared over the corpus values, the
/// sample library and crafted edge cases.
@Suite("RIS identifier and name fast paths agree with the general code")
struct RISValueFastPathTests {
    // MARK: References (the code before the byte pre-checks)

    static func referenceDOI(_ text: String) -> String? {
        guard text.utf8.count >= 7, text.withUTF8Bytes({ $0.containsBytes([0x31, 0x30, 0x2E]) }) else { return nil }
        let trimmed = text.trimmed
        let lower = trimmed.lowercased()
        var body = Substring(trimmed)
        if lower.hasPrefix("doi:") {
            body = body.dropFirst(4)
        } else if lower.hasPrefix("doi ") {
            body = body.dropFirst(4)
        } else {
            for prefix in [
                "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/",
                "dx.doi.org/", "https://www.doi.org/", "http://www.doi.org/",
            ] where lower.hasPrefix(prefix) {
                body = body.dropFirst(prefix.count)
                break
            }
        }
        let candidate = body.trimmed
        guard candidate.hasPrefix("10."), !candidate.contains(" "),
            let doi = Identifiers.normalizeDOI(candidate), Identifiers.isValidDOI(doi)
        else { return nil }
        return doi
    }

    static func referenceDOTag(_ text: String) -> String? {
        guard let doi = Identifiers.normalizeDOI(text), Identifiers.isValidDOI(doi) else { return nil }
        return doi
    }

    static func referencePMID(_ text: String, bareDigits: Bool) -> String? {
        guard text.utf8.count <= 40 else { return nil }
        var value = Substring(text.trimmed)
        let lower = value.lowercased()
        var marked = false
        for prefix in ["pmid:", "pmid", "pubmed:", "pubmed"] where lower.hasPrefix(prefix) {
            value = value.dropFirst(prefix.count)
            marked = true
            break
        }
        if value.lowercased().hasSuffix("[pmid]") {
            value = value.dropLast(6)
            marked = true
        }
        let digits = value.trimmed
        guard marked || bareDigits, Identifiers.isValidPMID(digits) else { return nil }
        return digits
    }

    static func referencePMCID(_ text: String) -> String? {
        guard text.utf8.count <= 40, text.containsASCIICaseInsensitive("pmc") else { return nil }
        var value = Substring(text.trimmed)
        if value.lowercased().hasSuffix("[pmcid]") { value = value.dropLast(7) }
        if value.lowercased().hasSuffix("[pmc]") { value = value.dropLast(5) }
        let trimmed = value.trimmed
        guard trimmed.uppercased().hasPrefix("PMC") else { return nil }
        return Identifiers.normalizePMCID(trimmed)
    }

    static func referencePerson(_ raw: String) -> Person? {
        var text = RISValues.collapseSpaces(raw)
        while let lastByte = text.utf8.last, lastByte == 0x2C || lastByte == 0x3B, let last = text.last,
            last == "," || last == ";"
        {
            text.removeLast()
        }
        text = text.trimmed
        guard !text.isEmpty else { return nil }
        if text.containsByte(0x2C) {
            let parts: [String]
            if let comma = text.utf8.firstIndex(of: 0x2C), !text.utf8[text.utf8.index(after: comma)...].contains(0x2C) {
                parts = [text[..<comma].trimmed, text[text.utf8.index(after: comma)...].trimmed]
            } else {
                parts = text.splitASCII(0x2C, omittingEmpty: false).map { $0.trimmed }
            }
            var person = Person()
            let family = parts[0]
            var rest = Array(parts.dropFirst()).filter { !$0.isEmpty }
            if rest.count >= 2, RISValues.suffixes.contains(rest[0].lowercased()) {
                person.suffix = rest.removeFirst()
            } else if rest.count >= 2 {
                person.suffix = rest.dropFirst().joined(separator: ", ")
                rest = [rest[0]]
            }
            if let given = rest.first, !given.isEmpty { person.given = given }
            if family.isEmpty {
                if person.given == nil { return nil }
                return Person(literal: person.given)
            }
            referenceSplitParticle(family, into: &person)
            return person
        }
        let tokens = text.splitASCII(0x20).map(String.init)
        if tokens.count == 1 { return Person(family: text) }
        if let initials = tokens.last, referenceInitials(initials), tokens.count <= 4 {
            let familyTokens = tokens.dropLast()
            let looksPersonal = familyTokens.allSatisfy { token in
                let lower = token.lowercased()
                if RISValues.organisationWords.contains(lower) { return false }
                if RISValues.particles.contains(lower) { return true }
                guard let first = token.unicodeScalars.first else { return false }
                return first.properties.isUppercase && !token.contains(where: { $0.isNumber || $0 == "&" })
            }
            if looksPersonal {
                var person = Person(given: initials)
                referenceSplitParticle(familyTokens.joined(separator: " "), into: &person)
                return person
            }
        }
        return Person(literal: text)
    }

    static func referenceInitials(_ token: String) -> Bool {
        var letters = 0
        for scalar in token.unicodeScalars {
            if scalar == "." || scalar == "-" { continue }
            guard scalar.properties.isUppercase else { return false }
            letters += 1
        }
        return (1...4).contains(letters)
    }

    static func referenceSplitParticle(_ family: String, into person: inout Person) {
        guard family.containsByte(0x20) else {
            person.family = family
            return
        }
        let words = family.splitASCII(0x20).map(String.init)
        var count = 0
        while count < words.count - 1, RISValues.particles.contains(words[count]) { count += 1 }
        if count > 0, let first = words[count].unicodeScalars.first, first.properties.isUppercase {
            person.particle = words[..<count].joined(separator: " ")
            person.family = words[count...].joined(separator: " ")
        } else {
            person.family = family
        }
    }

    // MARK: Values

    static let crafted: [String] = [
        "", " ", "10.", "10.1/x", "10.1000/xyz", " 10.1000/xyz ", "doi:10.1000/xyz", "DOI 10.1000/xyz",
        "DOI: 10.1000/xyz", "https://doi.org/10.1000/xyz", "HTTP://DX.DOI.ORG/10.1000/XYZ", "doi.org/10.1/x",
        "https://www.doi.org/10.5/a b", "10.1000/a b", "x10.1000/y", "10.1000/xyz.", "1\u{0301}0.1000/x",
        "\u{00A0}10.1000/xyz\u{3000}", "10.1000/xyz\u{0085}", "12345", "0", "1234567890", " 12345 ", "PMID: 12345",
        "pmid:12345", "PMID 12345", "Pmid12345", "12345[pmid]", "12345 [PMID]", "PUBMED 12345", "pubmed: 1", "PubMed",
        "pmid", "[pmid]", "PMİD 12345", "pmid\u{0301} 123", "PMID: 12345\u{00A0}", "\u{3000}12345", "١٢٣", "１２３",
        "PMC123", "pmc123", "PMCID: PMC123", "PMC123[pmcid]", "PMC123 [PMC]", "PMC", "PMCX", "pmcid:pmc1",
        "PUBMED 38407106,EMBASE 643589775", "Smith, John", "Smith, John, Jr.", "Smith, Jr., John", "Smith, J, K, L",
        ",John", "Smith,", "Smith,,", "Smith;", " ,", ", ,", "van der Berg, Hans", "van der berg, Hans", "de la Cruz",
        "Smith JA", "Smith J.A.", "Smith J-P", "van Berg JA", "World Health Organization", "Smith 2 JA", "Smith & JA",
        "O'Brien J", "Núñez, María José", "Šimić A", "ÉCOLE JA", "école JA", "Smith ÉÀ", "Smith Ωλ", "Le  Pen,  Marine",
        "Smith,\u{00A0}John", "Smith\u{00A0}JA", "a b c d e", "Ab Cd Ef GH", "Ab Cd Ef Gh JK", "Smith JABCD",
        "\u{0301}Smith, J", "Smith, \u{0301}J", "e\u{0301}, x", "x ,y", "Smith,\tJohn", "x;,", "x,;", "St. John, A",
        "10.1/", "10./x", "10.a/x", "10.1.2/x", "10.1/x y", "10.1/x\ty", "10.1/x\r\ny", "10.1\r\n/x", "10.1/\u{1C}",
        "10.1/é", "10.é/x", "10.1/x\u{00A0}", "10.1/x\u{2009}y", "10.1x/é", "10.1/x/y", "10..1/x", "10.1//", "10.1",
        "Smith , John", "Smith,John", "Smith, John ", " Smith, John", "Smith,  John", "Smith  , John", "S, J", ",J",
        "S ,J", "Smith, J\u{7F}", "Smith\u{1}, J", "Smith,\u{3000}John", "Li, \u{1680}X", "Li\u{2028}, X",
        "Li, X\u{0085}", "Müller‐Lüdenscheidt, Anna‐Lena", "Ødegård, Åse", "Smith, J;", "Smith;, J", "van der, Berg",
        "de la Cruz, María", "van der berg, hans", "Smith, O'Brien-J.", "a,b", "a ,b", "a, b,", "Smith, \u{0301}",
    ]

    static func values() throws -> [String] {
        var values = crafted
        if TestCorpus.isAvailable { values += try RISFastPathTests.corpusValues() }
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Samples/library.ris")
        if let data = try? Data(contentsOf: samples) {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                values.append(String(line))
                if let dash = line.range(of: "- ") { values.append(String(line[dash.upperBound...])) }
            }
        }
        // Name lines split at `;` as the reader splits them.
        values += values.flatMap { $0.split(separator: ";").map(String.init) }
        return values
    }

    static func describe(_ person: Person?) -> String {
        guard let person else { return "nil" }
        return [person.family, person.given, person.particle, person.droppingParticle, person.suffix, person.literal]
            .map { $0 ?? "-" }.joined(separator: "|")
    }

    @Test("DOI, PMID, PMCID and name readers agree with the code they replaced")
    func agreement() throws {
        let values = try Self.values()
        #expect(values.count > 100)
        for value in values {
            #expect(RISValues.standaloneDOI(value) == Self.referenceDOI(value), "\(value.debugDescription)")
            for bare in [false, true] {
                #expect(RISValues.standalonePMID(value, bareDigits: bare) == Self.referencePMID(value, bareDigits: bare),
                    "\(value.debugDescription)")
            }
            #expect(RISValues.standalonePMCID(value) == Self.referencePMCID(value), "\(value.debugDescription)")
            #expect(RISValues.isValidDOI(value) == Identifiers.isValidDOI(value), "\(value.debugDescription)")
            if let doi = Identifiers.normalizeDOI(value) {
                #expect(RISValues.isValidDOI(doi) == Identifiers.isValidDOI(doi), "\(doi.debugDescription)")
            }
            #expect(RISValues.doiFromDOTag(value) == Self.referenceDOTag(value), "\(value.debugDescription)")
            for padded in [" " + value, value + " ", "  " + value + "  ", " \u{00A0}" + value + "\u{3000} "] {
                #expect(padded[...].trimmed == RISFastPathTests.referenceTrim(padded), "\(padded.debugDescription)")
            }
            if let comma = value.utf8.firstIndex(of: 0x2C) {
                let after = value[value.utf8.index(after: comma)...]
                #expect(after.trimmed == RISFastPathTests.referenceTrim(String(after)), "\(value.debugDescription)")
                #expect(value[..<comma].trimmed == RISFastPathTests.referenceTrim(String(value[..<comma])))
            }
            #expect(Self.describe(RISValues.person(value)) == Self.describe(Self.referencePerson(value)),
                "\(value.debugDescription)")
        }
    }

    @Test("the byte reading of `Family, Given` decides the common forms")
    func commaPersonDecides() {
        for name in ["Smith, John", "Núñez, María José", "van der Berg, Hans", "O'Brien, J.-P.", "Smith , J"] {
            #expect(RISValues.commaPerson(name) != nil, "\(name)")
            #expect(Self.describe(RISValues.commaPerson(name)) == Self.describe(Self.referencePerson(name)), "\(name)")
        }
        for name in ["Smith JA", "Smith, J, Jr.", "Smith,\u{00A0}John", " Smith, J", "Smith,", "Smith"] {
            #expect(RISValues.commaPerson(name) == nil, "\(name)")
        }
        // The particle test on the bytes (session 8): family names that do and do not start with a particle.
        for name in ["'t Hooft, Gerard", "d'Alembert, Jean", "van, A", "von Neumann, John", "Van der Berg, H",
            "ibn Sina, A", "García Márquez, F", "de la, Cruz", "de la cruz, M", "st. Clair, J", "zu Guttenberg, K",
            "van Der Berg, H", "l'Hôpital, G", "van Ólafsson, J", "Smith Jones, A", "van't Hoff, J", "af Klint, H"]
        {
            #expect(Self.describe(RISValues.commaPerson(name)) == Self.describe(Self.referencePerson(name)), "\(name)")
        }
    }

    @Test("a family name the byte test keeps whole is one the particle split keeps whole")
    func particleByteTest() throws {
        var families = try Self.values()
        families += ["van der Berg", " van Berg", "'t Hooft", "Van Berg", "van", "vanBerg", "de la Cruz", "", " ", "x y"]
        for family in families {
            var copy = family
            let maybe = copy.withUTF8 { RISValues.mayStartWithParticle($0) }
            var split = Person()
            RISValues.splitParticleSlowly(family, into: &split)
            if !maybe {
                #expect(split.family == family && split.particle == nil, "\(family.debugDescription)")
            }
        }
    }

    @Test("the particle split on bytes gives what the split on word strings gives")
    func particleSplitAgreement() throws {
        var families = try Self.values()
        // Every value's part before a comma is a family name as the readers give it.
        families += families.compactMap { $0.split(separator: ",").first.map(String.init) }
        families += [
            "van der Berg", " van Berg", "'t Hooft", "Van Berg", "van", "vanBerg", "de la Cruz", "", " ", "x y",
            "van  der   Berg", "van der berg", "van der", "de Ølsen", "de ølsen", "van Élan", "van \u{0301}Berg",
            "st. Clair", "d' Artagnan", "van't Hoff", "von und zu Berg", "van-der Berg", "van\tder Berg", "dello Russo",
            "della  Robbia ", "  van   der  Berg  ", "zum Felde", "ibn Battuta", "al Khwarizmi", "van \u{212A}elvin",
            "de \u{1D400}old", "de 1Berg", "de _Berg", "ter Horst", "d'", "l' Hôpital", "van \u{01C5}ukić",
        ]
        for family in families {
            var fast = Person()
            var slow = Person()
            RISValues.splitParticle(family, into: &fast)
            RISValues.splitParticleSlowly(family, into: &slow)
            #expect(fast == slow, "\(family.debugDescription)")
        }
    }

    @Test("a bare AN number is a PMID exactly when DB names PubMed, MEDLINE or NLM (the byte search agrees)")
    func pubmedDatabases() throws {
        var names = ["PubMed", "pubmed", "PUBMED", "MEDLINE", "Ovid MEDLINE(R)", "nlm", "NLM", "PubMed – NLM",
            "PubMéd", "Pub Med", "Embase", "", "pubmed\u{0301}", "xmedline\u{0301}y", "Medline® ", "ＰubMed",
            "PUBMED\r\n", "İpubmed", "Scopus; PubMed", "nlm ", "Nlm", "\u{212A}pubmed"]
        if TestCorpus.isAvailable {
            for value in try RISFastPathTests.corpusValues() where value.hasPrefix("DB  - ") || value.hasPrefix("DP  - ") {
                names.append(String(value.dropFirst(6)))
            }
        }
        for name in Set(names) {
            let records = try RISTest.records("TY  - JOUR\nDB  - \(name)\nAN  - 12345\nER  - \n")
            // The reader's test as it was: a character search of the lower-cased value.
            let reference = RISFastPathTests.referenceTrim(name).lowercased()
            let named = reference.contains("pubmed") || reference.contains("medline") || reference == "nlm"
            #expect(records.first?.pmid == (named ? "12345" : nil), "\(name.debugDescription)")
        }
    }

    @Test("the name-tag byte check is the set of name tags")
    func nameTags() {
        var tags = ["", "A", "AU", "A1", "A2", "A3", "A4", "A5", "A0", "ED", "EDX", "AUX", "au", "Au", "E", "ЕD", "A\u{0301}"]
        for first in 0x20...0x7E {
            for second in 0x20...0x7E { tags.append(String(decoding: [UInt8(first), UInt8(second)], as: UTF8.self)) }
        }
        let expected: Set<String> = ["AU", "A1", "A2", "A3", "A4", "ED"]
        for tag in tags {
            let key = RISTag(tag)
            #expect(RISRecordInterpreter.isNameTag(key) == expected.contains(tag), "\(tag.debugDescription)")
            #expect(RISRecordInterpreter.nameTags.contains(key) == expected.contains(tag), "\(tag.debugDescription)")
        }
    }

    @Test("a tag's code is its bytes, the same from a string, two bytes or a literal; equal codes mean equal tags")
    func tagCodes() {
        var tags = ["", "A", "AU", "au", "C7", "PMID", "FAU", "OWN", "ABCDE", "Ä1", "ЕD", "A\u{0301}", "A\u{0}"]
        for first in 0x01...0x7F {
            for second in 0x20...0x7E { tags.append(String(decoding: [UInt8(first), UInt8(second)], as: UTF8.self)) }
        }
        var byCode: [UInt32: String] = [:]
        for tag in tags {
            let key = RISTag(tag)
            let bytes = Array(tag.utf8)
            let packs = (1...4).contains(bytes.count) && bytes.allSatisfy { $0 != 0 && $0 < 0x80 }
            #expect(key.isPacked == packs, "\(tag.debugDescription)")
            if bytes.count == 2 { #expect(RISTag(bytes[0], bytes[1]) == key, "\(tag.debugDescription)") }
            let inTables = bytes.count == 2 && bytes.allSatisfy { (0x30...0x5A).contains($0) }
            #expect((key.bit >= 0) == inTables, "\(tag.debugDescription)")
            if inTables { #expect(Int(key.bit) == Int(bytes[0] - 0x30) * 43 + Int(bytes[1] - 0x30)) }
            if packs {
                #expect(byCode[key.code] == nil || byCode[key.code] == tag, "\(tag.debugDescription)")
                byCode[key.code] = tag
            }
        }
        let literal: RISTag = "PMID"
        #expect(literal == RISTag("PMID"))
        #expect(("AU" as RISTag) == RISTag("AU") && ("AU" as RISTag).bit >= 0)
    }

    @Test("the crafted values give the expected identifiers")
    func expectedIdentifiers() {
        #expect(RISValues.standaloneDOI("https://doi.org/10.1000/xyz") == "10.1000/xyz")
        #expect(RISValues.standaloneDOI("x10.1000/y") == nil)
        #expect(RISValues.standalonePMID("12345[pmid]", bareDigits: false) == "12345")
        #expect(RISValues.standalonePMID("12345", bareDigits: false) == nil)
        #expect(RISValues.standalonePMID("12345", bareDigits: true) == "12345")
        #expect(RISValues.standalonePMID("PubMed", bareDigits: true) == nil)
        #expect(Self.describe(RISValues.person("van der Berg, Hans")) == "Berg|Hans|van der|-|-|-")
        #expect(Self.describe(RISValues.person("Smith JA")) == "Smith|JA|-|-|-|-")
    }
}
