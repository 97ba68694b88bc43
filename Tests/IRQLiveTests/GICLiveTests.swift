import Foundation
import IRQCore
import IRQReplay
import IRQTrace
import Testing
@testable import IRQLive

/// Live mode on the GIC (docs/model.md Part G): the same core on real threads, behaviour only.
@Suite("IRQLive GIC", .serialized)
struct GICLiveTests {
    static func config(_ strategy: EndStrategy, _ params: [(String, String)] = []) throws -> LiveConfig {
        var c = try LiveRunTests.config(strategy)
        try c.scenario.set("irqchip", "gicv2")
        for (k, v) in params { try c.scenario.set(k, v) }
        return c
    }

    static func count(_ m: LiveMetrics, _ name: String) -> UInt64 { UInt64(m.gic!.rows.first { $0.metric == name }!.value)! }

    /// 8 sources raised together, 50 times: more than the 2 list registers hold.
    static var bursts: [TraceEvent] {
        (0..<50).flatMap { b in (1...8).map { TraceEvent(time: UInt64(b) * 2_000_000, source: UInt16($0), kind: .level, count: 1) } }
    }

    @Test("hw-eoi: the guest's EOI deactivates; list registers overflow and refill; every request served",
          arguments: [("priority", "underflow"), ("fifo", "no-pending")])
    func hwEOIServesBursts(_ policy: String, _ refill: String) throws {
        let live = try LiveRun(events: Self.bursts, config: Self.config(.hwEOI, [("list_registers", "2"),
                                                                                 ("lr_policy", policy), ("lr_refill", refill)]))
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly && m.unconsumedRequests == 0)
        #expect(m.physicalIRQs == m.claimToComplete.count)
        #expect(Self.count(m, "lr_overflows") + Self.count(m, "lr_evictions") == Self.count(m, "lr_refills"))
        #expect(m.rows.map(\.metric).suffix(4) == ["maintenance_irqs", "lr_overflows", "lr_evictions", "lr_refills"])
    }

    @Test("guest-end: each guest EOI is ended by a maintenance interrupt's DIR")
    func guestEndTakesMaintenanceInterrupts() throws {
        let events = LiveRunTests.trace(100, gap: 300_000)
        let live = try LiveRun(events: events, config: Self.config(.guestEnd))
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly && m.unconsumedRequests == 0 && m.stormIRQs == 0)
        #expect(Self.count(m, "maintenance_irqs") >= 1)
        #expect(m.physicalIRQs == m.claimToComplete.count, "every claim deactivated once, in a maintenance handler")
        let gic = try #require(live.table.chip as? GIC)
        #expect(!gic.isActive(1) && !gic.isPending(1))
    }

    @Test("direct: the guest acknowledges at the physical CPU interface; the hypervisor never runs")
    func directNeedsNoHypervisor() throws {
        let live = try LiveRun(events: LiveRunTests.trace(100, gap: 300_000), config: Self.config(.direct))
        let m = live.run(stop: StopFlag())
        #expect(!m.stoppedEarly && m.unconsumedRequests == 0)
        #expect(m.hypBusy == 0 && m.physicalIRQs == m.guestInterrupts && m.physicalIRQs >= 1)
        #expect(m.physicalIRQs == m.claimToComplete.count)
    }

    @Test("direct refuses a guest source on another hart")
    func directRefusesAnotherHart() throws {
        var c = try Self.config(.direct, [("harts", "2")])
        c.sources[1] = SourceSetting(targetHart: 1)
        #expect(throws: LiveError.self) { try LiveRun(events: LiveRunTests.trace(2, gap: 1000), config: c) }
    }
}
