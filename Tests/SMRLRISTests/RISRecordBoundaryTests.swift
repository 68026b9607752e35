import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLRIS

/// The scanner moves each finished record out of its state (at `ER`, at the next `TY` or record marker, at a MEDLINE
/// blank line, at the end of the input) and builds the next one in place. Each record must leave with every field
/// and diagnostic of its own and the next must start empty, in every dialect and at every kind of end.
@Suite("RIS records end and start cleanly at every kind of record end")
struct RISRecordBoundaryTests {
    /// Each record's tags in input order, with the value's first line.
    static func tags(_ text: String, dialect: RISDialect? = nil) -> [[String]] {
        var scanner = RISScanner(
            reader: ByteReader(text: text, fileName: "boundary.ris"), maxRecordBytes: 1 << 20, dialect: dialect)
        var records: [[String]] = []
        while let item = scanner.next() {
            guard let record = item.record else { continue }
            records.append(record.fields.map { "\($0.tag)=\(record.value($0))" })
        }
        return records
    }

    @Test("RIS: ER, a TY without ER before it, a stray ER, text between records, the end without ER")
    func ris() throws {
        let text = """
            TY  - JOUR
            TI  - One
            AU  - Smith, Ann
            KW  - first
            ER  - \n\
            ER  - \n\
            Record 2 of 4
            TY  - EDBOOK
            TI  - Two
            AU  - Editor, Ed
            TY  - CHAP
            TI  - Three
            A2  - Book, Editor
            A3  - Series, Editor
            KW  - third
            ER  - \n\
            TI  - Four without a type
            AU  - Doe, Jo
            """
        #expect(
            Self.tags(text) == [
                ["TY=JOUR", "TI=One", "AU=Smith, Ann", "KW=first"],
                ["TY=EDBOOK", "TI=Two", "AU=Editor, Ed"],
                ["TY=CHAP", "TI=Three", "A2=Book, Editor", "A3=Series, Editor", "KW=third"],
                ["TI=Four without a type", "AU=Doe, Jo"],
            ])
        let results = try RISTest.results(text, file: "boundary.ris")
        let records = results.compactMap(\.record)
        #expect(records.map(\.title) == ["One", "Two", "Three", "Four without a type"])
        #expect(records.map { $0.authors.map(\.family) } == [["Smith"], [], [], ["Doe"]])
        // The roles by type: AU of an edited book names its editors, A2 of a chapter the book's editors, its A3 is kept.
        #expect(records.map { $0.editors.map(\.family) } == [[], ["Editor"], ["Book"], []])
        #expect(records.map { $0.extra["ris"]?["A3"] ?? [] } == [[], [], ["Series, Editor"], []])
        #expect(records.map(\.keywords) == [["first"], [], ["third"], []])
        // Each diagnostic stays with the record (or gap) it is about.
        let codes = results.map { $0.diagnostics.map(\.code) }
        #expect(codes.flatMap { $0 }.filter { $0 == .risStrayEnd }.count == 1)
        #expect(codes.flatMap { $0 }.filter { $0 == .risTextOutsideRecord }.count == 1)
        let missingEnd = results.flatMap(\.diagnostics).filter { $0.code == .risMissingEnd }
        #expect(missingEnd.map { $0.location?.line } == [8, 17])
        #expect(results.flatMap(\.diagnostics).filter { $0.code == .risMissingType }.map { $0.location?.line } == [17])
    }

    @Test("MEDLINE: a blank line ends a record, PMID starts one, the end of the input ends the last")
    func medline() {
        let text = "PMID- 1\nTI  - One\nFAU - Smith, Ann\n\nPMID- 2\nTI  - Two\nPMID- 3\nTI  - Three\n      wrapped\n"
        #expect(
            Self.tags(text, dialect: .medline) == [
                ["PMID=1", "TI=One", "FAU=Smith, Ann"], ["PMID=2", "TI=Two"], ["PMID=3", "TI=Three"],
            ])
    }

    @Test("Web of Science: ER ends a record, PT without ER before it ends the last, the end of the input too")
    func webOfScience() {
        let text = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI One\nER\n\nPT J\nTI Two\nPT B\nTI Three\nEF\n"
        #expect(
            Self.tags(text, dialect: .webOfScience) == [
                ["PT=J", "TI=One"], ["PT=J", "TI=Two"], ["PT=B", "TI=Three"],
            ])
    }

    @Test("Ovid: each record marker ends the record before it")
    func ovid() {
        let text = "<1. >\nTI  - One\nAU  - Smith, Ann\n\n<2. >\nTI  - Two\n\n<3. >\nTI  - Three\n"
        #expect(
            Self.tags(text, dialect: .ovid) == [
                ["TI=One", "AU=Smith, Ann"], ["TI=Two"], ["TI=Three"],
            ])
    }
}
