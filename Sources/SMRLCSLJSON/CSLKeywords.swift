import SMRLCore

/// CSL `keyword` (one string) ⇄ keyword lists.
///
/// `categories` (an array, CSL 1.0.2) is the authoritative list and is always written; `keyword` is written too,
/// as a convenience for processors and tools that only know it: joined with `", "`, or with `"; "` when a keyword
/// itself holds a comma, so that the reader's rules below split it back exactly.
///
/// Splitting `keyword` when there is no `categories`: on `;` and line breaks when there are any (never on
/// commas then); otherwise on commas, except inside brackets and between digits (`1,25-dihydroxy`), and not at
/// all when a piece starts with `&` or `and` — a sign of one label with a serial comma
/// (`Pathways, Admission, & Graduation`), which is kept whole.
enum CSLKeywords {
    static func split(_ text: String) -> [String] {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return [] }
        if trimmed.contains(where: { $0 == ";" || $0 == "\n" || $0 == "\r" }) {
            return trimmed.split(whereSeparator: { $0 == ";" || $0 == "\n" || $0 == "\r" })
                .map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        }
        guard trimmed.contains(",") else { return [trimmed] }
        var pieces: [String] = []
        var current = ""
        var depth = 0
        let characters = Array(trimmed)
        for (index, character) in characters.enumerated() {
            switch character {
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            default: break
            }
            if character == ",", depth == 0 {
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                if !(before.isNumber && after.isNumber) {
                    pieces.append(current)
                    current = ""
                    continue
                }
            }
            current.append(character)
        }
        pieces.append(current)
        let cleaned = pieces.map { $0.trimmingSpaces }
        if cleaned.contains(where: { piece in
            let lowered = piece.lowercased()
            return lowered.hasPrefix("&") || lowered.hasPrefix("and ")
        }) {
            return [trimmed]
        }
        return cleaned.filter { !$0.isEmpty }
    }

    /// The `keyword` string for a list.
    static func join(_ keywords: [String]) -> String {
        keywords.joined(separator: keywords.contains(where: { $0.contains(",") }) ? "; " : ", ")
    }

    /// True when `text` lists exactly these keywords, in any order and with any separators: each keyword occurs
    /// in it and nothing but separators is left over. The writer uses it to decide whether an input's own
    /// `keyword` spelling still fits the (possibly edited) keyword list.
    static func renders(_ text: String, _ keywords: [String]) -> Bool {
        var rest = Substring(text)
        for keyword in keywords.sorted(by: { $0.count > $1.count }) where !keyword.isEmpty {
            guard let range = rest.firstRange(of: keyword) else { return false }
            rest = rest[..<range.lowerBound] + " " + rest[range.upperBound...]
        }
        return rest.allSatisfy { $0.isWhitespace || $0 == "," || $0 == ";" }
    }
}
