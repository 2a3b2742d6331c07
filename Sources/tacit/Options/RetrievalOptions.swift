import ArgumentParser
import TacitCore
import TacitModels

/// How inner-product models (als, bpr, twotower, sasrec, and a ranker's sources) retrieve each
/// user's items and each item's similar items: exactly or through the approximate indexes. Shared
/// by `recommend`, `similar` and `evaluate`, and by `train`, which saves the indexes it builds in
/// the model file (a load with the same build settings reads them instead of building them).
struct RetrievalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("exact: score every item; index: through the approximate index; auto: the index from --index-threshold items on.",
                               valueName: "auto|exact|index"))
    var retrieval: String = "auto"
    @Option(help: "The catalogue size from which --retrieval auto uses the index.")
    var indexThreshold = 50_000
    @Option(help: "Leaves of the index scored per user (default: 2√leaves, at least 8; the index has √items leaves).")
    var probes: Int?
    @Option(help: "Items the index re-scores exactly per user.")
    var rescore = 100

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        _ = try settings()
    }

    func settings() throws -> RetrievalSettings {
        guard let mode = RetrievalSettings.Mode(rawValue: retrieval) else {
            throw ValidationError("--retrieval must be one of \(RetrievalSettings.Mode.allCases.map(\.rawValue).joined(separator: ", ")), got '\(retrieval)'")
        }
        var settings = RetrievalSettings()
        settings.mode = mode
        settings.threshold = indexThreshold
        settings.index.probes = probes
        settings.index.rescore = rescore
        do { try settings.validate() } catch { throw ValidationError(error.description.replacingOccurrences(of: "retrieval.threshold", with: "--index-threshold")
                                                                         .replacingOccurrences(of: "retrieval.", with: "--")) }
        return settings
    }

    /// `model` under these settings — `forSaving`: as `tacit train` saves it
    /// (``RetrievalSettings/preparedForSaving(_:)``) — saying on standard error when an index
    /// was built or read from the model file.
    func prepare(_ model: any Recommender, forSaving: Bool = false) throws -> any Recommender {
        let settings = try settings()
        let prepared = forSaving ? settings.preparedForSaving(model) : settings.prepare(model)
        if let index = RetrievalSettings.index(of: prepared) {
            let saved = RetrievalSettings.index(of: model)
            let origin = saved?.buildSeconds == index.buildSeconds && saved?.configuration.buildsLike(index.configuration) == true
                ? "read from the model file" : String(format: "built in %.2f s", index.buildSeconds)
            Console.error("retrieval: index of \(index.leaves) leaves over \(index.itemCount) items \(origin) "
                          + "(\(index.defaultProbes) leaves scored per user, \(index.configuration.rescore) re-scored)")
        }
        return prepared
    }
}
