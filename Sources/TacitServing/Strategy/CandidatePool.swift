import TacitCore

/// The blended candidates of one request: every item of the scene's sources once, with its
/// blended score and the source that contributed most.
///
/// Each source's list (best first, cut at the source's limit `L`) is normalised by rank: the
/// candidate at rank `r` (0-based) scores `1 − r/L`, so the first scores 1 and the last `1/L`.
/// Rank normalisation ignores the sources' score scales (a model's dot products, co-purchase
/// counts) and their outliers; only the order within a list matters, as ``Candidate`` says.
/// The blended score is `Σ weight · normalised` over the sources that list the item.
struct CandidatePool {
    /// One blended item (a "slot").
    struct Entry {
        var item: Int32
        /// The last source (index in the scene) that listed the item: a list's duplicates
        /// count once.
        var lastSource: Int32
        /// The blended score.
        var relevance: Double
        /// The largest single `weight · normalised` term.
        var bestContribution: Double
        /// The anchor of the source with that term.
        var anchor: Int32?
        /// The source with that term (the earlier source in the scene on ties).
        var source: CandidateSourceKind
    }

    /// The blended items, in order of first appearance.
    private(set) var entries: [Entry]
    /// The slot (index in `entries`) of each item.
    let slot: ItemTable

    /// Blends the scene's sources; items `rules` excludes outright never enter.
    init(sources: [SourceWeight], lists: [CandidateSourceKind: [Candidate]], count: Int, rules: AdmissionRules) {
        var inputs: [(list: [Candidate], length: Int, weight: Double, source: CandidateSourceKind)] = []
        inputs.reserveCapacity(sources.count)
        var capacity = 0
        for entry in sources {
            // A scene built in code may skip `validate()`: a weight that is not > 0 and finite
            // counts as an absent source, a limit below 1 as an empty list.
            guard let list = lists[entry.source], !list.isEmpty, entry.weight > 0, entry.weight.isFinite else {
                inputs.append(([], 0, 0, entry.source))
                continue
            }
            let length = max(0, min(list.count, entry.resolvedLimit(count: count)))
            inputs.append((list, length, entry.weight, entry.source))
            capacity += length
        }
        let slot = ItemTable(capacity: capacity)
        entries = Array(unsafeUninitializedCapacity: capacity) { buffer, initialized in
            var filled = 0
            for (sourceIndex, input) in inputs.enumerated() where input.length > 0 {
                let scale = input.weight / Double(input.length)
                let source = Int32(sourceIndex)
                input.list.withUnsafeBufferPointer { list in
                    for rank in 0..<input.length {
                        let candidate = list[rank]
                        if rules.isExcluded(candidate.item) { continue }
                        let contribution = scale * Double(input.length - rank)  // weight · (1 − rank/length)
                        if let existing = slot[candidate.item] {
                            let s = Int(existing)
                            if buffer[s].lastSource == source { continue }
                            buffer[s].lastSource = source
                            buffer[s].relevance += contribution
                            if contribution > buffer[s].bestContribution {
                                buffer[s].bestContribution = contribution
                                buffer[s].source = input.source
                                buffer[s].anchor = candidate.anchor
                            }
                        } else {
                            (buffer.baseAddress! + filled).initialize(to: Entry(
                                item: candidate.item, lastSource: source, relevance: contribution,
                                bestContribution: contribution, anchor: candidate.anchor, source: input.source))
                            slot.set(candidate.item, Int32(filled))
                            filled += 1
                        }
                    }
                }
            }
            initialized = filled
        }
        self.slot = slot
    }

    var count: Int { entries.count }

    /// The ranking stage: each entry's relevance becomes `1 − r/N` by its rank `r` (0-based)
    /// under `scores` (one per entry, higher first; ties by the blended order); entries scored
    /// NaN (the ranker cannot score them) follow the scored ones in the blended order.
    mutating func rerank(by scores: [Float]) {
        guard scores.count == entries.count, !entries.isEmpty else { return }
        let blended = order()
        var position = [Int](repeating: 0, count: entries.count)
        for (k, s) in blended.enumerated() { position[Int(s)] = k }
        let ranked = entries.indices.sorted { a, b in
            let (x, y) = (scores[a], scores[b])
            if x.isNaN != y.isNaN { return !x.isNaN }
            if !x.isNaN, x != y { return x > y }
            return position[a] < position[b]
        }
        let n = Double(entries.count)
        for (r, s) in ranked.enumerated() { entries[s].relevance = 1 - Double(r) / n }
    }

    /// The slots by blended score, highest first; ties by lower item index.
    func order() -> [Int32] {
        var order = (0..<Int32(entries.count)).map { $0 }
        entries.withUnsafeBufferPointer { entries in
            order.sort { a, b in
                let ea = entries[Int(a)], eb = entries[Int(b)]
                return ea.relevance > eb.relevance || (ea.relevance == eb.relevance && ea.item < eb.item)
            }
        }
        return order
    }
}
