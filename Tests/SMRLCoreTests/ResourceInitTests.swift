import Foundation
import Testing

@testable import SMRLCore

/// `Resource`'s initialisers set only the type (and the id) and leave every other property at its declared
/// default, which the compiler then makes straight into the result (session 16, issue 7). Every reader starts a
/// record this way, so a default that is not nil or empty would change every reader's output.
@Suite("Resource initialisers make an empty record")
struct ResourceInitTests {
    /// True when `value` is nil or an empty collection.
    static func isEmpty(_ value: Any) -> Bool {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.isEmpty }
        if let list = value as? [Any] { return list.isEmpty }
        if let map = value as? [String: Any] { return map.isEmpty }
        return false
    }

    @Test("every property but the type is nil or empty, for each initialiser")
    func emptyRecords() {
        let made: [(Resource, ItemType, String?)] = [
            (Resource(), .articleJournal, nil),
            (Resource(type: .book), .book, nil),
            (Resource(id: "k"), .articleJournal, "k"),
            (Resource(id: nil, type: .chapter), .chapter, nil),
            (Resource(id: "Ünï €", type: .document), .document, "Ünï €"),
        ]
        for (record, type, id) in made {
            #expect(record.type == type)
            #expect(record.id == id)
            var checked = 0
            for child in Mirror(reflecting: record).children {
                guard let label = child.label, label != "type", label != "id" else { continue }
                #expect(Self.isEmpty(child.value), "\(label) is \(child.value)")
                checked += 1
            }
            // Every property of `CodingKeys` but the two set was looked at.
            #expect(checked == Resource.CodingKeys.allCases.count - 2)
        }
    }

    @Test("the initialisers agree with records decoded from JSON with only a type and an id")
    func sameAsDecoded() throws {
        // The reference: `init(from:)` assigns every property itself (nil or empty when the key is absent).
        let decoder = JSONDecoder()
        for (json, made) in [
            (#"{"type":"book"}"#, Resource(type: .book)),
            (#"{"id":"x","type":"chapter"}"#, Resource(id: "x", type: .chapter)),
            (#"{"type":"article-journal"}"#, Resource()),
        ] {
            #expect(try decoder.decode(Resource.self, from: Data(json.utf8)) == made, "\(json)")
        }
        var record = Resource(id: "x", type: .book)
        record.title = "T"
        #expect(record != Resource(id: "x", type: .book))
    }
}
