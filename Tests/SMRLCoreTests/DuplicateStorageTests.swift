@testable import SMRLCore
import SMRLTestSupport
import Testing

/// The duplicate detector's storage: entries moved to temporary files (`SpillBuffer`) and the compact table of key
/// digests (`DigestTable`), which keep a million-record conversion in flat memory. The detector must find exactly
/// what a plain dictionary of every key finds, whether its entries are in memory or spilled, across many table
/// rebuilds.
@Suite("Duplicate detector storage")
struct DuplicateStorageTests {
    // MARK: SpillBuffer

    @Test(arguments: [1, 7, 64, 1 << 20])
    func spillBufferReadsBackEveryRange(threshold: Int) {
        let buffer = SpillBuffer(spillThreshold: threshold)
        var reference: [UInt8] = []
        var generator = SeededGenerator(seed: UInt64(threshold))
        for _ in 0..<400 {
            let length = Int(generator.next() % 40)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            bytes.withUnsafeBytes { buffer.append($0) }
            reference += bytes
            #expect(buffer.count == reference.count)
        }
        #expect(buffer.isSpilled == (threshold < reference.count))
        for _ in 0..<300 {
            let start = Int(generator.next() % UInt64(reference.count))
            let end = start + Int(generator.next() % UInt64(reference.count - start + 1))
            #expect(buffer.bytes(start..<end) == Array(reference[start..<end]), "\(start)..<\(end)")
        }
        #expect(buffer.bytes(0..<reference.count) == reference)

        // A copy holds the same bytes, and appending to it leaves the original alone.
        let copy = buffer.copy()
        #expect(copy.bytes(0..<copy.count) == reference)
        copy.append("more")
        #expect(copy.count == reference.count + 4)
        #expect(buffer.count == reference.count)
        #expect(copy.bytes(reference.count..<copy.count) == Array("more".utf8))
    }

    @Test func spillBufferStaysInMemoryWithoutATemporaryDirectory() throws {
        // A directory that does not exist: no file can be created, and nothing is lost.
        let buffer = SpillBuffer(spillThreshold: 8, directory: "/nonexistent-smrl-test-directory")
        for index in 0..<100 { buffer.append("entry \(index);") }
        #expect(!buffer.isSpilled)
        let text = String(decoding: buffer.bytes(0..<buffer.count), as: UTF8.self)
        #expect(text.hasPrefix("entry 0;entry 1;"))
        #expect(text.hasSuffix("entry 99;"))
    }

    // MARK: DigestTable

    @Test(arguments: [false, true])
    func digestTableGivesCandidatesFirstInsertedFirst(wide: Bool) {
        var table = DigestTable(capacity: 64, wide: wide)
        // Equal digests, and digests with the same home and tag: every one is a candidate, in insertion order.
        let digests: [UInt64] = [0xAAAA_0000_0000_0011, 0xAAAA_0000_0000_0011, 0xAAAA_0000_FFFF_0011, 0x1234_5678_0000_0022]
        for (ordinal, digest) in digests.enumerated() { table.insert(digest, ordinal: ordinal) }
        var candidates: [Int] = []
        table.forEachCandidate(0xAAAA_0000_0000_0011) { candidates.append($0); return true }
        #expect(candidates == [0, 1, 2])
        candidates = []
        table.forEachCandidate(0xAAAA_0000_0000_0011) { candidates.append($0); return false }
        #expect(candidates == [0])
        candidates = []
        table.forEachCandidate(0x1234_5678_0000_0022) { candidates.append($0); return true }
        #expect(candidates == [3])
        candidates = []
        table.forEachCandidate(0x9999_0000_0000_0033) { candidates.append($0); return true }
        #expect(candidates.isEmpty)
    }

    @Test(arguments: [false, true])
    func digestTableFillsToThreeQuartersAndWraps(wide: Bool) {
        var table = DigestTable(capacity: 16, wide: wide)
        var ordinal = 0
        // Every digest homes on the last slot, so probing wraps around to the first.
        while !table.isFull {
            table.insert(0xFFFF_FFFF_0000_0000 | UInt64(ordinal), ordinal: ordinal)
            ordinal += 1
        }
        #expect(table.count == 12)
        #expect(table.grownCapacity(toHold: 13) >= 20)
        for probe in 0..<ordinal {
            var found: [Int] = []
            table.forEachCandidate(0xFFFF_FFFF_0000_0000 | UInt64(probe)) { found.append($0); return true }
            #expect(found == [probe])
        }
    }

    /// A narrow table (4-byte slots) holds ordinals up to 2²⁴ − 2; a wide one any ordinal up to 2³² − 2, and the
    /// largest ordinals come back intact from either.
    @Test func narrowAndWideTablesHoldTheirOrdinals() {
        var narrow = DigestTable(capacity: 16)
        var wide = DigestTable(capacity: 16, wide: true)
        #expect(narrow.canHold(ordinal: DigestTable.narrowMaximumOrdinal))
        #expect(!narrow.canHold(ordinal: DigestTable.narrowMaximumOrdinal + 1))
        #expect(wide.canHold(ordinal: DigestTable.narrowMaximumOrdinal + 1))
        #expect(wide.canHold(ordinal: DigestTable.maximumOrdinal))
        #expect(!wide.canHold(ordinal: DigestTable.maximumOrdinal + 1))
        narrow.insert(0x0123_4567_89AB_CDEF, ordinal: DigestTable.narrowMaximumOrdinal)
        wide.insert(0x0123_4567_89AB_CDEF, ordinal: DigestTable.maximumOrdinal)
        var found: [Int] = []
        narrow.forEachCandidate(0x0123_4567_89AB_CDEF) { found.append($0); return true }
        wide.forEachCandidate(0x0123_4567_89AB_CDEF) { found.append($0); return true }
        #expect(found == [DigestTable.narrowMaximumOrdinal, DigestTable.maximumOrdinal])
    }

    // MARK: DigestMap

    @Test(arguments: [32, 1 << 20])
    func digestMapKeepsTheFirstValueLikeADictionary(spillThreshold: Int) {
        let map = DigestMap(spillThreshold: spillThreshold)
        var reference: [UInt64: UInt64] = [:]
        var generator = SeededGenerator(seed: 11)
        for step in 0..<20_000 {
            // Digests from a small range repeat, and FNV-like ones differ only in low bits.
            let digest = step % 3 == 0 ? generator.next() % 5_000 : 0xCBF2_9CE4_0000_0000 | (generator.next() % 9_000)
            let value = UInt64(step)
            let existing = map.insert(digest, value: value)
            #expect(existing == reference[digest])
            if reference[digest] == nil { reference[digest] = value }
        }
        #expect(map.count == reference.count)
        for (digest, value) in reference { #expect(map.value(for: digest) == value) }
        #expect(map.value(for: 0xFFFF_FFFF_FFFF_FFFF) == nil)
        #expect(map.isSpilled == (spillThreshold == 32))
    }

    // MARK: The detector over a generated feed

    /// Records with planted duplicates of every kind: reused ids, DOIs written differently, PMIDs, PMCIDs, and
    /// titles repeated with the same year and author but sometimes a DOI that tells them apart.
    static func feed(count: Int) -> [Resource] {
        (0..<count).map { index in
            var record = Resource(id: index % 97 == 96 ? "r\(index - 50)" : "r\(index)")
            let work = index % 2_500
            record.title = "Study \(work) of community-engaged curricula"
            record.issued = EDTFDate(year: 2000 + work % 20)
            record.authors = [Person(family: "Family\(work % 50)", given: "A.")]
            if index % 3 != 0 {
                let doi = "10.1000/x\(index % 1_500)"
                record.doi = index % 2 == 0 ? doi : "https://doi.org/" + doi.uppercased()
            }
            if index % 5 == 0 { record.pmid = "\(100_000 + index % 900)" }
            if index % 11 == 0 { record.pmcid = "PMC\(7_000 + index % 300)" }
            return record
        }
    }

    /// What the detector must report for each record, from plain dictionaries of every key: `(code, earlier index)`
    /// pairs, duplicate ids first, then one per earlier record named by its strongest key.
    static func expected(_ records: [Resource]) -> [[String]] {
        var first: [String: Int] = [:]
        var keysOf: [DuplicateDetector.Keys] = []
        return records.enumerated().map { index, record in
            let keys = DuplicateDetector.keys(of: record)
            keysOf.append(keys)
            var report: [String] = []
            if let id = keys.id, let earlier = first["id|" + id] { report.append("duplicate.id \(earlier)") }
            var named: [Int] = []
            var codes: [Int: String] = [:]
            let kinds: [(String, String?, String)] = [
                ("doi", keys.doi, "duplicate.doi"), ("pmid", keys.pmid, "duplicate.pmid"),
                ("pmcid", keys.pmcid, "duplicate.pmcid"), ("tya", keys.titleYearAuthor, "duplicate.title-year-author"),
            ]
            for (kind, key, code) in kinds {
                guard let key, let earlier = first[kind + "|" + key] else { continue }
                if kind == "tya" {
                    let other = keysOf[earlier]
                    if let doi = keys.doi, let otherDOI = other.doi, doi != otherDOI { continue }
                    if let pmid = keys.pmid, let otherPMID = other.pmid, pmid != otherPMID { continue }
                }
                if codes[earlier] == nil {
                    codes[earlier] = code
                    named.append(earlier)
                }
            }
            report += named.map { "\(codes[$0]!) \($0)" }
            for (kind, key) in [("id", keys.id), ("doi", keys.doi), ("pmid", keys.pmid), ("pmcid", keys.pmcid),
                ("tya", keys.titleYearAuthor)] {
                if let key, first[kind + "|" + key] == nil { first[kind + "|" + key] = index }
            }
            return report
        }
    }

    static func run(_ detector: inout DuplicateDetector, _ records: [Resource]) -> [[String]] {
        records.enumerated().map { index, record in
            let location = SMRLCore.SourceLocation(file: "feed.ris", line: index * 10 + 1, column: 1)
            return detector.check(record, index: index, location: location).map { diagnostic in
                // "… the record at index N (id …" → the earlier index; and the location must be that record's.
                let earlier = diagnostic.message.ranges(of: "the record at index ").last.map {
                    diagnostic.message[$0.upperBound...].prefix { $0.isNumber }
                } ?? ""
                #expect(diagnostic.related?.line == (Int(earlier) ?? -1) * 10 + 1, "\(diagnostic.message)")
                return "\(diagnostic.code.rawValue) \(earlier)"
            }
        }
    }

    /// With everything in memory (a threshold of 1 GiB) and spilled early.
    @Test(arguments: [1 << 30, 64, 4_096])
    func findsWhatADictionaryOfEveryKeyFinds(spillThreshold: Int) {
        let records = Self.feed(count: 6_000)
        var detector = DuplicateDetector(spillThreshold: spillThreshold)
        let found = Self.run(&detector, records)
        let expected = Self.expected(records)
        #expect(found.count == expected.count)
        var mismatches = 0
        for (index, (got, want)) in zip(found, expected).enumerated() where got != want {
            mismatches += 1
            if mismatches <= 5 { Issue.record("record \(index): found \(got), expected \(want)") }
        }
        #expect(mismatches == 0)
        // The feed has duplicates of every kind, so the test cannot pass by finding nothing.
        let codes = Set(found.joined().map { $0.split(separator: " ")[0] })
        #expect(codes == ["duplicate.id", "duplicate.doi", "duplicate.pmid", "duplicate.pmcid",
            "duplicate.title-year-author"])
        #expect(detector.isSpilled == (spillThreshold < 1 << 30))
        // The table was rebuilt larger many times and holds each distinct key once.
        let statistics = detector.tableStatistics
        #expect(statistics.capacity > 8 * 1_024)
        #expect(statistics.count * 4 <= statistics.capacity * 3)
    }

    /// Hand-made records: titles that differ only by case, accents, punctuation or markup, records without a year
    /// or an author, DOIs, PMIDs and PMCIDs in several spellings, and many records with one key. The detector must
    /// report what the dictionary of text keys reports, message by message.
    @Test func handMadeRecordsAgreeWithTheDictionary() {
        let titles = [
            "Social Mission Metrics", "social mission metrics", "SOCIAL MISSION METRICS!", "Social-Mission: Metrics",
            "Sócial Missión Métrics", "<i>Social</i> Mission Metrics", "Social  Mission\tMetrics", "Social Mission",
            "Études de santé", "Etudes de sante", "ÉTUDES DE SANTÉ", "Straße", "Strasse", "2020", "",
        ]
        let dois: [String?] = [
            nil, "10.1000/ABC", "10.1000/abc", "https://doi.org/10.1000/abc", "doi:10.1000/Abc", " 10.1000/abc ",
            "10.1000/abd",
        ]
        var records: [Resource] = []
        for (index, title) in titles.enumerated() {
            for variant in 0..<6 {
                var record = Resource(id: variant == 5 ? "same-id" : "t\(index)-\(variant)")
                record.title = title
                record.issued = variant == 3 ? nil : EDTFDate(year: variant == 4 ? 2019 : 2020)
                record.authors = variant == 2 ? [] : [Person(family: variant == 1 ? "MÜLLER" : "Müller", given: "A.")]
                record.doi = dois[(index + variant) % dois.count]
                if variant % 2 == 0 { record.pmid = ["123", "PMID: 123", "0123", "124"][index % 4] }
                if index % 3 == 0 { record.pmcid = ["PMC77", "77", "PMC0077"][variant % 3] }
                records.append(record)
            }
        }
        // Many records with one key: the same title, year and author fifty times.
        for copy in 0..<50 {
            var record = Resource(id: "copy\(copy)")
            record.title = "A work copied fifty times"
            record.issued = EDTFDate(year: 2001)
            record.authors = [Person(family: "Copy", given: "A.")]
            records.append(record)
        }
        var detector = DuplicateDetector()
        let found = Self.run(&detector, records)
        let expected = Self.expected(records)
        #expect(found == expected)
        #expect(found.joined().count > 100)
    }

    @Test func aCopyKeepsItsOwnRecords() {
        var original = DuplicateDetector(spillThreshold: 32)
        let records = Self.feed(count: 40)
        for (index, record) in records.prefix(20).enumerated() { _ = original.check(record, index: index) }
        var copy = original
        var probe = Resource(id: "later")
        probe.doi = "10.5555/only-in-the-copy"
        #expect(copy.check(probe, index: 20).isEmpty)
        probe.id = "later-2"
        #expect(copy.check(probe, index: 21).map(\.code) == [.duplicateDOI])
        // The original never saw the copy's records.
        #expect(original.check(probe, index: 20).isEmpty)
        // Both still know the records they share.
        #expect(original.check(records[0], index: 22).map(\.code).contains(.duplicateID))
        #expect(copy.check(records[0], index: 22).map(\.code).contains(.duplicateID))
    }

    @Test func libraryAndFeedWithSpilledEntries() {
        var detector = DuplicateDetector(spillThreshold: 16)
        let library = Self.feed(count: 3_000)
        for (index, record) in library.enumerated() {
            detector.remember(
                libraryRecord: record, index: index,
                location: SMRLCore.SourceLocation(file: "library.json", line: index + 2, column: 3))
        }
        var record = library[1_234]
        record.id = "new"
        let first = detector.check(record, index: 0, location: SMRLCore.SourceLocation(file: "in.ris", line: 1, column: 1))
        #expect(!first.isEmpty)
        #expect(first.allSatisfy { $0.message.contains("the library already holds this work") })
        // The first library record with the DOI is named, at its own line.
        let doiWarning = first.first { $0.code == .duplicateDOI }
        let keys = DuplicateDetector.keys(of: record)
        let firstWithDOI = library.firstIndex { DuplicateDetector.keys(of: $0).doi == keys.doi }
        #expect(doiWarning?.related?.line == firstWithDOI.map { $0 + 2 })
        #expect(doiWarning?.related?.file == "library.json")
        // A second input copy names the library record and the first input record.
        record.id = "new-2"
        let second = detector.check(record, index: 1)
        #expect(second.contains { $0.message.contains("the library already holds") })
        #expect(second.contains { $0.message.contains("appears twice in the input") && $0.related?.file == "in.ris" })
    }
}
