import Foundation
import TacitModels

extension ConfigurationReader {
    /// `training.search.models`: `"auto"` or a list of distinct catalog model names; absent, the
    /// configured model only.
    static func searchModels(_ search: Object) throws -> ServiceConfiguration.Search.Models {
        guard let value = search.fields["models"] else { return .configured }
        let path = search.name("models")
        if let text = value as? String {
            guard text == "auto" else { throw Failure(path: path, reason: #"must be "auto" or a list of model names, got '\#(text)'"#) }
            return .automatic
        }
        guard let list = value as? [Any] else { throw Failure(path: path, reason: #"must be "auto" or a list of model names"#) }
        var names: [String] = []
        for (k, element) in list.enumerated() {
            let at = "\(path)[\(k)]"
            guard let name = element as? String else { throw Failure(path: at, reason: "must be a model name (a string)") }
            try checkModelName(name, path: at)
            guard !names.contains(name) else { throw Failure(path: at, reason: "'\(name)' is listed twice") }
            names.append(name)
        }
        return .list(names)
    }

    /// The search may not change what an experiment's variant serves: it may not make the main
    /// model a model that a variant names (that variant has a lifecycle of its own), and it may
    /// not choose another model while a variant names the main model (the main model serves it).
    static func checkSearchModels(_ c: ServiceConfiguration) throws {
        guard let search = c.training.search else { return }
        let variantModels = c.experimentVariantModelNames
        let choosing: Bool
        switch search.models {
        case .configured:
            return
        case .automatic:
            choosing = true
        case .list(let names):
            for (k, name) in names.enumerated() where name != c.model.name && variantModels.contains(name) {
                throw Failure(path: "training.search.models[\(k)]",
                              reason: "'\(name)' is the model of an experiment variant; the main model may not become it")
            }
            choosing = names.contains { $0 != c.model.name }
        }
        if choosing, variantModels.contains(c.model.name) {
            throw Failure(path: "training.search.models",
                          reason: "an experiment variant names the main model '\(c.model.name)', which serves it; the search may not replace it with another model")
        }
    }
}
