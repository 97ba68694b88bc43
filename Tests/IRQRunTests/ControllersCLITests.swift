import Foundation
import Testing

/// `irqbench run` over several controller configurations (the main job's side by side).
struct ControllersCLITests {
    static let trace = "time_ns,source,kind,count\n0,1,level,1\n1000,1,level,1\n"

    func run(_ args: [String]) throws -> (CLITests.Output, URL) {
        let d = try CLITests.scratch()
        try Self.trace.write(to: d.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        return (try CLITests.irqbench(["run", "--trace", "t.csv", "--out", "r.csv"] + args, in: d), d)
    }

    /// (params, strategy) of every storm_irqs row, in file order.
    func replays(_ dir: URL) throws -> [String] {
        let csv = try String(contentsOf: dir.appendingPathComponent("r.csv"), encoding: .utf8)
        return csv.split(separator: "\n").compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return f.count == 10 && f[7] == "storm_irqs" ? "\(f[4])|\(f[5])" : nil
        }
    }

    @Test func allReplaysEveryConfigurationWithTheStrategiesItCanRun() throws {
        let (r, d) = try run(["--controllers", "all"])
        #expect(r.status == 0, "\(r.stderr)")
        let got = try replays(d)
        // The PLIC first, with empty params (its rows are those of a PLIC-only run), then the AIA.
        #expect(got.prefix(5) == ["|host-end", "|guest-end", "|mask-unmask", "|hw-eoi", "|host-end-ratelimit"])
        #expect(got.contains("irqchip=aplic-direct|mask-unmask"))
        #expect(!got.contains("irqchip=aplic-direct|hw-eoi"), "hw-eoi needs the PLIC")
        #expect(got.contains("irqchip=aplic-msi|host-end-noretrigger"))
        #expect(got.contains("irqchip=aplic-msi;guest_irqchip=vaplic-msi|aia-guest-file"))
        #expect(got.contains("irqchip=gicv2|hw-eoi") && got.contains("irqchip=gicv2|direct"))
        #expect(r.stdout.contains("controller"), "the table names each row's controllers")
        #expect(r.stdout.contains("aplic-msi/vaplic-msi"))
    }

    @Test func aPLICOnlyRunIsThePLICPartOfTheAllRun() throws {
        let (one, d1) = try run(["--controllers", "plic", "--quiet"])
        let (all, d2) = try run(["--controllers", "all", "--quiet"])
        #expect(one.status == 0 && all.status == 0)
        let plic = try String(contentsOf: d1.appendingPathComponent("r.csv"), encoding: .utf8)
        let both = try String(contentsOf: d2.appendingPathComponent("r.csv"), encoding: .utf8)
        #expect(both.hasPrefix(plic))
    }

    @Test func requestedStrategiesRunWhereTheyCan() throws {
        let (r, d) = try run(["--controllers", "plic,aplic-msi", "--strategy", "hw-eoi,host-end-noretrigger", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try replays(d) == ["|hw-eoi", "irqchip=aplic-msi|host-end-noretrigger"])
    }

    @Test func badConfigurationsAreOneClearLine() throws {
        let (unknown, _) = try run(["--controllers", "plic,nope"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("controllers nope"))
        let (both, _) = try run(["--controllers", "plic", "--param", "irqchip=aplic-msi"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("give one of them"))
        let (none, _) = try run(["--controllers", "aplic-direct", "--strategy", "hw-eoi"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("hw-eoi"))
    }
}
