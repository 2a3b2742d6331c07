extension ServiceConfiguration {
    /// Privacy: retention of events and pseudonymous user ids (the `privacy` section; see
    /// `docs/service.md`, "Privacy").
    public struct Privacy: Sendable, Equatable {
        /// Events and impressions older than this many days are removed (at start, then every
        /// ``retentionInterval`` seconds); `nil` keeps them forever. Default `nil`.
        public var retentionDays: Double?
        /// Seconds between two retention runs. Default 3600.
        public var retentionInterval: Double = 3_600
        /// Replace every user id by its keyed HMAC-SHA-256 at every entry point, before anything
        /// is stored or logged. Needs a secret (``secretEnvironment`` or ``secretFile``). Default `false`.
        public var pseudonymizeUserIDs: Bool = false
        /// The environment variable holding the secret. Default `TACIT_PSEUDONYM_SECRET`.
        public var secretEnvironment: String = "TACIT_PSEUDONYM_SECRET"
        /// A file holding the secret (its content, without a trailing newline); wins over the
        /// environment variable when set. Default `nil`.
        public var secretFile: String?
        public init() {}
    }
}
