import GRDB
import TacitCore

extension SQLiteStore {
    /// The columns every impression query selects, in the order ``impression(_:store:)`` reads.
    static let impressionColumns = "recommendation_id, user_id, scene, model, items, timestamp, experiment, variant, propensity"

    /// One impression from a row of ``impressionColumns``; a corrupt item list names the row.
    static func impression(_ row: Row, store: String) throws -> Impression {
        let id: String = row[0]
        return Impression(
            recommendationID: id, user: row[1], scene: row[2], model: row[3],
            items: try RecordCoding.decode([String].self, from: row[4], store: store, table: "impressions", id: id, field: "items"),
            timestamp: row[5], experiment: row[6], variant: row[7], propensity: row[8])
    }
}
