import Testing
@Test func placeholder_TacitCLITests() {}
