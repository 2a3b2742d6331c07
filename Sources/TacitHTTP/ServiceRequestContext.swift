import Hummingbird

/// The request context of `tacit serve`. Bodies are read by the routes with the configured
/// limit (``JSONBody``), so this is Hummingbird's basic context.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
