import Foundation
import Testing
import TacitCore
import TacitTestSupport

/// `tacit import --output` files keep their events: what was imported reads back exactly, and
/// a file with only a matrix says how to get one that has them.
@Suite struct EventArchiveTests {
    private var log: EventLog {
        EventLog([
            Event(user: "u1", item: "a", kind: .view, timestamp: 10, value: nil),
            Event(user: "u2", item: "b", kind: .purchase, timestamp: 5, value: 19.5),
            Event(user: "u1", item: "b", kind: EventKind("wishlist"), timestamp: 12, value: nil),
            Event(user: "ü 3", item: "a", kind: .view, timestamp: -7, value: 0),
        ])
    }

    @Test func eventsRoundTripThroughTheMatrixFile() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("m.tmx").path
        let matrix = try WeightingPolicy().matrix(from: log)
        try matrix.save(to: path, events: log)
        let loaded = try EventLog.load(fromArchive: path)
        #expect(loaded.count == 4)
        #expect((0..<4).map { loaded.event(at: $0) } == (0..<4).map { log.event(at: $0) })
        #expect(try InteractionMatrix.load(from: path).nnz == matrix.nnz, "the matrix still loads first")
        // Read through the importer, after CSV events, ids are merged.
        var merged = EventLog([Event(user: "u9", item: "a", kind: .click, timestamp: 1, value: nil)])
        let report = try EventImporter().read(path: path, into: &merged)
        #expect(report.accepted == 4 && merged.count == 5 && merged.items.count == 2)
        #expect(merged.event(at: 4).user == "ü 3")
    }

    @Test func aMatrixWithoutEventsIsRefusedWithAWayOut() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("m.tmx").path
        try WeightingPolicy().matrix(from: log).save(to: path)
        do {
            _ = try EventLog.load(fromArchive: path)
            Issue.record("a matrix without events was read as events")
        } catch {
            #expect(error.description.contains("holds only a weighted matrix"), "\(error.description)")
            #expect(error.description.contains("tacit import --output"))
        }
    }

    @Test func aHugeSectionCountIsAFormatErrorNotATrap() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("m.tmx").path
        try WeightingPolicy().matrix(from: log).save(to: path, events: log)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // The first section's element count (after the 32-byte header): 2^62 elements.
        bytes.replaceSubrange(32..<40, with: withUnsafeBytes(of: (Int64(1) << 62).littleEndian) { Data($0) })
        try bytes.write(to: URL(fileURLWithPath: path))
        do {
            _ = try EventLog.load(fromArchive: path, verify: false)
            Issue.record("a corrupt section count was accepted")
        } catch {
            #expect(error.description.contains("runs past the end"), "\(error.description)")
        }
    }
}
