import TacitCore

/// The blended candidates of one request: every item of the scene's sources once, with its
/// blended score and the source that contributed most (structure of arrays, keyed by slot).
///
/// Each source's list (best first, cut at the source's limit `L`) is normalised by rank: the
/// candidate at rank `r` (0-based) scores `1 − r/L`, so the first scores 1 and the last `1/L`.
/// Rank normalisation ignores the sources' score scales (a model's dot products, co-purchase
/// counts) and their outliers; only the order within a list matters, as ``Candidate`` says.
/// The blended score is `Σ weight · normalised` over the sources that list the item.
struct CandidatePool {
    /// The item of each slot.
    private(set) var items: [Int32] = []
    /// The blended score of each slot.
    private(set) var relevance: [Double] = []
    /// The source with the largest `weight · normalised` (the earlier source on ties).
    private(set) var source: [CandidateSourceKind] = []
    /// That source's anchor for the item.
    private(set) var anchor: [Int32?] = []
    /// That source's contribution.
    private var bestContribution: [Double] = []
    /// The last source (index in the scene) that listed the slot: a list's duplicates count once.
    private var lastSource: [Int32] = []
    /// The slot of each item.
    private(set) var slot: [Int32: Int32] = [:]

    /// Blends the scene's sources; items `rules` excludes outright never enter.
    init(sources: [SourceWeight], lists: [CandidateSourceKind: [Candidate]], count: Int, rules: AdmissionRules) {
        var capacity = 0
        for entry in sources { capacity += min(lists[entry.source]?.count ?? 0, entry.resolvedLimit(count: count)) }
        slot.reserveCapacity(capacity)
        items.reserveCapacity(capacity)
        relevance.reserveCapacity(capacity)
        source.reserveCapacity(capacity)
        anchor.reserveCapacity(capacity)
        bestContribution.reserveCapacity(capacity)
        lastSource.reserveCapacity(capacity)

        for (sourceIndex, entry) in sources.enumerated() {
            guard let list = lists[entry.source], !list.isEmpty else { continue }
            let length = min(list.count, entry.resolvedLimit(count: count))
            let scale = entry.weight / Double(length)
            for rank in 0..<length {
                let candidate = list[rank]
                if rules.isExcluded(candidate.item) { continue }
                let contribution = scale * Double(length - rank)  // weight · (1 − rank/length)
                if let existing = slot[candidate.item] {
                    let s = Int(existing)
                    if lastSource[s] == Int32(sourceIndex) { continue }
                    lastSource[s] = Int32(sourceIndex)
                    relevance[s] += contribution
                    if contribution > bestContribution[s] {
                        bestContribution[s] = contribution
                        source[s] = entry.source
                        anchor[s] = candidate.anchor
                    }
                } else {
                    slot[candidate.item] = Int32(items.count)
                    items.append(candidate.item)
                    relevance.append(contribution)
                    source.append(entry.source)
                    anchor.append(candidate.anchor)
                    bestContribution.append(contribution)
                    lastSource.append(Int32(sourceIndex))
                }
            }
        }
    }

    var count: Int { items.count }

    /// The slots by blended score, highest first; ties by lower item index.
    func order() -> [Int32] {
        var order = (0..<Int32(items.count)).map { $0 }
        relevance.withUnsafeBufferPointer { relevance in
            items.withUnsafeBufferPointer { items in
                order.sort { a, b in
                    let ra = relevance[Int(a)], rb = relevance[Int(b)]
                    return ra > rb || (ra == rb && items[Int(a)] < items[Int(b)])
                }
            }
        }
        return order
    }
}
