import Foundation
import Testing
import TacitCore
import TacitStore
import TacitTestSupport

/// `GET /v1/stats/overview`, `GET /v1/users` (random users), and paging of a user's events and
/// of catalogue search.
@Suite("Overview, random users and paging over HTTP", .serialized)
struct OverviewAPITests {
    static let hour: Int64 = 3600
    /// The fixture shop's 48 views run from 1 700 000 060 to 1 700 002 880: 46 fall in the hour
    /// starting at 1 699 999 200, 2 in the next.
    static let firstHour: Int64 = 1_699_999_200

    /// Three purchases by new users in the first hour, two clicks three hours later.
    static let extra: [StoredEvent] = [
        StoredEvent(user: "p1", item: "k1", kind: .purchase, timestamp: 1_700_000_100, value: 10),
        StoredEvent(user: "p2", item: "k1", kind: .purchase, timestamp: 1_700_000_200, value: 10),
        StoredEvent(user: "p3", item: "k2", kind: .purchase, timestamp: 1_700_000_300, value: 11),
        StoredEvent(user: "c1", item: "g1", kind: .click, timestamp: 1_700_010_000),
        StoredEvent(user: "c2", item: "g2", kind: .click, timestamp: 1_700_010_001),
    ]

    @Test("the overview counts events per hour and kind and users per hour exactly, empty hours included")
    func overviewCounts() async throws {
        let server = try await LiveServer.start(events: ServiceFixture.events + Self.extra)
        defer { Task { await server.stop() } }
        let reply = try await server.get("/v1/stats/overview?bucket=hour&since=\(Self.firstHour + 5)&until=\(Self.firstHour + 4 * Self.hour - 1)")
        #expect(reply.status == 200)
        let json = reply.json
        #expect(json["bucket"] as? String == "hour")
        #expect(json["bucket_seconds"] as? Int == 3600)
        #expect(json["since"] as? Int == Int(Self.firstHour), "since rounds down to its hour")
        #expect(json["until"] as? Int == Int(Self.firstHour + 4 * Self.hour), "until's hour is the last")
        #expect(json["kinds"] as? [String] == ["click", "purchase", "view"])
        let activity = try #require(json["activity"] as? [[String: Any]])
        #expect(activity.map { $0["start"] as? Int } == (0..<4).map { Int(Self.firstHour + $0 * Self.hour) })
        #expect(activity.map { $0["events"] as? Int } == [49, 2, 0, 2])
        #expect(activity.map { $0["users"] as? Int } == [15, 1, 0, 2], "a0…b5 and p1…p3; b5; none; c1, c2")
        #expect(activity.map { $0["kinds"] as? [String: Int] } == [["view": 46, "purchase": 3], ["view": 2], [:], ["click": 2]])
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["events"] as? Int == 53)
        #expect(totals["events_in_range"] as? Int == 53)
        #expect(totals["items"] as? Int == 10)
        let models = try #require(json["models"] as? [[String: Any]])
        #expect(models.map { $0["version"] as? Int } == [1])
        #expect(models.first?["serving"] as? Bool == true)
        let requests = try #require(json["requests"] as? [String: Any])
        let minutes = try #require(requests["minutes"] as? [[String: Any]])
        #expect(minutes.count == 60)
        let starts = minutes.compactMap { $0["start"] as? Int }
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $1 - $0 == 60 })

        // A range of more than 1000 buckets keeps the newest 1000: since moves forward.
        let long = try await server.get("/v1/stats/overview?bucket=hour&since=0&until=\(Self.firstHour)").json
        #expect((long["activity"] as? [[String: Any]])?.count == 1000)
        #expect(long["since"] as? Int == Int(Self.firstHour + Self.hour - 1000 * Self.hour))
        // Day buckets (UTC): 2023-11-14 holds the views and purchases, the 15th the clicks.
        let days = try await server.get("/v1/stats/overview?bucket=day&since=1699920000&until=1700092799").json
        #expect((days["activity"] as? [[String: Any]])?.map { $0["events"] as? Int } == [51, 2])
        // The second request shows up in the last minute's count and the route table.
        let again = try await server.get("/v1/stats/overview?bucket=day&since=1699920000&until=1700006399").json
        let routes = ((again["requests"] as? [String: Any])?["routes"] as? [[String: Any]]) ?? []
        let overviewRoute = routes.first { $0["route"] as? String == "/v1/stats/overview" }
        #expect((overviewRoute?["requests"] as? Int ?? 0) >= 2)
        let lastMinutes = ((again["requests"] as? [String: Any])?["minutes"] as? [[String: Any]]) ?? []
        #expect(lastMinutes.compactMap { $0["requests"] as? Int }.reduce(0, +) >= 2)
    }

    @Test("overview parameters are validated at the edge, naming the field", arguments: [
        ("bucket=week", "bucket"), ("since=-1", "since"), ("until=abc", "until"), ("since=1700000000&until=1600000000", "since"),
        ("since=1700000000&until=1699990000", "since"), ("until=999999999999", "until"),
        ("since=nan", "since"), ("until=1e400", "until"), ("since=%00", "since"),
        ("until=99999999999999999999999", "until"),
    ])
    func overviewValidation(query: String, field: String) async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let reply = try await server.get("/v1/stats/overview?\(query)")
        #expect(reply.status == 400)
        #expect(reply.error.hasPrefix("\(field):"), "\(reply.error)")
    }

    @Test("the overview and the user sample need the API key; the dashboard page does not")
    func access() async throws {
        let server = try await LiveServer.start(apiKey: "secret")
        defer { Task { await server.stop() } }
        #expect(try await server.get("/v1/stats/overview").status == 401)
        #expect(try await server.get("/v1/users").status == 401)
        #expect(try await server.get("/v1/stats/overview", headers: ["X-API-Key": "secret"]).status == 200)
        let page = try await server.get("/dashboard")
        #expect(page.status == 200)
        #expect(page.text.contains("chart-events"))
        #expect(!page.text.contains("src=\"http") && !page.text.contains("href=\"http"), "no external resources")
    }

    @Test("random users: distinct users with events, reproducible by seed, bounded count")
    func randomUsers() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        let known = Set((0..<6).flatMap { ["a\($0)", "b\($0)"] })
        let five = try #require(try await server.get("/v1/users?count=5&seed=7").json["users"] as? [String])
        #expect(five.count == 5 && Set(five).count == 5 && Set(five).isSubset(of: known))
        #expect(try await server.get("/v1/users?count=5&seed=7").json["users"] as? [String] == five)
        let all = try #require(try await server.get("/v1/users?count=50").json["users"] as? [String])
        #expect(Set(all) == known)
        #expect((try await server.get("/v1/users").json["users"] as? [String])?.count == 1)
        for bad in ["count=0", "count=101", "count=x", "seed=-1"] {
            let reply = try await server.get("/v1/users?\(bad)")
            #expect(reply.status == 400, "\(bad)")
            #expect(reply.error.hasPrefix(String(bad.prefix { $0 != "=" }) + ":"))
        }
    }

    @Test("a user's events are in time order, not arrival order, and page back from the newest by offset")
    func eventPaging() async throws {
        // Arrival order differs from time order (an import of an unsorted log).
        let times: [Int64] = [1_700_000_500, 1_700_000_100, 1_700_000_400, 1_700_000_200, 1_700_000_300]
        let events = times.enumerated().map { StoredEvent(user: "m1", item: "k\($0.offset)", kind: .view, timestamp: $0.element) }
        let server = try await LiveServer.start(events: ServiceFixture.events + events)
        defer { Task { await server.stop() } }
        func page(_ query: String) async throws -> (items: [String], next: Int?) {
            let json = try await server.get("/v1/users/m1/events\(query)").json
            let items = (json["events"] as? [[String: Any]] ?? []).compactMap { $0["item_id"] as? String }
            return (items, json["next_offset"] as? Int)
        }
        let all = try await page("")
        #expect(all.items == ["k1", "k3", "k4", "k2", "k0"], "oldest first by timestamp")
        #expect(all.next == nil)
        let first = try await page("?limit=2")
        #expect(first.items == ["k2", "k0"] && first.next == 2)
        let second = try await page("?limit=2&offset=2")
        #expect(second.items == ["k3", "k4"] && second.next == 4)
        let last = try await page("?limit=2&offset=4")
        #expect(last.items == ["k1"] && last.next == nil)
        #expect(try await page("?limit=2&offset=9").items == [])
        let exact = try await page("?limit=5")
        #expect(exact.items.count == 5 && exact.next == nil, "no older page when exactly limit events exist")
        for bad in ["offset=-1", "offset=x", "offset=1000000001"] {
            let reply = try await server.get("/v1/users/m1/events?\(bad)")
            #expect(reply.status == 400 && reply.error.hasPrefix("offset:"), "\(bad): \(reply.error)")
        }
    }

    @Test("search pages by the last id shown; after is checked like any id")
    func searchPaging() async throws {
        let server = try await LiveServer.start()
        defer { Task { await server.stop() } }
        func page(_ query: String) async throws -> (ids: [String], next: String?) {
            let reply = try await server.get("/v1/items?search=kitchen&limit=2\(query)")
            return (reply.itemIDs, reply.json["next_after"] as? String)
        }
        let first = try await page("")
        #expect(first.ids == ["k0", "k1"] && first.next == "k1")
        let second = try await page("&after=k1")
        #expect(second.ids == ["k2", "k3"] && second.next == "k3")
        let last = try await page("&after=k3")
        #expect(last.ids == ["k4"] && last.next == nil)
        let bad = try await server.get("/v1/items?search=kitchen&after=%01")
        #expect(bad.status == 400 && bad.error.hasPrefix("after:"), "\(bad.error)")
        // An empty value is an absent one everywhere (Query: a form's blank field): the first page.
        let empty = try await server.get("/v1/items?search=kitchen&after=")
        #expect(empty.status == 200 && empty.itemIDs.first == "k0", "\(empty.text)")
        let everything = try await server.get("/v1/items?limit=1000")
        #expect(everything.itemIDs.count == 10 && everything.json["next_after"] is NSNull)
    }
}
