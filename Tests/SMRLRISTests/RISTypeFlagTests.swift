import Foundation
import SMRLCore
import Testing

@testable import SMRLRIS

/// The type flags ``RISTypeInfo/isBookType`` and ``RISTypeInfo/isJournalType`` (found once per type instead of a
/// hash of the code per record): what the interpreter does with them, for every type code.
@Suite("RIS type flags: book titles and journal abbreviations by type")
struct RISTypeFlagTests {
    @Test("a type's flags are its membership of the book and journal lists")
    func flags() {
        for code in RISTypeInfo.all.map(\.code) + ["", "NOPE"] {
            let info = RISTypeInfo(code: code, type: .document, summary: "test", roles: [:])
            #expect(info.isBookType == ["BOOK", "EBOOK", "EDBOOK", "CLSWK", "SER", "CTLG"].contains(code), "\(code)")
            #expect(info.isJournalType == ["JOUR", "EJOUR", "ABST", "INPR", "JFULL", "MGZN", "NEWS", ""].contains(code), "\(code)")
        }
    }

    @Test("BT is a title for book types only; a lone JA is the container for journal types only")
    func readings() throws {
        for code in ["BOOK", "EBOOK", "EDBOOK", "CLSWK", "SER", "CTLG", "JOUR", "CHAP", "RPRT", "EJOUR", "MGZN", "NEWS", "GEN"] {
            let book = ["BOOK", "EBOOK", "EDBOOK", "CLSWK", "SER", "CTLG"].contains(code)
            let journal = ["JOUR", "EJOUR", "MGZN", "NEWS"].contains(code)
            let onlyBT = try RISTest.records("TY  - \(code)\nBT  - The Book Title\nPY  - 2020\nER  - \n")
            if book {
                #expect(onlyBT.first?.title == "The Book Title", "\(code)")
            } else {
                #expect(onlyBT.first?.title != "The Book Title", "\(code)")
            }
            let onlyJA = try RISTest.records("TY  - \(code)\nTI  - A title\nJA  - J Abbr\nER  - \n")
            if journal {
                #expect(onlyJA.first?.containerTitle == "J Abbr" && onlyJA.first?.containerTitleShort == nil, "\(code)")
            } else {
                #expect(onlyJA.first?.containerTitle == nil && onlyJA.first?.containerTitleShort == "J Abbr", "\(code)")
            }
        }
    }
}
