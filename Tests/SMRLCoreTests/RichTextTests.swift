import SMRLCore
import Testing

@Suite("Rich text")
struct RichTextTests {
    @Test("Markup tags become tokens; everything else is text", arguments: [
        ("plain", [RichText.Token.text("plain")]),
        ("p < 0.05 and n<30, a <= b", [.text("p < 0.05 and n<30, a <= b")]),
        ("H<sub>2</sub>O", [.text("H"), .open(.subscript), .text("2"), .close(.subscript), .text("O")]),
        ("<i>Homo</i> <b>sapiens</b>", [.open(.italic), .text("Homo"), .close(.italic), .text(" "), .open(.bold), .text("sapiens"), .close(.bold)]),
        ("the <span class=\"nocase\">iPhone</span>", [.text("the "), .open(.noCase), .text("iPhone"), .close(.noCase)]),
        ("<sc>Who</sc> <sup>1</sup>", [.open(.smallCaps), .text("Who"), .close(.smallCaps), .text(" "), .open(.superscript), .text("1"), .close(.superscript)]),
        ("stray </i> and <strong>x</strong> and <br/>", [.text("stray </i> and <strong>x</strong> and <br/>")]),
        ("p<0.01 then <i>x</i>", [.text("p<0.01 then "), .open(.italic), .text("x"), .close(.italic)]),
        ("ends with <", [.text("ends with <")]),
        ("", []),
    ])
    func tokenize(_ value: String, _ expected: [RichText.Token]) {
        #expect(RichText.tokenize(value) == expected)
        #expect(RichText.render(RichText.tokenize(value)) == value)
        #expect(RichText.hasMarkup(value) == expected.contains { if case .text = $0 { false } else { true } })
    }

    @Test("A `<` before any byte that cannot start a tag leaves the value as one text")
    func lessThanBeforeEveryByte() {
        for byte in UInt8(0x20)...UInt8(0x7E) {
            let value = "a <" + String(UnicodeScalar(byte)) + "i>b</i> c"
            let tokens = RichText.tokenize(value)
            #expect(RichText.render(tokens) == value)
            let opensItalic = tokens.contains(.open(.italic))
            // Only "<<i>" (the second `<` opens) has markup; no other byte after `<` can.
            #expect(opensItalic == (byte == UInt8(ascii: "<")), "byte \(byte)")
            #expect(RichText.plainText(value) == (opensItalic ? "a <b c" : value))
        }
    }
}

@Suite("String.containsByte")
struct ContainsByteTests {
    @Test("the byte at every position of short and long texts, either side of where memchr takes over")
    func everyPosition() {
        for length in [0, 1, 2, 15, 16, 31, 32, 33, 63, 64, 65, 200] {
            let plain = String(repeating: "é", count: length / 2) + String(repeating: "a", count: length % 2)
            #expect(!plain.containsByte(0x0A), "\(length)")
            #expect(plain.containsByte(0xC3) == (length >= 2), "\(length)")
            for position in 0...length {
                var bytes = Array(String(repeating: "a", count: length).utf8)
                bytes.insert(0x0A, at: position)
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(text.containsByte(0x0A), "\(length) \(position)")
                #expect(!text.containsByte(0x3C), "\(length) \(position)")
                // A bridged or substring-made String takes the same answer.
                #expect(Substring(text).description.containsByte(0x0A))
            }
        }
    }
}
