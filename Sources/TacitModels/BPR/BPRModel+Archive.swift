import TacitCore

extension BPRModel: PersistableModel {
    /// Sections: factor count; `[regularization, samplingExponent]`; `[sampling (0 uniform,
    /// 1 popularity), verifyNegatives, seed bits]`; the per-epoch learning rates; user factors and
    /// item factors (tables at the file's precision); item biases.
    public func archive(into writer: inout ArchiveWriter) {
        let settings = foldInSettings
        writer.write(factors)
        writer.write(array: [Double(settings.regularization), settings.samplingExponent])
        writer.write(array: [settings.sampling == .uniform ? 0 : 1, settings.verifyNegatives ? 1 : 0, Int64(bitPattern: settings.seed)])
        writer.write(array: settings.learningRates)
        writer.write(table: userFactors.buffer, width: factors)
        writer.write(table: scorer.itemFactors.buffer, width: factors)
        writer.write(buffer: scorer.itemBias!.buffer)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> BPRModel {
        let factors = try reader.readInt()
        guard (1...4096).contains(factors) else { throw reader.formatError("implausible factor count \(factors)") }
        let reals: StorageBuffer<Double> = try reader.read(count: 2, what: "BPR settings")
        let flags: StorageBuffer<Int64> = try reader.read(count: 3, what: "BPR sampling settings")
        guard (0...1).contains(flags[0]), (0...1).contains(flags[1]), (0...4).contains(reals[1]) else {
            throw reader.formatError("invalid BPR sampling settings")
        }
        let rates: StorageBuffer<Float> = try reader.read()
        let users = try reader.readTable(rows: trainingData.userCount, width: factors, what: "user factors")
        let items = try reader.readTable(rows: trainingData.itemCount, width: factors, what: "item factors")
        let bias: StorageBuffer<Float> = try reader.read(count: trainingData.itemCount, what: "item biases")
        let settings = FoldInSettings(learningRates: rates.array, regularization: Float(reals[0]),
                                      sampling: flags[0] == 0 ? .uniform : .popularity, samplingExponent: reals[1],
                                      verifyNegatives: flags[1] == 1, seed: UInt64(bitPattern: flags[2]))
        return BPRModel(trainingData: trainingData, factors: factors, userFactors: users, itemFactors: items, itemBias: bias, foldIn: settings)
    }
}
