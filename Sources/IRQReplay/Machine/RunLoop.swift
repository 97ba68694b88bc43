import IRQTrace

/// A controller family's machine (`PLICMachine`, `AIAMachine`, `GICMachine`). The run loop and the
/// per-request path (this file, MacroSteps.swift, the sequences' steps in HartSequences.swift) are
/// written once, here, and compiled once per family with the family's class known: the family
/// hooks they call (a record at the chip, a hart's interrupt question, the guest's view...) become
/// direct calls the compiler can inline, where through `Machine` each was a dynamic call, about
/// eight per request (docs/performance.md, "The family's own loop and the record feed, fifth pass").
///
/// A family conforms and forwards `Machine.run` to `replay`, in its class body:
/// `override func run<S: TraceStream>(_ trace: inout S) throws -> ReplayMetrics { try replay(&trace) }`,
/// pre-specialized for the trace files' stream (`TraceInput`, what `irqbench run` and `bench` replay).
protocol ControllerFamily: Machine {}

extension ControllerFamily {
    /// `Machine.run` for this family: replays `trace` to the end (and until every consequence has
    /// settled) and returns the metrics.
    func replay<S: TraceStream>(_ trace: inout S) throws -> ReplayMetrics {
        foldTrapEntries = options.shortcuts && hartCount == 1 && foldsTrapEntries
        starts = SequenceStarts(self)
        hooks = familyHooks
        var feed = try RecordFeed(trace, progressInterval: options.progressInterval)
        defer { trace = feed.trace }
        var next = firstHappening()
        var nextFoundAt = clock.sequence
        while true {
            if storm.ready {
                try fastForwardStorm(&feed)
                next = firstHappening(); nextFoundAt = clock.sequence
            }
            // The next instant: the earliest of the trace, the happenings and the decisions owed.
            let t = min(feed.nextTime, next.time, nextWake())
            if t == .max { break }
            if t != now { sameInstantHappenings = 0 }
            clock.advance(to: t)

            // (1) trace records, in file order.
            var changed = feed.nextTime == t ? try takeRecords(&feed) : false
            for h in 0..<hartCount where harts[h].wake == t { harts[h].wake = .max; changed = true }
            if guest.wake == t { guest.wake = .max; changed = true }

            // (2) the happenings due now, by sequence number (the earliest (time, sequence) first);
            // then (3) the decisions, and again while they schedule more at this instant.
            // Decisions are pure functions of the state, so skipping them when nothing changed
            // gives the same replay.
            // A hart's step that is the first thing of its instant may run its next steps at once
            // (MacroSteps.swift), which moves the clock: the instant is `now` from there on.
            while true {
                var happened = false
                while next.time == now {
                    try process(next.pick)
                    if case .hart(let h) = next.pick {
                        try runAhead(h, &feed, firstAtInstant: !happened && !changed)
                    }
                    happened = true
                    next = firstHappening(); nextFoundAt = clock.sequence
                }
                if !(happened || changed) { break }
                changed = false
                if soloSettled.holds(now: now, events: m.events, sequence: clock.sequence) {
                    skippedRepeatDecisions &+= 1
                } else {
                    for h in 0..<hartCount where !harts[h].inHYP { try decide(h) }
                    // On one hart, what the decision started runs ahead at once (MacroSteps.swift).
                    if hartCount == 1 && options.shortcuts {
                        let events = m.events
                        try soloContinue(&feed)
                        if m.events != events {
                            // It stopped at a later instant, whose decisions are owed unless it
                            // settled them.
                            next = firstHappening(); nextFoundAt = clock.sequence
                            changed = true
                            continue
                        }
                    }
                }
                // Whatever schedules a happening (a decision, or a record that sends an MSI) takes a
                // sequence number: when none was taken since `next` was found, it still holds.
                if clock.sequence != nextFoundAt { next = firstHappening(); nextFoundAt = clock.sequence }
                if next.time != now { break }
            }
        }
        finishChipMetrics()
        latencyCounts.flush(.claimToComplete, into: &m.claimToComplete)
        latencyCounts.flush(.requestToGuest, into: &m.requestToGuest)
        latencyCounts.flush(.requestToDone, into: &m.requestToDone)
        latencyCounts.flush(.hostLatency, into: &m.hostLatency)
        if bucketCount > m.peakIRQsPerMs { m.peakIRQsPerMs = bucketCount; m.peakBucketStart = currentBucket * 1_000_000 }
        return m
    }

    /// Applies one happening that is due now.
    @inline(__always)
    func process(_ pick: Happening) throws {
        switch pick {
        case .none: preconditionFailure("no happening to apply")
        case .hart(let h):
            try hartStepEnds(h)
            return
        case .guestWork:
            try guestWorkEndsNow()
            return
        case .ipi:
            storm.disturbances &+= 1
            let i = ipis.removeFirst()
            m.simEnd = now
            delayedInjectArrives(i)
        case .timer:
            storm.disturbances &+= 1
            let r = timers.removeFirst()
            m.simEnd = now
            owedUnmasks[r.hart].append(r.irq)
            harts[r.hart].owed += 1
        case .family:
            storm.disturbances &+= 1
            try familyEventDue(familyEvents.removeFirst())
        }
        try counted()
    }

    /// The step of hart `h` due now ends (`process(.hart(h))`, which run-ahead calls directly).
    @inline(__always)
    func hartStepEnds(_ h: Int, chainBefore limit: UInt64 = 0) throws {
        stepEndWatched(h)
        try endStep(h, chainBefore: limit)
        try counted()
    }

    /// Phase 1 of the instant of the next record (docs/model.md §1): every record due then, in
    /// file order, with the clock moved to it. Returns whether one of them changed what a hart can
    /// see; a record that leaves every source's pending bit as it was (its line was already high,
    /// its edge queued) does not.
    @inline(__always)
    func takeRecords<S: TraceStream>(_ feed: inout RecordFeed<S>) throws -> Bool {
        let t = feed.nextTime
        if t != now { sameInstantHappenings = 0 }
        clock.advance(to: t)
        var changed = false
        while feed.nextTime == t {
            if try apply(feed.pending!, number: feed.read + 1) {
                changed = true
                storm.disturbances &+= 1
            }
            try feed.advance(options.progress)
        }
        return changed
    }

    /// A trace record arrives: device work, then the line or the edge at the controller. Returns whether
    /// a source became pending. `number` is the record's 1-based place in replay order (file order
    /// unless the reader had to sort), as trace readers number records.
    // Inlined for the reason `claimEffect` is (HartSequences.swift).
    @inline(__always)
    func apply(_ e: TraceEvent, number: UInt64) throws -> Bool {
        let s = Int(e.source)
        guard TraceEvent.sourceRange.contains(e.source) else {
            throw ReplayError("trace record \(number): source \(e.source) is outside 1...1023")
        }
        if !configured[s] {
            try configure(s, kind: e.kind)
        } else if trigger[s] != e.kind.rawValue {
            let was = RequestKind(rawValue: trigger[s])?.name ?? "?"
            throw ReplayError("trace record \(number): source \(s) has both \(was) and \(e.kind.name) records")
        }
        m.requests += 1
        m.simEnd = now
        m.events += 1
        let (sum, overflow) = work[s].addingReportingOverflow(UInt64(e.count))
        guard !overflow else { throw ReplayError("trace record \(number): device work of source \(s) overflows") }
        work[s] = sum
        let node = ledger.arrive(source: s, at: e.time)
        if timeline != nil { timelineArrived(node, record: number, source: s, at: e.time) }
        return chipRecord(s, kind: e.kind)
    }
}
