import IRQCore
import Testing

/// route_irq_to_guest / release_guest_irq checks and the dispatch flow, single-threaded.
struct RoutingTests {
    func table(_ s: EndStrategy = .guestEnd, domains: Int = 2) -> IRQDescriptorTable {
        let p = PLIC(contexts: 2)
        for i in 1...20 { p.setPriority(i, 1) }
        return IRQDescriptorTable(plic: p, strategy: s, domains: domains)
    }

    @Test func routeEnablesTheSourceAndMarksTheDescriptor() throws {
        let t = table()
        try t.routeToGuest(irq: 5, domain: 1, virq: 7)
        #expect(t.status(5).contains([.guest, .started]))
        #expect(t.plic.isEnabled(5, context: 0))
        #expect(t.irq(forVirq: 7, domain: 1) == 5)
    }

    @Test func routeRefusesWhatAHypervisorRefuses() throws {
        let t = table()
        try t.routeToGuest(irq: 5, domain: 1, virq: 7)
        #expect(throws: RouteError.ownedByOtherDomain(irq: 5, owner: 1)) { try t.routeToGuest(irq: 5, domain: 2, virq: 7) }
        #expect(throws: RouteError.boundToOtherVirq(irq: 5, virq: 7)) { try t.routeToGuest(irq: 5, domain: 1, virq: 8) }
        #expect(throws: RouteError.virqInUse(virq: 7, irq: 5)) { try t.routeToGuest(irq: 6, domain: 1, virq: 7) }
        #expect(throws: RouteError.irqOutOfRange(0)) { try t.routeToGuest(irq: 0, domain: 1, virq: 1) }
        #expect(throws: RouteError.irqOutOfRange(1024)) { try t.routeToGuest(irq: 1024, domain: 1, virq: 1) }
        #expect(throws: RouteError.virqOutOfRange(0)) { try t.routeToGuest(irq: 6, domain: 1, virq: 0) }
        #expect(throws: RouteError.noSuchDomain(3)) { try t.routeToGuest(irq: 6, domain: 3, virq: 1) }
        try t.requestHostIRQ(9)
        #expect(throws: RouteError.hostOwned(irq: 9)) { try t.routeToGuest(irq: 9, domain: 1, virq: 9) }
        // The same route again changes nothing.
        try t.routeToGuest(irq: 5, domain: 1, virq: 7)
    }

    @Test func releaseShutsDownAndASecondReleaseIsRefused() throws {
        let t = table()
        try t.routeToGuest(irq: 5, domain: 1, virq: 7)
        #expect(throws: RouteError.notRouted(domain: 2, virq: 7)) { try t.releaseGuest(domain: 2, virq: 7) }
        try t.releaseGuest(domain: 1, virq: 7)
        #expect(!t.status(5).contains(.guest))
        #expect(!t.plic.isEnabled(5, context: 0))
        #expect(t.irq(forVirq: 7, domain: 1) == 0)
        #expect(throws: RouteError.notRouted(domain: 1, virq: 7)) { try t.releaseGuest(domain: 1, virq: 7) }
        // The IRQ and the vIRQ can be routed again, to another domain too.
        try t.routeToGuest(irq: 5, domain: 2, virq: 7)
    }

    @Test func guestDispatchInjectsAndLeavesTheGatewayClosedUnderGuestEnd() throws {
        let t = table(.guestEnd)
        try t.routeToGuest(irq: 3, domain: 1, virq: 3)
        t.plic.setLine(3, high: true)
        let d = t.beginDispatch(context: 0)
        #expect(d.irq == 3)
        #expect(d.target == .guest(domain: 1, virq: 3))
        #expect(t.status(3).contains(.inProgress))
        #expect(t.claimContext(3) == 0)
        #expect(t.inject(domain: 1, virq: 3) == false)
        t.finishHandler(d)
        #expect(!t.status(3).contains(.inProgress))
        #expect(d.end.isEmpty)
        #expect(!t.plic.isGatewayOpen(3))
        // The guest's complete owes the physical one.
        #expect(t.vplic(1).claim() == 3)
        let (irq, path) = t.guestComplete(domain: 1, virq: 3)
        #expect(irq == 3)
        guard case .trap(let ops) = path else { Issue.record("guest-end traps"); return }
        for op in ops { t.perform(op, irq: irq) }
        #expect(t.plic.isPending(3), "the line is still high: forwarded again at complete")
    }

    @Test func hostDispatchRunsTheHandlerAndCompletes() throws {
        let t = table()
        try t.requestHostIRQ(4)
        t.plic.setLine(4, high: true)
        var handled: [Int] = []
        let (d, storm) = t.doIRQ(context: 0) { handled.append($0) }
        #expect(d.target == .host)
        #expect(!storm)
        #expect(handled == [4])
        #expect(t.plic.isPending(4), "the line is still high, complete forwarded it again")
    }

    @Test func unroutedSourceIsCompletedWithoutHandler() throws {
        let t = table()
        t.plic.setEnabled(8, context: 0, true)
        t.plic.setLine(8, high: true)
        let (d, _) = t.doIRQ(context: 0) { _ in Issue.record("no handler expected") }
        #expect(d.target == .unhandled)
        #expect(t.plic.isPending(8))
        #expect(t.beginDispatch(context: 1).target == .spurious)
    }

    @Test func rateLimitMasksTheDispatchBeyondTheCountInAWindow() {
        let t = table(.hostEndRatelimit)
        var masked: [UInt64] = []
        for now in stride(from: UInt64(0), to: 100, by: 10) where t.rateLimitCheck(2, now: now, window: 50, limit: 3) {
            masked.append(now)
        }
        // Window [0, 50): dispatches at 0, 10, 20 pass, 30 and 40 exceed; window [50, 100) likewise.
        #expect(masked == [30, 40, 80, 90])
    }

    @Test func affinityMovesTheEnable() throws {
        let t = table()
        try t.routeToGuest(irq: 2, domain: 1, virq: 2)
        try t.setAffinity(2, context: 1)
        #expect(!t.plic.isEnabled(2, context: 0))
        #expect(t.plic.isEnabled(2, context: 1))
        #expect(throws: RouteError.contextOutOfRange(2)) { try t.setAffinity(2, context: 2) }
    }
}
