import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQTrace
import Testing
@testable import IRQLive

// Live runs on real threads: every test is bounded by the run's duration limit (a few seconds at
// most) and asserts behaviour, never speed.
@Suite("IRQLive", .serialized)
struct LiveRunTests {
    static func config(_ strategy: EndStrategy, service: UInt64 = 2000) throws -> LiveConfig {
        var c = LiveConfig()
        c.strategy = strategy
        try c.scenario.set("service", String(service))
        c.durationNs = 5_000_000_000
        c.drainNs = 2_000_000_000
        return c
    }

    /// `n` level requests on source 1, `gap` ns apart.
    static func trace(_ n: Int, gap: UInt64, source: UInt16 = 1) -> [TraceEvent] {
        (0..<n).map { TraceEvent(time: UInt64($0) * gap, source: source, kind: .level, count: 1) }
    }

    @Test("guest-end: every request reaches the guest once, no storm, the gateway stays closed until the guest completes")
    func guestEndConsumesAll() throws {
        let live = try LiveRun(events: Self.trace(200, gap: 200_000), config: Self.config(.guestEnd))
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly)
        #expect(m.requests == 200 && m.unconsumedRequests == 0)
        #expect(m.stormIRQs == 0)
        #expect(m.physicalIRQs >= 1 && m.physicalIRQs <= 200)
        #expect(m.physicalIRQs == m.claimToComplete.count)
        #expect(m.requestToGuest.count == 200 && m.requestToDone.count == 200)
        #expect(m.strayCompletes == 0 && m.lostEdges == 0)
        #expect(live.table.plic.isGatewayOpen(1) && !live.table.plic.isPending(1))
    }

    @Test("host-end: a long service under a high line storms, and the guest still finishes")
    func hostEndStormsAndTerminates() throws {
        // 20 ms of guest service per request: the line stays high that long, and host-end
        // re-forwards at every complete; long enough for the hart thread to be scheduled during
        // it even on a loaded 2-core machine.
        let live = try LiveRun(events: Self.trace(5, gap: 30_000_000), config: Self.config(.hostEnd, service: 20_000_000))
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly)
        #expect(m.unconsumedRequests == 0)
        #expect(m.stormIRQs > 0)
        #expect(m.physicalIRQs > m.requests)
        #expect(m.guestSpurious >= 1, "the last storm inject gives a handler with n = 0")
    }

    @Test("mask-unmask: every request is served; the source is never left masked")
    func maskUnmaskServesAll() throws {
        // No service work: the guest thread ends each interrupt (and unmasks) as fast as it can,
        // racing the hart thread that injected it.
        var c = try Self.config(.maskUnmask, service: 0)
        try c.scenario.set("per_unit", "0")
        c.drainNs = 300_000_000
        let live = try LiveRun(events: Self.trace(1000, gap: 500_000), config: c)
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly)
        #expect(m.requests == 1000 && m.unconsumedRequests == 0)
        #expect(m.stormIRQs == 0)
        #expect(m.physicalIRQs == m.claimToComplete.count)
        #expect(!live.table.status(1).contains(.masked))
        #expect(live.table.plic.priority(1) == live.table.plic.configuredPriority(1))
    }

    @Test("a stop flag ends a long run early and keeps what was measured", arguments: [EndStrategy.hostEnd, .guestEnd])
    func stopEndsRun(strategy: EndStrategy) throws {
        // 100 requests 100 ms apart: 10 s if nothing stopped it.
        let live = try LiveRun(events: Self.trace(100, gap: 100_000_000), config: Self.config(strategy))
        let stop = StopFlag()
        let stopper = Thread { usleep(250_000); stop.set() }
        stopper.start()
        let m = live.run(stop: stop)
        #expect(m.stoppedEarly)
        #expect(m.requests >= 1 && m.requests < 100)
        #expect(m.requestToDone.count >= 1)
    }

    @Test("results rows: kind live, the repetition, docs/model.md metric names")
    func rows() throws {
        let live = try LiveRun(events: Self.trace(3, gap: 100_000), config: Self.config(.guestEnd))
        let m = live.run(stop: StopFlag())
        let t = ResultRow(commit: "c", trace: "t", traceSHA256: "s", params: "", strategy: "guest-end", kind: .sim, metric: "", value: "")
        let rows = m.resultRows(template: t, rep: 2)
        #expect(rows.allSatisfy { $0.kind == .live && $0.rep == 2 })
        let names = Set(rows.map(\.metric))
        for n in ["requests", "physical_irqs", "storm_irqs", "peak_irqs_per_ms", "claim_to_complete_p99", "request_to_guest_p50",
                  "request_to_done_max", "guest_interrupts"] {
            #expect(names.contains(n), "missing \(n)")
        }
        #expect(rows.first { $0.metric == "requests" }?.value == "3")
        let parsed = try ResultsCSV.parse(ResultsCSV.render(rows), file: "x")
        #expect(parsed == rows)
    }

    @Test("a source with both level and edge records is refused")
    func mixedTrigger() throws {
        let events = [TraceEvent(time: 0, source: 1, kind: .level, count: 1), TraceEvent(time: 1, source: 1, kind: .edge, count: 1)]
        #expect(throws: LiveError.self) { try LiveRun(events: events, config: Self.config(.guestEnd)) }
    }

    @Test("the cyclictest-style histogram counts every sample once")
    func histogramText() {
        var d = Distribution()
        for v: UInt64 in [1_500, 1_700, 3_200, 250_000] { d.record(v) }
        let lines = LatencyHistogramText.render(name: "x", d)
        #expect(lines.contains("000001 000002"))
        #expect(lines.contains("000003 000001"))
        #expect(lines.contains("# Histogram Overflows: 000001 (> 100 us)"))
        #expect(lines.contains("# Max Latencies: 000250"))
    }
}
