import Foundation
import SMRLCore
import SMRLJATS
import SMRLTestSupport
import SMRLXML
import Testing

/// Shared helpers for the JATS tests.
enum JATSTest {
    static let corpusEnabled = Comment(rawValue: TestCorpus.skipMessage)

    /// Every JATS article file of the corpus (Crossref deposit files, which are not JATS, are left out).
    static let articleFiles: [String] = {
        guard TestCorpus.isAvailable else { return [] }
        return TestCorpus.files(in: "jats", extensions: ["xml", "nxml"])
            .filter { !$0.lastPathComponent.contains("crossref") }
            .map { $0.path.replacingOccurrences(of: TestCorpus.root.path + "/", with: "") }
    }()

    /// The JATS 1.3 Journal Publishing DTD, loaded once.
    static let publishingDTD: XMLValidator? = {
        guard TestCorpus.isAvailable else { return nil }
        return try? XMLValidator(schema: .dtd(path: TestCorpus.url("schemas/jats/dtd/1.3/JATS-journalpublishing1-3.dtd").path))
    }()

    static func read(_ bytes: [UInt8], fileName: String = "test.xml", settings: [String: String] = [:]) throws -> [ReadResult] {
        var options = ReaderOptions()
        options.settings = settings
        var reader = JATSReader(input: ByteReader(bytes: bytes, fileName: fileName), options: options)
        var results: [ReadResult] = []
        while let result = try reader.next() { results.append(result) }
        return results
    }

    static func read(_ text: String, settings: [String: String] = [:]) throws -> [ReadResult] {
        try read(Array(text.utf8), settings: settings)
    }

    static func readFile(_ relativePath: String, settings: [String: String] = [:]) throws -> [ReadResult] {
        var options = ReaderOptions()
        options.settings = settings
        var reader = JATSReader(input: try ByteReader(path: TestCorpus.url(relativePath).path), options: options)
        var results: [ReadResult] = []
        while let result = try reader.next() { results.append(result) }
        return results
    }

    static func write(
        _ records: [Resource], settings: [String: String] = [:], pretty: Bool = true, xmlEngine: XMLStreamWriter.Engine = .bytes
    ) throws -> (bytes: [UInt8], losses: [[Loss]]) {
        var options = WriterOptions()
        options.settings = settings
        options.pretty = pretty
        var writer = JATSWriter(options: options, xmlEngine: xmlEngine)
        let sink = OutputSink.inMemory()
        try writer.begin(into: sink)
        var losses: [[Loss]] = []
        for record in records { losses.append(try writer.write(record, into: sink)) }
        try writer.end(into: sink)
        try sink.flush()
        return (sink.memory, losses)
    }

    /// The fields of two records that differ, as `key: a ≠ b` lines (empty when equal).
    static func differences(_ a: Resource, _ b: Resource) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func fields(_ record: Resource) -> [String: String] {
            guard let data = try? encoder.encode(record),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return [:] }
            var result: [String: String] = [:]
            for (key, value) in object {
                if key == "extra", let formats = value as? [String: [String: [String]]] {
                    for (format, extra) in formats {
                        for (field, values) in extra { result["extra.\(format).\(field)"] = values.description }
                    }
                } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
                    result[key] = String(decoding: data, as: UTF8.self)
                }
            }
            return result
        }
        let left = fields(a)
        let right = fields(b)
        return Set(left.keys).union(right.keys).sorted().compactMap { key in
            left[key] == right[key] ? nil : "\(key): \(left[key] ?? "—") ≠ \(right[key] ?? "—")"
        }
    }

    /// A document's XPath view, for counting what the reader should have found.
    static func xpath(_ relativePath: String) throws -> XPathDocument {
        try XPathDocument(path: TestCorpus.url(relativePath).path)
    }
}
