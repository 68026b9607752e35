import Testing

@Test func SMRLJATSPlaceholder() { #expect(Bool(true)) }
