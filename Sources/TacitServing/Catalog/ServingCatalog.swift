import TacitCore

/// The service's live catalog: a ``CatalogSnapshot`` behind a lock, replaced on every change.
///
/// Readers take a snapshot (a copy-on-write value) and work on it without locking; writers
/// (upserts, first events of unknown items) mutate under the lock.
public final class ServingCatalog: Sendable {
    private let state: Locked<CatalogSnapshot>

    /// - Parameter unknownItemsAvailable: whether items known only from events may be shown
    ///   (see ``CatalogSnapshot/unknownItemsAvailable``).
    public init(unknownItemsAvailable: Bool = true) {
        state = Locked(CatalogSnapshot(unknownItemsAvailable: unknownItemsAvailable))
    }

    /// The current catalog.
    public var snapshot: CatalogSnapshot { state.current }

    /// Inserts or replaces items; returns their indices.
    @discardableResult
    public func upsert(_ records: [ItemRecord]) -> [Int32] {
        state.withLock { catalog in records.map { catalog.upsert($0) } }
    }

    /// The indices of `ids`, adding unknown ones without metadata.
    public func intern(_ ids: [ItemID]) -> [Int32] {
        state.withLock { catalog in ids.map { catalog.intern($0) } }
    }

    /// Whether `id` has a catalogue record.
    public func hasRecord(_ id: ItemID) -> Bool {
        state.withLock { catalog in catalog.index(of: id).map { catalog.record($0) != nil } ?? false }
    }

    /// The index of `id`, if known.
    public func index(of id: ItemID) -> Int32? { state.withLock { $0.index(of: id) } }
}
