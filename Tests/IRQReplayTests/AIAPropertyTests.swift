import IRQCore
import IRQReplay
import IRQTrace
import Testing

/// Properties of AIA replays over seeded random workloads (level and edge, guest and host sources,
/// 2 harts) on every controller and guest view: determinism, and conservation of requests with
/// `unserved_requests`.
struct AIAPropertyTests {
    static let controllers: [[String: String]] = [
        ["irqchip": "aplic-direct"], ["irqchip": "aplic-direct", "guest_irqchip": "vaplic-msi"],
        ["irqchip": "aplic-msi"], ["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi"],
        ["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi", "msi_latency": "250"],
        ["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi", "vcpu_period": "20000", "vcpu_budget": "9000",
         "sgei_when_descheduled": "1"],
    ]

    /// PropertyTests' mixed workload, smaller (storms make AIA replays of it costly in a debug
    /// build), on the AIA controller `p`.
    static func workload(seed: UInt64, _ p: [String: String]) throws -> (events: [TraceEvent], sources: SourceSettings, scenario: Scenario) {
        var w = try PropertyTests.workload(seed: seed, levelRecords: 120, edgeRecords: 80)
        for (k, v) in p.sorted(by: { $0.key < $1.key }) { try w.scenario.set(k, v) }
        return w
    }

    func replay(_ w: (events: [TraceEvent], sources: SourceSettings, scenario: Scenario), _ s: EndStrategy) throws -> ReplayMetrics {
        var t = ArrayTraceStream(w.events)
        return try ReplayEngine(scenario: w.scenario, sources: w.sources, strategy: s).run(&t)
    }

    @Test func sameInputsGiveIdenticalMetrics() throws {
        for p in Self.controllers {
            let w = try Self.workload(seed: 1, p)
            for s in w.scenario.applicableStrategies(sources: w.sources) {
                let a = try replay(w, s), b = try replay(w, s)
                #expect(a.rows.map { "\($0.metric)=\($0.value)" } == b.rows.map { "\($0.metric)=\($0.value)" })
                #expect(a.events == b.events)
            }
        }
    }

    /// Every request is either consumed by a handler or counted in unserved_requests; only lost
    /// edges and a strategy that never re-triggers leave requests unserved.
    @Test(arguments: [UInt64(2), 3])
    func requestsAreConserved(seed: UInt64) throws {
        for p in Self.controllers {
            let w = try Self.workload(seed: seed, p)
            for s in w.scenario.applicableStrategies(sources: w.sources) {
                let m = try replay(w, s)
                let a = try #require(m.aia)
                #expect(m.requests == UInt64(w.events.count))
                #expect(m.consumedRequests + a.unservedRequests == m.requests, "\(p) \(s.rawValue)")
                #expect(m.requestToDone.count == m.consumedRequests)
                #expect(m.strayCompletes == 0)
                if m.lostEdges == 0 && s != .hostEndNoretrigger { #expect(a.unservedRequests == 0, "\(p) \(s.rawValue)") }
                #expect(a.msisMerged <= a.msisSent && a.retriggersEffective <= a.retriggers)
                if p["irqchip"] == "aplic-direct" { #expect(a.msisSent == 0 && a.retriggers == 0) }
            }
        }
    }

    /// A level-only workload: every strategy but host-end-noretrigger serves every request.
    @Test func levelOnlyWorkloadIsServedCompletely() throws {
        var g = try SyntheticTrace(SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 400_000), sources: [1, 3, 5],
                                                         count: 1...4, records: 200, seed: 9))
        var events: [TraceEvent] = []
        while let e = g.next() { events.append(e) }
        for p in Self.controllers.prefix(4) {
            var s = Scenario()
            for (k, v) in p.sorted(by: { $0.key < $1.key }) { try s.set(k, v) }
            for strategy in s.applicableStrategies {
                var t = ArrayTraceStream(events.normalized().events)
                let m = try ReplayEngine(scenario: s, strategy: strategy).run(&t)
                if strategy == .hostEndNoretrigger {
                    #expect(m.aia!.unservedRequests > 0, "\(p): requests arrive during services")
                } else {
                    #expect(m.consumedRequests == 200 && m.aia?.unservedRequests == 0, "\(p) \(strategy.rawValue)")
                }
            }
        }
    }
}
