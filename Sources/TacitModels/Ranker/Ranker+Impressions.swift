import TacitBoosting
import TacitCore

extension Ranker {
    /// One shown list in the model's indices: a query group of the fit from impressions.
    struct ShownGroup: Sendable, Equatable {
        let user: Int
        let time: Int64
        /// The shown items the model knows, in the order shown.
        let items: [Int32]
        /// Each item's position in the list as shown (0-based; unknown items keep their place).
        let positions: [Int]
        /// Each item's grade: its attributed kind's (view 1, click 2, add-to-cart 3, purchase 4), 0 when none.
        let grades: [Float]
    }

    /// The shown lists that can teach the trees, newest `limit`, in time order: a known user, at
    /// least two known items and one of them acted on. A list's repeated items count once (the
    /// first place shown).
    static func shownGroups(_ lists: [ShownList], data: InteractionMatrix, limit: Int) -> [ShownGroup] {
        var groups: [ShownGroup] = []
        for list in lists {
            guard let user = data.users.index(of: list.user) else { continue }
            var items: [Int32] = [], positions: [Int] = [], grades: [Float] = [], seen = Set<Int32>()
            for (position, id) in list.items.enumerated() {
                guard let item = data.items.index(of: id), seen.insert(item).inserted else { continue }
                items.append(item)
                positions.append(position)
                grades.append(list.outcomes[id].map { RankerHoldout.grade(position: 0, of: 1, kind: $0) } ?? 0)
            }
            guard items.count >= 2, grades.contains(where: { $0 > 0 }) else { continue }
            groups.append(ShownGroup(user: Int(user), time: list.time, items: items, positions: positions, grades: grades))
        }
        groups.sort { ($0.time, $0.user) < ($1.time, $1.user) }
        return Array(groups.suffix(max(0, limit)))
    }

    /// The time the sources of a fit from impressions are trained up to: the earliest of the
    /// `groups`, but no earlier than the log's median event (so that the sources keep at least half
    /// of the log; the lists shown before are left out).
    static func impressionCut(_ groups: [ShownGroup], events: EventSequences) -> Int64? {
        guard let first = groups.first?.time, let stamps = events.timestamps, !stamps.isEmpty else { return nil }
        let sorted = stamps.sorted()
        return max(first, sorted[sorted.count / 2])
    }

    /// The ranking examples of the shown lists at or after `cut.cut`, each list's items with
    /// features as of the moment it was shown (sources fitted before the cut, the user's events
    /// and the item activity up to that moment, `position` = the place shown) and their grades.
    /// Also the share of acted-on items that some source lists, and the mean list length.
    static func examples(_ features: RankerFeatures, cut: RankerTemporalCut, groups: [ShownGroup], threads: Int)
        -> (RankingExamples, recall: Double, candidates: Double) {
        var examples = RankingExamples(featureNames: features.names)
        let width = features.names.count, position = width - 1, sourcesColumn = RankerFeatures.perSourceColumns * features.sources.count
        var positives = 0, listed = 0, shown = 0
        // Groups come in time order, so the replay's order is theirs.
        features.forEachRows(times: groups.map(\.time), threads: threads, build: { k in
            let group = groups[k]
            let lists = features.lists(for: cut.subject(user: group.user, at: group.time), filter: .excludingHistory)
            var rows = features.rows(for: group.items, lists: lists)
            features.fillUser(&rows, items: group.items, events: features.events(of: group.user, through: max(group.time, .min + 1) - 1), time: group.time)
            for (j, place) in group.positions.enumerated() { rows[j * width + position] = Float(place) }
            return (group.items, rows)
        }) { k, _, rows in
            let group = groups[k]
            for (j, grade) in group.grades.enumerated() where grade > 0 {
                positives += 1
                if rows[j * width + sourcesColumn] > 0 { listed += 1 }
            }
            shown += group.items.count
            examples.append(features: rows, labels: group.grades, margins: features.margins(rows))
        }
        return (examples, Double(listed) / Double(max(1, positives)), Double(shown) / Double(max(1, groups.count)))
    }
}
