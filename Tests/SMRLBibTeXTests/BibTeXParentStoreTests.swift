import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// The BibTeX reader keeps crossref/xdata parents and the keys it has seen on disk past a threshold
/// (`BibTeXParentStore`, `DigestMap`), so that files with many container entries read in flat memory. Reading
/// with everything spilled must give exactly what reading in memory gives.
@Suite struct BibTeXParentStoreTests {
    /// Proceedings and books, children pointing at earlier and later parents, xdata, keys repeated in another case.
    static func generatedFile(parents count: Int) -> String {
        var text = "@string{pub = {Social Mission Press}}\n@xdata{shared, publisher = pub, location = {Washington, DC}}\n"
        for index in 0..<count {
            text += "@proceedings{P\(index), title = {Proceedings of Meeting \(index)}, year = {\(2000 + index % 25)}, xdata = {shared}}\n"
            text += "@book{b\(index), title = {Book \(index) on {Health} Equity}, author = {Ruiz, Ana and Doe, J.}}\n"
            if index >= 3 {
                let parent = (index * 7) % index
                text += "@inproceedings{c\(index), crossref = {p\(parent)}, title = {Paper \(index)}, pages = {1--\(index)}}\n"
                text += "@incollection{i\(index), crossref = {B\(parent)}, title = {Chapter \(index)}}\n"
            }
            if index % 50 == 0 {
                // A child before its parent (BibTeX's own order), and a key used twice.
                text += "@inproceedings{late\(index), crossref = {later\(index)}, title = {Early child}}\n"
                text += "@proceedings{later\(index), title = {Later parent \(index)}}\n"
                text += "@misc{C\(max(index, 3)), title = {Same key, other case}}\n"
            }
        }
        return text
    }

    static func summary(_ results: [ReadResult]) -> [String] {
        results.map { result in
            let record = result.record.map {
                "\($0.id ?? "-")|\($0.title ?? "-")|\($0.containerTitle ?? "-")|\($0.publisher ?? "-")|\($0.publisherPlace ?? "-")|\($0.authors.count)"
            } ?? "no record"
            let diagnostics = result.diagnostics.map { "\($0.code.rawValue)@\($0.location?.line ?? 0):\($0.related?.line ?? 0)" }
            return record + " " + diagnostics.joined(separator: ",")
        }
    }

    @Test func spilledParentsAndKeysReadLikeMemory() throws {
        let bytes = Array(Self.generatedFile(parents: 1_500).utf8)
        let inMemory = BibTeXTest.read(bytes: bytes, spillThreshold: 1 << 30)
        let spilled = BibTeXTest.read(bytes: bytes, spillThreshold: 64)
        #expect(Self.summary(spilled) == Self.summary(inMemory))
        #expect(spilled.compactMap(\.record) == inMemory.compactMap(\.record))

        // And it is what the file says: every child inherits from its own parent.
        let records = Dictionary(spilled.compactMap(\.record).map { ($0.id ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for index in 3..<1_500 {
            let parent = (index * 7) % index
            #expect(records["c\(index)"]?.containerTitle == "Proceedings of Meeting \(parent)", "c\(index)")
            #expect(records["c\(index)"]?.publisher == "Social Mission Press", "c\(index)")
            #expect(records["i\(index)"]?.containerTitle == "Book \(parent) on <span class=\"nocase\">Health</span> Equity", "i\(index)")
        }
        #expect(records["late100"]?.containerTitle == "Later parent 100")
        let duplicateKeys = spilled.flatMap(\.diagnostics).filter { $0.code == .bibtexDuplicateKey }
        #expect(duplicateKeys.count == 30)

        // The parents did go to disk.
        var reader = BibTeXReader(
            reader: ByteReader(bytes: bytes, fileName: "gen.bib"), options: ReaderOptions(), spillThreshold: 64)
        while try reader.next() != nil {}
        #expect(reader.keptParentsAreSpilled)
    }

    /// Citation keys stay unique when the keys used have gone to disk: 150,000 records whose ids repeat (each
    /// id twice, in another case the second time) get 150,000 different keys.
    @Test func citationKeysStayUniqueAtScale() {
        var keys = CitationKeys()
        var seen = Set<String>()
        for index in 0..<150_000 {
            let id = index < 75_000 ? "Key\(index)" : "key\(index - 75_000)"
            let key = keys.key(for: Resource(id: id), generate: false).key
            #expect(seen.insert(key.lowercased()).inserted, "\(key)")
            if index >= 75_000 { #expect(key == id + "a") }
        }
    }

    /// Every corpus .bib, read with parents and keys spilled at 64 bytes and in memory: the same results.
    @Test(
        .enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)),
        arguments: BibTeXCorpusTests.files)
    func corpusFilesReadTheSameSpilled(url: URL) throws {
        let bytes = try Array(Data(contentsOf: url))
        let name = url.lastPathComponent
        let inMemory = BibTeXTest.read(bytes: bytes, file: name, spillThreshold: 1 << 30)
        let spilled = BibTeXTest.read(bytes: bytes, file: name, spillThreshold: 64)
        #expect(spilled.compactMap(\.record) == inMemory.compactMap(\.record), "\(name)")
        #expect(spilled.map(\.diagnostics) == inMemory.map(\.diagnostics), "\(name)")
    }
}
