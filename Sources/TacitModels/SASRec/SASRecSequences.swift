import TacitCore

/// The training users' event sequences of a SASRec run, oldest first, with kind codes as `Int32`
/// (the pack's element type).
struct SASRecSequences: Sendable {
    /// The kinds the codes index.
    let kinds: [EventKind]
    let pointers: [Int]
    let items: [Int32]
    let kindCodes: [Int32]

    /// The matrix's ``InteractionMatrix/sequences``, or its entries in time order without them.
    init(_ data: InteractionMatrix) {
        let sequences = data.sequences ?? EventSequences(entriesOf: data)
        kinds = sequences.kinds
        pointers = sequences.pointers
        items = sequences.items
        kindCodes = sequences.kindCodes.map(Int32.init)
    }

    /// Where each user's training window ends this epoch: their newest event (`last`), or for a
    /// user with more than `maxLength + 1` events a seeded uniform choice among every end that
    /// leaves a full window (`random`), so over the epochs the older events train the model too.
    func windowEnds(_ batch: [Int32], maxLength: Int, random: inout SeededGenerator) -> [Int] {
        batch.map { user in
            let n = length(of: Int(user)), full = maxLength + 1
            return n > full ? full + random.next(below: n - full + 1) : n
        }
    }

    /// The number of events of `user`.
    func length(of user: Int) -> Int { pointers[user + 1] - pointers[user] }

    /// `user`'s items and kind codes, oldest first.
    func events(of user: Int) -> (items: ArraySlice<Int32>, kinds: ArraySlice<Int32>) {
        let range = pointers[user]..<pointers[user + 1]
        return (items[range], kindCodes[range])
    }

    /// The batch's training sequences split into one pack per worker with about equal numbers of
    /// rows: longest first, each to the worker with the fewest rows so far (ties: lower worker).
    /// A user's sequence is the `maxLength + 1` events ending at `ends[k]` (exclusive, counted in
    /// the user's events; default: their newest). Deterministic for a given batch and worker count.
    func trainingPacks(_ batch: [Int32], workers: Int, maxLength: Int, ends: [Int]? = nil) -> [SASRecPack] {
        var packs = [SASRecPack](repeating: SASRecPack(), count: workers)
        var load = [Int](repeating: 0, count: workers)
        let order = batch.indices.sorted {
            let a = length(of: Int(batch[$0])), b = length(of: Int(batch[$1]))
            return a != b ? a > b : $0 < $1
        }
        for k in order {
            let user = Int(batch[k])
            let w = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            var (items, kinds) = events(of: user)
            if let end = ends?[k], end < items.count {
                items = items.prefix(end)
                kinds = kinds.prefix(end)
            }
            packs[w].appendTraining(items: items, kinds: kinds, maxLength: maxLength)
            load[w] += min(items.count, maxLength + 1) - 1
        }
        return packs
    }
}
