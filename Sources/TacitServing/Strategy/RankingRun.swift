import TacitCore

/// The selection state of one ``SceneRanker`` request: which pool slots pass the filters,
/// which were picked, the category counts for the cap, the MMR similarities so far, and the
/// backfilled items.
///
/// Items are checked lazily, in relevance order, so a request fetches the records of only the
/// candidates it looks at.
struct RankingRun {
    private enum State: UInt8 { case unchecked, admissible, rejected, selected }

    /// One backfilled item.
    struct Backfill {
        var item: Int32
        var source: CandidateSourceKind
        var anchor: Int32?
    }

    let pool: CandidatePool
    private let catalog: any CatalogView
    private let rules: AdmissionRules
    private let target: Int
    private let lambda: Double
    private let cap: Int?
    private let needsRecord: Bool
    private let needsCategory: Bool

    private let order: [Int32]
    private var firstOpen = 0
    private var state: [State]
    /// The category id of each checked slot (-1: none), dense within this run.
    private var category: [Int32]
    /// The run's dense id of each catalog category id seen so far.
    private let categoryIDs = ItemTable(capacity: 16)
    private var perCategory: [Int] = []
    /// For MMR: the largest similarity of each slot to the picked slots, and how many of the
    /// picked slots it covers.
    private var maxSimilarity: [Double]
    private var similarityCovers: [Int32]

    /// The picked pool slots, in order.
    private(set) var picked: [Int32] = []
    /// The backfilled items, in order.
    private(set) var backfilled: [Backfill] = []
    /// Items in the response so far.
    private let taken: ItemTable
    /// Items outside the pool seen in fallback lists: their category id, or -2 if rejected.
    private let outsideVerdict = ItemTable(capacity: 16)
    /// Fallback candidates that passed the filters but not the category cap, in order.
    private var deferred: [(Backfill, Int32)] = []

    init(pool: CandidatePool, catalog: any CatalogView, rules: AdmissionRules, diversity: SceneConfig.Diversity, target: Int) {
        self.pool = pool
        self.catalog = catalog
        self.rules = rules
        self.target = target
        lambda = min(max(diversity.mmrLambda ?? 1, 0), 1)  // clamped for scenes that skip validate()
        cap = diversity.maxPerCategory.map { max($0, 1) }
        needsRecord = rules.needsRecord
        needsCategory = diversity.maxPerCategory != nil || lambda < 1
        order = pool.order()
        state = Array(repeating: .unchecked, count: pool.count)
        category = Array(repeating: -1, count: needsCategory ? pool.count : 0)
        maxSimilarity = Array(repeating: 0, count: lambda < 1 ? pool.count : 0)
        similarityCovers = Array(repeating: 0, count: lambda < 1 ? pool.count : 0)
        taken = ItemTable(capacity: target)
    }

    var isFull: Bool { filled >= target }

    /// Items in the response so far (`picked.count + backfilled.count`).
    private var filled = 0

    // MARK: - Blended items

    /// Picks pool slots until the response is full or no admissible slot is left: greedily by
    /// MMR (`λ·rel − (1−λ)·max sim to the picked slots`, rel scaled so the best is 1), or by
    /// relevance without MMR; with `capped`, skipping categories at their cap.
    ///
    /// The search for each pick stops at the first slot whose bound `λ·rel` cannot beat the
    /// best score so far (similarities are clamped to [0, 1], so the penalty is never
    /// negative): without MMR a pick costs one step, with MMR only the top of the pool is
    /// compared.
    mutating func pickBlended(capped: Bool, similarity: (Int32, Int32) -> Double?) {
        guard let top = order.first else { return }
        let scale = 1 / pool.entries[Int(top)].relevance
        while filled < target {
            var best = -1
            var bestScore = -Double.infinity
            var position = firstOpen
            while position < order.count {
                let s = Int(order[position])
                position += 1
                if state[s] == .selected || state[s] == .rejected {
                    if position - 1 == firstOpen { firstOpen = position }
                    continue
                }
                let relevance = pool.entries[s].relevance * scale
                if best >= 0, lambda * relevance <= bestScore { break }
                if state[s] == .unchecked, !check(slot: s) { continue }
                if capped, Self.isCapped(needsCategory ? category[s] : -1, cap: cap, counts: perCategory) { continue }
                var score = lambda * relevance
                if lambda < 1 { score -= (1 - lambda) * updateSimilarity(slot: s, similarity) }
                if score > bestScore {
                    best = s
                    bestScore = score
                }
            }
            guard best >= 0 else { return }
            state[best] = .selected
            picked.append(Int32(best))
            filled += 1
            taken.insert(pool.entries[best].item)
            if needsCategory { count(category[best]) }
        }
    }

    /// Looks up the record of a pool slot once: filters, and the category id when needed.
    private mutating func check(slot s: Int) -> Bool {
        let verdict = verdict(for: pool.entries[s].item)
        if verdict == -2 {
            state[s] = .rejected
            return false
        }
        state[s] = .admissible
        if needsCategory { category[s] = verdict }
        return true
    }

    /// -2 when `item` fails the filters, else its category id (-1: none or not needed).
    private mutating func verdict(for item: Int32) -> Int32 {
        guard needsRecord || needsCategory else { return -1 }
        let catalogCategory = Self.inspect(item, catalog: catalog, rules: rules)
        guard catalogCategory != -2 else { return -2 }
        guard needsCategory, catalogCategory >= 0 else { return -1 }
        if let id = categoryIDs[catalogCategory] { return id }
        let id = Int32(perCategory.count)
        categoryIDs.set(catalogCategory, id)
        perCategory.append(0)
        return id
    }

    /// -2 when `item` fails the filters, else its catalog category id (-1: none). Static, so
    /// that reading the catalog never touches (or copies) the run's mutable state.
    private static func inspect(_ item: Int32, catalog: any CatalogView, rules: AdmissionRules) -> Int32 {
        let facts = catalog.facts(item)
        if rules.needsRecord, !rules.admits(facts) { return -2 }
        return facts.categoryID
    }

    /// Brings a slot's largest similarity to the picked slots up to date and returns it.
    private mutating func updateSimilarity(slot s: Int, _ similarity: (Int32, Int32) -> Double?) -> Double {
        var largest = maxSimilarity[s]
        let item = pool.entries[s].item
        for p in picked[Int(similarityCovers[s])...] {
            let other = Int(p)
            var value = similarity(item, pool.entries[other].item)
                ?? (category[s] >= 0 && category[s] == category[other] ? 1 : 0)
            value = min(max(value, 0), 1)
            if value > largest { largest = value }
        }
        maxSimilarity[s] = largest
        similarityCovers[s] = Int32(picked.count)
        return largest
    }

    /// Whether category `id` is at the cap. Static: a method reading `self` from the mutating
    /// loops would copy the whole run each call.
    @inline(__always)
    private static func isCapped(_ id: Int32, cap: Int?, counts: [Int]) -> Bool {
        guard let cap, id >= 0 else { return false }
        return counts[Int(id)] >= cap
    }

    private mutating func count(_ id: Int32) {
        if id >= 0 { perCategory[Int(id)] += 1 }
    }

    // MARK: - Backfill

    /// Appends items from the fallback lists, in the scene's fallback order and each list's
    /// order, that pass the same filters and the category cap and are not in the response yet.
    /// Those held back only by the cap are kept for ``backfillDeferred()``.
    mutating func backfill(from kinds: [CandidateSourceKind], lists: [CandidateSourceKind: [Candidate]]) {
        for kind in kinds {
            guard let list = lists[kind] else { continue }
            for candidate in list {
                if filled >= target { return }
                let item = candidate.item
                if rules.isExcluded(item) || taken.contains(item) { continue }
                let id: Int32
                let s = pool.slot[item].map(Int.init)
                if let s {
                    if state[s] == .rejected || (state[s] == .unchecked && !check(slot: s)) { continue }
                    id = needsCategory ? category[s] : -1
                } else if let known = outsideVerdict[item] {
                    id = known
                } else {
                    id = verdict(for: item)
                    outsideVerdict.set(item, id)
                }
                if id == -2 { continue }
                let entry = Backfill(item: item, source: kind, anchor: candidate.anchor)
                if Self.isCapped(id, cap: cap, counts: perCategory) {
                    deferred.append((entry, id))
                    continue
                }
                backfilled.append(entry)
                filled += 1
                taken.insert(item)
                count(id)
                if let s { state[s] = .selected }  // never picked again as a blended item
            }
        }
    }

    /// The last resort: the fallback candidates held back by the category cap, in order.
    mutating func backfillDeferred() {
        for (entry, id) in deferred {
            if filled >= target { return }
            if taken.contains(entry.item) { continue }
            backfilled.append(entry)
            filled += 1
            taken.insert(entry.item)
            count(id)
        }
    }
}
