import Foundation
import Testing

/// The AIA controllers from the command line (docs/model.md Part A): selected with --param,
/// `--strategy all` runs what the controllers accept, results carry the controller in `params`
/// and the AIA's counts; a refused combination stops before anything runs.
struct AIACLITests {
    @Test(arguments: [
        (["irqchip=aplic-direct"], ["host-end", "guest-end", "mask-unmask", "host-end-ratelimit"]),
        (["irqchip=aplic-msi"], ["host-end", "guest-end", "mask-unmask", "host-end-ratelimit", "host-end-noretrigger"]),
        (["irqchip=aplic-msi", "guest_irqchip=vaplic-msi"],
         ["host-end", "guest-end", "mask-unmask", "host-end-ratelimit", "host-end-noretrigger", "aia-guest-file"]),
    ])
    func strategyAllRunsWhatTheControllersAccept(params: [String], strategies: [String]) throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let args = ["run", "--trace", "t.csv", "--out", "r.csv", "--quiet", "--strategy", "all"] + params.flatMap { ["--param", $0] }
        let r = try CLITests.irqbench(args, in: d)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: d.appendingPathComponent("r.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let fields = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(Set(fields.map { $0[5] }) == Set(strategies))
        #expect(fields.allSatisfy { $0[4] == params.joined(separator: ";") }, "the controllers are provenance")
        for s in strategies {
            #expect(fields.contains { $0[5] == s && $0[7] == "unserved_requests" && $0[9] == "0" }, "\(s)")
            #expect(fields.contains { $0[5] == s && $0[7] == "msis_sent" })
        }
    }

    @Test func refusedCombinationsStopBeforeAnythingRuns() throws {
        let d = try CLITests.scratch()
        try CLITests.good.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try #"{"1": {"target_hart": 1}}"#.write(to: d.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--param", "irqchip=aplic-msi", "--strategy", "hw-eoi"], "irqchip=plic"),
            (["--param", "irqchip=aplic-direct", "--strategy", "host-end-noretrigger"], "irqchip=aplic-msi"),
            (["--param", "irqchip=aplic-msi", "--strategy", "aia-guest-file"], "guest_irqchip=vaplic-msi"),
            (["--param", "guest_irqchip=vaplic-msi"], "irqchip=plic"),
            (["--param", "irqchip=aplic-msi", "--param", "guest_irqchip=vaplic-msi", "--param", "harts=2",
              "--sources", "s.json", "--strategy", "aia-guest-file"], "target_hart 1"),
            (["--param", "irqchip=aplic"], "aplic-direct, aplic-msi"),
        ]
        for (extra, message) in cases {
            let r = try CLITests.irqbench(["run", "--trace", "t.csv", "--out", "r.csv", "--quiet"] + extra, in: d)
            #expect(r.status != 0, "\(extra)")
            #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("r.csv").path), "\(extra)")
        }
    }
}
