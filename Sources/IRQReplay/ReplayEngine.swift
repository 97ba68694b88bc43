import DequeModule
import IRQCore
import IRQTrace

/// Why a replay stopped.
public struct ReplayError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// What a replay can report besides the metrics.
public struct ReplayOptions: Sendable {
    /// When set, physical IRQs are also counted per bucket of this many ns (the rate-over-time plot).
    public var rateBucketNs: UInt64? = nil
    /// Called after every `progressInterval` trace records with the number read so far.
    public var progress: (@Sendable (UInt64) -> Void)? = nil
    public var progressInterval: UInt64 = 1 << 16

    public init(rateBucketNs: UInt64? = nil, progress: (@Sendable (UInt64) -> Void)? = nil) {
        self.rateBucketNs = rateBucketNs
        self.progress = progress
    }
}

/// The deterministic replay of MODEL.md sections 1-8: a trace drives devices, the PLIC and the
/// dispatch core (IRQCore) on simulated harts, and a guest vCPU services the injected vIRQs.
///
/// Virtual time is an integer ns count. Happenings at one instant are applied in MODEL.md's order:
/// trace records in file order; then step ends, guest work ends, IPI deliveries and timers in the
/// order they were scheduled (a global sequence number); then each hart decides, in hart order;
/// repeated while decisions schedule more at the same instant.
///
/// Each hart has at most one HYP step in flight and the guest at most one piece of work, so they
/// are kept in fixed fields rather than a queue; IPIs and rate-limit timers have constant delays,
/// so they fire in the order they were scheduled: FIFO deques, reserved at set-up. Nothing here allocates per request once the request ledger has reached
/// the trace's peak backlog.
public final class ReplayEngine {
    public let scenario: Scenario
    public let strategy: EndStrategy
    public let settings: SourceSettings
    let core: IRQDescriptorTable
    let plic: PLIC
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

    // MARK: Metrics
    @exclusivity(unchecked) var m = ReplayMetrics()
    @exclusivity(unchecked) var currentBucket: UInt64 = .max
    @exclusivity(unchecked) var bucketCount: UInt64 = 0
    let options: ReplayOptions
    /// Physical IRQs per bucket of `rateBucketNs` (when `options.rateBucketNs` is set). The width
    /// doubles whenever the series would exceed `maxRateBuckets`.
    @exclusivity(unchecked) public private(set) var rateSeries: [UInt32] = []
    @exclusivity(unchecked) public private(set) var rateBucketNs: UInt64 = 0
    static let maxRateBuckets = 1 << 16

    public init(scenario: Scenario, sources: SourceSettings = .init(), strategy: EndStrategy,
                options: ReplayOptions = .init()) throws {
        try scenario.validate()
        self.scenario = scenario
        self.strategy = strategy
        self.settings = sources
        self.options = options
        rateBucketNs = options.rateBucketNs ?? 0
        hartCount = Int(scenario.harts)
        guestHart = Int(scenario.guestHart)
        plic = PLIC(contexts: hartCount, edgeQueue: UInt32(scenario.edgeQueue))
        core = IRQDescriptorTable(plic: plic, strategy: strategy, domains: 1)
        harts = Array(repeating: HartState(), count: hartCount)
        // In flight at once: an inject from each other hart per dispatch (>= 1 ns each) during one
        // ipi delay, and a timer per source.
        ipis.reserveCapacity(64 * hartCount + 64)
        timers.reserveCapacity(1024 + 64)
        for (id, s) in sources.settings.sorted(by: { $0.key < $1.key }) {
            guard s.targetHart < scenario.harts else {
                throw ReplayError("source \(id): target_hart \(s.targetHart) is not a hart (harts = \(scenario.harts))")
            }
            if let k = s.trigger { try configure(Int(id), kind: k) }
        }
    }

    /// Sets up a source at its first record (or from its settings): trigger, priority, target
    /// context, then route to the guest or a host handler.
    func configure(_ s: Int, kind: RequestKind) throws {
        let setting = settings[UInt16(s)]
        if let t = setting.trigger, t != kind {
            throw ReplayError("source \(s): the trace has \(kind.name) records but its settings say trigger \(t.name)")
        }
        guard setting.targetHart < scenario.harts else {
            throw ReplayError("source \(s): target_hart \(setting.targetHart) is not a hart (harts = \(scenario.harts))")
        }
        trigger[s] = kind.rawValue
        plic.setEdgeTriggered(s, kind == .edge)
        plic.setPriority(s, setting.priority)
        try core.setAffinity(s, context: Int(setting.targetHart))
        if setting.owner == .host {
            isHost[s] = true
            try core.requestHostIRQ(s)
        } else {
            try core.routeToGuest(irq: s, domain: Self.domain, virq: s)
        }
        configured[s] = true
    }

    @inline(__always)
    func nextSeq() -> UInt64 { clock.nextSequence() }

    // MARK: The run

    /// Replays `trace` to the end (and until every consequence has settled) and returns the metrics.
    public func run<S: TraceStream>(_ trace: inout S) throws -> ReplayMetrics {
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
        m.spuriousClaims = plic.spuriousClaims
        m.strayCompletes = plic.strayCompletes
        m.lostEdges = plic.lostEdges
        if bucketCount > m.peakIRQsPerMs { m.peakIRQsPerMs = bucketCount; m.peakBucketStart = currentBucket * 1_000_000 }
        return m
    }

    /// Requests that no handler consumed (units of lost edges whose source never fired again).
    public var unconsumedRequests: UInt64 { ledger.outstandingCount() }

    func anythingDueNow() -> Bool {
        for h in 0..<hartCount where harts[h].inHYP && harts[h].stepEnd == now { return true }
        if guest.running && guest.workEnd == now { return true }
        if let i = ipis.first, i.time == now { return true }
        if let r = timers.first, r.time == now { return true }
        return false
    }

    /// Applies the due happening with the lowest sequence number. False when none is due.
    func processOneDue() throws -> Bool {
        enum Pick { case none, hart(Int), guestWork, ipi, timer }
        var best: UInt64 = .max
        var pick = Pick.none
        for h in 0..<hartCount where harts[h].inHYP && harts[h].stepEnd == now && harts[h].stepSeq < best {
            best = harts[h].stepSeq; pick = .hart(h)
        }
        if guest.running && guest.workEnd == now && guest.workSeq < best { best = guest.workSeq; pick = .guestWork }
        if let i = ipis.first, i.time == now, i.seq < best { best = i.seq; pick = .ipi }
        if let r = timers.first, r.time == now, r.seq < best { best = r.seq; pick = .timer }
        switch pick {
        case .none: return false
        case .hart(let h): try endStep(h)
        case .guestWork: try guestWorkEnds()
        case .ipi:
            let i = ipis.removeFirst()
            m.simEnd = now
            if core.inject(domain: Self.domain, virq: i.virq) { m.stormIRQs += 1 }
        case .timer:
            let r = timers.removeFirst()
            m.simEnd = now
            harts[r.hart].owedUnmasks.append(r.irq)
        }
        m.events += 1
        sameInstantHappenings += 1
        if sameInstantHappenings > Self.livelockLimit {
            throw ReplayError("simulated time stopped advancing at \(now) ns for more than \(Self.livelockLimit) happenings (livelock guard); check zero costs in the scenario")
        }
        return true
    }

    /// A trace record arrives: device work, then the line or the edge at the PLIC. Returns whether
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
        return e.kind == .level ? plic.setLine(s, high: true) : plic.edge(s)
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
