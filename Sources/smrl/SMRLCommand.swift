import ArgumentParser

@main
struct SMRLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smrl",
        abstract: "Convert and validate Social Mission Resource Library records.",
        discussion: """
            Reads and writes smrl-json, smrl-ndjson, RIS, BibTeX, BibLaTeX, CSL-JSON and JATS XML, and checks
            records against the library's Domain and Topic vocabularies.

            Examples:
              smrl convert pubmed-export.ris --to smrl-json -o import.json
              smrl convert Samples/library.json --to ris --domain "Community Engagement" -o for-zotero.ris
              smrl validate feed.ndjson --profile library --format json
              smrl formats
            """,
        version: "smrl 0.1.0",
        subcommands: [ConvertCommand.self, ValidateCommand.self, FormatsCommand.self, VocabularyCommand.self]
    )
}
