import TacitExperiments

extension ServiceConfiguration {
    /// The models the service trains and serves beside ``model``: every model named by a variant
    /// of an experiment that has not stopped by `time` (seconds since 1970), once, in
    /// configuration order, with its ``experimentModels`` entry (or the model's defaults).
    ///
    /// A variant naming the main model's name is served by the main model, so it is not listed;
    /// models of experiments that have stopped are not trained (they would only take memory).
    public func variantModels(at time: Int64) -> [ModelChoice] {
        var seen: Set<String> = [model.name]
        var result: [ModelChoice] = []
        for experiment in experiments where experiment.stop.map({ time < $0 }) ?? true {
            for variant in experiment.variants {
                guard let name = variant.model, seen.insert(name).inserted else { continue }
                result.append(experimentModels[name] ?? ModelChoice(name: name))
            }
        }
        return result
    }

    /// Every model a variant of any experiment names, stopped experiments included: the models
    /// the background search may never make the main model.
    public var experimentVariantModelNames: Set<String> {
        Set(experiments.flatMap { $0.variants.compactMap(\.model) })
    }

    /// Whether the service trains the model called `name` at `time`: the main model, or a model
    /// of ``variantModels(at:)``.
    func trains(_ name: String, at time: Int64) -> Bool {
        name == model.name || variantModels(at: time).contains { $0.name == name }
    }
}
