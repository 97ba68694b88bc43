import IRQReplay

/// The model's default costs, named as platforms so that results say plainly that nothing of them
/// is measured. No RISC-V interrupt-path measurement was found published (docs/validation.md).
public enum EstimatePresets {
    static let reason = "uncalibrated estimate: the model's default; no published RISC-V measurement sets it"

    /// The PLIC path's costs (the workload's service times and the rate limiter are not platform costs).
    static let plicCosts = [
        "trap_entry", "trap_exit", "guest_min_run", "vmmio", "claim_mmio", "complete_mmio", "mask_mmio",
        "unmask_mmio", "inject", "ipi", "virq_entry", "hw_eoi",
    ]

    /// The AIA path's own costs besides the PLIC ones it reuses (docs/model.md A.10).
    static let aiaCosts = ["topei_claim", "vtopei", "msi_latency", "sgei_handler"]

    /// The model's defaults of `names`, each labelled an uncalibrated estimate.
    static func defaults(_ names: [String]) -> [PresetParameter] {
        let d = Scenario()
        return names.compactMap { name in
            Scenario.parameters.first { $0.name == name }.map { PresetParameter(name, d[keyPath: $0.key], .chosen(reason: reason)) }
        }
    }

    public static var plic: PlatformPreset {
        let chip = PresetParameter("irqchip", "plic", .chosen(reason: "the platform's controller, the RISC-V PLIC (docs/model.md §3); the costs below are uncalibrated estimates"))
        return PlatformPreset(
            name: "riscv-plic-estimate",
            summary: "a RISC-V PLIC under a Xen-like hypervisor with the model's round-number costs (not measured)",
            calibration: .estimate, parameters: [chip] + defaults(plicCosts))
    }

    /// The AIA with MSI delivery and one hardware guest interrupt file for the vCPU.
    public static var aia: PlatformPreset {
        let setup = [
            PresetParameter("irqchip", "aplic-msi", .chosen(reason: "the platform's controller, the RISC-V AIA with MSI delivery (docs/model.md A.4); the costs below are uncalibrated estimates")),
            PresetParameter("guest_irqchip", "vaplic-msi", .chosen(reason: "the guest sees its own interrupt file (docs/model.md A.6); an uncalibrated estimate of a typical set-up")),
            PresetParameter("guest_files", 1, .chosen(reason: "one hardware guest interrupt file per hart: an uncalibrated estimate of a typical set-up")),
        ]
        return PlatformPreset(
            name: "riscv-aia-estimate",
            summary: "a RISC-V AIA (APLIC in MSI mode, IMSIC with one guest file) with the model's round-number costs (not measured)",
            calibration: .estimate, parameters: setup + defaults(plicCosts.filter { $0 != "hw_eoi" } + aiaCosts))
    }
}
