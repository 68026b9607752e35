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
        // Without a `<` byte the rich text has no markup (``RichText/tokenize(_:)`` returns it as one text).
        let markup = rich && text.utf8.contains(UInt8(ascii: "<")) && text.bibContains("<")
        if !markup && isSafeASCII(text) { return Result(latex: text) }
        var state = LaTeXEncoderState(ascii: ascii, paragraphs: paragraphs)
        if markup {
            for token in RichText.tokenize(text) {
                switch token {
                case .text(let part): state.encodeText(part)
                case .open(let style): state.output.append(contentsOf: (Self.openCommand(style)).utf8)
                case .close: state.output.append(contentsOf: ("}").utf8)
                }
            }
        } else {
            state.encodeText(text)
        }
        return Result(latex: String(decoding: state.output, as: UTF8.self), unencodable: state.unencodable)
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
        if text.utf8.allSatisfy({ $0 < 0xCC }) { return true }
        for scalar in text.unicodeScalars where scalar.value >= 0x300 {
            let value = Int(scalar.value)
            if value >= 0x370 && value < 0x400 {
                if !inertScalars[value - 0x370] { return false }
            } else if value >= 0x2000 && value < 0x2C00 {
                if !inertScalars[value - 0x2000 + 0x90] { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// For Greek (U+0370–U+03FF) and the punctuation, symbol and arrow blocks (U+2000–U+2BFF), at
    /// `value - 0x370` and `0x90 + value - 0x2000`: true when the scalar has no canonical decomposition and combining
    /// class 0. A text of such scalars and scalars below U+0300 is NFC: nothing decomposes, nothing reorders,
    /// and nothing composes (the only class-0 scalars that compose with the one before them are Hangul and Indic
    /// vowel signs, outside these blocks).
    static let inertScalars: [Bool] = (Array(0x370..<0x400) + Array(0x2000..<0x2C00)).map { value in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return false }
        let text = String(scalar)
        return scalar.properties.canonicalCombiningClass == .notReordered
            && Array(text.decomposedStringWithCanonicalMapping.unicodeScalars) == [scalar]
    }

    /// The canonical decomposition of a scalar; read from a table built once for U+0080–U+024F (the accented
    /// Latin letters the `bibtex` dialect writes as accent commands).
    static func decomposition(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if scalar.value >= 0x80 && scalar.value < 0x250 { return latinDecompositions[Int(scalar.value) - 0x80] }
        return Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
    }

    static let latinDecompositions: [[Unicode.Scalar]] = (0x80..<0x250).map { value in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return [] }
        return Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
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
    /// The LaTeX written so far, as UTF-8 (appending bytes is cheaper than appending scalars to a string).
    var output: [UInt8] = []
    var unencodable = 0

    @inline(__always)
    mutating func appendScalar(_ scalar: Unicode.Scalar) {
        if scalar.value < 0x80 {
            output.append(UInt8(truncatingIfNeeded: scalar.value))
        } else {
            UTF8.encode(scalar) { output.append($0) }
        }
    }

    mutating func appendScalars(_ scalars: ArraySlice<Unicode.Scalar>) {
        for scalar in scalars { appendScalar(scalar) }
    }

    init(ascii: Bool, paragraphs: Bool) {
        self.ascii = ascii
        self.paragraphs = paragraphs
    }

    mutating func encodeText(_ text: String) {
        if LaTeXEncoder.isSafeASCII(text) {
            output.append(contentsOf: (text).utf8)
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
                    appendScalars(scalars[index..<end])
                    index = end
                    continue
                }
                output.append(contentsOf: ("\\textbackslash{}").utf8)
            case "$":
                if let end = Self.mathEnd(scalars, from: index) {
                    appendScalars(scalars[index..<end])
                    index = end
                    continue
                }
                output.append(contentsOf: ("\\$").utf8)
            case "&", "%", "#", "_", "{", "}":
                output.append(contentsOf: ("\\").utf8)
                appendScalar(scalar)
            case "~": output.append(contentsOf: ("\\textasciitilde{}").utf8)
            case "^": output.append(contentsOf: ("\\textasciicircum{}").utf8)
            case "`": output.append(contentsOf: ("\\textasciigrave{}").utf8)
            case "-":
                output.append(contentsOf: ("-").utf8)
                // A literal "--" would read back as a dash.
                if index + 1 < scalars.count, scalars[index + 1] == "-" { output.append(contentsOf: "{}".utf8) }
            case "'":
                output.append(contentsOf: ("'").utf8)
                if index + 1 < scalars.count, scalars[index + 1] == "'" { output.append(contentsOf: "{}".utf8) }
            case "\u{00A0}": output.append(contentsOf: ("~").utf8)
            case "–": output.append(contentsOf: ("--").utf8)
            case "—": output.append(contentsOf: ("---").utf8)
            case "\n", "\r", "\u{2028}", "\u{2029}":
                // Paragraph breaks survive in fields that keep them; other line breaks are spaces.
                var end = index
                var breaks = 0
                while end < scalars.count, ["\n", "\r", "\u{2028}", "\u{2029}", " ", "\t"].contains(scalars[end]) {
                    if scalars[end] == "\n" || scalars[end] == "\u{2029}" { breaks += 1 }
                    end += 1
                }
                output.append(contentsOf: (paragraphs && breaks >= 2 ? "\n\n" : " ").utf8)
                index = end
                continue
            case "\t": output.append(contentsOf: (" ").utf8)
            default:
                // (Every combining mark of the table is at U+0300 or above: a smaller scalar needs no lookup.)
                if ascii, index + 1 < scalars.count, scalars[index + 1].value >= 0x300,
                    LaTeXTables.accentCommands[scalars[index + 1]] != nil
                {
                    // A base followed by combining marks that have no precomposed form (`ı́`, `q̃`).
                    var end = index + 1
                    while end < scalars.count, LaTeXTables.accentCommands[scalars[end]] != nil { end += 1 }
                    if let cluster = Self.accentCluster(scalar, scalars[(index + 1)..<end]) {
                        output.append(contentsOf: (cluster).utf8)
                        index = end
                        continue
                    }
                }
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    break  // control characters have no place in a field
                } else if scalar.isASCII || !ascii {
                    appendScalar(scalar)
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
        case "“": output.append(contentsOf: ("``").utf8); return
        case "”": output.append(contentsOf: ("''").utf8); return
        case "‘": output.append(contentsOf: ("`").utf8); return
        case "\u{2009}": output.append(contentsOf: ("\\,").utf8); return
        default: break
        }
        if let name = LaTeXTables.symbolCommands[scalar] {
            output.append(contentsOf: ("{\\" + name + "}").utf8)
            return
        }
        if let name = LaTeXTables.mathCommands[scalar] {
            output.append(contentsOf: ("$\\" + name + "$").utf8)
            return
        }
        // Letters with accents: decompose and write each mark as an accent command.
        let decomposed = LaTeXEncoder.decomposition(scalar)
        if decomposed.count >= 2, let cluster = Self.accentCluster(decomposed[0], decomposed.dropFirst()) {
            output.append(contentsOf: (cluster).utf8)
            return
        }
        unencodable += 1
        appendScalar(scalar)
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
