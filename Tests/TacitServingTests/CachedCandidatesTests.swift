import Testing
@testable import TacitServing

/// The personal cache's packed lists give back exactly the candidates stored (the models' scores
/// are floats), anchors and their absence included, and any prefix of them.
@Suite struct CachedCandidatesTests {
    @Test func packedListsGiveBackWhatWasStored() {
        let candidates = [Candidate(item: 7, score: Double(Float(3.25)), anchor: 2), Candidate(item: 0, score: Double(Float(-0.1))),
                          Candidate(item: 123_456, score: 0, anchor: 0), Candidate(item: 9, score: Double(Float.leastNonzeroMagnitude))]
        let cached = CachedCandidates(candidates)
        #expect(cached.prefix(10) == candidates)
        #expect(cached.prefix(2) == Array(candidates.prefix(2)))
        #expect(cached.prefix(0).isEmpty && CachedCandidates([]).prefix(5).isEmpty)
    }
}
