import TacitCore

extension ImplicitALSModel: PersistableModel {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(factors)
        writer.write(array: [solverSettings.alpha, solverSettings.regularization, solverSettings.frequencyScaling, solverSettings.recency])
        writer.write(table: userFactors.buffer, width: factors)
        writer.write(table: scorer.itemFactors.buffer, width: factors)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> ImplicitALSModel {
        let factors = try reader.readInt()
        guard (1...4096).contains(factors) else { throw reader.formatError("implausible factor count \(factors)") }
        let settings: StorageBuffer<Double> = try reader.read(count: 4, what: "solver settings")
        let users = try reader.readTable(rows: trainingData.userCount, width: factors, what: "user factors")
        let items = try reader.readTable(rows: trainingData.itemCount, width: factors, what: "item factors")
        return ImplicitALSModel(trainingData: trainingData, factors: factors, userFactors: users, itemFactors: items,
                                solverSettings: .init(alpha: settings[0], regularization: settings[1], frequencyScaling: settings[2], recency: settings[3]))
    }
}
