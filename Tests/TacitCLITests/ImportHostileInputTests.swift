import Foundation
import Testing
import TacitTestSupport

/// `tacit import` against hostile files: every bad row fails with `file:line` and the field, and
/// nothing reaches a trap (the process exits with status 1, not a signal).
@Suite(.serialized) struct ImportHostileInputTests {
    @Test("hostile event rows fail with file:line and the field", arguments: [
        ("u1,i1,1e25", "timestamp"), ("u1,i1,-1e300", "timestamp"), ("u1,i1,nan", "timestamp"),
        ("u1,i1,99999999999999999999999", "timestamp"), ("u\u{7F}1,i1,100", "user id"), (",i1,100", "user"),
        ("u1,,100", "item"), ("u1,i\u{85}1,100", "item id"), ("\(String(repeating: "x", count: 257)),i1,100", "user id"),
    ])
    func hostileCSV(row: String, field: String) async throws {
        let path = Fixtures.temporaryFile("user_id,item_id,timestamp\nu0,i0,100\n\(row)\n", name: "hostile.csv")
        let result = try await CLI.runOffPool(["import", "--events", path])
        #expect(result.status == 1, "status \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("hostile.csv:3:"), "\(result.stderr)")
        #expect(result.stderr.contains(field), "\(result.stderr)")
    }

    @Test("hostile JSON Lines rows: NUL in an id, a huge value, a non-finite number")
    func hostileJSONLines() async throws {
        for (row, field) in [(#"{"user_id": "u\u0000x", "item_id": "i1", "timestamp": 100}"#, "user id"),
                             (#"{"user_id": "u1", "item_id": "i1", "timestamp": 1e300}"#, "timestamp"),
                             (#"{"user_id": "u1", "item_id": "i1", "timestamp": 100, "value": 1e400}"#, "value")] {
            let path = Fixtures.temporaryFile(#"{"user_id": "u0", "item_id": "i0", "timestamp": 100}"# + "\n" + row + "\n", name: "hostile.jsonl")
            let result = try await CLI.runOffPool(["import", "--events", path])
            #expect(result.status == 1, "\(row): status \(result.status): \(result.stderr)")
            #expect(result.stderr.contains("hostile.jsonl:2:"), "\(row): \(result.stderr)")
            #expect(result.stderr.contains(field), "\(row): \(result.stderr)")
        }
    }

    @Test("tacit import --config with pseudonymize_user_ids writes pseudonyms, never the raw ids")
    func pseudonymizedImport() async throws {
        let directory = Fixtures.temporaryDirectory()
        let secret = directory.appendingPathComponent("secret")
        try Data(repeating: 0x0b, count: 20).write(to: secret)
        let config = directory.appendingPathComponent("tacit.json")
        try Data(#"{"privacy": {"pseudonymize_user_ids": true, "secret_file": "\#(secret.path)"}}"#.utf8).write(to: config)
        let events = Fixtures.temporaryFile("user_id,item_id,timestamp\nHi There,i1,100\nHi There,i2,200\nother@example.com,i1,300\n", name: "events.csv")
        let matrix = directory.appendingPathComponent("m.tmx")
        let result = try await CLI.runOffPool(["import", "--events", events, "--config", config.path, "--output", matrix.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("users: 2"), "\(result.stdout)")
        let bytes = try Data(contentsOf: matrix)
        // RFC 4231 test case 2 key (0x0b × 20) and data "Hi There".
        #expect(bytes.range(of: Data("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7".utf8)) != nil)
        #expect(bytes.range(of: Data("Hi There".utf8)) == nil)
        #expect(bytes.range(of: Data("other@example.com".utf8)) == nil)
        let missing = try await CLI.runOffPool(["import", "--events", events, "--config", directory.appendingPathComponent("none.json").path])
        #expect(missing.status == 1, "\(missing.stderr)")
    }
}
