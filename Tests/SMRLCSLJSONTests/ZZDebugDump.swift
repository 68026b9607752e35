import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLCSLJSON

@Test func zzDebugDump() throws {
    guard ProcessInfo.processInfo.environment["CSL_DUMP"] != nil else { return }
    let all = try CSLCorpusTests.allItems()
    var pairs: [JSONValue] = []
    for (source, item) in all {
        let results = CSLTest.read(CSLJSON.text(.array([item])), fileName: source)
        let record = results.first?.record
        let output = record.map { CSLTest.items([$0]).first ?? .null } ?? .null
        let diags = results.flatMap(\.diagnostics).map { JSONValue.string($0.description) }
        let native = record.map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) } ?? ""
        pairs.append(CSLJSON.object([("source", .string(source)), ("in", item), ("out", output), ("diags", .array(diags)), ("native", .string(native))]))
    }
    try CSLJSON.text(.array(pairs)).write(toFile: "/tmp/csl-dump.json", atomically: true, encoding: .utf8)
}
