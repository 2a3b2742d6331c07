import TacitCore

extension ShopSimulator {
    /// Everything that shapes a synthetic shop. Every field has a documented default; the same
    /// configuration (seed included) always produces byte-identical output.
    public struct Configuration: Sendable, Hashable {
        /// Exact number of events to generate, 1 000 … 100 000 000. Default 100 000.
        public var events: Int
        /// Number of users (`u0` … `u<users-1>`). Default: see ``init(events:users:items:categories:seed:)``.
        public var users: Int
        /// Number of items (`i0` … `i<items-1>`), at least ``categories``.
        public var items: Int
        /// Number of product categories; every category has at least one item.
        public var categories: Int
        /// Number of brands in all; brand `b` belongs to category `b % categories`. Default `6 × categories`.
        public var brands: Int
        /// Dimension of the latent taste and item vectors. Default 16.
        public var latentDimension: Int = 16
        /// Zipf exponent of item popularity: the item of popularity rank `r` (0-based) has base
        /// weight `1 / (r + 1)^s`. Default 0.6.
        public var popularityExponent: Double = 0.6
        /// Softmax temperature of `taste · item / temperature + log(popularity)`: lower makes users
        /// stick closer to their taste. Default 0.2.
        public var temperature: Double = 0.2
        /// Standard deviation of an item's latent vector around its (unit) category centroid, as a
        /// vector norm. Default 0.5.
        public var itemSpread: Double = 0.5
        /// Standard deviation of a user's taste around their mixture of category centroids, as a
        /// vector norm. Default 0.3.
        public var tasteSpread: Double = 0.3
        /// Seed of every random choice. Default 42.
        public var seed: UInt64 = 42
        /// Start of the log, seconds since 1970. Default 2024-01-01T00:00:00Z.
        public var start: Int64 = 1_704_067_200
        /// Length of the log in days. Default 90.
        public var days: Int = 90
        /// Fraction of items that enter the catalog during the log (uniformly over the span); the
        /// others exist before ``start``. No item has an event before its creation. Default 0.2.
        public var newItemFraction: Double = 0.2
        /// Fraction of users who first arrive during the log (uniformly over its first 90 %); the
        /// others are active from ``start``. Default 0.2.
        public var newUserFraction: Double = 0.2
        /// Conversion probabilities of the funnel.
        public var funnel = Funnel()
        /// Distribution of view dwell times.
        public var dwell = Dwell()
        /// Shape `α` of the Pareto distribution of user activity (events per user ∝ a Pareto(α)
        /// weight, so sessions per user are heavy-tailed); smaller is heavier. Default 2.0.
        public var activityShape: Double = 2.0
        /// Mean number of events in a session (1 + geometric). Default 8.
        public var meanSessionLength: Double = 8
        /// Longest session, in events. Default 100.
        public var maximumSessionLength: Int = 100
        /// Probability that the next item of a session stays in the previous item's category (and
        /// leans towards items similar to it). Default 0.7.
        public var sessionCoherence: Double = 0.7
        /// Candidates drawn by popularity per choice before resampling by taste (see
        /// ``ShopSimulator``). More is closer to the exact softmax and slower. Default 8.
        public var candidateSamples: Int = 8
        /// Worker threads. The output does not depend on it. Default: all cores.
        public var threads: Int = Parallel.defaultThreads

        /// A configuration of `events` events whose other sizes, when `nil`, scale with it:
        /// - `users = max(50, events / 20)` (20 events per user on average),
        /// - `items = max(50, min(users, 16 × √events))` (5 000 items for 100 000 events, 50 600
        ///   for 10 million),
        /// - `categories = min(20, max(2, items / 25))`, `brands = 6 × categories`.
        public init(events: Int = 100_000, users: Int? = nil, items: Int? = nil, categories: Int? = nil, seed: UInt64 = 42) {
            self.events = events
            let users = users ?? max(50, events / 20)
            self.users = users
            let items = items ?? max(50, min(users, Int((16 * Double(max(0, events)).squareRoot()).rounded())))
            self.items = items
            let categories = categories ?? min(20, max(2, items / 25))
            self.categories = categories
            self.brands = 6 * categories
            self.seed = seed
        }

        /// Seconds from ``start`` to the end of the log.
        public var spanSeconds: Int64 { Int64(days) * 86_400 }

        /// Checks every field's range and their consistency.
        public func validate() throws(TacitError) {
            func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(TacitError) {
                if !condition { throw .invalidArgument(message()) }
            }
            try check((1_000...100_000_000).contains(events), "events must be 1000…100000000, got \(events)")
            try check((1...Int(Int32.max)).contains(users), "users must be 1…\(Int32.max), got \(users)")
            try check((1...Int(Int32.max)).contains(items), "items must be 1…\(Int32.max), got \(items)")
            try check(categories >= 1 && categories <= items, "categories must be 1…items (\(items)), got \(categories)")
            try check(brands >= categories && brands <= 1_000_000, "brands must be categories (\(categories))…1000000, got \(brands)")
            try check((2...256).contains(latentDimension), "latent dimension must be 2…256, got \(latentDimension)")
            try check((0...4).contains(popularityExponent), "popularity exponent must be 0…4, got \(popularityExponent)")
            try check(temperature > 0.001 && temperature <= 100, "temperature must be in (0.001, 100], got \(temperature)")
            try check((0...10).contains(itemSpread) && (0...10).contains(tasteSpread), "spreads must be 0…10")
            try check((1...36_500).contains(days), "days must be 1…36500, got \(days)")
            try check((0...0.95).contains(newItemFraction), "new item fraction must be 0…0.95, got \(newItemFraction)")
            try check((0...1).contains(newUserFraction), "new user fraction must be 0…1, got \(newUserFraction)")
            try funnel.validate()
            try dwell.validate()
            try check(activityShape > 1 && activityShape <= 20, "activity shape must be in (1, 20], got \(activityShape)")
            try check(meanSessionLength >= 1 && meanSessionLength <= Double(maximumSessionLength),
                      "mean session length must be 1…maximum session length, got \(meanSessionLength)")
            try check((1...10_000).contains(maximumSessionLength), "maximum session length must be 1…10000, got \(maximumSessionLength)")
            try check((0...1).contains(sessionCoherence), "session coherence must be 0…1, got \(sessionCoherence)")
            try check((1...256).contains(candidateSamples), "candidate samples must be 1…256, got \(candidateSamples)")
            try check(threads >= 1, "threads must be at least 1, got \(threads)")
        }
    }

    /// The conversion funnel `view → click → add_to_cart → purchase`: each step happens with its
    /// probability given the previous step, on the same item, seconds later.
    public struct Funnel: Sendable, Hashable {
        /// P(click | view). Default 0.35.
        public var click: Double = 0.35
        /// P(add_to_cart | click). Default 0.3.
        public var addToCart: Double = 0.3
        /// P(purchase | add_to_cart). Default 0.5.
        public var purchase: Double = 0.5

        public init(click: Double = 0.35, addToCart: Double = 0.3, purchase: Double = 0.5) {
            self.click = click
            self.addToCart = addToCart
            self.purchase = purchase
        }

        func validate() throws(TacitError) {
            for (name, p) in [("click", click), ("add_to_cart", addToCart), ("purchase", purchase)] where !(0...1).contains(p) {
                throw .invalidArgument("funnel probability \(name) must be 0…1, got \(p)")
            }
        }
    }

    /// Log-normal dwell time of a view, in whole seconds: `median × exp(spread × N(0, 1))`,
    /// clamped to `1 … maximumSeconds`.
    public struct Dwell: Sendable, Hashable {
        /// Median dwell in seconds. Default 25.
        public var medianSeconds: Double = 25
        /// Log-scale standard deviation. Default 1.0.
        public var spread: Double = 1.0
        /// Longest dwell in seconds. Default 1 800.
        public var maximumSeconds: Int = 1_800

        public init(medianSeconds: Double = 25, spread: Double = 1.0, maximumSeconds: Int = 1_800) {
            self.medianSeconds = medianSeconds
            self.spread = spread
            self.maximumSeconds = maximumSeconds
        }

        func validate() throws(TacitError) {
            guard medianSeconds >= 1, medianSeconds <= 86_400, (0...5).contains(spread), (1...86_400).contains(maximumSeconds) else {
                throw .invalidArgument("dwell needs median 1…86400 s, spread 0…5 and maximum 1…86400 s")
            }
        }
    }
}
