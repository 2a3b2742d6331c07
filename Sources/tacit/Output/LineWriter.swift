import TacitCore

/// Buffered text output, one line at a time, to a file or standard output ("-").
final class LineWriter {
    private let file: FileWriter

    init(path: String) throws {
        file = try FileWriter(path: path)
    }

    func write(_ line: String) throws {
        try file.appendLine(line)
    }

    func close() throws {
        try file.close()
    }
}
