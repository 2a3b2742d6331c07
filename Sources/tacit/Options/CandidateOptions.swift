import ArgumentParser
import TacitCore
import TacitEvaluation

/// `--candidates FILE`: rank only these items (a campaign list, or new items for a cold-start
/// evaluation). Shared by `recommend`, `evaluate` and `tune`.
struct CandidateOptions: ParsableArguments {
    @Option(help: "Rank only the items of this file (CSV or JSON lines with an item_id column, optionally with attributes). Items not in the training data are scored from their attributes by feature-aware models (content, hybrid, twotower); other models never rank them.")
    var candidates: String?

    /// The candidates placed against `training`, or `nil` without `--candidates`. A candidate's
    /// attributes come from the candidates file, or from `--items` when the file has none.
    func set(training: InteractionMatrix, side: SideInformation) throws -> CandidateSet? {
        guard let candidates else { return nil }
        let records = try ItemCatalogReader().read(path: candidates).items
        guard !records.isEmpty else { throw ValidationError("\(candidates): no candidate items") }
        return Self.set(records, from: candidates, training: training, side: side)
    }

    /// `records` placed against `training`; a record without attributes takes its `--items`
    /// record's. Says on standard error how many there are and how many are new.
    static func set(_ records: [ItemRecord], from source: String, training: InteractionMatrix, side: SideInformation) -> CandidateSet {
        let records = records.map { record in
            record.category == nil && record.brand == nil && record.tags.isEmpty && record.attributes.isEmpty ? side.items[record.id] ?? record : record
        }
        let set = CandidateSet(records: records, training: training)
        Console.error("candidates: \(set.count) items from \(source)"
            + (set.coldPositions.isEmpty ? "" : ", \(set.coldPositions.count) not in the training data (scored from attributes by content, hybrid and twotower; never ranked by other models)"))
        return set
    }
}
