import Foundation
import TacitCore

/// The items of a synthetic shop and the structures that sample them.
///
/// Every category has a unit-length centroid in latent space; an item's latent vector is its
/// centroid plus Gaussian noise. Popularity is Zipf over a random ranking of all items. Tags are
/// chosen by the direction of the item's noise (each tag of a category has a direction), so tags
/// carry content signal a content-based model can learn.
struct SyntheticCatalog: Sendable {
    let dimension: Int
    let categoryCount: Int
    let categoryNames: [String]
    /// `categoryCount × dimension`, unit rows.
    let centroids: [Float]
    /// Total popularity of each category's items.
    let categoryMass: [Double]
    /// `log(categoryMass)`.
    let logCategoryMass: [Float]
    /// Draws a category with probability ∝ √mass (users' favourite categories: popular categories
    /// have more fans, damped so the head of the catalog does not take everything).
    let categorySampler: AliasTable
    /// Items are laid out in "slots" grouped by category, most popular first within a category,
    /// so a category's hot items share cache lines: category `c` holds slots
    /// `categoryStart[c] ..< categoryStart[c + 1]`.
    let categoryStart: [Int]
    /// The item in each slot.
    let slotItem: StorageBuffer<Int32>
    /// `slots × dimension` latent vectors.
    let slotLatents: StorageBuffer<Float>
    /// Creation time of the item in each slot, seconds since 1970.
    let slotCreated: StorageBuffer<Int64>
    /// Popularity alias columns of each category, aligned with its slots (aliases are relative to
    /// the category's first slot).
    let slotAlias: StorageBuffer<AliasTable.Entry>
    /// The slot of each item.
    let itemSlot: [Int32]
    /// Per category, the slot of its most popular item that exists from the start of the log.
    let anchors: [Int32]
    let itemCategory: [Int32]
    /// The catalog rows.
    let records: [ItemRecord]

    init(_ configuration: ShopSimulator.Configuration) {
        let d = configuration.latentDimension, n = configuration.items, c = configuration.categories
        var rng = RandomStreams.catalog(configuration.seed)
        dimension = d
        categoryCount = c
        categoryNames = (0..<c).map(SyntheticVocabulary.categoryName)

        var centroids = [Float]()
        centroids.reserveCapacity(c * d)
        for _ in 0..<c { centroids += rng.unitVector(d) }
        self.centroids = centroids

        // Category sizes are log-normal; the first `c` items seed one category each.
        let sizes = AliasTable(weights: (0..<c).map { _ in Foundation.exp(0.5 * rng.nextGaussian()) })
        var itemCategory = [Int32](repeating: 0, count: n)
        for i in 0..<n { itemCategory[i] = Int32(i < c ? i : sizes.sample(&rng)) }

        // Zipf popularity over a random ranking (Fisher–Yates with our own generator).
        var ranks = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { ranks.swapAt(i, rng.below(i + 1)) }
        let s = configuration.popularityExponent
        let popularity = ranks.map { Foundation.pow(Double($0 + 1), -s) }

        // Latent vectors: centroid + noise.
        let noiseScale = Float(configuration.itemSpread / Double(d).squareRoot())
        var latents = [Float](repeating: 0, count: n * d)
        var noise = [Float](repeating: 0, count: n * d)
        for i in 0..<n {
            let k = Int(itemCategory[i])
            for j in 0..<d {
                let e = Float(rng.nextGaussian()) * noiseScale
                noise[i * d + j] = e
                latents[i * d + j] = centroids[k * d + j] + e
            }
        }

        // Creation times: new items arrive uniformly during the log, the others in the year before.
        let start = configuration.start, span = configuration.spanSeconds
        var createdAt = [Int64](repeating: 0, count: n)
        for i in 0..<n {
            createdAt[i] = rng.nextUnit() < configuration.newItemFraction
                ? start + Int64(rng.nextUnit() * Double(span))
                : start - 1 - Int64(rng.nextUnit() * 365 * 86_400)
        }

        // Slots: by category, then by popularity (most popular first), then by item index.
        var members = [[Int32]](repeating: [], count: c)
        for i in 0..<n { members[Int(itemCategory[i])].append(Int32(i)) }
        for k in 0..<c {
            members[k].sort { (popularity[Int($0)], $1) > (popularity[Int($1)], $0) }
            if !members[k].contains(where: { createdAt[Int($0)] <= start }) {
                createdAt[Int(members[k][0])] = start - 86_400
            }
        }
        var categoryStart = [0]
        var order: [Int32] = [], alias: [AliasTable.Entry] = [], anchors: [Int32] = []
        order.reserveCapacity(n)
        alias.reserveCapacity(n)
        for k in 0..<c {
            let first = order.count
            anchors.append(Int32(first + members[k].firstIndex { createdAt[Int($0)] <= start }!))
            order += members[k]
            alias += AliasTable.entries(weights: members[k].map { popularity[Int($0)] })
            categoryStart.append(order.count)
        }
        var itemSlot = [Int32](repeating: 0, count: n)
        for (slot, item) in order.enumerated() { itemSlot[Int(item)] = Int32(slot) }
        self.categoryStart = categoryStart
        self.anchors = anchors
        self.itemSlot = itemSlot
        self.itemCategory = itemCategory
        slotItem = StorageBuffer(order)
        slotAlias = StorageBuffer(alias)
        slotCreated = StorageBuffer(order.map { createdAt[Int($0)] })
        slotLatents = StorageBuffer(count: n * d) { out in
            for (slot, item) in order.enumerated() {
                for j in 0..<d { out[slot * d + j] = latents[Int(item) * d + j] }
            }
        }
        let mass = members.map { $0.reduce(0) { $0 + popularity[Int($1)] } }
        categoryMass = mass
        logCategoryMass = mass.map { Float(Foundation.log($0)) }
        categorySampler = AliasTable(weights: mass.map { $0.squareRoot() })

        records = Self.makeRecords(configuration, itemCategory: itemCategory, noise: noise, createdAt: createdAt,
                                   categoryNames: categoryNames, rng: &rng)
    }

    /// Titles, brands, prices and tags.
    private static func makeRecords(
        _ configuration: ShopSimulator.Configuration, itemCategory: [Int32], noise: [Float], createdAt: [Int64],
        categoryNames: [String], rng: inout SeededGenerator
    ) -> [ItemRecord] {
        let d = configuration.latentDimension, c = configuration.categories
        // Brand b belongs to category b % c; within a category brands are Zipf-popular.
        var brandsOf = [[Int]](repeating: [], count: c)
        for b in 0..<configuration.brands { brandsOf[b % c].append(b) }
        let brandSamplers = brandsOf.map { AliasTable(weights: $0.indices.map { 1 / Double($0 + 1) }) }
        let premium = (0..<configuration.brands).map { _ in Foundation.exp(0.25 * rng.nextGaussian()) }
        // Each tag of a category has a direction in latent space.
        let tagDirections = (0..<c).map { k in SyntheticVocabulary.base(k).tags.map { _ in rng.unitVector(d) } }
        let noiseNorm = Float(max(configuration.itemSpread, 1e-6) / Double(d).squareRoot())

        var records = [ItemRecord]()
        records.reserveCapacity(itemCategory.count)
        for i in 0..<itemCategory.count {
            let k = Int(itemCategory[i])
            let vocabulary = SyntheticVocabulary.base(k)
            let brand = brandsOf[k][brandSamplers[k].sample(&rng)]
            let price = vocabulary.medianPrice * Foundation.exp(0.6 * rng.nextGaussian()) * premium[brand]
            let cents = max(49, (price * 100).rounded())
            let scores: [Float] = tagDirections[k].map { direction in
                var dot: Float = 0
                for j in 0..<d { dot += direction[j] * noise[i * d + j] }
                return dot / noiseNorm + 0.5 * Float(rng.nextGaussian())
            }
            let tagCount = 2 + rng.below(3)
            let tags = scores.indices.sorted { (scores[$0], $1) > (scores[$1], $0) }.prefix(tagCount).map { vocabulary.tags[$0] }
            let noun = vocabulary.nouns[rng.below(vocabulary.nouns.count)]
            let code = String(UnicodeScalar(UInt8(65 + rng.below(26)))) + String(100 + rng.below(900))
            let brandName = SyntheticVocabulary.brandName(brand)
            let title = "\(brandName) \(tags[0].prefix(1).uppercased() + tags[0].dropFirst()) \(noun) \(code)"
            records.append(ItemRecord(id: ShopSimulator.itemID(Int32(i)), title: title, category: categoryNames[k],
                                      brand: brandName, price: cents / 100, tags: tags, createdAt: createdAt[i]))
        }
        return records
    }

    /// The latent vector of `item`.
    func latent(of item: Int) -> [Float] {
        let slot = Int(itemSlot[item])
        return Array(UnsafeBufferPointer(rebasing: slotLatents.buffer[slot * dimension ..< (slot + 1) * dimension]))
    }

    /// `a · b` over `count` floats.
    /// - Complexity: O(count), eight lanes at a time.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var j = 0
        while j + 8 <= count {
            lanes += UnsafeRawPointer(a + j).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + j).loadUnaligned(as: SIMD8<Float>.self)
            j += 8
        }
        var sum = lanes.sum()
        while j < count {
            sum += a[j] * b[j]
            j += 1
        }
        return sum
    }
}
