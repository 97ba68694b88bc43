import DequeModule
import IRQCore
import IRQTrace

/// The simulated machine common to every controller family (docs/model.md §1-§9): virtual time,
/// the trace driving the devices, harts running HYP sequences through the dispatch core
/// (IRQCore), the guest vCPU, delayed happenings and the metrics. A controller family is a
/// subclass in its own folder (`PLICMachine`, ...): it owns its chip and overrides the hooks
/// marked "family hook" (what a trace record does at the controller, whether a hart sees an
/// interrupt, its own steps' costs and effects, its guest view), and conforms to
/// `ControllerFamily` (RunLoop.swift), which compiles the run loop and the per-request path once
/// per family so that those hooks are direct calls there.
///
/// Virtual time is an integer ns count. Happenings at one instant are applied in the order of docs/model.md §1:
/// trace records in file order; then step ends, guest work ends, IPI deliveries and timers in the
/// order they were scheduled (a global sequence number); then each hart decides, in hart order;
/// repeated while decisions schedule more at the same instant.
///
/// Each hart has at most one HYP step in flight and the guest at most one piece of work, so they
/// are kept in fixed fields rather than a queue; IPIs and rate-limit timers have constant delays,
/// so they fire in the order they were scheduled: FIFO queues (`TimedQueue`), reserved at set-up.
/// The next happening is the earliest by (time, sequence number) over those few places
/// (`firstHappening`). Per-hart and per-source state is plain memory allocated once, and the
/// request ledger is sized at set-up: a replay allocates nothing per request.
///
/// Five shortcuts change no number (docs/performance.md): macro-steps and, on one hart, solo steps
/// (MacroSteps.swift), the fast-forwarding of steady host-end storms (StormFastForward.swift),
/// trap entries folded with the next step (TrapEntryFolding.swift) and the ends of a sequence's
/// next steps chained to the end of the step before them (StepChaining.swift).
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
    /// `hartCount` entries, allocated once (plain memory: no copy-on-write check per write).
    let harts: UnsafeMutablePointer<HartState>
    /// Per hart, the rate-limit unmasks whose timer fired (`HartState.owed` counts them).
    @exclusivity(unchecked) var owedUnmasks: [Deque<Int>]

    // MARK: Guest vCPU
    @exclusivity(unchecked) var guest = GuestState()

    // MARK: Devices (per source 0..<1024, allocated once)
    let work = Machine.perSource(UInt64(0))
    /// Units the running handler of the source took when it started.
    let takenUnits = Machine.perSource(UInt64(0))
    let trigger = Machine.perSource(UInt8(0))
    let isHost = Machine.perSource(false)
    let configured = Machine.perSource(false)
    /// The hart whose context the source is enabled in (docs/model.md §2.1 `target_hart`).
    let targetHart = Machine.perSource(0)
    @exclusivity(unchecked) var ledger = RequestLedger()

    // MARK: Claim bookkeeping (per source)
    let claimTime = Machine.perSource(UInt64(0))
    let claimOpen = Machine.perSource(false)

    // MARK: Delayed happenings
    @exclusivity(unchecked) var ipis = TimedQueue<DelayedInject>()
    @exclusivity(unchecked) var timers = TimedQueue<RateTimer>()
    /// Happenings of a family's own with one constant delay (so FIFO order is time order), e.g.
    /// MSIs in flight.
    @exclusivity(unchecked) var familyEvents = TimedQueue<FamilyEvent>()

    /// Storm cycles watched on the vCPU's hart, for fast-forwarding (StormFastForward.swift).
    @exclusivity(unchecked) var storm = StormWatch()
    /// The family's storm cycle (set by its init; nil: its storms are replayed cycle by cycle).
    @exclusivity(unchecked) var stormCycle: StormCycle? = nil {
        didSet { storm.samplesPerCycle = stormCycle?.reopenStep == nil ? 0 : 1 }
    }
    /// Trap entries run folded with the next step (TrapEntryFolding.swift); set when a run starts.
    @exclusivity(unchecked) var foldTrapEntries = false
    /// `familyHooks`, read when a run starts.
    @exclusivity(unchecked) var hooks: FamilyHooks = []
    /// The common sequences' first steps, worked out when a run starts (TrapEntryFolding.swift).
    @exclusivity(unchecked) var starts = SequenceStarts()
    /// Trap entries folded so far (tests check that the shortcut was taken).
    @exclusivity(unchecked) var foldedTrapEntries: UInt64 = 0
    /// Steps whose end was chained to the end of the step before them (StepChaining.swift; tests
    /// check that the shortcut was taken).
    @exclusivity(unchecked) var chainedSteps: UInt64 = 0
    /// Decisions made by one-hart solo steps (MacroSteps.swift; tests check that the shortcut was
    /// taken).
    @exclusivity(unchecked) var soloDecisions: UInt64 = 0
    /// Where the last solo step's decision left a one-hart machine: the instant, the happening
    /// count and the last sequence number right after it (MacroSteps.swift). While all three are
    /// unchanged, nothing has happened since that decision, so the run loop's decision at the same
    /// instant is skipped.
    @exclusivity(unchecked) var soloSettled = SettledMark()
    /// Decisions of the run loop skipped because a solo step had just made them (tests check that
    /// the shortcut was taken).
    @exclusivity(unchecked) var skippedRepeatDecisions: UInt64 = 0
    /// Instants of trace records a one-hart run-ahead took on its way (MacroSteps.swift; tests
    /// check that the shortcut was taken).
    @exclusivity(unchecked) var recordInstantsTakenAhead: UInt64 = 0

    /// The cost of each step (by `Step.index`), taken from `cost(_:)` at the step's first use (a
    /// machine never asks for another family's steps); .max until then.
    let stepCosts = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)

    // MARK: Metrics
    @exclusivity(unchecked) var m = ReplayMetrics()
    /// The latency samples' histogram buckets while the replay runs (HistogramCounts.swift);
    /// flushed into `m` when it ends.
    let latencyCounts = HistogramCounts()
    @exclusivity(unchecked) var currentBucket: UInt64 = .max
    @exclusivity(unchecked) var bucketCount: UInt64 = 0
    let options: ReplayOptions
    /// Physical IRQs per bucket of `rateBucketNs` (when `options.rateBucketNs` is set), `rateSeries`.
    /// The width doubles whenever the series would exceed `maxRateBuckets`.
    @exclusivity(unchecked) var rateCounts = RateCounts()
    @exclusivity(unchecked) private(set) var rateBucketNs: UInt64 = 0
    static let maxRateBuckets = 1 << 16
    /// The rate bucket counted into last (`enterRateBucket`) and its end; 0 before the first.
    @exclusivity(unchecked) private var rateBucketIndex = 0
    @exclusivity(unchecked) private var rateBucketEnd: UInt64 = 0
    /// The per-request timeline (docs/timeline.md), when one was asked for; its hooks are in
    /// Timeline/MachineTimeline.swift.
    @exclusivity(unchecked) var timeline: TimelineRecorder? = nil

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
        harts = .allocate(capacity: hartCount)
        harts.initialize(repeating: HartState(), count: hartCount)
        owedUnmasks = (0..<hartCount).map { _ in Deque(minimumCapacity: 64) }
        storm.hart = guestHart
        stepCosts.initialize(repeating: .max, count: 256)
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

    deinit {
        harts.deinitialize(count: hartCount)
        harts.deallocate()
        for p in [work, takenUnits, claimTime] { p.deallocate() }
        trigger.deallocate()
        for p in [isHost, configured, claimOpen] { p.deallocate() }
        targetHart.deallocate()
        stepCosts.deallocate()
    }

    /// A per-source table (sources 0...1023), every entry `value`.
    static func perSource<T>(_ value: T) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: 1024)
        p.initialize(repeating: value, count: 1024)
        return p
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
        targetHart[s] = Int(setting.targetHart)
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

    /// The optional hooks a family implements that are asked outside the loop compiled per family
    /// (RunLoop.swift), where each is a dynamic call: a family that does not implement one is not
    /// asked (a guest work end, `guestWorkEnds`; docs/performance.md).
    struct FamilyHooks: OptionSet {
        let rawValue: UInt8
        /// `familyGuestWorkEnded`: the family's guest view has guest work of its own.
        static let guestWorkEnded = FamilyHooks(rawValue: 1)
    }

    /// The hooks of `FamilyHooks` this family overrides; none by default.
    var familyHooks: FamilyHooks { [] }

    /// A physical interrupt is takeable on `h`: start the sequence that takes it.
    @inline(__always)
    func startPhysicalSequence(_ h: Int) {
        startSequence(h, .dispatch, starts.dispatch, irq: 0)
    }

    /// Hart `h` returned to GUEST from a sequence of `kind`.
    @inline(__always)
    func sequenceReturned(_ h: Int, _ kind: SequenceKind) {
        if kind == .vclaimTrap { guestVclaimReturned() }
        if kind == .vcompleteTrap { guest.phase = .idle }
    }

    /// The step that performs `op` (of a controller type's `end`, or of the guest's EOI path in the
    /// vcomplete trap) for `irq`; nil when the family has no such step for it.
    @inline(__always)
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
    @inline(__always)
    func injectDelay(from h: Int) -> UInt64? { h == guestHart ? nil : scenario.ipi }

    /// A piece of the guest's work completed: a family whose guest view has steps of its own
    /// handles them here and returns true; false leaves it to the common guest (docs/model.md §6).
    /// Only asked of a family whose `familyHooks` name it.
    func familyGuestWorkEnded() throws -> Bool { false }

    /// Asked when a dispatch on the vCPU's hart returned after claiming a guest-owned level
    /// source once and injecting it as a storm inject, with nothing else happening in between:
    /// true when the dispatch ran exactly the steps of `stormCycle` and the chip's state, and the
    /// guest view's, are after it exactly what they were before it, so that the next cycle is the
    /// same and a steady storm may be fast-forwarded by whole cycles (StormFastForward.swift,
    /// docs/performance.md). The family also vouches that the cycle changes none of its own
    /// counts (or adds them in `stormCyclesSkipped`) and nothing it keeps per sequence that the
    /// next dispatch would not set again. The default, false, always replays every cycle.
    func dispatchWasStormCycle(_ h: Int) -> Bool { false }

    /// `k` storm cycles were fast-forwarded: a family whose chip counts something in every cycle
    /// (the APLIC's re-triggers and MSIs) adds it here, as the cycles would have.
    func stormCyclesSkipped(_ k: UInt64) {}

    /// The guest sees an interrupt it would take (§6: some vIRQ pending; a family whose guest
    /// acknowledges at the physical controller says so here).
    @inline(__always)
    func guestHasPending() -> Bool { vguest.hasPending }

    /// True when, with one hart, nothing of the family's can be scheduled or read between a trap
    /// entry's end and the next step's start, so that the two may run as one happening
    /// (TrapEntryFolding.swift). The default, false, runs every trap entry alone.
    var foldsTrapEntries: Bool { false }

    /// True for a family step whose cost depends on the state when it starts, so that it is
    /// computed at each start instead of once (`stepCost`); every other step's cost is a constant.
    func stepCostVaries(_ s: Step) -> Bool { false }

    @inline(__always)
    func nextSeq() -> UInt64 { clock.nextSequence() }

    // MARK: The run

    /// Replays `trace` to the end (and until every consequence has settled) and returns the metrics.
    /// A family's class runs the common loop compiled for itself (`ControllerFamily.replay`,
    /// RunLoop.swift), so that the hooks above are direct calls there.
    func run<S: TraceStream>(_ trace: inout S) throws -> ReplayMetrics { preconditionFailure("family hook") }

    /// Requests that no handler consumed (units of lost edges whose source never fired again).
    var unconsumedRequests: UInt64 { ledger.outstandingCount() }

    /// Where the next happening is: a hart's step end, the guest's work, or a delayed happening.
    enum Happening { case none, hart(Int), guestWork, ipi, timer, family }

    /// The next happening: the earliest by (time, sequence number), which is also the order in
    /// which happenings due at one instant apply (docs/model.md §1). Time .max when none.
    @inline(__always)
    func firstHappening() -> (time: UInt64, pick: Happening) {
        var time = UInt64.max
        var seq = UInt64.max
        var pick = Happening.none
        @inline(__always) func consider(_ t: UInt64, _ q: UInt64, _ p: Happening) {
            if t < time || (t == time && q < seq) { time = t; seq = q; pick = p }
        }
        for h in 0..<hartCount where harts[h].inHYP { consider(harts[h].stepEnd, harts[h].stepSeq, .hart(h)) }
        if guest.running { consider(guest.workEnd, guest.workSeq, .guestWork) }
        consider(ipis.headTime, ipis.headSeq, .ipi)
        consider(timers.headTime, timers.headSeq, .timer)
        consider(familyEvents.headTime, familyEvents.headSeq, .family)
        return (time, pick)
    }

    /// The earliest time in the IPI, timer and family queues; .max when all three are empty.
    var queuedHead: UInt64 {
        @inline(__always) get { min(ipis.headTime, timers.headTime, familyEvents.headTime) }
    }

    /// The earliest decision owed (a hart's `guest_min_run`, the vCPU's next window); .max when none.
    @inline(__always)
    func nextWake() -> UInt64 {
        var t = guest.wake
        for h in 0..<hartCount { t = min(t, harts[h].wake) }
        return t
    }

    /// A step of hart `h` ends: a disturbance to the storm watch unless it is a dispatch step on
    /// the watched hart (StormFastForward.swift).
    @inline(__always)
    func stepEndWatched(_ h: Int) {
        if h != storm.hart || harts[h].kind != .dispatch { storm.disturbances &+= 1 }
    }

    /// The guest's work due now ends (`process(.guestWork)`).
    @inline(__always)
    func guestWorkEndsNow() throws {
        storm.disturbances &+= 1
        try guestWorkEnds()
        try counted()
    }

    /// A happening was applied: counted, and the livelock guard.
    @inline(__always)
    func counted() throws {
        m.events += 1
        sameInstantHappenings += 1
        if sameInstantHappenings > Self.livelockLimit {
            throw ReplayError("simulated time stopped advancing at \(now) ns for more than \(Self.livelockLimit) happenings (livelock guard); check zero costs in the scenario")
        }
    }

    // MARK: Physical IRQ accounting

    /// Hart `h`'s claim of `irq` took effect (for every family, docs/model.md §9 `physical_irqs`):
    /// counted, and its `claim_to_complete` sample opened.
    @inline(__always)
    func claimed(_ irq: Int, on h: Int) {
        countPhysicalIRQs(at: now, count: 1)
        claimTime[irq] = now
        claimOpen[irq] = true
        if timeline != nil { timelineClaimed(irq, on: h) }
    }

    /// Physical IRQs per bucket of `rateBucketNs` (when `options.rateBucketNs` was set).
    var rateSeries: [UInt32] { rateCounts.series }

    /// `count` physical IRQs claimed at `t`: the total, the 1 ms bucket of `peak_irqs_per_ms`,
    /// and the rate series. `t` is never earlier than an earlier call's, so most claims fall in
    /// the buckets of the one before: one comparison with the earlier of the two buckets' ends
    /// (`countedUntil`) finds them, without a division.
    @inline(__always)
    func countPhysicalIRQs(at t: UInt64, count n: UInt64) {
        m.physicalIRQs &+= n
        if t >= countedUntil { enterCountBuckets(t) }
        bucketCount &+= n
        if rateBucketNs > 0 { rateCounts.add(UInt32(truncatingIfNeeded: n), at: rateBucketIndex) }
    }

    /// The earlier of the ends of the 1 ms bucket and of the rate bucket counted into last; 0
    /// before the first claim.
    @exclusivity(unchecked) private var countedUntil: UInt64 = 0

    /// `t` is past the 1 ms bucket or the rate bucket counted into last: the peak so far is taken
    /// from a finished 1 ms bucket, and `t`'s buckets are the ones counted into.
    func enterCountBuckets(_ t: UInt64) {
        let bucket = t / 1_000_000
        if bucket != currentBucket {
            if currentBucket != .max && bucketCount > m.peakIRQsPerMs {
                m.peakIRQsPerMs = bucketCount
                m.peakBucketStart = currentBucket * 1_000_000
            }
            currentBucket = bucket
            bucketCount = 0
        }
        let (msEnd, past) = (bucket + 1).multipliedReportingOverflow(by: 1_000_000)
        var end = past ? UInt64.max : msEnd
        if rateBucketNs > 0 {
            if t >= rateBucketEnd { enterRateBucket(t) }
            end = min(end, rateBucketEnd)
        }
        countedUntil = end
    }

    /// `t` is past the rate bucket counted into last: finds its bucket, widening the buckets
    /// first when the series would grow past `maxRateBuckets`.
    func enterRateBucket(_ t: UInt64) {
        var b = t / rateBucketNs
        // Long traces (real captures span years) would need unbounded memory at a fixed width:
        // widen the buckets instead, merging neighbours, so the series stays small.
        while b >= UInt64(Self.maxRateBuckets) {
            rateCounts.widen()
            rateBucketNs *= 2
            b = t / rateBucketNs
        }
        rateCounts.reach(Int(b))
        rateBucketIndex = Int(b)
        rateBucketEnd = (b + 1) * rateBucketNs
    }

    /// `count` physical IRQs claimed at `first`, `first + period`, ...: the same counts, buckets
    /// and rate series as one `countPhysicalIRQs(at:count: 1)` per claim, a bucket at a time.
    func countPhysicalIRQs(first: UInt64, period: UInt64, count: UInt64) {
        var done: UInt64 = 0
        while done < count {
            let t = first + done * period
            // Every claim before the end of t's 1 ms bucket and of its rate bucket (whose width
            // may double when t is counted, so count t first: then both are the buckets counted
            // into last).
            countPhysicalIRQs(at: t, count: 1)
            done += 1
            var end = (currentBucket + 1) * 1_000_000
            if rateBucketNs > 0 { end = min(end, rateBucketEnd) }
            let more = min(count - done, (end - 1 - t) / period)
            if more > 0 {
                countPhysicalIRQs(at: t + more * period, count: more)
                done += more
            }
        }
    }

    /// One sample of a latency distribution (docs/model.md §9).
    @inline(__always)
    func recordLatency(_ kind: HistogramCounts.Kind, _ v: UInt64) {
        withDistribution(kind) { $0.recordScalars(v) }
        latencyCounts.record(kind, v)
    }

    /// `body` on the distribution of `kind` in the metrics.
    @inline(__always)
    func withDistribution(_ kind: HistogramCounts.Kind, _ body: (inout Distribution) -> Void) {
        switch kind {
        case .claimToComplete: body(&m.claimToComplete)
        case .requestToGuest: body(&m.requestToGuest)
        case .requestToDone: body(&m.requestToDone)
        case .hostLatency: body(&m.hostLatency)
        }
    }

    /// A timed operation that may let the source fire again ends: one claim_to_complete sample.
    @inline(__always)
    func reopened(_ irq: Int) {
        if claimOpen[irq] {
            claimOpen[irq] = false
            recordLatency(.claimToComplete, now - claimTime[irq])
        }
    }
}

struct DelayedInject: TimedHappening { var time: UInt64; var seq: UInt64; var virq: Int }
struct RateTimer: TimedHappening { var time: UInt64; var seq: UInt64; var hart: Int; var irq: Int }

/// A family's delayed happening: `code` says what it is, `a` and `b` are its operands.
struct FamilyEvent: TimedHappening { var time: UInt64; var seq: UInt64; var code: UInt8; var a: Int32; var b: Int32 }
