import IRQCore
import IRQTrace

/// What the run loop watches on the vCPU's hart to fast-forward a steady storm.
///
/// A host-end storm (docs/model.md §7, the worked example of §10.2) repeats one cycle while the
/// guest's current step runs: the hart returns from a dispatch, the guest runs `guest_min_run`,
/// the source, reopened by the dispatch's end (still high, so pending again), is taken again:
/// trap entry, claim (acknowledge), inject (a storm inject), the end's steps, return. Once two
/// such cycles have followed each other with nothing else happening (`disturbances` unchanged),
/// for a level source (the step that reopens it finds the line still high, as it stays until its
/// handler ends; an edge source's would drain its queue), and the family has said that the
/// dispatch was its storm cycle (`Machine.stormCycle`), after which its chip and guest view are
/// exactly as before (`Machine.dispatchWasStormCycle`), every later cycle is the same, shifted by
/// its period, until something else happens: the guest's step ends, a record changes what a hart
/// can see, another hart, an IPI, a timer or a family happening is due, or the rate limiter would
/// mask. `fastForwardStorm` then applies the cycles up to that point as whole cycles, with exact
/// counts.
struct StormWatch {
    /// The hart watched: the vCPU's (its injects take effect at once).
    var hart = 0
    /// Happenings other than the watched hart's dispatch steps, and records that changed what a
    /// hart can see. A cycle is steady only when this did not move.
    var disturbances: UInt64 = 0
    /// Set when the last dispatch on the hart returned as the second (or later) steady cycle in a
    /// row; the run loop then tries to fast-forward.
    var ready = false
    /// Cycles fast-forwarded so far (tests check that the shortcut was taken).
    var skippedCycles: UInt64 = 0

    // The dispatch in progress on the watched hart.
    var start: UInt64 = 0
    var startMark: UInt64 = 0
    var chained = false
    var stormsAtStart: UInt64 = 0
    var irqsAtStart: UInt64 = 0
    var samplesAtStart: UInt64 = 0

    /// `claim_to_complete` samples a storm cycle records (0 when no step reopens the source).
    var samplesPerCycle: UInt64 = 0

    // The last steady cycle.
    var cycles = 0
    var irq = 0
    var lastReturn: UInt64 = 0
    var returnMark: UInt64 = 0
}

/// One storm cycle's dispatch as its family describes it (`Machine.stormCycle`): what
/// `fastForwardStorm` needs to replay whole cycles without running their steps.
struct StormCycle {
    /// The dispatch's steps in the order they run, trap entry to trap exit (at most 16).
    var steps: StepList
    /// The step whose effect claims (acknowledges) the source: the claim instant, the rate check
    /// and `physical_irqs` fall at its end.
    var claimStep: Int
    /// The step whose effect reopens the source (ends its `claim_to_complete` sample); nil when
    /// the claim leaves a level source pending and nothing reopens it (the APLIC in direct mode).
    var reopenStep: Int?

    init(_ steps: [Step], claim: Step, reopen: Step?) {
        var s = StepList()
        for step in steps { s.append(step) }
        self.steps = s
        claimStep = steps.firstIndex(of: claim)!
        reopenStep = reopen.map { steps.firstIndex(of: $0)! }
        precondition((reopenStep ?? .max) > claimStep, "a storm cycle reopens its source after the claim")
    }

    /// The common machine's dispatch of a guest-owned source (the PLIC's): entry, claim, inject,
    /// complete, exit.
    static let claimInjectComplete = StormCycle([.trapEntry, .claim, .inject, .complete, .trapExit],
                                                claim: .claim, reopen: .complete)
}

extension Machine {
    /// What the steps at `positions` of `cycle` cost together.
    @inline(__always)
    func cost(of cycle: StormCycle, steps positions: ClosedRange<Int>) -> UInt64 {
        var total: UInt64 = 0
        for j in positions { total += stepCost(cycle.steps[j]) }
        return total
    }

    /// A dispatch starts on hart `h` (before it pauses the guest's work).
    @inline(__always)
    func stormWatchDispatchStarts(_ h: Int) {
        guard h == storm.hart else { return }
        storm.ready = false
        storm.chained = storm.cycles > 0 && storm.disturbances == storm.returnMark
            && now == storm.lastReturn + scenario.guestMinRun && guest.running
        if !storm.chained { storm.cycles = 0 }
        storm.start = now
        storm.startMark = storm.disturbances
        storm.stormsAtStart = m.stormIRQs
        storm.irqsAtStart = m.physicalIRQs
        storm.samplesAtStart = m.claimToComplete.count
    }

    /// A dispatch on hart `h` returns: was it a storm cycle, undisturbed, like the one before?
    @inline(__always)
    func stormWatchDispatchReturned(_ h: Int) {
        guard h == storm.hart else { return }
        let d = harts[h].dispatch
        var guestTarget = false
        if case .guest = d.target { guestTarget = true }
        let steady = storm.disturbances == storm.startMark && guestTarget
            && m.stormIRQs == storm.stormsAtStart + 1 && m.physicalIRQs == storm.irqsAtStart + 1
            && (storm.cycles == 0 || d.irq == storm.irq) && trigger[d.irq] == RequestKind.level.rawValue
        // The family's word last: it is asked only about dispatches that look like a storm cycle.
        guard steady, dispatchWasStormCycle(h),
              m.claimToComplete.count == storm.samplesAtStart + storm.samplesPerCycle else {
            storm.cycles = 0
            return
        }
        storm.cycles = storm.chained ? storm.cycles + 1 : 1
        storm.irq = d.irq
        storm.lastReturn = now
        storm.returnMark = storm.disturbances
        storm.ready = storm.cycles >= 2 && options.shortcuts
    }

    /// A level record on a source whose line is already high changes nothing at the controller
    /// (docs/model.md §3: only a rising line, or a gateway opening on a high line, forwards):
    /// only the device's work, the request ledger and the counts.
    @inline(__always)
    func recordIsInert(_ e: TraceEvent) -> Bool {
        let s = Int(e.source)
        return e.kind == .level && TraceEvent.sourceRange.contains(e.source) && configured[s]
            && trigger[s] == RequestKind.level.rawValue && work[s] > 0
    }

}

extension ControllerFamily {
    /// Called at the top of the run loop after a steady storm cycle returned (`storm.ready`):
    /// applies as many whole cycles as nothing else can interrupt, with the records they span,
    /// and leaves the machine as the cycle-by-cycle replay would be after the last of them.
    func fastForwardStorm<S: TraceStream>(_ feed: inout RecordFeed<S>) throws {
        storm.ready = false
        let h = storm.hart
        let minRun = scenario.guestMinRun
        let start = now
        guard let cycle = stormCycle, !harts[h].inHYP, harts[h].lastReturn == start, storm.lastReturn == start,
              harts[h].wake == start + minRun, harts[h].owed == 0,
              guest.running, guest.workStart == start, guest.wake == .max, scenario.alwaysRunnable
        else { return }
        let d = harts[h].dispatch
        let duration = start - storm.start
        let period = duration + minRun
        // Cycle i (1...k) starts at start + minRun + (i-1) * period; the guest's step must still be
        // running when each starts: remaining > k * guest_min_run.
        var k = guest.remaining > minRun ? (guest.remaining - 1) / minRun : 0
        // Everything else scheduled must come after the last cycle's return.
        var other = queuedHead
        for x in 0..<hartCount where x != h {
            other = min(other, harts[x].wake)
            if harts[x].inHYP { other = min(other, harts[x].stepEnd) }
        }
        if other != .max { k = min(k, other > start ? (other - 1 - start) / period : 0) }
        let firstClaim = start + minRun + cost(of: cycle, steps: 0...cycle.claimStep)
        let rateLimited = d.end.contains(.rateLimitCheck)
        if rateLimited && k > 0 {
            k = min(k, core.rateLimitPasses(d.irq, firstAt: firstClaim, period: period, count: k,
                                            window: scenario.ratelimitWindow, limit: scenario.ratelimitCount))
        }
        // Records in the cycles' span must leave the controller as it is.
        var i = 0
        while k > 0, let e = try feed.peek(i), e.time <= start + k * period {
            if !recordIsInert(e) {
                k = e.time > start ? (e.time - 1 - start) / period : 0
                break
            }
            i += 1
            if i == RecordFeed<S>.lookahead {
                // The look-ahead window is full: stop before the last record seen.
                k = min(k, e.time > start ? (e.time - 1 - start) / period : 0)
                break
            }
        }
        guard k > 0 else { return }
        let end = start + k * period

        while feed.nextTime <= end {
            let e = feed.pending!
            if e.time != now { sameInstantHappenings = 0 }
            clock.advance(to: e.time)
            let changed = try apply(e, number: feed.read + 1)
            precondition(!changed, "a level record on a high line changed the controller")
            try feed.advance(options.progress)
        }

        // The k cycles, as the cycle-by-cycle replay would count them.
        if rateLimited {
            for c in 0..<k {
                let masks = core.rateLimitCheck(d.irq, now: firstClaim + c * period, window: scenario.ratelimitWindow,
                                                limit: scenario.ratelimitCount)
                precondition(!masks, "fast-forwarded past a rate-limit mask")
            }
        }
        countPhysicalIRQs(first: firstClaim, period: period, count: k)
        if timeline != nil { timelineClaimed(d.irq, on: h, first: firstClaim, period: period, count: k) }
        m.stormIRQs += k
        m.hypBusy += k * duration
        if let reopen = cycle.reopenStep {
            recordLatency(.claimToComplete, cost(of: cycle, steps: cycle.claimStep + 1...reopen), count: k)
        }
        stormCyclesSkipped(k)
        m.events += k * UInt64(cycle.steps.count)
        claimTime[d.irq] = firstClaim + (k - 1) * period

        // The state after the last cycle's return, and the decisions at that instant.
        if end != now { sameInstantHappenings = 0 }
        clock.advance(to: end)
        var atEnd: UInt64 = 1
        var j = cycle.steps.count - 1
        while j > 0 && stepCost(cycle.steps[j]) == 0 { atEnd += 1; j -= 1 }
        sameInstantHappenings += atEnd
        m.simEnd = end
        harts[h].lastReturn = end
        harts[h].stepEnd = end
        harts[h].wake = end + minRun
        guest.remaining -= k * minRun
        guest.workStart = end
        guest.workEnd = end + guest.remaining
        storm.skippedCycles += k
        storm.start = end - duration
        storm.lastReturn = end
        storm.returnMark = storm.disturbances
    }
}

extension Scenario {
    /// The vCPU is runnable at every instant (no schedule, or a budget that fills its period).
    var alwaysRunnable: Bool {
        guard let period = vcpuPeriod, let budget = vcpuBudget else { return true }
        return budget >= period
    }
}
