/// Reading the vocabulary file without Foundation: a small JSON parser (with line and column in its errors) and
/// the mapping of its values onto ``Vocabulary``'s lists, with the JSON path in every error.
///
/// The core library stays free of Foundation: importing it into one file of the module would change which
/// `contains`/`range(of:)` overloads every other core file gets, and its string folding is slow.

/// A parsed JSON value. Object members keep their order.
indirect enum JSONValue: Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    var typeName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "true or false"
        case .null: return "null"
        }
    }
}

/// Parses JSON text (RFC 8259) from UTF-8 bytes; nesting is limited to `maxDepth`.
struct JSONParser {
    struct SyntaxError: Error {
        var line: Int
        var column: Int
        var message: String
    }

    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private let maxDepth: Int

    static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        parser.skipSpace()
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func error(_ message: String) -> SyntaxError {
        let column = SourceLocation.column(ofByte: position - lineStart, inLine: bytes[lineStart...])
        return SyntaxError(line: line, column: column, message: message)
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0D: position += 1
            case 0x0A:
                position += 1
                line += 1
                lineStart = position
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
        guard position < bytes.count, bytes[position] == byte else { throw error("expected \(what)") }
        position += 1
    }

    private mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
        guard position < bytes.count else { throw error("unexpected end of the text") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw error("nested deeper than \(maxDepth) levels") }
            position += 1
            var members: [(key: String, value: JSONValue)] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in double quotes")
                }
                let key = try parseString()
                skipSpace()
                try expect(UInt8(ascii: ":"), "':' after a member name")
                skipSpace()
                members.append((key, try parseValue(depth: depth + 1)))
                skipSpace()
                guard position < bytes.count else { throw error("unexpected end of the text in an object") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}' in an object")
                return .object(members)
            }
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw error("nested deeper than \(maxDepth) levels") }
            position += 1
            var elements: [JSONValue] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipSpace()
                elements.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard position < bytes.count else { throw error("unexpected end of the text in an array") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']' in an array")
                return .array(elements)
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw error("expected a JSON value")
        }
    }

    private mutating func literal(_ word: String) throws(SyntaxError) {
        let expected = Array(word.utf8)
        guard bytes[position...].starts(with: expected) else { throw error("expected a JSON value") }
        position += expected.count
    }

    private mutating func parseNumber() throws(SyntaxError) -> String {
        let start = position
        func digits() -> Int {
            let begin = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            return position - begin
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard digits() > 0 else { throw error("expected digits in a number") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw error("expected digits after '.'") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { throw error("expected digits in an exponent") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        position += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flushRun() {
            if runStart < position {
                scalars.append(contentsOf: String(decoding: bytes[runStart..<position], as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard position < bytes.count else { throw error("unterminated string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                flushRun()
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw error("control character in a string (write it as an escape)") }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            flushRun()
            position += 1
            guard position < bytes.count else { throw error("unterminated string") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var value = try hex4()
                if (0xD800...0xDBFF).contains(value) {
                    guard bytes[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                        throw error("unpaired surrogate in a \\u escape")
                    }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw error("unpaired surrogate in a \\u escape") }
                scalars.append(scalar)
            default:
                position -= 1
                throw error("unknown escape in a string")
            }
            runStart = position
        }
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("expected four hexadecimal digits") }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 0x61 + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 0x41 + 10
            default: throw error("expected four hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }
}

extension Vocabulary {
    /// The version and lists of a parsed vocabulary file.
    static func lists(from value: JSONValue, source: String) throws -> (String, [Kind: TermList]) {
        func fail(_ path: String, _ message: String) -> VocabularyError {
            VocabularyError(file: source, message: (path.isEmpty ? "top level" : path) + ": " + message)
        }
        func members(_ value: JSONValue, _ path: String) throws -> [(key: String, value: JSONValue)] {
            guard case .object(let members) = value else { throw fail(path, "expected an object, found \(value.typeName)") }
            return members
        }
        func member(_ members: [(key: String, value: JSONValue)], _ key: String, _ path: String, required: Bool)
            throws -> JSONValue?
        {
            if let found = members.last(where: { $0.key == key }), !(found.value.isNull && !required) {
                return found.value
            }
            if required { throw fail(path.isEmpty ? key : path + "." + key, "required key is missing") }
            return nil
        }
        func string(_ value: JSONValue, _ path: String) throws -> String {
            guard case .string(let text) = value else { throw fail(path, "expected a string, found \(value.typeName)") }
            return text
        }
        func strings(_ value: JSONValue, _ path: String) throws -> [String] {
            guard case .array(let elements) = value else {
                throw fail(path, "expected an array of strings, found \(value.typeName)")
            }
            return try elements.enumerated().map { try string($0.element, "\(path)[\($0.offset)]") }
        }

        let top = try members(value, "")
        let version = try string(try member(top, "version", "", required: true) ?? .null, "version")
        let vocabularies = try members(try member(top, "vocabularies", "", required: true) ?? .null, "vocabularies")
        var lists: [Kind: TermList] = [:]
        for (key, listValue) in vocabularies {
            // Vocabularies this version does not know are ignored: no field of a resource holds them.
            guard let kind = Kind(rawValue: key) else { continue }
            let path = "vocabularies." + key
            let list = try members(listValue, path)
            let label = try string(try member(list, "label", path, required: true) ?? .null, path + ".label")
            let enforcementText = try string(
                try member(list, "enforcement", path, required: true) ?? .null, path + ".enforcement")
            guard let enforcement = Enforcement(rawValue: enforcementText) else {
                throw fail(path + ".enforcement", "\"\(enforcementText)\" is not \"error\", \"warning\" or \"deprecated\"")
            }
            guard case .array(let termValues) = try member(list, "terms", path, required: true) ?? .null else {
                throw fail(path + ".terms", "expected an array of terms")
            }
            var terms: [Term] = []
            for (index, termValue) in termValues.enumerated() {
                let termPath = "\(path).terms[\(index)]"
                let fields = try members(termValue, termPath)
                var term = Term(
                    id: try string(try member(fields, "id", termPath, required: true) ?? .null, termPath + ".id"),
                    label: try string(try member(fields, "label", termPath, required: true) ?? .null, termPath + ".label"))
                if let definition = try member(fields, "definition", termPath, required: false) {
                    term.definition = try string(definition, termPath + ".definition")
                }
                if let variants = try member(fields, "variants", termPath, required: false) {
                    term.variants = try strings(variants, termPath + ".variants")
                }
                if let replacedBy = try member(fields, "replacedBy", termPath, required: false) {
                    for (target, ids) in try members(replacedBy, termPath + ".replacedBy") {
                        guard let targetKind = Kind(rawValue: target) else {
                            throw fail(
                                termPath + ".replacedBy",
                                "\"\(target)\" is no vocabulary (expected one of "
                                    + Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                        }
                        term.replacedBy[targetKind] = try strings(ids, "\(termPath).replacedBy.\(target)")
                    }
                }
                if let confidence = try member(fields, "confidence", termPath, required: false) {
                    term.confidence = try string(confidence, termPath + ".confidence")
                }
                terms.append(term)
            }
            lists[kind] = TermList(label: label, enforcement: enforcement, terms: terms)
        }
        return (version, lists)
    }
}

extension JSONValue {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
