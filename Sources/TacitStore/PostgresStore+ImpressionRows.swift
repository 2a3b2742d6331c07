import PostgresNIO
import TacitCore

extension PostgresStore {
    /// The columns every impression query selects, in the order ``impressions(from:store:)`` reads.
    static let impressionColumns = "recommendation_id, user_id, scene, model, items::text, timestamp, experiment, variant, propensity"

    /// The impressions of rows of ``impressionColumns``; a corrupt item list names the row.
    static func impressions(from rows: PostgresRowSequence, store: String) async throws -> [Impression] {
        var result: [Impression] = []
        for try await (recommendation, user, scene, model, items, timestamp, experiment, variant, propensity)
            in rows.decode((String, String, String, String, String, Int64, String?, String?, Double?).self) {
            result.append(Impression(
                recommendationID: recommendation, user: user, scene: scene, model: model,
                items: try RecordCoding.decode([String].self, from: items, store: store, table: "impressions", id: recommendation, field: "items"),
                timestamp: timestamp, experiment: experiment, variant: variant, propensity: propensity))
        }
        return result
    }
}
