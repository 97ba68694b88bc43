import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// Properties over seeded random workloads: determinism and conservation of requests.
struct PropertyTests {
    /// A mixed workload: Poisson and bursty, level and edge, guest and host sources, 2 harts.
    static func workload(seed: UInt64, levelRecords: Int = 300, edgeRecords: Int = 200) throws
        -> (events: [TraceEvent], sources: SourceSettings, scenario: Scenario) {
        var a = try SyntheticTrace(SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 200_000), sources: [1, 2],
                                                         count: 1...3, records: levelRecords, seed: seed))
        var b = try SyntheticTrace(SyntheticTraceOptions(pattern: .bursty(ratePerSecond: 500_000, onNs: 50_000, offNs: 200_000),
                                                         sources: [7], kind: .edge, records: edgeRecords, seed: seed &+ 1))
        var events: [TraceEvent] = []
        while let e = a.next() { events.append(e) }
        while let e = b.next() { events.append(e) }
        events.sort { $0.time < $1.time }
        var src = SourceSettings()
        src[2] = SourceSetting(owner: .host, priority: 2, targetHart: 1)
        src[7] = SourceSetting(priority: 3)
        var s = Scenario()
        try s.set("harts", "2")
        try s.set("ratelimit_count", "20")
        try s.set("ratelimit_window", "100000")
        try s.set("ratelimit_off", "50000")
        return (events.normalized().events, src, s)
    }

    func replay(_ w: (events: [TraceEvent], sources: SourceSettings, scenario: Scenario), _ strategy: EndStrategy) throws -> (ReplayMetrics, UInt64) {
        var t = ArrayTraceStream(w.events)
        let e = try ReplayEngine(scenario: w.scenario, sources: w.sources, strategy: strategy)
        let m = try e.run(&t)
        return (m, e.unconsumedRequests)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func sameInputsGiveIdenticalMetrics(seed: UInt64) throws {
        let w = try Self.workload(seed: seed)
        for strategy in EndStrategy.plicStrategies {
            let (a, _) = try replay(w, strategy)
            let (b, _) = try replay(w, strategy)
            #expect(a.rows.map { "\($0.metric)=\($0.value)" } == b.rows.map { "\($0.metric)=\($0.value)" })
            #expect(a.events == b.events)
        }
    }

    /// Every request is consumed by a guest service or a host handler, except the units of edges
    /// that were lost while their source never fired again.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func requestsAreConserved(seed: UInt64) throws {
        let w = try Self.workload(seed: seed)
        for strategy in EndStrategy.plicStrategies {
            let (m, left) = try replay(w, strategy)
            #expect(m.requests == UInt64(w.events.count))
            #expect(m.consumedRequests + left == m.requests, "\(strategy.rawValue)")
            #expect(m.requestToDone.count == m.consumedRequests)
            let hostRequests = UInt64(w.events.filter { $0.source == 2 }.count)
            #expect(m.hostLatency.count == hostRequests, "every host request is consumed (level source)")
            if m.lostEdges == 0 { #expect(left == 0) }
            // Each physical claim is completed once (none stray in this model).
            #expect(m.strayCompletes == 0)
            #expect(m.claimToComplete.count == m.physicalIRQs, "\(strategy.rawValue)")
        }
    }

    /// A level-only workload leaves nothing behind under any strategy.
    @Test func levelOnlyWorkloadConsumesEverything() throws {
        var a = try SyntheticTrace(SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 400_000), sources: [1, 3, 5],
                                                         count: 1...4, records: 2_000, seed: 9))
        var events: [TraceEvent] = []
        while let e = a.next() { events.append(e) }
        for strategy in EndStrategy.plicStrategies {
            var t = ArrayTraceStream(events.normalized().events)
            let e = try ReplayEngine(scenario: Scenario(), strategy: strategy)
            let m = try e.run(&t)
            #expect(e.unconsumedRequests == 0)
            #expect(m.consumedRequests == 2_000)
            #expect(m.requestToGuest.count == 2_000)
        }
    }

    /// Host-end storms on a level trace; guest-end does not (the question irqbench exists for).
    @Test func hostEndStormsAndGuestEndDoesNot() throws {
        var a = try SyntheticTrace(SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 50_000), records: 500, seed: 4))
        var events: [TraceEvent] = []
        while let e = a.next() { events.append(e) }
        var t1 = ArrayTraceStream(events.normalized().events)
        var t2 = ArrayTraceStream(events.normalized().events)
        let host = try ReplayEngine(scenario: Scenario(), strategy: .hostEnd).run(&t1)
        let guest = try ReplayEngine(scenario: Scenario(), strategy: .guestEnd).run(&t2)
        #expect(host.stormIRQs > 0)
        #expect(guest.stormIRQs == 0)
        #expect(host.peakIRQsPerMs > guest.peakIRQsPerMs)
    }
}
