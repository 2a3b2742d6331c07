import Foundation
import TacitCore

/// Prints training progress to standard error when verbose.
struct ConsoleObserver: TrainingObserver {
    let model: String
    let verbose: Bool

    var wantsDetails: Bool { verbose }

    func progress(step: Int, of total: Int, message: String, values: [String: Double]) {
        guard verbose else { return }
        let numbers = values.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.5g", $0.value))" }.joined(separator: " ")
        Console.error("[\(model)] \(step)/\(total) \(message) \(numbers)")
    }
}
