import Testing

@Test func SMRLBibTeXPlaceholder() { #expect(Bool(true)) }
