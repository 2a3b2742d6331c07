import Foundation
import TacitBoosting
import TacitCore

extension RankerModel: PersistableModel {
    /// The feature definition's version, then the candidate settings (`per_source`, the
    /// similarity source's and the prior's position or −1, the prior's weight), the fit's summary
    /// (labelled groups, shown lists learned from, exposures and actions counted, candidate recall
    /// and count),
    /// the feature names, the booster (XGBoost's universal binary JSON), the features' own state
    /// (activity kinds, item attributes, the training events with their times) and each source's
    /// name and state, in order.
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(RankerFeatures.version)
        writer.write(features.perSource)
        writer.write(features.similaritySource ?? -1)
        writer.write(features.prior?.source ?? -1)
        writer.write(Double(features.prior?.weight ?? 0))
        writer.write(summary.labeledUsers)
        writer.write(summary.shownLists)
        writer.write(summary.exposures)
        writer.write(summary.actions)
        writer.write(array: [summary.candidateRecall, summary.meanCandidates])
        let names = featureNames
        writer.write(string: names.joined(separator: "\n"))
        writer.write(array: names.map { summary.gains[$0] ?? 0 })
        writer.write(array: booster.serialized())
        features.archiveState(into: &writer)
        writer.write(features.sources.count)
        for source in features.sources {
            writer.write(string: source.name)
            // Every source model is persistable (``Ranker/sourceModels``); a fitted ranker holds no other.
            (source.model as? any PersistableModel)?.archive(into: &writer)
        }
    }

    public static func unarchive(from reader: inout ArchiveReader, trainingData: InteractionMatrix) throws(TacitError) -> RankerModel {
        let version = try reader.readInt()
        guard version == RankerFeatures.version else {
            throw reader.formatError("ranker features of version \(version); this build of tacit computes version \(RankerFeatures.version): retrain the ranker")
        }
        let perSource = try reader.readInt(), similarity = try reader.readInt(), prior = try reader.readInt()
        let priorWeight = try reader.readDouble()
        guard (1...100_000).contains(perSource), priorWeight.isFinite, priorWeight >= 0 else {
            throw reader.formatError("implausible ranker settings (per_source \(perSource), prior weight \(priorWeight))")
        }
        let labeledUsers = try reader.readInt(), shownLists = try reader.readInt(), exposures = try reader.readInt(), actions = try reader.readInt()
        guard labeledUsers >= 0, shownLists >= 0, exposures >= 0, actions >= 0 else {
            throw reader.formatError("implausible ranker summary (labelled users \(labeledUsers), shown lists \(shownLists), exposures \(exposures), actions \(actions))")
        }
        let shares: StorageBuffer<Double> = try reader.read(count: 2, what: "candidate recall and count")
        let names = try reader.readString().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let gains: StorageBuffer<Double> = try reader.read(count: names.count, what: "feature gains")
        let bytes: StorageBuffer<UInt8> = try reader.read()
        let state = try RankerFeatures.unarchiveState(from: &reader, data: trainingData)
        let count = try reader.readInt()
        guard (1...Ranker.sourceModels.count).contains(count) else { throw reader.formatError("implausible number of ranker sources: \(count)") }
        var sources: [RankerFeatures.Source] = []
        for _ in 0..<count {
            let name = try reader.readString()
            guard let type = Ranker.sourceModels.first(where: { $0.name == name })?.modelType else {
                throw reader.formatError("unknown ranker source '\(name)'")
            }
            sources.append(.init(name: name, model: try type.unarchive(from: &reader, trainingData: trainingData)))
        }
        guard names == RankerFeatures.names(sources: sources.map(\.name), kinds: state.kinds) else {
            throw reader.formatError("the ranker's feature list does not match its sources' features in this build: retrain the ranker")
        }
        guard similarity == -1 || (0..<count).contains(similarity), prior == -1 || (0..<count).contains(prior) else {
            throw reader.formatError("ranker similarity source \(similarity) or prior \(prior) is not among its \(count) sources")
        }
        var pair: (any ItemPairSimilarity)?
        if similarity >= 0 {
            guard let model = sources[similarity].model as? any ItemPairSimilarity else {
                throw reader.formatError("ranker similarity source '\(sources[similarity].name)' has no item-pair similarity")
            }
            pair = model
        }
        let booster = try BoostedRanker(serialized: Array(bytes.buffer), featureNames: names)
        let features = RankerFeatures(data: trainingData, histories: state.events, replay: ActivityReplay(state.events), sources: sources, similarity: pair,
                                      similaritySource: similarity >= 0 ? similarity : nil, perSource: perSource,
                                      prior: prior >= 0 ? (prior, Float(priorWeight)) : nil, kinds: state.kinds, attributes: state.attributes)
        let summary = Summary(labeledUsers: labeledUsers, candidateRecall: shares[0], meanCandidates: shares[1],
                              gains: Dictionary(zip(names, gains.array), uniquingKeysWith: { a, _ in a }), shownLists: shownLists,
                              exposures: exposures, actions: actions)
        return RankerModel(features: features, booster: booster, summary: summary)
    }
}
