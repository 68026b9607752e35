import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 15: an entry's fields are made in their array's memory (no field made, copied into the array and
/// destroyed), and the mapped resource is consumed into the mapping's result. These read entries whose fields take
/// every path of that loop (a string value, bytes, macros and `#` parts, a legacy-encoded value, duplicates before
/// and after the 32 fields where names go to a dictionary, no field at all) and check each field's value, name and
/// location where the record shows them.
@Suite struct BibTeXReaderFastPathTests15 {
    /// Every value of an entry with many fields, in the `extra` fields and their locations.
    @Test func manyFieldsKeepTheirValuesAndLocations() throws {
        var source = "@string{mac = {Macro}}\n@misc{k,\n"
        for index in 0..<40 {
            switch index % 4 {
            case 0: source += "  x\(index) = {v\(index) caf\u{E9}},\n"
            case 1: source += "  X\(index) = \"q\(index)\",\n"
            case 2: source += "  x\(index) = mac # { \(index)},\n"
            default: source += "  x\(index) = \(index)0,\n"
            }
        }
        source += "  x5 = {late},\n  title = {T}\n}\n"
        let results = BibTeXTest.read(source, file: "m.bib")
        let result = try #require(results.first { $0.record != nil })
        let record = try #require(result.record)
        #expect(record.title == "T")
        let extra = record.extra["bibtex"] ?? [:]
        #expect(extra.count == 40)
        for index in 0..<40 {
            let expected: String
            switch index % 4 {
            case 0: expected = "v\(index) caf\u{E9}"
            case 1: expected = "q\(index)"
            case 2: expected = "Macro \(index)"
            default: expected = "\(index)0"
            }
            #expect(extra["x\(index)"] == [expected], "x\(index)")
        }
        let duplicates = result.diagnostics.filter { $0.code == .bibtexDuplicateField }
        #expect(duplicates.map(\.field) == ["x5"])
        #expect(duplicates.map { $0.location?.line } == [43])
        #expect(duplicates.map { $0.related?.line } == [8])
        #expect(duplicates.map { $0.related?.file } == ["m.bib"])
        #expect(result.fieldLocationList["title"] == SourceLocation(file: "m.bib", line: 44, column: 3))
    }

    /// A value that is not UTF-8 (read as Windows-1252, reported once), an entry without fields, one whose later
    /// fields all repeat the first, and a child that inherits the fields of a parent read before it.
    @Test func legacyBytesEmptyEntriesAndInheritance() throws {
        let source = Array("@book{p, title = {Parent}, publisher = {Pub}, year = 1999}\n@misc{e}\n".utf8)
            + Array("@misc{d, note = {n1}, note = {n2}, NOTE = {n3}}\n@inbook{c, crossref = {p}, note = {Caf".utf8)
            + [0xE9] + Array("}}\n".utf8)
        let results = BibTeXTest.read(bytes: source, file: "l.bib")
        let records = results.compactMap(\.record)
        #expect(records.map(\.id) == ["p", "e", "d", "c"])
        #expect(records[1].title == nil)
        #expect(records[2].note == "n1")
        #expect(records[3].note == "Caf\u{E9}")
        #expect(records[3].containerTitle == "Parent")
        #expect(records[3].publisher == "Pub")
        #expect(records[3].issued?.description == "1999")
        let diagnostics = results.flatMap(\.diagnostics)
        #expect(diagnostics.filter { $0.code == .bibtexDuplicateField }.map(\.message) == [
            "field 'note' appears twice; the first value is kept and this one ignored: 'n2'",
            "field 'note' appears twice; the first value is kept and this one ignored: 'n3'",
        ])
        #expect(diagnostics.filter { $0.code == .legacyEncoding }.count == 1)
    }
}
