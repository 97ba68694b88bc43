import IRQCore
import Testing

struct ControllerTypeTests {
    /// Like Xen's gicv2_host_irq_type / gicv2_guest_irq_type: the tables differ only where the
    /// strategy needs them (`end`, and what the guest's virtual complete does).
    @Test(arguments: EndStrategy.plicStrategies)
    func guestTypeDiffersFromHostOnlyInEnd(_ s: EndStrategy) {
        let g = PLIC.guestType(for: s)!, h = PLIC.hostType
        #expect(g.typename.description == h.typename.description)
        #expect(g.startup == h.startup)
        #expect(g.shutdown == h.shutdown)
        #expect(g.enable == h.enable)
        #expect(g.disable == h.disable)
        #expect(g.ack == h.ack)
    }

    @Test func otherFamiliesStrategiesAreNotPLICTypes() {
        for s in EndStrategy.allCases where !EndStrategy.plicStrategies.contains(s) {
            #expect(PLIC.guestType(for: s) == nil, "\(s.rawValue)")
        }
    }

    @Test func strategyTable() {
        #expect(Array(PLIC.guestType(for: .hostEnd)!.end) == [.complete])
        #expect(PLIC.guestType(for: .hostEnd)!.guestEOI == .trap([]))
        #expect(Array(PLIC.guestType(for: .guestEnd)!.end) == [])
        #expect(PLIC.guestType(for: .guestEnd)!.guestEOI == .trap([.complete]))
        #expect(Array(PLIC.guestType(for: .maskUnmask)!.end) == [.mask, .complete])
        #expect(PLIC.guestType(for: .maskUnmask)!.guestEOI == .trap([.unmask]))
        #expect(Array(PLIC.guestType(for: .hwEOI)!.end) == [])
        #expect(PLIC.guestType(for: .hwEOI)!.guestEOI == .hardware([.complete]))
        #expect(Array(PLIC.guestType(for: .hostEndRatelimit)!.end) == [.complete, .rateLimitCheck])
        #expect(Array(PLIC.hostType.end) == [.complete])
    }

    @Test func statusBitsAreDistinct() {
        let all: [IRQStatus] = [.inProgress, .disabled, .guest, .guestPending, .masked, .rateLimited, .awaitingComplete, .started]
        #expect(all.reduce(0) { $0 | $1.rawValue } == all.reduce(0) { $0 + $1.rawValue })
    }
}
