import Foundation
import SMRLCore

/// Writes Unicode text (optionally with CSL rich-text markup) as the LaTeX of a BibTeX field value, so that
/// ``LaTeXDecoder`` reads back the same text.
///
/// - LaTeX specials are escaped: `\& \% \$ \# \_ \{ \}`, `\textasciitilde{}`, `\textasciicircum{}`,
///   `\textbackslash{}`; a no-break space is `~`, en and em dashes `--` and `---`, and a literal `--` is `-{}-`.
/// - Markup becomes `\textit{…}`, `\textbf{…}`, `\textsc{…}`, `\textsuperscript{…}`, `\textsubscript{…}`, and a
///   case-protected span becomes `{…}`.
/// - LaTeX that the decoder kept verbatim passes through unchanged: math (`$…$` whose inside has a letter or one of
///   `\^_{}` and does not start or end with a space) and a command (`\name`) with the brace groups that follow it.
/// - In ASCII mode (the `bibtex` dialect) every other non-ASCII character is written as LaTeX: accents as `{\"o}`,
///   `{\'\i}`, special letters as `{\ss}`, `{\o}`, quotes and symbols by name, Greek and math symbols as
///   `$\alpha$`. Characters LaTeX has no command for are kept as UTF-8 and counted in ``Result/unencodable``.
enum LaTeXEncoder {
    struct Result {
        var latex: String
        /// Characters that had no 7-bit LaTeX form and were written as UTF-8 (ASCII mode only).
        var unencodable = 0
    }

    static func encode(_ text: String, rich: Bool, ascii: Bool, paragraphs: Bool = false) -> Result {
        var state = LaTeXEncoderState(ascii: ascii, paragraphs: paragraphs)
        if rich && text.contains("<") {
            for token in RichText.tokenize(text) {
                switch token {
                case .text(let part): state.encodeText(part)
                case .open(let style): state.output += Self.openCommand(style)
                case .close: state.output += "}"
                }
            }
        } else {
            state.encodeText(text)
        }
        return Result(latex: state.output, unencodable: state.unencodable)
    }

    private static func openCommand(_ style: RichText.Style) -> String {
        switch style {
        case .italic: return "\\textit{"
        case .bold: return "\\textbf{"
        case .smallCaps: return "\\textsc{"
        case .superscript: return "\\textsuperscript{"
        case .subscript: return "\\textsubscript{"
        case .noCase: return "{"
        }
    }

    /// True when `text` is already in NFC without asking Foundation: every scalar is below U+0300 (UTF-8 bytes
    /// below 0xCC). Such text has no combining mark and no character that NFC changes (the first of those, U+0340,
    /// lies above), so normalising it is the identity.
    static func isNFCByConstruction(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0xCC }
    }

    /// True when `text` needs no escaping in either mode (printable ASCII without LaTeX specials).
    static func isSafeASCII(_ text: String) -> Bool {
        for byte in text.utf8 {
            guard byte >= 0x20 && byte < 0x7F else { return false }
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "$"), UInt8(ascii: "&"),
                UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "^"),
                UInt8(ascii: "-"), UInt8(ascii: "`"), UInt8(ascii: "'"):
                return false
            default:
                continue
            }
        }
        return true
    }
}

private struct LaTeXEncoderState {
    let ascii: Bool
    let paragraphs: Bool
    var output = ""
    var unencodable = 0

    init(ascii: Bool, paragraphs: Bool) {
        self.ascii = ascii
        self.paragraphs = paragraphs
    }

    mutating func encodeText(_ text: String) {
        if LaTeXEncoder.isSafeASCII(text) {
            output += text
            return
        }
        let normalized = LaTeXEncoder.isNFCByConstruction(text) ? text : text.precomposedStringWithCanonicalMapping
        let scalars = Array(normalized.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\":
                if let end = Self.commandEnd(scalars, from: index) {
                    output.unicodeScalars.append(contentsOf: scalars[index..<end])
                    index = end
                    continue
                }
                output += "\\textbackslash{}"
            case "$":
                if let end = Self.mathEnd(scalars, from: index) {
                    output.unicodeScalars.append(contentsOf: scalars[index..<end])
                    index = end
                    continue
                }
                output += "\\$"
            case "&", "%", "#", "_", "{", "}":
                output += "\\"
                output.unicodeScalars.append(scalar)
            case "~": output += "\\textasciitilde{}"
            case "^": output += "\\textasciicircum{}"
            case "`": output += "\\textasciigrave{}"
            case "-":
                output += "-"
                // A literal "--" would read back as a dash.
                if index + 1 < scalars.count, scalars[index + 1] == "-" { output += "{}" }
            case "'":
                output += "'"
                if index + 1 < scalars.count, scalars[index + 1] == "'" { output += "{}" }
            case "\u{00A0}": output += "~"
            case "–": output += "--"
            case "—": output += "---"
            case "\n", "\r", "\u{2028}", "\u{2029}":
                // Paragraph breaks survive in fields that keep them; other line breaks are spaces.
                var end = index
                var breaks = 0
                while end < scalars.count, ["\n", "\r", "\u{2028}", "\u{2029}", " ", "\t"].contains(scalars[end]) {
                    if scalars[end] == "\n" || scalars[end] == "\u{2029}" { breaks += 1 }
                    end += 1
                }
                output += paragraphs && breaks >= 2 ? "\n\n" : " "
                index = end
                continue
            case "\t": output += " "
            default:
                if ascii, index + 1 < scalars.count, LaTeXTables.accentCommands[scalars[index + 1]] != nil {
                    // A base followed by combining marks that have no precomposed form (`ı́`, `q̃`).
                    var end = index + 1
                    while end < scalars.count, LaTeXTables.accentCommands[scalars[end]] != nil { end += 1 }
                    if let cluster = Self.accentCluster(scalar, scalars[(index + 1)..<end]) {
                        output += cluster
                        index = end
                        continue
                    }
                }
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    break  // control characters have no place in a field
                } else if scalar.isASCII || !ascii {
                    output.unicodeScalars.append(scalar)
                } else {
                    encodeNonASCII(scalar)
                }
            }
            index += 1
        }
    }

    /// Writes one non-ASCII character as LaTeX (ASCII mode).
    private mutating func encodeNonASCII(_ scalar: Unicode.Scalar) {
        switch scalar {
        case "“": output += "``"; return
        case "”": output += "''"; return
        case "‘": output += "`"; return
        case "\u{2009}": output += "\\,"; return
        default: break
        }
        if let name = LaTeXTables.symbolCommands[scalar] {
            output += "{\\" + name + "}"
            return
        }
        if let name = LaTeXTables.mathCommands[scalar] {
            output += "$\\" + name + "$"
            return
        }
        // Letters with accents: decompose and write each mark as an accent command.
        let decomposed = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
        if decomposed.count >= 2, let cluster = Self.accentCluster(decomposed[0], decomposed.dropFirst()) {
            output += cluster
            return
        }
        unencodable += 1
        output.unicodeScalars.append(scalar)
    }

    /// `{\"o}`, `{\'\i}`, `{\'{\"u}}`: a base letter and combining marks as accent commands; nil when the base
    /// or a mark has no LaTeX form.
    static func accentCluster(_ first: Unicode.Scalar, _ marks: ArraySlice<Unicode.Scalar>) -> String? {
        guard first.isASCII && first.properties.isAlphabetic || LaTeXTables.symbolCommands[first] != nil,
            marks.allSatisfy({ LaTeXTables.accentCommands[$0] != nil })
        else { return nil }
        var base: String
        if first == "i" || first == "ı" {
            base = "\\i"
        } else if first == "j" || first == "ȷ" {
            base = "\\j"
        } else if let name = LaTeXTables.symbolCommands[first] {
            base = "\\" + name
        } else {
            base = String(first)
        }
        for mark in marks {
            guard let command = LaTeXTables.accentCommands[mark] else { return nil }
            let isLetterCommand = command.unicodeScalars.first.map { $0.properties.isAlphabetic } ?? false
            if base.hasPrefix("\\") || isLetterCommand {
                base = "\\" + command + "{" + base + "}"
            } else {
                base = "\\" + command + base
            }
        }
        return "{" + base + "}"
    }

    /// The end of a command kept verbatim: `\` + letters + the balanced brace groups right after it.
    static func commandEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        while index < scalars.count, scalars[index].isASCII, scalars[index].properties.isAlphabetic { index += 1 }
        guard index > start + 1 else { return nil }
        // A command the decoder would turn into text was not kept verbatim by it: it is literal text.
        var name = ""
        name.unicodeScalars.append(contentsOf: scalars[(start + 1)..<index])
        guard !LaTeXTables.decodedCommands.contains(name) else { return nil }
        while index < scalars.count, scalars[index] == "{" {
            var depth = 0
            var end = index
            var closed = false
            while end < scalars.count {
                if scalars[end] == "\\" {
                    end += 2
                    continue
                }
                if scalars[end] == "{" { depth += 1 }
                if scalars[end] == "}" {
                    depth -= 1
                    if depth == 0 {
                        closed = true
                        break
                    }
                }
                end += 1
            }
            guard closed else { return nil }
            index = end + 1
        }
        return index
    }

    /// The end of a math span kept verbatim, or nil when the `$` is a dollar sign.
    static func mathEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        var meaningful = false
        while index < scalars.count, scalars[index] != "$" {
            let scalar = scalars[index]
            if scalar.properties.isAlphabetic || "\\^_{}".unicodeScalars.contains(scalar) { meaningful = true }
            if scalar == "\\" { index += 1 }
            index += 1
        }
        guard index < scalars.count, index > start + 1, meaningful else { return nil }
        let first = scalars[start + 1]
        let last = scalars[index - 1]
        guard first != " ", last != " " else { return nil }
        // Braces inside must balance, or the field would break.
        var depth = 0
        var probe = start + 1
        while probe < index {
            if scalars[probe] == "\\" {
                probe += 2
                continue
            }
            if scalars[probe] == "{" { depth += 1 }
            if scalars[probe] == "}" { depth -= 1 }
            if depth < 0 { return nil }
            probe += 1
        }
        return depth == 0 ? index + 1 : nil
    }
}
