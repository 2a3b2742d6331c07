import Foundation

extension WeightingPolicy {
    /// The kind whose weight becomes 1 under ``KindScale/relative``: the most frequent kind of
    /// `log` that weighs more than 0 (among equally frequent kinds, the lightest, then the name
    /// first in alphabetical order), with its configured weight and event count; `nil` when no
    /// event weighs anything.
    public func referenceKind(of log: EventLog) -> (kind: EventKind, weight: Float, events: Int)? {
        var counts = [Int](repeating: 0, count: log.kinds.count)
        for code in log.kindCodes { counts[Int(code)] += 1 }
        var best: (kind: EventKind, weight: Float, events: Int)?
        for (code, count) in counts.enumerated() where count > 0 {
            let kind = log.kinds[code]
            let w = weight(of: kind)
            guard w > 0 else { continue }
            if let b = best, (b.events, -b.weight, kind.name) > (count, -w, b.kind.name) { continue }
            best = (kind, w, count)
        }
        return best
    }

    /// This policy with its kind weights fixed for `log`: under ``KindScale/relative`` every
    /// weight (and ``defaultKindWeight``) is divided by the weight of ``referenceKind(of:)`` and
    /// the result is ``KindScale/absolute``, the policy to store with a model so that events
    /// folded in later weigh what the training events weighed. An absolute policy is returned as
    /// it is.
    public func resolved(for log: EventLog) -> WeightingPolicy {
        guard kindScale == .relative else { return self }
        var policy = self
        policy.kindScale = .absolute
        guard let reference = referenceKind(of: log), reference.weight != 1 else { return policy }
        policy.kindWeights = kindWeights.mapValues { $0 / reference.weight }
        policy.defaultKindWeight = defaultKindWeight / reference.weight
        return policy
    }

    /// A one-line account of the weights applied to `log`: each kind present with its count and
    /// effective weight, the aggregation, and the decay, as import and train print it.
    public func summary(for log: EventLog) -> String {
        let policy = resolved(for: log)
        var counts = [Int](repeating: 0, count: log.kinds.count)
        for code in log.kindCodes { counts[Int(code)] += 1 }
        let kinds = counts.enumerated().filter { $0.element > 0 }.sorted { ($0.element, log.kinds[$1.offset].name) > ($1.element, log.kinds[$0.offset].name) }
            .map { "\(log.kinds[$0.offset].name) \(Self.format(policy.weight(of: log.kinds[$0.offset])))" }
        var text = "weights: " + (kinds.isEmpty ? "no events" : kinds.joined(separator: ", "))
        if kindScale == .relative, let reference = referenceKind(of: log) {
            text += " (relative: the most frequent kind, \(reference.kind.name), weighs 1)"
        } else {
            text += " (absolute)"
        }
        text += "; aggregation \(aggregation.rawValue)"
        if let halfLife { text += "; half-life \(Self.format(Float(halfLife / 86_400))) days" }
        return text
    }

    private static func format(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(format: "%.4g", Double(value))
    }
}

extension WeightingPolicy {
    private enum StoredKeys: String, CodingKey {
        case kindWeights, defaultKindWeight, kindScale, aggregation, halfLife, referenceTime, minUserCount, minItemCount, dropDuplicates
    }

    /// Reads a stored policy. One saved before kind scales existed has no `kindScale` and was
    /// applied as it is: it reads as ``KindScale/absolute``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: StoredKeys.self)
        self.init(kindWeights: try c.decode([String: Float].self, forKey: .kindWeights),
                  defaultKindWeight: try c.decode(Float.self, forKey: .defaultKindWeight),
                  kindScale: try c.decodeIfPresent(KindScale.self, forKey: .kindScale) ?? .absolute,
                  aggregation: try c.decode(Aggregation.self, forKey: .aggregation),
                  halfLife: try c.decodeIfPresent(Double.self, forKey: .halfLife),
                  referenceTime: try c.decodeIfPresent(Int64.self, forKey: .referenceTime),
                  minUserCount: try c.decode(Int.self, forKey: .minUserCount),
                  minItemCount: try c.decode(Int.self, forKey: .minItemCount),
                  dropDuplicates: try c.decode(Bool.self, forKey: .dropDuplicates))
    }
}
