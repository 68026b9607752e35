import ArgumentParser
import Foundation
import SMRLCore

struct VocabularyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocabulary",
        abstract: "Show the Domain, Topic, resource type, profession and legacy Action Area vocabularies.",
        discussion: """
            Lists every term with its id (what records store; --domain, --topic, --profession and \
            --type accept the id, the label or a variant), its label, its accepted variants, and for \
            legacy Action Areas the Domains that replace them.

            Examples:
              smrl vocabulary
              smrl vocabulary --format json > vocabulary.json
              smrl vocabulary --vocabulary my-vocabulary.json
            """)

    @Option(help: "Output format: 'text' or 'json' (the vocabulary file itself).")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Vocabulary file replacing the bundled one.", valueName: "file"), completion: .file(extensions: ["json"]))
    var vocabulary: String?

    func run() throws {
        let loaded: Vocabulary
        do {
            loaded = try vocabulary.map { try Vocabulary(contentsOf: $0) } ?? .bundled
        } catch {
            DiagnosticPrinter().line("smrl: error: \(error)")
            throw ExitCode(2)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(loaded) + Data("\n".utf8))
        case .text:
            for kind in Vocabulary.Kind.allCases {
                guard let list = loaded.lists[kind] else { continue }
                print("\(list.label) [\(kind.rawValue), \(list.enforcement.rawValue)]")
                for term in list.terms {
                    var line = "  \(term.id)  \(term.label)"
                    if !term.variants.isEmpty { line += "  (also: \(term.variants.joined(separator: "; ")))" }
                    if !term.replacedBy.isEmpty {
                        let targets = term.replacedBy.sorted { $0.key.rawValue < $1.key.rawValue }
                            .map { "\($0.key.rawValue): \($0.value.joined(separator: ", "))" }
                        line += "  → \(targets.joined(separator: "; "))"
                    }
                    print(line)
                }
                print("")
            }
        }
    }
}
