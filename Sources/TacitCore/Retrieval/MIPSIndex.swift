import Foundation

/// An approximate maximum-inner-product index over item vectors: k-means leaves (about √n),
/// int8 codes with per-vector scales scored leaf by leaf, and an exact re-scoring of a short list.
///
/// A search ranks the leaves by an estimate of their best inner product with the query, scores the items
/// of the best ``Configuration/probes`` leaves from their int8 codes (``Int8Vectors``), keeps the
/// best ``Configuration/rescore`` that the caller admits (filters, history), and re-scores those
/// with the caller's exact scores. When the probed leaves hold fewer than `count` admitted items,
/// it probes further leaves in order, so a search returns exactly `count` items whenever that many
/// are admitted in the whole index.
public struct MIPSIndex: Sendable {
    /// How the index is built and searched.
    public struct Configuration: Sendable, Equatable {
        /// Leaves (k-means centroids); nil: `round(√n)`.
        public var leaves: Int?
        /// Leaves scored per query before a search may stop (nil: ``MIPSIndex/defaultProbes``).
        public var probes: Int?
        /// The weight of a leaf's radius in its score for a query (``MIPSIndex/leafScores(_:)``).
        public var spread = 0.25
        /// Items re-scored exactly per query (at least the requested count).
        public var rescore = 100
        /// Lloyd iterations of the k-means.
        public var iterations = 8
        /// Points per leaf the k-means trains on (a sample of the items).
        public var samplePerLeaf = 64
        public var seed: UInt64 = 42

        public init() {}

        /// Whether an index built with `other` is the one these settings build (leaves,
        /// iterations, sample and seed; probes, rescore and spread only steer searches).
        public func buildsLike(_ other: Configuration) -> Bool {
            leaves == other.leaves && iterations == other.iterations && samplePerLeaf == other.samplePerLeaf && seed == other.seed
        }
    }

    public internal(set) var configuration: Configuration
    /// The number of items and the vectors' dimension.
    public let itemCount: Int, dimension: Int
    /// Each leaf's mean vector, `leaves × dimension`, row-major.
    let means: [Float]
    /// Each leaf's root-mean-square distance of its items from its mean.
    let radii: [Float]
    /// Each leaf's tiles of 16 slots in ``codes`` (leaf `l`: `tileStarts[l]..<tileStarts[l + 1]`).
    let tileStarts: [Int]
    /// The item in each slot (-1: padding).
    let slots: [Int32]
    /// The items' codes in slot order.
    let codes: Int8Vectors
    /// Each item's nearest other item of its leaf by inner product (-1: alone), when built.
    let leafNearest: [Int32]?
    /// The most slots of one leaf (a search's scratch).
    let widestLeaf: Int
    /// Seconds the build took.
    public let buildSeconds: Double

    /// The number of leaves.
    public var leaves: Int { tileStarts.count - 1 }

    /// Leaves scored per query by default: the configured number, or `2√leaves` (at least 8, at
    /// most all of them) — the share probed falls as the catalogue grows: 16 of 61 leaves (3,706
    /// items), 36 of 315 (100k), 63 of 1,000 (1M), recall@10 0.98 to 1.0 on ALS factors.
    public var defaultProbes: Int { min(leaves, configuration.probes ?? max(8, Int((2 * Double(leaves).squareRoot()).rounded(.up)))) }

    /// Builds the index over `count` vectors of `dimension` floats (row-major, item `i` at row `i`).
    /// With `nearestInLeaf`, it also finds each item's nearest other item of its leaf
    /// (``nearestInLeaf(of:)``): one matrix product per leaf, O(n · leaf size · dimension) more.
    /// - Complexity: O(iterations · sample · leaves · dimension + n · leaves · dimension).
    public init(vectors: UnsafeBufferPointer<Float>, dimension: Int, configuration: Configuration = Configuration(),
                nearestInLeaf: Bool = false) {
        precondition(dimension > 0 && vectors.count % dimension == 0, "vectors do not match the dimension")
        let start = DispatchTime.now().uptimeNanoseconds
        let n = vectors.count / dimension
        self.configuration = configuration
        itemCount = n
        self.dimension = dimension
        let leaves = max(1, min(n, configuration.leaves ?? Int(Double(n).squareRoot().rounded())))
        // The leaves partition the vectors lifted to one norm, x ↦ (x, √(M² − |x|²)) with M the
        // largest norm: nearest neighbours of the lifted vectors are items of large inner product
        // with a common query (whose lifted coordinate is 0), so a leaf holds items that score
        // alike, not items of alike norm.
        let lifted = Self.lift(vectors, dimension: dimension), w = dimension + 1
        let assignment = lifted.withUnsafeBufferPointer { lifted in
            Self.assign(lifted, dimension: w, centroids: Self.kMeans(lifted, dimension: w, leaves: leaves, configuration: configuration))
        }
        var members = [[Int32]](repeating: [], count: leaves)
        for i in 0..<n { members[assignment[i]].append(Int32(i)) }
        // Each leaf's mean and spread in the original space (its score for a query, ``leafScores(_:)``).
        var means = [Float](repeating: 0, count: leaves * dimension), radii = [Float](repeating: 0, count: leaves)
        if let base = vectors.baseAddress {
            for (l, leaf) in members.enumerated() where !leaf.isEmpty {
                var sums = [Double](repeating: 0, count: dimension)
                for item in leaf { for j in 0..<dimension { sums[j] += Double(base[Int(item) * dimension + j]) } }
                for j in 0..<dimension { means[l * dimension + j] = Float(sums[j] / Double(leaf.count)) }
                var squares = 0.0
                for item in leaf {
                    for j in 0..<dimension {
                        let e = Double(base[Int(item) * dimension + j]) - Double(means[l * dimension + j])
                        squares += e * e
                    }
                }
                radii[l] = Float((squares / Double(leaf.count)).squareRoot())
            }
        }
        // Slots: each leaf's items in index order, padded to whole tiles of 16.
        var tileStarts = [0], slots: [Int32] = []
        for leaf in members {
            slots += leaf
            slots += [Int32](repeating: -1, count: (16 - leaf.count % 16) % 16)
            tileStarts.append(slots.count / 16)
        }
        var ordered = [Float](repeating: 0, count: slots.count * dimension)
        if let base = vectors.baseAddress {
            for (s, item) in slots.enumerated() where item >= 0 {
                for d in 0..<dimension { ordered[s * dimension + d] = base[Int(item) * dimension + d] }
            }
        }
        self.means = means
        self.radii = radii
        self.tileStarts = tileStarts
        self.slots = slots
        widestLeaf = zip(tileStarts, tileStarts.dropFirst()).reduce(0) { max($0, $1.1 - $1.0) } * 16
        codes = ordered.withUnsafeBufferPointer { Int8Vectors($0, dimension: dimension) }
        leafNearest = nearestInLeaf ? Self.nearestInLeaves(ordered, dimension: dimension, tileStarts: tileStarts, slots: slots, itemCount: n) : nil
        buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The best `count` items for `query` (`dimension` floats) among those `admits` lets through,
    /// by `exact` score (the caller's: the model's own inner product and bias), best first.
    /// - Parameters:
    ///   - probes: leaves scored before the search may stop (nil: the configuration's).
    ///   - rescore: items re-scored exactly (nil: the configuration's; at least `count`).
    public func search(_ query: UnsafePointer<Float>, count: Int, probes: Int? = nil, rescore: Int? = nil,
                       admits: (Int32) -> Bool, exact: (Int32) -> Float) -> [ScoredItem] {
        guard count > 0, itemCount > 0 else { return [] }
        let keep = max(count, rescore ?? configuration.rescore), probes = max(1, probes ?? defaultProbes)
        let leafScores = self.leafScores(query)
        // The best `probes` leaves by a bounded selection; the others are ordered only when the
        // search must go on (fewer than `count` admitted items in those).
        var selection = TopK(min(probes, leaves))
        for l in 0..<leaves { selection.insert(ItemIndex(l), score: leafScores[l]) }
        let first = selection.sorted().map { Int($0.item) }
        let encoded = Int8Vectors.Query(query, dimension: dimension)
        var short = TopK(keep)
        var admitted = 0
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, widestLeaf)) { scores in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, widestLeaf)) { integers in
                func scan(_ leaf: Int) {
                    let tiles = tileStarts[leaf]..<tileStarts[leaf + 1]
                    guard !tiles.isEmpty else { return }
                    codes.scores(of: encoded, tiles: tiles, into: scores.baseAddress!, integers: integers.baseAddress!)
                    var worst = short.threshold?.score ?? -.infinity
                    for k in 0..<(tiles.count * 16) {
                        let item = slots[tiles.lowerBound * 16 + k]
                        guard item >= 0, scores[k] >= worst, admits(item) else { continue }
                        admitted += 1
                        short.insert(item, score: scores[k])
                        if let threshold = short.threshold { worst = threshold.score }
                    }
                }
                for leaf in first { scan(leaf) }
                guard admitted < count, first.count < leaves else { return }
                let probed = Set(first)
                for leaf in Self.order(leafScores) where !probed.contains(leaf) {
                    scan(leaf)
                    if admitted >= count { break }
                }
            }
        }
        var top = TopK(count)
        for candidate in short.sorted() { top.insert(candidate.item, score: exact(candidate.item)) }
        return top.sorted()
    }

    /// The other item of `item`'s leaf with the largest inner product (ties to the lower item),
    /// when the index was built with `nearestInLeaf`: for an index of unit vectors, a near
    /// neighbour found at the cost of a lookup — at most as similar as the nearest one, and the
    /// same for most items. Nil for an item alone in its leaf, out of range, or without the table.
    public func nearestInLeaf(of item: Int32) -> Int32? {
        guard let leafNearest, item >= 0, Int(item) < leafNearest.count, leafNearest[Int(item)] >= 0 else { return nil }
        return leafNearest[Int(item)]
    }

    /// This index searched with `settings`' probes, rescore and spread (its build kept: see
    /// ``Configuration/buildsLike(_:)``).
    public func searching(with settings: Configuration) -> MIPSIndex {
        var copy = self
        copy.configuration.probes = settings.probes
        copy.configuration.rescore = settings.rescore
        copy.configuration.spread = settings.spread
        return copy
    }

    /// Each leaf's estimate of the largest inner product of `query` with one of its items:
    /// `q · mean + spread · |q| · radius` (``Configuration/spread``). The mean alone ranks a leaf of
    /// tightly packed items above a spread-out one whose best items lie far along the query; the
    /// radius term lets those compete.
    func leafScores(_ query: UnsafePointer<Float>) -> [Float] {
        var scores = [Float](repeating: 0, count: leaves)
        let reach = Float(configuration.spread) * LinearAlgebra.dot(query, query, count: dimension).squareRoot()
        means.withUnsafeBufferPointer { means in
            guard let base = means.baseAddress else { return }
            for l in 0..<leaves { scores[l] = LinearAlgebra.dot(query, base + l * dimension, count: dimension) + reach * radii[l] }
        }
        return scores
    }

    /// The leaves best first by `scores` (ties to the lower leaf).
    static func order(_ scores: [Float]) -> [Int] {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    /// Bytes the index holds (codes, scales, leaf means and radii, slots, each item's nearest leaf mate).
    public var bytes: Int { codes.bytes + means.count * 4 + radii.count * 4 + slots.count * 4 + (leafNearest?.count ?? 0) * 4 + tileStarts.count * 8 }

    // MARK: build

    /// The vectors with one more coordinate, `√(M² − |x|²)` for `M` the largest norm, so that
    /// every lifted vector has norm `M` (the reduction of inner-product search to nearest neighbours).
    static func lift(_ vectors: UnsafeBufferPointer<Float>, dimension d: Int) -> [Float] {
        let n = vectors.count / d
        guard let base = vectors.baseAddress else { return [] }
        let squares = (0..<n).map { LinearAlgebra.dot(base + $0 * d, base + $0 * d, count: d) }
        let largest = squares.max() ?? 0
        var lifted = [Float](repeating: 0, count: n * (d + 1))
        for i in 0..<n {
            for j in 0..<d { lifted[i * (d + 1) + j] = base[i * d + j] }
            lifted[i * (d + 1) + d] = max(0, largest - squares[i]).squareRoot()
        }
        return lifted
    }

    /// Each item's other item of its leaf with the largest inner product (ties to the lower item;
    /// -1 for an item alone in its leaf): a Gram matrix per leaf, leaves on every core.
    static func nearestInLeaves(_ ordered: [Float], dimension d: Int, tileStarts: [Int], slots: [Int32], itemCount: Int) -> [Int32] {
        let leaves = tileStarts.count - 1
        let found = ResultSlots<[(item: Int32, nearest: Int32)]>(count: leaves, initial: [])
        Parallel.forEach(0..<leaves, threads: Parallel.defaultThreads, chunk: 1) { l in
            let lo = tileStarts[l] * 16, rows = tileStarts[l + 1] * 16 - lo
            guard rows > 0 else { return }
            var gram = [Float](repeating: 0, count: rows * rows)
            ordered.withUnsafeBufferPointer { vectors in
                gram.withUnsafeMutableBufferPointer { gram in
                    LinearAlgebra.gemm(transposeB: true, m: rows, n: rows, k: d, a: vectors.baseAddress! + lo * d, lda: d,
                                       b: vectors.baseAddress! + lo * d, ldb: d, c: gram.baseAddress!, ldc: rows)
                }
            }
            var pairs: [(item: Int32, nearest: Int32)] = []
            for r in 0..<rows where slots[lo + r] >= 0 {
                var best: (item: Int32, score: Float)?
                for c in 0..<rows where c != r && slots[lo + c] >= 0 {
                    let score = gram[r * rows + c], other = slots[lo + c]
                    if let current = best, score < current.score || (score == current.score && other > current.item) { continue }
                    best = (other, score)
                }
                pairs.append((slots[lo + r], best?.item ?? -1))
            }
            found[l] = pairs
        }
        var nearest = [Int32](repeating: -1, count: itemCount)
        for pairs in found.values { for pair in pairs { nearest[Int(pair.item)] = pair.nearest } }
        return nearest
    }

    /// Lloyd's k-means on a seeded sample of the vectors (seeded by distinct sampled points).
    static func kMeans(_ vectors: UnsafeBufferPointer<Float>, dimension d: Int, leaves: Int, configuration: Configuration) -> [Float] {
        let n = vectors.count / d
        guard let base = vectors.baseAddress, n > 0 else { return [Float](repeating: 0, count: leaves * d) }
        var generator = SeededGenerator(seed: configuration.seed)
        var order = Array(0..<n)
        let size = min(n, max(leaves, leaves * configuration.samplePerLeaf))
        for i in 0..<size { order.swapAt(i, i + Int(generator.next() % UInt64(n - i))) }
        let sample = Array(order.prefix(size))
        var points = [Float](repeating: 0, count: size * d)
        for (r, i) in sample.enumerated() { for j in 0..<d { points[r * d + j] = base[i * d + j] } }
        var centroids = Array(points.prefix(leaves * d))
        for _ in 0..<configuration.iterations {
            let assignment = points.withUnsafeBufferPointer { assign($0, dimension: d, centroids: centroids) }
            var sums = [Double](repeating: 0, count: leaves * d), counts = [Int](repeating: 0, count: leaves)
            for r in 0..<size {
                let l = assignment[r]
                counts[l] += 1
                for j in 0..<d { sums[l * d + j] += Double(points[r * d + j]) }
            }
            for l in 0..<leaves {
                if counts[l] == 0 {
                    // An empty leaf restarts at a random sample point.
                    let r = Int(generator.next() % UInt64(size))
                    for j in 0..<d { centroids[l * d + j] = points[r * d + j] }
                } else {
                    for j in 0..<d { centroids[l * d + j] = Float(sums[l * d + j] / Double(counts[l])) }
                }
            }
        }
        return centroids
    }

    /// Each vector's nearest centroid (squared Euclidean distance, ties to the lower leaf), by
    /// blocked matrix products.
    static func assign(_ vectors: UnsafeBufferPointer<Float>, dimension d: Int, centroids: [Float]) -> [Int] {
        let n = vectors.count / d, leaves = centroids.count / d
        guard let base = vectors.baseAddress, n > 0, leaves > 0 else { return [Int](repeating: 0, count: n) }
        let norms = (0..<leaves).map { l in centroids.withUnsafeBufferPointer { LinearAlgebra.dot($0.baseAddress! + l * d, $0.baseAddress! + l * d, count: d) } }
        var result = [Int](repeating: 0, count: n)
        let block = max(1, min(n, (1 << 20) / leaves))
        var products = [Float](repeating: 0, count: block * leaves)
        for lo in stride(from: 0, to: n, by: block) {
            let rows = min(block, n - lo)
            centroids.withUnsafeBufferPointer { c in
                products.withUnsafeMutableBufferPointer { p in
                    LinearAlgebra.gemm(transposeB: true, m: rows, n: leaves, k: d, a: base + lo * d, lda: d, b: c.baseAddress!, ldb: d,
                                       c: p.baseAddress!, ldc: leaves)
                }
            }
            for r in 0..<rows {
                var best = 0, bestDistance = Float.infinity
                for l in 0..<leaves {
                    let distance = norms[l] - 2 * products[r * leaves + l]
                    if distance < bestDistance { best = l; bestDistance = distance }
                }
                result[lo + r] = best
            }
        }
        return result
    }
}
