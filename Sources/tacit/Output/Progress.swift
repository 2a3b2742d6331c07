import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How progress of long work is shown on standard error.
enum ProgressStyle: Sendable {
    /// One status line rewritten in place (standard error is a terminal).
    case terminal
    /// Plain lines: the first and last step and at most one line per `interval` seconds between
    /// (standard error is a file or a pipe, for logs and CI).
    case lines(interval: Double)
    /// Nothing (`TACIT_PROGRESS=off`).
    case off

    /// `TACIT_PROGRESS` (`terminal`, `lines`, `off`) when set, else a terminal when standard
    /// error is one; plain lines every `TACIT_PROGRESS_INTERVAL` seconds (default 10) otherwise.
    static var fromEnvironment: ProgressStyle {
        let environment = ProcessInfo.processInfo.environment
        let interval = environment["TACIT_PROGRESS_INTERVAL"].flatMap(Double.init).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } ?? 10
        switch environment["TACIT_PROGRESS"]?.lowercased() {
        case "off": return .off
        case "lines": return .lines(interval: interval)
        case "terminal": return .terminal
        default: return isatty(STDERR_FILENO) == 1 ? .terminal : .lines(interval: interval)
        }
    }
}

/// One piece of long work whose progress is reported: fitting a model, evaluating users, tuning.
///
/// Each update names the step reached out of the total; the task measures its own rate from its
/// start and estimates the time left. Thread-safe: trainers report from worker threads.
final class ProgressTask: @unchecked Sendable {
    let name: String
    let unit: String
    private let display: ProgressDisplay
    private var started = Date()
    private let lock = NSLock()
    private var lastShown: Date?

    /// Starts timing `name` (shown as `[name]`), counting in `unit`s (epoch, user, trial).
    init(_ name: String, unit: String, display: ProgressDisplay = .shared) {
        self.name = name
        self.unit = unit
        self.display = display
    }

    /// Reports that `step` of `total` units are done, with an optional detail (loss, metric).
    /// Step 0 (re)starts the clock without showing anything, for work that begins after the task
    /// was created.
    func update(_ step: Int, of total: Int, detail: String = "") {
        let now = Date()
        let isEdge = step <= 1 || step >= total
        let (show, elapsed): (Bool, Double) = lock.withLock {
            if step == 0 {
                started = now
                return (false, 0)
            }
            return (shouldShow(now: now, isEdge: isEdge), now.timeIntervalSince(started))
        }
        guard show else { return }
        display.status(Self.line(name: name, unit: unit, step: step, total: total, elapsed: elapsed, detail: detail))
    }

    /// Whether an update now should be shown (called under the lock).
    private func shouldShow(now: Date, isEdge: Bool) -> Bool {
        let interval: Double
        switch display.style {
        case .off: return false
        case .terminal: interval = 0.1
        case .lines(let seconds): interval = seconds
        }
        guard isEdge || lastShown.map({ now.timeIntervalSince($0) >= interval }) ?? true else { return false }
        lastShown = now
        return true
    }

    /// Clears the status line (on a terminal) once the work is done.
    func finish() { display.clear() }

    /// `[name] unit 3/20 (15%) · 2.1 s/unit · 6 s elapsed · about 36 s left · detail`.
    static func line(name: String, unit: String, step: Int, total: Int, elapsed: Double, detail: String) -> String {
        let done = max(0, min(step, total))
        var parts = ["[\(name)] \(unit) \(done)/\(total)" + (total > 0 ? " (\(done * 100 / total)%)" : "")]
        if done > 0 && elapsed > 0 {
            let perUnit = elapsed / Double(done)
            parts.append(perUnit >= 1 ? "\(duration(perUnit))/\(unit)" : String(format: 1 / perUnit < 10 ? "%.1f \(unit)s/s" : "%.0f \(unit)s/s", 1 / perUnit))
            parts.append("\(duration(elapsed)) elapsed")
            if done < total { parts.append("about \(duration(perUnit * Double(total - done))) left") }
        }
        if !detail.isEmpty { parts.append(detail) }
        return parts.joined(separator: " · ")
    }

    /// `0.4 s`, `12 s`, `3 min 5 s`, `1 h 2 min`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}

/// Standard error as seen by progress reports: one status line at a time on a terminal, which
/// permanent output (a finished result) first clears and then lets be redrawn.
final class ProgressDisplay: @unchecked Sendable {
    static let shared = ProgressDisplay(style: .fromEnvironment)

    let style: ProgressStyle
    private let lock = NSLock()
    private var statusShown = false

    init(style: ProgressStyle) { self.style = style }

    /// Shows `line` as the current status.
    func status(_ line: String) {
        lock.withLock {
            switch style {
            case .off: return
            case .terminal:
                let width = Self.terminalWidth
                let shown = line.count > width - 1 ? String(line.prefix(max(10, width - 2))) + "…" : line
                emit("\r\u{1B}[2K" + shown, to: STDERR_FILENO)
                statusShown = true
            case .lines:
                emit(line + "\n", to: STDERR_FILENO)
            }
        }
    }

    /// Removes the status line from a terminal.
    func clear() {
        lock.withLock { clearLocked() }
    }

    /// Writes a permanent line to standard output (`toStandardError` false) or standard error,
    /// clearing a status line first so the two never mix; standard output is flushed at once so
    /// that a finished result is visible (and kept) even if the run is interrupted later.
    func permanent(_ line: String, toStandardError: Bool = false) {
        lock.withLock {
            clearLocked()
            if toStandardError {
                emit(line + "\n", to: STDERR_FILENO)
            } else {
                print(line)
                fflush(nil)  // every C stream: standard output is the one written
            }
        }
    }

    private func clearLocked() {
        guard statusShown else { return }
        emit("\r\u{1B}[2K", to: STDERR_FILENO)
        statusShown = false
    }

    private func emit(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
    }

    private static var terminalWidth: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return Int(size.ws_col)
    }
}
