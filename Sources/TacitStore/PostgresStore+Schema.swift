import PostgresNIO

extension PostgresStore {
    /// The tables, as SQLite's (``SQLiteStore/migrator``) in PostgreSQL types.
    ///
    /// Ids are `TEXT COLLATE "C"` so ``items(after:limit:)`` pages in byte order whatever the
    /// database's locale; lists and maps are `JSONB`; `events.sequence` is a `BIGSERIAL`, never
    /// reused.
    static let schemaStatements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS events (
            sequence BIGSERIAL PRIMARY KEY,
            event_id TEXT COLLATE "C" UNIQUE,
            user_id TEXT COLLATE "C" NOT NULL,
            item_id TEXT COLLATE "C" NOT NULL,
            kind TEXT NOT NULL,
            timestamp BIGINT NOT NULL,
            value DOUBLE PRECISION,
            recommendation_id TEXT
        )
        """,
        "CREATE INDEX IF NOT EXISTS events_user ON events (user_id, sequence)",
        """
        CREATE TABLE IF NOT EXISTS items (
            id TEXT COLLATE "C" PRIMARY KEY,
            title TEXT,
            category TEXT,
            brand TEXT,
            price DOUBLE PRECISION,
            tags JSONB NOT NULL DEFAULT '[]',
            created_at BIGINT,
            available BOOLEAN NOT NULL DEFAULT TRUE,
            attributes JSONB NOT NULL DEFAULT '{}',
            search_text TEXT NOT NULL DEFAULT ''
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS users (
            id TEXT COLLATE "C" PRIMARY KEY,
            attributes JSONB NOT NULL DEFAULT '{}'
        )
        """,
        // A table of the first schema (one row per shown item) is converted to one row per response.
        """
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = current_schema() AND table_name = 'impressions' AND column_name = 'item_id') THEN
                ALTER TABLE impressions RENAME TO impressions_per_item;
                ALTER INDEX IF EXISTS impressions_recommendation RENAME TO impressions_per_item_recommendation;
                ALTER INDEX IF EXISTS impressions_user RENAME TO impressions_per_item_user;
            END IF;
        END $$
        """,
        """
        CREATE TABLE IF NOT EXISTS impressions (
            recommendation_id TEXT COLLATE "C" PRIMARY KEY,
            user_id TEXT COLLATE "C" NOT NULL,
            scene TEXT NOT NULL,
            model TEXT NOT NULL,
            items JSONB NOT NULL DEFAULT '[]',
            timestamp BIGINT NOT NULL,
            experiment TEXT,
            variant TEXT,
            propensity DOUBLE PRECISION
        )
        """,
        "CREATE INDEX IF NOT EXISTS impressions_user ON impressions (user_id, timestamp)",
        "CREATE INDEX IF NOT EXISTS impressions_experiment ON impressions (experiment, recommendation_id)",
        """
        CREATE TABLE IF NOT EXISTS forgotten_users (
            user_id TEXT COLLATE "C" PRIMARY KEY,
            sequence BIGINT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS events_timestamp ON events (timestamp)",
        "CREATE INDEX IF NOT EXISTS impressions_timestamp ON impressions (timestamp)",
        "CREATE INDEX IF NOT EXISTS events_recommendation ON events (recommendation_id) WHERE recommendation_id IS NOT NULL",
        """
        DO $$ BEGIN
            IF to_regclass('impressions_per_item') IS NOT NULL THEN
                INSERT INTO impressions (recommendation_id, user_id, scene, model, items, timestamp)
                    SELECT recommendation_id, min(user_id), min(scene), min(model),
                           jsonb_agg(item_id ORDER BY position, id), min(timestamp)
                    FROM impressions_per_item GROUP BY recommendation_id
                    ON CONFLICT (recommendation_id) DO NOTHING;
                DROP TABLE impressions_per_item;
            END IF;
        END $$
        """,
        """
        CREATE TABLE IF NOT EXISTS model_versions (
            version BIGINT NOT NULL,
            model TEXT NOT NULL,
            parameters JSONB NOT NULL DEFAULT '{}',
            path TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            last_sequence BIGINT NOT NULL,
            first_event_time BIGINT,
            last_event_time BIGINT,
            events BIGINT NOT NULL,
            users BIGINT NOT NULL,
            items BIGINT NOT NULL,
            fit_seconds DOUBLE PRECISION NOT NULL,
            metrics JSONB NOT NULL DEFAULT '{}',
            PRIMARY KEY (model, version)
        )
        """,
        // Each model numbers its own versions: a table of the first schema (keyed by version
        // alone) is re-keyed by (model, version); rows keep their numbers.
        """
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM information_schema.key_column_usage
                           WHERE table_schema = current_schema() AND table_name = 'model_versions'
                             AND constraint_name = 'model_versions_pkey' AND column_name = 'model') THEN
                ALTER TABLE model_versions DROP CONSTRAINT model_versions_pkey;
                ALTER TABLE model_versions ADD PRIMARY KEY (model, version);
            END IF;
        END $$
        """,
    ]

    /// Creates `schema` (when given) and the tables, in one transaction holding an advisory lock
    /// (concurrent `CREATE TABLE IF NOT EXISTS` of one table can otherwise fail).
    static func createSchema(on connection: PostgresConnection, schema: String?) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('tacit.schema'))", logger: logger)
            if let schema {
                // `schema` is a checked identifier (PostgresLocation.isIdentifier).
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            }
            for statement in schemaStatements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// Taken (shared) by every insert transaction into this schema's `events` table until it ends.
    static let insertLockSQL = "SELECT pg_advisory_xact_lock_shared(hashtext('tacit.events.' || current_schema()))"
    /// Taken (exclusive) by a reader that needs a gap-free prefix of the sequence: it waits for the
    /// inserts in flight to end and holds new ones back until its transaction ends.
    static let horizonLockSQL = "SELECT pg_advisory_xact_lock(hashtext('tacit.events.' || current_schema()))"
}

extension PostgresStore {
    /// Drops the URL's schema with every table in it (tests use one schema each, then drop it).
    /// Does nothing when the URL names no schema: the `public` tables are never dropped.
    func dropSchema() async throws {
        guard let schema = location.schema else { return }
        try await withConnection("drop schema", id: schema) { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: Self.logger)
        }
    }
}
