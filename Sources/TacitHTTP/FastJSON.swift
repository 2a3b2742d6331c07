import Foundation
import Hummingbird
import TacitServing

/// A minimal JSON writer for the hot responses (recommendation lists), about ten times cheaper
/// than `JSONEncoder` for them (`FastJSONTests` parses its output back, escapes included).
struct FastJSON {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 2048) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A JSON string with the escapes RFC 8259 requires.
    mutating func string(_ value: String) {
        bytes.append(0x22)
        // Most ids and titles need no escape: copy them whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(0x22)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    /// A finite double as the shortest text that reads back the same (`description`); NaN and
    /// infinities (never produced for scores) become `null`.
    mutating func number(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        if value == value.rounded(), abs(value) < 1e15 { bytes.append(contentsOf: String(Int64(value)).utf8) }
        else { bytes.append(contentsOf: value.description.utf8) }
    }

    mutating func optionalNumber(_ value: Double?) {
        if let value { number(value) } else { raw("null") }
    }

    mutating func item(_ item: RecommendedItem) {
        raw("{\"item_id\":"); string(item.id)
        raw(",\"score\":"); number(item.score)
        raw(",\"source\":"); string(item.source.rawValue)
        raw(",\"explanation\":"); string(item.explanation)
        raw(",\"title\":"); optionalString(item.record?.title)
        raw(",\"category\":"); optionalString(item.record?.category)
        raw(",\"price\":"); optionalNumber(item.record?.price)
        raw(",\"available\":"); raw((item.record?.available ?? true) ? "true" : "false")
        raw("}")
    }

    mutating func items(_ items: [RecommendedItem]) {
        raw("[")
        for (k, item) in items.enumerated() {
            if k > 0 { raw(",") }
            self.item(item)
        }
        raw("]")
    }

    /// `{"recommendation_id", "user_id", "scene", "model", "experiment", "variant", "items"}`.
    static func recommendations(_ response: RecommendationResponse) -> Response { encode(response).response() }

    /// The JSON of a recommendation response.
    static func encode(_ response: RecommendationResponse) -> FastJSON {
        var json = FastJSON()
        json.raw("{\"recommendation_id\":"); json.string(response.recommendationID)
        json.raw(",\"user_id\":"); json.string(response.user)
        json.raw(",\"scene\":"); json.string(response.scene)
        json.raw(",\"model\":"); json.optionalString(response.model)
        json.raw(",\"experiment\":"); json.optionalString(response.experiment)
        json.raw(",\"variant\":"); json.optionalString(response.variant)
        json.raw(",\"items\":"); json.items(response.items)
        json.raw("}")
        return json
    }

    /// `{"items": [...]}`.
    static func itemList(_ items: [RecommendedItem]) -> Response {
        var json = FastJSON()
        json.raw("{\"items\":"); json.items(items)
        json.raw("}")
        return json.response()
    }

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
