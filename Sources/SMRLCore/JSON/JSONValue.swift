/// A parsed JSON value. Numbers keep their source text so that nothing is lost or re-rounded; object members keep
/// their order, duplicates and source locations.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number as written (`12`, `-1.5e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The string, or a number's text, or nil.
    public var stringValue: String? {
        switch self {
        case .string(let text): return text
        case .number(let text): return text
        default: return nil
        }
    }

    /// The members of an object, or nil.
    public var members: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array, or nil.
    public var elements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The first member with this key, for objects.
    public subscript(key: String) -> JSONValue? {
        members?.first { $0.key == key }?.value
    }

    /// A short name of the value's kind for messages (`string`, `array`).
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// One `"key": value` pair of a JSON object, with where its key starts.
public struct JSONMember: Hashable, Sendable {
    public var key: String
    public var value: JSONValue
    /// Line of the key (1-based).
    public var line: Int
    /// Column of the key's opening quote (1-based, Unicode scalars).
    public var column: Int

    public init(key: String, value: JSONValue, line: Int = 0, column: Int = 0) {
        self.key = key
        self.value = value
        self.line = line
        self.column = column
    }

    /// The member's location in `file`.
    public func location(in file: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }
}
