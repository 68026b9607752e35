import SMRLCore

/// Zotero's "cheater syntax": CSL variables written as `key: value` lines in `note` (Zotero exports its Extra
/// field there), e.g. `PMID: 123`, `original-date: 2012`, `type: motion_picture`, `reviewed-author: Hall || W.C.`,
/// and the older `{:original-date: 2012}`.
///
/// The reader promotes such a line when the key names a CSL 1.0.2 variable (any case; spaces or `_` for `-`) that
/// the item does not already have: into the ``Resource`` field where there is one (`PMID` → `pmid`), otherwise
/// into `extra["csl-json"]` as the real variable (so the writer emits `original-date` as a date object, which
/// every processor understands, not only Zotero). A `type` line sets the item type, as in Zotero. Lines that are
/// not variables, or that would overwrite a value, stay in `note`.
enum CSLNoteVariables {
    struct Candidate {
        /// Index of the line in the note's lines.
        var line: Int
        /// The CSL variable named.
        var variable: String
        var value: String
    }

    /// Variables never taken from a note line.
    private static let excluded: Set<String> = ["id", "note", "custom", "categories"]

    /// The note's lines and those that name a CSL variable.
    static func scan(_ note: String) -> (lines: [Substring], candidates: [Candidate]) {
        let lines = note.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        var candidates: [Candidate] = []
        for (index, rawLine) in lines.enumerated() {
            var line = Substring(rawLine.trimmingSpaces)
            if line.hasPrefix("{:"), line.hasSuffix("}") { line = line.dropFirst(2).dropLast() }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingSpaces
            let value = line[line.index(after: colon)...].trimmingSpaces
            guard !key.isEmpty, key.count <= 40, !value.isEmpty,
                key.first.map({ $0.isLetter }) ?? false,
                key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "_" }),
                let variable = CSLMapping.foldedNames[CSLMapping.fold(key)], !excluded.contains(variable)
            else { continue }
            candidates.append(Candidate(line: index, variable: variable, value: value))
        }
        return (lines, candidates)
    }
}
