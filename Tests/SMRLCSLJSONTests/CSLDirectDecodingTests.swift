import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

@testable import SMRLCSLJSON

/// The reader's direct decoding of plain CSL items (``CSLDirectDecoder``) against the route it replaces for them,
/// kept as the reader's fallback and as the reference here (`decodingDirectly: false`: every element parsed into
/// a `JSONValue` and decoded by `CSLItemDecoder.decode(_:)`): the same results, item for item (the record, its
/// location, its diagnostics with their codes, messages, locations, record index and id, and its field locations
/// in order), on the sample library, on every CSL-JSON file of the corpus, on the whole corpus written as
/// CSL-JSON, on hand-made hard cases and on randomly damaged files, in the three layouts (one item per line, a
/// minified and a pretty-printed array) and with input chunks from one byte (no element ends in the buffer) up.
@Suite("CSL-JSON direct decoding against the decoded JSON tree")
struct CSLDirectDecodingTests {
    typealias Outcome = DirectReading.Outcome

    /// Reads `bytes` with `csl-json.lines` set from `lines` (nil: the reader's own choice).
    static func read(
        _ bytes: [UInt8], lines: Bool?, chunk: Int, directly: Bool, options: ReaderOptions = ReaderOptions()
    ) throws -> Outcome {
        try readHandingOn(bytes, lines: lines, chunk: chunk, directly: directly, handingOn: false, options: options)
            .outcome
    }

    /// With `handingOn`, the reader is told its pending records may be completed on another thread (as a
    /// two-thread conversion does: ``CSLJSONReader/handOnPending(_:)``) and each is completed after it is found;
    /// a pending record must say truly whether it has a record (the pipeline numbers records by it before they are
    /// completed). With `switching` as well, the hand-on is turned off for every third record and on again (as the
    /// pipeline does while the other thread is behind and once it catches up). Also how many elements were handed
    /// on.
    static func readHandingOn(
        _ bytes: [UInt8], lines: Bool?, chunk: Int, directly: Bool, handingOn: Bool = true, switching: Bool = false,
        options: ReaderOptions = ReaderOptions()
    ) throws -> (outcome: Outcome, handedOn: Int) {
        let input = ByteReader(source: MemoryByteSource(bytes), fileName: "items.json", chunkSize: chunk)
        var options = options
        if let lines { options.settings["csl-json.lines"] = lines ? "true" : "false" }
        var reader = CSLJSONReader(reader: input, options: options, decodingDirectly: directly)
        let (results, wrongHasRecord) = try DirectReading.results(
            of: &reader, handingOn: handingOn, switching: switching)
        #expect(wrongHasRecord.isEmpty, "hasRecord wrong for \(wrongHasRecord)")
        return (Outcome(results: results, direct: reader.decodedDirectly), reader.handedOn)
    }

    /// Reads `bytes` both ways in the given layouts (nil: the reader's own choice) and chunk sizes, records the
    /// first difference, and returns how many items were decoded directly in all.
    @discardableResult
    static func compare(
        _ bytes: [UInt8], name: String, layouts: [Bool?] = [nil, true, false], chunks: [Int] = [1 << 16, 1, 7, 300],
        options: ReaderOptions = ReaderOptions()
    ) throws -> Int {
        let (direct, difference) = try DirectReading.compare(layouts: layouts, chunks: chunks) { lines, chunk, directly in
            try read(bytes, lines: lines, chunk: chunk, directly: directly, options: options)
        }
        if let difference {
            Issue.record("\(name), lines \(difference)")
            return direct
        }
        // The elements and lines handed on to be read elsewhere (``CSLJSONReader/handOnPending(_:)``), decoded
        // directly or through the tree there, give the same again.
        for lines in layouts {
            for chunk in chunks {
                let old = try read(bytes, lines: lines, chunk: chunk, directly: false, options: options)
                for (directly, switching) in [(true, false), (false, false), (true, true)] {
                    let handed = try readHandingOn(
                        bytes, lines: lines, chunk: chunk, directly: directly, switching: switching, options: options)
                    if let difference = DirectReading.difference(handed.outcome.results, old.results) {
                        let route = (directly ? "direct" : "tree") + (switching ? ", switching" : "")
                        let layout = lines.map { $0 ? "true" : "false" } ?? "auto"
                        Issue.record("\(name), lines \(layout), chunks of \(chunk), handed on (\(route)): \(difference)")
                        return direct
                    }
                }
            }
        }
        return direct
    }

    // MARK: Real items

    @Test func readsTheSampleLibraryAsTheTreeDoes() throws {
        let bytes = Array(try Data(contentsOf: TestCorpus.repositoryFile("Samples/library.csl.json")))
        let new = try Self.read(bytes, lines: nil, chunk: 1 << 16, directly: true)
        #expect(new.direct > 0, "nothing was decoded directly")
        try Self.compare(bytes, name: "library.csl.json", layouts: [nil])
    }

    /// Every CSL-JSON file of the corpus as it is (exports of Zotero, Better BibTeX, citeproc-js test items: odd
    /// shapes, so often the old route, but the two must agree), then the whole corpus written as CSL-JSON,
    /// minified and pretty-printed (the shapes smrl writes: nearly every item must be taken directly).
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func readsTheCorpusAsTheTreeDoes() throws {
        let files = TestCorpus.files(in: "csljson", extensions: ["json", "ndjson", "jsonl"])
        #expect(files.count > 50)
        var direct = 0
        for url in files {
            let bytes = Array(try Data(contentsOf: url))
            direct += try Self.compare(
                bytes, name: url.lastPathComponent, layouts: [nil],
                chunks: bytes.count < 100_000 ? [1 << 16, 7, 700] : [1 << 16])
        }
        // Few of them (Zotero writes date parts as strings, which the decoder leaves), but some.
        #expect(direct > 0, "the corpus's own CSL-JSON files: \(direct) items decoded directly")
        let records = CSLDirectWriterTests.corpus
        #expect(records.count > 2_000)
        for pretty in [false, true] {
            let bytes = Array(CSLTest.write(records, pretty: pretty).text.utf8)
            let new = try Self.read(bytes, lines: nil, chunk: 1 << 16, directly: true)
            #expect(new.results.compactMap(\.record).count == records.count)
            // The written corpus's items are plain but for the few a remark is made about (note lines read as
            // variables, names with flags kept verbatim, ...).
            #expect(new.direct * 10 >= records.count * 9, "pretty \(pretty): \(new.direct) of \(records.count) direct")
            try Self.compare(bytes, name: "the corpus written, pretty \(pretty)", layouts: [nil], chunks: [1 << 16, 4096])
        }
    }

    /// Files named in `SMRL_CSL_FILES` (paths separated by `:`; e.g. smrl-bench's 2,000-record corpus). Nothing to
    /// do when unset.
    @Test func readsTheFilesNamedInTheEnvironmentAsTheTreeDoes() throws {
        let paths = ProcessInfo.processInfo.environment["SMRL_CSL_FILES"]?.split(separator: ":").map(String.init) ?? []
        for path in paths {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let direct = try Self.compare(bytes, name: path, layouts: [nil], chunks: [1 << 16, 4096])
            #expect(direct > 0, "\(path): nothing was decoded directly")
        }
    }

    // MARK: Hard cases

    /// Items, one per line, that reach each way of the decoder and each way out of it: escapes of every kind,
    /// surrogates paired, lone and cut, non-ASCII text, numbers where text is expected, `null` for every kind of
    /// value, names and dates of every shape, `categories`, `keyword` and `custom`, repeated, unknown, miscased and
    /// escaped keys, odd types, values that get a shadow copy, and syntax errors.
    static let hardLines: [String] = [
        #"{"id":"a","type":"article-journal","title":"Plain"}"#,
        #"{"id":"esc","type":"book","title":"quote \" back \\ slash \/ \b\f\n\r\t end","note":"\u00e9\u4e2d\ud83d\ude00"}"#,
        #"{"type":"book","title":"lone \ud800 high","abstract":"lone low \udc00 x"}"#,
        #"{"type":"book","title":"high then other \ud800\u0041 and pair \uD83D\uDE00"}"#,
        #"{"type":"book","title":"high then high \ud800\ud800 x","note":"high then bad \ud800\u00zz"}"#,
        #"{"type":"book","title":"high at the end \ud83d"}"#,
        #"{"type":"book","title":"bad escape \x"}"#,
        #"{"type":"book","title":"Ünïcödé ‘quotes’ — 中文 😀","author":[{"family":"Núñez","given":"María \"MJ\""}]}"#,
        #"{"id":42,"type":"article-journal","volume":12,"issue":-3,"page":1.5e3,"edition":0,"number":7,"PMID":31972668}"#,
        #"{"id":"n","type":"report","number":"TR-7","genre":"Technical report","ISBN":9783161484100}"#,
        #"{"type":"book","title":12}"#,
        #"{"type":"book","volume":012}"#,
        #"{"type":"book","volume":1.}"#,
        #"{"type":"book","title":true,"volume":[1],"issue":{"a":1}}"#,
        #"{"id":null,"type":"book","title":null,"author":null,"issued":null,"categories":null,"custom":null}"#,
        #"{"type":"book","author":[],"editor":[{"literal":"X"},{"literal":"Y"}]}"#,
        #"{"type":"book","author":[{"family":"F","given":"G","non-dropping-particle":"van","dropping-particle":"de","suffix":"Jr.","literal":"L"}]}"#,
        #"{"type":"book","author":[{"family":"A","family":"B"}]}"#,
        #"{"type":"book","author":[{"family":"A","given":null}]}"#,
        #"{"type":"book","author":[{"family":1}]}"#,
        #"{"type":"book","author":[{}]}"#,
        #"{"type":"book","author":[{"family":"A","comma-suffix":true}]}"#,
        #"{"type":"book","author":[{"literal":"Org","isInstitution":true}]}"#,
        #"{"type":"book","author":[{"family":"A","nickname":"B"}]}"#,
        #"{"type":"book","author":["Smith"]}"#,
        #"{"type":"book","author":{"family":"A"}}"#,
        #"{"type":"book","author":[{"famil\u0079":"escaped name key"}]}"#,
        // Names filled in place in the list (session 16): a name declined after others, after a partial one, a
        // repeated part after an empty name, many names.
        #"{"type":"book","author":[{"family":"A"},{"family":"B","nickname":"x"},{"family":"C"}]}"#,
        #"{"type":"book","author":[{"family":"A","given":"G"},{"family":"B","given":1}]}"#,
        #"{"type":"book","author":[{"literal":"L"},{},{"family":"A","family":"B"}],"editor":[{"given":"E"}]}"#,
        #"{"type":"book","author":[{"family":"1"},{"family":"2"},{"family":"3"},{"family":"4"},{"family":"5"},{"family":"6"}]}"#,
        #"{"type":"book","translator":[{"family":"T"}],"chair":[{"family":"C"}]}"#,
        #"{"type":"book","issued":{"date-parts":[[2020]]},"accessed":{"date-parts":[[2019,5,17]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020,10]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020,0]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020,13]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020,2,31]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020,2,32]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[0]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[-44]]}}"#,
        #"{"type":"book","issued":{"date-parts":[["2020","5"]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020.0]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020],[2021]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020,1,2,3]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[]]}}"#,
        #"{"type":"book","issued":{"date-parts":[]}}"#,
        #"{"type":"book","issued":{"date-parts":[[1234567890]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020]],"circa":true}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020]],"date-parts":[[2021]]}}"#,
        #"{"type":"book","issued":{"raw":"2020-05"},"accessed":{"literal":"in press"}}"#,
        #"{"type":"book","issued":"2020","original-date":{"date-parts":[[1900]]}}"#,
        #"{"type":"book","issued":2020}"#,
        #"{"type":"book","issued":"2021"}"#,
        #"{"type":"book","categories":["a","b"],"keyword":"a, b"}"#,
        #"{"type":"book","categories":["a","b"],"keyword":"other"}"#,
        #"{"type":"book","categories":["a",1]}"#,
        #"{"type":"book","categories":[]}"#,
        #"{"type":"book","categories":"a, b"}"#,
        #"{"type":"book","keyword":"one; two, three"}"#,
        #"{"type":"book","categories":["smrl:domain:students-faculty","plain"],"custom":{"smrl":{"domains":["students-faculty"]}}}"#,
        #"{"type":"book","categories":["smrl:domain:students-faculty","smrl:nonsense:x"]}"#,
        #"{"type":"article-journal","title":"T: S","custom":{"smrl":{"resourceType":"review","domains":["a"],"topics":["b","c"],"professions":["medicine"],"openAccess":true,"description":"d","subtitle":"S","orcid":{"author":["0000-0002-1825-0097",null]}}},"author":[{"family":"A"},{"family":"B"}]}"#,
        #"{"type":"book","custom":{"smrl":{"extra":{"ris":{"M1":["one"]},"bibtex":{"pagetotal":"12"}}}}}"#,
        #"{"type":"book","custom":{"smrl":{"nonsense":1}}}"#,
        #"{"type":"book","custom":{"other":"kept","smrl":{"domains":"one"}}}"#,
        #"{"type":"book","custom":{"domains":["a"]}}"#,
        #"{"type":"book","custom":{"smrl":{"openAccess":"yes","resourceType":5}}}"#,
        #"{"type":"book","custom":[]}"#,
        #"{"type":"book","custom":{"smrl":{"extra":{"a":{"b":{"c":["too deep"]}}}}}}"#,
        #"{"type":"book","title":"<i>Italic</i> and <b>bold</b> <sc>caps</sc>","container-title":"A &amp; B"}"#,
        #"{"type":"book","title":"<em>Em</em>","abstract":"x <sup>2</sup>"}"#,
        #"{"type":"article-journal","DOI":"https://doi.org/10.1000/XYZ","PMCID":"pmc123","ISSN":"12345678, 8765-4321","ISBN":"978-1-107-04452-4 978-1-107-68637-3"}"#,
        #"{"type":"book","ISBN":["978-1-107-04452-4"],"ISSN":["1234-5678"]}"#,
        #"{"type":"book","title-short":"S","shortTitle":"T","container-title-short":"C","journalAbbreviation":"J"}"#,
        #"{"type":"book","shortTitle":"T","journalAbbreviation":"J","event":"E"}"#,
        #"{"type":"book","note":"no colon here"}"#,
        #"{"type":"book","note":"PMID: 12345\nreal note"}"#,
        #"{"type":"book","note":"type: thesis"}"#,
        #"{"type":"book","note":"see: below"}"#,
        #"{"type":"book","citation-key":"key1"}"#,
        #"{"type":"book","id":"","citation-key":"key2"}"#,
        #"{"type":"book","language":"en","URL":"https://example.org","publisher":"P","publisher-place":"Q","collection-title":"S","event-title":"E"}"#,
        #"{"type":"journalArticle","title":"alias type"}"#,
        #"{"type":"Article-Journal","title":"miscased type"}"#,
        #"{"type":"nonsense"}"#,
        #"{"type":""}"#,
        #"{"type":5}"#,
        #"{"title":"no type"}"#,
        #"{"type":"book","title":"one","title":"two"}"#,
        #"{"type":"book","unknown":1,"title":"x"}"#,
        #"{"type":"book","Title":"miscased key"}"#,
        #"{"type":"book","tit\u006ce":"escaped key"}"#,
        #"{"type":"book","títle":"non-ASCII key"}"#,
        #"{"type":"book","":"empty key"}"#,
        #"{"type":"book","references":"a string"}"#,
        #"{"version":"1.1","references":[{"id":"r1","type":"book"}]}"#,
        #"{"type":"book","archive":"A","dimensions":"12 cm","number-of-pages":200,"section":"3"}"#,
        #"{}"#,
        #"{ }"#,
        #"[]"#,
        #""string""#,
        #"42"#,
        #"null"#,
        #"{"type":"book","id":"a"} trailing"#,
        "{\"type\":\"book\",\"id\":\"spaces after\"}   \t\r",
        #"  {"type" : "book" , "title" : "spaced" , "author" : [ { "family" : "F" } , { "given" : "G" } ] }"#,
        "{\t\"type\"\t:\t\"book\"\t}",
        #"{"type":"book","title":"x",}"#,
        #"{"type":"book" "title":"x"}"#,
        #"{"type":"book","title":"unterminated}"#,
        "{\"type\":\"book\",\"title\":\"control \u{01} character\"}",
        #"{"type":"book","title":"x"}{"type":"book"}"#,
        #"{"type":"book","title":"cut"#,
    ]

    /// Every hard line in every layout: one per line (LF and CRLF, with a BOM), an item across lines, a minified
    /// array and a pretty-printed one; then each line alone.
    @Test func readsTheHardCasesAsTheTreeDoes() throws {
        let lines = Self.hardLines
        let lf: String = lines.joined(separator: "\n")
        let crlf: String = lines.joined(separator: "\r\n")
        var texts: [String] = [lf + "\n", crlf, "\u{FEFF}" + lf]
        texts.append("[" + lines.joined(separator: ",") + "]")
        texts.append("[\n  " + lines.joined(separator: ",\n  ") + "\n]\n")
        texts.append("[\r\n" + lines.joined(separator: ",\r\n") + "\r\n]")
        texts.append("{\"type\":\"book\",\n\"title\":\"lines\",\n  \"author\":[\n{\"family\":\"F\"}]}\n{\"type\":\"book\"}")
        texts.append("{\"type\":\"book\",\"title\":\"x\"\n{\"type\":\"book\"}\n")
        for (offset, text) in texts.enumerated() {
            try Self.compare(Array(text.utf8), name: "hard text \(offset)", chunks: [1 << 16, 1, 5, 64, 333])
        }
        for (offset, line) in lines.enumerated() {
            try Self.compare(Array(line.utf8), name: "hard line \(offset): \(line)", chunks: [1 << 16, 3])
            try Self.compare(Array(("[" + line + "]").utf8), name: "hard line \(offset) in an array", layouts: [false])
        }
    }

    /// Plain lines the decoder leaves on purpose: member names spelt with escapes (looked up on their raw bytes),
    /// `references` (a CSL 1.1 document's key), `custom` nested deeper than the decoder reads, and dates in forms
    /// the tree reads without a remark or a copy but the decoder does not read (a `circa`, a negative year, parts
    /// as strings, a range, a bare string).
    static let leftToTheTree: Set<String> = [
        #"{"type":"book","author":[{"famil\u0079":"escaped name key"}]}"#,
        #"{"type":"book","tit\u006ce":"escaped key"}"#,
        #"{"type":"book","references":"a string"}"#,
        #"{"type":"book","custom":{"smrl":{"extra":{"a":{"b":{"c":["too deep"]}}}}}}"#,
        #"{"type":"book","issued":{"date-parts":[[-44]]}}"#,
        #"{"type":"book","issued":{"date-parts":[["2020","5"]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020],[2021]]}}"#,
        #"{"type":"book","issued":{"date-parts":[[2020]],"circa":true}}"#,
        #"{"type":"book","issued":"2021"}"#,
    ]

    /// The plain hard lines (no diagnostic the old way, no value copied verbatim into extra as JSON text, not one
    /// of ``leftToTheTree``) are taken directly: otherwise the decoder's ways would not be compared at all.
    @Test func takesThePlainHardCasesDirectly() throws {
        #expect(Self.leftToTheTree.isSubset(of: Self.hardLines))
        var plain = 0
        for line in Self.hardLines where !Self.leftToTheTree.contains(line) {
            let bytes = Array(("[" + line + "]").utf8)
            let old = try Self.read(bytes, lines: false, chunk: 1 << 16, directly: false)
            guard old.results.count == 1, let record = old.results[0].record, old.results[0].diagnostics.isEmpty
            else { continue }
            // Names, dates, `categories` and `custom` that the tree route copies verbatim into extra (as JSON text)
            // are left to it.
            let verbatim = record.extra["csl-json"]?.keys.contains { key in
                switch CSLMapping.kinds[key] {
                case .name?, .date?, .stringArray?, .object?: return true
                default: return false
                }
            } ?? false
            guard !verbatim else { continue }
            plain += 1
            let new = try Self.read(bytes, lines: false, chunk: 1 << 16, directly: true)
            #expect(new.direct == 1, "not taken directly: \(line)")
        }
        #expect(plain >= 30)
    }

    /// Items of an array (pretty-printed and minified) and lines that are one object are handed on (else the
    /// comparisons of the handed-on route in ``compare(_:name:layouts:chunks:options:)`` compare nothing); those
    /// that may be a CSL 1.1 document (a member `references`, or a member name with an escape) and those that are
    /// not one well-formed object are not.
    @Test func handsOnTheItemsThatAreOneObject() throws {
        let library = Array(try Data(contentsOf: TestCorpus.repositoryFile("Samples/library.csl.json")))
        let records = CSLTest.records(String(decoding: library, as: UTF8.self))
        #expect(records.count > 3)
        for pretty in [false, true] {
            let bytes = Array(CSLTest.write(records, pretty: pretty).text.utf8)
            for chunk in [1 << 16, 1] {
                let handed = try Self.readHandingOn(bytes, lines: nil, chunk: chunk, directly: true)
                #expect(handed.handedOn == records.count, "pretty \(pretty), chunks of \(chunk)")
                #expect(handed.outcome.direct == 0)
                #expect(handed.outcome.results.compactMap(\.record) == records)
            }
        }
        let hard = Self.hardLines
        for text in ["[" + hard.joined(separator: ",") + "]", "[\n  " + hard.joined(separator: ",\n  ") + "\n]\n",
            hard.joined(separator: "\n") + "\n"]
        {
            let handed = try Self.readHandingOn(Array(text.utf8), lines: nil, chunk: 1 << 16, directly: true)
            #expect(handed.handedOn > 20)
            #expect(handed.handedOn < hard.count - 5)
        }
        let refused = [
            #"{"type":"book","references":[{"type":"book"}]}"#, #"{"type":"book","refer\u0065nces":[]}"#,
            #"{"version":1.1,"references":[{"type":"book","title":"a"},{"type":"book","title":"b"}]}"#,
            #"{"type":"book","title":"x",}"#, #"{"type":"book" "title":"x"}"#, #"{"type":"book","title":"a\x"}"#,
        ]
        let accepted = [
            #"{"type":"book","custom":{"references":[]}}"#, #"{"type":"book","title":"refer\u0065nces"}"#,
            "{\n  \"type\" : \"book\" ,\r\n\t\"title\":\"Ünï 😀\"\n}",
        ]
        for (text, count) in [(refused, 0), (accepted, accepted.count)] {
            for layout in [
                "[" + text.joined(separator: ",") + "]", "[\n" + text.joined(separator: ",\n") + "\n]",
                text.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n",
            ] {
                let bytes = Array(layout.utf8)
                #expect(try Self.readHandingOn(bytes, lines: nil, chunk: 1 << 16, directly: true).handedOn == count, "\(layout)")
                try Self.compare(bytes, name: layout, layouts: [nil], chunks: [1 << 16, 3])
            }
        }
    }

    /// The check behind the handing on (``JSONStreamReader/endOfObject(_:maxDepth:refusedKey:)``): where an object
    /// ends, the line breaks in it and where its last line starts; and the column count it is passed with.
    @Test func findsWhereAnObjectEnds() {
        func end(_ text: String, maxDepth: Int = 512, refused: String? = nil) -> [Int]? {
            Array(text.utf8).withUnsafeBufferPointer { bytes in
                JSONStreamReader.endOfObject(bytes, maxDepth: maxDepth, refusedKey: refused.map { Array($0.utf8) })
                    .map { [$0.end, $0.newlines, $0.lastLineStart] }
            }
        }
        #expect(end("{}") == [2, 0, 0])
        #expect(end("{} junk") == [2, 0, 0])
        #expect(end("{\n \"a\" :\r\n [1,\n2]\n}x") == [19, 4, 18])
        #expect(end("{\"a\":{\"b\":[]}}", maxDepth: 2) == [14, 0, 0])
        for refusedText in ["{", " {}", "[]", "{\"a\":1", "{\"a\":\"x\ny\"}", "{\"a\":1,}", "{\"a\":01}"] {
            #expect(end(refusedText) == nil, "\(refusedText)")
        }
        #expect(end("{\"a\":{\"b\":[]}}", maxDepth: 1) == nil)
        #expect(end("{\"a\":{\"r\":1}}", refused: "r") == [13, 0, 0])
        #expect(end("{\"a\":1,\"r\":1}", refused: "r") == nil)
        #expect(end("{\"\\u0072\":1}", refused: "r") == nil)
        #expect(end("{\"\\u0072\":1}") == [12, 0, 0])
        for text in ["", "abc", "caf\u{E9}", "Ünï 😀 中文 and more than eight bytes ‘’", "\u{1F600}\u{1F600}\u{1F600}"] {
            let count = Array(text.utf8).withUnsafeBufferPointer { JSONStreamReader.scalarCount($0) }
            #expect(count == text.unicodeScalars.count, "\(text)")
        }
        // Not UTF-8: every byte but a continuation byte is a column, as the stream counts them.
        let bytes: [UInt8] = [0xE9, 0x41, 0x80, 0xBF, 0xC3, 0xA9, 0xFF, 0x20, 0x82, 0x41]
        #expect(bytes.withUnsafeBufferPointer { JSONStreamReader.scalarCount($0) } == 6)
    }

    /// Bytes that are not UTF-8 (read as Windows-1252 and reported), in a value, a key, a name and `custom`; a
    /// UTF-16 file (transcoded).
    @Test func readsLegacyAndUTF16InputAsTheTreeDoes() throws {
        let cases: [[UInt8]] = [
            Array(#"[{"type":"book","title":"caf"#.utf8) + [0xE9] + Array("\"},\n{\"type\":\"book\"}]\n".utf8),
            Array(#"{"type":"book","ti"#.utf8) + [0xE9] + Array("tle\":\"x\"}\n{\"type\":\"book\"}\n".utf8),
            Array(#"{"type":"book","custom":{"r"#.utf8) + [0xFC] + Array("\":\"v\"}}\n".utf8),
            Array(#"{"type":"book","author":[{"family":"M"#.utf8) + [0xFC, 0x6C, 0x6C] + Array("er\"}]}\n".utf8),
            Array(#"{"type":"book","title":"broken "#.utf8) + [0xE2, 0x82] + Array(" sequence\"}\n".utf8),
        ]
        for (offset, bytes) in cases.enumerated() {
            try Self.compare(bytes, name: "legacy \(offset)", chunks: [1 << 16, 2, 9])
        }
        // The edges of well-formed UTF-8 in a value, plain and after an escape: taken directly when well-formed,
        // else left to the stream (which reads the line as Windows-1252).
        let edges = DirectReading.utf8EdgeInputs(
            opening: #"{"type":"book","title":""#, closing: "\"}\n{\"type\":\"book\"}\n")
        for input in edges {
            let direct = try Self.compare(input.bytes, name: input.name, chunks: [1 << 16, 3])
            if input.wellFormed { #expect(direct > 0, Comment(rawValue: input.name)) }
        }
        let text = "[{\"type\":\"book\",\"title\":\"Ünï 😀\"},\n{\"type\":\"book\"}]\n"
        for littleEndian in [true, false] {
            let bytes = DirectReading.utf16(text, littleEndian: littleEndian)
            let direct = try Self.compare(bytes, name: "UTF-16 \(littleEndian)", chunks: [1 << 16, 6])
            #expect(direct > 0)
        }
    }

    /// The settings: with note variables off, a note line is not read (so such items are plain).
    @Test func keepsTheSettingsAsTheTreeDoes() throws {
        let text = Self.hardLines.joined(separator: "\n")
        var options = ReaderOptions()
        options.settings["csl-json.note-variables"] = "false"
        let direct = try Self.compare(Array(text.utf8), name: "note variables off", options: options)
        #expect(direct > 0)
    }

    /// The nesting and record-size limits: the decoder is offered an element only when every level it reads is
    /// within the nesting limit, and takes it only when it fits the record-size limit.
    @Test func keepsTheLimitsAsTheTreeDoes() throws {
        let text = Self.hardLines.joined(separator: "\n")
        for depth in [0, 1, 2, 3, 4, 5, 6, 7, 8] {
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

    /// Files of the sample library and hard lines with bytes changed, inserted or removed at random (a fixed
    /// seed): whatever the damage, both ways must agree.
    @Test func readsRandomlyDamagedFilesAsTheTreeDoes() throws {
        var damage = ByteDamage(
            seed: 0x5EED_0011_C51D_EC0D,
            alphabet: Array("\"\\{}[],: \n\r\t0e-nu".utf8) + [0x01, 0xC3, 0xA9, 0xE9, 0xF0])
        let library = Array(try Data(contentsOf: TestCorpus.repositoryFile("Samples/library.csl.json")))
        let feeds: [[UInt8]] = [
            library,
            Array(CSLTest.write(CSLTest.records(String(decoding: library, as: UTF8.self)), pretty: false).text.utf8),
            Array(Self.hardLines.prefix(20).joined(separator: "\n").utf8),
        ]
        var direct = 0
        for (feed, original) in feeds.enumerated() {
            for round in 0..<100 {
                let bytes = damage.damaged(original)
                direct += try Self.compare(bytes, name: "feed \(feed) round \(round)", layouts: [nil], chunks: [1 << 16, 13])
            }
        }
        #expect(direct > 0)
    }
}
