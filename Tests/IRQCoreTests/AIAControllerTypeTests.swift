import IRQCore
import Testing

/// docs/model.md Part A, A.7: the APLIC's controller types, and the chip as the descriptor table
/// drives it.
struct AIAControllerTypeTests {
    static let modes: [APLIC.DeliveryMode] = [.direct, .msi]

    @Test(arguments: modes)
    func guestTypesDifferFromTheHostTypeOnlyInEndAndEOI(_ mode: APLIC.DeliveryMode) {
        let h = APLIC.hostType(mode)
        var accepted = 0
        for s in EndStrategy.allCases {
            guard let g = APLIC.guestType(mode, for: s) else { continue }
            accepted += 1
            #expect(g.typename.description == h.typename.description)
            #expect(g.startup == h.startup && g.shutdown == h.shutdown)
            #expect(g.enable == h.enable && g.disable == h.disable && g.ack == h.ack)
        }
        #expect(accepted == (mode == .direct ? 4 : 6))
    }

    @Test func strategyTable() {
        func end(_ m: APLIC.DeliveryMode, _ s: EndStrategy) -> [ControllerOperation] { Array(APLIC.guestType(m, for: s)!.end) }
        func eoi(_ m: APLIC.DeliveryMode, _ s: EndStrategy) -> GuestEOIPath { APLIC.guestType(m, for: s)!.guestEOI }
        // Direct mode: no complete anywhere; guest-end is host-end.
        #expect(end(.direct, .hostEnd) == [] && eoi(.direct, .hostEnd) == .trap([]))
        #expect(APLIC.guestType(.direct, for: .guestEnd) == APLIC.guestType(.direct, for: .hostEnd))
        #expect(end(.direct, .maskUnmask) == [.mask] && eoi(.direct, .maskUnmask) == .trap([.unmask]))
        #expect(end(.direct, .hostEndRatelimit) == [.rateLimitCheck])
        #expect(Array(APLIC.hostType(.direct).end) == [])
        // MSI mode: the level re-trigger where each strategy ends the interrupt.
        #expect(end(.msi, .hostEnd) == [.retrigger] && eoi(.msi, .hostEnd) == .trap([]))
        #expect(end(.msi, .guestEnd) == [] && eoi(.msi, .guestEnd) == .trap([.retrigger]))
        #expect(end(.msi, .maskUnmask) == [.mask, .retrigger] && eoi(.msi, .maskUnmask) == .trap([.unmask]))
        #expect(end(.msi, .hostEndRatelimit) == [.rateLimitCheck, .retrigger], "the rate check's mask goes first")
        #expect(end(.msi, .hostEndNoretrigger) == [] && eoi(.msi, .hostEndNoretrigger) == .trap([]))
        #expect(end(.msi, .aiaGuestFile) == [] && eoi(.msi, .aiaGuestFile) == .trap([.retrigger]))
        #expect(Array(APLIC.hostType(.msi).end) == [.retrigger])
        for m in Self.modes { #expect(APLIC.guestType(m, for: .hwEOI) == nil && APLIC.guestType(m, for: .direct) == nil) }
        #expect(APLIC.guestType(.direct, for: .hostEndNoretrigger) == nil && APLIC.guestType(.direct, for: .aiaGuestFile) == nil)
    }

    @Test func performedOperationsPerSource() {
        let a = APLIC(mode: .msi, harts: 1, imsic: IMSIC(harts: 1, guestFiles: 1))
        a.setSourceMode(1, .level1)
        a.setSourceMode(2, .edge1)
        #expect(a.performs(.retrigger, source: 1, guestFileView: false) && !a.performs(.retrigger, source: 2, guestFileView: false))
        #expect(!a.performs(.complete, source: 1, guestFileView: false), "no complete on the APLIC")
        #expect(a.performs(.mask, source: 2, guestFileView: false), "a vPLIC's EOI traps, so the unmask follows")
        #expect(!a.performs(.mask, source: 2, guestFileView: true) && a.performs(.mask, source: 1, guestFileView: true))
        #expect(a.reopeningOperation(for: .guestEnd, host: false) == .retrigger)
        #expect(a.reopeningOperation(for: .maskUnmask, host: false) == .unmask)
        #expect(a.reopeningOperation(for: .maskUnmask, host: true) == .retrigger)
        let d = APLIC(mode: .direct, harts: 1)
        #expect(d.reopeningOperation(for: .hostEnd, host: false) == nil && d.reopeningOperation(for: .maskUnmask, host: false) == .unmask)
    }

    /// do_IRQ on an MSI-mode APLIC: the claim reads file 0's topei; the re-trigger re-sends a
    /// line that is still high; the descriptor's awaitingComplete ends with it.
    @Test func descriptorTableOverAnMSIModeAPLIC() throws {
        let p = AIAPlatform(mode: .msi, harts: 1, guestFiles: 1, guestHart: 0)
        let table = IRQDescriptorTable(chip: p.aplic, strategy: .hostEnd, guests: [VPLIC()])
        p.configure(4, edge: false, priority: 3, toGuestFile: false)
        try table.routeToGuest(irq: 4, domain: 1, virq: 4)
        #expect(p.aplic.isEnabled(4, context: 0))
        p.aplic.setLine(4, high: true)
        #expect(p.aplic.hasInterrupt(context: 0))
        let (d, storm) = table.doIRQ(context: 0) { _ in }
        #expect(d.irq == 4 && !storm && d.end == [.retrigger])
        #expect(p.imsic.isPending(hart: 0, file: 0, 4), "the re-trigger found the line high: a new MSI")
        #expect(!table.status(4).contains(.awaitingComplete))
        #expect(table.doIRQ(context: 0) { _ in }.storm, "the vIRQ is still pending")
        p.aplic.setLine(4, high: false)
        #expect(table.doIRQ(context: 0) { _ in }.dispatch.irq == 4, "the last MSI is already in the file")
        #expect(table.doIRQ(context: 0) { _ in }.dispatch.target == .spurious)
        #expect(p.aplic.spuriousClaims == 1)
        try table.releaseGuest(domain: 1, virq: 4)
        #expect(!p.aplic.isEnabled(4))
    }

    /// The guest-file route: the source's MSIs land in the vCPU's file, which the guest claims.
    @Test func guestFileRoute() throws {
        let p = AIAPlatform(mode: .msi, harts: 2, guestFiles: 2, guestHart: 1)
        let g = try #require(p.guestFile)
        let table = IRQDescriptorTable(chip: p.aplic, strategy: .aiaGuestFile, guests: [g])
        p.configure(7, edge: false, priority: 1, toGuestFile: true)
        try table.setAffinity(7, context: 1)
        try table.routeToGuest(irq: 7, domain: 1, virq: 7)
        p.aplic.setLine(7, high: true)
        #expect(!p.aplic.hasInterrupt(context: 1), "no hypervisor interrupt")
        #expect(g.hasPending && g.claim() == 7)
        let (irq, path) = table.guestComplete(domain: 1, virq: 7)
        #expect(irq == 7 && path == .trap([.retrigger]))
        table.perform(.retrigger, irq: 7)
        #expect(g.hasPending, "the line is still high: the re-trigger sent it again")
    }
}
