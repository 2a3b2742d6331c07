import TacitCore

/// A global time split (EVALUATION.md, TEMPORAL): the cut is the `quantile` of all timestamps
/// (linear interpolation, as numpy's default); events before it train, events at or after it test.
///
/// With `validationQuantile` set, training events at or after that earlier cut form the
/// validation log (for tuning on the past). Logs keep file order.
public struct TemporalSplit: Sendable {
    /// The test cut quantile, default 0.8.
    public var quantile: Double
    /// An optional earlier quantile for a validation cut.
    public var validationQuantile: Double?

    public init(quantile: Double = 0.8, validationQuantile: Double? = nil) {
        self.quantile = quantile
        self.validationQuantile = validationQuantile
    }

    /// The timestamp at quantile `q` (linear interpolation between order statistics).
    public static func cut(_ timestamps: [Int64], quantile q: Double) -> Double {
        guard !timestamps.isEmpty else { return 0 }
        let sorted = timestamps.sorted()
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return Double(sorted[lo]) + (position - Double(lo)) * Double(sorted[hi] - sorted[lo])
    }

    public func split(_ log: EventLog) -> DataSplit {
        let testCut = Self.cut(log.timestamps, quantile: quantile)
        let validCut = validationQuantile.map { Self.cut(log.timestamps, quantile: $0) }
        var train: [Int] = [], valid: [Int] = [], test: [Int] = []
        for p in 0..<log.count {
            let t = Double(log.timestamps[p])
            if t >= testCut { test.append(p) } else if let validCut, t >= validCut { valid.append(p) } else { train.append(p) }
        }
        return DataSplit(train: log.subset(train), validation: validCut == nil ? nil : log.subset(valid), test: log.subset(test))
    }
}
