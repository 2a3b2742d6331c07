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

    /// Every route of the API with its access level, in the order they are registered.
    func routes() -> [Route] {
        eventRoutes() + itemRoutes() + recommendationRoutes() + operationRoutes() + overviewRoutes() + experimentRoutes() + privacyRoutes()
    }

    /// The router with every route and middleware. Access is checked inside each route's responder
    /// (``AccessPolicy/authorize(_:_:)``), after the router matched it; every `GET` also answers
    /// `HEAD` (same status and headers, no body); a known path with another method answers 405
    /// with `Allow`.
    public func router() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        let routes = routes()
        let policy = AccessPolicy(apiKey: apiKey, publicReads: service.configuration.serving.publicReads)
        router.add(middleware: MetricsRecorder(metrics: metrics))
        router.add(middleware: ErrorJSON())
        router.add(middleware: URILimit())
        router.add(middleware: UnmatchedRoute(table: RouteTable(routes)))
        for route in routes {
            let path = RouterPath(route.path)
            router.on(path, method: route.method) { request, context -> Response in
                try policy.authorize(route.access, request)
                return try await route.handler(request, context)
            }
            if route.method == .get {
                router.on(path, method: .head) { request, context -> Response in
                    try policy.authorize(route.access, request)
                    let response = try await route.handler(request, context)
                    return Response(status: response.status, headers: response.headers)
                }
            }
        }
        return router
    }

    /// The path's user id as stored: percent-decoded, checked, and pseudonymized when
    /// `privacy.pseudonymize_user_ids` is on.
    func userKey(_ context: ServiceRequestContext) throws -> UserID {
        service.userKey(try context.pathID("id", field: "user_id"))
    }

    // MARK: events and users

    func eventRoutes() -> [Route] {
        [
            Route(.post, "/v1/events", .key) { request, _ in
                let serving = service.configuration.serving
                let json = try await body.read(request)
                let parsed = try EventPayload.parse(json, maxEvents: serving.maxEventsPerRequest,
                                                    clock: EventClock(now: Date().timeIntervalSince1970, serving: serving))
                if let k = service.firstRejectedItem(in: parsed) {
                    let field = (json as? [String: Any])?["events"] == nil ? "item_id" : "events[\(k)].item_id"
                    throw APIError.badRequest("\(field): item '\(parsed[k].item)' is not in the catalogue (serving.unknown_items is reject); PUT /v1/items/{id} first")
                }
                let summary = try await service.ingest(service.pseudonymizer == nil ? parsed : parsed.map { event in
                    var event = event
                    event.user = service.userKey(event.user)
                    return event
                })
                metrics.eventsAccepted(summary.inserted, duplicates: summary.duplicates)
                return try JSONResponse.object(["accepted": summary.inserted, "duplicates": summary.duplicates, "sequences": summary.sequences])
            },
            Route(.get, "/v1/users/{id}/events", .read) { request, context in
                let user = try userKey(context)
                let query = try Query(request)
                let limit = try query.int("limit", range: 1...100_000)
                let offset = try query.int("offset", range: 0...1_000_000_000) ?? 0
                // One more than asked tells whether an older page exists.
                let newest = try await service.recentEvents(of: user, offset: offset, limit: limit.map { $0 + 1 })
                var nextOffset: Int?
                var page = newest[...]
                if let limit, newest.count > limit {
                    page = newest.prefix(limit)
                    nextOffset = offset + limit
                }
                return try JSONResponse.make(Body.EventPage(events: page.reversed().map(Body.Event.init), next_offset: nextOffset))
            },
            Route(.put, "/v1/users/{id}", .key) { request, context in
                let user = try context.pathID("id", field: "user_id")
                let attributes = try UserPayload.attributes(JSONFields(object: try await body.object(request), path: ""))
                try await service.upsert(UserRecord(id: service.userKey(user), attributes: attributes))
                return try JSONResponse.object(["user_id": user, "attributes": attributes])
            },
            Route(.delete, "/v1/users/{id}", .key) { _, context in
                let user = try context.pathID("id", field: "user_id")
                let removed = try await service.forget(service.userKey(user))
                return try JSONResponse.object(["user_id": user, "deleted_events": removed])
            },
        ]
    }

    // MARK: items

    func itemRoutes() -> [Route] {
        [
            Route(.put, "/v1/items/{id}", .key) { request, context in
                let id = try context.pathID("id", field: "item_id")
                let record = try ItemPayload.item(JSONFields(object: try await body.object(request), path: ""), id: id)
                try await service.upsert([record])
                return try JSONResponse.make(Body.Item(record))
            },
            Route(.post, "/v1/items", .key) { request, _ in
                let records = try ItemPayload.items(try await body.read(request), maxItems: 10_000)
                try await service.upsert(records)
                return try JSONResponse.object(["upserted": records.count])
            },
            Route(.get, "/v1/items/{id}", .read) { _, context in
                let id = try context.pathID("id", field: "item_id")
                guard let record = try await service.item(id) else {
                    throw APIError.notFound(service.knowsItem(id) ? "item '\(id)' has events but no metadata; PUT /v1/items/{id} to add it"
                                                                 : "item '\(id)' not found")
                }
                return try JSONResponse.make(Body.Item(record))
            },
            Route(.get, "/v1/items", .read) { request, _ in
                let query = try Query(request)
                let text = query.string("search") ?? ""
                let limit = try query.int("limit", range: 1...1_000) ?? 50
                let after = try query.id("after")
                let found = try await service.searchItems(text, after: after, limit: limit + 1)
                let page = found.prefix(limit)
                return try JSONResponse.make(Body.ItemPage(items: page.map(Body.Item.init),
                                                           next_after: found.count > limit ? page.last?.id : nil))
            },
        ]
    }

    // MARK: recommendations

    func recommendationRoutes() -> [Route] {
        [
            Route(.get, "/v1/users/{id}/recommendations", .read) { request, context in
                let user = try context.pathID("id", field: "user_id")
                let query = try Query(request)
                let recommendation = RecommendationRequest(
                    user: service.userKey(user), scene: query.string("scene"), count: try query.int("count", range: 1...10_000),
                    contextItems: try query.ids("item"), categories: query.list("category"),
                    minPrice: try query.double("min_price"), maxPrice: try query.double("max_price"), exclude: try query.ids("exclude"))
                if let lo = recommendation.minPrice, let hi = recommendation.maxPrice, lo > hi {
                    throw APIError.badRequest("min_price: \(lo) is above max_price \(hi)")
                }
                var response = try service.recommend(recommendation)
                response.user = user  // the id the client sent, also when it is stored pseudonymized
                return FastJSON.recommendations(response)
            },
            Route(.post, "/v1/users/{id}/rank", .read) { request, context in
                let user = try context.pathID("id", field: "user_id")
                let fields = JSONFields(object: try await body.object(request), path: "")
                try fields.rejectUnknown(["items"])
                guard let given = try fields.strings("items") else { throw APIError.badRequest("items: required, an array of item ids") }
                let ids = try given.enumerated().map { k, id in try JSONFields.id(id, "items[\(k)]") }
                var ranking = try service.personalRanking(of: ids, for: service.userKey(user))
                ranking.user = user  // the id the client sent, also when it is stored pseudonymized
                return try JSONResponse.make(Body.Ranking(ranking))
            },
            Route(.get, "/v1/items/{id}/similar", .read) { request, context in
                let id = try context.pathID("id", field: "item_id")
                let items = try service.similar(to: id, count: try Query(request).int("count", range: 1...10_000))
                return FastJSON.itemList(items)
            },
            Route(.get, "/v1/popular", .read) { request, _ in
                let query = try Query(request)
                let items = try service.top(.popular, count: try query.int("count", range: 1...10_000), category: query.string("category"))
                return FastJSON.itemList(items)
            },
            Route(.get, "/v1/trending", .read) { request, _ in
                let query = try Query(request)
                let items = try service.top(.trending, count: try query.int("count", range: 1...10_000), category: query.string("category"))
                return FastJSON.itemList(items)
            },
        ]
    }

    // MARK: models, health, metrics, page

    func operationRoutes() -> [Route] {
        [
            Route(.post, "/v1/models/train", .key) { _, _ in
                let started = try await service.retrain()
                return try JSONResponse.object([
                    "version": started[0].version, "status": "training",
                    "models": started.map { ["model": $0.model, "version": $0.version] as [String: Any] },
                ], status: .accepted)
            },
            Route(.get, "/v1/models", .key) { _, _ in try await modelsBody() },
            Route(.get, "/healthz", .open) { _, _ in try JSONResponse.object(["status": "ok"]) },
            Route(.get, "/readyz", .open) { _, _ in try await readiness() },
            Route(.get, "/metrics", .open) { _, _ in
                JSONResponse.text(metrics.render(service: service), contentType: "text/plain; version=0.0.4; charset=utf-8")
            },
            Route(.get, "/openapi.yaml", .open) { _, _ in JSONResponse.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8") },
            Route(.get, "/", .open) { _, _ in JSONResponse.text(WebPage.html, contentType: "text/html; charset=utf-8") },
        ]
    }

    /// `GET /v1/models`: every stored version, what serves, what trains.
    func modelsBody() async throws -> Response {
        let serving = service.registry.current
        let versions = try await service.store.modelVersions()
        var variants: [Body.VariantModel] = []
        for variant in service.variantModels {
            variants.append(Body.VariantModel(
                model: variant.name, serving: variant.registry.current.map { Body.ModelVersion(serving: $0) },
                training: Body.Training(await variant.lifecycle.status)))
        }
        let body = Body.Models(
            serving: serving.map { Body.ModelVersion(serving: $0) },
            versions: versions.reversed().map { Body.ModelVersion($0, serving: $0.version == service.currentModel(named: $0.model)?.info.version) },
            training: Body.Training(await service.lifecycle.status), variant_models: variants,
            search: service.search.map { Body.Search($0.status) })
        return try JSONResponse.make(body)
    }

    /// `GET /readyz`: 200 with counts when the store answers, else 503.
    func readiness() async throws -> Response {
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
}
