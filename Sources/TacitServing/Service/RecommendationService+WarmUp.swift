import TacitCore
import TacitModels

extension RecommendationService {
    /// Fills a freshly swapped model's personal cache for its trained users in the background,
    /// through the model's batch path (blocked GEMM for factor models: far cheaper per user than
    /// one request at a time); for a ranker, the cache of its sources' lists. Stops when another
    /// version takes over or the cache is full.
    func warmUp(_ model: ServingModel) {
        guard configuration.serving.cacheUsers > 0 else { return }
        Task.detached(priority: .background) { [self] in
            let users = model.recommender.trainingData.users
            let total = min(users.count, configuration.serving.cacheUsers)
            let chunk = 2_048
            var start = 0
            while start < total {
                guard currentModel(named: model.info.model)?.info.version == model.info.version, !Task.isCancelled else { return }
                let indices = (start..<min(start + chunk, total)).map { Int32($0) }
                // A ranker's features move with time: only its retrieval (the sources' lists) is cached.
                let ranker = model.recommender as? RankerModel
                let lists = ranker != nil ? [] : model.recommender.recommendAll(users: indices, count: model.cachedLength,
                                                                                 filter: .excludingHistory, threads: 1)
                let catalog = catalog.snapshot
                let sources = self.sources
                for (k, user) in indices.enumerated() {
                    let id = users.id(at: user)
                    let context = RecommendationContext(user: id, history: histories.entries(of: id), contextItems: [], catalog: catalog, model: model,
                                                        trainedVectorRevoked: forgotten.revokes(id, lastSequence: model.info.lastSequence))
                    guard context.trainedUserWithoutNewEvents != nil else { continue }
                    if let ranker {
                        sources.warmRankerLists(context, model: model, ranker: ranker)
                    } else {
                        model.personalCache.store(CachedCandidates(sources.anchored(lists[k], context: context, model: model)), for: id)
                    }
                }
                start += chunk
                await Task.yield()
            }
            logger.info("warmed the personal cache of \(model.label) for \(total) users")
        }
    }
}
