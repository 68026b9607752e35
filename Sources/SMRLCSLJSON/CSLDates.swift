import SMRLCore

/// CSL date variables ⇄ ``EDTFDate``.
///
/// Reading accepts every form of `csl-data.json` 1.0.2 and the CSL 1.1 EDTF string:
/// - `date-parts` with one point or a range of two, parts as numbers or numeric strings (`["2016", 2, 9]`);
///   `0` or `""` parts mean "not given"; an end year of `0` is an open range (`[[1987], [0]]`, citeproc-js);
///   CSL years are historical (`-44` is 44 BC), EDTF years astronomical (`-0043`);
/// - seasons as `season` (1–4, 13–16, 21–24 or a season name) or as pseudo-months 13–16 / 21–24;
/// - `circa` as a boolean, a number or a string;
/// - `raw` parsed as EDTF, then as common written forms (`May 15, 2019`, `Spring 1999 - Summer 2001`,
///   `2019/05/17`, `1999-2001`, `ca. 1950`, `250 BC`), else kept as literal text;
/// - `literal`, and a bare string (parsed like `raw`).
///
/// Writing produces `date-parts` with numbers; a single season as `season`, a season range as pseudo-months 21–24;
/// `circa: true` for approximate dates; `raw` (the EDTF text) next to `date-parts` only for uncertain dates,
/// and alone for a range open at the start; `literal` for dates with no structured form.
enum CSLDates {
    /// What the reader made of a date value.
    struct Reading {
        var date: EDTFDate?
        /// Why the value was not read exactly (for a warning); nil when it was.
        var problem: String?
    }

    // MARK: Reading

    static func read(_ value: JSONValue) -> Reading {
        switch value {
        case .string(let text):
            if text.isBlank { return Reading(date: nil, problem: nil) }
            let date = parseText(text)
            return Reading(date: date, problem: date.isLiteral && !text.isBlank
                ? "the date \"\(text)\" has no form a date parser understands; kept as literal text" : nil)
        case .number(let text):
            guard let year = integer(text), year != 0 else {
                return Reading(date: EDTFDate(literal: text), problem: "a date given as the number \(text)")
            }
            return Reading(date: EDTFDate(year: astronomical(year)), problem: "a date given as a bare number")
        case .object(let members):
            return readObject(members)
        case .null:
            return Reading(date: nil, problem: nil)
        default:
            return Reading(date: nil, problem: "a date given as \(value.kindName), not a date object")
        }
    }

    private static func readObject(_ members: [JSONMember]) -> Reading {
        var parts: JSONValue?
        var season: JSONValue?
        var circa = false
        var literal: String?
        var raw: String?
        var problems: [String] = []
        for member in members {
            switch member.key {
            case "date-parts": parts = member.value
            case "season": season = member.value
            case "circa": circa = CSLJSON.truthy(member.value)
            case "literal": literal = CSLJSON.scalarText(member.value)
            case "raw": raw = CSLJSON.scalarText(member.value)
            default: problems.append("unknown date key \"\(member.key)\"")
            }
        }
        var date: EDTFDate?
        if let parts {
            switch parts {
            case .array(let points) where !points.isEmpty:
                let structured = readPoints(points, problems: &problems)
                date = structured
            case .array:
                break
            case .string(let text):
                problems.append("date-parts given as a string")
                date = parseText(text)
            default:
                problems.append("date-parts given as \(parts.kindName)")
            }
        }
        if var structured = date, !structured.isLiteral {
            if let season, let code = seasonCode(season) {
                if var start = structured.start, start.month == nil, !structured.isInterval {
                    start.month = code
                    structured.start = start
                } else {
                    problems.append("a season next to a month")
                }
            } else if let season, CSLJSON.scalarText(season).map({ !$0.isEmpty }) ?? false {
                problems.append("season \"\(CSLJSON.scalarText(season) ?? "")\" is no season")
            }
            if circa { structured.approximate = true }
            // An EDTF `raw` that says the same points may add what date-parts cannot (uncertainty).
            if let raw, let edtf = EDTFDate(edtf: raw), edtf.start == structured.start, edtf.end == structured.end,
                edtf.isInterval == structured.isInterval
            {
                structured.uncertain = edtf.uncertain
                structured.approximate = structured.approximate || edtf.approximate
            }
            return Reading(date: structured, problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
        }
        if let literal, !literal.isEmpty {
            return Reading(date: EDTFDate(literal: literal), problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
        }
        if let raw {
            var parsed = parseText(raw)
            if circa, !parsed.isLiteral { parsed.approximate = true }
            if parsed.isLiteral, !raw.trimmingSpaces.isEmpty {
                problems.append("raw date \"\(raw)\" has no form a date parser understands; kept as literal text")
            }
            return Reading(date: parsed, problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
        }
        if let date {  // date-parts given as a string that was no date
            return Reading(date: date, problem: problems.joined(separator: "; "))
        }
        if let literal {  // empty literal
            return Reading(date: EDTFDate(literal: literal), problem: nil)
        }
        return Reading(date: nil, problem: problems.isEmpty ? "a date without date-parts, raw or literal"
            : problems.joined(separator: "; "))
    }

    /// Reads one or two points of `date-parts`.
    private static func readPoints(_ points: [JSONValue], problems: inout [String]) -> EDTFDate? {
        if points.count > 2 { problems.append("date-parts with \(points.count) points (at most 2)") }
        guard let first = points.first?.elements else {
            problems.append("a date-parts point that is not an array")
            return nil
        }
        let start = readPoint(first, problems: &problems)
        if points.count >= 2 {
            guard let second = points[1].elements else {
                problems.append("a date-parts point that is not an array")
                return start.point.map { EDTFDate(start: $0) }
            }
            let end = readPoint(second, problems: &problems)
            if end.isZeroYear {  // `[[1987], [0]]`: open range
                guard let point = start.point else { return nil }
                return EDTFDate(start: point, end: nil, isInterval: true)
            }
            if start.isZeroYear, let point = end.point {
                return EDTFDate(start: nil, end: point, isInterval: true)
            }
            switch (start.point, end.point) {
            case let (a?, b?): return EDTFDate(start: a, end: b, isInterval: true)
            case let (a?, nil): return EDTFDate(start: a)
            case let (nil, b?): return EDTFDate(start: b)
            default: return nil
            }
        }
        if start.isZeroYear {
            problems.append("year 0 (CSL years have no year zero)")
            return nil
        }
        return start.point.map { EDTFDate(start: $0) }
    }

    private struct PointReading {
        var point: EDTFDate.Point?
        var isZeroYear = false
    }

    private static func readPoint(_ parts: [JSONValue], problems: inout [String]) -> PointReading {
        if parts.count > 3 { problems.append("a date-parts point with \(parts.count) parts (at most 3)") }
        var numbers: [Int] = []
        for part in parts.prefix(3) {
            guard let text = CSLJSON.scalarText(part)?.trimmedFast, !text.isEmpty else { break }
            guard let number = integer(text) else {
                problems.append("date part \"\(text)\" is not a number")
                break
            }
            numbers.append(number)
        }
        guard let year = numbers.first else {
            if parts.isEmpty { problems.append("an empty date-parts point") }
            return PointReading()
        }
        if year == 0 && numbers.dropFirst().allSatisfy({ $0 == 0 }) { return PointReading(isZeroYear: true) }
        var point = EDTFDate.Point(year: astronomical(year))
        if numbers.count >= 2, numbers[1] != 0 {
            let month = numbers[1]
            switch month {
            case 1...12, 21...24: point.month = month
            case 13...16: point.month = month + 8
            default: problems.append("month \(month) out of range")
            }
        }
        if numbers.count >= 3, numbers[2] != 0 {
            let day = numbers[2]
            if let month = point.month, month <= 12, (1...31).contains(day) {
                point.day = day
            } else if point.month.map({ $0 > 12 }) ?? false {
                problems.append("a day in a season")
            } else {
                problems.append("day \(day) out of range or without a month")
            }
        }
        return PointReading(point: point)
    }

    /// EDTF season month (21–24) from a CSL `season` value.
    static func seasonCode(_ value: JSONValue) -> Int? {
        guard let text = CSLJSON.scalarText(value)?.trimmingSpaces.lowercased(), !text.isEmpty else { return nil }
        if let number = Int(text) {
            switch number {
            case 1...4: return number + 20
            case 13...16: return number + 8
            case 21...24: return number
            default: return nil
            }
        }
        return seasonNames[text]
    }

    private static let seasonNames: [String: Int] = [
        "spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24,
    ]

    /// CSL historical year (no year 0, `-1` = 1 BC) → astronomical year (`0` = 1 BC).
    static func astronomical(_ cslYear: Int) -> Int { cslYear < 0 ? cslYear + 1 : cslYear }

    /// Astronomical year → CSL historical year.
    static func historical(_ year: Int) -> Int { year <= 0 ? year - 1 : year }

    /// An integer date part; nil for text and for values beyond ±999,999,999 (no calendar needs more, and the
    /// limit keeps year arithmetic far from overflow).
    private static func integer(_ text: String) -> Int? {
        if let value = Int(text) { return value > -1_000_000_000 && value < 1_000_000_000 ? value : nil }
        if let value = Double(text), value.rounded() == value, abs(value) < 1e9 { return Int(value) }
        return nil
    }

    // MARK: Writing

    /// The CSL date object for a date.
    static func encode(_ date: EDTFDate) -> JSONValue {
        if let literal = date.literal { return .object([JSONMember(key: "literal", value: .string(literal))]) }
        guard let start = date.start else {
            // A range open at the start has no date-parts form.
            return .object([JSONMember(key: "raw", value: .string(date.description))])
        }
        var members: [JSONMember] = []
        var points: [JSONValue] = []
        var season: Int?
        if !date.isInterval, let code = start.season {
            points.append(.array([.number(String(historical(start.year)))]))
            season = code
        } else {
            points.append(encodePoint(start))
            if date.isInterval {
                points.append(date.end.map(encodePoint) ?? .array([.number("0")]))
            }
        }
        members.append(JSONMember(key: "date-parts", value: .array(points)))
        if let season { members.append(JSONMember(key: "season", value: .number(String(season)))) }
        if date.approximate { members.append(JSONMember(key: "circa", value: .bool(true))) }
        if date.uncertain { members.append(JSONMember(key: "raw", value: .string(date.description))) }
        return .object(members)
    }

    /// Writes the CSL date object for a date into `output`: the bytes `output.value(encode(date))` gives, without
    /// building the value.
    static func write(_ date: EDTFDate, into output: inout JSONOutput) {
        output.beginObject()
        if let literal = date.literal {
            output.key(literal: "literal")
            output.string(literal)
            output.endObject()
            return
        }
        guard let start = date.start else {
            output.key(literal: "raw")
            output.string(date.description)
            output.endObject()
            return
        }
        output.key(literal: "date-parts")
        output.beginArray()
        var season: Int?
        if !date.isInterval, let code = start.season {
            output.beginArray()
            output.number(historical(start.year))
            output.endArray()
            season = code
        } else {
            writePoint(start, into: &output)
            if date.isInterval {
                if let end = date.end {
                    writePoint(end, into: &output)
                } else {
                    output.beginArray()
                    output.number("0")
                    output.endArray()
                }
            }
        }
        output.endArray()
        if let season {
            output.key(literal: "season")
            output.number(season)
        }
        if date.approximate {
            output.key(literal: "circa")
            output.bool(true)
        }
        if date.uncertain {
            output.key(literal: "raw")
            output.string(date.description)
        }
        output.endObject()
    }

    private static func writePoint(_ point: EDTFDate.Point, into output: inout JSONOutput) {
        output.beginArray()
        output.number(historical(point.year))
        if let month = point.month {
            output.number(month)
            if let day = point.day { output.number(day) }
        }
        output.endArray()
    }

    private static func encodePoint(_ point: EDTFDate.Point) -> JSONValue {
        var parts: [JSONValue] = [.number(String(historical(point.year)))]
        if let month = point.month {
            parts.append(.number(String(month)))
            if let day = point.day { parts.append(.number(String(day))) }
        }
        return .array(parts)
    }

    /// True when a value is a date object that `csl-data.json` 1.0.2 accepts.
    static func isSchemaValid(_ value: JSONValue) -> Bool {
        guard case .object(let members) = value else { return false }
        for member in members {
            switch member.key {
            case "date-parts":
                guard let points = member.value.elements, (1...2).contains(points.count) else { return false }
                for point in points {
                    guard let parts = point.elements, (1...3).contains(parts.count),
                        parts.allSatisfy({ if case .string = $0 { true } else if case .number = $0 { true } else { false } })
                    else { return false }
                }
            case "season":
                switch member.value {
                case .string, .number: break
                default: return false
                }
            case "circa":
                switch member.value {
                case .string, .number, .bool: break
                default: return false
                }
            case "literal", "raw":
                guard case .string = member.value else { return false }
            default:
                return false
            }
        }
        return true
    }

    // MARK: Text dates

    /// Parses a date written as text: EDTF first, then common written forms; otherwise a literal.
    static func parseText(_ text: String) -> EDTFDate {
        let trimmed = text.trimmedFast
        if trimmed.isEmpty { return EDTFDate(literal: trimmed) }
        if let date = EDTFDate(edtf: trimmed) { return date }
        if let date = parseWritten(trimmed) { return date }
        return EDTFDate(literal: trimmed)
    }

    private static func parseWritten(_ text: String) -> EDTFDate? {
        var body = Substring(text)
        var approximate = false
        var uncertain = false
        // Qualifiers around the whole date.
        let lowered = body.lowercased()
        for prefix in ["circa ", "circa", "ca. ", "ca.", "ca ", "c. ", "c.", "approx. ", "approximately ", "~"]
        where lowered.hasPrefix(prefix) {
            approximate = true
            body = body.dropFirst(prefix.count)
            break
        }
        if body.hasSuffix("?") {
            uncertain = true
            body = body.dropLast()
        }
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        body = Substring(body.trimmingSpaces)
        // An ISO date and time: keep the date.
        if let t = body.firstIndex(of: "T"), body.distance(from: body.startIndex, to: t) == 10,
            var date = EDTFDate(edtf: String(body[..<t]))
        {
            date.approximate = date.approximate || approximate
            date.uncertain = date.uncertain || uncertain
            return date
        }
        var result: EDTFDate?
        if let (left, right) = splitRange(body) {
            if var end = parsePoint(right) {
                if var start = parsePoint(left, defaults: end) {
                    // "May 15-17, 2019": the start borrows what it lacks from the end.
                    if start.year == nil { start.year = end.year }
                    if end.month == nil, end.day != nil { end.month = start.month }
                    if let a = start.point, let b = end.point {
                        result = EDTFDate(start: a, end: b, isInterval: true)
                    }
                }
            }
        }
        if result == nil, let point = parsePoint(body)?.point {
            result = EDTFDate(start: point)
        }
        guard var date = result else { return nil }
        date.approximate = approximate
        date.uncertain = uncertain
        return date
    }

    /// Splits `a - b`, `a – b`, `a—b`, `a to b`, `a/b` and `1999-2001` into two sides.
    private static func splitRange(_ text: Substring) -> (Substring, Substring)? {
        for separator in [" - ", " – ", " — ", "–", "—", " to ", " until ", "/"] {
            if let range = text.firstRange(of: separator) {
                let left = text[..<range.lowerBound]
                let right = text[range.upperBound...]
                if !left.trimmingSpaces.isEmpty, !right.trimmingSpaces.isEmpty {
                    return (Substring(left.trimmingSpaces), Substring(right.trimmingSpaces))
                }
            }
        }
        // `1999-2001`, `May-June 2019` (a hyphen between two words or two years, not inside a numeric date).
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        if pieces.count == 2 {
            let a = pieces[0].trimmingSpaces
            let b = pieces[1].trimmingSpaces
            let aYear = a.count >= 3 && a.isASCIIDigits
            let bYear = b.count >= 3 && b.isASCIIDigits
            if (aYear && bYear) || (monthOrSeason(a) != nil && !a.isEmpty && !b.isEmpty && !aYear) {
                return (Substring(a), Substring(b))
            }
        }
        return nil
    }

    /// A partly parsed point.
    private struct Partial {
        var year: Int?
        var month: Int?
        var day: Int?

        var point: EDTFDate.Point? {
            guard let year else { return nil }
            var point = EDTFDate.Point(year: year)
            if let month {
                point.month = month
                if month <= 12, let day { point.day = day }
            }
            return point
        }
    }

    private enum Token {
        case number(Int, digits: Int)
        case word(String)
    }

    private static func tokens(_ text: Substring) -> (tokens: [Token], separators: Set<Character>) {
        var tokens: [Token] = []
        var separators: Set<Character> = []
        var current = ""
        var currentIsDigits = false
        func flush() {
            guard !current.isEmpty else { return }
            if currentIsDigits, current.count <= 9, let value = Int(current) {
                tokens.append(.number(value, digits: current.count))
            } else {
                tokens.append(.word(current.lowercased()))
            }
            current = ""
        }
        for character in text {
            if character.isASCII && character.isNumber {
                if !currentIsDigits { flush() }
                currentIsDigits = true
                current.append(character)
            } else if character.isLetter {
                if currentIsDigits { flush() }
                currentIsDigits = false
                current.append(character)
            } else {
                flush()
                if !character.isWhitespace { separators.insert(character) }
            }
        }
        flush()
        return (tokens, separators)
    }

    /// Parses one point of a written date; `defaults` lends a missing year.
    private static func parsePoint(_ text: Substring, defaults: Partial? = nil) -> Partial? {
        let (tokens, separators) = tokens(text)
        guard !tokens.isEmpty else { return nil }
        var partial = Partial()
        var numbers: [(value: Int, digits: Int)] = []
        var era = 1
        for token in tokens {
            switch token {
            case .number(let value, let digits):
                numbers.append((value, digits))
            case .word(let word):
                if let month = monthOrSeason(word) {
                    guard partial.month == nil else { return nil }
                    partial.month = month
                } else if ["bc", "bce", "b"].contains(word) {
                    era = -1
                } else if ["ad", "ce", "a", "d", "c", "e", "st", "nd", "rd", "th", "of", "the"].contains(word) {
                    continue
                } else {
                    return nil
                }
            }
        }
        if partial.month != nil {
            // A month or season name: a 3+ digit number (or any number above 31) is the year, a small one the day.
            for (value, digits) in numbers {
                if digits >= 3 || value > 31 {
                    guard partial.year == nil else { return nil }
                    partial.year = value
                } else {
                    guard partial.day == nil, (1...31).contains(value) else { return nil }
                    partial.day = value
                }
            }
            if partial.year == nil, numbers.count == 1, let only = numbers.first, only.digits <= 2, partial.day == nil {
                return nil
            }
        } else {
            switch numbers.count {
            case 1 where numbers[0].digits >= 3:
                partial.year = numbers[0].value
            case 2 where numbers[0].digits >= 3 && numbers[1].digits <= 2:
                partial.year = numbers[0].value
                partial.month = numbers[1].value
            case 2 where numbers[1].digits >= 3 && numbers[0].digits <= 2:
                partial.year = numbers[1].value
                partial.month = numbers[0].value
            case 3 where numbers[0].digits >= 3:
                partial.year = numbers[0].value
                partial.month = numbers[1].value
                partial.day = numbers[2].value
            case 3 where numbers[2].digits >= 3:
                partial.year = numbers[2].value
                let a = numbers[0].value
                let b = numbers[1].value
                if separators.contains(".") || a > 12 {  // 15.05.2019, 15/05/2019
                    partial.day = a
                    partial.month = b
                } else if b > 12 {  // 05/15/2019
                    partial.month = a
                    partial.day = b
                } else {
                    return nil  // 05/06/2019 is ambiguous
                }
            case 1 where numbers[0].digits <= 2 && defaults != nil:
                partial.day = numbers[0].value  // "15" in "15-17 May 2019"
                partial.month = defaults?.month
            default:
                return nil
            }
            if let month = partial.month, !(1...12).contains(month) { return nil }
            if let day = partial.day, !(1...31).contains(day) { return nil }
        }
        if let year = partial.year {
            partial.year = era < 0 ? astronomical(-year) : year
        } else if let defaults {
            partial.year = defaults.year
            if partial.month == nil { partial.month = defaults.month }
        }
        return partial
    }

    private static func monthOrSeason(_ word: String) -> Int? {
        let key = word.lowercased()
        if let month = monthNames[key] { return month }
        if let season = seasonNames[key] { return season }
        if key.count >= 3, let month = monthNames[String(key.prefix(3))], monthFullNames[month - 1].hasPrefix(key) {
            return month
        }
        return nil
    }

    private static let monthFullNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]

    private static let monthNames: [String: Int] = {
        var table: [String: Int] = [:]
        for (index, name) in monthFullNames.enumerated() {
            table[name] = index + 1
            table[String(name.prefix(3))] = index + 1
        }
        table["sept"] = 9
        return table
    }()
}
