/// An error from Tacit's core: input that cannot be read or used, with the place it happened.
///
/// Every case carries its context (file and line, field, id, shape) so the message alone tells a
/// user what to fix.
public struct TacitError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case io(path: String, reason: String)
        case format(path: String, reason: String)
        case invalidRow(file: String, line: Int, reason: String)
        case invalidArgument(String)
        case unknownName(kind: String, name: String, valid: [String])
    }

    let kind: Kind

    public var description: String {
        switch kind {
        case let .io(path, reason): return "\(path): \(reason)"
        case let .format(path, reason): return "\(path): \(reason)"
        case let .invalidRow(file, line, reason): return "\(file):\(line): \(reason)"
        case let .invalidArgument(message): return message
        case let .unknownName(kind, name, valid):
            return "unknown \(kind) '\(name)'; valid: \(valid.joined(separator: ", "))"
        }
    }

    /// A file could not be opened, read or written.
    public static func io(path: String, reason: String) -> TacitError { .init(kind: .io(path: path, reason: reason)) }
    /// A file's contents are not in the expected format (bad magic, version, checksum, header).
    public static func format(path: String, reason: String) -> TacitError { .init(kind: .format(path: path, reason: reason)) }
    /// One row of an input file is invalid.
    public static func invalidRow(file: String, line: Int, reason: String) -> TacitError {
        .init(kind: .invalidRow(file: file, line: line, reason: reason))
    }
    /// An argument or configuration value is out of range or inconsistent.
    public static func invalidArgument(_ message: String) -> TacitError { .init(kind: .invalidArgument(message)) }
    /// A name (model, parameter, column, metric) is not one of the valid ones.
    public static func unknownName(_ kind: String, _ name: String, valid: [String]) -> TacitError {
        .init(kind: .unknownName(kind: kind, name: name, valid: valid))
    }
}
