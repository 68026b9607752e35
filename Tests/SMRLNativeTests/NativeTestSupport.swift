import Foundation
import SMRLCore
import SMRLTestSupport
import Testing

import SMRLNative

/// Everything a reader produced for one input.
struct ReadOutcome {
    var results: [ReadResult]

    var records: [Resource] { results.compactMap(\.record) }
    var diagnostics: [Diagnostic] { results.flatMap(\.diagnostics) }
    func codes(_ severity: Severity? = nil) -> [DiagnosticCode] {
        diagnostics.filter { severity == nil || $0.severity == severity }.map(\.code)
    }
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

enum Native {
    static func read(
        bytes: [UInt8], lines: Bool = false, chunkSize: Int = 1 << 16, fileName: String = "feed.json",
        options: ReaderOptions = ReaderOptions()
    ) throws -> ReadOutcome {
        let input = ByteReader(source: MemoryByteSource(bytes), fileName: fileName, chunkSize: chunkSize)
        var reader = NativeReader(input: input, lines: lines, options: options)
        var results: [ReadResult] = []
        while let result = try reader.next() {
            results.append(result)
            precondition(results.count < 10_000_000, "reader does not terminate")
        }
        return ReadOutcome(results: results)
    }

    static func read(_ text: String, lines: Bool = false, chunkSize: Int = 1 << 16, fileName: String = "feed.json")
        throws -> ReadOutcome
    {
        try read(bytes: Array(text.utf8), lines: lines, chunkSize: chunkSize, fileName: fileName)
    }

    static func write(_ records: [Resource], lines: Bool = false, pretty: Bool = true) throws -> [UInt8] {
        var options = WriterOptions()
        options.pretty = pretty
        var writer = NativeWriter(lines: lines, options: options)
        let sink = OutputSink.inMemory()
        try writer.begin(into: sink)
        for record in records {
            let losses = try writer.write(record, into: sink)
            precondition(losses.isEmpty, "the native writer reported losses: \(losses)")
        }
        try writer.end(into: sink)
        try sink.flush()
        return sink.memory
    }

    static func text(_ records: [Resource], lines: Bool = false, pretty: Bool = true) throws -> String {
        String(decoding: try write(records, lines: lines, pretty: pretty), as: UTF8.self)
    }

    /// `Samples/library.json`, when this checkout has it.
    static let sampleURL = TestCorpus.repositoryFile("Samples/library.json")
    static let hasSample = FileManager.default.fileExists(atPath: sampleURL.path)
    static let sampleSkip = Comment(
        rawValue: "skipped: Samples/library.json is not in this checkout (it comes with the samples branch)")

    static func sampleBytes() throws -> [UInt8] { Array(try Data(contentsOf: sampleURL)) }
}

/// Records that use every field and the awkward characters, so the round trips do not depend on the sample file.
enum Fixtures {
    static var rich: Resource {
        var record = Resource(id: "núñez2020pathways", type: .articleJournal)
        record.resourceType = "peer-reviewed-article"
        record.title = "Admission pathways: \"quotes\", back\\slash, tab\there, <i>italic</i> & a/b"
        record.subtitle = "Line one\nline two\r\nand \u{01} control"
        record.shortTitle = "Pathways"
        record.containerTitle = "Academic Medicine"
        record.containerTitleShort = "Acad Med"
        record.collectionTitle = "Series 😀 𝔘"
        record.authors = [
            Person(family: "Núñez", given: "María José", orcid: "0000-0002-1825-0097"),
            Person(family: "Beethoven", given: "Ludwig", particle: "van"),
            Person(family: "Gaulle", given: "Charles", droppingParticle: "de", suffix: "Jr."),
            .organization("World Health Organization"),
        ]
        record.editors = [Person(family: "Smith", given: "J.")]
        record.translators = [Person(literal: "Übersetzungsbüro")]
        record.issued = EDTFDate(parsing: "2020-05~")
        record.accessed = EDTFDate(parsing: "2023-01-02")
        record.volume = "95"
        record.issue = "11"
        record.pages = "804-811"
        record.articleNumber = "e0123"
        record.edition = "2"
        record.publisher = "Wolters Kluwer"
        record.publisherPlace = "Philadelphia, PA"
        record.event = "AAMC Annual Meeting"
        record.doi = "10.1097/ACM.0000000000003170"
        record.pmid = "31972668"
        record.pmcid = "PMC1234567"
        record.isbn = ["978-3-16-148410-0", "0-306-40615-2"]
        record.issn = ["1040-2446", "1938-808X"]
        record.url = "https://example.org/a?b=c&d=e"
        record.abstract = "Purpose ≥ outcomes. H<sub>2</sub>O."
        record.description = "The library's own summary."
        record.keywords = ["Pathways, Admission, & Graduation", "rural health"]
        record.language = "en"
        record.note = "Export Date: 13 July 2022"
        record.domains = ["curriculum-programming", "community-engagement"]
        record.topics = ["health-equity-champions"]
        record.professions = ["medicine", "nursing"]
        record.openAccess = false
        record.extra = [
            "ris": ["M1": ["one", "two"], "DB": ["PubMed"]],
            "bibtex": ["owner": ["me"], "empty": []],
            "jats": [:],
        ]
        return record
    }

    static var minimal: Resource { Resource(id: nil, type: .document) }

    static var webpage: Resource {
        var record = Resource(id: "who-2010", type: .webpage)
        record.title = "Framework for action"
        record.authors = [.organization("World Health Organization")]
        record.issued = EDTFDate(parsing: "in press")
        record.accessed = EDTFDate(parsing: "2019-21")
        record.openAccess = true
        return record
    }

    static var all: [Resource] { [rich, minimal, webpage] }
}
