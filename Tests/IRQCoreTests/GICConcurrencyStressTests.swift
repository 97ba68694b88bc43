import Foundation
import Synchronization
import Testing
@testable import IRQCore

// The GIC's paths on real threads (docs/model.md Part G), run under the thread sanitizer by
// scripts/test (`--filter ConcurrencyStress`): edges racing the acknowledge, and do_IRQ with list
// registers, maintenance interrupts and cross-hart injects racing route/release and a guest that
// acknowledges and EOIs without trapping. Threads count violations in atomics; the checks run
// after they have joined.
@Suite("GICConcurrencyStress", .serialized)
struct GICConcurrencyStressTests {
    @Test("GIC acknowledge is exclusive: every edge is either taken once or merged into a set latch")
    func acknowledgeIsExclusive() {
        let claimers = 3
        let edges = 100_000
        let gic = GIC(contexts: 1)
        gic.setPriority(1, 1)
        gic.unmask(1)
        gic.setEnabled(1, context: 0, true)
        let (wins, overlaps) = ExclusiveClaimRace(
            claimers: claimers, edges: edges, edge: { gic.edge(1) },
            claim: { _ in gic.claim(context: 0) == 1 }, complete: { _ in gic.complete(context: 0, 1) },
            atRest: { !gic.isLatched(1) && !gic.isActive(1) }
        ).run()
        #expect(overlaps == 0, "two CPU interfaces held the same active interrupt")
        #expect(UInt64(wins) + gic.lostEdges == UInt64(edges))
        #expect(!gic.isActive(1) && !gic.isLatched(1))
    }

    @Test("GIC do_IRQ with list registers races route/release; nothing stale, stray, lost or left active",
          arguments: [EndStrategy.hostEnd, .guestEnd, .maskUnmask, .hwEOI])
    func dispatchRacesRouting(strategy: EndStrategy) {
        let rig = GICRaceRig(strategy: strategy)
        rig.run(routeOps: 20_000)
        rig.checkQuiescence()
    }
}

/// Two harts (the vCPU on hart 0, so hart 1's injects cross harts), 2 list registers so injects
/// overflow and evict, a device toggling 8 level lines, a guest acknowledging and EOIing through
/// the list registers, and two routers routing and releasing the sources under it.
private final class GICRaceRig: @unchecked Sendable {
    static let harts = 2
    static let irqs = 1...8
    static let domain = 1
    static func virq(_ irq: Int) -> Int { 100 + irq }

    let gic = GIC(contexts: GICRaceRig.harts)
    let vcpu: GICVirtualCPUInterface
    let table: IRQDescriptorTable
    let type: HwInterruptType
    let staleGuestInfo = Atomic<Int>(0)
    let overlappingClaims = Atomic<Int>(0)
    let strays = Atomic<Int>(0)
    let unexpectedErrors = Atomic<Int>(0)
    let guestDispatches = Atomic<Int>(0)
    let maintenance = Atomic<Int>(0)
    let holders: UnsafeMutablePointer<Atomic<Int>>
    let stop = Atomic<Bool>(false)

    init(strategy: EndStrategy) {
        type = GIC.guestType(for: strategy)!
        vcpu = GICVirtualCPUInterface(listRegisters: 2, policy: .priority, refill: .underflow,
                                      mode: GIC.listRegisterMode(for: type))
        table = IRQDescriptorTable(gic: gic, strategy: strategy, vcpu: vcpu, vcpuContext: 0)
        for irq in Self.irqs {
            gic.setPriority(irq, UInt32(1 + irq % 3))
            try! table.setAffinity(irq, context: irq % Self.harts)
        }
        holders = .allocate(capacity: GIC.sourceCount)
        for i in 0..<GIC.sourceCount { (holders + i).initialize(to: Atomic(0)) }
    }

    deinit {
        holders.deinitialize(count: GIC.sourceCount)
        holders.deallocate()
    }

    var dispatchDeactivates: Bool { type.end.contains(.deactivate) }

    func run(routeOps: Int) {
        let routersDone = Atomic<Int>(0)
        var bodies: [@Sendable () -> Void] = []
        bodies.append { [self] in
            var rng = SplitMix(seed: 11)
            while !stop.load(ordering: .acquiring) {
                let irq = Self.irqs.lowerBound + Int(rng.next() % UInt64(Self.irqs.count))
                gic.setLine(irq, high: rng.next() & 1 == 0)
            }
        }
        for h in 0..<Self.harts {
            bodies.append { [self] in
                while !stop.load(ordering: .acquiring) {
                    if gic.hasInterrupt(context: h) { doIRQ(hart: h) } else { sched_yield() }
                }
            }
        }
        bodies.append { [self] in
            while !stop.load(ordering: .acquiring) { guestStep() }
        }
        for r in 0..<2 {
            bodies.append { [self] in
                var rng = SplitMix(seed: 200 + UInt64(r))
                for _ in 0..<routeOps {
                    let irq = Self.irqs.lowerBound + Int(rng.next() % UInt64(Self.irqs.count))
                    if rng.next() % 2 == 0 {
                        do { try table.routeToGuest(irq: irq, domain: Self.domain, virq: Self.virq(irq)) } catch {}
                    } else {
                        do { try table.releaseGuest(domain: Self.domain, virq: Self.virq(irq)) } catch {
                            if case .notRouted? = error as? RouteError {} else { unexpectedErrors.wrappingAdd(1, ordering: .relaxed) }
                        }
                    }
                }
                if routersDone.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == 2 {
                    stop.store(true, ordering: .releasing)
                }
            }
        }
        runThreads(bodies)
    }

    /// One physical interrupt as a hart takes it (docs/model.md G.5).
    func doIRQ(hart h: Int) {
        let id = gic.claim(context: h)
        if id == GIC.maintenanceInterrupt {
            maintenance.wrappingAdd(1, ordering: .relaxed)
            var ended: [Int] = []
            vcpu.clearEOIEntries { ended.append($0) }
            for virq in ended {
                let irq = table.irq(forVirq: virq, domain: Self.domain)
                if irq == 0 { continue }  // released meanwhile: the release wrote the deactivate
                for op in type.guestEOI.operations where !table.perform(op, irq: irq) { strays.wrappingAdd(1, ordering: .relaxed) }
            }
            for _ in 0..<min(vcpu.freeListRegisters, vcpu.queueLength) { _ = vcpu.refill() }
            gic.deactivateMaintenance(context: h)
            return
        }
        let d = table.dispatch(claimed: id, context: h)
        guard d.irq != 0 else { return }
        if dispatchDeactivates,
           !holders[d.irq].compareExchange(expected: 0, desired: h + 1, ordering: .acquiringAndReleasing).exchanged {
            overlappingClaims.wrappingAdd(1, ordering: .relaxed)
        }
        if case .guest(let domain, let virq) = d.target {
            if domain != Self.domain || virq != Self.virq(d.irq) { staleGuestInfo.wrappingAdd(1, ordering: .relaxed) }
            guestDispatches.wrappingAdd(1, ordering: .relaxed)
            // The guest is another thread: mask before it can see the vIRQ (as live mode does).
            if d.end.contains(.mask) { table.perform(.mask, irq: d.irq) }
            _ = table.inject(domain: Self.domain, virq: virq)
        }
        if d.irq % 2 == 0 { sched_yield() }
        table.finishHandler(d)
        for op in d.end where op != .mask {
            if op == .deactivate || op == .complete { holders[d.irq].store(0, ordering: .releasing) }
            if !table.perform(op, irq: d.irq) { strays.wrappingAdd(1, ordering: .relaxed) }
        }
    }

    /// GICV_IAR, then GICV_EOIR with the type's hardware operations (none trap).
    func guestStep() {
        let virq = vcpu.acknowledge()
        guard virq != 0 else { sched_yield(); return }
        let (irq, path) = table.guestComplete(domain: Self.domain, virq: virq)
        guard irq != 0, case .hardware(let ops) = path else { return }
        for op in ops where !table.perform(op, irq: irq) { strays.wrappingAdd(1, ordering: .relaxed) }
    }

    func checkQuiescence() {
        #expect(staleGuestInfo.load(ordering: .relaxed) == 0, "a dispatch read guest info of a released route")
        #expect(overlappingClaims.load(ordering: .relaxed) == 0, "a source was acknowledged twice without a deactivate between")
        #expect(strays.load(ordering: .relaxed) == 0)
        #expect(unexpectedErrors.load(ordering: .relaxed) == 0)
        #expect(guestDispatches.load(ordering: .relaxed) > 0, "the race never reached the guest")
        if type.guestEOI != .hardware([]) && type.guestEOI != .hardware([.deactivate]) {
            #expect(maintenance.load(ordering: .relaxed) > 0, "no EOI maintenance interrupt was taken")
        }

        // Drain with every line low: route everything, run harts and guest until idle, release.
        for irq in Self.irqs { gic.setLine(irq, high: false) }
        for irq in Self.irqs { try? table.routeToGuest(irq: irq, domain: Self.domain, virq: Self.virq(irq)) }
        let deadline = DispatchTime.now().uptimeNanoseconds + 5_000_000_000
        while DispatchTime.now().uptimeNanoseconds < deadline {
            var busy = false
            for h in 0..<Self.harts where gic.hasInterrupt(context: h) { doIRQ(hart: h); busy = true }
            if vcpu.hasPending { guestStep(); busy = true }
            if !busy { break }
        }
        for irq in Self.irqs { try? table.releaseGuest(domain: Self.domain, virq: Self.virq(irq)) }
        for irq in Self.irqs {
            let st = table.status(irq)
            #expect(!gic.isActive(irq), "IRQ \(irq) left active (a lost deactivate)")
            #expect(!gic.isPending(irq))
            #expect(st.isDisjoint(with: [.inProgress, .awaitingComplete, .guest, .started, .guestPending, .masked]),
                    "IRQ \(irq): status \(st.rawValue) at rest")
        }
        #expect(vcpu.queueLength == 0 && vcpu.freeListRegisters == 2, "list registers or queue not drained")
        #expect(!vcpu.maintenanceLine && !gic.isMaintenanceActive(context: 0))
    }
}
