import TacitCore

extension ContentModel: PersistableModel {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(recency)
        writer.write(array: featurizer.groupWeights)
        writer.write(array: featurizer.priceBoundaries)
        writer.write(array: featurizer.groups.map(\.rawValue))
        writer.write(array: featurizer.idf)
        writer.write(profiles)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> ContentModel {
        let recency = try reader.readDouble()
        let weights: StorageBuffer<Float> = try reader.read(count: ItemFeaturizer.Group.allCases.count, what: "feature group weights")
        let boundaries: StorageBuffer<Double> = try reader.read()
        let groupCodes: StorageBuffer<UInt8> = try reader.read()
        let idf: StorageBuffer<Float> = try reader.read(count: groupCodes.count, what: "feature IDF")
        let profiles = try reader.readMatrix()
        guard profiles.userCount == trainingData.itemCount, profiles.itemCount == groupCodes.count else {
            throw reader.formatError("item profiles of shape \(profiles.userCount)x\(profiles.itemCount) do not match \(trainingData.itemCount) items and \(groupCodes.count) features")
        }
        var groups: [ItemFeaturizer.Group] = []
        for code in groupCodes.buffer {
            guard let group = ItemFeaturizer.Group(rawValue: code) else { throw reader.formatError("unknown feature group \(code)") }
            groups.append(group)
        }
        let featurizer = ItemFeaturizer(features: profiles.items, groups: groups, idf: idf.array, groupWeights: weights.array,
                                        priceBoundaries: boundaries.array)
        return ContentModel(trainingData: trainingData, featurizer: featurizer, profiles: profiles, recency: recency)
    }
}
