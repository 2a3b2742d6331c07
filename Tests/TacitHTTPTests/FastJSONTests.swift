import Foundation
import Testing
@testable import TacitHTTP
import TacitCore
import TacitServing

@Suite("Fast JSON responses")
struct FastJSONTests {
    @Test("the hand-written recommendation JSON equals JSONEncoder's, escapes included")
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
        let reference = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Body.Recommendations(response))) as! NSDictionary
        // JSONEncoder leaves out nil fields of items; the fast writer writes null. Compare with nulls dropped.
        #expect(Self.droppingNulls(mine) == Self.droppingNulls(reference))
        #expect(mine["model"] is NSNull)
        #expect(((mine["items"] as! [NSDictionary])[0]["title"] as? String) == tricky)
        #expect(((mine["items"] as! [NSDictionary])[0]["score"] as? Double) == 0.123456789)
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
