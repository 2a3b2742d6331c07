import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation
import TacitModels

struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Write the top-K recommendations of every training user as CSV.",
        discussion: HelpText.format("""
        Output columns: user_id,rank,item_id,score (rank from 1), users in natural id order,
        each user's training items excluded. The ranking is exactly the one `tacit evaluate` scores.

        Either fit a model here (--train, --model, --param) or load one saved by `tacit train`
        (--model-file). With --events, the users of that file get their new events folded into
        their histories (weighted by the model file's weighting policy) and are recommended
        without retraining — new users too; only those users are written. Items unknown to the
        model are ignored. Fold-in needs a model that supports it (see `tacit models`).
        With --candidates, each user's list ranks only those items (new items too, by models that
        score items from attributes: content, hybrid, twotower).

        Examples:
          tacit recommend --train train.csv --model itemknn --param neighbors=50 --k 10 --output recs.csv
          tacit recommend --model-file als.tacit --k 20 --output recs.csv
          tacit recommend --model-file als.tacit --events todays-clicks.csv --output fresh.csv
          tacit recommend --model-file als.tacit --candidates campaign.csv --k 3 --output campaign-recs.csv
        """)
    )

    @OptionGroup var source: ModelSourceOptions
    @Option(help: "New events to fold into their users' histories before recommending (needs --model-file).")
    var events: String?
    @Option(help: "Recommendations per user.")
    var k: Int = 10
    @Option(help: "Output CSV file (- for standard output).")
    var output: String = "-"
    @OptionGroup var candidates: CandidateOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var retrieval: RetrievalOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
        guard events == nil || source.modelFile != nil else { throw ValidationError("--events needs a --model-file (see `tacit train`)") }
    }

    func run() async throws {
        threading.apply()
        let (loaded, policy) = try await source.load(threads: threading.threads)
        let fitted = try retrieval.prepare(loaded)
        let training = fitted.trainingData
        let candidateSet = try candidates.set(training: training, side: try source.catalog.side())
        if let candidateSet, !candidateSet.scoresColdItems(fitted) {
            Console.error("this model cannot score the \(candidateSet.coldPositions.count) candidates it never trained on: they are left out")
        }
        // Item ids of a list: training items, or candidate positions with --candidates.
        let itemID: (ItemIndex) -> String = { item in candidateSet.map { $0.records[Int(item)].id } ?? training.items.id(at: item) }
        let writer = try LineWriter(path: output)
        try writer.write("user_id,rank,item_id,score")
        func write(_ user: String, _ list: [ScoredItem]) throws {
            let userID = CSVField.escape(user)
            for (rank, entry) in list.enumerated() {
                try writer.write("\(userID),\(rank + 1),\(CSVField.escape(itemID(entry.item))),\(entry.score)")
            }
        }
        if let events {
            for (user, list) in try foldIn(events, into: fitted, policy: policy, candidates: candidateSet) { try write(user, list) }
        } else {
            // Users in chunks, each written as soon as it is ranked, with progress.
            let users = training.users.naturalOrder()
            let progress = ProgressTask("recommend", unit: "user")
            progress.update(0, of: users.count)
            for start in stride(from: 0, to: users.count, by: 4096) {
                let chunk = Array(users[start..<min(users.count, start + 4096)])
                let lists = candidateSet.map { $0.rank(fitted, users: chunk, count: k, threads: threading.threads) }
                    ?? fitted.recommendAll(users: chunk, count: k, threads: threading.threads)
                for (user, list) in zip(chunk, lists) { try write(training.users.id(at: user), list) }
                progress.update(start + chunk.count, of: users.count)
            }
            progress.finish()
        }
        try writer.close()
    }

    /// Recommendations for the users of `path` after folding their events into their histories.
    private func foldIn(_ path: String, into fitted: any Recommender, policy: WeightingPolicy,
                        candidates: CandidateSet?) throws -> [(String, [ScoredItem])] {
        guard let model = fitted as? any FoldIn else {
            throw ValidationError("this model cannot fold in new events; use a model with fold-in (see `tacit models`)")
        }
        let training = model.trainingData
        let log = try source.input.read([path])
        var byUser: [Int32: [WeightingPolicy.NewEvent]] = [:]
        var order: [Int32] = []
        var unknownItems = 0
        for position in 0..<log.count {
            let user = log.userIndices[position]
            guard let item = training.items.index(of: log.items.id(at: log.itemIndices[position])) else { unknownItems += 1; continue }
            if byUser[user] == nil { order.append(user) }
            byUser[user, default: []].append((item, log.kinds[Int(log.kindCodes[position])], log.timestamps[position]))
        }
        if unknownItems > 0 { Console.error("\(path): \(unknownItems) events for items the model does not know were ignored") }
        var newUsers = 0
        let rows = order.map { user -> (String, [ScoredItem]) in
            let id = log.users.id(at: user)
            let known = training.users.index(of: id)
            if known == nil { newUsers += 1 }
            let history = known.map { training.history(of: Int($0)) } ?? SparseVector(pairs: [])
            let extended = policy.extend(history, with: byUser[user] ?? [])
            return (id, candidates.map { $0.rank(model, history: extended, count: k) }
                ?? model.recommend(history: extended, count: k, filter: .excludingHistory))
        }
        Console.error("folded in \(log.count - unknownItems) events for \(rows.count) users (\(newUsers) new)")
        return rows
    }
}

/// CSV quoting for ids that contain a delimiter, quote or newline.
enum CSVField {
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
