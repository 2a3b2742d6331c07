import TacitCore

extension PopularityModel: PersistableModel {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(array: scores)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> PopularityModel {
        let scores: StorageBuffer<Float> = try reader.read(count: trainingData.itemCount, what: "item scores")
        return PopularityModel(trainingData: trainingData, scores: scores.array)
    }
}
