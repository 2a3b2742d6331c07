import Foundation
import Testing
import TacitCore
import TacitStore
import TacitTestSupport

/// The demo with ids a real shop has: spaces, accents, a slash-free but URL-unsafe mix. A user
/// is loaded, views, adds to cart and buys through the page, searches, sees the product and cart
/// scenes, and a new user starts from nothing; every event arrives with exactly the ids shown.
@Suite("Web page with spaces and accents in ids", .serialized)
struct WebPageInternationalIDsBrowserTests {
    static let user = "José María"
    static let newcomer = "Zoë & co?"

    /// The fixture shop with every kitchen item renamed to an id with a space and an accent.
    static func rename(_ id: String) -> String { id.hasPrefix("k") ? "café crème \(id.dropFirst())" : id }

    @Test("load, view, add to cart, buy, search, product and cart scenes, a new user",
          .enabled(if: WebDriverClient.isAvailable, WebPageBrowserTests.reason))
    func wholeVisit() async throws {
        let items = ServiceFixture.items.map { record in
            var copy = record
            copy.id = Self.rename(record.id)
            return copy
        }
        var events = ServiceFixture.events.map { StoredEvent(user: $0.user, item: Self.rename($0.item), kind: $0.kind, timestamp: $0.timestamp) }
        events += ["café crème 1", "café crème 2"].enumerated().map {
            StoredEvent(user: Self.user, item: $1, kind: .view, timestamp: 1_700_100_000 + Int64($0))
        }
        let server = try await LiveServer.start(items: items, events: events)
        defer { Task { await server.stop() } }
        let encodedUser = Self.user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""

        try await WebDriverClient.withSession { browser in
            try await browser.navigate(to: "http://127.0.0.1:\(server.port)/")
            let input = try await browser.find("#user-input")
            try await browser.clear(input)
            try await browser.type(Self.user, into: input)
            try await browser.click("#load-user")
            let history = try await browser.waitFor("the history of \(Self.user)") {
                let ids = try await browser.itemIDs("#history .event[data-item-id]")
                return ids.count == 2 ? ids : nil
            }
            #expect(history == ["café crème 2", "café crème 1"], "newest first")
            let home = try await browser.waitFor("home recommendations") {
                let ids = try await browser.itemIDs("#recs-home .item[data-item-id]")
                return ids.isEmpty ? nil : ids
            }
            #expect(home.contains { $0.hasPrefix("café crème ") }, "\(home)")

            // add to cart from the home list
            let target = try #require(home.first { $0.hasPrefix("café crème ") })
            func expectNewest(_ action: String) async throws {
                _ = try await browser.waitFor("the \(action) of '\(target)' in the history") {
                    let kind = try await browser.execute("return document.querySelector('#history .event')?.dataset.kind;") as? String
                    let newest = try await browser.itemIDs("#history .event[data-item-id]").first
                    return kind == action && newest == target ? true : nil
                }
            }
            try await browser.click("#recs-home .item[data-item-id='\(target)'] button[data-action=add_to_cart]")
            try await expectNewest("add_to_cart")

            // the product and cart scenes follow the visit
            _ = try await browser.waitFor("product recommendations") {
                let ids = try await browser.itemIDs("#recs-product .item[data-item-id]")
                return ids.isEmpty ? nil : ids
            }
            _ = try await browser.waitFor("cart recommendations") {
                let ids = try await browser.itemIDs("#recs-cart .item[data-item-id]")
                return ids.isEmpty ? nil : ids
            }

            // search finds the accented title; buy the carted item from the results
            let search = try await browser.find("#search-input")
            try await browser.clear(search)
            try await browser.type("crème", into: search)
            try await browser.click("#search-button")
            let found = try await browser.waitFor("search results for crème") {
                let ids = try await browser.itemIDs("#search-results .item[data-item-id]")
                return ids.isEmpty ? nil : ids
            }
            #expect(found.allSatisfy { $0.hasPrefix("café crème ") } && found.count == 5, "\(found)")
            try await browser.click("#search-results .item[data-item-id='\(target)'] button[data-action=purchase]")
            try await expectNewest("purchase")
            let stored = try await server.get("/v1/users/\(encodedUser)/events").json["events"] as? [[String: Any]] ?? []
            let newest = stored.suffix(2)   // oldest first: the two events of this visit come last
            #expect(newest.map { $0["item_id"] as? String } == [target, target], "\(stored)")
            #expect(newest.map { $0["kind"] as? String } == ["add_to_cart", "purchase"], "\(stored)")

            // a new user: nothing yet, then a view makes it theirs
            try await browser.clear(input)
            try await browser.type(Self.newcomer, into: input)
            try await browser.click("#load-user")
            let fresh = try await browser.waitFor("the new user's home list") {
                let ids = try await browser.itemIDs("#recs-home .item[data-item-id]")
                let shown = try await browser.execute("return document.querySelector('#history .event') === null;") as? Bool
                return !ids.isEmpty && shown == true ? ids : nil
            }
            try await browser.click("#recs-home .item[data-item-id='\(fresh[0])'] button[data-action=view]")
            _ = try await browser.waitFor("the new user's first event") {
                try await browser.itemIDs("#history .event[data-item-id]") == [fresh[0]] ? true : nil
            }
            let encodedNewcomer = Self.newcomer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let newEvents = try await server.get("/v1/users/\(encodedNewcomer)/events").json["events"] as? [[String: Any]] ?? []
            #expect(newEvents.map { $0["item_id"] as? String } == [fresh[0]])
            #expect(try await browser.texts("#messages .message.error") == [])
            #expect(try await browser.consoleErrors() == [])
        }
    }
}
