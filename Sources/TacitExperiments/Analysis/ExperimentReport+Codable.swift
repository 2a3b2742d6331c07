/// The report's own numbers that can be undefined — an effective sample size of an empty arm, a
/// sequential p-value of a degenerate comparison, a chi-square over no users — are written as
/// `null` like ``Estimate``'s, so a report of any experiment encodes (JSON has no NaN).
extension ExperimentReport.WeightedEstimates {
    enum CodingKeys: String, CodingKey { case ctr, purchaseRate, revenuePerImpression, effectiveImpressions }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(ctr: try container.decode(Estimate.self, forKey: .ctr),
                  purchaseRate: try container.decode(Estimate.self, forKey: .purchaseRate),
                  revenuePerImpression: try container.decode(Estimate.self, forKey: .revenuePerImpression),
                  effectiveImpressions: try container.decodeFinite(.effectiveImpressions))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ctr, forKey: .ctr)
        try container.encode(purchaseRate, forKey: .purchaseRate)
        try container.encode(revenuePerImpression, forKey: .revenuePerImpression)
        try container.encodeFinite(effectiveImpressions, forKey: .effectiveImpressions)
    }
}

extension ExperimentReport.Comparison {
    enum CodingKeys: String, CodingKey {
        case variant, control, conversion, ctr, revenuePerUser, conversionSequentialPValue, revenueSequentialPValue, weightedCTRDifference
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(variant: try container.decode(String.self, forKey: .variant),
                  control: try container.decode(String.self, forKey: .control),
                  conversion: try container.decode(TestResult.self, forKey: .conversion),
                  ctr: try container.decode(TestResult.self, forKey: .ctr),
                  revenuePerUser: try container.decode(TestResult.self, forKey: .revenuePerUser),
                  conversionSequentialPValue: try container.decodeFinite(.conversionSequentialPValue),
                  revenueSequentialPValue: try container.decodeFinite(.revenueSequentialPValue),
                  weightedCTRDifference: try container.decode(Estimate.self, forKey: .weightedCTRDifference))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(variant, forKey: .variant)
        try container.encode(control, forKey: .control)
        try container.encode(conversion, forKey: .conversion)
        try container.encode(ctr, forKey: .ctr)
        try container.encode(revenuePerUser, forKey: .revenuePerUser)
        try container.encodeFinite(conversionSequentialPValue, forKey: .conversionSequentialPValue)
        try container.encodeFinite(revenueSequentialPValue, forKey: .revenueSequentialPValue)
        try container.encode(weightedCTRDifference, forKey: .weightedCTRDifference)
    }
}
