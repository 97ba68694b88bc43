import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQRun
import IRQTrace
import Testing

/// Real (small) sweeps: the file does not depend on --jobs or on sharding, parts merge into the
/// unsharded file byte for byte, a failed point is reported and the rest is written, merge refuses
/// parts that do not make one sweep.
struct GridSweepTests {
    static func scratch() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-gridsweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Two small traces of different shapes.
    static func traces(in dir: String) throws -> [String] {
        let specs: [(String, SyntheticTraceOptions)] = [
            ("poisson.pcap", SyntheticTraceOptions(pattern: .poisson(ratePerSecond: 30_000), sources: [1, 2], count: 1...2, records: 120, seed: 4)),
            ("periodic.pcap", SyntheticTraceOptions(pattern: .periodic(periodNs: 50_000), sources: [1], records: 80, seed: 1)),
        ]
        return try specs.map { name, options in
            let path = (dir as NSString).appendingPathComponent(name)
            let writer = try NativeTraceWriter(path: path)
            var trace = try SyntheticTrace(options)
            while let e = trace.next() { try writer.write(e) }
            try writer.finish()
            return path
        }
    }

    struct Setup {
        var plan: SweepPlan
        var config: SweepConfig
        var dir: String
    }

    static func setup(axes: [GridAxis], strategies: [EndStrategy] = [.hostEnd, .guestEnd], commit: String = "test",
                      base: Scenario = Scenario()) throws -> Setup {
        let dir = try scratch()
        var config = SweepConfig()
        config.scenario = base
        config.strategies = strategies
        config.commit = commit
        let grid = try Grid(axes: axes)
        let plan = SweepPlan(grid: grid, traces: try GridSweep.inspectTraces(try traces(in: dir), options: config.traceOptions),
                             strategies: strategies.map(\.rawValue),
                             fixedParams: GridSweep.fixedParams(config.paramsDescription, axes: grid),
                             commit: commit, reading: SweepPlan.readingDescription(config.traceOptions))
        return Setup(plan: plan, config: config, dir: dir)
    }

    @discardableResult
    static func sweep(_ s: Setup, jobs: Int, part: Shard? = nil, name: String) throws -> (path: String, failures: [(Int, String)]) {
        var c = s.config
        c.jobs = jobs
        let path = (s.dir as NSString).appendingPathComponent(name)
        var failures: [(Int, String)] = []
        _ = try GridSweep.run(plan: s.plan, config: c, part: part, to: path) { failures.append(($0, $1)) }
        return (path, failures)
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static let serviceAxis = GridAxis(name: "service", values: ["1000", "2000", "6000"])

    @Test func fileIsByteIdenticalForAnyJobsAndShardsMergeIntoIt() throws {
        let s = try Self.setup(axes: [Self.serviceAxis])
        let whole = try Self.sweep(s, jobs: 1, name: "whole.csv")
        #expect(whole.failures.isEmpty)
        #expect(try Self.bytes(try Self.sweep(s, jobs: 2, name: "whole2.csv").path) == Self.bytes(whole.path))
        let rows = try ResultsCSV.parse(String(contentsOfFile: whole.path, encoding: .utf8), file: whole.path)
        // 3 points x 2 traces x 2 strategies, in point-major order, each naming its point.
        let replays = Self.orderedKeys(rows)
        #expect(replays.count == 12)
        #expect(replays.first == "service=1000 poisson.pcap host-end" && replays.last == "service=6000 periodic.pcap guest-end")
        for n in [1, 4] {
            var parts: [String] = []
            for i in 0..<n {
                parts.append(try Self.sweep(s, jobs: 1 + i % 2, part: try Shard(index: i, count: n), name: "p\(i)of\(n).csv").path)
            }
            let merged = (s.dir as NSString).appendingPathComponent("merged\(n).csv")
            let summary = try SweepMerge.merge(parts.reversed(), to: merged)
            #expect(summary.replays == 12 && summary.failed.isEmpty)
            #expect(try Self.bytes(merged) == Self.bytes(whole.path), "\(n) parts")
        }
    }

    static func orderedKeys(_ rows: [ResultRow]) -> [String] {
        var keys: [String] = []
        for r in rows {
            let k = "\(r.params) \(r.trace) \(r.strategy)"
            if keys.last != k { keys.append(k) }
        }
        return keys
    }

    /// A sweep's rows for a point are the rows `irqbench run` writes with those --param values.
    @Test func aPointsRowsAreThoseOfARunWithItsParameters() throws {
        let s = try Self.setup(axes: [Self.serviceAxis])
        let whole = try Self.sweep(s, jobs: 2, name: "whole.csv")
        let sweepRows = try ResultsCSV.parse(String(contentsOfFile: whole.path, encoding: .utf8), file: whole.path)
        var c = s.config
        try c.scenario.set("service", "6000")
        let runRows = Sweep.run(traces: s.plan.traces.map(\.path), config: c).resultRows(config: c)
        #expect(!runRows.isEmpty)
        #expect(sweepRows.filter { $0.params == "service=6000" } == runRows)
    }

    /// harts x guest_hart has one point the model refuses (guest_hart 1 with one hart): each of its
    /// replays is reported with the point's parameters, the others are written; a part records
    /// the failures in place and merge reproduces the same file.
    @Test func aFailedPointIsReportedAndTheOthersGoOn() throws {
        let s = try Self.setup(axes: [GridAxis(name: "harts", values: ["1", "2"]), GridAxis(name: "guest_hart", values: ["0", "1"])],
                               strategies: [.guestEnd])
        let whole = try Self.sweep(s, jobs: 2, name: "whole.csv")
        #expect(whole.failures.map(\.0) == [2, 3], "point harts=1;guest_hart=1, both traces")
        #expect(whole.failures.allSatisfy { $0.1.contains("guest_hart 1 is not a hart") })
        #expect(s.plan.describe(2) == "harts=1;guest_hart=1 poisson.pcap guest-end")
        let rows = try ResultsCSV.parse(String(contentsOfFile: whole.path, encoding: .utf8), file: whole.path)
        #expect(Set(rows.map(\.params)) == ["harts=1;guest_hart=0", "harts=2;guest_hart=0", "harts=2;guest_hart=1"])

        let parts = try (0..<3).map { try Self.sweep(s, jobs: 1, part: try Shard(index: $0, count: 3), name: "p\($0).csv").path }
        let marked = try parts.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        #expect(marked.components(separatedBy: "\n# failed: ").count == 3, "two failure lines in the parts")
        let merged = (s.dir as NSString).appendingPathComponent("merged.csv")
        let summary = try SweepMerge.merge(parts, to: merged)
        #expect(summary.failed.count == 2)
        #expect(summary.failed[0].hasPrefix("# failed: 2 harts=1;guest_hart=1 poisson.pcap guest-end: "))
        #expect(try Self.bytes(merged) == Self.bytes(whole.path))
    }

    /// Sweeps with a grid over a parameter that --param also sets are refused; a preset's value
    /// of a swept parameter leaves the shared part of params.
    @Test func axesAreCheckedAgainstTheModelAndTheFixedSettings() throws {
        let grid = try Grid(axes: [GridAxis(name: "service", values: ["1", "x"])])
        #expect(throws: (any Error).self) { try GridSweep.checkAxes(grid, base: Scenario(), fixedNames: []) }
        let ok = try Grid(axes: [Self.serviceAxis])
        #expect(throws: GridError("service is both swept (--grid) and fixed (--param): drop one")) {
            try GridSweep.checkAxes(ok, base: Scenario(), fixedNames: ["service"])
        }
        #expect(throws: (any Error).self) {
            try GridSweep.checkAxes(try Grid(axes: [GridAxis(name: "nonsense", values: ["1"])]), base: Scenario(), fixedNames: [])
        }
        #expect(GridSweep.fixedParams("harts=2;service=3000;vcpu_period=9", axes: ok) == "harts=2;vcpu_period=9")
    }

    @Test func orderedParallelEmitsInOrderWithinItsWindow() throws {
        let inFlight = InFlight()
        var emitted: [Int] = []
        try orderedParallel(count: 200, jobs: 4, window: 6) { i -> Int in
            inFlight.begin(i)
            // Uneven work, so completion order differs from item order.
            var x = 0
            for k in 0..<((i * 7919) % 13 * 2000) { x &+= k }
            inFlight.end(i)
            return i &+ (x & 0)
        } emit: { i, v in
            #expect(i == v)
            emitted.append(i)
            inFlight.emitted(i)
        }
        #expect(emitted == Array(0..<200))
        #expect(inFlight.maxAhead() < 6, "no item started 6 or more ahead of the next one to emit")
    }

    @Test func orderedParallelStopsAtTheFirstEmitError() {
        struct Boom: Error {}
        var emitted = 0
        #expect(throws: Boom.self) {
            try orderedParallel(count: 1000, jobs: 2, window: 4) { $0 } emit: { i, _ in
                if i == 10 { throw Boom() }
                emitted += 1
            }
        }
        #expect(emitted == 10)
    }
}

/// Tracks how far ahead of the emitted items work has started.
final class InFlight: @unchecked Sendable {
    let lock = NSLock()
    var nextEmit = 0
    var ahead = 0
    func begin(_ i: Int) { lock.lock(); ahead = max(ahead, i - nextEmit); lock.unlock() }
    func end(_ i: Int) {}
    func emitted(_ i: Int) { lock.lock(); nextEmit = i + 1; lock.unlock() }
    func maxAhead() -> Int { lock.lock(); defer { lock.unlock() }; return ahead }
}
