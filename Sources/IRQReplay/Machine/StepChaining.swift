/// Step chaining: on a one-hart run-ahead (MacroSteps.swift), when the next step of the sequence
/// ends before anything else can happen, its end is applied in the same pass as the end of the
/// step before it, instead of the step being started (its end, cost and sequence number stored for
/// the run-ahead to find) and taken from the run-ahead's order. A guest-end request's inject and
/// trap exit after the claim, and its complete and trap exit after the vcomplete access, end this
/// way (docs/performance.md). The instants, costs, effects, counts and sequence numbers are the
/// ones of the separate happenings: each chained step still takes its sequence number when it
/// would have started, moves the clock to its own end and counts as one happening there.
///
/// When it may: the family folds trap entries (nothing of its own can be scheduled or read while
/// the hart is in HYP, TrapEntryFolding.swift); the step is a common one whose start does nothing
/// (not `hostISR`, which takes the device's units when it starts, nor a trap entry, folded with the
/// step after it when it starts), and costs more than zero (its end is a later instant); and
/// nothing else comes at or before that instant: no trace record (records come first at an
/// instant), and nothing the run-ahead's horizon watches (`before`) or that an effect has just
/// scheduled (the IPI, timer and family queues). The livelock guard must not be due at the step
/// that ended, whose count the caller adds after the chain.
extension Machine {
    /// Ends the next step of hart `h` now if it may be chained: moves the clock to its end and
    /// counts it, and returns it for its effect; nil to start it as a step.
    @inline(__always)
    func chainNextStep(_ h: Int, before limit: UInt64) -> Step? {
        let next = harts[h].steps[harts[h].index]
        // A trap entry folds with the step after it when it starts instead.
        guard foldTrapEntries, next.startsWithoutEffect, next != .trapEntry else { return nil }
        let c = stepCost(next)
        let t = now + c
        // Each queue's head compared on its own rather than through `queuedHead`: the comparisons
        // stop at the first that fails.
        guard c > 0, t < limit, t < ipis.headTime, t < timers.headTime, t < familyEvents.headTime,
              sameInstantHappenings < Self.livelockLimit else { return nil }
        _ = nextSeq()  // the step's own, taken when it would have started
        chainedSteps &+= 1
        clock.advance(to: t)
        // The caller counts the last step of the chain (one happening at the chain's last
        // instant); each other step's happening is counted here, one instant early.
        sameInstantHappenings = 0
        stepEndWatched(h)
        m.hypBusy += c
        m.events += 1
        return next
    }
}
