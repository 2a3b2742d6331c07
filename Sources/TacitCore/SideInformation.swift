/// Item and user metadata that feature-aware models train on (content-based, hybrid, two-tower).
///
/// Collaborative models ignore it. Trainers receive it through ``TrainingOptions``-like run
/// options, so a model's training data stays one ``InteractionMatrix`` and metadata is optional:
/// a feature-aware model trained without it falls back to ids alone or fails with a clear error.
public struct SideInformation: Sendable {
    /// Item metadata by external id. Items of the training data without a record have no features.
    public var items: [ItemID: ItemRecord]
    /// User metadata by external id.
    public var users: [UserID: UserRecord]

    /// No metadata.
    public static let none = SideInformation()

    /// Metadata from catalogue records; for a repeated id the last record wins.
    public init(items: [ItemRecord] = [], users: [UserRecord] = []) {
        self.items = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.users = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Whether there is no metadata at all.
    public var isEmpty: Bool { items.isEmpty && users.isEmpty }
}
