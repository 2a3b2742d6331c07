/// Applies one step of summed gradients to a ``ParameterSet``.
///
/// Optimizers keep per-parameter state (moments, accumulators), so they are classes used by one
/// training loop; a step runs between parallel phases, never during one.
public protocol Optimizer: AnyObject {
    /// The step size of the next steps (schedules change it between steps).
    var learningRate: Float { get set }
    /// The number of steps taken.
    var steps: Int { get }
    /// Updates every parameter from `gradients` (the sum over workers, already scaled).
    func step(_ gradients: Gradients)
}
