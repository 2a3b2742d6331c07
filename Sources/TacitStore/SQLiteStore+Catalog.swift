import GRDB
import TacitCore

extension SQLiteStore {
    static let itemColumns = "id, title, category, brand, price, tags, created_at, available, attributes"

    public func upsert(_ items: [ItemRecord]) async throws {
        if items.isEmpty { return }
        try await write("upsert items") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO items (\(Self.itemColumns), search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for item in items {
                statement.setUncheckedArguments([
                    item.id, item.title, item.category, item.brand, item.price, RecordCoding.json(item.tags),
                    item.createdAt, item.available, RecordCoding.json(item.attributes), RecordCoding.searchText(of: item),
                ])
                try statement.execute()
            }
        }
    }

    public func item(_ id: ItemID) async throws -> ItemRecord? {
        try await read("item", id: id) { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.itemColumns) FROM items WHERE id = ?")
            return try self.fetchItems(statement, [id]).first
        }
    }

    /// Items by id in byte order (SQLite's default `BINARY` collation compares UTF-8 bytes).
    public func items(after id: ItemID?, limit: Int) async throws -> [ItemRecord] {
        try StoreError.checkLimit(limit, store: description, operation: "items after")
        if limit == 0 { return [] }
        return try await read("items after", id: id) { db in
            if let id {
                let statement = try db.cachedStatement(sql: "SELECT \(Self.itemColumns) FROM items WHERE id > ? ORDER BY id LIMIT ?")
                return try self.fetchItems(statement, [id, limit])
            }
            let statement = try db.cachedStatement(sql: "SELECT \(Self.itemColumns) FROM items ORDER BY id LIMIT ?")
            return try self.fetchItems(statement, [limit])
        }
    }

    /// A scan of the lowercased search text with `LIKE` (wildcards in `text` escaped), by id,
    /// starting after the id `after` (keyset paging on the primary key).
    public func searchItems(_ text: String, after: ItemID?, limit: Int) async throws -> [ItemRecord] {
        try StoreError.checkLimit(limit, store: description, operation: "search items")
        if limit == 0 { return [] }
        return try await read("search items", id: text) { db in
            if let after {
                let statement = try db.cachedStatement(sql: """
                    SELECT \(Self.itemColumns) FROM items WHERE search_text LIKE ? ESCAPE '\\' AND id > ? ORDER BY id LIMIT ?
                    """)
                return try self.fetchItems(statement, [RecordCoding.likePattern(text), after, limit])
            }
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.itemColumns) FROM items WHERE search_text LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?
                """)
            return try self.fetchItems(statement, [RecordCoding.likePattern(text), limit])
        }
    }

    public func itemCount() async throws -> Int {
        try await read("item count") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0 }
    }

    public func upsert(_ user: UserRecord) async throws {
        try await write("upsert user", id: user.id) { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO users (id, attributes) VALUES (?, ?)",
                arguments: [user.id, RecordCoding.json(user.attributes)])
        }
    }

    public func upsert(_ users: [UserRecord]) async throws {
        if users.isEmpty { return }
        try await write("upsert users") { db in
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO users (id, attributes) VALUES (?, ?)")
            for user in users {
                statement.setUncheckedArguments([user.id, RecordCoding.json(user.attributes)])
                try statement.execute()
            }
        }
    }

    public func user(_ id: UserID) async throws -> UserRecord? {
        try await read("user", id: id) { db in
            guard let text = try String.fetchOne(db, sql: "SELECT attributes FROM users WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let attributes = try RecordCoding.decode(
                [String: String].self, from: text, store: self.description, table: "users", id: id, field: "attributes")
            return UserRecord(id: id, attributes: attributes)
        }
    }

    /// User records by id in byte order.
    public func users(after id: UserID?, limit: Int) async throws -> [UserRecord] {
        try StoreError.checkLimit(limit, store: description, operation: "users after")
        if limit == 0 { return [] }
        return try await read("users after", id: id) { db in
            let rows = if let id {
                try Row.fetchAll(db, sql: "SELECT id, attributes FROM users WHERE id > ? ORDER BY id LIMIT ?", arguments: [id, limit])
            } else {
                try Row.fetchAll(db, sql: "SELECT id, attributes FROM users ORDER BY id LIMIT ?", arguments: [limit])
            }
            return try rows.map { row in
                let user: String = row["id"], text: String = row["attributes"]
                let attributes = try RecordCoding.decode(
                    [String: String].self, from: text, store: self.description, table: "users", id: user, field: "attributes")
                return UserRecord(id: user, attributes: attributes)
            }
        }
    }

    /// Deletes the user's events, impressions and record in one transaction, and remembers the
    /// user as forgotten at the highest sequence ever assigned.
    public func deleteUser(_ id: UserID) async throws -> Int {
        try await write("delete user", id: id) { db in
            let sequence = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'events'") ?? 0
            try db.execute(sql: "INSERT OR REPLACE INTO forgotten_users (user_id, sequence) VALUES (?, ?)", arguments: [id, sequence])
            try db.execute(sql: "DELETE FROM events WHERE user_id = ?", arguments: [id])
            let removed = db.changesCount
            try db.execute(sql: "DELETE FROM impressions WHERE user_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
            return removed
        }
    }

    /// Decodes the rows of a `SELECT \(itemColumns)` statement.
    func fetchItems(_ statement: Statement, _ arguments: StatementArguments) throws -> [ItemRecord] {
        var items: [ItemRecord] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            let id: String = row[0]
            let tags = try RecordCoding.decode(
                [String].self, from: row[5], store: description, table: "items", id: id, field: "tags")
            let attributes = try RecordCoding.decode(
                [String: String].self, from: row[8], store: description, table: "items", id: id, field: "attributes")
            items.append(ItemRecord(
                id: id, title: row[1], category: row[2], brand: row[3], price: row[4], tags: tags,
                createdAt: row[6], available: row[7], attributes: attributes))
        }
        return items
    }
}
