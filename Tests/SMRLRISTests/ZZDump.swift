import Testing
import Foundation
import SMRLCore
@testable import SMRLRIS

@Test func dumpForExploration() throws {
    guard let path = ProcessInfo.processInfo.environment["RIS_DUMP"] else { return }
    let medline = ProcessInfo.processInfo.environment["RIS_MEDLINE"] != nil
    let results = try RISTest.results(ByteReader(path: path), medline: medline)
    var out = ""
    for result in results {
        for d in result.diagnostics { out += "DIAG \(d)\n" }
        if let r = result.record { out += RISTest.json(r) + "\n" } else { out += "NO RECORD\n" }
    }
    try out.write(toFile: "/tmp/risdump.txt", atomically: true, encoding: .utf8)
}
