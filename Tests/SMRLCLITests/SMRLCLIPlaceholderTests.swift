import Testing

@Test func SMRLCLIPlaceholder() { #expect(Bool(true)) }
