import Foundation
import Testing

/// `irqbench sweep`, `merge` and `crossover` run as a user runs them, and one real sweep of a
/// shipped trace checked against reasoning by hand.
struct SweepCLITests {
    static let periodic = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("traces/periodic-1khz.pcap").path

    func run(_ args: [String], in d: URL) throws -> CLITests.Output { try CLITests.irqbench(args, in: d) }

    /// periodic-1khz.pcap holds isolated requests (1 ms apart), each the worked example of
    /// docs/model.md §10: request_to_done is 3200 ns under guest-end and 28050 ns under host-end at
    /// the defaults. Under guest-end nothing interrupts the guest's handler (§10.1), so the time
    /// grows one for one with `service`. Under host-end (§10.2) the service advances 50 ns
    /// (guest_min_run) per 600 ns storm cycle (a 550 ns dispatch each time), so it grows by 12 ns
    /// per ns of service. Guest-end wins at every service.
    @Test func realSweepMatchesReasoningByHand() throws {
        let d = try CLITests.scratch()
        let r = try run(["sweep", "--trace", Self.periodic, "--strategy", "host-end,guest-end",
                         "--grid", "service=1000..4000*2", "--out", "s.csv"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3 grid points x 1 trace(s) x 2 strategies = 6 replays"))
        let c = try run(["crossover", "s.csv", "--metric", "request_to_done_mean", "--baseline", "host-end", "--format", "csv"], in: d)
        #expect(c.status == 0, "\(c.stderr)")
        func expected(_ s: Int) -> (host: Int, guest: Int) { (28050 + 12 * (s - 2000), 3200 + (s - 2000)) }
        var lines = ["trace,others,metric,param,value,best,best_value,changed_from,beats_baseline,host-end,guest-end"]
        for s in [1000, 2000, 4000] {
            let e = expected(s)
            lines.append("periodic-1khz.pcap,,request_to_done_mean,service,\(s),guest-end,\(e.guest),,guest-end,\(e.host),\(e.guest)")
        }
        #expect(c.stdout == lines.joined(separator: "\n") + "\n")
        let t = try run(["crossover", "s.csv", "--metric", "request_to_done_mean", "--baseline", "host-end"], in: d)
        #expect(t.stdout.contains("guest-end beats host-end on request_to_done_mean at every swept service (1000 to 4000)"))
    }

    @Test func shardsMergeIntoTheUnshardedFileAndMergeRefusesAMissingPart() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let sweep = ["sweep", "--trace", "t.csv", "--grid", "service=1000,5000", "--grid", "harts=1,2"]
        #expect(try run(sweep + ["--out", "whole.csv", "--jobs", "2"], in: d).status == 0)
        for i in 0..<3 {
            let r = try run(sweep + ["--out", "part\(i).csv", "--shard", "\(i)/3", "--jobs", "1"], in: d)
            #expect(r.status == 0, "\(r.stderr)")
            // 4 points x 5 strategies = 20 replays: parts of 7, 7 and 6.
            #expect(r.stdout.contains("part \(i)/3: \([7, 7, 6][i])"), "\(r.stdout)")
        }
        let m = try run(["merge", "part2.csv", "part0.csv", "part1.csv", "--out", "merged.csv"], in: d)
        #expect(m.status == 0, "\(m.stderr)")
        #expect(try Data(contentsOf: d.appendingPathComponent("merged.csv")) == Data(contentsOf: d.appendingPathComponent("whole.csv")))

        let missing = try run(["merge", "part2.csv", "part0.csv", "--out", "m2.csv"], in: d)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("error: missing: part 1/3"))
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("m2.csv").path))
    }

    /// Slurm's array variables choose the part when --shard is not given.
    @Test func slurmArrayVariablesChooseThePart() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = ["sweep", "--trace", "t.csv", "--grid", "service=1000,5000", "--out", "p.csv"]
        p.currentDirectoryURL = d
        var env = ProcessInfo.processInfo.environment
        env["IRQBENCH_COMMIT"] = "testcommit"
        env["SLURM_ARRAY_TASK_ID"] = "12"
        env["SLURM_ARRAY_TASK_MIN"] = "10"
        env["SLURM_ARRAY_TASK_COUNT"] = "4"
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let text = try String(contentsOf: d.appendingPathComponent("p.csv"), encoding: .utf8)
        #expect(text.hasPrefix("# irqbench-sweep-part: 2/4\n"))
    }

    @Test func aFailedPointIsReportedWithItsParametersAndExitsOne() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try run(["sweep", "--trace", "t.csv", "--strategy", "guest-end", "--grid", "harts=1,2",
                         "--grid", "guest_hart=0,1", "--out", "r.csv"], in: d)
        #expect(r.status == 1)
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors == ["error: replay 1 failed at harts=1;guest_hart=1 t.csv guest-end: guest_hart 1 is not a hart (harts = 1)"])
        let csv = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(csv.contains(",harts=2;guest_hart=1,guest-end,"))
        #expect(r.stdout.contains("1 replays failed"))
    }

    @Test func badSweepArgumentsAreRefusedOnOneLine() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try "service=1\nnonsense\n".write(to: d.appendingPathComponent("bad.grid"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--grid", "service=1..5"], "is not a range"),
            (["--grid", "servise=1,2"], "unknown parameter 'servise'"),
            (["--grid", "service=1,x"], "service=x"),
            (["--grid", "service=1", "--param", "service=5"], "both swept"),
            (["--grid-file", "bad.grid"], "bad.grid:2"),
            (["--shard", "3/3"], "i must be 0...2"),
            (["--trace", "nope.csv"], "nope.csv"),
        ]
        for (extra, message) in cases {
            let base = extra.contains("--trace") ? ["sweep", "--out", "r.csv"] : ["sweep", "--trace", "t.csv", "--out", "r.csv"]
            let r = try run(base + extra, in: d)
            #expect(r.status != 0, "\(extra)")
            #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("r.csv").path), "\(extra)")
        }
    }

    /// vcpu_period fixed with --param and vcpu_budget swept: neither alone is a valid scenario.
    @Test func theGridMayCompleteTheFixedScenario() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let r = try run(["sweep", "--trace", "t.csv", "--param", "vcpu_period=100000", "--grid", "vcpu_budget=50000,100000",
                         "--strategy", "guest-end", "--dry-run"], in: d)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "2 grid points x 1 trace(s) x 1 strategy = 2 replays\n")
    }

    /// The pictures of a two-parameter sweep: a line plot per slice, a win map per trace.
    @Test func plotsCrossoversAndWinMaps() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let sweep = try run(["sweep", "--trace", "t.csv", "--strategy", "host-end,guest-end", "--grid", "service=1000,4000",
                             "--grid", "guest_min_run=50,500", "--out", "s.csv"], in: d)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let lines = try run(["plot", "crossover", "s.csv", "--metric", "request_to_done_p99", "--over", "service", "--out", "p"], in: d)
        #expect(lines.status == 0, "\(lines.stderr)")
        #expect(lines.stdout.split(separator: "\n") == ["p/t-request_to_done_p99-over-service-guest_min_run-50.png",
                                                       "p/t-request_to_done_p99-over-service-guest_min_run-500.png"])
        let map = try run(["plot", "winmap", "s.csv", "--metric", "hyp_busy", "--x", "service", "--y", "guest_min_run",
                           "--strategy", "host-end,guest-end", "--out", "p", "--format", "svg"], in: d)
        #expect(map.status == 0, "\(map.stderr)")
        #expect(map.stdout == "p/t-hyp_busy-winmap-service-guest_min_run.svg\n")
        let png = try Data(contentsOf: d.appendingPathComponent("p/t-request_to_done_p99-over-service-guest_min_run-50.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let svg = try String(contentsOf: d.appendingPathComponent("p/t-hyp_busy-winmap-service-guest_min_run.svg"), encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("best strategy"))
        let bad = try run(["plot", "winmap", "s.csv", "--metric", "guest_interrupts", "--x", "service", "--y", "guest_min_run"], in: d)
        #expect(bad.status != 0 && bad.stderr.contains("no better direction"))
    }
}
