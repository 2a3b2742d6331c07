import Testing
@Test func placeholder_TacitEvaluationTests() {}
