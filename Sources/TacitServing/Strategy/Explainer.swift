import TacitCore

/// Writes the short reason shown with each returned item: "because you viewed Blue Kettle",
/// "similar to Blue Kettle", "often bought with Blue Kettle", "trending in Kitchen",
/// "popular in Kitchen", "more from Acme", "buy it again".
///
/// Only the returned items are explained, so this is the one place of a request that works with
/// strings. An item is named by its record's title, or its id when it has no title.
struct Explainer {
    private let catalog: any CatalogView
    private let history: [HistoryEvent]
    private let context: [Int32]

    init(catalog: any CatalogView, history: [HistoryEvent], context: [Int32]) {
        self.catalog = catalog
        self.history = history
        self.context = context
    }

    /// The explanation of `item`, recommended by `source` because of `anchor`.
    func explain(_ item: Int32, source: CandidateSourceKind, anchor: Int32?) -> String {
        switch source {
        case .personal:
            guard let anchor else { return "recommended for you" }
            switch strongestEvent(on: anchor) {
            case 3: return "because you bought \(name(anchor))"
            case 2: return "because you added \(name(anchor)) to your cart"
            case 1: return "because you viewed \(name(anchor))"
            // Only other kinds (a rating log's `interaction`, a custom kind): no verb to claim.
            default: return "related to \(name(anchor))"
            }
        case .similar:
            guard let anchor = anchor ?? context.first else { return "similar to items you viewed" }
            return "similar to \(name(anchor))"
        case .complementary:
            guard let anchor = anchor ?? context.first else { return "often bought together" }
            return "often bought with \(name(anchor))"
        case .trending:
            return category(item).map { "trending in \($0)" } ?? "trending now"
        case .popular:
            return category(item).map { "popular in \($0)" } ?? "popular"
        case .content:
            let own = record(item)
            // The attribute shared with the anchor, the brand before the category.
            let anchorRecord = anchor.flatMap { record($0) }
            if let brand = own?.brand, brand == anchorRecord?.brand { return "more from \(brand)" }
            if let category = own?.category, category == anchorRecord?.category { return "more in \(category)" }
            if let category = own?.category { return "more in \(category)" }
            if let brand = own?.brand { return "more from \(brand)" }
            return "picked for your interests"
        case .repeatPurchase:
            return strongestEvent(on: item) == 3 ? "buy it again" : "again for you"
        }
    }

    /// The record of `item`, if it is in the catalog and has one.
    private func record(_ item: Int32) -> ItemRecord? {
        item >= 0 && Int(item) < catalog.count ? catalog.record(item) : nil
    }

    /// The category of `item`, if it is in the catalog and has one.
    private func category(_ item: Int32) -> String? {
        item >= 0 && Int(item) < catalog.count ? catalog.facts(item).category : nil
    }

    /// The title of `item`, else its id, else its index.
    private func name(_ item: Int32) -> String {
        guard item >= 0, Int(item) < catalog.count else { return String(item) }
        if let title = catalog.title(item), !title.isEmpty { return title }
        return catalog.id(item)
    }

    /// The strongest kind of the user's events on `item`: 3 purchase, 2 cart, 1 view or click
    /// (or no event in the history at all, for a context item), 0 other kinds only. A scan per
    /// explained item compares integers and looks at the kind only on the item's own events,
    /// which beats building a table over the whole history.
    private func strongestEvent(on item: Int32) -> Int {
        var strongest = -1
        for event in history where event.item == item {
            if event.kind == .purchase { return 3 }
            if event.kind == .addToCart { strongest = 2 }
            if (event.kind == .view || event.kind == .click) && strongest < 1 { strongest = 1 }
            if strongest < 0 { strongest = 0 }
        }
        return strongest < 0 ? 1 : strongest
    }
}
