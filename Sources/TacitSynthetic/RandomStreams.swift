import TacitCore

/// The independent random streams of a simulation, one per purpose (and per user or session).
enum RandomStreams {
    static func catalog(_ seed: UInt64) -> SeededGenerator {
        SeededGenerator.stream(seed: seed ^ 0x6361_7461_6c6f_6721, index: 0)
    }
    /// Profile of user `u`.
    static func user(_ seed: UInt64, _ u: Int32) -> SeededGenerator {
        SeededGenerator.stream(seed: seed ^ 0x7573_6572_7072_6f66, index: UInt64(u))
    }
    /// Session plan (arrival, session lengths and starts) of user `u`.
    static func schedule(_ seed: UInt64, _ u: Int32) -> SeededGenerator {
        SeededGenerator.stream(seed: seed ^ 0x7363_6865_6475_6c65, index: UInt64(u))
    }
    /// Content of the session of user `u` that starts `offset` seconds into the log.
    static func session(_ seed: UInt64, user u: UInt32, offset: UInt32) -> SeededGenerator {
        SeededGenerator.stream(seed: seed ^ 0x7365_7373_696f_6e73, index: UInt64(u) << 32 | UInt64(offset))
    }
}
