import Foundation
import Testing
import TacitTestSupport
@testable import TacitCore

@Suite struct InteractionMatrixTests {
    /// users a, b; items x, y, z; (a,y) appears twice.
    func sample() -> InteractionMatrix {
        InteractionMatrix(users: IDMap(["a", "b"]), items: IDMap(["x", "y", "z"]),
                          userIndices: [0, 1, 0, 0, 1], itemIndices: [1, 0, 2, 1, 2], values: [1, 2, 3, 4, 5],
                          timestamps: [10, 20, 30, 40, 50])
    }

    @Test func buildsSortedCSRAndCSCAndMergesDuplicates() {
        let m = sample()
        #expect(m.userCount == 2 && m.itemCount == 3 && m.nnz == 4)
        #expect(m.rowPointers.array == [0, 2, 4])
        #expect(m.columnIndices.array == [1, 2, 0, 2])
        #expect(m.values.array == [5, 3, 2, 5])
        #expect(m.timestamps?.array == [40, 30, 20, 50])
        #expect(m.columnPointers.array == [0, 1, 2, 4])
        #expect(m.rowIndices.array == [1, 0, 0, 1])
        #expect(m.columnValues.array == [2, 5, 3, 5])
        #expect(m.contains(user: 0, item: 2) && !m.contains(user: 0, item: 0))
        #expect(m.itemInteractionCounts == [1, 1, 2])
        #expect(m.history(of: 1) == SparseVector(sortedIndices: [0, 2], values: [2, 5], timestamps: [20, 50]))
    }

    @Test func maxRuleKeepsTheLargestDuplicate() {
        let m = InteractionMatrix(users: IDMap(["a"]), items: IDMap(["x"]), userIndices: [0, 0], itemIndices: [0, 0],
                                  values: [1, 4], duplicates: .max)
        #expect(m.values.array == [4])
    }

    @Test func savesAndMemoryMapsLosslessly() throws {
        let m = sample()
        let path = Fixtures.temporaryDirectory().appendingPathComponent("m.tmx").path
        try m.save(to: path)
        let loaded = try InteractionMatrix.load(from: path)
        #expect(loaded.users == m.users && loaded.items == m.items)
        #expect(loaded.rowPointers.array == m.rowPointers.array)
        #expect(loaded.columnIndices.array == m.columnIndices.array)
        #expect(loaded.values.array == m.values.array)
        #expect(loaded.timestamps?.array == m.timestamps?.array)
        #expect(loaded.columnPointers.array == m.columnPointers.array)
        #expect(loaded.rowIndices.array == m.rowIndices.array)
        #expect(loaded.columnValues.array == m.columnValues.array)
    }

    @Test func refusesCorruptTruncatedAndForeignFiles() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("m.tmx").path
        try sample().save(to: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 20] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: TacitError.self) { try InteractionMatrix.load(from: path) }
        do { _ = try InteractionMatrix.load(from: path) } catch { #expect(error.description.contains("checksum")) }

        try sample().save(to: path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count - 8).write(to: URL(fileURLWithPath: path))
        do { _ = try InteractionMatrix.load(from: path); Issue.record("truncated file loaded") } catch { #expect(error.description.contains("truncated")) }

        var newer = whole
        newer[8] = 99   // version
        try newer.write(to: URL(fileURLWithPath: path))
        do { _ = try InteractionMatrix.load(from: path); Issue.record("foreign version loaded") } catch { #expect(error.description.contains("version 99")) }

        try Data("hello, this is not a matrix file at all....".utf8).write(to: URL(fileURLWithPath: path))
        do { _ = try InteractionMatrix.load(from: path); Issue.record("text loaded") } catch { #expect(error.description.contains("not a TACITMX1 file")) }
    }
}
