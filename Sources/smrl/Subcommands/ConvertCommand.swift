import ArgumentParser
import SMRLCore

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert records from one format to another, checking them on the way.",
        discussion: """
            Records with an error are reported on standard error and not written; every other record \
            is. What the target format cannot carry is listed at the end (and per record in the JSON \
            report, --format json or --report FILE). The filters keep the records that match every \
            filter given; a filter given twice matches either value.

            Examples:
              smrl convert export.ris --to smrl-json -o import.json
              smrl convert library.json --to ris --domain community-engagement \\
                -o for-zotero.ris
              smrl convert library.json --to bibtex --topic specialty-choice \\
                --open-access -o specialty-choice.bib
              cat feed.ndjson | smrl convert --from smrl-ndjson --to csl-json
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var filters: FilterOptions

    @Option(help: ArgumentHelp("Target format (see 'smrl formats').", valueName: "format"), completion: .formatNames)
    var to: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Output file (default: standard output). Written atomically.", valueName: "file"),
        completion: .file())
    var output: String?

    @Flag(help: "Compact output instead of indented, where the format allows it.")
    var compact = false

    func run() throws {
        var run = Run(input: input, jsonReportToStandardOutput: false)
        run.target = try run.format(named: to, forWriting: true)
        if let output, output != "-" { run.destination = .file(output) }
        run.writerSettings.pretty = !compact
        let vocabulary: Vocabulary
        do {
            vocabulary = try input.vocabulary.map { try Vocabulary(contentsOf: $0) } ?? .bundled
            run.filter = try filters.filter(vocabulary: vocabulary)
        } catch {
            throw run.fail("\(error)")
        }
        try run.execute()
    }
}
