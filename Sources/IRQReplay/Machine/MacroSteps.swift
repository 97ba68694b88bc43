import IRQTrace

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
///
/// On one hart the run-ahead also takes the trace records that fall on its way, the guest's work
/// ends and the hart's decisions (solo steps), in the run loop's order of an instant: records
/// first, then the step or work end due then, then the decision. It hands back to the run loop
/// before anything else it does not take: a wake-up, an IPI, a timer or a family happening, a
/// storm ready to fast-forward, or something due at the instant it is already at.
extension ControllerFamily {
    /// After a step of hart `h` ended as the first thing at this instant: runs `h`'s next steps
    /// while each ends before everything else scheduled and, with several harts, before the next
    /// trace record (with one, the records on the way are taken in order).
    @inline(__always)
    func runAhead<S: TraceStream>(_ h: Int, _ feed: inout RecordFeed<S>, firstAtInstant: Bool) throws {
        guard options.shortcuts, harts[h].inHYP, hartCount == 1 || firstAtInstant else { return }
        let solo = hartCount == 1
        var horizon = min(guest.wake, queuedHead)
        if !solo { horizon = min(horizon, feed.nextTime) }
        if guest.running { horizon = min(horizon, guest.workEnd) }
        for x in 0..<hartCount {
            horizon = min(horizon, harts[x].wake)
            if x != h && harts[x].inHYP { horizon = min(horizon, harts[x].stepEnd) }
        }
        while true {
            while harts[h].inHYP {
                let t = harts[h].stepEnd
                if solo && feed.nextTime <= t {
                    // Records come first at an instant. The only hart is in HYP: they owe no
                    // decision, whether they changed what it sees or not.
                    guard feed.nextTime < horizon else { return }
                    _ = try takeRecords(&feed)
                    recordInstantsTakenAhead &+= 1
                    horizon = min(horizon, familyEvents.headTime)
                    markSettled()
                    continue
                }
                guard t < horizon, !lastStepReachedOtherHarts(h) else { return }
                if t != now { sameInstantHappenings = 0 }
                clock.advance(to: t)
                try hartStepEnds(h, chainBefore: solo ? min(horizon, feed.nextTime) : 0)
                horizon = min(horizon, queuedHead)
            }
            guard try soloStep(h, &feed, horizon: &horizon, decideFirst: true) else { return }
        }
    }

    /// After the run loop's decisions on a one-hart machine: runs ahead what they started (the
    /// sequence's steps, or the guest's work and what follows it).
    @inline(__always)
    func soloContinue<S: TraceStream>(_ feed: inout RecordFeed<S>) throws {
        if harts[0].inHYP {
            if harts[0].stepEnd > now { try runAhead(0, &feed, firstAtInstant: false) }
            return
        }
        var horizon = min(harts[0].wake, guest.wake, queuedHead)
        if try soloStep(0, &feed, horizon: &horizon, decideFirst: false) {
            try runAhead(0, &feed, firstAtInstant: false)
        }
    }

    /// With one hart, in GUEST: the decision owed at this instant when `decideFirst` (a sequence
    /// has just returned), then the instants that follow while each is strictly later than the
    /// last and before `horizon` (the next wake, IPI, timer or family happening) and no storm is
    /// ready to fast-forward: records (then the decision, when they changed what the hart sees),
    /// the guest's work ends (then the decision). Nothing else can be ordered in between on a
    /// one-hart machine: the hart is the only one to decide, and the guest's work and the records
    /// are the only other happenings. Returns true when a decision started a sequence whose first
    /// step ends later than now, for the caller to run it ahead.
    ///
    /// Each instant left here is settled (`soloSettled`): the run loop's own decision at it would
    /// be a repeat (a decision is a function of the state, and what it starts puts the hart in HYP
    /// or the guest's work in progress, where the same decision finds nothing to start) or one the
    /// loop would not make (records that changed nothing), so the loop skips it.
    // Never inlined: measured, the replay runs 1.6% more instructions under guest-end and 2.6%
    // more under host-end when the compiler may inline it into its callers (docs/performance.md).
    @inline(never)
    func soloStep<S: TraceStream>(_ h: Int, _ feed: inout RecordFeed<S>, horizon: inout UInt64,
                                  decideFirst: Bool) throws -> Bool {
        guard hartCount == 1, !harts[h].inHYP, !storm.ready else { return false }
        var owed = decideFirst
        while true {
            if owed {
                soloDecisions &+= 1
                try decide(h)
                horizon = min(horizon, harts[h].wake, guest.wake, queuedHead)
            }
            markSettled()
            if harts[h].inHYP { return harts[h].stepEnd > now }
            if storm.ready { return false }
            let work = guest.running ? guest.workEnd : .max
            let record = feed.nextTime
            guard min(work, record) < horizon, min(work, record) > now else { return false }
            if record <= work {
                owed = try takeRecords(&feed)
                recordInstantsTakenAhead &+= 1
                horizon = min(horizon, familyEvents.headTime)
                // Something else due at this instant comes before its decision: the loop's.
                if work == now || horizon <= now { return false }
            } else {
                sameInstantHappenings = 0
                clock.advance(to: work)
                try guestWorkEndsNow()
                owed = true
            }
        }
    }

}

extension Machine {
    /// Nothing owes the run loop a decision at this instant any more (`soloSettled`).
    @inline(__always)
    func markSettled() {
        soloSettled = SettledMark(instant: now, events: m.events, sequence: clock.sequence)
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
        if step.isFamilyStep { return true }
        // An inject made on another hart than the vCPU's reaches the guest at once when the family
        // has no delay for it (`injectDelay(from:)`: a guest interrupt file, say).
        if step == .inject { return h != guestHart }
        let reachesController = step == .complete || step == .mask || step == .rateMask || step == .unmask
            || step == .timerUnmask
        return reachesController && targetHart[harts[h].irq] != h
    }
}

/// The state of a one-hart machine right after a solo step's decision, as far as the run loop needs
/// to know that nothing happened since: every happening and record counts in `events`, everything
/// scheduled takes a sequence number, and the clock only moves forward.
struct SettledMark {
    var instant: UInt64 = .max
    var events: UInt64 = 0
    var sequence: UInt64 = 0

    @inline(__always)
    func holds(now: UInt64, events e: UInt64, sequence q: UInt64) -> Bool {
        instant == now && events == e && sequence == q
    }
}
