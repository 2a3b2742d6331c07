import TacitCore
import TacitExperiments
import TacitStore

/// Builds an experiment's report from the store: one ``ExposureRecord`` per recorded impression
/// of the experiment, with the outcomes attributed to it by recommendation id.
///
/// Attribution is by id only: a click or purchase counts for the response whose
/// `recommendation_id` it carries (`clicks`: click events; `purchases`: purchase events;
/// `revenue`: the purchase events' `value`, 0 when absent). Events sent without a
/// recommendation id are not attributed (no time window), so clients must pass the id on.
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
        var analyzer = try ExperimentAnalyzer(definition)
        var lastID: String?
        while true {
            let impressions = try await store.impressions(experiment: definition.id, after: lastID, limit: page)
            guard let last = impressions.last else { break }
            for impression in impressions where impression.variant != nil {
                let outcome = outcomes[impression.recommendationID] ?? Outcome()
                analyzer.add(ExposureRecord(
                    user: impression.user, variant: impression.variant, propensity: impression.propensity,
                    clicks: outcome.clicks, purchases: outcome.purchases, revenue: outcome.revenue,
                    timestamp: impression.timestamp))
            }
            lastID = last.recommendationID
        }
        return analyzer.report(alpha: alpha)
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
