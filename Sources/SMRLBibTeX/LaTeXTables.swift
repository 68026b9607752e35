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
