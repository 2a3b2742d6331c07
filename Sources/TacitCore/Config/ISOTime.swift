import Foundation

/// ISO 8601 times as seconds since 1970 (UTC).
enum ISOTime {
    /// Seconds since 1970 of `2024-06-01` (midnight UTC) or `2024-06-01T08:00:00Z`; nil otherwise.
    static func parse(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.count == 10 ? [.withFullDate] : [.withInternetDateTime]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }
}
