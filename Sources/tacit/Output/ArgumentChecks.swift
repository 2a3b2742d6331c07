import ArgumentParser

/// Lets `main` parse a command line a second time with every `validate()` switched off.
///
/// ArgumentParser runs a command's `validate()` before it looks for unknown options, so
/// `tacit evaluate --modles als` used to answer "name a --model" instead of naming the typo. When
/// parsing fails, `TacitCommand.main` parses again with checks off: a mistyped option then
/// surfaces as ArgumentParser's own "Unknown option" error, and only a command line with no such
/// mistake gets the validation message.
enum ArgumentChecks {
    @TaskLocal static var enabled = true

    /// The error a parse without validation gives for `arguments`, if any.
    static func structuralError(parsing arguments: [String]?, as root: any ParsableCommand.Type) -> (any Error)? {
        $enabled.withValue(false) {
            do {
                _ = try root.parseAsRoot(arguments)
                return nil
            } catch {
                return error
            }
        }
    }
}
