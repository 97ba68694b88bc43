import IRQCore
import IRQTrace

/// The GIC family (docs/model.md Part G): an Arm GICv2 with one CPU interface per hart, the
/// hypervisor in EOImode 1 (priority drop and deactivate apart), and a guest that acknowledges and
/// EOIs through list registers without trapping. The hypervisor's side is in GICSequences.swift,
/// the guest's in GICGuest.swift; everything else is the common machine.
final class GICMachine: Machine, ControllerFamily {
    let gic: GIC
    let vcpu: GICVirtualCPUInterface
    /// `direct`: guest-owned sources on the guest's hart go to the guest, not to the hypervisor.
    let direct: Bool
    /// The maintenance handler's step per EOI'd entry (the guest type's maintenance path: DIR
    /// under guest-end, ISENABLER under mask-unmask); nil when entries never ask for it.
    let maintenanceEOIStep: Step?

    /// Per hart: the steps owed by the sequence in progress (GICSequences.swift).
    var programs: [GICSequenceProgram]
    /// vIRQs whose EOI maintenance the running maintenance handler owes, in list-register order.
    var eoiEntries: [Int]
    var eoiHead = 0
    var maintenanceIRQs: UInt64 = 0
    /// The guest's untrapped step in progress while its phase is `.familyWork`.
    var guestStep = GICGuestStep.acknowledge

    init(scenario: Scenario, sources: SourceSettings, strategy: EndStrategy, options: ReplayOptions) throws {
        let gic = GIC(contexts: Int(scenario.harts))
        guard let type = GIC.guestType(for: strategy) else {
            preconditionFailure("the scenario check lets only GIC strategies through")
        }
        let vcpu = GICVirtualCPUInterface(
            listRegisters: Int(scenario.listRegisters), policy: scenario.lrPolicy, refill: scenario.lrRefill,
            mode: GIC.listRegisterMode(for: type))
        self.gic = gic
        self.vcpu = vcpu
        direct = strategy == .direct
        maintenanceEOIStep = switch type.guestEOI {
        case .maintenance(let ops) where Array(ops) == [.deactivate]: .maintEOIDeactivate
        case .maintenance(let ops) where Array(ops) == [.unmask]: .maintEOIUnmask
        case .maintenance(let ops): preconditionFailure("no maintenance step for \(Array(ops))")
        case .hardware, .trap: nil
        }
        programs = Array(repeating: GICSequenceProgram(), count: Int(scenario.harts))
        eoiEntries = Array(repeating: 0, count: GICVirtualCPUInterface.maxListRegisters)
        let core = IRQDescriptorTable(gic: gic, strategy: strategy, vcpu: vcpu, vcpuContext: Int(scenario.guestHart))
        try super.init(scenario: scenario, sources: sources, strategy: strategy, options: options, core: core)
        stormCycle = Self.stormCycle(guestEnd: type.end)
    }

    override func configureChip(_ s: Int, kind: RequestKind, setting: SourceSetting) throws {
        if direct, let problem = Scenario.directProblem(source: UInt16(s), setting: setting, guestHart: scenario.guestHart) {
            throw ReplayError(problem)
        }
        gic.setPriority(s, setting.priority)
    }

    override func chipRecord(_ s: Int, kind: RequestKind) -> Bool {
        kind == .level ? gic.setLine(s, high: true) : gic.edge(s)
    }

    override func chipLineFell(_ s: Int) { gic.setLine(s, high: false) }

    /// With `direct`, the guest's hart routes its physical interrupts to the guest (HCR_EL2.IMO
    /// clear); no host-owned source is allowed there and the vCPU interface is unused, so the
    /// hypervisor is never signalled on it.
    override func hasPhysicalInterrupt(_ h: Int) -> Bool {
        if direct && h == guestHart { return false }
        return gic.hasInterrupt(context: h)
    }

    override func guestHasPending() -> Bool {
        direct ? gic.hasSourceInterrupt(context: guestHart) : vcpu.hasPending
    }

    // Swift overrides must sit in the class body; the bodies are in GICSequences.swift and GICGuest.swift.
    override func startPhysicalSequence(_ h: Int) { gicStartPhysicalSequence(h) }
    override func familyStepCost(_ s: Step) -> UInt64 { gicStepCost(s) }
    override func familyStepEffect(_ h: Int, _ s: Step) throws { try gicStepEffect(h, s) }
    override func sequenceDrained(_ h: Int) -> Bool { gicSequenceDrained(h) }
    override var familyHooks: FamilyHooks { [.guestWorkEnded] }
    /// A refill's cost counts the queue entries it examines (`refill_scan`).
    override func stepCostVaries(_ s: Step) -> Bool { s == .lrRefill && scenario.refillScan > 0 }
    override func familyGuestWorkEnded() throws -> Bool { try gicGuestWorkEnded() }
    override func dispatchWasStormCycle(_ h: Int) -> Bool { gicDispatchWasStormCycle(h) }

    /// The common run loop, compiled for this family (RunLoop.swift).
    @_specialize(where S == TraceInput)
    override func run<S: TraceStream>(_ trace: inout S) throws -> ReplayMetrics { try replay(&trace) }

    override func finishChipMetrics() {
        m.spuriousClaims = gic.spuriousClaims
        m.strayCompletes = 0
        m.lostEdges = gic.lostEdges
        m.gic = GICCounts(maintenanceIRQs: maintenanceIRQs, lrOverflows: vcpu.overflowCount,
                          lrEvictions: vcpu.evictionCount, lrRefills: vcpu.refillCount)
    }
}
