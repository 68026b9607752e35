import SMRLCore
@testable import SMRLJATS
import SMRLTestSupport
import SMRLXML
import Testing

/// Session 11: cheaper mapping of JATS references. Each fast path against its reference.
@Suite("JATS mapping fast paths (session 11)")
struct JATSMappingFastPathTests11 {
    @Test func isoDateMatchesTheReference() {
        var texts: [String] = [
            "", " ", "2019", "2019-05", "2019-5", "2019-05-04", "2019-5-4", "2019-05-04T10:00", " 2019-05-04 ", "2019-13",
            "2019-00", "2019-21", "2019-24", "2019-25", "2019-21-05", "2019-12-31", "2019-12-32", "2019-12-00", "0000",
            "20190", "201", "2019-", "2019--05", "-2019", "2019-05-", "2019-05-04-01", "2019-005", "2019-05-004",
            "２０１９", "2019-０５", "2019/2020", "2019~", "2019-05?", "99999999999999999999999", "2019-99999999999999999999",
            "2019 05", "2019-05-04Z", "1-2-3", "abcd",
        ]
        // Every shape of up to three parts of zero to five digits, with telling values.
        let values = ["", "0", "1", "9", "00", "01", "12", "13", "20", "21", "24", "25", "31", "32", "001", "2019", "12345"]
        for year in ["0000", "2019", "999", "12345", ""] {
            texts.append(year)
            for month in values {
                texts.append(year + "-" + month)
                for day in values { texts.append(year + "-" + month + "-" + day) }
            }
        }
        for text in texts {
            #expect(JATSDates.isoDate(text) == JATSDates.isoDateSlowly(text), "\(text)")
        }
    }

    @Test func splitAtSpacesMatchesSplit() {
        let texts = [
            "", " ", "  ", "authors 2 0000-0002-1825-0097", " authors  2 0000-0002-1825-0097 ", "editors\t1 x",
            "a\r\nb c", "é 2 x", "e\u{301} 2 x", " \u{301}a b", "authors 2 0000-0002-1825-0097\u{301}",
        ]
        for text in texts {
            #expect(JATSExtension.splitAtSpaces(text) == text.split(separator: " "), "\(text.debugDescription)")
        }
    }

    /// The switch `map(citation:id:)` had on the element's name, comparing Strings: the reference for
    /// ``JATSReferenceMapping/citationPart(_:)``.
    static func citationPartSlowly(_ name: String) -> JATSReferenceMapping.CitationPart {
        switch name {
        case "person-group": return .personGroup
        case "name", "string-name", "collab", "name-alternatives", "collab-alternatives", "anonymous": return .person
        case "etal": return .etal
        case "article-title": return .articleTitle
        case "chapter-title": return .chapterTitle
        case "data-title": return .dataTitle
        case "source": return .source
        case "part-title": return .partTitle
        case "trans-title", "trans-source": return .translated
        case "volume": return .volume
        case "issue": return .issue
        case "edition": return .edition
        case "series": return .series
        case "elocation-id": return .elocationID
        case "publisher-name": return .publisherName
        case "publisher-loc": return .publisherLoc
        case "institution", "institution-wrap": return .institution
        case "conf-name": return .confName
        case "conf-loc", "conf-date", "conf-sponsor", "conf-acronym", "version", "size", "patent", "std",
            "issue-title", "supplement", "gov", "role", "email", "issn-l", "volume-series", "issue-part", "object-id":
            return .extraText
        case "pub-id": return .pubID
        case "isbn": return .isbn
        case "issn": return .issn
        case "ext-link", "uri": return .link
        case "comment": return .comment
        case "annotation": return .annotation
        case "date-in-citation": return .dateInCitation
        case "date": return .date
        case "string-date": return .stringDate
        case "fpage", "lpage", "page-range", "year", "month", "day", "season", "label": return .ignored
        default: return .other
        }
    }

    @Test func citationPartMatchesTheSwitchOnStrings() throws {
        var names = JATSReferenceMapping.citationParts.map(\.0)
        for name in names {
            names += [name.uppercased(), name + " ", " " + name, name + "\u{301}", String(name.dropLast()), name + "s",
                name.replacingOccurrences(of: "-", with: "\u{2010}")]
        }
        names += ["", "italic", "bold", "x", "K", "\u{212A}", "pub-id\u{0}", "ext-link\u{200B}", "sourcé", "source\u{0301}"]
        if TestCorpus.isAvailable {
            // Every element name of the corpus.
            for file in JATSTest.articleFiles {
                let reader = XMLStreamReader(try ByteReader(path: TestCorpus.url(file).path))
                while let tag = reader.nextStartTag() { names.append(tag.name) }
            }
        }
        for name in Set(names) {
            #expect(JATSReferenceMapping.citationPart(name) == Self.citationPartSlowly(name), "\(name.debugDescription)")
        }
    }

    /// The white space `map(citation:id:)` leaves out of the direct text is what `trimmingSpaces` removes.
    @Test func asciiWhiteSpaceIsUnicodeWhiteSpace() {
        for byte in UInt8(0)..<0x80 {
            #expect(JATSReferenceMapping.isASCIIWhiteSpace(byte) == Unicode.Scalar(byte).properties.isWhitespace, "\(byte)")
        }
    }
}
