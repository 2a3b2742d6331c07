import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels

/// `tacit similar`: "more like this" lists from a model with item similarity.
struct SimilarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Write the most similar items of some or all items as CSV.",
        discussion: HelpText.format("""
        Output columns: item_id,rank,similar_item_id,score (rank from 1); an item is never
        similar to itself. Models with item similarity: itemknn (its neighbour lists), als and
        bpr (cosine of item factors), ease (the item's row of B), content (cosine of attribute
        profiles; needs --items), hybrid (blend of its two parts), twotower (cosine of item-tower
        embeddings; uses --items when given). Load a model file from `tacit train`, or fit one
        here with --train and --model.

        Examples:
          tacit similar --model-file als.tacit --item 50 --item 181 --k 10
          tacit similar --train events.csv --model itemknn --output similar.csv
        """)
    )

    @OptionGroup var source: ModelSourceOptions
    @Option(help: "An item id (repeatable); default: every item.")
    var item: [String] = []
    @Option(help: "Similar items per item.")
    var k: Int = 10
    @Option(help: "Output CSV file (- for standard output).")
    var output: String = "-"
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var retrieval: RetrievalOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
    }

    func run() async throws {
        threading.apply()
        let fitted = try retrieval.prepare(try await source.load(threads: threading.threads).model)
        guard let similarity = fitted as? any ItemSimilarity else {
            throw ValidationError("this model has no item similarity; use itemknn, als, bpr, ease, content, hybrid or twotower")
        }
        let items = fitted.trainingData.items
        let queries: [ItemIndex] = try item.isEmpty ? (0..<ItemIndex(items.count)).map { $0 } : item.map { id in
            guard let index = items.index(of: id) else { throw ValidationError("item '\(id)' is not in the model's training data") }
            return index
        }
        let lists = ResultSlots<[ScoredItem]>(count: queries.count, initial: [])
        let progress = ProgressTask("similar", unit: "item")
        progress.update(0, of: queries.count)
        for start in stride(from: 0, to: queries.count, by: 2048) {
            let block = start..<min(queries.count, start + 2048)
            Parallel.forEach(block, threads: threading.threads) { q in
                lists[q] = similarity.similarItems(to: queries[q], count: k, filter: .none)
            }
            progress.update(block.upperBound, of: queries.count)
        }
        progress.finish()
        let writer = try LineWriter(path: output)
        try writer.write("item_id,rank,similar_item_id,score")
        for (q, query) in queries.enumerated() {
            let id = CSVField.escape(items.id(at: query))
            for (rank, entry) in lists[q].enumerated() {
                try writer.write("\(id),\(rank + 1),\(CSVField.escape(items.id(at: entry.item))),\(entry.score)")
            }
        }
        try writer.close()
    }
}
