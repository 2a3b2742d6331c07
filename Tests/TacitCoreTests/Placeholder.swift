import Testing
@Test func placeholder_TacitCoreTests() {}
