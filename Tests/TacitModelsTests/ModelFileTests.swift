import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

@Suite struct ModelFileTests {
    func path(_ name: String) -> String { Fixtures.temporaryDirectory().appendingPathComponent(name).path }

    /// Every saveable model in the catalogue comes back with identical recommendations.
    @Test func everySaveableModelRoundTrips() async throws {
        let data = Fixtures.randomBlocks()
        for descriptor in ModelCatalog.all where descriptor.modelType != nil {
            let parameters = descriptor.defaults
            let model = try await descriptor.trainer(parameters, options: TrainingOptions(threads: 2, side: Fixtures.catalog(for: data))).fit(data)
            let file = path("\(descriptor.name).tacit")
            var policy = WeightingPolicy()
            policy.aggregation = .max
            try ModelFile.save(model, name: descriptor.name, parameters: parameters, weighting: policy, to: file)
            let loaded = try ModelFile.load(from: file)
            #expect(loaded.descriptor.name == descriptor.name)
            #expect(loaded.parameters == parameters)
            #expect(loaded.weighting == policy)
            #expect(loaded.model.trainingData.users == data.users && loaded.model.trainingData.nnz == data.nnz)
            for u in 0..<data.userCount {
                #expect(loaded.model.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory)
                        == model.recommend(for: UserIndex(u), count: 5, filter: .excludingHistory), "\(descriptor.name) user \(u)")
            }
        }
    }

    @Test func corruptTruncatedAndForeignFilesAreRefused() async throws {
        let data = Fixtures.checkerboard()
        let model = try await ImplicitALS().fit(data, observer: SilentObserver())
        let file = path("als.tacit")
        try ModelFile.save(model, name: "als", parameters: ImplicitALS.descriptor.defaults, to: file)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: file)))

        var corrupt = bytes
        corrupt[corrupt.count - 5] ^= 0xFF
        try Data(corrupt).write(to: URL(fileURLWithPath: file + ".corrupt"))
        #expect(throws: TacitError.format(path: file + ".corrupt", reason: "checksum mismatch: the file is corrupt")) {
            try ModelFile.load(from: file + ".corrupt")
        }

        bytes[8] = 2   // format version 2
        try Data(bytes).write(to: URL(fileURLWithPath: file + ".v2"))
        #expect(throws: TacitError.format(path: file + ".v2", reason: "format version 2 is not supported (this build reads version 1)")) {
            try ModelFile.load(from: file + ".v2")
        }

        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: file + ".short"))
        #expect(throws: TacitError.self) { try ModelFile.load(from: file + ".short") }

        let matrixFile = path("matrix.tacit")
        try data.save(to: matrixFile)
        #expect(throws: TacitError.format(path: matrixFile, reason: "not a TACITMD1 file (magic 'TACITMX1')")) {
            try ModelFile.load(from: matrixFile)
        }
    }
}
