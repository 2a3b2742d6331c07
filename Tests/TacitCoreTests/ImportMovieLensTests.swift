import Foundation
import Testing
import TacitCore

/// The shared ML-100K files (`../shared/data/ml-100k` next to the package), loaded with no options.
enum MovieLensFiles {
    /// `<package root>/../shared/data/ml-100k`, found from this file's path.
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }   // ImportMovieLensTests.swift, TacitCoreTests, Tests
        return url.appendingPathComponent("../shared/data/ml-100k").standardizedFileURL.path
    }()

    static func path(_ name: String) -> String { folder + "/" + name }

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: path("ratings.csv")) }
}

@Suite(
    "Import: ML-100K files",
    .enabled(if: MovieLensFiles.isAvailable, "ML-100K not found at ../shared/data/ml-100k next to the package; skipping")
)
struct ImportMovieLensTests {
    @Test func ratingsLoadWithNoOptions() throws {
        var log = EventLog()
        let report = try EventImporter().read(path: MovieLensFiles.path("ratings.csv"), into: &log)
        #expect(log.count == 100_000)
        #expect(log.users.count == 943)
        #expect(log.items.count == 1682)
        #expect(log.kinds == [.interaction])
        #expect(report.rowsRead == 100_000 && report.accepted == 100_000 && report.rowsSkipped == 0)
        #expect(log.event(at: 0) == Event(user: "196", item: "242", kind: .interaction, timestamp: 881_250_949, value: 3))
        #expect(log.values.allSatisfy { (1...5).contains($0) })
    }

    @Test func leaveOneOutTrainSplitLoads() throws {
        var log = EventLog()
        _ = try EventImporter().read(path: MovieLensFiles.path("splits/loo/train.csv"), into: &log)
        #expect(log.count == 98_114)
        #expect(log.values.allSatisfy { $0.isNaN })
        #expect(log.event(at: 0) == Event(user: "1", item: "168", timestamp: 874_965_478))
    }

    @Test func splitFilesConcatenateInOrder() throws {
        let names = ["train", "valid", "test"].map { MovieLensFiles.path("splits/loo/\($0).csv") }
        let (log, reports) = try EventImporter().read(paths: names)
        #expect(reports.map(\.accepted) == [98_114, 943, 943])
        #expect(log.count == 100_000)
        #expect(log.event(at: 98_114) == Event(user: "1", item: "74", timestamp: 889_751_736))
    }

    @Test func itemsLoadWithGenresAsTags() throws {
        let (items, _) = try ItemCatalogReader().read(path: MovieLensFiles.path("items.csv"))
        #expect(items.count == 1682)
        #expect(items[0] == ItemRecord(id: "1", title: "Toy Story", category: "Animation",
                                       tags: ["Animation", "Children's", "Comedy"], attributes: ["year": "1995"]))
        #expect(items[11].title == "Usual Suspects, The")
    }

    @Test func usersLoadWithAttributes() throws {
        let (users, _) = try UserCatalogReader().read(path: MovieLensFiles.path("users.csv"))
        #expect(users.count == 943)
        #expect(users[0] == UserRecord(id: "1", attributes: [
            "age": "24", "gender": "M", "occupation": "technician", "zip_code": "85711",
        ]))
    }
}
