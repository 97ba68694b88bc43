/// Trap-exit folding: on a one-hart run-ahead (MacroSteps.swift), when the step that just ended
/// is followed only by the trap exit, the exit's end is applied in the same pass instead of being
/// started as a step and taken from the run loop's order later. The exit has no effect of its own
/// (docs/model.md §5): its end is the return to GUEST. The instants, costs, counts and sequence
/// numbers are the ones of the two happenings; only the exit's start and a trip through the
/// run-ahead are saved (one happening in four or five of a guest-end request, docs/performance.md).
///
/// When it may: the family folds trap entries (nothing of its own can be scheduled or read while
/// the hart is in HYP, TrapEntryFolding.swift), the exit costs more than zero (its end is a later
/// instant), and nothing else comes at or before that instant: no trace record (records come
/// first at an instant), and nothing the run-ahead's horizon watches (`before`) or that the step's
/// effect has just scheduled (the IPI, timer and family queues). The livelock guard must not be
/// due at the step that ended, whose count the caller adds after this.
extension Machine {
    /// Applies the end of the trap exit that follows the step of hart `h` that just ended, if it
    /// may; returns false to start the exit as a step.
    @inline(__always)
    func foldTrapExit(_ h: Int, before limit: UInt64) -> Bool {
        let i = harts[h].index
        guard i + 1 == harts[h].steps.count, harts[h].steps[i] == .trapExit, foldTrapEntries else { return false }
        let c = stepCost(.trapExit)
        let t = now + c
        // Each queue's head compared on its own rather than through `queuedHead`: the comparisons
        // stop at the first that fails (the min of the three cost guest-end 0.5 M instructions).
        guard c > 0, t < limit, t < ipis.headTime, t < timers.headTime, t < familyEvents.headTime,
              sameInstantHappenings < Self.livelockLimit else { return false }
        _ = nextSeq()  // the exit's own, taken when it would have started
        foldedTrapExits &+= 1
        clock.advance(to: t)
        // The caller counts the step that ended (one happening at this new instant); the exit's
        // own happening is counted here.
        sameInstantHappenings = 0
        stepEndWatched(h)
        m.hypBusy += c
        m.simEnd = t
        m.events += 1
        harts[h].index = i + 1
        nextOrReturn(h)
        return true
    }
}
