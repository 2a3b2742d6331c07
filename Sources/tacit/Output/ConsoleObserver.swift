import Foundation
import TacitCore

/// Shows a model's training progress on standard error: a status line or periodic lines with the
/// rate and the time left (``ProgressTask``); with `verbose`, every step as its own line with the
/// trainer's numbers (loss, validation metric).
struct ConsoleObserver: TrainingObserver {
    let model: String
    let verbose: Bool
    private let task: ProgressTask

    /// - Parameter unit: what one step is called (default: ``unit(of:)`` for `model`).
    init(model: String, unit: String? = nil, verbose: Bool, display: ProgressDisplay = .shared) {
        self.model = model
        self.verbose = verbose
        task = ProgressTask(model, unit: unit ?? Self.unit(of: model), display: display)
    }

    var wantsDetails: Bool { verbose }

    func progress(step: Int, of total: Int, message: String, values: [String: Double]) {
        let numbers = values.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.5g", $0.value))" }.joined(separator: " ")
        if verbose {
            ProgressDisplay.shared.permanent("[\(model)] \(step)/\(total) \(message) \(numbers)", toStandardError: true)
        } else if total > 1 {
            // One-step fits (counting, a closed form) finish as they report: nothing to show.
            task.update(step, of: total, detail: message.isEmpty ? numbers : message)
        }
    }

    /// Clears the status line once fitting is over.
    func finish() { task.finish() }

    /// What one step of `model`'s training is called.
    static func unit(of model: String) -> String {
        switch model {
        case "als": return "iteration"
        case "bpr", "sasrec", "twotower": return "epoch"
        default: return "step"
        }
    }
}
