import ArgumentParser
import TacitCore

/// `--items` and `--users`: catalogue files whose metadata feature-aware models train on
/// (content-based, hybrid, two-tower) and `evaluate` uses for intra-list diversity.
struct CatalogOptions: ParsableArguments {
    @Option(help: "An items file (CSV or JSON lines: item_id, title, category, brand, price, tags/genres, ...) for models that use item features and for diversity metrics.")
    var items: String?
    @Option(help: "A users file (CSV or JSON lines: user_id and attribute columns such as gender, age, occupation) for models that use user features (twotower: numeric columns with many values bucketed by quantiles, others categorical; --new-users ranks users without training data from them).")
    var users: String?

    /// The metadata of the given files (none when neither is given); bad rows stop with file:line.
    func side() throws -> SideInformation {
        let itemRecords = try items.map { try ItemCatalogReader().read(path: $0).items } ?? []
        let userRecords = try users.map { try UserCatalogReader().read(path: $0).users } ?? []
        return SideInformation(items: itemRecords, users: userRecords)
    }
}
