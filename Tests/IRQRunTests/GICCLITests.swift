import Foundation
import Testing

/// `irqbench run` on the Arm GIC (docs/model.md Part G), as a user runs it.
struct GICCLITests {
    @Test func strategyAllRunsEveryGICStrategyWithTheGICCountsAndParams() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try CLITests.irqbench(["run", "--trace", "t.csv", "--out", "r.csv", "--quiet", "--param", "irqchip=gicv2",
                                       "--param", "lr_policy=fifo"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        for s in ["host-end", "guest-end", "mask-unmask", "hw-eoi", "host-end-ratelimit", "direct"] {
            #expect(csv.contains(",irqchip=gicv2;lr_policy=fifo,\(s),sim,maintenance_irqs,0,"), "\(s)")
        }
        #expect(!csv.contains("aia-guest-file") && !csv.contains("host-end-noretrigger"))
    }

    @Test func theGICCountsAreNotRowsOnThePLIC() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try CLITests.irqbench(["run", "--trace", "t.csv", "--out", "r.csv", "--quiet"], in: d)
        #expect(r.status == 0)
        let csv = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(!csv.contains("maintenance_irqs") && !csv.contains(",direct,"))
    }

    @Test func refusedCombinationsGetOneLineAndNoResults() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try #"{"1": {"target_hart": 1}}"#.write(to: d.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--param", "irqchip=gicv2", "--param", "list_registers=1"], "list_registers"),
            (["--param", "irqchip=gicv2", "--strategy", "aia-guest-file"], "cannot run on irqchip=gicv2"),
            (["--strategy", "direct"], "cannot run on irqchip=plic"),
            (["--param", "irqchip=gicv2", "--param", "vcpu_period=5000", "--param", "vcpu_budget=2500", "--strategy", "direct"],
             "always be runnable"),
            (["--param", "irqchip=gicv2", "--param", "harts=2", "--sources", "s.json", "--strategy", "direct"],
             "source 1 targets hart 1"),
            (["--param", "irqchip=gicv2", "--param", "lr_refill=sometimes"], "lr_refill"),
        ]
        for (extra, message) in cases {
            let r = try CLITests.irqbench(["run", "--trace", "t.csv", "--out", "r.csv", "--quiet"] + extra, in: d)
            #expect(r.status != 0, "\(extra)")
            #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("r.csv").path), "\(extra)")
        }
    }
}
