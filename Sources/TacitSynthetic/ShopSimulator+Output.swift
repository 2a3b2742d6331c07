import Foundation
import TacitCore

extension ShopSimulator {
    /// The file format of the event log.
    public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
        /// `events.csv`: header `user_id,item_id,kind,timestamp,value`; the value is empty for
        /// clicks and add-to-carts.
        case csv
        /// `events.jsonl`: one `{"user_id":…,"item_id":…,"kind":…,"timestamp":…,"value":…}`
        /// object per line; the value is `null` for clicks and add-to-carts.
        case jsonl

        /// `events.csv` or `events.jsonl`.
        public var eventsFileName: String { "events.\(rawValue)" }
    }

    /// What ``write(to:format:)`` wrote.
    public struct Summary: Sendable, Hashable {
        /// Number of events written (always the configured count).
        public var events: Int
        /// Events per kind, indexed by `SyntheticEvent.Kind.rawValue`.
        public var eventsByKind: [Int]
        /// Number of users in `users.csv`.
        public var users: Int
        /// Number of items in `items.csv`.
        public var items: Int
        /// Wall-clock seconds spent building and writing.
        public var seconds: Double
        /// The event file's path.
        public var eventsPath: String
    }

    /// Writes `items.csv`, `users.csv` and `events.csv` (or `.jsonl`) into `directory`, creating it.
    ///
    /// Event rows are encoded in parallel into byte blocks and written with `write(2)`, one time
    /// window at a time, so memory stays bounded whatever the event count.
    /// - Parameter progress: called after each written block of events with the events written so far.
    /// - Throws: ``TacitError`` `io` when the directory or a file cannot be written.
    public func write(to directory: String, format: OutputFormat = .csv,
                      progress: (_ written: Int) -> Void = { _ in }) throws(TacitError) -> Summary {
        let clock = ContinuousClock(), began = clock.now
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, reason: "cannot create directory (\(error.localizedDescription))")
        }
        let base = URL(fileURLWithPath: directory)
        try writeItems(to: base.appendingPathComponent("items.csv").path)
        try writeUsers(to: base.appendingPathComponent("users.csv").path)
        let eventsPath = base.appendingPathComponent(format.eventsFileName).path
        let byKind = try writeEvents(to: eventsPath, format: format, progress: progress)
        let elapsed = clock.now - began
        return Summary(events: byKind.reduce(0, +), eventsByKind: byKind, users: configuration.users,
                       items: configuration.items,
                       seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                       eventsPath: eventsPath)
    }

    /// Writes the event log to `path`; returns the number of events of each kind. `progress` gets
    /// the number of events written after each block.
    public func writeEvents(to path: String, format: OutputFormat,
                            progress: (_ written: Int) -> Void = { _ in }) throws(TacitError) -> [Int] {
        let file = try FileWriter(path: path)
        if format == .csv {
            try file.append(RowEncoder.csvHeader.withUTF8Buffer { Array($0) })
        }
        var byKind = [Int](repeating: 0, count: SyntheticEvent.Kind.allCases.count)
        let threads = configuration.threads
        try generate { (batch) throws(TacitError) in
            for e in batch { byKind[Int(e.kind.rawValue)] += 1 }
            let workers = batch.count < 16_384 ? 1 : threads
            let chunks = ResultSlots<[UInt8]>(count: workers, initial: [])
            Parallel.forEachBlock(batch.indices, threads: workers) { worker, range in
                chunks[worker] = RowEncoder.encode(batch[range], format: format)
            }
            for chunk in chunks.values { try file.write(chunk) }
            progress(byKind.reduce(0, +))
        }
        try file.close()
        return byKind
    }

    /// Writes `items.csv`: `item_id,title,category,brand,price,tags,created_at`, tags joined by `|`.
    public func writeItems(to path: String) throws(TacitError) {
        let file = try FileWriter(path: path)
        try file.append("item_id,title,category,brand,price,tags,created_at\n")
        for record in catalog.records {
            let cents = Int64(((record.price ?? 0) * 100).rounded())
            let fraction = cents % 100
            let row = [record.id, record.title ?? "", record.category ?? "", record.brand ?? ""].map(Self.csvField)
                .joined(separator: ",")
            try file.append(row + ",\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction),"
                + Self.csvField(record.tags.joined(separator: "|")) + ",")
            try file.append(record.createdAt ?? 0)
            try file.append("\n")
        }
        try file.close()
    }

    /// Writes `users.csv`: `user_id,country,segment`.
    public func writeUsers(to path: String) throws(TacitError) {
        let file = try FileWriter(path: path)
        try file.append("user_id,country,segment\n")
        for u in 0..<Int32(configuration.users) {
            var rng = RandomStreams.user(configuration.seed, u)
            let head = UserProfile.head(&rng, configuration)
            try file.append("u")
            try file.append(Int64(u))
            try file.append(",\(head.country),\(head.segment)\n")
        }
        try file.close()
    }

    /// `field`, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
