/// What a conversion or validation run did: counts, every diagnostic, and what the writer could not carry.
///
/// Encoded as JSON this is the machine-readable report of `smrl convert/validate --format json`.
public struct ConversionReport: Sendable, Codable {
    /// One field that the target format could not carry as it is, for one record.
    public struct LossEntry: Sendable, Codable, Hashable {
        public var file: String
        public var recordIndex: Int
        public var recordID: String?
        public var field: String
        public var detail: String?
        /// Dropped, or changed (in the output in another form).
        public var kind: Loss.Kind
    }

    /// The losses of one field and kind across the run, for the summary.
    public struct LossSummary: Sendable, Codable, Hashable {
        public var field: String
        public var kind: Loss.Kind
        public var records: Int
        public var firstRecordID: String?
        public var firstRecordIndex: Int
        public var firstFile: String
        /// The first record's detail (how the field was changed, or why it was dropped), when the writer gave one.
        public var firstDetail: String?
    }

    /// Counts for the whole run.
    public struct Summary: Sendable, Codable, Hashable {
        /// Records the readers produced (including those later rejected or filtered out).
        public var recordsRead = 0
        /// Records written to the output.
        public var recordsWritten = 0
        /// Records not written because they had an error (or a warning, with `--strict`).
        public var recordsRejected = 0
        /// Records left out by a filter.
        public var recordsFilteredOut = 0
        /// Records with at least one error.
        public var recordsWithErrors = 0
        /// Records with at least one warning.
        public var recordsWithWarnings = 0
        /// Problems in the input that could not be tied to a record (unreadable parts, junk between records).
        public var inputErrors = 0
        public var errors = 0
        public var warnings = 0
        public var notes = 0
        /// Records that lost at least one field in the target format.
        public var recordsWithLosses = 0
    }

    public var summary = Summary()
    public var inputs: [String] = []
    public var sourceFormats: [String] = []
    public var targetFormat: String?
    public var diagnostics: [Diagnostic] = []
    public var losses: [LossEntry] = []
    /// True when `--strict` discarded the output.
    public var outputDiscarded = false

    public init() {}

    /// Losses grouped by field, in the order first met (most frequent first after ``finish()``).
    public private(set) var lossSummary: [LossSummary] = []
    private var lossSummaryIndex: [String: Int] = [:]

    /// Counts one lost field for the summary; keeps the entry itself when `keepEntry` is true.
    public mutating func recordLoss(_ entry: LossEntry, keepEntry: Bool) {
        if keepEntry { losses.append(entry) }
        let key = entry.kind.rawValue + " " + entry.field
        if let index = lossSummaryIndex[key] {
            lossSummary[index].records += 1
        } else {
            lossSummaryIndex[key] = lossSummary.count
            lossSummary.append(
                LossSummary(
                    field: entry.field, kind: entry.kind, records: 1, firstRecordID: entry.recordID,
                    firstRecordIndex: entry.recordIndex, firstFile: entry.file, firstDetail: entry.detail))
        }
    }

    /// Sorts the loss summary, most frequent first (dropped before changed, then by field, when as frequent).
    public mutating func finish() {
        lossSummary.sort { first, second in
            if first.records != second.records { return first.records > second.records }
            if first.kind != second.kind { return first.kind == .dropped }
            return first.field < second.field
        }
        lossSummaryIndex = [:]
    }

    /// The exit status a command should end with: 0 when no record has an error, 1 otherwise.
    public var hasErrors: Bool { summary.errors > 0 }

    private enum CodingKeys: String, CodingKey {
        case summary, inputs, sourceFormats, targetFormat, diagnostics, losses, lossSummary, outputDiscarded
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary, forKey: .summary)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(sourceFormats, forKey: .sourceFormats)
        try c.encodeIfPresent(targetFormat, forKey: .targetFormat)
        try c.encode(diagnostics, forKey: .diagnostics)
        try c.encode(losses, forKey: .losses)
        try c.encode(lossSummary, forKey: .lossSummary)
        try c.encode(outputDiscarded, forKey: .outputDiscarded)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        summary = try c.decode(Summary.self, forKey: .summary)
        inputs = try c.decode([String].self, forKey: .inputs)
        sourceFormats = try c.decode([String].self, forKey: .sourceFormats)
        targetFormat = try c.decodeIfPresent(String.self, forKey: .targetFormat)
        diagnostics = try c.decode([Diagnostic].self, forKey: .diagnostics)
        losses = try c.decode([LossEntry].self, forKey: .losses)
        lossSummary = try c.decode([LossSummary].self, forKey: .lossSummary)
        outputDiscarded = try c.decode(Bool.self, forKey: .outputDiscarded)
    }
}
