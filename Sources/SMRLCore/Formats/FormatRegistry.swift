/// The formats a program knows, looked up by name or recognised from a file name and its first bytes.
///
/// The core knows no format; `SMRLFormats` builds the registry of the built-in ones, and a program can add its
/// own descriptors with ``register(_:)``.
public struct FormatRegistry: Sendable {
    public private(set) var formats: [FormatDescriptor] = []

    public init(_ formats: [FormatDescriptor] = []) {
        for format in formats { register(format) }
    }

    /// Adds a format; a later registration with the same name replaces the earlier one.
    public mutating func register(_ format: FormatDescriptor) {
        formats.removeAll { $0.name == format.name }
        formats.append(format)
    }

    /// The format with this name or alias, ignoring case.
    public func format(named name: String) -> FormatDescriptor? {
        let wanted = name.lowercased()
        return formats.first { $0.name == wanted || $0.aliases.contains(wanted) }
    }

    /// Recognises an input's format from its file extension and first bytes (after any BOM).
    ///
    /// Content wins over the extension when a format is sure of it (a MEDLINE file named `.ris`, a CSL-JSON file
    /// named `.json`); the extension decides between formats that share one.
    public func detect(fileName: String?, prefix: ArraySlice<UInt8>) -> FormatDescriptor? {
        var body = prefix
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let ext = fileName.flatMap { name -> String? in
            guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
            return name[name.index(after: dot)...].lowercased()
        }
        var best: (format: FormatDescriptor, score: Int)?
        for format in formats where format.canRead {
            var score = format.sniff(body)
            if let ext, format.fileExtensions.contains(ext) { score += 30 }
            if score > (best?.score ?? 0) { best = (format, score) }
        }
        guard let best, best.score >= 30 else { return nil }
        return best.format
    }
}
