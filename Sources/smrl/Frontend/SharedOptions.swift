public import ArgumentParser
public import SMRLCore
import SMRLFormats

/// How a run reports what it found.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

extension ValidationProfile: ExpressibleByArgument {}

/// Options shared by `convert` and `validate`: what to read and how to check it.
struct InputOptions: ParsableArguments {
    @Argument(help: "Input files; '-' is standard input (the default when no file is given).", completion: .file())
    var inputs: [String] = []

    @Option(help: ArgumentHelp(
        "Source format for every input (default: detected from the file name and content).", valueName: "format"),
        completion: .formatNames)
    var from: String?

    @Option(help: "Validation profile: 'citation' checks what is present; 'library' also requires a resource type, a domain, a topic, a title and a year.")
    var profile: ValidationProfile = .citation

    @Option(help: ArgumentHelp("Vocabulary file replacing the bundled one.", valueName: "file"), completion: .file(extensions: ["json"]))
    var vocabulary: String?

    @Option(help: ArgumentHelp("An existing library to find duplicates against (repeatable).", valueName: "file"), completion: .file())
    var against: [String] = []

    @Flag(
        inversion: .prefixedNo,
        help: "Look for duplicate records (the default). --no-duplicates skips it, and memory then stays the same however long the feed (the detector keeps a few bytes per key of every record).")
    var duplicates = true

    @Flag(help: "Rewrite legacy Action Areas to their current Domains and report each change.")
    var fix = false

    @Flag(help: "Treat warnings as errors; write nothing when any record has one.")
    var strict = false

    @Option(help: "Report format: 'text' (diagnostics as FILE:LINE:COL lines) or 'json'.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Write the JSON report to this file as well.", valueName: "file"), completion: .file())
    var report: String?

    @Option(
        name: .customLong("jats-content"),
        help: ArgumentHelp(
            "What a JATS input yields: 'article' (default), 'references' or 'both'.", valueName: "content"),
        completion: .list(["article", "references", "both"]))
    var jatsContent: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("A format setting as KEY=VALUE (repeatable), e.g. csl-json.lines=true.", valueName: "key=value"))
    var settings: [String] = []

    @Option(
        name: .customLong("max-record-size"),
        help: ArgumentHelp(
            "Largest record accepted, in bytes, or with a K, M or G suffix; a larger one is an input.record-too-large error (default: \(ReaderOptions().maxRecordBytes >> 20)M).",
            valueName: "size"))
    var maxRecordSize: ByteCount?

    @Option(
        name: .customLong("max-depth"),
        help: ArgumentHelp(
            "Deepest nesting accepted (JSON, BibTeX braces, XML elements); deeper is an input.nesting-too-deep error (default: \(ReaderOptions().maxDepth)).",
            valueName: "levels"))
    var maxDepth: Int?

    var effectiveInputs: [String] { inputs.isEmpty ? ["-"] : inputs }

    func validate() throws {
        for setting in settings where !setting.contains("=") {
            throw ValidationError("--set takes KEY=VALUE, got '\(setting)'")
        }
        if let maxDepth, maxDepth < 1 {
            throw ValidationError("--max-depth must be at least 1, got \(maxDepth)")
        }
    }

    /// The reader limits and settings these options ask for.
    var readerOptions: ReaderOptions {
        var options = ReaderOptions()
        options.settings = settingsDictionary
        if let maxRecordSize { options.maxRecordBytes = maxRecordSize.bytes }
        if let maxDepth { options.maxDepth = maxDepth }
        return options
    }

    /// The settings as a dictionary, with `--jats-content` folded in.
    var settingsDictionary: [String: String] {
        var result: [String: String] = [:]
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1)
            result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        if let jatsContent { result["jats.content"] = jatsContent }
        return result
    }
}

/// The export filters of `convert`, matching the library's own search.
struct FilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Keep records in this Domain (id or label; repeatable: any of them).", valueName: "domain"),
        completion: .vocabulary(.domains))
    var domain: [String] = []

    @Option(help: ArgumentHelp("Keep records with this Topic (id or label; repeatable).", valueName: "topic"),
        completion: .vocabulary(.topics))
    var topic: [String] = []

    @Option(help: ArgumentHelp("Keep records for this health profession (repeatable).", valueName: "profession"),
        completion: .vocabulary(.professions))
    var profession: [String] = []

    @Option(help: ArgumentHelp("Keep records of this resource type or CSL item type (repeatable).", valueName: "type"),
        completion: .list(Vocabulary.bundled.ids(.resourceTypes) + ItemType.allCases.map(\.rawValue)))
    var type: [String] = []

    @Flag(inversion: .prefixedNo, help: "Keep only open-access records (or, with --no-open-access, only closed ones).")
    var openAccess: Bool?

    func filter(vocabulary: Vocabulary) throws -> RecordFilter {
        try RecordFilter(
            domains: domain, topics: topic, professions: profession, types: type, openAccess: openAccess,
            vocabulary: vocabulary)
    }
}

extension CompletionKind {
    /// The names of every registered format, for `--from` and `--to`.
    static var formatNames: CompletionKind { .list(FormatRegistry.builtIn.formats.map(\.name)) }

    /// The ids of one bundled vocabulary, for the export filters.
    static func vocabulary(_ kind: Vocabulary.Kind) -> CompletionKind { .list(Vocabulary.bundled.ids(kind)) }
}

extension Vocabulary {
    /// The ids of one vocabulary's terms, in the file's order.
    func ids(_ kind: Kind) -> [String] { lists[kind]?.terms.map(\.id) ?? [] }
}

/// A size in bytes as given on the command line: `65536`, `64K`, `16M`, `1G` (powers of 1024).
struct ByteCount: ExpressibleByArgument {
    var bytes: Int

    init?(argument: String) {
        var digits = Substring(argument)
        var multiplier = 1
        switch digits.last {
        case "k", "K": multiplier = 1 << 10
        case "m", "M": multiplier = 1 << 20
        case "g", "G": multiplier = 1 << 30
        default: break
        }
        if multiplier > 1 { digits = digits.dropLast() }
        guard let value = Int(digits), value > 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        bytes = product
    }
}
