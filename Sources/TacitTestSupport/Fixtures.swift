import Foundation
import TacitCore

/// Small data sets with known answers, and the location of the shared real data.
public enum Fixtures {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared/data/ml-100k` beside the package, when present.
    public static var movieLens: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/ml-100k")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("ratings.csv").path) ? url : nil
    }

    /// Why a test that needs MovieLens is skipped.
    public static let movieLensMissing = "../shared/data/ml-100k is absent: MovieLens tests skipped"

    /// A checkerboard: users 0–3 interacted with items 0–3, users 4–7 with items 4–7, except
    /// that user `u` misses item `u` (the item to predict). Every sensible personalised model
    /// ranks that missing in-block item first.
    public static func checkerboard() -> InteractionMatrix {
        var log = EventLog()
        for u in 0..<8 {
            let block = u < 4 ? 0..<4 : 4..<8
            for i in block where i != u {
                log.append(Event(user: "u\(u)", item: "i\(i)", kind: .interaction, timestamp: Int64(u * 10 + i)))
            }
        }
        // Every item is present: each one is held by the other three users of its block.
        return try! WeightingPolicy().matrix(from: log)
    }

    /// A random matrix with a planted block structure, seeded.
    public static func randomBlocks(users: Int = 60, items: Int = 40, blocks: Int = 4, perUser: Int = 8, seed: UInt64 = 7) -> InteractionMatrix {
        var rng = SeededGenerator(seed: seed)
        var log = EventLog()
        var time: Int64 = 0
        for u in 0..<users {
            let block = u % blocks
            let blockItems = Array(stride(from: block, to: items, by: blocks))
            var chosen = Set<Int>()
            while chosen.count < min(perUser, blockItems.count) {
                let pick = rng.nextUnit() < 0.85 ? blockItems[Int(rng.next() % UInt64(blockItems.count))] : Int(rng.next() % UInt64(items))
                chosen.insert(pick)
            }
            for i in chosen.sorted() {
                time += 1
                log.append(Event(user: "u\(u)", item: "i\(i)", kind: rng.nextUnit() < 0.2 ? .purchase : .view, timestamp: time))
            }
        }
        return try! WeightingPolicy().matrix(from: log)
    }

    /// Catalogue records for the items of `data` named `i<k>` (as in ``checkerboard()`` and
    /// ``randomBlocks(users:items:blocks:perUser:seed:)``): category `c<k % 4>` (the blocks of
    /// `randomBlocks`), tags `block<k % 4>` and `third<k % 3>`, a title, a brand and a price.
    public static func catalog(for data: InteractionMatrix) -> SideInformation {
        let records = data.items.ids.map { id -> ItemRecord in
            let k = Int(id.dropFirst()) ?? 0
            return ItemRecord(id: id, title: "Item \(k % 5) of block \(k % 4)", category: "c\(k % 4)", brand: "b\(k % 2)",
                              price: Double(10 + k), tags: ["block\(k % 4)", "third\(k % 3)"])
        }
        return SideInformation(items: records)
    }

    /// Writes `text` to a new temporary file and returns its path.
    public static func temporaryFile(_ text: String, name: String = "data.csv") -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try! Data(text.utf8).write(to: url)
        return url.path
    }

    /// A new empty temporary directory.
    public static func temporaryDirectory() -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
