/// Macro-steps: the steps of one HYP sequence run back to back, without a trip through the run
/// loop per step, whenever nothing else can happen before or at the end of the next step (the
/// usual macro-step of event-driven simulators). The effects, costs, counts and sequence numbers
/// are the ones the loop would apply, in the same order; only the search for the next happening
/// and the empty decision passes between the steps are skipped.
///
/// Why the decisions between the steps are empty (docs/model.md §1 phase 3): the hart running the
/// sequence is in HYP and does not decide; with one hart nobody else does. With several harts,
/// another hart in GUEST decides what it already decided unless something it sees changed at that
/// instant: a record or a wake-up at that instant (so run-ahead starts only from the first
/// happening of an instant that had none), or a step that completes, masks or unmasks a source of
/// another hart's context (a vcomplete trap for a source that targets another hart) or injects from
/// another hart than the vCPU's, after which the run-ahead stops. With several harts a family's own
/// steps stop it too (their effects are the family's); with one, nothing else decides and whatever
/// they schedule is in the queues whose heads bound the run-ahead.
extension Machine {
    /// After a step of hart `h` ended as the first thing at this instant: runs `h`'s next steps
    /// while each ends before `recordTime` (the next trace record) and before everything else
    /// scheduled.
    @inline(__always)
    func runAhead(_ h: Int, recordTime: UInt64, firstAtInstant: Bool) throws {
        guard options.shortcuts, harts[h].inHYP, hartCount == 1 || firstAtInstant else { return }
        var horizon = min(recordTime, guest.wake, ipis.headTime, timers.headTime, familyEvents.headTime)
        if guest.running { horizon = min(horizon, guest.workEnd) }
        for x in 0..<hartCount {
            horizon = min(horizon, harts[x].wake)
            if x != h && harts[x].inHYP { horizon = min(horizon, harts[x].stepEnd) }
        }
        while true {
            while harts[h].inHYP && harts[h].stepEnd < horizon && !lastStepReachedOtherHarts(h) {
                let t = harts[h].stepEnd
                if t != now { sameInstantHappenings = 0 }
                clock.advance(to: t)
                try process(.hart(h))
                horizon = min(horizon, ipis.headTime, timers.headTime, familyEvents.headTime)
            }
            guard try soloStep(h, horizon: &horizon) else { return }
        }
    }

    /// With one hart whose sequence has just returned to GUEST: the decision the run loop would
    /// make at this instant, then the guest's work ends that follow it, each with its decision,
    /// while each comes strictly later than the last and before `horizon` (the next record, wake,
    /// IPI, timer or family happening), and no storm is ready to fast-forward. Nothing else can be
    /// ordered in between on a one-hart machine: the hart is the only one to decide, and the guest's
    /// work is the only other happening. Returns true when the decision started a sequence whose
    /// first step ends before `horizon`, for the caller to run it ahead.
    ///
    /// The run loop decides again at the instant it gets back to, which changes nothing: a decision
    /// is a function of the state, and what it starts puts the hart in HYP or the guest's work in
    /// progress, where the same decision finds nothing to start.
    @inline(__always)
    func soloStep(_ h: Int, horizon: inout UInt64) throws -> Bool {
        guard hartCount == 1, !harts[h].inHYP, !storm.ready else { return false }
        while true {
            soloDecisions &+= 1
            try decide(h)
            horizon = min(horizon, harts[h].wake, guest.wake, ipis.headTime, timers.headTime, familyEvents.headTime)
            if harts[h].inHYP { return harts[h].stepEnd < horizon && harts[h].stepEnd > now }
            guard guest.running, guest.workEnd < horizon, guest.workEnd > now, !storm.ready else { return false }
            sameInstantHappenings = 0
            clock.advance(to: guest.workEnd)
            try process(.guestWork)
        }
    }

    /// Whether the step of `h` that just ended may have changed what another hart sees (a complete,
    /// mask or unmask of a source whose context is another hart's), or was a family's own step,
    /// whose effects are the family's.
    @inline(__always)
    func lastStepReachedOtherHarts(_ h: Int) -> Bool {
        // With one hart nothing else decides, and whatever a family's step schedules is in the
        // queues the run-ahead's horizon watches.
        if hartCount == 1 { return false }
        let i = harts[h].index
        // A family that lists a sequence's steps as it runs (the GIC) starts a new list at 0.
        guard i > 0 else { return true }
        let step = harts[h].steps[i - 1]
        // Cases after `timerUnmask` are a family's own: their effects are the family's.
        if step.index > Step.timerUnmask.index { return true }
        // An inject made on another hart than the vCPU's reaches the guest at once when the family
        // has no delay for it (`injectDelay(from:)`: a guest interrupt file, say).
        if step == .inject { return h != guestHart }
        let reachesController = step == .complete || step == .mask || step == .rateMask || step == .unmask
            || step == .timerUnmask
        return reachesController && targetHart[harts[h].irq] != h
    }
}
