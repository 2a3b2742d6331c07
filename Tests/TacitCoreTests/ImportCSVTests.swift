import Foundation
import Testing
@testable import TacitCore

/// Temporary input files for the import tests.
enum ImportFixtures {
    /// Writes `text` (as UTF-8, byte for byte) to a new file named `name` in a fresh temp folder.
    static func write(_ text: String, name: String) throws -> String {
        try write(Array(text.utf8), name: name)
    }

    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Every event of `log`, with external ids.
    static func events(_ log: EventLog) -> [Event] {
        (0..<log.count).map { log.event(at: $0) }
    }

    /// The error thrown by `body`, or `nil`.
    static func error<T>(_ body: () throws(TacitError) -> T) -> TacitError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }
}

@Suite("Import: CSV events")
struct ImportCSVTests {
    @Test func parsesQuotedFieldsCRLFByteOrderMarkAndUTF8Ids() throws {
        let text = "\u{FEFF}user_id,item_id,kind,timestamp,value\r\n"
            + "\"u,1\",\"item \"\"A\"\"\",view,100,1.5\r\n"
            + "u2,\"multi, line\",purchase,200,\r\n"
            + "café,ü-item,Click,2024-05-01T12:00:00Z,3\r\n"
        let path = try ImportFixtures.write(text, name: "events.csv")
        var log = EventLog()
        let report = try EventImporter().read(path: path, into: &log)
        #expect(ImportFixtures.events(log) == [
            Event(user: "u,1", item: "item \"A\"", kind: .view, timestamp: 100, value: 1.5),
            Event(user: "u2", item: "multi, line", kind: .purchase, timestamp: 200, value: nil),
            Event(user: "café", item: "ü-item", kind: .click, timestamp: 1_714_564_800, value: 3),
        ])
        #expect(report.rowsRead == 3)
        #expect(report.accepted == 3)
        #expect(report.rowsSkipped == 0)
        #expect(log.users.ids == ["u,1", "u2", "café"])
    }

    @Test func missingOptionalColumnsUseDefaultKindRowNumbersAndNoValue() throws {
        let path = try ImportFixtures.write("user_id,item_id\n1,10\n\n2,20\n1,20", name: "pairs.csv")
        var log = EventLog()
        _ = try EventImporter().read(path: path, into: &log)
        #expect(ImportFixtures.events(log) == [
            Event(user: "1", item: "10", kind: .interaction, timestamp: 1),
            Event(user: "2", item: "20", kind: .interaction, timestamp: 2),
            Event(user: "1", item: "20", kind: .interaction, timestamp: 3),
        ])
        #expect(log.values.allSatisfy { $0.isNaN })
    }

    @Test func readsISO8601TimestampsWithFractionsAndOffsets() throws {
        let text = """
            user,item,time
            a,x,2024-05-01T12:00:00Z
            a,x,2024-05-01T14:00:00.750+02:00
            a,x,2024-05-01 12:00:00
            a,x,2024-05-01T07:30:00-0430
            a,x,2024-05-01
            a,x,1714564800.9
            a,x,-5
            """
        let path = try ImportFixtures.write(text, name: "times.csv")
        var log = EventLog()
        _ = try EventImporter().read(path: path, into: &log)
        #expect(log.timestamps == [1_714_564_800, 1_714_564_800, 1_714_564_800, 1_714_564_800, 1_714_521_600,
                                   1_714_564_800, -5])
    }

    @Test func firstBadRowThrowsWithThePhysicalLineAndKeepsEarlierEvents() throws {
        let text = "user_id,item_id,timestamp\n1,2,10\n1,\"two\nlines\",11\n2,3,12\n2,4,abc\n3,5,13\n"
        let path = try ImportFixtures.write(text, name: "ratings.csv")
        var log = EventLog()
        log.append(Event(user: "earlier", item: "file", timestamp: 0))
        let error = ImportFixtures.error { () throws(TacitError) in try EventImporter().read(path: path, into: &log) }
        // An id may not hold a line break (a control character): the quoted field is the first bad row.
        #expect(error?.description == "\(path):3: item id contains a control character (byte 3, 0x0A)")
        #expect(log.count == 2)
        #expect(log.event(at: 1) == Event(user: "1", item: "2", timestamp: 10))
        // Past it, lines stay physical: the quoted field spans lines 3-4, so 'abc' is on line 6.
        var skipped = EventLog()
        let report = try EventImporter(skipInvalid: true).read(path: path, into: &skipped)
        #expect(report.skipped[.badID]?.firstLine == 3)
        #expect(report.skipped[.badTimestamp] == SkippedRows(count: 1, firstLine: 6, firstMessage: "timestamp 'abc' is not a number or ISO-8601 date"))
        #expect(skipped.count == 3)
    }

    @Test(arguments: [
        ("1,2,12abc,1", "timestamp '12abc' is not a number or ISO-8601 date"),
        ("1,2,2024-13-01,1", "timestamp '2024-13-01' is not a number or ISO-8601 date"),
        ("1,2,2024-05-01T25:00:00Z,1", "timestamp '2024-05-01T25:00:00Z' is not a number or ISO-8601 date"),
        ("1,2,12,1.5x", "value '1.5x' is not a number"),
        ("1,2,12,nan", "value 'nan' is not a number"),
        (",2,12,1", "empty user id"),
        ("1,,12,1", "empty item id"),
        ("\"u\u{0}x\",2,12,1", "user id contains a control character (byte 1, 0x00)"),
        ("1,\"i\u{7F}\",12,1", "item id contains a control character (byte 1, 0x7F)"),
        ("1,\"a\nb\",12,1", "item id contains a control character (byte 1, 0x0A)"),
        ("1,x\u{85},12,1", "item id contains a control character (U+0085)"),
        ("\(String(repeating: "u", count: 257)),2,12,1", "user id longer than 256 bytes of UTF-8 (257)"),
        ("1,2,12", "expected 4 fields (as in the header), found 3"),
        ("1,2,12,1,9", "expected 4 fields (as in the header), found 5"),
        ("1,\"2\"x,12,1", "text after the closing quote in field 2"),
        ("1,2,12,\"1", "quoted field opened on this line is never closed"),
    ])
    func badRowsAreErrorsNamingTheField(row: String, message: String) throws {
        let path = try ImportFixtures.write("user_id,item_id,timestamp,value\n1,1,1,1\n\(row)\n", name: "bad.csv")
        var log = EventLog()
        let error = ImportFixtures.error { () throws(TacitError) in try EventImporter().read(path: path, into: &log) }
        #expect(error == TacitError.invalidRow(file: path, line: 3, reason: message))
        #expect(log.count == 1)
    }

    @Test func unterminatedQuoteReportsTheLineWhereItOpened() throws {
        let path = try ImportFixtures.write("user,item\na,b\nc,\"d\ne,f\ng,h\n", name: "open.csv")
        var log = EventLog()
        let error = ImportFixtures.error { () throws(TacitError) in try EventImporter().read(path: path, into: &log) }
        #expect(error == TacitError.invalidRow(file: path, line: 3, reason: "quoted field opened on this line is never closed"))
        #expect(log.count == 1)
    }

    @Test func skipInvalidCountsRowsByReasonWithTheFirstLine() throws {
        let text = """
            user_id,item_id,event,timestamp,value
            1,2,view,10,
            1,2,view,x,
            ,2,view,11,
            1,2,view,y,
            1,2,view
            2,3,purchase,12,2
            """
        let path = try ImportFixtures.write(text, name: "shop.csv")
        var log = EventLog()
        let report = try EventImporter(skipInvalid: true).read(path: path, into: &log)
        #expect(report.rowsRead == 6)
        #expect(report.accepted == 2)
        #expect(report.rowsSkipped == 4)
        #expect(report.skipped[.badTimestamp] == SkippedRows(
            count: 2, firstLine: 3, firstMessage: "timestamp 'x' is not a number or ISO-8601 date"))
        #expect(report.skipped[.emptyUser]?.count == 1)
        #expect(report.skipped[.wrongFieldCount]?.firstLine == 6)
        #expect(ImportFixtures.events(log) == [
            Event(user: "1", item: "2", kind: .view, timestamp: 10),
            Event(user: "2", item: "3", kind: .purchase, timestamp: 12, value: 2),
        ])
        // A rejected row interns nothing.
        #expect(log.users.ids == ["1", "2"])
        #expect(report.description.contains("bad_timestamp: 2 (first: line 3:"))
    }

    @Test func explicitColumnsAndDelimiterOverrideDetection() throws {
        let text = "visitor;sku;what;when;amount;rating\nv1;s1;Add_To_Cart;5;2;9\nv2;s2;view;6;;9\n"
        let path = try ImportFixtures.write(text, name: "custom.csv")
        let mapping = try ColumnMapping(overrides: [
            "user=visitor", "item=SKU", "kind=what", "timestamp=when", "value=amount", "delimiter=;",
        ])
        var log = EventLog()
        _ = try EventImporter(mapping: mapping).read(path: path, into: &log)
        #expect(ImportFixtures.events(log) == [
            Event(user: "v1", item: "s1", kind: .addToCart, timestamp: 5, value: 2),
            Event(user: "v2", item: "s2", kind: .view, timestamp: 6, value: nil),
        ])
    }

    @Test func ignoredValueColumnAndDefaultKind() throws {
        let path = try ImportFixtures.write("user_id,item_id,rating,timestamp\n1,2,5,10\n", name: "r.csv")
        let mapping = try ColumnMapping(overrides: ["value=-", "default_kind=view"])
        var log = EventLog()
        _ = try EventImporter(mapping: mapping).read(path: path, into: &log)
        #expect(ImportFixtures.events(log) == [Event(user: "1", item: "2", kind: .view, timestamp: 10)])
    }

    @Test func tabSeparatedFilesByExtensionAndSniffedDelimiters() throws {
        let tsv = try ImportFixtures.write("user_id\titem_id\ttimestamp\na b\tc,d\t7\n", name: "events.tsv")
        let semicolon = try ImportFixtures.write("user_id;item_id;timestamp\na b;c,d;7\n", name: "events.csv")
        for path in [tsv, semicolon] {
            var log = EventLog()
            _ = try EventImporter().read(path: path, into: &log)
            #expect(ImportFixtures.events(log) == [Event(user: "a b", item: "c,d", timestamp: 7)])
        }
    }

    @Test func missingRequiredColumnNamesFileHeaderAndAliases() throws {
        let path = try ImportFixtures.write("visitor,item_id\n1,2\n", name: "nouser.csv")
        var log = EventLog()
        let error = ImportFixtures.error { () throws(TacitError) in try EventImporter().read(path: path, into: &log) }
        #expect(error == TacitError.format(
            path: path,
            reason: "no user column: the header is 'visitor,item_id'; accepted names: user_id, user, userid, visitorid, "
                + "visitor_id, customer_id, uid (map another column with --column user=NAME)"))
    }

    @Test func unknownExtensionAndMissingFileAreErrors() throws {
        var log = EventLog()
        let unknown = ImportFixtures.error { () throws(TacitError) in try EventImporter().read(path: "x.parquet", into: &log) }
        #expect(unknown?.description.hasPrefix("unknown event file extension '.parquet'") == true)
        let missing = ImportFixtures.error { () throws(TacitError) in try EventImporter().read(path: "/nonexistent/e.csv", into: &log) }
        #expect(missing?.description.hasPrefix("/nonexistent/e.csv: cannot open") == true)
    }

    @Test func readingSeveralPathsConcatenatesInOrder() throws {
        let first = try ImportFixtures.write("user_id,item_id,timestamp\na,x,5\nb,y,1\n", name: "a.csv")
        let second = try ImportFixtures.write("{\"user\":\"b\",\"item\":\"x\",\"ts\":3}\n", name: "b.jsonl")
        let (log, reports) = try EventImporter().read(paths: [first, second])
        #expect(ImportFixtures.events(log) == [
            Event(user: "a", item: "x", timestamp: 5), Event(user: "b", item: "y", timestamp: 1),
            Event(user: "b", item: "x", timestamp: 3),
        ])
        #expect(reports.map(\.accepted) == [2, 1])
        #expect(log.kinds == [.interaction])
    }
}
