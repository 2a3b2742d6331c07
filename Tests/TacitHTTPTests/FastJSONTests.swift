import Foundation
import Testing
@testable import TacitHTTP
import TacitCore
import TacitServing

@Suite("Fast JSON responses")
struct FastJSONTests {
    @Test("the hand-written recommendation JSON parses to the expected document, escapes included")
    func sameAsEncoder() throws {
        let tricky = "Quote \" backslash \\ newline \n tab \t bell \u{7} é 漢字 🙂"
        let response = RecommendationResponse(
            recommendationID: "r-1", user: tricky, scene: "home", model: nil,
            items: [
                RecommendedItem(id: "i1", score: 0.123456789, source: .personal, explanation: "because you viewed \(tricky)",
                                record: ItemRecord(id: "i1", title: tricky, category: "Kitchen", price: 12.5)),
                RecommendedItem(id: "i2", score: 1, source: .trending, explanation: "trending now", record: nil),
                RecommendedItem(id: "i3", score: 1e-7, source: .popular, explanation: "popular",
                                record: ItemRecord(id: "i3", price: 3, available: false)),
            ])
        let fast = FastJSON.encode(response)
        let mine = try JSONSerialization.jsonObject(with: Data(fast.bytes)) as! NSDictionary
        // The expected document, built by hand and written by JSONSerialization (nulls left out).
        let expectedItems: [[String: Any]] = response.items.map { item in
            var fields: [String: Any] = ["item_id": item.id, "score": item.score, "source": item.source.rawValue,
                                         "explanation": item.explanation, "available": item.record?.available ?? true]
            if let title = item.record?.title { fields["title"] = title }
            if let category = item.record?.category { fields["category"] = category }
            if let price = item.record?.price { fields["price"] = price }
            return fields
        }
        let expected: [String: Any] = ["recommendation_id": response.recommendationID, "user_id": response.user,
                                       "scene": response.scene, "items": expectedItems]
        let reference = try JSONSerialization.jsonObject(with: JSONSerialization.data(withJSONObject: expected)) as! NSDictionary
        #expect(Self.droppingNulls(mine) == Self.droppingNulls(reference))
        #expect(mine["model"] is NSNull)
        #expect(mine["experiment"] is NSNull && mine["variant"] is NSNull)
        #expect(((mine["items"] as! [NSDictionary])[0]["title"] as? String) == tricky)
        #expect(((mine["items"] as! [NSDictionary])[0]["score"] as? Double) == 0.123456789)
    }

    @Test("a response served under an experiment names the experiment and the variant")
    func experimentFields() throws {
        let response = RecommendationResponse(recommendationID: "r-2", user: "u", scene: "home", model: "als v1", items: [],
                                              experiment: "hero \"x\"", variant: "b")
        let mine = try JSONSerialization.jsonObject(with: Data(FastJSON.encode(response).bytes)) as! NSDictionary
        #expect(mine["experiment"] as? String == "hero \"x\"")
        #expect(mine["variant"] as? String == "b")
        #expect(mine["scene"] as? String == "home")
    }

    static func droppingNulls(_ value: Any) -> NSObject {
        if let dictionary = value as? NSDictionary {
            let result = NSMutableDictionary()
            for (k, v) in dictionary where !(v is NSNull) { result.setObject(droppingNulls(v), forKey: k as! NSString) }
            return result
        }
        if let array = value as? NSArray { return array.map { droppingNulls($0) } as NSArray }
        return value as! NSObject
    }
}
