import TacitCore

/// An immutable view of the serving catalog: every item the service knows, by a dense catalog
/// index that never changes while the process runs (items are only ever added).
///
/// Items enter by an upsert (with metadata) or by their first event (without). Metadata changes
/// (price, availability) replace the record in place; the next snapshot sees them.
public struct CatalogSnapshot: CatalogView {
    var ids = IDMap()
    var records: [ItemRecord?] = []
    /// Lower-cased category per item ("" = none), for fast filters and per-category lists.
    var categoryKeys: [String] = []
    /// Items per lower-cased category, in catalog order.
    var itemsByCategory: [String: [Int32]] = [:]
    /// Availability, price and category id per item, for the ranker.
    var itemFacts: [ItemFacts] = []
    /// The dense id of each lower-cased category (ids are never reused).
    var categoryIDs: [String: Int32] = [:]
    /// Whether an item known only from events (no record) may be shown
    /// (`serving.unknown_items`: `accept` yes; `hide` no, until its record is upserted).
    public internal(set) var unknownItemsAvailable = true

    public init(unknownItemsAvailable: Bool = true) {
        self.unknownItemsAvailable = unknownItemsAvailable
    }

    public var count: Int { records.count }
    public func id(_ item: Int32) -> ItemID { ids.id(at: item) }
    public func index(of id: ItemID) -> Int32? { ids.index(of: id) }
    public func record(_ item: Int32) -> ItemRecord? { records[Int(item)] }
    public func facts(_ item: Int32) -> ItemFacts { itemFacts[Int(item)] }
    public func title(_ item: Int32) -> String? { records[Int(item)]?.title }

    /// The lower-cased category of `item` ("" when none).
    public func categoryKey(_ item: Int32) -> String { categoryKeys[Int(item)] }

    /// The items of a category (case-insensitive), in catalog order.
    public func items(inCategory category: String) -> [Int32] { itemsByCategory[category.lowercased()] ?? [] }

    /// The items of a category given by its lower-cased key (``categoryKey(_:)``).
    func items(inCategoryKey key: String) -> [Int32] { itemsByCategory[key] ?? [] }

    /// Whether the item may be shown: its record's `available`; without a record,
    /// ``unknownItemsAvailable``.
    public func isAvailable(_ item: Int32) -> Bool { itemFacts[Int(item)].available }

    /// The index of `id`, adding it without metadata when unknown.
    mutating func intern(_ id: ItemID) -> Int32 {
        if let index = ids.index(of: id) { return index }
        let index = ids.intern(id)
        records.append(nil)
        categoryKeys.append("")
        itemFacts.append(ItemFacts(available: unknownItemsAvailable))
        return index
    }

    /// Inserts or replaces an item's metadata; returns its index.
    @discardableResult
    mutating func upsert(_ record: ItemRecord) -> Int32 {
        let index = intern(record.id)
        let key = record.category?.lowercased() ?? ""
        let old = categoryKeys[Int(index)]
        if old != key {
            if !old.isEmpty { itemsByCategory[old]?.removeAll { $0 == index } }
            if !key.isEmpty { itemsByCategory[key, default: []].append(index) }
            categoryKeys[Int(index)] = key
        }
        records[Int(index)] = record
        var categoryID: Int32 = -1
        if !key.isEmpty {
            if let id = categoryIDs[key] {
                categoryID = id
            } else {
                categoryID = Int32(categoryIDs.count)
                categoryIDs[key] = categoryID
            }
        }
        itemFacts[Int(index)] = ItemFacts(available: record.available, price: record.price, category: record.category, categoryID: categoryID)
        return index
    }
}
