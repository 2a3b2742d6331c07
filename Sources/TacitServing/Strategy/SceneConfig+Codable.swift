import TacitCore
extension SceneConfig: Codable {
    static let keys = ["sources", "filters", "diversity", "fallback", "count", "max_count", "ranker"]

    /// Decodes a scene that inherits nothing: `sources` is required, everything else has its
    /// default.
    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder, base: nil)
    }

    /// Decodes a scene whose absent keys keep the values of `base` (the built-in scene of the
    /// same name); without a base, `sources` is required. Validates the result.
    init(from decoder: any Decoder, base: SceneConfig?) throws(StrategyConfigError) {
        let object = try ConfigObject(decoder, known: Self.keys)
        var scene = base ?? SceneConfig(sources: [])

        if let elements = try object.array("sources") {
            scene.sources = []
            for element in elements { scene.sources.append(try Self.decodeSource(element)) }
        } else if base == nil {
            throw .missingKey(object.path("sources"))
        }
        if let filters = try object.nested("filters") {
            scene.filters = try Filters(from: filters, base: scene.filters)
        }
        if let diversity = try object.nested("diversity") {
            scene.diversity = try Diversity(from: diversity, base: scene.diversity)
        }
        if let elements = try object.array("fallback") {
            scene.fallback = []
            for element in elements {
                let name = try ConfigObject.string(element)
                scene.fallback.append(try CandidateSourceKind.named(name, at: StrategyConfigError.path(element.codingPath)))
            }
        }
        scene.count = try object.wholeNumber("count") ?? scene.count
        scene.maxCount = try object.wholeNumber("max_count") ?? scene.maxCount
        scene.ranker = try object.value("ranker", as: Bool.self, expected: "true or false") ?? scene.ranker
        try scene.validate(path: object.path)
        self = scene
    }

    private static func decodeSource(_ decoder: any Decoder) throws(StrategyConfigError) -> SourceWeight {
        do { return try SourceWeight(from: decoder) } catch {
            throw ConfigObject.converting(error, at: StrategyConfigError.path(decoder.codingPath), expected: "an object")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigKey.self)
        try container.encode(sources, forKey: ConfigKey("sources"))
        try container.encode(filters, forKey: ConfigKey("filters"))
        try container.encode(diversity, forKey: ConfigKey("diversity"))
        try container.encode(fallback.map(\.rawValue), forKey: ConfigKey("fallback"))
        try container.encode(count, forKey: ConfigKey("count"))
        try container.encode(maxCount, forKey: ConfigKey("max_count"))
        try container.encode(ranker, forKey: ConfigKey("ranker"))
    }
}
