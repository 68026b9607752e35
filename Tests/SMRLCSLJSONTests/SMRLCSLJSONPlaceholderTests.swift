import Testing

@Test func SMRLCSLJSONPlaceholder() { #expect(Bool(true)) }
