import Foundation
import SMRLCore
import SMRLFormats
import SMRLTestSupport
import Testing

@testable import SMRLNative

/// The reader's direct decoding of plain record objects (``NativeDirectDecoder``) against the route it replaces
/// for them, kept as the reader's fallback and as the reference here (`decodingDirectly: false`: every element
/// parsed into a `JSONValue` and mapped by `NativeMapping.read`): the same results, record for record (the record,
/// its location, its diagnostics with their codes, messages, locations, record index and id, and its field
/// locations in order), on the repository's samples, on the corpus converted to smrl-json and smrl-ndjson, on the
/// corpus's JSON files read as smrl-json, on hand-made hard cases and on randomly damaged feeds, in both layouts
/// and with input chunks from one byte (no element ends in the buffer) to the default.
@Suite("smrl-json direct decoding against the mapped JSON tree")
struct NativeDirectDecodingTests {
    /// What one reader gave for an input, how many elements it decoded directly and how many lines it handed on.
    struct Outcome {
        var results: [ReadResult]
        var direct: Int
        var handedOn = 0
    }

    /// With `handingOn`, the reader is told its pending records may be completed on another thread (as a
    /// two-thread conversion does) and each is completed after it is found; a pending record must say truly
    /// whether it has a record (the pipeline numbers records by it before they are completed).
    /// With `switching` as well, the hand-on is turned off for every third record and on again (as the pipeline
    /// does while the other thread is behind and once it catches up).
    static func read(
        _ bytes: [UInt8], lines: Bool, chunk: Int, directly: Bool, handingOn: Bool = false, switching: Bool = false,
        options: ReaderOptions = ReaderOptions()
    ) throws -> Outcome {
        let input = ByteReader(source: MemoryByteSource(bytes), fileName: "feed.json", chunkSize: chunk)
        var reader = NativeReader(input: input, lines: lines, options: options, decodingDirectly: directly)
        let (results, wrongHasRecord) = try DirectReading.results(
            of: &reader, handingOn: handingOn, switching: switching)
        #expect(wrongHasRecord.isEmpty, "hasRecord wrong for \(wrongHasRecord)")
        return Outcome(results: results, direct: reader.decodedDirectly, handedOn: reader.handedOn)
    }

    /// Reads `bytes` both ways in the given layouts and chunk sizes, records the first difference, and returns
    /// how many elements were decoded directly in all.
    @discardableResult
    static func compare(
        _ bytes: [UInt8], name: String, layouts: [Bool] = [true, false], chunks: [Int] = [1 << 16, 1, 7, 300],
        options: ReaderOptions = ReaderOptions()
    ) throws -> Int {
        let (direct, difference) = try DirectReading.compare(layouts: layouts, chunks: chunks) { lines, chunk, directly in
            let outcome = try read(bytes, lines: lines, chunk: chunk, directly: directly, options: options)
            return DirectReading.Outcome(results: outcome.results, direct: outcome.direct)
        }
        if let difference {
            Issue.record("\(name), lines \(difference)")
            return direct
        }
        // The lines handed on to be read elsewhere (``NativeReader/handOnPending(_:)``), decoded directly or
        // through the tree there, give the same again, also with the hand-on switched off and on between records.
        for lines in layouts {
            for chunk in chunks {
                let old = try read(bytes, lines: lines, chunk: chunk, directly: false, options: options)
                for (directly, switching) in [(true, false), (false, false), (true, true)] {
                    let handed = try read(
                        bytes, lines: lines, chunk: chunk, directly: directly, handingOn: true, switching: switching,
                        options: options)
                    if !lines { #expect(handed.handedOn == 0) }
                    if let difference = DirectReading.difference(handed.results, old.results) {
                        let route = (directly ? "direct" : "tree") + (switching ? ", switching" : "")
                        Issue.record("\(name), lines \(lines), chunks of \(chunk), handed on (\(route)): \(difference)")
                        return direct
                    }
                }
            }
        }
        return direct
    }

    // MARK: Real records

    @Test func decodesTheFixturesDirectlyAsTheMappingDoes() throws {
        for pretty in [true, false] {
            for lines in [true, false] where !(lines && pretty) {
                let bytes = try Native.write(Fixtures.all, lines: lines, pretty: pretty)
                let new = try Self.read(bytes, lines: lines, chunk: 1 << 16, directly: true)
                // Every record here is plain: each must take the direct way (else this test compares nothing).
                #expect(new.direct == Fixtures.all.count, "pretty \(pretty), lines \(lines)")
                #expect(new.results.compactMap(\.record) == Fixtures.all)
                try Self.compare(bytes, name: "fixtures pretty \(pretty)", layouts: [lines])
            }
        }
    }

    /// Lines of plain records and of records the decoder leaves are handed on (else the comparisons of the
    /// handed-on route in ``compare(_:name:layouts:chunks:options:)`` compare nothing), lines that would not
    /// read alone are not (two-thread conversions against one: `StagedReadingCorpusTests`).
    @Test func handsOnTheLinesThatHoldOneObject() throws {
        let bytes = try Native.write(Fixtures.all, lines: true, pretty: false)
        let handed = try Self.read(bytes, lines: true, chunk: 1 << 16, directly: true, handingOn: true)
        #expect(handed.handedOn == Fixtures.all.count)
        #expect(handed.results.compactMap(\.record) == Fixtures.all)
        let hard = Array((Self.hardLines.joined(separator: "\n") + "\n").utf8)
        let hardHanded = try Self.read(hard, lines: true, chunk: 1 << 16, directly: true, handingOn: true)
        #expect(hardHanded.handedOn > 20)
        #expect(hardHanded.handedOn < Self.hardLines.count)

        func end(_ text: String, maxDepth: Int = 512) -> Int? {
            Array(text.utf8).withUnsafeBufferPointer { JSONStreamReader.endOfLineHoldingOneObject($0, maxDepth: maxDepth) }
        }
        for accepted in [
            "{}\n", "{\"a\":[1,-2.5e+3,true,false,null,{\"b\":\"\\u00e9\\n\\\"\"}]} \r\t\nnext", "{\"a\":\"caf\u{E9}\"}\n",
            "{ \"a\" : [ ] , \"b\" : { } }\r\n",
        ] {
            #expect(end(accepted) == Array(accepted.utf8).firstIndex(of: 0x0A), "refused \(accepted)")
        }
        for refused in [
            "{}", "[]\n", " {}\n", "{\"a\":1}x\n", "{\"a\":1,}\n", "{\"a\" 1}\n", "{\"a\":01}\n", "{\"a\":1.}\n",
            "{\"a\":tru}\n", "{\"a\":\"\\x\"}\n", "{\"a\":\"\\u12G4\"}\n", "{\"a\":\"tab\there\"}\n", "{\"a\":\"open\n\"}\n",
            "{\"a\":[1}\n", "{\"a\":1}}\n", "{\"a\":{\"b\":{}}}\n",
        ] {
            #expect(end(refused, maxDepth: refused.hasPrefix("{\"a\":{") ? 1 : 512) == nil, "accepted \(refused)")
        }
    }

    @Test(.enabled(if: Native.hasSample, Native.sampleSkip))
    func readsTheSamplesAsTheMappingDoes() throws {
        for path in ["Samples/library.json", "Samples/library.ndjson", "Samples/faulty-feed.json"] {
            let bytes = Array(try Data(contentsOf: TestCorpus.repositoryFile(path)))
            let direct = try Self.compare(bytes, name: path)
            #expect(direct > 0, "\(path): nothing was decoded directly")
        }
    }

    /// Every corpus file that smrl reads, converted to smrl-ndjson and to pretty smrl-json (real titles, names,
    /// escapes and non-ASCII text), and the corpus's JSON files themselves read as smrl-json (CSL-JSON items:
    /// unknown keys, so the old route, but the two must still agree).
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func readsTheCorpusAsTheMappingDoes() throws {
        let files = TestCorpus.files(in: "ris", extensions: ["ris", "txt", "nbib"])
            + TestCorpus.files(in: "bibtex", extensions: ["bib"])
            + TestCorpus.files(in: "csljson", extensions: ["json"])
        #expect(files.count > 100)
        var direct = 0
        var records = 0
        for url in files {
            for (target, lines) in [("smrl-ndjson", true), ("smrl-json", false)] {
                guard let converted = try Self.convert(url.path, to: target), !converted.isEmpty else { continue }
                let outcome = try Self.read(converted, lines: lines, chunk: 1 << 16, directly: true)
                records += outcome.results.filter { $0.record != nil }.count
                direct += try Self.compare(
                    converted, name: "\(url.lastPathComponent) as \(target)", layouts: [lines],
                    chunks: converted.count < 50_000 ? [1 << 16, 7, 700] : [1 << 16])
            }
        }
        // Written by the smrl-json writer, every record is plain.
        #expect(records > 1000)
        #expect(direct >= records)
        for url in TestCorpus.files(in: "csljson", extensions: ["json", "ndjson", "jsonl"]) {
            let bytes = Array(try Data(contentsOf: url))
            try Self.compare(bytes, name: url.lastPathComponent, chunks: bytes.count < 100_000 ? [1 << 16, 7] : [1 << 16])
        }
    }

    /// Files named in `SMRL_NATIVE_FILES` (paths separated by `:`; e.g. smrl-bench's 2,000-record corpus), each
    /// read in the layout its name says (`.ndjson`: lines). Nothing to do when unset.
    @Test func readsTheFilesNamedInTheEnvironmentAsTheMappingDoes() throws {
        let paths = ProcessInfo.processInfo.environment["SMRL_NATIVE_FILES"]?.split(separator: ":").map(String.init) ?? []
        for path in paths {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let lines = path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl")
            let direct = try Self.compare(bytes, name: path, layouts: [lines], chunks: [1 << 16, 4096])
            #expect(direct > 0, "\(path): nothing was decoded directly")
        }
    }

    /// `url` converted to `target` in memory by the command's pipeline (one thread, no checks); nil when its
    /// format cannot be told.
    static func convert(_ path: String, to target: String) throws -> [UInt8]? {
        let registry = FormatRegistry.builtIn
        let pipeline = ConversionPipeline(registry: registry)
        var options = ConversionPipeline.Options()
        options.threads = 1
        guard case .success = Result(catching: { () throws(ConversionPipeline.Failure) in
            try pipeline.open(path, format: nil)
        }) else { return nil }
        let format = try #require(registry.format(named: target))
        let (_, sink) = try pipeline.run(inputs: [path], target: format, destination: .memory, options: options) { _ in }
        return sink?.memory
    }

    // MARK: Hard cases

    /// Record objects, one per line, that reach each way of the decoder and each way out of it: escapes of every
    /// kind, surrogates paired, lone and cut, non-ASCII text, numbers where text is expected (and numbers that are
    /// not JSON), `null` for every kind of value, `extra` of every shape, repeated and unknown keys, empty objects
    /// and arrays, values of the wrong type, item types exact, lenient and unknown, and syntax errors.
    static let hardLines: [String] = [
        #"{"id":"a","type":"article-journal","title":"Plain"}"#,
        #"{"id":"esc","title":"quote \" back \\ slash \/ \b\f\n\r\t end","note":"\u00e9\u4e2d\ud83d\ude00"}"#,
        #"{"title":"lone \ud800 high","note":"lone low \udc00 x"}"#,
        #"{"title":"high then other \ud800\u0041 and pair \uD83D\uDE00"}"#,
        #"{"title":"high then high \ud800\ud800 x","note":"high then bad \ud800\u00zz"}"#,
        #"{"title":"high at the end \ud83d"}"#,
        #"{"title":"bad escape \x"}"#,
        #"{"title":"short \u12"}"#,
        #"{"title":"Ünïcödé ‘quotes’ — 中文 😀","authors":[{"family":"Núñez","given":"María \"MJ\""}]}"#,
        #"{"volume":12,"issue":-3,"pages":1.5e3,"id":42,"edition":0,"articleNumber":7,"pmid":31972668}"#,
        #"{"title":12}"#,
        #"{"volume":012}"#,
        #"{"volume":1.}"#,
        #"{"volume":-}"#,
        #"{"volume":1e}"#,
        #"{"volume":12x}"#,
        #"{"isbn":[9783161484100,"0-306-40615-2"],"issn":["1234-5678"]}"#,
        #"{"issn":[1234]}"#,
        #"{"keywords":"one"}"#,
        #"{"keywords":null,"domains":[],"topics":[null]}"#,
        #"{"keywords":[ "a" , "b" ],"professions":["medicine",]}"#,
        #"{"id":null,"type":null,"title":null,"authors":null,"issued":null,"openAccess":null,"extra":null}"#,
        #"{"issued":2020,"accessed":"2019-21"}"#,
        #"{"issued":-5,"accessed":20.5}"#,
        #"{"issued":{"date-parts":[[2020]]}}"#,
        #"{"issued":{"x":1}}"#,
        #"{"issued":"2020-05~","accessed":"in press"}"#,
        #"{"issued":["2020"]}"#,
        #"{"type":"journal-article"}"#,
        #"{"type":"Journal Article"}"#,
        #"{"type":"nonsense"}"#,
        #"{"type":"book"}"#,
        #"{"type":5}"#,
        #"{"openAccess":true}"#,
        #"{"openAccess":false}"#,
        #"{"openAccess":"yes"}"#,
        #"{"openAccess":tru}"#,
        #"{"openAccess":nul}"#,
        #"{"extra":{"ris":{"M1":["one","two"],"DB":[]},"bibtex":{},"jats":null}}"#,
        #"{"extra":{"ris":{"M1":["a"]},"ris":{"M1":["b"],"N1":["c"]}}}"#,
        #"{"extra":{"ris":{"M1":["a"],"M1":["b"]}}}"#,
        #"{"extra":{"ris":{"M1":"one"}}}"#,
        #"{"extra":{"ris":{"M1":[1]}}}"#,
        #"{"extra":{"ris":{"M1":null}}}"#,
        #"{"extra":{"ris":["x"]}}"#,
        #"{"extra":{"ris":5}}"#,
        #"{"extra":[]}"#,
        #"{"extra":{}}"#,
        #"{"extra":{"fórmat":{"fïeld":["vâlue"]},"esc\u0061ped":{"k\"ey":["v\n"]}}}"#,
        #"{"id":"dup","title":"one","title":"two"}"#,
        #"{"extra":{"a":{"b":["c"]}},"extra":{"a":{"b":["d"]}}}"#,
        #"{"authors":[{"family":"A","family":"B","given":null}]}"#,
        #"{"authors":[{"family":"A","nickname":"B"}]}"#,
        #"{"authors":[{"family":1}]}"#,
        #"{"authors":[{"family":null,"given":null,"particle":"van","droppingParticle":"de","suffix":"Jr.","literal":"L","orcid":"0000-0002-1825-0097"}]}"#,
        #"{"authors":["Smith"]}"#,
        #"{"authors":{"family":"A"}}"#,
        #"{"authors":[{}],"editors":[],"translators":[{"literal":"X"},{"literal":"Y"}]}"#,
        #"{"authors":[{"famil\u0079":"escaped person key"}]}"#,
        #"{"authors":[{"fámily":"non-ASCII person key"}]}"#,
        // People filled in place in the list (session 16): a person declined after others, after a partial one, a
        // repeated key after an empty person, many people.
        #"{"authors":[{"family":"A"},{"family":"B","nickname":"x"},{"family":"C"}]}"#,
        #"{"authors":[{"family":"A","given":"G"},{"family":"B","given":1}]}"#,
        #"{"authors":[{},{"family":"A","family":"B"},{"literal":"L"}],"editors":[{"given":"E"}]}"#,
        #"{"authors":[{"family":"1"},{"family":"2"},{"family":"3"},{"family":"4"},{"family":"5"},{"family":"6"}]}"#,
        #"{"unknown":1,"title":"x"}"#,
        #"{"tit\u006ce":"escaped key"}"#,
        #"{"títle":"non-ASCII key"}"#,
        #"{"":"empty key"}"#,
        #"{}"#,
        #"{ }"#,
        #"[]"#,
        #""string""#,
        #"42"#,
        #"null"#,
        #"{"id":"a"} trailing"#,
        "{\"id\":\"spaces after\"}   \t\r",
        #"  {"id":"ws" , "title" : "spaced" , "authors" : [ { "family" : "F" } , { } ] }"#,
        "{\t\"id\"\t:\t\"tabs\"\t}",
        #"{"id":"a","title":"x",}"#,
        #"{"id":"a" "title":"x"}"#,
        #"{"id":"a","title":"unterminated}"#,
        "{\"id\":\"a\",\"title\":\"control \u{01} character\"}",
        #"{"id":"nested","extra":{"a":{"b":["c"]}},"authors":[{"family":"x"}]}"#,
        #"{"id":"deep","title":{"a":{"b":{"c":[[[1]]]}}}}"#,
        #"{"id":"a","title":"x"}{"id":"b"}"#,
        #"{"id":"cut","title":"cut"#,
    ]

    /// Every hard line in every layout: one per line (LF and CRLF, with a BOM), an object across lines, a
    /// minified array and a pretty-printed one; then each line alone.
    @Test func readsTheHardCasesAsTheMappingDoes() throws {
        let lines = Self.hardLines
        let lf: String = lines.joined(separator: "\n")
        let crlf: String = lines.joined(separator: "\r\n")
        let minified: String = lines.joined(separator: ",")
        let pretty: String = lines.joined(separator: ",\n  ")
        let prettyCRLF: String = lines.joined(separator: ",\r\n")
        var texts: [String] = [lf + "\n", crlf, "\u{FEFF}" + lf]
        texts.append("[" + minified + "]")
        texts.append("[\n  " + pretty + "\n]\n")
        texts.append("[\r\n" + prettyCRLF + "\r\n]")
        texts.append("{\"id\":\"across\",\n\"title\":\"lines\",\n  \"authors\":[\n{\"family\":\"F\"}]}\n{\"id\":\"next\"}")
        texts.append("{\"id\":\"lost brace\",\"title\":\"x\"\n{\"id\":\"next\"}\n")
        for (offset, text) in texts.enumerated() {
            try Self.compare(Array(text.utf8), name: "hard text \(offset)", chunks: [1 << 16, 1, 5, 64, 333])
        }
        for (offset, line) in lines.enumerated() {
            try Self.compare(Array(line.utf8), name: "hard line \(offset): \(line)", chunks: [1 << 16, 3])
            try Self.compare(Array((line + "\n").utf8), name: "hard line \(offset) with LF", layouts: [true])
        }
    }

    /// Plain lines the decoder leaves on purpose: member names spelt with escapes (record and person keys are
    /// looked up on their raw bytes).
    static let escapedNames: Set<String> = [
        #"{"authors":[{"famil\u0079":"escaped person key"}]}"#, #"{"tit\u006ce":"escaped key"}"#,
    ]

    /// The plain hard lines (no diagnostic the old way) are taken directly: otherwise the decoder's escape,
    /// number, `null`, people and `extra` ways would not be compared at all.
    @Test func takesThePlainHardCasesDirectly() throws {
        var plain = 0
        #expect(Self.escapedNames.isSubset(of: Self.hardLines))
        for line in Self.hardLines where !Self.escapedNames.contains(line) {
            let bytes = Array((line + "\n").utf8)
            let old = try Self.read(bytes, lines: true, chunk: 1 << 16, directly: false)
            guard old.results.count == 1, old.results[0].record != nil, old.results[0].diagnostics.isEmpty else { continue }
            plain += 1
            let new = try Self.read(bytes, lines: true, chunk: 1 << 16, directly: true)
            #expect(new.direct == 1, "not taken directly: \(line)")
        }
        #expect(plain >= 25)
    }

    /// Bytes that are not UTF-8 (read as Windows-1252 and reported), in a value, a key, an extra name and a
    /// person; a UTF-16 feed (transcoded).
    @Test func readsLegacyAndUTF16InputAsTheMappingDoes() throws {
        let cases: [[UInt8]] = [
            Array(#"{"id":"a","title":"caf"#.utf8) + [0xE9] + Array("\"}\n{\"id\":\"b\"}\n".utf8),
            Array(#"{"id":"a","ti"#.utf8) + [0xE9] + Array("tle\":\"x\"}\n{\"id\":\"b\"}\n".utf8),
            Array(#"{"extra":{"r"#.utf8) + [0xFC] + Array("\":{\"k\":[\"v\"]}}}\n".utf8),
            Array(#"{"authors":[{"family":"M"#.utf8) + [0xFC, 0x6C, 0x6C] + Array("er\"}]}\n".utf8),
            Array(#"{"title":"broken "#.utf8) + [0xE2, 0x82] + Array(" sequence\"}\n".utf8),
        ]
        for (offset, bytes) in cases.enumerated() {
            try Self.compare(bytes, name: "legacy \(offset)", chunks: [1 << 16, 2, 9])
        }
        // The edges of well-formed UTF-8 in a value, plain and after an escape: taken directly when well-formed,
        // else left to the stream (which reads the line as Windows-1252).
        for input in DirectReading.utf8EdgeInputs(opening: #"{"id":"a","title":""#, closing: "\"}\n{\"id\":\"b\"}\n") {
            let direct = try Self.compare(input.bytes, name: input.name, chunks: [1 << 16, 3])
            if input.wellFormed { #expect(direct > 0, Comment(rawValue: input.name)) }
        }
        let text = "{\"id\":\"a\",\"title\":\"Ünï 😀\"}\n{\"id\":\"b\"}\n"
        for littleEndian in [true, false] {
            let bytes = DirectReading.utf16(text, littleEndian: littleEndian)
            let direct = try Self.compare(bytes, name: "UTF-16 \(littleEndian)", chunks: [1 << 16, 6])
            #expect(direct > 0)
        }
    }

    /// The nesting and record-size limits: the decoder is offered an element only when every level it reads is
    /// within the nesting limit, and takes it only when it fits the record-size limit.
    @Test func keepsTheLimitsAsTheMappingDoes() throws {
        let text = Self.hardLines.joined(separator: "\n")
        for depth in [0, 1, 2, 3, 4, 5, 6] {
            var options = ReaderOptions()
            options.maxDepth = depth
            try Self.compare(Array(text.utf8), name: "max depth \(depth)", chunks: [1 << 16, 7], options: options)
        }
        for limit in [1, 20, 40, 60, 100, 200] {
            var options = ReaderOptions()
            options.maxRecordBytes = limit
            try Self.compare(Array(text.utf8), name: "max bytes \(limit)", chunks: [1 << 16, 7], options: options)
        }
    }

    /// Feeds of the fixtures and hard lines with bytes changed, inserted or removed at random (a fixed seed):
    /// whatever the damage, both ways must agree.
    @Test func readsRandomlyDamagedFeedsAsTheMappingDoes() throws {
        var damage = ByteDamage(
            seed: 0x5EED_0010_DEC0_DE00,
            alphabet: Array("\"\\{}[],: \n\r\t0e-nu".utf8) + [0x01, 0xC3, 0xA9, 0xE9, 0xF0])
        let feeds: [[UInt8]] = [
            try Native.write(Fixtures.all, lines: true, pretty: false),
            try Native.write(Fixtures.all, lines: false, pretty: true),
            try Native.write(Fixtures.all, lines: false, pretty: false),
            Array(Self.hardLines.prefix(12).joined(separator: "\n").utf8),
        ]
        var direct = 0
        for (feed, original) in feeds.enumerated() {
            for round in 0..<120 {
                let bytes = damage.damaged(original)
                direct += try Self.compare(bytes, name: "feed \(feed) round \(round)", chunks: [1 << 16, 13])
            }
        }
        #expect(direct > 0)
    }
}
