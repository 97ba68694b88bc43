import DequeModule
import IRQCore
import IRQTrace

/// The simulated machine common to every controller family (docs/model.md §1-§9): virtual time,
/// the trace driving the devices, harts running HYP sequences through the dispatch core
/// (IRQCore), the guest vCPU, delayed happenings and the metrics. A controller family is a
/// subclass in its own folder (`PLICMachine`, ...): it owns its chip and overrides the hooks
/// marked "family hook" (what a trace record does at the controller, whether a hart sees an
/// interrupt, its own steps' costs and effects, its guest view).
///
/// Virtual time is an integer ns count. Happenings at one instant are applied in the order of docs/model.md §1:
/// trace records in file order; then step ends, guest work ends, IPI deliveries and timers in the
/// order they were scheduled (a global sequence number); then each hart decides, in hart order;
/// repeated while decisions schedule more at the same instant.
///
/// Each hart has at most one HYP step in flight and the guest at most one piece of work, so they
/// are kept in fixed fields rather than a queue; IPIs and rate-limit timers have constant delays,
/// so they fire in the order they were scheduled: FIFO deques, reserved at set-up. Nothing here allocates per request once the request ledger has reached
/// the trace's peak backlog.
class Machine {
    let scenario: Scenario
    let strategy: EndStrategy
    let settings: SourceSettings
    let core: IRQDescriptorTable
    /// The guest domain's virtual controller (one guest domain, docs/model.md §2).
    let vguest: any VirtualInterruptController
    static let domain = 1

    // Performance (docs/performance.md): the engine is used by one thread at a time and its
    // methods never hold an access to one of these fields across a call that touches it again, so
    // the run-time exclusivity checks Swift puts on class fields (swift_beginAccess, about 40% of
    // a replay's instructions under callgrind) are switched off for the fields the run loop uses.

    // MARK: Time and order
    @exclusivity(unchecked) var clock = VirtualClock()
    /// The current instant (ns since the earliest trace event).
    var now: UInt64 { @inline(__always) get { clock.now } }
    @exclusivity(unchecked) var sameInstantHappenings: UInt64 = 0
    static let livelockLimit: UInt64 = 10_000_000

    // MARK: Harts
    let hartCount: Int
    let guestHart: Int
    @exclusivity(unchecked) var harts: [HartState]

    // MARK: Guest vCPU
    @exclusivity(unchecked) var guest = GuestState()

    // MARK: Devices (per source)
    @exclusivity(unchecked) var work: [UInt64] = Array(repeating: 0, count: 1024)
    /// Units the running handler of the source took when it started.
    @exclusivity(unchecked) var takenUnits: [UInt64] = Array(repeating: 0, count: 1024)
    @exclusivity(unchecked) var trigger: [UInt8] = Array(repeating: 0, count: 1024)
    @exclusivity(unchecked) var isHost: [Bool] = Array(repeating: false, count: 1024)
    @exclusivity(unchecked) var configured: [Bool] = Array(repeating: false, count: 1024)
    @exclusivity(unchecked) var ledger = RequestLedger()

    // MARK: Claim bookkeeping (per source)
    @exclusivity(unchecked) var claimTime: [UInt64] = Array(repeating: 0, count: 1024)
    @exclusivity(unchecked) var claimOpen: [Bool] = Array(repeating: false, count: 1024)

    // MARK: Delayed happenings
    @exclusivity(unchecked) var ipis = Deque<DelayedInject>()
    @exclusivity(unchecked) var timers = Deque<RateTimer>()
    /// Happenings of a family's own with one constant delay (so FIFO order is time order), e.g.
    /// MSIs in flight.
    @exclusivity(unchecked) var familyEvents = Deque<FamilyEvent>()

    // MARK: Metrics
    @exclusivity(unchecked) var m = ReplayMetrics()
    @exclusivity(unchecked) var currentBucket: UInt64 = .max
    @exclusivity(unchecked) var bucketCount: UInt64 = 0
    let options: ReplayOptions
    /// Physical IRQs per bucket of `rateBucketNs` (when `options.rateBucketNs` is set). The width
    /// doubles whenever the series would exceed `maxRateBuckets`.
    @exclusivity(unchecked) private(set) var rateSeries: [UInt32] = []
    @exclusivity(unchecked) private(set) var rateBucketNs: UInt64 = 0
    static let maxRateBuckets = 1 << 16

    /// `core` is the family's descriptor table over its chip. The family's stored properties are
    /// set before this runs, so sources whose trigger the settings fix are configured here.
    init(scenario: Scenario, sources: SourceSettings, strategy: EndStrategy, options: ReplayOptions,
         core: IRQDescriptorTable) throws {
        self.scenario = scenario
        self.strategy = strategy
        self.settings = sources
        self.options = options
        self.core = core
        self.vguest = core.guest(Self.domain)
        rateBucketNs = options.rateBucketNs ?? 0
        hartCount = Int(scenario.harts)
        guestHart = Int(scenario.guestHart)
        harts = Array(repeating: HartState(), count: hartCount)
        // In flight at once: an inject from each other hart per dispatch (>= 1 ns each) during one
        // ipi delay, and a timer per source.
        ipis.reserveCapacity(64 * hartCount + 64)
        timers.reserveCapacity(1024 + 64)
        familyEvents.reserveCapacity(1024 + 64)
        for (id, s) in sources.settings.sorted(by: { $0.key < $1.key }) {
            guard s.targetHart < scenario.harts else {
                throw ReplayError("source \(id): target_hart \(s.targetHart) is not a hart (harts = \(scenario.harts))")
            }
            if let k = s.trigger { try configure(Int(id), kind: k) }
        }
    }

    /// Sets up a source at its first record (or from its settings): the chip's own set-up
    /// (trigger, priority), the target context, then route to the guest or a host handler.
    func configure(_ s: Int, kind: RequestKind) throws {
        let setting = settings[UInt16(s)]
        if let t = setting.trigger, t != kind {
            throw ReplayError("source \(s): the trace has \(kind.name) records but its settings say trigger \(t.name)")
        }
        guard setting.targetHart < scenario.harts else {
            throw ReplayError("source \(s): target_hart \(setting.targetHart) is not a hart (harts = \(scenario.harts))")
        }
        trigger[s] = kind.rawValue
        try configureChip(s, kind: kind, setting: setting)
        try core.setAffinity(s, context: Int(setting.targetHart))
        if setting.owner == .host {
            isHost[s] = true
            try core.requestHostIRQ(s)
        } else {
            try core.routeToGuest(irq: s, domain: Self.domain, virq: s)
        }
        configured[s] = true
    }

    // MARK: Family hooks (a controller family overrides these)

    /// The chip's set-up of a source before it is routed (trigger, priority).
    func configureChip(_ s: Int, kind: RequestKind, setting: SourceSetting) throws {
        preconditionFailure("family hook")
    }

    /// A record reached the controller (the source's line is high, or one edge). Returns whether
    /// what a hart (or the guest) can see may have changed.
    func chipRecord(_ s: Int, kind: RequestKind) -> Bool { preconditionFailure("family hook") }

    /// The handler took the last unit of a level source: its line falls.
    func chipLineFell(_ s: Int) { preconditionFailure("family hook") }

    /// Hart `h` sees an external interrupt from the physical controller.
    func hasPhysicalInterrupt(_ h: Int) -> Bool { preconditionFailure("family hook") }

    /// The chip's own counters at the end of the run (spurious claims, stray completes, lost edges
    /// and any family counts).
    func finishChipMetrics() { preconditionFailure("family hook") }

    /// An inject from another hart reaches the vCPU's hart (docs/model.md §6: the whole inject
    /// effect happens `ipi` after the inject step).
    func delayedInjectArrives(_ i: DelayedInject) {
        if core.inject(domain: Self.domain, virq: i.virq) { m.stormIRQs += 1 }
    }

    /// A family happening (from `familyEvents`) is due.
    func familyEventDue(_ e: FamilyEvent) throws { preconditionFailure("family hook") }

    // Hooks for sequences (declared here, not in an extension, so that families can override them).

    /// The cost of a step of the family's own.
    func familyStepCost(_ s: Step) -> UInt64 { preconditionFailure("family hook: cost of \(s)") }

    /// The effect of a step of the family's own, at its end.
    func familyStepEffect(_ h: Int, _ s: Step) throws { preconditionFailure("family hook: effect of \(s)") }

    /// The steps ran out: a family may append more and return true to go on.
    func sequenceDrained(_ h: Int) -> Bool { false }

    /// A physical interrupt is takeable on `h`: start the sequence that takes it.
    func startPhysicalSequence(_ h: Int) {
        var s = StepList()
        s.append(.trapEntry); s.append(.claim)
        startSequence(h, .dispatch, s, irq: 0)
    }

    /// Hart `h` returned to GUEST from a sequence of `kind`.
    func sequenceReturned(_ h: Int, _ kind: SequenceKind) {
        if kind == .vclaimTrap { guestVclaimReturned() }
        if kind == .vcompleteTrap { guest.phase = .idle }
    }

    /// The step that performs `op` (of a controller type's `end`, or of the guest's EOI path in the
    /// vcomplete trap) for `irq`; nil when the family has no such step for it.
    func step(for op: ControllerOperation, irq: Int) -> Step? {
        switch op {
        case .complete: .complete
        case .mask: .mask
        case .unmask: .unmask
        case .enable, .disable, .rateLimitCheck, .priorityDrop, .deactivate, .retrigger: nil
        }
    }

    /// How long after the inject step on hart `h` its effect happens (docs/model.md §6: `ipi` from
    /// another hart); nil for at once.
    func injectDelay(from h: Int) -> UInt64? { h == guestHart ? nil : scenario.ipi }

    /// A piece of the guest's work completed: a family whose guest view has steps of its own
    /// handles them here and returns true; false leaves it to the common guest (docs/model.md §6).
    func familyGuestWorkEnded() throws -> Bool { false }

    @inline(__always)
    func nextSeq() -> UInt64 { clock.nextSequence() }

    // MARK: The run

    /// Replays `trace` to the end (and until every consequence has settled) and returns the metrics.
    func run<S: TraceStream>(_ trace: inout S) throws -> ReplayMetrics {
        var pending = try trace.next()
        var read: UInt64 = 0
        // Records until the next progress call: a countdown rather than `read % interval`, whose
        // 64-bit division per record showed in the profile (docs/performance.md).
        let progressInterval = max(options.progressInterval, 1)
        var untilProgress = progressInterval
        while true {
            // The next instant: the earliest of the trace and everything scheduled.
            var t = pending?.time ?? .max
            for h in 0..<hartCount {
                if harts[h].inHYP { t = min(t, harts[h].stepEnd) }
                t = min(t, harts[h].wake)
            }
            if guest.running { t = min(t, guest.workEnd) }
            t = min(t, guest.wake)
            if let i = ipis.first { t = min(t, i.time) }
            if let r = timers.first { t = min(t, r.time) }
            if let f = familyEvents.first { t = min(t, f.time) }
            if t == .max { break }
            if t != now { sameInstantHappenings = 0 }
            clock.advance(to: t)

            // (1) trace records, in file order. A record that leaves every source's pending bit as
            // it was (its line was already high, its edge queued) changes no hart's situation.
            var changed = false
            while let e = pending, e.time == now {
                if try apply(e, number: read + 1) { changed = true }
                read += 1
                untilProgress -= 1
                if untilProgress == 0 {
                    untilProgress = progressInterval
                    options.progress?(read)
                }
                pending = try trace.next()
                if let n = pending, n.time < e.time {
                    throw ReplayError("trace record \(read + 1) goes back in time (\(n.time) < \(e.time)): the trace stream must be sorted")
                }
            }
            for h in 0..<hartCount where harts[h].wake == now { harts[h].wake = .max; changed = true }
            if guest.wake == now { guest.wake = .max; changed = true }

            // (2) and (3), until nothing more is due at this instant. Decisions are pure functions
            // of the state, so skipping them when nothing changed gives the same replay.
            while changed || anythingDueNow() {
                changed = false
                while try processOneDue() {}
                for h in 0..<hartCount where !harts[h].inHYP { try decide(h) }
            }
        }
        finishChipMetrics()
        if bucketCount > m.peakIRQsPerMs { m.peakIRQsPerMs = bucketCount; m.peakBucketStart = currentBucket * 1_000_000 }
        return m
    }

    /// Requests that no handler consumed (units of lost edges whose source never fired again).
    var unconsumedRequests: UInt64 { ledger.outstandingCount() }

    func anythingDueNow() -> Bool {
        for h in 0..<hartCount where harts[h].inHYP && harts[h].stepEnd == now { return true }
        if guest.running && guest.workEnd == now { return true }
        if let i = ipis.first, i.time == now { return true }
        if let r = timers.first, r.time == now { return true }
        if let f = familyEvents.first, f.time == now { return true }
        return false
    }

    /// Applies the due happening with the lowest sequence number. False when none is due.
    func processOneDue() throws -> Bool {
        enum Pick { case none, hart(Int), guestWork, ipi, timer, family }
        var best: UInt64 = .max
        var pick = Pick.none
        for h in 0..<hartCount where harts[h].inHYP && harts[h].stepEnd == now && harts[h].stepSeq < best {
            best = harts[h].stepSeq; pick = .hart(h)
        }
        if guest.running && guest.workEnd == now && guest.workSeq < best { best = guest.workSeq; pick = .guestWork }
        if let i = ipis.first, i.time == now, i.seq < best { best = i.seq; pick = .ipi }
        if let r = timers.first, r.time == now, r.seq < best { best = r.seq; pick = .timer }
        if let f = familyEvents.first, f.time == now, f.seq < best { best = f.seq; pick = .family }
        switch pick {
        case .none: return false
        case .hart(let h): try endStep(h)
        case .guestWork: try guestWorkEnds()
        case .ipi:
            let i = ipis.removeFirst()
            m.simEnd = now
            delayedInjectArrives(i)
        case .timer:
            let r = timers.removeFirst()
            m.simEnd = now
            harts[r.hart].owedUnmasks.append(r.irq)
        case .family:
            try familyEventDue(familyEvents.removeFirst())
        }
        m.events += 1
        sameInstantHappenings += 1
        if sameInstantHappenings > Self.livelockLimit {
            throw ReplayError("simulated time stopped advancing at \(now) ns for more than \(Self.livelockLimit) happenings (livelock guard); check zero costs in the scenario")
        }
        return true
    }

    /// A trace record arrives: device work, then the line or the edge at the controller. Returns whether
    /// a source became pending. `number` is the record's 1-based place in replay order (file order
    /// unless the reader had to sort), as trace readers number records.
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
        ledger.arrive(source: s, at: e.time)
        return chipRecord(s, kind: e.kind)
    }

    // MARK: Physical IRQ accounting

    @inline(__always)
    func countPhysicalIRQ() {
        m.physicalIRQs += 1
        let bucket = now / 1_000_000
        if bucket != currentBucket {
            if currentBucket != .max && bucketCount > m.peakIRQsPerMs {
                m.peakIRQsPerMs = bucketCount
                m.peakBucketStart = currentBucket * 1_000_000
            }
            currentBucket = bucket
            bucketCount = 0
        }
        bucketCount += 1
        if rateBucketNs > 0 {
            var b = now / rateBucketNs
            if b >= UInt64(Self.maxRateBuckets) {
                // Long traces (real captures span years) would need unbounded memory at a fixed
                // width: widen the buckets instead, merging neighbours, so the series stays small.
                while b >= UInt64(Self.maxRateBuckets) {
                    for i in 0..<(rateSeries.count + 1) / 2 {
                        let hi = 2 * i + 1 < rateSeries.count ? rateSeries[2 * i + 1] : 0
                        rateSeries[i] = rateSeries[2 * i] &+ hi
                    }
                    rateSeries.removeLast(rateSeries.count / 2)
                    rateBucketNs *= 2
                    b = now / rateBucketNs
                }
            }
            if b >= UInt64(rateSeries.count) {
                rateSeries.append(contentsOf: repeatElement(0, count: Int(b) + 1 - rateSeries.count))
            }
            rateSeries[Int(b)] &+= 1
        }
    }

    /// A timed operation that may let the source fire again ends: one claim_to_complete sample.
    @inline(__always)
    func reopened(_ irq: Int) {
        if claimOpen[irq] {
            claimOpen[irq] = false
            m.claimToComplete.record(now - claimTime[irq])
        }
    }
}

struct DelayedInject { var time: UInt64; var seq: UInt64; var virq: Int }
struct RateTimer { var time: UInt64; var seq: UInt64; var hart: Int; var irq: Int }
/// A family's delayed happening: `code` says what it is, `a` and `b` are its operands.
struct FamilyEvent { var time: UInt64; var seq: UInt64; var code: UInt8; var a: Int32; var b: Int32 }
