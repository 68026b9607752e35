import SMRLCore

/// Small helpers over parsed JSON values shared by the reader and the writer.
enum CSLJSON {
    /// The value as compact JSON text (how name, date and unknown variables are kept in `extra["csl-json"]`).
    static func text(_ value: JSONValue) -> String {
        var output = JSONOutput(indent: 0, reserving: 128)
        output.value(value)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// Parses one JSON value from text; nil when the text is not exactly one JSON value.
    static func parse(_ text: String) -> JSONValue? {
        let trimmed = text.utf8.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = trimmed.first,
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"")
                || first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "t")
                || first == UInt8(ascii: "f") || first == UInt8(ascii: "n")
        else { return nil }
        var reader = JSONStreamReader(input: ByteReader(text: text), layout: .lines)
        do {
            guard let element = try reader.next() else { return nil }
            guard try reader.next() == nil else { return nil }
            return element.value
        } catch {
            return nil
        }
    }

    /// The text of a string, number or boolean; nil for null, arrays and objects.
    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    /// True when two values mean the same to a CSL processor: numbers and strings with the same text are equal
    /// (`"2013"` and `2013`), object members are compared regardless of order.
    static func equivalent(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)), (.number(let x), .number(let y)), (.string(let x), .number(let y)),
            (.number(let x), .string(let y)):
            return x == y
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for index in x.indices where !equivalent(x[index], y[index]) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for member in x {
                guard let other = y.first(where: { $0.key == member.key }), equivalent(member.value, other.value)
                else { return false }
            }
            return true
        default:
            return false
        }
    }

    /// An object value from key/value pairs.
    static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(pairs.map { JSONMember(key: $0.0, value: $0.1) })
    }

    /// A string array value.
    static func strings(_ values: [String]) -> JSONValue {
        .array(values.map { .string($0) })
    }

    /// Whether a string, number or boolean counts as true (CSL `circa`, name flags).
    static func truthy(_ value: JSONValue) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .number(let text): return Double(text).map { $0 != 0 } ?? true
        case .string(let text):
            switch text.trimmingSpaces.lowercased() {
            case "", "false", "0", "no", "n", "off": return false
            default: return true
            }
        default: return false
        }
    }
}

extension StringProtocol {
    /// True when every character is an ASCII digit and there is at least one.
    var isASCIIDigits: Bool {
        !isEmpty && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

extension String {
    /// True when the text is empty or only white space; fast for ASCII.
    var isBlank: Bool {
        for byte in utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case 0x80...: return trimmingSpaces.isEmpty
            default: return false
            }
        }
        return true
    }

    /// The text without surrounding white space; returns the text itself without work when its ends are not
    /// white space (the usual case).
    var trimmedFast: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func plain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        if plain(first) && plain(last) { return self }
        return trimmingSpaces
    }
}
