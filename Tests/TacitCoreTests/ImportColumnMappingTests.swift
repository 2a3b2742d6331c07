import Foundation
import Testing
@testable import TacitCore

@Suite("Import: column mapping")
struct ImportColumnMappingTests {
    @Test func automaticMappingFindsTheStandardHeaders() throws {
        let mapping = ColumnMapping.automatic
        #expect(try mapping.resolve(header: ["user_id", "item_id", "rating", "timestamp"], path: "r.csv")
            == ResolvedColumns(user: 0, item: 1, kind: nil, timestamp: 3, value: 2, fieldCount: 4))
        #expect(try mapping.resolve(header: ["user_id", "item_id", "timestamp"], path: "t.csv")
            == ResolvedColumns(user: 0, item: 1, kind: nil, timestamp: 2, value: nil, fieldCount: 3))
        #expect(try mapping.resolve(header: ["timestamp", "visitorid", "event", "itemid", "transactionid"], path: "rr.csv")
            == ResolvedColumns(user: 1, item: 3, kind: 2, timestamp: 0, value: nil, fieldCount: 5))
        #expect(try mapping.resolve(header: [" UserId ", "ItemId", "Event_Type", "TS", "Dwell"], path: "s.csv")
            == ResolvedColumns(user: 0, item: 1, kind: 2, timestamp: 3, value: 4, fieldCount: 5))
        // The preferred alias wins over a later one.
        #expect(try mapping.resolve(header: ["user", "item", "type", "kind"], path: "k.csv").kind == 3)
    }

    @Test func overridesParseLikeTheCommandLine() throws {
        let mapping = try ColumnMapping(overrides: [
            "user=visitor", "item = SKU", "value=-", "kind=auto", "delimiter=tab", "default_kind=View",
        ])
        #expect(mapping == ColumnMapping(
            user: .named("visitor"), item: .named("SKU"), kind: .automatic, timestamp: .automatic, value: .ignored,
            delimiter: 0x09, defaultKind: .view))
        #expect(try ColumnMapping(overrides: ["delimiter=;"]).delimiter == UInt8(ascii: ";"))
    }

    @Test(arguments: [
        ("visitor", "column override 'visitor' is not KEY=VALUE; keys: user, item, kind, timestamp, value, delimiter, default_kind"),
        ("usr=x", "unknown column override key 'usr'; valid: user, item, kind, timestamp, value, delimiter, default_kind"),
        ("user=", "empty column name for user; use '-' to ignore it"),
        ("delimiter=ab", "delimiter 'ab' must be one ASCII character other than a quote or line break, or tab/comma/semicolon/pipe/space"),
    ])
    func badOverridesAreErrors(text: String, message: String) {
        let error = ImportFixtures.error { () throws(TacitError) in try ColumnMapping(overrides: [text]) }
        #expect(error?.description == message)
    }

    @Test func explicitColumnMissingFromHeaderIsAnError() {
        let mapping = ColumnMapping(user: .named("visitor"))
        let error = ImportFixtures.error { () throws(TacitError) in
            try mapping.resolve(header: ["user_id", "item_id"], path: "e.csv")
        }
        #expect(error == TacitError.format(path: "e.csv", reason: "no column 'visitor' for user; the header is 'user_id,item_id'"))
    }

    @Test func namedColumnsAreTakenBeforeAliases() throws {
        // `item` is an alias of the item field, but it is named for the user here.
        let mapping = ColumnMapping(user: .named("item"))
        #expect(try mapping.resolve(header: ["item", "item_id"], path: "x.csv").user == 0)
        #expect(try mapping.resolve(header: ["item", "item_id"], path: "x.csv").item == 1)
    }

    @Test func datasetFileLoadsFlatOrNestedAndRoundTrips() throws {
        let flat = try ImportFixtures.write(
            #"{"name": "retail", "user": "visitorid", "item": "itemid", "value": "-", "delimiter": ";", "default_kind": "view"}"#,
            name: "dataset.json")
        let nested = try ImportFixtures.write(
            #"{"events": ["a.csv"], "columns": {"user": "visitorid", "item": "itemid", "value": "-", "delimiter": ";", "default_kind": "view"}}"#,
            name: "dataset.json")
        let expected = ColumnMapping(
            user: .named("visitorid"), item: .named("itemid"), value: .ignored, delimiter: UInt8(ascii: ";"), defaultKind: .view)
        #expect(try ColumnMapping(datasetFile: flat) == expected)
        #expect(try ColumnMapping(datasetFile: nested) == expected)
        let data = try JSONEncoder().encode(expected)
        #expect(try JSONDecoder().decode(ColumnMapping.self, from: data) == expected)
    }

    @Test func invalidDatasetFilesAreErrors() throws {
        let bad = try ImportFixtures.write(#"{"delimiter": "ab"}"#, name: "bad.json")
        let error = ImportFixtures.error { () throws(TacitError) in try ColumnMapping(datasetFile: bad) }
        #expect(error?.description.hasPrefix("\(bad): invalid dataset file: delimiter: delimiter 'ab' must be") == true)
        let missing = ImportFixtures.error { () throws(TacitError) in try ColumnMapping(datasetFile: "/nonexistent.json") }
        #expect(missing == TacitError.io(path: "/nonexistent.json", reason: "cannot read the dataset file"))
    }
}
