/// Validates one row's field bytes and appends the event to a log: the part of importing that
/// CSV and JSON lines share.
///
/// A row is checked completely before anything is interned or appended, so a rejected row leaves
/// no trace in the log.
struct EventRowSink {
    var report: ImportReport
    let skipInvalid: Bool
    private let defaultKind: EventKind
    private var defaultKindCode: UInt16?
    /// Kind spellings seen so far (as written) and their codes in the log.
    private var kindSpellings = IDMap()
    private var kindCodes: [UInt16] = []
    private let userCache = ShortIDCache()
    private let itemCache = ShortIDCache()

    init(path: String, mapping: ColumnMapping, skipInvalid: Bool) {
        report = ImportReport(path: path)
        self.skipInvalid = skipInvalid
        defaultKind = mapping.defaultKind
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
        guard ByteParsing.isValidUTF8(user) else { return try reject(.badID, line: line, "user id is not valid UTF-8") }
        guard ByteParsing.isValidUTF8(item) else { return try reject(.badID, line: line, "item id is not valid UTF-8") }
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
        let userIndex: Int32, itemIndex: Int32
        if user.count <= ShortIDCache.maxLength && item.count <= ShortIDCache.maxLength {
            // Both home slots are read before either is searched, so their cache misses overlap.
            let userKey = ShortIDCache.Key(user), itemKey = ShortIDCache.Key(item)
            let userHome = userCache.home(of: userKey), itemHome = itemCache.home(of: itemKey)
            let userFirst = userCache.slot(at: userHome), itemFirst = itemCache.slot(at: itemHome)
            userIndex = userCache.index(of: userKey, bytes: user, from: userHome, first: userFirst) {
                log.internUser(bytes: $0)
            }
            itemIndex = itemCache.index(of: itemKey, bytes: item, from: itemHome, first: itemFirst) {
                log.internItem(bytes: $0)
            }
        } else {
            userIndex = log.internUser(bytes: user)
            itemIndex = log.internItem(bytes: item)
        }
        log.append(user: userIndex, item: itemIndex, kind: code, timestamp: seconds, value: number)
        report.accepted += 1
    }

    /// The log's code for a kind spelled `text`, adding the kind when new.
    @inline(__always)
    private mutating func kindCode(_ text: UnsafeBufferPointer<UInt8>, log: inout EventLog) -> UInt16 {
        let spelling = Int(kindSpellings.intern(bytes: text))
        if spelling == kindCodes.count {
            kindCodes.append(log.kindCode(EventKind(String(decoding: text, as: UTF8.self))))
        }
        return kindCodes[spelling]
    }
}
