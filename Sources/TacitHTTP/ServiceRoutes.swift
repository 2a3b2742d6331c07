import TacitExperiments
import Foundation
import Hummingbird
import TacitCore
import TacitServing
import TacitStore

extension ServiceError: ServiceErrorConvertible {
    var apiError: APIError {
        APIError(HTTPResponse.Status(code: isClientError ? status : 500), description)
    }
}

/// Builds the router of `tacit serve`: the `/v1` JSON API, health, metrics, the page and the
/// OpenAPI document.
public struct ServiceRoutes: Sendable {
    let service: RecommendationService
    let metrics: ServiceMetrics
    let apiKey: String?

    public init(service: RecommendationService, apiKey: String?) {
        self.service = service
        self.apiKey = apiKey
        self.metrics = ServiceMetrics()
    }

    var body: JSONBody { JSONBody(limit: service.configuration.serving.maxBodyBytes) }

    /// The router with every route and middleware.
    public func router() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: MetricsRecorder(metrics: metrics))
        router.add(middleware: ErrorJSON())
        router.add(middleware: AccessPolicy(apiKey: apiKey, publicReads: service.configuration.serving.publicReads))
        addEventRoutes(router)
        addItemRoutes(router)
        addRecommendationRoutes(router)
        addOperationRoutes(router)
        addExperimentRoutes(router)
        return router
    }

    // MARK: events and users

    func addEventRoutes(_ router: Router<ServiceRequestContext>) {
        router.post("/v1/events") { request, _ -> Response in
            let parsed = try EventPayload.parse(try await body.read(request), maxEvents: service.configuration.serving.maxEventsPerRequest,
                                                now: Int64(Date().timeIntervalSince1970))
            let summary = try await service.ingest(parsed)
            metrics.eventsAccepted(summary.inserted, duplicates: summary.duplicates)
            return try JSONResponse.object(["accepted": summary.inserted, "duplicates": summary.duplicates, "sequences": summary.sequences])
        }
        router.get("/v1/users/{id}/events") { request, context -> Response in
            let user = try context.parameters.require("id")
            let limit = try Query(request).int("limit", range: 1...100_000)
            let events = try await service.events(of: user, limit: limit)
            return try JSONResponse.make(["events": events.map(Body.Event.init)])
        }
        router.delete("/v1/users/{id}") { _, context -> Response in
            let user = try context.parameters.require("id")
            let removed = try await service.forget(user)
            return try JSONResponse.object(["user_id": user, "deleted_events": removed])
        }
    }

    // MARK: items

    func addItemRoutes(_ router: Router<ServiceRequestContext>) {
        router.put("/v1/items/{id}") { request, context -> Response in
            let id = try context.parameters.require("id")
            let record = try ItemPayload.item(JSONFields(object: try await body.object(request), path: ""), id: id)
            try await service.upsert([record])
            return try JSONResponse.make(Body.Item(record))
        }
        router.post("/v1/items") { request, _ -> Response in
            let records = try ItemPayload.items(try await body.read(request), maxItems: 10_000)
            try await service.upsert(records)
            return try JSONResponse.object(["upserted": records.count])
        }
        router.get("/v1/items/{id}") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let record = try await service.item(id) else {
                throw APIError.notFound(service.knowsItem(id) ? "item '\(id)' has events but no metadata; PUT /v1/items/\(id) to add it"
                                                             : "item '\(id)' not found")
            }
            return try JSONResponse.make(Body.Item(record))
        }
        router.get("/v1/items") { request, _ -> Response in
            let query = try Query(request)
            let text = query.string("search") ?? ""
            let limit = try query.int("limit", range: 1...1_000) ?? 50
            let items = try await service.searchItems(text, limit: limit)
            return try JSONResponse.make(["items": items.map(Body.Item.init)])
        }
    }

    // MARK: recommendations

    func addRecommendationRoutes(_ router: Router<ServiceRequestContext>) {
        router.get("/v1/users/{id}/recommendations") { request, context -> Response in
            let user = try context.parameters.require("id")
            let query = try Query(request)
            let recommendation = RecommendationRequest(
                user: user, scene: query.string("scene"), count: try query.int("count", range: 1...10_000),
                contextItems: query.list("item"), categories: query.list("category"),
                minPrice: try query.double("min_price"), maxPrice: try query.double("max_price"), exclude: query.list("exclude"))
            if let lo = recommendation.minPrice, let hi = recommendation.maxPrice, lo > hi {
                throw APIError.badRequest("min_price: \(lo) is above max_price \(hi)")
            }
            return FastJSON.recommendations(try service.recommend(recommendation))
        }
        router.get("/v1/items/{id}/similar") { request, context -> Response in
            let id = try context.parameters.require("id")
            let items = try service.similar(to: id, count: try Query(request).int("count", range: 1...10_000))
            return FastJSON.itemList(items)
        }
        router.get("/v1/popular") { request, _ -> Response in
            let query = try Query(request)
            let items = try service.top(.popular, count: try query.int("count", range: 1...10_000), category: query.string("category"))
            return FastJSON.itemList(items)
        }
        router.get("/v1/trending") { request, _ -> Response in
            let query = try Query(request)
            let items = try service.top(.trending, count: try query.int("count", range: 1...10_000), category: query.string("category"))
            return FastJSON.itemList(items)
        }
    }

    // MARK: models, health, metrics, page

    func addOperationRoutes(_ router: Router<ServiceRequestContext>) {
        router.post("/v1/models/train") { _, _ -> Response in
            let started = try await service.retrain()
            return try JSONResponse.object([
                "version": started[0].version, "status": "training",
                "models": started.map { ["model": $0.model, "version": $0.version] as [String: Any] },
            ], status: .accepted)
        }
        router.get("/v1/models") { _, _ -> Response in
            let serving = service.registry.current
            let versions = try await service.store.modelVersions()
            var variants: [Body.VariantModel] = []
            for variant in service.variantModels {
                variants.append(Body.VariantModel(
                    model: variant.name, serving: variant.registry.current.map { Body.ModelVersion($0.info, serving: true) },
                    training: Body.Training(await variant.lifecycle.status)))
            }
            let body = Body.Models(
                serving: serving.map { Body.ModelVersion($0.info, serving: true) },
                versions: versions.reversed().map { Body.ModelVersion($0, serving: $0.version == service.currentModel(named: $0.model)?.info.version) },
                training: Body.Training(await service.lifecycle.status), variant_models: variants)
            return try JSONResponse.make(body)
        }
        router.get("/healthz") { _, _ -> Response in try JSONResponse.object(["status": "ok"]) }
        router.get("/readyz") { _, _ -> Response in
            do {
                let store = service.store
                let events = try await StoreError.within(.seconds(1), store: store.description, operation: "readiness check") {
                    try await store.eventCount()
                }
                let counts = service.liveCounts
                return try JSONResponse.object([
                    "status": "ready", "store": service.store.description, "events": events, "items": counts.items,
                    "users": counts.users, "model": service.registry.current?.label ?? NSNull(),
                    "variant_models": service.variantModels.map { variant -> [String: Any] in
                        ["model": variant.name, "serving": variant.registry.current?.label ?? NSNull()]
                    },
                ])
            } catch {
                return try JSONResponse.object(["status": "unavailable", "error": "\(error)"], status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, _ -> Response in
            JSONResponse.text(metrics.render(service: service), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, _ -> Response in JSONResponse.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8") }
        router.get("/") { _, _ -> Response in JSONResponse.text(WebPage.html, contentType: "text/html; charset=utf-8") }
    }
}
