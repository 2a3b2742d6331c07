import TacitCore

/// The sequences one worker runs through the network at once, packed row after row without
/// padding: sequence `s` is rows `offsets[s] ..< offsets[s + 1]`.
///
/// Each row is one event: its item, its kind code (−1: none) and its position in the
/// `maxLength` window. Positions count back from the end, as left padding does in SASRec: the
/// newest event of every sequence is at position `maxLength − 1`, so a training sequence and
/// the same user's sequence at inference put their newest events on the same embeddings.
struct SASRecPack {
    var items: [Int32] = []
    var kinds: [Int32] = []
    var positions: [Int32] = []
    /// The next item of each row (training only).
    var targets: [Int32] = []
    var offsets: [Int] = [0]

    /// The number of rows.
    var count: Int { items.count }
    /// The number of sequences.
    var sequenceCount: Int { offsets.count - 1 }

    /// The length of sequence `s`.
    func length(_ s: Int) -> Int { offsets[s + 1] - offsets[s] }

    /// Appends a training sequence: the last `maxLength + 1` events of `items`/`kinds` (a slice
    /// of a user's history, oldest first); every event but the last is an input whose target is
    /// the next event's item. Histories of fewer than 2 events add nothing.
    mutating func appendTraining(items sequence: ArraySlice<Int32>, kinds codes: ArraySlice<Int32>, maxLength: Int) {
        guard sequence.count >= 2 else { return }
        let window = min(sequence.count, maxLength + 1)
        let start = sequence.endIndex - window, kindStart = codes.endIndex - window
        let inputs = window - 1
        for t in 0..<inputs {
            items.append(sequence[start + t])
            kinds.append(codes[kindStart + t])
            positions.append(Int32(maxLength - inputs + t))
            targets.append(sequence[start + t + 1])
        }
        offsets.append(items.count)
    }

    /// Appends an inference sequence: the last `maxLength` events (empty histories add an empty
    /// sequence, whose state is zero).
    mutating func appendInference(items sequence: ArraySlice<Int32>, kinds codes: ArraySlice<Int32>, maxLength: Int) {
        let window = min(sequence.count, maxLength)
        let start = sequence.endIndex - window, kindStart = codes.endIndex - window
        for t in 0..<window {
            items.append(sequence[start + t])
            kinds.append(codes[kindStart + t])
            positions.append(Int32(maxLength - window + t))
        }
        offsets.append(items.count)
    }
}
