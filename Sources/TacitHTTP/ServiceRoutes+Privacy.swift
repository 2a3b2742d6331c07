import Foundation
import Hummingbird
import TacitCore
import TacitServing
import TacitStore

extension ServiceRoutes {
    /// `GET /v1/users/{id}/export`: everything stored about a user (record, events, impressions).
    /// Always behind the API key (when one is configured), even when reads are public: it returns
    /// a person's whole stored history.
    func privacyRoutes() -> [Route] {
        [
            Route(.get, "/v1/users/{id}/export", .key) { _, context in
                let user = try context.pathID("id", field: "user_id")
                var export = try await service.export(service.userKey(user))
                export.user = user  // the id the client sent; the stored records carry the stored (pseudonymous) id
                return try JSONResponse.make(Body.UserExport(export))
            },
        ]
    }
}

extension Body {
    /// `GET /v1/users/{id}/export`.
    struct UserExport: Encodable {
        let user_id: String
        let attributes: [String: String]?
        let events: [Event]
        let impressions: [Impression]

        init(_ export: TacitServing.UserExport) {
            user_id = export.user
            attributes = export.record?.attributes
            events = export.events.map(Event.init)
            impressions = export.impressions.map(Impression.init)
        }
    }

    struct Impression: Encodable {
        let recommendation_id: String
        let user_id: String
        let scene: String
        let model: String
        let items: [String]
        let timestamp: Int64
        let experiment: String?
        let variant: String?
        let propensity: Double?

        init(_ i: TacitStore.Impression) {
            recommendation_id = i.recommendationID
            user_id = i.user
            scene = i.scene
            model = i.model
            items = i.items
            timestamp = i.timestamp
            experiment = i.experiment
            variant = i.variant
            propensity = i.propensity.flatMap { $0.isFinite ? $0 : nil }
        }
    }
}
