import Foundation
import Synchronization
import Testing
@testable import IRQCore

// Multi-threaded stress of the dispatch core: real threads racing do_IRQ against
// route_irq_to_guest / release_guest_irq (the race at the end of the seed thread), and the PLIC
// claim under contention. Debug builds define IRQCORE_CHECKS, so a released guest-info slot is
// poisoned (domain 0) before it is reused: a dispatch that read guest info after its release would
// see domain 0 and count a violation.
//
// Threads never call #expect (issues recorded off the test's task may not be attributed to it):
// they count violations in atomics, checked after every thread has joined. Run under the thread
// sanitizer with:  swift test --sanitize=thread --filter ConcurrencyStress  (TSan reports only
// through the exit code: the test runners still print "passed").
@Suite("ConcurrencyStress", .serialized)
struct ConcurrencyStressTests {
    /// Route/release operations per router thread. Sized so each race test takes a few seconds
    /// in debug on 2 cores (and stays bounded: every loop below has a fixed count or a deadline).
    static let routeOps = 60_000

    @Test("PLIC claim is exclusive under contention: one winner per forward, no edge lost")
    func claimIsExclusive() {
        let claimers = 4
        let edges = 200_000
        // A queue deep enough that no edge is ever lost: every edge is forwarded exactly once,
        // so the total number of winning claims must equal the number of edges.
        let plic = PLIC(contexts: claimers, edgeQueue: UInt32(edges))
        plic.setPriority(1, 1)
        plic.setEdgeTriggered(1, true)
        for c in 0..<claimers { plic.setEnabled(1, context: c, true) }

        // Between claim and complete the gateway is closed: nobody else may hold it.
        let (wins, overlaps) = ExclusiveClaimRace(
            claimers: claimers, edges: edges, edge: { plic.edge(1) },
            claim: { plic.claim(context: $0) == 1 }, complete: { plic.complete(context: $0, 1) },
            atRest: { !plic.isPending(1) && plic.queuedEdges(1) == 0 && plic.isGatewayOpen(1) }
        ).run()

        #expect(overlaps == 0)
        #expect(wins == edges)
        #expect(plic.lostEdges == 0)
        #expect(plic.isGatewayOpen(1) && !plic.isPending(1) && plic.queuedEdges(1) == 0)
    }

    @Test("host-end: do_IRQ races route/release; no stale guest info, no double release, no lost or duplicated complete",
          arguments: [EndStrategy.hostEnd, .maskUnmask])
    func dispatchRacesRouting(strategy: EndStrategy) {
        let rig = RaceRig(strategy: strategy)
        rig.run(routeOps: Self.routeOps)
        rig.checkQuiescence()
    }

    @Test("guest-end and hw-eoi: release completes the claim the guest still owes, exactly once",
          arguments: [EndStrategy.guestEnd, .hwEOI])
    func releaseCompletesOutstandingClaim(strategy: EndStrategy) {
        let rig = RaceRig(strategy: strategy)
        rig.run(routeOps: Self.routeOps)
        rig.checkQuiescence()
    }

    @Test("two IRQs routed to one vIRQ at once: exactly one binds")
    func concurrentRoutesToOneVirq() {
        let rounds = 5_000
        let table = IRQDescriptorTable(plic: PLIC(contexts: 1), strategy: .guestEnd)
        for irq in 1...2 { table.plic.setPriority(irq, 1) }
        let start = Atomic<Int>(0)
        let doneRounds = Atomic<Int>(0)
        let violations = Atomic<Int>(0)
        let won = WinCounters()
        // Round r: both threads route their own IRQ to vIRQ 9 at once; the last to finish checks
        // that exactly one IRQ is bound, releases it and opens the next round.
        let bodies: [@Sendable () -> Void] = (0..<2).map { (t: Int) -> @Sendable () -> Void in
            {
                for r in 0..<rounds {
                    while start.load(ordering: .acquiring) < r {}
                    do {
                        try table.routeToGuest(irq: t + 1, domain: 1, virq: 9)
                        won.add(t)
                    } catch {
                        if case .virqInUse? = error as? RouteError {} else { violations.wrappingAdd(1, ordering: .relaxed) }
                    }
                    if doneRounds.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == 2 * (r + 1) {
                        let bound = (1...2).filter { table.status($0).contains(.guest) }.count
                        if bound != 1 { violations.wrappingAdd(1, ordering: .relaxed) }
                        do { try table.releaseGuest(domain: 1, virq: 9) } catch { violations.wrappingAdd(1, ordering: .relaxed) }
                        start.store(r + 1, ordering: .releasing)
                    }
                }
            }
        }
        runThreads(bodies)
        #expect(violations.load(ordering: .relaxed) == 0)
        #expect(won.total == rounds)
        #expect(table.irq(forVirq: 9, domain: 1) == 0)
    }
}

extension ConcurrencyStressTests {
    @Test("two releases of one vIRQ at once: exactly one succeeds, the other gets .notRouted")
    func concurrentDoubleRelease() {
        let rounds = 10_000
        let table = IRQDescriptorTable(plic: PLIC(contexts: 1), strategy: .guestEnd)
        table.plic.setPriority(3, 1)
        let start = Atomic<Int>(0)
        let doneRounds = Atomic<Int>(0)
        let successes = Atomic<Int>(0)
        let violations = Atomic<Int>(0)
        try! table.routeToGuest(irq: 3, domain: 1, virq: 30)
        let bodies: [@Sendable () -> Void] = (0..<2).map { (_: Int) -> @Sendable () -> Void in
            {
                for r in 0..<rounds {
                    while start.load(ordering: .acquiring) < r {}
                    do {
                        try table.releaseGuest(domain: 1, virq: 30)
                        successes.wrappingAdd(1, ordering: .relaxed)
                    } catch {
                        if case .notRouted? = error as? RouteError {} else { violations.wrappingAdd(1, ordering: .relaxed) }
                    }
                    if doneRounds.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == 2 * (r + 1) {
                        // Both released: route again for the next round.
                        do { try table.routeToGuest(irq: 3, domain: 1, virq: 30) } catch { violations.wrappingAdd(1, ordering: .relaxed) }
                        start.store(r + 1, ordering: .releasing)
                    }
                }
            }
        }
        runThreads(bodies)
        #expect(violations.load(ordering: .relaxed) == 0)
        #expect(successes.load(ordering: .relaxed) == rounds)
    }
}

/// Counts per thread which route won, for `concurrentRoutesToOneVirq`.
private final class WinCounters: Sendable {
    private let wins = Mutex([0, 0])
    func add(_ t: Int) { wins.withLock { $0[t] += 1 } }
    var total: Int { wins.withLock { $0[0] + $0[1] } }
}

/// The race of the seed thread on real threads: a device thread toggling level lines, two harts
/// running do_IRQ, a guest vCPU claiming and completing, and two router threads routing and
/// releasing the same IRQs (so releases also race each other: a second release must get
/// `.notRouted`). Two IRQs share each vIRQ so routes also race for the vIRQ map.
// @unchecked: `holders` is an allocation of atomics, written only through them.
private final class RaceRig: @unchecked Sendable {
    static let harts = 2
    static let irqs = 1...8
    static let domain = 1
    /// IRQs 2k-1 and 2k compete for vIRQ 100 + k.
    static func virq(_ irq: Int) -> Int { 100 + (irq + 1) / 2 }

    let table: IRQDescriptorTable
    let strategy: EndStrategy

    // Violations, counted by the threads and checked after they join.
    let staleGuestInfo = Atomic<Int>(0)
    let overlappingClaims = Atomic<Int>(0)
    let unexpectedErrors = Atomic<Int>(0)
    let strays = Atomic<Int>(0)

    // Bookkeeping.
    let routesOK = Atomic<Int>(0)
    let releasesOK = Atomic<Int>(0)
    let notRoutedReleases = Atomic<Int>(0)
    let claims = Atomic<Int>(0)
    let guestDispatches = Atomic<Int>(0)
    let guestCompletes = Atomic<Int>(0)
    /// Per IRQ, the hart holding its claim (0: none). Only used where every complete is written by
    /// the claiming hart (strategies that complete in do_IRQ), to catch a second claim of a source
    /// whose gateway some duplicated complete reopened.
    let holders: UnsafeMutablePointer<Atomic<Int>>
    let stop = Atomic<Bool>(false)

    init(strategy: EndStrategy) {
        self.strategy = strategy
        let plic = PLIC(contexts: Self.harts)
        table = IRQDescriptorTable(plic: plic, strategy: strategy)
        for irq in Self.irqs {
            plic.setPriority(irq, UInt32(1 + irq % 3))
            try! table.setAffinity(irq, context: irq % Self.harts)
        }
        holders = .allocate(capacity: PLIC.sourceCount)
        for i in 0..<PLIC.sourceCount { (holders + i).initialize(to: Atomic(0)) }
    }

    deinit {
        holders.deinitialize(count: PLIC.sourceCount)
        holders.deallocate()
    }

    var dispatchCompletes: Bool { PLIC.guestType(for: strategy)!.end.contains(.complete) }

    func run(routeOps: Int) {
        let routersDone = Atomic<Int>(0)
        var bodies: [@Sendable () -> Void] = []
        // Device: lines go high and low at random, so forwards, re-forwards at complete and
        // "no withdrawal" all happen while routes change.
        bodies.append { [self] in
            var rng = SplitMix(seed: 7)
            while !stop.load(ordering: .acquiring) {
                let irq = Self.irqs.lowerBound + Int(rng.next() % UInt64(Self.irqs.count))
                table.plic.setLine(irq, high: rng.next() & 1 == 0)
            }
        }
        for h in 0..<Self.harts {
            bodies.append { [self] in
                while !stop.load(ordering: .acquiring) {
                    if table.plic.hasInterrupt(context: h) { dispatch(hart: h) } else { sched_yield() }
                }
            }
        }
        bodies.append { [self] in
            while !stop.load(ordering: .acquiring) { guestStep() }
        }
        for r in 0..<2 {
            bodies.append { [self] in
                var rng = SplitMix(seed: 100 + UInt64(r))
                for _ in 0..<routeOps {
                    let irq = Self.irqs.lowerBound + Int(rng.next() % UInt64(Self.irqs.count))
                    if rng.next() % 2 == 0 { route(irq) } else { release(virq: Self.virq(irq)) }
                }
                if routersDone.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == 2 {
                    stop.store(true, ordering: .releasing)
                }
            }
        }
        runThreads(bodies)
    }

    func route(_ irq: Int) {
        do {
            try table.routeToGuest(irq: irq, domain: Self.domain, virq: Self.virq(irq))
            routesOK.wrappingAdd(1, ordering: .relaxed)
        } catch {
            switch error {
            case .virqInUse, .boundToOtherVirq, .ownedByOtherDomain: break
            default: unexpectedErrors.wrappingAdd(1, ordering: .relaxed)
            }
        }
    }

    func release(virq: Int) {
        do {
            try table.releaseGuest(domain: Self.domain, virq: virq)
            releasesOK.wrappingAdd(1, ordering: .relaxed)
        } catch {
            if case .notRouted = error { notRoutedReleases.wrappingAdd(1, ordering: .relaxed) }
            else { unexpectedErrors.wrappingAdd(1, ordering: .relaxed) }
        }
    }

    /// One do_IRQ, step by step as a live hart runs it, with the checks in between.
    func dispatch(hart h: Int) {
        let d = table.beginDispatch(context: h)
        guard d.irq != 0 else { return }
        claims.wrappingAdd(1, ordering: .relaxed)
        if dispatchCompletes,
           !holders[d.irq].compareExchange(expected: 0, desired: h + 1, ordering: .acquiringAndReleasing).exchanged {
            overlappingClaims.wrappingAdd(1, ordering: .relaxed)
        }
        switch d.target {
        case .guest(let domain, let virq):
            // Read under the descriptor lock while routed: a poisoned (released) slot reads 0.
            if domain != Self.domain || virq != Self.virq(d.irq) { staleGuestInfo.wrappingAdd(1, ordering: .relaxed) }
            guestDispatches.wrappingAdd(1, ordering: .relaxed)
            _ = table.inject(domain: Self.domain, virq: Self.virq(d.irq))
        case .host: unexpectedErrors.wrappingAdd(1, ordering: .relaxed)
        case .unhandled, .spurious: break
        }
        // Give a racing release a chance to run while this dispatch is in progress.
        if d.irq % 2 == 0 { sched_yield() }
        table.finishHandler(d)
        for op in d.end where op != .rateLimitCheck {
            if op == .complete && dispatchCompletes { holders[d.irq].store(0, ordering: .releasing) }
            if !table.perform(op, irq: d.irq) { strays.wrappingAdd(1, ordering: .relaxed) }
        }
    }

    /// The guest: vclaim, then vcomplete with the strategy's physical operations.
    func guestStep() {
        let vplic = table.vplic(Self.domain)
        let virq = vplic.claim()
        guard virq != 0 else { sched_yield(); return }
        let (irq, path) = table.guestComplete(domain: Self.domain, virq: virq)
        guestCompletes.wrappingAdd(1, ordering: .relaxed)
        guard irq != 0 else { return }  // released meanwhile: nothing physical is owed by us
        let ops = path.operations
        for op in ops where !table.perform(op, irq: irq) { strays.wrappingAdd(1, ordering: .relaxed) }
    }

    /// Brings the rig to rest with every line low, and checks that nothing was lost on the way.
    func checkQuiescence() {
        #expect(staleGuestInfo.load(ordering: .relaxed) == 0, "a dispatch read guest info of a released route")
        #expect(overlappingClaims.load(ordering: .relaxed) == 0, "a source was claimed twice without a complete between")
        #expect(unexpectedErrors.load(ordering: .relaxed) == 0)
        #expect(strays.load(ordering: .relaxed) == 0, "a complete was ignored (stray): its gateway would stay closed")
        #expect(guestDispatches.load(ordering: .relaxed) > 0, "the race never dispatched to the guest")
        #expect(notRoutedReleases.load(ordering: .relaxed) > 0, "no release ever raced another")

        #expect(routesOK.load(ordering: .relaxed) > 0 && releasesOK.load(ordering: .relaxed) > 0)
        for irq in Self.irqs where table.status(irq).contains(.guest) {
            #expect(table.irq(forVirq: Self.virq(irq), domain: Self.domain) == irq, "IRQ \(irq) is guest-bound but its vIRQ is not")
        }

        // Drain: lines low; each IRQ routed in turn (two share a vIRQ, so in two halves) while the
        // harts and the guest run until nothing is left; then released. A lost complete leaves a
        // gateway closed with nothing pending for ever, which the checks below see.
        for irq in Self.irqs { table.plic.setLine(irq, high: false) }
        for half in [Self.irqs.filter { $0 % 2 == 1 }, Self.irqs.filter { $0 % 2 == 0 }] {
            for virq in Set(Self.irqs.map(Self.virq)) { release(virq: virq) }
            for irq in half { route(irq) }
            let deadline = DispatchTime.now().uptimeNanoseconds + 5_000_000_000
            while DispatchTime.now().uptimeNanoseconds < deadline {
                var busy = false
                for h in 0..<Self.harts where table.plic.hasInterrupt(context: h) { dispatch(hart: h); busy = true }
                if table.vplic(Self.domain).hasPending { guestStep(); busy = true }
                if !busy { break }
            }
        }
        for virq in Set(Self.irqs.map(Self.virq)) { release(virq: virq) }
        for irq in Self.irqs {
            let st = table.status(irq)
            #expect(table.plic.isGatewayOpen(irq), "IRQ \(irq): gateway closed at rest (lost complete)")
            #expect(!table.plic.isPending(irq), "IRQ \(irq): pending at rest")
            #expect(st.isDisjoint(with: [.inProgress, .awaitingComplete, .guest, .started, .guestPending, .masked]),
                    "IRQ \(irq): status \(st.rawValue) at rest")
            #expect(table.plic.priority(irq) == table.plic.configuredPriority(irq), "IRQ \(irq) left masked")
        }
        for virq in Set(Self.irqs.map(Self.virq)) {
            #expect(table.irq(forVirq: virq, domain: Self.domain) == 0)
        }
        #expect(claims.load(ordering: .relaxed) > 0)
    }
}

/// Runs each body on its own thread and returns when all have finished. Real threads, not a
/// pool: bodies spin on each other, which a pool of 2 workers could deadlock.
func runThreads(_ bodies: [@Sendable () -> Void]) {
    let group = DispatchGroup()
    for body in bodies {
        group.enter()
        let t = Thread { body(); group.leave() }
        t.start()
    }
    group.wait()
}

/// A tiny seeded generator (SplitMix64), so each thread's choices are reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
