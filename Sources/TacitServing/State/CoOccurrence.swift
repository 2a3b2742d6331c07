import TacitCore

/// "Bought together" counts: how often two items were bought (or put in a cart) by one user
/// within a window of that user's basket events. Feeds the `complementary` source (cart scene).
///
/// Updated live: when a user buys item `j`, every other basket item among their previous
/// ``window`` basket events counts once with `j`, both ways.
public final class CoOccurrence: Sendable {
    private let pairs = Locked([Int32: [Int32: Float]]())
    /// Event kinds that make an item part of a basket.
    public let kinds: Set<EventKind>
    /// How many of a user's previous basket events pair with a new one.
    public let window: Int

    public init(kinds: Set<EventKind> = [.purchase, .addToCart], window: Int = 20) {
        self.kinds = kinds
        self.window = window
    }

    /// Counts the new events of one user against that user's earlier events (both oldest first).
    public func record(_ newEvents: [HistoryEvent], earlier: [HistoryEvent]) {
        let updates = pairs(of: newEvents, earlier: earlier)
        guard !updates.isEmpty else { return }
        pairs.withLock { map in
            for (a, b) in updates {
                map[a, default: [:]][b, default: 0] += 1
                map[b, default: [:]][a, default: 0] += 1
            }
        }
    }

    /// Takes back the counts of one user's events (all of them, oldest first, as ``record(_:earlier:)``
    /// saw them): what a forgotten user's purchases added. Pairs left at zero are dropped.
    public func remove(_ events: [HistoryEvent]) {
        let updates = pairs(of: events, earlier: [])
        guard !updates.isEmpty else { return }
        pairs.withLock { map in
            for (a, b) in updates {
                for (x, y) in [(a, b), (b, a)] {
                    guard let n = map[x]?[y] else { continue }
                    if n <= 1 { map[x]![y] = nil } else { map[x]![y] = n - 1 }
                    if map[x]!.isEmpty { map[x] = nil }
                }
            }
        }
    }

    /// The pairs (earlier item, new item) that `newEvents` count, in order.
    func pairs(of newEvents: [HistoryEvent], earlier: [HistoryEvent]) -> [(Int32, Int32)] {
        var basket = earlier.filter { kinds.contains($0.kind) }.suffix(window).map(\.item)
        var updates: [(Int32, Int32)] = []
        for event in newEvents where kinds.contains(event.kind) {
            for other in Set(basket) where other != event.item { updates.append((other, event.item)) }
            basket.append(event.item)
            if basket.count > window { basket.removeFirst(basket.count - window) }
        }
        return updates
    }

    /// Items bought together with any of `items`, summed over them, best first (ties by index).
    public func partners(of items: [Int32], count: Int) -> [Candidate] {
        // partner -> (summed count, largest single count, the anchor item with that count)
        var scores: [Int32: (sum: Float, best: Float, anchor: Int32)] = [:]
        pairs.withLock { map in
            for anchor in items {
                guard let partners = map[anchor] else { continue }
                for (partner, n) in partners {
                    var entry = scores[partner] ?? (0, 0, anchor)
                    entry.sum += n
                    if n > entry.best { entry.best = n; entry.anchor = anchor }
                    scores[partner] = entry
                }
            }
        }
        return scores.sorted { $0.value.sum != $1.value.sum ? $0.value.sum > $1.value.sum : $0.key < $1.key }
            .prefix(count).map { Candidate(item: $0.key, score: Double($0.value.sum), anchor: $0.value.anchor) }
    }

    /// Takes back the difference between the counts of `before` and `after`, two versions of one
    /// user's events (oldest first): what removing some of them (retention) took away.
    public func remove(before: [HistoryEvent], after: [HistoryEvent]) {
        var counts: [PairKey: Int] = [:]
        for (a, b) in pairs(of: before, earlier: []) { counts[PairKey(a, b), default: 0] += 1 }
        for (a, b) in pairs(of: after, earlier: []) { counts[PairKey(a, b), default: 0] -= 1 }
        let updates = counts.filter { $0.value > 0 }
        guard !updates.isEmpty else { return }
        pairs.withLock { map in
            for (key, n) in updates {
                for (x, y) in [(key.a, key.b), (key.b, key.a)] {
                    guard let current = map[x]?[y] else { continue }
                    if current <= Float(n) { map[x]![y] = nil } else { map[x]![y] = current - Float(n) }
                    if map[x]!.isEmpty { map[x] = nil }
                }
            }
        }
    }

    /// An unordered pair (counts are symmetric).
    struct PairKey: Hashable {
        let a: Int32, b: Int32
        init(_ x: Int32, _ y: Int32) { (a, b) = x < y ? (x, y) : (y, x) }
    }

    /// Forgets everything (before a rebuild from the store).
    public func removeAll() { pairs.withLock { $0.removeAll() } }
}
