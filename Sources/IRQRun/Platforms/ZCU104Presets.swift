/// The Xilinx ZCU104 (Cortex-A53 at 1.2 GHz, GIC-400) under Bao, Xen and Jailhouse, each fitted
/// to its own Shedding Light measurements (docs/validation.md "The fit") with its own policies.
public enum ZCU104Presets {
    typealias Fit = ZCU104Fit

    /// Parameters every ZCU104 preset shares: the GIC-400, the guest's side (bare metal), the splits.
    static var common: [PresetParameter] {
        let split = Fit.splitReason
        return [
            PresetParameter("irqchip", "gicv2", .read(.gic400VTR, what: "the ZCU104's interrupt controller is a GIC-400 (GICv2 with the virtualization extensions)")),
            PresetParameter("list_registers", 4, .read(.gic400VTR, what: "GICH_VTR.ListRegs = 3: four list registers")),
            Fit.virqEntry,
            PresetParameter("guest_iar", Fit.guestIAR, .chosen(reason: "the guest's GICV_IAR read: \(split)")),
            PresetParameter("guest_eoir", Fit.guestEOIR, .chosen(reason: "the guest's GICV_EOIR write: \(split)")),
            PresetParameter("claim_mmio", Fit.claimMMIO, .chosen(reason: "GICC_IAR read: \(split)")),
            PresetParameter("inject", Fit.inject, .chosen(reason: "one list-register write or queue insert: \(split)")),
            PresetParameter("eoir_write", Fit.eoirWrite, .chosen(reason: "GICC_EOIR write: \(split)")),
            PresetParameter("dir_write", Fit.dirWrite, .chosen(reason: "GICC_DIR write: \(split)")),
            PresetParameter("guest_min_run", 1, .chosen(reason: "C3: a pending physical interrupt is taken right after the return to the guest (the hardware takes it at the first instruction boundary)")),
            PresetParameter("lr_overflow_cost", 0, .chosen(reason: "the base model; docs/validation.md shows what a per-overflow cost changes (positions 0 and 1)")),
            PresetParameter("refill_scan", 0, .chosen(reason: "the base model; docs/validation.md shows what a per-entry refill scan changes (Bao's falling spikes)")),
        ]
    }

    static let baoFacts = Fit.Hypervisor(
        name: "Bao", irqlat: PublishedMeasurements.irqlatBao, iarLoop: false, timerDeactivatedByHypervisor: false,
        spike: PublishedMeasurements.stormBao.spikes[0], maintHandlerRead: nil,
        trapLat: PublishedMeasurements.trapBao, sgiLat: PublishedMeasurements.sgiBao, ipiLat: PublishedMeasurements.ipiBao)

    static let xenFacts = Fit.Hypervisor(
        name: "Xen", irqlat: PublishedMeasurements.irqlatXen, iarLoop: true, timerDeactivatedByHypervisor: true,
        spike: nil,
        maintHandlerRead: (0, .xen, "maintenance_interrupt is an empty handler: the refill happens on the way back to the guest, which the trap costs already hold"),
        trapLat: PublishedMeasurements.trapXen, sgiLat: PublishedMeasurements.sgiXen, ipiLat: PublishedMeasurements.ipiXen)

    static let jailhouseFacts = Fit.Hypervisor(
        name: "Jailhouse", irqlat: PublishedMeasurements.irqlatJailhouse, iarLoop: true, timerDeactivatedByHypervisor: false,
        spike: PublishedMeasurements.stormJailhouse.spikes[0], maintHandlerRead: nil,
        trapLat: PublishedMeasurements.trapJailhouse, sgiLat: PublishedMeasurements.sgiJailhouse, ipiLat: PublishedMeasurements.ipiJailhouse)

    /// A calibrated ZCU104 preset: the shared parameters, the hypervisor's policies (read in its
    /// code), then the costs fitted to its own measurements.
    static func preset(_ name: String, _ h: Fit.Hypervisor, policies: [PresetParameter]) -> PlatformPreset {
        PlatformPreset(
            name: name,
            summary: "ZCU104 (Cortex-A53 1.2 GHz, GIC-400) under \(h.name), fitted to its Shedding Light measurements",
            calibration: .calibrated,
            parameters: common + policies + Fit.trapParameters(h) + [Fit.maintHandler(h), Fit.vmmio(h), Fit.ipi(h)])
    }

    /// Bao: one IAR per trap, priority eviction, refill when no list register is pending (NPIE).
    public static let bao = preset("zcu104-bao", baoFacts, policies: [
        PresetParameter("iar_loop", 0, .read(.bao, what: "gic_handle reads GICC_IAR once per trap")),
        PresetParameter("lr_policy", "priority", .read(.bao, what: "a newcomer evicts the lowest-priority pending list register; spilled interrupts refill by priority")),
        PresetParameter("lr_refill", "no-pending", .read(.bao, what: "GICH_HCR.NPIE is set when an interrupt is spilled")),
    ])

    /// Xen: IAR loop, priority-sorted pending list with eviction, underflow refill.
    public static let xen = preset("zcu104-xen", xenFacts, policies: [
        PresetParameter("iar_loop", 1, .read(.xen, what: "gic_interrupt reads GICC_IAR until it returns a special ID")),
        PresetParameter("lr_policy", "priority", .read(.xen, what: "lr_pending is sorted by priority and lower-priority pending entries are evicted")),
        PresetParameter("lr_refill", "underflow", .read(.xen, what: "on the way back to the guest, GICH_HCR.UIE is set when interrupts wait in lr_pending and every list register is in use")),
    ])

    /// Jailhouse: IAR loop, FIFO without eviction, underflow refill.
    public static let jailhouse = preset("zcu104-jailhouse", jailhouseFacts, policies: [
        PresetParameter("iar_loop", 1, .read(.jailhouse, what: "irqchip_handle_irq reads IAR1 until 1023")),
        PresetParameter("lr_policy", "fifo", .read(.jailhouse, what: "waiting interrupts go to a FIFO ring (pending_irqs), nothing is evicted")),
        PresetParameter("lr_refill", "underflow", .read(.jailhouse, what: "GICH_HCR.UIE is set when no list register is free")),
    ])
}
