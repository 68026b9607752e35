import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Damaged input never crashes or hangs the reader, and whatever it reads the writer can write and read back.
@Suite struct BibTeXRobustnessTests {
    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    static let sample = Array("""
        @string{j = "J. {Th}ings"}
        @article{a, author = {van Beethoven, Ludwig and {WHO} and others}, title = {{DNA} and \\"{o} $\\alpha$ \\textit{x}},
          journal = j # { 2}, year = 2020, month = jun, pages = {1--2}, keywords = {a, b; c}}
        @inbook{b, crossref = {c}, title = "Q{\\"u}oted", date = {2019-05~/2020}}
        @book(c, title = {Parent}, editor = {Roe, R.})
        % comment
        @misc{d, url = {http://x.org/~a_b%20}, note = {x}}
        """.utf8)

    static let rounds = Int(ProcessInfo.processInfo.environment["BIBTEX_FUZZ_ROUNDS"] ?? "") ?? 100

    @Test func truncatedAndMutatedInputIsSurvived() {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        let specials = Array("{}()\"@,=#%\\$~ \n".utf8)
        for round in 0..<Self.rounds {
            var bytes = Self.sample
            if round % 3 == 0 {
                bytes = Array(bytes.prefix(generator.below(bytes.count)))
            } else {
                for _ in 0...generator.below(6) {
                    let index = generator.below(bytes.count)
                    switch generator.below(3) {
                    case 0: bytes[index] = specials[generator.below(specials.count)]
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: index)
                    }
                }
            }
            let results = BibTeXTest.read(bytes: bytes)
            // Whatever was read writes and reads back without an error.
            let records = results.compactMap(\.record)
            for dialect in BibTeXDialect.allCases {
                let text = BibTeXTest.write(records, dialect: dialect).text
                let back = BibTeXTest.read(text, settings: ["bibtex.crossref": "keep"])
                #expect(back.compactMap(\.record).count == records.count, "round \(round) via \(dialect)")
                #expect(!back.flatMap(\.diagnostics).contains { $0.severity == .error }, "round \(round) via \(dialect)")
            }
        }
    }

    @Test func pathologicalShapes() {
        let inputs = [
            "@", "@@@@", "@article", "@article{", "@article{k,", "@article{k, title", "@article{k, title =",
            "@article{k, title = {", "@article{k, title = \"", "@article{k, title = {x}", String(repeating: "{", count: 5000),
            String(repeating: "@a{k,t={", count: 200), "@string{", "@string{x = }", "@comment{", "@preamble{\"",
            "@article{k, author = {" + String(repeating: " and ", count: 500) + "}}",
            "@article{k, title = {" + String(repeating: "\\'", count: 1000) + "}}",
            "@article{k, title = {" + String(repeating: "$", count: 999) + "}}",
            "\u{FEFF}@misc{k, title={x}}", "@misc{k, title={\u{0}\u{1}x}}",
        ]
        for input in inputs {
            let results = BibTeXTest.read(input)
            #expect(results.count <= 400, "\(input.prefix(30))")
        }
    }
}
