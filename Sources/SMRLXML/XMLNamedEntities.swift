/// The named character entities smrl understands without loading a DTD: the ISO 8879, ISO 9573-13, MathML and
/// JATS sets that the JATS DTDs include, plus the XHTML 1.0 names (`&mdash;`, `&nbsp;`, `&ndash;`, `&lsquo;`,
/// `&eacute;` …), about 2,200 names in all.
///
/// JATS files name such entities and rely on their DTD to define them. smrl never loads DTDs while reading
/// (that is how external-entity attacks work), so the reader's input feed rewrites each reference to a known
/// name into numeric character references before libxml2 sees it (see ``XMLStreamReader``). Names are
/// case-sensitive, as in XML.
public enum XMLNamedEntities {
    /// The characters a name stands for, or nil when smrl does not know the name. The five XML built-ins
    /// (`amp`, `lt`, `gt`, `quot`, `apos`) are not in the table: libxml2 handles them.
    public static func replacement(for name: String) -> String? {
        entities[name].map { String(String.UnicodeScalarView($0)) }
    }

    /// The number of names known.
    public static var count: Int { entities.count }

    /// The scalars of each name.
    static let entities: [String: [Unicode.Scalar]] = {
        var result: [String: [Unicode.Scalar]] = [:]
        result.reserveCapacity(2300)
        for entry in table.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let name = String(entry[..<equals])
            var scalars: [Unicode.Scalar] = []
            for hex in entry[entry.index(after: equals)...].split(separator: ",") {
                if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            }
            if !scalars.isEmpty { result[name] = scalars }
        }
        return result
    }()

    /// The character references that replace `&name;` in the input, as bytes: `&#8212;` for `mdash`.
    /// Each decimal reference is zero-padded so that the replacement is as long as the reference when the name
    /// allows it, which keeps libxml2's column numbers right on that line.
    static func characterReferenceBytes(forNameBytes name: some Collection<UInt8>) -> [UInt8]? {
        guard let nameString = String(validating: name, as: UTF8.self), let scalars = entities[nameString] else {
            return nil
        }
        var bytes: [UInt8] = []
        let originalLength = name.count + 2
        for scalar in scalars {
            let digits = Array(String(scalar.value).utf8)
            var padding = 0
            if scalars.count == 1 { padding = max(0, originalLength - 3 - digits.count) }
            bytes += [UInt8(ascii: "&"), UInt8(ascii: "#")]
            bytes += [UInt8](repeating: UInt8(ascii: "0"), count: padding)
            bytes += digits
            bytes.append(UInt8(ascii: ";"))
        }
        return bytes
    }
}
