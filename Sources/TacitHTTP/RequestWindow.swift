import Foundation

/// Requests of the last ``slots`` minutes, one slot per minute (a ring), for the operator's
/// overview: count, errors and a latency histogram per minute. Memory is fixed; a minute's slot
/// is reused an hour later.
struct RequestWindow: Sendable {
    static let slots = 60

    /// One minute's requests.
    struct Minute: Sendable, Equatable {
        /// The minute's first second since 1970 (a multiple of 60).
        var start: Int64
        var requests = 0
        /// Responses with a 5xx status.
        var errors = 0
        /// Responses with a 4xx status.
        var clientErrors = 0
        var seconds = 0.0
        var buckets = [Int](repeating: 0, count: ServiceMetrics.buckets.count)

        init(start: Int64) { self.start = start }

        var meanSeconds: Double? { requests == 0 ? nil : seconds / Double(requests) }
        var p95Seconds: Double? { RequestWindow.quantile(0.95, buckets: buckets, count: requests) }
    }

    private var minutes: [Minute?] = Array(repeating: nil, count: RequestWindow.slots)

    static func minute(of time: Double) -> Int64 {
        let whole: Int64 = time.isFinite && abs(time) < 1e15 ? Int64(time.rounded(.down)) : 0
        return whole - ((whole % 60) + 60) % 60
    }

    mutating func observe(at time: Double, status: Int, seconds: Double) {
        let start = Self.minute(of: time)
        let slot = Int(((start / 60) % Int64(Self.slots) + Int64(Self.slots)) % Int64(Self.slots))
        var minute = minutes[slot].flatMap { $0.start == start ? $0 : nil } ?? Minute(start: start)
        minute.requests += 1
        if status >= 500 { minute.errors += 1 } else if status >= 400 { minute.clientErrors += 1 }
        minute.seconds += seconds
        for (k, bound) in ServiceMetrics.buckets.enumerated() where seconds <= bound { minute.buckets[k] += 1 }
        minutes[slot] = minute
    }

    /// The last ``slots`` minutes up to the one holding `time`, oldest first; minutes without
    /// requests have zero counts.
    func series(at time: Double) -> [Minute] {
        let last = Self.minute(of: time)
        return (0..<Self.slots).map { k in
            let start = last - Int64(Self.slots - 1 - k) * 60
            let slot = Int(((start / 60) % Int64(Self.slots) + Int64(Self.slots)) % Int64(Self.slots))
            if let minute = minutes[slot], minute.start == start { return minute }
            return Minute(start: start)
        }
    }

    /// The upper bound of the histogram bucket holding quantile `q` (nil without requests, or
    /// when it lies above the largest bound). `buckets` are cumulative counts per bound.
    static func quantile(_ q: Double, buckets: [Int], count: Int) -> Double? {
        guard count > 0 else { return nil }
        let rank = Int((q * Double(count)).rounded(.up))
        for (k, bound) in ServiceMetrics.buckets.enumerated() where buckets[k] >= rank { return bound }
        return nil
    }
}
