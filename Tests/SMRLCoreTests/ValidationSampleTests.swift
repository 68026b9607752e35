import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

/// `Samples/faulty-feed.json`: every validator and duplicate diagnostic, one faulty record per problem, with good
/// records between them. Each record's `note` says what it must raise: `expect: none` or `expect: CODE, CODE`.
@Suite("Validator: the faulty sample feed")
struct ValidationSampleTests {
    struct Outcome {
        var record: Resource
        var expected: Set<String>
        var diagnostics: [Diagnostic]
    }

    /// The feed validated in the library profile, then checked for duplicates, record by record as a pipeline
    /// would.
    static func run(fix: Bool = false) throws -> [Outcome] {
        let data = try Data(contentsOf: TestCorpus.repositoryFile("Samples/faulty-feed.json"))
        let records = try JSONDecoder().decode([Resource].self, from: data)
        let validator = Validator(profile: .library, fix: fix)
        var detector = DuplicateDetector()
        var outcomes: [Outcome] = []
        for (index, original) in records.enumerated() {
            var record = original
            var diagnostics = validator.validate(&record, index: index, location: nil, fieldLocations: [:])
            diagnostics += detector.check(record, index: index)
            let note = try #require(original.note, "record \(index) has no expect: note")
            #expect(note.hasPrefix("expect: "), "record \(index)")
            let list = note.dropFirst("expect: ".count)
            let expected = list == "none" ? [] : Set(list.components(separatedBy: ", "))
            outcomes.append(Outcome(record: record, expected: expected, diagnostics: diagnostics))
        }
        return outcomes
    }

    @Test func everyCodeAppears() throws {
        let outcomes = try Self.run()
        let raised = Set(outcomes.flatMap { $0.diagnostics.map(\.code) })
        for code in DiagnosticCode.validationCodes {
            #expect(raised.contains(code), "no record raises \(code)")
        }
        #expect(raised.isSubset(of: Set(DiagnosticCode.validationCodes)))
    }

    @Test func eachRecordRaisesWhatItsNoteSays() throws {
        for (index, outcome) in try Self.run().enumerated() {
            let raised = Set(outcome.diagnostics.map(\.code.rawValue))
            #expect(raised == outcome.expected, "record \(index) (\(outcome.record.id ?? "?")): \(outcome.diagnostics)")
            #expect(outcome.diagnostics.allSatisfy { $0.recordIndex == index && $0.recordID == outcome.record.id })
        }
    }

    @Test func goodRecordsProduceNothing() throws {
        let good = try Self.run().filter { $0.expected.isEmpty }
        #expect(good.count >= 8)
        for outcome in good {
            #expect(outcome.diagnostics.isEmpty, "\(outcome.record.id ?? "?"): \(outcome.diagnostics)")
        }
    }

    /// One faulty record per problem where possible: most records raise a single code.
    @Test func faultyRecordsAreFocused() throws {
        let faulty = try Self.run().filter { !$0.expected.isEmpty }
        #expect(faulty.count >= DiagnosticCode.validationCodes.count)
        #expect(faulty.filter { $0.expected.count == 1 }.count >= faulty.count - 3)
    }

    /// With the fix option the legacy Action Area and the misplaced topic are rewritten; errors remain only where
    /// no rewrite can help.
    @Test func fixRewritesLegacyAndMisplacedTerms() throws {
        let outcomes = try Self.run(fix: true)
        let legacy = try #require(outcomes.first { $0.expected == ["vocabulary.legacy-action-area"] })
        #expect(legacy.record.domains == ["pathways-admission-graduation"])
        let misplaced = try #require(outcomes.first { $0.expected == ["vocabulary.misplaced-term"] })
        #expect(misplaced.record.domains == ["curriculum-programming"])
        #expect(misplaced.record.topics.contains("community-partnerships"))
        #expect(misplaced.diagnostics.allSatisfy { $0.severity < .error })
    }
}
