import IRQCore

/// The AIA's validations (docs/model.md Part A, A.10): what the scenario alone rules out, and which
/// strategies each AIA controller and guest view can run. Every error names the rejected
/// combination and the setting that would allow it.
extension Scenario {
    func validateAIA() throws(ScenarioError) {
        if guestFiles > 63 {
            throw .badValue(name: "guest_files", value: String(guestFiles), reason: "a hart has at most 63 guest interrupt files (GEILEN)")
        }
        if sgeiWhenDescheduled > 1 {
            throw .badValue(name: "sgei_when_descheduled", value: String(sgeiWhenDescheduled), reason: "a flag: 0 or 1")
        }
        guard guestIRQChip == .vaplicMSI else { return }
        if irqchip == .plic {
            throw .invalid("guest_irqchip=vaplic-msi needs an AIA platform (irqchip=aplic-msi or aplic-direct), got irqchip=plic")
        }
        if guestFiles == 0 {
            throw .invalid("guest_irqchip=vaplic-msi needs a hardware guest interrupt file, got guest_files=0 (software interrupt files are not modelled)")
        }
    }

    func checkAIA(strategy: EndStrategy) throws(ScenarioError) {
        let chip = irqchip.rawValue
        switch strategy {
        case .hwEOI:
            throw .invalid("strategy hw-eoi needs irqchip=plic or gicv2, got irqchip=\(chip): the AIA has no hardware EOI for wired sources")
        case .hostEndNoretrigger where irqchip != .aplicMSI:
            throw .invalid("strategy host-end-noretrigger needs irqchip=aplic-msi, got irqchip=\(chip) (direct mode has no re-trigger to leave out)")
        case .aiaGuestFile:
            if irqchip != .aplicMSI {
                throw .invalid("strategy aia-guest-file needs irqchip=aplic-msi, got irqchip=\(chip)")
            }
            if guestIRQChip != .vaplicMSI {
                throw .invalid("strategy aia-guest-file needs guest_irqchip=vaplic-msi, got guest_irqchip=\(guestIRQChip.rawValue)")
            }
            if guestFiles == 0 {
                throw .invalid("strategy aia-guest-file needs a hardware guest interrupt file, got guest_files=0")
            }
        case .direct:
            let runs = EndStrategy.allCases.filter { $0 != .direct && (try? checkAIA(strategy: $0)) != nil }
            throw .invalid("strategy direct cannot run on irqchip=\(chip) (it runs \(Self.names(runs)))")
        case .hostEnd, .guestEnd, .maskUnmask, .hostEndRatelimit, .hostEndNoretrigger:
            break
        }
    }

    /// `check(strategy:)`, and what the per-source settings can rule out: `aia-guest-file` pins the
    /// vCPU's guest file on `guest_hart`, so every guest-owned source must target that hart.
    public func check(strategy: EndStrategy, sources: SourceSettings) throws(ScenarioError) {
        try check(strategy: strategy)
        if strategy == .direct { try checkDirect(sources: sources) }
        guard strategy == .aiaGuestFile else { return }
        for (id, s) in sources.settings.sorted(by: { $0.key < $1.key }) where s.owner == .guest && s.targetHart != guestHart {
            throw .invalid(Self.guestFileTargetError(source: Int(id), targetHart: s.targetHart, guestHart: guestHart))
        }
    }

    /// The error of a guest-owned source that aia-guest-file cannot reach (not on `guest_hart`).
    public static func guestFileTargetError(source: Int, targetHart: UInt64, guestHart: UInt64) -> String {
        "strategy aia-guest-file needs every guest-owned source on guest_hart \(guestHart) (the vCPU's guest interrupt file is there), but source \(source) has target_hart \(targetHart)"
    }

    /// The strategies this scenario and these source settings can run (what `--strategy all` means).
    public func applicableStrategies(sources: SourceSettings) -> [EndStrategy] {
        EndStrategy.allCases.filter { (try? check(strategy: $0, sources: sources)) != nil }
    }
}
