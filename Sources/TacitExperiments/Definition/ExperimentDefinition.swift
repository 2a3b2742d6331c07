/// One experiment: who is in it, which variants compete, how traffic is split between them.
///
/// Users are assigned by a deterministic hash of their id and ``salt`` (see
/// ``ExperimentAssigner``), so an assignment is sticky without being stored, and experiments with
/// different salts are independent. The ``variants``' `scene` and `model` are opaque strings the
/// service interprets (a strategy scene, a catalog model); this module never reads them.
///
/// JSON format (snake_case keys; see `docs/experiments.md`):
/// ```json
/// {"id": "home-ranker", "salt": "home-ranker-2024-06", "control": "als",
///  "holdout": 0.05, "start": "2024-06-01", "stop": "2024-07-01",
///  "policy": {"type": "thompson", "floor": 0.05},
///  "variants": [{"name": "als", "scene": "home", "model": "als", "share": 0.5},
///               {"name": "ease", "scene": "home", "model": "ease", "share": 0.5}]}
/// ```
public struct ExperimentDefinition: Sendable, Hashable {
    /// One arm of the experiment.
    public struct Variant: Sendable, Hashable {
        /// The variant's name, unique within the experiment (`control`, `ease-v2`).
        public var name: String
        /// The scene the service serves this variant's requests with (opaque here).
        public var scene: String?
        /// The model the service ranks this variant with (opaque here; the service reads a
        /// catalog model name, `ease`).
        public var model: String?
        /// The traffic weight: the fixed split's share, and a bandit's allocation before any
        /// outcome. Weights are normalised to sum to 1, so `1, 1` means 50/50. Default 1.
        public var share: Double

        public init(name: String, scene: String? = nil, model: String? = nil, share: Double = 1) {
            self.name = name
            self.scene = scene
            self.model = model
            self.share = share
        }
    }

    /// The experiment's id, unique within a set (it is recorded with every impression).
    public var id: String
    /// The assignment salt; change it to re-randomise users. Default: the ``id``.
    public var salt: String
    /// The arms, at least two.
    public var variants: [Variant]
    /// The fraction of users kept outside the experiment (served the default), `0 ..< 1`.
    /// Default 0.
    public var holdout: Double
    /// First second (since 1970) at which users are assigned; nil: from the start.
    public var start: Int64?
    /// First second at which users are no longer assigned; nil: open-ended.
    public var stop: Int64?
    /// The name of the variant the others are compared with. Default: the first variant.
    public var control: String
    /// How traffic is split between the variants.
    public var policy: AllocationPolicy
    /// The request scene the experiment applies to (opaque here; the service runs it on the
    /// requests for that scene). nil: the service decides (it requires one).
    public var scene: String?
    /// Seconds after a response during which the user's click or purchase sent *without* a
    /// recommendation id is attributed to it (to the user's latest response of the experiment
    /// at or before the event). nil: attribution by recommendation id only.
    public var attributionWindow: Int64?

    /// A definition; `salt` defaults to `id` and `control` to the first variant's name.
    /// Call ``validate()`` (decoding does) before use.
    public init(id: String, salt: String? = nil, variants: [Variant], holdout: Double = 0, start: Int64? = nil,
                stop: Int64? = nil, control: String? = nil, policy: AllocationPolicy = .fixed, scene: String? = nil,
                attributionWindow: Int64? = nil) {
        self.id = id
        self.salt = salt ?? id
        self.variants = variants
        self.holdout = holdout
        self.start = start
        self.stop = stop
        self.control = control ?? variants.first?.name ?? ""
        self.policy = policy
        self.scene = scene
        self.attributionWindow = attributionWindow
    }

    /// The variants' shares normalised to sum to 1.
    public var normalizedShares: [Double] {
        let total = variants.reduce(0) { $0 + $1.share }
        return variants.map { $0.share / total }
    }

    /// The index of the variant called `name`, if any.
    public func variantIndex(named name: String) -> Int? { variants.firstIndex { $0.name == name } }

    /// The index of the ``control`` variant.
    public var controlIndex: Int { variantIndex(named: control) ?? 0 }

    /// Whether users are assigned at `time` (seconds since 1970): `start <= time < stop`.
    public func isRunning(at time: Int64) -> Bool {
        if let start, time < start { return false }
        if let stop, time >= stop { return false }
        return true
    }

    /// Checks every field; errors name the field's path relative to the experiment
    /// (`variants[1].share: must be > 0, got 0`).
    public func validate() throws(ExperimentError) {
        guard !id.isEmpty else { throw .invalidValue("id", "must not be empty") }
        guard !salt.isEmpty else { throw .invalidValue("salt", "must not be empty") }
        if let scene, scene.isEmpty { throw .invalidValue("scene", "must not be empty") }
        if let attributionWindow, attributionWindow < 0 {
            throw .invalidValue("attribution_window_seconds", "must be ≥ 0, got \(attributionWindow)")
        }
        guard variants.count >= 2 else {
            throw .invalidValue("variants", "needs at least 2 variants, got \(variants.count)")
        }
        var seen: Set<String> = []
        for (index, variant) in variants.enumerated() {
            let path = "variants[\(index)]"
            guard !variant.name.isEmpty else { throw .invalidValue(path + ".name", "must not be empty") }
            guard seen.insert(variant.name).inserted else {
                throw .invalidValue(path + ".name", "duplicate variant name '\(variant.name)'")
            }
            guard variant.share.isFinite, variant.share > 0 else {
                throw .invalidValue(path + ".share", "must be > 0, got \(ExperimentError.format(variant.share))")
            }
        }
        guard holdout.isFinite, holdout >= 0, holdout < 1 else {
            throw .invalidValue("holdout", "must be in [0, 1), got \(ExperimentError.format(holdout))")
        }
        if let start, let stop, stop <= start {
            throw .invalidValue("stop", "must be after start (\(start)), got \(stop)")
        }
        guard variantIndex(named: control) != nil else {
            throw .unknownName("control", kind: "variant", name: control, valid: variants.map(\.name))
        }
        try policy.validate(arms: variants.count)
    }
}
