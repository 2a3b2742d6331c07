import TacitCore

/// A seeded synthetic shop: a catalog, users with hidden tastes, and a time-ordered log of
/// `view`, `click`, `add_to_cart` and `purchase` events that carries learnable structure.
///
/// The model behind the data:
/// - categories have unit centroids in a latent space; items sit around their centroid, have Zipf
///   popularity, a brand of their category, a log-normal price, tags tied to their latent
///   direction, and a creation time (some arrive during the log and have no events before it);
/// - a user's taste is a mixture of one to three category centroids plus noise, and their share
///   of the events is a heavy-tailed (Pareto) activity weight;
/// - a user's sessions browse items drawn from `softmax(taste · item / T + log(popularity))` over
///   the items that exist (two-stage sampling, see `SessionGenerator`), stay coherent (the next
///   item is often in the previous item's category and similar to it), and run each item
///   through the funnel `view → click → add_to_cart → purchase` with timestamps that increase
///   within a session. A view's value is its dwell time in seconds, a purchase's the quantity.
///
/// Output is exact and deterministic: the log holds exactly ``Configuration/events`` events,
/// sorted by timestamp (ties in a fixed order), identical for a seed whatever the thread count
/// — every user and every session draws from its own ``SeededGenerator/stream(seed:index:)``.
///
/// Memory stays bounded: the session plan takes 12 bytes per session; events are produced one
/// time window (about a million events) at a time, sorted by a counting sort on the second, and
/// handed on; events of sessions that run past a window wait for the next one.
public struct ShopSimulator: Sendable {
    /// The configuration this shop was built from.
    public let configuration: Configuration
    let catalog: SyntheticCatalog

    /// Builds the catalog of a shop (O(items × dimension)); events are made by ``generate(_:)``.
    /// - Throws: ``TacitError`` `invalidArgument` when the configuration is out of range.
    public init(_ configuration: Configuration) throws(TacitError) {
        try configuration.validate()
        self.configuration = configuration
        catalog = SyntheticCatalog(configuration)
    }

    /// The catalog, by item index.
    public var items: [ItemRecord] { catalog.records }

    /// The category names, by category index.
    public var categories: [String] { catalog.categoryNames }

    /// The category index of `item`.
    public func category(of item: Int32) -> Int { Int(catalog.itemCategory[Int(item)]) }

    /// The latent vector of `item` (its category centroid plus noise).
    public func latent(of item: Int32) -> [Float] { catalog.latent(of: Int(item)) }

    /// The hidden profile of user `index` (recomputed from its random stream).
    public func userProfile(_ index: Int32) -> UserProfile {
        UserProfile(index: index, configuration: configuration, catalog: catalog)
    }

    /// The external id of user `index`: `u<index>`.
    public static func userID(_ index: Int32) -> UserID { "u\(index)" }
    /// The external id of item `index`: `i<index>`.
    public static func itemID(_ index: Int32) -> ItemID { "i\(index)" }

    /// Generates the whole log in timestamp order, calling `body` with consecutive batches (one
    /// per time window, up to about a million events each) on the calling thread.
    public func generate<E: Error>(_ body: ([SyntheticEvent]) throws(E) -> Void) throws(E) {
        let schedule = SessionSchedule(configuration)
        let width = schedule.windowSeconds
        var carry: [SyntheticEvent] = []
        var counts = [Int](repeating: 0, count: Int(width) + 1)
        for w in 0..<schedule.windowCount {
            let windowStart = configuration.start + Int64(w) * width, windowEnd = windowStart + width
            let blocks = produce(schedule.entries[schedule.windowBounds[w]..<schedule.windowBounds[w + 1]])
            // Stable counting sort on the second: carried events first, then blocks in order.
            for i in counts.indices { counts[i] = 0 }
            var nextCarry: [SyntheticEvent] = []
            var ready = 0
            func tally(_ event: SyntheticEvent) {
                if event.timestamp < windowEnd {
                    counts[Int(event.timestamp - windowStart) + 1] += 1
                    ready += 1
                } else {
                    nextCarry.append(event)
                }
            }
            for event in carry { tally(event) }
            for block in blocks { for event in block { tally(event) } }
            guard ready > 0 else { carry = nextCarry; continue }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            let sorted = [SyntheticEvent](unsafeUninitializedCapacity: ready) { buffer, initialized in
                func place(_ event: SyntheticEvent) {
                    guard event.timestamp < windowEnd else { return }
                    let slot = Int(event.timestamp - windowStart)
                    (buffer.baseAddress! + counts[slot]).initialize(to: event)
                    counts[slot] += 1
                }
                for event in carry { place(event) }
                for block in blocks { for event in block { place(event) } }
                initialized = ready
            }
            carry = nextCarry
            try body(sorted)
        }
        if !carry.isEmpty {
            let order = carry.indices.sorted { (carry[$0].timestamp, $0) < (carry[$1].timestamp, $1) }
            try body(order.map { carry[$0] })
        }
    }

    /// The events of `sessions`, in session order, produced in parallel in dynamically claimed
    /// chunks of 64 sessions (so a busy core does not hold the others up) and put back in order.
    private func produce(_ sessions: ArraySlice<SessionSchedule.Entry>) -> [[SyntheticEvent]] {
        guard !sessions.isEmpty else { return [] }
        let chunk = 64, chunks = (sessions.count + chunk - 1) / chunk
        let results = ResultSlots<[SyntheticEvent]>(count: chunks, initial: [])
        let catalog = self.catalog, configuration = self.configuration
        let first = sessions.startIndex
        Parallel.forEach(0..<chunks, threads: configuration.threads, chunk: 1,
                         makeState: { SessionGenerator(catalog: catalog, configuration: configuration) }) { generator, c in
            let range = (first + c * chunk)..<min(first + (c + 1) * chunk, sessions.endIndex)
            var events: [SyntheticEvent] = []
            events.reserveCapacity(Int(Double(range.count) * configuration.meanSessionLength * 1.25))
            for s in range { generator.run(sessions[s], into: &events) }
            results[c] = events
        }
        return results.values
    }

    /// The whole log in memory (for tests and small shops), with ids `u<index>` and `i<index>`.
    ///
    /// Every user and item is interned up front in index order, so the log's user and item
    /// indices equal the simulator's (users without events included); the kinds are
    /// ``EventKind/standard`` in order, so a kind code is `SyntheticEvent.Kind.rawValue`.
    public func eventLog() -> EventLog {
        var log = EventLog()
        for u in 0..<configuration.users {
            var id = Self.userID(Int32(u))
            _ = id.withUTF8 { log.internUser(bytes: $0) }
        }
        for i in 0..<configuration.items {
            var id = Self.itemID(Int32(i))
            _ = id.withUTF8 { log.internItem(bytes: $0) }
        }
        for kind in EventKind.standard { _ = log.kindCode(kind) }
        log.reserveCapacity(configuration.events)
        generate { batch in
            for e in batch {
                log.append(user: e.user, item: e.item, kind: UInt16(e.kind.rawValue), timestamp: e.timestamp,
                           value: e.eventValue ?? .nan)
            }
        }
        return log
    }
}
