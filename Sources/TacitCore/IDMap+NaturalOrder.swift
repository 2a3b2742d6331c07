extension IDMap {
    /// Indices sorted by the natural order of their ids: integer ids numerically, before all
    /// other ids, which sort by their UTF-8 bytes. Split files and recommendation lists use it.
    public func naturalOrder() -> [Int32] {
        let ids = self.ids
        let numeric = ids.map { Int($0) }
        return (0..<Int32(count)).sorted { a, b in
            switch (numeric[Int(a)], numeric[Int(b)]) {
            case let (x?, y?): return x != y ? x < y : a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return ids[Int(a)] != ids[Int(b)] ? ids[Int(a)] < ids[Int(b)] : a < b
            }
        }
    }
}
