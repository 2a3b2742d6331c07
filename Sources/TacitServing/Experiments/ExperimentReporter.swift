import TacitCore
import TacitExperiments
import TacitStore

/// Builds an experiment's report from the store: one ``ExposureRecord`` per recorded impression
/// of the experiment, with the outcomes attributed to it by recommendation id.
///
/// A click or purchase counts for the response whose `recommendation_id` it carries
/// (`clicks`: click events; `purchases`: purchase events; `revenue`: the purchase events'
/// `value`, 0 when absent). With the experiment's `attribution_window_seconds`, an event sent
/// *without* an id counts for the user's latest response of the experiment at or before it, if
/// that response is at most the window older; without a window such events are not counted.
/// Holdout impressions (no variant) are left out of the comparison.
public enum ExperimentReporter {
    /// Rows read per store call.
    static let page = 10_000

    /// The report of `definition` from the impressions and outcomes in `store`.
    /// - Complexity: O(impressions + outcomes) reads, memory O(impressions with an outcome + users × variants).
    public static func report(_ definition: ExperimentDefinition, store: any EventStore, alpha: Double = 0.05) async throws -> ExperimentReport {
        var outcomes: [String: Outcome] = [:]
        var after: Int64 = 0
        while true {
            let events = try await store.outcomes(experiment: definition.id, after: after, limit: page)
            guard let last = events.last else { break }
            for event in events {
                guard let id = event.recommendationID else { continue }
                outcomes[id, default: Outcome()].add(event)
            }
            after = last.sequence
        }
        var impressions: [Impression] = []
        var lastID: String?
        while true {
            let page = try await store.impressions(experiment: definition.id, after: lastID, limit: page)
            guard let last = page.last else { break }
            impressions += page.filter { $0.variant != nil }
            lastID = last.recommendationID
        }
        if let window = definition.attributionWindow {
            try await attributeByWindow(window, impressions: impressions, store: store, into: &outcomes)
        }
        var analyzer = try ExperimentAnalyzer(definition)
        for impression in impressions {
            let outcome = outcomes[impression.recommendationID] ?? Outcome()
            analyzer.add(ExposureRecord(
                user: impression.user, variant: impression.variant, propensity: impression.propensity,
                clicks: outcome.clicks, purchases: outcome.purchases, revenue: outcome.revenue,
                timestamp: impression.timestamp))
        }
        return analyzer.report(alpha: alpha)
    }

    /// Attributes each user's clicks and purchases sent without a recommendation id to their
    /// latest impression at or before the event, when it is at most `window` seconds older.
    /// - Complexity: one history read per user of the experiment.
    static func attributeByWindow(_ window: Int64, impressions: [Impression], store: any EventStore,
                                  into outcomes: inout [String: Outcome]) async throws {
        var byUser: [UserID: [(time: Int64, id: String)]] = [:]
        for impression in impressions { byUser[impression.user, default: []].append((impression.timestamp, impression.recommendationID)) }
        for (user, shown) in byUser {
            let shown = shown.sorted { $0.time != $1.time ? $0.time < $1.time : $0.id < $1.id }
            for stored in try await store.events(of: user, limit: nil) {
                let event = stored.event
                guard stored.recommendationID == nil, event.kind == .click || event.kind == .purchase else { continue }
                // The latest impression at or before the event.
                guard let latest = shown.last(where: { $0.time <= event.timestamp }), event.timestamp - latest.time <= window else { continue }
                outcomes[latest.id, default: Outcome()].add(stored)
            }
        }
    }

    /// The outcomes attributed to one response.
    struct Outcome {
        var clicks = 0
        var purchases = 0
        var revenue = 0.0

        mutating func add(_ event: StoredEvent) {
            if event.kind == .click { clicks += 1 }
            if event.kind == .purchase {
                purchases += 1
                revenue += Double(event.value ?? 0)
            }
        }
    }
}
