import IRQCore
import IRQTrace

/// The AIA family (docs/model.md Part A): an APLIC in direct or MSI delivery mode with the harts'
/// IMSICs, and a guest that sees a trapped vPLIC or its own guest interrupt file (`vaplic-msi`).
/// Everything else is the common machine. The guest-file view, the SGEI and MSIs in flight are
/// in the neighbouring files.
final class AIAMachine: Machine, ControllerFamily {
    let platform: AIAPlatform
    let aplic: APLIC
    let mode: APLIC.DeliveryMode
    /// The guest sees its guest interrupt file (`guest_irqchip = vaplic-msi`), not a vPLIC.
    let guestFileView: Bool
    /// MSIs travel `msi_latency` ns: they go through the machine's queue (nil: delivered at once).
    var delayedMSIs: DelayedMSIs? = nil
    /// SGEI state (AIASGEI.swift).
    var sgeiTraps: UInt64 = 0
    var hgeieClearedInPeriod: UInt64 = .max

    init(scenario: Scenario, sources: SourceSettings, strategy: EndStrategy, options: ReplayOptions) throws {
        guard let mode = scenario.irqchip.aplicMode else { preconditionFailure("not an AIA irqchip") }
        let platform = AIAPlatform(mode: mode, harts: Int(scenario.harts), guestFiles: Int(scenario.guestFiles),
                                   guestHart: Int(scenario.guestHart))
        self.platform = platform
        aplic = platform.aplic
        self.mode = mode
        guestFileView = scenario.guestIRQChip == .vaplicMSI
        let view: any VirtualInterruptController = guestFileView ? platform.guestFile! : VPLIC()
        let core = IRQDescriptorTable(chip: platform.aplic, strategy: strategy, guests: [view])
        try super.init(scenario: scenario, sources: sources, strategy: strategy, options: options, core: core)
        if scenario.msiLatency > 0 {
            let d = DelayedMSIs(machine: self)
            delayedMSIs = d
            aplic.msiReceiver = d
        }
        stormCycle = aiaStormCycle
    }

    // MARK: The chip

    override func configureChip(_ s: Int, kind: RequestKind, setting: SourceSetting) throws {
        let toGuestFile = strategy == .aiaGuestFile && setting.owner == .guest
        if toGuestFile && setting.targetHart != scenario.guestHart {
            throw ReplayError("source \(s): " + Scenario.guestFileTargetError(
                source: s, targetHart: setting.targetHart, guestHart: scenario.guestHart))
        }
        platform.configure(s, edge: kind == .edge, priority: setting.priority, toGuestFile: toGuestFile)
    }

    /// A level record on a line already high changes nothing of the APLIC (A.2: only a rising
    /// input sets pending), so no hart's situation changes.
    override func chipRecord(_ s: Int, kind: RequestKind) -> Bool {
        guard kind == .level else {
            aplic.edge(s)
            return true
        }
        if aplic.isLineHigh(s) { return false }
        aplic.setLine(s, high: true)
        return true
    }

    override func chipLineFell(_ s: Int) { aplic.setLine(s, high: false) }

    override func hasPhysicalInterrupt(_ h: Int) -> Bool {
        aplic.hasInterrupt(context: h) || sgeiPending(h)
    }

    /// The common run loop, compiled for this family (RunLoop.swift).
    @_specialize(where S == TraceInput)
    override func run<S: TraceStream>(_ trace: inout S) throws -> ReplayMetrics { try replay(&trace) }

    override func finishChipMetrics() {
        m.spuriousClaims = aplic.spuriousClaims
        m.strayCompletes = 0
        m.lostEdges = platform.lostEdges
        m.stormIRQs += platform.delivery.guestStorms
        m.aia = AIACounts(platform, sgeiTraps: sgeiTraps, unservedRequests: unconsumedRequests)
    }

    /// An MSI in flight arrives (DelayedMSIs.swift).
    override func familyEventDue(_ e: FamilyEvent) throws { msiArrives(e) }

    // MARK: The guest

    /// Writes into a guest interrupt file take `msi_latency` from any hart (docs/model.md Part A,
    /// A.5), not `ipi`.
    override func injectDelay(from h: Int) -> UInt64? {
        guard guestFileView else { return super.injectDelay(from: h) }
        return scenario.msiLatency == 0 ? nil : scenario.msiLatency
    }

    override var familyHooks: FamilyHooks { [.guestWorkEnded] }

    override func familyGuestWorkEnded() throws -> Bool {
        guestFileView ? guestFileWorkEnded() : false
    }

    // MARK: Sequences

    /// An external interrupt from the APLIC (direct) or the supervisor file (MSI) goes first; an
    /// SGEI otherwise (SEI has priority over SGEI).
    override func startPhysicalSequence(_ h: Int) {
        var s = StepList()
        s.append(.trapEntry)
        if aplic.hasInterrupt(context: h) {
            s.append(mode == .msi ? .topeiClaim : .claim)
            startSequence(h, .dispatch, s, irq: 0)
        } else {
            s.append(.sgeiHandler); s.append(.trapExit)
            startSequence(h, .sgei, s, irq: 0)
        }
    }

    override func familyStepCost(_ s: Step) -> UInt64 {
        switch s {
        case .topeiClaim: scenario.topeiClaim
        case .setipnum: scenario.completeMMIO
        case .sgeiHandler: scenario.sgeiHandler
        default: preconditionFailure("not an AIA step: \(s)")
        }
    }

    override func familyStepEffect(_ h: Int, _ s: Step) throws {
        switch s {
        case .topeiClaim:
            claimEffect(h)
        case .setipnum:
            let irq = harts[h].irq
            core.perform(.retrigger, irq: irq)
            // Where the source may fire again (claim_to_complete), as a complete on the PLIC:
            // mask-unmask waits for the guest's unmask; host-owned sources end in their dispatch.
            if aplic.reopeningOperation(for: strategy, host: isHost[irq]) == .retrigger { reopened(irq) }
        case .sgeiHandler:
            sgeiHandled()
        default:
            preconditionFailure("not an AIA step: \(s)")
        }
    }

    // The storm cycles are in AIAStormCycle.swift.
    override func dispatchWasStormCycle(_ h: Int) -> Bool { aiaDispatchWasStormCycle(h) }
    override func stormCyclesSkipped(_ k: UInt64) { aiaStormCyclesSkipped(k) }

    /// The AIA's steps for the controller types' operations (docs/model.md Part A, A.7): the
    /// re-trigger is the `setipnum` step; the operations the APLIC omits for a source have no step.
    override func step(for op: ControllerOperation, irq: Int) -> Step? {
        guard aplic.performs(op, source: irq, guestFileView: guestFileView) else { return nil }
        return op == .retrigger ? .setipnum : super.step(for: op, irq: irq)
    }
}
