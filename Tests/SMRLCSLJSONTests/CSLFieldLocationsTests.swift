import SMRLCore
import Testing

@testable import SMRLCSLJSON

/// `FieldLocations` (the CSL decoder's field → location list, with a bit per key that spares searches) against
/// a plain model: an ordered list searched every time. Random sets, replacements and removals (a fixed seed)
/// over every key; reads of every key after each step, and the list handed on in the same order.
@Suite("CSL field locations")
struct CSLFieldLocationsTests {
    static let keys: [FieldLocations.Key] = [
        .abstract, .accessed, .articleNumber, .authors, .collectionTitle, .containerTitle, .containerTitleShort,
        .description, .doi, .domains, .edition, .editors, .event, .extra, .id, .isbn, .issn, .issue, .issued,
        .keywords, .language, .note, .openAccess, .pages, .pmcid, .pmid, .professions, .publisher, .publisherPlace,
        .resourceType, .shortTitle, .subtitle, .title, .topics, .translators, .type, .url, .volume,
    ]

    @Test func behavesAsAnOrderedListSearchedEachTime() {
        var state: UInt64 = 0x00C5_1F1E_1D10_CA7E
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<40 {
            var locations = FieldLocations()
            var model: [(key: FieldLocations.Key, location: SMRLCore.SourceLocation)] = []
            for step in 0..<60 {
                let key = Self.keys[random(round % 2 == 0 ? Self.keys.count : 6)]
                let value: SMRLCore.SourceLocation? =
                    random(4) == 0 ? nil : SMRLCore.SourceLocation(file: "f", line: step + 1, column: round + 1)
                locations[key] = value
                if let index = model.firstIndex(where: { $0.key == key }) {
                    if let value { model[index].location = value } else { model.remove(at: index) }
                } else if let value {
                    model.append((key, value))
                }
                for key in Self.keys {
                    #expect(locations[key] == model.first(where: { $0.key == key })?.location)
                }
            }
            var expected = FieldLocationList()
            for entry in model { expected.appendNew(entry.key.rawValue, entry.location) }
            #expect(locations.list == expected)
        }
    }
}
