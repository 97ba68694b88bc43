import IRQCore
import IRQTrace

/// The PLIC family (docs/model.md §3): a RISC-V PLIC with one context per hart, and guests that
/// see a trapped vPLIC (§6). Everything else is the common machine.
final class PLICMachine: Machine, ControllerFamily {
    let plic: PLIC
    /// The guest's vPLIC, its type known (`Machine.vguest` is the protocol's).
    let vplic: VPLIC
    let stormSteps = StormCycle.claimInjectComplete.steps

    init(scenario: Scenario, sources: SourceSettings, strategy: EndStrategy, options: ReplayOptions) throws {
        // One engine drives this core from one thread: plain read-modify-writes (WordAccess).
        let plic = PLIC(contexts: Int(scenario.harts), edgeQueue: UInt32(scenario.edgeQueue), access: .exclusive)
        self.plic = plic
        let core = IRQDescriptorTable(plic: plic, strategy: strategy, domains: 1, access: .exclusive)
        vplic = core.vplic(Self.domain)
        try super.init(scenario: scenario, sources: sources, strategy: strategy, options: options, core: core)
        stormCycle = .claimInjectComplete
    }

    override func configureChip(_ s: Int, kind: RequestKind, setting: SourceSetting) throws {
        plic.setEdgeTriggered(s, kind == .edge)
        plic.setPriority(s, setting.priority)
    }

    @inline(__always)
    override func chipRecord(_ s: Int, kind: RequestKind) -> Bool {
        kind == .level ? plic.setLine(s, high: true) : plic.edge(s)
    }

    @inline(__always)
    override func chipLineFell(_ s: Int) { plic.setLine(s, high: false) }

    @inline(__always)
    override func hasPhysicalInterrupt(_ h: Int) -> Bool { plic.hasInterrupt(context: h) }

    /// A storm cycle clears the source's pending bit at the claim and sets it again at the complete
    /// (its line is still high, §3); nothing else of the PLIC changes.
    override func dispatchWasStormCycle(_ h: Int) -> Bool { harts[h].steps == stormSteps }

    /// The PLIC schedules nothing of its own and its steps cost constants (TrapEntryFolding.swift).
    override var foldsTrapEntries: Bool { true }

    /// The common run loop, compiled for this family (RunLoop.swift).
    @_specialize(where S == TraceInput)
    override func run<S: TraceStream>(_ trace: inout S) throws -> ReplayMetrics { try replay(&trace) }

    override func finishChipMetrics() {
        m.spuriousClaims = plic.spuriousClaims
        m.strayCompletes = plic.strayCompletes
        m.lostEdges = plic.lostEdges
    }

    /// The vPLIC's pending summary read inline, without the protocol's call (most decisions ask).
    override func guestHasPending() -> Bool { vplic.hasPending }
}
