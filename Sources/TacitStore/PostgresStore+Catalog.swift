import PostgresNIO
import TacitCore

extension PostgresStore {
    static let itemColumns = "id, title, category, brand, price, tags::text, created_at, available, attributes::text"
    /// Rows per multi-row item upsert (10 parameters each).
    static let itemsPerStatement = 500

    /// Multi-row `INSERT ... ON CONFLICT (id) DO UPDATE` replacing every field, in one transaction.
    /// When `items` repeats an id, the last occurrence wins (as if upserted one by one).
    public func upsert(_ items: [ItemRecord]) async throws {
        if items.isEmpty { return }
        var lastIndex: [ItemID: Int] = [:]
        for (index, item) in items.enumerated() { lastIndex[item.id] = index }
        let unique = items.indices.filter { lastIndex[items[$0].id] == $0 }.map { items[$0] }
        try await withTransaction("upsert items") { connection in
            var start = 0
            while start < unique.count {
                let chunk = unique[start..<min(start + Self.itemsPerStatement, unique.count)]
                start = chunk.endIndex
                var sql = """
                    INSERT INTO items (id, title, category, brand, price, tags, created_at, available, attributes, search_text) VALUES
                    """
                var binds = PostgresBindings(capacity: chunk.count * 10)
                for (row, item) in chunk.enumerated() {
                    let p = row * 10
                    sql += row == 0 ? "(" : ",("
                    sql += "$\(p + 1),$\(p + 2),$\(p + 3),$\(p + 4),$\(p + 5),$\(p + 6)::jsonb,$\(p + 7),$\(p + 8),$\(p + 9)::jsonb,$\(p + 10))"
                    binds.append(item.id)
                    binds.append(item.title)
                    binds.append(item.category)
                    binds.append(item.brand)
                    binds.append(item.price)
                    binds.append(RecordCoding.json(item.tags))
                    binds.append(item.createdAt)
                    binds.append(item.available)
                    binds.append(RecordCoding.json(item.attributes))
                    binds.append(RecordCoding.searchText(of: item))
                }
                sql += """
                     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, category = EXCLUDED.category,
                    brand = EXCLUDED.brand, price = EXCLUDED.price, tags = EXCLUDED.tags, created_at = EXCLUDED.created_at,
                    available = EXCLUDED.available, attributes = EXCLUDED.attributes, search_text = EXCLUDED.search_text
                    """
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.logger)
            }
        }
    }

    public func item(_ id: ItemID) async throws -> ItemRecord? {
        try await withConnection("item", id: id) { connection in
            try await self.fetchItems("SELECT \(unescaped: Self.itemColumns) FROM items WHERE id = \(id)", on: connection).first
        }
    }

    /// Items by id in byte order (the id column is `COLLATE "C"`).
    public func items(after id: ItemID?, limit: Int) async throws -> [ItemRecord] {
        try StoreError.checkLimit(limit, store: description, operation: "items after")
        if limit == 0 { return [] }
        return try await withConnection("items after", id: id) { connection in
            if let id {
                return try await self.fetchItems(
                    "SELECT \(unescaped: Self.itemColumns) FROM items WHERE id > \(id) ORDER BY id LIMIT \(limit)", on: connection)
            }
            return try await self.fetchItems("SELECT \(unescaped: Self.itemColumns) FROM items ORDER BY id LIMIT \(limit)", on: connection)
        }
    }

    /// A scan of the lowercased search text with `LIKE` (wildcards in `text` escaped), by id,
    /// starting after the id `after` (keyset paging on the primary key).
    public func searchItems(_ text: String, after: ItemID?, limit: Int) async throws -> [ItemRecord] {
        try StoreError.checkLimit(limit, store: description, operation: "search items")
        if limit == 0 { return [] }
        let pattern = RecordCoding.likePattern(text)
        return try await withConnection("search items", id: text) { connection in
            if let after {
                return try await self.fetchItems(
                    """
                    SELECT \(unescaped: Self.itemColumns) FROM items WHERE search_text LIKE \(pattern) ESCAPE '\\'
                    AND id > \(after) ORDER BY id LIMIT \(limit)
                    """, on: connection)
            }
            return try await self.fetchItems(
                """
                SELECT \(unescaped: Self.itemColumns) FROM items WHERE search_text LIKE \(pattern) ESCAPE '\\'
                ORDER BY id LIMIT \(limit)
                """, on: connection)
        }
    }

    public func itemCount() async throws -> Int {
        try await withConnection("item count") { connection in
            try await Self.fetchInt("SELECT count(*) FROM items", on: connection)
        }
    }

    public func upsert(_ user: UserRecord) async throws {
        try await withConnection("upsert user", id: user.id) { connection in
            let attributes = RecordCoding.json(user.attributes)
            _ = try await connection.query("""
                INSERT INTO users (id, attributes) VALUES (\(user.id), \(attributes)::jsonb)
                ON CONFLICT (id) DO UPDATE SET attributes = EXCLUDED.attributes
                """, logger: Self.logger)
        }
    }

    public func upsert(_ users: [UserRecord]) async throws {
        if users.isEmpty { return }
        try await withTransaction("upsert users") { connection in
            for user in users {
                let attributes = RecordCoding.json(user.attributes)
                _ = try await connection.query("""
                    INSERT INTO users (id, attributes) VALUES (\(user.id), \(attributes)::jsonb)
                    ON CONFLICT (id) DO UPDATE SET attributes = EXCLUDED.attributes
                    """, logger: Self.logger)
            }
        }
    }

    public func user(_ id: UserID) async throws -> UserRecord? {
        try await withConnection("user", id: id) { connection in
            let rows = try await connection.query("SELECT attributes::text FROM users WHERE id = \(id)", logger: Self.logger)
            for try await text in rows.decode(String.self) {
                let attributes = try RecordCoding.decode(
                    [String: String].self, from: text, store: self.description, table: "users", id: id, field: "attributes")
                return UserRecord(id: id, attributes: attributes)
            }
            return nil
        }
    }

    /// User records by id in byte order (the id column is `COLLATE "C"`).
    public func users(after id: UserID?, limit: Int) async throws -> [UserRecord] {
        try StoreError.checkLimit(limit, store: description, operation: "users after")
        if limit == 0 { return [] }
        return try await withConnection("users after", id: id) { connection in
            let rows = if let id {
                try await connection.query("SELECT id, attributes::text FROM users WHERE id > \(id) ORDER BY id LIMIT \(limit)", logger: Self.logger)
            } else {
                try await connection.query("SELECT id, attributes::text FROM users ORDER BY id LIMIT \(limit)", logger: Self.logger)
            }
            var users: [UserRecord] = []
            for try await (user, text) in rows.decode((String, String).self) {
                let attributes = try RecordCoding.decode(
                    [String: String].self, from: text, store: self.description, table: "users", id: user, field: "attributes")
                users.append(UserRecord(id: user, attributes: attributes))
            }
            return users
        }
    }

    /// Deletes the user's events, impressions and record in one transaction, and remembers the
    /// user as forgotten at the highest sequence stored before the deletion.
    public func deleteUser(_ id: UserID) async throws -> Int {
        try await withTransaction("delete user", id: id) { connection in
            try await connection.query("""
                INSERT INTO forgotten_users (user_id, sequence) SELECT \(id), coalesce(max(sequence), 0) FROM events
                ON CONFLICT (user_id) DO UPDATE SET sequence = EXCLUDED.sequence
                """, logger: Self.logger)
            let removed = try await Self.fetchInt(
                "WITH removed AS (DELETE FROM events WHERE user_id = \(id) RETURNING 1) SELECT count(*) FROM removed",
                on: connection)
            try await connection.query("DELETE FROM impressions WHERE user_id = \(id)", logger: Self.logger)
            try await connection.query("DELETE FROM users WHERE id = \(id)", logger: Self.logger)
            return removed
        }
    }

    /// Decodes the rows of a `SELECT \(itemColumns)` query.
    func fetchItems(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [ItemRecord] {
        var items: [ItemRecord] = []
        let rows = try await connection.query(query, logger: Self.logger)
        for try await (id, title, category, brand, price, tags, createdAt, available, attributes)
            in rows.decode((String, String?, String?, String?, Double?, String, Int64?, Bool, String).self) {
            items.append(ItemRecord(
                id: id, title: title, category: category, brand: brand, price: price,
                tags: try RecordCoding.decode([String].self, from: tags, store: description, table: "items", id: id, field: "tags"),
                createdAt: createdAt, available: available,
                attributes: try RecordCoding.decode(
                    [String: String].self, from: attributes, store: description, table: "items", id: id, field: "attributes")))
        }
        return items
    }
}
