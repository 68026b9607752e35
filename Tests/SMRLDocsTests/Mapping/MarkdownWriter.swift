import Foundation
import SMRLCore

/// Builds the Markdown of a mapping reference.
struct MarkdownWriter {
    private(set) var text = ""

    mutating func line(_ line: String = "") { text += line + "\n" }

    mutating func paragraph(_ paragraph: String) {
        text += paragraph + "\n\n"
    }

    mutating func heading(_ level: Int, _ title: String) {
        text += String(repeating: "#", count: level) + " " + title + "\n\n"
    }

    mutating func table(_ header: [String], _ rows: [[String]]) {
        line("| " + header.joined(separator: " | ") + " |")
        line("|" + header.map { _ in "---|" }.joined())
        for row in rows { line("| " + row.map(Self.cell).joined(separator: " | ") + " |") }
        line()
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func code(_ text: String) -> String { "`" + text + "`" }

    /// A list of item types, short when it covers most of them.
    static func types(_ types: [ItemType]) -> String {
        let all = ItemType.allCases
        let set = Set(types)
        if set.count == all.count { return "every type" }
        if set.count > all.count * 2 / 3 {
            return "every type except " + all.filter { !set.contains($0) }.map { code($0.rawValue) }.joined(separator: ", ")
        }
        return all.filter { set.contains($0) }.map { code($0.rawValue) }.joined(separator: ", ")
    }

    /// Text shortened for a table cell.
    static func short(_ text: String, _ limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

/// The `///` documentation of declarations in the repository's sources, as Markdown for GitHub.
enum DocComments {
    /// The doc comment directly above the first line of `file` that contains `declaration`.
    static func comment(file: String, declaration: String) throws -> String {
        let lines = try DocsFiles.read(file).split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.contains(declaration) }) else {
            throw DocCommentError(message: "\(file) has no line with `\(declaration)`")
        }
        var comment: [String] = []
        var previous = index - 1
        while previous >= 0 {
            let text = lines[previous].trimmingCharacters(in: " ")
            guard text.hasPrefix("///") else { break }
            var body = String(text.dropFirst(3))
            if body.hasPrefix(" ") { body.removeFirst() }
            comment.insert(body, at: 0)
            previous -= 1
        }
        guard !comment.isEmpty else { throw DocCommentError(message: "\(file): `\(declaration)` has no doc comment") }
        return markdown(comment.joined(separator: "\n"))
    }

    /// DocC's symbol links (` ``RISTypeInfo`` `) as code spans; DocC headings two levels down.
    static func markdown(_ text: String) -> String {
        var result = text.replacing(#/``([^`\n]+)``/#) { "`" + $0.output.1 + "`" }
        var inFence = false
        result = result.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("```") { inFence.toggle() }
            return !inFence && line.hasPrefix("#") ? "##" + line + "\n" : String(line)
        }.joined(separator: "\n")
        return result
    }

    /// The string literals in the body of the function whose declaration line contains `declaration`: the values
    /// a `switch` in it recognises. The function itself then says what each means, so the table cannot drift.
    static func literals(file: String, declaration: String) throws -> [String] {
        let text = try DocsFiles.read(file)
        guard let start = text.range(of: declaration) else {
            throw DocCommentError(message: "\(file) has no `\(declaration)`")
        }
        var depth = 0
        var body = ""
        var begun = false
        for character in text[start.upperBound...] {
            if character == "{" { depth += 1; begun = true }
            if character == "}" { depth -= 1 }
            if begun { body.append(character) }
            if begun && depth == 0 { break }
        }
        var seen: [String] = []
        for match in body.matches(of: #/"([^"\\]*)"/#) where !seen.contains(String(match.output.1)) {
            seen.append(String(match.output.1))
        }
        return seen
    }
}

struct DocCommentError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
