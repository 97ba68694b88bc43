import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// docs/model.md G.10: the GIC's worked examples, every number as the text gives it (defaults, one
/// hart, underflow refill, priority policy, no IAR loop unless stated).
struct GICWorkedExampleTests {
    static func level(_ t: UInt64, _ s: UInt16, count: UInt32 = 1) -> TraceEvent {
        TraceEvent(time: t, source: s, kind: .level, count: count)
    }

    static func gic(_ params: [String: String] = [:]) throws -> Scenario {
        var s = Scenario()
        try s.set("irqchip", "gicv2")
        for (k, v) in params.sorted(by: { $0.key < $1.key }) { try s.set(k, v) }
        return s
    }

    struct Run {
        var m: ReplayMetrics
        var starts: [ServiceStart]
        func count(_ name: String) -> UInt64 { UInt64(m.gic!.rows.first { $0.metric == name }!.value)! }
        /// Intervals between service starts, the first from t = 0 (the storm benchmark's positions).
        var positions: [UInt64] { zip(starts.map(\.time), [0] + starts.map(\.time)).map { $0 - $1 } }
        var order: [Int] { starts.map(\.source) }
    }

    static func replay(_ strategy: EndStrategy, _ events: [TraceEvent] = [level(0, 1)], params: [String: String] = [:],
                       sources: SourceSettings = .init()) throws -> Run {
        var trace = ArrayTraceStream(events)
        let e = try ReplayEngine(scenario: gic(params), sources: sources, strategy: strategy)
        let timeline = TimelineRows()
        let m = try e.run(&trace, timeline: timeline)
        return Run(m: m, starts: timeline.serviceStarts)
    }

    // MARK: One level request at t = 0

    @Test func hwEOI() throws {
        let r = try Self.replay(.hwEOI)
        #expect(r.m.physicalIRQs == 1 && r.m.stormIRQs == 0 && r.count("maintenance_irqs") == 0)
        #expect(r.m.guestInterrupts == 1 && r.m.guestSpurious == 0)
        #expect(r.m.claimToComplete.max == 2580 && r.m.requestToGuest.max == 615 && r.m.requestToDone.max == 2815)
        #expect(r.m.simEnd == 2830 && r.m.hypBusy == 500)
        #expect(r.starts == [ServiceStart(time: 615, source: 1, units: 1)])
    }

    @Test func guestEndTakesOneMaintenanceTrapAtTheGuestsEOI() throws {
        let r = try Self.replay(.guestEnd)
        #expect(r.m.physicalIRQs == 1 && r.count("maintenance_irqs") == 1 && r.m.guestInterrupts == 1)
        #expect(r.m.claimToComplete.max == 2980, "the DIR in the maintenance sequence, 3230 - 250")
        #expect(r.m.requestToGuest.max == 615 && r.m.requestToDone.max == 2815)
        #expect(r.m.simEnd == 3480 && r.m.hypBusy == 1150)
    }

    @Test func maskUnmaskHasNoSpuriousSecondInterrupt() throws {
        let r = try Self.replay(.maskUnmask)
        #expect(r.m.physicalIRQs == 1 && r.m.guestInterrupts == 1 && r.m.guestSpurious == 0)
        #expect(r.m.claimToComplete.max == 3180 && r.m.requestToGuest.max == 765 && r.m.requestToDone.max == 2965)
        #expect(r.m.simEnd == 3680 && r.m.hypBusy == 1350)
    }

    @Test(arguments: [EndStrategy.hostEnd, .hostEndRatelimit])
    func hostEndStorms(_ s: EndStrategy) throws {
        let r = try Self.replay(s)
        #expect(r.m.physicalIRQs == 47 && r.m.stormIRQs == 46)
        #expect(r.m.guestInterrupts == 2 && r.m.guestSpurious == 1)
        #expect(r.m.claimToComplete.count == 47 && r.m.claimToComplete.min == 150 && r.m.claimToComplete.max == 150)
        #expect(r.m.requestToGuest.max == 1765 && r.m.requestToDone.max == 28165)
        #expect(r.m.simEnd == 30310 && r.m.hypBusy == 25850)
        #expect(r.starts == [ServiceStart(time: 1765, source: 1, units: 1), ServiceStart(time: 28295, source: 1, units: 0)])
    }

    @Test func directHasNoHypervisorInThePath() throws {
        let r = try Self.replay(.direct)
        #expect(r.m.physicalIRQs == 1 && r.m.guestInterrupts == 1)
        #expect(r.m.claimToComplete.max == 2215 && r.m.requestToGuest.max == 115 && r.m.requestToDone.max == 2315)
        #expect(r.m.simEnd == 2330 && r.m.hypBusy == 0)
    }

    // MARK: Two level requests, t = 0 and 1000

    @Test func hwEOIDeactivatesIntoAHighLine() throws {
        let r = try Self.replay(.hwEOI, [Self.level(0, 1), Self.level(1000, 1)])
        #expect(r.m.physicalIRQs == 2 && r.m.stormIRQs == 0 && r.m.guestSpurious == 0)
        #expect(r.m.claimToComplete.count == 2 && r.m.claimToComplete.min == 2580 && r.m.claimToComplete.max == 2580)
        #expect(r.m.requestToGuest.min == 615 && r.m.requestToGuest.max == 2445)
        #expect(r.m.requestToDone.min == 2815 && r.m.requestToDone.max == 4645)
        #expect(r.m.simEnd == 5660 && r.m.hypBusy == 1000)
    }

    @Test func guestEndDeactivatesIntoAHighLine() throws {
        let r = try Self.replay(.guestEnd, [Self.level(0, 1), Self.level(1000, 1)])
        #expect(r.m.physicalIRQs == 2 && r.count("maintenance_irqs") == 2)
        #expect(r.m.claimToComplete.min == 2980 && r.m.claimToComplete.max == 2980)
        #expect(r.m.requestToGuest.min == 615 && r.m.requestToGuest.max == 3145)
        #expect(r.m.requestToDone.min == 2815 && r.m.requestToDone.max == 5345)
        #expect(r.m.simEnd == 7010 && r.m.hypBusy == 2300)
    }

    // MARK: Edges, hw-eoi

    @Test func edgeBeforeTheAcknowledgeIsMerged() throws {
        let e = [TraceEvent(time: 0, source: 1, kind: .edge, count: 1), TraceEvent(time: 100, source: 1, kind: .edge, count: 1)]
        let r = try Self.replay(.hwEOI, e)
        #expect(r.m.lostEdges == 1 && r.m.physicalIRQs == 1 && r.m.guestInterrupts == 1)
        #expect(r.starts == [ServiceStart(time: 615, source: 1, units: 2)], "one handler takes both units")
        #expect(r.m.claimToComplete.max == 2780)
        #expect(r.m.requestToDone.min == 2915 && r.m.requestToDone.max == 3015 && r.m.simEnd == 3030)
    }

    @Test func edgeWhileActiveIsHeldLikeAHighLine() throws {
        let e = [TraceEvent(time: 0, source: 1, kind: .edge, count: 1), TraceEvent(time: 1000, source: 1, kind: .edge, count: 1)]
        let edges = try Self.replay(.hwEOI, e)
        let lines = try Self.replay(.hwEOI, [Self.level(0, 1), Self.level(1000, 1)])
        #expect(edges.m.lostEdges == 0)
        #expect(edges.m.rows.map(\.value) == lines.m.rows.map(\.value), "the same numbers as G-HW2")
    }

    // MARK: The 16-request burst (G-B1)

    static let burst = (1...16).map { level(0, UInt16($0)) }
    static let burstStarts: [UInt64] = [1615, 10445, 12775, 15855, 18185, 20515, 23595, 25925, 28255, 31335,
                                        33665, 35995, 39075, 41405, 43735, 46065]

    /// Positions whose interval is longer than a plain handler (2330 ns), past the first two
    /// (which include the 16 dispatches).
    static func spikes(_ r: Run, plain: UInt64) -> [Int] {
        r.positions.enumerated().filter { $0.offset >= 3 && $0.element > plain }.map(\.offset)
    }

    @Test func burstRefillsBeforePositions3_6_9_12() throws {
        let r = try Self.replay(.hwEOI, Self.burst)
        #expect(r.starts.map(\.time) == Self.burstStarts)
        #expect(Self.spikes(r, plain: 2330) == [3, 6, 9, 12])
        #expect(r.positions[3] == 3080, "a handler plus the 750 ns maintenance sequence")
        #expect(r.m.physicalIRQs == 16 && r.count("maintenance_irqs") == 4 && r.count("lr_overflows") == 12)
        #expect(r.count("lr_refills") == 12 && r.count("lr_evictions") == 0 && r.m.stormIRQs == 0)
        #expect(r.m.guestInterrupts == 16 && r.m.requestToDone.max == 48265)
        #expect(r.m.simEnd == 48280 && r.m.hypBusy == 11000)
    }

    @Test(arguments: [("underflow", "priority"), ("no-pending", "priority"), ("underflow", "fifo"), ("no-pending", "fifo")])
    func burstPositionsHoldForBothTriggersAndPolicies(_ refill: String, _ policy: String) throws {
        let r = try Self.replay(.hwEOI, Self.burst, params: ["lr_refill": refill, "lr_policy": policy])
        #expect(r.starts.map(\.time) == Self.burstStarts)
        #expect(Self.spikes(r, plain: 2330) == [3, 6, 9, 12])
        #expect(r.count("maintenance_irqs") == 4 && r.m.simEnd == 48280)
    }

    @Test func burstWithAnIARLoopTakesOneTrapForAll16() throws {
        let r = try Self.replay(.hwEOI, Self.burst, params: ["iar_loop": "1"])
        #expect(Self.spikes(r, plain: 2330) == [3, 6, 9, 12])
        #expect(r.m.spuriousClaims == 1, "the loop ends on one 1023 read")
        #expect(r.m.hypBusy == 6600 && r.m.simEnd == 43880)
    }

    @Test func burstUnderTheOtherStrategies() throws {
        let ge = try Self.replay(.guestEnd, Self.burst)
        #expect(ge.count("maintenance_irqs") == 16 && ge.m.simEnd == 56280 && ge.m.hypBusy == 19000)
        let mu = try Self.replay(.maskUnmask, Self.burst)
        #expect(mu.m.simEnd == 59480 && mu.m.hypBusy == 22200)
        let di = try Self.replay(.direct, Self.burst)
        #expect(di.m.simEnd == 37280 && di.m.hypBusy == 0)
        let he = try Self.replay(.hostEnd, Self.burst)
        #expect(he.m.physicalIRQs == 1385 && he.m.stormIRQs == 1369 && he.m.guestInterrupts == 32)
        #expect(he.m.guestSpurious == 16 && he.m.simEnd == 833110)
    }

    // MARK: The irqstorm shape (G-B2)

    static let storm = (1...8).map { level(0, UInt16($0)) } + (9...16).map { level(6330, UInt16($0)) }
    static let stormSources = SourceSettings(Dictionary(uniqueKeysWithValues: (9...16).map { (UInt16($0), SourceSetting(priority: 2)) }))

    @Test func stormEvictsAndRefillsBeforePositions4_7_10_13() throws {
        let r = try Self.replay(.hwEOI, Self.storm, sources: Self.stormSources)
        #expect(r.positions == [1615, 6330, 4830, 2330, 3080, 2330, 2330, 3080, 2330, 2330, 3080, 2330, 2330, 3030, 2330, 2330])
        #expect(r.count("lr_evictions") == 3 && r.count("maintenance_irqs") == 4)
        #expect(r.order.prefix(2) == [1, 9], "then by priority")
    }

    @Test(arguments: [("underflow", "priority"), ("no-pending", "priority"), ("underflow", "fifo"), ("no-pending", "fifo")])
    func stormSpikesHoldForBothTriggersAndPolicies(_ refill: String, _ policy: String) throws {
        let r = try Self.replay(.hwEOI, Self.storm, params: ["lr_refill": refill, "lr_policy": policy], sources: Self.stormSources)
        #expect(Self.spikes(r, plain: 2330).filter { $0 > 3 } == [4, 7, 10, 13])
        if policy == "fifo" { #expect(r.count("lr_evictions") == 0) }
    }

    @Test func stormHandlingOrderUnderFIFO() throws {
        let u = try Self.replay(.hwEOI, Self.storm, params: ["lr_policy": "fifo"], sources: Self.stormSources)
        #expect(u.order.prefix(11) == [1, 9, 2, 3, 4, 5, 6, 10, 11, 7, 12])
        let n = try Self.replay(.hwEOI, Self.storm, params: ["lr_policy": "fifo", "lr_refill": "no-pending"], sources: Self.stormSources)
        #expect(n.order.prefix(12) == [1, 9, 2, 3, 4, 5, 6, 7, 10, 11, 8, 12])
    }

    @Test func stormArrivingDuringTheFirstServiceMovesTheSpikesTo3_6_9_12() throws {
        let early = (1...8).map { Self.level(0, UInt16($0)) } + (9...16).map { Self.level(5000, UInt16($0)) }
        let r = try Self.replay(.hwEOI, early, sources: Self.stormSources)
        #expect(Self.spikes(r, plain: 2330) == [3, 6, 9, 12])
    }

    /// docs/model.md G.11: the calibrated run (C1-C5) and the two optional overflow costs.
    static let calibrated = ["guest_min_run": "1", "virq_entry": "207", "trap_entry": "242", "trap_exit": "242",
                             "service": "323", "per_unit": "70", "maint_handler": "1484"]
    static var calibratedStorm: [TraceEvent] {
        [level(0, 1, count: 2)] + (2...8).map { level(0, UInt16($0)) } + (9...16).map { level(6172, UInt16($0)) }
    }

    @Test func calibratedStormPositions() throws {
        let r = try Self.replay(.hwEOI, Self.calibratedStorm, params: Self.calibrated, sources: Self.stormSources)
        #expect(r.positions == [5694, 6172, 630, 630, 2948, 630, 630, 2948, 630, 630, 2948, 630, 630, 2898, 630, 630])
    }

    /// G.12 decisions 15 and 18: 168 ns per spilled inject (4 overflows at position 0, 3 evictions
    /// and 4 overflows at position 1) and 29 ns per queued entry examined (the refills examine
    /// 11+10+9, 8+7+6, 5+4+3 and 2+1 entries), with maint_handler refitted to 614: Bao's falling
    /// spikes. The second batch comes when the first handler's EOI ends, now 672 ns later.
    @Test func overflowCostsGiveBaosFallingSpikes() throws {
        var p = Self.calibrated
        p["maint_handler"] = "614"
        p["lr_overflow_cost"] = "168"
        p["refill_scan"] = "29"
        let events = [Self.level(0, 1, count: 2)] + (2...8).map { Self.level(0, UInt16($0)) }
            + (9...16).map { Self.level(6172 + 4 * 168, UInt16($0)) }
        let r = try Self.replay(.hwEOI, events, params: p, sources: Self.stormSources)
        let want: [UInt64] = [5694 + 4 * 168, 6172 + 7 * 168, 630, 630, 2948, 630, 630, 2687, 630, 630,
                              2426, 630, 630, 2115, 630, 630]
        #expect(r.positions == want)
        #expect(r.count("lr_overflows") == 8 && r.count("lr_evictions") == 3)
    }
}
