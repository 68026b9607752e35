/// The character tables shared by ``LaTeXDecoder`` and ``LaTeXEncoder``, so that what one writes the other reads
/// back to the same text.
enum LaTeXTables {
    /// Accent commands and the combining mark each puts on its argument.
    static let accents: [String: Unicode.Scalar] = [
        "'": "\u{0301}", "`": "\u{0300}", "^": "\u{0302}", "\"": "\u{0308}", "~": "\u{0303}", "=": "\u{0304}",
        ".": "\u{0307}", "u": "\u{0306}", "v": "\u{030C}", "H": "\u{030B}", "c": "\u{0327}", "k": "\u{0328}",
        "r": "\u{030A}", "b": "\u{0331}", "d": "\u{0323}", "t": "\u{0361}", "textcommabelow": "\u{0326}",
        "G": "\u{030F}", "textogonekcentered": "\u{0328}", "h": "\u{0309}", "f": "\u{0311}",
    ]

    /// Combining mark → the accent command the encoder writes (the inverse of ``accents``, one name each).
    static let accentCommands: [Unicode.Scalar: String] = [
        "\u{0301}": "'", "\u{0300}": "`", "\u{0302}": "^", "\u{0308}": "\"", "\u{0303}": "~", "\u{0304}": "=",
        "\u{0307}": ".", "\u{0306}": "u", "\u{030C}": "v", "\u{030B}": "H", "\u{0327}": "c", "\u{0328}": "k",
        "\u{030A}": "r", "\u{0331}": "b", "\u{0323}": "d", "\u{0361}": "t", "\u{0326}": "textcommabelow",
        "\u{030F}": "G", "\u{0309}": "h", "\u{0311}": "f",
    ]

    /// Commands without argument that stand for one character or a short text (text mode).
    static let symbols: [String: String] = [
        // Letters
        "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "ae": "æ", "AE": "Æ",
        "oe": "œ", "OE": "Œ", "i": "ı", "j": "ȷ", "DJ": "Đ", "dj": "đ", "NG": "Ŋ", "ng": "ŋ", "th": "þ", "TH": "Þ",
        "dh": "ð", "DH": "Ð", "ij": "ĳ", "IJ": "Ĳ",
        // Punctuation and quotes
        "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
        "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
        "quotesinglbase": "‚", "quotedblbase": "„", "guillemotleft": "«", "guillemotright": "»",
        "guillemetleft": "«", "guillemetright": "»", "guilsinglleft": "‹", "guilsinglright": "›",
        "textquotesingle": "'", "textquotedbl": "\"", "textexclamdown": "¡", "textquestiondown": "¿",
        "textbullet": "•", "textperiodcentered": "·", "textdagger": "†", "dag": "†", "textdaggerdbl": "‡",
        "ddag": "‡", "textsection": "§", "S": "§", "textparagraph": "¶", "P": "¶", "slash": "/",
        "textbackslash": "\\", "textasciitilde": "~", "textasciigrave": "`", "textasciicircum": "^", "textunderscore": "_",
        "textbar": "|", "textbraceleft": "{", "textbraceright": "}", "textless": "<", "textgreater": ">",
        "textdollar": "$", "textpercent": "%", "textampersand": "&", "textasteriskcentered": "∗",
        "textvisiblespace": "␣", "textnumero": "№", "checkmark": "✓",
        // Currency, signs
        "pounds": "£", "textsterling": "£", "euro": "€", "texteuro": "€", "textyen": "¥", "textcent": "¢",
        "copyright": "©", "textcopyright": "©", "textregistered": "®", "texttrademark": "™",
        "textdegree": "°", "textordfeminine": "ª", "textordmasculine": "º", "textonehalf": "½",
        "textonequarter": "¼", "textthreequarters": "¾", "texttimes": "×", "textdiv": "÷", "textmu": "µ",
        "textpm": "±", "textminus": "−", "textonesuperior": "¹", "texttwosuperior": "²", "textthreesuperior": "³",
        // Spaces
        "nobreakspace": "\u{00A0}", "space": " ", "quad": "\u{2003}", "qquad": "\u{2003}\u{2003}",
        "enspace": "\u{2002}", "thinspace": "\u{2009}",
        // Logos
        "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
        "LuaTeX": "LuaTeX",
        // Greek in text mode (textgreek)
        "textalpha": "α", "textbeta": "β", "textgamma": "γ", "textdelta": "δ",
    ]

    /// The text-mode command the encoder writes for a character (the canonical inverse of ``symbols``).
    static let symbolCommands: [Unicode.Scalar: String] = [
        "ß": "ss", "ø": "o", "Ø": "O", "å": "aa", "Å": "AA", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "ı": "i", "ȷ": "j", "Đ": "DJ", "đ": "dj", "Ŋ": "NG", "ŋ": "ng", "þ": "th", "Þ": "TH",
        "ð": "dh", "Ð": "DH", "ĳ": "ij", "Ĳ": "IJ",
        "…": "ldots", "‘": "textquoteleft", "’": "textquoteright", "“": "textquotedblleft", "”": "textquotedblright",
        "‚": "quotesinglbase", "„": "quotedblbase", "«": "guillemotleft", "»": "guillemotright",
        "‹": "guilsinglleft", "›": "guilsinglright", "¡": "textexclamdown", "¿": "textquestiondown",
        "•": "textbullet", "·": "textperiodcentered", "†": "textdagger", "‡": "textdaggerdbl", "§": "S",
        "¶": "P", "∗": "textasteriskcentered", "␣": "textvisiblespace", "№": "textnumero",
        "£": "pounds", "€": "euro", "¥": "textyen", "¢": "textcent", "©": "copyright", "®": "textregistered",
        "™": "texttrademark", "°": "textdegree", "ª": "textordfeminine", "º": "textordmasculine",
        "½": "textonehalf", "¼": "textonequarter", "¾": "textthreequarters", "µ": "textmu",
        "¹": "textonesuperior", "²": "texttwosuperior", "³": "textthreesuperior",
        "\u{2003}": "quad", "\u{2002}": "enspace",
    ]

    /// Math-mode commands decoded to one character when they stand alone in `$…$`, and written back the same way.
    /// Only one name per character, so decoding and encoding are exact inverses.
    static let mathSymbols: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
        "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
        "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
        "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "⋅", "leq": "≤", "geq": "≥", "neq": "≠",
        "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡", "infty": "∞", "partial": "∂", "nabla": "∇",
        "sum": "∑", "prod": "∏", "int": "∫", "surd": "√", "rightarrow": "→", "leftarrow": "←",
        "leftrightarrow": "↔", "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "uparrow": "↑",
        "downarrow": "↓", "in": "∈", "notin": "∉", "subset": "⊂", "supset": "⊃", "subseteq": "⊆",
        "supseteq": "⊇", "cup": "∪", "cap": "∩", "emptyset": "∅", "forall": "∀", "exists": "∃", "neg": "¬",
        "wedge": "∧", "vee": "∨", "circ": "∘", "star": "⋆", "prime": "′", "ell": "ℓ", "hbar": "ℏ",
        "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "ll": "≪", "gg": "≫", "propto": "∝", "perp": "⊥", "parallel": "∥",
        "angle": "∠", "cdots": "⋯", "bullet": "∙", "langle": "⟨", "rangle": "⟩", "mapsto": "↦",
        "lesssim": "≲", "gtrsim": "≳",
    ]

    /// Character → math command (inverse of ``mathSymbols``).
    static let mathCommands: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        for (name, text) in mathSymbols {
            if let scalar = text.unicodeScalars.first { table[scalar] = name }
        }
        return table
    }()

    /// Characters that LaTeX gives a meaning and that text must escape, with their escaped form.
    static let specialEscapes: [UInt8: String] = [
        UInt8(ascii: "&"): "\\&", UInt8(ascii: "%"): "\\%", UInt8(ascii: "$"): "\\$", UInt8(ascii: "#"): "\\#",
        UInt8(ascii: "_"): "\\_", UInt8(ascii: "{"): "\\{", UInt8(ascii: "}"): "\\}",
        UInt8(ascii: "~"): "\\textasciitilde{}", UInt8(ascii: "^"): "\\textasciicircum{}",
        UInt8(ascii: "\\"): "\\textbackslash{}",
    ]

    /// One-argument commands that become rich-text markup.
    static let styleCommands: [String: RichTextStyleName] = [
        "textit": .italic, "emph": .italic, "textsl": .italic, "mkbibemph": .italic, "mkbibitalic": .italic,
        "textbf": .bold, "mkbibbold": .bold, "textsc": .smallCaps, "textsuperscript": .superscript,
        "mkbibsuperscript": .superscript, "textsubscript": .subscript, "mkbibsubscript": .subscript,
        "NoCaseChange": .noCase, "nocase": .noCase,
    ]

    /// Declarations that switch a style on until the end of their group (`{\em …}`, `{\bf …}`).
    static let styleSwitches: [String: RichTextStyleName] = [
        "em": .italic, "it": .italic, "itshape": .italic, "sl": .italic, "slshape": .italic,
        "bf": .bold, "bfseries": .bold, "sc": .smallCaps, "scshape": .smallCaps,
    ]

    /// Declarations and one-argument commands that only change the font family or shape back to normal: their
    /// text is kept, the command is dropped.
    static let neutralSwitches: Set<String> = [
        "rm", "sf", "tt", "normalfont", "upshape", "mdseries", "rmfamily", "sffamily", "ttfamily", "relax",
        "selectfont", "protect", "ignorespaces", "unskip", "null", "noindent",
    ]

    /// One-argument commands whose argument is kept as plain text.
    static let transparentCommands: Set<String> = [
        "textrm", "textnormal", "textup", "textsf", "texttt", "textmd", "mbox", "hbox", "text", "textlatin",
        "textenglish", "uline", "underline",
    ]
}

extension LaTeXTables {
    /// Every command name the decoder turns into text or markup. Text that holds one of them literally (kept
    /// verbatim from a URL, say) must be escaped when written, or it would be decoded on the way back.
    static let decodedCommands: Set<String> = {
        var names = Set(accents.keys).union(symbols.keys).union(styleCommands.keys).union(styleSwitches.keys)
        names.formUnion(neutralSwitches)
        names.formUnion(transparentCommands)
        names.formUnion([
            "url", "nolinkurl", "path", "doi", "href", "enquote", "mkbibquote", "textquote", "noopsort", "sortnoop",
            "SortNoop", "nocite", "foreignlanguage", "textcolor", "hyphenation", "ElsevierGlyph", "char", "par",
            "begin", "end",
        ])
        return names
    }()
}

/// The styles the decoder emits, named after ``RichText/Style``.
enum RichTextStyleName: Sendable {
    case italic, bold, smallCaps, superscript, `subscript`, noCase

    var openTag: String {
        switch self {
        case .italic: return "<i>"
        case .bold: return "<b>"
        case .smallCaps: return "<sc>"
        case .superscript: return "<sup>"
        case .subscript: return "<sub>"
        case .noCase: return "<span class=\"nocase\">"
        }
    }

    var closeTag: String {
        switch self {
        case .italic: return "</i>"
        case .bold: return "</b>"
        case .smallCaps: return "</sc>"
        case .superscript: return "</sup>"
        case .subscript: return "</sub>"
        case .noCase: return "</span>"
        }
    }
}

extension LaTeXTables {
    /// The combining marks of ``composedLetterTable``'s rows, in order: every mark of ``accents``.
    static let composedLetterMarks: [UInt32] = [
        0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0306, 0x0307, 0x0308, 0x0309, 0x030A, 0x030B, 0x030C, 0x030F,
        0x0311, 0x0323, 0x0326, 0x0327, 0x0328, 0x0331, 0x0361,
    ]

    /// The NFC composition of each ASCII letter with each mark of ``composedLetterMarks``, packed as
    /// ``LaTeXDecoder/pack(_:)`` packs it (UTF-8 bytes from the lowest, the count in the top byte): one row of 52 per
    /// mark, `A`–`Z` then `a`–`z`. Constants, so that no text pays a Foundation normalisation per letter (some
    /// 8,000 instructions each) to build its marks' tables; the tests compare every entry with that normalisation.
    static let composedLetterTable: [UInt32] = [
        // U+0300
        0x020080C3, 0x0380CC42, 0x0380CC43, 0x0380CC44, 0x020088C3, 0x0380CC46, 0x0380CC47, 0x0380CC48,
        0x02008CC3, 0x0380CC4A, 0x0380CC4B, 0x0380CC4C, 0x0380CC4D, 0x0200B8C7, 0x020092C3, 0x0380CC50,
        0x0380CC51, 0x0380CC52, 0x0380CC53, 0x0380CC54, 0x020099C3, 0x0380CC56, 0x0380BAE1, 0x0380CC58,
        0x03B2BBE1, 0x0380CC5A, 0x0200A0C3, 0x0380CC62, 0x0380CC63, 0x0380CC64, 0x0200A8C3, 0x0380CC66,
        0x0380CC67, 0x0380CC68, 0x0200ACC3, 0x0380CC6A, 0x0380CC6B, 0x0380CC6C, 0x0380CC6D, 0x0200B9C7,
        0x0200B2C3, 0x0380CC70, 0x0380CC71, 0x0380CC72, 0x0380CC73, 0x0380CC74, 0x0200B9C3, 0x0380CC76,
        0x0381BAE1, 0x0380CC78, 0x03B3BBE1, 0x0380CC7A,
        // U+0301
        0x020081C3, 0x0381CC42, 0x020086C4, 0x0381CC44, 0x020089C3, 0x0381CC46, 0x0200B4C7, 0x0381CC48,
        0x02008DC3, 0x0381CC4A, 0x03B0B8E1, 0x0200B9C4, 0x03BEB8E1, 0x020083C5, 0x020093C3, 0x0394B9E1,
        0x0381CC51, 0x020094C5, 0x02009AC5, 0x0381CC54, 0x02009AC3, 0x0381CC56, 0x0382BAE1, 0x0381CC58,
        0x02009DC3, 0x0200B9C5, 0x0200A1C3, 0x0381CC62, 0x020087C4, 0x0381CC64, 0x0200A9C3, 0x0381CC66,
        0x0200B5C7, 0x0381CC68, 0x0200ADC3, 0x0381CC6A, 0x03B1B8E1, 0x0200BAC4, 0x03BFB8E1, 0x020084C5,
        0x0200B3C3, 0x0395B9E1, 0x0381CC71, 0x020095C5, 0x02009BC5, 0x0381CC74, 0x0200BAC3, 0x0381CC76,
        0x0383BAE1, 0x0381CC78, 0x0200BDC3, 0x0200BAC5,
        // U+0302
        0x020082C3, 0x0382CC42, 0x020088C4, 0x0382CC44, 0x02008AC3, 0x0382CC46, 0x02009CC4, 0x0200A4C4,
        0x02008EC3, 0x0200B4C4, 0x0382CC4B, 0x0382CC4C, 0x0382CC4D, 0x0382CC4E, 0x020094C3, 0x0382CC50,
        0x0382CC51, 0x0382CC52, 0x02009CC5, 0x0382CC54, 0x02009BC3, 0x0382CC56, 0x0200B4C5, 0x0382CC58,
        0x0200B6C5, 0x0390BAE1, 0x0200A2C3, 0x0382CC62, 0x020089C4, 0x0382CC64, 0x0200AAC3, 0x0382CC66,
        0x02009DC4, 0x0200A5C4, 0x0200AEC3, 0x0200B5C4, 0x0382CC6B, 0x0382CC6C, 0x0382CC6D, 0x0382CC6E,
        0x0200B4C3, 0x0382CC70, 0x0382CC71, 0x0382CC72, 0x02009DC5, 0x0382CC74, 0x0200BBC3, 0x0382CC76,
        0x0200B5C5, 0x0382CC78, 0x0200B7C5, 0x0391BAE1,
        // U+0303
        0x020083C3, 0x0383CC42, 0x0383CC43, 0x0383CC44, 0x03BCBAE1, 0x0383CC46, 0x0383CC47, 0x0383CC48,
        0x0200A8C4, 0x0383CC4A, 0x0383CC4B, 0x0383CC4C, 0x0383CC4D, 0x020091C3, 0x020095C3, 0x0383CC50,
        0x0383CC51, 0x0383CC52, 0x0383CC53, 0x0383CC54, 0x0200A8C5, 0x03BCB9E1, 0x0383CC57, 0x0383CC58,
        0x03B8BBE1, 0x0383CC5A, 0x0200A3C3, 0x0383CC62, 0x0383CC63, 0x0383CC64, 0x03BDBAE1, 0x0383CC66,
        0x0383CC67, 0x0383CC68, 0x0200A9C4, 0x0383CC6A, 0x0383CC6B, 0x0383CC6C, 0x0383CC6D, 0x0200B1C3,
        0x0200B5C3, 0x0383CC70, 0x0383CC71, 0x0383CC72, 0x0383CC73, 0x0383CC74, 0x0200A9C5, 0x03BDB9E1,
        0x0383CC77, 0x0383CC78, 0x03B9BBE1, 0x0383CC7A,
        // U+0304
        0x020080C4, 0x0384CC42, 0x0384CC43, 0x0384CC44, 0x020092C4, 0x0384CC46, 0x03A0B8E1, 0x0384CC48,
        0x0200AAC4, 0x0384CC4A, 0x0384CC4B, 0x0384CC4C, 0x0384CC4D, 0x0384CC4E, 0x02008CC5, 0x0384CC50,
        0x0384CC51, 0x0384CC52, 0x0384CC53, 0x0384CC54, 0x0200AAC5, 0x0384CC56, 0x0384CC57, 0x0384CC58,
        0x0200B2C8, 0x0384CC5A, 0x020081C4, 0x0384CC62, 0x0384CC63, 0x0384CC64, 0x020093C4, 0x0384CC66,
        0x03A1B8E1, 0x0384CC68, 0x0200ABC4, 0x0384CC6A, 0x0384CC6B, 0x0384CC6C, 0x0384CC6D, 0x0384CC6E,
        0x02008DC5, 0x0384CC70, 0x0384CC71, 0x0384CC72, 0x0384CC73, 0x0384CC74, 0x0200ABC5, 0x0384CC76,
        0x0384CC77, 0x0384CC78, 0x0200B3C8, 0x0384CC7A,
        // U+0306
        0x020082C4, 0x0386CC42, 0x0386CC43, 0x0386CC44, 0x020094C4, 0x0386CC46, 0x02009EC4, 0x0386CC48,
        0x0200ACC4, 0x0386CC4A, 0x0386CC4B, 0x0386CC4C, 0x0386CC4D, 0x0386CC4E, 0x02008EC5, 0x0386CC50,
        0x0386CC51, 0x0386CC52, 0x0386CC53, 0x0386CC54, 0x0200ACC5, 0x0386CC56, 0x0386CC57, 0x0386CC58,
        0x0386CC59, 0x0386CC5A, 0x020083C4, 0x0386CC62, 0x0386CC63, 0x0386CC64, 0x020095C4, 0x0386CC66,
        0x02009FC4, 0x0386CC68, 0x0200ADC4, 0x0386CC6A, 0x0386CC6B, 0x0386CC6C, 0x0386CC6D, 0x0386CC6E,
        0x02008FC5, 0x0386CC70, 0x0386CC71, 0x0386CC72, 0x0386CC73, 0x0386CC74, 0x0200ADC5, 0x0386CC76,
        0x0386CC77, 0x0386CC78, 0x0386CC79, 0x0386CC7A,
        // U+0307
        0x0200A6C8, 0x0382B8E1, 0x02008AC4, 0x038AB8E1, 0x020096C4, 0x039EB8E1, 0x0200A0C4, 0x03A2B8E1,
        0x0200B0C4, 0x0387CC4A, 0x0387CC4B, 0x0387CC4C, 0x0380B9E1, 0x0384B9E1, 0x0200AEC8, 0x0396B9E1,
        0x0387CC51, 0x0398B9E1, 0x03A0B9E1, 0x03AAB9E1, 0x0387CC55, 0x0387CC56, 0x0386BAE1, 0x038ABAE1,
        0x038EBAE1, 0x0200BBC5, 0x0200A7C8, 0x0383B8E1, 0x02008BC4, 0x038BB8E1, 0x020097C4, 0x039FB8E1,
        0x0200A1C4, 0x03A3B8E1, 0x0387CC69, 0x0387CC6A, 0x0387CC6B, 0x0387CC6C, 0x0381B9E1, 0x0385B9E1,
        0x0200AFC8, 0x0397B9E1, 0x0387CC71, 0x0399B9E1, 0x03A1B9E1, 0x03ABB9E1, 0x0387CC75, 0x0387CC76,
        0x0387BAE1, 0x038BBAE1, 0x038FBAE1, 0x0200BCC5,
        // U+0308
        0x020084C3, 0x0388CC42, 0x0388CC43, 0x0388CC44, 0x02008BC3, 0x0388CC46, 0x0388CC47, 0x03A6B8E1,
        0x02008FC3, 0x0388CC4A, 0x0388CC4B, 0x0388CC4C, 0x0388CC4D, 0x0388CC4E, 0x020096C3, 0x0388CC50,
        0x0388CC51, 0x0388CC52, 0x0388CC53, 0x0388CC54, 0x02009CC3, 0x0388CC56, 0x0384BAE1, 0x038CBAE1,
        0x0200B8C5, 0x0388CC5A, 0x0200A4C3, 0x0388CC62, 0x0388CC63, 0x0388CC64, 0x0200ABC3, 0x0388CC66,
        0x0388CC67, 0x03A7B8E1, 0x0200AFC3, 0x0388CC6A, 0x0388CC6B, 0x0388CC6C, 0x0388CC6D, 0x0388CC6E,
        0x0200B6C3, 0x0388CC70, 0x0388CC71, 0x0388CC72, 0x0388CC73, 0x0397BAE1, 0x0200BCC3, 0x0388CC76,
        0x0385BAE1, 0x038DBAE1, 0x0200BFC3, 0x0388CC7A,
        // U+0309
        0x03A2BAE1, 0x0389CC42, 0x0389CC43, 0x0389CC44, 0x03BABAE1, 0x0389CC46, 0x0389CC47, 0x0389CC48,
        0x0388BBE1, 0x0389CC4A, 0x0389CC4B, 0x0389CC4C, 0x0389CC4D, 0x0389CC4E, 0x038EBBE1, 0x0389CC50,
        0x0389CC51, 0x0389CC52, 0x0389CC53, 0x0389CC54, 0x03A6BBE1, 0x0389CC56, 0x0389CC57, 0x0389CC58,
        0x03B6BBE1, 0x0389CC5A, 0x03A3BAE1, 0x0389CC62, 0x0389CC63, 0x0389CC64, 0x03BBBAE1, 0x0389CC66,
        0x0389CC67, 0x0389CC68, 0x0389BBE1, 0x0389CC6A, 0x0389CC6B, 0x0389CC6C, 0x0389CC6D, 0x0389CC6E,
        0x038FBBE1, 0x0389CC70, 0x0389CC71, 0x0389CC72, 0x0389CC73, 0x0389CC74, 0x03A7BBE1, 0x0389CC76,
        0x0389CC77, 0x0389CC78, 0x03B7BBE1, 0x0389CC7A,
        // U+030A
        0x020085C3, 0x038ACC42, 0x038ACC43, 0x038ACC44, 0x038ACC45, 0x038ACC46, 0x038ACC47, 0x038ACC48,
        0x038ACC49, 0x038ACC4A, 0x038ACC4B, 0x038ACC4C, 0x038ACC4D, 0x038ACC4E, 0x038ACC4F, 0x038ACC50,
        0x038ACC51, 0x038ACC52, 0x038ACC53, 0x038ACC54, 0x0200AEC5, 0x038ACC56, 0x038ACC57, 0x038ACC58,
        0x038ACC59, 0x038ACC5A, 0x0200A5C3, 0x038ACC62, 0x038ACC63, 0x038ACC64, 0x038ACC65, 0x038ACC66,
        0x038ACC67, 0x038ACC68, 0x038ACC69, 0x038ACC6A, 0x038ACC6B, 0x038ACC6C, 0x038ACC6D, 0x038ACC6E,
        0x038ACC6F, 0x038ACC70, 0x038ACC71, 0x038ACC72, 0x038ACC73, 0x038ACC74, 0x0200AFC5, 0x038ACC76,
        0x0398BAE1, 0x038ACC78, 0x0399BAE1, 0x038ACC7A,
        // U+030B
        0x038BCC41, 0x038BCC42, 0x038BCC43, 0x038BCC44, 0x038BCC45, 0x038BCC46, 0x038BCC47, 0x038BCC48,
        0x038BCC49, 0x038BCC4A, 0x038BCC4B, 0x038BCC4C, 0x038BCC4D, 0x038BCC4E, 0x020090C5, 0x038BCC50,
        0x038BCC51, 0x038BCC52, 0x038BCC53, 0x038BCC54, 0x0200B0C5, 0x038BCC56, 0x038BCC57, 0x038BCC58,
        0x038BCC59, 0x038BCC5A, 0x038BCC61, 0x038BCC62, 0x038BCC63, 0x038BCC64, 0x038BCC65, 0x038BCC66,
        0x038BCC67, 0x038BCC68, 0x038BCC69, 0x038BCC6A, 0x038BCC6B, 0x038BCC6C, 0x038BCC6D, 0x038BCC6E,
        0x020091C5, 0x038BCC70, 0x038BCC71, 0x038BCC72, 0x038BCC73, 0x038BCC74, 0x0200B1C5, 0x038BCC76,
        0x038BCC77, 0x038BCC78, 0x038BCC79, 0x038BCC7A,
        // U+030C
        0x02008DC7, 0x038CCC42, 0x02008CC4, 0x02008EC4, 0x02009AC4, 0x038CCC46, 0x0200A6C7, 0x02009EC8,
        0x02008FC7, 0x038CCC4A, 0x0200A8C7, 0x0200BDC4, 0x038CCC4D, 0x020087C5, 0x020091C7, 0x038CCC50,
        0x038CCC51, 0x020098C5, 0x0200A0C5, 0x0200A4C5, 0x020093C7, 0x038CCC56, 0x038CCC57, 0x038CCC58,
        0x038CCC59, 0x0200BDC5, 0x02008EC7, 0x038CCC62, 0x02008DC4, 0x02008FC4, 0x02009BC4, 0x038CCC66,
        0x0200A7C7, 0x02009FC8, 0x020090C7, 0x0200B0C7, 0x0200A9C7, 0x0200BEC4, 0x038CCC6D, 0x020088C5,
        0x020092C7, 0x038CCC70, 0x038CCC71, 0x020099C5, 0x0200A1C5, 0x0200A5C5, 0x020094C7, 0x038CCC76,
        0x038CCC77, 0x038CCC78, 0x038CCC79, 0x0200BEC5,
        // U+030F
        0x020080C8, 0x038FCC42, 0x038FCC43, 0x038FCC44, 0x020084C8, 0x038FCC46, 0x038FCC47, 0x038FCC48,
        0x020088C8, 0x038FCC4A, 0x038FCC4B, 0x038FCC4C, 0x038FCC4D, 0x038FCC4E, 0x02008CC8, 0x038FCC50,
        0x038FCC51, 0x020090C8, 0x038FCC53, 0x038FCC54, 0x020094C8, 0x038FCC56, 0x038FCC57, 0x038FCC58,
        0x038FCC59, 0x038FCC5A, 0x020081C8, 0x038FCC62, 0x038FCC63, 0x038FCC64, 0x020085C8, 0x038FCC66,
        0x038FCC67, 0x038FCC68, 0x020089C8, 0x038FCC6A, 0x038FCC6B, 0x038FCC6C, 0x038FCC6D, 0x038FCC6E,
        0x02008DC8, 0x038FCC70, 0x038FCC71, 0x020091C8, 0x038FCC73, 0x038FCC74, 0x020095C8, 0x038FCC76,
        0x038FCC77, 0x038FCC78, 0x038FCC79, 0x038FCC7A,
        // U+0311
        0x020082C8, 0x0391CC42, 0x0391CC43, 0x0391CC44, 0x020086C8, 0x0391CC46, 0x0391CC47, 0x0391CC48,
        0x02008AC8, 0x0391CC4A, 0x0391CC4B, 0x0391CC4C, 0x0391CC4D, 0x0391CC4E, 0x02008EC8, 0x0391CC50,
        0x0391CC51, 0x020092C8, 0x0391CC53, 0x0391CC54, 0x020096C8, 0x0391CC56, 0x0391CC57, 0x0391CC58,
        0x0391CC59, 0x0391CC5A, 0x020083C8, 0x0391CC62, 0x0391CC63, 0x0391CC64, 0x020087C8, 0x0391CC66,
        0x0391CC67, 0x0391CC68, 0x02008BC8, 0x0391CC6A, 0x0391CC6B, 0x0391CC6C, 0x0391CC6D, 0x0391CC6E,
        0x02008FC8, 0x0391CC70, 0x0391CC71, 0x020093C8, 0x0391CC73, 0x0391CC74, 0x020097C8, 0x0391CC76,
        0x0391CC77, 0x0391CC78, 0x0391CC79, 0x0391CC7A,
        // U+0323
        0x03A0BAE1, 0x0384B8E1, 0x03A3CC43, 0x038CB8E1, 0x03B8BAE1, 0x03A3CC46, 0x03A3CC47, 0x03A4B8E1,
        0x038ABBE1, 0x03A3CC4A, 0x03B2B8E1, 0x03B6B8E1, 0x0382B9E1, 0x0386B9E1, 0x038CBBE1, 0x03A3CC50,
        0x03A3CC51, 0x039AB9E1, 0x03A2B9E1, 0x03ACB9E1, 0x03A4BBE1, 0x03BEB9E1, 0x0388BAE1, 0x03A3CC58,
        0x03B4BBE1, 0x0392BAE1, 0x03A1BAE1, 0x0385B8E1, 0x03A3CC63, 0x038DB8E1, 0x03B9BAE1, 0x03A3CC66,
        0x03A3CC67, 0x03A5B8E1, 0x038BBBE1, 0x03A3CC6A, 0x03B3B8E1, 0x03B7B8E1, 0x0383B9E1, 0x0387B9E1,
        0x038DBBE1, 0x03A3CC70, 0x03A3CC71, 0x039BB9E1, 0x03A3B9E1, 0x03ADB9E1, 0x03A5BBE1, 0x03BFB9E1,
        0x0389BAE1, 0x03A3CC78, 0x03B5BBE1, 0x0393BAE1,
        // U+0326
        0x03A6CC41, 0x03A6CC42, 0x03A6CC43, 0x03A6CC44, 0x03A6CC45, 0x03A6CC46, 0x03A6CC47, 0x03A6CC48,
        0x03A6CC49, 0x03A6CC4A, 0x03A6CC4B, 0x03A6CC4C, 0x03A6CC4D, 0x03A6CC4E, 0x03A6CC4F, 0x03A6CC50,
        0x03A6CC51, 0x03A6CC52, 0x020098C8, 0x02009AC8, 0x03A6CC55, 0x03A6CC56, 0x03A6CC57, 0x03A6CC58,
        0x03A6CC59, 0x03A6CC5A, 0x03A6CC61, 0x03A6CC62, 0x03A6CC63, 0x03A6CC64, 0x03A6CC65, 0x03A6CC66,
        0x03A6CC67, 0x03A6CC68, 0x03A6CC69, 0x03A6CC6A, 0x03A6CC6B, 0x03A6CC6C, 0x03A6CC6D, 0x03A6CC6E,
        0x03A6CC6F, 0x03A6CC70, 0x03A6CC71, 0x03A6CC72, 0x020099C8, 0x02009BC8, 0x03A6CC75, 0x03A6CC76,
        0x03A6CC77, 0x03A6CC78, 0x03A6CC79, 0x03A6CC7A,
        // U+0327
        0x03A7CC41, 0x03A7CC42, 0x020087C3, 0x0390B8E1, 0x0200A8C8, 0x03A7CC46, 0x0200A2C4, 0x03A8B8E1,
        0x03A7CC49, 0x03A7CC4A, 0x0200B6C4, 0x0200BBC4, 0x03A7CC4D, 0x020085C5, 0x03A7CC4F, 0x03A7CC50,
        0x03A7CC51, 0x020096C5, 0x02009EC5, 0x0200A2C5, 0x03A7CC55, 0x03A7CC56, 0x03A7CC57, 0x03A7CC58,
        0x03A7CC59, 0x03A7CC5A, 0x03A7CC61, 0x03A7CC62, 0x0200A7C3, 0x0391B8E1, 0x0200A9C8, 0x03A7CC66,
        0x0200A3C4, 0x03A9B8E1, 0x03A7CC69, 0x03A7CC6A, 0x0200B7C4, 0x0200BCC4, 0x03A7CC6D, 0x020086C5,
        0x03A7CC6F, 0x03A7CC70, 0x03A7CC71, 0x020097C5, 0x02009FC5, 0x0200A3C5, 0x03A7CC75, 0x03A7CC76,
        0x03A7CC77, 0x03A7CC78, 0x03A7CC79, 0x03A7CC7A,
        // U+0328
        0x020084C4, 0x03A8CC42, 0x03A8CC43, 0x03A8CC44, 0x020098C4, 0x03A8CC46, 0x03A8CC47, 0x03A8CC48,
        0x0200AEC4, 0x03A8CC4A, 0x03A8CC4B, 0x03A8CC4C, 0x03A8CC4D, 0x03A8CC4E, 0x0200AAC7, 0x03A8CC50,
        0x03A8CC51, 0x03A8CC52, 0x03A8CC53, 0x03A8CC54, 0x0200B2C5, 0x03A8CC56, 0x03A8CC57, 0x03A8CC58,
        0x03A8CC59, 0x03A8CC5A, 0x020085C4, 0x03A8CC62, 0x03A8CC63, 0x03A8CC64, 0x020099C4, 0x03A8CC66,
        0x03A8CC67, 0x03A8CC68, 0x0200AFC4, 0x03A8CC6A, 0x03A8CC6B, 0x03A8CC6C, 0x03A8CC6D, 0x03A8CC6E,
        0x0200ABC7, 0x03A8CC70, 0x03A8CC71, 0x03A8CC72, 0x03A8CC73, 0x03A8CC74, 0x0200B3C5, 0x03A8CC76,
        0x03A8CC77, 0x03A8CC78, 0x03A8CC79, 0x03A8CC7A,
        // U+0331
        0x03B1CC41, 0x0386B8E1, 0x03B1CC43, 0x038EB8E1, 0x03B1CC45, 0x03B1CC46, 0x03B1CC47, 0x03B1CC48,
        0x03B1CC49, 0x03B1CC4A, 0x03B4B8E1, 0x03BAB8E1, 0x03B1CC4D, 0x0388B9E1, 0x03B1CC4F, 0x03B1CC50,
        0x03B1CC51, 0x039EB9E1, 0x03B1CC53, 0x03AEB9E1, 0x03B1CC55, 0x03B1CC56, 0x03B1CC57, 0x03B1CC58,
        0x03B1CC59, 0x0394BAE1, 0x03B1CC61, 0x0387B8E1, 0x03B1CC63, 0x038FB8E1, 0x03B1CC65, 0x03B1CC66,
        0x03B1CC67, 0x0396BAE1, 0x03B1CC69, 0x03B1CC6A, 0x03B5B8E1, 0x03BBB8E1, 0x03B1CC6D, 0x0389B9E1,
        0x03B1CC6F, 0x03B1CC70, 0x03B1CC71, 0x039FB9E1, 0x03B1CC73, 0x03AFB9E1, 0x03B1CC75, 0x03B1CC76,
        0x03B1CC77, 0x03B1CC78, 0x03B1CC79, 0x0395BAE1,
        // U+0361
        0x03A1CD41, 0x03A1CD42, 0x03A1CD43, 0x03A1CD44, 0x03A1CD45, 0x03A1CD46, 0x03A1CD47, 0x03A1CD48,
        0x03A1CD49, 0x03A1CD4A, 0x03A1CD4B, 0x03A1CD4C, 0x03A1CD4D, 0x03A1CD4E, 0x03A1CD4F, 0x03A1CD50,
        0x03A1CD51, 0x03A1CD52, 0x03A1CD53, 0x03A1CD54, 0x03A1CD55, 0x03A1CD56, 0x03A1CD57, 0x03A1CD58,
        0x03A1CD59, 0x03A1CD5A, 0x03A1CD61, 0x03A1CD62, 0x03A1CD63, 0x03A1CD64, 0x03A1CD65, 0x03A1CD66,
        0x03A1CD67, 0x03A1CD68, 0x03A1CD69, 0x03A1CD6A, 0x03A1CD6B, 0x03A1CD6C, 0x03A1CD6D, 0x03A1CD6E,
        0x03A1CD6F, 0x03A1CD70, 0x03A1CD71, 0x03A1CD72, 0x03A1CD73, 0x03A1CD74, 0x03A1CD75, 0x03A1CD76,
        0x03A1CD77, 0x03A1CD78, 0x03A1CD79, 0x03A1CD7A,
    ]
}
