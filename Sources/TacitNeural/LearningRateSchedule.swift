import Foundation

/// A learning-rate schedule over a known number of optimiser steps: linear warm-up from 0 over
/// `warmupSteps`, then the base rate held (`constant`) or decayed along a half cosine to
/// `floor · base` at the last step (`cosine`, Loshchilov & Hutter 2017, without restarts).
public struct LearningRateSchedule: Sendable, Equatable {
    /// What happens after warm-up.
    public enum Decay: String, Sendable, CaseIterable {
        /// The base rate until the end.
        case constant
        /// `floor·base + (1 − floor)·base·(1 + cos(π·p))/2`, `p` the fraction of post-warm-up steps done.
        case cosine
    }

    /// The rate after warm-up (and the start of the decay).
    public var base: Float
    /// Steps of linear warm-up from 0.
    public var warmupSteps: Int
    /// The shape after warm-up.
    public var decay: Decay
    /// The number of steps the run will take (the decay ends there).
    public var totalSteps: Int
    /// The last step's rate as a fraction of `base` (cosine only).
    public var floor: Float

    public init(base: Float, warmupSteps: Int = 0, decay: Decay = .constant, totalSteps: Int, floor: Float = 0) {
        self.base = base
        self.warmupSteps = max(0, warmupSteps)
        self.decay = decay
        self.totalSteps = max(1, totalSteps)
        self.floor = min(1, max(0, floor))
    }

    /// The rate of step `step` (1 for the first step).
    public func rate(at step: Int) -> Float {
        if warmupSteps > 0 && step < warmupSteps { return base * Float(max(0, step)) / Float(warmupSteps) }
        switch decay {
        case .constant:
            return base
        case .cosine:
            let span = max(1, totalSteps - warmupSteps)
            let done = Float(min(span, max(0, step - warmupSteps))) / Float(span)
            return base * (floor + (1 - floor) * 0.5 * (1 + cos(Float.pi * done)))
        }
    }
}
