import TacitCore
import Foundation

/// The experiments a service runs: the document `{"experiments": [ ... ]}`.
///
/// Ids must be unique. Salts may repeat only on purpose: two experiments with the same salt
/// split users identically (mutually exclusive layers use different salts).
public struct ExperimentSet: Sendable, Hashable, Codable {
    /// The experiments, in file order.
    public var experiments: [ExperimentDefinition]

    public init(experiments: [ExperimentDefinition]) { self.experiments = experiments }

    /// The experiment with id `id`, if any.
    public func experiment(_ id: String) -> ExperimentDefinition? { experiments.first { $0.id == id } }

    /// Checks every experiment and that ids are unique; paths start at `experiments[i]`.
    public func validate() throws(ExperimentError) {
        var ids: Set<String> = []
        for (index, experiment) in experiments.enumerated() {
            let path = "experiments[\(index)]"
            do { try experiment.validate() } catch { throw error.nested(under: path) }
            guard ids.insert(experiment.id).inserted else {
                throw .invalidValue(path + ".id", "duplicate experiment id '\(experiment.id)'")
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let object = try ConfigObject(decoder, known: ["experiments"])
        guard let elements = try object.array("experiments") else { throw ExperimentError.missingKey(object.path("experiments")) }
        var experiments: [ExperimentDefinition] = []
        for element in elements {
            do { experiments.append(try ExperimentDefinition(from: element)) } catch {
                throw ConfigObject.converting(error, at: ExperimentError.path(element.codingPath), expected: "an object")
            }
        }
        self.experiments = experiments
        try validate()
    }

    /// Decodes and validates a document; `file` names it in errors.
    /// - Throws: ``ExperimentError`` with the field path (`experiments[0].variants[1].share: must be > 0`).
    public static func decode(_ data: Data, file: String? = nil) throws(ExperimentError) -> ExperimentSet {
        do {
            return try JSONDecoder().decode(ExperimentSet.self, from: data)
        } catch {
            var failure: ExperimentError
            if let error = error as? ExperimentError {
                failure = error
            } else if case let .dataCorrupted(context) = error as? DecodingError, context.codingPath.isEmpty {
                failure = .syntax("not valid JSON")
            } else {
                failure = ConfigObject.converting(error, at: "", expected: "an object")
            }
            if let file { failure = failure.located(in: file) }
            throw failure
        }
    }

    /// Loads a definitions file.
    public static func load(path: String) throws(ExperimentError) -> ExperimentSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExperimentError.unreadable("cannot read the experiments file").located(in: path)
        }
        return try decode(data, file: path)
    }
}
