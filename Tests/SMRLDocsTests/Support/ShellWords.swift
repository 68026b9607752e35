/// Splits a shell command line the way a POSIX shell would for the simple lines documentation shows: words with
/// single and double quotes and backslashes, pipelines and lists (`|`, `&&`, `||`, `;`), redirections (dropped with
/// their target) and a trailing `# comment`.
struct ShellLine {
    /// The simple commands of the line, each as its words (redirections removed).
    var commands: [[String]] = []
    /// The text of the trailing comment, without `#`.
    var comment: String?

    /// The exit status the documentation says the line ends with: `# exit 1: …` → 1; otherwise 0.
    var expectedStatus: Int32 {
        guard let comment else { return 0 }
        let words = comment.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "," })
        guard words.count >= 2, words[0] == "exit", let status = Int32(words[1]) else { return 0 }
        return status
    }

    init(_ line: String) {
        var words: [String] = []
        var word = ""
        var inWord = false
        var skipNextWord = false
        var characters = Array(line)[...]

        func endWord() {
            if inWord {
                if skipNextWord { skipNextWord = false } else { words.append(word) }
            }
            word = ""
            inWord = false
        }
        func endCommand() {
            endWord()
            if !words.isEmpty { commands.append(words) }
            words = []
        }

        while let character = characters.popFirst() {
            switch character {
            case " ", "\t":
                endWord()
            case "'":
                inWord = true
                while let next = characters.popFirst(), next != "'" { word.append(next) }
            case "\"":
                inWord = true
                while let next = characters.popFirst(), next != "\"" {
                    if next == "\\", let escaped = characters.first, "\"\\$`".contains(escaped) {
                        word.append(escaped)
                        characters = characters.dropFirst()
                    } else {
                        word.append(next)
                    }
                }
            case "\\":
                inWord = true
                if let next = characters.popFirst() { word.append(next) }
            case "#" where !inWord:
                comment = String(characters).trimmingCharacters(in: " ")
                characters = []
            case "|", ";", "&":
                if characters.first == character { characters = characters.dropFirst() }
                endCommand()
            case ">", "<":
                // `2>` and `&>`: the descriptor belongs to the redirection.
                if inWord && word.allSatisfy(\.isNumber) { word = ""; inWord = false }
                endWord()
                if characters.first == ">" || characters.first == "&" { characters = characters.dropFirst() }
                skipNextWord = true
            default:
                inWord = true
                word.append(character)
            }
        }
        endCommand()
    }
}
