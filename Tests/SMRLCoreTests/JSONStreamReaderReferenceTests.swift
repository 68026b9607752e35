import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

/// ``JSONStreamReader`` against the reader it replaced (``JSONStreamReaderReference``): the same values (member
/// names and their locations included), failures, indices and stream diagnostics, on the corpus's JSON files, on
/// hand-made hard cases, on the recovery tests' damaged records and on many randomly damaged copies of them, each
/// read in both layouts and with input chunks from a few bytes (every buffer boundary) to the default.
@Suite("JSON stream reader against its reference")
struct JSONStreamReaderReferenceTests {
    /// One thing a reader gave: a value or a failure.
    enum Outcome: Equatable, CustomStringConvertible {
        case value(JSONValue, SMRLCore.SourceLocation, index: Int, legacyLine: Int?)
        case failure(Diagnostic, index: Int)
        case streamDiagnostics([Diagnostic])

        var description: String {
            switch self {
            case .value(let value, let location, let index, let legacy):
                "value #\(index) at \(location) legacy \(String(describing: legacy)): \(value)"
            case .failure(let diagnostic, let index): "failure #\(index): \(diagnostic)"
            case .streamDiagnostics(let diagnostics): "stream: \(diagnostics)"
            }
        }
    }

    /// At most this many outcomes are read (a reader that stopped making progress would otherwise never end).
    static let limit = 100_000

    /// Everything `next` gives until it gives nil (at most ``limit``).
    static func outcomes<Failure: Error>(
        _ next: () throws(Failure) -> (JSONValue, SMRLCore.SourceLocation, Int, Int?)?,
        failure: (Failure) -> (Diagnostic, Int)
    ) -> [Outcome] {
        var outcomes: [Outcome] = []
        while outcomes.count < limit {
            do throws(Failure) {
                guard let (value, location, index, legacy) = try next() else { break }
                outcomes.append(.value(value, location, index: index, legacyLine: legacy))
            } catch {
                let (diagnostic, index) = failure(error)
                outcomes.append(.failure(diagnostic, index: index))
            }
        }
        return outcomes
    }

    static func input(_ bytes: [UInt8], chunk: Int) -> ByteReader {
        ByteReader(source: MemoryByteSource(bytes), fileName: "t.json", chunkSize: chunk)
    }

    static func readNew(_ bytes: [UInt8], _ layout: JSONStreamReader.Layout, chunk: Int, maxBytes: Int) -> [Outcome] {
        var options = ReaderOptions()
        options.maxRecordBytes = maxBytes
        var reader = JSONStreamReader(input: input(bytes, chunk: chunk), layout: layout, options: options)
        let read = outcomes({ () throws(JSONStreamReader.Failure) in
            try reader.next().map { ($0.value, $0.location, $0.index, $0.legacyEncodingLine) }
        }, failure: { ($0.diagnostic, $0.index) })
        return read + [.streamDiagnostics(reader.streamDiagnostics)]
    }

    static func readReference(_ bytes: [UInt8], _ layout: JSONStreamReader.Layout, chunk: Int, maxBytes: Int)
        -> [Outcome]
    {
        var options = ReaderOptions()
        options.maxRecordBytes = maxBytes
        var reader = JSONStreamReaderReference(
            input: input(bytes, chunk: chunk), layout: layout == .lines ? .lines : .document, options: options)
        let read = outcomes({ () throws(JSONStreamReaderReference.Failure) in
            try reader.next().map { ($0.value, $0.location, $0.index, $0.legacyEncodingLine) }
        }, failure: { ($0.diagnostic, $0.index) })
        return read + [.streamDiagnostics(reader.streamDiagnostics)]
    }

    /// Reads `bytes` with both readers in both layouts and each chunk size; records the first difference.
    static func compare(
        _ bytes: [UInt8], name: String, chunks: [Int] = [1 << 16, 5, 61], maxBytes: Int = ReaderOptions().maxRecordBytes
    ) {
        for layout in [JSONStreamReader.Layout.document, .lines] {
            for chunk in chunks {
                let new = readNew(bytes, layout, chunk: chunk, maxBytes: maxBytes)
                let old = readReference(bytes, layout, chunk: chunk, maxBytes: maxBytes)
                if new != old {
                    let index = zip(new, old).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(new.count, old.count)
                    Issue.record(
                        """
                        \(name), \(layout), chunks of \(chunk): outcome \(index) differs (\(new.count) vs \(old.count))
                        new: \(index < new.count ? new[index].description : "none")
                        old: \(index < old.count ? old[index].description : "none")
                        """)
                    return
                }
            }
        }
    }

    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func readsTheCorpusJSONAsTheReferenceDoes() throws {
        let files = TestCorpus.files(in: "csljson", extensions: ["json", "ndjson", "jsonl"])
        #expect(files.count > 40)
        for url in files {
            let bytes = [UInt8](try Data(contentsOf: url))
            // Small chunks only on the smaller files (the debug build reads a byte at a time slowly).
            Self.compare(bytes, name: url.lastPathComponent, chunks: bytes.count < 100_000 ? [1 << 16, 7] : [1 << 16])
        }
    }

    /// Texts made to reach each path: member names of every length around the name table's 8/16/24-byte words,
    /// names alike but for one byte (the same table slot or not), non-ASCII and escaped names and strings, CRLF,
    /// tabs, a BOM, empty names and values, invalid UTF-8, objects and arrays whose sizes change from element
    /// to element, numbers and literals, and damage of each kind.
    static let hardCases: [String] = {
        var cases: [String] = []
        let lengths = [0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 40]
        var names: [String] = []
        for length in lengths {
            let name = String((0..<length).map { Character(Unicode.Scalar(UInt8(0x61 + $0 % 26))) })
            names.append(name)
            if length > 0 {
                // The same but for the first, the middle or the last byte.
                for position in [0, length / 2, length - 1] {
                    var bytes = Array(name.utf8)
                    bytes[position] = UInt8(ascii: "Z")
                    names.append(String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        let objects = names.enumerated().map { offset, name in "{\"\(name)\":\(offset),\"x\":\"\(name)\"}" }
        cases.append("[" + objects.joined(separator: ",") + "]")
        cases.append(objects.joined(separator: "\n"))
        cases.append("[" + (objects + objects.reversed()).joined(separator: ",\r\n  ") + "\r\n]")
        cases += [
            "[{\"é\":\"ü\",\"na\\u00efve\":\"caf\\u00e9\",\"\":\"\"},{\"é\":1}]",
            "\u{FEFF}[{\"a\":\"x\"}]",
            "[{\"a\":\"tab\\there\",\"b\":\"\\\"quoted\\\" and \\\\ back\",\"c\":\"\\ud83d\\ude00 \\ud800 x\"}]",
            "[\t{\t\"a\"\t:\t[ 1 , -2.5e+3 , 0 , true , false , null ] } ,\r\n{\"a\":[]},{\"a\":[1]},{\"a\":[1,2,3,4,5,6,7,8,9]}]",
            "[{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":[[[[[1]]]]]}}}}}}}}}]",
            "[{},{\"a\":1},{},{\"a\":1,\"b\":2,\"c\":3},[],[1],[1,2]]",
            "{\"abcdefghijklmnopqrstuvwxyz\":1,\"abcdefghijklmnopqrstuvwx\":2,\"abcdefghijklmnopqrstuvwxy\":3}",
            "[{\"a\":\"unterminated}]",
            "[{\"a\":\"bad \u{01} control\"},{\"b\":2}]",
            "[{\"a\":\"line\nbreak\"},{\"b\":2}]",
            "[{\"a\" 1},{\"b\":2}]",
            "[{\"a\":1 \"b\":2},{\"c\":3}]",
            "[{\"a\":01},{\"b\":tru},{\"c\":nul},{\"d\":-},{\"e\":\"\\x\"},{\"f\":\"\\u12\"}]",
            "{\"a\":1}\n\n  \n{\"b\":2} junk\n{\"c\":\n3}\n{\"d\":[1,2\n{\"e\":5}",
            "[{\"a\":1}, ]",
            "[{\"a\":1}] trailing",
            "[{\"a\":1}{\"b\":2}]",
            "[1, 2, \"x\", {\"a\": [\"y\", \"z\"]}   ",
            "",
            "   \n  ",
            "[]",
            "{\"a\":\"\u{00e9}\u{4e2d}\u{1F600}\"}",
            String(repeating: " ", count: 200) + "[" + String(repeating: " ", count: 70) + "{\"a\":1}]",
        ]
        return cases
    }()

    @Test func readsHardCasesAsTheReferenceDoes() {
        for (offset, text) in Self.hardCases.enumerated() {
            Self.compare(Array(text.utf8), name: "hard case \(offset)", chunks: [1 << 16, 1, 3, 8, 9])
        }
        // Bytes that are not UTF-8 (read as Windows-1252), in a name and in a value, short and long.
        let legacy: [UInt8] = Array("[{\"n".utf8) + [0xE9] + Array("\":\"caf".utf8) + [0xE9] + Array("\"},{\"".utf8)
            + [UInt8](repeating: 0x41, count: 30) + [0xFC] + Array("\":\"".utf8) + [UInt8](repeating: 0xE9, count: 50)
            + Array("\"}]".utf8)
        Self.compare(legacy, name: "legacy bytes", chunks: [1 << 16, 2, 7])
        // The edges of well-formed UTF-8, either side, alone, after a long ASCII run and after an escape, in values
        // and in a name: the stream's own UTF-8 check against the standard library's, which the reference keeps.
        let run = [UInt8](repeating: 0x61, count: 33)
        for (offset, sequence) in (UTF8Edges.wellFormed + UTF8Edges.malformed).enumerated() {
            let bytes = Array("[{\"a\":\"".utf8) + sequence + Array("\",\"b\":\"".utf8) + run + sequence + run
                + Array("\",\"c\":\"\\t".utf8) + sequence + Array("\",\"".utf8) + sequence + Array("\":1},\"".utf8)
                + sequence + Array("\"]".utf8)
            Self.compare(bytes, name: "UTF-8 edge \(offset)", chunks: [1 << 16, 5])
        }
        // The record-size limit, reached inside a string, a number and between values.
        for limit in [5, 12, 20, 33] {
            Self.compare(Array("[{\"abc\":\"defghijklmnop\",\"q\":12345678},{\"r\":[1,2,3]}]".utf8), name: "limit \(limit)",
                chunks: [1 << 16, 4], maxBytes: limit)
        }
    }

    @Test func readsDamagedRecordsAsTheReferenceDoes() {
        for fault in JSONStreamRecoveryTests.Fault.allCases {
            for layout in JSONStreamRecoveryTests.Layout.allCases {
                for damaged in 1...5 {
                    let text = JSONStreamRecoveryTests.damagedCase(fault, layout, damaged: damaged).text
                    Self.compare(Array(text.utf8), name: "\(fault) \(layout) \(damaged)", chunks: [1 << 16, 6])
                }
            }
        }
    }

    /// Copies of the recovery tests' records with bytes changed, inserted or removed at random (a fixed seed):
    /// whatever the damage, both readers must agree.
    @Test func readsRandomlyDamagedRecordsAsTheReferenceDoes() {
        var damage = ByteDamage(
            seed: 0x5EED_1234_ABCD_0009,
            alphabet: Array("\"\\{}[],: \n\r\t0e-".utf8) + [0x01, 0xC3, 0xA9, 0xE9, UInt8(ascii: "u")])
        for layout in JSONStreamRecoveryTests.Layout.allCases {
            let separator = layout == .minified ? "," : layout == .pretty ? ",\n" : "\n"
            let (open, close) = layout == .minified ? ("[", "]") : layout == .pretty ? ("[\n", "\n]\n") : ("", "\n")
            let text = open + (1...5).map { JSONStreamRecoveryTests.record($0, layout) }.joined(separator: separator)
                + close
            let original = Array(text.utf8)
            for round in 0..<150 {
                let bytes = damage.damaged(original)
                Self.compare(bytes, name: "\(layout) round \(round)", chunks: [1 << 16, 13])
            }
        }
    }
}
