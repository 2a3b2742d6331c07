/// The one rule every external identifier follows — user, item, event, recommendation and
/// experiment ids, at every entry point (HTTP bodies, path segments, query lists, CSV/JSONL import).
///
/// An id is **valid** when it is
/// - non-empty,
/// - valid UTF-8 (a Swift `String` always is; raw bytes are checked),
/// - at most ``maxBytes`` bytes of UTF-8,
/// - free of control characters: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
///
/// Everything else is kept exactly as sent (spaces, `@`, `/`, `%`, `+`, any other script), so an
/// id is never altered and two different ids never collide. A store or a log line can hold every
/// valid id; NUL in particular is what SQLite would cut and PostgreSQL would refuse.
public enum ExternalID {
    /// The longest id accepted, in bytes of UTF-8.
    public static let maxBytes = 256

    /// Why `id` is not a valid id (a phrase for an error message after the field's name), or
    /// `nil` when it is valid.
    public static func problem(_ id: String) -> String? {
        var id = id
        return id.withUTF8 { problem(utf8: $0) }
    }

    /// Why the UTF-8 bytes `bytes` are not a valid id, or `nil` when they are.
    public static func problem(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.isEmpty else { return "must not be empty" }
        guard bytes.count <= maxBytes else { return "longer than \(maxBytes) bytes of UTF-8 (\(bytes.count))" }
        var previous: UInt8 = 0
        for (offset, b) in bytes.enumerated() {
            if b < 0x20 || b == 0x7F { return "contains a control character (byte \(offset), 0x\(hex(b)))" }
            // C1 controls are U+0080...U+009F: 0xC2 0x80...0x9F in UTF-8.
            if previous == 0xC2, (0x80...0x9F).contains(b) { return "contains a control character (U+00\(hex(b)))" }
            previous = b
        }
        if !ByteParsing.isValidUTF8(bytes) { return "is not valid UTF-8" }
        return nil
    }

    /// Whether `id` is valid.
    public static func isValid(_ id: String) -> Bool { problem(id) == nil }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
