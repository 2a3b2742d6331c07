import ArgumentParser
import Foundation
import TacitCore

/// How event files are read (`--column`, `--skip-invalid`).
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("column"), help: ArgumentHelp(
        "Map a field to an input column, as field=column (repeatable): user, item, kind, timestamp, value; also delimiter=';'. Columns are found by name by default.",
        valueName: "field=column"))
    var columns: [String] = []

    @Option(name: .customLong("dataset"), help: "A JSON dataset file with the column mapping (same keys as --column).")
    var dataset: String?

    @Flag(name: .customLong("skip-invalid"), help: "Skip bad rows and report counts by reason, instead of stopping at the first.")
    var skipInvalid = false

    func importer() throws -> EventImporter {
        var mapping = ColumnMapping.automatic
        if let dataset { mapping = try ColumnMapping(datasetFile: dataset) }
        for column in columns { try mapping.apply(override: column) }
        return EventImporter(mapping: mapping, skipInvalid: skipInvalid)
    }

    /// Reads and concatenates `paths`, printing skip reports to standard error.
    func read(_ paths: [String]) throws -> EventLog {
        let (log, reports) = try importer().read(paths: paths)
        for report in reports where report.rowsSkipped > 0 {
            Console.error(report.description)
        }
        return log
    }
}

/// `--threads N`, shared by every command that computes.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = Parallel.defaultThreads

    func validate() throws {
        guard ArgumentChecks.enabled else { return }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    /// Applies the thread policy: Tacit's loops use `threads`, BLAS stays single-threaded.
    func apply() { LinearAlgebra.configureThreads(1) }
}
