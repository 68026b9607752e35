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
        if !rich && isSafeASCII(text) { return Result(latex: text) }
        var output = ByteBuffer(capacity: text.utf8.count + text.utf8.count / 8 + 16)
        let unencodable = encode(text, rich: rich, ascii: ascii, paragraphs: paragraphs, into: &output)
        return Result(latex: output.text, unencodable: unencodable)
    }

    /// The encoding by the general, scalar-by-scalar path: the reference the byte path (``encode(_:rich:ascii:paragraphs:)``)
    /// must agree with.
    static func encodeSlowly(_ text: String, rich: Bool, ascii: Bool, paragraphs: Bool = false) -> Result {
        // Without a `<` byte the rich text has no markup (``RichText/tokenize(_:)`` returns it as one text).
        let markup = rich && hasLessThan(text) && text.bibContains("<")
        if !markup && isSafeASCII(text) { return Result(latex: text) }
        var state = LaTeXEncoderState(ascii: ascii, paragraphs: paragraphs)
        state.output.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 16)
        if markup {
            for token in RichText.tokenize(text) {
                switch token {
                case .text(let part): state.encodeTextSlowly(part)
                case .open(let style): state.output.append(contentsOf: (Self.openCommand(style)).utf8)
                case .close: state.output.append(contentsOf: ("}").utf8)
                }
            }
        } else {
            state.encodeTextSlowly(text)
        }
        return Result(latex: state.output.text, unencodable: state.unencodable)
    }

    /// The byte path: appends the LaTeX of `text` to `output` (the UTF-8 of the entry being written, so no String
    /// is made per value) and returns the number of characters without a 7-bit LaTeX form (``Result/unencodable``).
    static func encode(_ text: String, rich: Bool, ascii: Bool, paragraphs: Bool, into output: inout ByteBuffer) -> Int {
        var state = LaTeXEncoderState(ascii: ascii, paragraphs: paragraphs)
        swap(&state.output, &output)
        var copy = text
        copy.withUTF8 { bytes in
            // A value is markup only when a `<` is followed by a byte that starts a tag (`i b s /`): otherwise
            // ``RichText/tokenize(_:)`` gives the value back as one text, so it is encoded as one.
            // (``String/bibContainsPunctuation(_:)`` for `<`, its byte answer kept: when there is one, every
            // non-ASCII character is punctuation-inert and the tags can be found by their bytes.)
            var markup = false
            var inert = false
            if rich && mayHoldTag(bytes) {
                if let decided = containsPunctuation(bytes, UInt8(ascii: "<")) {
                    markup = decided
                    inert = true
                } else {
                    markup = text.bibContains("<")
                }
            }
            if markup && inert {
                state.encodeMarkup(bytes)
            } else if markup {
                for token in RichText.tokenize(text) {
                    switch token {
                    case .text(let part): state.encodeText(part)
                    case .open(let style): state.output.append(contentsOf: (Self.openCommand(style)).utf8)
                    case .close: state.output.append(UInt8(ascii: "}"))
                    }
                }
            } else {
                state.encodeBytes(bytes, of: text)
            }
        }
        swap(&state.output, &output)
        return state.unencodable
    }

    /// ``encode(_:rich:ascii:paragraphs:into:)`` for a plain-text value (no markup, no paragraphs) whose UTF-8
    /// the caller holds.
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, of text: String, ascii: Bool, into output: inout ByteBuffer)
        -> Int
    {
        var state = LaTeXEncoderState(ascii: ascii, paragraphs: false)
        swap(&state.output, &output)
        state.encodeBytes(bytes, of: text)
        swap(&state.output, &output)
        return state.unencodable
    }

    /// True when some `<` is followed by `i`, `b`, `s` or `/`, the bytes every tag of ``RichText`` starts with.
    static func mayHoldTag(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var index = 0
        let count = bytes.count
        while index + 1 < count {
            guard let found = memchr(base + index, Int32(UInt8(ascii: "<")), count - index - 1) else { return false }
            let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            switch bytes[at + 1] {
            case UInt8(ascii: "i"), UInt8(ascii: "b"), UInt8(ascii: "s"), UInt8(ascii: "/"): return true
            default: index = at + 1
            }
        }
        return false
    }

    /// Each style of ``RichText/Style/allCases`` in order, with the UTF-8 of its tags and its LaTeX command.
    static let markupTags: [(style: RichText.Style, open: [UInt8], close: [UInt8], command: String)] =
        RichText.Style.allCases.map { ($0, Array($0.openTag.utf8), Array($0.closeTag.utf8), openCommand($0)) }

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
        if let answer = text.utf8.withContiguousStorageIfAvailable({ isNFCByConstruction($0, from: 0) }) {
            return answer
        }
        return isNFCByConstructionSlowly(text)
    }

    /// ``isNFCByConstruction(_:)`` on UTF-8 from `start` (a scalar boundary after which the answer is decided: the
    /// scalars before it are below U+0300).
    static func isNFCByConstruction(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = start
        let count = bytes.count
        while index < count {
            // Eight ASCII bytes at a time.
            if index + 8 <= count,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            // A lead byte below 0xCC (and every continuation byte) starts no scalar at or above U+0300.
            if bytes[index] < 0xCC {
                index += 1
                continue
            }
            let (scalar, length) = LaTeXEncoderState.scalar(bytes, at: index)
            if !isInert(scalar.value) { return false }
            index += length
        }
        return true
    }

    /// A scalar at or above U+0300 that leaves NFC as it is (``inertBits``, and the precomposed letters of
    /// U+1E00–U+1EFF).
    @inline(__always)
    static func isInert(_ value: UInt32) -> Bool {
        if value >= 0x370 && value < 0x400 { return isInertSlot(Int(value) - 0x370) }
        if value >= 0x2000 && value < 0x2C00 { return isInertSlot(Int(value) - 0x2000 + 0x90) }
        return isStablePrecomposedLetter(value)
    }

    /// True for U+1E00–U+1EFF (Latin Extended Additional: `ễ`, `ạ`, `ḍ`), letters of combining class 0 that are
    /// each its own NFC and that compose with no scalar before them (only combining marks and the Hangul and Indic
    /// vowel signs do that). Unlike the scalars of ``inertBits`` most decompose, but a letter before them is left
    /// alone by NFC, and one they would compose with after them is a combining mark, at or above U+0300 and not
    /// inert: a text of these, inert scalars and scalars below U+0300 is NFC. BibTeXFastPathTests checks each of
    /// them against Foundation, alone and beside other letters.
    @inline(__always)
    static func isStablePrecomposedLetter(_ value: UInt32) -> Bool { value >= 0x1E00 && value < 0x1F00 }

    @inline(__always)
    static func isInertSlot(_ slot: Int) -> Bool { inertBits[slot >> 6] >> UInt64(slot & 63) & 1 != 0 }

    static func isNFCByConstructionSlowly(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0xCC }) { return true }
        for scalar in text.unicodeScalars where scalar.value >= 0x300 {
            if !isInert(scalar.value) { return false }
        }
        return true
    }

    /// For Greek (U+0370–U+03FF) and the punctuation, symbol and arrow blocks (U+2000–U+2BFF), bit
    /// `value - 0x370` and `0x90 + value - 0x2000` (bit `n % 64` of word `n / 64`): set when the scalar has no
    /// canonical decomposition and combining class 0. A text of such scalars and scalars below U+0300 is NFC:
    /// nothing decomposes, nothing reorders, and nothing composes (the only class-0 scalars that compose with the
    /// one before them are Hangul and Indic vowel signs, outside these blocks). A constant, not computed at start:
    /// asking Foundation for the 3,216 decompositions cost 20 million instructions (about 6 ms) in every process
    /// that wrote BibTeX; BibTeXFastPathTests computes the table again from Foundation and compares.
    static let inertBits: [UInt64] = [
        0x03FF_FFFE_281F_BFEF, 0xFFFF_FFE7_83FF_FFFE, 0xFFFF_FFFF_FFFC_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0x001D_E000_FFFF_FFFF, 0xF3BF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF,
        0xBFFF_F3FF_FFFF_FFFF, 0xFFFF_FFFF_1FFF_FFFF, 0xFFAF_FFFF_EDEF_FFFF, 0x1FFA_FFFF_FD6D_FFFF,
        0x0FFF_FFFF_FCCC_FCCC, 0xC3F0_FFFF_FFFF_FFFF, 0xF9FF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_EFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF,
        0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0x0000_0000_0000_FFFF,
    ]

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

    /// True when the text holds a `<` byte.
    static func hasLessThan(_ text: String) -> Bool {
        if let answer = text.utf8.withContiguousStorageIfAvailable({ bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, Int32(UInt8(ascii: "<")), bytes.count) != nil
        }) {
            return answer
        }
        return text.utf8.contains(UInt8(ascii: "<"))
    }

    /// True when `text` needs no escaping in either mode (printable ASCII without LaTeX specials).
    static func isSafeASCII(_ text: String) -> Bool {
        if let answer = text.utf8.withContiguousStorageIfAvailable({ isSafeASCII($0) }) { return answer }
        return isSafeASCII(text.utf8)
    }

    static func isSafeASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where !isPlain(byte) { return false }
        return true
    }

    /// The end of the run of plain bytes (``isPlain(_:)``) that starts at `start`: sixteen bytes at a time (then
    /// eight), each block tested at once for every byte that is not plain, then byte by byte.
    @inline(__always)
    static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = bytes.count
        if let base = bytes.baseAddress {
            #if _endian(little)
            while index &+ 16 <= count {
                let block = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<UInt8>.self)
                // (Lane 0 holds the first eight bytes, the first in its low byte.)
                let halves = unsafeBitCast(notPlainBits(block), to: SIMD2<UInt64>.self)
                if halves[0] | halves[1] != 0 {
                    if halves[0] != 0 { return index &+ halves[0].trailingZeroBitCount >> 3 }
                    return index &+ 8 &+ halves[1].trailingZeroBitCount >> 3
                }
                index &+= 16
            }
            #endif
            while index + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let bad = notPlainBits(word)
                if bad != 0 { return index + bad.trailingZeroBitCount >> 3 }
                index += 8
            }
        }
        while index < count, isPlain(bytes[index]) { index += 1 }
        return index
    }

    /// The end of the run from `start` that is written as it is: plain bytes (``plainRunEnd(_:from:)``) and each
    /// `-` or `'` that a plain byte follows (written alone, as the byte path writes it: only a doubled one takes
    /// `{}`). Merging them keeps a hyphenated word (`Anne-Marie`, `mixed-methods`) one run, copied at once. The
    /// run's last byte, when it has one, is plain.
    @inline(__always)
    static func writtenRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = plainRunEnd(bytes, from: start)
        let count = bytes.count
        while end &+ 1 < count, bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: "'"),
            isPlain(bytes[end &+ 1])
        {
            end = plainRunEnd(bytes, from: end &+ 2)
        }
        return end
    }

    /// For eight bytes (the first in the low byte), the high bit of each byte that is not plain (``isPlain(_:)``):
    /// the vector test on a block whose low half is the word (the high half's bits are not read).
    @inline(__always)
    static func notPlainBits(_ word: UInt64) -> UInt64 {
        let block = unsafeBitCast(SIMD2<UInt64>(word, 0), to: SIMD16<UInt8>.self)
        return unsafeBitCast(notPlainBits(block), to: SIMD2<UInt64>.self)[0]
    }

    /// For sixteen bytes, the high bit of each byte that is not plain (``isPlain(_:)``). Each byte's low seven bits
    /// plus a constant below 0x80 stays below 0x100, so each sum's high bit says whether that byte is at least `c`;
    /// a byte at or above 0x80 is marked by its own high bit. (Each operation is one vector instruction.)
    @inline(__always)
    static func notPlainBits(_ block: SIMD16<UInt8>) -> SIMD16<UInt8> {
        let ascii = block & 0x7F
        /// High bit set where the byte is at least `c`.
        @inline(__always) func atLeast(_ c: UInt8) -> SIMD16<UInt8> { ascii &+ SIMD16(repeating: 0x80 &- c) }
        let controls = ~atLeast(0x20)  // below 0x20
        let hashToQuote = atLeast(0x23) & ~atLeast(0x28)  // # $ % & '
        let hyphen = atLeast(0x2D) & ~atLeast(0x2E)
        let backslash = atLeast(0x5C) & ~atLeast(0x5D)
        let caretToBackquote = atLeast(0x5E) & ~atLeast(0x61)  // ^ _ `
        let openBrace = atLeast(0x7B) & ~atLeast(0x7C)
        let closeBraceToDelete = atLeast(0x7D)  // } ~ DEL
        let special = controls | hashToQuote | hyphen | backslash | caretToBackquote | openBrace | closeBraceToDelete
        return (special | block) & 0x80
    }

    /// True for printable ASCII that is written as it is (``plainASCII``).
    @inline(__always)
    static func isPlain(_ byte: UInt8) -> Bool {
        // The constants: every byte 0x20–0x3F but `$ & % # -` and `'`, every byte 0x40–0x7E but `\ { } ~ ^ _` and
        // the backquote (checked against ``plainASCII`` by the tests).
        if byte < 64 { return (0xFFFF_DF07_0000_0000 as UInt64) >> UInt64(byte) & 1 != 0 }
        if byte < 128 { return (0x17FF_FFFE_2FFF_FFFF as UInt64) >> UInt64(byte & 63) & 1 != 0 }
        return false
    }

    private static func isSafeASCII(_ utf8: String.UTF8View) -> Bool {
        for byte in utf8 {
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
    var output = ByteBuffer()
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

    /// Appends a literal's UTF-8 at once. Unchecked: the output's memory must be its own
    /// (``encodeUTF8(_:firstRunEnd:verify:)`` settles that once for the bytes it writes, so its many short appends do
    /// not each ask).
    @inline(__always)
    mutating func appendLiteral(_ literal: StaticString) {
        output.reserve(literal.utf8CodeUnitCount)
        output.put(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// Appends bytes; unchecked like ``appendLiteral(_:)``.
    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }
        output.reserve(bytes.count)
        output.put(start, count: bytes.count)
    }

    /// Appends a byte; unchecked like ``appendLiteral(_:)``.
    @inline(__always)
    mutating func put(_ byte: UInt8) {
        output.reserve(1)
        output.put(byte)
    }

    init(ascii: Bool, paragraphs: Bool) {
        self.ascii = ascii
        self.paragraphs = paragraphs
    }

    /// The general path: the text as an array of scalars, one `switch` per scalar (the reference for
    /// ``encodeText(_:)``).
    mutating func encodeTextSlowly(_ text: String) {
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
                    encodeNonASCIISlowly(scalar)
                }
            }
            index += 1
        }
    }

    /// Writes one non-ASCII character as LaTeX (ASCII mode).
    mutating func encodeNonASCIISlowly(_ scalar: Unicode.Scalar) {
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

// MARK: - The byte path

extension LaTeXEncoder {
    /// Printable ASCII that is written as it is (no LaTeX special, no byte that looks at its neighbour), by byte.
    static let plainASCII: [Bool] = (0..<128).map { byte in
        guard byte >= 0x20 && byte < 0x7F else { return false }
        return !"\\{}$&%#_~^-`'".utf8.contains(UInt8(byte))
    }

    typealias NonASCIIForm = (latex: [UInt8], unencodable: Bool)

    /// What ``LaTeXEncoderState/encodeNonASCIISlowly(_:)`` writes for the scalars of `range`: the LaTeX as UTF-8
    /// and whether the character had no LaTeX form. The definition of the constant tables ``formBytes`` and
    /// ``formEnds`` (for U+0080–U+024F, U+0370–U+03FF, U+2000–U+22FF and U+1E00–U+1EFF), which the tests compare
    /// with it: building it asks Foundation for a decomposition per scalar, some 20 million instructions in every
    /// process that wrote BibTeX.
    static func nonASCIIFormsSlowly(_ range: Range<UInt32>) -> [NonASCIIForm] {
        range.map { value in
            guard let scalar = Unicode.Scalar(value) else { return ([], true) }
            var state = LaTeXEncoderState(ascii: true, paragraphs: false)
            state.encodeNonASCIISlowly(scalar)
            return (state.output.array, state.unencodable > 0)
        }
    }

    /// The slot of a scalar in ``formEnds``, or nil outside its blocks.
    @inline(__always)
    static func formSlot(_ value: UInt32) -> Int? {
        if value >= 0x80 && value < 0x250 { return Int(value) - 0x80 }
        if value >= 0x370 && value < 0x400 { return Int(value) - 0x370 + 0x1D0 }
        if value >= 0x2000 && value < 0x2300 { return Int(value) - 0x2000 + 0x260 }
        if value >= 0x1E00 && value < 0x1F00 { return Int(value) - 0x1E00 + 0x560 }
        return nil
    }

    /// Where the LaTeX form of the scalar in `slot` (``formSlot(_:)``) lies in ``formBytes``; nil when the
    /// character has none and is written as it is.
    @inline(__always)
    static func formRange(slot: Int) -> Range<Int>? {
        let end = formEnds[slot]
        if end & 0x8000 != 0 { return nil }
        let start = slot == 0 ? 0 : Int(formEnds[slot - 1] & 0x7FFF)
        return start..<Int(end)
    }

    /// The form of a scalar from the constant tables, or nil outside their blocks.
    static func nonASCIIForm(_ value: UInt32) -> NonASCIIForm? {
        guard let slot = formSlot(value), let scalar = Unicode.Scalar(value) else { return nil }
        guard let form = formRange(slot: slot) else { return (Array(String(scalar).utf8), true) }
        return (Array(UnsafeBufferPointer(start: formBytes.utf8Start + form.lowerBound, count: form.count)), false)
    }

    /// For U+0300–U+036F: true when the combining mark has an accent command (``LaTeXTables/accentCommands``; every
    /// mark of that table lies in this block).
    static let accentMarkFlags: [Bool] = (0x300..<0x370).map { value in
        Unicode.Scalar(UInt32(value)).map { LaTeXTables.accentCommands[$0] != nil } ?? false
    }
}

extension LaTeXEncoderState {
    /// The scalar that starts at `index` of well-formed UTF-8, and its length in bytes.
    @inline(__always)
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
        var value: UInt32
        var length: Int
        if lead >= 0xF0 {
            value = lead & 0x07
            length = 4
        } else if lead >= 0xE0 {
            value = lead & 0x0F
            length = 3
        } else {
            value = lead & 0x1F
            length = 2
        }
        var position = index + 1
        let end = min(bytes.count, index + length)
        while position < end {
            value = value << 6 | UInt32(bytes[position] & 0x3F)
            position += 1
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The length of the scalar whose first byte is `lead`.
    @inline(__always)
    static func scalarLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    }

    /// True when the scalar at `index` is a combining mark with an accent command (it is then two bytes, CC xx or
    /// CD xx, U+0300–U+036F).
    @inline(__always)
    static func isAccentMark(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 1 < bytes.count else { return false }
        let lead = bytes[index]
        guard lead == 0xCC || lead == 0xCD else { return false }
        let value = Int(lead & 0x1F) << 6 | Int(bytes[index + 1] & 0x3F)
        return value >= 0x300 && value < 0x370 && LaTeXEncoder.accentMarkFlags[value - 0x300]
    }

    /// Writes text as LaTeX, working on its UTF-8: runs of plain ASCII are copied at once, and each other byte or
    /// scalar does what ``encodeTextSlowly(_:)`` does for it.
    mutating func encodeText(_ text: String) {
        var copy = text
        copy.withUTF8 { encodeBytes($0, of: text) }
    }

    /// ``encodeText(_:)`` on the UTF-8 of `text`. Text that is one plain run is copied as it is; other text is
    /// normalised to NFC first unless it is NFC by construction (decided from the end of the first run: the
    /// bytes before it are ASCII).
    mutating func encodeBytes(_ bytes: UnsafeBufferPointer<UInt8>, of text: String?) {
        let run = LaTeXEncoder.writtenRunEnd(bytes, from: 0)
        if run == bytes.count {
            output.append(contentsOf: bytes)
            return
        }
        // Encoded as it is while checking that it is NFC by construction; when it is not, what was written is
        // taken back and the normalised text encoded.
        let written = output.count
        let unencodableBefore = unencodable
        if encodeUTF8(bytes, firstRunEnd: run, verify: true) { return }
        output.truncate(to: written)
        unencodable = unencodableBefore
        // (Without the String, it is made from the bytes: well-formed UTF-8, so the same text.)
        let text = text ?? String(decoding: bytes, as: UTF8.self)
        var normalized = text.precomposedStringWithCanonicalMapping
        normalized.withUTF8 { encodeUTF8($0, firstRunEnd: 0, verify: false) }
    }

    /// Rich text whose non-ASCII characters are all punctuation-inert (``LaTeXEncoder/isPunctuationInert(_:)``):
    /// what ``RichText/tokenize(_:)`` and ``encodeText(_:)`` do with it, on its bytes. No such character joins an
    /// ASCII neighbour in a Character or equals one, so each `<` byte is a `<` Character, a tag matches where its
    /// bytes do, and the text between two tags is one text token.
    mutating func encodeMarkup(_ bytes: UnsafeBufferPointer<UInt8>) {
        var open: [RichText.Style] = []
        var textStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            var length = 0
            for tag in LaTeXEncoder.markupTags {
                // As ``RichText/tokenize(_:)``: for each style in order, its opening tag, then its closing tag
                // when that style is open.
                if Self.hasTag(tag.open, in: bytes, at: index) {
                    encodeTextBytes(bytes, textStart..<index)
                    output.append(contentsOf: tag.command.utf8)
                    open.append(tag.style)
                    length = tag.open.count
                    break
                }
                if Self.hasTag(tag.close, in: bytes, at: index), let last = open.lastIndex(of: tag.style) {
                    encodeTextBytes(bytes, textStart..<index)
                    output.append(UInt8(ascii: "}"))
                    open.remove(at: last)
                    length = tag.close.count
                    break
                }
            }
            if length > 0 {
                index += length
                textStart = index
            } else {
                index += 1
            }
        }
        encodeTextBytes(bytes, textStart..<count)
    }

    /// One text token of ``encodeMarkup(_:)`` (nothing for an empty one, as ``RichText/tokenize(_:)`` makes none).
    private mutating func encodeTextBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        encodeBytes(UnsafeBufferPointer(rebasing: bytes[range]), of: nil)
    }

    /// True when the bytes at `index` start with `tag`.
    static func hasTag(_ tag: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + tag.count <= bytes.count else { return false }
        for offset in tag.indices where bytes[index + offset] != tag[offset] { return false }
        return true
    }

    /// Encodes the UTF-8; `firstRunEnd` is the end of the run written as it is that starts it
    /// (``LaTeXEncoder/writtenRunEnd(_:from:)``; 0 when it starts with another byte, or when not known).
    ///
    /// With `verify`, the text is not known to be NFC by construction: each step that consumes a scalar at or above
    /// U+0300 (lead byte 0xCC or more) checks it as ``LaTeXEncoder/isNFCByConstruction(_:from:)`` would, and the
    /// encoding stops with false at the first that is not inert (the caller takes back what was written and encodes
    /// the normalised text). The runs copied at once are ASCII, and every other byte is consumed by one step, so the
    /// answer is the one a pass over the whole text before encoding gave, without the second pass.
    @discardableResult
    private mutating func encodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>, firstRunEnd: Int, verify: Bool) -> Bool {
        // The output's memory is made its own once here: the appends below (and in ``encodeBreaks(_:from:)`` and
        // ``encodeScalar(_:at:)``) only make room. Nothing in between copies the output.
        output.prepare(0)
        let count = bytes.count
        var index = 0
        var knownRunEnd = firstRunEnd
        while index < count {
            let byte = bytes[index]
            if LaTeXEncoder.isPlain(byte) {
                let end = knownRunEnd > index ? knownRunEnd : LaTeXEncoder.writtenRunEnd(bytes, from: index + 1)
                if ascii, end < count, bytes[end] >= 0x80, Self.isAccentMark(bytes, at: end) {
                    // (A combining mark, U+0300–U+036F, is never inert: the text is not NFC by construction.)
                    if verify { return false }
                    // The last letter of the run carries combining marks: it is written with them.
                    put(UnsafeBufferPointer(rebasing: bytes[index..<(end - 1)]))
                    index = encodeScalar(bytes, at: end - 1)
                } else {
                    put(UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                }
                continue
            }
            knownRunEnd = 0
            let length = Self.scalarLength(byte)
            // The scalar is checked before it is written (a scalar that is not inert could take the general path,
            // which asks Foundation, only for its encoding to be taken back).
            // (``LaTeXEncoder/isNFCByConstruction(_:from:)`` on the one scalar: inert or not.)
            if verify, byte >= 0xCC, !LaTeXEncoder.isInert(Self.scalar(bytes, at: index).scalar.value) {
                return false
            }
            let next = encodeStep(bytes, at: index)
            // A step over one scalar needs no more; longer steps (a command, math, line breaks, a letter with its
            // marks) are checked whole.
            if verify, next &- index > length,
                !LaTeXEncoder.isNFCByConstruction(UnsafeBufferPointer(rebasing: bytes[index..<min(next, count)]),
                    from: 0)
            {
                return false
            }
            index = next
        }
        return true
    }

    /// One step of ``encodeUTF8(_:firstRunEnd:verify:)`` at a byte that is not plain: writes what it stands for and
    /// returns the index after what it consumed.
    @inline(__always)
    private mutating func encodeStep(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let count = bytes.count
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\\"):
            if let end = Self.commandEnd(bytes, from: index) {
                put(UnsafeBufferPointer(rebasing: bytes[index..<end]))
                return end
            }
            appendLiteral("\\textbackslash{}")
        case UInt8(ascii: "$"):
            if let end = Self.mathEnd(bytes, from: index) {
                put(UnsafeBufferPointer(rebasing: bytes[index..<end]))
                return end
            }
            appendLiteral("\\$")
        case UInt8(ascii: "&"), UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "_"), UInt8(ascii: "{"),
            UInt8(ascii: "}"):
            put(UInt8(ascii: "\\"))
            put(byte)
        case UInt8(ascii: "~"): appendLiteral("\\textasciitilde{}")
        case UInt8(ascii: "^"): appendLiteral("\\textasciicircum{}")
        case UInt8(ascii: "`"): appendLiteral("\\textasciigrave{}")
        case UInt8(ascii: "-"), UInt8(ascii: "'"):
            put(byte)
            // A literal "--" (or "''") would read back as a dash (a quote).
            if index + 1 < count, bytes[index + 1] == byte { appendLiteral("{}") }
        case 0x0A, 0x0D:
            return encodeBreaks(bytes, from: index)
        case 0x09: put(0x20)
        case 0xC2 where index + 1 < count && bytes[index + 1] == 0xA0:
            put(UInt8(ascii: "~"))
            return index + 2
        case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80:
            switch bytes[index + 2] {
            case 0x93: appendLiteral("--")
            case 0x94: appendLiteral("---")
            case 0xA8, 0xA9: return encodeBreaks(bytes, from: index)
            default: return encodeScalar(bytes, at: index)
            }
            return index + 3
        default:
            return encodeScalar(bytes, at: index)
        }
        return index + 1
    }

    /// A run of line breaks and spaces (from a `\n`, `\r`, U+2028 or U+2029): a paragraph break where the field
    /// keeps them and the run has two breaks, else one space. Returns the index after the run.
    private mutating func encodeBreaks(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        var breaks = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte == 0x0A {
                breaks += 1
                end += 1
            } else if byte == 0x0D || byte == 0x20 || byte == 0x09 {
                end += 1
            } else if byte == 0xE2, end + 2 < bytes.count, bytes[end + 1] == 0x80,
                bytes[end + 2] == 0xA8 || bytes[end + 2] == 0xA9
            {
                if bytes[end + 2] == 0xA9 { breaks += 1 }
                end += 3
            } else {
                break
            }
        }
        if paragraphs && breaks >= 2 { appendLiteral("\n\n") } else { put(0x20) }
        return end
    }

    /// One scalar that no case of the `switch` took (``encodeTextSlowly(_:)``'s `default`): a letter with combining
    /// marks, a control character, ASCII, or a non-ASCII character. Returns the index after what it wrote.
    private mutating func encodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let (scalar, length) = Self.scalar(bytes, at: index)
        let next = index + length
        if ascii, next < bytes.count, Self.isAccentMark(bytes, at: next) {
            // A base followed by combining marks that have no precomposed form (`ı́`, `q̃`).
            var marks: [Unicode.Scalar] = []
            var end = next
            while end < bytes.count, Self.isAccentMark(bytes, at: end) {
                marks.append(Self.scalar(bytes, at: end).scalar)
                end += 2
            }
            if let cluster = Self.accentCluster(scalar, marks[...]) {
                output.append(contentsOf: cluster.utf8)
                return end
            }
        }
        if scalar.value < 0x20 || scalar.value == 0x7F {
            // control characters have no place in a field
        } else if scalar.isASCII || !ascii {
            put(UnsafeBufferPointer(rebasing: bytes[index..<min(bytes.count, next)]))
        } else if let slot = LaTeXEncoder.formSlot(scalar.value) {
            // (``LaTeXEncoder/nonASCIIForm(_:)``: its form, or the character as it is.)
            if let form = LaTeXEncoder.formRange(slot: slot) {
                put(UnsafeBufferPointer(start: LaTeXEncoder.formBytes.utf8Start + form.lowerBound,
                    count: form.count))
            } else {
                put(UnsafeBufferPointer(rebasing: bytes[index..<min(bytes.count, next)]))
                unencodable += 1
            }
        } else {
            encodeNonASCIISlowly(scalar)
        }
        return next
    }

    /// ``commandEnd(_:from:)`` on UTF-8: the end of a command kept verbatim, as a byte index.
    static func commandEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count, BibTeXScanner.isLetter(bytes[index]) { index += 1 }
        guard index > start + 1 else { return nil }
        // A command the decoder would turn into text was not kept verbatim by it: it is literal text.
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<index]), as: UTF8.self)
        guard !LaTeXTables.decodedCommands.contains(name) else { return nil }
        while index < bytes.count, bytes[index] == UInt8(ascii: "{") {
            var depth = 0
            var end = index
            var closed = false
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\\") {
                    end += 1
                    if end < bytes.count { end += scalarLength(bytes[end]) }
                    continue
                }
                if byte == UInt8(ascii: "{") { depth += 1 }
                if byte == UInt8(ascii: "}") {
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

    /// ``mathEnd(_:from:)`` on UTF-8: the end of a math span kept verbatim, as a byte index, or nil when the `$`
    /// is a dollar sign.
    static func mathEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        // Without a second `$` the span never closes (a price, say): no need to look at what follows.
        guard let base = bytes.baseAddress, start + 1 < bytes.count,
            memchr(base + start + 1, Int32(UInt8(ascii: "$")), bytes.count - start - 1) != nil
        else { return nil }
        var index = start + 1
        var meaningful = false
        while index < bytes.count, bytes[index] != UInt8(ascii: "$") {
            let byte = bytes[index]
            if byte < 0x80 {
                if BibTeXScanner.isLetter(byte) || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "^")
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
                {
                    meaningful = true
                }
                index += 1
                if byte == UInt8(ascii: "\\"), index < bytes.count { index += scalarLength(bytes[index]) }
            } else {
                let (scalar, length) = Self.scalar(bytes, at: index)
                if !meaningful && scalar.properties.isAlphabetic { meaningful = true }
                index += length
            }
        }
        guard index < bytes.count, index > start + 1, meaningful else { return nil }
        guard bytes[start + 1] != 0x20, bytes[index - 1] != 0x20 else { return nil }
        // Braces inside must balance, or the field would break.
        var depth = 0
        var probe = start + 1
        while probe < index {
            let byte = bytes[probe]
            if byte == UInt8(ascii: "\\") {
                probe += 1
                if probe < bytes.count { probe += scalarLength(bytes[probe]) }
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth -= 1 }
            if depth < 0 { return nil }
            probe += 1
        }
        return depth == 0 ? index + 1 : nil
    }
}

// MARK: - Finding a punctuation character

extension LaTeXEncoder {
    /// For U+0080–U+024F, U+0370–U+03FF and U+2000–U+2BFF (``punctuationInertBits``): true when the scalar cannot
    /// change whether Foundation finds one of the ASCII characters `, ; < \` next to it: it neither extends nor
    /// prepends to a grapheme cluster (so the character beside it stays a whole cluster), and its canonical
    /// decomposition holds none of them.
    /// The definition behind the tables.
    static func isPunctuationInertSlowly(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format, .control, .surrogate, .unassigned,
            .privateUse:
            return false
        default:
            break
        }
        if scalar.properties.isGraphemeExtend || scalar.properties.isEmojiModifier { return false }
        return !punctuationDecompositions.contains(scalar)
    }

    /// ``isPunctuationInertSlowly(_:)`` from the constant ``punctuationInertBits``, and true for U+1E00–U+1EFF; false
    /// outside these blocks.
    @inline(__always)
    static func isPunctuationInert(_ value: UInt32) -> Bool {
        let slot: Int
        if value >= 0x80 && value < 0x250 {
            slot = Int(value) - 0x80
        } else if value >= 0x370 && value < 0x400 {
            slot = Int(value) - 0x370 + 0x1D0
        } else if value >= 0x2000 && value < 0x2C00 {
            slot = Int(value) - 0x2000 + 0x260
        } else {
            // Every letter of U+1E00–U+1EFF is inert (BibTeXWriterTableTests checks each against the definition).
            return isStablePrecomposedLetter(value)
        }
        return punctuationInertBits[slot >> 6] >> UInt64(slot & 63) & 1 != 0
    }

    /// The scalars of those blocks whose canonical decomposition holds `, ; < \`: the Greek question mark (`;`)
    /// and not-less-than (`<` + U+0338). (A test checks the blocks against Foundation's decompositions.)
    static let punctuationDecompositions: Set<Unicode.Scalar> = ["\u{037E}", "\u{226E}"]

    /// True when the non-ASCII scalar that starts at `index` is punctuation-inert (``isPunctuationInert(_:)``):
    /// one that joins no neighbour in a grapheme cluster.
    static func isInert(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        isPunctuationInert(LaTeXEncoderState.scalar(bytes, at: index).scalar.value)
    }
}

extension LaTeXEncoder {
    /// Whether the bytes hold `needle` or `other` (each one of `, ; < \\`; the same byte twice to look for one)
    /// when every non-ASCII character is punctuation-inert (``isPunctuationInert(_:)``); nil otherwise (Foundation
    /// must decide).
    static func containsPunctuation(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: UInt8, or other: UInt8? = nil) -> Bool? {
        let other = other ?? needle
        var found = false
        var index = 0
        let count = bytes.count
        let needles = UInt64(needle) &* 0x0101_0101_0101_0101
        let others = UInt64(other) &* 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index < count {
            // Eight ASCII bytes at a time: whether one is a needle (a byte below 0x80 plus 0x7F carries into no
            // other byte, so a sum without its high bit is a zero byte of the difference).
            if index + 8 <= count, let base = bytes.baseAddress {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & highs == 0 {
                    let sums = ((word ^ needles) &+ 0x7F7F_7F7F_7F7F_7F7F) & ((word ^ others) &+ 0x7F7F_7F7F_7F7F_7F7F)
                    if sums & highs != highs { found = true }
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == needle || byte == other { found = true }
                index += 1
                continue
            }
            let (scalar, length) = LaTeXEncoderState.scalar(bytes, at: index)
            guard LaTeXEncoder.isPunctuationInert(scalar.value) else { return nil }
            index += length
        }
        return found
    }
}

extension String {
    /// `bibContainsPunctuation(",") || bibContainsPunctuation(";")` in one pass over the bytes when every non-ASCII
    /// character is punctuation-inert (else the two searches).
    var bibContainsCommaOrSemicolon: Bool {
        var copy = self
        let decided = copy.withUTF8 { LaTeXEncoder.containsPunctuation($0, UInt8(ascii: ","), or: UInt8(ascii: ";")) }
        return decided ?? (bibContainsPunctuation(UInt8(ascii: ",")) || bibContainsPunctuation(UInt8(ascii: ";")))
    }

    /// `bibContains` for one of the ASCII characters `, ; < \`, without Foundation when every non-ASCII character
    /// of the text is one that cannot change the answer (``LaTeXEncoder/isPunctuationInert(_:)``): then the answer is
    /// whether the byte occurs. Other texts, and other needles, take `bibContains`.
    func bibContainsPunctuation(_ needle: UInt8) -> Bool {
        guard needle == UInt8(ascii: ",") || needle == UInt8(ascii: ";") || needle == UInt8(ascii: "<")
            || needle == UInt8(ascii: "\\")
        else { return bibContains(String(Unicode.Scalar(needle))) }
        var copy = self
        let decided = copy.withUTF8 { LaTeXEncoder.containsPunctuation($0, needle) }
        return decided ?? bibContains(String(Unicode.Scalar(needle)))
    }
}
