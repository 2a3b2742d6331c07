import ArgumentParser
import TacitCore
import TacitEvaluation

/// `--candidates FILE`: rank only these items (a campaign list, or new items for a cold-start
/// evaluation). Shared by `recommend` and `evaluate`.
struct CandidateOptions: ParsableArguments {
    @Option(help: "Rank only the items of this file (CSV or JSON lines with an item_id column, optionally with attributes). Items not in the training data are scored from their attributes by feature-aware models (content, hybrid, twotower); other models never rank them.")
    var candidates: String?

    /// The candidates placed against `training`, or `nil` without `--candidates`. A candidate's
    /// attributes come from the candidates file, or from `--items` when the file has none.
    func set(training: InteractionMatrix, side: SideInformation) throws -> CandidateSet? {
        guard let candidates else { return nil }
        let records = try ItemCatalogReader().read(path: candidates).items.map { record in
            record.category == nil && record.brand == nil && record.tags.isEmpty ? side.items[record.id] ?? record : record
        }
        guard !records.isEmpty else { throw ValidationError("\(candidates): no candidate items") }
        let set = CandidateSet(records: records, training: training)
        Console.error("candidates: \(set.count) items from \(candidates)"
            + (set.coldPositions.isEmpty ? "" : ", \(set.coldPositions.count) not in the training data (scored from attributes by content, hybrid and twotower; never ranked by other models)"))
        return set
    }
}
