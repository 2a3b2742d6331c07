import Testing
@testable import TacitCore

@Suite("Import: JSON lines events")
struct ImportJSONLinesTests {
    @Test func readsStringAndNumericIdsTimestampsEscapesAndExtraKeys() throws {
        let text = #"""
            {"user_id": 42, "item_id": "café", "event": "Purchase", "timestamp": 1714564800, "value": 2.5}
            {"user": "u\"1\u00e9", "item": 7, "ts": "2024-05-01T14:00:00+02:00", "props": {"a": [1, {"b": null}]}, "value": null}

            {"userId":"\ud83d\ude00","itemId":"x","type":"view","time":"1714564801","rating":"4"}
            {"user_id": "u", "item_id": "y", "timestamp": 1714564802.75, "value": "", "extra": [true, false]}
            """#
        let path = try ImportFixtures.write(text, name: "events.jsonl")
        var log = EventLog()
        let report = try EventImporter().read(path: path, into: &log)
        #expect(ImportFixtures.events(log) == [
            Event(user: "42", item: "café", kind: .purchase, timestamp: 1_714_564_800, value: 2.5),
            Event(user: "u\"1é", item: "7", kind: .interaction, timestamp: 1_714_564_800, value: nil),
            Event(user: "😀", item: "x", kind: .view, timestamp: 1_714_564_801, value: 4),
            Event(user: "u", item: "y", kind: .interaction, timestamp: 1_714_564_802, value: nil),
        ])
        #expect(report.rowsRead == 4)
        #expect(report.accepted == 4)
    }

    @Test func linesWithoutTimestampsUseRowNumbers() throws {
        let path = try ImportFixtures.write("{\"user\":\"a\",\"item\":\"x\"}\n{\"user\":\"b\",\"item\":\"y\"}\n", name: "e.ndjson")
        var log = EventLog()
        _ = try EventImporter().read(path: path, into: &log)
        #expect(log.timestamps == [1, 2])
    }

    @Test(arguments: [
        (#"{"user": "a", "item": "x", "ts": 1"#, "invalid JSON: expected ',' or '}' at column 35"),
        (#"{"user": "a", "item": "x"} x"#, "invalid JSON: unexpected text after the object at column 28"),
        (#"["a", "x"]"#, "invalid JSON: expected '{' (each line must be one JSON object) at column 1"),
        (#"{"user": "a", "item": 01}"#, "invalid JSON: leading zero in a number at column 23"),
        (#"{"user": "a\q", "item": "x"}"#, #"invalid JSON: invalid escape '\q' at column 14"#),
        (#"{"item": "x", "ts": 1}"#, "no user id (accepted keys: user_id, user, userid, visitorid, visitor_id, customer_id, uid)"),
        (#"{"user": null, "item": "x"}"#, "no user id (accepted keys: user_id, user, userid, visitorid, visitor_id, customer_id, uid)"),
        (#"{"user": "a", "item": 4.5}"#, "item id 4.5 is not an integer"),
        (#"{"user": true, "item": "x"}"#, "user id must be a string or an integer"),
        (#"{"user": "", "item": "x", "ts": 1}"#, "empty user id"),
        (#"{"user": "u613\u0000x", "item": "x", "ts": 1}"#, "user id contains a control character (byte 4, 0x00)"),
        (#"{"user": "a", "item": "x\u0085", "ts": 1}"#, "item id contains a control character (U+0085)"),
        (#"{"user": "a", "item": "x", "kind": 3}"#, "kind must be a string"),
        (#"{"user": "a", "item": "x", "ts": "12abc"}"#, "timestamp '12abc' is not a number or ISO-8601 date"),
        (#"{"user": "a", "item": "x", "ts": [1]}"#, "timestamp must be a number or a string"),
        (#"{"user": "a", "item": "x", "ts": 1, "value": "high"}"#, "value 'high' is not a number"),
        (#"{"user": "a", "item": "x"}"#, "no timestamp (accepted keys: timestamp, time, ts, datetime, event_time, date), but the first line has one"),
    ])
    func badLinesAreErrorsWithTheirLineNumber(line: String, message: String) throws {
        let text = "{\"user\": \"first\", \"item\": \"i\", \"ts\": 5}\n\n\(line)\n{\"user\": \"b\", \"item\": \"y\", \"ts\": 6}\n"
        let path = try ImportFixtures.write(text, name: "bad.jsonl")
        var log = EventLog()
        let error = ImportFixtures.error { () throws(TacitError) in try EventImporter().read(path: path, into: &log) }
        #expect(error == TacitError.invalidRow(file: path, line: 3, reason: message))
        #expect(ImportFixtures.events(log) == [Event(user: "first", item: "i", timestamp: 5)])
    }

    @Test func skipInvalidCountsBadLines() throws {
        let text = "{\"user\":1,\"item\":2}\n{bad\n{\"item\":3}\n{\"user\":1,\"item\":3}\n{\"user\":1,\"item\":3,\"value\":\"x\"}\n"
        let path = try ImportFixtures.write(text, name: "skip.jsonl")
        var log = EventLog()
        let report = try EventImporter(skipInvalid: true).read(path: path, into: &log)
        #expect(report.rowsRead == 5)
        #expect(report.accepted == 2)
        #expect(report.skipped[.badJSON]?.firstLine == 2)
        #expect(report.skipped[.missingUser]?.firstLine == 3)
        #expect(report.skipped[.badValue]?.count == 1)
        #expect(log.count == 2)
    }

    @Test func explicitKeysOverrideAliases() throws {
        let text = #"{"user_id": "ignored", "visitor": "v", "sku": "s", "user": "also ignored"}"#
        let path = try ImportFixtures.write(text, name: "keys.json")
        var log = EventLog()
        let mapping = try ColumnMapping(overrides: ["user=visitor", "item=sku"])
        _ = try EventImporter(mapping: mapping).read(path: path, into: &log)
        #expect(ImportFixtures.events(log) == [Event(user: "v", item: "s", timestamp: 1)])
    }

    @Test func jsonArrayFileIsAFormatError() throws {
        let path = try ImportFixtures.write("[\n{\"user\":1,\"item\":2}\n]\n", name: "array.json")
        var log = EventLog()
        let error = ImportFixtures.error { () throws(TacitError) in try EventImporter(skipInvalid: true).read(path: path, into: &log) }
        #expect(error == TacitError.format(
            path: path, reason: "expected JSON lines (one object per line), but the file starts with '[' (a JSON array)"))
    }
}
