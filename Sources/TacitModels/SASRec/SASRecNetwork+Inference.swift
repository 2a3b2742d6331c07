import TacitCore
import TacitNeural

extension SASRecNetwork {
    /// The state after each of `count` sequences (the final output at its newest event; zeros for
    /// an empty sequence), without dropout: `count x dimension`, row-major. `sequence(k)` gives
    /// sequence `k`'s items and kind codes, oldest first; only the last `maxLength` are read.
    /// Sequences go in blocks of 64 across `threads` workers.
    /// - Complexity: O(Σ_k min(length_k, maxLength) · (blocks · d² + min(length_k, maxLength) · blocks · d)).
    func states(count: Int, threads: Int,
                sequence: @Sendable (Int) -> (items: ArraySlice<Int32>, kinds: ArraySlice<Int32>)) -> StorageBuffer<Float> {
        let d = dimension, block = 64, maxLength = shape.maxLength
        let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, count * d))
        output.initialize(repeating: 0)
        let shared = SharedMutableBuffer(output)
        Parallel.forEach(0..<((count + block - 1) / block), threads: threads, chunk: 1, makeState: {
            SASRecWorkspace(blocks: self.blocks.count)
        }) { workspace, b in
            let lo = b * block, hi = min(count, lo + block)
            var pack = SASRecPack()
            for k in lo..<hi {
                let (items, kinds) = sequence(k)
                pack.appendInference(items: items, kinds: kinds, maxLength: maxLength)
            }
            var unused = SeededGenerator(seed: 0)
            self.forward(pack, workspace: workspace, training: false, random: &unused)
            for s in 0..<pack.sequenceCount where pack.length(s) > 0 {
                (shared.base.baseAddress! + (lo + s) * d).update(from: workspace.states.pointer + (pack.offsets[s + 1] - 1) * d, count: d)
            }
        }
        return StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: output[0..<(count * d)]))
    }

    /// The state after one sequence (zeros when it is empty).
    func state(items: [Int32], kinds: [Int32]) -> [Float] {
        states(count: 1, threads: 1) { _ in (items[...], kinds[...]) }.array
    }

    /// The item-table rows of `items`, concatenated (`items.count x dimension`).
    func gather(_ items: [Int32]) -> [Float] {
        var rows = [Float](repeating: 0, count: items.count * dimension)
        rows.withUnsafeMutableBufferPointer { rows in
            for (k, item) in items.enumerated() {
                (rows.baseAddress! + k * dimension).update(from: itemEmbedding.row(Int(item)), count: dimension)
            }
        }
        return rows
    }
}
