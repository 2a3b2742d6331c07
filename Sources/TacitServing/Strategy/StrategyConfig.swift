/// The recommendation strategy: named scenes (home, product page, cart, any custom one) and the
/// scene a request without one gets.
///
/// A strategy file is JSON with snake_case keys. It only needs to name what differs from the
/// built-in strategy (``standard``): its scenes are added to the built-in ones, and a scene
/// named like a built-in one (`home`, `product`, `cart`) starts from the built-in scene and
/// changes only the keys it names (`null` clears an optional value). A custom scene must name
/// its `sources`; its other keys have the defaults below.
///
/// ```json
/// {
///   "default_scene": "home",
///   "scenes": {
///     "home": { "diversity": { "mmr_lambda": 0.7 } },
///     "deals": {
///       "sources": [
///         { "source": "personal", "weight": 1.0, "limit": 200 },
///         { "source": "trending", "weight": 0.5 }
///       ],
///       "filters": {
///         "available_only": true, "exclude_seen": true, "exclude_purchased": true,
///         "exclude_context": true, "categories": ["Kitchen", "Garden"],
///         "min_price": 5, "max_price": 50
///       },
///       "diversity": { "mmr_lambda": 0.8, "max_per_category": 3 },
///       "fallback": ["trending", "popular"],
///       "count": 12,
///       "max_count": 60
///     }
///   }
/// }
/// ```
///
/// | key | default | meaning |
/// |---|---|---|
/// | `default_scene` | `"home"` | the scene of requests that name none; must exist |
/// | `sources[].source` | required | `personal`, `similar`, `complementary`, `trending`, `popular`, `content`, `repeat` |
/// | `sources[].weight` | 1 | > 0; the source's weight in the blend |
/// | `sources[].limit` | 4 × count | ≥ 1; candidates taken from the source |
/// | `filters.available_only` | true | drop items marked unavailable |
/// | `filters.exclude_seen` | false (home: true) | drop items in the user's history |
/// | `filters.exclude_purchased` | true | drop items the user bought |
/// | `filters.exclude_context` | true | drop the context items (product page item, cart) |
/// | `filters.categories` | null (all) | allowed categories, case-insensitive |
/// | `filters.min_price`, `max_price` | null | inclusive price range; items without a price fail it |
/// | `diversity.mmr_lambda` | null (off) | MMR trade-off in [0, 1]; 1 = pure relevance |
/// | `diversity.max_per_category` | null (off) | ≥ 1; per-category cap |
/// | `fallback` | `["trending", "popular"]` | backfill sources, in order |
/// | `count` | 10 | ≥ 1; items when a request names no count |
/// | `max_count` | 100 | ≥ count; larger requests are clamped |
/// | `ranker` | false | the ranking stage: a served learned ranker re-orders the blend (``SceneConfig/ranker``) |
///
/// Loading is strict: an unknown key (a typo such as `mmr_lamda`), a wrong type or an
/// out-of-range value fails with the file, the field's exact path and the reason, as in
/// `strategy.json: scenes.home.sources[1].weight: must be > 0, got -1` (see
/// ``StrategyConfigError``).
public struct StrategyConfig: Sendable, Equatable {
    /// The name of the scene used when ``defaultScene`` is not given.
    public static let defaultSceneName = "home"

    /// The scenes by name.
    public var scenes: [String: SceneConfig]
    /// The scene of requests that name none; must be a key of ``scenes``. Default `"home"`.
    public var defaultScene: String

    public init(scenes: [String: SceneConfig], defaultScene: String = StrategyConfig.defaultSceneName) {
        self.scenes = scenes
        self.defaultScene = defaultScene
    }

    /// The built-in strategy: the ``SceneConfig/home``, ``SceneConfig/product`` and
    /// ``SceneConfig/cart`` scenes, `home` by default.
    public static let standard = StrategyConfig(
        scenes: ["home": .home, "product": .product, "cart": .cart], defaultScene: defaultSceneName)

    /// The scene called `name`, or the default scene when `name` is nil; nil when there is no
    /// such scene.
    public func scene(named name: String?) -> SceneConfig? { scenes[name ?? defaultScene] }

    /// The scene names, sorted.
    public var sceneNames: [String] { scenes.keys.sorted() }

    /// Checks every scene and the default scene, with the same messages as loading.
    public func validate() throws(StrategyConfigError) {
        for name in sceneNames {
            guard !name.isEmpty else { throw .invalidValue("scenes", "a scene name must not be empty") }
            try scenes[name]!.validate(path: StrategyConfigError.path("scenes", name))
        }
        guard scenes[defaultScene] != nil else {
            throw .unknownName("default_scene", kind: "scene", name: defaultScene, valid: sceneNames)
        }
    }
}
