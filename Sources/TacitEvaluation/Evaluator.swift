import TacitCore

/// Full-ranking offline evaluation: every catalog item is a candidate, each user's training
/// items are excluded, and all metrics are computed in one pass; ranking runs in parallel over users
/// through the model's batch path.
public struct Evaluator: Sendable {
    /// Cutoffs to report (10 and 20 by default; EVALUATION.md uses both).
    public var cutoffs: [Int]
    /// Worker threads.
    public var threads: Int
    /// A category per training item (by external item id), for intra-list diversity.
    public var itemCategories: [ItemID: String]?
    /// Called after each chunk of users with the users evaluated so far and the total (progress
    /// display); with it set, users go to the model in smaller chunks so that updates come often.
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    public init(cutoffs: [Int] = [10, 20], threads: Int = Parallel.defaultThreads, itemCategories: [ItemID: String]? = nil,
                progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) {
        self.cutoffs = Array(Set(cutoffs)).sorted()
        self.threads = threads
        self.itemCategories = itemCategories
        self.progress = progress
    }

    /// Evaluates `model` on `testSet` (built against the model's training data), ranking every
    /// item, or only `candidates` (then `testSet` must be built with the same candidates, and
    /// every item-indexed metric — coverage, novelty, diversity — is over the candidates).
    /// `filter` is what the model is asked for: the user's training items excluded, as the
    /// protocol says, or ``ItemFilter/none`` for a test set that lets repeats count.
    public func evaluate(_ model: any Recommender, on testSet: TestSet, candidates: CandidateSet? = nil,
                         filter: ItemFilter = .excludingHistory) -> MetricReport {
        let training = model.trainingData
        let depth = cutoffs.last ?? 10
        var categoryCodes = categoryCodes(for: training)
        var popularity = training.itemInteractionCounts
        if let candidates {
            popularity = candidates.trainingIndex.map { $0.map { popularity[Int($0)] } ?? 0 }
            categoryCodes = categoryCodes.map { codes in candidates.trainingIndex.map { $0.map { codes[Int($0)] } ?? -1 } }
        }
        let prototype = MetricAccumulator(cutoffs: cutoffs, itemPopularity: popularity, userCount: training.userCount,
                                          categories: categoryCodes)
        // Users go to the model in chunks through its batch path (blocked GEMM for factor
        // models); the metrics accumulate in one pass per chunk.
        var total = prototype
        progress?(0, testSet.users.count)
        let chunk = progress == nil ? 8192 : 1024
        for start in stride(from: 0, to: testSet.users.count, by: chunk) {
            let end = min(testSet.users.count, start + chunk)
            let users = Array(testSet.users[start..<end])
            let lists: [[ScoredItem]]
            if let candidates {
                lists = candidates.rank(model, users: users, count: depth, threads: threads)
            } else if let timed = model as? any TimedRecommender, let times = testSet.requestTimes {
                // As of each user's first test event: the model reads only the events before it.
                lists = timed.recommendAll(users: users, times: Array(times[start..<end]), count: depth, filter: filter, threads: threads)
            } else {
                lists = model.recommendAll(users: users, count: depth, filter: filter, threads: threads)
            }
            for (offset, list) in lists.enumerated() {
                let k = start + offset
                total.add(ranked: list.map(\.item), relevant: testSet.relevant[k], relevantCount: testSet.relevantCounts[k])
            }
            progress?(end, testSet.users.count)
        }
        return total.report(skippedUsers: testSet.skippedUsers)
    }

    /// Evaluates `model` on the events of `test`.
    public func evaluate(_ model: any Recommender, test: EventLog) -> MetricReport {
        evaluate(model, on: TestSet(test: test, training: model.trainingData))
    }

    func categoryCodes(for training: InteractionMatrix) -> [Int32]? {
        guard let itemCategories, !itemCategories.isEmpty else { return nil }
        var codes: [String: Int32] = [:]
        return (0..<Int32(training.itemCount)).map { item in
            guard let category = itemCategories[training.items.id(at: item)] else { return -1 }
            if let code = codes[category] { return code }
            let code = Int32(codes.count)
            codes[category] = code
            return code
        }
    }
}
