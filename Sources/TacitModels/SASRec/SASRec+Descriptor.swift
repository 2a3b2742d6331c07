import TacitCore
import TacitNeural

extension SASRec {
    /// `sasrec`: documented parameters and tuning ranges.
    public static let descriptor = ModelDescriptor(
        name: "sasrec",
        summary: "SASRec: causal self-attention over each user's event sequence (items, positions, kinds), full-softmax cross-entropy",
        parameters: [
            ParameterSpec("dimension", "width of the embeddings and layers (a multiple of heads)",
                          domain: .integer(valid: 1...4096, search: 32...256, log: true), default: .integer(64), tuned: false),
            ParameterSpec("max_length", "most recent events the model reads", domain: .integer(valid: 1...100_000, search: 50...400, log: true),
                          default: .integer(200), tuned: false),
            ParameterSpec("blocks", "self-attention blocks", domain: .integer(valid: 1...64, search: 1...3, log: false), default: .integer(2)),
            ParameterSpec("heads", "attention heads (dimension must be a multiple)", domain: .choice(["1", "2", "4", "8"]), default: .choice("2")),
            ParameterSpec("dropout", "dropout rate of embeddings, attention and feed-forward layers",
                          domain: .real(valid: 0...0.95, search: 0.05...0.6, log: false), default: .real(0.3)),
            ParameterSpec("epochs", "passes over the users", domain: .integer(valid: 1...10_000, search: 20...200, log: true), default: .integer(100),
                          tuned: false),
            ParameterSpec("learning_rate", "Adam step size", domain: .real(valid: 1e-9...10, search: 2e-4...5e-3, log: true), default: .real(0.002)),
            ParameterSpec("batch_size", "users per batch", domain: .integer(valid: 1...1_000_000, search: 32...512, log: true), default: .integer(128)),
            ParameterSpec("weight_decay", "decoupled weight decay (AdamW; 0 = Adam)", domain: .real(valid: 0...0.5, search: 1e-6...1e-2, log: true),
                          default: .real(0), tuned: false),
            ParameterSpec("warmup_steps", "steps of linear learning-rate warm-up", domain: .integer(valid: 0...1_000_000, search: 0...500, log: false),
                          default: .integer(100), tuned: false),
            ParameterSpec("lr_schedule", "learning rate after warm-up: constant, or cosine decay to 0 at the last epoch",
                          domain: .choice(LearningRateSchedule.Decay.allCases.map(\.rawValue)), default: .choice("constant"), tuned: false),
            ParameterSpec("clip_norm", "largest global gradient norm (0 = no clipping)", domain: .real(valid: 0...1e6, search: 0.5...10, log: true),
                          default: .real(5), tuned: false),
            ParameterSpec("negatives", "sampled negatives per batch (0 = full softmax over all items)",
                          domain: .integer(valid: 0...10_000_000, search: 0...4096, log: false), default: .integer(0), tuned: false),
            ParameterSpec("mask_history", "full-softmax training leaves out the items already in the sequence (as ranking excludes the history), the target kept",
                          domain: .choice(["true", "false"]), default: .choice("true"), tuned: false),
            ParameterSpec("window", "events of a history longer than max_length + 1 that train each epoch: the newest (last) or a window ending at a random event (random)",
                          domain: .choice(SASRec.TrainingWindow.allCases.map(\.rawValue)), default: .choice("last"), tuned: false),
            ParameterSpec("output_precision", "full-softmax output layer products: bf16 (AVX-512 BF16 where the CPU has it, else f32) or f32",
                          domain: .choice(SASRec.OutputPrecision.allCases.map(\.rawValue)), default: .choice("bf16"), tuned: false),
            ParameterSpec("seed", "seed of the initial weights, shuffles, dropout and negatives",
                          domain: .integer(valid: 0...Int.max, search: 0...1000, log: false), default: .integer(42), tuned: false),
            .precision,
        ],
        modelType: SASRecModel.self
    ) { parameters, options throws(TacitError) in
        var configuration = Configuration()
        configuration.dimension = parameters.integer("dimension")
        configuration.maxLength = parameters.integer("max_length")
        configuration.blocks = parameters.integer("blocks")
        configuration.heads = Int(parameters.choice("heads")) ?? 2
        configuration.dropout = parameters.real("dropout")
        configuration.epochs = parameters.integer("epochs")
        configuration.learningRate = parameters.real("learning_rate")
        configuration.batchSize = parameters.integer("batch_size")
        configuration.weightDecay = parameters.real("weight_decay")
        configuration.warmupSteps = parameters.integer("warmup_steps")
        configuration.schedule = LearningRateSchedule.Decay(rawValue: parameters.choice("lr_schedule")) ?? .constant
        configuration.clipNorm = parameters.real("clip_norm")
        configuration.negatives = parameters.integer("negatives")
        configuration.maskHistory = parameters.choice("mask_history") == "true"
        configuration.window = SASRec.TrainingWindow(rawValue: parameters.choice("window")) ?? .last
        configuration.outputPrecision = SASRec.OutputPrecision(rawValue: parameters.choice("output_precision")) ?? .bf16
        configuration.seed = UInt64(parameters.integer("seed"))
        configuration.precision = parameters.precision
        configuration.threads = options.threads
        try configuration.validate()
        return AnyTrainer(SASRec(configuration, earlyStopping: options.earlyStopping))
    }
}
