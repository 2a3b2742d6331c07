import Testing
@testable import TacitExperiments

struct AssignmentTests {
    let twoWay = ExperimentDefinition(id: "exp", variants: [.init(name: "control"), .init(name: "treatment")])

    @Test func hashIsFNV1aWithTheSplitmixFinaliser() {
        // Reference (python3): fmix(fnv1a(salt + 0x1f + user [+ 0x1f + request as 8 LE bytes])).
        #expect(AssignmentHash.hash(user: "u1", salt: "exp") == 0x58bb_1527_af95_7c08)
        #expect(AssignmentHash.unit(user: "u1", salt: "exp") == 0.3466046544923155)
        #expect(AssignmentHash.hash(user: "alice", salt: "home-ranker") == 0x6a78_ac48_1ca0_ac54)
        #expect(AssignmentHash.hash(user: "u1", salt: "exp", request: 7) == 0x00e1_f316_b02a_7806)
        #expect(AssignmentHash.hash(user: "b", salt: "a") != AssignmentHash.hash(user: "", salt: "ab"))
    }

    @Test func assignmentIsStickyAndFollowsTheHash() throws {
        let assigner = try ExperimentAssigner(twoWay)
        // u = 0.3466 < 0.5 → control, propensity 0.5.
        let first = try #require(assigner.assign(user: "u1"))
        #expect(first.variant == "control" && first.variantIndex == 0 && first.propensity == 0.5)
        for _ in 0..<3 { #expect(assigner.assign(user: "u1") == first) }
    }

    @Test func hashIsUniformOver100kIds() throws {
        // χ² goodness of fit of 100 000 ids in 20 equal bins: 19 df; p > 0.001 (threshold of SRM).
        var bins = [Int](repeating: 0, count: 20)
        for i in 0..<100_000 { bins[Int(AssignmentHash.unit(user: "user-\(i)", salt: "uniformity") * 20)] += 1 }
        let check = try SampleRatioCheck(observed: bins, shares: Array(repeating: 1, count: 20))
        #expect(!check.mismatch, "χ² = \(check.chiSquare), p = \(check.pValue)")
        #expect(check.pValue > 0.01)
    }

    @Test func differentSaltsAreIndependent() throws {
        // Pearson correlation of the uniforms of two salts over 100k ids: ~N(0, 1/√n = 0.0032).
        var x = Moments(), y = Moments()
        var cross = 0.0
        var together = [0, 0, 0, 0]
        let n = 100_000
        for i in 0..<n {
            let a = AssignmentHash.unit(user: "user-\(i)", salt: "layer-a"), b = AssignmentHash.unit(user: "user-\(i)", salt: "layer-b")
            x.add(a)
            y.add(b)
            cross += a * b
            together[(a < 0.5 ? 0 : 2) + (b < 0.5 ? 0 : 1)] += 1
        }
        let covariance = cross / Double(n) - x.mean * y.mean
        let correlation = covariance / (x.variance * y.variance).squareRoot()
        #expect(abs(correlation) < 4 / Double(n).squareRoot(), "correlation \(correlation)")
        // The 2 × 2 table of the two 50/50 splits is uniform (independence).
        let table = try SampleRatioCheck(observed: together, shares: [1, 1, 1, 1])
        #expect(!table.mismatch, "\(together)")
    }

    @Test func holdoutAndSharesSplitTraffic() throws {
        var definition = twoWay
        definition.holdout = 0.2
        definition.variants[0].share = 1
        definition.variants[1].share = 3
        let assigner = try ExperimentAssigner(definition)
        var counts = [0, 0, 0]
        for i in 0..<40_000 {
            let assignment = try #require(assigner.assign(user: "u\(i)"))
            if assignment.isHoldout {
                #expect(assignment.propensity == 0.2)
                counts[2] += 1
            } else {
                counts[assignment.variantIndex!] += 1
                #expect(assignment.propensity == (assignment.variantIndex == 0 ? 0.25 : 0.75))
            }
        }
        // Expected 0.8·0.25, 0.8·0.75, 0.2 of 40 000.
        let check = try SampleRatioCheck(observed: counts, shares: [0.2, 0.6, 0.2])
        #expect(!check.mismatch, "\(counts)")
    }

    @Test func timeWindowGatesAssignment() throws {
        var definition = twoWay
        definition.start = 100
        definition.stop = 200
        let assigner = try ExperimentAssigner(definition)
        #expect(assigner.assign(user: "u1", at: 99) == nil)
        #expect(assigner.assign(user: "u1", at: 100) != nil)
        #expect(assigner.assign(user: "u1", at: 200) == nil)
        #expect(assigner.assign(user: "u1") != nil)
    }

    @Test func banditAssignmentFollowsTheAllocationPerRequest() throws {
        var definition = twoWay
        definition.policy = .thompson(floor: 0.1)
        let assigner = try ExperimentAssigner(definition)
        let allocation = [0.9, 0.1]
        var arms = [0, 0]
        var variants: Set<String> = []
        for request in 0..<20_000 {
            let assignment = try #require(assigner.assign(user: "u1", request: UInt64(request), allocation: allocation))
            arms[assignment.variantIndex!] += 1
            variants.insert(assignment.variant!)
            #expect(assignment.propensity == allocation[assignment.variantIndex!])
        }
        #expect(variants.count == 2, "one user sees both arms across requests")
        #expect(!(try SampleRatioCheck(observed: arms, shares: allocation)).mismatch, "\(arms)")
        // Same request, same arm.
        #expect(assigner.assign(user: "u1", request: 5, allocation: allocation) == assigner.assign(user: "u1", request: 5, allocation: allocation))
        // A zero-probability arm is never chosen.
        for request in 0..<1_000 {
            #expect(assigner.assign(user: "u\(request)", request: 0, allocation: [1, 0])?.variantIndex == 0)
        }
    }
}
