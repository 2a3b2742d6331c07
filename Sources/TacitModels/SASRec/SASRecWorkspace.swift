import TacitNeural

/// One worker's activations and scratch for a pack of sequences: what the backward pass needs
/// from the forward pass, per block. Buffers grow to the largest pack seen and are reused.
final class SASRecWorkspace: @unchecked Sendable {
    // `@unchecked`: one worker owns an instance; nothing else touches it during a phase.

    /// Activations of one block, `rows x dimension` unless noted.
    final class Block {
        var input = Buffer(), normalized1 = Buffer(), deviations1 = Buffer(), attended = Buffer()
        var queries = Buffer(), keys = Buffer(), values = Buffer()
        /// Attention weights `A` and after dropout `Ã`, `Σ_s heads · length_s²` floats.
        var weights = Buffer(), dropped = Buffer()
        var heads = Buffer(), outputMask = Buffer()
        var normalized2 = Buffer(), deviations2 = Buffer(), middle = Buffer()
        var hidden = Buffer(), hiddenMask = Buffer(), feedForwardMask = Buffer()
    }

    /// A growable float buffer.
    struct Buffer {
        private(set) var storage = FloatBuffer(count: 0)
        var pointer: UnsafeMutablePointer<Float> { storage.pointer }
        mutating func reserve(_ count: Int) { if storage.count < count { storage = FloatBuffer(count: count) } }
    }

    var blocks: [Block]
    var inputMask = Buffer()
    /// The last block's output (the input of the final layer norm), then the final states.
    var output = Buffer(), finalNormalized = Buffer(), finalDeviations = Buffer(), states = Buffer()
    // Backward scratch.
    var gradient = Buffer(), gradientMiddle = Buffer(), gradientAttended = Buffer()
    var scratch1 = Buffer(), scratch2 = Buffer(), queryGradient = Buffer(), keyGradient = Buffer(), valueGradient = Buffer()
    var attentionScratch = Buffer(), logits = Buffer(), negativeGradient = Buffer()
    /// The bf16 output layer's scratch (bf16 elements two to a float) and its float block.
    var bf16Scratch = Buffer(), bf16Floats = Buffer()
    /// Offset of each sequence's attention weights in a block's `weights`.
    var weightOffsets: [Int] = [0]

    init(blocks: Int) { self.blocks = (0..<blocks).map { _ in Block() } }

    /// Sizes every buffer for `pack`: `rows x dimension` activations and the attention weights.
    func prepare(_ pack: SASRecPack, dimension: Int, heads: Int, training: Bool, logitColumns: Int, logitRows: Int) {
        let n = pack.count * dimension
        weightOffsets = [0]
        var longest = 0
        for s in 0..<pack.sequenceCount {
            let t = pack.length(s)
            longest = max(longest, t)
            weightOffsets.append(weightOffsets[s] + heads * t * t)
        }
        let w = weightOffsets.last!
        for block in blocks {
            for keyPath in [\Block.input, \.normalized1, \.attended, \.queries, \.keys, \.values, \.heads, \.normalized2, \.middle, \.hidden] {
                block[keyPath: keyPath].reserve(n)
            }
            block.deviations1.reserve(pack.count)
            block.deviations2.reserve(pack.count)
            block.weights.reserve(w)
            if training {
                block.dropped.reserve(w)
                for keyPath in [\Block.outputMask, \.hiddenMask, \.feedForwardMask] { block[keyPath: keyPath].reserve(n) }
            }
        }
        output.reserve(n)
        finalNormalized.reserve(n)
        finalDeviations.reserve(pack.count)
        states.reserve(n)
        if training {
            inputMask.reserve(n)
            for buffer in [\SASRecWorkspace.gradient, \.gradientMiddle, \.gradientAttended, \.scratch1, \.scratch2, \.queryGradient,
                           \.keyGradient, \.valueGradient] {
                self[keyPath: buffer].reserve(n)
            }
            attentionScratch.reserve(longest * longest)
            logits.reserve(logitRows * logitColumns)
        }
    }
}
