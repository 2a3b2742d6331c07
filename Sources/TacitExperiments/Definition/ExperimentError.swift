import TacitCore

/// An experiment definition that cannot be used, or an analysis input that does not fit it (see
/// ``ConfigError``): the message names the field's path and the reason, as
/// `experiments.json: experiments[0].variants[1].share: must be > 0, got -0.5`.
public typealias ExperimentError = ConfigError
