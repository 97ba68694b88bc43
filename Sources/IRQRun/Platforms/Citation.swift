/// Where a number or a rule of a platform preset comes from: a paper and its artifact, a mailing
/// list message, a register reference, or the source code of the hypervisor that was measured.
public struct Citation: Sendable, Hashable {
    /// Short key used in tables (`SL`, `KUT`, ...).
    public let key: String
    /// The full reference: authors, title, venue or repository, commit, file.
    public let reference: String

    public init(key: String, reference: String) {
        self.key = key
        self.reference = reference
    }
}

extension Citation {
    /// The Shedding Light paper and the raw data of its artifact (the numbers are computed by
    /// scripts/calibration/shedding_light.py; the artifact carries no license, so only the derived
    /// numbers are in this project).
    public static let sheddingLight = Citation(
        key: "SL",
        reference: """
            J. Martins and S. Pinto, "Shedding Light on Static Partitioning Hypervisors for \
            Arm-based Mixed-Criticality Systems", RTAS 2023. Artifact: \
            github.com/ESRGv3/shedding-light-static-partitioning-hypervisors, commit \
            3e2f006c0473e1324939b67eed6a44c1d489912d, raw files experiments/irqlat/ (removed again \
            in later commits). Xilinx ZCU104: Cortex-A53 at 1.2 GHz, GIC-400. Means over every \
            sample, timer ticks x 10 ns, computed by scripts/calibration/shedding_light.py \
            (output: scripts/calibration/shedding-light-derived.csv).
            """)

    /// kvm-unit-tests' arm/micro-bench on an Ampere Altra, posted to the kernel mailing lists.
    public static let kvmMicroBench = Citation(
        key: "KUT",
        reference: """
            R. R. Ananta, "Re: [PATCH v2] KVM: arm64: Get rid of userspace_irqchip_in_use", \
            linux-kernel / kvmarm / stable mailing lists, 29 Oct 2024, Message-ID \
            <CAJHc60xQNeTwSBuPhrKO_JBuikqZ7R=BM5rkWht3YwieVXwkHg@mail.gmail.com> \
            (lore.kernel.org/all/CAJHc60xQNeTwSBuPhrKO_JBuikqZ7R=BM5rkWht3YwieVXwkHg@mail.gmail.com): \
            kvm-unit-tests arm/micro-bench on Ampere Altra (Neoverse N1, GICv3), host kernel \
            v6.12-rc1, the "Baseline" table (avg ns per operation, 65536 iterations or 5 s).
            """)

    /// The GIC-400's list register count, from the SoC's register reference.
    public static let gic400VTR = Citation(
        key: "VTR",
        reference: """
            GICH_VTR of the GIC-400 resets to 0x90000003: AMD UG1087 "Zynq UltraScale+ Devices \
            Register Reference", GICH_VTR_Alias0 (GIC400); the same reset value in Intel's Agilex \
            GIC-400 register map (i_gic_wrapper_VCPUifHyp). ListRegs = bits [5:0] + 1 = 4.
            """)

    /// The Bao that was measured.
    public static let bao = Citation(
        key: "BAO",
        reference: """
            github.com/ESRGv3/bao-shedlight at 292129d (branch shedding-light, pinned by the \
            artifact): src/arch/armv8/gic.c gic_handle reads GICC_IAR once per trap; \
            src/arch/armv8/vgic.c evicts a lower-priority pending list register to the spilled \
            lists and sets GICH_HCR.NPIE when it spills, refilling by priority.
            """)

    /// The Xen that was measured.
    public static let xen = Citation(
        key: "XEN",
        reference: """
            github.com/ESRGv3/xen-shedlight at cf7c3b4 (pinned by the artifact): \
            xen/arch/arm/gic.c gic_interrupt reads GICC_IAR in a loop until a special ID; \
            maintenance_interrupt is an empty handler (refills happen on every return to the \
            guest); xen/arch/arm/time.c requests the virtual-timer PPI for Xen itself \
            (vtimer_interrupt masks the timer and injects the virtual interrupt, no HW bit); \
            xen/arch/arm/gic-vgic.c keeps lr_pending sorted by priority, evicts lower-priority \
            pending entries and sets GICH_HCR.UIE.
            """)

    /// The Jailhouse that was measured.
    public static let jailhouse = Citation(
        key: "JH",
        reference: """
            github.com/ESRGv3/jailhouse-shedlight at e537779: hypervisor/arch/arm-common/irqchip.c \
            irqchip_handle_irq reads IAR1 in a loop until 1023 and keeps waiting interrupts in a \
            FIFO ring (pending_irqs) without eviction; hypervisor/arch/arm-common/gic-v2.c sets \
            GICH_HCR.UIE when no list register is free and injects with the HW bit.
            """)

    /// The model's own documentation, for values chosen where no measurement decides.
    public static let model = Citation(
        key: "MODEL",
        reference: "docs/model.md (parameters and their defaults) and docs/validation.md (the fit)")
}

extension Citation {
    /// KVM's list-register policy.
    public static let linuxKVM = Citation(
        key: "KVM",
        reference: """
            torvalds/linux arch/arm64/kvm/vgic/vgic.c (v6.x): vgic_flush_lr_state sorts the vCPU's \
            ap_list by priority when it holds more interrupts than list registers, writes the \
            first ones to the list registers and calls vgic_set_underflow for the rest; the list \
            is flushed on every entry to the guest.
            """)
}
