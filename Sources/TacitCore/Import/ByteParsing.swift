/// Hand-written parsers for the scalar fields of an import row, straight from UTF-8 bytes.
///
/// Every parser is strict: it accepts the whole input or returns `nil`, so `12abc` is never
/// read as `12`. None of them allocates on the fast path.
enum ByteParsing {
    static let space: UInt8 = 0x20, tab: UInt8 = 0x09, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
    static let quote: UInt8 = 0x22, minus: UInt8 = 0x2D, plus: UInt8 = 0x2B, dot: UInt8 = 0x2E
    static let zero: UInt8 = 0x30, colon: UInt8 = 0x3A

    /// `bytes` without leading and trailing ASCII spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = bytes.count
        while lo < hi && (bytes[lo] == space || bytes[lo] == tab) { lo += 1 }
        while hi > lo && (bytes[hi - 1] == space || bytes[hi - 1] == tab) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[lo..<hi])
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trim(_ text: some StringProtocol) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }

    @inline(__always)
    static func digit(_ b: UInt8) -> Int64? {
        let d = b &- zero
        return d < 10 ? Int64(d) : nil
    }

    /// An optionally signed decimal integer (`-12`, `881250949`), or `nil`.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0, negative = false
        if i < bytes.count && (bytes[i] == minus || bytes[i] == plus) { negative = bytes[i] == minus; i += 1 }
        guard i < bytes.count, bytes.count - i <= 18 else { return nil }
        var n: Int64 = 0
        while i < bytes.count {
            guard let d = digit(bytes[i]) else { return nil }
            n = n * 10 + d
            i += 1
        }
        return negative ? -n : n
    }

    /// A decimal number as JSON and CSV write it: `[+-]digits[.[digits]][(e|E)[+-]digits]` or
    /// `[+-].digits...`. Rejects `nan`, `inf`, hex and anything with trailing text.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        var i = 0, negative = false
        if i < n && (bytes[i] == minus || bytes[i] == plus) { negative = bytes[i] == minus; i += 1 }
        var mantissa: UInt64 = 0, digits = 0, fractionDigits = 0, significant = 0
        while i < n, let d = digit(bytes[i]) {
            if significant > 0 || d != 0 { significant += 1 }
            if significant <= 18 { mantissa = mantissa &* 10 &+ UInt64(d) }
            digits += 1; i += 1
        }
        if i < n && bytes[i] == dot {
            i += 1
            while i < n, let d = digit(bytes[i]) {
                if significant > 0 || d != 0 { significant += 1 }
                if significant <= 18 { mantissa = mantissa &* 10 &+ UInt64(d); fractionDigits += 1 }
                digits += 1; i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i == n && significant <= 18 && fractionDigits < powersOfTen.count {
            // Both operands are exact doubles, so one division rounds correctly.
            let value = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -value : value
        }
        if i < n {
            guard bytes[i] == 0x65 || bytes[i] == 0x45 else { return nil }   // e E
            i += 1
            if i < n && (bytes[i] == minus || bytes[i] == plus) { i += 1 }
            guard i < n, digit(bytes[i]) != nil else { return nil }
            while i < n, digit(bytes[i]) != nil { i += 1 }
            guard i == n else { return nil }
        }
        // Rare: an exponent or more than 18 significant digits. The grammar is checked above.
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { p in
        var x = 1.0
        for _ in 0..<p { x *= 10 }
        return x
    }

    /// A finite `Float` value, or `nil`.
    static func float(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
        guard let d = double(bytes) else { return nil }
        let f = Float(d)
        return f.isFinite ? f : nil
    }

    /// Seconds since 1970 from a number of seconds (`881250949`, `1714564800.25`, floored) or an
    /// ISO-8601 date (see ``iso8601(_:)``).
    static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        if let n = integer(bytes) { return n }
        if bytes.count >= 10, bytes[4] == minus, digit(bytes[0]) != nil { return iso8601(bytes) }
        guard let d = double(bytes), abs(d) < 9.0e15 else { return nil }
        return Int64(d.rounded(.down))
    }

    /// Seconds since 1970 from `YYYY-MM-DD`, optionally followed by `T` or a space and
    /// `HH:MM[:SS[.fraction]]`, optionally followed by `Z` or an offset `±HH[:MM]`/`±HHMM`.
    /// A time without an offset is UTC. Fractional seconds are truncated.
    static func iso8601(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = b.count
        func number(_ at: Int, _ width: Int) -> Int64? {
            guard at + width <= n else { return nil }
            var v: Int64 = 0
            for k in at..<(at + width) {
                guard let d = digit(b[k]) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard n >= 10, let year = number(0, 4), b[4] == minus, let month = number(5, 2), b[7] == minus,
              let day = number(8, 2), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        var i = 10
        if i == n { return seconds }
        guard b[i] == 0x54 || b[i] == 0x74 || b[i] == space else { return nil }   // T t ' '
        guard let hour = number(i + 1, 2), i + 3 < n, b[i + 3] == colon, let minute = number(i + 4, 2),
              hour < 24, minute < 60 else { return nil }
        seconds += hour * 3600 + minute * 60
        i += 6
        if i < n && b[i] == colon {
            guard let second = number(i + 1, 2), second <= 60 else { return nil }
            seconds += second
            i += 3
            if i < n && (b[i] == dot || b[i] == 0x2C) {       // . or , before the fraction
                i += 1
                let start = i
                while i < n && digit(b[i]) != nil { i += 1 }
                guard i > start else { return nil }
            }
        }
        if i == n { return seconds }
        if (b[i] == 0x5A || b[i] == 0x7A) && i + 1 == n { return seconds }   // Z z
        guard b[i] == plus || b[i] == minus, let offsetHours = number(i + 1, 2), offsetHours < 24 else { return nil }
        let sign: Int64 = b[i] == minus ? -1 : 1
        i += 3
        var offsetMinutes: Int64 = 0
        if i < n {
            if b[i] == colon { i += 1 }
            guard let m = number(i, 2), m < 60, i + 2 == n else { return nil }
            offsetMinutes = m
        }
        return seconds - sign * (offsetHours * 3600 + offsetMinutes * 60)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
    /// low-level date algorithms").
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Whether `bytes` are well-formed UTF-8 (ASCII takes the fast path).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for b in bytes { any |= b }
        if any < 0x80 { return true }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// `bytes` as a string for an error message, cut to 40 characters.
    static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
