import Foundation
import TacitExperiments
import TacitModels

extension ConfigurationReader {
    typealias ModelChoice = ServiceConfiguration.ModelChoice

    /// The keys of a model object, the main `model` and a variant's.
    static let modelKeys: Set<String> = ["name", "parameters"]

    /// A model and its parameters, `{"name": "als", "parameters": {"factors": 64}}` at
    /// `object.path`: the name must be a catalog model's (absent: `base`'s), the parameters
    /// (strings or numbers) that model's (absent: `base`'s).
    static func modelChoice(_ object: Object, base: ModelChoice) throws -> ModelChoice {
        var choice = base
        if let name = try object.string("name") {
            try checkModelName(name, path: object.name("name"))
            choice.name = name
        }
        if let parameters = try object.map("parameters", known: nil) {
            choice.parameters = try parameters.fields.mapValues { value in
                if let s = value as? String { return s }
                if let n = value as? NSNumber { return n.stringValue }
                throw Failure(path: parameters.path, reason: "values must be strings or numbers")
            }
            do {
                _ = try ModelCatalog.descriptor(named: choice.name).parameters(from: choice.parameters.map { "\($0.key)=\($0.value)" })
            } catch {
                throw Failure(path: parameters.path, reason: "\(error)")
            }
        }
        return choice
    }

    /// Fails unless `name` is a catalog model.
    static func checkModelName(_ name: String, path: String) throws {
        guard (try? ModelCatalog.descriptor(named: name)) != nil else {
            throw Failure(path: path, reason: "unknown model '\(name)'; valid: \(ModelCatalog.names.joined(separator: ", "))")
        }
    }

    /// Reads every variant `model` given as an object (`{"name": "ease", "parameters": {...}}`,
    /// the format of the main `model`) and leaves just its name in the experiments JSON, which
    /// the experiments decoder reads (it takes `model` as an opaque string).
    ///
    /// A model name has one configuration in a service: variants that give parameters for the
    /// same model must give the same ones, and a variant naming the main model (which serves it)
    /// may not give other parameters than the main model's.
    /// - Returns: the JSON with names only, and the variant models' configurations by name (the
    ///   main model's name left out).
    static func variantModels(in experiments: Any, main: ModelChoice) throws -> (json: Any, models: [String: ModelChoice]) {
        guard var list = experiments as? [Any] else { return (experiments, [:]) }
        var models: [String: (path: String, choice: ModelChoice)] = [:]
        for (e, element) in list.enumerated() {
            guard var experiment = element as? [String: Any], var variants = experiment["variants"] as? [Any] else { continue }
            for (v, variantElement) in variants.enumerated() {
                guard var variant = variantElement as? [String: Any], let value = variant["model"], !(value is String) else { continue }
                let path = "experiments[\(e)].variants[\(v)].model"
                guard value is [String: Any] else {
                    throw Failure(path: path, reason: #"must be a model name or an object {"name", "parameters"}"#)
                }
                let object = try Self.object(value, path, known: modelKeys)
                guard let name = try object.string("name") else {
                    throw Failure(path: object.name("name"), reason: "required key is missing (a model name: \(ModelCatalog.names.joined(separator: ", ")))")
                }
                let choice = try modelChoice(object, base: ModelChoice(name: name))
                variant["model"] = name
                variants[v] = variant
                guard object.fields["parameters"] != nil else { continue }
                if name == main.name, choice.parameters != main.parameters {
                    throw Failure(path: object.name("parameters"),
                                  reason: "'\(name)' is the main model, which serves this variant; its parameters are model.parameters")
                }
                if let earlier = models[name], earlier.choice.parameters != choice.parameters {
                    throw Failure(path: object.name("parameters"),
                                  reason: "'\(name)' has other parameters at \(earlier.path); a model has one configuration per service")
                }
                if name != main.name { models[name] = (path, choice) }
            }
            experiment["variants"] = variants
            list[e] = experiment
        }
        return (list, models.mapValues(\.choice))
    }
}
