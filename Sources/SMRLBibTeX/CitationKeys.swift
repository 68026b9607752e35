import Foundation
import SMRLCore

/// Citation keys for the writer: the record's own id when it can be a key, otherwise a readable key made of the
/// first author's family name, the year and the first significant word of the title (`smith2020dna`), in ASCII
/// lowercase. Keys are unique within one output: a repeated key gets `a`, `b`, … appended.
///
/// The keys used are remembered as 64-bit digests in a ``DigestMap`` (on disk past 256 KiB), so a writer's memory
/// stays flat however many records it writes; two keys with one digest (about 2⁻⁶⁴ a pair) would only cost the
/// second a needless suffix. Copies share what they have seen.
struct CitationKeys {
    private let used = DigestMap()

    /// Title words that never make a key.
    static let stopWords: Set<String> = [
        "a", "an", "the", "on", "of", "in", "at", "to", "for", "and", "or", "by", "with", "from", "into", "about",
        "as", "is", "are", "its", "it", "this", "that", "der", "die", "das", "le", "la", "les", "el", "los", "un",
        "une", "de", "du", "des", "et", "und",
    ]

    /// The key for a record, and whether it differs from the record's id.
    mutating func key(for resource: Resource, generate: Bool) -> (key: String, fromID: Bool) {
        var base: String
        var digest: UInt64
        var fromID = false
        if !generate, let id = resource.id, let cleaned = Self.sanitizeAndDigest(id) {
            (base, digest) = cleaned
            fromID = true
        } else {
            base = Self.generate(for: resource)
            digest = Self.digestOfLowercased(base)
        }
        // (One lookup a key: `insert` answers whether the digest was there and puts it in when it was not.)
        if used.insert(digest, value: 0) != nil {
            var suffixIndex = 0
            var candidate: String
            repeat {
                candidate = base + Self.suffix(suffixIndex)
                suffixIndex += 1
                digest = Self.digestOfLowercased(candidate)
            } while used.insert(digest, value: 0) != nil
            base = candidate
        }
        return (base, fromID)
    }

    /// `DigestMap.digest(key.lowercased())` without the lowercased String when the key is ASCII (every key the
    /// writer makes is): each byte is lowercased as it is digested.
    static func digestOfLowercased(_ key: String) -> UInt64 {
        var copy = key
        let ascii = copy.withUTF8 { bytes -> UInt64? in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                if byte >= 0x80 { return nil }
                hash ^= UInt64(asciiLowercased(byte))
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
        return ascii ?? DigestMap.digest(key.lowercased())
    }

    @inline(__always)
    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// `a` … `z`, `aa`, `ab`, …
    static func suffix(_ index: Int) -> String {
        var value = index
        var letters: [Character] = []
        repeat {
            letters.insert(Character(Unicode.Scalar(UInt8(97 + value % 26))), at: 0)
            value = value / 26 - 1
        } while value >= 0
        return String(letters)
    }

    /// The id as a key: characters that BibTeX or biber do not accept in keys (white space, `,{}()"#%'=\~`, and
    /// any non-ASCII character) become `_`. Nil when nothing usable is left.
    static func sanitize(_ id: String) -> String? { sanitizeAndDigest(id)?.key }

    /// ``sanitize(_:)`` and the digest of the key lowercased (``digestOfLowercased(_:)``) in one pass over the id's
    /// bytes, the key written straight into its String.
    static func sanitizeAndDigest(_ id: String) -> (key: String, digest: UInt64)? {
        var trimmed = id.bibTrimmed
        return trimmed.withUTF8 { bytes -> (key: String, digest: UInt64)? in
            var usable = false
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            let key = String(unsafeUninitializedCapacity: bytes.count) { out -> Int in
                var written = 0
                for byte in bytes {
                    // A continuation byte: its scalar became one `_` at its lead byte.
                    if byte & 0xC0 == 0x80 { continue }
                    var kept = UInt8(ascii: "_")
                    if byte > 0x20 && byte < 0x7F && !isKeySpecial(byte) {
                        kept = byte
                        // (The key is ASCII, so its letters and numbers are the ASCII ones.)
                        if (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 { usable = true }
                    }
                    out[written] = kept
                    written &+= 1
                    hash ^= UInt64(asciiLowercased(kept))
                    hash = hash &* 0x100_0000_01b3
                }
                return written
            }
            return usable ? (key, hash) : nil
        }
    }

    /// The ASCII characters that ``sanitize(_:)`` replaces besides white space and controls: `,{}()"#%'=\~`.
    @inline(__always)
    static func isKeySpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "'"), UInt8(ascii: "="),
            UInt8(ascii: "\\"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// ``sanitize(_:)`` by scalars and Characters: the reference it is tested against.
    static func sanitizeSlowly(_ id: String) -> String? {
        var result = ""
        for scalar in id.bibTrimmed.unicodeScalars {
            if scalar.isASCII, scalar.value > 0x20, scalar.value < 0x7F, !",{}()\"#%'=\\~".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "_"
            }
        }
        return result.contains(where: { $0.isLetter || $0.isNumber }) ? result : nil
    }

    /// `family` + `year` + first significant title word, folded to ASCII lowercase.
    static func generate(for resource: Resource) -> String {
        let person = resource.authors.first ?? resource.editors.first ?? resource.translators.first
        var name = ""
        if let person {
            name = fold(person.family ?? firstWord(person.literal ?? person.given ?? ""))
        }
        if name.isEmpty { name = "anon" }
        let year = resource.issued?.year.map { String(abs($0)) } ?? "nd"
        var word = ""
        let title = RichText.plainText(resource.title ?? resource.containerTitle ?? "")
        for candidate in title.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let folded = fold(String(candidate))
            if folded.isEmpty || stopWords.contains(folded) { continue }
            word = folded
            break
        }
        return name + year + word
    }

    private static func firstWord(_ text: String) -> String {
        String(text.split(separator: " ").first ?? "")
    }

    /// ASCII lowercase letters and digits of a text, accents removed (`Müller` → `muller`, `Łódź` → `lodz`).
    static func fold(_ text: String) -> String {
        var result = ""
        for scalar in text.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "ß": result += "ss"
            case "æ": result += "ae"
            case "œ": result += "oe"
            case "ø": result += "o"
            case "ł": result += "l"
            case "đ", "ð": result += "d"
            case "þ": result += "th"
            case "ı": result += "i"
            case "ŋ": result += "ng"
            default: break
            }
        }
        return result
    }
}
