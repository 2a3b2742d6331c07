import Foundation
import Testing
@testable import TacitCore

/// The streaming record scanner against the records it was given, with buffers small enough that
/// records and quotes straddle every refill.
@Suite("Import: record scanner")
struct ImportRecordScannerTests {
    /// Writes `records` as RFC 4180 CSV: fields quoted when they need it (or at random).
    private static func encode(_ records: [[String]], crlf: Bool, rng: inout SeededGenerator) -> String {
        let special: Set<UInt8> = [0x2C, 0x22, 0x0A, 0x0D]  // , " LF CR
        var lines: [String] = []
        for record in records {
            var fields: [String] = []
            for field in record {
                let needsQuotes = field.utf8.contains(where: special.contains)
                if needsQuotes || Int.random(in: 0..<4, using: &rng) == 0 {
                    fields.append("\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                } else {
                    fields.append(field)
                }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: crlf ? "\r\n" : "\n")
    }

    private static func randomField(_ rng: inout SeededGenerator) -> String {
        let pieces = ["a", "b", "7", ",", "\"", "\n", "\r\n", " ", "é", "日本", "\"\"", ""]
        return (0..<Int.random(in: 0..<6, using: &rng)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
            .joined()
    }

    private static func scanAll(path: String, chunkSize: Int) throws -> (records: [[String]], lines: [Int]) {
        let source = try ByteChunkReader(path: path, chunkSize: chunkSize)
        var scanner = CSVRecordScanner(source: source, delimiter: UInt8(ascii: ","))
        var records: [[String]] = [], lines: [Int] = []
        while try scanner.next() {
            #expect(scanner.issue == nil)
            records.append(scanner.strings())
            lines.append(scanner.line)
        }
        return (records, lines)
    }

    @Test(arguments: [1, 2, 3])
    func randomRecordsSurviveEveryChunkBoundary(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let width = Int.random(in: 1...4, using: &rng)
        var records: [[String]] = []
        for _ in 0..<300 {
            var record = (0..<width).map { _ in Self.randomField(&rng) }
            // A record of one empty unquoted field is an empty line, which the scanner skips.
            if width == 1 && record[0].isEmpty { record[0] = "x" }
            records.append(record)
        }
        let crlf = seed % 2 == 0
        let text = Self.encode(records, crlf: crlf, rng: &rng) + (seed == 3 ? "" : (crlf ? "\r\n" : "\n"))
        let path = try ImportFixtures.write(text, name: "random.csv")
        // Expected physical lines: 1 + the line breaks before each record.
        var expectedLines: [Int] = [], line = 1
        for record in records {
            expectedLines.append(line)
            line += 1 + record.reduce(0) { $0 + $1.utf8.filter { $0 == 0x0A }.count }
        }
        for chunkSize in [64, 97, 1 << 20] {
            let (parsed, lines) = try Self.scanAll(path: path, chunkSize: chunkSize)
            #expect(parsed == records, "chunk size \(chunkSize)")
            #expect(lines == expectedLines, "chunk size \(chunkSize)")
        }
    }

    @Test func longRecordGrowsTheBuffer() throws {
        let long = String(repeating: "x\"\",\n", count: 500)
        let path = try ImportFixtures.write("a,b\n1,\"\(long)\"\n2,3\n", name: "long.csv")
        let (parsed, lines) = try Self.scanAll(path: path, chunkSize: 64)
        #expect(parsed == [["a", "b"], ["1", String(repeating: "x\",\n", count: 500)], ["2", "3"]])
        #expect(lines == [1, 2, 503])
    }

    @Test func malformedQuotesAreFlaggedAndScanningRecovers() throws {
        let path = try ImportFixtures.write("a,b\n\"x\"y,1\n2,3\n4,\"open\n5,6", name: "quotes.csv")
        let source = try ByteChunkReader(path: path, chunkSize: 64)
        var scanner = CSVRecordScanner(source: source, delimiter: UInt8(ascii: ","))
        var seen: [(Int, CSVRecordScanner.Issue?, [String])] = []
        while try scanner.next() { seen.append((scanner.line, scanner.issue, scanner.strings())) }
        #expect(seen.map(\.0) == [1, 2, 3, 4])
        #expect(seen.map(\.1) == [nil, .textAfterQuote(field: 0), nil, .unterminatedQuote])
        #expect(seen[2].2 == ["2", "3"])
        #expect(seen[3].2 == ["4", "open\n5,6"])
    }
}
