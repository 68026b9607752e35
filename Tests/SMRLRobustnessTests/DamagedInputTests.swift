import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

/// Every input of `Samples/` and a broad sample of the shared corpus, read by the format the registry detects,
/// then damaged (truncated, bytes flipped, lines duplicated or dropped, re-encoded) and read again by the same
/// reader. Whatever the damage: no crash, no throw, an end, diagnostics that point into the input, and the
/// records the damage did not touch come out exactly as from the undamaged input.
@Suite("Damaged input", .timeLimit(.minutes(10)))
struct DamagedInputTests {
    static let sampleSpecimens = Specimen.all.filter { $0.name.hasPrefix("Samples/") }
    static let corpusSpecimens = Specimen.all.filter { !$0.name.hasPrefix("Samples/") }

    @Test("Samples: damaged copies keep their intact records", arguments: sampleSpecimens)
    func samples(_ specimen: Specimen) {
        DamageCheck(specimen).run()
    }

    @Test(
        "Corpus: damaged copies keep their intact records",
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)),
        arguments: corpusSpecimens)
    func corpus(_ specimen: Specimen) {
        DamageCheck(specimen).run()
    }

    @Test("A damage case that cannot place its records is never silently skipped", arguments: sampleSpecimens)
    func samplesPlaceTheirRecords(_ specimen: Specimen) {
        let outcome = Robustness.read(specimen.bytes, as: specimen.format, fileName: specimen.name)
        #expect(!outcome.records.isEmpty)
        #expect(InputLayout(bytes: specimen.bytes, recordLocations: outcome.recordLocations).recordStarts != nil)
    }
}

/// The checks for one input.
struct DamageCheck {
    let specimen: Specimen
    let format: FormatDescriptor

    init(_ specimen: Specimen) {
        self.specimen = specimen
        format = specimen.format
    }

    /// XML stops at the first well-formedness error (the XML specification makes it fatal), so an XML reader
    /// can only promise the records before the damage; every other format resumes at the next record.
    var resynchronises: Bool { !format.fileExtensions.contains("xml") }

    /// Whether this input marks where its records end, so that a reader can tell a cut record from a whole
    /// one: the undamaged input cut just before the last line that holds anything makes the reader complain of
    /// something it did not complain of before.
    var noticesMissingEnd: Bool {
        let bytes = specimen.bytes
        var end = bytes.count
        while end > 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[end - 1]) { end -= 1 }
        var start = end
        while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
        guard start > 0 else { return true }
        func problems(_ input: [UInt8]) -> Set<String> {
            Set(Robustness.read(input, as: format, fileName: specimen.name).problems.map { "\($0.code) \($0.location.map(String.init(describing:)) ?? "")" })
        }
        return !problems(Array(bytes[..<start])).subtracting(problems(bytes)).isEmpty
    }

    func run() {
        let original = Robustness.read(specimen.bytes, as: format, fileName: specimen.name)
        #expect(original.thrown == nil, "\(specimen): reader threw \(String(describing: original.thrown))")
        #expect(!original.runaway, "\(specimen): the reader never ended")
        let layout = InputLayout(bytes: specimen.bytes, recordLocations: original.recordLocations)
        checkLocations(original, input: specimen.bytes, what: "undamaged")
        #expect(
            original.recordLocations.allSatisfy { $0 != nil },
            "\(specimen): some records come without a location")

        if layout.recordStarts != nil {
            let damages = Damage.variants(
                of: specimen.bytes, layout: layout, seed: SeededGenerator.seed(for: specimen.name))
            for damage in damages {
                check(damage, original: original.records)
            }
        }
        checkEncodings(original: original)
    }

    /// Every diagnostic points into the input: the file's name, a line that exists, a column from 1.
    func checkLocations(_ outcome: ReadOutcome, input: [UInt8], what: String) {
        let lineCount = InputLayout(bytes: input, recordLocations: []).lineCount
        var reported = 0
        for diagnostic in outcome.diagnostics {
            guard let problem = locationProblem(diagnostic, fileName: specimen.name, lineCount: lineCount) else {
                continue
            }
            reported += 1
            if reported <= 3 { Issue.record("\(specimen), \(what): \(problem)") }
        }
    }

    func check(_ damage: Damage, original records: [Resource]) {
        let damaged = Robustness.read(damage.bytes, as: format, fileName: specimen.name)
        let what = "\(specimen), \(damage)"
        #expect(damaged.thrown == nil, "\(what): reader threw \(String(describing: damaged.thrown))")
        #expect(!damaged.runaway, "\(what): the reader never ended")
        checkLocations(damaged, input: damage.bytes, what: damage.description)
        let got = damaged.records

        switch damage.kind {
        case .truncatedAtRecord:
            // Every record before the cut, exactly, and nothing else.
            #expect(
                got == Array(records.prefix(damage.recordsBefore)),
                "\(what): \(got.count) records, expected the \(damage.recordsBefore) before the cut \(firstDifference(got, records))")
        case .truncatedInRecord:
            let before = Array(records.prefix(damage.recordsBefore))
            #expect(
                Array(got.prefix(before.count)) == before,
                "\(what): the records before the cut changed \(firstDifference(got, records))")
            #expect(got.count <= damage.recordsBefore + 1, "\(what): \(got.count) records from \(damage.recordsBefore + 1)")
            // A record that lost anything to the cut is reported, never passed off as whole (when the input
            // marks where records end at all: some RIS dialects have no end tag, so a cut record looks whole).
            let cutRecordWhole = got.count == before.count + 1 && got.last == records[damage.recordsBefore]
            if !cutRecordWhole && noticesMissingEnd {
                #expect(
                    !damaged.problems.isEmpty,
                    "\(what): the cut record changed or vanished without a diagnostic")
            }
        case .flippedByte, .duplicatedLine, .droppedLine:
            let intact = records.enumerated().filter { !damage.touched.contains($0.offset) }.map(\.element)
            let promised = resynchronises ? intact : Array(records.prefix(damage.touched.min() ?? records.count))
            #expect(
                promised.isSubsequence(of: got),
                "\(what): an untouched record changed or vanished (\(got.count) records from \(records.count), records \(damage.touched.sorted()) touched) \(firstDifference(got, records))")
            if got.count < records.count && !damage.removesWholeRecord {
                #expect(
                    !damaged.problems.isEmpty,
                    "\(what): \(records.count - got.count) records vanished without a diagnostic")
            }
        }
    }

    /// The same text in UTF-16 (either byte order, with a BOM) reads to the same records, with a note about
    /// the encoding; the same text in Latin-1 (declared or taken as UTF-8) reads to the same records, with a
    /// legacy-encoding warning that says where.
    func checkEncodings(original: ReadOutcome) {
        for littleEndian in [true, false] {
            guard let utf16 = Reencoding.utf16(specimen.bytes, littleEndian: littleEndian) else { continue }
            let what = "\(specimen), UTF-16\(littleEndian ? "LE" : "BE")"
            let read = Robustness.read(utf16, as: format, fileName: specimen.name)
            #expect(read.thrown == nil, "\(what): reader threw")
            #expect(read.records == original.records, "\(what): records differ \(firstDifference(read.records, original.records))")
            #expect(read.diagnostics.contains { $0.code == .byteOrderMark }, "\(what): the encoding was not reported")
            checkLocations(read, input: specimen.bytes, what: "UTF-16")
        }
        guard let (latin1, utf8) = Reencoding.latin1(specimen.bytes) else { return }
        let what = "\(specimen), Latin-1 as UTF-8"
        let reference = Robustness.read(utf8, as: format, fileName: specimen.name)
        let read = Robustness.read(latin1, as: format, fileName: specimen.name)
        #expect(read.thrown == nil, "\(what): reader threw")
        #expect(!read.runaway, "\(what): the reader never ended")
        #expect(read.records == reference.records, "\(what): records differ \(firstDifference(read.records, reference.records))")
        // Reported wherever the reader went through the re-encoded text (not for a file it stopped reading early).
        if !reference.records.isEmpty {
            #expect(
                read.diagnostics.contains { $0.code == .legacyEncoding && $0.location != nil },
                "\(what): the legacy encoding was not reported with a location")
        }
        checkLocations(read, input: latin1, what: "Latin-1")
    }
}

/// The first record that differs, for failure messages.
func firstDifference(_ got: [Resource], _ expected: [Resource]) -> String {
    for (index, (a, b)) in zip(got, expected).enumerated() where a != b {
        return "; first difference at record \(index): got \(describe(a)), expected \(describe(b))"
    }
    return ""
}

private func describe(_ record: Resource) -> String {
    let title = record.title.map { String($0.prefix(60)) } ?? "untitled"
    return "[id \(record.id ?? "-"), \(title)]"
}
