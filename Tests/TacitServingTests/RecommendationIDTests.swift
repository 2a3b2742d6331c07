import Testing
import TacitCore
@testable import TacitServing

@Suite struct RecommendationIDTests {
    /// Returns the given words in turn.
    struct Words: RandomNumberGenerator {
        var words: [UInt64]
        mutating func next() -> UInt64 { words.removeFirst() }
    }

    @Test func isAVersion7UUIDWithTheMillisecondsFirst() {
        var generator = Words(words: [0xFFFF_FFFF_FFFF_FABC, 0xFFFF_FFFF_FFFF_FFFF])
        // 1_700_000_000_123 ms = 0x018B_CFE5_687B; 12 random bits 0xABC; variant 10 + 62 ones.
        #expect(RecommendationID.make(milliseconds: 1_700_000_000_123, using: &generator) == "018bcfe5-687b-7abc-bfff-ffffffffffff")
        var zeros = Words(words: [0, 0])
        #expect(RecommendationID.make(milliseconds: 0, using: &zeros) == "00000000-0000-7000-8000-000000000000")
    }

    @Test func idsOfLaterMillisecondsSortAfterEarlierOnes() {
        var generator = SeededGenerator(seed: 7)
        let ids = (0..<200).map { RecommendationID.make(milliseconds: 1_700_000_000_000 + UInt64($0), using: &generator) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 36 && Array($0)[14] == "7" && "89ab".contains(Array($0)[19]) })
        #expect(RecommendationID.make(secondsSince1970: 1_700_000_000.5) < RecommendationID.make(secondsSince1970: 1_700_000_000.6))
    }
}
