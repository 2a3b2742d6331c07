import TacitCore
extension ExperimentDefinition: Codable {
    static let keys = ["id", "scene", "salt", "variants", "holdout", "start", "stop", "control", "policy", "attribution_window_seconds"]

    /// Decodes and validates one experiment (format in ``ExperimentDefinition``); errors are
    /// ``ExperimentError``s naming the field's full path.
    public init(from decoder: any Decoder) throws {
        let object = try ConfigObject(decoder, known: Self.keys)
        let id = try object.required("id", as: String.self, expected: "a string")
        guard let elements = try object.array("variants") else { throw ExperimentError.missingKey(object.path("variants")) }
        var variants: [Variant] = []
        for element in elements { variants.append(try Variant(strict: element)) }
        var policy = AllocationPolicy.fixed
        if let policyDecoder = try object.nested("policy") { policy = try AllocationPolicy(strict: policyDecoder) }
        self.init(id: id, salt: try object.value("salt", as: String.self, expected: "a string"), variants: variants,
                  holdout: try object.value("holdout", as: Double.self, expected: "a number") ?? 0,
                  start: try object.time("start"), stop: try object.time("stop"),
                  control: try object.value("control", as: String.self, expected: "a string"), policy: policy,
                  scene: try object.value("scene", as: String.self, expected: "a string"),
                  attributionWindow: try object.value("attribution_window_seconds", as: Int64.self, expected: "a whole number of seconds"))
        do { try validate() } catch { throw error.nested(under: object.path) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigKey.self)
        try container.encode(id, forKey: ConfigKey("id"))
        try container.encodeIfPresent(scene, forKey: ConfigKey("scene"))
        try container.encode(salt, forKey: ConfigKey("salt"))
        try container.encode(variants, forKey: ConfigKey("variants"))
        try container.encode(holdout, forKey: ConfigKey("holdout"))
        try container.encodeIfPresent(start, forKey: ConfigKey("start"))
        try container.encodeIfPresent(stop, forKey: ConfigKey("stop"))
        try container.encode(control, forKey: ConfigKey("control"))
        try container.encode(policy, forKey: ConfigKey("policy"))
        try container.encodeIfPresent(attributionWindow, forKey: ConfigKey("attribution_window_seconds"))
    }
}

extension ExperimentDefinition.Variant: Codable {
    static let keys = ["name", "scene", "model", "share"]

    public init(from decoder: any Decoder) throws { try self.init(strict: decoder) }

    init(strict decoder: any Decoder) throws(ExperimentError) {
        let object = try ConfigObject(decoder, known: Self.keys)
        self.init(name: try object.required("name", as: String.self, expected: "a string"),
                  scene: try object.value("scene", as: String.self, expected: "a string"),
                  model: try object.value("model", as: String.self, expected: "a string"),
                  share: try object.value("share", as: Double.self, expected: "a number") ?? 1)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigKey.self)
        try container.encode(name, forKey: ConfigKey("name"))
        try container.encodeIfPresent(scene, forKey: ConfigKey("scene"))
        try container.encodeIfPresent(model, forKey: ConfigKey("model"))
        try container.encode(share, forKey: ConfigKey("share"))
    }
}

extension AllocationPolicy: Codable {
    static let keys = ["type", "epsilon", "floor"]

    /// A policy name (`"thompson"`) or an object `{"type": "epsilon_greedy", "epsilon": 0.1,
    /// "floor": 0.05}`; `epsilon` defaults to 0.1 and `floor` to 0.
    public init(from decoder: any Decoder) throws { try self.init(strict: decoder) }

    init(strict decoder: any Decoder) throws(ExperimentError) {
        let path = ExperimentError.path(decoder.codingPath)
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            self = try Self.named(name, epsilon: nil, floor: nil, path: path)
            return
        }
        let object = try ConfigObject(decoder, known: Self.keys)
        let name = try object.required("type", as: String.self, expected: "a string")
        let epsilon = try object.value("epsilon", as: Double.self, expected: "a number")
        let floor = try object.value("floor", as: Double.self, expected: "a number")
        self = try Self.named(name, epsilon: epsilon, floor: floor, path: object.path("type"))
        if epsilon != nil, name != "epsilon_greedy" {
            throw .invalidValue(object.path("epsilon"), "only epsilon_greedy takes an epsilon")
        }
        if floor != nil, self == .fixed { throw .invalidValue(object.path("floor"), "a fixed split has no floor") }
    }

    private static func named(_ name: String, epsilon: Double?, floor: Double?, path: String) throws(ExperimentError) -> Self {
        switch name {
        case "fixed": return .fixed
        case "thompson": return .thompson(floor: floor ?? 0)
        case "ucb1": return .ucb1(floor: floor ?? 0)
        case "epsilon_greedy": return .epsilonGreedy(epsilon: epsilon ?? 0.1, floor: floor ?? 0)
        default: throw .unknownName(path, kind: "policy", name: name, valid: names)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigKey.self)
        try container.encode(name, forKey: ConfigKey("type"))
        if case let .epsilonGreedy(epsilon, _) = self { try container.encode(epsilon, forKey: ConfigKey("epsilon")) }
        if self != .fixed { try container.encode(floor, forKey: ConfigKey("floor")) }
    }
}
