import Foundation
import Testing
@testable import TacitHTTP
import TacitTestSupport

@Suite("OpenAPI document")
struct OpenAPIRoutesTests {
    /// "METHOD /path" for every operation of the served document.
    static func documentedOperations() -> Set<String> {
        var operations = Set<String>()
        var path: String?
        var inPaths = false
        for line in OpenAPIDocument.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(key)) { operations.insert("\(key.uppercased()) \(path)") }
            }
        }
        return operations
    }

    @Test("every documented operation is a route, and every route is documented")
    func documentMatchesRoutes() async throws {
        let service = try await ServiceFixture.service()
        defer { Task { await service.shutdown() } }
        let router = ServiceRoutes(service: service, apiKey: nil).router()
        // HEAD is answered for every GET route and documented with it.
        let routes = Set(router.routes.filter { $0.method != .head }.map { "\($0.method.rawValue) \($0.path.description)" })
        let heads = Set(router.routes.filter { $0.method == .head }.map(\.path.description))
        #expect(heads == Set(router.routes.filter { $0.method == .get }.map(\.path.description)))
        let documented = Self.documentedOperations()
        #expect(documented.count >= 17)
        #expect(documented == routes, "only documented: \(documented.subtracting(routes).sorted()); only routed: \(routes.subtracting(documented).sorted())")
    }

    @Test("the document is served as YAML")
    func served() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let reply = try await server.get("/openapi.yaml")
        #expect(reply.status == 200)
        #expect(reply.text.hasPrefix("openapi: 3.0.3"))
    }
}
