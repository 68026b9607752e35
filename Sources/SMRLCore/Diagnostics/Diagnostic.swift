/// How serious a diagnostic is.
public enum Severity: String, Sendable, Codable, Hashable, Comparable, CaseIterable {
    case note
    case warning
    case error

    private var rank: Int {
        switch self {
        case .note: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A stable, machine-readable diagnostic code such as `vocabulary.unknown-domain` or `ris.missing-end`.
///
/// Codes are `area.kebab-name`; the area is the format or subsystem. They never change once released, so
/// pipelines can match on them. Each module declares its own as static members in an extension.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A problem or remark about the input, tied to a record and a place in the source whenever they are known.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    /// Where in the input the problem is.
    public var location: SourceLocation?
    /// 0-based index of the record in its input, when the diagnostic concerns one record.
    public var recordIndex: Int?
    /// The record's id, when it has one.
    public var recordID: String?
    /// The field concerned (a ``Resource`` key such as `domains`, or a format's tag).
    public var field: String?
    /// A suggested replacement value, when there is one.
    public var suggestion: String?
    /// Another place involved (the first of two duplicate records, the earlier definition).
    public var related: SourceLocation?

    public init(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, at location: SourceLocation? = nil,
        field: String? = nil, suggestion: String? = nil, related: SourceLocation? = nil,
        recordIndex: Int? = nil, recordID: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.field = field
        self.suggestion = suggestion
        self.related = related
        self.recordIndex = recordIndex
        self.recordID = recordID
    }

    public static func error(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation? = nil, field: String? = nil
    ) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, field: field)
    }

    public static func warning(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation? = nil, field: String? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, field: field)
    }

    public static func note(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation? = nil, field: String? = nil
    ) -> Diagnostic {
        Diagnostic(.note, code, message, at: location, field: field)
    }

    /// `FILE:LINE:COL: error[CODE]: message`, or without the location prefix when there is none.
    public var description: String {
        var text = ""
        if let location { text = "\(location): " }
        text += "\(severity.rawValue)[\(code.rawValue)]: \(message)"
        return text
    }
}

/// Codes raised by the core itself (input handling, the native formats' shared checks, the pipeline).
extension DiagnosticCode {
    /// The input is not valid UTF-8 and was decoded as Windows-1252.
    public static let legacyEncoding: DiagnosticCode = "input.legacy-encoding"
    /// The input started with a byte-order mark that was removed, or was UTF-16 and was transcoded.
    public static let byteOrderMark: DiagnosticCode = "input.byte-order-mark"
    /// The input could not be opened or read.
    public static let unreadableInput: DiagnosticCode = "input.unreadable"
    /// A record is larger than the configured limit.
    public static let recordTooLarge: DiagnosticCode = "input.record-too-large"
    /// Nesting is deeper than the configured limit.
    public static let nestingTooDeep: DiagnosticCode = "input.nesting-too-deep"
    /// The input format could not be detected.
    public static let unknownFormat: DiagnosticCode = "input.unknown-format"
    /// The input is another format than the one it was read as (MEDLINE text named `.ris`).
    public static let wrongFormat: DiagnosticCode = "input.wrong-format"
    /// A format is not available for reading or writing.
    public static let formatUnavailable: DiagnosticCode = "format.unavailable"
}
