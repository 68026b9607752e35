/// The library fields: domains, topics, professions and the resource type.
extension Validator {
    /// One list field and the vocabularies its values are looked up in, its own first.
    struct ListField {
        var key: String
        var kind: Vocabulary.Kind
        /// Lookup order: the field's own vocabulary, then the ones whose terms are recognised as legacy or
        /// misplaced.
        var order: [Vocabulary.Kind]
        var unknownCode: DiagnosticCode

        static let domains = ListField(
            key: "domains", kind: .domains, order: [.domains, .actionAreas, .topics, .professions],
            unknownCode: .vocabularyUnknownDomain)
        // A legacy Action Area comes before the domains here: "Community Engagement" among the topics is far more
        // likely an old feed's Action Area than a misplaced domain, and both lead to the same domain.
        static let topics = ListField(
            key: "topics", kind: .topics, order: [.topics, .actionAreas, .domains, .professions],
            unknownCode: .vocabularyUnknownTopic)
        static let professions = ListField(
            key: "professions", kind: .professions, order: [.professions, .domains, .topics],
            unknownCode: .vocabularyUnknownProfession)
    }

    func checkLibraryFields(_ record: inout Resource, _ report: inout Report) {
        var moves: [(kind: Vocabulary.Kind, id: String)] = []
        // The usual lists (a few canonical ids, none repeated) are left alone without being assigned: assigning to
        // the record made the compiler copy all of it, for every list.
        if !isCanonical(record.domains, .domains) {
            record.domains = checkList(record.domains, .domains, &moves, &report)
        }
        if !isCanonical(record.topics, .topics) {
            record.topics = checkList(record.topics, .topics, &moves, &report)
        }
        if !isCanonical(record.professions, .professions) {
            record.professions = checkList(record.professions, .professions, &moves, &report)
        }
        for move in moves {
            switch move.kind {
            case .domains: if !record.domains.contains(move.id) { record.domains.append(move.id) }
            case .topics: if !record.topics.contains(move.id) { record.topics.append(move.id) }
            case .professions: if !record.professions.contains(move.id) { record.professions.append(move.id) }
            case .resourceTypes, .actionAreas: break  // no list order above yields these
            }
        }
        checkResourceType(&record, &report)
    }

    /// True when ``checkList(_:_:_:_:)`` would keep `values` as they are and report nothing: a few canonical ids,
    /// none repeated.
    private func isCanonical(_ values: [String], _ field: ListField) -> Bool {
        values.isEmpty || values.count <= 16 && allDistinctTermIDs(values, field.kind)
    }

    /// True when every value is a canonical id of `kind` and no two are equal (as `String` compares them: equal
    /// values are the same id, so the ids' positions are compared). For at most 16 values.
    func allDistinctTermIDs(_ values: [String], _ kind: Vocabulary.Kind) -> Bool {
        // The kind's id set taken once for the list, not once per value.
        let ids = vocabulary.idTables[kind.ordinal]
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: values.count) { positions in
            for (index, value) in values.enumerated() {
                guard let position = ids.position(of: value) else { return false }
                for earlier in 0..<index where positions[earlier] == position { return false }
                positions[index] = position
            }
            return true
        }
    }

    /// A value in double quotes for a message, cut after 120 characters.
    static func quoted(_ value: String) -> String { "\"" + clipped(value) + "\"" }

    /// Text cut after `limit` characters, with `…` where it was cut.
    static func clipped(_ text: String, limit: Int = 120) -> String {
        guard text.utf8.count > limit, let cut = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex),
            cut < text.endIndex
        else { return text }
        return text[..<cut] + "…"
    }

    /// The severity of an unknown value in a vocabulary, per its enforcement.
    func unknownSeverity(_ kind: Vocabulary.Kind) -> Severity {
        vocabulary[kind].enforcement == .error ? .error : .warning
    }

    /// `"Label" (id)` for messages.
    func describe(_ id: String, in kind: Vocabulary.Kind) -> String {
        guard let term = vocabulary.term(id, in: kind) else { return id }
        return "\"\(term.label)\" (\(id))"
    }

    private func checkList(
        _ values: [String], _ field: ListField, _ moves: inout [(kind: Vocabulary.Kind, id: String)],
        _ report: inout Report
    ) -> [String] {
        // The usual case: a few values, each a canonical id, none repeated. The loop below would keep each as it is
        // and report nothing.
        if isCanonical(values, field) { return values }
        var kept: [String] = []
        kept.reserveCapacity(values.count)
        let noun = field.kind.termNoun

        // `kept` holds each id once, so it is the set of ids seen: searched while short (a record has a few), hashed
        // once long (a damaged record may have thousands).
        var seen: Set<String>?
        for (position, raw) in values.enumerated() {
            func keep(_ id: String, reportRepeat: Bool) {
                let isNew: Bool
                if seen == nil && kept.count >= 16 { seen = Set(kept) }
                if seen != nil {
                    isNew = seen!.insert(id).inserted
                } else {
                    isNew = !kept.contains(id)
                }
                if isNew {
                    kept.append(id)
                } else if reportRepeat {
                    report.add(
                        .note, .vocabularyDuplicateTerm, "\(noun) \(id) appears more than once; the repeat is removed",
                        field: field.key, element: position)
                }
            }
            // The common case: a canonical id.
            if vocabulary.isTermID(raw, in: field.kind) {
                keep(raw, reportRepeat: true)
                continue
            }
            let resolution = vocabulary.resolve(raw, in: field.order)
            if resolution.isEmpty {
                report.add(
                    .warning, .vocabularyEmptyValue, "an empty \(noun) value is removed", field: field.key,
                    element: position)
                continue
            }
            if resolution.repairedMojibake {
                report.add(
                    .warning, .vocabularyMojibakeRepaired,
                    "\(noun) value \(Self.quoted(raw)) carries mojibake (UTF-8 read as Windows-1252); repaired before matching",
                    field: field.key, element: position)
            }
            // A term named twice in one value counts once.
            var matches: [Vocabulary.Resolution.Match] = []
            var named: Set<String> = []
            for match in resolution.matches where named.insert(match.kind.rawValue + ":" + match.id).inserted {
                matches.append(match)
            }
            let parts = resolution.matches.count + resolution.unmatched.count
            if parts > 1 {
                let split = matches.map(\.id) + resolution.unmatched.map { "\(Self.quoted($0)) (unknown)" }
                report.add(
                    .note, .vocabularyCombinedValueSplit,
                    "\(noun) value \(Self.quoted(raw)) holds \(parts) values, split into "
                        + Self.clipped(split.joined(separator: ", ")), field: field.key, element: position)
            }
            if matches.count < resolution.matches.count {
                report.add(
                    .note, .vocabularyDuplicateTerm,
                    "\(noun) value \(Self.quoted(raw)) names the same term more than once; the repeats are removed",
                    field: field.key, element: position)
            }
            for match in matches {
                if match.kind == field.kind {
                    if parts == 1 && raw != match.id {
                        report.add(
                            .note, .vocabularyVariantNormalised, "\(noun) \(Self.quoted(raw)) normalised to \(match.id)",
                            field: field.key, element: position, suggestion: match.id)
                    }
                    keep(match.id, reportRepeat: true)
                } else if match.kind == .actionAreas {
                    for id in legacy(match, field, position, &moves, &report) { keep(id, reportRepeat: false) }
                } else if let id = misplaced(match, field, position, &moves, &report) {
                    keep(id, reportRepeat: true)
                }
            }
            for unknown in resolution.unmatched {
                var message = "unknown \(noun) \(Self.quoted(unknown))"
                let closest = vocabulary.suggestion(for: unknown, in: field.kind)
                if let closest { message += "; did you mean \"\(closest.label)\" (\(closest.id))?" }
                report.add(
                    unknownSeverity(field.kind), field.unknownCode, message, field: field.key, element: position,
                    suggestion: closest?.id)
                keep(unknown, reportRepeat: true)
            }
        }
        return kept
    }

    /// A legacy Action Area: named with its replacement, rewritten only with `fix`. Returns the ids the field
    /// keeps.
    private func legacy(
        _ match: Vocabulary.Resolution.Match, _ field: ListField, _ position: Int,
        _ moves: inout [(kind: Vocabulary.Kind, id: String)], _ report: inout Report
    ) -> [String] {
        var kept: [String] = []
        let term = vocabulary.term(match.id, in: .actionAreas)
        let replacements = term?.replacements ?? []
        let targets = replacements.map { "\($0.kind.termNoun) \(describe($0.id, in: $0.kind))" }
        var message = "\(Self.quoted(match.text)) is a legacy Action Area (\(match.id)), deprecated"
        if !targets.isEmpty {
            message += "; replaced by " + targets.joined(separator: " and ")
            if let confidence = term?.confidence { message += " (\(confidence) confidence)" }
        }
        if fix && !replacements.isEmpty {
            message += "; rewritten"
            for replacement in replacements {
                if replacement.kind == field.kind {
                    kept.append(replacement.id)
                } else {
                    moves.append(replacement)
                    message += " (\(replacement.id) moved to \(replacement.kind))"
                }
            }
        } else {
            kept.append(match.id)
        }
        report.add(
            .warning, .vocabularyLegacyActionArea, message, field: field.key, element: position,
            suggestion: replacements.isEmpty ? nil : replacements.map(\.id).joined(separator: ", "))
        return kept
    }

    /// A term of another vocabulary: kept as its id (an error or warning per the field) or, with `fix`, moved.
    /// Returns the id the field keeps, if any.
    private func misplaced(
        _ match: Vocabulary.Resolution.Match, _ field: ListField, _ position: Int,
        _ moves: inout [(kind: Vocabulary.Kind, id: String)], _ report: inout Report
    ) -> String? {
        let message = "\(Self.quoted(match.text)) is a \(match.kind.termNoun) (\(match.id)), not a \(field.kind.termNoun)"
        if fix {
            moves.append((match.kind, match.id))
            report.add(
                .warning, .vocabularyMisplacedTerm, message + "; moved to \(match.kind)", field: field.key,
                element: position, suggestion: match.id)
            return nil
        }
        report.add(
            unknownSeverity(field.kind), .vocabularyMisplacedTerm, message + "; it belongs in \(match.kind)",
            field: field.key, element: position, suggestion: match.id)
        return match.id
    }

    private func checkResourceType(_ record: inout Resource, _ report: inout Report) {
        guard let raw = record.resourceType, !vocabulary.isTermID(raw, in: .resourceTypes) else { return }
        let field = "resourceType"
        let noun = Vocabulary.Kind.resourceTypes.termNoun
        let resolution = vocabulary.resolve(raw, in: [.resourceTypes])
        if resolution.isEmpty {
            record.resourceType = nil
            report.add(.warning, .vocabularyEmptyValue, "an empty resource type is removed", field: field)
            return
        }
        if resolution.repairedMojibake {
            report.add(
                .warning, .vocabularyMojibakeRepaired,
                "resource type \(Self.quoted(raw)) carries mojibake (UTF-8 read as Windows-1252); repaired before matching",
                field: field)
        }
        if resolution.matches.count == 1, resolution.unmatched.isEmpty, let match = resolution.matches.first {
            record.resourceType = match.id
            report.add(
                .note, .vocabularyVariantNormalised, "\(noun) \(Self.quoted(raw)) normalised to \(match.id)", field: field,
                suggestion: match.id)
            return
        }
        let severity = unknownSeverity(.resourceTypes)
        if resolution.matches.count > 1 {
            let ids = resolution.matches.map(\.id)
            report.add(
                severity, .vocabularyUnknownResourceType,
                "resource type \(Self.quoted(raw)) names \(ids.count) resource types (\(ids.joined(separator: ", "))); "
                    + "a record has one", field: field, suggestion: ids.first)
            return
        }
        let unknown = resolution.unmatched.count == 1 && resolution.matches.isEmpty ? resolution.unmatched[0] : raw
        var message = "unknown \(noun) \(Self.quoted(unknown))"
        let closest = resolution.matches.first.flatMap { vocabulary.term($0.id, in: .resourceTypes) }
            ?? vocabulary.suggestion(for: unknown, in: .resourceTypes)
        if let closest { message += "; did you mean \"\(closest.label)\" (\(closest.id))?" }
        report.add(severity, .vocabularyUnknownResourceType, message, field: field, suggestion: closest?.id)
    }
}
