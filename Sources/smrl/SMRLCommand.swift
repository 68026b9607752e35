import ArgumentParser

@main
struct SMRLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smrl",
        abstract: "Convert and validate Social Mission Resource Library records.",
        discussion: """
            Reads and writes smrl-json, smrl-ndjson, RIS, BibTeX, BibLaTeX, CSL-JSON and JATS XML, \
            and checks records against the library's Domain and Topic vocabularies, its identifier \
            rules and its profiles. Exit status: 0 when no record has an error, 1 when some record \
            has one, 2 when the run cannot proceed, 64 for a command-line mistake.

            Examples:
              smrl convert export.ris --to smrl-json -o import.json
              smrl validate import.json --profile library --against library.json
              smrl convert library.json --to ris --domain community-engagement \\
                -o for-zotero.ris
              smrl validate feed.ndjson --format json > report.json
              smrl formats
            """,
        version: "smrl 0.1.0",
        subcommands: [ConvertCommand.self, ValidateCommand.self, FormatsCommand.self, VocabularyCommand.self]
    )
}
