import Foundation

/// Splits a writer's output into (key, value) entries the probe can search, one extractor per format. They only
/// need to understand what smrl's own writers produce.
enum Extractors {
    /// `TAG  - value` lines; the type is `TY`.
    static func ris(_ text: String) -> (type: String, entries: [Probe.Entry]) {
        var type = ""
        var entries: [Probe.Entry] = []
        for line in text.split(whereSeparator: \.isNewline) {
            guard line.count >= 5, line.dropFirst(2).hasPrefix("  -") else { continue }
            let tag = String(line.prefix(2))
            let value = String(line.dropFirst(5)).trimmingCharacters(in: " ")
            if tag == "TY" { type = value }
            entries.append(Probe.Entry(key: tag, value: value))
        }
        return (type, entries)
    }

    /// `@type{key,` and `  field = {value},` lines; the citation key is the entry `(citation key)`.
    static func bibtex(_ text: String) -> (type: String, entries: [Probe.Entry]) {
        var type = ""
        var entries: [Probe.Entry] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: " ")
            if line.hasPrefix("@"), let brace = line.firstIndex(of: "{") {
                type = String(line[..<brace])
                let key = line[line.index(after: brace)...].trimmingCharacters(in: ", ")
                entries.append(Probe.Entry(key: "(citation key)", value: key))
            } else if let equals = line.range(of: " = ") {
                let name = String(line[..<equals.lowerBound])
                var value = String(line[equals.upperBound...])
                if value.hasSuffix(",") { value.removeLast() }
                entries.append(Probe.Entry(key: name, value: value.trimmingCharacters(in: "{}\"")))
            }
        }
        return (type, entries)
    }

    /// JSON paths: a name or date variable is shown as the variable (`author`, `issued`), arrays without indices,
    /// `custom` in full (`custom.smrl.domains`).
    static func cslJSON(_ text: String) -> (type: String, entries: [Probe.Entry]) {
        guard let data = text.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) else {
            return ("", [])
        }
        let item = (json as? [Any])?.first as? [String: Any] ?? json as? [String: Any] ?? [:]
        var entries: [Probe.Entry] = []
        func walk(_ value: Any, _ path: [String]) {
            if let object = value as? [String: Any] {
                for key in object.keys.sorted() { walk(object[key] as Any, path + [key]) }
            } else if let array = value as? [Any] {
                for element in array { walk(element, path) }
            } else {
                let shown = path.first == "custom" ? path : Array(path.prefix(1))
                entries.append(Probe.Entry(key: shown.joined(separator: "."), value: "\(value)"))
            }
        }
        walk(item, [])
        return (item["type"] as? String ?? "", entries)
    }

    /// Elements with text, as `element` or `ancestor[@type-attribute='value']//element`, and their attributes as
    /// `element/@attribute`; the type is the root's `article-type` or the citation's `publication-type`.
    static func jats(_ text: String) -> (type: String, entries: [Probe.Entry]) {
        struct Open {
            var name: String
            var attributes: [(String, String)]
            var text = ""
        }
        var stack: [Open] = []
        var entries: [Probe.Entry] = []
        var type = ""
        var lastMetaName = ""
        let skippedAttributes: Set<String> = ["iso-8601-date", "dtd-version", "xmlns:xlink", "xmlns:ali", "xmlns:mml"]

        func label(_ element: Open, ancestors: [Open]) -> String {
            if element.name == "meta-value" { return "custom-meta[meta-name='\(lastMetaName)']" }
            if let typed = typedName(element) { return typed }
            if let ancestor = ancestors.last(where: { typedName($0) != nil }), let typed = typedName(ancestor) {
                return typed + "//" + element.name
            }
            return element.name
        }
        func typedName(_ element: Open) -> String? {
            guard let attribute = element.attributes.first(where: { $0.0.hasSuffix("-type") || $0.0 == "publication-format" }),
                !["publication-type", "article-type"].contains(attribute.0)
            else { return nil }
            return "\(element.name)[@\(attribute.0)='\(attribute.1)']"
        }

        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let before = rest[..<open]
            if !stack.isEmpty { stack[stack.count - 1].text += decode(before) }
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("?") || tag.hasPrefix("!") { continue }
            if tag.hasPrefix("/") {
                guard let element = stack.popLast() else { continue }
                let value = element.text.trimmingCharacters(in: " \n")
                if element.name == "meta-name" { lastMetaName = value; continue }
                guard !value.isEmpty else { continue }
                let key = element.name == "p" && !stack.isEmpty
                    ? label(stack[stack.count - 1], ancestors: Array(stack.dropLast())) + "/p"
                    : label(element, ancestors: stack)
                entries.append(Probe.Entry(key: key, value: value))
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            let body = selfClosing ? tag.dropLast() : tag
            let name = String(body.prefix { $0 != " " && $0 != "\n" })
            var attributes: [(String, String)] = []
            for match in body.matches(of: #/([\w:.-]+)="([^"]*)"/#) {
                attributes.append((String(match.output.1), decode(match.output.2)))
            }
            let element = Open(name: name, attributes: attributes)
            if name == "article", let value = attributes.first(where: { $0.0 == "article-type" })?.1 { type = value }
            if name == "element-citation" || name == "mixed-citation",
                let value = attributes.first(where: { $0.0 == "publication-type" })?.1
            {
                type = value
            }
            for (attribute, value) in attributes where !skippedAttributes.contains(attribute) {
                entries.append(Probe.Entry(key: "\(name)/@\(attribute)", value: value))
            }
            if selfClosing {
                entries.append(Probe.Entry(key: label(element, ancestors: stack), value: ""))
            } else {
                stack.append(element)
            }
        }
        return (type, entries)
    }

    static func decode(_ text: Substring) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
