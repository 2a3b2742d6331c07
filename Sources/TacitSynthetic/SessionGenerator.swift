import Foundation
import TacitCore

/// Turns one scheduled session into events; one per worker thread, with its scratch buffers.
///
/// Each browsed item is drawn from the softmax `taste · item / T + log(popularity)` over the items
/// that exist at that moment, in two stages instead of over the whole catalog:
/// 1. the category, exactly from `softmax(taste · centroid_c / T + log(mass_c))` — the full
///    softmax with each item's latent replaced by its category centroid (computed once per user,
///    O(categories × dimension));
/// 2. the item within the category by sampling-importance-resampling: `candidateSamples` draws
///    from the category's popularity alias table, skipping items not yet created, then one of
///    them with probability ∝ `exp(query · item / T)` — which converges to the exact
///    within-category softmax as the number of candidates grows.
///
/// Short-term coherence: with probability ``ShopSimulator/Configuration/sessionCoherence`` the
/// next item stays in the previous item's category and the query becomes `taste + previous item`,
/// which leans towards items similar to the last one.
///
/// - Complexity: O(candidateSamples × dimension) per browsed item.
struct SessionGenerator {
    let catalog: SyntheticCatalog
    let configuration: ShopSimulator.Configuration
    // The catalog's immutable slot arrays; `catalog` keeps them alive.
    private let latents: UnsafeBufferPointer<Float>
    private let created: UnsafeBufferPointer<Int64>
    private let alias: UnsafeBufferPointer<AliasTable.Entry>
    private let items: UnsafeBufferPointer<Int32>
    private let inverseTemperature: Float
    private var user: Int32 = -1
    private var taste: [Float]
    private var categoryCumulative: [Double]
    private var query: [Float]
    private var candidates: [Int32]
    private var candidateWeights: [Float]

    init(catalog: SyntheticCatalog, configuration: ShopSimulator.Configuration) {
        self.catalog = catalog
        self.configuration = configuration
        latents = catalog.slotLatents.buffer
        created = catalog.slotCreated.buffer
        alias = catalog.slotAlias.buffer
        items = catalog.slotItem.buffer
        inverseTemperature = Float(1 / configuration.temperature)
        taste = [Float](repeating: 0, count: catalog.dimension)
        query = taste
        categoryCumulative = [Double](repeating: 0, count: catalog.categoryCount)
        candidates = [Int32](repeating: 0, count: configuration.candidateSamples)
        candidateWeights = [Float](repeating: 0, count: configuration.candidateSamples)
    }

    /// Appends the events of `session`, in time order, to `events`.
    mutating func run(_ session: SessionSchedule.Entry, into events: inout [SyntheticEvent]) {
        load(user: Int32(session.user))
        var rng = RandomStreams.session(configuration.seed, user: session.user, offset: session.offset)
        let funnel = configuration.funnel, dwellShape = configuration.dwell
        let length = Int(session.length), u = Int32(session.user)
        var t = configuration.start + Int64(session.offset)
        var emitted = 0
        var previousSlot: Int32 = -1, previousCategory = -1
        while emitted < length {
            let stay = previousCategory >= 0 && rng.nextUnit() < configuration.sessionCoherence
            let category = stay ? previousCategory : sampleCategory(&rng)
            prepareQuery(leaningTowards: stay ? Int(previousSlot) : -1)
            let slot = sampleSlot(in: category, at: t, avoiding: previousSlot, &rng)
            let item = items[Int(slot)]

            let dwell = Int64(min(Double(dwellShape.maximumSeconds),
                                  max(1, (dwellShape.medianSeconds * Foundation.exp(dwellShape.spread * rng.nextGaussian())).rounded())))
            events.append(SyntheticEvent(timestamp: t, user: u, item: item, value: Int32(dwell), kind: .view))
            emitted += 1
            var step = t
            if emitted < length && rng.nextUnit() < funnel.click {
                step += 1 + Int64(rng.below(Int(min(dwell, 20))))
                events.append(SyntheticEvent(timestamp: step, user: u, item: item, value: 0, kind: .click))
                emitted += 1
                if emitted < length && rng.nextUnit() < funnel.addToCart {
                    step += 2 + Int64(rng.below(60))
                    events.append(SyntheticEvent(timestamp: step, user: u, item: item, value: 0, kind: .addToCart))
                    emitted += 1
                    if emitted < length && rng.nextUnit() < funnel.purchase {
                        step += 10 + Int64(rng.below(300))
                        let quantity: Int32 = rng.nextUnit() < 0.15 ? (rng.nextUnit() < 0.3 ? 3 : 2) : 1
                        events.append(SyntheticEvent(timestamp: step, user: u, item: item, value: quantity, kind: .purchase))
                        emitted += 1
                    }
                }
            }
            t = max(t + dwell, step) + 2 + Int64(rng.below(40))
            previousSlot = slot
            previousCategory = category
        }
    }

    /// Loads the user's taste and category distribution (kept while sessions of one user follow).
    private mutating func load(user index: Int32) {
        guard index != user else { return }
        user = index
        let profile = ShopSimulator.UserProfile(index: index, configuration: configuration, catalog: catalog)
        taste = profile.taste
        let d = catalog.dimension
        var top = -Float.infinity
        for c in 0..<catalog.categoryCount {
            let logit = catalog.centroids.withUnsafeBufferPointer { centroids in
                taste.withUnsafeBufferPointer { SyntheticCatalog.dot($0.baseAddress!, centroids.baseAddress! + c * d, count: d) }
            } * inverseTemperature + catalog.logCategoryMass[c]
            categoryCumulative[c] = Double(logit)
            top = max(top, logit)
        }
        var total = 0.0
        for c in 0..<catalog.categoryCount {
            total += Foundation.exp(categoryCumulative[c] - Double(top))
            categoryCumulative[c] = total
        }
    }

    private func sampleCategory(_ rng: inout SeededGenerator) -> Int {
        let target = rng.nextUnit() * categoryCumulative[categoryCumulative.count - 1]
        var lo = 0, hi = categoryCumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if categoryCumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// `query = (taste + latent(previous)) / T`, or `taste / T` without a previous item.
    private mutating func prepareQuery(leaningTowards previous: Int) {
        let d = catalog.dimension
        for j in 0..<d {
            let lean = previous >= 0 ? latents[previous * d + j] : 0
            query[j] = (taste[j] + lean) * inverseTemperature
        }
    }

    /// The slot of one item of `category` created by `time`, by sampling-importance-resampling.
    ///
    /// The candidates are drawn first and scored after, so their memory loads overlap.
    private mutating func sampleSlot(in category: Int, at time: Int64, avoiding previous: Int32,
                                     _ rng: inout SeededGenerator) -> Int32 {
        let first = catalog.categoryStart[category], count = catalog.categoryStart[category + 1] - first
        let columns = UnsafeBufferPointer(rebasing: alias[first..<(first + count)])
        let d = catalog.dimension, k = configuration.candidateSamples
        for _ in 0..<4 {
            for c in 0..<k { candidates[c] = Int32(first + AliasTable.sample(columns, rng: &rng)) }
            var kept = 0
            var top = -Float.infinity
            query.withUnsafeBufferPointer { q in
                for c in 0..<k {
                    let slot = candidates[c]
                    guard created[Int(slot)] <= time, slot != previous else { continue }
                    let score = SyntheticCatalog.dot(q.baseAddress!, latents.baseAddress! + Int(slot) * d, count: d)
                    candidates[kept] = slot
                    candidateWeights[kept] = score
                    kept += 1
                    top = max(top, score)
                }
            }
            guard kept > 0 else { continue }
            var total: Float = 0
            for c in 0..<kept {
                total += Foundation.exp(candidateWeights[c] - top)
                candidateWeights[c] = total
            }
            let target = Float(rng.nextUnit()) * total
            for c in 0..<kept where candidateWeights[c] > target { return candidates[c] }
            return candidates[kept - 1]
        }
        return catalog.anchors[category]
    }
}
