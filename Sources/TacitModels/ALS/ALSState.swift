import Foundation
import TacitCore

/// The factors of an iALS run in progress: the alternating half-steps, the loss, and snapshots as
/// fitted models.
///
/// `@unchecked Sendable`: the factor buffers are written only inside the parallel loops of a
/// half-step, each row by exactly one worker, and read by the next half-step after the loop
/// returns.
final class ALSState: @unchecked Sendable {
    /// The matrix trained on (recency-discounted when configured).
    let data: InteractionMatrix
    /// The matrix the model reports as its training data (histories to exclude).
    let original: InteractionMatrix
    let configuration: ImplicitALS.Configuration
    let factors: Int
    let userFactors: UnsafeMutableBufferPointer<Float>
    let itemFactors: UnsafeMutableBufferPointer<Float>
    /// `G` of the side solved against in the latest half-step (`YᵀY` after ``solveUsers()``).
    private(set) var gram: [Float]
    let userLambda: [Float]
    let itemLambda: [Float]
    private var adopted = false

    init(data: InteractionMatrix, original: InteractionMatrix, configuration: ImplicitALS.Configuration) {
        self.data = data
        self.original = original
        self.configuration = configuration
        let f = configuration.factors
        factors = f
        userFactors = .allocate(capacity: max(1, data.userCount * f))
        itemFactors = .allocate(capacity: max(1, data.itemCount * f))
        gram = [Float](repeating: 0, count: f * f)
        // Users and items draw from separate seeded streams, so neither depends on the other's size.
        for (buffer, count, index) in [(userFactors, data.userCount, UInt64(0)), (itemFactors, data.itemCount, 1)] {
            var random = SeededGenerator.stream(seed: configuration.seed, index: index)
            for k in 0..<(count * f) { buffer[k] = Float(random.nextUnit() * configuration.initScale) }
        }
        let lambda = configuration.regularization, nu = configuration.frequencyScaling
        userLambda = (0..<data.userCount).map { Float(lambda * Foundation.pow(Double(max(1, data.rowLength($0))), nu)) }
        itemLambda = (0..<data.itemCount).map { Float(lambda * Foundation.pow(Double(max(1, data.columnLength($0))), nu)) }
    }

    deinit {
        if !adopted {
            userFactors.deallocate()
            itemFactors.deallocate()
        }
    }

    /// Solves every item given the user factors.
    func solveItems() {
        halfStep(solving: itemFactors, rows: data.itemCount, against: userFactors, againstRows: data.userCount,
                 lambdas: itemLambda) { [data] i in
            let column = data.column(i)
            return (column.users, column.values)
        }
    }

    /// Solves every user given the item factors.
    func solveUsers() {
        halfStep(solving: userFactors, rows: data.userCount, against: itemFactors, againstRows: data.itemCount,
                 lambdas: userLambda) { [data] u in data.row(u) }
    }

    private func halfStep(solving target: UnsafeMutableBufferPointer<Float>, rows: Int,
                          against other: UnsafeMutableBufferPointer<Float>, againstRows: Int, lambdas: [Float],
                          entries: @escaping @Sendable (Int) -> (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>)) {
        let f = factors
        gram.withUnsafeMutableBufferPointer { g in
            if againstRows > 0 {
                LinearAlgebra.gram(rows: againstRows, columns: f, a: other.baseAddress!, c: g.baseAddress!)
            } else {
                g.update(repeating: 0)
            }
        }
        let shared = SharedMutableBuffer(target), fixed = SharedMutableBuffer(other)
        let gramCopy = StorageBuffer(gram)
        let config = configuration
        Parallel.forEach(0..<rows, threads: config.threads, makeState: { ALSWorkspace(factors: f) }) { workspace, row in
            let solver = ALSRowSolver(factors: f, alpha: Float(config.alpha), other: UnsafePointer(fixed.base.baseAddress!),
                                      gram: gramCopy.buffer.baseAddress!)
            let (indices, weights) = entries(row)
            let x = shared.base.baseAddress! + row * f
            switch config.solver {
            case .cg: solver.conjugateGradient(x: x, indices: indices, weights: weights, lambda: lambdas[row], steps: config.cgSteps, workspace: workspace)
            case .cholesky: solver.exact(x: x, indices: indices, weights: weights, lambda: lambdas[row], workspace: workspace)
            }
        }
    }

    /// The training objective (see ``ImplicitALS``) divided by the number of observed entries,
    /// for the current factors. Call after ``solveUsers()`` (it uses `YᵀY`).
    func loss() -> Double {
        let f = factors, users = data.userCount, threads = configuration.threads
        let partial = ResultSlots<Double>(count: threads, initial: 0)
        let items = SharedMutableBuffer(itemFactors), usersBuffer = SharedMutableBuffer(userFactors)
        let gramCopy = StorageBuffer(gram)
        let (data, alpha, lambdas) = (data, Float(configuration.alpha), userLambda)
        Parallel.forEachBlock(0..<users, threads: threads) { worker, block in
            let workspace = ALSWorkspace(factors: f)
            let solver = ALSRowSolver(factors: f, alpha: alpha, other: UnsafePointer(items.base.baseAddress!), gram: gramCopy.buffer.baseAddress!)
            var sum = 0.0
            for u in block {
                let row = data.row(u)
                sum += solver.loss(x: usersBuffer.base.baseAddress! + u * f, indices: row.items, weights: row.values,
                                   lambda: lambdas[u], workspace: workspace)
            }
            partial[worker] = sum
        }
        var total = partial.values.reduce(0, +)
        for i in 0..<data.itemCount {
            let y = itemFactors.baseAddress! + i * f
            total += Double(itemLambda[i]) * Double(LinearAlgebra.dot(y, y, count: f))
        }
        return total / Double(max(1, data.nnz))
    }

    /// The current factors as a fitted model (copies them; training can go on).
    func model() -> ImplicitALSModel {
        makeModel(users: StorageBuffer(Array(userFactors.prefix(data.userCount * factors))),
                  items: StorageBuffer(Array(itemFactors.prefix(data.itemCount * factors))))
    }

    /// The final model, taking over the factor memory (no copy); the state must not be used after.
    func finish() -> ImplicitALSModel {
        adopted = true
        return makeModel(users: StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: userFactors[0..<(data.userCount * factors)])),
                         items: StorageBuffer(adopting: UnsafeMutableBufferPointer(rebasing: itemFactors[0..<(data.itemCount * factors)])))
    }

    private func makeModel(users: StorageBuffer<Float>, items: StorageBuffer<Float>) -> ImplicitALSModel {
        ImplicitALSModel(trainingData: original, factors: factors, userFactors: configuration.precision.applied(to: users, width: factors),
                         itemFactors: configuration.precision.applied(to: items, width: factors),
                         solverSettings: .init(alpha: configuration.alpha, regularization: configuration.regularization,
                                               frequencyScaling: configuration.frequencyScaling, recency: configuration.recency))
    }
}
