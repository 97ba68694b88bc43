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

    /// Xen's gic-v2.c itself: `gicv2_host_irq_type` and `gicv2_guest_irq_type` share every callback
    /// but `.end`; on the GIC, what the guest's EOI does physically is the other difference.
    @Test(arguments: GIC.strategies)
    func gicGuestTypeDiffersFromHostOnlyInEndAndGuestEOI(_ s: EndStrategy) {
        let g = GIC.guestType(for: s)!, h = GIC.hostType
        #expect(g.typename.description == h.typename.description)
        #expect(g.startup == h.startup && g.shutdown == h.shutdown)
        #expect(g.enable == h.enable && g.disable == h.disable && g.ack == h.ack)
    }

    @Test func gicStrategyTable() {
        #expect(GIC.strategies == [.hostEnd, .guestEnd, .maskUnmask, .hwEOI, .hostEndRatelimit, .direct])
        #expect(Array(GIC.hostType.end) == [.priorityDrop, .deactivate])
        // Xen's split: the host type ends with EOIR + DIR, the HW-bit guest type with EOIR only.
        #expect(Array(GIC.guestType(for: .hwEOI)!.end) == [.priorityDrop])
        #expect(GIC.guestType(for: .hwEOI)!.guestEOI == .hardware([.deactivate]))
        #expect(Array(GIC.guestType(for: .hostEnd)!.end) == [.priorityDrop, .deactivate])
        #expect(GIC.guestType(for: .hostEnd)!.guestEOI == .hardware([]))
        #expect(Array(GIC.guestType(for: .guestEnd)!.end) == [.priorityDrop])
        #expect(GIC.guestType(for: .guestEnd)!.guestEOI == .maintenance([.deactivate]))
        #expect(Array(GIC.guestType(for: .maskUnmask)!.end) == [.mask, .priorityDrop, .deactivate])
        #expect(GIC.guestType(for: .maskUnmask)!.guestEOI == .maintenance([.unmask]))
        #expect(Array(GIC.guestType(for: .hostEndRatelimit)!.end) == [.priorityDrop, .deactivate, .rateLimitCheck])
        #expect(Array(GIC.guestType(for: .direct)!.end) == [])
        #expect(GIC.guestType(for: .hostEndNoretrigger) == nil && GIC.guestType(for: .aiaGuestFile) == nil)
    }

    @Test func gicListRegisterModes() {
        func mode(_ s: EndStrategy) -> ListRegisterMode { GIC.listRegisterMode(for: GIC.guestType(for: s)!) }
        #expect(mode(.hwEOI) == ListRegisterMode(hw: true, eoi: false))
        #expect(mode(.guestEnd) == ListRegisterMode(hw: false, eoi: true))
        #expect(mode(.maskUnmask) == ListRegisterMode(hw: false, eoi: true))
        #expect(mode(.hostEnd) == ListRegisterMode(hw: false, eoi: false))
        #expect(mode(.hostEndRatelimit) == ListRegisterMode(hw: false, eoi: false))
    }

    @Test func statusBitsAreDistinct() {
        let all: [IRQStatus] = [.inProgress, .disabled, .guest, .guestPending, .masked, .rateLimited, .awaitingComplete, .started]
        #expect(all.reduce(0) { $0 | $1.rawValue } == all.reduce(0) { $0 + $1.rawValue })
    }
}
