/// One recommendation response shown under an experiment, with the outcomes attributed to it:
/// the analysis input.
///
/// The service builds these by joining its impression rows (`experiment`, `variant`,
/// `propensity`, `recommendation_id`) with the events that carry the same recommendation id:
/// `clicks` counts the click events on the response's items, `purchases` and `revenue` the
/// purchases (the service's `ExperimentReporter` takes revenue from the purchase events'
/// `value`, 0 when absent). Records can arrive in any order.
public struct ExposureRecord: Sendable, Hashable, Codable {
    /// The user's external id (the unit of randomisation of a fixed split).
    public var user: String
    /// The variant's name (nil or unknown names are counted in
    /// ``ExperimentReport/unmatchedRecords`` and otherwise ignored).
    public var variant: String?
    /// The probability the policy gave this variant (``Assignment/propensity``); nil is read as
    /// the variant's normalised share.
    public var propensity: Double?
    /// Click events attributed to the response.
    public var clicks: Int
    /// Purchase events attributed to the response.
    public var purchases: Int
    /// Revenue attributed to the response.
    public var revenue: Double
    /// When the response was served, in seconds since 1970 (the impression's timestamp); nil
    /// leaves the record out of the per-day series (``ExperimentReport/Variant/daily``) only.
    public var timestamp: Int64?

    public init(user: String, variant: String?, propensity: Double? = nil, clicks: Int = 0, purchases: Int = 0,
                revenue: Double = 0, timestamp: Int64? = nil) {
        self.user = user
        self.variant = variant
        self.propensity = propensity
        self.clicks = clicks
        self.purchases = purchases
        self.revenue = revenue
        self.timestamp = timestamp
    }
}
