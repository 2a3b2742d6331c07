import ArgumentParser
import Foundation
import TacitCore
import TacitSynthetic

/// `tacit generate`: writes a seeded synthetic shop (events, items, users) to try Tacit on.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic shop: an event log, items and users with learnable structure.",
        discussion: HelpText.format("""
            Writes events.csv (or events.jsonl), items.csv and users.csv into --output. The log \
            holds exactly --events events sorted by timestamp; the same seed gives byte-identical \
            files whatever the thread count.

            When absent, sizes scale with --events: users = max(50, events / 20), \
            items = max(50, min(users, 16 × √events)), categories = min(20, max(2, items / 25)).
            """)
    )

    /// The event file's format.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case csv, jsonl

        var outputFormat: ShopSimulator.OutputFormat {
            switch self {
            case .csv: .csv
            case .jsonl: .jsonl
            }
        }
    }

    @Option(help: "Exact number of events to write (1000 to 100000000).")
    var events = 100_000

    @Option(help: "Number of users (default: scaled from --events).")
    var users: Int?

    @Option(help: "Number of items (default: scaled from --events).")
    var items: Int?

    @Option(help: "Number of product categories (default: scaled from --items, at most 20).")
    var categories: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Option(help: "Event file format.")
    var format: Format = .csv

    @Option(name: [.short, .long], help: "Directory to write into; created when missing.")
    var output = "synthetic-shop"

    @Option(help: "First day of the log, ISO 8601 (2024-01-01 or 2024-01-01T08:00:00Z), UTC.")
    var start = "2024-01-01"

    @Option(help: "Length of the log in days.")
    var days = 90

    @Option(help: "Worker threads (default: all cores); the output does not depend on it.")
    var threads: Int?

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        do {
            try makeConfiguration().validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let shop = try ShopSimulator(try makeConfiguration())
        let task = ProgressTask("generate", unit: "event")
        task.update(0, of: events)
        let summary = try shop.write(to: output, format: format.outputFormat) { written in task.update(min(written, events), of: events) }
        task.finish()
        let kinds = zip(SyntheticEvent.Kind.allCases, summary.eventsByKind)
            .map { "\($1) \($0.eventKind.name)" }.joined(separator: ", ")
        print("generated \(summary.events) events (\(kinds)), \(summary.users) users, \(summary.items) items in "
            + String(format: "%.2f", summary.seconds) + " s → \(summary.eventsPath)")
    }

    /// The simulator configuration the options describe.
    func makeConfiguration() throws(TacitError) -> ShopSimulator.Configuration {
        var configuration = ShopSimulator.Configuration(events: events, users: users, items: items,
                                                        categories: categories, seed: seed)
        configuration.start = try Self.parseStart(start)
        configuration.days = days
        if let threads { configuration.threads = threads }
        return configuration
    }

    /// Seconds since 1970 of an ISO 8601 date (midnight UTC) or date-time.
    static func parseStart(_ text: String) throws(TacitError) -> Int64 {
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        let dateTime = ISO8601DateFormatter()
        dateTime.formatOptions = [.withInternetDateTime]
        guard let date = (text.count == 10 ? dateOnly.date(from: text) : nil) ?? dateTime.date(from: text) else {
            throw .invalidArgument("--start must be an ISO 8601 date like 2024-01-01 or 2024-01-01T08:00:00Z, got '\(text)'")
        }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
