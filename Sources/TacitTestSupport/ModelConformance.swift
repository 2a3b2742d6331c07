import TacitCore

/// The checks every fitted model must pass (the shared conformance suite).
///
/// Each returns a list of failures (empty when the model conforms) so any test framework can
/// assert on it: `#expect(ModelConformance.recommender(model).isEmpty)`.
public enum ModelConformance {
    /// `Recommender`: lists are at most `count` long, sorted by score then lower index, free of
    /// NaN, of history items (by default) and of excluded or disallowed items; `count` items come
    /// back when enough candidates exist; repeated calls agree; batch equals single calls.
    public static func recommender(_ model: any Recommender, count: Int = 5) -> [String] {
        var failures: [String] = []
        let data = model.trainingData
        for u in 0..<data.userCount {
            let user = UserIndex(u)
            let list = model.recommend(for: user, count: count, filter: .excludingHistory)
            let candidates = data.itemCount - data.rowLength(u)
            if list.count != min(count, candidates) { failures.append("user \(u): \(list.count) items for count \(count) with \(candidates) candidates") }
            failures += orderFailures(list, context: "user \(u)")
            for entry in list where data.contains(user: u, item: entry.item) { failures.append("user \(u): history item \(entry.item) recommended") }
            if list != model.recommend(for: user, count: count, filter: .excludingHistory) { failures.append("user \(u): not deterministic") }
            if let first = list.first {
                let excluded = model.recommend(for: user, count: count, filter: ItemFilter(excluded: [first.item]))
                if excluded.contains(where: { $0.item == first.item }) { failures.append("user \(u): excluded item returned") }
            }
            let even = model.recommend(for: user, count: count, filter: ItemFilter(allowed: { $0 % 2 == 0 }))
            if even.contains(where: { $0.item % 2 != 0 }) { failures.append("user \(u): disallowed item returned") }
            let all = model.recommend(for: user, count: count, filter: .none)
            if all.count != min(count, data.itemCount) { failures.append("user \(u): filter .none returned \(all.count) items") }
        }
        let users = (0..<UserIndex(data.userCount)).map { $0 }
        let batch = model.recommendAll(users: users, count: count, threads: 3)
        for u in users {
            let single = model.recommend(for: u, count: count, filter: .excludingHistory)
            // Fast batch paths (GEMM) may round differently: only near-ties may swap.
            if !sameRanking(batch[Int(u)], single, tolerance: 1e-5) {
                failures.append("user \(u): batch \(batch[Int(u)]) differs from single recommendation \(single)")
            }
        }
        let even = model.recommendAll(users: users, count: count, filter: ItemFilter(allowed: { $0 % 2 == 0 }), threads: 2)
        if even.joined().contains(where: { $0.item % 2 != 0 }) { failures.append("batch: disallowed item returned") }
        return failures
    }

    /// `FoldIn`: a training user's own history folds in to (nearly) the same list.
    public static func foldIn(_ model: any FoldIn, count: Int = 5, tolerance: Float = 1e-4) -> [String] {
        var failures: [String] = []
        let data = model.trainingData
        for u in 0..<data.userCount {
            let trained = model.recommend(for: UserIndex(u), count: count, filter: .excludingHistory)
            let folded = model.recommend(history: data.history(of: u), count: count, filter: .excludingHistory)
            failures += orderFailures(folded, context: "fold-in user \(u)")
            if !sameRanking(trained, folded, tolerance: tolerance) {
                failures.append("fold-in user \(u): \(folded.map(\.item)) vs trained \(trained.map(\.item))")
            }
            for entry in folded where data.contains(user: u, item: entry.item) { failures.append("fold-in user \(u): history item returned") }
        }
        let empty = model.recommend(history: SparseVector(pairs: []), count: count, filter: .excludingHistory)
        failures += orderFailures(empty, context: "empty history")
        return failures
    }

    /// `ItemSimilarity`: never the item itself, sorted, at most `count`, filters respected.
    public static func similarity(_ model: any ItemSimilarity, itemCount: Int, count: Int = 5) -> [String] {
        var failures: [String] = []
        for i in 0..<itemCount {
            let item = ItemIndex(i)
            let list = model.similarItems(to: item, count: count, filter: .none)
            if list.count > count { failures.append("item \(i): \(list.count) similar items for count \(count)") }
            if list.contains(where: { $0.item == item }) { failures.append("item \(i): similar to itself") }
            failures += orderFailures(list, context: "similar to \(i)")
            if let first = list.first,
               model.similarItems(to: item, count: count, filter: ItemFilter(excluded: [first.item])).contains(where: { $0.item == first.item }) {
                failures.append("item \(i): excluded similar item returned")
            }
        }
        return failures
    }

    /// Whether two lists agree, allowing items to differ only where their scores are within
    /// `tolerance` (relative, at least absolute) of each other: swaps among near-ties.
    public static func sameRanking(_ a: [ScoredItem], _ b: [ScoredItem], tolerance: Float) -> Bool {
        guard a.count == b.count else { return false }
        if a.map(\.item) == b.map(\.item) && zip(a, b).allSatisfy({ abs($0.score - $1.score) <= tolerance * max(1, abs($0.score)) }) { return true }
        return zip(a, b).allSatisfy { abs($0.score - $1.score) <= tolerance * max(1, abs($0.score)) }
    }

    static func orderFailures(_ list: [ScoredItem], context: String) -> [String] {
        var failures: [String] = []
        if Set(list.map(\.item)).count != list.count { failures.append("\(context): duplicate items") }
        if list.contains(where: { $0.score.isNaN }) { failures.append("\(context): NaN score") }
        for (a, b) in zip(list, list.dropFirst()) where !ScoredItem.ranksBefore(a, b) {
            failures.append("\(context): \(a) ranked before \(b)")
        }
        return failures
    }
}
