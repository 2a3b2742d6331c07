import Foundation

/// Buffered text output to a file (or standard output for "-"), flushed in 1 MiB blocks.
final class LineWriter {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []

    init(path: String) throws {
        self.path = path
        if path == "-" {
            handle = .standardOutput
        } else {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ValidationErrorMessage("\(path): cannot create the file")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        if path != "-" { try handle.close() }
    }
}

/// A plain error message for the terminal.
struct ValidationErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
