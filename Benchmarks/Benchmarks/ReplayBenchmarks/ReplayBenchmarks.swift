import Benchmark
import Foundation
import IRQCore
import IRQReplay
import IRQTrace

// End-to-end replay: a native NIC-like trace streamed through TraceInput into the ReplayEngine,
// per end strategy, with default scenario parameters; and the malloc gates.

/// The NIC-like trace of `irqbench bench` (IRQTrace's `BenchTraces.nicLike`), written once per
/// machine; returns its path.
func nicLikeTraceFile(records: Int) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-benchmarks").path
    return try BenchTraces.writeNICLike(records: records, seed: 1, directory: dir)
}

/// A workload shape's trace (IRQTrace's `BenchTraces.Shape`, as `irqbench bench` writes it),
/// written once per machine; returns its path.
func shapeTraceFile(_ shape: BenchTraces.Shape, records: Int) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("irqbench-benchmarks").path
    return try shape.write(records: records, seed: 1, directory: dir)
}

/// One replay; only `engine.run` (which streams the file's records through libpcap) is measured
/// when `setUpMeasured` is false. With it true, the engine's set-up is measured too (the malloc
/// gates count every allocation of a replay but the file's opening). `shape`: the trace, the NIC
/// burst unless given.
func replay(_ benchmark: Benchmark, records: Int, strategy: EndStrategy, setUpMeasured: Bool,
            scenario: Scenario = Scenario(), shape: BenchTraces.Shape = .nicBurst) throws {
    let path = try shape == .nicBurst ? nicLikeTraceFile(records: records) : shapeTraceFile(shape, records: records)
    let input = try TraceInput.open(path: path)
    if setUpMeasured { benchmark.startMeasurement() }
    let engine = try ReplayEngine(scenario: scenario, strategy: strategy)
    var stream = input
    if !setUpMeasured { benchmark.startMeasurement() }
    let m = try engine.run(&stream)
    benchmark.stopMeasurement()
    precondition(m.requests == UInt64(records))
    blackHole(m.simEnd)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 10,
        thresholds: [
            .wallClock: .init(relative: [.p50: 50]),
            .throughput: .init(relative: [.p50: 50]),
            .mallocCountTotal: .init(absolute: [.p0: 0, .p50: 0, .p100: 0]),
        ]
    )

    for strategy in EndStrategy.plicStrategies {
        Benchmark("replay_\(strategy.rawValue)_NIC-like_1M_requests") { benchmark in
            try replay(benchmark, records: 1_000_000, strategy: strategy, setUpMeasured: false)
        }
    }

    // The malloc gates: a replay of 1,000,000 requests must allocate exactly as often as one of
    // 10,000 (set-up only, nothing per request). Both thresholds of a pair hold the same count.
    for records in [10_000, 1_000_000] {
        Benchmark("malloc_gate_replay_guest-end_incl_setup_\(records)_requests",
                  configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 5,
                                       thresholds: [.wallClock: .init(relative: [.p50: 50]),
                                                    .mallocCountTotal: .init(absolute: [.p0: 0, .p50: 0, .p100: 0])])) { benchmark in
            try replay(benchmark, records: records, strategy: .guestEnd, setUpMeasured: true)
        }
    }

    // The same gates for every strategy of the PLIC and of the GIC (docs/model.md Part G), on the
    // non-coalescing NIC shape of issue 10. (Not on the NIC burst: there host-end's guest never
    // catches up, its backlog of outstanding requests grows with the trace, and the request
    // ledger doubles to hold it, docs/performance.md.)
    var gic = Scenario()
    try! gic.set("irqchip", "gicv2")
    for (family, scenario) in [("plic", Scenario()), ("gicv2", gic)] {
        for strategy in scenario.applicableStrategies(sources: SourceSettings()) {
            for records in [10_000, 1_000_000] {
                Benchmark("malloc_gate_replay_\(family)_\(strategy.rawValue)_nic-nc_incl_setup_\(records)_requests",
                          configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 3,
                                               thresholds: [.wallClock: .init(relative: [.p50: 50]),
                                                            .mallocCountTotal: .init(absolute: [.p0: 0, .p50: 0, .p100: 0])])) { benchmark in
                    try replay(benchmark, records: records, strategy: strategy, setUpMeasured: true, scenario: scenario,
                               shape: .nicNC)
                }
            }
        }
    }

    // The same gates on the AIA (docs/model.md Part A): MSIs into the vCPU's guest file with no
    // dispatch, and guest-end on an APLIC in MSI mode with MSIs in flight (msi_latency > 0, the
    // machine's queue of family happenings).
    var guestFile = Scenario(), inFlight = Scenario()
    try! guestFile.set("irqchip", "aplic-msi")
    try! guestFile.set("guest_irqchip", "vaplic-msi")
    try! inFlight.set("irqchip", "aplic-msi")
    try! inFlight.set("msi_latency", "100")
    for (name, scenario, strategy) in [("aia-guest-file", guestFile, EndStrategy.aiaGuestFile),
                                       ("aplic-msi_guest-end_msi_latency_100", inFlight, .guestEnd)] {
        for records in [10_000, 1_000_000] {
            Benchmark("malloc_gate_replay_\(name)_incl_setup_\(records)_requests",
                      configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 5,
                                           thresholds: [.wallClock: .init(relative: [.p50: 50]),
                                                        .mallocCountTotal: .init(absolute: [.p0: 0, .p50: 0, .p100: 0])])) { benchmark in
                try replay(benchmark, records: records, strategy: strategy, setUpMeasured: true, scenario: scenario)
            }
        }
    }
}
