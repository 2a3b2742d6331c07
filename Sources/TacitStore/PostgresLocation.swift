import Foundation
import PostgresNIO

/// A parsed `postgres://` URL: where the server is, who connects, and the store's options.
///
/// Accepted forms (as libpq reads them, for the parts Tacit supports):
/// - `postgres://user:password@host:port/database` (TCP; port 5432 when omitted),
/// - `postgres:///database?host=/run/postgresql` (unix socket: a `host` that is a directory path;
///   the socket is `<dir>/.s.PGSQL.<port>`); `postgres://%2Frun%2Fpostgresql/database` too,
/// - `postgres:///database` with no host: the unix socket in `/var/run/postgresql` (libpq's
///   default on Debian and Ubuntu).
///
/// Query parameters: `host`, `port`, `user`, `password`, `dbname` (override the URL's parts),
/// `sslmode` (`disable`, `allow` or `prefer`: Tacit connects without TLS, so `require` and
/// `verify-*` are refused rather than silently downgraded), `connect_timeout` (seconds; overrides
/// ``StoreOptions/connectTimeout``, default 3),
/// `schema` (a schema the store creates and uses instead of `public`), `pool_max` (most pooled
/// connections, default 16) and `application_name`. Any other parameter is an error, so a typo
/// does not go unnoticed. The user defaults to `$USER`, the database to the user.
struct PostgresLocation: Sendable, Equatable {
    enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(directory: String, port: Int)

        /// The socket file libpq would use.
        var socketPath: String? {
            if case let .unixSocket(directory, port) = self { return "\(directory)/.s.PGSQL.\(port)" }
            return nil
        }
    }

    var endpoint: Endpoint
    var user: String
    var password: String?
    var database: String
    var schema: String?
    /// The URL's `connect_timeout`, when it has one (it then wins over ``StoreOptions/connectTimeout``).
    var connectTimeoutSeconds: Int?
    var maximumConnections: Int = 16
    var applicationName: String = "tacit"

    static let schemes: Set<String> = ["postgres", "postgresql"]
    static let parameters: Set<String> = [
        "host", "port", "user", "password", "dbname", "sslmode", "connect_timeout", "schema", "pool_max", "application_name",
    ]

    /// Whether `location` is a PostgreSQL URL (by its scheme).
    static func isPostgresURL(_ location: String) -> Bool {
        guard let colon = location.firstIndex(of: ":") else { return false }
        return schemes.contains(location[..<colon].lowercased()) && location[colon...].hasPrefix("://")
    }

    /// Parses `url`, throwing ``StoreError/invalidLocation(_:reason:)`` for anything unsupported.
    init(url: String) throws {
        func invalid(_ reason: String) -> StoreError { .invalidLocation(Self.redacted(url), reason: reason) }
        guard Self.isPostgresURL(url), let components = URLComponents(string: url) else {
            throw invalid("not a postgres:// URL")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard Self.parameters.contains(item.name) else {
                throw invalid("unknown parameter '\(item.name)' (known: \(Self.parameters.sorted().joined(separator: ", ")))")
            }
            query[item.name] = item.value ?? ""
        }
        user = query["user"] ?? components.percentEncodedUser?.removingPercentEncoding
            ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = query["password"] ?? components.percentEncodedPassword?.removingPercentEncoding
        let path = components.percentEncodedPath.removingPercentEncoding ?? components.path
        let pathDatabase = path.hasPrefix("/") ? String(path.dropFirst()) : path
        database = query["dbname"] ?? (pathDatabase.isEmpty ? user : pathDatabase)
        guard !database.contains("/") else { throw invalid("database name '\(database)' contains '/'") }

        let port: Int
        if let text = query["port"] {
            guard let value = Int(text), (1...65535).contains(value) else { throw invalid("port '\(text)' is not 1...65535") }
            port = value
        } else {
            port = components.port ?? 5432
        }
        var host = query["host"] ?? components.percentEncodedHost?.removingPercentEncoding ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty {
            endpoint = .unixSocket(directory: "/var/run/postgresql", port: port)
        } else if host.hasPrefix("/") {
            endpoint = .unixSocket(directory: host.count > 1 && host.hasSuffix("/") ? String(host.dropLast()) : host, port: port)
        } else {
            endpoint = .tcp(host: host, port: port)
        }

        switch query["sslmode"] ?? "disable" {
        case "disable", "allow", "prefer": break
        case let mode: throw invalid("sslmode=\(mode) needs TLS, which Tacit's PostgreSQL store does not use")
        }
        if let text = query["connect_timeout"] {
            guard let value = Int(text), value > 0 else { throw invalid("connect_timeout '\(text)' is not a positive number of seconds") }
            connectTimeoutSeconds = value
        }
        if let text = query["pool_max"] {
            guard let value = Int(text), value > 0 else { throw invalid("pool_max '\(text)' is not a positive number") }
            maximumConnections = value
        }
        if let name = query["schema"] {
            guard Self.isIdentifier(name) else {
                throw invalid("schema '\(name)' is not a plain identifier (lowercase letters, digits and _, not starting with a digit)")
            }
            schema = name
        }
        if let name = query["application_name"] { applicationName = name }
    }

    /// `postgres://user@host:port/db` without the password, plus the schema when one is set.
    var description: String {
        var text: String
        switch endpoint {
        case let .tcp(host, port):
            text = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case let .unixSocket(directory, port):
            text = "postgres://\(user)@/\(database)?host=\(directory)&port=\(port)"
        }
        if let schema { text += (text.contains("?") ? "&" : "?") + "schema=\(schema)" }
        return text
    }

    /// The connect timeout: the URL's `connect_timeout` when given, else the options'.
    func connectTimeout(_ options: StoreOptions) -> Duration {
        connectTimeoutSeconds.map { .seconds($0) } ?? options.connectTimeout
    }

    /// Startup parameters: the application name, with a schema `search_path`, and the options'
    /// query timeout as `statement_timeout` (so the server, too, ends a statement past it and
    /// releases its locks).
    func startupParameters(_ options: StoreOptions) -> [(String, String)] {
        var parameters = [("application_name", applicationName)]
        if let schema { parameters.append(("search_path", schema)) }
        let milliseconds = StoreOptions.milliseconds(options.queryTimeout)
        if milliseconds > 0 { parameters.append(("statement_timeout", "\(milliseconds)")) }
        return parameters
    }

    /// The configuration of one connection (used to create the schema before the pool starts).
    func connectionConfiguration(_ options: StoreOptions) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case let .tcp(host, port):
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        case .unixSocket:
            configuration = .init(unixSocketPath: endpoint.socketPath!, username: user, password: password, database: database)
        }
        configuration.options.connectTimeout = .milliseconds(StoreOptions.milliseconds(connectTimeout(options)))
        configuration.options.additionalStartupParameters = startupParameters(options)
        return configuration
    }

    /// The configuration of the pooled client.
    func clientConfiguration(_ options: StoreOptions) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case let .tcp(host, port):
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        case .unixSocket:
            configuration = .init(unixSocketPath: endpoint.socketPath!, username: user, password: password, database: database)
        }
        configuration.options.connectTimeout = connectTimeout(options)
        configuration.options.additionalStartupParameters = startupParameters(options)
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }

    /// A plain SQL identifier that needs no quoting: `[a-z_][a-z0-9_]*`, at most 63 bytes.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let digits = CharacterSet(charactersIn: "0123456789")
        return letters.contains(first) && name.unicodeScalars.allSatisfy { letters.contains($0) || digits.contains($0) }
    }

    /// `url` with its password replaced by `***` (for error messages).
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        if components.password != nil { components.password = "***" }
        if let items = components.queryItems, items.contains(where: { $0.name == "password" }) {
            components.queryItems = items.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        }
        return components.string ?? url
    }
}
