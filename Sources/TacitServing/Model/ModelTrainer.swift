import Foundation
import TacitCore
import TacitEvaluation
import TacitModels
import TacitStore

/// Trains a model version from the events in a store: reads them all (paged), weights them,
/// optionally measures a leave-last-out holdout, fits on everything, and writes a model file
/// (`v<version>-<model>.tacitmodel`: each model numbers its own versions, so the model's name
/// keeps the files of two models apart).
struct ModelTrainer: Sendable {
    let store: any EventStore
    let configuration: ServiceConfiguration
    /// The model to train: the main one or a variant's.
    let model: ServiceConfiguration.ModelChoice
    let directory: String

    /// A finished version: its record (already saved in the store) and the loaded file.
    struct Output: Sendable {
        let record: ModelVersionRecord
        let contents: ModelFile.Contents
    }

    func train(version: Int) async throws -> Output {
        let descriptor = try ModelCatalog.descriptor(named: model.name)
        let parameters = try descriptor.parameters(from: model.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        // Read up to the current end of the log; later events are folded in at request time.
        let end = try await store.lastSequence()
        var log = EventLog()
        var after: Int64 = 0
        var firstTime: Int64?, lastTime: Int64?
        // A learned ranker also learns from the lists shown and the events attributed to them.
        let readsImpressions = descriptor.name == Ranker.descriptor.name
        var attributed: [String: [StoredEvent]] = [:]
        var exposures = ItemExposures()
        while after < end {
            let page = try await store.events(after: after, limit: 50_000)
            guard !page.isEmpty else { break }
            for stored in page where stored.sequence <= end {
                log.append(stored.event)
                if readsImpressions, let id = stored.recommendationID {
                    attributed[id, default: []].append(stored)
                    if configuration.weighting.weight(of: stored.kind) > 0 { exposures.actions.append((stored.item, stored.timestamp)) }
                }
                firstTime = min(firstTime ?? stored.timestamp, stored.timestamp)
                lastTime = max(lastTime ?? stored.timestamp, stored.timestamp)
            }
            after = page.last!.sequence
        }
        guard !log.isEmpty else { throw ServiceError.noEvents }

        // The kind weights fixed for this log: the model file keeps them for the events folded in later.
        let weighting = configuration.weighting.resolved(for: log)
        var run = ModelRun(weighting: weighting, threads: configuration.training.threads,
                           side: try await side())
        var metrics: [String: Double] = [:]
        if configuration.training.evaluate {
            // Without the impressions: their attributed events may be the holdout's own.
            metrics = try await holdoutMetrics(log: log, descriptor: descriptor, parameters: parameters, run: run)
        }
        run.shownLists = try await shownLists(attributed)
        if readsImpressions {
            try await store.forEachImpressionPage { page in exposures.shown += page.map { (items: $0.items, time: $0.timestamp) } }
            run.exposures = exposures
        }
        let matrix = try weighting.matrix(from: log)
        let (model, fitSeconds) = try await run.fit(descriptor, parameters: parameters, training: matrix)

        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("v\(version)-\(descriptor.name).tacitmodel")
        // The retrieval indexes are built once here and saved with the model.
        try ModelFile.save(configuration.retrieval.preparedForSaving(model), name: descriptor.name, parameters: parameters,
                           weighting: weighting, to: path)
        let record = ModelVersionRecord(
            version: version, model: descriptor.name,
            parameters: parameters.values.mapValues(\.description), path: path,
            createdAt: Int64(Date().timeIntervalSince1970), lastSequence: end,
            firstEventTime: firstTime, lastEventTime: lastTime, events: log.count,
            users: matrix.userCount, items: matrix.itemCount, fitSeconds: fitSeconds, metrics: metrics)
        let contents = try ModelFile.load(from: path, verify: false)
        return Output(record: record, contents: contents)
    }

    /// The recorded responses that events were attributed to, each with the strongest kind its
    /// user had on each shown item at or after it was shown (an event from another user, on an
    /// item not shown, before the response, or of a kind the weighting ignores counts for nothing).
    private func shownLists(_ attributed: [String: [StoredEvent]]) async throws -> [ShownList] {
        guard !attributed.isEmpty else { return [] }
        let weighting = configuration.weighting
        return try await store.impressions(recommendationIDs: Array(attributed.keys)).compactMap { impression in
            var list = ShownList(user: impression.user, items: impression.items, time: impression.timestamp, outcomes: [:])
            let shown = Set(impression.items)
            for event in attributed[impression.recommendationID] ?? []
            where event.user == impression.user && shown.contains(event.item) && event.timestamp >= impression.timestamp
                && weighting.weight(of: event.kind) > 0 {
                list.record(event.kind, for: event.item)
            }
            return list.outcomes.isEmpty ? nil : list
        }
    }

    /// Every event of the store up to its current end, in order of arrival (the background
    /// search's data).
    func events() async throws -> EventLog {
        let end = try await store.lastSequence()
        var log = EventLog()
        var after: Int64 = 0
        while after < end {
            let page = try await store.events(after: after, limit: 50_000)
            guard let last = page.last else { break }
            for stored in page where stored.sequence <= end { log.append(stored.event) }
            after = last.sequence
        }
        return log
    }

    /// The item and user records of the store, for models that train on their features.
    func side() async throws -> SideInformation {
        SideInformation(items: try await catalogue(), users: try await userRecords())
    }

    /// Every item record of the store, for models that train on item features.
    private func catalogue() async throws -> [ItemRecord] {
        var records: [ItemRecord] = []
        try await store.forEachItemPage { records += $0 }
        return records
    }

    /// Every user record of the store, for models that train on user features.
    private func userRecords() async throws -> [UserRecord] {
        var records: [UserRecord] = []
        try await store.forEachUserPage { records += $0 }
        return records
    }

    /// NDCG/recall/HR@10 and coverage of the same model fitted without each user's last event.
    private func holdoutMetrics(log: EventLog, descriptor: ModelDescriptor, parameters: Parameters, run: ModelRun) async throws -> [String: Double] {
        let split = LeaveLastOut(validation: false).split(log)
        guard !split.test.isEmpty, !split.train.isEmpty else { return [:] }
        let training = try configuration.weighting.matrix(from: split.train)
        let testSet = TestSet(test: split.test, training: training)
        guard !testSet.users.isEmpty else { return [:] }
        let result = try await run.run(descriptor, parameters: parameters, training: training, testSet: testSet)
        var metrics: [String: Double] = [:]
        for (metric, value) in result.report.values where metric.cutoff == 10 { metrics[metric.description] = value }
        metrics["holdout_users"] = Double(result.report.users)
        return metrics
    }
}
