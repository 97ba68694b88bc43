/// The published numbers the presets use, as cited facts. The Shedding Light means are those of
/// scripts/calibration/shedding-light-derived.csv (a test checks every one against that file);
/// the micro-bench numbers are copied from the cited message.
public enum PublishedMeasurements {
    // MARK: Shedding Light (ZCU104), every sample of the "solo" runs

    private static func sl(_ quantity: String, _ hypervisor: String, _ what: String, _ mean: Double,
                           _ lo: Double, _ hi: Double, n: Int, _ role: Measurement.Role, file: String) -> Measurement {
        Measurement(id: "sl.\(quantity).\(hypervisor)", what: what, meanNs: mean, minNs: lo, maxNs: hi,
                    samples: n, role: role, citation: .sheddingLight, file: "experiments/irqlat/\(file)")
    }

    private static let irqlatWhat = "irqlat: virtual-timer deadline to the guest handler's timestamp after its IAR"
    private static let tailWhat = "irqlat-end - irqlat: the handler's EOIR write, 15 loop iterations and a counter read"

    // irqlat (C1, C2; direct injection and the handler tail are predictions P1, P2)
    public static let irqlatBaremetal = sl("irqlat", "baremetal", irqlatWhat + " (no hypervisor)", 222.20, 190, 250, n: 200, .fit, file: "irqlat-base/baremetal+solo")
    public static let irqlatBao = sl("irqlat", "bao", irqlatWhat + " (Bao)", 905.85, 840, 930, n: 200, .fit, file: "irqlat-base/bao+solo")
    public static let irqlatXen = sl("irqlat", "xen", irqlatWhat + " (Xen)", 3328.35, 3260, 3440, n: 200, .fit, file: "irqlat-base/xen+solo")
    public static let irqlatJailhouse = sl("irqlat", "jailhouse", irqlatWhat + " (Jailhouse)", 1094.40, 1060, 1140, n: 200, .fit, file: "irqlat-base/jailhouse+solo")
    public static let irqlatDirectBao = sl("irqlat_di", "bao", irqlatWhat + " (Bao, direct injection)", 222.75, 200, 240, n: 200, .check, file: "irqlat-di/bao+solo")
    public static let irqlatDirectJailhouse = sl("irqlat_di", "jailhouse", irqlatWhat + " (Jailhouse, direct injection)", 222.35, 190, 240, n: 200, .check, file: "irqlat-di/jailhouse+solo")
    public static let tailBaremetal = sl("irqlat_end_minus_irqlat", "baremetal", tailWhat + " (no hypervisor)", 113.85, 110, 140, n: 200, .fit, file: "irqlat-base/baremetal+solo")
    public static let tailBao = sl("irqlat_end_minus_irqlat", "bao", tailWhat + " (Bao)", 118.25, 110, 140, n: 200, .check, file: "irqlat-base/bao+solo")
    public static let tailXen = sl("irqlat_end_minus_irqlat", "xen", tailWhat + " (Xen)", 119.50, 110, 140, n: 200, .check, file: "irqlat-base/xen+solo")
    public static let tailJailhouse = sl("irqlat_end_minus_irqlat", "jailhouse", tailWhat + " (Jailhouse)", 119.90, 110, 140, n: 200, .check, file: "irqlat-base/jailhouse+solo")

    // ipi (C6 and the cross-core delay)
    private static let trapWhat = "ipi trap-lat: duration of the guest's trapped GICD_SGIR write"
    private static let sgiWhat = "ipi sgi-lat: guest write to the timestamp inside the hypervisor's SGI emulation"
    private static let ipiWhat = "ipi ipi-lat: guest write to the target core's handler timestamp"
    public static let trapBaremetal = sl("ipi_trap_lat", "baremetal", "ipi trap-lat: duration of the GICD_SGIR write (no hypervisor: not trapped)", 30.75, 10, 60, n: 200, .fit, file: "ipi/baremetal")
    public static let trapBao = sl("ipi_trap_lat", "bao", trapWhat + " (Bao)", 1245.60, 1190, 1310, n: 200, .fit, file: "ipi/bao")
    public static let trapXen = sl("ipi_trap_lat", "xen", trapWhat + " (Xen)", 2980.40, 2900, 3070, n: 200, .fit, file: "ipi/xen")
    public static let trapJailhouse = sl("ipi_trap_lat", "jailhouse", trapWhat + " (Jailhouse)", 1941.15, 1870, 2090, n: 200, .fit, file: "ipi/jailhouse")
    public static let sgiBao = sl("ipi_sgi_lat", "bao", sgiWhat + " (Bao)", 660.35, 620, 710, n: 200, .fit, file: "ipi/bao")
    public static let sgiXen = sl("ipi_sgi_lat", "xen", sgiWhat + " (Xen)", 1848.45, 1780, 1930, n: 200, .fit, file: "ipi/xen")
    public static let sgiJailhouse = sl("ipi_sgi_lat", "jailhouse", sgiWhat + " (Jailhouse)", 1026.75, 960, 1190, n: 200, .fit, file: "ipi/jailhouse")
    public static let ipiBao = sl("ipi_ipi_lat", "bao", ipiWhat + " (Bao)", 2708.60, 2620, 2810, n: 200, .fit, file: "ipi/bao")
    public static let ipiXen = sl("ipi_ipi_lat", "xen", ipiWhat + " (Xen)", 4797.70, 4710, 4890, n: 200, .fit, file: "ipi/xen")
    public static let ipiJailhouse = sl("ipi_ipi_lat", "jailhouse", ipiWhat + " (Jailhouse)", 2319.00, 2240, 2490, n: 200, .fit, file: "ipi/jailhouse")

    // irqstorm: 8 lines raised together, the first handler raises 8 more; interval i ends at
    // handler i's timestamp (position 0 starts at the raising write). 50 runs.
    private static func storm(_ position: Int, _ hypervisor: String, _ mean: Double, _ lo: Double, _ hi: Double,
                              _ role: Measurement.Role) -> Measurement {
        sl("irqstorm_pos\(position)", hypervisor, "irqstorm position \(position) (\(hypervisor))", mean, lo, hi,
           n: 50, role, file: "irqstorm/\(hypervisor)")
    }
    public static let stormPos1Baremetal = storm(1, "baremetal", 700.00, 680, 730, .fit)
    public static let stormSteadyBaremetal = sl("irqstorm_nonspike_pos2_15", "baremetal", "irqstorm positions 2-15 without 4, 7, 10, 13 (no hypervisor)", 630.28, 620, 640, n: 500, .fit, file: "irqstorm/baremetal")

    /// Positions 0, 1, 4, 7, 10, 13 and the non-spike mean of one hypervisor.
    public struct Storm: Sendable {
        public let hypervisor: String
        public let position0: Measurement
        public let position1: Measurement
        /// Positions 4, 7, 10, 13.
        public let spikes: [Measurement]
        public let steady: Measurement
        /// Runs (of `runs`) whose positions 2-15 above 1500 ns are exactly 4, 7, 10, 13.
        public let runsWithSpikesAt4_7_10_13: Int
        /// Runs (of `runs`) in which the benchmark's own check found handlers in priority order.
        public let runsInPriorityOrder: Int
        public let runs: Int
    }

    private static func steady(_ hypervisor: String, _ mean: Double, _ lo: Double, _ hi: Double) -> Measurement {
        sl("irqstorm_nonspike_pos2_15", hypervisor, "irqstorm positions 2-15 without 4, 7, 10, 13 (\(hypervisor))",
           mean, lo, hi, n: 500, .check, file: "irqstorm/\(hypervisor)")
    }

    /// One hypervisor's storm: (mean, min, max) of positions 0, 1, 4, 7, 10, 13 and of the
    /// non-spike positions; position 4 is a fit measurement where it sets `maint_handler`.
    private static func storm(_ h: String, _ p: [(Double, Double, Double)], steady st: (Double, Double, Double),
                              spikeFitted: Bool, inOrder: Int) -> Storm {
        let spikes = zip([4, 7, 10, 13], p[2...]).map { pos, v in
            storm(pos, h, v.0, v.1, v.2, pos == 4 && spikeFitted ? .fit : .check)
        }
        return Storm(hypervisor: h, position0: storm(0, h, p[0].0, p[0].1, p[0].2, .check),
                     position1: storm(1, h, p[1].0, p[1].1, p[1].2, .check), spikes: spikes,
                     steady: steady(h, st.0, st.1, st.2), runsWithSpikesAt4_7_10_13: 50, runsInPriorityOrder: inOrder, runs: 50)
    }

    /// Bao: position 4 sets `maint_handler` (C5); the rest are checks.
    public static let stormBao = storm("bao", [(6365.40, 6300, 6450), (9358.00, 9310, 9410), (2948.00, 2910, 2990),
                                               (2675.20, 2620, 2720), (2432.20, 2400, 2460), (2036.60, 2020, 2060)],
                                       steady: (636.12, 620, 670), spikeFitted: true, inOrder: 50)

    /// Xen: nothing of the storm is fitted (its maintenance handler is empty in the code).
    public static let stormXen = storm("xen", [(11156.40, 11060, 11280), (9655.00, 9580, 9770), (3433.60, 3420, 3460),
                                               (3381.20, 3360, 3420), (3348.40, 3330, 3380), (2925.80, 2910, 2970)],
                                       steady: (637.76, 630, 670), spikeFitted: false, inOrder: 50)

    /// Jailhouse: position 4 sets `maint_handler` (C5).
    public static let stormJailhouse = storm("jailhouse", [(6733.20, 6680, 6820), (7475.40, 7430, 7650), (3219.20, 3200, 3260),
                                                           (3189.60, 3150, 3200), (3195.60, 3190, 3230), (2084.20, 2070, 2120)],
                                             steady: (626.56, 620, 660), spikeFitted: true, inOrder: 0)

    // MARK: kvm-unit-tests micro-bench (Ampere Altra, Linux v6.12-rc1)

    private static func kut(_ name: String, _ what: String, _ mean: Double, _ role: Measurement.Role) -> Measurement {
        Measurement(id: "kut.\(name)", what: what, meanNs: mean, minNs: nil, maxNs: nil, samples: 1,
                    role: role, citation: .kvmMicroBench, file: "arm/micro-bench \(name), Baseline avg ns")
    }
    public static let kutHVC = kut("hvc", "hvc: a guest hypercall KVM answers at once (exit + entry)", 306, .fit)
    public static let kutMMIOVGIC = kut("mmio_read_vgic", "mmio_read_vgic: a guest read of GICD_IIDR, trapped and emulated in the kernel", 451, .fit)
    public static let kutEOI = kut("eoi", "eoi: a guest EOI write of the spurious ID 1023, not trapped", 14, .fit)
    public static let kutIPI = kut("ipi", "ipi: a guest SGI to a vCPU on another core until that vCPU's handler has run", 1926, .fit)

    /// Every measurement above, for listing and for the consistency test.
    public static let all: [Measurement] = [
        irqlatBaremetal, irqlatBao, irqlatXen, irqlatJailhouse, irqlatDirectBao, irqlatDirectJailhouse,
        tailBaremetal, tailBao, tailXen, tailJailhouse,
        trapBaremetal, trapBao, trapXen, trapJailhouse, sgiBao, sgiXen, sgiJailhouse, ipiBao, ipiXen, ipiJailhouse,
        stormPos1Baremetal, stormSteadyBaremetal,
    ] + [stormBao, stormXen, stormJailhouse].flatMap { [$0.position0, $0.position1] + $0.spikes + [$0.steady] }
      + [kutHVC, kutMMIOVGIC, kutEOI, kutIPI]
}
