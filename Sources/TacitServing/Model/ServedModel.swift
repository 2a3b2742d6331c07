/// One model the service trains and serves beside its main one: the registry holding its serving
/// version and the lifecycle that trains it (``RecommendationService/variantModels``: one per
/// model named by an experiment variant).
public struct ServedModel: Sendable {
    /// The version serving now (none until the first training of the model ends).
    public let registry: ModelRegistry
    /// Trains the model's versions: at start when none is stored, on demand, on the schedule.
    public let lifecycle: ModelLifecycle

    /// The model's catalog name and parameters.
    public var choice: ServiceConfiguration.ModelChoice { lifecycle.model }
    /// The model's catalog name (`ease`).
    public var name: String { lifecycle.model.name }
}
