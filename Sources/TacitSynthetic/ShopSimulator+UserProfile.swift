import Foundation
import TacitCore

extension ShopSimulator {
    /// The hidden truth about one synthetic user: how active they are and what they like.
    ///
    /// A profile is a pure function of the seed and the user's index (its own random stream), so it
    /// is recomputed where needed instead of stored: generating events needs no per-user memory.
    public struct UserProfile: Sendable, Hashable {
        /// The user's index; the external id is ``ShopSimulator/userID(_:)``.
        public let index: Int32
        /// Pareto(α) activity weight, at least 1: the user's share of all events is proportional to it.
        public let activity: Double
        /// ISO country code (an attribute for `users.csv`).
        public let country: String
        /// `casual`, `regular` or `loyal`, from ``activity`` (an attribute for `users.csv`).
        public let segment: String
        /// The 1–3 categories the taste is a mixture of, strongest first.
        public let favouriteCategories: [Int]
        /// The latent taste: a weighted mixture of the favourite categories' centroids plus noise.
        public let taste: [Float]

        /// The user as a catalog record (`country`, `segment` attributes).
        public var record: UserRecord {
            UserRecord(id: ShopSimulator.userID(index), attributes: ["country": country, "segment": segment])
        }

        /// Draws the profile of user `index`; the draw order is fixed (activity, country, taste).
        init(index: Int32, configuration: ShopSimulator.Configuration, catalog: SyntheticCatalog) {
            var rng = RandomStreams.user(configuration.seed, index)
            let head = Self.head(&rng, configuration)
            self.index = index
            activity = head.activity
            country = head.country
            segment = head.segment
            // 1 (50 %), 2 (30 %) or 3 (20 %) favourite categories, chosen ∝ √(popularity mass).
            let u = rng.nextUnit()
            let wanted = min(catalog.categoryCount, u < 0.5 ? 1 : u < 0.8 ? 2 : 3)
            var favourites: [Int] = []
            var attempts = 0
            while favourites.count < wanted && attempts < 32 {
                let c = catalog.categorySampler.sample(&rng)
                if !favourites.contains(c) { favourites.append(c) }
                attempts += 1
            }
            let weights = favourites.indices.map { 1.0 - 0.2 * Double($0) - 0.1 * rng.nextUnit() }
            let d = catalog.dimension
            let noise = Float(configuration.tasteSpread / Double(d).squareRoot())
            var taste = [Float](repeating: 0, count: d)
            for (c, w) in zip(favourites, weights) {
                for j in 0..<d { taste[j] += Float(w) * catalog.centroids[c * d + j] }
            }
            for j in stride(from: 0, to: d, by: 2) {
                let (a, b) = rng.nextGaussianPair()
                taste[j] += Float(a) * noise
                if j + 1 < d { taste[j + 1] += Float(b) * noise }
            }
            favouriteCategories = favourites
            self.taste = taste
        }

        /// The first draws of a user's stream: activity, country and segment.
        static func head(_ rng: inout SeededGenerator, _ configuration: ShopSimulator.Configuration)
            -> (activity: Double, country: String, segment: String)
        {
            let activity = Foundation.pow(1 - rng.nextUnit(), -1 / configuration.activityShape)
            var pick = rng.nextUnit() * countryTotal
            var country = SyntheticVocabulary.countries[0].code
            for entry in SyntheticVocabulary.countries {
                country = entry.code
                pick -= entry.weight
                if pick < 0 { break }
            }
            let segment = activity < 1.3 ? "casual" : activity < 2.5 ? "regular" : "loyal"
            return (activity, country, segment)
        }

        /// The activity weight of user `index` (the first draw of its stream), without the rest.
        static func activity(of index: Int32, configuration: ShopSimulator.Configuration) -> Double {
            var rng = RandomStreams.user(configuration.seed, index)
            return Foundation.pow(1 - rng.nextUnit(), -1 / configuration.activityShape)
        }

        private static let countryTotal = SyntheticVocabulary.countries.reduce(0) { $0 + $1.weight }
    }
}
