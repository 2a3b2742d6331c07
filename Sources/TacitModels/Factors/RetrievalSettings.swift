import TacitCore

/// How models that score by inner products retrieve a user's items: every item exactly, or
/// through a maximum-inner-product index (``MIPSIndex``) — by default from ``threshold`` items on.
/// `tacit recommend` and `evaluate` (`--retrieval`) and the service (`retrieval`) take the same
/// settings.
public struct RetrievalSettings: Sendable, Equatable {
    /// When the index is used.
    public enum Mode: String, Sendable, CaseIterable {
        /// The index from ``RetrievalSettings/threshold`` items on, exact scoring below.
        case auto
        /// Every item scored exactly.
        case exact
        /// The index whatever the catalogue's size.
        case index
    }

    public var mode = Mode.auto
    /// The catalogue size from which `auto` builds an index.
    public var threshold = 50_000
    /// The index's settings (leaves, leaves probed, items re-scored).
    public var index = MIPSIndex.Configuration()

    public init() {}

    /// - Throws: a ``TacitError`` naming the first invalid setting.
    public func validate() throws(TacitError) {
        guard threshold >= 0 else { throw .invalidArgument("retrieval.threshold must be >= 0, got \(threshold)") }
        if let leaves = index.leaves, !(1...1_000_000).contains(leaves) {
            throw .invalidArgument("retrieval.leaves must be in 1...1000000, got \(leaves)")
        }
        if let probes = index.probes, !(1...1_000_000).contains(probes) {
            throw .invalidArgument("retrieval.probes must be in 1...1000000, got \(probes)")
        }
        guard (1...1_000_000).contains(index.rescore) else { throw .invalidArgument("retrieval.rescore must be in 1...1000000, got \(index.rescore)") }
    }

    /// Whether a model of `items` items gets an index.
    public func usesIndex(items: Int) -> Bool {
        switch mode {
        case .exact: false
        case .index: items > 0
        case .auto: items > 0 && items >= threshold
        }
    }

    /// `model` ready to serve under these settings: an inner-product model (directly, or as a
    /// learned ranker's source) with an index built over its items when the settings ask for one,
    /// without one otherwise; any other model as it is.
    public func prepare(_ model: any Recommender) -> any Recommender {
        if let model = model as? any InnerProductModel { return prepared(model) }
        if let ranker = model as? RankerModel { return ranker.replacingSources { prepare($0) } }
        return model
    }

    /// `model` as its model file keeps it: an inner-product model with the indexes these settings
    /// build (``ModelFile`` saves them after the model's sections); any other model as it is (a
    /// ranker's file does not hold its sources' indexes: they are built when it is loaded).
    public func preparedForSaving(_ model: any Recommender) -> any Recommender {
        model is any InnerProductModel ? prepare(model) : model
    }

    private func prepared<Model: InnerProductModel>(_ model: Model) -> Model {
        let scorer = model.scorer
        guard usesIndex(items: scorer.itemCount) else { return scorer.index == nil ? model : model.replacing(scorer: scorer.withIndex(nil)) }
        if let existing = scorer.index, let similar = scorer.similarIndex, existing.configuration.buildsLike(index),
           similar.configuration.buildsLike(index) {
            // Built with these settings (by the fit, or read from the model file): only the search settings change.
            if existing.configuration == index && similar.configuration == index { return model }
            return model.replacing(scorer: scorer.withIndex(existing.searching(with: index), similar: similar.searching(with: index)))
        }
        return model.replacing(scorer: scorer.withIndex(scorer.makeIndex(index), similar: scorer.makeSimilarIndex(index)))
    }

    /// The index `model` (or the first of a ranker's sources that has one) retrieves personal
    /// lists through.
    public static func index(of model: any Recommender) -> MIPSIndex? { indexes(of: model)?.personal }

    /// The indexes of `model` (or of the first of a ranker's sources that has them): personal
    /// lists and similar items.
    public static func indexes(of model: any Recommender) -> (personal: MIPSIndex, similar: MIPSIndex?)? {
        if let model = model as? any InnerProductModel { return model.scorer.index.map { ($0, model.scorer.similarIndex) } }
        if let ranker = model as? RankerModel { return ranker.features.sources.lazy.compactMap { indexes(of: $0.model) }.first }
        return nil
    }
}
