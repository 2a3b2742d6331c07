import TacitCore

extension ContentModel: PersistableModel {
    /// The layout of the content sections this build writes. Layout 3 starts with `[3, hash
    /// buckets]` (two integers) and ends with the prior; layout 2 (before the prior) reads with
    /// no prior; a layout-1 file (builds before feature hashing) starts with the recency, one
    /// number, and is still read.
    static let layout: Int64 = 3

    /// Sections: `[layout, hash buckets]`; the recency; the group weights; the price boundaries;
    /// each feature's group; each feature's IDF; the item profiles (their columns named by the
    /// features: terms, or hashed columns `tag:#k`); the prior weight; each feature's prior.
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(array: [Self.layout, Int64(featurizer.hashing?.buckets ?? 0)])
        writer.write(recency)
        writer.write(array: featurizer.groupWeights)
        writer.write(array: featurizer.priceBoundaries)
        writer.write(array: featurizer.groups.map(\.rawValue))
        writer.write(array: featurizer.idf)
        writer.write(profiles)
        writer.write(Double(priorWeight))
        writer.write(array: featurePriors)
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> ContentModel {
        let head: StorageBuffer<Int64> = try reader.read()
        let recency: Double, hashing: FeatureHashing?
        switch head.count {
        case 1:  // layout 1: the section is the recency.
            (recency, hashing) = (Double(bitPattern: UInt64(bitPattern: head[0])), nil)
        case 2 where (2...layout).contains(head[0]) && (0...(1 << 30)).contains(head[1]):
            (recency, hashing) = (try reader.readDouble(), FeatureHashing(buckets: Int(head[1])))
        default:
            throw reader.formatError("content layout \(head.count == 2 ? String(head[0]) : "?") is not readable by this build (it reads layouts 1 to \(layout))")
        }
        guard recency >= 0, recency.isFinite else { throw reader.formatError("invalid content recency \(recency)") }
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
                                        priceBoundaries: boundaries.array, hashing: hashing)
        var priorWeight = 0.0, featurePriors: [Float] = []
        if head.count == 2 && head[0] >= 3 {
            priorWeight = try reader.readDouble()
            guard priorWeight >= 0, priorWeight.isFinite else { throw reader.formatError("invalid content prior weight \(priorWeight)") }
            let priors: StorageBuffer<Float> = try reader.read(count: groupCodes.count, what: "feature priors")
            featurePriors = priors.array
            guard featurePriors.allSatisfy({ $0.isFinite && (0...1).contains($0) }) else { throw reader.formatError("feature priors outside 0...1") }
        }
        return ContentModel(trainingData: trainingData, featurizer: featurizer, profiles: profiles, recency: recency,
                            priorWeight: Float(priorWeight), featurePriors: featurePriors)
    }
}
