import TacitCore

/// The version of one model being served, swapped atomically: a request takes the current ``ServingModel``
/// once and uses it to the end, so a swap never pauses or fails a request in flight.
public final class ModelRegistry: Sendable {
    private let slot = Locked<ServingModel?>(nil)
    private let observer = Locked<(@Sendable (ServingModel) -> Void)?>(nil)

    public init() {}

    /// The model serving now, if any.
    public var current: ServingModel? { slot.current }

    /// Makes `model` the one served from now on, then tells the observer.
    public func swap(to model: ServingModel) {
        slot.withLock { $0 = model }
        observer.current?(model)
    }

    /// Serves nothing from now on (a model no experiment needs any more gives its memory back).
    func clear() { slot.withLock { $0 = nil } }

    /// Sets the function called after every swap (the service warms the new model's caches).
    func onSwap(_ body: @escaping @Sendable (ServingModel) -> Void) { observer.withLock { $0 = body } }
}
