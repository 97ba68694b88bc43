import Foundation
import IRQCore
import IRQReplay
import IRQTrace
import Synchronization

/// Live mode: the dispatch core on real threads.
///
/// - The device thread raises each trace request at its recorded time (times `timeScale`) on the
///   shared atomic interrupt controller of `irqchip` (its family's `LiveController`).
/// - Each hart is a thread that takes the interrupts its context sees (`hasInterrupt`,
///   `beginDispatch`), runs do_IRQ through the same `IRQDescriptorTable` as the replay, and
///   injects into the guest's virtual controller (or runs the host handler).
/// - The guest is a thread that claims, services (busy work of `service + per_unit * n` ns) and
///   ends each interrupt, with the strategy's physical operations.
///
/// Latencies use CLOCK_MONOTONIC and start at each request's intended time, so a late device
/// thread or a busy hart cannot hide delay (no coordinated omission). Every loop polls a stop
/// flag (Ctrl-C, the duration limit, or the end of the trace), so a run always ends.
public final class LiveRun: @unchecked Sendable {
    public let config: LiveConfig
    let events: [TraceEvent]
    let controller: any LiveController
    let table: IRQDescriptorTable
    let work: [SourceWork?]
    static let domain = 1

    /// Claim time of each source's current claim (for claim_to_complete, read by whichever
    /// thread performs the reopening operation).
    let claimAt: UnsafeMutablePointer<Atomic<UInt64>>
    let issued = Atomic<UInt64>(0)
    let consumed = Atomic<UInt64>(0)
    let deviceDone = Atomic<Bool>(false)
    let finished = StopFlag()
    var t0: UInt64 = 0

    /// Sets up the controller and the descriptor table for the sources of `events` (in replay order).
    public init(events: [TraceEvent], config: LiveConfig) throws {
        self.config = config
        self.events = events
        controller = try LiveControllers.make(config)
        table = controller.table
        var kinds = [RequestKind?](repeating: nil, count: PLIC.sourceCount)
        var perSource = [Int](repeating: 0, count: PLIC.sourceCount)
        for e in events {
            let s = Int(e.source)
            if let k = kinds[s], k != e.kind { throw LiveError("source \(s) has both level and edge records") }
            kinds[s] = e.kind
            perSource[s] += 1
        }
        var w = [SourceWork?](repeating: nil, count: PLIC.sourceCount)
        for s in 1..<PLIC.sourceCount {
            guard let kind = kinds[s] else { continue }
            let setting = config.sources[UInt16(s)]
            if let t = setting.trigger, t != kind {
                throw LiveError("source \(s): the trace has \(kind.name) records but its settings say trigger \(t.name)")
            }
            guard setting.targetHart < config.scenario.harts else {
                throw LiveError("source \(s): target_hart \(setting.targetHart) is not a hart (harts = \(config.harts))")
            }
            do {
                try controller.configure(s, kind: kind, setting: setting)
                try table.setAffinity(s, context: Int(setting.targetHart))
                if setting.owner == .host { try table.requestHostIRQ(s) }
                else { try table.routeToGuest(irq: s, domain: Self.domain, virq: s) }
            } catch { throw LiveError("source \(s): \(error)") }
            w[s] = SourceWork(id: s, edge: kind == .edge, capacity: min(perSource[s], 4096))
        }
        work = w
        claimAt = .allocate(capacity: PLIC.sourceCount)
        for i in 0..<PLIC.sourceCount { (claimAt + i).initialize(to: Atomic(0)) }
    }

    deinit {
        claimAt.deinitialize(count: PLIC.sourceCount)
        claimAt.deallocate()
    }

    /// Runs the trace once on real threads and returns what was measured. `stop` ends the run
    /// early (Ctrl-C); the duration limit does too. Either way the threads are joined first.
    public func run(stop: StopFlag) -> LiveMetrics {
        // A short lead so every thread is polling before the first request is due.
        t0 = monotonicNow() + 5_000_000
        let deadline = t0 + config.durationNs
        let hartStates = (0..<config.harts).map { _ in HartThread() }
        let guest = GuestThread()
        let device = DeviceThread()
        let group = DispatchGroup()
        func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
            group.enter()
            let t = Thread { body(); group.leave() }
            t.name = name
            t.start()
        }
        start("irq-device") { [self] in runDevice(device) }
        for h in 0..<config.harts {
            let state = hartStates[h]
            start("irq-hart\(h)") { [self] in runHart(h, state) }
        }
        start("irq-guest") { [self] in runGuest(guest) }

        // Supervisor: ends the run when the trace is done and drained, on Ctrl-C, or at the limit.
        var drainStart: UInt64? = nil
        var early = false
        while true {
            usleep(1000)
            let now = monotonicNow()
            if stop.isSet || now >= deadline { early = !(deviceDone.load(ordering: .acquiring) && quiet); break }
            if deviceDone.load(ordering: .acquiring) {
                if quiet { break }
                if drainStart == nil { drainStart = now }
                if now - drainStart! > config.drainNs { early = true; break }
            }
        }
        finished.set()
        group.wait()

        var m = LiveMetrics()
        m.merge(device.metrics)
        m.merge(guest.metrics)
        var buckets: [UInt64] = []
        for counts in hartStates.map(\.perMs) + [guest.perMs] {
            if counts.count > buckets.count { buckets += [UInt64](repeating: 0, count: counts.count - buckets.count) }
            for (i, c) in counts.enumerated() { buckets[i] += UInt64(c) }
        }
        for h in hartStates { m.merge(h.metrics) }
        m.peakIRQsPerMs = buckets.max() ?? 0
        m.requests = issued.load(ordering: .acquiring)
        m.unconsumedRequests = m.requests - consumed.load(ordering: .acquiring)
        controller.finish(&m)
        m.stoppedEarly = early || m.requests < UInt64(events.count)
        return m
    }

    /// Nothing left: every raised request consumed, no interrupt pending anywhere.
    var quiet: Bool {
        consumed.load(ordering: .acquiring) == issued.load(ordering: .acquiring)
            && !(0..<config.harts).contains { controller.hasInterrupt(hart: $0) }
            && !controller.guestHasPending()
    }

    // MARK: Device

    final class DeviceThread: @unchecked Sendable { var metrics = LiveMetrics() }

    func runDevice(_ me: DeviceThread) {
        for e in events {
            let intended = t0 &+ UInt64((Double(e.time) * config.timeScale).rounded())
            // Sleep while far from the intended time, then spin: nanosleep alone is late by tens
            // of microseconds.
            while true {
                if finished.isSet { deviceDone.store(true, ordering: .releasing); return }
                let now = monotonicNow()
                if now >= intended { break }
                if intended - now > 200_000 { usleep(UInt32((intended - now - 100_000) / 1000)) }
            }
            let arrived = monotonicNow()
            me.metrics.deviceLateness.record(arrived - intended)
            issued.wrappingAdd(1, ordering: .releasing)
            work[Int(e.source)]!.arrive(.init(intended: intended, arrived: arrived, count: e.count), controller: controller)
        }
        deviceDone.store(true, ordering: .releasing)
    }

    // MARK: Harts

    final class HartThread: @unchecked Sendable {
        var metrics = LiveMetrics()
        var perMs: [UInt32] = []
        var lastReturn: UInt64 = 0
        var taken: [SourceWork.Request] = []
        /// Rate-limit unmasks owed by this hart: (irq, due time).
        var timers: [(irq: Int, due: UInt64)] = []
        var idle = IdleBackoff()
    }

    func runHart(_ h: Int, _ me: HartThread) {
        me.perMs.reserveCapacity(Int(min(config.durationNs / 1_000_000 + 2, 1 << 20)))
        me.taken.reserveCapacity(4096)
        let minRun = config.scenario.guestMinRun
        while !finished.isSet {
            let now = monotonicNow()
            if !me.timers.isEmpty { runTimers(me, now: now) }
            // guest_min_run: after each dispatch the hart returns to the guest for at least this
            // long, and yields its core, so a host-end storm cannot starve the guest thread.
            if now &- me.lastReturn >= minRun && controller.hasInterrupt(hart: h) {
                // iar_loop (docs/model.md G.5): claim again at once until the claim finds nothing.
                while dispatch(h, me) && config.scenario.iarLoop != 0 && !finished.isSet {}
                me.idle.reset()
                sched_yield()
            } else {
                me.idle.wait()
            }
        }
    }

    /// One do_IRQ on hart `h`; false when the claim found nothing.
    @discardableResult
    func dispatch(_ h: Int, _ me: HartThread) -> Bool {
        let id = table.chip.claim(context: h)
        let acknowledged = monotonicNow()
        if controller.handleOwnInterrupt(id, hart: h, ending: { endGuestInterrupt($0, path: table.guestType.guestEOI, &me.metrics) }) {
            me.lastReturn = monotonicNow()
            me.metrics.hypBusy &+= me.lastReturn &- acknowledged
            return true
        }
        let d = table.dispatch(claimed: id, context: h)
        let claimed = monotonicNow()
        guard d.irq != 0 else { me.lastReturn = claimed; return false }
        me.metrics.physicalIRQs += 1
        countPerMs(&me.perMs, at: claimed)
        claimAt[d.irq].store(claimed, ordering: .releasing)
        switch d.target {
        case .host:
            // host_isr: consumes the units present, takes host_isr ns of CPU.
            let w = work[d.irq]!
            me.taken.removeAll(keepingCapacity: true)
            let n = w.take(into: &me.taken)
            for r in me.taken { me.metrics.hostLatency.record(claimed &- r.intended) }
            busyWait(config.scenario.hostISR)
            w.finish(units: n, controller: controller)
            let end = monotonicNow()
            for r in me.taken { me.metrics.requestToDone.record(end &- r.intended) }
            me.metrics.runEnd = max(me.metrics.runEnd, end &- t0)
            consumed.wrappingAdd(UInt64(me.taken.count), ordering: .releasing)
        case .guest(let domain, let virq):
            // The guest is another thread: once injected, it may end the interrupt (and unmask)
            // at once. So the strategy's mask goes before the inject, as VFIO's INTx handler
            // masks (disable_irq_nosync) before it signals the guest; a mask after the guest's
            // unmask would leave the source masked for ever.
            if d.end.contains(.mask) && controller.performs(.mask, source: d.irq) { table.perform(.mask, irq: d.irq) }
            if table.inject(domain: domain, virq: virq) { me.metrics.stormIRQs += 1 }
        case .unhandled, .spurious:
            break
        }
        table.finishHandler(d)
        for op in d.end {
            if op == .mask, case .guest = d.target { continue }
            switch op {
            case .rateLimitCheck:
                let now = monotonicNow()
                if table.rateLimitCheck(d.irq, now: now &- t0, window: config.scenario.ratelimitWindow,
                                        limit: config.scenario.ratelimitCount) {
                    table.perform(.mask, irq: d.irq)
                    me.timers.append((d.irq, monotonicNow() &+ config.scenario.ratelimitOff))
                }
            default:
                guard controller.performs(op, source: d.irq) else { continue }
                table.perform(op, irq: d.irq)
                if isReopening(op, d) {
                    me.metrics.claimToComplete.record(monotonicNow() &- claimed)
                }
            }
        }
        me.lastReturn = monotonicNow()
        me.metrics.hypBusy &+= me.lastReturn &- claimed
        return true
    }

    /// The operation after which the source may fire again (docs/model.md §9 `claim_to_complete`),
    /// for the host type or the strategy's guest type.
    func isReopening(_ op: ControllerOperation, _ d: Dispatch) -> Bool {
        if case .guest = d.target { return op == controller.reopeningOperation(host: false) }
        return op == controller.reopeningOperation(host: true)
    }

    /// One physical IRQ claimed at `t` in its 1 ms bucket (peak_irqs_per_ms).
    func countPerMs(_ perMs: inout [UInt32], at t: UInt64) {
        guard t >= t0 else { return }
        let ms = Int((t &- t0) / 1_000_000)
        if ms >= perMs.count { perMs += [UInt32](repeating: 0, count: ms + 1 - perMs.count) }
        perMs[ms] &+= 1
    }

    func runTimers(_ me: HartThread, now: UInt64) {
        var i = 0
        while i < me.timers.count {
            if me.timers[i].due <= now {
                table.perform(.unmask, irq: me.timers[i].irq)
                me.timers.remove(at: i)
            } else { i += 1 }
        }
    }

    // MARK: Guest

    final class GuestThread: @unchecked Sendable {
        var metrics = LiveMetrics()
        /// Physical IRQs per ms claimed by the guest itself (a family whose guest claims them).
        var perMs: [UInt32] = []
        var taken: [SourceWork.Request] = []
        var idle = IdleBackoff()
    }

    func runGuest(_ me: GuestThread) {
        me.taken.reserveCapacity(4096)
        while !finished.isSet {
            guard controller.guestHasPending() else { me.idle.wait(); continue }
            me.idle.reset()
            // The guest's claim (a trap in the model under a vPLIC; here the atomic claim).
            let virq = controller.guestClaim()
            let vclaimEnd = monotonicNow()
            guard virq != 0 else { continue }
            me.metrics.guestInterrupts += 1
            let irq = table.irq(forVirq: virq, domain: Self.domain)
            guard irq != 0, let w = work[irq] else { continue }
            if controller.guestClaimIsPhysical(irq) {
                // The source's interrupts reach the guest's own interrupt file: its claim is the
                // physical one (claim_to_complete starts here).
                me.metrics.physicalIRQs += 1
                claimAt[irq].store(vclaimEnd, ordering: .releasing)
                countPerMs(&me.perMs, at: vclaimEnd)
            }
            // Service: every unit present now; requests that arrived after the vclaim are taken
            // at the service start (docs/model.md §9 request_to_guest).
            me.taken.removeAll(keepingCapacity: true)
            let n = w.take(into: &me.taken)
            let serviceStart = monotonicNow()
            if n == 0 { me.metrics.guestSpurious += 1 }
            for r in me.taken {
                let seen = r.arrived <= vclaimEnd ? vclaimEnd : serviceStart
                me.metrics.requestToGuest.record(seen &- r.intended)
            }
            busyWait(config.scenario.service &+ config.scenario.perUnit &* n)
            w.finish(units: n, controller: controller)
            let end = monotonicNow()
            for r in me.taken { me.metrics.requestToDone.record(end &- r.intended) }
            me.metrics.runEnd = max(me.metrics.runEnd, end &- t0)
            // The guest's end of the interrupt, with the strategy's physical operations (in the
            // trap, or by hardware); a family may end some sources' handlers with no write at all.
            // Those of a maintenance path run in the hypervisor's maintenance handler instead.
            let (pirq, path) = table.guestComplete(domain: Self.domain, virq: virq)
            if pirq != 0 && controller.guestEOIWrites(source: pirq) {
                if case .maintenance = path {} else { endGuestInterrupt(pirq, path: path, &me.metrics) }
            }
            consumed.wrappingAdd(UInt64(me.taken.count), ordering: .releasing)
        }
    }

    /// The physical operations that end a guest's interrupt of `pirq`, with their
    /// claim_to_complete sample at the reopening one.
    func endGuestInterrupt(_ pirq: Int, path: GuestEOIPath, _ metrics: inout LiveMetrics) {
        for op in path.operations where controller.performs(op, source: pirq) {
            table.perform(op, irq: pirq)
            if op == controller.reopeningOperation(host: false) {
                metrics.claimToComplete.record(monotonicNow() &- claimAt[pirq].load(ordering: .acquiring))
            }
        }
    }
}
