import SMRLCore

/// Renders what the probe found as the "writing" and "round trip" sections of a mapping reference.
enum ProbeReport {
    /// The sections for one writer.
    /// - Parameters:
    ///   - label: the format as the text names it (`RIS`, `BibTeX (bibtex dialect)`).
    ///   - typeNoun: what the format calls its type (`TY`, entry type, `publication-type`).
    static func render(_ results: [Probe.TypeResult], label: String, typeNoun: String, into out: inout MarkdownWriter) {
        out.heading(3, "Item types written")
        out.paragraph(
            "The \(typeNoun) the writer chooses for each smrl item type, and the item type the reader makes of it again.")
        var byWritten: [String: [Probe.TypeResult]] = [:]
        var order: [String] = []
        for result in results {
            let back = result.changed["type"]?.read ?? result.type.rawValue
            let key = result.writtenType + "\u{0}" + (back == result.type.rawValue ? "" : back)
            if byWritten[key] == nil { order.append(key) }
            byWritten[key, default: []].append(result)
        }
        var typeRows: [[String]] = []
        for key in order.sorted() {
            let group = byWritten[key] ?? []
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false)
            let readBack = parts.count > 1 && !parts[1].isEmpty ? MarkdownWriter.code(String(parts[1])) : "the same type"
            typeRows.append([
                MarkdownWriter.code(String(parts[0])), group.map { MarkdownWriter.code($0.type.rawValue) }.joined(separator: ", "),
                readBack,
            ])
        }
        out.table(["\(label) \(typeNoun)", "written for", "read back as"], typeRows)

        out.heading(3, "Where each field is written, per item type")
        out.paragraph(
            "Found by writing, for every item type, a record whose every field holds a recognisable value, and looking for "
                + "each value in the output. *Written as* is what most types use; *Other types* lists the types that use "
                + "something else; *Reported lost* lists the types for which the writer reports the field as dropped or changed "
                + "(the `not carried into …` and `changed in …` lines of `smrl convert`, `losses` in the JSON report), with "
                + "the writer's detail.")
        var rows: [[String]] = []
        for marker in Probe.markers {
            let field = marker.field
            var cells: [ItemType: String] = [:]
            for result in results {
                if let keys = result.keys[field] { cells[result.type] = keys.map(MarkdownWriter.code).joined(separator: " + ") }
            }
            var counts: [String: Int] = [:]
            for cell in cells.values { counts[cell, default: 0] += 1 }
            let mode = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
            var others: [String: [ItemType]] = [:]
            for result in results {
                guard let cell = cells[result.type], cell != mode else { continue }
                others[cell, default: []].append(result.type)
            }
            let notWritten = results.filter { cells[$0.type] == nil && $0.losses[field] == nil }.map(\.type)
            var otherText = others.keys.sorted().map { "\($0) for \(MarkdownWriter.types(others[$0] ?? []))" }
            if !notWritten.isEmpty && mode != nil { otherText.append("not written for \(MarkdownWriter.types(notWritten))") }

            var lost: [String: [ItemType]] = [:]
            for result in results {
                for detail in Set(result.losses[field] ?? []) { lost[detail, default: []].append(result.type) }
            }
            let lostText = lost.keys.sorted().map { detail in
                MarkdownWriter.types(lost[detail] ?? []) + (detail.isEmpty ? "" : " (\(detail))")
            }
            rows.append([
                MarkdownWriter.code(field), mode ?? "—", otherText.joined(separator: "; "), lostText.joined(separator: "; "),
            ])
        }
        out.table(["Field", "Written as", "Other types", "Reported lost"], rows)

        out.heading(3, "Round trip")
        out.paragraph(
            "The same records read back with smrl's \(label) reader and compared field by field with what was written "
                + "(`extra` aside).")
        var silent: [[String]] = []
        var expected: [[String]] = []
        for field in ["type"] + Probe.comparedFields {
            var groups: [String: [ItemType]] = [:]
            var reported: [String: [ItemType]] = [:]
            for result in results {
                guard let change = result.changed[field] else { continue }
                let text = "\(MarkdownWriter.short(change.written)) → \(MarkdownWriter.short(change.read))"
                if result.losses[field] != nil || (field == "type" && result.losses["type"] != nil) {
                    reported[text, default: []].append(result.type)
                } else {
                    groups[text, default: []].append(result.type)
                }
            }
            for text in groups.keys.sorted() {
                silent.append([MarkdownWriter.code(field), MarkdownWriter.code(text), MarkdownWriter.types(groups[text] ?? [])])
            }
            for text in reported.keys.sorted() {
                expected.append([MarkdownWriter.code(field), MarkdownWriter.code(text), MarkdownWriter.types(reported[text] ?? [])])
            }
        }
        let unchanged = (["type"] + Probe.comparedFields).filter { field in results.allSatisfy { $0.changed[field] == nil } }
        out.paragraph(
            "Unchanged for every item type: " + (unchanged.isEmpty ? "none" : unchanged.map(MarkdownWriter.code).joined(separator: ", ")) + ".")
        if !expected.isEmpty {
            out.paragraph("Changed, as the writer reported (the loss is listed above):")
            out.table(["Field", "Written → read back", "For"], expected)
        }
        if silent.isEmpty {
            out.paragraph("No other field changes: whatever the writer does not report as lost comes back as it was.")
        } else {
            out.paragraph(
                "Changed without a loss reported under the field's own name: the effect of another field's loss (a "
                    + "subtitle joined into the title), a normalisation, or a gap to close in the writer's loss report or "
                    + "the reader:")
            out.table(["Field", "Written → read back", "For"], silent)
        }
    }
}
