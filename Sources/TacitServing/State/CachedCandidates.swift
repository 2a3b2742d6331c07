/// A personal candidate list as the cache keeps it: 12 bytes a candidate (item, score as a
/// float, anchor or -1) instead of ``Candidate``'s 24, so the same memory holds twice the users.
/// The scores are the models' own (floats), so nothing is lost.
struct CachedCandidates: Sendable {
    private struct Packed: Sendable {
        var item: Int32
        var score: Float
        var anchor: Int32
    }

    private let packed: [Packed]

    init(_ candidates: [Candidate]) {
        packed = candidates.map { Packed(item: $0.item, score: Float($0.score), anchor: $0.anchor ?? -1) }
    }

    /// The first `count` candidates, in order.
    func prefix(_ count: Int) -> [Candidate] {
        packed.prefix(count).map { Candidate(item: $0.item, score: Double($0.score), anchor: $0.anchor >= 0 ? $0.anchor : nil) }
    }
}
