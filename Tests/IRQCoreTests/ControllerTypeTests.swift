import IRQCore
import Testing

struct ControllerTypeTests {
    /// Like Xen's gicv2_host_irq_type / gicv2_guest_irq_type: the tables differ only where the
    /// strategy needs them (`end`, and what the guest's virtual complete does).
    @Test(arguments: EndStrategy.allCases)
    func guestTypeDiffersFromHostOnlyInEnd(_ s: EndStrategy) {
        let g = s.guestType, h = HwInterruptType.host
        #expect(g.typename.description == h.typename.description)
        #expect(g.startup == h.startup)
        #expect(g.shutdown == h.shutdown)
        #expect(g.enable == h.enable)
        #expect(g.disable == h.disable)
        #expect(g.ack == h.ack)
    }

    @Test func strategyTable() {
        #expect(Array(EndStrategy.hostEnd.guestType.end) == [.complete])
        #expect(EndStrategy.hostEnd.guestType.guestEOI == .trap([]))
        #expect(Array(EndStrategy.guestEnd.guestType.end) == [])
        #expect(EndStrategy.guestEnd.guestType.guestEOI == .trap([.complete]))
        #expect(Array(EndStrategy.maskUnmask.guestType.end) == [.mask, .complete])
        #expect(EndStrategy.maskUnmask.guestType.guestEOI == .trap([.unmask]))
        #expect(Array(EndStrategy.hwEOI.guestType.end) == [])
        #expect(EndStrategy.hwEOI.guestType.guestEOI == .hardware([.complete]))
        #expect(Array(EndStrategy.hostEndRatelimit.guestType.end) == [.complete, .rateLimitCheck])
        #expect(Array(HwInterruptType.host.end) == [.complete])
    }

    @Test func statusBitsAreDistinct() {
        let all: [IRQStatus] = [.inProgress, .disabled, .guest, .guestPending, .masked, .rateLimited, .awaitingComplete, .started]
        #expect(all.reduce(0) { $0 | $1.rawValue } == all.reduce(0) { $0 + $1.rawValue })
    }
}
