import TacitCore

/// Every model Tacit can train, by name.
public enum ModelCatalog {
    /// The registered models, in display order.
    public static let all: [ModelDescriptor] = [
        Popularity.descriptor,
        Popularity.trendingDescriptor,
        ItemKNN.descriptor,
        ImplicitALS.descriptor,
        BPR.descriptor,
        EASE.descriptor,
        ContentBased.descriptor,
        Hybrid.descriptor,
        TwoTower.descriptor,
        SASRec.descriptor,
        Ranker.descriptor,
    ]

    /// The model names.
    public static var names: [String] { all.map(\.name) }

    /// The descriptor named `name`; unknown names fail listing the valid ones.
    public static func descriptor(named name: String) throws(TacitError) -> ModelDescriptor {
        guard let descriptor = all.first(where: { $0.name == name }) else {
            throw .unknownName("model", name, valid: names)
        }
        return descriptor
    }
}
