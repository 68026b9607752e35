import Testing

@testable import SMRLCore

@Suite("Field location lists")
struct FieldLocationListTests {
    static func at(_ line: Int) -> SMRLCore.SourceLocation { SMRLCore.SourceLocation(file: "f.ris", line: line, column: 7) }

    @Test("the first location added for a key stays; the subscript replaces, adds and removes")
    func addAndReplace() {
        var list = FieldLocationList()
        #expect(list.isEmpty && list["title"] == nil)
        list.add("title", Self.at(3))
        list.add("keywords", Self.at(5))
        list.add("title", Self.at(9))
        list.add("titles", Self.at(11))
        #expect(list.count == 3)
        #expect(list["title"] == Self.at(3) && list["titles"] == Self.at(11) && list["keywords"] == Self.at(5))
        #expect(list.contains("keywords") && !list.contains("keyword"))
        list["title"] = Self.at(4)
        list["doi"] = Self.at(6)
        #expect(list["title"] == Self.at(4) && list["doi"] == Self.at(6))
        list["keywords"] = nil
        #expect(list["keywords"] == nil && list.count == 3)
        #expect(list.removeValue(forKey: "doi") == Self.at(6) && list.removeValue(forKey: "doi") == nil)
        #expect(list.entries.map(\.key) == ["title", "titles"])
        #expect(list.dictionary == ["title": Self.at(4), "titles": Self.at(11)])
    }

    @Test("a dictionary becomes a list and back; equality does not depend on the order")
    func dictionaryRoundTrip() {
        let dictionary = ["doi": Self.at(1), "authors": Self.at(2), "domains[1]": Self.at(3), "domains": Self.at(4)]
        let list = FieldLocationList(dictionary)
        #expect(Set(list.entries.map(\.key)) == ["authors", "doi", "domains", "domains[1]"])
        #expect(list.dictionary == dictionary)
        var reversed = FieldLocationList()
        for entry in list.entries.reversed() { reversed.add(entry.key, entry.location) }
        #expect(reversed == list)
        reversed["doi"] = Self.at(2)
        #expect(reversed != list)
        var updated = list
        #expect(updated.updateValue(Self.at(7), forKey: "doi") == Self.at(1))
        #expect(updated.updateValue(Self.at(8), forKey: "pmid") == nil)
        #expect(updated["doi"] == Self.at(7) && updated["pmid"] == Self.at(8) && updated.count == 5)
        var result = ReadResult(record: nil, location: nil, fieldLocations: dictionary)
        #expect(result.fieldLocationList == list && result.fieldLocations == dictionary)
        result.fieldLocations["pmid"] = Self.at(8)
        #expect(result.fieldLocationList["pmid"] == Self.at(8))
    }

    @Test("the validator places a diagnostic at the field's location from a list as from a dictionary")
    func validatorUsesTheList() {
        var record = Resource(type: .articleJournal)
        record.title = "A title"
        record.domains = ["no-such-domain"]
        var copy = record
        let fromList = Validator().validate(
            &record, index: 0, fieldLocationList: FieldLocationList(["domains": Self.at(12)]))
        let fromDictionary = Validator().validate(&copy, index: 0, fieldLocations: ["domains": Self.at(12)])
        #expect(!fromList.isEmpty)
        #expect(fromList == fromDictionary)
        #expect(fromList.contains { $0.field == "domains" && $0.location == Self.at(12) })
    }
}
