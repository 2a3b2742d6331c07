import Foundation
import Hummingbird
import TacitExperiments
import TacitServing

extension ServiceRoutes {
    /// `GET /v1/experiments` (definitions and status) and `GET /v1/experiments/{id}/report`
    /// (`?alpha=` sets the significance level of the intervals and tests, in [1e-9, 1), default 0.05).
    func experimentRoutes() -> [Route] {
        [
            Route(.get, "/v1/experiments", .read) { _, _ in
                let statuses = service.experimentStatuses(at: Int64(Date().timeIntervalSince1970))
                return try Self.snakeCase(Body.Experiments(experiments: statuses.map(Body.Experiment.init)))
            },
            Route(.get, "/v1/experiments/{id}/report", .read) { request, context in
                let id = try context.pathID("id", field: "experiment id")
                let alpha = try Query(request).double("alpha") ?? 0.05
                // Below 1e-9 the confidence 1 - alpha/2 rounds to 1, where the normal quantile has no value.
                guard alpha >= 1e-9, alpha < 1 else { throw APIError.badRequest("alpha: must be in [1e-9, 1), got \(alpha)") }
                return try Self.snakeCase(try await service.experimentReport(id: id, alpha: alpha))
            },
        ]
    }

    /// JSON with snake_case keys, sorted (the experiment types' field names are camelCase).
    static func snakeCase(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

extension Body {
    /// One configured experiment: its definition, whether it runs now, a bandit's allocation.
    struct Experiment: Encodable {
        let definition: ExperimentDefinition
        let running: Bool
        let allocation: [Double]?

        init(_ status: RecommendationService.ExperimentStatus) {
            definition = status.definition
            running = status.running
            allocation = status.allocation
        }
    }

    struct Experiments: Encodable {
        let experiments: [Experiment]
    }
}
