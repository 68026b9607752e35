import Foundation
import SMRLCore
import SMRLTestSupport
import Testing
@testable import SMRLBibTeX

/// Session 16: a name of plain ASCII words (letters, digits, `.`, `-`, `'`, spaces, at most two commas, groups of
/// an accented or special letter) is split in one pass over its bytes (``BibTeXNames/parsePlainName(_:_:)``); every
/// other name goes to the general parser. Whenever the pass takes a name, it gives what the reference parser gives
/// (``BibTeXNames/parseSlowly(_:)``), and whole lists read as the reference reads them.
@Suite struct BibTeXNamesTests16 {
    /// Checks every name of a list: a name the pass takes is the reference's person for it, and the list parses
    /// as the reference parses it. Returns how many names the pass took.
    @discardableResult
    static func check(_ value: String) -> Int {
        let fast = BibTeXNames.parse(value)
        let slow = BibTeXNames.parseSlowly(value)
        #expect(fast.people == slow.people && fast.others == slow.others && fast.problems == slow.problems,
            "\(value.debugDescription)")
        let bytes = Array(value.utf8)
        var taken = 0
        bytes.withUnsafeBufferPointer { buffer in
            for name in BibTeXNames.splitNames(bytes) {
                guard let person = BibTeXNames.parsePlainName(buffer, name.startIndex..<name.endIndex) else { continue }
                taken += 1
                let text = String(decoding: name, as: UTF8.self)
                // `others` alone is a marker only at the end of a list: between two names it is a person.
                let reference = BibTeXNames.parseSlowly("X and " + text + " and Y")
                #expect(reference.problems.isEmpty && reference.people.count == 3, "\(text.debugDescription)")
                #expect(reference.people.count == 3 && reference.people[1] == person,
                    "\(text.debugDescription): \(person)")
            }
        }
        return taken
    }

    static func taken(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return bytes.withUnsafeBufferPointer { BibTeXNames.parsePlainName($0, 0..<bytes.count) != nil }
    }

    /// Names the pass must take.
    static let plain = [
        "Smith", "Smith, John", "John Smith", "John von Smith", "von Smith, John", "van der Berg, Anna Maria",
        "Ludwig van Beethoven", "de la Fontaine, Jean", "Smith, Jr., John", "von Smith, Jr, John", "Smith, Jr.,",
        "O'Connor, Patricia", "Smith-Jones, Mary", "Hoffmann, A. B.", "A. B. Hoffmann", "Zhang, J.",
        "d'Alembert, Jean", "Jean d'Alembert", "'t Hooft, Gerard", "Gerard 't Hooft", "J. R. R. Tolkien",
        "Smith,John", "Smith ,John", "Smith , John", "Smith,  John  Paul", "John  Paul   Smith", "von  der  Berg, A",
        ", John", "Smith,", "jean de la fontaine", "Jean de la Fontaine", "van", "van Smith", "1st Last",
        "Ann 2nd", "3M", "Smith, 3rd, John", "Others", "others", "OTHERS", "andrew Anderson", "Anderson, Andy",
        "A-b c-D", "-x y-", "Mc'Donald", "a.b.c", "x", "X, Y, Z",
        // Groups of an accented or special letter.
        "M{\\\"u}ller, Anna", "{\\v{S}}imi{\\'c}, Anna", "Garc{\\'{\\i}}a M{\\'a}rquez, Fran{\\c{c}}ois",
        "{\\'E}mile Zola", "{\\'e}mile zola", "von {\\'S}wi{\\k{a}}tek, Jr, Jean-Luc", "{\\L}ukasiewicz, Zo{\\\"e}",
        "{\\AA}se Iwu", "{\\o} {\\ss}", "d'{\\'E}tienne, Ren{\\'e}e", "{\\O}degaard, A.", "Nguy{\\~{\\^e}}n, H.",
        "{\\'}x Y", "{\\'}, A", "{\\relax}, A", "A {\\relax} b", "{\\aa}{\\AA} B", "1{\\'E} f", "{\\DJ}or{\\dj}evi{\\'c}, H",
        "{\\.I}lker Johnson", "{\\AA}", "de {\\'a} la B", "{\\'{\\i}}, {\\L}", "X {\\textbf}",
    ]

    /// Names the pass must leave to the general parser.
    static let declined = [
        "{World Health Organization}", "Zoë Smith", "M\u{00FC}ller, A", "Smith, A, B, C",
        "Smith, A,, B", "Smith--Jones", "O''Connor", "Smith~John", "family=Smith, given=John", "Smith\tJohn",
        "Smith\nJohn", "\\L ukasz", "Smith, {John}", "$x$", "`a", ",", ", ,", ",,", "Smith; John",
        "Smith (ed.)", "Smith & Sons", "A\u{00A0}B", "{\\c c}ois", "M{\\=a}ori", "{\\{}x", "{\\'e", "{\\'e}}x", "{\\",
        "{\\'{\\'{\\'{\\'e}}}}", "{\\'\u{00E9}}", "{\\'e,}", "x{\\'e} {y}", "{\\ }", "{\\'e}~x",
    ]

    @Test func handMadeNames() {
        for name in Self.plain {
            #expect(Self.taken(name), "not taken: \(name.debugDescription)")
            Self.check(name)
            Self.check("First Author and " + name)
            Self.check(name + " and Last, Author")
            Self.check(name + " and others")
        }
        for name in Self.declined {
            #expect(!Self.taken(name), "taken: \(name.debugDescription)")
            Self.check(name)
            Self.check("Smith, John and " + name + " and others")
        }
        // A sample of the answers themselves, written out.
        let value = "van der Berg, Jr., Anna  Maria and Ludwig van Beethoven and O'Connor, P. and others"
        let parsed = BibTeXNames.parse(value)
        #expect(parsed.people == [
            Person(family: "Berg", given: "Anna Maria", particle: "van der", suffix: "Jr."),
            Person(family: "Beethoven", given: "Ludwig", particle: "van"),
            Person(family: "O'Connor", given: "P."),
        ])
        #expect(parsed.others && parsed.problems.isEmpty)
        // (Four: the pass would read `others` too, but the list takes it as the marker before asking it.)
        #expect(Self.check(value) == 4)
    }

    /// Lists mixing plain names with the hard cases: `and` inside braces, commas inside braces, `others` in the
    /// middle and at the end, `AND` in capitals, empty names, too many commas, non-ASCII and LaTeX.
    @Test func handMadeLists() {
        let values = [
            "{Barnes and Noble, Inc.} and Smith, John", "Smith, John AND Doe, Jane", "Smith, John and others",
            "others and Smith, John", "Smith and and Doe", "and Smith and", "Smith, A, B, C and Doe, J",
            "Smith, {A, B} and Doe, J", "Garc{\\'{\\i}}a M{\\'a}rquez, Fran{\\c{c}}ois and Chen, Ingrid",
            "Chen, Ingrid and Zoë Smith and others", "Smith,  and Doe", ", and Doe, J", "Smith, J. and {\\relax Ch}en, L.",
            "von Smith, Jr., John and John von Smith and others and others", "Smith\tJohn and Doe\nJane",
            "Smith~John and Doe, J", "Doe, J and family=Smith, given=John", "Smith-Jones, Mary and O'Connor, P",
        ]
        for value in values { Self.check(value) }
    }

    /// Random lists from the pieces names are made of: whatever the pass takes is the reference's, and the lists
    /// read as the reference reads them.
    @Test func randomLists() {
        let pieces = ["Smith", "john", "von", "van der", "de", "Jr.", "A.", "O'Neil", "Smith-Jones", " ", "  ", ",", ", ",
            " and ", " AND ", "others", "{Barnes and Noble}", "{A, B}", "M{\\\"u}ller", "Zoë", "--", "''", "-", "'", "~",
            "\t", "=", "1", ".", "{", "}", "\\", "and", "{\\'e}", "{\\'E}", "{\\L}", "{\\aa}", "{\\v{s}}", "{\\relax}",
            "{\\'}", "{\\'{\\i}}", "{\\~{\\^e}}", "{\\c c}"]
        var takenCount = 0
        for text in BibTeXTest.randomTexts(pieces, maxPieces: 8, seed: "BibTeXNamesTests16.randomLists") {
            takenCount += Self.check(text)
        }
        #expect(takenCount > 1000)
    }

    /// Every name of every corpus value: a name the pass takes is the reference's, and many are taken.
    @Test(.enabled(if: TestCorpus.isAvailable, Comment(rawValue: TestCorpus.skipMessage)))
    func corpusNames() throws {
        var takenCount = 0
        for bytes in try BibTeXTest.corpusValueParts() {
            takenCount += Self.check(TextDecoding.decode(bytes).text)
        }
        #expect(takenCount > 1000)
    }
}
