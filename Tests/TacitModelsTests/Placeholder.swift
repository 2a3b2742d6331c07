import Testing
@Test func placeholder_TacitModelsTests() {}
