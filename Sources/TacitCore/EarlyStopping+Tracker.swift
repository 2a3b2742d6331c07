import Foundation

extension EarlyStopping {
    /// The best model of an early-stopped run so far, and when to stop: what every iterative
    /// trainer (ALS, BPR, two-tower) keeps between iterations.
    public struct Tracker<Model: Recommender> {
        /// The rule: its metric, patience and scoring function.
        public let rule: EarlyStopping
        /// The best score seen and its model.
        public private(set) var best: (score: Double, model: Model)?
        /// Iterations since the best one.
        public private(set) var sinceBest = 0

        public init(_ rule: EarlyStopping) { self.rule = rule }

        /// Scores `model` (the score goes into `values` under the metric's name). Once `patience`
        /// iterations passed without improvement, returns the best model and the progress
        /// message to show; `unit` names the iterations ("epochs", "iterations").
        public mutating func record(_ model: Model, values: inout [String: Double], unit: String) -> (model: Model, message: String)? {
            let score = rule.score(model)
            values[rule.metric] = score
            if let best, score <= best.score {
                sinceBest += 1
            } else {
                best = (score, model)
                sinceBest = 0
            }
            guard sinceBest >= rule.patience, let best else { return nil }
            return (best.model, "stopping early: best \(rule.metric) \(String(format: "%.5f", best.score)) \(sinceBest) \(unit) ago")
        }
    }
}
