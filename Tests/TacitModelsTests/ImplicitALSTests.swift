import Foundation
import Testing
import TacitCore
import TacitTestSupport
@testable import TacitModels

@Suite struct ImplicitALSTests {
    func configuration(factors: Int = 4, iterations: Int = 10, solver: ImplicitALS.Configuration.Solver = .cholesky) -> ImplicitALS.Configuration {
        var c = ImplicitALS.Configuration()
        c.factors = factors
        c.iterations = iterations
        c.regularization = 0.1
        c.alpha = 2
        c.solver = solver
        c.threads = 2
        return c
    }

    /// With one factor the normal equations are scalar: x = Σ c_i y_i / (Σ y_i² + λ + Σ (c_i − 1) y_i²).
    @Test func exactSolveMatchesTheScalarFormula() {
        let other: [Float] = [0.5, -2, 3]   // three items, f = 1
        let gram: [Float] = [0.25 + 4 + 9]
        let indices: [Int32] = [0, 2], weights: [Float] = [1, 3]   // c = 1 + 2w = 3, 7
        let workspace = ALSWorkspace(factors: 1)
        var x: [Float] = [0]
        other.withUnsafeBufferPointer { o in
            gram.withUnsafeBufferPointer { g in
                let solver = ALSRowSolver(factors: 1, alpha: 2, other: o.baseAddress!, gram: g.baseAddress!)
                indices.withUnsafeBufferPointer { i in weights.withUnsafeBufferPointer { w in
                    x.withUnsafeMutableBufferPointer { solver.exact(x: $0.baseAddress!, indices: i, weights: w, lambda: 0.5, workspace: workspace) }
                } }
            }
        }
        let numerator: Double = 3 * 0.5 + 7 * 3
        let denominator: Double = 13.25 + 0.5 + 2 * 0.25 + 6 * 9
        let expected = numerator / denominator
        #expect(abs(Double(x[0]) - expected) < 1e-6)
    }

    /// Conjugate gradient run for f steps on an f-dimensional SPD system is exact (up to rounding).
    @Test func conjugateGradientConvergesToTheExactSolve() {
        let f = 8, items = 30
        var random = SeededGenerator(seed: 7)
        let other = (0..<(items * f)).map { _ in Float(random.nextUnit() - 0.5) }
        var gram = [Float](repeating: 0, count: f * f)
        other.withUnsafeBufferPointer { o in gram.withUnsafeMutableBufferPointer { LinearAlgebra.gram(rows: items, columns: f, a: o.baseAddress!, c: $0.baseAddress!) } }
        let indices: [Int32] = [1, 4, 9, 17, 25], weights: [Float] = [1, 2, 8, 1, 4]
        let workspace = ALSWorkspace(factors: f)
        var exact = [Float](repeating: 0, count: f), cg = [Float](repeating: 0.01, count: f), fewSteps = cg
        other.withUnsafeBufferPointer { o in gram.withUnsafeBufferPointer { g in indices.withUnsafeBufferPointer { i in weights.withUnsafeBufferPointer { w in
            let solver = ALSRowSolver(factors: f, alpha: 3, other: o.baseAddress!, gram: g.baseAddress!)
            exact.withUnsafeMutableBufferPointer { solver.exact(x: $0.baseAddress!, indices: i, weights: w, lambda: 0.2, workspace: workspace) }
            cg.withUnsafeMutableBufferPointer { solver.conjugateGradient(x: $0.baseAddress!, indices: i, weights: w, lambda: 0.2, steps: 3 * f, workspace: workspace) }
            fewSteps.withUnsafeMutableBufferPointer { solver.conjugateGradient(x: $0.baseAddress!, indices: i, weights: w, lambda: 0.2, steps: 2, workspace: workspace) }
        } } } }
        for k in 0..<f { #expect(abs(cg[k] - exact[k]) < 1e-4 * max(1, abs(exact[k])), "component \(k): \(cg[k]) vs \(exact[k])") }
        // Two steps already move most of the way from the start towards the solution.
        let distance = { (v: [Float]) in zip(v, exact).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
        #expect(distance(fewSteps) < 0.5 * distance([Float](repeating: 0.01, count: f)))
    }

    /// Exact alternating solves never increase the objective.
    @Test func exactALSLossNeverIncreases() async throws {
        let data = Fixtures.randomBlocks()
        let state = ALSState(data: data, original: data, configuration: configuration(factors: 6))
        var previous = Double.infinity
        for _ in 0..<8 {
            state.solveItems()
            state.solveUsers()
            let loss = state.loss()
            #expect(loss <= previous * (1 + 1e-5), "loss went up: \(previous) → \(loss)")
            previous = loss
        }
    }

    /// CG training with enough steps reaches (nearly) the same model as exact training.
    @Test func cgTrainingMatchesCholeskyTraining() async throws {
        let data = Fixtures.randomBlocks()
        var cg = configuration(factors: 6, iterations: 15, solver: .cg)
        cg.cgSteps = 12
        let exact = try await ImplicitALS(configuration(factors: 6, iterations: 15)).fit(data, observer: SilentObserver())
        let approximate = try await ImplicitALS(cg).fit(data, observer: SilentObserver())
        var agree = 0
        for u in 0..<data.userCount {
            let a = exact.recommend(for: UserIndex(u), count: 3, filter: .excludingHistory).map(\.item)
            let b = approximate.recommend(for: UserIndex(u), count: 3, filter: .excludingHistory).map(\.item)
            if a == b { agree += 1 }
        }
        #expect(Double(agree) >= 0.9 * Double(data.userCount), "only \(agree) of \(data.userCount) users agree")
    }

    @Test func conformsWithBothSolvers() async throws {
        for matrix in [Fixtures.checkerboard(), Fixtures.randomBlocks()] {
            for solver in ImplicitALS.Configuration.Solver.allCases {
                let model = try await ImplicitALS(configuration(factors: 4, iterations: 12, solver: solver)).fit(matrix, observer: SilentObserver())
                #expect(ModelConformance.recommender(model).isEmpty, "\(solver): \(ModelConformance.recommender(model).prefix(3))")
                #expect(ModelConformance.similarity(model, itemCount: matrix.itemCount).isEmpty)
                if solver == .cholesky {
                    // Users are solved last and exactly, so fold-in reproduces them.
                    #expect(ModelConformance.foldIn(model, tolerance: 1e-3).isEmpty, "\(ModelConformance.foldIn(model, tolerance: 1e-3).prefix(3))")
                }
            }
        }
    }

    @Test func checkerboardRecoversTheMissingItem() async throws {
        let data = Fixtures.checkerboard()
        let model = try await ImplicitALS(configuration(factors: 8, iterations: 20)).fit(data, observer: SilentObserver())
        for u in 0..<8 {
            let top = model.recommend(for: UserIndex(u), count: 1, filter: .excludingHistory)
            #expect(data.items.id(at: top[0].item) == "i\(u)", "user \(u)")
        }
    }

    /// Folding in a training user's own history with the CG-trained model gives nearly their
    /// trained vector and the same top-10.
    @Test func foldInOfATrainingHistoryReproducesTheTrainedUser() async throws {
        let data = Fixtures.randomBlocks(users: 200, items: 120)
        var c = configuration(factors: 16, iterations: 15, solver: .cg)
        c.regularization = 1
        let model = try await ImplicitALS(c).fit(data, observer: SilentObserver())
        var sameTop = 0
        for u in 0..<data.userCount {
            let history = data.history(of: u)
            let folded = model.foldIn(history), trained = Array(model.vector(of: UserIndex(u)))
            let cosine = Self.cosine(folded, trained)
            #expect(cosine > 0.99, "user \(u): cosine \(cosine)")
            if model.recommend(history: history, count: 10, filter: .excludingHistory).map(\.item)
                == model.recommend(for: UserIndex(u), count: 10, filter: .excludingHistory).map(\.item) { sameTop += 1 }
        }
        #expect(Double(sameTop) >= 0.9 * Double(data.userCount), "same top-10 for only \(sameTop) of \(data.userCount)")
    }

    /// A new event moves the user's recommendations without retraining.
    @Test func foldInReactsToANewEvent() async throws {
        let data = Fixtures.checkerboard()
        let model = try await ImplicitALS(configuration(factors: 8, iterations: 20)).fit(data, observer: SilentObserver())
        let before = model.recommend(history: data.history(of: 0), count: 3, filter: .excludingHistory)
        let extended = WeightingPolicy().extend(data.history(of: 0), with: [(before[0].item, .purchase, 1_000)])
        let after = model.recommend(history: extended, count: 3, filter: .excludingHistory)
        #expect(!after.contains { $0.item == before[0].item })
        #expect(after != before)
    }

    @Test func earlyStoppingKeepsTheBestIteration() async throws {
        let data = Fixtures.randomBlocks()
        let calls = ResultSlots<Int>(count: 1, initial: 0)
        // Scores rise for three iterations, then fall: training stops after `patience` more.
        let stopping = EarlyStopping(metric: "score", patience: 2) { _ in
            calls[0] += 1
            return calls[0] <= 3 ? Double(calls[0]) : 3 - Double(calls[0])
        }
        var c = configuration(iterations: 20)
        c.threads = 1
        let model = try await ImplicitALS(c, earlyStopping: stopping).fit(data, observer: SilentObserver())
        #expect(calls[0] == 5)
        var three = c
        three.iterations = 3
        let reference = try await ImplicitALS(three).fit(data, observer: SilentObserver())
        #expect(Array(model.userFactors.buffer) == Array(reference.userFactors.buffer))
    }

    @Test func singleThreadAndMultiThreadTrainingAgree() async throws {
        let data = Fixtures.randomBlocks()
        var one = configuration(solver: .cg)
        one.threads = 1
        var three = one
        three.threads = 3
        let a = try await ImplicitALS(one).fit(data, observer: SilentObserver())
        let b = try await ImplicitALS(three).fit(data, observer: SilentObserver())
        #expect(Array(a.userFactors.buffer) == Array(b.userFactors.buffer))
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var ab: Float = 0, aa: Float = 0, bb: Float = 0
        for k in 0..<a.count { ab += a[k] * b[k]; aa += a[k] * a[k]; bb += b[k] * b[k] }
        return ab / (aa.squareRoot() * bb.squareRoot())
    }

    @Test func invalidConfigurationNamesTheField() throws {
        var c = ImplicitALS.Configuration()
        c.factors = 0
        #expect(throws: TacitError.invalidArgument("als: factors must be in 1...4096, got 0")) { try c.validate() }
        #expect(throws: TacitError.self) { try ImplicitALS.descriptor.parameters(from: ["regularization=-1"]) }
    }
}
