import Testing
import SMRLCore
@testable import SMRLRIS

@Test func smoke() throws {
    var reader = RISReader(reader: ByteReader(text: "TY  - JOUR\nTI  - Hello\nER  - \n"))
    let result = try reader.next()
    #expect(result?.record?.title == "Hello")
}
