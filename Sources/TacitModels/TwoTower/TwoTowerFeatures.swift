import TacitCore

/// The feature vocabularies of a two-tower model and the encoded features of its training items
/// and users.
///
/// Vocabularies come from the metadata of the training catalogue only (a value seen only on new
/// items would have an untrained row): categories, brands, tags, user attributes and price buckets
/// (quantile boundaries of the training items' prices). Values outside a vocabulary, and missing
/// values, encode as `-1`: the tower gives them zero.
///
/// User attributes become tokens (``UserAttributeEncoding``): a numeric column with many distinct
/// values is bucketed by quantiles of the training users' values (`age#3`), any other column is
/// categorical (`gender=F`); a token held by fewer than `minimum users` training users gets no row.
struct TwoTowerFeatures: Sendable {
    /// A string vocabulary in first-seen order, or a hashed one (``FeatureHashing``): a fixed
    /// number of rows and no tokens kept.
    struct Vocabulary: Sendable, Equatable {
        let tokens: [String]
        private let index: [String: Int32]
        /// The buckets of a hashed vocabulary (`nil`: one row per token).
        let hashing: FeatureHashing?

        init(_ tokens: [String]) {
            self.tokens = tokens
            index = Dictionary(tokens.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
            hashing = nil
        }

        /// A hashed vocabulary: every token has the row of its bucket.
        init(hashing: FeatureHashing) {
            tokens = []
            index = [:]
            self.hashing = hashing
        }

        /// Tokens in first-seen order, each once.
        init(collecting values: some Sequence<String>) {
            var seen = Set<String>(), tokens: [String] = []
            for v in values where seen.insert(v).inserted { tokens.append(v) }
            self.init(tokens)
        }

        /// The rows of its table.
        var count: Int { hashing?.buckets ?? tokens.count }
        func callAsFunction(_ token: String?) -> Int32 {
            guard let token else { return -1 }
            if let hashing { return hashing.bucket(token) }
            return index[token] ?? -1
        }

        /// This vocabulary, or a hashed one when `hashing` has fewer buckets than it has tokens.
        func bounded(by hashing: FeatureHashing?) -> Vocabulary {
            guard let hashing, hashing.hashes(count) else { return self }
            return Vocabulary(hashing: hashing)
        }
    }

    /// Variable-length bags in CSR form.
    struct Bags: Sendable {
        var pointers: [Int] = [0]
        var indices: [Int32] = []

        mutating func append(_ bag: [Int32]) {
            indices += bag
            pointers.append(indices.count)
        }

        func bag(_ row: Int) -> ArraySlice<Int32> { indices[pointers[row]..<pointers[row + 1]] }
    }

    /// The encoded candidate-tower features of a list of items.
    struct Items: Sendable {
        /// The item-id row of each item, and its second row (`-1` unless the table is hashed).
        var ids: [Int32] = []
        var secondIDs: [Int32] = []
        var categories: [Int32] = []
        var brands: [Int32] = []
        var prices: [Int32] = []
        var tags = Bags()

        var count: Int { ids.count }
    }

    let categories: Vocabulary
    let brands: Vocabulary
    let tags: Vocabulary
    let userAttributes: Vocabulary
    /// Ascending price-bucket boundaries; bucket = the number of boundaries ≤ the price.
    let priceBoundaries: [Double]
    /// How user attributes become tokens (the numeric columns and their bucket boundaries).
    let userEncoding: UserAttributeEncoding
    /// The id-table rows of each training item and user (their index, or two hash buckets of
    /// their id when ``TwoTower/Configuration/hashBuckets`` shrinks the table).
    let itemRows: IDRows
    let userRows: IDRows

    var priceBuckets: Int { priceBoundaries.isEmpty && !hasPrices ? 0 : priceBoundaries.count + 1 }
    private let hasPrices: Bool

    init(categories: Vocabulary, brands: Vocabulary, tags: Vocabulary, userAttributes: Vocabulary, priceBoundaries: [Double], hasPrices: Bool,
         userEncoding: UserAttributeEncoding = .init(), itemRows: IDRows, userRows: IDRows) {
        self.itemRows = itemRows
        self.userRows = userRows
        self.categories = categories
        self.brands = brands
        self.tags = tags
        self.userAttributes = userAttributes
        self.priceBoundaries = priceBoundaries
        self.hasPrices = hasPrices
        self.userEncoding = userEncoding
    }

    /// Vocabularies from the records of the training items and users: `userBuckets` quantile
    /// buckets per numeric user column, and a row for each user-attribute token held by at least
    /// `minimumUsers` training users. With `hashing`, every id table and vocabulary with more
    /// values than buckets is hashed (a hashed user-attribute vocabulary keeps no minimum).
    init(data: InteractionMatrix, side: SideInformation, priceBuckets: Int, userBuckets: Int = 10, minimumUsers: Int = 1,
         hashing: FeatureHashing? = nil) {
        let records = (0..<data.itemCount).compactMap { side.items[data.items.id(at: Int32($0))] }
        let users = (0..<data.userCount).compactMap { side.users[data.users.id(at: Int32($0))] }
        let prices = records.compactMap(\.price).filter(\.isFinite).sorted()
        let encoding = UserAttributeEncoding(training: users, buckets: userBuckets)
        self.init(categories: Vocabulary(collecting: records.compactMap(\.category)).bounded(by: hashing),
                  brands: Vocabulary(collecting: records.compactMap(\.brand)).bounded(by: hashing),
                  tags: Vocabulary(collecting: records.flatMap(\.tags)).bounded(by: hashing),
                  userAttributes: encoding.vocabulary(training: users, minimumUsers: minimumUsers).bounded(by: hashing),
                  priceBoundaries: Self.quantileBoundaries(prices, buckets: priceBuckets), hasPrices: !prices.isEmpty,
                  userEncoding: encoding, itemRows: IDRows(data.items, hashing: hashing), userRows: IDRows(data.users, hashing: hashing))
    }

    /// The boundaries of `buckets` quantile buckets of ascending `values`: the value at each
    /// `k/buckets` quantile (`k = 1 ..< buckets`), repeats dropped, so every bucket is non-empty.
    static func quantileBoundaries(_ sorted: [Double], buckets: Int) -> [Double] {
        var boundaries: [Double] = []
        guard !sorted.isEmpty, buckets > 1 else { return boundaries }
        for k in 1..<buckets {
            let b = sorted[min(sorted.count - 1, sorted.count * k / buckets)]
            if boundaries.last.map({ b > $0 }) ?? true { boundaries.append(b) }
        }
        return boundaries
    }

    /// The bucket of `value` among ascending `boundaries`: the number of boundaries ≤ `value`.
    static func bucket(_ value: Double, boundaries: [Double]) -> Int {
        var lo = 0, hi = boundaries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if boundaries[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The price bucket of `price` (`-1` without a price or buckets).
    func bucket(_ price: Double?) -> Int32 {
        guard let price, price.isFinite, priceBuckets > 0 else { return -1 }
        return Int32(Self.bucket(price, boundaries: priceBoundaries))
    }

    /// The attribute rows of a user (none for `nil`, tokens without a row left out).
    func userBag(_ record: UserRecord?) -> [Int32] {
        guard let record else { return [] }
        return userEncoding.tokens(record).map { userAttributes($0) }.filter { $0 >= 0 }
    }

    /// Appends the encoding of `record` (any fields may be missing) with item-id rows `id`
    /// (``IDRows``; `(-1, -1)` for an item outside the training catalogue: a new item has no
    /// trained id row, hashed or not).
    func append(_ record: ItemRecord?, id: (Int32, Int32), to items: inout Items) {
        items.ids.append(id.0)
        items.secondIDs.append(id.1)
        items.categories.append(categories(record?.category))
        items.brands.append(brands(record?.brand))
        items.prices.append(bucket(record?.price))
        items.tags.append((record?.tags ?? []).map { tags($0) }.filter { $0 >= 0 })
    }

    /// The encoded features of every training item.
    func trainingItems(_ data: InteractionMatrix, side: SideInformation) -> Items {
        var items = Items()
        for i in 0..<data.itemCount { append(side.items[data.items.id(at: Int32(i))], id: itemRows[Int32(i)], to: &items) }
        return items
    }

    /// The attribute bags of every training user.
    func trainingUsers(_ data: InteractionMatrix, side: SideInformation) -> Bags {
        var bags = Bags()
        for u in 0..<data.userCount { bags.append(userBag(side.users[data.users.id(at: Int32(u))])) }
        return bags
    }
}
