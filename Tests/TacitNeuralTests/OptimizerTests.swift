import Testing
import TacitCore
@testable import TacitNeural

@Suite struct OptimizerTests {
    /// A dense parameter `[1, -2]` and an embedding table, with gradients set by hand.
    func setUp() -> (ParameterSet, Parameter, Parameter) {
        let set = ParameterSet(seed: 1)
        let dense = set.add("w", rows: 1, columns: 2, initializer: .zeros)
        let table = set.add("e", rows: 3, columns: 2, kind: .embedding, initializer: .zeros)
        try! set.load([[1, -2], [1, 1, 1, 1, 1, 1]])
        return (set, dense, table)
    }

    /// β₁ = ½, β₂ = ¾, η = ½, ε = 10⁻³⁰ (below an ulp of the roots), g = [2, −4] twice. Step 1: m = [1, −2], v = [1, 4],
    /// m̂ = m / ½ = g, v̂ = v / ¼ = g², x −= ½ sign(g) → [0.5, −1.5]. Step 2: m = [1.5, −3],
    /// v = [1.75, 7], m̂ = m / ¾ = [2, −4], v̂ = v / (7/16) = [4, 16], x −= ½ · [1, −1] → [0, −1].
    @Test func adamMatchesHandComputedSteps() {
        let (set, dense, _) = setUp()
        let adam = Adam(Adam.Configuration(learningRate: 0.5, beta1: 0.5, beta2: 0.75, epsilon: 1e-30), parameters: set)
        let gradients = Gradients(set)
        for (step, expected) in [[Float(0.5), -1.5], [0, -1]].enumerated() {
            gradients.zero()
            gradients.dense(dense)[0] = 2
            gradients.dense(dense)[1] = -4
            adam.step(gradients)
            #expect(dense.values.array == expected, "step \(step + 1)")
        }
        #expect(adam.moments(of: dense).first == [1.5, -3] && adam.moments(of: dense).second == [1.75, 7])
    }

    /// AdamW: the decay `η λ x` is subtracted beside the Adam step: 1 − ½ − ½·¼·1 = 0.375.
    @Test func adamWDecaysDecoupled() {
        let (set, dense, _) = setUp()
        let adam = Adam(Adam.Configuration(learningRate: 0.5, beta1: 0.5, beta2: 0.75, epsilon: 1e-30, weightDecay: 0.25), parameters: set)
        let gradients = Gradients(set)
        gradients.dense(dense)[0] = 2
        gradients.dense(dense)[1] = -4
        adam.step(gradients)
        #expect(dense.values.array == [0.375, -1.5 + 0.25])
    }

    /// Lazy Adam moves only the touched rows; dense Adam also moves untouched rows by momentum.
    @Test func lazyAdamSkipsUntouchedRows() {
        for lazy in [true, false] {
            let (set, _, table) = setUp()
            let adam = Adam(Adam.Configuration(learningRate: 0.5, beta1: 0.5, beta2: 0.75, epsilon: 1e-30, lazy: lazy), parameters: set)
            let gradients = Gradients(set)
            gradients.sparse(table).row(1)[0] = 2
            gradients.sparse(table).row(1)[1] = -2
            adam.step(gradients)
            #expect(table.values.array == [1, 1, 0.5, 1.5, 1, 1])
            gradients.zero()
            gradients.sparse(table).row(2)[0] = 4
            adam.step(gradients)
            let values = table.values.array
            // Row 2 touched: m = [2, 0], v = [4, 0], m̂ = [8/3, 0], v̂ = [64/7, 0] → step 8/3 / √(64/7) = √7/3.
            #expect(abs(values[4] - (1 - 0.5 * Float(7).squareRoot() / 3)) < 1e-6 && values[5] == 1)
            if lazy {
                #expect(Array(values[0..<4]) == [1, 1, 0.5, 1.5])
            } else {
                // Row 1 untouched: m = [0.5, −0.5], v = [0.75, 0.75] → m̂ = [2/3, −2/3], v̂ = [12/7, 12/7].
                let step = Float((2.0 / 3) / (12.0 / 7).squareRoot())
                #expect(abs(values[2] - (0.5 - 0.5 * step)) < 1e-6 && abs(values[3] - (1.5 + 0.5 * step)) < 1e-6)
            }
        }
    }

    /// When every row is touched in every step, lazy and dense Adam are bitwise identical.
    @Test func lazyAndDenseAdamAgreeWhenEveryRowIsTouched() {
        var results: [[Float]] = []
        for lazy in [true, false] {
            let (set, _, table) = setUp()
            let adam = Adam(Adam.Configuration(learningRate: 0.1, weightDecay: 0.01, lazy: lazy), parameters: set)
            let gradients = Gradients(set)
            var random = SeededGenerator(seed: 5)
            for _ in 0..<7 {
                gradients.zero()
                for r in [2, 0, 1] { for c in 0..<2 { gradients.sparse(table).row(r)[c] = Float(random.nextGaussian()) } }
                adam.step(gradients)
            }
            results.append(table.values.array)
        }
        #expect(results[0] == results[1])
        #expect(results[0] != [1, 1, 1, 1, 1, 1])
    }

    /// η = ½, a₀ = 0, ε = 10⁻³⁰: g = 3 → a = 9, x = 1 − ½·3/3 = 0.5; g = 4 → a = 25, x = 0.5 − ½·4/5.
    @Test func adagradMatchesHandComputedSteps() {
        let (set, dense, table) = setUp()
        let adagrad = Adagrad(Adagrad.Configuration(learningRate: 0.5, initialAccumulator: 0, epsilon: 1e-30), parameters: set)
        let gradients = Gradients(set)
        gradients.dense(dense)[0] = 3
        gradients.sparse(table).row(2)[1] = 3
        adagrad.step(gradients)
        #expect(dense.values.array == [0.5, -2])
        #expect(table.values.array == [1, 1, 1, 1, 1, 0.5])
        gradients.zero()
        gradients.dense(dense)[0] = 4
        adagrad.step(gradients)
        #expect(dense.values.array == [0.5 - 2 / Float(5), -2])
        #expect(adagrad.accumulator(of: dense) == [25, 0] && adagrad.accumulator(of: table) == [0, 0, 0, 0, 0, 9])
    }

    @Test func initializersAreSeededPerParameter() {
        let a = ParameterSet(seed: 3), b = ParameterSet(seed: 3)
        a.add("x", rows: 2, columns: 3, initializer: .glorotUniform)
        b.add("x", rows: 2, columns: 3, initializer: .glorotUniform)
        b.add("y", rows: 4, columns: 3, kind: .embedding, initializer: .uniform(scale: 0.05))
        #expect(a.parameters[0].values.array == b.parameters[0].values.array)
        let limit = Float((6.0 / 5).squareRoot())
        #expect(a.parameters[0].values.array.allSatisfy { abs($0) <= limit })
        #expect(b.parameters[1].values.array.allSatisfy { abs($0) <= 0.05 })
        #expect(ParameterSet(seed: 4).add("x", rows: 2, columns: 3, initializer: .glorotUniform).values.array != a.parameters[0].values.array)
    }
}
