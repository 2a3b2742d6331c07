/// Identifiers of recommendation responses: UUID version 7 (RFC 9562), lowercase text.
///
/// The first 48 bits are the Unix time in milliseconds, so ids sort by creation time and the
/// store's impression index grows at its right edge instead of at random pages (a random
/// UUID v4 made every impression insert read and dirty a random B-tree page). The other 74 bits
/// are random. Formatted by hand: `UUID().uuidString` goes through `snprintf`.
enum RecommendationID {
    private static let hex = Array("0123456789abcdef".utf8)

    /// A new id for a response created at `milliseconds` since 1970.
    static func make(milliseconds: UInt64, using generator: inout some RandomNumberGenerator) -> String {
        let random = generator.next() as UInt64, more = generator.next() as UInt64
        // time (48) | version 7 (4) | 12 random bits ; variant 0b10 (2) | 62 random bits
        let high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | (random & 0x0FFF)
        let low = 0x8000_0000_0000_0000 | (more >> 2)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[position] = hex[Int((value >> UInt64(shift)) & 0xF)]
                    position += 1
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            put(high >> 32, nibbles: 8); dash()
            put((high >> 16) & 0xFFFF, nibbles: 4); dash()
            put(high & 0xFFFF, nibbles: 4); dash()
            put(low >> 48, nibbles: 4); dash()
            put(low & 0xFFFF_FFFF_FFFF, nibbles: 12)
            return position
        }
    }

    /// A new id for a response created `secondsSince1970` ago from the epoch.
    static func make(secondsSince1970: Double) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(milliseconds: UInt64(max(0, secondsSince1970 * 1000)), using: &generator)
    }
}
