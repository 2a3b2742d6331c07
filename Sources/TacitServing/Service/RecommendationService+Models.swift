import Foundation
import TacitStore

extension RecommendationService {
    /// A training started by ``retrain()``: the model and the version it will have.
    public struct TrainingStart: Sendable, Equatable {
        public var model: String
        public var version: Int

        public init(model: String, version: Int) {
            self.model = model
            self.version = version
        }
    }

    /// Every model's lifecycle, the main model's first.
    var lifecycles: [ModelLifecycle] { [lifecycle] + variantModels.map(\.lifecycle) }

    /// Starts retraining the main model and every variant model whose experiments have not all
    /// stopped, in the background (one training at a time, the main model first); a variant
    /// model already training is left to finish.
    /// - Returns: the trainings started, the main model's first.
    /// - Throws: ``ServiceError/trainingInProgress`` when the main model is training already.
    public func retrain() async throws -> [TrainingStart] {
        var started = [TrainingStart(model: await lifecycle.choice.name, version: try await lifecycle.startTraining())]
        let now = Int64(Date().timeIntervalSince1970)
        for variant in variantModels where configuration.trains(variant.name, at: now) {
            do {
                started.append(TrainingStart(model: variant.name, version: try await variant.lifecycle.startTraining()))
            } catch let error as ServiceError where error == .trainingInProgress {
                continue
            }
        }
        return started
    }

    /// Waits until every model's running training (if any) has ended.
    public func waitForTraining() async {
        for lifecycle in lifecycles { await lifecycle.waitForTraining() }
    }

    /// The version serving now of the model called `name` (the main model — the configured one,
    /// or the one a search chose in its place — or a variant model); nil for a model the service
    /// does not serve or one with no version yet.
    public func currentModel(named name: String) -> ServingModel? {
        if let main = registry.current, main.info.model == name { return main }
        if name == configuration.model.name { return nil }
        return variantModels.first { $0.name == name }?.registry.current
    }

    /// The model that ranks a request whose experiment variant names `variantModel` (nil: the
    /// main model): that model's serving version, or the main model's while it has none.
    /// - Returns: the model, and `variantModel` when the main model stands in for it.
    func rankingModel(for variantModel: String?) -> (model: ServingModel?, standingInFor: String?) {
        guard let name = variantModel, name != configuration.model.name else { return (registry.current, nil) }
        if let current = currentModel(named: name) { return (current, nil) }
        return (registry.current, name)
    }
}
