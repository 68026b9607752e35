import SMRLCSLJSON
import SMRLCore
import Testing

@Suite("CSL-JSON in a legacy encoding")
struct CSLLegacyEncodingTests {
    @Test func aLatin1ItemIsDecodedAndReportedWithItsLine() throws {
        var bytes = Array("[\n{\"id\": \"a\", \"type\": \"book\", \"title\": \"ok\"},\n{\"id\": \"b\", \"type\": \"book\", \"title\": \"M".utf8)
        bytes.append(0xFC)  // ü in Latin-1
        bytes += Array("ller\"}\n]".utf8)
        let makeReader = try #require(CSLJSONFormat.descriptor.makeReader)
        var reader = makeReader(ByteReader(bytes: bytes, fileName: "legacy.json"), ReaderOptions())
        var results: [ReadResult] = []
        while let result = try reader.next() { results.append(result) }
        let records = results.compactMap(\.record)
        #expect(records.map(\.title) == ["ok", "Müller"])
        let warning = try #require(results.flatMap(\.diagnostics).first { $0.code == .legacyEncoding })
        #expect(warning.location?.line == 3)
        #expect(results[0].diagnostics.allSatisfy { $0.code != .legacyEncoding })
    }
}
