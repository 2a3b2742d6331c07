/// Imports event files into an ``EventLog``, choosing the reader by file extension: the entry
/// point the CLI's `import`, `fit` and `evaluate` commands use.
///
/// | extension | reader |
/// |---|---|
/// | `.csv` | ``CSVEventReader`` (delimiter detected from the header unless the mapping sets one) |
/// | `.tsv`, `.tab` | ``CSVEventReader`` with tab as the delimiter |
/// | `.jsonl`, `.ndjson`, `.json` | ``JSONLinesEventReader`` (one object per line) |
/// | `.tmx` | the events saved by `tacit import --output` (``EventLog/load(fromArchive:verify:)``) |
///
/// Compressed files (`.gz`) are not read; decompress them first.
public struct EventImporter: Sendable {
    /// The formats the importer reads.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// Delimited text with a header row (comma unless the mapping or the header says otherwise).
        case csv
        /// Tab-separated text with a header row.
        case tsv
        /// One JSON object per line.
        case jsonLines = "jsonl"
        /// A Tacit matrix file written by `tacit import --output`, which keeps the events it read.
        case archive = "tmx"

        /// The extensions (lowercase, without the dot) of each format.
        public var extensions: [String] {
            switch self {
            case .csv: return ["csv"]
            case .tsv: return ["tsv", "tab"]
            case .jsonLines: return ["jsonl", "ndjson", "json"]
            case .archive: return ["tmx"]
            }
        }

        /// The format of the file at `path`, from its extension.
        ///
        /// - Throws: `TacitError.unknownName` listing the known extensions.
        public init(path: String) throws(TacitError) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let ext = name.contains(".") ? String(name.split(separator: ".").last ?? "").lowercased() : ""
            for format in Format.allCases where format.extensions.contains(ext) {
                self = format
                return
            }
            let valid = Format.allCases.flatMap(\.extensions).map { "." + $0 }
            if ext == "gz" || ext == "zst" || ext == "bz2" {
                throw TacitError.invalidArgument("\(path): compressed files are not supported; decompress it first (valid: \(valid.joined(separator: ", ")))")
            }
            throw TacitError.unknownName("event file extension", ext.isEmpty ? name : "." + ext, valid: valid)
        }
    }

    /// Where each field comes from.
    public var mapping: ColumnMapping
    /// Whether bad rows are skipped (and counted in the report) rather than thrown.
    public var skipInvalid: Bool

    /// Creates an importer.
    /// - Parameters:
    ///   - mapping: which columns or keys hold each field; ``ColumnMapping/automatic`` finds them
    ///     by header name.
    ///   - skipInvalid: skip and count bad rows instead of stopping at the first one.
    public init(mapping: ColumnMapping = .automatic, skipInvalid: Bool = false) {
        self.mapping = mapping
        self.skipInvalid = skipInvalid
    }

    /// Appends the events of the file at `path` to `log`, in file order.
    ///
    /// On a thrown error the events accepted before the bad row stay in `log`.
    /// - Throws: `TacitError.io`, `.format`, `.invalidRow` (see the readers), or
    ///   `.unknownName` for an unknown extension.
    public func read(path: String, into log: inout EventLog) throws(TacitError) -> ImportReport {
        switch try Format(path: path) {
        case .csv:
            return try CSVEventReader(mapping: mapping, skipInvalid: skipInvalid).read(path: path, into: &log)
        case .tsv:
            var mapping = mapping
            if mapping.delimiter == nil { mapping.delimiter = ByteParsing.tab }
            return try CSVEventReader(mapping: mapping, skipInvalid: skipInvalid).read(path: path, into: &log)
        case .jsonLines:
            return try JSONLinesEventReader(mapping: mapping, skipInvalid: skipInvalid).read(path: path, into: &log)
        case .archive:
            let timer = ImportTimer()
            let events = try EventLog.load(fromArchive: path)
            if log.isEmpty && log.users.count == 0 && log.items.count == 0 && log.kinds.isEmpty {
                log = events
            } else {
                log.append(contentsOf: events)
            }
            var report = ImportReport(path: path)
            report.rowsRead = events.count
            report.accepted = events.count
            report.seconds = timer.seconds
            return report
        }
    }

    /// Reads the files at `paths`, in order, into one log: events keep file order, so an event's
    /// position in the log is its "position in file" for tie-breaking.
    ///
    /// - Returns: the log and one report per file.
    public func read(paths: [String]) throws(TacitError) -> (EventLog, [ImportReport]) {
        var log = EventLog()
        var reports: [ImportReport] = []
        for path in paths {
            reports.append(try read(path: path, into: &log))
        }
        return (log, reports)
    }
}
