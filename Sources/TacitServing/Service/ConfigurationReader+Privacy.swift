extension ConfigurationReader {
    /// The `privacy` section.
    static func privacy(_ top: Object, base: ServiceConfiguration.Privacy) throws -> ServiceConfiguration.Privacy {
        var p = base
        guard let privacy = try top.map("privacy", known: ["retention_days", "retention_interval_seconds", "pseudonymize_user_ids",
                                                           "secret_env", "secret_file"]) else { return p }
        p.retentionDays = try privacy.number("retention_days", min: 0.0001) ?? p.retentionDays
        p.retentionInterval = try privacy.number("retention_interval_seconds", min: 1) ?? p.retentionInterval
        p.pseudonymizeUserIDs = try privacy.bool("pseudonymize_user_ids") ?? p.pseudonymizeUserIDs
        p.secretEnvironment = try privacy.string("secret_env") ?? p.secretEnvironment
        p.secretFile = try privacy.string("secret_file") ?? p.secretFile
        if let days = p.retentionDays, days > 36_500 { throw Failure(path: "privacy.retention_days", reason: "must be <= 36500 (100 years), got \(format(days))") }
        if p.retentionInterval > 86_400 * 30 { throw Failure(path: "privacy.retention_interval_seconds", reason: "must be <= 2592000 (30 days), got \(format(p.retentionInterval))") }
        if p.secretEnvironment.isEmpty { throw Failure(path: "privacy.secret_env", reason: "must not be empty") }
        return p
    }
}
