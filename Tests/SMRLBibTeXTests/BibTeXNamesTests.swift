import SMRLCore
import Testing
@testable import SMRLBibTeX

@Suite struct BibTeXNamesTests {
    @Test func hardCase17() {
        let parsed = BibTeXNames.parse(
            "van Beethoven, Ludwig and Ford, Jr., Henry and {World Health Organization} and {Barnes and Noble, Inc.} and Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin")
        #expect(parsed.people == [
            Person(family: "Beethoven", given: "Ludwig", particle: "van"),
            Person(family: "Ford", given: "Henry", suffix: "Jr."),
            Person(literal: "World Health Organization"),
            Person(literal: "Barnes and Noble, Inc."),
            Person(family: "Vallée Poussin", given: "Charles Louis Xavier Joseph", particle: "de la"),
        ])
        #expect(!parsed.others)
    }

    @Test func theThreeForms() {
        #expect(BibTeXNames.parse("Donald E. Knuth").people == [Person(family: "Knuth", given: "Donald E.")])
        #expect(BibTeXNames.parse("Knuth, Donald E.").people == [Person(family: "Knuth", given: "Donald E.")])
        #expect(BibTeXNames.parse("Ludwig van Beethoven").people
            == [Person(family: "Beethoven", given: "Ludwig", particle: "van")])
        #expect(BibTeXNames.parse("von Last, Jr, First").people
            == [Person(family: "Last", given: "First", particle: "von", suffix: "Jr")])
        #expect(BibTeXNames.parse("Aristotle").people == [Person(family: "Aristotle")])
        // A capitalised particle is part of the family name by the BibTeX rules.
        #expect(BibTeXNames.parse("Van Beethoven, Ludwig").people == [Person(family: "Van Beethoven", given: "Ludwig")])
        // In the comma form, everything up to the last lowercase word is von.
        #expect(BibTeXNames.parse("De la Fontaine, Jean").people == [Person(family: "Fontaine", given: "Jean", particle: "De la")])
    }

    @Test func bracesAndAccentsDecideCase() {
        #expect(BibTeXNames.parse("Hermann {von Helmholtz}").people
            == [Person(family: "von Helmholtz", given: "Hermann")])
        #expect(BibTeXNames.parse("Anna {Le Roux}").people == [Person(family: "Le Roux", given: "Anna")])
        #expect(BibTeXNames.parse("{\\'E}mile Zola").people == [Person(family: "Zola", given: "Émile")])
        #expect(BibTeXNames.parse("Jean {\\'e}t{\\'e} Dupont").people
            == [Person(family: "Dupont", given: "Jean", particle: "été")])
        #expect(BibTeXNames.parse("P{\\'\\i}a Garc{\\'\\i}a").people == [Person(family: "García", given: "Pía")])
        #expect(BibTeXNames.parse("M{\\\"u}ller, J{\\\"o}rg").people == [Person(family: "Müller", given: "Jörg")])
        #expect(BibTeXNames.parse("\\H{O}d\\H{o}n, P\\'eter").people == [Person(family: "Ődőn", given: "Péter")])
    }

    @Test func listsAndOthers() {
        let parsed = BibTeXNames.parse("Smith, John AND Jones, Mary and others")
        #expect(parsed.people.count == 2)
        #expect(parsed.others)
        let newline = BibTeXNames.parse("Michael D. Ekstrand and\n  John T. Riedl")
        #expect(newline.people == [Person(family: "Ekstrand", given: "Michael D."), Person(family: "Riedl", given: "John T.")])
        // "and" inside a word or inside braces does not split.
        #expect(BibTeXNames.parse("Anderson, Sandra").people == [Person(family: "Anderson", given: "Sandra")])
        #expect(BibTeXNames.parse("{a and b} and c").people == [Person(literal: "a and b"), Person(family: "c")])
    }

    @Test func extendedBiblatexForm() {
        #expect(BibTeXNames.parse("family=Beethoven, given=Ludwig, prefix=van, useprefix=true").people
            == [Person(family: "Beethoven", given: "Ludwig", particle: "van")])
        #expect(BibTeXNames.parse("given={Jean Pierre}, family={Dupont}, suffix=Jr.").people
            == [Person(family: "Dupont", given: "Jean Pierre", suffix: "Jr.")])
        #expect(BibTeXNames.parse("given=A, family=B, given=C").people == [Person(family: "B", given: "C")])
    }

    @Test func problemsAreReported() {
        let parsed = BibTeXNames.parse("A and ,")
        #expect(parsed.people == [Person(family: "A")])
        #expect(parsed.problems == ["empty name"])
        let commas = BibTeXNames.parse("Deux et al.,, O., x")
        #expect(commas.problems.contains { $0.contains("too many commas") })
    }
}
