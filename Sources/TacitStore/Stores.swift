import Foundation

/// Opens the store a location string names: the one entry point the CLI and the server use.
public enum Stores {
    /// Opens `location`: a `postgres://` or `postgresql://` URL gives a ``PostgresStore``;
    /// anything else is a file path and gives a ``SQLiteStore`` (a `sqlite:` prefix is allowed and
    /// dropped; `~` expands to the home directory; a missing parent directory is created).
    ///
    /// `options` sets PostgreSQL's timeouts and SQLite's durability (each store reads its own).
    /// Throws ``StoreError`` naming the location when it is malformed or cannot be opened.
    public static func open(_ location: String, options: StoreOptions = StoreOptions()) async throws -> any EventStore {
        if PostgresLocation.isPostgresURL(location) {
            return try await PostgresStore(url: location, options: options)
        }
        let path = sqlitePath(location)
        guard !path.isEmpty else { throw StoreError.invalidLocation(location, reason: "empty path") }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && !FileManager.default.fileExists(atPath: parent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotOpen("sqlite:\(path)", reason: "cannot create directory \(parent): \(error.localizedDescription)", underlying: error)
            }
        }
        var configuration = SQLiteStore.Configuration()
        configuration.durability = options.durability
        return try SQLiteStore(path: path, configuration: configuration)
    }

    /// The file path of a SQLite location (`sqlite:` prefix dropped, `~` expanded).
    static func sqlitePath(_ location: String) -> String {
        var path = location
        if path.hasPrefix("sqlite://") {
            path.removeFirst("sqlite://".count)
        } else if path.hasPrefix("sqlite:") {
            path.removeFirst("sqlite:".count)
        }
        return (path as NSString).expandingTildeInPath
    }
}
