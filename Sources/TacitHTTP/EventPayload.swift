import Foundation
import TacitCore
import TacitServing
import TacitStore

/// The window of event timestamps a request may carry: from ``earliest`` (the configured floor)
/// to ``latest`` (the receive time plus the configured skew), in seconds since 1970.
///
/// Checked before any conversion to an integer, so no number can trap, and no event from the far
/// future can move the trending clock for every other item.
struct EventClock: Sendable {
    /// The receive time, for events without a timestamp.
    let now: Int64
    let earliest: Double
    let latest: Double
    /// `serving.max_future_seconds`.
    let skew: Int

    init(now: Double, serving: ServiceConfiguration.Serving) {
        self.now = Int64(now.rounded(.down))
        earliest = Double(serving.earliestEventTime)
        latest = now.rounded(.down) + Double(serving.maxFutureSeconds)
        skew = serving.maxFutureSeconds
    }

    /// `seconds` as an integer, or 400 naming `field` when outside the window (or not finite).
    func check(_ seconds: Double, field: String) throws -> Int64 {
        guard seconds.isFinite else { throw APIError.badRequest("\(field): must be a finite number") }
        guard seconds >= earliest else {
            throw APIError.badRequest("\(field): \(Self.describe(seconds)) is before the earliest accepted time \(Self.describe(earliest))")
        }
        guard seconds <= latest else {
            throw APIError.badRequest("\(field): \(Self.describe(seconds)) is more than \(skew) s in the future "
                                      + "(serving.max_future_seconds)")
        }
        guard seconds.magnitude < 9e15 else { throw APIError.badRequest("\(field): \(seconds) is out of range") }
        return Int64(seconds.rounded(.down))
    }

    private static func describe(_ seconds: Double) -> String {
        guard seconds.magnitude < 1e15 else { return "\(seconds)" }
        return Date(timeIntervalSince1970: seconds.rounded(.down)).formatted(.iso8601)
    }
}

/// Parses the body of `POST /v1/events`: one event object, or `{"events": [...]}`.
enum EventPayload {
    static let fields: Set<String> = ["user_id", "item_id", "kind", "timestamp", "value", "event_id", "recommendation_id"]
    /// The largest magnitude of `value`.
    static let maxValue = 1e9

    /// Every event of the body, validated (nothing is stored when one is invalid).
    static func parse(_ body: Any, maxEvents: Int, clock: EventClock) throws -> [StoredEvent] {
        guard let object = body as? [String: Any] else { throw APIError.badRequest("expected a JSON object: one event, or {\"events\": [...]}") }
        if object["events"] != nil {
            let top = JSONFields(object: object, path: "")
            try top.rejectUnknown(["events"])
            guard let list = try top.objects("events") else { throw APIError.badRequest("events: must be an array of objects") }
            guard !list.isEmpty else { throw APIError.badRequest("events: must not be empty") }
            guard list.count <= maxEvents else { throw APIError.badRequest("events: \(list.count) events; at most \(maxEvents) per request") }
            return try list.enumerated().map { try event(JSONFields(object: $1, path: "events[\($0)]"), clock: clock) }
        }
        return [try event(JSONFields(object: object, path: ""), clock: clock)]
    }

    static func event(_ fields: JSONFields, clock: EventClock) throws -> StoredEvent {
        try fields.rejectUnknown(Self.fields)
        let user = try fields.requiredID("user_id")
        let item = try fields.requiredID("item_id")
        let kind = try fields.requiredID("kind")
        let timestamp = try Self.timestamp(fields, clock: clock)
        let value = try fields.number("value", in: -maxValue...maxValue).map(Float.init)
        return StoredEvent(eventID: try fields.id("event_id"), user: user, item: item, kind: EventKind(kind),
                           timestamp: timestamp, value: value, recommendationID: try fields.id("recommendation_id"))
    }

    static let iso8601Fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Seconds since 1970 from a number (seconds, or milliseconds when > 10^11) or an ISO 8601
    /// string, inside the clock's window.
    static func timestamp(_ fields: JSONFields, clock: EventClock) throws -> Int64 {
        guard let raw = fields.object["timestamp"], !(raw is NSNull) else { return clock.now }
        let name = fields.name("timestamp")
        if let text = raw as? String {
            if let date = (try? Date(text, strategy: Self.iso8601Fractional)) ?? (try? Date(text, strategy: .iso8601)) {
                return try clock.check(date.timeIntervalSince1970, field: name)
            }
            throw APIError.badRequest("\(name): '\(text)' is not ISO 8601 (2026-11-23T10:00:00Z) or seconds since 1970")
        }
        guard let seconds = try fields.number("timestamp") else {
            throw APIError.badRequest("\(name): must be seconds since 1970 or an ISO 8601 string")
        }
        return try clock.check(seconds > 1e11 ? seconds / 1000 : seconds, field: name)
    }
}

/// Parses item bodies of `PUT /v1/items/{id}` and `POST /v1/items`.
enum ItemPayload {
    static let fields: Set<String> = ["item_id", "title", "category", "brand", "price", "tags", "available", "created_at", "attributes"]

    static func item(_ fields: JSONFields, id pathID: String?) throws -> ItemRecord {
        try fields.rejectUnknown(Self.fields)
        let id: String
        if let pathID {
            if let bodyID = try fields.id("item_id"), bodyID != pathID {
                throw APIError.badRequest("\(fields.name("item_id")): '\(bodyID)' differs from the id in the path '\(pathID)'")
            }
            id = pathID
        } else {
            id = try fields.requiredID("item_id")
        }
        let price = try fields.number("price", in: ItemRecord.priceRange)
        return ItemRecord(
            id: id, title: try fields.string("title"), category: try fields.string("category"), brand: try fields.string("brand"),
            price: price, tags: try fields.strings("tags") ?? [], createdAt: try fields.number("created_at", in: Double(ItemRecord.createdAtRange.lowerBound)...Double(ItemRecord.createdAtRange.upperBound)).map { Int64($0.rounded(.down)) },
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

/// The body of `PUT /v1/users/{id}`: `{"attributes": {"gender": "F", "age": 25}}` (numbers and
/// booleans are kept as their text); the id is the path's alone.
enum UserPayload {
    static let fields: Set<String> = ["attributes"]

    static func attributes(_ fields: JSONFields) throws -> [String: String] {
        try fields.rejectUnknown(Self.fields)
        guard let attributes = try fields.stringMap("attributes") else {
            throw APIError.badRequest("attributes: required, an object of strings, numbers or booleans")
        }
        return attributes
    }
}
