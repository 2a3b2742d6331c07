import TacitCore

extension HybridModel: PersistableModel {
    /// The blend settings, the collaborative model's name and state, then the content model's state.
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(string: collaborativeName)
        writer.write(string: configuration.normalization.rawValue)
        writer.write(array: [configuration.contentWeight, configuration.shortHistoryContentWeight])
        writer.write(array: [Int64(configuration.minHistory), Int64(configuration.candidates)])
        collaborative.archive(into: &writer)
        content.archive(into: &writer)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> HybridModel {
        let name = try reader.readString()
        guard let type = Hybrid.collaborativeModels.first(where: { $0.name == name })?.modelType else {
            throw reader.formatError("unknown collaborative model '\(name)'")
        }
        var configuration = Hybrid.Configuration()
        let normalization = try reader.readString()
        guard let parsed = ScoreBlend.Normalization(rawValue: normalization) else { throw reader.formatError("unknown normalization '\(normalization)'") }
        configuration.normalization = parsed
        let weights: StorageBuffer<Double> = try reader.read(count: 2, what: "blend weights")
        let sizes: StorageBuffer<Int64> = try reader.read(count: 2, what: "blend sizes")
        configuration.contentWeight = weights[0]
        configuration.shortHistoryContentWeight = weights[1]
        configuration.minHistory = Int(sizes[0])
        configuration.candidates = Int(sizes[1])
        do { try configuration.validate() } catch { throw reader.formatError("implausible blend settings: \(error)") }
        guard let collaborative = try type.unarchive(from: &reader, trainingData: trainingData) as? Collaborative else {
            throw reader.formatError("collaborative model '\(name)' lacks fold-in or similar items")
        }
        let content = try ContentModel.unarchive(from: &reader, trainingData: trainingData)
        return HybridModel(trainingData: trainingData, configuration: configuration, collaborativeName: name,
                           collaborative: collaborative, content: content)
    }
}
