import TacitCore

/// How a two-tower model turns a user's attributes into tokens of its query tower.
///
/// A column (attribute name) is **numeric** when every training user's value of it parses as a
/// finite number and it has more than ``numericMinimumDistinct`` distinct values: its values are
/// bucketed by quantiles of the training users' values, as item prices are (token `age#3`: the
/// number of boundaries ≤ the value). Every other column is **categorical**: one token per value
/// (`gender=F`). Numeric codes with few values — ML-1M's 21 occupations, its 7 age groups — stay
/// categorical. Attributes whose name or value holds an ASCII control character make no token.
///
/// Only training users decide which columns are numeric and where the boundaries are, so a new
/// user's attributes are encoded with the same rules; a new user's non-numeric value in a numeric
/// column makes no token.
struct UserAttributeEncoding: Sendable, Equatable {
    /// A numeric column and its ascending bucket boundaries.
    struct NumericColumn: Sendable, Equatable {
        let name: String
        let boundaries: [Double]
    }

    /// A column needs more distinct numeric values than this to be bucketed.
    static let numericMinimumDistinct = 32

    /// The numeric columns, sorted by name.
    let numeric: [NumericColumn]
    private let boundaries: [String: [Double]]

    init(numeric: [NumericColumn] = []) {
        self.numeric = numeric.sorted { $0.name < $1.name }
        boundaries = Dictionary(numeric.map { ($0.name, $0.boundaries) }, uniquingKeysWith: { first, _ in first })
    }

    /// The encoding that the attributes of `training` users imply: `buckets` quantile buckets
    /// per numeric column (at most; equal quantiles merge).
    init(training users: [UserRecord], buckets: Int) {
        var values: [String: [String]] = [:]
        for user in users {
            for (name, value) in user.attributes where Self.isClean(name) { values[name, default: []].append(value) }
        }
        var columns: [NumericColumn] = []
        for (name, texts) in values {
            let numbers = texts.compactMap(Self.number)
            guard numbers.count == texts.count, Set(numbers).count > Self.numericMinimumDistinct else { continue }
            columns.append(NumericColumn(name: name, boundaries: TwoTowerFeatures.quantileBoundaries(numbers.sorted(), buckets: buckets)))
        }
        self.init(numeric: columns)
    }

    /// The tokens of `user`, sorted by attribute name: `name#bucket` for a numeric column,
    /// `name=value` otherwise.
    func tokens(_ user: UserRecord) -> [String] {
        user.attributes.sorted { $0.key < $1.key }.compactMap { name, value in
            guard Self.isClean(name) else { return nil }
            if let boundaries = boundaries[name] {
                guard let x = Self.number(value) else { return nil }
                return "\(name)#\(TwoTowerFeatures.bucket(x, boundaries: boundaries))"
            }
            return Self.isClean(value) ? "\(name)=\(value)" : nil
        }
    }

    /// The vocabulary of the tokens held by at least `minimumUsers` of `users`, in first-seen order.
    func vocabulary(training users: [UserRecord], minimumUsers: Int) -> TwoTowerFeatures.Vocabulary {
        var counts: [String: Int] = [:], order: [String] = []
        for user in users {
            for token in tokens(user) {
                if counts[token] == nil { order.append(token) }
                counts[token, default: 0] += 1
            }
        }
        return TwoTowerFeatures.Vocabulary(order.filter { counts[$0, default: 0] >= max(1, minimumUsers) })
    }

    /// A finite number, or `nil`.
    static func number(_ text: String) -> Double? {
        guard let x = Double(text), x.isFinite else { return nil }
        return x
    }

    /// Whether `text` has no ASCII control character (such text could not round-trip through the
    /// model file's token lists).
    static func isClean(_ text: String) -> Bool { !text.utf8.contains { $0 < 0x20 || $0 == 0x7F } }
}
