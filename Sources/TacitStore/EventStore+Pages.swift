import TacitCore

extension EventStore {
    /// Every item record in id order, handed to `body` one page of at most `pageSize` at a time
    /// (keyset paging with ``items(after:limit:)``, so memory stays one page).
    public func forEachItemPage(pageSize: Int = 10_000, _ body: ([ItemRecord]) async throws -> Void) async throws {
        try await Self.forEachPage(pageSize: pageSize, fetch: { try await items(after: $0, limit: $1) }, key: \.id, body)
    }

    /// Every user record in id order, one page of at most `pageSize` at a time (``users(after:limit:)``).
    public func forEachUserPage(pageSize: Int = 10_000, _ body: ([UserRecord]) async throws -> Void) async throws {
        try await Self.forEachPage(pageSize: pageSize, fetch: { try await users(after: $0, limit: $1) }, key: \.id, body)
    }

    /// Every impression (with `before`: those with a timestamp before it) in recommendation id
    /// order, one page of at most `pageSize` at a time (``impressions(after:before:limit:)``).
    public func forEachImpressionPage(before: Int64? = nil, pageSize: Int = 10_000, _ body: ([Impression]) async throws -> Void) async throws {
        try await Self.forEachPage(pageSize: pageSize, fetch: { try await impressions(after: $0, before: before, limit: $1) },
                                   key: \.recommendationID, body)
    }

    private static func forEachPage<Record, Key>(pageSize: Int, fetch: (Key?, Int) async throws -> [Record], key: (Record) -> Key,
                                                 _ body: ([Record]) async throws -> Void) async throws {
        let limit = max(1, pageSize)
        var after: Key?
        while true {
            let page = try await fetch(after, limit)
            guard let last = page.last else { return }
            try await body(page)
            guard page.count == limit else { return }
            after = key(last)
        }
    }
}
