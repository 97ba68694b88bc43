import IRQCore
import Testing

/// docs/model.md G.2, one rule per test: the distributor and physical CPU interface.
struct GICTests {
    /// A GIC with `ids` set up as the descriptor table's start-up does it: priority, ISENABLER,
    /// target `context`.
    func gic(_ ids: [Int], priority: UInt32 = 1, contexts: Int = 1, context: Int = 0) -> GIC {
        let g = GIC(contexts: contexts)
        for id in ids {
            g.setPriority(id, priority)
            g.unmask(id)
            g.setEnabled(id, context: context, true)
        }
        return g
    }

    @Test func levelPendingFollowsTheLineBothWays() {
        let g = gic([5])
        #expect(!g.hasInterrupt(context: 0))
        #expect(g.setLine(5, high: true), "rising: became pending")
        #expect(!g.setLine(5, high: true), "already high: nothing new")
        #expect(g.isPending(5) && g.hasInterrupt(context: 0))
        g.setLine(5, high: false)
        #expect(!g.isPending(5) && !g.hasInterrupt(context: 0), "a falling line withdraws the pending state")
        #expect(g.claim(context: 0) == 0)
    }

    @Test func edgeSetsTheLatchAndAnEdgeOnASetLatchIsMerged() {
        let g = gic([2])
        #expect(g.edge(2))
        #expect(!g.edge(2), "second edge before the acknowledge")
        #expect(g.lostEdges == 1)
        #expect(g.claim(context: 0) == 2)
        #expect(!g.isLatched(2) && g.isActive(2), "the acknowledge clears the latch")
        #expect(g.claim(context: 0) == 0, "one acknowledge for the merged edges")
    }

    @Test func edgeWhileActiveIsHeldAndSignalledAtTheDeactivate() {
        let g = gic([2])
        g.edge(2)
        #expect(g.claim(context: 0) == 2)
        #expect(g.edge(2), "the latch was clear: held, not merged")
        #expect(g.isActive(2) && g.isPending(2), "active and pending")
        #expect(!g.hasInterrupt(context: 0), "an active and pending interrupt is not signalled")
        #expect(g.lostEdges == 0)
        g.complete(context: 0, 2)
        #expect(g.hasInterrupt(context: 0))
        #expect(g.claim(context: 0) == 2)
    }

    @Test func acknowledgeLeavesAHighLevelLinePendingButNotSignalled() {
        let g = gic([1])
        g.setLine(1, high: true)
        #expect(g.claim(context: 0) == 1)
        #expect(g.isActive(1) && g.isPending(1), "active and pending while the line is high")
        #expect(!g.hasInterrupt(context: 0))
        #expect(g.claim(context: 0) == 0)
        #expect(g.spuriousClaims == 1, "1023 is counted")
    }

    @Test func priorityDropChangesNothingAndDeactivateResignalsAHighLine() {
        let g = gic([1])
        g.setLine(1, high: true)
        #expect(g.claim(context: 0) == 1)
        #expect(g.performChipOperation(.priorityDrop, irq: 1, context: 0))
        #expect(g.isActive(1) && !g.hasInterrupt(context: 0), "EOImode 1: still active after EOIR")
        #expect(g.performChipOperation(.deactivate, irq: 1, context: 0), "a deactivate is never stray")
        #expect(!g.isActive(1) && g.hasInterrupt(context: 0), "DIR with the line high: signalled again at once")
        #expect(g.claim(context: 0) == 1)
        g.setLine(1, high: false)
        g.complete(context: 0, 1)
        #expect(!g.hasInterrupt(context: 0), "line low at the DIR: nothing")
    }

    @Test func highestPriorityFirstTiesToTheLowestID() {
        let g = gic([3, 4, 9])
        g.setPriority(9, 2)
        for id in [9, 4, 3] { g.setLine(id, high: true) }
        #expect(g.claim(context: 0) == 9)
        #expect(g.claim(context: 0) == 3)
        #expect(g.claim(context: 0) == 4)
    }

    @Test func maskStopsTheSignalButKeepsALevelPending() {
        let g = gic([1])
        g.setLine(1, high: true)
        g.mask(1)
        #expect(g.isPending(1) && !g.isDistributorEnabled(1) && !g.hasInterrupt(context: 0))
        g.unmask(1)
        #expect(g.hasInterrupt(context: 0))
        g.mask(1)
        g.setLine(1, high: false)
        g.unmask(1)
        #expect(!g.hasInterrupt(context: 0), "a line that fell while disabled left nothing pending")
    }

    @Test func onlyTheTargetedCPUInterfaceIsSignalled() {
        let g = gic([1], contexts: 2, context: 1)
        g.setLine(1, high: true)
        #expect(!g.hasInterrupt(context: 0) && g.hasInterrupt(context: 1))
        #expect(g.claim(context: 0) == 0)
        #expect(g.claim(context: 1) == 1)
        g.setEnabled(1, context: 1, false)
        g.complete(context: 0, 1)
        #expect(!g.hasInterrupt(context: 1), "no target: never signalled")
    }

    @Test func maintenanceInterruptFollowsItsLineAndComesFirst() {
        let g = gic([1])
        let v = GICVirtualCPUInterface(listRegisters: 2, policy: .priority, refill: .underflow,
                                       mode: ListRegisterMode(hw: false, eoi: true))
        v.setPriority(1, 1)
        g.attach(v, context: 0)
        #expect(!g.maintenanceLine(context: 0))
        g.setPriority(1, 7)
        g.setLine(1, high: true)
        _ = v.inject(virq: 1)
        #expect(v.acknowledge() == 1)
        v.endOfInterrupt(virq: 1)  // EOI bit: an EISR entry, M's line rises
        #expect(g.maintenanceLine(context: 0))
        #expect(g.claim(context: 0) == GIC.maintenanceInterrupt, "M before a priority-7 source")
        #expect(g.isMaintenanceActive(context: 0))
        #expect(g.claim(context: 0) == 1, "M active: not signalled again")
        g.deactivateMaintenance(context: 0)
        #expect(g.claim(context: 0) == GIC.maintenanceInterrupt, "line still high: signalled again after DIR(M)")
        g.deactivateMaintenance(context: 0)
        v.clearEOIEntries { _ in }
        #expect(!g.maintenanceLine(context: 0))
        #expect(g.claim(context: 0) == 0)
    }

    /// The acknowledge pick against a literal reading of the rule on seeded random states: of the
    /// sources pending, enabled, not active and targeted here, the highest priority, then the
    /// lowest ID.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func pickMatchesALiteralReading(seed: UInt64) {
        var rng = ClaimPickTests.XorShift(state: 0x9E37_79B9_7F4A_7C15 &* seed)
        for _ in 0..<40 {
            let g = GIC(contexts: 2)
            var prio = [UInt32](repeating: 0, count: GIC.sourceCount)
            var signalled = [Bool](repeating: false, count: GIC.sourceCount)
            let density = Int.random(in: 1...60, using: &rng)
            let ids = (1..<GIC.sourceCount).filter { _ in Int.random(in: 0..<100, using: &rng) < density }
            var later: [(id: Int, edge: Bool, enabled: Bool, targeted: Bool)] = []
            for id in ids {
                let p = UInt32.random(in: 1...7, using: &rng)
                prio[id] = p
                g.setPriority(id, p)
                let enabled = Int.random(in: 0..<4, using: &rng) != 0
                let targeted = Int.random(in: 0..<4, using: &rng) != 0
                let edge = Bool.random(using: &rng)
                g.setEnabled(id, context: targeted ? 0 : 1, true)
                if Int.random(in: 0..<5, using: &rng) == 0 {
                    // Active (and pending again): the only signalled source when it is acknowledged.
                    g.unmask(id)
                    if edge { g.edge(id) } else { g.setLine(id, high: true) }
                    #expect(g.claim(context: targeted ? 0 : 1) == id)
                    if edge { g.edge(id) }
                    if !enabled { g.mask(id) }
                } else {
                    later.append((id, edge, enabled, targeted))
                }
            }
            for s in later {
                if s.enabled { g.unmask(s.id) }
                if s.edge { g.edge(s.id) } else { g.setLine(s.id, high: true) }
                signalled[s.id] = s.enabled && s.targeted
            }
            var want = 0
            for id in 1..<GIC.sourceCount where signalled[id] {
                if want == 0 || prio[id] > prio[want] { want = id }
            }
            #expect(g.hasSourceInterrupt(context: 0) == (want != 0))
            if want != 0 { #expect(g.claim(context: 0) == want) }
        }
    }
}
