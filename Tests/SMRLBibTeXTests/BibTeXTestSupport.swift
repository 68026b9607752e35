import Foundation
import SMRLCore
import SMRLTestSupport
@testable import SMRLBibTeX

/// Helpers shared by the BibTeX tests.
enum BibTeXTest {
    /// Every result of reading `text`.
    static func read(_ text: String, settings: [String: String] = [:], file: String = "<memory>") -> [ReadResult] {
        read(bytes: Array(text.utf8), settings: settings, file: file)
    }

    /// - Parameter spillThreshold: where the reader's kept parents and keys move to temporary files.
    static func read(
        bytes: [UInt8], settings: [String: String] = [:], file: String = "<memory>", spillThreshold: Int = SpillBuffer.defaultThreshold
    ) -> [ReadResult] {
        var options = ReaderOptions()
        options.settings = settings
        var reader = BibTeXReader(
            reader: ByteReader(bytes: bytes, fileName: file), options: options, spillThreshold: spillThreshold)
        var results: [ReadResult] = []
        while let result = try? reader.next() { results.append(result) }
        return results
    }

    /// The records of `text`.
    static func records(_ text: String, settings: [String: String] = [:]) -> [Resource] {
        read(text, settings: settings).compactMap(\.record)
    }

    /// The one record of `text`.
    static func record(_ text: String) -> Resource {
        records(text).first ?? Resource(id: "<none>")
    }

    static func readFile(_ url: URL, settings: [String: String] = [:]) throws -> [ReadResult] {
        var options = ReaderOptions()
        options.settings = settings
        var reader = BibTeXReader(reader: try ByteReader(path: url.path), options: options)
        var results: [ReadResult] = []
        while let result = try reader.next() { results.append(result) }
        return results
    }

    /// Writes records and returns the text and the losses per record.
    static func write(_ records: [Resource], dialect: BibTeXDialect, settings: [String: String] = [:])
        -> (text: String, losses: [[Loss]])
    {
        var options = WriterOptions()
        options.settings = settings
        var writer = BibTeXWriter(dialect: dialect, options: options)
        let sink = OutputSink.inMemory()
        var losses: [[Loss]] = []
        try? writer.begin(into: sink)
        for record in records { losses.append((try? writer.write(record, into: sink)) ?? []) }
        try? writer.end(into: sink)
        try? sink.flush()
        return (String(decoding: sink.memory, as: UTF8.self), losses)
    }

    /// Decodes LaTeX as a rich-text field.
    static func rich(_ latex: String) -> String { LaTeXDecoder.decode(latex, mode: .rich) }
    static func plain(_ latex: String) -> String { LaTeXDecoder.decode(latex, mode: .plain) }

    /// The keys whose JSON differs between two records, with both values.
    static func difference(_ left: Resource, _ right: Resource) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func object(_ record: Resource) -> [String: Any] {
            guard let data = try? encoder.encode(record),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return [:] }
            return object
        }
        let a = object(left)
        let b = object(right)
        var parts: [String] = []
        for key in Set(a.keys).union(b.keys).sorted() {
            func text(_ value: Any?) -> String {
                guard let value else { return "nil" }
                guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
                else { return "\(value)" }
                return String(decoding: data, as: UTF8.self)
            }
            let x = text(a[key])
            let y = text(b[key])
            if x != y { parts.append("\(key): \(x) ≠ \(y)") }
        }
        return parts.joined(separator: " | ")
    }

    /// The bytes of every braced or quoted value part of every entry of the corpus's BibTeX files, as the scanner
    /// hands them out (none when the corpus is absent).
    static func corpusValueParts() throws -> [[UInt8]] {
        var values: [[UInt8]] = []
        for url in TestCorpus.files(in: "bibtex", extensions: ["bib", "bibtex", "biblatex"]) {
            var scanner = BibTeXScanner(reader: try ByteReader(path: url.path), options: ReaderOptions())
            while let block = scanner.nextBlock() {
                guard case .entry(let entry) = block else { continue }
                for field in entry.fields {
                    for part in field.parts {
                        if let bytes = part.textBytes { values.append(bytes) }
                    }
                }
            }
        }
        return values
    }

    /// `count` texts of 1 to `maxPieces` pieces drawn from `pieces`, the same ones for the same `seed` name.
    static func randomTexts(_ pieces: [String], maxPieces: Int, count: Int = 20_000, seed: String) -> [String] {
        var generator = SeededGenerator(seed: SeededGenerator.seed(for: seed))
        var texts: [String] = []
        for _ in 0..<count {
            let length = Int(generator.next() % UInt64(maxPieces)) + 1
            var text = ""
            for _ in 0..<length { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            texts.append(text)
        }
        return texts
    }

    static func codes(_ results: [ReadResult]) -> [String] {
        results.flatMap { $0.diagnostics.map(\.code.rawValue) }
    }
}
