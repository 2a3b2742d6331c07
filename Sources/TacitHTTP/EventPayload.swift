import Foundation
import TacitCore
import TacitStore

/// Parses the body of `POST /v1/events`: one event object, or `{"events": [...]}`.
enum EventPayload {
    static let fields: Set<String> = ["user_id", "item_id", "kind", "timestamp", "value", "event_id", "recommendation_id"]

    /// Every event of the body, validated (nothing is stored when one is invalid).
    /// - Parameter now: the receive time, for events without a timestamp.
    static func parse(_ body: Any, maxEvents: Int, now: Int64) throws -> [StoredEvent] {
        guard let object = body as? [String: Any] else { throw APIError.badRequest("expected a JSON object: one event, or {\"events\": [...]}") }
        if object["events"] != nil {
            let top = JSONFields(object: object, path: "")
            try top.rejectUnknown(["events"])
            guard let list = try top.objects("events") else { throw APIError.badRequest("events: must be an array of objects") }
            guard !list.isEmpty else { throw APIError.badRequest("events: must not be empty") }
            guard list.count <= maxEvents else { throw APIError.badRequest("events: \(list.count) events; at most \(maxEvents) per request") }
            return try list.enumerated().map { try event(JSONFields(object: $1, path: "events[\($0)]"), now: now) }
        }
        return [try event(JSONFields(object: object, path: ""), now: now)]
    }

    static func event(_ fields: JSONFields, now: Int64) throws -> StoredEvent {
        try fields.rejectUnknown(Self.fields)
        let user = try fields.requiredString("user_id")
        let item = try fields.requiredString("item_id")
        let kind = try fields.requiredString("kind")
        let timestamp = try Self.timestamp(fields, now: now)
        let value = try fields.number("value").map(Float.init)
        return StoredEvent(eventID: try fields.string("event_id"), user: user, item: item, kind: EventKind(kind),
                           timestamp: timestamp, value: value, recommendationID: try fields.string("recommendation_id"))
    }

    static let iso8601Fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Seconds since 1970 from a number (seconds, or milliseconds when > 10^11) or an ISO 8601 string.
    static func timestamp(_ fields: JSONFields, now: Int64) throws -> Int64 {
        guard let raw = fields.object["timestamp"], !(raw is NSNull) else { return now }
        if let text = raw as? String {
            if let date = (try? Date(text, strategy: Self.iso8601Fractional)) ?? (try? Date(text, strategy: .iso8601)) {
                return Int64(date.timeIntervalSince1970)
            }
            throw APIError.badRequest("\(fields.name("timestamp")): '\(text)' is not ISO 8601 (2026-11-23T10:00:00Z) or seconds since 1970")
        }
        guard let seconds = try fields.number("timestamp"), seconds >= 0 else {
            throw APIError.badRequest("\(fields.name("timestamp")): must be seconds since 1970 (>= 0) or an ISO 8601 string")
        }
        return seconds > 1e11 ? Int64(seconds / 1000) : Int64(seconds)
    }
}

/// Parses item bodies of `PUT /v1/items/{id}` and `POST /v1/items`.
enum ItemPayload {
    static let fields: Set<String> = ["item_id", "title", "category", "brand", "price", "tags", "available", "created_at", "attributes"]

    static func item(_ fields: JSONFields, id pathID: String?) throws -> ItemRecord {
        try fields.rejectUnknown(Self.fields)
        let id: String
        if let pathID {
            if let bodyID = try fields.string("item_id"), bodyID != pathID {
                throw APIError.badRequest("\(fields.name("item_id")): '\(bodyID)' differs from the id in the path '\(pathID)'")
            }
            id = pathID
        } else {
            id = try fields.requiredString("item_id")
        }
        let price = try fields.number("price")
        if let price, price < 0 { throw APIError.badRequest("\(fields.name("price")): must be >= 0, got \(price)") }
        return ItemRecord(
            id: id, title: try fields.string("title"), category: try fields.string("category"), brand: try fields.string("brand"),
            price: price, tags: try fields.strings("tags") ?? [], createdAt: try fields.number("created_at").map { Int64($0) },
            available: try fields.bool("available") ?? true, attributes: try fields.stringMap("attributes") ?? [:])
    }

    static func items(_ body: Any, maxItems: Int) throws -> [ItemRecord] {
        guard let object = body as? [String: Any] else { throw APIError.badRequest("expected {\"items\": [...]}") }
        let top = JSONFields(object: object, path: "")
        try top.rejectUnknown(["items"])
        guard let list = try top.objects("items") else { throw APIError.badRequest("items: required, an array of item objects") }
        guard list.count <= maxItems else { throw APIError.badRequest("items: \(list.count) items; at most \(maxItems) per request") }
        return try list.enumerated().map { try item(JSONFields(object: $1, path: "items[\($0)]"), id: nil) }
    }
}
