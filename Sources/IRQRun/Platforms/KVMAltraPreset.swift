/// KVM on an Ampere Altra (Neoverse N1, GICv3), from kvm-unit-tests' micro-bench: the exit and
/// entry, a trapped distributor access, the guest's EOI and the cross-vCPU IPI are measured; the
/// rest of the interrupt path is not, and keeps the model's defaults.
public enum KVMAltraPreset {
    public static var preset: PlatformPreset {
        let hvc = PublishedMeasurements.kutHVC, vgic = PublishedMeasurements.kutMMIOVGIC
        let eoi = PublishedMeasurements.kutEOI, ipi = PublishedMeasurements.kutIPI
        let trap = UInt64(hvc.meanNs)
        let entry = (trap + 1) / 2
        let trapText = "hvc \(Measurement.format(hvc.meanNs)) = one exit + entry with no work; split evenly (chosen)"
        let vmmio = UInt64(vgic.meanNs) - trap
        let delay = UInt64(ipi.meanNs) - UInt64(vgic.meanNs)
        return PlatformPreset(
            name: "kvm-altra",
            summary: "KVM on Ampere Altra (Neoverse N1, GICv3, Linux 6.12-rc1): exits, vGIC access, EOI and IPI from kvm-unit-tests' micro-bench",
            calibration: .partial,
            parameters: [
                PresetParameter("irqchip", "gicv2", .chosen(reason: "the Altra has a GICv3; the model's GIC rules are GICv2's, which GICv3 keeps for list registers, EOI and deactivation (only the access costs differ, and those are the values below)")),
                PresetParameter("list_registers", 4, .chosen(reason: "the Neoverse N1's ICH_VTR_EL2.ListRegs was not found in a source read here; the model's default")),
                PresetParameter("trap_entry", entry, .derived(from: [hvc], arithmetic: "\(trapText): \(entry)")),
                PresetParameter("trap_exit", trap - entry, .derived(from: [hvc], arithmetic: "\(trapText): \(trap - entry)")),
                PresetParameter("vmmio", vmmio, .derived(from: [vgic, hvc], arithmetic: "mmio_read_vgic \(Measurement.format(vgic.meanNs)) - hvc \(Measurement.format(hvc.meanNs)) = \(vmmio): emulating a trapped distributor read")),
                PresetParameter("guest_eoir", UInt64(eoi.meanNs), .measured(eoi)),
                PresetParameter("guest_iar", UInt64(eoi.meanNs), .chosen(reason: "no IAR micro-benchmark; the measured cost of the guest's EOI write, the same kind of untrapped ICC system-register access")),
                PresetParameter("ipi", delay, .derived(from: [ipi, vgic], arithmetic: "ipi \(Measurement.format(ipi.meanNs)) - mmio_read_vgic \(Measurement.format(vgic.meanNs)) (the sender's trapped SGI write) = \(delay); an upper bound: it also holds the target vCPU's exit, entry and handler")),
                PresetParameter("iar_loop", 0, .chosen(reason: "the host kernel's GICv3 entry loop was not checked for 6.12; one IAR per trap")),
                PresetParameter("lr_policy", "priority", .read(.linuxKVM, what: "the ap_list is sorted by priority before the list registers are written")),
                PresetParameter("lr_refill", "underflow", .read(.linuxKVM, what: "vgic_set_underflow when interrupts remain beyond the list registers")),
            ],
            leftAtDefaults: ["virq_entry", "claim_mmio", "inject", "eoir_write", "dir_write", "maint_handler", "guest_min_run"])
    }
}
