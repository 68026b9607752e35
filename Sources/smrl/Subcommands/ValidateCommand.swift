import ArgumentParser
import SMRLCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check records against the vocabularies, identifier rules and a profile.",
        discussion: """
            Diagnostics go to standard error as FILE:LINE:COL: error[CODE]: message; with --format \
            json the report goes to standard output. Exit status: 0 when no record has an error, 1 \
            when some record has one (with --strict, a warning counts too), 2 when the run cannot \
            proceed (unreadable input, unknown format).

            Examples:
              smrl validate feed.json
              smrl validate import.ris --profile library --against library.json
              smrl validate feed.ndjson --format json > report.json
              smrl validate article.xml --schema JATS-journalpublishing1-3.dtd
            """)

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp(
        "Also validate XML inputs against a schema: a DTD (.dtd), an XSD (.xsd), an XML catalog (.xml) resolving each document's DOCTYPE, or a folder of DTDs.",
        valueName: "file"),
        completion: .file(extensions: ["dtd", "xsd", "xml"]))
    var schema: String?

    func run() throws {
        var run = Run(input: input, jsonReportToStandardOutput: true)
        run.schemaPath = schema
        try run.execute()
    }
}
