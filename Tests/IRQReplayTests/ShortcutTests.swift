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

    /// How often the one-hart run-ahead took what the run loop would otherwise take: records on
    /// its way, and the loop's decisions it had already made.
    struct SoloCounts {
        var records: UInt64 = 0
        var skippedDecisions: UInt64 = 0
        var chainedStepEnds: UInt64 = 0
        mutating func add(_ m: Machine) {
            records += m.recordInstantsTakenAhead
            skippedDecisions += m.skippedRepeatDecisions
            chainedStepEnds += m.chainedSteps
        }
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
        var solo = SoloCounts()
        for (name, w) in try Self.workloads(seed: seed) {
            for strategy in EndStrategy.plicStrategies {
                let (fast, machine) = try Self.replayKeepingMachine(w, strategy, shortcuts: true)
                let (cycles, entries) = (machine.storm.skippedCycles, machine.foldedTrapEntries)
                let (exact, slow) = try Self.replayKeepingMachine(w, strategy, shortcuts: false)
                let (none, unfolded) = (slow.storm.skippedCycles, slow.foldedTrapEntries)
                #expect(none == 0 && unfolded == 0)
                #expect(slow.recordInstantsTakenAhead == 0 && slow.skippedRepeatDecisions == 0 && slow.chainedSteps == 0)
                if w.params.contains(where: { $0.hasPrefix("harts=") }) {
                    #expect(machine.recordInstantsTakenAhead == 0 && machine.skippedRepeatDecisions == 0
                            && machine.chainedSteps == 0, "\(name)")
                }
                solo.add(machine)
                // Under guest-end a sequence chains more than its trap exit: the dispatch's inject
                // and the vcomplete trap's complete too (each sequence folds one trap entry).
                if name == "nc" && strategy == .guestEnd {
                    #expect(machine.chainedSteps > machine.foldedTrapEntries + machine.foldedTrapEntries / 2)
                }
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
        #expect(solo.records > 1000)
        #expect(solo.skippedDecisions > 100)
        #expect(solo.chainedStepEnds > 1000)
    }

    /// The AIA's and the GIC's machines, whose own steps, MSIs in flight and guest views the
    /// shortcuts must respect, replay every strategy they accept identically with the shortcuts on
    /// and off; one-hart solo steps were taken in every family.
    /// Random one-hart scenarios whose costs and record times lie on a 50 ns grid, so that records,
    /// step ends, guest work ends and wake-ups often fall on the same instant, with some costs
    /// zero: the one-hart shortcuts (run-ahead, solo steps, trap-entry folding, step chaining,
    /// sequence starts worked out once) replay them exactly as the run loop does, every PLIC
    /// strategy, or fail with the same error (the livelock guard of an all-zero storm, say).
    @Test func randomGridScenariosReplayIdentically() throws {
        var rng = SplitMix64(seed: 11)
        let grid: UInt64 = 50
        let costs = ["trap_entry", "trap_exit", "claim_mmio", "inject", "complete_mmio", "vmmio", "mask_mmio",
                     "unmask_mmio", "virq_entry", "service", "per_unit", "guest_min_run", "hw_eoi", "host_isr"]
        var compared = 0
        var chained: UInt64 = 0
        for _ in 0..<60 {
            var params = costs.map { "\($0)=\(UInt64.random(in: 0...6, using: &rng) * grid)" }
            params += ["ratelimit_window=\(UInt64.random(in: 1...40, using: &rng) * grid)",
                       "ratelimit_count=\(UInt64.random(in: 1...4, using: &rng))",
                       "ratelimit_off=\(UInt64.random(in: 0...20, using: &rng) * grid)"]
            var events: [TraceEvent] = []
            var t: UInt64 = 0
            for _ in 0..<150 {
                t += UInt64.random(in: 0...12, using: &rng) * grid
                let source = UInt16.random(in: 1...3, using: &rng)
                events.append(TraceEvent(time: t, source: source, kind: source == 2 ? .edge : .level,
                                         count: UInt32.random(in: 1...3, using: &rng)))
            }
            let w = Workload(events: events, params: params)
            for strategy in EndStrategy.plicStrategies {
                let fast = Result { try Self.replayKeepingMachine(w, strategy, shortcuts: true) }
                let exact = Result { try Self.replayKeepingMachine(w, strategy, shortcuts: false) }
                switch (fast, exact) {
                case (.success(let f), .success(let e)):
                    #expect(f.0 == e.0, "\(strategy.rawValue) \(params)")
                    chained += f.1.chainedSteps
                case (.failure(let f), .failure(let e)):
                    #expect("\(f)" == "\(e)", "\(strategy.rawValue) \(params)")
                default:
                    Issue.record("one replay failed, the other did not: \(strategy.rawValue) \(params)")
                }
                compared += 1
            }
        }
        #expect(compared == 60 * EndStrategy.plicStrategies.count)
        #expect(chained > 100)
    }

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
            var ahead = SoloCounts()
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
                    ahead.add(machine)
                    compared += 1
                }
            }
            #expect(solo > 100, "\(name): no solo step taken")
            #expect(ahead.records > 50, "\(name): no record taken on the way")
        }
        #expect(compared >= 40)
    }

    /// The GIC's host-end storms (GICStormCycle.swift) are fast-forwarded and replay exactly as
    /// cycle by cycle: both list-register policies and refill triggers, two list registers (so
    /// injects spill and the queue refills around the storms), short and long `guest_min_run`, a
    /// second hart, and the rate limiter masking in the middle of storms.
    @Test func gicStormsFastForwardExactly() throws {
        let storm = try Self.trace(BenchTraces.Shape.storm.options(records: 40, seed: 5))
        let nc = try Self.trace(BenchTraces.Shape.nicNC.options(records: 80, seed: 5))
        let ratelimit = ["ratelimit_count=7", "ratelimit_window=20000", "ratelimit_off=3000"]
        let settings: [(String, [String])] = [
            ("priority-underflow", []),
            ("fifo-underflow", ["lr_policy=fifo", "lr_refill=underflow"]),
            ("priority-no-pending", ["lr_policy=priority", "lr_refill=no-pending"]),
            ("fifo-no-pending-2-lrs", ["lr_policy=fifo", "lr_refill=no-pending", "list_registers=2"]),
            ("priority-2-lrs-min-run-7", ["list_registers=2", "guest_min_run=7"]),
            ("min-run-700-service-9000", ["guest_min_run=700", "service=9000"]),
            ("2-harts", ["harts=2", "ipi=300"]),
            ("ratelimit", ratelimit),
            ("ratelimit-fifo-2-lrs", ratelimit + ["lr_policy=fifo", "list_registers=2"]),
        ]
        for (name, params) in settings {
            var skipped: UInt64 = 0
            for events in [storm, nc] {
                let w = Workload(events: events, params: ["irqchip=gicv2"] + params)
                for strategy in [EndStrategy.hostEnd, .hostEndRatelimit] {
                    let (fast, machine) = try Self.replayKeepingMachine(w, strategy, shortcuts: true)
                    let (exact, _) = try Self.replayKeepingMachine(w, strategy, shortcuts: false)
                    #expect(fast == exact, "\(name) \(strategy.rawValue)")
                    skipped += machine.storm.skippedCycles
                }
            }
            #expect(skipped > 100, "\(name): no storm cycle fast-forwarded")
        }
    }

    /// With `iar_loop=1` a dispatch reads GICC_IAR until 1023, so it is never one storm cycle:
    /// nothing is fast-forwarded and the replay is the same (host-end itself is refused as a
    /// livelock, with the shortcuts on and off alike).
    @Test func gicIARLoopsAreNotStormCycles() throws {
        let w = Workload(events: try Self.trace(BenchTraces.Shape.storm.options(records: 30, seed: 6)),
                         params: ["irqchip=gicv2", "iar_loop=1", "ratelimit_count=7", "ratelimit_window=20000",
                                  "ratelimit_off=3000"])
        let (fast, machine) = try Self.replayKeepingMachine(w, .hostEndRatelimit, shortcuts: true)
        let (exact, _) = try Self.replayKeepingMachine(w, .hostEndRatelimit, shortcuts: false)
        #expect(fast == exact)
        #expect(machine.storm.skippedCycles == 0)
        #expect(throws: ReplayError.self) { try Self.replayKeepingMachine(w, .hostEnd, shortcuts: true) }
        #expect(throws: ReplayError.self) { try Self.replayKeepingMachine(w, .hostEnd, shortcuts: false) }
    }

    /// A GIC strategy has a storm cycle exactly when its dispatch drops the priority and
    /// deactivates a guest-owned source (the source is signalled again at once while its line is
    /// high): host-end and host-end-ratelimit, whose cycle is the six steps of docs/model.md G.5.
    @Test func gicStormCycleFollowsTheGuestTypesEnd() throws {
        for strategy in EndStrategy.allCases {
            guard let type = GIC.guestType(for: strategy) else { continue }
            let cycle = GICMachine.stormCycle(guestEnd: type.end)
            if strategy == .hostEnd || strategy == .hostEndRatelimit {
                let c = try #require(cycle)
                #expect((0..<c.steps.count).map { c.steps[$0] } == [.trapEntry, .gicIAR, .gicInject, .gicEOIR, .gicDIR, .trapExit])
                #expect(c.steps[c.claimStep] == .gicIAR && c.reopenStep.map { c.steps[$0] } == .gicDIR)
            } else {
                #expect(cycle == nil, "\(strategy.rawValue)")
            }
        }
    }

    /// The GIC says a returned dispatch was its storm cycle only after one IAR read that did not
    /// return 1023, a merged inject and no rate-limit mask, and only under a strategy that has one.
    @Test func gicStormCycleHookChecksTheSequence() throws {
        var scenario = Scenario()
        try scenario.set("irqchip", "gicv2")
        let m = try GICMachine(scenario: scenario, sources: SourceSettings(), strategy: .hostEnd, options: ReplayOptions())
        var p = GICSequenceProgram()
        p.iarReads = 1
        p.injectMerged = true
        m.programs[0] = p
        #expect(m.stormCycle != nil && m.dispatchWasStormCycle(0))
        let changes: [(String, (inout GICSequenceProgram) -> Void)] = [
            ("IAR loop", { $0.iarReads = 2 }), ("not merged", { $0.injectMerged = false }),
            ("rate mask", { $0.rateMask = true }), ("spurious read", { $0.sawSpurious = true }),
        ]
        for (name, change) in changes {
            var q = p
            change(&q)
            m.programs[0] = q
            #expect(!m.dispatchWasStormCycle(0), "\(name)")
        }
        let guestEnd = try GICMachine(scenario: scenario, sources: SourceSettings(), strategy: .guestEnd, options: ReplayOptions())
        guestEnd.programs[0] = p
        #expect(guestEnd.stormCycle == nil && !guestEnd.dispatchWasStormCycle(0))
    }

    /// The AIA's storms with the vPLIC view and MSIs delivered at once (AIAStormCycle.swift) are
    /// fast-forwarded in direct mode (host-end, and guest-end, which is the same type there;
    /// host-end-ratelimit) and in MSI mode (host-end, host-end-ratelimit), and replay exactly as
    /// cycle by cycle, the APLIC's re-trigger and MSI counts included. With MSIs in flight or the
    /// guest-file view nothing is fast-forwarded.
    @Test func aiaStormsFastForwardExactly() throws {
        let storm = try Self.trace(BenchTraces.Shape.storm.options(records: 40, seed: 7))
        let nc = try Self.trace(BenchTraces.Shape.nicNC.options(records: 80, seed: 7))
        let ratelimit = ["ratelimit_count=7", "ratelimit_window=20000", "ratelimit_off=3000"]
        let settings: [(String, [String], [EndStrategy], Bool)] = [
            ("direct", ["irqchip=aplic-direct"], [.hostEnd, .guestEnd, .hostEndRatelimit], true),
            ("direct-ratelimit-min-run-7", ["irqchip=aplic-direct", "guest_min_run=7"] + ratelimit, [.hostEndRatelimit], true),
            ("direct-2-harts", ["irqchip=aplic-direct", "harts=2", "ipi=300"], [.hostEnd], true),
            ("msi", ["irqchip=aplic-msi"], [.hostEnd, .hostEndRatelimit], true),
            ("msi-ratelimit-min-run-700", ["irqchip=aplic-msi", "guest_min_run=700", "service=9000"] + ratelimit,
             [.hostEndRatelimit], true),
            ("msi-latency", ["irqchip=aplic-msi", "msi_latency=100"], [.hostEnd], false),
            ("vaplic-msi", ["irqchip=aplic-msi", "guest_irqchip=vaplic-msi"], [.hostEnd], false),
        ]
        for (name, params, strategies, fastForwards) in settings {
            var skipped: UInt64 = 0
            for events in [storm, nc] {
                let w = Workload(events: events, params: params)
                for strategy in strategies {
                    let (fast, machine) = try Self.replayKeepingMachine(w, strategy, shortcuts: true)
                    let (exact, _) = try Self.replayKeepingMachine(w, strategy, shortcuts: false)
                    #expect(fast == exact, "\(name) \(strategy.rawValue)")
                    skipped += machine.storm.skippedCycles
                }
            }
            #expect(fastForwards ? skipped > 100 : skipped == 0, "\(name): \(skipped) storm cycles fast-forwarded")
        }
    }

    /// A family that keeps `foldsTrapEntries` false (the AIA: MSIs in flight are scheduled by
    /// records) runs every trap entry and exit alone.
    @Test func familiesThatDoNotSaySoNeverFold() throws {
        let w = Workload(events: try Self.trace(BenchTraces.Shape.nicNC.options(records: 200, seed: 1)),
                         params: ["irqchip=aplic-msi", "msi_latency=100"])
        let (_, machine) = try Self.replayKeepingMachine(w, .guestEnd, shortcuts: true)
        #expect(machine.foldedTrapEntries == 0 && machine.chainedSteps == 0)
        let plic = Workload(events: w.events)
        let (_, plicMachine) = try Self.replayKeepingMachine(plic, .guestEnd, shortcuts: true)
        #expect(plicMachine.foldedTrapEntries > 100 && plicMachine.chainedSteps > 100)
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
