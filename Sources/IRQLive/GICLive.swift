import IRQCore
import IRQReplay
import IRQTrace
import Synchronization

/// The GIC family in live mode (docs/model.md Part G): the atomic GICv2 and the vCPU's list
/// registers, shared by the device, hart and guest threads. The guest's acknowledge and EOI go
/// through the list registers with no hypervisor; a hart that claims the maintenance interrupt
/// runs the maintenance handler: the EOI'd entries' operations (guest-end's DIR, mask-unmask's
/// unmask), the refills, DIR(M). With `direct` the guest thread reads the physical CPU interface
/// of its hart, which the hypervisor then never takes.
final class GICLive: LiveController, @unchecked Sendable {
    let gic: GIC
    let vcpu: GICVirtualCPUInterface
    let table: IRQDescriptorTable
    let strategy: EndStrategy
    let guestHart: Int
    let direct: Bool
    let maintenance = Atomic<UInt64>(0)
    /// The vIRQs the running maintenance handler ends (only the vCPU's hart takes M, one at a time).
    private let eoiEntries: UnsafeMutablePointer<Int>

    init(_ config: LiveConfig) throws {
        guard let type = GIC.guestType(for: config.strategy) else {
            throw LiveError("strategy \(config.strategy.rawValue) cannot run on irqchip=gicv2")
        }
        let s = config.scenario
        gic = GIC(contexts: config.harts)
        vcpu = GICVirtualCPUInterface(listRegisters: Int(s.listRegisters), policy: s.lrPolicy, refill: s.lrRefill,
                                      mode: GIC.listRegisterMode(for: type))
        guestHart = Int(s.guestHart)
        table = IRQDescriptorTable(gic: gic, strategy: config.strategy, vcpu: vcpu, vcpuContext: guestHart)
        strategy = config.strategy
        direct = config.strategy == .direct
        eoiEntries = .allocate(capacity: GICVirtualCPUInterface.maxListRegisters)
        eoiEntries.initialize(repeating: 0, count: GICVirtualCPUInterface.maxListRegisters)
    }

    deinit { eoiEntries.deallocate() }

    func configure(_ s: Int, kind: RequestKind, setting: SourceSetting) throws {
        if direct, let problem = Scenario.directProblem(source: UInt16(s), setting: setting, guestHart: UInt64(guestHart)) {
            throw LiveError(problem)
        }
        gic.setPriority(s, setting.priority)
    }

    func raise(_ s: Int, kind: RequestKind) {
        if kind == .edge { gic.edge(s) } else { gic.setLine(s, high: true) }
    }

    func lower(_ s: Int) { gic.setLine(s, high: false) }

    /// Under `direct` the guest's hart sends its interrupts to the guest (validation keeps host
    /// sources off it), so the hypervisor is never signalled there.
    func hasInterrupt(hart h: Int) -> Bool { direct && h == guestHart ? false : gic.hasInterrupt(context: h) }

    func performs(_ op: ControllerOperation, source s: Int) -> Bool { true }

    func reopeningOperation(host: Bool) -> ControllerOperation? {
        !host && strategy == .maskUnmask ? .unmask : .deactivate
    }

    func guestClaimIsPhysical(_ s: Int) -> Bool { direct }

    func guestHasPending() -> Bool { direct ? gic.hasSourceInterrupt(context: guestHart) : vcpu.hasPending }

    /// GICV_IAR, or with `direct` GICC_IAR through do_IRQ's bookkeeping (the claiming context and
    /// the deactivate owed), as the replay does.
    func guestClaim() -> Int {
        guard direct else { return vcpu.acknowledge() }
        let id = gic.claim(context: guestHart)
        guard id != 0 && id != GIC.maintenanceInterrupt else { return 0 }
        let d = table.dispatch(claimed: id, context: guestHart)
        table.finishHandler(d)
        if case .guest(_, let virq) = d.target { return virq }
        return 0
    }

    /// The maintenance handler (docs/model.md G.5): clear the EOI'd entries and end their
    /// interrupts, refill from the queue, then EOIR and DIR of M.
    func handleOwnInterrupt(_ id: Int, hart h: Int, ending: (Int) -> Void) -> Bool {
        guard id == GIC.maintenanceInterrupt else { return false }
        maintenance.wrappingAdd(1, ordering: .relaxed)
        var n = 0
        vcpu.clearEOIEntries { virq in
            eoiEntries[n] = virq
            n += 1
        }
        for i in 0..<n {
            let s = table.irq(forVirq: eoiEntries[i], domain: LiveRun.domain)
            if s != 0 { ending(s) }
        }
        for _ in 0..<min(vcpu.freeListRegisters, vcpu.queueLength) { _ = vcpu.refill() }
        gic.deactivateMaintenance(context: h)
        return true
    }

    func finish(_ m: inout LiveMetrics) {
        m.spuriousClaims = gic.spuriousClaims
        m.lostEdges = gic.lostEdges
        m.strayCompletes = 0
        m.gic = GICCounts(maintenanceIRQs: maintenance.load(ordering: .relaxed), lrOverflows: vcpu.overflowCount,
                          lrEvictions: vcpu.evictionCount, lrRefills: vcpu.refillCount)
    }
}
