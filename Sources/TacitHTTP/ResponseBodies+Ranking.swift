import TacitServing

extension Body {
    /// `POST /v1/users/{id}/rank`: the given items in the user's order.
    struct Ranking: Encodable {
        struct Entry: Encodable {
            let item_id: String
            /// `null` (not absent) for an item that could not be scored.
            let score: Double?

            enum CodingKeys: String, CodingKey { case item_id, score }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(item_id, forKey: .item_id)
                try container.encode(score, forKey: .score)
            }
        }

        let user_id: String
        let model: String?
        let ranked_by: String
        let items: [Entry]

        init(_ ranking: PersonalRanking) {
            user_id = ranking.user
            model = ranking.model
            ranked_by = ranking.basis.rawValue
            items = ranking.items.map { Entry(item_id: $0.id, score: $0.score) }
        }
    }
}
