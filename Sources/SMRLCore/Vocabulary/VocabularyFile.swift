/// The mapping of a parsed vocabulary file (read with the core's JSON reader) onto ``Vocabulary``'s lists, with
/// the JSON path in every error.

extension Vocabulary {
    /// The version and lists of a parsed vocabulary file.
    static func lists(from value: JSONValue, source: String) throws -> (String, [Kind: TermList]) {
        func fail(_ path: String, _ message: String) -> VocabularyError {
            VocabularyError(file: source, message: (path.isEmpty ? "top level" : path) + ": " + message)
        }
        func members(_ value: JSONValue, _ path: String) throws -> [JSONMember] {
            guard case .object(let members) = value else { throw fail(path, "expected an object, found \(value.typeName)") }
            return members
        }
        func member(_ members: [JSONMember], _ key: String, _ path: String, required: Bool)
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
        for entry in vocabularies {
            let (key, listValue) = (entry.key, entry.value)
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
                    for entry in try members(replacedBy, termPath + ".replacedBy") {
                        let (target, ids) = (entry.key, entry.value)
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

    /// The value's kind with an article, for messages.
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

    /// Parses one JSON document held in memory, with the core's JSON reader.
    static func parseDocument(_ bytes: [UInt8], source: String, maxDepth: Int = 64) throws -> JSONValue {
        var options = ReaderOptions()
        options.maxDepth = maxDepth
        var reader = JSONStreamReader(input: ByteReader(bytes: bytes, fileName: source), options: options)
        do {
            guard let element = try reader.next() else {
                throw VocabularyError(file: source, message: "not valid JSON: the file is empty")
            }
            if let problem = reader.streamDiagnostics.first(where: { $0.severity == .error }) {
                let where_ = problem.location.map { "line \($0.line), column \($0.column): " } ?? ""
                throw VocabularyError(file: source, message: "not valid JSON: \(where_)\(problem.message)")
            }
            return element.value
        } catch let failure as JSONStreamReader.Failure {
            let where_ = failure.diagnostic.location.map { "line \($0.line), column \($0.column): " } ?? ""
            throw VocabularyError(file: source, message: "not valid JSON: \(where_)\(failure.diagnostic.message)")
        }
    }
}
