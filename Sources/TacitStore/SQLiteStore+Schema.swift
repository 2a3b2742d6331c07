import GRDB

extension SQLiteStore {
    /// The schema, one migration per released change (never edit a shipped migration).
    ///
    /// - `events.sequence` is `AUTOINCREMENT`, so a sequence is never reused, even after the
    ///   newest events were deleted (``deleteUser(_:)``).
    /// - `items.search_text` is the lowercased text item search runs over (``RecordCoding/searchText(of:)``).
    /// - Lists and maps are JSON text.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT UNIQUE,
                    user_id TEXT NOT NULL,
                    item_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    timestamp INTEGER NOT NULL,
                    value REAL,
                    recommendation_id TEXT
                );
                CREATE INDEX events_user ON events (user_id, sequence);

                CREATE TABLE items (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT,
                    category TEXT,
                    brand TEXT,
                    price REAL,
                    tags TEXT NOT NULL DEFAULT '[]',
                    created_at INTEGER,
                    available INTEGER NOT NULL DEFAULT 1,
                    attributes TEXT NOT NULL DEFAULT '{}',
                    search_text TEXT NOT NULL DEFAULT ''
                );

                CREATE TABLE users (
                    id TEXT PRIMARY KEY NOT NULL,
                    attributes TEXT NOT NULL DEFAULT '{}'
                );

                CREATE TABLE impressions (
                    id INTEGER PRIMARY KEY,
                    recommendation_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    item_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    scene TEXT NOT NULL,
                    model TEXT NOT NULL,
                    timestamp INTEGER NOT NULL
                );
                CREATE INDEX impressions_recommendation ON impressions (recommendation_id);
                CREATE INDEX impressions_user ON impressions (user_id);

                CREATE TABLE model_versions (
                    version INTEGER PRIMARY KEY NOT NULL,
                    model TEXT NOT NULL,
                    parameters TEXT NOT NULL DEFAULT '{}',
                    path TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_sequence INTEGER NOT NULL,
                    first_event_time INTEGER,
                    last_event_time INTEGER,
                    events INTEGER NOT NULL,
                    users INTEGER NOT NULL,
                    items INTEGER NOT NULL,
                    fit_seconds REAL NOT NULL,
                    metrics TEXT NOT NULL DEFAULT '{}'
                );
                """)
        }
        // One impression row per response (the items as a JSON list) instead of one per item:
        // a response costs one insert. Experiment, variant and propensity for experiments.
        migrator.registerMigration("v2-impression-lists") { db in
            try db.execute(sql: """
                CREATE TABLE impression_lists (
                    recommendation_id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL,
                    scene TEXT NOT NULL,
                    model TEXT NOT NULL,
                    items TEXT NOT NULL DEFAULT '[]',
                    timestamp INTEGER NOT NULL,
                    experiment TEXT,
                    variant TEXT,
                    propensity REAL
                ) WITHOUT ROWID;
                INSERT INTO impression_lists (recommendation_id, user_id, scene, model, items, timestamp)
                    SELECT recommendation_id, min(user_id), min(scene), min(model), json_group_array(item_id), min(timestamp)
                    FROM (SELECT * FROM impressions ORDER BY recommendation_id, position, id)
                    GROUP BY recommendation_id;
                DROP TABLE impressions;
                ALTER TABLE impression_lists RENAME TO impressions;
                CREATE INDEX impressions_user ON impressions (user_id, timestamp);
                """)
        }
        // Experiment reports page through one experiment's impressions and join their events.
        migrator.registerMigration("v3-experiment-indexes") { db in
            try db.execute(sql: """
                CREATE INDEX impressions_experiment ON impressions (experiment, recommendation_id);
                CREATE INDEX events_recommendation ON events (recommendation_id) WHERE recommendation_id IS NOT NULL;
                """)
        }
        // Each model numbers its own versions (the service trains the models of experiment
        // variants beside its main one): the key becomes (model, version). Rows keep their numbers.
        migrator.registerMigration("v4-model-version-keys") { db in
            try db.execute(sql: """
                CREATE TABLE model_versions_keyed (
                    model TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    parameters TEXT NOT NULL DEFAULT '{}',
                    path TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_sequence INTEGER NOT NULL,
                    first_event_time INTEGER,
                    last_event_time INTEGER,
                    events INTEGER NOT NULL,
                    users INTEGER NOT NULL,
                    items INTEGER NOT NULL,
                    fit_seconds REAL NOT NULL,
                    metrics TEXT NOT NULL DEFAULT '{}',
                    PRIMARY KEY (model, version)
                ) WITHOUT ROWID;
                INSERT INTO model_versions_keyed (model, version, parameters, path, created_at, last_sequence,
                        first_event_time, last_event_time, events, users, items, fit_seconds, metrics)
                    SELECT model, version, parameters, path, created_at, last_sequence,
                        first_event_time, last_event_time, events, users, items, fit_seconds, metrics
                    FROM model_versions;
                DROP TABLE model_versions;
                ALTER TABLE model_versions_keyed RENAME TO model_versions;
                """)
        }
        // Users deleted since the served models were trained (their vectors must not serve), and
        // retention's scan by time.
        migrator.registerMigration("v5-privacy") { db in
            try db.execute(sql: """
                CREATE TABLE forgotten_users (
                    user_id TEXT PRIMARY KEY NOT NULL,
                    sequence INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX events_timestamp ON events (timestamp);
                CREATE INDEX impressions_timestamp ON impressions (timestamp);
                """)
        }
        return migrator
    }()
}
