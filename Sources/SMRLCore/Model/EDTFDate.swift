/// A date as the Extended Date/Time Format (EDTF, ISO 8601-2) level 1 models it: a year alone, a year and month,
/// a full date, a season, an interval (open or closed), each optionally approximate (`~`), uncertain (`?`) or
/// both (`%`). Text that is no EDTF (`in press`, `Spring term 2019`) is kept as ``literal``.
///
/// In JSON a date is one string: its EDTF form when it has one (`2015-07`, `2019-21`, `2000-03-15/2000-03-17`,
/// `1950~`), otherwise the literal text.
public struct EDTFDate: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One calendar point of a date.
    public struct Point: Hashable, Sendable {
        /// Astronomical year (`-50` for 51 BCE).
        public var year: Int
        /// 1–12, or 21–24 for spring, summer, autumn, winter (EDTF seasons).
        public var month: Int?
        /// 1–31; only with a month of 1–12.
        public var day: Int?

        public init(year: Int, month: Int? = nil, day: Int? = nil) {
            self.year = year
            self.month = month
            self.day = day
        }

        /// The season 1–4 (spring … winter) when `month` holds an EDTF season code.
        public var season: Int? {
            guard let month, (21...24).contains(month) else { return nil }
            return month - 20
        }

        var edtf: String {
            var text = Self.formatYear(year)
            if let month {
                text += "-" + (month < 10 ? "0\(month)" : "\(month)")
                if let day { text += "-" + (day < 10 ? "0\(day)" : "\(day)") }
            }
            return text
        }

        static func formatYear(_ year: Int) -> String {
            let magnitude = String(abs(year))
            let padded = String(repeating: "0", count: max(0, 4 - magnitude.count)) + magnitude
            return year < 0 ? "-" + padded : padded
        }
    }

    /// First point; nil for an interval open at the start (`../2019`) or a literal.
    public var start: Point?
    /// Last point of an interval; nil for a single date or an interval open at the end.
    public var end: Point?
    /// True for an interval (`a/b`, `../b`, `a/..`).
    public var isInterval: Bool
    /// `~`: the date is approximate (CSL `circa`).
    public var approximate: Bool
    /// `?`: the date is uncertain.
    public var uncertain: Bool
    /// Text kept as given when it has no EDTF form.
    public var literal: String?

    public init(
        start: Point?, end: Point? = nil, isInterval: Bool = false, approximate: Bool = false, uncertain: Bool = false
    ) {
        self.start = start
        self.end = end
        self.isInterval = isInterval || end != nil
        self.approximate = approximate
        self.uncertain = uncertain
        self.literal = nil
    }

    /// A single date from its parts.
    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        self.init(start: Point(year: year, month: month, day: day))
    }

    /// A date that has no structured form.
    public init(literal: String) {
        self.start = nil
        self.end = nil
        self.isInterval = false
        self.approximate = false
        self.uncertain = false
        self.literal = literal
    }

    /// Parses an EDTF level 0/1 string; returns nil when the text is not EDTF.
    public init?(edtf text: String) {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return nil }
        var approximate = false
        var uncertain = false
        func parsePoint(_ raw: Substring) -> Point? {
            var body = raw
            // Qualifiers may follow the whole point (level 1).
            while let last = body.last, last == "~" || last == "?" || last == "%" {
                if last == "~" || last == "%" { approximate = true }
                if last == "?" || last == "%" { uncertain = true }
                body = body.dropLast()
            }
            var negative = false
            if body.first == "-" {
                negative = true
                body = body.dropFirst()
            }
            let parts = body.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...3).contains(parts.count), parts[0].count >= 4,
                parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
                let year = Int(parts[0])
            else { return nil }
            var point = Point(year: negative ? -year : year)
            if parts.count >= 2 {
                guard parts[1].count == 2, let month = Int(parts[1]),
                    (1...12).contains(month) || (21...24).contains(month)
                else { return nil }
                point.month = month
            }
            if parts.count == 3 {
                guard parts[2].count == 2, let day = Int(parts[2]), (1...31).contains(day),
                    let month = point.month, month <= 12
                else { return nil }
                point.day = day
            }
            return point
        }
        if let slash = trimmed.firstIndex(of: "/") {
            let first = trimmed[..<slash]
            let second = trimmed[trimmed.index(after: slash)...]
            let openStart = first == ".." || first.isEmpty
            let openEnd = second == ".." || second.isEmpty
            if openStart && openEnd { return nil }
            let start = openStart ? nil : parsePoint(first)
            let end = openEnd ? nil : parsePoint(second)
            if !openStart && start == nil { return nil }
            if !openEnd && end == nil { return nil }
            self.init(start: start, end: end, isInterval: true, approximate: approximate, uncertain: uncertain)
        } else {
            guard let point = parsePoint(trimmed[...]) else { return nil }
            self.init(start: point, approximate: approximate, uncertain: uncertain)
        }
    }

    /// Parses EDTF, or keeps the text as a literal.
    public init(parsing text: String) {
        self = EDTFDate(edtf: text) ?? EDTFDate(literal: text.trimmingSpaces)
    }

    /// The EDTF string, or the literal.
    public var description: String {
        if let literal { return literal }
        let qualifier = approximate && uncertain ? "%" : approximate ? "~" : uncertain ? "?" : ""
        if isInterval {
            return (start.map { $0.edtf + qualifier } ?? "..") + "/" + (end.map { $0.edtf + qualifier } ?? "..")
        }
        return (start?.edtf ?? "") + qualifier
    }

    /// The year of the first point (or of the end of an interval open at the start).
    public var year: Int? { start?.year ?? end?.year }

    /// True when the date is a literal with no structured form.
    public var isLiteral: Bool { literal != nil }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// The text without leading and trailing white space (including NBSP and line breaks).
    ///
    /// Inlinable so that callers in other modules get the fast path specialised: printable ASCII at both ends (most
    /// values) gives the text back without Unicode property lookups. It is decided on the first and last UTF-8 byte,
    /// the same answer as on the first and last scalar: in valid UTF-8 a byte below 0x80 is a whole scalar.
    @inlinable
    public var trimmingSpaces: String {
        let text = String(self)
        if let head = text.utf8.first, let tail = text.utf8.last, head > 0x20, head < 0x7F, tail > 0x20, tail < 0x7F {
            return text
        }
        return text.trimmingWhitespaceScalars()
    }
}

extension String {
    /// `trimmingSpaces` past its fast path: the text without leading and trailing scalars that are white space.
    @usableFromInline
    func trimmingWhitespaceScalars() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(self[first..<scalars.index(after: last)])
    }
}
