import Testing
import TacitCore
@testable import TacitExperiments

struct BanditTests {
    @Test func gammaAndBetaSamplersHaveTheRightMoments() {
        var rng = SeededGenerator(seed: 7)
        let n = 100_000
        // Gamma(k): mean k, variance k; shapes below and above 1.
        for shape in [0.5, 3.0] {
            var moments = Moments()
            for _ in 0..<n { moments.add(rng.nextGamma(shape: shape)) }
            // Standard error of the mean √(k/n); of the variance ≈ √((μ₄ − σ⁴)/n) = √((6k + 2k²)/n)... use 5 SE.
            #expect(abs(moments.mean - shape) < 5 * (shape / Double(n)).squareRoot(), "Gamma(\(shape)) mean \(moments.mean)")
            #expect(abs(moments.variance - shape) < 5 * ((6 * shape + 2 * shape * shape) / Double(n)).squareRoot())
        }
        // Beta(2, 5): mean 2/7, variance ab / ((a+b)²(a+b+1)) = 10/392.
        var beta = Moments()
        for _ in 0..<n {
            let x = rng.nextBeta(2, 5)
            #expect(x > 0 && x < 1)
            beta.add(x)
        }
        let variance = 10.0 / 392
        #expect(abs(beta.mean - 2.0 / 7) < 5 * (variance / Double(n)).squareRoot(), "\(beta.mean)")
        #expect(abs(beta.variance - variance) / variance < 0.02, "\(beta.variance)")
    }

    @Test func epsilonGreedyAllocationIsExact() {
        let bandit = Bandit(policy: .epsilonGreedy(epsilon: 0.2, floor: 0.05), shares: [1, 1, 1, 1])
        var state = BanditState(arms: 4)
        #expect(bandit.allocation(state) == [0.25, 0.25, 0.25, 0.25], "no outcomes: the shares")
        state.record(arm: 0, pulls: 10, successes: 1)
        state.record(arm: 1, pulls: 10, successes: 3)
        state.record(arm: 2, pulls: 10, successes: 2)
        state.record(arm: 3, pulls: 10, successes: 3)
        // Own: 0.05 each + 0.8 split by the tied arms 1 and 3 → [0.05, 0.45, 0.05, 0.45];
        // with the floor: 0.05 + 0.8 · own.
        let allocation = bandit.allocation(state)
        let low: Double = 0.05 + 0.8 * 0.05, high: Double = 0.05 + 0.8 * 0.45
        let expected = [low, high, low, high]
        for (a, e) in zip(allocation, expected) { #expect(abs(a - e) < 1e-15) }
    }

    @Test func ucb1PlaysUnplayedArmsThenTheHighestBound() {
        let bandit = Bandit(policy: .ucb1(floor: 0.1), shares: [1, 1, 1])
        var state = BanditState(arms: 3)
        state.record(arm: 0, reward: 1)
        // Arms 1 and 2 are unplayed: they share the mass above the floors.
        let shared: Double = 0.1 + 0.7 * 0.5
        #expect(bandit.allocation(state) == [0.1, shared, shared])
        state.record(arm: 1, pulls: 100, successes: 50)
        state.record(arm: 2, pulls: 4, successes: 2)
        // n = 105: bounds 1 + √(2 ln 105 / 1) = 4.05, 0.5 + 0.30, 0.5 + 1.53 → arm 0.
        let bounds = bandit.allocation(state)
        #expect(abs(bounds[0] - 0.8) < 1e-15 && bounds[1] == 0.1 && bounds[2] == 0.1, "\(bounds)")
    }

    @Test func thompsonFavoursTheBetterArmAndRespectsTheFloor() {
        let bandit = Bandit(policy: .thompson(floor: 0.05), shares: [1, 1, 1], configuration: .init(thompsonDraws: 4_000, seed: 3))
        var state = BanditState(arms: 3)
        state.record(arm: 0, pulls: 1_000, successes: 100)
        state.record(arm: 1, pulls: 1_000, successes: 150)
        state.record(arm: 2, pulls: 1_000, successes: 120)
        let allocation = bandit.allocation(state)
        #expect(abs(allocation.reduce(0, +) - 1) < 1e-12)
        #expect(allocation.allSatisfy { $0 >= 0.05 })
        // P(arm 1 best) = ∫ f₁(x) F₀(x) F₂(x) dx = 0.97485 (scipy quadrature), so arm 1 gets
        // 0.05 + 0.85 · 0.97485, within 4 Monte Carlo SE (√(p(1−p)/4000) = 0.0025).
        let expected = 0.05 + 0.85 * 0.9748536387309876
        #expect(abs(allocation[1] - expected) < 0.85 * 4 * 0.0025, "\(allocation)")
        #expect(bandit.allocation(state) == allocation, "seeded: the same state gives the same allocation")
        // Two equal arms with lots of data split about evenly: P(best) ≈ ½ ± 3 · √(¼ / 4000).
        var even = BanditState(arms: 2)
        even.record(arm: 0, pulls: 10_000, successes: 1_000)
        even.record(arm: 1, pulls: 10_000, successes: 1_000)
        let split = Bandit(policy: .thompson(floor: 0), shares: [1, 1], configuration: .init(thompsonDraws: 4_000)).allocation(even)
        #expect(abs(split[0] - 0.5) < 3 * (0.25 / 4_000).squareRoot(), "\(split)")
    }

    @Test func floorsHoldForEveryPolicy() {
        var state = BanditState(arms: 4)
        state.record(arm: 2, pulls: 500, successes: 400)
        state.record(arm: 0, pulls: 500, successes: 10)
        state.record(arm: 1, pulls: 5, successes: 0)
        state.record(arm: 3, pulls: 5, successes: 0)
        for policy: AllocationPolicy in [.thompson(floor: 0.1), .ucb1(floor: 0.1), .epsilonGreedy(epsilon: 0.01, floor: 0.1)] {
            let allocation = Bandit(policy: policy, shares: [1, 1, 1, 1]).allocation(state)
            #expect(allocation.allSatisfy { $0 >= 0.1 - 1e-12 }, "\(policy.name): \(allocation)")
            #expect(abs(allocation.reduce(0, +) - 1) < 1e-12)
        }
        // Fixed: the shares, whatever the state.
        #expect(Bandit(policy: .fixed, shares: [1, 3]).allocation(BanditState(arms: 2)) == [0.25, 0.75])
    }

    @Test func stateClampsRewardsAndCounts() {
        var state = BanditState(arms: 2)
        state.record(arm: 1, reward: 3)
        state.record(arm: 1, reward: -1)
        #expect(state.arms[1] == .init(pulls: 2, rewardSum: 1))
        #expect(state.arms[1].mean == 0.5 && state.totalPulls == 2 && state.arms[0].mean == 0)
    }
}
