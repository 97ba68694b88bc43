import Foundation
import Synchronization
import Testing
@testable import IRQCore

// Multi-threaded stress of the AIA paths of the dispatch core (docs/model.md Part A): a device
// thread driving the APLIC's inputs, harts claiming from their IDCs or interrupt files, a guest
// claiming from its vPLIC or its own guest file, and routers racing route/release against do_IRQ.
// Threads count what they saw in atomics; the checks run after every thread has joined. Under the
// thread sanitizer: swift test --sanitize=thread --filter ConcurrencyStress (TSan reports through
// the exit code only).
@Suite("AIAConcurrencyStress", .serialized)
struct AIAConcurrencyStressTests {
    static let deviceOps = 40_000
    static let routeOps = 10_000

    /// MSI mode: every MSI the APLIC sends sets a bit that exactly one claim clears, or merges into
    /// a bit already set. At rest: sent = merged + claimed, and nothing is left pending.
    @Test("MSI mode: every MSI is claimed exactly once or merged", arguments: [EndStrategy.hostEnd, .guestEnd, .aiaGuestFile])
    func msiAccounting(strategy: EndStrategy) throws {
        let rig = try AIARig(mode: .msi, strategy: strategy)
        rig.run(deviceOps: Self.deviceOps, routeOps: 0)
        rig.drainAndCheck()
        let sent = rig.p.aplic.msisSent
        #expect(sent > 0)
        #expect(sent == rig.p.delivery.msisMerged + UInt64(rig.claims.load(ordering: .relaxed) + rig.guestFileClaims.load(ordering: .relaxed)))
    }

    /// Direct mode: an edge is claimed once or merged into a pending bit; a level source stays
    /// pending through every claim while its input is high.
    @Test("direct mode: edges claimed once or merged; claimi never clears a high level source")
    func directClaimi() {
        let a = APLIC(mode: .direct, harts: 2)
        for s in 1...6 { a.setSourceMode(s, .edge1); a.setPriority(s, 1 + UInt32(s % 3)); a.enable(s, hart: s % 2) }
        a.setSourceMode(9, .level1)
        a.setPriority(9, 1)
        a.enable(9, hart: 0)
        a.setLine(9, high: true)
        let edges = Atomic<Int>(0), edgeClaims = Atomic<Int>(0), levelClaims = Atomic<Int>(0), violations = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        var bodies: [@Sendable () -> Void] = [{
            var rng = SplitMix(seed: 3)
            for _ in 0..<Self.deviceOps {
                a.edge(1 + Int(rng.next() % 6))
                edges.wrappingAdd(1, ordering: .relaxed)
            }
            done.store(true, ordering: .releasing)
        }]
        for h in 0..<2 {
            bodies.append {
                while true {
                    let s = a.claimi(hart: h)
                    if s == 9 {
                        levelClaims.wrappingAdd(1, ordering: .relaxed)
                        if !a.isPending(9) { violations.wrappingAdd(1, ordering: .relaxed) }
                        // Hart 0 always has source 9 to claim: only its pending edges win over it,
                        // so it stops at the first claim of 9 after the device's last edge, which
                        // every schedule reaches (on a loaded machine the device may finish before
                        // this thread first runs).
                        if done.load(ordering: .acquiring) { return }
                    } else if s != 0 {
                        edgeClaims.wrappingAdd(1, ordering: .relaxed)
                        if a.targetHart(s) != h { violations.wrappingAdd(1, ordering: .relaxed) }
                    } else if done.load(ordering: .acquiring) {
                        return
                    }
                }
            }
        }
        runThreads(bodies)
        a.setLine(9, high: false)
        #expect(!a.isPending(9) && a.withdrawn == 1)
        // Edges still pending were neither claimed nor merged yet: claim them now.
        for h in 0..<2 {
            while a.claimi(hart: h) != 0 { edgeClaims.wrappingAdd(1, ordering: .relaxed) }
        }
        #expect(violations.load(ordering: .relaxed) == 0)
        #expect(levelClaims.load(ordering: .relaxed) > 0)
        #expect(UInt64(edges.load(ordering: .relaxed)) == UInt64(edgeClaims.load(ordering: .relaxed)) + a.mergedEdges)
    }

    /// Route and release race do_IRQ on the AIA as on the PLIC: no dispatch reads guest info of
    /// a released route, every error is an expected refusal, and at rest nothing is left pending,
    /// enabled or masked.
    @Test("AIA: do_IRQ races route/release", arguments: [
        (APLIC.DeliveryMode.msi, EndStrategy.hostEnd), (.msi, .guestEnd), (.msi, .maskUnmask), (.direct, .maskUnmask),
    ])
    func routingRaces(mode: APLIC.DeliveryMode, strategy: EndStrategy) throws {
        let rig = try AIARig(mode: mode, strategy: strategy, routed: false)
        rig.run(deviceOps: 0, routeOps: Self.routeOps)
        #expect(rig.stale.load(ordering: .relaxed) == 0, "a dispatch read guest info of a released route")
        #expect(rig.unexpected.load(ordering: .relaxed) == 0)
        #expect(rig.guestDispatches.load(ordering: .relaxed) > 0)
        rig.drainAndCheck()
    }
}

/// An AIA platform on two harts with eight level sources (two per vIRQ under route races), a
/// device, harts, a guest and routers on real threads.
// @unchecked: every shared field is an atomic or immutable after init.
private final class AIARig: @unchecked Sendable {
    static let irqs = 1...8
    static func virq(_ irq: Int) -> Int { 100 + (irq + 1) / 2 }

    let p: AIAPlatform
    let table: IRQDescriptorTable
    let strategy: EndStrategy
    let guestFileView: Bool
    let racing: Bool
    let claims = Atomic<Int>(0), guestFileClaims = Atomic<Int>(0), guestDispatches = Atomic<Int>(0)
    let stale = Atomic<Int>(0), unexpected = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)

    /// `routed`: every source routed once at set-up (vIRQ = IRQ) and left so; otherwise routers
    /// route and release them at random (two IRQs per vIRQ).
    init(mode: APLIC.DeliveryMode, strategy: EndStrategy, routed: Bool = true) throws {
        self.strategy = strategy
        racing = !routed
        guestFileView = strategy == .aiaGuestFile
        p = AIAPlatform(mode: mode, harts: 2, guestFiles: 1, guestHart: 0)
        let view: any VirtualInterruptController = guestFileView ? p.guestFile! : VPLIC()
        table = IRQDescriptorTable(chip: p.aplic, strategy: strategy, guests: [view])
        for irq in Self.irqs {
            // Under aia-guest-file the guest's sources must be on its hart; the others are the host's.
            let host = routed && irq <= 3
            let hart = guestFileView && !host ? 0 : irq % 2
            p.configure(irq, edge: false, priority: UInt32(1 + irq % 3), toGuestFile: guestFileView && !host)
            try table.setAffinity(irq, context: hart)
            if host { try table.requestHostIRQ(irq) } else if routed { try table.routeToGuest(irq: irq, domain: 1, virq: irq) }
        }
    }

    func virq(_ irq: Int) -> Int { racing ? Self.virq(irq) : irq }

    func run(deviceOps: Int, routeOps: Int) {
        let finished = Atomic<Int>(0)
        let finishers = racing ? 2 : 1
        var bodies: [@Sendable () -> Void] = []
        bodies.append { [self] in
            var rng = SplitMix(seed: 17)
            var n = 0
            while racing ? !stop.load(ordering: .acquiring) : n < deviceOps {
                let irq = Self.irqs.lowerBound + Int(rng.next() % UInt64(Self.irqs.count))
                p.aplic.setLine(irq, high: rng.next() & 1 == 0)
                n += 1
            }
            if !racing && finished.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == finishers { stop.store(true, ordering: .releasing) }
        }
        for h in 0..<2 {
            bodies.append { [self] in
                while !stop.load(ordering: .acquiring) {
                    if p.aplic.hasInterrupt(context: h) { dispatch(h) } else { sched_yield() }
                }
            }
        }
        bodies.append { [self] in
            while !stop.load(ordering: .acquiring) { if !guestStep() { sched_yield() } }
        }
        if racing {
            for r in 0..<2 {
                bodies.append { [self] in
                    var rng = SplitMix(seed: 50 + UInt64(r))
                    for _ in 0..<routeOps {
                        let irq = Self.irqs.lowerBound + Int(rng.next() % UInt64(Self.irqs.count))
                        if rng.next() % 2 == 0 { route(irq) } else { release(Self.virq(irq)) }
                    }
                    if finished.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == finishers { stop.store(true, ordering: .releasing) }
                }
            }
        }
        runThreads(bodies)
    }

    func route(_ irq: Int) {
        do { try table.routeToGuest(irq: irq, domain: 1, virq: Self.virq(irq)) } catch {
            switch error {
            case .virqInUse, .boundToOtherVirq, .ownedByOtherDomain: break
            default: unexpected.wrappingAdd(1, ordering: .relaxed)
            }
        }
    }

    func release(_ virq: Int) {
        do { try table.releaseGuest(domain: 1, virq: virq) } catch {
            if case .notRouted = error {} else { unexpected.wrappingAdd(1, ordering: .relaxed) }
        }
    }

    /// do_IRQ as a live hart runs it, with the operations the APLIC performs for the source.
    func dispatch(_ h: Int) {
        let d = table.beginDispatch(context: h)
        guard d.irq != 0 else { return }
        claims.wrappingAdd(1, ordering: .relaxed)
        if case .guest(let domain, let virq) = d.target {
            if domain != 1 || virq != self.virq(d.irq) { stale.wrappingAdd(1, ordering: .relaxed) }
            guestDispatches.wrappingAdd(1, ordering: .relaxed)
            if d.end.contains(.mask) { table.perform(.mask, irq: d.irq) }
            _ = table.inject(domain: 1, virq: virq)
        }
        if d.irq % 2 == 0 { sched_yield() }
        table.finishHandler(d)
        for op in d.end where op != .rateLimitCheck && !(op == .mask && d.target != .host) {
            if p.aplic.performs(op, source: d.irq, guestFileView: guestFileView) { table.perform(op, irq: d.irq) }
        }
    }

    /// The guest claims one interrupt and ends it with its type's operations. False when idle.
    func guestStep() -> Bool {
        let view = table.guest(1)
        let virq = view.claim()
        guard virq != 0 else { return false }
        let (irq, path) = table.guestComplete(domain: 1, virq: virq)
        if guestFileView { guestFileClaims.wrappingAdd(1, ordering: .relaxed) }
        guard irq != 0 else { return true }
        for op in path.operations where p.aplic.performs(op, source: irq, guestFileView: guestFileView) { table.perform(op, irq: irq) }
        return true
    }

    /// Every line low, the harts and the guest run until nothing is left (each source routed in
    /// turn when routes raced), then the checks: no pending bit, no pending identity, no status
    /// left but what a routed source keeps.
    func drainAndCheck() {
        for irq in Self.irqs { p.aplic.setLine(irq, high: false) }
        let halves = racing ? [Self.irqs.filter { $0 % 2 == 1 }, Self.irqs.filter { $0 % 2 == 0 }] : [Array(Self.irqs)]
        for half in halves {
            if racing {
                for v in Set(Self.irqs.map(Self.virq)) { release(v) }
                for irq in half { route(irq) }
            }
            let deadline = DispatchTime.now().uptimeNanoseconds + 5_000_000_000
            while DispatchTime.now().uptimeNanoseconds < deadline {
                var busy = false
                for h in 0..<2 where p.aplic.hasInterrupt(context: h) { dispatch(h); busy = true }
                if table.guest(1).hasPending { _ = guestStep(); busy = true }
                if !busy { break }
            }
        }
        if racing { for v in Set(Self.irqs.map(Self.virq)) { release(v) } }
        for irq in Self.irqs {
            #expect(!p.aplic.isPending(irq), "IRQ \(irq) pending at rest")
            for h in 0..<2 { #expect(!p.imsic.isPending(hart: h, file: 0, irq)) }
            #expect(!p.imsic.isPending(hart: 0, file: 1, irq))
            // awaitingComplete is left out: an APLIC in direct mode never ends a claim.
            let st = table.status(irq)
            #expect(st.isDisjoint(with: [.inProgress, .guestPending, .masked]), "IRQ \(irq): status \(st.rawValue)")
            if racing { #expect(!p.aplic.isEnabled(irq) && st.isDisjoint(with: [.guest, .started]), "IRQ \(irq) not shut down") }
            else { #expect(p.aplic.isEnabled(irq), "IRQ \(irq) left masked") }
        }
    }
}
