import ArgumentParser
import Foundation
import TacitCore
import TacitEvaluation

struct SplitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split an event file into train/valid/test files with an offline protocol.",
        discussion: HelpText.format("""
        Writes train.csv, valid.csv (when the protocol has one) and test.csv with the header
        user_id,item_id,timestamp, then kind when the input has kinds and value when it has values
        (a rating, a dwell time), so that weighting sees the same events as with --data. With
        --protocol loo on MovieLens 100K the first three columns reproduce the provided splits/loo
        files row for row: users in natural id order, each user's events by (timestamp, position
        in file).

        --protocol cold-items (item cold start) withholds --fraction of the items with at least
        --min-item-events events, drawn with --seed: every event on them goes to test.csv, and
        the same share of the eligible items left goes to valid.csv the same way; the rest trains.
        It also writes test-candidates.csv and valid-candidates.csv (item_id: the withheld items)
        and prints the commands that tune on valid and evaluate on test, ranking only the withheld
        items from their attributes (--items).
        """)
    )

    @Option(help: "All events.")
    var data: String
    @Option(name: .customLong("protocol"), help: "loo, temporal, random or cold-items.")
    var splitProtocol: SplitProtocol = .loo
    @Option(help: "Seed for the random and cold-items protocols.")
    var seed: UInt64 = 42
    @Option(help: "cold-items: the share of the eligible items withheld for test (and again for validation).")
    var fraction: Double = 0.15
    @Option(help: "cold-items: the events an item needs to be withheld.")
    var minItemEvents: Int = 5
    @Option(help: "Output directory.")
    var output: String
    @OptionGroup var input: InputOptions

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        do { try ColdItemsSplit(fraction: fraction, minimumEvents: minItemEvents).validate() } catch { throw ValidationError("\(error)") }
    }

    func run() async throws {
        let log = try input.read([data])
        var split: DataSplit
        var withheld: [(file: String, items: [ItemID])] = []
        switch splitProtocol {
        case .loo: split = LeaveLastOut().split(log)
        case .temporal: split = TemporalSplit(quantile: 0.8, validationQuantile: 0.7).split(log)
        case .random: split = RandomHoldout(seed: seed, validation: true).split(log)
        case .coldItems:
            let cold = ColdItemsSplit(fraction: fraction, minimumEvents: minItemEvents, seed: seed).split(log)
            split = cold.split
            guard !cold.testItems.isEmpty else {
                throw ValidationError("--protocol cold-items: no item of \(data) has the \(minItemEvents) events needed to be withheld")
            }
            withheld = [("valid-candidates.csv", cold.validationItems), ("test-candidates.csv", cold.testItems)]
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var parts = [("train.csv", split.train), ("test.csv", split.test)]
        if let validation = split.validation { parts.insert(("valid.csv", validation), at: 1) }
        // Every column the events carry: kinds unless all are the default, values unless none has one.
        let withKind = log.kinds.contains { $0 != .interaction }
        let withValue = log.values.contains { !$0.isNaN }
        let header = "user_id,item_id,timestamp" + (withKind ? ",kind" : "") + (withValue ? ",value" : "")
        for (name, part) in parts {
            let writer = try LineWriter(path: (output as NSString).appendingPathComponent(name))
            try writer.write(header)
            for p in 0..<part.count {
                var line = "\(CSVField.escape(part.users.id(at: part.userIndices[p]))),\(CSVField.escape(part.items.id(at: part.itemIndices[p]))),\(part.timestamps[p])"
                if withKind { line += "," + CSVField.escape(part.kinds[Int(part.kindCodes[p])].name) }
                if withValue { line += "," + (part.values[p].isNaN ? "" : "\(part.values[p])") }
                try writer.write(line)
            }
            try writer.close()
            print("\(name): \(part.count) events")
        }
        for (name, items) in withheld {
            let writer = try LineWriter(path: (output as NSString).appendingPathComponent(name))
            try writer.write("item_id")
            for item in items { try writer.write(CSVField.escape(item)) }
            try writer.close()
            print("\(name): \(items.count) withheld items")
        }
        if !withheld.isEmpty {
            let at = { (name: String) in (output as NSString).appendingPathComponent(name) }
            print("""
            tune:     tacit tune --train \(at("train.csv")) --valid \(at("valid.csv")) --candidates \(at("valid-candidates.csv")) --items ITEMS --model twotower
            evaluate: tacit evaluate --train \(at("train.csv")) --train \(at("valid.csv")) --test \(at("test.csv")) --candidates \(at("test-candidates.csv")) --items ITEMS --models content,hybrid,twotower
            """)
        }
    }
}
