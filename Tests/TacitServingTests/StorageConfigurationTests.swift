import Foundation
import Testing
import TacitCore
import TacitServing
import TacitStore

/// The `storage` section of the service configuration (timeouts and durability).
@Suite("Storage configuration")
struct StorageConfigurationTests {
    @Test("defaults: connect 3 s, query 10 s, full durability")
    func defaults() throws {
        let c = try ServiceConfigurationTests.decode("{}")
        #expect(c.storage == StoreOptions())
        #expect(c.storage.connectTimeout == .seconds(3))
        #expect(c.storage.queryTimeout == .seconds(10))
        #expect(c.storage.durability == .full)
    }

    @Test("every key is read")
    func everyKey() throws {
        let c = try ServiceConfigurationTests.decode(#"{"storage": {"connect_timeout_seconds": 1.5, "query_timeout_seconds": 20, "durability": "normal"}}"#)
        #expect(c.storage.connectTimeout == .milliseconds(1500))
        #expect(c.storage.queryTimeout == .seconds(20))
        #expect(c.storage.durability == .normal)
        let full = try ServiceConfigurationTests.decode(#"{"storage": {"durability": "full"}}"#)
        #expect(full.storage == StoreOptions(durability: .full))
    }

    @Test("a bad storage section fails with the exact field", arguments: [
        (#"{"storage": {"durability": "fast"}}"#, "tacit.json: storage.durability: unknown durability 'fast'; valid: full, normal"),
        (#"{"storage": {"durability": true}}"#, "tacit.json: storage.durability: must be a string"),
        (#"{"storage": {"connect_timeout_seconds": 0}}"#, "tacit.json: storage.connect_timeout_seconds: must be >= 0.1, got 0"),
        (#"{"storage": {"query_timeout_seconds": "10"}}"#, "tacit.json: storage.query_timeout_seconds: must be a number"),
        (#"{"storage": {"query_timeout_seconds": 7200}}"#, "tacit.json: storage.query_timeout_seconds: must be <= 3600, got 7200"),
        (#"{"storage": {"synchronous": "full"}}"#, "tacit.json: storage.synchronous: unknown key"),
        (#"{"storage": 3}"#, "tacit.json: storage: must be an object"),
    ])
    func badFiles(json: String, message: String) {
        do {
            _ = try ServiceConfigurationTests.decode(json)
            Issue.record("\(json) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
