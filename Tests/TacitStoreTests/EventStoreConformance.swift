import Testing
import TacitCore
import TacitStore

/// One behaviour every ``EventStore`` must have, written once and run against each store
/// (`SQLiteConformanceTests`, `PostgresConformanceTests`).
struct ConformanceCheck: Sendable, CustomTestStringConvertible {
    let name: String
    let body: @Sendable (StoreHarness) async throws -> Void

    var testDescription: String { name }

    init(_ name: String, _ body: @escaping @Sendable (StoreHarness) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// A check that needs only a fresh open store.
    static func store(_ name: String, _ body: @escaping @Sendable (any EventStore) async throws -> Void) -> ConformanceCheck {
        ConformanceCheck(name) { harness in try await harness.withStore(body) }
    }
}

/// The conformance suite of ``EventStore``.
enum EventStoreConformance {
    static let checks: [ConformanceCheck] = events + catalog + records + experiments + lifecycle + privacy + activity

    // MARK: fixtures

    static func event(
        _ user: String, _ item: String, _ kind: EventKind = .view, at timestamp: Int64 = 1_700_000_000,
        id: String? = nil, value: Float? = nil, recommendation: String? = nil
    ) -> StoredEvent {
        StoredEvent(eventID: id, user: user, item: item, kind: kind, timestamp: timestamp, value: value, recommendationID: recommendation)
    }

    /// `event` with the sequence a store assigned (what reading it back must return).
    static func stored(_ event: StoredEvent, _ sequence: Int64) -> StoredEvent {
        var copy = event
        copy.sequence = sequence
        return copy
    }

    /// Every event with its assigned sequence, skipping the duplicates of `summary`.
    static func stored(_ events: [StoredEvent], _ summary: InsertSummary) -> [StoredEvent] {
        var seen = Set<Int64>()
        var result: [StoredEvent] = []
        for (event, sequence) in zip(events, summary.sequences) where seen.insert(sequence).inserted {
            result.append(stored(event, sequence))
        }
        return result
    }

    static func isStrictlyIncreasing(_ values: [Int64]) -> Bool {
        zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
    }

    /// Expects `body` to throw a ``StoreError`` with `code`.
    static func expectStoreError(
        _ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("expected StoreError.\(code), nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected StoreError.\(code), got \(error)", sourceLocation: sourceLocation)
        }
    }
}
