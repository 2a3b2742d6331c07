import Foundation
import Testing
@testable import TacitServing

@Suite("StrategyConfig")
struct StrategyConfigTests {
    /// The error message of decoding `json` as `strategy.json`, or nil if it decodes.
    private func failure(_ json: String) -> String? {
        do {
            _ = try StrategyConfig.decode(Data(json.utf8), file: "strategy.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func standardScenes() throws {
        let standard = StrategyConfig.standard
        #expect(standard.sceneNames == ["cart", "home", "product"])
        #expect(standard.defaultScene == "home")
        #expect(standard.scene(named: nil) == .home)
        #expect(standard.scene(named: "nope") == nil)
        let home = SceneConfig.home
        #expect(home.sources == [SourceWeight(.personal, weight: 1), SourceWeight(.trending, weight: 0.2), SourceWeight(.content, weight: 0.1)])
        #expect(home.filters.excludeSeen && home.filters.excludePurchased && home.filters.availableOnly)
        #expect(home.diversity == .init(mmrLambda: 0.8, maxPerCategory: 4))
        #expect(home.fallback == [.trending, .popular])
        #expect(home.count == 10 && home.maxCount == 100)
        #expect(SceneConfig.product.sources.map(\.source) == [.similar, .complementary, .content])
        #expect(SceneConfig.product.filters.excludeContext && !SceneConfig.product.filters.excludeSeen)
        #expect(SceneConfig.cart.sources == [SourceWeight(.complementary, weight: 1), SourceWeight(.similar, weight: 0.3)])
        #expect(SceneConfig.cart.fallback == [.popular])
        #expect(SceneConfig.cart.filters.excludePurchased && SceneConfig.cart.filters.excludeContext)
        try standard.validate()
    }

    @Test func standardRoundTrips() throws {
        let data = try JSONEncoder().encode(StrategyConfig.standard)
        #expect(try StrategyConfig.decode(data) == .standard)
        let empty = try StrategyConfig.decode(Data("{}".utf8))
        #expect(empty == .standard)
    }

    @Test func customConfigRoundTrips() throws {
        var config = StrategyConfig.standard
        config.scenes["deals"] = SceneConfig(
            sources: [SourceWeight(.personal, weight: 2, limit: 50), SourceWeight(.popular, weight: 0.5)],
            filters: .init(availableOnly: false, excludeSeen: true, categories: ["Kitchen"], minPrice: 1, maxPrice: 9.5),
            diversity: .init(mmrLambda: 0.3, maxPerCategory: 2), fallback: [.popular], count: 5, maxCount: 20)
        config.scenes["home"]!.diversity.mmrLambda = nil  // a cleared built-in value must survive
        config.defaultScene = "deals"
        let data = try JSONEncoder().encode(config)
        #expect(try StrategyConfig.decode(data) == config)
    }

    @Test func fileOverridesOnlyWhatItNames() throws {
        let config = try StrategyConfig.decode(Data("""
            {"default_scene": "search",
             "scenes": {
               "home": {"diversity": {"mmr_lambda": 0.5}, "filters": {"categories": ["Books"]}},
               "product": {"diversity": {"max_per_category": null}, "count": 4},
               "search": {"sources": [{"source": "content"}]}
             }}
            """.utf8))
        var home = SceneConfig.home
        home.diversity.mmrLambda = 0.5
        home.filters.categories = ["Books"]
        #expect(config.scenes["home"] == home)
        var product = SceneConfig.product
        product.count = 4
        #expect(config.scenes["product"] == product)
        #expect(config.scenes["cart"] == .cart)
        #expect(config.scenes["search"] == SceneConfig(sources: [SourceWeight(.content)]))
        #expect(config.scenes["search"]!.sources[0].weight == 1 && config.scenes["search"]!.sources[0].limit == nil)
        #expect(config.defaultScene == "search")
        #expect(config.scene(named: nil) == config.scenes["search"])
    }

    /// The example in ``StrategyConfig``'s documentation, verbatim.
    @Test func documentedExampleLoads() throws {
        let config = try StrategyConfig.decode(Data("""
            {
              "default_scene": "home",
              "scenes": {
                "home": { "diversity": { "mmr_lambda": 0.7 } },
                "deals": {
                  "sources": [
                    { "source": "personal", "weight": 1.0, "limit": 200 },
                    { "source": "trending", "weight": 0.5 }
                  ],
                  "filters": {
                    "available_only": true, "exclude_seen": true, "exclude_purchased": true,
                    "exclude_context": true, "categories": ["Kitchen", "Garden"],
                    "min_price": 5, "max_price": 50
                  },
                  "diversity": { "mmr_lambda": 0.8, "max_per_category": 3 },
                  "fallback": ["trending", "popular"],
                  "count": 12,
                  "max_count": 60,
                  "ranker": true
                }
              }
            }
            """.utf8))
        #expect(config.scenes["home"]?.diversity.mmrLambda == 0.7)
        #expect(config.scenes["home"]?.diversity.maxPerCategory == 4)
        let deals = try #require(config.scenes["deals"])
        #expect(deals.sources == [SourceWeight(.personal, weight: 1, limit: 200), SourceWeight(.trending, weight: 0.5)])
        #expect(deals.filters == .init(excludeSeen: true, categories: ["Kitchen", "Garden"], minPrice: 5, maxPrice: 50))
        #expect(deals.diversity == .init(mmrLambda: 0.8, maxPerCategory: 3))
        #expect(deals.fallback == [.trending, .popular] && deals.count == 12 && deals.maxCount == 60)
        #expect(deals.ranker && config.scenes["home"]?.ranker == false, "the ranking stage is off unless a scene turns it on")
    }

    @Test func loadsAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("strategy-\(UInt64.random(in: 0...UInt64.max)).json").path
        try Data(#"{"scenes": {"cart": {"count": 3}}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try StrategyConfig.load(path: path).scenes["cart"]?.count == 3)

        let missing = path + ".missing"
        #expect(throws: StrategyConfigError.self) { try StrategyConfig.load(path: missing) }
        do { _ = try StrategyConfig.load(path: missing) } catch {
            #expect(error.description == "\(missing): cannot read the strategy file")
            #expect(error.file == missing && error.path.isEmpty)
        }
    }

    @Test func outOfRangeValuesNameTheirPath() {
        let sources = #"[{"source": "personal"}, {"source": "trending", "weight": -1}]"#
        #expect(failure(#"{"scenes": {"home": {"sources": \#(sources)}}}"#)
            == "strategy.json: scenes.home.sources[1].weight: must be > 0, got -1")
        #expect(failure(#"{"scenes": {"home": {"sources": [{"source": "personal", "weight": 0}]}}}"#)
            == "strategy.json: scenes.home.sources[0].weight: must be > 0, got 0")
        #expect(failure(#"{"scenes": {"x": {"sources": [{"source": "personal", "limit": 0}]}}}"#)
            == "strategy.json: scenes.x.sources[0].limit: must be ≥ 1, got 0")
        #expect(failure(#"{"scenes": {"home": {"diversity": {"mmr_lambda": 1.5}}}}"#)
            == "strategy.json: scenes.home.diversity.mmr_lambda: must be in [0, 1], got 1.5")
        #expect(failure(#"{"scenes": {"home": {"diversity": {"mmr_lambda": -0.1}}}}"#)
            == "strategy.json: scenes.home.diversity.mmr_lambda: must be in [0, 1], got -0.1")
        #expect(failure(#"{"scenes": {"home": {"diversity": {"max_per_category": 0}}}}"#)
            == "strategy.json: scenes.home.diversity.max_per_category: must be ≥ 1, got 0")
        #expect(failure(#"{"scenes": {"home": {"count": 0}}}"#) == "strategy.json: scenes.home.count: must be ≥ 1, got 0")
        #expect(failure(#"{"scenes": {"home": {"ranker": "yes"}}}"#)?.hasPrefix("strategy.json: scenes.home.ranker: ") == true,
                "\(failure(#"{"scenes": {"home": {"ranker": "yes"}}}"#) ?? "accepted")")
        #expect(failure(#"{"scenes": {"home": {"count": 20, "max_count": 10}}}"#)
            == "strategy.json: scenes.home.max_count: must be ≥ count (20), got 10")
        #expect(failure(#"{"scenes": {"home": {"count": 2.5}}}"#)
            == "strategy.json: scenes.home.count: must be a whole number, got 2.5")
        #expect(failure(#"{"scenes": {"home": {"filters": {"min_price": 10, "max_price": 5}}}}"#)
            == "strategy.json: scenes.home.filters.max_price: must be ≥ min_price (10), got 5")
        #expect(failure(#"{"scenes": {"home": {"filters": {"min_price": -3}}}}"#)
            == "strategy.json: scenes.home.filters.min_price: must be ≥ 0, got -3")
        #expect(failure(#"{"scenes": {"home": {"filters": {"categories": []}}}}"#)
            == "strategy.json: scenes.home.filters.categories: must not be empty (use null to allow all)")
        #expect(failure(#"{"scenes": {"home": {"sources": []}}}"#)
            == "strategy.json: scenes.home.sources: must name at least one source")
        #expect(failure(#"{"scenes": {"home": {"sources": [{"source": "popular"}, {"source": "popular"}]}}}"#)
            == "strategy.json: scenes.home.sources[1].source: duplicate source 'popular' (also sources[0])")
        #expect(failure(#"{"scenes": {"home": {"fallback": ["popular", "popular"]}}}"#)
            == "strategy.json: scenes.home.fallback[1]: duplicate source 'popular' (also fallback[0])")
        #expect(failure(#"{"default_scene": "shop"}"#)
            == "strategy.json: default_scene: unknown scene 'shop'; valid: cart, home, product")
    }

    @Test func unknownNamesAndKeysAreErrors() {
        let valid = "personal, similar, complementary, trending, popular, content, repeat"
        #expect(failure(#"{"scenes": {"cart": {"sources": [{"source": "foo"}]}}}"#)
            == "strategy.json: scenes.cart.sources[0].source: unknown source 'foo'; valid: \(valid)")
        #expect(failure(#"{"scenes": {"home": {"fallback": ["trending", "bogus"]}}}"#)
            == "strategy.json: scenes.home.fallback[1]: unknown source 'bogus'; valid: \(valid)")
        #expect(failure(#"{"scenes": {"home": {"diversity": {"mmr_lamda": 0.5}}}}"#)
            == "strategy.json: scenes.home.diversity.mmr_lamda: unknown key 'mmr_lamda'; valid: mmr_lambda, max_per_category")
        #expect(failure(#"{"scenes": {"home": {"sources": [{"source": "personal", "wieght": 2}]}}}"#)
            == "strategy.json: scenes.home.sources[0].wieght: unknown key 'wieght'; valid: source, weight, limit")
        #expect(failure(#"{"scenes": {"home": {"filter": {}}}}"#)
            == "strategy.json: scenes.home.filter: unknown key 'filter'; valid: sources, filters, diversity, fallback, count, max_count, ranker")
        #expect(failure(#"{"scenes": {"home": {"filters": {"exclude_bought": true}}}}"#)?
            .hasPrefix("strategy.json: scenes.home.filters.exclude_bought: unknown key 'exclude_bought'; valid: available_only,") == true)
        #expect(failure(#"{"defaultScene": "home"}"#)
            == "strategy.json: defaultScene: unknown key 'defaultScene'; valid: default_scene, scenes")
        #expect(failure(#"{"scenes": {"deals": {"count": 3}}}"#) == "strategy.json: scenes.deals.sources: required key is missing")
        #expect(failure(#"{"scenes": {"deals": {"sources": [{"weight": 3}]}}}"#)
            == "strategy.json: scenes.deals.sources[0].source: required key is missing")
    }

    @Test func wrongTypesNameTheirPath() {
        #expect(failure(#"{"scenes": {"home": {"count": "ten"}}}"#)
            == "strategy.json: scenes.home.count: expected a whole number, found a string")
        #expect(failure(#"{"scenes": {"home": {"sources": [{"source": "personal", "weight": "high"}]}}}"#)
            == "strategy.json: scenes.home.sources[0].weight: expected a number, found a string")
        #expect(failure(#"{"scenes": {"home": {"sources": [{"source": "personal", "weight": null}]}}}"#)
            == "strategy.json: scenes.home.sources[0].weight: expected a number, found null")
        #expect(failure(#"{"scenes": {"home": {"sources": [{"source": 3}]}}}"#)
            == "strategy.json: scenes.home.sources[0].source: expected a string, found a number")
        #expect(failure(#"{"scenes": {"home": {"filters": 5}}}"#)
            == "strategy.json: scenes.home.filters: expected an object, found a number")
        #expect(failure(#"{"scenes": {"home": {"filters": {"available_only": "yes"}}}}"#)
            == "strategy.json: scenes.home.filters.available_only: expected true or false, found a string")
        #expect(failure(#"{"scenes": {"home": {"sources": {"source": "personal"}}}}"#)
            == "strategy.json: scenes.home.sources: expected an array, found an object")
        #expect(failure(#"{"scenes": {"home": {"sources": ["personal"]}}}"#)
            == "strategy.json: scenes.home.sources[0]: expected an object, found a string")
        #expect(failure(#"{"scenes": {"home": {"fallback": [1]}}}"#)
            == "strategy.json: scenes.home.fallback[0]: expected a string, found a number")
        #expect(failure(#"{"scenes": {"home": {"filters": {"categories": "Books"}}}}"#)
            == "strategy.json: scenes.home.filters.categories: expected an array of strings, found a string")
        #expect(failure(#"{"scenes": ["home"]}"#) == "strategy.json: scenes: expected an object, found an array")
        #expect(failure(#"{"scenes": {"home": 3}}"#) == "strategy.json: scenes.home: expected an object, found a number")
        #expect(failure(#"[]"#) == "strategy.json: expected an object, found an array")
    }

    @Test func syntaxErrorsSayWhere() throws {
        let message = try #require(failure("{\n  \"scenes\": {\n    \"home\": {\"count\": x}\n  }\n}"))
        #expect(message.hasPrefix("strategy.json: not valid JSON"))
        #expect(message.contains("line 3, column 23"))
        let truncated = try #require(failure("{\"scenes\": {"))
        #expect(truncated.hasPrefix("strategy.json: not valid JSON"))
        #expect(failure("") != nil)
    }

    @Test func validateChecksProgrammaticConfigs() {
        var config = StrategyConfig.standard
        config.scenes["home"]!.sources[1].weight = -2
        #expect(throws: StrategyConfigError.self) { try config.validate() }
        do { try config.validate() } catch {
            #expect(error.description == "scenes.home.sources[1].weight: must be > 0, got -2")
            #expect(error.path == "scenes.home.sources[1].weight")
            #expect(error.reason == "must be > 0, got -2")
        }
        config = .standard
        config.defaultScene = "missing"
        #expect(throws: StrategyConfigError.self) { try config.validate() }
    }

    @Test func resolvedCountClamps() {
        let scene = SceneConfig(sources: [SourceWeight(.popular)], count: 7, maxCount: 20)
        #expect(scene.resolvedCount(nil) == 7)
        #expect(scene.resolvedCount(12) == 12)
        #expect(scene.resolvedCount(500) == 20)
        #expect(scene.resolvedCount(-3) == 0)
    }
}
