import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

/// Feature hashing (``FeatureHashing``) and the two-tower's hashed tables (`hash_buckets`).
@Suite struct TwoTowerHashingTests {
    /// Buckets of FNV-1a + splitmix64, computed independently (Python, 64-bit arithmetic).
    @Test func bucketsAreTheStableHashOfTheText() throws {
        let thousand = try #require(FeatureHashing(buckets: 1000)), seven = try #require(FeatureHashing(buckets: 7))
        #expect(["item-1", "brand:acme", "1193", "zip=02139", ""].map { thousand.bucket($0) } == [251, 52, 383, 294, 203])
        #expect(["item-1", "brand:acme", "1193", "zip=02139", ""].map { seven.bucket($0) } == [6, 5, 4, 5, 5])
        #expect(FeatureHashing(buckets: 0) == nil && FeatureHashing(buckets: -3) == nil)
        // Only a table with more values than buckets is hashed.
        #expect(!seven.hashes(7) && seven.hashes(8) && seven.rows(5) == 5 && seven.rows(100) == 7)
        // An id's two rows: h mod B and ⌊h / B⌋ mod B.
        #expect(thousand.buckets("item-1") == (251, 993) && thousand.buckets("1193") == (383, 273) && thousand.buckets("x") == (566, 727))
        let ids = IDMap(["item-1", "1193", "x"])
        let rows = IDRows(ids, hashing: FeatureHashing(buckets: 2))
        #expect(rows.isHashed && rows.count == 2)
        #expect(rows[0] == (1, 1) && rows[1] == (1, 1) && rows[2] == (0, 1) && rows[-1] == (-1, -1))
        let bag = rows.bag([2, 0], weights: [0.5, 3])
        #expect(bag.rows == [0, 1, 1, 1] && bag.weights == [0.5, 0.5, 3, 3])
        let exact = IDRows(ids, hashing: seven)
        #expect(!exact.isHashed && exact.count == 3 && exact[2] == (2, -1) && exact[-1] == (-1, -1))
        #expect(exact.bag([2, 0], weights: [0.5, 3]).rows == [2, 0])
    }

    func fit(_ planted: PlantedCatalogue, _ settings: [String]) async throws -> (TwoTowerModel, Parameters, InteractionMatrix) {
        let data = try WeightingPolicy().matrix(from: planted.events)
        let parameters = try TwoTower.descriptor.parameters(from: ["epochs=3", "dimension=8", "batch_size=32"] + settings)
        let model = try await TwoTower.descriptor.trainer(parameters, options: TrainingOptions(threads: 2, side: planted.side)).fit(data)
        return (try #require(model as? TwoTowerModel), parameters, data)
    }

    /// With more buckets than any table has values, nothing is hashed: the same model, bit for bit.
    @Test func bucketsAboveEveryTableChangeNothing() async throws {
        let planted = PlantedCatalogue(users: 40)
        let (exact, _, _) = try await fit(planted, [])
        let (wide, _, _) = try await fit(planted, ["hash_buckets=100000"])
        #expect(!wide.features.itemRows.isHashed && !wide.features.userRows.isHashed && wide.features.brands.hashing == nil)
        #expect(wide.network.parameters.snapshot == exact.network.parameters.snapshot)
        #expect(wide.scorer.itemFactors.array == exact.scorer.itemFactors.array && wide.userEmbeddings.array == exact.userEmbeddings.array)
    }

    /// 40 users, 160 items, 8 categories, 4 brands, 8 tags, 6 buckets:
    /// every table with more than 6 values has 6 rows; the brands and the 3 user-attribute tokens
    /// held by 10 users or more (the ages) keep theirs.
    @Test func tablesWithMoreValuesThanBucketsHaveTheBucketRows() async throws {
        let planted = PlantedCatalogue(users: 40)
        let (model, _, data) = try await fit(planted, ["hash_buckets=6"])
        let hashing = try #require(FeatureHashing(buckets: 6))
        let shape = model.network.shape
        #expect(shape.users == 40 && shape.items == 160 && shape.userRows == 6 && shape.itemRows == 6)
        #expect(shape.categories == 6 && shape.brands == 4 && shape.tags == 6 && shape.userAttributes == 3)
        let rows = { (name: String) in model.network.parameters.parameter(named: name).map { $0.count / 8 } }
        #expect(rows("candidate.item") == 6 && rows("query.history") == 6 && rows("query.recent") == 6 && rows("query.user") == 6)
        #expect(rows("candidate.category") == 6 && rows("candidate.brand") == 4 && rows("candidate.tags") == 6)
        for i in 0..<data.itemCount {
            #expect(model.features.itemRows[Int32(i)] == hashing.buckets(data.items.id(at: Int32(i))))
        }
        // Both rows of an item average into its id embedding.
        let (a, b) = model.features.itemRows[0]
        var pair = [Float](repeating: 0, count: 8)
        model.network.item.lookup(a, b, into: &pair)
        let table = try #require(model.network.parameters.parameter(named: "candidate.item")).values.buffer
        let expected: [Float] = (0..<8).map { c in
            let first: Float = table[Int(a) * 8 + c], second: Float = table[Int(b) * 8 + c]
            return (first + second) * 0.5
        }
        #expect(pair == expected)
        #expect(model.features.categories("c3") == hashing.bucket("c3") && model.features.brands("b1") >= 0 && model.features.brands("b9") == -1)
        // A hashed vocabulary gives every value a row, one never seen in training too.
        #expect(model.features.tags("never-seen") == hashing.bucket("never-seen"))
        #expect(model.scorer.itemCount == 160 && model.userEmbeddings.count == 40 * 8)
    }

    /// One bucket and no metadata: every item's two rows are the one row, so every candidate
    /// embedding is the same vector (to the last bit or two: BLAS kernels may round an edge row
    /// of a block differently from the others, as OpenBLAS's Zen kernels do).
    @Test func oneBucketSharesEveryRow() async throws {
        let data = Fixtures.randomBlocks()
        var c = TwoTower.Configuration()
        (c.dimension, c.epochs, c.batchSize, c.threads, c.hashBuckets) = (8, 2, 32, 2, 1)
        let model = try await TwoTower(c).fit(data, observer: SilentObserver())
        let first = Array(model.scorer.vector(of: 0))
        for i in 1..<data.itemCount {
            let vector = Array(model.scorer.vector(of: i))
            #expect(zip(vector, first).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "item \(i): \(vector) vs \(first)")
        }
        #expect(model.network.shape.itemRows == 1 && model.network.shape.userRows == 1)
    }

    /// A hashed model (layout 4) reads back with the same rows and scores, and a new item with an
    /// unseen tag scores the same.
    @Test func hashedModelFileRoundTrip() async throws {
        let planted = PlantedCatalogue(users: 40)
        let (original, parameters, data) = try await fit(planted, ["hash_buckets=24"])
        let file = Fixtures.temporaryDirectory().appendingPathComponent("hashed.tacit").path
        try ModelFile.save(original, name: "twotower", parameters: parameters, to: file)
        let copy = try #require(try ModelFile.load(from: file).model as? TwoTowerModel)
        #expect(copy.network.shape == original.network.shape && copy.network.shape.hashBuckets == 24)
        #expect(copy.features.tags.hashing?.buckets == nil && copy.features.itemRows == original.features.itemRows)
        #expect(copy.features.userRows == original.features.userRows && copy.features.itemRows.isHashed)
        #expect(copy.network.parameters.snapshot == original.network.parameters.snapshot)
        expectSameServing(copy, original, data: data)
        #expect(TwoTowerModel.layout(of: copy.network.shape) == 4 && TwoTowerModel.shapeCount(layout: 4) == 11)
    }

    /// A hostile file whose shape claims 2²⁸ hashed category rows (16 GiB of floats) is refused
    /// before anything is allocated for them.
    @Test func aShapeLargerThanTheFileIsRefused() throws {
        let data = try WeightingPolicy().matrix(from: PlantedCatalogue(users: 20).events)
        let file = Fixtures.temporaryDirectory().appendingPathComponent("hostile.tacit").path
        var writer = try ArchiveWriter(path: file, magic: ModelFile.magic, version: ModelFile.version)
        let metadata = ModelFile.Metadata(model: "twotower", parameters: try TwoTower.descriptor.parameters(from: []), weighting: nil, format: 1)
        writer.write(string: String(decoding: try JSONEncoder().encode(metadata), as: UTF8.self))
        writer.write(data)
        writer.write(array: [Int64(4)])
        let huge = Int64(1 << 28)
        writer.write(array: [Int64(data.userCount), Int64(data.itemCount), 16, 1, 0, huge, 0, 0, 0, 0, huge])
        writer.write(array: [Int64(50), 0])
        writer.write(0.1)
        for _ in 0..<4 { writer.write(string: "") }
        writer.write(array: [Double]())
        writer.write(string: "")
        writer.write(array: [Int64]())
        writer.write(array: [Double]())
        try writer.finish()
        #expect {
            try ModelFile.load(from: file)
        } throws: { error in
            "\(error)".contains("larger than the file")
        }
    }

    /// Half as many id rows as items and users still separates the planted categories: the
    /// category, brand and tag features carry what the shared id rows lose.
    @Test func hashedModelStillLearnsThePlantedCategories() async throws {
        let planted = PlantedCatalogue(users: 80)
        let (model, _, data) = try await fit(planted, ["hash_buckets=64", "epochs=6"])
        var inCategory = 0, total = 0
        for u in 0..<data.userCount {
            let k = Int(data.users.id(at: UserIndex(u)).dropFirst())! % 8
            for entry in model.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory) {
                total += 1
                if data.items.id(at: entry.item).hasPrefix("c\(k)-") { inCategory += 1 }
            }
        }
        // Chance is 1/8.
        #expect(Double(inCategory) / Double(total) > 0.5, "\(inCategory) of \(total) in the user's category")
    }
}
