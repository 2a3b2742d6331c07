import Testing
@testable import TacitNeural

@Suite struct LearningRateScheduleTests {
    @Test func warmUpThenConstant() {
        let schedule = LearningRateSchedule(base: 0.01, warmupSteps: 4, decay: .constant, totalSteps: 10)
        let expected: [Float] = [0, 0.0025, 0.005, 0.0075, 0.01, 0.01, 0.01]
        #expect(zip((0...6).map { schedule.rate(at: $0) }, expected).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(LearningRateSchedule(base: 0.5, totalSteps: 3).rate(at: 1) == 0.5)
    }

    @Test func cosineDecaysFromBaseToFloorAtTheLastStep() {
        // 2 warm-up steps, then 8 steps of decay: p = (step − 2) / 8.
        let schedule = LearningRateSchedule(base: 1, warmupSteps: 2, decay: .cosine, totalSteps: 10)
        #expect(schedule.rate(at: 1) == 0.5)
        #expect(schedule.rate(at: 2) == 1)
        #expect(abs(schedule.rate(at: 4) - 0.853_553_4) < 1e-6)  // (1 + cos(π/4)) / 2
        #expect(abs(schedule.rate(at: 6) - 0.5) < 1e-6)
        #expect(abs(schedule.rate(at: 10)) < 1e-6)
        #expect(abs(schedule.rate(at: 50)) < 1e-6)  // past the end: held at the floor
        let floored = LearningRateSchedule(base: 2, decay: .cosine, totalSteps: 4, floor: 0.1)
        #expect(abs(floored.rate(at: 4) - 0.2) < 1e-6)
        #expect(abs(floored.rate(at: 2) - 1.1) < 1e-6)  // 2 · (0.1 + 0.9 · 0.5)
    }

    @Test func outOfRangeSettingsAreClamped() {
        let schedule = LearningRateSchedule(base: 1, warmupSteps: -3, decay: .cosine, totalSteps: 0, floor: 7)
        #expect(schedule.warmupSteps == 0 && schedule.totalSteps == 1 && schedule.floor == 1)
        #expect(schedule.rate(at: 1) == 1)
    }
}
