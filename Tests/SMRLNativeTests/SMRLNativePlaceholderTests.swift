import Testing

@Test func SMRLNativePlaceholder() { #expect(Bool(true)) }
