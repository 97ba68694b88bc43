import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQTrace
import Testing
@testable import IRQLive

// The AIA core on real threads (docs/live.md): behaviour, never speed; every run is bounded by its
// duration and drain limits.
@Suite("AIALive", .serialized)
struct AIALiveTests {
    static func config(_ strategy: EndStrategy, _ params: [String: String], service: UInt64 = 2000) throws -> LiveConfig {
        var c = try LiveRunTests.config(strategy, service: service)
        for (k, v) in params.sorted(by: { $0.key < $1.key }) { try c.scenario.set(k, v) }
        c.drainNs = 300_000_000
        return c
    }

    static let msi = ["irqchip": "aplic-msi"]
    static let guestFile = ["irqchip": "aplic-msi", "guest_irqchip": "vaplic-msi"]

    @Test("aplic-msi guest-end: every request served, no storm, the guest's setipnum ends each claim",
          arguments: [msi, guestFile])
    func msiGuestEndServesAll(_ p: [String: String]) throws {
        let live = try LiveRun(events: LiveRunTests.trace(200, gap: 200_000), config: Self.config(.guestEnd, p))
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly && m.requests == 200 && m.unconsumedRequests == 0)
        #expect(m.stormIRQs == 0)
        let a = try #require(m.aia)
        #expect(a.msisSent >= m.physicalIRQs && a.retriggers == m.guestInterrupts && a.unservedRequests == 0)
        #expect(m.physicalIRQs == m.claimToComplete.count)
    }

    @Test("aplic-direct: guest-end storms under a long service, as host-end does, and still finishes")
    func directGuestEndStorms() throws {
        let live = try LiveRun(events: LiveRunTests.trace(5, gap: 30_000_000),
                               config: Self.config(.guestEnd, ["irqchip": "aplic-direct"], service: 20_000_000))
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly && m.unconsumedRequests == 0)
        #expect(m.stormIRQs > 0 && m.physicalIRQs > m.requests)
        #expect(m.claimToComplete.count == 0, "direct mode has no complete")
        #expect((1...5).contains(m.aia?.withdrawn ?? 0), "each fall of the line withdraws its pending bit")
    }

    @Test("aia-guest-file: the guest claims the physical interrupt itself; no dispatch")
    func guestFileHasNoDispatch() throws {
        let live = try LiveRun(events: LiveRunTests.trace(200, gap: 200_000), config: Self.config(.aiaGuestFile, Self.guestFile))
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly && m.unconsumedRequests == 0)
        #expect(m.physicalIRQs == m.guestInterrupts && m.physicalIRQs >= 1)
        #expect(m.hypBusy == 0, "no hart thread dispatched")
        #expect(m.physicalIRQs == m.claimToComplete.count)
    }

    @Test("host-end-noretrigger: a request arriving during the service is never served")
    func noRetriggerLoses() throws {
        // The second request arrives while the first is serviced (200 ms, long enough for the
        // guest thread to have started it even on a loaded machine), so the line never falls.
        let events = [TraceEvent(time: 0, source: 1, kind: .level, count: 1), TraceEvent(time: 100_000_000, source: 1, kind: .level, count: 1)]
        let live = try LiveRun(events: events, config: Self.config(.hostEndNoretrigger, Self.msi, service: 200_000_000))
        let m = live.run(stop: StopFlag())
        #expect(m.requests == 2 && m.unconsumedRequests == 1 && m.aia?.unservedRequests == 1)
        #expect(m.stoppedEarly, "the drain gives up: nothing will ever serve it")
        #expect(m.physicalIRQs == 1 && m.aia?.retriggers == 0)
    }

    @Test("refused combinations are refused before any thread starts")
    func refused() throws {
        #expect(throws: LiveError.self) { try LiveRun(events: LiveRunTests.trace(1, gap: 1), config: Self.config(.hwEOI, Self.msi)) }
        #expect(throws: LiveError.self) {
            try LiveRun(events: LiveRunTests.trace(1, gap: 1), config: Self.config(.aiaGuestFile, Self.msi))
        }
    }

    @Test("AIA rows in the live results; none on the PLIC")
    func rows() throws {
        let live = try LiveRun(events: LiveRunTests.trace(3, gap: 100_000), config: Self.config(.guestEnd, Self.msi))
        let t = ResultRow(commit: "c", trace: "t", traceSHA256: "s", params: "", strategy: "guest-end", kind: .sim, metric: "", value: "")
        let names = Set(live.run(stop: StopFlag()).resultRows(template: t, rep: 0).map(\.metric))
        for n in AIACounts.metricNames { #expect(names.contains(n), "missing \(n)") }
        let plic = try LiveRun(events: LiveRunTests.trace(3, gap: 100_000), config: LiveRunTests.config(.guestEnd))
        #expect(!Set(plic.run(stop: StopFlag()).resultRows(template: t, rep: 0).map(\.metric)).contains("msis_sent"))
    }
}
