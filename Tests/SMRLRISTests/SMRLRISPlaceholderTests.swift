import Testing

@Test func SMRLRISPlaceholder() { #expect(Bool(true)) }
