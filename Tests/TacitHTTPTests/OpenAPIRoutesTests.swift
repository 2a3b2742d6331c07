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

    /// Lines of the document where a YAML parser would read something else than meant: a plain
    /// (unquoted) value holding `": "` or `" #"` (a parse error or a comment), or, inside a flow
    /// mapping, an unquoted description with a comma (YAML splits it into a new key). The full
    /// check is `scripts/fuzz.sh`, which parses and validates the served document for real.
    static func yamlTraps(_ yaml: String) -> [String] {
        var traps: [String] = []
        var blockIndent: Int?  // inside a block scalar (`key: |`) indented deeper than this
        for (number, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix(while: { $0 == " " }).count
            if let block = blockIndent {
                if line.allSatisfy({ $0 == " " }) || indent > block { continue }
                blockIndent = nil
            }
            if line.hasSuffix(": |") || line.hasSuffix(": >") { blockIndent = indent; continue }
            var text = Substring(line.dropFirst(indent))
            if text.hasPrefix("- ") { text = text.dropFirst(2) }
            if let colon = text.range(of: ": "), let first = text.first, !"'\"{[".contains(first) {
                let value = text[colon.upperBound...]
                let plain = !value.isEmpty && !"'\"{[|>&*".contains(value.first!)
                if plain, value.contains(": ") || value.contains(" #") { traps.append("line \(number + 1): \(line)") }
            }
            // Flow mappings: an unquoted description runs to the next ',' or '}'; what follows a
            // ',' must be another key.
            var rest = Substring(line)
            while let found = rest.range(of: "description: ") {
                let value = rest[found.upperBound...]
                rest = value
                guard let first = value.first, first != "'", first != "\"", line.contains("{") else { continue }
                guard let comma = value.firstIndex(of: ","), value[..<comma].firstIndex(of: "}") == nil else { continue }
                let next = value[value.index(after: comma)...].drop(while: { $0 == " " })
                let key = next.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" || $0 == "{" })
                if !next.dropFirst(key.count).hasPrefix(":") { traps.append("line \(number + 1): \(line)") }
            }
        }
        return traps
    }

    @Test("the document has none of the YAML traps that made it invalid")
    func noYAMLTraps() {
        #expect(Self.yamlTraps(OpenAPIDocument.yaml) == [])
        // The lint finds the two mistakes it exists for.
        #expect(Self.yamlTraps("      summary: Record one event ({\"events\": [...]}); durable").count == 1)
        #expect(Self.yamlTraps("      user: {type: object, description: the record (attributes), null when none}").count == 1)
        #expect(Self.yamlTraps("      count: {name: count, description: how many items, schema: {type: integer}}").isEmpty)
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
