/// Decoding of text whose encoding is not declared: UTF-8 first, Windows-1252 (a superset of Latin-1's printable
/// range) when the bytes are not valid UTF-8.
public enum TextDecoding {
    /// Decodes bytes as UTF-8, or as Windows-1252 when they are not valid UTF-8.
    /// - Returns: the text and whether the legacy fallback was used.
    @inlinable
    public static func decode(_ bytes: some Collection<UInt8>) -> (text: String, legacy: Bool) {
        if let text = String(validating: bytes, as: UTF8.self) { return (text, false) }
        return (decodeWindows1252(bytes), true)
    }

    /// Decodes Windows-1252 bytes (Latin-1 with the printable 0x80–0x9F range of Windows).
    public static func decodeWindows1252(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte >= 0x80 && byte <= 0x9F, let mapped = windows1252High[Int(byte - 0x80)] {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    /// Windows-1252 0x80–0x9F; nil where the code page leaves a byte undefined (decoded as the C1 control).
    static let windows1252High: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]
}
