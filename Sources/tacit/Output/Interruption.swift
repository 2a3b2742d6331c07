import Dispatch
import Foundation

/// Ctrl-C during long work: instead of dying mid-line, say what was kept and exit with 130.
///
/// Commands write each finished result as soon as it exists (a table row, the JSON and HTML
/// files), so by the time the signal comes everything finished is already on disk; the handler
/// only clears the progress line and prints `message()`.
final class Interruption {
    private let source: any DispatchSourceSignal

    /// Handles SIGINT until this value is released.
    init(message: @escaping @Sendable () -> String, display: ProgressDisplay = .shared) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            display.permanent("interrupted: " + message(), toStandardError: true)
            exit(130)
        }
        source.resume()
        self.source = source
    }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// The names of the pieces of work finished so far, shared with an ``Interruption`` handler.
final class FinishedWork: @unchecked Sendable {
    private let lock = NSLock()
    private var done: [String] = []

    func add(_ name: String) { lock.withLock { done.append(name) } }
    var names: [String] { lock.withLock { done } }
}
