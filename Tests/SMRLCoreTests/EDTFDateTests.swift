import SMRLCore
import Testing

@Suite("EDTF dates")
struct EDTFDateTests {
    @Test(arguments: [
        "2015", "2015-07", "2015-07-14", "2019-21", "2000-03-15/2000-03-17", "1950~", "2004?", "2004%",
        "../2019", "2019/..", "-0050",
    ])
    func roundTripsEDTF(_ text: String) throws {
        let date = try #require(EDTFDate(edtf: text))
        #expect(date.description == text)
        #expect(!date.isLiteral)
    }

    @Test(arguments: ["in press", "Spring 2019", "2015-13", "2015-02-30x", "15"])
    func keepsNonEDTFAsLiteral(_ text: String) {
        let date = EDTFDate(parsing: text)
        #expect(date.isLiteral)
        #expect(date.description == text)
    }

    @Test func seasonsAndParts() throws {
        let date = try #require(EDTFDate(edtf: "2019-22"))
        #expect(date.start?.season == 2)
        #expect(date.year == 2019)
        let range = try #require(EDTFDate(edtf: "2013-21/2013-22"))
        #expect(range.isInterval)
        #expect(range.end?.month == 22)
    }
}
