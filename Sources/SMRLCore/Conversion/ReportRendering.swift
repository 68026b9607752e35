/// Text renderings of a run for people: the one-line summary and the loss summary printed on stderr.
extension ConversionReport {
    /// `12 records read, 11 written, 1 with errors, 3 with warnings` (plus rejected/filtered when non-zero).
    public var summaryLine: String {
        var parts = ["\(summary.recordsRead) record\(summary.recordsRead == 1 ? "" : "s") read"]
        if targetFormat != nil { parts.append("\(summary.recordsWritten) written") }
        if summary.recordsFilteredOut > 0 { parts.append("\(summary.recordsFilteredOut) filtered out") }
        if summary.recordsRejected > 0 { parts.append("\(summary.recordsRejected) rejected") }
        parts.append("\(summary.recordsWithErrors) with errors")
        parts.append("\(summary.recordsWithWarnings) with warnings")
        if summary.inputErrors > 0 { parts.append("\(summary.inputErrors) input errors outside records") }
        if outputDiscarded { parts.append("output discarded (--strict)") }
        return parts.joined(separator: ", ")
    }

    /// One line per field and kind of loss, with the first record's detail:
    /// `not carried into ris: translators: 3 records (first: smith2020, record 4 of a.ris)`,
    /// `changed in ris: subtitle: 3 records (first: mullan2010, record 1 of a.json: joined into TI after ': ')`.
    public var lossLines: [String] {
        guard let target = targetFormat else { return [] }
        return lossSummary.map { loss in
            let first = loss.firstRecordID.map { "\($0), " } ?? ""
            let what = loss.kind == .dropped ? "not carried into" : "changed in"
            return "\(what) \(target): \(loss.field): \(loss.records) record\(loss.records == 1 ? "" : "s")"
                + " (first: \(first)record \(loss.firstRecordIndex + 1) of \(loss.firstFile)"
                + (loss.firstDetail.map { ": " + $0 } ?? "") + ")"
        }
    }
}
