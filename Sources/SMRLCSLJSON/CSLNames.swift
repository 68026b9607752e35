import SMRLCore

/// CSL name variables ⇄ ``Person`` lists.
///
/// `family`, `given`, `suffix` and `literal` map to the same parts, `non-dropping-particle` to
/// ``Person/particle`` and `dropping-particle` to ``Person/droppingParticle``. The flags `comma-suffix`,
/// `static-ordering` and `parse-names` have no place in ``Person``: the reader keeps the whole name list verbatim
/// in `extra["csl-json"][variable]` and the writer gives it back while the names are unchanged. citeproc-js's
/// `isInstitution` (not CSL 1.0.2) turns the name into a literal.
enum CSLNames {
    static let partKeys: Set<String> = [
        "family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal",
    ]
    static let flagKeys: Set<String> = ["comma-suffix", "static-ordering", "parse-names"]

    /// Reads a name variable. `problems` receives what was not read exactly.
    static func read(_ value: JSONValue, problems: inout [String]) -> [Person] {
        switch value {
        case .array(let elements):
            var persons: [Person] = []
            persons.reserveCapacity(elements.count)
            for element in elements {
                if let person = readName(element, problems: &problems) { persons.append(person) }
            }
            return persons
        case .object, .string:
            problems.append("a single name instead of an array of names")
            return readName(value, problems: &problems).map { [$0] } ?? []
        case .null:
            return []
        default:
            problems.append("names given as \(value.kindName)")
            return []
        }
    }

    private static func readName(_ value: JSONValue, problems: inout [String]) -> Person? {
        switch value {
        case .object(let members):
            var person = Person()
            var institution = false
            for member in members {
                let text: String?
                switch member.value {
                case .string(let string): text = string
                case .number(let number): text = number
                default: text = nil
                }
                // One of `partKeys` (decided by the switch rather than a hashed set lookup per member).
                var isPart = true
                switch member.key {
                case "family": person.family = text
                case "given": person.given = text
                case "suffix": person.suffix = text
                case "literal": person.literal = text
                case "non-dropping-particle": person.particle = text
                case "dropping-particle": person.droppingParticle = text
                case "comma-suffix", "static-ordering", "parse-names": isPart = false
                case "isInstitution":
                    isPart = false
                    institution = CSLJSON.truthy(member.value)
                    problems.append("\"isInstitution\" is not CSL 1.0.2 (read as a literal name)")
                default:
                    isPart = false
                    problems.append("unknown name key \"\(member.key)\"")
                }
                if isPart, text == nil, member.value != .null {
                    problems.append("name part \"\(member.key)\" given as \(member.value.kindName)")
                }
            }
            if institution, person.literal == nil {
                let whole = [person.family, person.given].compactMap { $0 }.filter { !$0.isEmpty }
                    .joined(separator: " ")
                person = Person(literal: whole)
            }
            if person.family == nil, person.given == nil, person.particle == nil, person.droppingParticle == nil,
                person.suffix == nil, person.literal == nil
            {
                problems.append("an empty name")
                return nil
            }
            return person
        case .string(let text):
            problems.append("a name given as a string (read as a literal name)")
            return Person(literal: text)
        default:
            problems.append("a name given as \(value.kindName)")
            return nil
        }
    }

    /// Writes the CSL name objects for a list of people into `output` (ORCIDs are not CSL; the writer puts them in
    /// `custom`). The tests' tree encoder builds the same objects as values (`CSLNames.encode`).
    static func write(_ persons: [Person], into output: inout JSONOutput) {
        output.beginArray()
        for person in persons {
            output.beginObject()
            output.member(literal: "family", person.family)
            output.member(literal: "given", person.given)
            output.member(literal: "non-dropping-particle", person.particle)
            output.member(literal: "dropping-particle", person.droppingParticle)
            output.member(literal: "suffix", person.suffix)
            output.member(literal: "literal", person.literal)
            output.endObject()
        }
        output.endArray()
    }

    /// True when the writer would write these names exactly as they are (an array of objects with string name
    /// parts only), so that the reader needs no verbatim copy.
    static func isCanonical(_ value: JSONValue) -> Bool {
        guard case .array(let elements) = value else { return false }
        for element in elements {
            guard case .object(let members) = element, !members.isEmpty else { return false }
            for (offset, member) in members.enumerated() {
                guard isPartKey(member.key), case .string = member.value else { return false }
                for other in members[..<offset] where other.key == member.key { return false }
            }
        }
        return true
    }

    private static func isPartKey(_ key: String) -> Bool {
        switch key {
        case "family", "given", "literal", "suffix", "non-dropping-particle", "dropping-particle": return true
        default: return false
        }
    }

    /// True when a value is a name array that `csl-data.json` 1.0.2 accepts.
    static func isSchemaValid(_ value: JSONValue) -> Bool {
        guard case .array(let elements) = value else { return false }
        for element in elements {
            guard case .object(let members) = element else { return false }
            for member in members {
                if partKeys.contains(member.key) {
                    guard case .string = member.value else { return false }
                } else if flagKeys.contains(member.key) {
                    switch member.value {
                    case .string, .number, .bool: break
                    default: return false
                    }
                } else {
                    return false
                }
            }
        }
        return true
    }

    /// Two name lists that say the same in CSL (ORCIDs aside).
    static func sameNames(_ a: [Person], _ b: [Person]) -> Bool {
        guard a.count == b.count else { return false }
        for index in a.indices {
            var x = a[index]
            var y = b[index]
            x.orcid = nil
            y.orcid = nil
            if x != y { return false }
        }
        return true
    }

    /// A name written in Zotero's note syntax: `Family || Given`, or a single literal name.
    static func noteName(_ text: String) -> JSONValue {
        let parts = text.components(separatedByString: "||")
        if parts.count == 2 {
            let family = parts[0].trimmingSpaces
            let given = parts[1].trimmingSpaces
            var members: [(String, JSONValue)] = [("family", .string(family))]
            if !given.isEmpty { members.append(("given", .string(given))) }
            return CSLJSON.object(members)
        }
        return CSLJSON.object([("literal", .string(text.trimmingSpaces))])
    }
}

extension String {
    /// Splits on every occurrence of a separator string (Foundation-free).
    func components(separatedByString separator: String) -> [String] {
        var result: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            result.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        result.append(String(rest))
        return result
    }
}
