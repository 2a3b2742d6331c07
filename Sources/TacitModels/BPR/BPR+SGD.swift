import Foundation
import TacitCore

extension BPR {
    /// One LearnBPR step on the triple `(u, i, j)`: computes `x̂_uij = x_uᵀ(y_i − y_j) + b_i − b_j`,
    /// `z = 1 − σ(x̂_uij) = 1 / (1 + e^x̂)`, and updates (all from the values before the step)
    /// `x_u += η (z (y_i − y_j) − λ x_u)`, `y_i += η (z x_u − λ y_i)`, `y_j += η (−z x_u − λ y_j)`,
    /// `b_i += η (z − λ b_i)`, `b_j += η (−z − λ b_j)` (Rendle et al. 2009, eq. for LearnBPR).
    /// - Precondition: `positive` and `negative` are different items (the pointers do not overlap).
    /// - Returns: `x̂_uij` before the update.
    /// - Complexity: O(factors), SIMD.
    @inline(__always)
    static func update(user u: UnsafeMutablePointer<Float>, positive p: UnsafeMutablePointer<Float>, negative n: UnsafeMutablePointer<Float>,
                       positiveBias: UnsafeMutablePointer<Float>, negativeBias: UnsafeMutablePointer<Float>, factors f: Int,
                       learningRate eta: Float, regularization lambda: Float) -> Float {
        var acc = SIMD8<Float>()
        var k = 0
        while k + 8 <= f {
            acc += load(u + k) * (load(p + k) - load(n + k))
            k += 8
        }
        var x = acc.sum()
        while k < f { x += u[k] * (p[k] - n[k]); k += 1 }
        let bp = positiveBias.pointee, bn = negativeBias.pointee
        x += bp - bn
        let z = 1 / (1 + expf(x))
        let vz = SIMD8<Float>(repeating: z), veta = SIMD8<Float>(repeating: eta), vlambda = SIMD8<Float>(repeating: lambda)
        k = 0
        while k + 8 <= f {
            let uk = load(u + k), pk = load(p + k), nk = load(n + k)
            store(uk + veta * (vz * (pk - nk) - vlambda * uk), u + k)
            store(pk + veta * (vz * uk - vlambda * pk), p + k)
            store(nk + veta * (-vz * uk - vlambda * nk), n + k)
            k += 8
        }
        while k < f {
            let uk = u[k], pk = p[k], nk = n[k]
            u[k] = uk + eta * (z * (pk - nk) - lambda * uk)
            p[k] = pk + eta * (z * uk - lambda * pk)
            n[k] = nk + eta * (-z * uk - lambda * nk)
            k += 1
        }
        positiveBias.pointee = bp + eta * (z - lambda * bp)
        negativeBias.pointee = bn + eta * (-z - lambda * bn)
        return x
    }

    @inline(__always) private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) private static func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }
}

/// One training entry: a user and an item of their history.
struct BPREntry: BitwiseCopyable {
    var user: Int32
    var item: Int32
}

/// One sampled training triple: a user, an item of their history, an item outside it.
struct BPRTriple {
    var user: Int32
    var positive: Int32
    var negative: Int32
}

/// What one epoch saw: sampled triples, how many were already ranked correctly, skipped draws.
struct BPREpochStats: Sendable {
    var samples = 0
    var correct = 0
    var skipped = 0
    var loss = 0.0
    /// Triples whose `|x̂_uij|` exceeded ``BPRState/divergenceLimit`` or was not finite.
    var divergent = 0
    /// Bits of the factor rows read ahead of each batch (kept so the reads are not optimised away).
    var touched: UInt32 = 0

    mutating func merge(_ other: BPREpochStats) {
        samples += other.samples; correct += other.correct; skipped += other.skipped; loss += other.loss; divergent += other.divergent; touched ^= other.touched
    }

    /// The fraction of updated triples with `x̂_uij > 0` before their update (a sampled train AUC).
    var auc: Double { Double(correct) / Double(max(1, samples - skipped)) }
    /// The fraction of triples skipped because their negative was a positive.
    var skippedShare: Double { Double(skipped) / Double(max(1, samples)) }
    /// The mean of `−ln σ(x̂_uij)` over updated triples.
    var meanLoss: Double { loss / Double(max(1, samples - skipped)) }
}

/// The factors of a BPR run in progress: lock-free epochs and snapshots as fitted models.
///
/// `@unchecked Sendable`, and deliberately racy: during an epoch every worker reads and writes the
/// shared factor arrays through raw pointers without locks (Hogwild!, Recht, Ré, Wright & Niu
/// 2011, "Hogwild!: A Lock-Free Approach to Parallelizing Stochastic Gradient Descent"). Two
/// workers rarely touch the same rows at once, since triples are sparse in users and items, and
/// when they do one update may partly overwrite the other: SGD tolerates this as noise, the
/// `implicit` library does the same with OpenMP, and no array is ever resized or freed while
/// workers run. The cost is reproducibility: only `threads = 1` gives bitwise identical factors
/// for the same seed. Outside ``runEpoch(_:learningRate:measureLoss:)`` the arrays are only read.
final class BPRState: @unchecked Sendable {
    let data: InteractionMatrix
    let configuration: BPR.Configuration
    let factors: Int
    let userFactors: UnsafeMutableBufferPointer<Float>
    let itemFactors: UnsafeMutableBufferPointer<Float>
    let itemBias: UnsafeMutableBufferPointer<Float>
    /// Each CSR entry as `(u, i)` side by side, so a uniformly drawn entry costs one cache miss.
    let entries: StorageBuffer<BPREntry>
    let sampler: NegativeSampler
    /// The learning rate of each epoch run so far (replayed by fold-in).
    private(set) var learningRates: [Float] = []
    private var adopted = false
    /// Triples drawn ahead of their updates (see ``runEpoch(_:learningRate:measureLoss:)``).
    static let batch = 32
    /// A score difference this large means the SGD is diverging (the learning rate is too high):
    /// a converging model keeps `|x̂_uij|` in the tens, where `σ` has long saturated.
    static let divergenceLimit: Float = 1e6

    init(data: InteractionMatrix, configuration: BPR.Configuration) {
        self.data = data
        self.configuration = configuration
        let f = configuration.factors
        factors = f
        userFactors = .allocate(capacity: max(1, data.userCount * f))
        itemFactors = .allocate(capacity: max(1, data.itemCount * f))
        itemBias = .allocate(capacity: max(1, data.itemCount))
        // As implicit: uniform in [-0.5, 0.5) / factors, zero for rows and columns without data.
        let scale = 1 / Double(f)
        var random = SeededGenerator.stream(seed: configuration.seed, index: 0)
        for u in 0..<data.userCount {
            let empty = data.rowLength(u) == 0
            for k in 0..<f { userFactors[u * f + k] = empty ? 0 : Float((random.nextUnit() - 0.5) * scale) }
        }
        random = SeededGenerator.stream(seed: configuration.seed, index: 1)
        for i in 0..<data.itemCount {
            let empty = data.columnLength(i) == 0
            for k in 0..<f { itemFactors[i * f + k] = empty ? 0 : Float((random.nextUnit() - 0.5) * scale) }
            itemBias[i] = empty ? 0 : Float((random.nextUnit() - 0.5) * scale)
        }
        entries = StorageBuffer(count: data.nnz) { entries in
            for u in 0..<data.userCount {
                for k in data.rowPointers[u]..<data.rowPointers[u + 1] { entries[k] = BPREntry(user: Int32(u), item: data.columnIndices[k]) }
            }
        }
        sampler = NegativeSampler(data: data, sampling: configuration.sampling, exponent: configuration.samplingExponent,
                                  verify: configuration.verifyNegatives)
    }

    deinit {
        if !adopted {
            userFactors.deallocate()
            itemFactors.deallocate()
            itemBias.deallocate()
        }
    }

    /// One Hogwild epoch of `nnz` triples: each of `threads` workers draws its share of triples
    /// with its own generator (stream `(epoch + 1) · 2¹⁶ + worker` of the seed) and updates the
    /// shared factors in place. Per triple: one uniform training entry `(u, i)`, a negative from
    /// ``NegativeSampler`` checked against `u`'s sorted row by binary search (skipped when it is a
    /// positive), one
    /// ``BPR/update(user:positive:negative:positiveBias:negativeBias:factors:learningRate:regularization:)``.
    /// Triples are drawn ``batch`` at a time ahead of their updates: the batch's entries and
    /// negative candidates are drawn, the factor rows they name are read (a software prefetch:
    /// the batch's cache misses overlap instead of stalling each update in turn), the negatives are
    /// verified, then the updates run in draw order. No allocation happens inside the loop.
    /// - Complexity: O(nnz · (factors + log |u|) / threads).
    func runEpoch(_ epoch: Int, learningRate: Float, measureLoss: Bool) -> BPREpochStats {
        learningRates.append(learningRate)
        let nnz = data.nnz, f = factors, threads = configuration.threads
        let lambda = Float(configuration.regularization), seed = configuration.seed
        let slots = ResultSlots<BPREpochStats>(count: threads, initial: BPREpochStats())
        let users = SharedMutableBuffer(userFactors), items = SharedMutableBuffer(itemFactors), bias = SharedMutableBuffer(itemBias)
        let (data, entries, sampler) = (data, entries, sampler)
        Parallel.forEachBlock(0..<nnz, threads: threads) { worker, block in
            var random = SeededGenerator.stream(seed: seed, index: UInt64(epoch + 1) << 16 | UInt64(worker))
            var stats = BPREpochStats()
            stats.samples = block.count
            let draw = sampler.cursor()
            let rowPointers = data.rowPointers.buffer.baseAddress!, columns = data.columnIndices.buffer.baseAddress!
            let pairs = entries.buffer.baseAddress!
            let userBase = users.base.baseAddress!, itemBase = items.base.baseAddress!, biasBase = bias.base.baseAddress!
            withUnsafeTemporaryAllocation(of: BPRTriple.self, capacity: BPRState.batch) { triples in
                var sink: UInt32 = 0
                var remaining = block.count
                while remaining > 0 {
                    let n = min(BPRState.batch, remaining)
                    remaining -= n
                    // 1. Draw the batch's training entries and negative candidates. Each pass over the
                    //    batch makes independent lookups, so their cache misses overlap instead of
                    //    stalling one update at a time.
                    for t in 0..<n {
                        let entry = pairs[Int(random.next().multipliedFullWidth(by: UInt64(nnz)).high)]
                        triples[t] = BPRTriple(user: entry.user, positive: entry.item, negative: draw.draw(&random))
                    }
                    // 2. Read the factor rows the updates will use.
                    for t in 0..<n {
                        let triple = triples[t]
                        let x = userBase + Int(triple.user) * f, p = itemBase + Int(triple.positive) * f
                        let q = itemBase + Int(triple.negative) * f
                        var k = 0
                        while k < f { sink ^= x[k].bitPattern ^ p[k].bitPattern ^ q[k].bitPattern; k += 16 }
                    }
                    // 3. Verify the negatives against the users' rows and keep the usable triples.
                    var filled = 0
                    for t in 0..<n {
                        let triple = triples[t], u = Int(triple.user)
                        let start = rowPointers[u]
                        let row = UnsafeBufferPointer(start: columns + start, count: rowPointers[u + 1] - start)
                        guard let j = draw.accept(triple.negative, for: row, positive: triple.positive) else {
                            stats.skipped += 1
                            continue
                        }
                        triples[filled] = BPRTriple(user: triple.user, positive: triple.positive, negative: j)
                        filled += 1
                    }
                    // 4. The updates, in order.
                    for t in 0..<filled {
                        let triple = triples[t]
                        let i = Int(triple.positive), j = Int(triple.negative)
                        let x = BPR.update(user: userBase + Int(triple.user) * f, positive: itemBase + i * f, negative: itemBase + j * f,
                                           positiveBias: biasBase + i, negativeBias: biasBase + j, factors: f,
                                           learningRate: learningRate, regularization: lambda)
                        if x > 0 { stats.correct += 1 }
                        if !(abs(x) <= BPRState.divergenceLimit) { stats.divergent += 1 }
                        if measureLoss { stats.loss += Double(x > 0 ? log1pf(expf(-x)) : log1pf(expf(x)) - x) }
                    }
                }
                stats.touched = sink
            }
            slots[worker] = stats
        }
        var total = BPREpochStats()
        for partial in slots.values { total.merge(partial) }
        return total
    }

    /// Whether every factor and bias is finite. - Complexity: O((users + items) · factors).
    var isFinite: Bool {
        userFactors.allSatisfy(\.isFinite) && itemFactors.allSatisfy(\.isFinite) && itemBias.allSatisfy(\.isFinite)
    }

    /// The current factors as a fitted model after `epochs` epochs (copies them; training goes on).
    func model(epochs: Int) -> BPRModel {
        makeModel(users: StorageBuffer(Array(userFactors.prefix(data.userCount * factors))),
                  items: StorageBuffer(Array(itemFactors.prefix(data.itemCount * factors))),
                  bias: StorageBuffer(Array(itemBias.prefix(data.itemCount))), epochs: epochs)
    }

    /// The final model, taking over the factor memory (no copy); the state must not be used after.
    func finish() -> BPRModel {
        adopted = true
        return makeModel(users: StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: userFactors[0..<(data.userCount * factors)])),
                         items: StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: itemFactors[0..<(data.itemCount * factors)])),
                         bias: StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: itemBias[0..<data.itemCount])),
                         epochs: learningRates.count)
    }

    private func makeModel(users: StorageBuffer<Float>, items: StorageBuffer<Float>, bias: StorageBuffer<Float>, epochs: Int) -> BPRModel {
        let settings = BPRModel.FoldInSettings(learningRates: Array(learningRates.prefix(epochs)), regularization: Float(configuration.regularization),
                                               sampling: configuration.sampling, samplingExponent: configuration.samplingExponent,
                                               verifyNegatives: configuration.verifyNegatives, seed: configuration.seed)
        return BPRModel(trainingData: data, factors: factors, userFactors: configuration.precision.applied(to: users, width: factors),
                        itemFactors: configuration.precision.applied(to: items, width: factors), itemBias: bias, foldIn: settings)
    }
}
