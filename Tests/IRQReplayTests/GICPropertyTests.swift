import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// Properties of the GIC replay over seeded random workloads (docs/model.md Part G): determinism,
/// conservation of requests, and the counts that must balance.
struct GICPropertyTests {
    /// Poisson level sources of three priorities, a bursty edge source, a host source on hart 1 and
    /// a guest source on hart 1 (cross-hart injects), 2 list registers so injects overflow and evict.
    static func workload(seed: UInt64, policy: String, refill: String, iarLoop: Bool) throws
        -> (events: [TraceEvent], sources: SourceSettings, scenario: Scenario) {
        var a = try SyntheticTrace(SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 300_000), sources: [1, 2, 3, 4, 9],
                                                         count: 1...3, records: 300, seed: seed))
        var b = try SyntheticTrace(SyntheticTraceOptions(pattern: .bursty(ratePerSecond: 500_000, onNs: 50_000, offNs: 200_000),
                                                         sources: [7], kind: .edge, records: 150, seed: seed &+ 1))
        var events: [TraceEvent] = []
        while let e = a.next() { events.append(e) }
        while let e = b.next() { events.append(e) }
        events.sort { $0.time < $1.time }
        var src = SourceSettings()
        src[2] = SourceSetting(priority: 3)
        src[3] = SourceSetting(priority: 2)
        src[4] = SourceSetting(owner: .host, priority: 2, targetHart: 1)
        src[9] = SourceSetting(targetHart: 1)
        var s = Scenario()
        for (k, v) in [("irqchip", "gicv2"), ("harts", "2"), ("list_registers", "2"), ("lr_policy", policy),
                       ("lr_refill", refill), ("iar_loop", iarLoop ? "1" : "0"), ("ratelimit_count", "20"),
                       ("ratelimit_window", "100000"), ("ratelimit_off", "50000"), ("lr_overflow_cost", "30"),
                       ("refill_scan", "7")] {
            try s.set(k, v)
        }
        return (events.normalized().events, src, s)
    }

    /// The GIC strategies this workload runs: `direct` needs every guest source on the guest's hart.
    static let strategies: [EndStrategy] = [.hostEnd, .guestEnd, .maskUnmask, .hwEOI, .hostEndRatelimit]

    static func replay(_ w: (events: [TraceEvent], sources: SourceSettings, scenario: Scenario), _ strategy: EndStrategy)
        throws -> (ReplayMetrics, UInt64, [ServiceStart]) {
        var t = ArrayTraceStream(w.events)
        let e = try ReplayEngine(scenario: w.scenario, sources: w.sources, strategy: strategy)
        let timeline = TimelineRows()
        let m = try e.run(&t, timeline: timeline)
        return (m, e.unconsumedRequests, timeline.serviceStarts)
    }

    static let variants = [("priority", "underflow", false), ("fifo", "no-pending", false), ("priority", "no-pending", true)]

    @Test(arguments: [UInt64(1), 2])
    func sameInputsGiveIdenticalResults(seed: UInt64) throws {
        for (policy, refill, loop) in Self.variants {
            let w = try Self.workload(seed: seed, policy: policy, refill: refill, iarLoop: loop)
            // host-end with an IAR loop never returns to the guest (a livelock error, G.12).
            for strategy in Self.strategies where !(loop && strategy == .hostEnd) {
                let (a, _, sa) = try Self.replay(w, strategy)
                let (b, _, sb) = try Self.replay(w, strategy)
                #expect(a.rows.map { "\($0.metric)=\($0.value)" } == b.rows.map { "\($0.metric)=\($0.value)" })
                #expect(sa == sb && a.events == b.events)
            }
        }
    }

    /// Every request is consumed, except units of merged edges whose source never fired again;
    /// every claim of a source is deactivated once; the queue's books balance.
    @Test(arguments: [UInt64(1), 2, 3])
    func requestsAreConservedAndCountsBalance(seed: UInt64) throws {
        for (policy, refill, loop) in Self.variants {
            let w = try Self.workload(seed: seed, policy: policy, refill: refill, iarLoop: loop)
            for strategy in Self.strategies where !(loop && strategy == .hostEnd) {
                let label = "\(strategy.rawValue) \(policy) \(refill) loop=\(loop)"
                let (m, left, starts) = try Self.replay(w, strategy)
                let count = { (n: String) in UInt64(m.gic!.rows.first { $0.metric == n }!.value)! }
                #expect(m.requests == UInt64(w.events.count))
                #expect(m.consumedRequests + left == m.requests, "\(label)")
                if m.lostEdges == 0 { #expect(left == 0, "\(label)") }
                #expect(m.claimToComplete.count == m.physicalIRQs, "\(label): a claim not deactivated once")
                #expect(m.strayCompletes == 0)
                // Everything queued (overflow or eviction) was refilled by the end.
                #expect(count("lr_overflows") + count("lr_evictions") == count("lr_refills"), "\(label)")
                #expect(UInt64(starts.count) == m.guestInterrupts, "\(label): a service start per acknowledge")
                #expect(starts.filter { $0.units == 0 }.count == Int(m.guestSpurious))
                if policy == "fifo" { #expect(count("lr_evictions") == 0) }
                if strategy == .hwEOI || strategy == .hostEnd {
                    // No EOI maintenance: maintenance traps happen only to refill.
                    #expect(count("maintenance_irqs") <= count("lr_refills"), "\(label)")
                }
                if strategy == .guestEnd {
                    #expect(count("maintenance_irqs") >= 1)
                }
            }
        }
    }

    /// direct: on the guest's hart the hypervisor never runs, and every request is consumed.
    @Test(arguments: [UInt64(1), 2])
    func directRunsWithoutTheHypervisor(seed: UInt64) throws {
        var a = try SyntheticTrace(SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 300_000), sources: [1, 2, 3],
                                                         count: 1...3, records: 400, seed: seed))
        var events: [TraceEvent] = []
        while let e = a.next() { events.append(e) }
        var s = Scenario()
        try s.set("irqchip", "gicv2")
        var t = ArrayTraceStream(events.normalized().events)
        let e = try ReplayEngine(scenario: s, strategy: .direct)
        let m = try e.run(&t)
        #expect(m.hypBusy == 0 && e.unconsumedRequests == 0 && m.stormIRQs == 0)
        #expect(m.physicalIRQs == m.guestInterrupts && m.claimToComplete.count == m.physicalIRQs)
        #expect(m.gic == GICCounts())
    }
}
