import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The RIS writer reports a name that reads back as another person. It decides most names without reading them
/// back (``RISRecordEncoder/readsBackUnchanged(_:as:)``); whenever it says a name reads back unchanged, reading
/// it back must give the person.
@Suite("RIS writer: names known to read back unchanged do")
struct RISWriterNameCheckTests {
    /// People as readers make them (every corpus and crafted name value read as RIS reads it), and the same people
    /// with particles, suffixes, ORCIDs and odd spacing added.
    static func people() throws -> [Person] {
        var people: [Person] = []
        for value in try RISValueFastPathTests.values() {
            guard let person = RISValues.person(value) else { continue }
            people.append(person)
            var variant = person
            for particle in ["van", "van der", "de la", "d'", "van  der", "vanx", "", "st.", "Van"] {
                variant.particle = particle
                people.append(variant)
            }
            variant = person
            variant.orcid = "0000-0002-1825-0097"
            people.append(variant)
            variant.suffix = "Jr."
            people.append(variant)
            variant = person
            variant.suffix = ""
            people.append(variant)
            variant = person
            variant.droppingParticle = ""
            people.append(variant)
            variant = person
            variant.literal = person.family
            people.append(variant)
            if let family = person.family {
                variant = person
                variant.family = family.lowercased()
                variant.particle = "von"
                people.append(variant)
                variant.family = family + " "
                people.append(variant)
            }
            if let given = person.given {
                variant = person
                variant.given = " " + given
                people.append(variant)
                variant.given = given + ","
                people.append(variant)
                variant.given = given + "\u{00A0}X"
                people.append(variant)
            }
        }
        people += [
            Person(family: "Smith", given: "John"), Person(family: "Núñez", given: "María José"),
            Person(family: "O'Brien", given: "J.-P."), Person(family: "Ødegård", given: "Åse"),
            Person(family: "Smith", given: ""), Person(family: "", given: "John"), Person(family: "Smith;", given: "J"),
            Person(family: "Smith", given: "J\u{7F}"), Person(family: "Ébert", given: "Ève"),
        ]
        var particled = Person(family: "Berg", given: "Hans")
        particled.particle = "van der"
        people.append(particled)
        particled.family = "berg"
        people.append(particled)
        particled.family = "Éberg"
        people.append(particled)
        return people
    }

    @Test func aNameKnownToReadBackUnchangedDoes() throws {
        var decided = 0
        var total = 0
        for person in try Self.people() where !person.isEmpty {
            let name = RISValues.risName(person)
            total += 1
            guard RISRecordEncoder.readsBackUnchanged(person, as: name) else { continue }
            decided += 1
            var expected = person
            expected.orcid = nil
            let parsed = !name.containsByte(0x3B) ? RISValues.person(name) : nil
            #expect(parsed == expected, "\(name.debugDescription) from \(person)")
        }
        // The shortcut was taken often enough to have been tested (most variants above are made not to qualify);
        // without the corpus only the crafted names are there (about 660 decided).
        #expect(decided > (TestCorpus.isAvailable ? 1_000 : 300), "\(decided) of \(total)")
    }

    @Test func theCommonFormsAreDecided() {
        var particled = Person(family: "Berg", given: "Hans")
        particled.particle = "van der"
        var suffixed = Person(family: "Smith", given: "John")
        suffixed.suffix = "Jr."
        for person in [Person(family: "Smith", given: "John"), Person(family: "Núñez", given: "María José"), particled,
            suffixed, Person(literal: "World Health Organization")]
        {
            #expect(RISRecordEncoder.readsBackUnchanged(person, as: RISValues.risName(person)), "\(person)")
        }
        var lowerFamily = particled
        lowerFamily.family = "berg"
        // Given names that are a suffix themselves (`Smith, Jr, II` reads as suffix Jr).
        var suffixGiven = suffixed
        suffixGiven.given = "Jr"
        for person in [lowerFamily, suffixGiven, Person(family: "de Souza", given: "Ana"), Person(literal: "WHO")] {
            #expect(!RISRecordEncoder.readsBackUnchanged(person, as: RISValues.risName(person)), "\(person)")
        }
    }
}
