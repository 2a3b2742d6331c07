/// An error of the recommendation service, with the context a client or operator needs.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case noEvents
        case unknownScene(String, valid: [String])
        case invalidField(field: String, reason: String)
        case notFound(what: String, id: String)
        case trainingInProgress
    }

    let kind: Kind

    public var description: String {
        switch kind {
        case .noEvents: return "no events stored yet: send events before training a model"
        case let .unknownScene(name, valid): return "unknown scene '\(name)'; valid: \(valid.joined(separator: ", "))"
        case let .invalidField(field, reason): return "\(field): \(reason)"
        case let .notFound(what, id): return "\(what) '\(id)' not found"
        case .trainingInProgress: return "a model is being trained already"
        }
    }

    /// The store holds no events to train on.
    public static let noEvents = ServiceError(kind: .noEvents)
    /// A request named a scene the configuration does not have.
    public static func unknownScene(_ name: String, valid: [String]) -> ServiceError { .init(kind: .unknownScene(name, valid: valid)) }
    /// A request field is missing or invalid.
    public static func invalidField(_ field: String, _ reason: String) -> ServiceError { .init(kind: .invalidField(field: field, reason: reason)) }
    /// An item or user does not exist.
    public static func notFound(_ what: String, _ id: String) -> ServiceError { .init(kind: .notFound(what: what, id: id)) }
    /// A training run was requested while one is running.
    public static let trainingInProgress = ServiceError(kind: .trainingInProgress)

    /// Whether the client caused it (HTTP 4xx) rather than the server.
    public var isClientError: Bool {
        switch kind {
        case .unknownScene, .invalidField, .notFound, .trainingInProgress, .noEvents: return true
        }
    }

    /// The HTTP status that fits.
    public var status: Int {
        switch kind {
        case .notFound: return 404
        case .trainingInProgress, .noEvents: return 409
        default: return 400
        }
    }
}
