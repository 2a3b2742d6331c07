import Foundation
import TacitCore

/// Trains the popularity baseline: items ranked by how much the training users interacted with
/// them, or, as `trending`, by that interaction decayed with age.
public struct Popularity: Trainer {
    /// Typed configuration.
    public struct Configuration: Sendable, Equatable {
        /// What is counted per item.
        public enum Measure: String, Sendable, CaseIterable {
            /// Distinct users (interaction count).
            case users
            /// The sum of confidences (a purchase counts more than a view).
            case weight
        }
        /// Default ``Measure/users``.
        public var measure: Measure = .users
        /// When set, each interaction counts `0.5^(age / halfLife)`, with the age in days measured
        /// from the latest timestamp in the data (the `trending` model). Default `nil`.
        public var halfLifeDays: Double?

        public init(measure: Measure = .users, halfLifeDays: Double? = nil) {
            self.measure = measure
            self.halfLifeDays = halfLifeDays
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration = .init()) { self.configuration = configuration }

    /// - Complexity: O(nnz + items log items).
    public func fit(_ data: InteractionMatrix, observer: some TrainingObserver) async throws -> PopularityModel {
        var scores = [Float](repeating: 0, count: data.itemCount)
        let latest = data.timestamps?.buffer.max() ?? 0
        let rate = configuration.halfLifeDays.map { Foundation.log(2.0) / ($0 * 86_400) }
        for item in 0..<data.itemCount {
            let start = data.columnPointers[item], end = data.columnPointers[item + 1]
            var total = 0.0
            for k in start..<end {
                var w = configuration.measure == .users ? 1.0 : Double(data.columnValues[k])
                if let rate, let timestamps = data.timestamps {
                    // CSC entries do not carry timestamps; find this entry's in the user's row.
                    let user = Int(data.rowIndices[k])
                    let row = data.row(user).items
                    var lo = 0, hi = row.count
                    while lo < hi { let mid = (lo + hi) / 2; if row[mid] < Int32(item) { lo = mid + 1 } else { hi = mid } }
                    let age = Double(latest - timestamps[data.rowPointers[user] + lo])
                    w *= Foundation.exp(-rate * max(0, age))
                }
                total += w
            }
            scores[item] = Float(total)
        }
        observer.progress(step: 1, of: 1, message: "counted \(data.nnz) interactions", values: [:])
        return PopularityModel(trainingData: data, scores: scores)
    }
}

extension Popularity {
    /// `popular`: interaction counts.
    public static let descriptor = ModelDescriptor(
        name: "popular", summary: "Most interacted items (the baseline every model must beat)",
        parameters: [
            ParameterSpec("measure", "count distinct users or sum confidences", domain: .choice(Configuration.Measure.allCases.map(\.rawValue)), default: .choice("users")),
        ],
        modelType: PopularityModel.self
    ) { parameters, _ throws(TacitError) in
        AnyTrainer(Popularity(.init(measure: Configuration.Measure(rawValue: parameters.choice("measure")) ?? .users)))
    }

    /// `trending`: interaction counts decayed by age.
    public static let trendingDescriptor = ModelDescriptor(
        name: "trending", summary: "Items popular lately: interactions decayed with a half-life",
        parameters: [
            ParameterSpec("half_life_days", "age (days) at which an interaction counts half", domain: .real(valid: 0.001...100_000, search: 0.5...365, log: true), default: .real(7)),
            ParameterSpec("measure", "count distinct users or sum confidences", domain: .choice(Configuration.Measure.allCases.map(\.rawValue)), default: .choice("users")),
        ],
        modelType: PopularityModel.self
    ) { parameters, _ throws(TacitError) in
        AnyTrainer(Popularity(.init(measure: Configuration.Measure(rawValue: parameters.choice("measure")) ?? .users,
                                    halfLifeDays: parameters.real("half_life_days"))))
    }
}
