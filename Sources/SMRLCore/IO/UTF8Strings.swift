/// Strings made from UTF-8 bytes without the standard library's validation pass where this type's own check (or
/// the caller's) has already found them valid.
///
/// `String(decoding:as:)` and `String(validating:as:)` validate every byte they are given. On text that is not all
/// ASCII the standard library's validation goes a byte at a time (about nine instructions a byte: some 14,000 for a
/// 1,500-byte abstract with one accented letter in it), and `String(validating:as:)` on a buffer adds about a
/// thousand instructions a call of generic set-up (type metadata looked up on every call) before it starts.
/// ``check(_:)`` passes ASCII 32 bytes at a time and checks each other sequence as the Unicode standard's table 3-7
/// has it; bytes it accepts are copied into the String as they are (`String(copying: UTF8Span(unchecked:))`), which
/// is what the standard library returns for valid bytes. Bytes it does not accept go to `String(decoding:as:)`,
/// which repairs them as before (or, for ``validating(_:)``, give nil as `String(validating:as:)` does).
///
/// The tests (`UTF8StringsTests`) compare the check with the standard library's decoding on every sequence of up
/// to three bytes, the four-byte leads and slices of the corpus.
///
/// `UTF8Span` needs Swift 6.2 and, on Apple platforms, an OS of 2025 or later: elsewhere every entry point is the
/// standard library's own initializer (the same String, slower).
package enum UTF8Strings {
    /// `String(decoding: bytes, as: UTF8.self)`: invalid sequences repaired with U+FFFD.
    package static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch check(bytes) {
        case .ascii: return string(validUTF8: bytes, ascii: true)
        case .valid: return string(validUTF8: bytes, ascii: false)
        case .invalid: return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// `String(validating: bytes, as: UTF8.self)`: nil when the bytes are not well-formed UTF-8.
    package static func validating(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch check(bytes) {
        case .ascii: return string(validUTF8: bytes, ascii: true)
        case .valid: return string(validUTF8: bytes, ascii: false)
        case .invalid: return nil
        }
    }

    /// `String(decoding: bytes, as: UTF8.self)` for bytes the caller believes to be ASCII (none at or above 0x80):
    /// checked, not trusted, at the word speed of ``firstNonASCII(_:from:)``, as it costs little next to the copy.
    /// A byte at or above 0x80 makes it decode the bytes in full.
    package static func string(ascii bytes: UnsafeBufferPointer<UInt8>) -> String {
        if firstNonASCII(bytes) == nil { return string(validUTF8: bytes, ascii: true) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A String of bytes the caller has found to be well-formed UTF-8, copied without any check. `ascii` must be
    /// exact (whether every byte is below 0x80): it becomes the String's ASCII flag, which its comparisons and
    /// indexing trust. Bytes that are not well-formed here would make a String that breaks the standard library's
    /// invariants: every caller must have checked them (``check(_:)``, or a scan of its own that saw every byte).
    /// Inlinable: the readers of other modules call it for most of the Strings they make.
    @inlinable @inline(__always)
    package static func string(validUTF8 bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String {
        guard !bytes.isEmpty else { return "" }
        #if compiler(>=6.2)
        if #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) {
            return unsafe String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: ascii))
        }
        #endif
        return String(decoding: bytes, as: UTF8.self)
    }

    package enum Validity: Equatable, Sendable {
        /// All bytes below 0x80.
        case ascii
        /// Well-formed UTF-8 with at least one byte from 0x80 up.
        case valid
        /// Not well-formed: `String(decoding:as:)` would repair it, `String(validating:as:)` gives nil.
        case invalid
    }

    /// True when `bytes` are well-formed UTF-8 (ASCII included).
    package static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { check(bytes) != .invalid }

    /// The index of the first byte at or above 0x80 from `start` on, nil when there is none: 32 bytes at a time,
    /// then 8, then one.
    @inline(__always)
    package static func firstNonASCII(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index &+ 32 <= count {
            let a = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let b = raw.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self)
            let c = raw.loadUnaligned(fromByteOffset: index &+ 16, as: UInt64.self)
            let d = raw.loadUnaligned(fromByteOffset: index &+ 24, as: UInt64.self)
            if (a | b | c | d) & high != 0 { break }
            index &+= 32
        }
        while index &+ 8 <= count {
            // (Little-endian: the lowest set bit marks the first such byte.)
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) & high
            if word != 0 { return index &+ (word.trailingZeroBitCount >> 3) }
            index &+= 8
        }
        while index < count {
            if base[index] >= 0x80 { return index }
            index &+= 1
        }
        return nil
    }

    /// Whether `bytes` are ASCII, other well-formed UTF-8, or not well-formed. Well-formed (Unicode 15, table 3-7):
    /// `00–7F`; `C2–DF 80–BF`; `E0 A0–BF 80–BF`; `E1–EC 80–BF 80–BF`; `ED 80–9F 80–BF`; `EE–EF 80–BF 80–BF`;
    /// `F0 90–BF 80–BF 80–BF`; `F1–F3 80–BF 80–BF 80–BF`; `F4 80–8F 80–BF 80–BF`. Every read is inside the buffer.
    package static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Validity {
        check(bytes, notingLineSeparators: false).validity
    }

    /// ``check(_:)``, and whether the bytes hold U+2028 or U+2029 (the well-formed sequence E2 80 A8 or E2 80 A9,
    /// noted while it is checked): meaningful only when the bytes are `.valid` (false for `.ascii` and
    /// `.invalid`). The RIS scanner replaces these separators, and learns of them in the same pass.
    package static func checkNotingLineSeparators(_ bytes: UnsafeBufferPointer<UInt8>)
        -> (validity: Validity, lineSeparator: Bool)
    {
        check(bytes, notingLineSeparators: true)
    }

    /// The one loop of ``check(_:)`` and ``checkNotingLineSeparators(_:)`` (inlined into each, so the first does
    /// not test for separators).
    @inline(__always)
    private static func check(_ bytes: UnsafeBufferPointer<UInt8>, notingLineSeparators: Bool)
        -> (validity: Validity, lineSeparator: Bool)
    {
        guard let base = bytes.baseAddress, var index = firstNonASCII(bytes) else { return (.ascii, false) }
        var separator = false
        let count = bytes.count
        @inline(__always) func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
        while true {
            // `index` is at a byte from 0x80 up.
            let lead = base[index]
            if lead < 0xC2 { return (.invalid, false) }  // a continuation byte, or C0/C1 (overlong)
            if lead < 0xE0 {
                guard index &+ 1 < count, isContinuation(base[index &+ 1]) else { return (.invalid, false) }
                index &+= 2
            } else if lead < 0xF0 {
                guard index &+ 2 < count else { return (.invalid, false) }
                let second = base[index &+ 1]
                switch lead {
                case 0xE0: guard second >= 0xA0 && second <= 0xBF else { return (.invalid, false) }
                case 0xED: guard second >= 0x80 && second <= 0x9F else { return (.invalid, false) }
                default: guard isContinuation(second) else { return (.invalid, false) }
                }
                let third = base[index &+ 2]
                guard isContinuation(third) else { return (.invalid, false) }
                if notingLineSeparators && lead == 0xE2 && second == 0x80 && third & 0xFE == 0xA8 { separator = true }
                index &+= 3
            } else if lead <= 0xF4 {
                guard index &+ 3 < count else { return (.invalid, false) }
                let second = base[index &+ 1]
                switch lead {
                case 0xF0: guard second >= 0x90 && second <= 0xBF else { return (.invalid, false) }
                case 0xF4: guard second >= 0x80 && second <= 0x8F else { return (.invalid, false) }
                default: guard isContinuation(second) else { return (.invalid, false) }
                }
                guard isContinuation(base[index &+ 2]), isContinuation(base[index &+ 3]) else { return (.invalid, false) }
                index &+= 4
            } else {
                return (.invalid, false)  // F5–FF
            }
            // The ASCII after the sequence, if any, at the word speed of ``firstNonASCII(_:from:)``.
            if index >= count { return (.valid, separator) }
            if base[index] < 0x80 {
                guard let next = firstNonASCII(bytes, from: index) else { return (.valid, separator) }
                index = next
            }
        }
    }
}
