import TacitCore
import TacitStore

/// A small catalogue and rating log shaped like MovieLens 100K, generated from a seed: numeric
/// user and item ids (`"1"`, `"2"` …, none of the shop's `u0` style), titles with years, and the
/// log in user order rather than time order (as `u.data` is), so a store's sequence order is not
/// its time order. For tests of the page and the API that must not depend on `../shared/data`.
public enum MovieLensLikeFixture {
    public static let userCount = 40
    public static let itemCount = 60
    /// The first rating's time (2023-11-14 22:13:20 UTC); ratings spread over 30 days after it.
    public static let start: Int64 = 1_700_000_000

    public static var items: [ItemRecord] {
        let genres = ["Drama", "Comedy", "Action", "Thriller", "Romance", "Animation"]
        return (1...itemCount).map { n in
            ItemRecord(id: "\(n)", title: "Film \(n) (\(1970 + n % 30))", category: genres[n % genres.count])
        }
    }

    /// User `1` rates every film, the others 8 to 19, at random times; the events are grouped by user, and
    /// within a user in no time order.
    public static var events: [StoredEvent] {
        var generator = SeededGenerator(seed: 100_000)
        var events: [StoredEvent] = []
        for user in 1...userCount {
            let count = user == 1 ? itemCount : Int.random(in: 8..<20, using: &generator)
            var films = Array(1...itemCount)
            films.shuffle(using: &generator)
            for film in films.prefix(count) {
                let time = start + Int64.random(in: 0..<(30 * 86_400), using: &generator)
                events.append(StoredEvent(user: "\(user)", item: "\(film)", kind: .view, timestamp: time,
                                          value: Float(Int.random(in: 1...5, using: &generator))))
            }
        }
        return events
    }
}
