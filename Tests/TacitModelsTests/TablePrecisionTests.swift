import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

/// `precision=int8`: the user and item tables of als, bpr, twotower and sasrec are int8 codes
/// with one scale per vector — by hand on a small table, the same values after a fit as the f32 fit rounded, the
/// same values and lists after a save and load, a quarter of the table bytes in the file, and
/// lists close to the f32 model's.
@Suite struct TablePrecisionTests {
    /// Row `[1, -2, 0.5]`: scale 2/127, codes `[64, -127, 32]` (63.5 and 31.75 rounded half away
    /// from zero); a zero row stays zero.
    @Test func int8RoundsEachRowToItsCodesTimesItsScale() {
        let table = StorageBuffer<Float>([1, -2, 0.5, 0, 0, 0])
        let scale: Float = 2 / 127
        #expect(TablePrecision.int8.applied(to: table, width: 3).array == [64 * scale, -127 * scale, 32 * scale, 0, 0, 0])
        #expect(TablePrecision.f32.applied(to: table, width: 3) === table)
    }

    /// Rounding is idempotent and a rounded table is written and read back bit for bit, for
    /// 50,000 rows of seeded values across six orders of magnitude (what makes "the fitted model
    /// is what its file gives back" hold for every row, not only the rows of a small fixture).
    @Test func roundedTablesSurviveRoundingAndFilesBitForBit() throws {
        var random = SeededGenerator(seed: 3)
        let width = 8, rows = 50_000
        let values = (0..<(rows * width)).map { k in Float(random.nextUnit() * 2 - 1) * Float(pow(10, Double(k / width % 6) - 3)) }
        let rounded = TablePrecision.int8.applied(to: StorageBuffer(values), width: width)
        #expect(TablePrecision.int8.applied(to: rounded, width: width).array == rounded.array)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-rounded-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try ArchiveWriter(path: path, magic: "TACITTST", version: 1)
        writer.tablePrecision = .int8
        writer.write(table: rounded.buffer, width: width)
        try writer.finish()
        var reader = try ArchiveReader(path: path, magic: "TACITTST", supportedVersion: 1)
        reader.tablePrecision = .int8
        #expect(try reader.readTable(rows: rows, width: width, what: "table").array == rounded.array)
    }

    /// A model file's int8 tables come back as the same values; a scale that is negative or not
    /// finite is refused with a format error naming the file and the table.
    @Test func tablesRoundTripAndBadScalesAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-table-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let values: [Float] = [0.25, -3, 7, 1e-3, 0, 0, 0, 0, -1, 1, 2, -2]
        let path = directory + "/table"
        var writer = try ArchiveWriter(path: path, magic: "TACITTST", version: 1)
        writer.tablePrecision = .int8
        values.withUnsafeBufferPointer { writer.write(table: $0, width: 4) }
        try writer.finish()
        var reader = try ArchiveReader(path: path, magic: "TACITTST", supportedVersion: 1)
        reader.tablePrecision = .int8
        let read = try reader.readTable(rows: 3, width: 4, what: "test table")
        #expect(read.array == TablePrecision.int8.applied(to: StorageBuffer(values), width: 4).array)

        let bad = directory + "/bad"
        var hostile = try ArchiveWriter(path: bad, magic: "TACITTST", version: 1)
        hostile.write(array: [Float(0.5), -Float(1)])
        hostile.write(array: [Int8](repeating: 1, count: 4))
        try hostile.finish()
        var badReader = try ArchiveReader(path: bad, magic: "TACITTST", supportedVersion: 1)
        badReader.tablePrecision = .int8
        let error = #expect(throws: TacitError.self) { _ = try badReader.readTable(rows: 2, width: 2, what: "user factors") }
        #expect(error == .format(path: bad, reason: "user factors: a scale is negative or not finite"))
    }

    /// The item table of an int8 fit is the f32 fit's rounded (the same training); so are the
    /// user vectors where they come from the item table's training alone (als, bpr, twotower's
    /// query embeddings) — a SASRec state is computed from the rounded item embeddings, then rounded.
    @Test(arguments: [("als", ["factors=16"]), ("bpr", ["factors=16"]), ("twotower", ["dimension=16", "epochs=3"]),
                      ("sasrec", ["dimension=16", "epochs=3", "max_length=20"])])
    func int8ModelsAreTheRoundedF32ModelsInMemoryAndOnDisk(model name: String, parameters given: [String]) async throws {
        let data = Fixtures.randomBlocks(users: 120, items: 200, perUser: 15)
        let descriptor = try ModelCatalog.descriptor(named: name)
        let f32Parameters = try descriptor.parameters(from: given)
        let int8Parameters = try descriptor.parameters(from: given + ["precision=int8"])
        let exact = try #require(try await descriptor.trainer(f32Parameters, threads: 1).fit(data) as? any InnerProductModel)
        let rounded = try #require(try await descriptor.trainer(int8Parameters, threads: 1).fit(data) as? any InnerProductModel)
        let width = exact.scorer.factors
        #expect(rounded.scorer.itemFactors.array == TablePrecision.int8.applied(to: exact.scorer.itemFactors, width: width).array)
        for user in [0, 57, 119] {
            let vector = Array(rounded.vector(of: UserIndex(user)))
            #expect(TablePrecision.int8.applied(to: StorageBuffer(vector), width: width).array == vector, "user \(user): a rounded table rounds to itself")
            guard name != "sasrec" else { continue }
            let expected = TablePrecision.int8.applied(to: StorageBuffer(Array(exact.vector(of: UserIndex(user)))), width: width).array
            #expect(vector == expected, "user \(user)")
        }
        // Lists of the int8 model are close to the f32 model's.
        var overlap = 0
        for user in 0..<data.userCount {
            let a = exact.recommend(for: UserIndex(user), count: 10, filter: .excludingHistory).map(\.item)
            let b = rounded.recommend(for: UserIndex(user), count: 10, filter: .excludingHistory).map(\.item)
            overlap += Set(a).intersection(b).count
        }
        #expect(Double(overlap) / Double(10 * data.userCount) >= 0.8, "top-10 overlap \(overlap) of \(10 * data.userCount)")

        // Saved and loaded: the same tables and lists; the tables take a quarter of the bytes.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-precision-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ModelFile.save(exact, name: name, parameters: f32Parameters, to: directory + "/f32.tacit")
        try ModelFile.save(rounded, name: name, parameters: int8Parameters, to: directory + "/int8.tacit")
        let loaded = try #require(try ModelFile.load(from: directory + "/int8.tacit").model as? any InnerProductModel)
        #expect(loaded.scorer.itemFactors.array == rounded.scorer.itemFactors.array)
        #expect(Array(loaded.vector(of: 57)) == Array(rounded.vector(of: 57)))
        for user in 0..<data.userCount {
            #expect(loaded.recommend(for: UserIndex(user), count: 10, filter: .excludingHistory)
                    == rounded.recommend(for: UserIndex(user), count: 10, filter: .excludingHistory))
        }
        let size = { (file: String) in (try FileManager.default.attributesOfItem(atPath: directory + "/" + file)[.size] as? Int) ?? 0 }
        let tableBytes = (data.userCount + data.itemCount) * width * 4
        let saved = try size("f32.tacit") - size("int8.tacit")
        // Codes are a quarter of the floats; one float scale per row comes back on top.
        let rowsAndPadding = (data.userCount + data.itemCount) * 4 + 64
        #expect(saved >= tableBytes * 3 / 4 - rowsAndPadding && saved <= tableBytes * 3 / 4, "\(saved) bytes saved of \(tableBytes)")
    }
}
