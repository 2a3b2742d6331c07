/// One variant's per-day counts, for the cumulative series ``ExperimentReport/Variant/daily``:
/// per user the first day seen and the first day converted, per day the impressions and
/// clicked impressions. Memory: one entry per user and one per day.
struct DailyAccumulator: Sendable {
    /// Per user: the first day with an impression, the first day with a purchase (days since 1970, UTC).
    var users: [String: (first: Int, converted: Int?)] = [:]
    /// Per day: impressions and clicked impressions.
    var impressions: [Int: (all: Int, clicked: Int)] = [:]

    /// Counts one timestamped record.
    mutating func add(user: String, timestamp: Int64, clicked: Bool, purchased: Bool) {
        let day = Self.day(timestamp)
        impressions[day, default: (0, 0)].all += 1
        if clicked { impressions[day, default: (0, 0)].clicked += 1 }
        var entry = users[user] ?? (day, nil)
        entry.first = min(entry.first, day)
        if purchased { entry.converted = min(entry.converted ?? day, day) }
        users[user] = entry
    }

    /// The days with impressions.
    var days: Set<Int> { Set(impressions.keys) }

    /// Cumulative points at the end of each of `days` (sorted ascending).
    func points(days: [Int]) -> [ExperimentReport.DailyPoint] {
        var newUsers: [Int: Int] = [:], newConverted: [Int: Int] = [:]
        for entry in users.values {
            newUsers[entry.first, default: 0] += 1
            if let converted = entry.converted { newConverted[converted, default: 0] += 1 }
        }
        var userCount = 0, converted = 0, shown = 0, clicked = 0
        return days.map { day in
            userCount += newUsers[day] ?? 0
            converted += newConverted[day] ?? 0
            shown += impressions[day]?.all ?? 0
            clicked += impressions[day]?.clicked ?? 0
            return ExperimentReport.DailyPoint(
                day: Self.format(day), users: userCount, impressions: shown, clickedImpressions: clicked,
                convertedUsers: converted, conversion: userCount > 0 ? Double(converted) / Double(userCount) : 0,
                ctr: shown > 0 ? Double(clicked) / Double(shown) : 0)
        }
    }

    /// Days since 1970-01-01 (UTC) of a timestamp in seconds (floor, so earlier times are negative).
    static func day(_ timestamp: Int64) -> Int {
        Int(timestamp >= 0 ? timestamp / 86_400 : (timestamp - 86_399) / 86_400)
    }

    /// `YYYY-MM-DD` of a day number (proleptic Gregorian; Hinnant's `civil_from_days`).
    static func format(_ days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}
