/// A list of items shown to a user, and what the user did with it: one logged impression and the
/// events attributed to it (by the recommendation id they carry). A learned ranking stage trains
/// on these once enough are logged: the shown items are a query group, the items acted on its
/// positives.
public struct ShownList: Sendable, Hashable {
    /// Who was shown the list.
    public var user: UserID
    /// The items in the order shown (position = index).
    public var items: [ItemID]
    /// When it was shown, seconds since 1970.
    public var time: Int64
    /// The strongest kind of event the user had on each shown item, attributed to this list.
    public var outcomes: [ItemID: EventKind]

    public init(user: UserID, items: [ItemID], time: Int64, outcomes: [ItemID: EventKind]) {
        self.user = user
        self.items = items
        self.time = time
        self.outcomes = outcomes
    }

    /// Keeps `kind` for `item` when it is stronger than what is recorded (the order of
    /// ``EventKind/standard``: view < click < add-to-cart < purchase; any other kind counts as a view).
    public mutating func record(_ kind: EventKind, for item: ItemID) {
        func strength(_ kind: EventKind) -> Int { EventKind.standard.firstIndex(of: kind) ?? 0 }
        if let old = outcomes[item], strength(old) >= strength(kind) { return }
        outcomes[item] = kind
    }
}

/// Every logged impression and every attributed action, as dated item counts: what a learned
/// ranker's `item.shown` and `item.ctr` features count up to each request (all of them, not only
/// the lists an event was attributed to).
public struct ItemExposures: Sendable {
    /// The items of each recorded response (one exposure per item shown) and when it was shown.
    public var shown: [(items: [ItemID], time: Int64)]
    /// Each stored event that carries a recommendation id and is of a kind with a weight above
    /// 0 (an action on a recommendation): its item and time.
    public var actions: [(item: ItemID, time: Int64)]

    public init(shown: [(items: [ItemID], time: Int64)] = [], actions: [(item: ItemID, time: Int64)] = []) {
        self.shown = shown
        self.actions = actions
    }

    /// No impression and no action.
    public var isEmpty: Bool { shown.isEmpty && actions.isEmpty }
}

/// The logged impressions a trainer may learn from, with the weighting that turned the same log
/// into the training matrix (to weigh a user's events up to the moment a list was shown).
public struct LoggedImpressions: Sendable {
    /// The shown lists with an attributed event (query groups of a fit from impressions).
    public var lists: [ShownList]
    public var weighting: WeightingPolicy
    /// Every impression and attributed action (the click-through features of every fit).
    public var exposures: ItemExposures

    public init(lists: [ShownList], weighting: WeightingPolicy, exposures: ItemExposures = ItemExposures()) {
        self.lists = lists
        self.weighting = weighting
        self.exposures = exposures
    }
}
