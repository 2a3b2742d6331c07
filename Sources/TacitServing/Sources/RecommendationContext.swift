import Foundation
import TacitCore
import TacitModels

/// What one recommendation request is about: the user, their history, the context items and the
/// model version that serves it. Built once per request; every candidate source reads it.
struct RecommendationContext: Sendable {
    let user: UserID
    /// The user's remembered events, oldest first (catalog indices).
    let history: [UserHistories.Entry]
    /// The product page's item, the cart's items ... (catalog indices).
    let contextItems: [Int32]
    let catalog: CatalogSnapshot
    let model: ServingModel?
    /// The user's stored record (attributes), if any: a model with user features ranks a user
    /// without a trained vector from it.
    var attributes: UserRecord? = nil
    /// Whether the model must not serve the user's trained vector (the user was forgotten since
    /// the model was trained: ``ForgottenUsers``).
    var trainedVectorRevoked = false
    /// The request time, seconds since 1970 (the learned ranker's real-time features are as of it).
    var time = Int64(Date().timeIntervalSince1970)
    /// A served ranker's request and its sources' lists (history excluded), computed once per
    /// request when both the personal source and a scene's ranking stage need them.
    var ranker: (request: RankerRequest, lists: RankerLists)? = nil

    var events: [HistoryEvent] { history.map(\.event) }

    /// The user's trained index, when the model knows the user and nothing happened since.
    var trainedUserWithoutNewEvents: Int32? {
        guard let model, !trainedVectorRevoked, let user = model.trainedUser(user) else { return nil }
        let seen = model.info.lastSequence
        return history.allSatisfy { $0.sequence <= seen } ? user : nil
    }

    /// The items the user most recently interacted with, newest first, distinct, at most `limit`.
    func recentItems(limit: Int) -> [Int32] {
        let seen = ItemTable(capacity: min(limit, history.count))
        var result: [Int32] = []
        for entry in history.reversed() where seen.insert(entry.event.item) {
            result.append(entry.event.item)
            if result.count == limit { break }
        }
        return result
    }
}
