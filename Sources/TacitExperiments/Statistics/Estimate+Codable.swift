/// JSON has no NaN or infinity: statistics that are undefined (an empty arm) or unbounded (an
/// interval from one observation) are written as `null` and read back as NaN and ±infinity, so
/// a report always encodes.
extension KeyedEncodingContainer {
    mutating func encodeFinite(_ value: Double, forKey key: Key) throws {
        if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeFinite(_ value: Double?, forKey key: Key) throws {
        if let value { try encodeFinite(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

extension KeyedDecodingContainer {
    func decodeFinite(_ key: Key, absent: Double = .nan) throws -> Double {
        try decodeIfPresent(Double.self, forKey: key) ?? absent
    }
}

extension Estimate {
    enum CodingKeys: String, CodingKey { case value, lower, upper, standardError }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(value: try container.decodeFinite(.value), lower: try container.decodeFinite(.lower, absent: -.infinity),
                  upper: try container.decodeFinite(.upper, absent: .infinity),
                  standardError: try container.decodeFinite(.standardError))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeFinite(value, forKey: .value)
        try container.encodeFinite(lower, forKey: .lower)
        try container.encodeFinite(upper, forKey: .upper)
        try container.encodeFinite(standardError, forKey: .standardError)
    }
}

extension TestResult {
    enum CodingKeys: String, CodingKey { case difference, relativeLift, statistic, degreesOfFreedom, pValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(difference: try container.decode(Estimate.self, forKey: .difference),
                  relativeLift: try container.decodeFinite(.relativeLift), statistic: try container.decodeFinite(.statistic),
                  degreesOfFreedom: try container.decodeIfPresent(Double.self, forKey: .degreesOfFreedom),
                  pValue: try container.decodeFinite(.pValue))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(difference, forKey: .difference)
        try container.encodeFinite(relativeLift, forKey: .relativeLift)
        try container.encodeFinite(statistic, forKey: .statistic)
        try container.encodeFinite(degreesOfFreedom, forKey: .degreesOfFreedom)
        try container.encodeFinite(pValue, forKey: .pValue)
    }
}
