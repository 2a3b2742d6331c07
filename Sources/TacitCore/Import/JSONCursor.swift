/// A strict, allocation-free cursor over one JSON text (RFC 8259), for JSON-lines imports.
///
/// Strings without escapes are returned as ranges of the input; strings with escapes are decoded
/// into a ``ByteScratch`` and returned as ranges of it. Objects are walked member by member with
/// ``openObject()``, ``nextMember()`` and ``finish()``; nested values are validated and skipped.
struct JSONCursor {
    /// Why the text is not valid JSON, and where.
    struct SyntaxError: Error {
        var message: String
        var offset: Int
    }

    /// Where a decoded string's bytes are.
    struct Span {
        var range: Range<Int>
        var inScratch: Bool
    }

    /// One JSON value.
    enum Token {
        case string(Span)
        /// The number's text in the input (grammar-checked).
        case number(Range<Int>)
        case bool(Bool)
        case null
        /// The array's text in the input, brackets included.
        case array(Range<Int>)
        case object(Range<Int>)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func fail(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: offset) }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            let b = bytes[offset]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            offset += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else { throw fail("expected \(what)") }
        offset += 1
    }

    /// Reads `{`. - Returns: whether the object has a member (else `}` was read too).
    mutating func openObject() throws(SyntaxError) -> Bool {
        try expect(0x7B, "'{' (each line must be one JSON object)")
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == 0x7D { offset += 1; return false }
        return true
    }

    /// Reads a member's key and its colon.
    mutating func key(scratch: ByteScratch) throws(SyntaxError) -> Span {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == ByteParsing.quote else { throw fail("expected a quoted key") }
        let span = try string(scratch: scratch)
        try expect(ByteParsing.colon, "':' after a key")
        return span
    }

    /// Reads `,` (returns `true`) or the closing `}` (returns `false`).
    mutating func nextMember() throws(SyntaxError) -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw fail("expected ',' or '}'") }
        if bytes[offset] == 0x2C { offset += 1; return true }
        if bytes[offset] == 0x7D { offset += 1; return false }
        throw fail("expected ',' or '}'")
    }

    /// Checks that only whitespace remains.
    mutating func finish() throws(SyntaxError) {
        skipWhitespace()
        guard offset == bytes.count else { throw fail("unexpected text after the object") }
    }

    /// Reads one value.
    mutating func value(scratch: ByteScratch, depth: Int = 0) throws(SyntaxError) -> Token {
        skipWhitespace()
        guard offset < bytes.count else { throw fail("expected a value") }
        switch bytes[offset] {
        case ByteParsing.quote: return .string(try string(scratch: scratch))
        case 0x7B, 0x5B:
            guard depth < 64 else { throw fail("nested too deeply") }
            let start = offset, isObject = bytes[offset] == 0x7B
            try skipComposite(scratch: scratch, depth: depth)
            return isObject ? .object(start..<offset) : .array(start..<offset)
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        default: return .number(try number())
        }
    }

    /// Reads the elements of an array (the cursor at `[`), calling `body` for each.
    mutating func arrayElements(
        scratch: ByteScratch, depth: Int = 0, _ body: (Token) -> Void
    ) throws(SyntaxError) {
        try expect(0x5B, "'['")
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == 0x5D { offset += 1; return }
        while true {
            body(try value(scratch: scratch, depth: depth + 1))
            skipWhitespace()
            guard offset < bytes.count else { throw fail("expected ',' or ']'") }
            if bytes[offset] == 0x5D { offset += 1; return }
            guard bytes[offset] == 0x2C else { throw fail("expected ',' or ']'") }
            offset += 1
        }
    }

    private mutating func skipComposite(scratch: ByteScratch, depth: Int) throws(SyntaxError) {
        if bytes[offset] == 0x5B {
            try arrayElements(scratch: scratch, depth: depth) { _ in }
            return
        }
        var more = try openObject()
        while more {
            _ = try key(scratch: scratch)
            _ = try value(scratch: scratch, depth: depth + 1)
            more = try nextMember()
        }
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let n = word.utf8CodeUnitCount
        guard offset + n <= bytes.count else { throw fail("invalid literal") }
        for k in 0..<n where bytes[offset + k] != word.utf8Start[k] { throw fail("invalid literal") }
        offset += n
    }

    /// Reads a number: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func number() throws(SyntaxError) -> Range<Int> {
        let start = offset, n = bytes.count
        func digits() -> Int {
            let from = offset
            while offset < n && ByteParsing.digit(bytes[offset]) != nil { offset += 1 }
            return offset - from
        }
        if offset < n && bytes[offset] == ByteParsing.minus { offset += 1 }
        let intStart = offset
        let intDigits = digits()
        guard intDigits > 0 else { offset = start; throw fail("expected a value") }
        guard intDigits == 1 || bytes[intStart] != ByteParsing.zero else {
            offset = intStart
            throw fail("leading zero in a number")
        }
        if offset < n && bytes[offset] == ByteParsing.dot {
            offset += 1
            guard digits() > 0 else { throw fail("expected digits after '.'") }
        }
        if offset < n && (bytes[offset] == 0x65 || bytes[offset] == 0x45) {
            offset += 1
            if offset < n && (bytes[offset] == ByteParsing.plus || bytes[offset] == ByteParsing.minus) { offset += 1 }
            guard digits() > 0 else { throw fail("expected digits in the exponent") }
        }
        return start..<offset
    }

    /// Reads a string (the cursor at its opening quote).
    private mutating func string(scratch: ByteScratch) throws(SyntaxError) -> Span {
        offset += 1
        let start = offset, n = bytes.count
        while offset < n {
            let b = bytes[offset]
            if b == ByteParsing.quote { offset += 1; return Span(range: start..<(offset - 1), inScratch: false) }
            if b == 0x5C { break }
            guard b >= 0x20 else { throw fail("control character in a string") }
            offset += 1
        }
        guard offset < n else { throw fail("unterminated string") }
        // Escapes: decode from the start of the string into the scratch buffer.
        let decodedStart = scratch.count
        scratch.append(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
        while offset < n {
            let b = bytes[offset]
            if b == ByteParsing.quote {
                offset += 1
                return Span(range: decodedStart..<scratch.count, inScratch: true)
            }
            guard b >= 0x20 else { throw fail("control character in a string") }
            guard b == 0x5C else { scratch.append(b); offset += 1; continue }
            guard offset + 1 < n else { break }
            let e = bytes[offset + 1]
            offset += 2
            switch e {
            case 0x22, 0x5C, 0x2F: scratch.append(e)
            case 0x62: scratch.append(0x08)
            case 0x66: scratch.append(0x0C)
            case 0x6E: scratch.append(0x0A)
            case 0x72: scratch.append(0x0D)
            case 0x74: scratch.append(0x09)
            case 0x75: scratch.append(scalar: try unicodeEscape())
            default: throw fail("invalid escape '\\\(Unicode.Scalar(e))'")
            }
        }
        throw fail("unterminated string")
    }

    /// Reads the hex digits of `\uXXXX` (and a following low surrogate's escape).
    private mutating func unicodeEscape() throws(SyntaxError) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high) {
            guard offset + 1 < bytes.count, bytes[offset] == 0x5C, bytes[offset + 1] == 0x75 else {
                throw fail("unpaired surrogate in a \\u escape")
            }
            offset += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low),
                  let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            else { throw fail("unpaired surrogate in a \\u escape") }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else { throw fail("unpaired surrogate in a \\u escape") }
        return scalar
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[offset]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            offset += 1
        }
        return v
    }
}
