import Foundation
import Testing
@testable import TacitCore

/// The hand-written number and date parsers against Foundation's (the exact reference).
@Suite("Import: byte parsers")
struct ImportByteParsingTests {
    private func parse<T>(_ text: String, _ parser: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        var text = text
        return text.withUTF8 { parser($0) }
    }

    @Test func iso8601MatchesFoundationOnRandomDates() throws {
        var rng = SeededGenerator(seed: 7)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for _ in 0..<2000 {
            let seconds = Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(parse(text, ByteParsing.iso8601) == seconds, "\(text)")
            let offsetMinutes = Int.random(in: -14 * 4...14 * 4, using: &rng) * 15
            let zone = try #require(TimeZone(secondsFromGMT: offsetMinutes * 60))
            let local = ISO8601DateFormatter()
            local.timeZone = zone
            let withOffset = local.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(parse(withOffset, ByteParsing.iso8601) == seconds, "\(withOffset)")
        }
    }

    @Test(arguments: [
        ("2024-02-29", Int64(1_709_164_800)), ("2023-02-29", nil), ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1), ("2024-05-01T12:00:00.123456Z", 1_714_564_800),
        ("2024-05-01t12:00:00z", 1_714_564_800), ("2024-05-01T12:00", 1_714_564_800),
        ("2024-05-01T12:00:00+05", 1_714_546_800), ("2024-05-01T12:00:00+0530", 1_714_545_000),
        ("2024-05-01T12", nil), ("2024-05-01T12:00:00.", nil), ("2024-05-01T12:00:00+5", nil),
        ("2024-05-01X12:00:00", nil), ("2024-5-01", nil), ("2024-05-01T12:00:00Z ", nil),
    ] as [(String, Int64?)])
    func iso8601EdgeCases(text: String, expected: Int64?) {
        #expect(parse(text, ByteParsing.iso8601) == expected)
    }

    @Test func decimalsMatchTheStandardLibrary() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<5000 {
            let digits = Int.random(in: 1...12, using: &rng)
            let mantissa = Int64.random(in: 0..<Int64(pow(10.0, Double(digits))), using: &rng)
            let scale = Int.random(in: 0...digits, using: &rng)
            var text = String(mantissa)
            if scale > 0 {
                while text.count <= scale { text = "0" + text }
                text.insert(".", at: text.index(text.endIndex, offsetBy: -scale))
            }
            if Bool.random(using: &rng) { text = "-" + text }
            if Int.random(in: 0..<5, using: &rng) == 0 { text += "e\(Int.random(in: -20...20, using: &rng))" }
            #expect(parse(text, ByteParsing.double) == Double(text), "\(text)")
            #expect(parse(text, ByteParsing.float) == Float(text), "\(text)")
        }
    }

    @Test(arguments: ["", "-", "+", ".", "1e", "1e+", "nan", "inf", "0x10", " 1", "1 ", "1,5", "--1", "1e400"])
    func malformedNumbersAreRejected(text: String) {
        #expect(parse(text, ByteParsing.double) == nil)
        #expect(parse(text, ByteParsing.timestamp) == nil)
    }

    @Test func timestampsAcceptSecondsFractionsAndDates() {
        #expect(parse("881250949", ByteParsing.timestamp) == 881_250_949)
        #expect(parse("-12", ByteParsing.timestamp) == -12)
        #expect(parse("1714564800.999", ByteParsing.timestamp) == 1_714_564_800)
        #expect(parse("-0.5", ByteParsing.timestamp) == -1)
        #expect(parse("1.7145648e9", ByteParsing.timestamp) == 1_714_564_800)
        #expect(parse("2024-05-01", ByteParsing.timestamp) == 1_714_521_600)
        #expect(parse("12abc", ByteParsing.timestamp) == nil)
        #expect(parse("1e30", ByteParsing.timestamp) == nil)
    }

    @Test func utf8Validation() {
        #expect(Array("café 日本 😀".utf8).withUnsafeBufferPointer(ByteParsing.isValidUTF8))
        #expect(![0x63, 0xE9, 0x64].withUnsafeBufferPointer(ByteParsing.isValidUTF8))   // Latin-1 é
        #expect(![0xED, 0xA0, 0x80].withUnsafeBufferPointer(ByteParsing.isValidUTF8))   // a surrogate
    }
}
