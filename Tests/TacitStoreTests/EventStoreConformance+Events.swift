import Testing
import TacitCore
import TacitStore

extension EventStoreConformance {
    static let events: [ConformanceCheck] = [
        .store("an empty store has no events and last sequence 0") { (store: any EventStore) async throws in
            #expect(try await store.eventCount() == 0)
            #expect(try await store.lastSequence() == 0)
            #expect(try await store.events(after: 0, limit: 10).isEmpty)
            #expect(try await store.insert([]) == InsertSummary(inserted: 0, duplicates: 0, sequences: []))
            #expect(try await store.eventCount() == 0)
        },

        .store("insert assigns increasing sequences and stores every field") { (store: any EventStore) async throws in
            let first = [
                event("u1", "i1", .view, at: 100, value: 12.5, recommendation: "r1"),
                event("u2", "i2", .purchase, at: 101, id: "e-1"),
                event("u1", "i3", EventKind("Wishlist"), at: 99),
            ]
            let a = try await store.insert(first)
            #expect(a.inserted == 3 && a.duplicates == 0 && a.sequences.count == 3)
            #expect(a.sequences[0] > 0 && isStrictlyIncreasing(a.sequences))
            let second = [event("u3", "i1", .click, at: 200), event("u1", "i2", .addToCart, at: 201, value: 2)]
            let b = try await store.insert(second)
            #expect(b.inserted == 2 && b.duplicates == 0)
            #expect(b.sequences[0] > a.sequences[2] && isStrictlyIncreasing(b.sequences))

            let all = try await store.events(after: 0, limit: 100)
            #expect(all == stored(first, a) + stored(second, b))
            #expect(all[2].kind == EventKind("wishlist"))
            #expect(try await store.eventCount() == 5)
            #expect(try await store.lastSequence() == b.sequences[1])
        },

        .store("event ids are idempotent within a batch and across batches") { (store: any EventStore) async throws in
            let batch = [
                event("u1", "i1", id: "a"), event("u1", "i2", id: "b"), event("u1", "i9", id: "a"),
                event("u1", "i3"), event("u2", "i9", id: "b"),
            ]
            let first = try await store.insert(batch)
            #expect(first.inserted == 3)
            #expect(first.duplicates == 2)
            #expect(first.sequences[2] == first.sequences[0])
            #expect(first.sequences[4] == first.sequences[1])
            #expect(Set(first.sequences).count == 3 && isStrictlyIncreasing([first.sequences[0], first.sequences[1], first.sequences[3]]))

            let again = try await store.insert([event("u3", "i4", id: "c"), event("u3", "i5", id: "a"), event("u3", "i6")])
            #expect(again.inserted == 2 && again.duplicates == 1)
            #expect(again.sequences[1] == first.sequences[0])
            #expect(again.sequences[0] > first.sequences[3] && again.sequences[2] > again.sequences[0])

            let all = try await store.events(after: 0, limit: 100)
            #expect(all.count == 5)
            #expect(all.first { $0.eventID == "a" }?.item == "i1", "the first event under an id is the one kept")
            #expect(all.first { $0.eventID == "b" }?.user == "u1")
            #expect(try await store.eventCount() == 5)

            let onlyDuplicates = try await store.insert([event("x", "y", id: "c"), event("x", "y", id: "b")])
            #expect(onlyDuplicates == InsertSummary(inserted: 0, duplicates: 2, sequences: [again.sequences[0], first.sequences[1]]))
        },

        .store("user history is oldest first; a limit keeps the newest") { (store: any EventStore) async throws in
            var batch: [StoredEvent] = []
            for n in 0..<6 {
                batch.append(event("alice", "i\(n)", at: Int64(1000 - n)))  // timestamps decrease: order is by sequence
                batch.append(event("bob", "j\(n)"))
            }
            let summary = try await store.insert(batch)
            let alice = stored(batch, summary).filter { $0.user == "alice" }

            #expect(try await store.events(of: "alice", limit: nil) == alice)
            #expect(try await store.events(of: "alice", limit: 2) == Array(alice.suffix(2)))
            #expect(try await store.events(of: "alice", limit: 100) == alice)
            #expect(try await store.events(of: "alice", limit: 0).isEmpty)
            #expect(try await store.events(of: "nobody", limit: nil).isEmpty)
            #expect(try await store.events(of: "bob", limit: 1).map(\.item) == ["j5"])
        },

        .store("events(after:limit:) pages through every event in sequence order") { (store: any EventStore) async throws in
            let batch = (0..<25).map { event("u\($0 % 4)", "i\($0)", at: Int64($0)) }
            let all = stored(batch, try await store.insert(batch))
            var paged: [StoredEvent] = []
            var cursor: Int64 = 0
            var pages: [Int] = []
            while true {
                let page = try await store.events(after: cursor, limit: 10)
                if page.isEmpty { break }
                pages.append(page.count)
                paged += page
                cursor = page.last!.sequence
            }
            #expect(pages == [10, 10, 5])
            #expect(paged == all)
            #expect(try await store.events(after: all[20].sequence, limit: 3) == Array(all[21...23]))
            #expect(try await store.events(after: try await store.lastSequence(), limit: 10).isEmpty)
            #expect(try await store.events(after: 0, limit: 0).isEmpty)
        },

        .store("negative limits are refused with StoreError.invalidArgument") { (store: any EventStore) async throws in
            await expectStoreError(.invalidArgument) { _ = try await store.events(after: 0, limit: -1) }
            await expectStoreError(.invalidArgument) { _ = try await store.events(of: "u", limit: -1) }
            await expectStoreError(.invalidArgument) { _ = try await store.items(after: nil, limit: -1) }
            await expectStoreError(.invalidArgument) { _ = try await store.searchItems("a", limit: -1) }
        },

        .store("many events in one batch (more than one statement's worth)") { (store: any EventStore) async throws in
            let batch = (0..<2_500).map { event("u\($0 % 50)", "i\($0 % 300)", at: Int64($0), id: $0 % 10 == 0 ? "id\($0)" : nil) }
            let repeated = batch + batch.prefix(30).filter { $0.eventID != nil }  // ids 0, 10, 20 again
            let summary = try await store.insert(repeated)
            #expect(summary.inserted == 2_500)
            #expect(summary.duplicates == 3)
            #expect(isStrictlyIncreasing(Array(summary.sequences.prefix(2_500))))
            #expect(Array(summary.sequences.suffix(3)) == [summary.sequences[0], summary.sequences[10], summary.sequences[20]])
            #expect(try await store.eventCount() == 2_500)
            #expect(try await store.events(after: 0, limit: 3_000) == stored(batch, InsertSummary(
                inserted: 2_500, duplicates: 0, sequences: Array(summary.sequences.prefix(2_500)))))
        },
    ]
}
