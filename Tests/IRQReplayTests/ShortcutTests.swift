import Foundation
import IRQCore
@testable import IRQReplay
import IRQTrace
import Testing

/// Macro-steps, storm fast-forwarding and trap-entry folding change no number: seeded workloads under every strategy
/// and scenarios that exercise the rarer rules replay identically with the shortcuts on and off
/// (every metric, the histogram buckets, the rate series, the happenings counted).
struct ShortcutTests {
    struct Workload {
        var events: [TraceEvent]
        var sources = SourceSettings()
        var params: [String] = []
    }

    static func trace(_ o: SyntheticTraceOptions) throws -> [TraceEvent] {
        var t = try SyntheticTrace(o)
        var out: [TraceEvent] = []
        while let e = t.next() { out.append(e) }
        return out
    }

    /// Storm-prone and mixed workloads, small enough for a debug build.
    static func workloads(seed: UInt64) throws -> [(String, Workload)] {
        let storm = try trace(BenchTraces.Shape.storm.options(records: 80, seed: seed))
        let nc = try trace(BenchTraces.Shape.nicNC.options(records: 200, seed: seed))
        let burst = try trace(BenchTraces.Shape.nicBurst.options(records: 200, seed: seed))
        let mix = try trace(BenchTraces.Shape.mix.options(records: 200, seed: seed))
        let mixSources = try SourceSettings.parse(json: Data(BenchTraces.Shape.mix.sourcesJSON!.utf8), file: "mix")
        return [
            ("storm", Workload(events: storm)),
            ("nc", Workload(events: nc)),
            ("burst", Workload(events: burst)),
            ("storm-zero-costs", Workload(events: storm, params: ["trap_entry=0", "trap_exit=1", "inject=0", "complete_mmio=0",
                                                                  "claim_mmio=0", "guest_min_run=1"])),
            ("storm-ratelimit", Workload(events: storm, params: ["ratelimit_count=7", "ratelimit_window=20000",
                                                                 "ratelimit_off=3000"])),
            ("storm-ratelimit-long", Workload(events: storm, params: ["ratelimit_count=40", "ratelimit_window=30000",
                                                                      "ratelimit_off=100"])),
            ("nc-vcpu", Workload(events: nc, params: ["vcpu_period=7000", "vcpu_budget=4000"])),
            ("mix-2-harts", Workload(events: mix, sources: mixSources, params: ["harts=2", "ipi=300"])),
            ("mix-3-harts", Workload(events: mix, sources: mixSources, params: ["harts=3", "guest_hart=1", "ipi=0"])),
            ("burst-slow", Workload(events: burst, params: ["service=9000", "per_unit=1", "guest_min_run=7"])),
        ]
    }

    struct Outcome: Equatable {
        var rows: [String]
        var buckets: [String]
        var events: UInt64
        var series: [UInt32]
        var width: UInt64
        var unconsumed: UInt64
    }

    /// The outcome, the storm cycles fast-forwarded and the trap entries folded.
    static func replay(_ w: Workload, _ strategy: EndStrategy, shortcuts: Bool) throws -> (Outcome, UInt64, UInt64) {
        let (outcome, machine) = try replayKeepingMachine(w, strategy, shortcuts: shortcuts)
        return (outcome, machine.storm.skippedCycles, machine.foldedTrapEntries)
    }

    /// The outcome and the machine that replayed it.
    static func replayKeepingMachine(_ w: Workload, _ strategy: EndStrategy, shortcuts: Bool) throws -> (Outcome, Machine) {
        var scenario = Scenario()
        for p in w.params {
            let eq = p.firstIndex(of: "=")!
            try scenario.set(String(p[..<eq]), String(p[p.index(after: eq)...]))
        }
        var options = ReplayOptions(rateBucketNs: 20_000)
        options.shortcuts = shortcuts
        let engine = try ReplayEngine(scenario: scenario, sources: w.sources, strategy: strategy, options: options)
        var stream = ArrayTraceStream(w.events)
        let m = try engine.run(&stream)
        let buckets = m.distributions.flatMap { d in d.distribution.recordedBuckets.map { "\(d.name) \($0.value) \($0.count)" } }
        return (Outcome(rows: m.rows.map { "\($0.metric)=\($0.value)" }, buckets: buckets, events: m.events,
                        series: engine.rateSeries, width: engine.rateBucketNs, unconsumed: engine.unconsumedRequests),
                engine.machine)
    }

    @Test(arguments: [UInt64(1), 2])
    func shortcutsChangeNoNumber(seed: UInt64) throws {
        var skipped: UInt64 = 0
        var folded: UInt64 = 0
        for (name, w) in try Self.workloads(seed: seed) {
            for strategy in EndStrategy.plicStrategies {
                let (fast, cycles, entries) = try Self.replay(w, strategy, shortcuts: true)
                let (exact, none, unfolded) = try Self.replay(w, strategy, shortcuts: false)
                #expect(none == 0 && unfolded == 0)
                #expect(fast == exact, "\(name) \(strategy.rawValue) seed \(seed)")
                // Several harts: a trap entry is never folded (another hart may act in between).
                if w.params.contains(where: { $0.hasPrefix("harts=") }) { #expect(entries == 0, "\(name)") }
                skipped += cycles
                folded += entries
            }
        }
        // The storms were fast-forwarded and trap entries folded, not just replayed twice the
        // same way.
        #expect(skipped > 1000)
        #expect(folded > 1000)
    }

    /// The AIA's and the GIC's machines, whose own steps, MSIs in flight and guest views the
    /// shortcuts must respect, replay every strategy they accept identically with the shortcuts on
    /// and off; one-hart solo steps were taken in every family.
    @Test func everyFamilyReplaysTheSameWithTheShortcutsOff() throws {
        let nc = try Self.trace(BenchTraces.Shape.nicNC.options(records: 120, seed: 3))
        let storm = try Self.trace(BenchTraces.Shape.storm.options(records: 30, seed: 3))
        let families: [(String, [String])] = [
            ("aplic-direct", ["irqchip=aplic-direct"]),
            ("aplic-msi", ["irqchip=aplic-msi"]),
            ("aplic-msi-latency", ["irqchip=aplic-msi", "msi_latency=100"]),
            ("vaplic-msi", ["irqchip=aplic-msi", "guest_irqchip=vaplic-msi", "msi_latency=40"]),
            ("gicv2", ["irqchip=gicv2"]),
            ("gicv2-fifo-underflow", ["irqchip=gicv2", "lr_policy=fifo", "lr_refill=underflow", "guest_min_run=50"]),
        ]
        var compared = 0
        for (name, params) in families {
            var solo: UInt64 = 0
            for events in [nc, storm] {
                let w = Workload(events: events, params: params)
                for strategy in EndStrategy.allCases {
                    // Strategies the family refuses are refused with shortcuts on and off alike.
                    guard let (fast, machine) = try? Self.replayKeepingMachine(w, strategy, shortcuts: true) else {
                        #expect(throws: (any Error).self) { try Self.replayKeepingMachine(w, strategy, shortcuts: false) }
                        continue
                    }
                    let (exact, _) = try Self.replayKeepingMachine(w, strategy, shortcuts: false)
                    #expect(fast == exact, "\(name) \(strategy.rawValue)")
                    solo += machine.soloDecisions
                    compared += 1
                }
            }
            #expect(solo > 100, "\(name): no solo step taken")
        }
        #expect(compared >= 40)
    }

    /// A family that keeps `foldsTrapEntries` false (the AIA: MSIs in flight are scheduled by
    /// records) runs every trap entry alone.
    @Test func familiesThatDoNotSaySoNeverFold() throws {
        let w = Workload(events: try Self.trace(BenchTraces.Shape.nicNC.options(records: 200, seed: 1)),
                         params: ["irqchip=aplic-msi", "msi_latency=100"])
        let (_, _, entries) = try Self.replay(w, .guestEnd, shortcuts: true)
        #expect(entries == 0)
        let plic = Workload(events: w.events)
        let (_, _, plicEntries) = try Self.replay(plic, .guestEnd, shortcuts: true)
        #expect(plicEntries > 100)
    }

    /// Counting the physical IRQs of a fast-forwarded storm a bucket at a time gives what one call
    /// per claim gives: totals, the 1 ms peak and the rate series, also across the series' widening.
    @Test(arguments: [UInt64(1), 1_000, 333_333])
    func batchedIRQCountsEqualOneByOne(width: UInt64) throws {
        var options = ReplayOptions(rateBucketNs: width)
        options.shortcuts = false
        let a = try PLICMachine(scenario: Scenario(), sources: SourceSettings(), strategy: .hostEnd, options: options)
        let b = try PLICMachine(scenario: Scenario(), sources: SourceSettings(), strategy: .hostEnd, options: options)
        var g = Xoshiro256StarStar(seed: width)
        var t: UInt64 = 0
        for _ in 0..<60 {
            t += g.next() % 3_000_000
            let period = 1 + g.next() % 900_000
            let count = 1 + g.next() % 400
            a.countPhysicalIRQs(first: t, period: period, count: count)
            for i in 0..<count { b.countPhysicalIRQs(at: t + i * period, count: 1) }
            t += count * period
        }
        #expect(a.m.physicalIRQs == b.m.physicalIRQs)
        #expect(a.m.peakIRQsPerMs == b.m.peakIRQsPerMs && a.m.peakBucketStart == b.m.peakBucketStart)
        #expect(a.bucketCount == b.bucketCount && a.currentBucket == b.currentBucket)
        #expect(a.rateSeries == b.rateSeries && a.rateBucketNs == b.rateBucketNs)
    }

    @Test func samplesRecordedWithACountEqualOneByOne() {
        var a = Distribution()
        var b = Distribution()
        for (v, n) in [(150, 40), (3, 1), (1 << 40, 3), (150, 7), (0, 2)] as [(UInt64, UInt64)] {
            a.record(v, count: n)
            for _ in 0..<n { b.record(v) }
        }
        #expect(a.count == b.count && a.sum == b.sum && a.min == b.min && a.max == b.max)
        #expect(a.summary.map(\.value) == b.summary.map(\.value))
        #expect(a.recordedBuckets.map { "\($0.value):\($0.count)" } == b.recordedBuckets.map { "\($0.value):\($0.count)" })
    }
}
