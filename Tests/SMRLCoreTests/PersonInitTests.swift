import Foundation
import SMRLTestSupport
import Testing

@testable import SMRLCore

/// `Person`'s public initialiser calls the memberwise one (session 16, issue 7): the person it makes must hold
/// exactly the parts it was given, as the initialiser that set each property did, and its JSON form must not change.
@Suite("Person initialiser keeps every part")
struct PersonInitTests {
    /// Every part of `person`, in the public initialiser's order.
    static func parts(_ person: Person) -> [String?] {
        [
            person.family, person.given, person.particle, person.droppingParticle, person.suffix, person.literal,
            person.orcid,
        ]
    }

    /// The reference: an empty person with each part set, as the old initialiser did.
    static func personSlowly(_ values: [String?]) -> Person {
        var person = Person()
        person.family = values[0]
        person.given = values[1]
        person.particle = values[2]
        person.droppingParticle = values[3]
        person.suffix = values[4]
        person.literal = values[5]
        person.orcid = values[6]
        return person
    }

    /// `Person(family:given:particle:droppingParticle:suffix:literal:orcid:)` of the seven values, checked part by
    /// part against the values and against ``personSlowly(_:)``.
    static func check(_ values: [String?], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let made = Person(
            family: values[0], given: values[1], particle: values[2], droppingParticle: values[3], suffix: values[4],
            literal: values[5], orcid: values[6])
        #expect(parts(made) == values, sourceLocation: sourceLocation)
        #expect(made == personSlowly(values), sourceLocation: sourceLocation)
    }

    @Test("Person() has no part and the labelled initialisers set only their parts")
    func labelled() {
        #expect(Self.parts(Person()) == Array(repeating: nil, count: 7))
        #expect(Self.parts(Person(literal: "WHO")) == [nil, nil, nil, nil, nil, "WHO", nil])
        #expect(Self.parts(Person.organization("Ünï €")) == [nil, nil, nil, nil, nil, "Ünï €", nil])
        #expect(Self.parts(Person(family: "F", given: "G")) == ["F", "G", nil, nil, nil, nil, nil])
        #expect(Self.parts(Person(given: "x")) == [nil, "x", nil, nil, nil, nil, nil])
        let orcid = "0000-0002-1825-0097"
        #expect(Self.parts(Person(orcid: orcid)) == [nil, nil, nil, nil, nil, nil, orcid])
        #expect(
            Self.parts(Person(family: "Beethoven", given: "Ludwig", particle: "van", suffix: "Jr."))
                == ["Beethoven", "Ludwig", "van", nil, "Jr.", nil, nil])
        #expect(Self.parts(Person(droppingParticle: "de")) == [nil, nil, nil, "de", nil, nil, nil])
    }

    @Test("every subset of the seven parts, with empty, non-ASCII and long values")
    func everySubset() {
        let samples: [String] = ["", "a", "Ünï €", "😀 family", String(repeating: "long name ", count: 20), "\r\n"]
        for mask in 0..<128 {
            for offset in samples.indices {
                // A different sample for each part, so that parts given in the wrong place are seen.
                let values: [String?] = (0..<7).map { part in
                    mask & (1 << part) == 0 ? nil : samples[(offset + part) % samples.count] + "\(part)"
                }
                Self.check(values)
            }
        }
    }

    @Test(
        "every name of the CSL-JSON corpus",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusNames() throws {
        let keys = ["family", "given", "non-dropping-particle", "dropping-particle", "suffix", "literal", "ORCID"]
        var checked = 0
        func visit(_ value: Any) {
            if let object = value as? [String: Any] {
                let values = keys.map { object[$0] as? String }
                if values.contains(where: { $0 != nil }) {
                    Self.check(values)
                    checked += 1
                }
                object.values.forEach(visit)
            } else if let list = value as? [Any] {
                list.forEach(visit)
            }
        }
        for file in TestCorpus.files(in: "csljson", extensions: ["json"]) {
            guard let json = try? JSONSerialization.jsonObject(with: Data(contentsOf: file)) else { continue }
            visit(json)
        }
        #expect(checked > 1000)
    }

    @Test("the JSON form: the same keys and values, absent and null parts read as nil")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let person = Person(
            family: "F", given: "G", particle: "van", droppingParticle: "de", suffix: "Jr.", literal: "L",
            orcid: "0000-0002-1825-0097")
        #expect(
            String(decoding: try encoder.encode(person), as: UTF8.self)
                == #"{"droppingParticle":"de","family":"F","given":"G","literal":"L","orcid":"0000-0002-1825-0097","#
                + #""particle":"van","suffix":"Jr."}"#)
        #expect(String(decoding: try encoder.encode(Person(given: "x")), as: UTF8.self) == #"{"given":"x"}"#)
        let decoder = JSONDecoder()
        #expect(try decoder.decode(Person.self, from: try encoder.encode(person)) == person)
        let nullORCID = Data(#"{"given":"a","orcid":null}"#.utf8)
        #expect(try decoder.decode(Person.self, from: nullORCID) == Person(given: "a"))
        #expect(try decoder.decode(Person.self, from: Data("{}".utf8)) == Person())
    }
}
