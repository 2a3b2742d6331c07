import Foundation
import Hummingbird
import TacitCore
import TacitEvaluation
import TacitServing
import TacitStore

/// JSON shapes of the API's responses (snake_case keys, as in `openapi.yaml`).
enum Body {
    struct Item: Encodable {
        let item_id: String
        let title: String?
        let category: String?
        let brand: String?
        let price: Double?
        let tags: [String]
        let available: Bool
        let created_at: Int64?
        let attributes: [String: String]

        init(_ record: ItemRecord) {
            item_id = record.id
            title = record.title
            category = record.category
            brand = record.brand
            price = record.price
            tags = record.tags
            available = record.available
            created_at = record.createdAt
            attributes = record.attributes
        }
    }

    struct Event: Encodable {
        let sequence: Int64
        let event_id: String?
        let user_id: String
        let item_id: String
        let kind: String
        let timestamp: Int64
        let value: Float?
        let recommendation_id: String?

        init(_ e: StoredEvent) {
            sequence = e.sequence
            event_id = e.eventID
            user_id = e.user
            item_id = e.item
            kind = e.kind.name
            timestamp = e.timestamp
            // The edge refuses non-finite values; one stored by an older version is returned as null, not a 500.
            value = e.value.flatMap { $0.isFinite ? $0 : nil }
            recommendation_id = e.recommendationID
        }
    }

    /// A page of a user's events, oldest first; `next_offset` (null on the last page) asks for
    /// the page of older events.
    struct EventPage: Encodable {
        let events: [Event]
        let next_offset: Int?
        enum CodingKeys: String, CodingKey { case events, next_offset }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(events, forKey: .events)
            try container.encode(next_offset, forKey: .next_offset)
        }
    }

    /// A page of a catalogue search; `next_after` (null on the last page) asks for the next one.
    struct ItemPage: Encodable {
        let items: [Item]
        let next_after: String?
        enum CodingKeys: String, CodingKey { case items, next_after }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(next_after, forKey: .next_after)
        }
    }

    struct ModelVersion: Encodable {
        let version: Int
        let model: String
        let parameters: [String: String]
        let created_at: Int64
        let last_sequence: Int64
        let first_event_time: Int64?
        let last_event_time: Int64?
        let events: Int
        let users: Int
        let items: Int
        let fit_seconds: Double
        let metrics: [String: Double]
        let serving: Bool
        /// How the serving version retrieves (only on a loaded version).
        let retrieval: Retrieval?

        /// A serving version with how it retrieves.
        init(serving model: ServingModel) {
            self.init(model.info, serving: true, retrieval: Retrieval(model.retrievalIndexes))
        }

        init(_ r: ModelVersionRecord, serving: Bool, retrieval: Retrieval? = nil) {
            version = r.version
            model = r.model
            parameters = r.parameters
            created_at = r.createdAt
            last_sequence = r.lastSequence
            first_event_time = r.firstEventTime
            last_event_time = r.lastEventTime
            events = r.events
            users = r.users
            items = r.items
            fit_seconds = r.fitSeconds
            metrics = r.metrics
            self.serving = serving
            self.retrieval = retrieval
        }
    }

    /// `exact`, or the approximate index's size, settings and build time (with the similar-items
    /// index's bytes and build time, when there is one).
    struct Retrieval: Encodable {
        let kind: String
        let leaves: Int?
        let items: Int?
        let probes: Int?
        let rescore: Int?
        let similar_items: Bool?
        let bytes: Int?
        let build_seconds: Double?

        init(_ indexes: (personal: MIPSIndex, similar: MIPSIndex?)?) {
            let index = indexes?.personal
            kind = index == nil ? "exact" : "index"
            leaves = index?.leaves
            items = index?.itemCount
            probes = index?.defaultProbes
            rescore = index?.configuration.rescore
            similar_items = indexes.map { $0.similar != nil }
            bytes = indexes.map { $0.personal.bytes + ($0.similar?.bytes ?? 0) }
            build_seconds = indexes.map { $0.personal.buildSeconds + ($0.similar?.buildSeconds ?? 0) }
        }
    }

    struct Training: Encodable {
        let in_progress: Bool
        let last_started: Double?
        let last_finished: Double?
        let last_error: String?

        init(_ status: ModelLifecycle.Status) {
            in_progress = status.training
            last_started = status.lastStarted?.timeIntervalSince1970
            last_finished = status.lastFinished?.timeIntervalSince1970
            last_error = status.lastError
        }
    }

    /// A model of experiment variants: its serving version (null until trained) and training.
    struct VariantModel: Encodable {
        let model: String
        let serving: ModelVersion?
        let training: Training
    }

    struct Models: Encodable {
        let serving: ModelVersion?
        let versions: [ModelVersion]
        let training: Training
        let variant_models: [VariantModel]
        let search: Search?
    }

    /// The background search (`training.search`): its phase, budget, every trial and the winner.
    struct Search: Encodable {
        struct Trial: Encodable {
            let index: Int
            let model: String
            let parameters: [String: String]
            let metrics: [String: Double]
            let value: Double?
            let fit_seconds: Double
            let seconds: Double
            let finished_at: Double
            let error: String?
        }
        let phase: String
        let model: String
        let models: [String]
        let metric: String
        let budget_seconds: Double
        let max_trials: Int?
        let spent_seconds: Double
        let holdout_users: Int
        let baseline: Trial?
        let best: Trial?
        let adopted_model: String?
        let adopted_parameters: [String: String]?
        let applied_version: Int?
        let error: String?
        let trials: [Trial]

        init(_ status: ModelSearchRunner.Status) {
            // A few metrics per trial (the file keeps them all): a long search has thousands of trials.
            let shown: Set<String> = [status.metric, "NDCG@10", "HR@10", "Recall@20", "Coverage@10"]
            func trial(_ t: SearchTrial, _ index: Int) -> Trial {
                Trial(index: index, model: t.model, parameters: t.parameters.values.mapValues(\.description), metrics: t.metrics.filter { shown.contains($0.key) },
                      value: t.error == nil ? t.metrics[status.metric] ?? 0 : nil, fit_seconds: t.fitSeconds, seconds: t.seconds,
                      finished_at: t.finishedAt, error: t.error)
            }
            phase = status.phase.rawValue
            model = status.model
            models = status.models ?? [status.model]
            metric = status.metric
            budget_seconds = status.budgetSeconds
            max_trials = status.maxTrials
            spent_seconds = status.spentSeconds
            holdout_users = status.holdoutUsers
            let all = status.trials.enumerated().map { trial($1, $0 + 1) }
            trials = all
            baseline = all.first
            best = status.best.flatMap { status.trials.firstIndex(of: $0) }.map { all[$0] }
            adopted_model = status.adopted == nil ? nil : status.adoptedModel ?? status.model
            adopted_parameters = status.adopted
            applied_version = status.appliedVersion
            error = status.error
        }
    }
}

/// Encodes response bodies.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func object(_ value: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
