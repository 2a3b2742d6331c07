import Testing
import TacitCore
import TacitStore

extension EventStoreConformance {
    static let lifecycle: [ConformanceCheck] = [
        ConformanceCheck("everything survives close and reopen") { (harness: StoreHarness) async throws in
            try await harness.withLocation { location in
                let store = try await harness.open(location)
                let batch = [event("u1", "i1", id: "e1", value: 3), event("u2", "i2", .purchase)]
                let summary = try await store.insert(batch)
                let item = ItemRecord(id: "i1", title: "Lamp", tags: ["home"], attributes: ["watts": "40"])
                try await store.upsert([item])
                try await store.upsert(UserRecord(id: "u1", attributes: ["tier": "gold"]))
                let impression = Impression(recommendationID: "r", user: "u1", scene: "home", model: "m", items: ["i1"], timestamp: 1,
                                            experiment: "e", variant: "b", propensity: 0.25)
                try await store.record([impression])
                try await store.save(version(1))
                try await store.close()

                let reopened = try await harness.open(location)
                #expect(try await reopened.events(after: 0, limit: 10) == stored(batch, summary))
                #expect(try await reopened.item("i1") == item)
                #expect(try await reopened.user("u1") == UserRecord(id: "u1", attributes: ["tier": "gold"]))
                #expect(try await reopened.impression(recommendationID: "r") == impression)
                #expect(try await reopened.modelVersions() == [version(1)])
                let more = try await reopened.insert([event("u3", "i3"), event("u1", "i9", id: "e1")])
                #expect(more.sequences[0] > summary.sequences[1])
                #expect(more.sequences[1] == summary.sequences[0], "ids stay idempotent across reopening")
                try await reopened.close()
            }
        },

        ConformanceCheck("a second store on the same location sees committed writes at once") { (harness: StoreHarness) async throws in
            try await harness.withLocation { location in
                let writer = try await harness.open(location)
                let reader = try await harness.open(location)
                #expect(try await reader.eventCount() == 0)
                let summary = try await writer.insert([event("u1", "i1"), event("u1", "i2")])
                #expect(try await reader.events(of: "u1", limit: nil).map(\.sequence) == summary.sequences)
                try await writer.upsert([ItemRecord(id: "i1", title: "x")])
                #expect(try await reader.item("i1")?.title == "x")
                let fromReader = try await reader.insert([event("u2", "i1")])
                #expect(fromReader.sequences[0] > summary.sequences[1])
                #expect(try await writer.lastSequence() == fromReader.sequences[0])
                try await writer.close()
                try await reader.close()
            }
        },

        .store("concurrent inserts from many tasks lose nothing") { (store: any EventStore) async throws in
            let tasks = 8, perTask = 200, batchSize = 20
            let summaries = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        var sequences: [Int64] = []
                        for start in stride(from: 0, to: perTask, by: batchSize) {
                            let batch = (start..<start + batchSize).map { n in
                                event("t\(task)", "i\(n)", at: Int64(n), id: n % 2 == 0 ? "t\(task)-\(n)" : nil)
                            }
                            let summary = try await store.insert(batch)
                            #expect(summary.inserted == batchSize)
                            #expect(isStrictlyIncreasing(summary.sequences))
                            sequences += summary.sequences
                            // Reads interleave with other tasks' writes.
                            _ = try await store.events(of: "t\(task)", limit: 5)
                        }
                        return sequences
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let all = summaries.flatMap { $0 }
            #expect(all.count == tasks * perTask)
            #expect(Set(all).count == tasks * perTask, "sequences are unique")
            #expect(try await store.eventCount() == tasks * perTask)
            let stored = try await store.events(after: 0, limit: 10_000)
            #expect(stored.map(\.sequence) == all.sorted())
            for task in 0..<tasks {
                let history = try await store.events(of: "t\(task)", limit: nil)
                #expect(history.map(\.item) == (0..<perTask).map { "i\($0)" }, "each task's events in its order")
            }
        },

        .store("concurrent inserts of the same event ids store each id once") { (store: any EventStore) async throws in
            let ids = (0..<100).map { "shared-\($0)" }
            let results = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for task in 0..<4 {
                    group.addTask {
                        var sequences: [Int64] = []
                        for chunk in stride(from: 0, to: ids.count, by: 25) {
                            let batch = ids[chunk..<chunk + 25].map { event("u\(task)", "i", id: $0) }
                            sequences += try await store.insert(batch).sequences
                        }
                        return sequences
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            #expect(try await store.eventCount() == ids.count)
            for result in results.dropFirst() {
                #expect(result == results[0], "every task sees the same sequence for each id")
            }
            #expect(Set(results[0]).count == ids.count)
        },
    ]
}
