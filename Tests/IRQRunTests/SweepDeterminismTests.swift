import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQRun
import IRQTrace
import Testing

/// `irqbench run` replays traces x strategies in parallel; the results must not depend on how
/// many run at once: the rendered CSV of --jobs 1 and --jobs 2 must be byte-identical.
struct SweepDeterminismTests {
    /// A few small native traces of different shapes, written once into a fresh directory.
    static func traces() throws -> [String] {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("irqbench-sweep-determinism-\(UUID().uuidString)").path
        var paths = [try BenchTraces.writeNICLike(records: 3_000, seed: 7, directory: dir)]
        let more: [(String, SyntheticTraceOptions)] = [
            ("poisson-two.pcap", SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 40_000), sources: [1, 2],
                                                      count: 1...3, records: 2_000, seed: 2)),
            ("periodic-edge.pcap", SyntheticTraceOptions(pattern: .periodic(periodNs: 7_000), sources: [3],
                                                        kind: .edge, records: 1_500, seed: 3)),
        ]
        for (name, options) in more {
            let path = (dir as NSString).appendingPathComponent(name)
            let writer = try NativeTraceWriter(path: path)
            var trace = try SyntheticTrace(options)
            while let e = trace.next() { try writer.write(e) }
            try writer.finish()
            paths.append(path)
        }
        return paths
    }

    static func renderedCSV(traces: [String], jobs: Int, scenario: Scenario) -> (csv: String, failures: Int) {
        var config = SweepConfig()
        config.scenario = scenario
        config.commit = "determinism"
        config.jobs = jobs
        config.progress = nil
        let result = Sweep.run(traces: traces, config: config)
        return (ResultsCSV.render(result.resultRows(config: config)), result.failures.count)
    }

    @Test(arguments: [1, 2])
    func parallelSweepIsByteIdenticalToSerial(harts: UInt64) throws {
        let paths = try Self.traces()
        var scenario = Scenario()
        scenario.harts = harts
        let serial = Self.renderedCSV(traces: paths, jobs: 1, scenario: scenario)
        let parallel = Self.renderedCSV(traces: paths, jobs: 2, scenario: scenario)
        #expect(serial.failures == 0 && parallel.failures == 0)
        // Every trace under every strategy, docs/model.md §9 metrics and histogram rows included.
        #expect(serial.csv.split(separator: "\n").count > paths.count * EndStrategy.plicStrategies.count * 20)
        #expect(serial.csv == parallel.csv)
        // Run again in parallel: completion order varies, the file must not.
        #expect(Self.renderedCSV(traces: paths, jobs: 2, scenario: scenario).csv == serial.csv)
    }
}
