import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

@Suite struct PopularityTests {
    func data() throws -> InteractionMatrix {
        // Items by users: a 3, b 1, c 3, d 2. a and c tie: a has the lower index.
        let rows: [(String, String, EventKind, Int64)] = [
            ("u1", "a", .view, 0), ("u2", "a", .view, 0), ("u3", "a", .view, 0),
            ("u1", "b", .purchase, 86_400 * 10), ("u1", "c", .view, 86_400 * 10), ("u2", "c", .view, 86_400 * 10),
            ("u4", "c", .view, 86_400 * 10), ("u2", "d", .view, 86_400 * 10), ("u3", "d", .view, 86_400 * 10),
        ]
        return try WeightingPolicy().matrix(from: EventLog(rows.map { Event(user: $0.0, item: $0.1, kind: $0.2, timestamp: $0.3) }))
    }

    @Test func ranksByUserCountWithTiesByLowerIndex() async throws {
        let model = try await Popularity().fit(try data(), observer: SilentObserver())
        #expect(model.scores == [3, 1, 3, 2])
        #expect(model.recommend(for: 3, count: 4, filter: .excludingHistory).map(\.item) == [0, 3, 1])   // u4 has c
        #expect(model.recommend(for: 0, count: 2, filter: .excludingHistory).map(\.item) == [3])         // u1 has a, b, c
    }

    @Test func weightMeasureCountsConfidence() async throws {
        let model = try await Popularity(.init(measure: .weight)).fit(try data(), observer: SilentObserver())
        #expect(model.scores == [3, 8, 3, 2])
    }

    @Test func trendingDecaysOldInteractions() async throws {
        let model = try await Popularity(.init(halfLifeDays: 10)).fit(try data(), observer: SilentObserver())
        // a's three interactions are 10 days (one half-life) older than the latest.
        #expect(abs(model.scores[0] - 1.5) < 1e-5)
        #expect(model.scores[2] == 3)
        #expect(model.recommend(history: SparseVector(pairs: []), count: 2, filter: .excludingHistory).map(\.item) == [2, 3])
    }

    @Test func conforms() async throws {
        for matrix in [Fixtures.checkerboard(), Fixtures.randomBlocks()] {
            for descriptor in [Popularity.descriptor, Popularity.trendingDescriptor] {
                let model = try await descriptor.trainer(descriptor.defaults).fit(matrix)
                #expect(ModelConformance.recommender(model).isEmpty, "\(descriptor.name)")
                #expect(ModelConformance.foldIn(model as! any FoldIn).isEmpty, "\(descriptor.name)")
            }
        }
    }
}
