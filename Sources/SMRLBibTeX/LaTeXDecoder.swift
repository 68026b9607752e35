import Foundation
import SMRLCore

/// Turns the LaTeX of a BibTeX field value into Unicode text, with CSL rich-text markup where the field allows it.
///
/// - Accents in every spelling (`{\"o}`, `\"{o}`, `\"o`, `\H o`, `{\'\i}`, `\c c`, `{\~{a}}`) become precomposed
///   characters (NFC); the special letters (`\ss`, `\o`, `\aa`, `\l`, `\ae`, `\oe`, `\i`, `\DJ`, `\NG`, `\th` …),
///   escaped specials (`\& \% \$ \# \_ \{ \}`), `~` (no-break space), `--` and `---` (dashes), ``` `` ``` and `''`
///   (curly quotes) and the `\text…` symbol commands become their characters.
/// - `\textit`/`\emph`, `\textbf`, `\textsc`, `\textsuperscript`, `\textsubscript` and the switches `{\em …}`,
///   `{\bf …}`, `{\it …}`, `{\sc …}` become `<i>`, `<b>`, `<sc>`, `<sup>`, `<sub>` in rich mode.
/// - In rich mode a brace group at the top level (`{DNA}`, `{{Whole Title}}`) is case-protected and becomes
///   `<span class="nocase">…</span>`; a group that starts with a command (`{\"O}`, `{\em x}`) or holds a single
///   accented letter (`{Ö}`) is not protection and gets no span.
/// - Math (`$…$`) is kept as written, dollars included, unless it is one symbol that ``LaTeXEncoder`` writes back
///   the same way (`$\alpha$` → `α`).
/// - Unknown commands are kept verbatim with their brace arguments (`\unknown{x}`), so nothing is lost.
/// - White space runs become one space and the ends are trimmed; with `paragraphs`, a blank line or `\par` becomes
///   a paragraph break (`\n\n`).
enum LaTeXDecoder {
    enum Mode {
        /// Rich-text fields (titles, abstracts): markup and case protection kept.
        case rich
        /// Everything else: markup and braces dropped, text kept.
        case plain
    }

    /// Decodes a field value.
    static func decode(_ text: String, mode: Mode, paragraphs: Bool = false) -> String {
        var text = text
        let decoded: String? = text.withUTF8 { bytes in
            if isPlain(bytes) { return nil }
            return decodeNonPlain(buffer: bytes, mode: mode, paragraphs: paragraphs)
        }
        return decoded ?? text
    }

    /// Decodes a field value given as UTF-8 bytes (invalid sequences are repaired, as `String(decoding:)` does).
    static func decode(bytes: [UInt8], mode: Mode, paragraphs: Bool = false) -> String {
        let (plain, ascii) = bytes.withUnsafeBufferPointer { (isPlain($0), isASCII($0)) }
        if plain { return String(decoding: bytes, as: UTF8.self) }
        // ASCII needs no repair: its string's bytes are these bytes.
        if ascii { return decodeNonPlain(bytes, mode: mode, paragraphs: paragraphs) }
        // The slow path reads the text's own bytes, as the string form would.
        return decode(String(decoding: bytes, as: UTF8.self), mode: mode, paragraphs: paragraphs)
    }

    /// ``decode(bytes:mode:paragraphs:)`` for bytes in a buffer: no array of them unless they need decoding.
    static func decode(buffer: UnsafeBufferPointer<UInt8>, mode: Mode, paragraphs: Bool = false) -> String {
        if isPlain(buffer) { return UTF8Strings.string(buffer) }
        if isASCII(buffer) { return decodeNonPlain(buffer: buffer, mode: mode, paragraphs: paragraphs) }
        return decode(String(decoding: buffer, as: UTF8.self), mode: mode, paragraphs: paragraphs)
    }

    static func decodeNonPlain(_ bytes: [UInt8], mode: Mode, paragraphs: Bool) -> String {
        bytes.withUnsafeBufferPointer { decodeNonPlain(buffer: $0, mode: mode, paragraphs: paragraphs) }
    }

    /// ``decodeNonPlain(_:mode:paragraphs:)`` reading the bytes where they are (no array of them): the decoder
    /// reads `buffer` only during the call. `stackLimit`: the longest value whose output starts on the stack (tests
    /// pass -1 to compare with the output in the heap). `referenceRuns`: text runs end at every `-` and `'`, as
    /// before they were taken into the runs (the tests' reference).
    static func decodeNonPlain(buffer: UnsafeBufferPointer<UInt8>, mode: Mode, paragraphs: Bool,
        stackLimit: Int = 384, referenceRuns: Bool = false) -> String
    {
        if buffer.count <= stackLimit {
            // The usual value (a name, a keyword, a title): its output written into 512 bytes on the stack while it
            // fits (an output that outgrows them moves to the heap); a longer value's output goes to the heap.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { memory in
                var state = LaTeXDecoderState(source: buffer, rich: mode == .rich, paragraphs: paragraphs,
                    output: LaTeXOutput(lent: memory), referenceRuns: referenceRuns)
                state.run()
                return state.output.text
            }
        }
        var state = LaTeXDecoderState(source: buffer, rich: mode == .rich, paragraphs: paragraphs,
            output: LaTeXOutput(capacity: buffer.count), referenceRuns: referenceRuns)
        state.run()
        return state.output.text
    }

    /// The ASCII bytes that make a value need decoding, as a bit set (bit n of `low` is byte n, of `high` byte
    /// 64 + n): `\ { } $ ~ - ` ' ` and the white space other than the space itself.
    static let specialLow: UInt64 = (1 << 0x09) | (1 << 0x0A) | (1 << 0x0B) | (1 << 0x0C) | (1 << 0x0D)
        | (1 << 0x24) | (1 << 0x27) | (1 << 0x2D)
    static let specialHigh: UInt64 = (1 << (0x5C - 64)) | (1 << (0x60 - 64)) | (1 << (0x7B - 64))
        | (1 << (0x7D - 64)) | (1 << (0x7E - 64))

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index + 8 <= bytes.count {
            if UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// True when the text needs no decoding: no LaTeX-special byte, no space to collapse or trim. A `-` or `'`
    /// not followed by the same byte (``pairByte``) is plain: the decoder writes it as it is (`co-author`, `O'Neil`).
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else {
            return bytes.isEmpty
        }
        return byteClasses.withUnsafeBufferPointer { classes in
            guard let classes = classes.baseAddress, let base = bytes.baseAddress else { return false }
            let count = bytes.count
            var previousSpace = false
            var index = 0
            while index < count {
                let byte = base[index]
                // (`classes` has 256 entries: any byte is an index.)
                let kind = classes[Int(byte)]
                index &+= 1
                if kind == 0 {
                    previousSpace = false
                    continue
                }
                if kind == Self.pairByte {
                    // `--`, `''`: a dash or a curly quote.
                    if index < count && base[index] == byte { return false }
                    previousSpace = false
                    continue
                }
                if kind == Self.specialByte || previousSpace { return false }
                previousSpace = true
            }
            return true
        }
    }

    /// How many of the eight bytes at `index` (a ninth must follow them) the steps of the decoder's text runs
    /// (``LaTeXDecoderState``'s `emitTextRun()`) pass without a look: those before the first that is neither text (class 0) nor a space
    /// whose next byte is text; 8 when there is none. The classes of the eight are packed one a byte; moved down a
    /// byte, with the ninth's on top, they are the class of each byte's successor.
    @inline(__always)
    static func textBytes(_ classes: UnsafePointer<UInt8>, _ bytes: UnsafePointer<UInt8>, at index: Int) -> Int {
        var packed: UInt64 = 0
        for offset in 0..<8 {
            packed |= UInt64(classes[Int(bytes[index &+ offset])]) &<< UInt64(offset &* 8)
        }
        let next = (packed &>> 8) | (UInt64(classes[Int(bytes[index &+ 8])]) &<< 56)
        // (Each byte of `spaces` is 0 or 1: times 0xFF, 0 or 0xFF, with no carry.)
        let spaces = packed & 0x0101_0101_0101_0101
        let stops = (packed & 0xFEFE_FEFE_FEFE_FEFE) | ((spaces &* 0xFF) & next)
        return stops.trailingZeroBitCount &>> 3  // (64 / 8 when `stops` is 0)
    }

    /// ``isPlain(_:)`` as it was before ``pairByte``: every `-` and `'` made a value need decoding (the tests'
    /// reference, with ``decodeNonPlain(buffer:mode:paragraphs:stackLimit:referenceRuns:)``).
    static func isPlainSlowly(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else {
            return bytes.isEmpty
        }
        var previousSpace = false
        for byte in bytes {
            let kind = byteClasses[Int(byte)]
            if kind == 0 {
                previousSpace = false
                continue
            }
            if kind != Self.spaceByte || previousSpace { return false }
            previousSpace = true
        }
        return true
    }

    /// The class of every byte, for the scans above and in the decoder: 0 for a byte of plain text (every byte
    /// from 0x80 up included), ``spaceByte`` for the space, ``pairByte`` for `-` and `'`, ``specialByte`` for the
    /// other bytes of `specialLow` and `specialHigh`. One table read per byte instead of the two bit-set tests.
    static let byteClasses: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        if byte == 0x20 { return spaceByte }
        if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'") { return pairByte }
        if byte < 64 { return specialLow & (1 << UInt64(byte)) != 0 ? specialByte : 0 }
        if byte < 128 { return specialHigh & (1 << UInt64(byte &- 64)) != 0 ? specialByte : 0 }
        return 0
    }

    static let spaceByte: UInt8 = 1
    static let specialByte: UInt8 = 2
    /// `-` and `'`: special only when the same byte follows (`--` is a dash, `''` a curly quote); alone, the decoder
    /// writes them as they are.
    static let pairByte: UInt8 = 3

    /// What a command of the tables does, by the first table that has it, in the order the decoder asks them: an
    /// accent (only the one- and two-letter ones and `textcommabelow`), a style command, a style switch, a symbol, a
    /// neutral switch, a transparent command.
    enum CommandKind: Equatable {
        case accent(Unicode.Scalar)
        case style(RichTextStyleName)
        case styleSwitch(RichTextStyleName)
        case symbol(String)
        case neutral
        case transparent
    }

    static func commandKindSlowly(_ name: String) -> CommandKind? {
        if let mark = LaTeXTables.accents[name], name.count <= 2 || name == "textcommabelow" { return .accent(mark) }
        if let style = LaTeXTables.styleCommands[name] { return .style(style) }
        if let style = LaTeXTables.styleSwitches[name] { return .styleSwitch(style) }
        if let symbol = LaTeXTables.symbols[name] { return .symbol(symbol) }
        if LaTeXTables.neutralSwitches.contains(name) { return .neutral }
        if LaTeXTables.transparentCommands.contains(name) { return .transparent }
        return nil
    }

    /// ``commandKindSlowly(_:)`` for every name of the tables: one hash per command instead of up to six.
    static let commandKinds: [String: CommandKind] = {
        var names = Set(LaTeXTables.accents.keys).union(LaTeXTables.styleCommands.keys)
        names.formUnion(LaTeXTables.styleSwitches.keys)
        names.formUnion(LaTeXTables.symbols.keys)
        names.formUnion(LaTeXTables.neutralSwitches)
        names.formUnion(LaTeXTables.transparentCommands)
        var table: [String: CommandKind] = [:]
        for name in names {
            if let kind = commandKindSlowly(name) { table[name] = kind }
        }
        return table
    }()

    /// The commands that make a brace group a special character rather than case protection
    /// (``LaTeXDecoderState/groupStartsWithSpecialCharacter()``): those of the accent, symbol, style-switch and
    /// neutral-switch tables, in one set (one hash per group instead of up to four).
    static let specialCharacterCommands: Set<String> = Set(LaTeXTables.accents.keys)
        .union(LaTeXTables.symbols.keys).union(LaTeXTables.styleSwitches.keys).union(LaTeXTables.neutralSwitches)

    /// ``commandKinds``, ``specialCharacterCommands`` and ``LaTeXTables/mathSymbols`` looked up by the name's bytes
    /// in the text: no string made and hashed per command.
    static let commandKindsByBytes = ByteKeyedTable(commandKinds)
    static let specialCharacterCommandsByBytes = ByteKeyedTable(
        Dictionary(uniqueKeysWithValues: specialCharacterCommands.map { ($0, true) }))
    static let mathSymbolsByBytes = ByteKeyedTable(LaTeXTables.mathSymbols)

    /// Composes a base text and a combining mark into NFC (`o` + U+0308 → `ö`); a dotless i or j under an accent
    /// is written with its dotted form, as TeX means it.
    static func compose(_ base: String, _ mark: Unicode.Scalar) -> String {
        // The usual case, one ASCII letter (or a dotless i or j) under a mark the tables know: the composition
        // computed once per pair (``composedLetters``), not a Foundation normalisation per accent.
        if let cached = composedLetter(base, mark) { return cached }
        return composeSlowly(base, mark)
    }

    /// The general composition (any base, any mark): the reference the table is built from.
    static func composeSlowly(_ base: String, _ mark: Unicode.Scalar) -> String {
        var scalars = Array(base.unicodeScalars)
        guard !scalars.isEmpty else { return String(mark) }
        if scalars[0] == "ı" { scalars[0] = "i" } else if scalars[0] == "ȷ" { scalars[0] = "j" }
        var text = String.UnicodeScalarView()
        text.append(scalars[0])
        text.append(mark)
        text.append(contentsOf: scalars.dropFirst())
        return String(text).precomposedStringWithCanonicalMapping
    }

    /// ``LaTeXTables/accents`` of the one-character accent commands (`\'`, `\"`…) by byte: an array read, not a
    /// string made and hashed for each accent.
    static let symbolAccents: [Unicode.Scalar?] = (0..<256).map { byte in
        LaTeXTables.accents[String(Character(Unicode.Scalar(UInt8(byte))))]
    }

    /// ``symbolAccents`` as a switch: no table to reach (a static table costs a `swift_once` call per read on Linux,
    /// more than the switch). A test checks it against the table for every byte.
    @inline(__always)
    static func accentMark(byte: UInt8) -> Unicode.Scalar? {
        switch byte {
        case UInt8(ascii: "'"): return "\u{0301}"
        case UInt8(ascii: "`"): return "\u{0300}"
        case UInt8(ascii: "^"): return "\u{0302}"
        case UInt8(ascii: "\""): return "\u{0308}"
        case UInt8(ascii: "~"): return "\u{0303}"
        case UInt8(ascii: "="): return "\u{0304}"
        case UInt8(ascii: "."): return "\u{0307}"
        case UInt8(ascii: "u"): return "\u{0306}"
        case UInt8(ascii: "v"): return "\u{030C}"
        case UInt8(ascii: "H"): return "\u{030B}"
        case UInt8(ascii: "c"): return "\u{0327}"
        case UInt8(ascii: "k"): return "\u{0328}"
        case UInt8(ascii: "r"): return "\u{030A}"
        case UInt8(ascii: "b"): return "\u{0331}"
        case UInt8(ascii: "d"): return "\u{0323}"
        case UInt8(ascii: "t"): return "\u{0361}"
        case UInt8(ascii: "G"): return "\u{030F}"
        case UInt8(ascii: "h"): return "\u{0309}"
        case UInt8(ascii: "f"): return "\u{0311}"
        default: return nil
        }
    }

    /// `composeSlowly(letter, mark)` for every ASCII letter (at the letter's byte), one table per mark of
    /// ``LaTeXTables/accents``, each built when a text first needs its mark (a Foundation normalisation per letter,
    /// about 8,000 instructions, so all the marks at once would cost some 10 million at the first accent).
    private static let composedWith0300 = lettersComposed(with: "\u{0300}")
    private static let composedWith0301 = lettersComposed(with: "\u{0301}")
    private static let composedWith0302 = lettersComposed(with: "\u{0302}")
    private static let composedWith0303 = lettersComposed(with: "\u{0303}")
    private static let composedWith0304 = lettersComposed(with: "\u{0304}")
    private static let composedWith0306 = lettersComposed(with: "\u{0306}")
    private static let composedWith0307 = lettersComposed(with: "\u{0307}")
    private static let composedWith0308 = lettersComposed(with: "\u{0308}")
    private static let composedWith0309 = lettersComposed(with: "\u{0309}")
    private static let composedWith030A = lettersComposed(with: "\u{030A}")
    private static let composedWith030B = lettersComposed(with: "\u{030B}")
    private static let composedWith030C = lettersComposed(with: "\u{030C}")
    private static let composedWith030F = lettersComposed(with: "\u{030F}")
    private static let composedWith0311 = lettersComposed(with: "\u{0311}")
    private static let composedWith0323 = lettersComposed(with: "\u{0323}")
    private static let composedWith0326 = lettersComposed(with: "\u{0326}")
    private static let composedWith0327 = lettersComposed(with: "\u{0327}")
    private static let composedWith0328 = lettersComposed(with: "\u{0328}")
    private static let composedWith0331 = lettersComposed(with: "\u{0331}")
    private static let composedWith0361 = lettersComposed(with: "\u{0361}")

    private static func lettersComposed(with mark: Unicode.Scalar) -> LetterCompositions {
        guard let row = LaTeXTables.composedLetterMarks.firstIndex(of: mark.value) else {
            return lettersComposedSlowly(with: mark)
        }
        var strings = [String](repeating: "", count: 128)
        var packed = [UInt32](repeating: 0, count: 128)
        for letter in UInt8(ascii: "A")...UInt8(ascii: "z") where BibTeXScanner.isLetter(letter) {
            let column = letter <= UInt8(ascii: "Z") ? Int(letter - UInt8(ascii: "A")) : 26 + Int(letter - UInt8(ascii: "a"))
            let value = LaTeXTables.composedLetterTable[row * 52 + column]
            let bytes = (0..<Int(value >> 24)).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
            strings[Int(letter)] = String(decoding: bytes, as: UTF8.self)
            packed[Int(letter)] = value
        }
        return LetterCompositions(strings: strings, packed: packed)
    }

    /// ``lettersComposed(with:)`` by Foundation's normalisation (``composeSlowly(_:_:)``) of each letter: for a
    /// mark the constant table lacks, and the reference the tests compare the table with.
    static func lettersComposedSlowly(with mark: Unicode.Scalar) -> LetterCompositions {
        var strings = [String](repeating: "", count: 128)
        var packed = [UInt32](repeating: 0, count: 128)
        for letter in UInt8(ascii: "A")...UInt8(ascii: "z") where BibTeXScanner.isLetter(letter) {
            let text = composeSlowly(String(Unicode.Scalar(letter)), mark)
            strings[Int(letter)] = text
            packed[Int(letter)] = pack(text)
        }
        return LetterCompositions(strings: strings, packed: packed)
    }

    /// The compositions of one mark with the ASCII letters, at the letter's byte: as strings, and packed
    /// (``pack(_:)``) for the decoder to write without a string.
    struct LetterCompositions {
        let strings: [String]
        let packed: [UInt32]
    }

    /// A text of one to three UTF-8 bytes as one number: the bytes from the lowest, the count in the top byte; 0
    /// for any other text (which then goes as a string).
    static func pack(_ text: String) -> UInt32 {
        let bytes = Array(text.utf8)
        guard (1...3).contains(bytes.count) else { return 0 }
        var value = UInt32(bytes.count) << 24
        for (index, byte) in bytes.enumerated() { value |= UInt32(byte) << (8 * UInt32(index)) }
        return value
    }

    /// The table of a mark, or nil for a mark ``LaTeXTables/accents`` does not hold (which the general
    /// composition then handles). Every mark of the accents has its table (a test checks).
    @inline(__always)
    static func composedLetters(for mark: Unicode.Scalar) -> LetterCompositions? {
        switch mark.value {
        case 0x0300: return composedWith0300
        case 0x0301: return composedWith0301
        case 0x0302: return composedWith0302
        case 0x0303: return composedWith0303
        case 0x0304: return composedWith0304
        case 0x0306: return composedWith0306
        case 0x0307: return composedWith0307
        case 0x0308: return composedWith0308
        case 0x0309: return composedWith0309
        case 0x030A: return composedWith030A
        case 0x030B: return composedWith030B
        case 0x030C: return composedWith030C
        case 0x030F: return composedWith030F
        case 0x0311: return composedWith0311
        case 0x0323: return composedWith0323
        case 0x0326: return composedWith0326
        case 0x0327: return composedWith0327
        case 0x0328: return composedWith0328
        case 0x0331: return composedWith0331
        case 0x0361: return composedWith0361
        default: return nil
        }
    }

    /// The table's composition of one ASCII letter (``BibTeXScanner/isLetter(_:)``) and a mark; nil for a mark the
    /// table does not hold.
    @inline(__always)
    static func composedLetter(byte letter: UInt8, _ mark: Unicode.Scalar) -> String? {
        guard let table = composedLetters(for: mark) else { return nil }
        return table.strings[Int(letter)]
    }

    /// The table's composition when `base` is one ASCII letter, `ı` or `ȷ`; nil otherwise.
    @inline(__always)
    static func composedLetter(_ base: String, _ mark: Unicode.Scalar) -> String? {
        guard let table = composedLetters(for: mark) else { return nil }
        var letter: UInt8
        let utf8 = base.utf8
        if utf8.count == 1, let byte = utf8.first, BibTeXScanner.isLetter(byte) {
            letter = byte
        } else if base == "ı" {
            letter = UInt8(ascii: "i")  // a dotless i under an accent is the dotted one, as TeX means it
        } else if base == "ȷ" {
            letter = UInt8(ascii: "j")
        } else {
            return nil
        }
        return table.strings[Int(letter)]
    }

    /// For U+0080–U+024F: is the scalar, alone in a brace group, a letter that `{\"o}`-style input leaves behind
    /// (``LaTeXDecoderState/groupIsOneAccentedLetter()``'s test, computed once per scalar).
    static let leftoverLetters: [Bool] = (0x80..<0x250).map { value in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return false }
        return isLeftoverLetter(String(scalar))
    }

    /// The test itself: one character, a letter, that decomposes (an accented Latin letter) or is a special letter.
    static func isLeftoverLetter(_ text: String) -> Bool {
        guard text.count == 1, let character = text.first, character.isLetter,
            let scalar = text.unicodeScalars.first
        else { return false }
        // Only letters that `{\"o}`-style input leaves behind: accented Latin letters and the special letters.
        // A Greek letter in braces (`{γ}`, from `{$\gamma$}`) stays protected.
        return text.decomposedStringWithCanonicalMapping.unicodeScalars.count > 1
            || LaTeXTables.symbolCommands[scalar] != nil
    }
}

/// The bytes a decoding writes: into memory its caller lends (a block on the stack, for the usual short value) until
/// that is full, then into memory of its own, which it frees. It cannot be copied, so an append tests only for room
/// (an `Array.append` costs some 90 instructions a call: uniqueness and capacity tests, the generic copy), and a
/// short value's decoding allocates nothing but its string (a ``ByteBuffer`` of its own cost two allocations and
/// two frees per value, as many instructions as decoding a name).
struct LaTeXOutput: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes written.
    private(set) var count = 0
    /// The memory this output allocated (and frees); nil while it writes into memory its caller lent.
    private var allocated: UnsafeMutablePointer<UInt8>?

    /// An output in memory of its own, with room for `capacity` bytes to start with.
    init(capacity: Int) {
        let room = Swift.max(capacity, 16)
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: room)
        base = memory
        self.capacity = room
        allocated = memory
    }

    /// An output that writes into `memory` (which must stay valid while the output lives) as long as it fits.
    init(lent memory: UnsafeMutableBufferPointer<UInt8>) {
        if let start = memory.baseAddress, memory.count > 0 {
            base = start
            capacity = memory.count
            allocated = nil
        } else {
            let own = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
            base = own
            capacity = 16
            allocated = own
        }
    }

    deinit { allocated?.deallocate() }

    var last: UInt8? { count > 0 ? base[count - 1] : nil }

    /// The bytes written, as text (invalid UTF-8 repaired): ``UTF8Strings/string(_:)``, which checks the usual
    /// output (ASCII with an accented letter or a symbol here and there) many times faster than the standard
    /// library's own validation.
    var text: String { UTF8Strings.string(UnsafeBufferPointer(start: base, count: count)) }

    /// A copy of the bytes written.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Moves the bytes to memory of its own with room for `needed` bytes at least.
    private mutating func grow(toHold needed: Int) {
        var room = Swift.max(capacity &* 2, 16)
        while room < needed { room &*= 2 }
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: room)
        memory.update(from: base, count: count)
        allocated?.deallocate()
        allocated = memory
        base = memory
        capacity = room
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if _slowPath(count == capacity) { grow(toHold: count &+ 1) }
        base[count] = byte
        count &+= 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if _slowPath(count &+ bytes.count > capacity) { grow(toHold: count &+ bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    mutating func append(_ text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
        if done == nil {
            for byte in text.utf8 { append(byte) }
        }
    }

    /// True when the bytes written end with those of `text`.
    func hasSuffix(_ text: String) -> Bool {
        let length = text.utf8.count
        guard count >= length else { return false }
        return UnsafeBufferPointer(start: base + (count - length), count: length).elementsEqual(text.utf8)
    }

    /// Drops the last `length` bytes (at most `count`).
    mutating func removeLast(_ length: Int = 1) {
        count -= Swift.min(Swift.max(length, 0), count)
    }
}

/// The working state of one decoding.
private struct LaTeXDecoderState: ~Copyable {
    /// The text being decoded, valid while the decoding runs (``LaTeXDecoder/decodeNonPlain(buffer:mode:paragraphs:)``).
    let source: UnsafeBufferPointer<UInt8>
    let rich: Bool
    let paragraphs: Bool
    var index = 0
    /// What is written.
    var output: LaTeXOutput
    var pendingSpace = false
    var pendingParagraph = false
    var hasText = false
    /// Greater than zero inside a case-protected span (no nested spans).
    var noCaseDepth = 0
    /// Style switches opened and not yet closed, innermost last: each ``parseSequence(endAtBrace:)`` closes those
    /// opened in it (one flat array, no array per group).
    var switches: [RichTextStyleName] = []
    /// Environments opened by `\begin{it}`-style switches.
    var environments: [(name: String, style: RichTextStyleName)] = []
    var recursion = 0
    /// Braces beyond the recursion limit, read as if they were not there.
    var flattened = 0
    /// The mark whose packed compositions are in `markCompositions` (0 for none yet): one table read per accent,
    /// not a static table's `swift_once` and a switch.
    var compositionsMark: UInt32 = 0
    var markCompositions: [UInt32] = []

    /// True: text runs end at every `-` and `'` (``LaTeXDecoder/decodeNonPlain(buffer:mode:paragraphs:stackLimit:referenceRuns:)``).
    let referenceRuns: Bool

    static let recursionLimit = 64

    init(source: UnsafeBufferPointer<UInt8>, rich: Bool, paragraphs: Bool, output: consuming LaTeXOutput,
        referenceRuns: Bool = false)
    {
        self.source = source
        self.rich = rich
        self.paragraphs = paragraphs
        self.output = output
        self.referenceRuns = referenceRuns
    }

    mutating func run() {
        parseSequence(endAtBrace: false)
        for environment in environments.reversed() { close(environment.style) }
        environments.removeAll()
    }

    // MARK: Output

    private mutating func flushSpace() {
        if (pendingSpace || pendingParagraph) && hasText {
            if pendingParagraph {
                output.append(0x0A)
                output.append(0x0A)
            } else {
                output.append(0x20)
            }
        }
        pendingSpace = false
        pendingParagraph = false
    }

    private mutating func emit(_ text: String) {
        guard !text.isEmpty else { return }
        flushSpace()
        output.append(text)
        hasText = true
    }

    /// One ASCII byte: `emit(String(Character(Unicode.Scalar(byte))))` without the string.
    private mutating func emit(byte: UInt8) {
        flushSpace()
        output.append(byte)
        hasText = true
    }

    /// An ASCII letter under a mark, as ``LaTeXDecoder/composedLetter(byte:_:)`` composes it, written; false (and
    /// nothing written) for a mark without a table.
    private mutating func emitComposed(_ letter: UInt8, _ mark: Unicode.Scalar) -> Bool {
        if mark.value != compositionsMark {
            guard let table = LaTeXDecoder.composedLetters(for: mark) else { return false }
            compositionsMark = mark.value
            markCompositions = table.packed
        }
        let packed = markCompositions[Int(letter)]
        guard packed != 0 else {
            guard let composed = LaTeXDecoder.composedLetter(byte: letter, mark) else { return false }
            emit(composed)
            return true
        }
        flushSpace()
        output.append(UInt8(truncatingIfNeeded: packed))
        let count = packed >> 24
        if count > 1 { output.append(UInt8(truncatingIfNeeded: packed >> 8)) }
        if count > 2 { output.append(UInt8(truncatingIfNeeded: packed >> 16)) }
        hasText = true
        return true
    }

    private mutating func emit(bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        guard !bytes.isEmpty else { return }
        flushSpace()
        output.append(UnsafeBufferPointer(rebasing: bytes))
        hasText = true
    }

    private mutating func open(_ style: RichTextStyleName) {
        guard rich else { return }
        if hasText { flushSpace() }
        output.append(style.openTag)
    }

    private mutating func close(_ style: RichTextStyleName) {
        guard rich else { return }
        let tag = style.openTag
        if output.hasSuffix(tag) {
            output.removeLast(tag.utf8.count)  // an empty span: undo it, and the space written before it
            if output.last == 0x20 {
                output.removeLast()
                pendingSpace = true
            }
            return
        }
        output.append(style.closeTag)
    }

    // MARK: Structure

    private mutating func parseSequence(endAtBrace: Bool) {
        let frameStart = switches.count
        defer {
            while switches.count > frameStart { close(switches.removeLast()) }
        }
        while index < source.count {
            let byte = source[index]
            switch byte {
            case UInt8(ascii: "\\"):
                parseCommand()
            case UInt8(ascii: "{"):
                parseGroup()
            case UInt8(ascii: "}"):
                index += 1
                if flattened > 0 {
                    flattened -= 1
                } else if endAtBrace {
                    return
                }
            case UInt8(ascii: "$"):
                parseMath()
            case UInt8(ascii: "~"):
                index += 1
                emit("\u{00A0}")
            case UInt8(ascii: "-"):
                // A lone `-` is text: the run it starts (``emitTextRun()``) writes it as it is, as `emit("-")` would.
                if !referenceRuns && (index + 1 == source.count || source[index + 1] != UInt8(ascii: "-")) {
                    emitTextRun()
                    continue
                }
                var count = 0
                while index < source.count, source[index] == UInt8(ascii: "-") {
                    count += 1
                    index += 1
                }
                switch count {
                case 1: emit("-")
                case 2: emit("–")
                case 3: emit("—")
                default: emit(String(repeating: "-", count: count))
                }
            case UInt8(ascii: "`"):
                if index + 1 < source.count, source[index + 1] == UInt8(ascii: "`") {
                    index += 2
                    emit("“")
                } else {
                    index += 1
                    emit("‘")
                }
            case UInt8(ascii: "'"):
                if index + 1 < source.count, source[index + 1] == UInt8(ascii: "'") {
                    index += 2
                    emit("”")
                } else if !referenceRuns {
                    emitTextRun()  // a lone `'`: text, written as it is
                } else {
                    index += 1
                    emit("'")
                }
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                var newlines = 0
                while index < source.count {
                    let next = source[index]
                    if next == 0x0A {
                        newlines += 1
                    } else if next != 0x20 && next != 0x09 && next != 0x0D && next != 0x0B && next != 0x0C {
                        break
                    }
                    index += 1
                }
                pendingSpace = true
                if paragraphs && newlines >= 2 { pendingParagraph = true }
            default:
                emitTextRun()
            }
        }
    }

    /// Writes the run of text that starts at `index` (a byte the caller read as text) and moves past it: bytes of
    /// text (``LaTeXDecoder/byteClasses`` 0), single spaces between two of them, and a `-` or `'` that the same
    /// byte does not follow, which the loop of ``parseSequence(endAtBrace:)`` would each write as they are (a
    /// space between two bytes of text: the white-space branch and the next `emit` write it, as the text before it
    /// is written).
    ///
    /// Eight bytes are taken at once when each is text or a space that text follows (the ninth byte read for the
    /// eighth): what the byte-by-byte steps below would take without stopping.
    @inline(__always)
    private mutating func emitTextRun() {
        let start = index
        let source = self.source
        let pairs = !referenceRuns
        index = LaTeXDecoder.byteClasses.withUnsafeBufferPointer { classes in
            // (`classes` has 256 entries: any byte is an index; 0 is a byte of plain text.)
            guard let classes = classes.baseAddress, let bytes = source.baseAddress else { return start + 1 }
            let count = source.count
            var end = start + 1
            while end < count {
                if pairs {
                    while end &+ 9 <= count {
                        let taken = LaTeXDecoder.textBytes(classes, bytes, at: end)
                        end &+= taken
                        if taken < 8 { break }
                    }
                }
                let byte = source[end]
                let kind = classes[Int(byte)]
                if kind == 0 {
                    end += 1
                    continue
                }
                if pairs && kind == LaTeXDecoder.pairByte {
                    if end + 1 < count && source[end + 1] == byte { break }  // `--`, `''`
                    end += 1
                    continue
                }
                guard kind == LaTeXDecoder.spaceByte, end + 1 < count, classes[Int(source[end + 1])] == 0
                else { break }
                end += 2
            }
            return end
        }
        emit(bytes: source[start..<index])
    }


    private mutating func parseGroup() {
        index += 1  // '{'
        if recursion >= Self.recursionLimit {
            flattened += 1
            return
        }
        if composeAccentGroup() { return }
        recursion += 1
        defer { recursion -= 1 }
        if rich && noCaseDepth == 0 && !groupStartsWithSpecialCharacter() && !groupIsOneAccentedLetter() {
            open(.noCase)
            noCaseDepth += 1
            parseSequence(endAtBrace: true)
            noCaseDepth -= 1
            close(.noCase)
        } else {
            parseSequence(endAtBrace: true)
        }
    }

    /// The usual accented letter, a group of one accent command over one ASCII letter (`{\'e}`, `{\'{e}}`,
    /// `{\v{s}}`, with `index` after the `{`): its composition written and the group consumed, true; false (nothing
    /// consumed) for any other group. The general path reads such a group the same way: it starts with an accent,
    /// so it is no case protection (``groupStartsWithSpecialCharacter()``), and its one command is the accent, whose
    /// argument is the letter (``accent(_:fallback:)``), the table's composition.
    private mutating func composeAccentGroup() -> Bool {
        let count = source.count
        guard index + 3 < count, source[index] == UInt8(ascii: "\\") else { return false }
        let command = source[index + 1]
        // (A one-letter command's table entry is an accent only for the accents' own names: `\v`, `\c`, `\H`…)
        guard let mark = LaTeXDecoder.accentMark(byte: command) else { return false }
        let letter: UInt8
        let end: Int
        if index + 5 < count, source[index + 2] == UInt8(ascii: "{"), source[index + 4] == UInt8(ascii: "}"),
            source[index + 5] == UInt8(ascii: "}"), BibTeXScanner.isLetter(source[index + 3])
        {
            letter = source[index + 3]  // `{\'{e}}`, `{\v{s}}`
            end = index + 6
        } else if !BibTeXScanner.isLetter(command), BibTeXScanner.isLetter(source[index + 2]),
            source[index + 3] == UInt8(ascii: "}")
        {
            letter = source[index + 2]  // `{\'e}` (a letter command would take the letter into its name)
            end = index + 4
        } else {
            return false
        }
        guard emitComposed(letter, mark) else { return false }
        index = end
        return true
    }

    /// True when the group that starts at `index` opens with an accent, a special letter or a font switch
    /// (`{\"O}`, `{\ss}`, `{\em …}`): BibTeX's "special character", which is not case protection. A group that
    /// opens with another command (`{\textit{W}}`, `{\{x\}}`) protects its text like any other group.
    private func groupStartsWithSpecialCharacter() -> Bool {
        guard index + 1 < source.count, source[index] == UInt8(ascii: "\\") else { return false }
        let first = source[index + 1]
        guard BibTeXScanner.isLetter(first) else {
            return LaTeXDecoder.accentMark(byte: first) != nil
        }
        var end = index + 1
        while end < source.count, BibTeXScanner.isLetter(source[end]) { end += 1 }
        return LaTeXDecoder.specialCharacterCommandsByBytes.value(
            for: UnsafeBufferPointer(rebasing: source[(index + 1)..<end])) != nil
    }

    /// True when the group that starts at `index` holds exactly one non-ASCII letter (`{ö}`): a leftover of
    /// `{\"o}`, not case protection.
    private func groupIsOneAccentedLetter() -> Bool {
        guard let close = source[index...].firstIndex(of: UInt8(ascii: "}")), close > index,
            source[index] >= 0x80
        else { return false }
        if close == index + 2, source[index] >= 0xC2, source[index] < 0xCA, source[index + 1] & 0xC0 == 0x80 {
            // One two-byte scalar below U+0250: the answer is in the table.
            let value = Int(source[index] & 0x1F) << 6 | Int(source[index + 1] & 0x3F)
            if value >= 0x80 { return LaTeXDecoder.leftoverLetters[value - 0x80] }
        }
        return LaTeXDecoder.isLeftoverLetter(String(decoding: source[index..<close], as: UTF8.self))
    }

    /// The raw bytes of the brace group at `index` (skipping spaces first), consumed; nil when no group follows.
    private mutating func readRawGroup() -> Slice<UnsafeBufferPointer<UInt8>>? {
        var probe = index
        while probe < source.count, source[probe] == 0x20 || source[probe] == 0x09 || source[probe] == 0x0A {
            probe += 1
        }
        guard probe < source.count, source[probe] == UInt8(ascii: "{") else { return nil }
        var depth = 0
        var end = probe
        while end < source.count {
            let byte = source[end]
            if byte == UInt8(ascii: "\\") {
                end += 2
                continue
            }
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { break }
            }
            end += 1
        }
        guard end < source.count else { return nil }
        index = end + 1
        return source[(probe + 1)..<end]
    }

    /// A command argument: a brace group, or a single token.
    private mutating func parseArgument(style: RichTextStyleName?) {
        while index < source.count, source[index] == 0x20 || source[index] == 0x09 || source[index] == 0x0A {
            index += 1
        }
        guard index < source.count else { return }
        if let style { open(style) }
        if source[index] == UInt8(ascii: "{") {
            index += 1
            if recursion >= Self.recursionLimit {
                flattened += 1
            } else {
                recursion += 1
                parseSequence(endAtBrace: true)
                recursion -= 1
            }
        } else if source[index] == UInt8(ascii: "\\") {
            parseCommand()
        } else {
            let length = Self.scalarLength(source[index])
            let end = min(source.count, index + length)
            emit(bytes: source[index..<end])
            index = end
        }
        if let style { close(style) }
    }

    private static func scalarLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        if lead >= 0xC0 { return 2 }
        return 1
    }

    // MARK: Commands

    private mutating func parseCommand() {
        let start = index
        index += 1  // '\'
        guard index < source.count else {
            emit("\\")
            return
        }
        let first = source[index]
        guard BibTeXScanner.isLetter(first) else {
            index += 1
            controlSymbol(first, start: start)
            return
        }
        let nameStart = index
        while index < source.count, BibTeXScanner.isLetter(source[index]) { index += 1 }
        let nameEnd = index
        var skippedSpace = false
        while index < source.count, source[index] == 0x20 || source[index] == 0x09 || source[index] == 0x0A {
            index += 1
            skippedSpace = true
        }
        controlWord(nameStart: nameStart, start: start, nameEnd: nameEnd, skippedSpace: skippedSpace)
    }

    private mutating func controlSymbol(_ symbol: UInt8, start: Int) {
        switch symbol {
        case UInt8(ascii: "&"), UInt8(ascii: "%"), UInt8(ascii: "$"), UInt8(ascii: "#"), UInt8(ascii: "_"),
            UInt8(ascii: "{"), UInt8(ascii: "}"):
            emit(byte: symbol)
        case UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "^"), UInt8(ascii: "\""), UInt8(ascii: "~"),
            UInt8(ascii: "="), UInt8(ascii: "."):
            if let mark = LaTeXDecoder.accentMark(byte: symbol) {
                accent(mark, fallback: symbol)
            }
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "\\"), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: ">"):
            pendingSpace = true
        case UInt8(ascii: ","):
            emit("\u{2009}")
        case UInt8(ascii: "!"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "*"):
            break
        case UInt8(ascii: "("), UInt8(ascii: "["):
            // Inline or display math written with \( \) or \[ \]: kept as written.
            let closer: UInt8 = symbol == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
            var end = index
            while end + 1 < source.count, !(source[end] == UInt8(ascii: "\\") && source[end + 1] == closer) {
                end += 1
            }
            if end + 1 < source.count {
                emit(bytes: source[start..<(end + 2)])
                index = end + 2
            } else {
                emit(bytes: source[start..<index])
            }
        default:
            emit(bytes: source[start..<index])
        }
    }

    private mutating func controlWord(nameStart: Int, start: Int, nameEnd: Int, skippedSpace: Bool) {
        // One lookup for the tables (``LaTeXDecoder/commandKinds``, on the name's bytes), then the commands with
        // their own rules (by name: the string is made only for those).
        switch LaTeXDecoder.commandKindsByBytes.value(for: UnsafeBufferPointer(rebasing: source[nameStart..<nameEnd])) {
        case .accent(let mark):
            accent(mark, fallback: nil)
            return
        case .style(let style):
            parseArgument(style: rich ? style : nil)
            return
        case .styleSwitch(let style):
            if rich {
                open(style)
                switches.append(style)
            }
            return
        case .symbol(let symbol):
            // `\LaTeX{}`, `\ss{}`: an empty group after a symbol only ends the command name.
            if index + 1 < source.count, source[index] == UInt8(ascii: "{"), source[index + 1] == UInt8(ascii: "}") {
                index += 2
            }
            emit(symbol)
            return
        case .neutral:
            return
        case .transparent:
            parseArgument(style: nil)
            return
        case nil:
            break
        }
        let name = String(decoding: source[nameStart..<nameEnd], as: UTF8.self)
        switch name {
        case "url", "nolinkurl", "path", "doi":
            if let raw = readRawGroup() {
                emit(bytes: raw)
                return
            }
        case "href":
            if readRawGroup() != nil {
                parseArgument(style: nil)
                return
            }
        case "enquote", "mkbibquote", "textquote":
            emit("“")
            parseArgument(style: nil)
            emit("”")
            return
        case "noopsort", "sortnoop", "SortNoop", "nocite":
            if readRawGroup() != nil { return }
        case "foreignlanguage", "textcolor", "hyphenation":
            if readRawGroup() != nil {
                if name != "hyphenation" { parseArgument(style: nil) }
                return
            }
        case "ElsevierGlyph":
            let save = index
            if let raw = readRawGroup(), let value = UInt32(String(decoding: raw, as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(value)
            {
                emit(String(scalar))
                return
            }
            index = save
        case "char":
            if let scalar = readCharNumber() {
                emit(String(scalar))
                return
            }
        case "par":
            pendingSpace = true
            if paragraphs { pendingParagraph = true }
            return
        case "begin", "end":
            let save = index
            if let raw = readRawGroup() {
                let environment = String(decoding: raw, as: UTF8.self)
                if let style = LaTeXTables.styleSwitches[environment] {
                    if name == "begin" {
                        if rich { open(style) }
                        environments.append((environment, style))
                    } else if let last = environments.lastIndex(where: { $0.name == environment }) {
                        if rich { close(environments[last].style) }
                        environments.remove(at: last)
                    }
                    return
                }
            }
            index = save
        default:
            break
        }
        // Unknown: keep the command and the brace or bracket arguments right after it, as written.
        let afterSpaces = index
        var argumentsEnd = afterSpaces
        while index < source.count, source[index] == UInt8(ascii: "{") || source[index] == UInt8(ascii: "[") {
            if source[index] == UInt8(ascii: "[") {
                guard let close = source[index...].firstIndex(of: UInt8(ascii: "]")) else { break }
                index = close + 1
            } else if readRawGroup() == nil {
                break
            }
            argumentsEnd = index
            if index < source.count, source[index] != UInt8(ascii: "{"), source[index] != UInt8(ascii: "[") { break }
        }
        index = argumentsEnd
        emit(bytes: source[start..<nameEnd])
        if argumentsEnd > afterSpaces {
            output.append(UnsafeBufferPointer(rebasing: source[afterSpaces..<argumentsEnd]))
        } else if skippedSpace {
            pendingSpace = true
        }
    }

    /// `\char` followed by a decimal, `"hex` or `'octal` number.
    private mutating func readCharNumber() -> Unicode.Scalar? {
        guard index < source.count else { return nil }
        var radix = 10
        var probe = index
        if source[probe] == UInt8(ascii: "\"") {
            radix = 16
            probe += 1
        } else if source[probe] == UInt8(ascii: "'") {
            radix = 8
            probe += 1
        }
        let digitsStart = probe
        while probe < source.count, (source[probe] >= 0x30 && source[probe] <= 0x39)
            || (radix == 16 && ((source[probe] >= 0x41 && source[probe] <= 0x46) || (source[probe] >= 0x61 && source[probe] <= 0x66)))
        {
            probe += 1
        }
        guard probe > digitsStart,
            let value = UInt32(String(decoding: source[digitsStart..<probe], as: UTF8.self), radix: radix),
            let scalar = Unicode.Scalar(value)
        else { return nil }
        index = probe
        return scalar
    }

    /// Reads an accent's argument and emits the accented text.
    /// `fallback`: the ASCII symbol of a one-character accent command (`\'`), written when it has no argument.
    private mutating func accent(_ mark: Unicode.Scalar, fallback: UInt8?) {
        while index < source.count, source[index] == 0x20 || source[index] == 0x09 || source[index] == 0x0A {
            index += 1
        }
        guard index < source.count else {
            if let fallback { emit(byte: fallback) }
            return
        }
        var base = ""
        let byte = source[index]
        if byte == UInt8(ascii: "{") {
            // `{x}` (one ASCII letter) and `{\i}`, `{\j}` (the dotless letters, which take the accent as i and j):
            // the table's composition, as the general path below finds it, without decoding the group as a value.
            var letter: UInt8?
            var length = 0
            if index + 2 < source.count, source[index + 2] == UInt8(ascii: "}"), BibTeXScanner.isLetter(source[index + 1]) {
                letter = source[index + 1]
                length = 3
            } else if index + 3 < source.count, source[index + 1] == UInt8(ascii: "\\"),
                source[index + 2] == UInt8(ascii: "i") || source[index + 2] == UInt8(ascii: "j"),
                source[index + 3] == UInt8(ascii: "}")
            {
                letter = source[index + 2]
                length = 4
            }
            if let letter, emitComposed(letter, mark) {
                index += length
                return
            }
            guard let raw = readRawGroup() else {
                index += 1
                return
            }
            base = LaTeXDecoder.decode(String(decoding: raw, as: UTF8.self), mode: .plain)
        } else if byte == UInt8(ascii: "\\") {
            let save = index
            index += 1
            let nameStart = index
            while index < source.count, BibTeXScanner.isLetter(source[index]) { index += 1 }
            let name = String(decoding: source[nameStart..<index], as: UTF8.self)
            if let symbol = LaTeXTables.symbols[name] {
                base = symbol
                if index + 1 < source.count, source[index] == UInt8(ascii: "{"), source[index + 1] == UInt8(ascii: "}") {
                    index += 2
                } else {
                    while index < source.count, source[index] == 0x20 { index += 1 }
                }
            } else {
                index = save
                if let fallback { emit(byte: fallback) }
                return
            }
        } else if byte == UInt8(ascii: "}") {
            if let fallback { emit(byte: fallback) }
            return
        } else if BibTeXScanner.isLetter(byte), emitComposed(byte, mark) {
            // One ASCII letter (`\"u`, `{\'e}`): the composition from the table, no string for the letter.
            index += 1
            return
        } else {
            let length = Self.scalarLength(byte)
            let end = min(source.count, index + length)
            base = String(decoding: source[index..<end], as: UTF8.self)
            index = end
        }
        if base.isEmpty {
            if let fallback { emit(byte: fallback) } else { emit(String(mark)) }
        } else {
            emit(LaTeXDecoder.compose(base, mark))
        }
    }

    // MARK: Math

    private mutating func parseMath() {
        let start = index
        if index + 1 < source.count, source[index + 1] == UInt8(ascii: "$") {
            // Display math: kept as written.
            var end = index + 2
            while end + 1 < source.count, !(source[end] == UInt8(ascii: "$") && source[end + 1] == UInt8(ascii: "$")) {
                end += 1
            }
            guard end + 1 < source.count else {
                index += 2
                emit("$$")
                return
            }
            index = end + 2
            emit(bytes: source[start..<index])
            return
        }
        var end = index + 1
        while end < source.count {
            if source[end] == UInt8(ascii: "\\") {
                end += 2
                continue
            }
            if source[end] == UInt8(ascii: "$") { break }
            end += 1
        }
        guard end < source.count else {
            index += 1
            emit("$")
            return
        }
        index = end + 1
        let content = source[(start + 1)..<end]
        if let symbol = Self.singleMathSymbol(content) {
            emit(symbol)
        } else {
            emit(bytes: source[start..<index])
        }
    }

    /// `\alpha` (with optional spaces or an empty group) when it is one symbol the encoder writes back identically.
    private static func singleMathSymbol(_ content: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        var bytes = content
        while let first = bytes.first, first == 0x20 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 { bytes = bytes.dropLast() }
        guard bytes.first == UInt8(ascii: "\\") else { return nil }
        let name = bytes.dropFirst()
        guard !name.isEmpty, name.allSatisfy(BibTeXScanner.isLetter) else { return nil }
        return LaTeXDecoder.mathSymbolsByBytes.value(for: UnsafeBufferPointer(rebasing: name))
    }
}

/// A fixed table from names to values, looked up by a name's UTF-8 bytes: an FNV-1a hash and a byte compare, no
/// string made and no SipHash per lookup. It gives what the dictionary it is built from gives for the same name
/// (a test checks every name of the decoder's tables, and names that are not in them).
struct ByteKeyedTable<Value: Sendable>: Sendable {
    /// The names' bytes, one after the other; slot `n` holds `pool[offsets[n]..<offsets[n] + lengths[n]]`.
    private let pool: [UInt8]
    /// -1 for an empty slot.
    private let offsets: [Int]
    private let lengths: [Int]
    private let values: [Value?]
    private let mask: Int

    init(_ entries: [String: Value]) {
        var size = 16
        while size < entries.count * 4 { size *= 2 }
        var pool: [UInt8] = []
        var offsets = [Int](repeating: -1, count: size)
        var lengths = [Int](repeating: 0, count: size)
        var values = [Value?](repeating: nil, count: size)
        for (name, value) in entries {
            let bytes = Array(name.utf8)
            var slot = Self.hash(bytes[...]) & (size - 1)
            while offsets[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            offsets[slot] = pool.count
            lengths[slot] = bytes.count
            values[slot] = value
            pool.append(contentsOf: bytes)
        }
        self.pool = pool
        self.offsets = offsets
        self.lengths = lengths
        self.values = values
        mask = size - 1
    }

    @inline(__always)
    private static func hash<Bytes: Collection>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash)
    }

    /// The value of the name spelled by `name`, or nil.
    func value(for name: UnsafeBufferPointer<UInt8>) -> Value? {
        var slot = Self.hash(name) & mask
        while true {
            let offset = offsets[slot]
            if offset < 0 { return nil }
            if lengths[slot] == name.count {
                var same = true
                var index = 0
                while index < name.count {
                    if pool[offset + index] != name[index] {
                        same = false
                        break
                    }
                    index += 1
                }
                if same { return values[slot] }
            }
            slot = (slot + 1) & mask
        }
    }

    /// ``value(for:)`` of a string's bytes (for tests).
    func value(for name: String) -> Value? {
        var name = name
        return name.withUTF8 { value(for: $0) }
    }
}
