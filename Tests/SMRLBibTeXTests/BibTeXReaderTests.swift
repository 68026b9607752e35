import SMRLCore
import Testing
@testable import SMRLBibTeX

@Suite struct BibTeXReaderTests {
    @Test func fullGrammar() {
        let text = """
            % a comment line, and prose between entries with an e-mail: someone@example.org
            @STRING{jama = "JAMA"}
            @string(pub = {Pub} # " House")
            @preamble{ "\\newcommand{\\noop}[1]{}" }
            @Comment{jabref-meta: databaseType:bibtex;}
            @ARTICLE(paren,
              Title = "Quoted {\\"O}sterreich {"Inner quote"}",
              journal = jama,
              month = jun # "~15",
              YEAR = 2020,
              publisher = pub,
              note = {Nested {braces {deep}} here}
            )
            @book{bare, title={No final comma}, year={1999} }
            """
        let results = BibTeXTest.read(text)
        let records = results.compactMap(\.record)
        #expect(records.count == 2)
        let article = records[0]
        #expect(article.id == "paren")
        #expect(article.title == "Quoted Österreich <span class=\"nocase\">\"Inner quote\"</span>")
        #expect(article.containerTitle == "JAMA")
        #expect(article.issued == EDTFDate(year: 2020, month: 6, day: 15))
        #expect(article.publisher == "Pub House")
        #expect(article.note == "Nested braces deep here")
        #expect(records[1].title == "No final comma")
        #expect(BibTeXTest.codes(results).contains("bibtex.preamble-ignored"))
        #expect(!results.flatMap(\.diagnostics).contains { $0.severity == .error })
    }

    @Test func hardCase21MacrosAndConcatenation() {
        let record = BibTeXTest.record("""
            @string{jama = "JAMA"}
            @article{a, journal = jama, month = jun # "~15", year = 2020}
            """)
        #expect(record.containerTitle == "JAMA")
        #expect(record.issued?.description == "2020-06-15")
    }

    @Test func undefinedMacroIsEmptyAndReported() {
        let results = BibTeXTest.read("@string{ foo = \"bar\" }\n@misc{b, title = \"Foo\" # foo # baz}")
        #expect(results.compactMap(\.record).first?.title == "Foobar")
        #expect(BibTeXTest.codes(results) == ["bibtex.undefined-macro"])
    }

    @Test func brokenEntryIsReportedAndTheRestIsRead() throws {
        let text = """
            @article{good1, title = {One}}
            @article{bad, title = {Two} = oops}
            @article{good2, title = {Three}}
            @article{unbalanced, title = {Four
            @article{good3, title = {Five}}
            """
        let results = BibTeXTest.read(text, file: "x.bib")
        #expect(results.compactMap(\.record).map(\.id) == ["good1", "good2", "good3"])
        let failures = results.filter { $0.record == nil }
        #expect(failures.count == 2)
        let first = try #require(failures.first?.diagnostics.first)
        #expect(first.code == .bibtexSyntaxError)
        #expect(first.location == SourceLocation(file: "x.bib", line: 2, column: 29))
        #expect(first.recordID == "bad")
        let second = try #require(failures.last?.diagnostics.first)
        #expect(second.code == .bibtexUnbalancedBraces)
        #expect(second.location?.line == 4)
    }

    @Test func lenientForms() {
        let results = BibTeXTest.read("""
            @article{a, title = {One} author = {Smith, J.}}
            @book{b, title = "Title", year = 2021
            )
            @misc{c, title = {Unclosed},
            @misc{d, title = {After}}
            @misc{e,
              title = {Last},
            """)
        let records = results.compactMap(\.record)
        #expect(records.map(\.id) == ["a", "b", "c", "d", "e"])
        #expect(records[0].authors.first?.family == "Smith")
        #expect(BibTeXTest.codes(results) == [
            "bibtex.missing-comma", "bibtex.mismatched-delimiter", "bibtex.unterminated-entry",
            "bibtex.unterminated-entry",
        ])
    }

    @Test func commentedOutEntriesStayOut() {
        let records = BibTeXTest.records("""
            %@book{hidden,
            %  title = {Hidden}
            %}
            @comment this line is a comment @misc{no, title={No}}
            @misc{shown, title={Shown}}
            """)
        #expect(records.map(\.id) == ["shown"])
    }

    @Test func hardCase23Duplicates() throws {
        let results = BibTeXTest.read("""
            @article{smith2020, title = {First}, note = {one}, note = {two}}
            @article{Smith2020, title = {Second}}
            """, file: "d.bib")
        let records = results.compactMap(\.record)
        #expect(records.count == 2)
        #expect(records[0].note == "one")
        let duplicateField = try #require(results[0].diagnostics.first { $0.code == .bibtexDuplicateField })
        #expect(duplicateField.related == SourceLocation(file: "d.bib", line: 1, column: 38))
        #expect(duplicateField.message.contains("'two'"))
        let duplicateKey = try #require(results[1].diagnostics.first { $0.code == .bibtexDuplicateKey })
        #expect(duplicateKey.related?.line == 1)
        #expect(duplicateKey.location?.line == 2)
    }

    @Test func locationsCountUnicodeScalars() throws {
        let results = BibTeXTest.read("@misc{a, title = {Ünïcödé}, x = }", file: "u.bib")
        let diagnostic = try #require(results.first?.diagnostics.first)
        #expect(diagnostic.location == SourceLocation(file: "u.bib", line: 1, column: 33))
        let fields = BibTeXTest.read("@misc{a,\n  title = {é},\n  doi = {10.1/x}}").first?.fieldLocations
        #expect(fields?["title"]?.line == 2)
        #expect(fields?["doi"] == SourceLocation(file: "<memory>", line: 3, column: 3))
    }

    @Test func legacyEncodingIsDetected() {
        // "Müller" in Latin-1.
        var bytes = Array("@article{a, author = {M".utf8)
        bytes.append(0xFC)
        bytes += Array("ller, K.}, title = {x}}\n@article{b, title = {caf".utf8)
        bytes.append(0xE9)
        bytes += Array("}}".utf8)
        let results = BibTeXTest.read(bytes: bytes)
        #expect(results.compactMap(\.record).first?.authors.first?.family == "Müller")
        #expect(results.compactMap(\.record).last?.title == "café")
        #expect(BibTeXTest.codes(results) == ["input.legacy-encoding"])
    }

    @Test func byteOrderMarkIsRemoved() {
        let results = BibTeXTest.read(bytes: [0xEF, 0xBB, 0xBF] + Array("@misc{a, title={x}}".utf8))
        #expect(results.first?.record?.id == "a")
    }

    @Test func hardCase22CrossrefInheritance() {
        let records = BibTeXTest.records("""
            @incollection{c1, crossref = {b1}, title = {Chapter}, author = {Doe, Jane}, pages = {1--10}}
            @book{b1, title = {Handbook}, editor = {Roe, Richard}, publisher = {Pub}, year = 2001}
            """)
        #expect(records.map(\.id) == ["b1", "c1"])
        let chapter = records[1]
        #expect(chapter.title == "Chapter")
        #expect(chapter.containerTitle == "Handbook")
        #expect(chapter.editors == [Person(family: "Roe", given: "Richard")])
        #expect(chapter.publisher == "Pub")
        #expect(chapter.issued == EDTFDate(year: 2001))
        #expect(chapter.extra["bibtex"]?["crossref"] == ["b1"])
    }

    @Test func crossrefToAnEarlierContainerAndPeriodicals() {
        let records = BibTeXTest.records("""
            @proceedings{p, title = {Proceedings of X}, year = 2006, month = oct}
            @inproceedings{a, crossref = {p}, title = {Paper}}
            @periodical{j, title = {Journal of Things}}
            @article{b, crossref = {j}, title = {Article}}
            @mvbook{mv, title = {Collected Works}, author = {Kant, Immanuel}}
            @book{v, crossref = {mv}, title = {Volume One}}
            """)
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id ?? "", $0) })
        #expect(byID["a"]?.containerTitle == "Proceedings of X")
        #expect(byID["a"]?.issued?.description == "2006-10")
        #expect(byID["b"]?.containerTitle == "Journal of Things")
        #expect(byID["v"]?.title == "Volume One")
        #expect(byID["v"]?.authors.first?.family == "Kant")
    }

    @Test func xdataIsMergedAndNotReturned() {
        let records = BibTeXTest.records("""
            @xdata{pub, publisher = {Springer}, location = {Berlin}, owner = {me}}
            @book{a, xdata = {pub}, title = {A}}
            """)
        #expect(records.map(\.id) == ["a"])
        #expect(records[0].publisher == "Springer")
        #expect(records[0].publisherPlace == "Berlin")
        #expect(records[0].extra["bibtex"]?["owner"] == ["me"])
        #expect(records[0].extra["bibtex"]?["xdata"] == nil)
    }

    @Test func missingAndCyclicParentsAreReported() {
        let results = BibTeXTest.read("""
            @inbook{a, crossref = {nowhere}, title = {A}}
            @inbook{b, crossref = {c}, title = {B}}
            @inbook{c, crossref = {b}, title = {C}}
            @book{self, crossref = {self}, title = {S}}
            """)
        #expect(results.compactMap(\.record).count == 4)
        let codes = BibTeXTest.codes(results)
        #expect(codes.filter { $0 == "bibtex.crossref-missing" }.count == 1)
        #expect(codes.filter { $0 == "bibtex.crossref-cycle" }.count == 3)
    }

    @Test func crossrefKeepSettingStreamsEverything() {
        let records = BibTeXTest.records("""
            @inbook{c, crossref = {b}, title = {C}}
            @xdata{x, publisher = {P}}
            @book{b, title = {B}}
            """, settings: ["bibtex.crossref": "keep"])
        #expect(records.map(\.id) == ["c", "x", "b"])
        #expect(records[0].containerTitle == nil)
        #expect(records[1].extra["bibtex"]?["@type"] == ["xdata"])
    }

    @Test func recordsComeOneAtATime() throws {
        // A large input is read entry by entry: the scanner never holds more than its chunk and one entry.
        let entry = "@article{k%d, title = {A title of some length for entry %d}, year = 2001}\n"
        var text = ""
        for index in 0..<5000 { text += entry.replacingOccurrences(of: "%d", with: String(index)) }
        var reader = BibTeXReader(reader: ByteReader(text: text))
        var count = 0
        while let result = try reader.next() {
            #expect(result.record?.id == "k\(count)")
            count += 1
        }
        #expect(count == 5000)
    }

    @Test func limitsAreRespected() {
        var options = ReaderOptions()
        options.maxDepth = 8
        var reader = BibTeXReader(
            reader: ByteReader(text: "@misc{a, title = {" + String(repeating: "{", count: 20) + "}}\n@misc{b, title={ok}}"),
            options: options)
        var results: [ReadResult] = []
        while let result = try? reader.next() { results.append(result) }
        #expect(results.compactMap(\.record).map(\.id) == ["b"])
        #expect(BibTeXTest.codes(results).contains("input.nesting-too-deep"))
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
