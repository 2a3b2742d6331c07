/// Validates one row's field bytes and appends the event to a log: the part of importing that
/// CSV and JSON lines share.
///
/// A row is checked completely before anything is interned or appended, so a rejected row leaves
/// no trace in the log. Accepted rows wait in a small batch (their ids copied out of the read
/// buffer) and are appended, in order, by ``flush(into:)``: resolving a whole batch's ids at once
/// lets their cache misses overlap. Readers call ``flush(into:)`` at the end of the file and before
/// rethrowing an error, so every accepted event reaches the log.
struct EventRowSink {
    /// A validated event whose ids are not resolved yet. Ids of at most ``ShortIDCache/maxLength``
    /// bytes are held inline in their key; longer ones are in `longIDs` at `key.low`.
    private struct PendingEvent {
        var user: ShortIDCache.Key
        var item: ShortIDCache.Key
        var kind: UInt16
        var timestamp: Int64
        var value: Float
    }

    private static let batchSize = 64

    var report: ImportReport
    let skipInvalid: Bool
    private let defaultKind: EventKind
    private var defaultKindCode: UInt16?
    /// Kind spellings seen so far (as written) and their codes in the log: short ones in
    /// `kindCache`, longer ones in `kindSpellings` (with codes in `kindCodes`).
    private let kindCache = ShortIDCache(capacity: 64)
    private var kindSpellings = IDMap()
    private var kindCodes: [UInt16] = []
    private let userCache = ShortIDCache()
    private let itemCache = ShortIDCache()
    private var pending: [PendingEvent] = []
    private let longIDs = ByteScratch()
    /// Keeps the batch's early slot reads (see ``flush(into:)``) from being optimised away.
    private var touched: Int32 = 0

    init(path: String, mapping: ColumnMapping, skipInvalid: Bool) {
        report = ImportReport(path: path)
        self.skipInvalid = skipInvalid
        defaultKind = mapping.defaultKind
        pending.reserveCapacity(Self.batchSize)
    }

    /// Records a rejected row (or throws, when not skipping).
    mutating func reject(_ reason: InvalidRowReason, line: Int, _ message: @autoclosure () -> String) throws(TacitError) {
        try report.reject(reason, line: line, skipInvalid: skipInvalid, message())
    }

    /// Checks one row and appends it to `log`.
    ///
    /// - Parameters:
    ///   - kind: the kind as written; `nil` for the default kind.
    ///   - timestamp: seconds or an ISO-8601 date; `nil` to use the row number.
    ///   - value: a number, or empty; `nil` for no value.
    @inline(__always)
    mutating func accept(
        user: UnsafeBufferPointer<UInt8>, item: UnsafeBufferPointer<UInt8>, kind: UnsafeBufferPointer<UInt8>?,
        timestamp: UnsafeBufferPointer<UInt8>?, value: UnsafeBufferPointer<UInt8>?, line: Int,
        into log: inout EventLog
    ) throws(TacitError) {
        guard user.count > 0 else { return try reject(.emptyUser, line: line, "empty user id") }
        guard item.count > 0 else { return try reject(.emptyItem, line: line, "empty item id") }
        if let problem = ExternalID.problem(utf8: user) { return try reject(.badID, line: line, "user id \(problem)") }
        if let problem = ExternalID.problem(utf8: item) { return try reject(.badID, line: line, "item id \(problem)") }
        let userKey = Self.inlineKey(user), itemKey = Self.inlineKey(item)
        var seconds = Int64(report.rowsRead)
        if let timestamp {
            let text = ByteParsing.trimmed(timestamp)
            guard let parsed = ByteParsing.timestamp(text) else {
                return try reject(
                    .badTimestamp, line: line,
                    "timestamp '\(ByteParsing.excerpt(timestamp))' is not a number or ISO-8601 date")
            }
            seconds = parsed
        }
        var number = Float.nan
        if let value {
            let text = ByteParsing.trimmed(value)
            if text.count > 0 {
                guard let parsed = ByteParsing.float(text) else {
                    return try reject(.badValue, line: line, "value '\(ByteParsing.excerpt(value))' is not a number")
                }
                number = parsed
            }
        }
        let code: UInt16
        if let kind {
            let text = ByteParsing.trimmed(kind)
            guard text.count > 0 else { return try reject(.badKind, line: line, "empty kind") }
            guard ByteParsing.isValidUTF8(text) else { return try reject(.badKind, line: line, "kind is not valid UTF-8") }
            code = kindCode(text, log: &log)
        } else if let defaultKindCode {
            code = defaultKindCode
        } else {
            code = log.kindCode(defaultKind)
            defaultKindCode = code
        }
        pending.append(PendingEvent(
            user: userKey ?? longKey(user), item: itemKey ?? longKey(item), kind: code, timestamp: seconds, value: number))
        report.accepted += 1
        if pending.count == Self.batchSize { flush(into: &log) }
    }

    /// The inline key of an id of at most ``ShortIDCache/maxLength`` bytes, else `nil`.
    @inline(__always)
    private static func inlineKey(_ id: UnsafeBufferPointer<UInt8>) -> ShortIDCache.Key? {
        id.count <= ShortIDCache.maxLength ? ShortIDCache.Key(id) : nil
    }

    /// The pending key of a longer id: a copy in `longIDs`.
    private func longKey(_ id: UnsafeBufferPointer<UInt8>) -> ShortIDCache.Key {
        let offset = longIDs.count
        longIDs.append(id)
        return ShortIDCache.Key(offset: offset, length: id.count)
    }

    /// Appends the pending events to `log`, in order.
    ///
    /// First every short id's home slot is read (independent loads the CPU overlaps), then the
    /// ids are resolved in row order, so indices are still assigned in order of first appearance.
    mutating func flush(into log: inout EventLog) {
        guard !pending.isEmpty else { return }
        var touched = self.touched
        for event in pending {
            if event.user.isInline { touched ^= userCache.touch(event.user) }
            if event.item.isInline { touched ^= itemCache.touch(event.item) }
        }
        self.touched = touched
        for event in pending {
            let user = event.user.isInline
                ? userCache.index(of: event.user) { log.internUser(bytes: $0) }
                : log.internUser(bytes: longIDs.bytes(event.user.longRange))
            let item = event.item.isInline
                ? itemCache.index(of: event.item) { log.internItem(bytes: $0) }
                : log.internItem(bytes: longIDs.bytes(event.item.longRange))
            log.append(user: user, item: item, kind: event.kind, timestamp: event.timestamp, value: event.value)
        }
        pending.removeAll(keepingCapacity: true)
        longIDs.removeAll()
    }

    /// The log's code for a kind spelled `text`, adding the kind when new.
    @inline(__always)
    private mutating func kindCode(_ text: UnsafeBufferPointer<UInt8>, log: inout EventLog) -> UInt16 {
        if text.count <= ShortIDCache.maxLength {
            let code = kindCache.index(of: ShortIDCache.Key(text)) { spelling in
                Int32(log.kindCode(EventKind(String(decoding: spelling, as: UTF8.self))))
            }
            return UInt16(truncatingIfNeeded: code)
        }
        let spelling = Int(kindSpellings.intern(bytes: text))
        if spelling == kindCodes.count {
            kindCodes.append(log.kindCode(EventKind(String(decoding: text, as: UTF8.self))))
        }
        return kindCodes[spelling]
    }
}
