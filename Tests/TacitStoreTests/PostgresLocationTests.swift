import Testing
@testable import TacitStore

/// Parsing of `postgres://` URLs (no server needed).
@Suite struct PostgresLocationTests {
    @Test func aFullTCPURL() throws {
        let location = try PostgresLocation(url: "postgres://tacit:p%40ss@db.example.com:6543/shop")
        #expect(location.endpoint == .tcp(host: "db.example.com", port: 6543))
        #expect(location.user == "tacit")
        #expect(location.password == "p@ss")
        #expect(location.database == "shop")
        #expect(location.schema == nil)
        #expect(location.description == "postgres://tacit@db.example.com:6543/shop")
    }

    @Test func defaultsPortAndAcceptsThePostgresqlScheme() throws {
        let location = try PostgresLocation(url: "postgresql://me@localhost/db")
        #expect(location.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(location.password == nil)
        #expect(PostgresLocation.isPostgresURL("POSTGRES://x/y"))
        #expect(!PostgresLocation.isPostgresURL("/var/lib/postgres/x.db"))
        #expect(!PostgresLocation.isPostgresURL("postgres.db"))
        #expect(!PostgresLocation.isPostgresURL("postgres:x"))
    }

    @Test func aHostQueryParameterThatIsAPathIsAUnixSocketDirectory() throws {
        let location = try PostgresLocation(url: "postgres:///tacit?host=/run/postgresql&user=svc")
        #expect(location.endpoint == .unixSocket(directory: "/run/postgresql", port: 5432))
        #expect(location.endpoint.socketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(location.user == "svc")
        #expect(location.database == "tacit")
        let encoded = try PostgresLocation(url: "postgres://u@%2Ftmp%2Fpg:5433/d")
        #expect(encoded.endpoint == .unixSocket(directory: "/tmp/pg", port: 5433))
        let withPort = try PostgresLocation(url: "postgres:///d?host=/tmp/pg/&port=6000")
        #expect(withPort.endpoint.socketPath == "/tmp/pg/.s.PGSQL.6000")
        let noHost = try PostgresLocation(url: "postgres://u@/d")
        #expect(noHost.endpoint == .unixSocket(directory: "/var/run/postgresql", port: 5432))
    }

    @Test func optionsAreParsed() throws {
        let location = try PostgresLocation(
            url: "postgres://u@h/d?sslmode=disable&connect_timeout=3&schema=tenant_7&pool_max=4&application_name=api")
        #expect(location.connectTimeoutSeconds == 3)
        #expect(location.schema == "tenant_7")
        #expect(location.maximumConnections == 4)
        #expect(location.applicationName == "api")
        #expect(location.startupParameters(StoreOptions()).map(\.0) == ["application_name", "search_path", "statement_timeout"])
        #expect(location.description == "postgres://u@h:5432/d?schema=tenant_7")
    }

    @Test func ipv6Hosts() throws {
        let location = try PostgresLocation(url: "postgres://u@[::1]:5433/d")
        #expect(location.endpoint == .tcp(host: "::1", port: 5433))
        #expect(location.description == "postgres://u@[::1]:5433/d")
    }

    @Test(arguments: [
        "postgres://u@h/d?sslmode=require",
        "postgres://u@h/d?sslmode=verify-full",
        "postgres://u@h/d?colour=blue",
        "postgres://u@h/d?schema=Bad-Name",
        "postgres://u@h/d?schema=1abc",
        "postgres://u@h/d?port=99999",
        "postgres://u@h/d?connect_timeout=0",
        "postgres://u@h/d?pool_max=none",
        "mysql://u@h/d",
    ])
    func unsupportedURLsAreInvalidLocations(_ url: String) {
        do {
            _ = try PostgresLocation(url: url)
            Issue.record("accepted \(url)")
        } catch let error as StoreError {
            #expect(error.code == .invalidLocation, "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func errorsNeverShowThePassword() {
        do {
            _ = try PostgresLocation(url: "postgres://u:hunter2@h/d?sslmode=require")
        } catch {
            #expect(!"\(error)".contains("hunter2"), "\(error)")
        }
        #expect(!PostgresLocation.redacted("postgres://h/d?password=hunter2").contains("hunter2"))
    }
}
