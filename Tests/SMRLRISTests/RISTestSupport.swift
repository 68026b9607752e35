import Foundation
import SMRLCore
import SMRLTestSupport
@testable import SMRLRIS

/// Reading helpers shared by the RIS tests.
enum RISTest {
    static func results(_ text: String, file: String = "<memory>", options: ReaderOptions = ReaderOptions()) throws -> [ReadResult] {
        try results(ByteReader(text: text, fileName: file), options: options)
    }

    static func results(bytes: [UInt8], file: String = "<memory>") throws -> [ReadResult] {
        try results(ByteReader(bytes: bytes, fileName: file), options: ReaderOptions())
    }

    static func results(_ reader: ByteReader, options: ReaderOptions = ReaderOptions(), medline: Bool = false) throws -> [ReadResult] {
        var out: [ReadResult] = []
        if medline {
            var r = MEDLINEReader(reader: reader, options: options)
            while let result = try r.next() { out.append(result) }
        } else {
            var r = RISReader(reader: reader, options: options)
            while let result = try r.next() { out.append(result) }
        }
        return out
    }

    static func records(_ text: String) throws -> [Resource] {
        try results(text).compactMap(\.record)
    }

    static func corpusResults(_ path: String, medline: Bool = false) throws -> [ReadResult] {
        try results(ByteReader(path: TestCorpus.url(path).path), medline: medline)
    }

    static func corpusRecords(_ path: String) throws -> [Resource] {
        try corpusResults(path).compactMap(\.record)
    }

    static func corpusText(_ path: String) throws -> String {
        let data = try Data(contentsOf: TestCorpus.url(path))
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes records as RIS and reads them back.
    static func roundTrip(_ records: [Resource]) throws -> (text: String, records: [Resource], losses: [[Loss]]) {
        let sink = OutputSink.inMemory()
        var writer = RISWriter()
        try writer.begin(into: sink)
        var losses: [[Loss]] = []
        for record in records { losses.append(try writer.write(record, into: sink)) }
        try writer.end(into: sink)
        try sink.flush()
        let text = String(decoding: sink.memory, as: UTF8.self)
        return (text, try results(bytes: sink.memory).compactMap(\.record), losses)
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "?"
    }
}
