import IRQCore

/// The GIC's validations (docs/model.md Part G, G.9): what the scenario alone rules out, which
/// strategies the GIC runs, and what `direct` asks of the source settings. Every error names the
/// rejected combination.
extension Scenario {
    func validateGIC() throws(ScenarioError) {
        if listRegisters < 2 || listRegisters > UInt64(GICVirtualCPUInterface.maxListRegisters) {
            throw .badValue(name: "list_registers", value: String(listRegisters),
                            reason: "must be 2...\(GICVirtualCPUInterface.maxListRegisters) (with 1 the underflow refill would fire for ever)")
        }
        if iarLoop > 1 { throw .badValue(name: "iar_loop", value: String(iarLoop), reason: "a flag: 0 or 1") }
        if irqchip == .gicv2 && guestIRQChip != .vplic {
            throw .invalid("guest_irqchip=\(guestIRQChip.rawValue) cannot run on irqchip=gicv2 (an Arm guest sees the GIC's virtual CPU interface; guest_irqchip=vplic is accepted and has no effect)")
        }
    }

    func checkGIC(strategy: EndStrategy) throws(ScenarioError) {
        if GIC.guestType(for: strategy) == nil {
            throw .invalid("strategy \(strategy.rawValue) cannot run on irqchip=gicv2 (it runs \(Self.names(GIC.strategies)))")
        }
        if strategy == .direct, let p = vcpuPeriod, let b = vcpuBudget, b < p {
            throw .invalid("strategy direct gives the whole hart to the guest, which must then always be runnable: vcpu_period=\(p) with vcpu_budget=\(b) deschedules it (docs/model.md G.6)")
        }
    }

    /// `direct` hands the guest's hart to the guest: every guest-owned source must target that
    /// hart and no host-owned one may.
    func checkDirect(sources: SourceSettings) throws(ScenarioError) {
        for (id, s) in sources.settings.sorted(by: { $0.key < $1.key }) {
            if let problem = Scenario.directProblem(source: id, setting: s, guestHart: guestHart) { throw .invalid(problem) }
        }
    }

    /// Why `direct` cannot run source `source` with `setting`, or nil (docs/model.md G.6).
    public static func directProblem(source: UInt16, setting: SourceSetting, guestHart: UInt64) -> String? {
        switch setting.owner {
        case .guest where setting.targetHart != guestHart:
            "strategy direct delivers guest-owned sources at the guest's own CPU interface on guest_hart \(guestHart), but source \(source) targets hart \(setting.targetHart) (docs/model.md G.6)"
        case .host where setting.targetHart == guestHart:
            "strategy direct gives guest_hart \(guestHart) to the guest, but host-owned source \(source) targets it (docs/model.md G.6)"
        default: nil
        }
    }
}
