import IRQCore
import Testing

/// docs/model.md G.3 and G.4, one rule per test: list registers, the overflow queue, the refill
/// triggers, EOI maintenance, and the guest's acknowledge and EOI.
struct GICVirtualInterfaceTests {
    func vcpu(_ l: Int = 2, policy: ListRegisterPolicy = .priority, refill: ListRegisterRefill = .underflow,
              hw: Bool = false, eoi: Bool = false, priorities: [Int: UInt32] = [:]) -> GICVirtualCPUInterface {
        let v = GICVirtualCPUInterface(listRegisters: l, policy: policy, refill: refill,
                                       mode: ListRegisterMode(hw: hw, eoi: eoi))
        for virq in 1...40 { v.setPriority(virq, priorities[virq] ?? 1) }
        return v
    }

    @Test func listRegisterLayoutIsGICHLR() {
        let hw = ListRegister(virq: 27, priority: 5, hw: true, eoi: false, physicalID: 27)
        #expect(hw.raw == 27 | 27 << 10 | 5 << 23 | 1 << 28 | 1 << 31)
        #expect(hw.virq == 27 && hw.physicalID == 27 && hw.priority == 5 && hw.hw && !hw.eoi && hw.state == .pending)
        var sw = ListRegister(virq: 3, priority: 1, hw: false, eoi: true, physicalID: 99)
        #expect(sw.raw == 3 | 1 << 19 | 1 << 23 | 1 << 28, "HW = 0: bit 19 is EOI, no physical ID")
        #expect(sw.eoi && sw.physicalID == 0 && !sw.isFree)
        sw.state = .invalid
        #expect(sw.awaitsMaintenance && !sw.isFree, "invalid with EOI: its EISR bit holds it until cleared")
        #expect(ListRegister(raw: 0).isFree)
    }

    @Test func injectFillsTheLowestFreeListRegister() {
        let v = vcpu(3)
        #expect(v.inject(virq: 5) == .written)
        #expect(v.inject(virq: 2) == .written)
        #expect(v.listRegister(0).virq == 5 && v.listRegister(1).virq == 2 && v.listRegister(2).isFree)
        #expect(v.hasPending)
    }

    @Test func injectOfAPendingOrQueuedVIRQIsMerged() {
        let v = vcpu(2)
        _ = v.inject(virq: 1); _ = v.inject(virq: 2); _ = v.inject(virq: 3)
        #expect(v.inject(virq: 1) == .merged, "pending in a list register")
        #expect(v.inject(virq: 3) == .merged, "queued")
        #expect(v.queued == [3] && v.overflowCount == 1)
    }

    @Test func injectOfAnActiveEntryMakesItActiveAndPending() {
        let v = vcpu(2)
        _ = v.inject(virq: 1)
        #expect(v.acknowledge() == 1)
        #expect(!v.hasPending)
        #expect(v.inject(virq: 1) == .pendingActive)
        #expect(v.listRegister(0).state == .pendingActive)
        #expect(!v.hasPending, "pending and active is not 'pending': the guest is not signalled (G.12 decision 17)")
        #expect(v.acknowledge() == 0)
        #expect(v.endOfInterrupt(virq: 1) == 0)
        #expect(v.listRegister(0).state == .pending && v.hasPending, "the EOI leaves it pending")
    }

    @Test func aHWEntryThatIsActiveIsNotMadePendingAgain() {
        let v = vcpu(2, hw: true)
        _ = v.inject(virq: 1)
        _ = v.acknowledge()
        #expect(v.inject(virq: 1) == .merged)
        #expect(v.listRegister(0).state == .active)
        #expect(v.endOfInterrupt(virq: 1) == 1, "the guest's EOI deactivates physical 1")
        #expect(v.listRegister(0).isFree)
    }

    @Test func priorityPolicyEvictsTheLowestPriorityPendingEntryTiesToTheHighestVIRQ() {
        let v = vcpu(3, priorities: [1: 2, 2: 1, 3: 1, 9: 3])
        for virq in [1, 2, 3] { _ = v.inject(virq: virq) }
        #expect(v.inject(virq: 9) == .evicted)
        #expect(v.listRegister(2).virq == 9, "3 (priority 1, higher vIRQ than 2) gave way")
        #expect(v.queued == [3] && v.evictionCount == 1)
        #expect(v.inject(virq: 4) == .overflowed, "nothing below priority 1: queued")
    }

    @Test func anActiveEntryIsNeverEvicted() {
        let v = vcpu(2, priorities: [9: 3])
        _ = v.inject(virq: 1); _ = v.inject(virq: 2)
        #expect(v.acknowledge() == 1)
        #expect(v.inject(virq: 9) == .evicted)
        #expect(v.listRegister(0).virq == 1 && v.listRegister(1).virq == 9 && v.queued == [2])
        #expect(v.inject(virq: 10) == .overflowed)
    }

    @Test func equalPriorityIsNotEvicted() {
        let v = vcpu(2)
        _ = v.inject(virq: 1); _ = v.inject(virq: 2)
        #expect(v.inject(virq: 3) == .overflowed)
        #expect(v.evictionCount == 0)
    }

    @Test func fifoNeverEvictsAndQueuesInArrivalOrder() {
        let v = vcpu(2, policy: .fifo, priorities: [7: 3, 5: 2])
        _ = v.inject(virq: 1); _ = v.inject(virq: 2)
        for virq in [4, 7, 3, 5] { #expect(v.inject(virq: virq) == .overflowed) }
        #expect(v.queued == [4, 7, 3, 5] && v.evictionCount == 0)
    }

    @Test func priorityQueueIsHighestFirstTiesToTheLowestVIRQ() {
        // The list registers hold priority 3, so nothing below evicts them.
        let v = vcpu(2, priorities: [1: 3, 2: 3, 7: 3, 5: 2, 6: 2])
        _ = v.inject(virq: 1); _ = v.inject(virq: 2)
        for virq in [4, 6, 3, 7, 5] { _ = v.inject(virq: virq) }
        #expect(v.queued == [7, 5, 6, 3, 4])
    }

    @Test func guestAcknowledgesTheHighestPendingTiesToTheLowestVIRQ() {
        let v = vcpu(4, priorities: [8: 2, 6: 2])
        for virq in [3, 8, 6, 1] { _ = v.inject(virq: virq) }
        #expect(v.acknowledge() == 6)
        #expect(v.acknowledge() == 8)
        #expect(v.acknowledge() == 1)
        #expect(v.acknowledge() == 3)
        #expect(v.acknowledge() == 0, "nothing pending: the spurious ID")
    }

    @Test func eoiWithTheEOIBitAwaitsMaintenanceAndRaisesM() {
        let v = vcpu(2, eoi: true)
        _ = v.inject(virq: 1); _ = v.inject(virq: 2)
        _ = v.acknowledge()
        #expect(!v.maintenanceLine)
        v.endOfInterrupt(virq: 1)
        #expect(v.maintenanceLine && v.freeListRegisters == 0, "the EOI'd entry is not free until cleared")
        #expect(v.inject(virq: 3) == .overflowed)
        var cleared: [Int] = []
        v.clearEOIEntries { cleared.append($0) }
        #expect(cleared == [1] && v.freeListRegisters == 1)
    }

    @Test func clearEOIEntriesVisitsInListRegisterOrder() {
        let v = vcpu(3, eoi: true)
        for virq in [4, 2, 9] { _ = v.inject(virq: virq) }
        for _ in 0..<3 { v.endOfInterrupt(virq: v.acknowledge()) }
        var cleared: [Int] = []
        v.clearEOIEntries { cleared.append($0) }
        #expect(cleared == [4, 2, 9])
        #expect(!v.maintenanceLine)
    }

    @Test func underflowRefillIsArmedOnlyWhileTheQueueHoldsEntries() {
        let v = vcpu(3)
        _ = v.inject(virq: 1)
        #expect(!v.maintenanceLine, "one valid entry but nothing queued: disarmed")
        _ = v.inject(virq: 2); _ = v.inject(virq: 3); _ = v.inject(virq: 4)
        #expect(!v.maintenanceLine, "queue non-empty, three valid")
        v.endOfInterrupt(virq: v.acknowledge())
        #expect(!v.maintenanceLine, "two valid")
        v.endOfInterrupt(virq: v.acknowledge())
        #expect(v.maintenanceLine, "at most one valid: underflow")
        #expect(v.refill() == 4)
        #expect(!v.maintenanceLine, "queue empty: disarmed")
        #expect(v.refill() == 0)
    }

    @Test func noPendingRefillFiresWhenNoEntryIsPending() {
        let v = vcpu(2, refill: .noPending)
        _ = v.inject(virq: 1); _ = v.inject(virq: 2); _ = v.inject(virq: 3)
        _ = v.acknowledge()
        #expect(!v.maintenanceLine, "2 is still pending")
        _ = v.acknowledge()
        #expect(v.maintenanceLine, "both active, 3 queued")
        #expect(v.refill() == 0, "no free list register yet")
        v.endOfInterrupt(virq: 1)
        #expect(v.refill() == 3)
        #expect(v.listRegister(0).virq == 3 && v.refillCount == 1)
    }

    @Test func refillTakesTheQueueHeadIntoTheLowestFreeListRegister() {
        let v = vcpu(2, policy: .fifo, hw: true)
        for virq in [1, 2, 3, 5] { _ = v.inject(virq: virq) }
        #expect(v.queued == [3, 5])
        _ = v.acknowledge(); _ = v.acknowledge()
        v.endOfInterrupt(virq: 2)
        #expect(v.refill() == 3)
        #expect(v.listRegister(1) == ListRegister(virq: 3, priority: 1, hw: true, eoi: false, physicalID: 3))
        #expect(v.queued == [5])
    }

    @Test func injectFillsAFreeListRegisterEvenWhileEntriesWaitInTheQueue() {
        let v = vcpu(2, policy: .fifo)
        _ = v.inject(virq: 1); _ = v.inject(virq: 2); _ = v.inject(virq: 3)
        v.endOfInterrupt(virq: v.acknowledge())
        #expect(v.inject(virq: 4) == .written, "a free list register is used at once (Jailhouse's order)")
        #expect(v.queued == [3])
    }
}
