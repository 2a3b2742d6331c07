import Foundation

/// Turns an ``EventLog`` into an ``InteractionMatrix`` of confidences.
///
/// For each (user, item) pair the events are weighted by kind, optionally decayed by age,
/// aggregated over repeats, and the pairs are filtered to a k-core. Exact duplicate events (same
/// user, item, kind and timestamp) count once. The weighted value is the confidence that later
/// models use (for example `1 + alpha * w` in implicit ALS).
///
/// ```swift
/// var policy = WeightingPolicy()
/// policy.halfLife = 30 * 86_400      // a month-old event counts half
/// let matrix = try policy.matrix(from: log)
/// ```
public struct WeightingPolicy: Sendable, Codable, Equatable {
    /// How repeated events for one (user, item) pair combine.
    public enum Aggregation: String, Sendable, Codable, CaseIterable {
        /// The sum of the event weights.
        case sum
        /// The largest event weight (the strongest signal, counted once).
        case max
        /// `log2(1 + sum)`: repeats help, with diminishing returns.
        case log
    }

    /// How ``kindWeights`` relate to the log they weight.
    public enum KindScale: String, Sendable, Codable, CaseIterable {
        /// The weights are ratios: every weight is divided by the weight of the log's most
        /// frequent kind (among the kinds that weigh more than 0), so that kind's event weighs 1.
        /// A log holding only purchases then gives the same matrix as a log holding only views.
        case relative
        /// The weights are used as they are.
        case absolute
    }

    /// Weight per event kind (by canonical name). Defaults: view 1, click 2, add_to_cart 4,
    /// purchase 8, interaction 1 — a purchase counts more than a view. With
    /// ``KindScale/relative`` (the default) only their ratios matter.
    public var kindWeights: [String: Float]
    /// Whether the kind weights are ratios scaled to the log (default) or absolute.
    public var kindScale: KindScale
    /// Weight of a kind missing from ``kindWeights`` (custom kinds).
    public var defaultKindWeight: Float
    /// How repeats combine. Default ``Aggregation/sum``.
    public var aggregation: Aggregation
    /// Optional half-life in seconds: an event `Δt` older than the log's latest event is weighted
    /// by `0.5^(Δt / halfLife)`. `nil` (default) means no decay.
    public var halfLife: Double?
    /// The decay reference time; default `nil` = the latest timestamp in the log.
    public var referenceTime: Int64?
    /// Minimum distinct items per user (k-core, applied iteratively with ``minItemCount``). Default 1.
    public var minUserCount: Int
    /// Minimum distinct users per item. Default 1.
    public var minItemCount: Int
    /// Drop exact duplicate events. Default `true`.
    public var dropDuplicates: Bool

    public init(
        kindWeights: [String: Float] = WeightingPolicy.defaultKindWeights, defaultKindWeight: Float = 1,
        kindScale: KindScale = .relative, aggregation: Aggregation = .sum, halfLife: Double? = nil, referenceTime: Int64? = nil,
        minUserCount: Int = 1, minItemCount: Int = 1, dropDuplicates: Bool = true
    ) {
        self.kindWeights = kindWeights
        self.defaultKindWeight = defaultKindWeight
        self.kindScale = kindScale
        self.aggregation = aggregation
        self.halfLife = halfLife
        self.referenceTime = referenceTime
        self.minUserCount = minUserCount
        self.minItemCount = minItemCount
        self.dropDuplicates = dropDuplicates
    }

    /// The default kind weights.
    public static let defaultKindWeights: [String: Float] = [
        EventKind.view.name: 1, EventKind.click.name: 2, EventKind.addToCart.name: 4,
        EventKind.purchase.name: 8, EventKind.interaction.name: 1,
    ]

    /// Checks ranges; throws naming the field.
    public func validate() throws(TacitError) {
        for (kind, weight) in kindWeights where !(weight >= 0) || !weight.isFinite {
            throw .invalidArgument("weighting: kind weight for '\(kind)' must be a finite number >= 0, got \(weight)")
        }
        if !(defaultKindWeight >= 0) || !defaultKindWeight.isFinite {
            throw .invalidArgument("weighting: the default kind weight must be a finite number >= 0, got \(defaultKindWeight)")
        }
        if let halfLife, !(halfLife > 0) {
            throw .invalidArgument("weighting: half-life must be > 0 seconds, got \(halfLife)")
        }
        if minUserCount < 1 || minItemCount < 1 {
            throw .invalidArgument("weighting: minimum user/item counts must be >= 1")
        }
    }

    /// The weight of one event of `kind`.
    public func weight(of kind: EventKind) -> Float { kindWeights[kind.name] ?? defaultKindWeight }

    /// Builds the confidence matrix of `log`, with the kind weights scaled to it
    /// (``resolved(for:)``). Users and items that survive the k-core keep their relative order of
    /// first appearance; the matrix's id maps hold only them.
    /// - Complexity: O(n log d) for n events and d events per user; O(n) memory.
    public func matrix(from log: EventLog) throws(TacitError) -> InteractionMatrix {
        try validate()
        let policy = resolved(for: log)
        let pairs = policy.aggregate(log)
        return policy.kCore(pairs, log: log)
    }

    // MARK: - Steps

    /// Aggregated (user, item) pairs in user order with their confidence and latest timestamp.
    struct Pairs {
        var users: [Int32] = []
        var items: [Int32] = []
        var values: [Float] = []
        var timestamps: [Int64] = []
    }

    func aggregate(_ log: EventLog) -> Pairs {
        let kindWeight = log.kinds.map(weight(of:))
        let reference = referenceTime ?? (log.timestamps.max() ?? 0)
        let decayRate = halfLife.map { Foundation.log(2.0) / $0 }
        var starts = [Int](repeating: 0, count: log.users.count + 1)
        for u in log.userIndices { starts[Int(u) + 1] += 1 }
        for u in 0..<log.users.count { starts[u + 1] += starts[u] }
        var order = [Int](repeating: 0, count: log.count)
        var next = starts
        for (p, u) in log.userIndices.enumerated() { order[next[Int(u)]] = p; next[Int(u)] += 1 }

        var pairs = Pairs()
        pairs.users.reserveCapacity(log.count)
        pairs.items.reserveCapacity(log.count)
        pairs.values.reserveCapacity(log.count)
        pairs.timestamps.reserveCapacity(log.count)
        let items = log.itemIndices, kinds = log.kindCodes, times = log.timestamps
        for u in 0..<log.users.count {
            let slice = order[starts[u]..<starts[u + 1]].sorted {
                (items[$0], kinds[$0], times[$0], $0) < (items[$1], kinds[$1], times[$1], $1)
            }
            var k = 0
            while k < slice.count {
                let item = items[slice[k]]
                var sum: Float = 0, best: Float = 0, latest = Int64.min
                var previous = -1
                while k < slice.count, items[slice[k]] == item {
                    let p = slice[k]
                    k += 1
                    if dropDuplicates, previous >= 0, kinds[previous] == kinds[p], times[previous] == times[p] { continue }
                    previous = p
                    var w = kindWeight[Int(kinds[p])]
                    if let decayRate { w *= Float(Foundation.exp(-decayRate * Double(max(0, reference - times[p])))) }
                    sum += w
                    best = Swift.max(best, w)
                    latest = Swift.max(latest, times[p])
                }
                let value: Float
                switch aggregation {
                case .sum: value = sum
                case .max: value = best
                case .log: value = Foundation.log2(1 + sum)
                }
                guard value > 0 else { continue }
                pairs.users.append(Int32(u))
                pairs.items.append(item)
                pairs.values.append(value)
                pairs.timestamps.append(latest)
            }
        }
        return pairs
    }

    /// Iteratively drops users with fewer than `minUserCount` items and items with fewer than
    /// `minItemCount` users, then compacts the ids.
    func kCore(_ pairs: Pairs, log: EventLog) -> InteractionMatrix {
        var keep = [Bool](repeating: true, count: pairs.users.count)
        if minUserCount > 1 || minItemCount > 1 {
            var changed = true
            while changed {
                changed = false
                var userCounts = [Int](repeating: 0, count: log.users.count)
                var itemCounts = [Int](repeating: 0, count: log.items.count)
                for k in 0..<keep.count where keep[k] {
                    userCounts[Int(pairs.users[k])] += 1
                    itemCounts[Int(pairs.items[k])] += 1
                }
                for k in 0..<keep.count where keep[k] {
                    if userCounts[Int(pairs.users[k])] < minUserCount || itemCounts[Int(pairs.items[k])] < minItemCount {
                        keep[k] = false
                        changed = true
                    }
                }
            }
        }
        // Compact ids in order of first appearance in the log (monotone, so pairs stay sorted).
        var userPresent = [Bool](repeating: false, count: log.users.count)
        var itemPresent = [Bool](repeating: false, count: log.items.count)
        for k in 0..<keep.count where keep[k] {
            userPresent[Int(pairs.users[k])] = true
            itemPresent[Int(pairs.items[k])] = true
        }
        let (userMap, newUser) = Self.compact(log.users, present: userPresent)
        let (itemMap, newItem) = Self.compact(log.items, present: itemPresent)
        let kept = keep.reduce(0) { $0 + ($1 ? 1 : 0) }
        var rowPointers = [Int](repeating: 0, count: userMap.count + 1)
        var items: [Int32] = [], values: [Float] = [], times: [Int64] = []
        items.reserveCapacity(kept); values.reserveCapacity(kept); times.reserveCapacity(kept)
        for k in 0..<keep.count where keep[k] {
            rowPointers[Int(newUser[Int(pairs.users[k])]) + 1] += 1
            items.append(newItem[Int(pairs.items[k])])
            values.append(pairs.values[k])
            times.append(pairs.timestamps[k])
        }
        for u in 0..<userMap.count { rowPointers[u + 1] += rowPointers[u] }
        // Pairs are grouped by user in index order and sorted by item within a user: already CSR.
        let matrix = InteractionMatrix(users: userMap, items: itemMap, rowPointers: StorageBuffer(rowPointers),
                                       columnIndices: StorageBuffer(items), values: StorageBuffer(values),
                                       timestamps: StorageBuffer(times))
        return InteractionMatrix(users: userMap, items: itemMap, rowPointers: matrix.rowPointers, columnIndices: matrix.columnIndices,
                                 values: matrix.values, timestamps: matrix.timestamps, columnPointers: matrix.columnPointers,
                                 rowIndices: matrix.rowIndices, columnValues: matrix.columnValues,
                                 sequences: sequences(of: log, newUser: newUser, newItem: newItem, matrix: matrix))
    }

    /// The ids marked present, in order, and each old index's new index (-1 when dropped).
    /// When every id is present the map is reused as it is.
    static func compact(_ map: IDMap, present: [Bool]) -> (IDMap, [Int32]) {
        if !present.contains(false) { return (map, (0..<Int32(map.count)).map { $0 }) }
        var compacted = IDMap()
        var mapping = [Int32](repeating: -1, count: map.count)
        for i in 0..<map.count where present[i] { mapping[i] = compacted.intern(map.id(at: Int32(i))) }
        return (compacted, mapping)
    }
}
