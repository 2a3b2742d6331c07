import TacitCore

extension ParameterSpec {
    /// `precision` of the models that score by inner products (als, bpr, twotower, sasrec): how
    /// their user and item tables are kept — as fitted (`f32`), or as int8 codes with one scale
    /// per vector (``TablePrecision``).
    static let precision = ParameterSpec(
        "precision", "user and item tables: f32, or int8 codes with one scale per vector (the tables take 1/4 of the model file)",
        domain: .choice(TablePrecision.allCases.map(\.rawValue)), default: .choice(TablePrecision.f32.rawValue), tuned: false)
}

extension Parameters {
    /// The `precision` parameter (``ParameterSpec/precision``).
    var precision: TablePrecision { TablePrecision(rawValue: choice("precision")) ?? .f32 }
}
