import TacitCore

/// A strategy configuration that cannot be used (see ``ConfigError``): the message names the
/// file, the field's path and the reason, as
/// `strategy.json: scenes.home.sources[1].weight: must be > 0, got -1`.
public typealias StrategyConfigError = ConfigError
