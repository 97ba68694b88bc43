import Foundation
import Testing

/// `irqbench platforms` and `--platform` as a user runs them.
struct PlatformCLITests {
    typealias CLI = CLITests

    @Test func listsEveryPresetWithItsSources() throws {
        let r = try CLI.irqbench(["platforms"], in: try CLI.scratch())
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["zcu104-bao", "zcu104-xen", "zcu104-jailhouse", "kvm-altra", "riscv-plic-estimate", "riscv-aia-estimate"] {
            #expect(r.stdout.contains(name))
        }
        #expect(r.stdout.contains("uncalibrated estimate"))
        #expect(r.stdout.contains("3e2f006c0473e1324939b67eed6a44c1d489912d"))
        #expect(r.stdout.contains("CAJHc60xQNeTwSBuPhrKO_JBuikqZ7R=BM5rkWht3YwieVXwkHg@mail.gmail.com"))
    }

    @Test func showsOnePresetWithEveryProvenance() throws {
        let r = try CLI.irqbench(["platforms", "zcu104-bao"], in: try CLI.scratch())
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("maint_handler=1484  [derived] C5: storm position 4 Bao 2948"))
        #expect(r.stdout.contains("list_registers=4  [read]"))
        #expect(r.stdout.contains("claim_mmio=100  [chosen]"))
        #expect(r.stdout.contains("lr_refill=no-pending  [read]"))
    }

    @Test func unknownPlatformIsOneLineNamingTheKnownOnes() throws {
        let d = try CLI.scratch()
        try CLI.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        for args in [["platforms", "zcu102"], ["run", "--trace", "t.csv", "--platform", "zcu102", "--quiet"]] {
            let r = try CLI.irqbench(args, in: d)
            #expect(r.status != 0)
            #expect(r.stderr.contains("unknown platform 'zcu102' (known: zcu104-bao, zcu104-xen, zcu104-jailhouse, kvm-altra, riscv-plic-estimate, riscv-aia-estimate)"), "\(r.stderr)")
        }
    }

    @Test func runRecordsThePlatformFirstThenTheOverrides() throws {
        let d = try CLI.scratch()
        try CLI.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.irqbench(["run", "--trace", "t.csv", "--platform", "riscv-plic-estimate", "--param", "claim_mmio=250",
                                  "--strategy", "guest-end", "--out", "r.csv", "--quiet"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(csv.contains(",platform=riscv-plic-estimate;claim_mmio=250,guest-end,sim,"))
    }
}

extension PlatformCLITests {
    @Test func sweepRowsStartWithThePlatformThenTheGridPoint() throws {
        let d = try CLI.scratch()
        try CLI.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.irqbench(["sweep", "--trace", "t.csv", "--platform", "riscv-plic-estimate", "--param", "claim_mmio=250",
                                  "--grid", "service=1000,2000", "--strategy", "guest-end", "--out", "s.csv"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: d.appendingPathComponent("s.csv"), encoding: .utf8)
        #expect(csv.contains(",platform=riscv-plic-estimate;service=1000;claim_mmio=250,guest-end,sim,"))
        #expect(csv.contains(",platform=riscv-plic-estimate;service=2000;claim_mmio=250,guest-end,sim,"))
    }
}

extension PlatformCLITests {
    @Test func validatePrintsEveryPredictionAndWritesResults() throws {
        let d = try CLI.scratch()
        let r = try CLI.irqbench(["validate", "--platform", "zcu104-bao", "--out", "v.csv"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        for id in ["C2", "P1", "P2", "P3", "P4", "P5", "P5b", "P6", "P7", "P8", "P9", "C5"] {
            #expect(r.stdout.contains("\n\(id) "), "\(id) missing")
        }
        #expect(r.stdout.contains("6 of 10 predictions hit; missed: P5b, P6, P8, P9"))
        #expect(r.stdout.contains("lr_overflow_cost=168"))
        let csv = try String(contentsOf: d.appendingPathComponent("v.csv"), encoding: .utf8)
        #expect(csv.contains(",sl-irqstorm,"))
        #expect(csv.contains(",platform=zcu104-bao,hw-eoi,sim,P4_storm_spike_positions_hit,0,1\n"))
        #expect(csv.contains(",platform=zcu104-bao,hw-eoi,sim,P8_storm_position0_model,0,5694\n"))
    }

    @Test func validateRefusesAPresetWithoutBenchmarks() throws {
        let r = try CLI.irqbench(["validate", "--platform", "kvm-altra"], in: try CLI.scratch())
        #expect(r.status != 0)
        #expect(r.stderr.contains("not a calibrated preset with published benchmarks (validated: zcu104-bao, zcu104-xen, zcu104-jailhouse)"))
    }
}

extension PlatformCLITests {
    /// A calibrated preset on run: the GIC with the preset's costs, --param on top, and the
    /// platform picks the controllers (the main job's --controllers is refused beside it).
    @Test func zcu104PresetRunsTheGICWithItsCostsAndOverrides() throws {
        let d = try CLI.scratch()
        try "time_ns,source,kind,count\n0,1,level,1\n".write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.irqbench(["run", "--trace", "t.csv", "--platform", "zcu104-bao", "--strategy", "hw-eoi",
                                  "--out", "r.csv", "--quiet"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        // C2's dispatch (684) + the guest's entry and IAR (222): the irqlat the preset was fitted to.
        #expect(csv.contains(",platform=zcu104-bao,hw-eoi,sim,request_to_guest_max,0,906\n"), "\(csv.prefix(600))")
        #expect(csv.contains(",platform=zcu104-bao,hw-eoi,sim,maintenance_irqs,0,0\n"))
        let o = try CLI.irqbench(["run", "--trace", "t.csv", "--platform", "zcu104-bao", "--param", "trap_entry=342",
                                  "--strategy", "hw-eoi", "--out", "o.csv", "--quiet"], in: d)
        #expect(o.status == 0, "\(o.stderr)")
        let over = try String(contentsOf: d.appendingPathComponent("o.csv"), encoding: .utf8)
        #expect(over.contains(",platform=zcu104-bao;trap_entry=342,hw-eoi,sim,request_to_guest_max,0,1006\n"))
        let c = try CLI.irqbench(["run", "--trace", "t.csv", "--platform", "zcu104-bao", "--controllers", "plic", "--quiet"], in: d)
        #expect(c.status != 0)
        #expect(c.stderr.contains("--controllers and --platform zcu104-bao both choose the controllers"), "\(c.stderr)")
    }

    @Test func liveAndBenchRecordThePlatform() throws {
        let d = try CLI.scratch()
        let trace = CLI.tracesDir.appendingPathComponent("periodic-1khz.pcap").path
        let l = try CLI.irqbench(["live", "--trace", trace, "--platform", "zcu104-jailhouse", "--strategy", "hw-eoi",
                                  "--duration", "0.2", "--reps", "1", "--out", "l.csv", "--quiet"], in: d)
        #expect(l.status == 0, "\(l.stderr)")
        let live = try String(contentsOf: d.appendingPathComponent("l.csv"), encoding: .utf8)
        #expect(live.contains(",platform=zcu104-jailhouse,hw-eoi,live,maintenance_irqs,"), "\(live.prefix(400))")
        let b = try CLI.irqbench(["bench", "--platform", "kvm-altra", "--param", "service=1000", "--strategy", "hw-eoi",
                                  "--records", "2000", "--trace-dir", "bt", "--warmup", "0", "--repetitions", "1", "--out", "b.csv"], in: d)
        #expect(b.status == 0, "\(b.stderr)")
        let bench = try String(contentsOf: d.appendingPathComponent("b.csv"), encoding: .utf8)
        #expect(bench.contains(",platform=kvm-altra;service=1000,hw-eoi,wall,requests_per_sec,0,"), "\(bench.prefix(400))")
    }
}
