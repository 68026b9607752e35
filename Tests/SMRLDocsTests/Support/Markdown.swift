/// The parts of a Markdown document the documentation tests look at: fenced code blocks and the command lines in
/// them.
struct MarkdownDocument {
    /// One fenced code block.
    struct CodeBlock {
        /// The info string after the opening fence (`sh`, `shell`, `json`), lowercased.
        var info: String
        /// The lines between the fences.
        var lines: [String]
        /// 1-based line of the opening fence.
        var line: Int

        var text: String { lines.joined(separator: "\n") }
    }

    /// One command as written in a block: continuation lines joined, with where it starts.
    struct CommandLine {
        var text: String
        var line: Int
        var info: String
    }

    let text: String
    let blocks: [CodeBlock]

    init(_ text: String) {
        self.text = text
        var blocks: [CodeBlock] = []
        var open: CodeBlock?
        var fence = ""
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop(while: { $0 == " " })
            if var block = open {
                if trimmed.hasPrefix(fence) && trimmed.allSatisfy({ $0 == fence.first }) {
                    blocks.append(block)
                    open = nil
                } else {
                    block.lines.append(String(line))
                    open = block
                }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let marker = trimmed.first!
                fence = String(trimmed.prefix { $0 == marker })
                let info = trimmed.dropFirst(fence.count).trimmingCharacters(in: " ").lowercased()
                open = CodeBlock(info: info, lines: [], line: offset + 1)
            }
        }
        self.blocks = blocks
    }

    /// The shell command lines of blocks whose info string is one of `infos`: lines ending in `\` are joined with
    /// the next, blank and comment-only lines are skipped. In YAML blocks only the lines of `run:` scripts count.
    func commandLines(infos: Set<String>) -> [CommandLine] {
        var result: [CommandLine] = []
        for block in blocks where infos.contains(block.info) {
            var pending: (text: String, line: Int)?
            for (offset, raw) in block.lines.enumerated() {
                var line = raw.trimmingCharacters(in: " ")
                if block.info == "yaml" || block.info == "yml" {
                    if line.hasPrefix("run:") { line = String(line.dropFirst(4)).trimmingCharacters(in: " ") }
                    if line == "|" || line.hasPrefix("- ") || line.hasSuffix(":") { continue }
                    if pending == nil && !line.hasPrefix("smrl ") { continue }
                }
                if pending == nil && (line.isEmpty || line.hasPrefix("#")) { continue }
                let number = block.line + 1 + offset
                if line.hasSuffix("\\") {
                    let part = String(line.dropLast())
                    pending = pending.map { ($0.text + part, $0.line) } ?? (part, number)
                    continue
                }
                let complete = pending.map { ($0.text + line, $0.line) } ?? (line, number)
                pending = nil
                result.append(CommandLine(text: complete.0, line: complete.1, info: block.info))
            }
        }
        return result
    }

    /// The text between `<!-- name:begin … -->` and `<!-- name:end -->`, and the document with `replacement` there.
    func section(_ name: String) -> (current: String, replacing: (String) -> String)? {
        guard let begin = text.range(of: "<!-- \(name):begin"),
            let beginEnd = text[begin.upperBound...].range(of: "-->"),
            let end = text[beginEnd.upperBound...].range(of: "<!-- \(name):end -->")
        else { return nil }
        let current = String(text[beginEnd.upperBound..<end.lowerBound])
        let prefix = text[..<beginEnd.upperBound]
        let suffix = text[end.lowerBound...]
        return (current, { replacement in prefix + replacement + suffix })
    }
}

extension StringProtocol {
    func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
