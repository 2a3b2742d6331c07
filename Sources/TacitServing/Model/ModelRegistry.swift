import TacitCore

/// The model being served, swapped atomically: a request takes the current ``ServingModel``
/// once and uses it to the end, so a swap never pauses or fails a request in flight.
public final class ModelRegistry: Sendable {
    private let slot = Locked<ServingModel?>(nil)

    public init() {}

    /// The model serving now, if any.
    public var current: ServingModel? { slot.current }

    /// Makes `model` the one served from now on.
    public func swap(to model: ServingModel) { slot.withLock { $0 = model } }
}
