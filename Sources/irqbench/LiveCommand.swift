import ArgumentParser
import Foundation
import IRQCore
import IRQLive
import IRQReplay
import IRQResults
import IRQRun
import IRQTrace

/// `irqbench live`: the dispatch core on real threads (device, harts, guest), measured with
/// CLOCK_MONOTONIC like cyclictest. See docs/live.md.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Run a trace through the dispatch core on real threads and measure real latencies.",
        discussion: """
            A device thread raises the trace's requests at their recorded times (times --time-scale) \
            on the shared atomic PLIC; each hart is a thread running do_IRQ; the guest is a thread \
            that claims, busy-waits its service and completes. Latencies are measured from each \
            request's intended time. Ctrl-C stops the run and still writes what was measured.
            """)

    @Option(help: ArgumentHelp("The trace to run.", valueName: "path"))
    var trace: String

    @OptionGroup var scenario: ScenarioOptions
    @OptionGroup var reading: TraceReadingOptions

    @Option(help: ArgumentHelp("Hart threads (overrides --param harts).", valueName: "n"))
    var harts: Int?

    @Option(help: ArgumentHelp("Multiply recorded gaps by this (2 = half speed).", valueName: "x"))
    var timeScale: Double = 1

    @Option(help: ArgumentHelp("Wall-clock limit of each repetition, in seconds.", valueName: "s"))
    var duration: Double = 10

    @Option(help: ArgumentHelp("Repetitions per strategy (the `rep` column).", valueName: "n"))
    var reps: Int = 1

    @Option(help: ArgumentHelp("Results CSV to write. Default: results/<commit>-<trace>-live.csv.", valueName: "file.csv"))
    var out: String?

    @Flag(help: "Print no histogram or summary (errors and the results path only).")
    var quiet = false

    @Option(help: ArgumentHelp("Also write every latency distribution as an HdrHistogram percentile distribution file, DIR/<trace>.<strategy>.rep<N>.<distribution>.hgrm (values in microseconds).",
                               valueName: "dir"))
    var hgrm: String?

    func validate() throws {
        guard FileManager.default.isReadableFile(atPath: trace) else { throw ValidationError("--trace \(trace): no such readable file") }
        if let h = harts, !(1...64).contains(h) { throw ValidationError("--harts must be 1...64") }
        guard timeScale > 0 && timeScale.isFinite else { throw ValidationError("--time-scale must be > 0") }
        guard duration > 0 && duration <= 86_400 else { throw ValidationError("--duration must be in (0, 86400] seconds") }
        guard reps >= 1 else { throw ValidationError("--reps must be >= 1") }
    }

    func run() throws {
        var scen = try scenario.scenario()
        if let h = harts {
            try? scen.set("harts", String(h))
            do { try scen.validate() } catch { throw ValidationError("\(error)") }
        }
        let (sources, sourcesSHA) = try scenario.sourceSettings()
        let strategies = try scenario.strategies()
        let input = try TraceInput.open(path: trace, options: reading.traceOptions)
        var events: [TraceEvent] = []
        while let e = try input.next() { events.append(e) }

        installInterruptHandler()
        let commit = toolCommit()
        let params = paramsProvenance(scenario: scen, platform: try scenario.preset(), sourcesSHA256: sourcesSHA)
        let name = URL(fileURLWithPath: trace).lastPathComponent
        let template = ResultRow(commit: commit, trace: name, traceSHA256: input.report.sha256 ?? "",
                                 params: params, strategy: "", kind: .live, metric: "", value: "")
        var rows: [ResultRow] = []
        var interrupted = false
        outer: for strategy in strategies {
            for rep in 0..<reps {
                var config = LiveConfig()
                config.scenario = scen
                config.sources = sources
                config.strategy = strategy
                config.timeScale = timeScale
                config.durationNs = UInt64(duration * 1e9)
                let live: LiveRun
                do { live = try LiveRun(events: events, config: config) }
                catch { throw ValidationError("\(trace): \(error)") }
                if !quiet { printError("live: \(name) \(strategy.rawValue) rep \(rep): \(events.count) requests, \(config.harts) hart(s)") }
                let m = live.run(stop: interruptFlag)
                var t = template
                t.strategy = strategy.rawValue
                rows += m.resultRows(template: t, rep: rep)
                if let dir = hgrm {
                    _ = try HgrmExport.write(trace: name, strategy: strategy.rawValue, rep: rep,
                                             distributions: m.distributions, to: dir)
                }
                if !quiet { report(strategy: strategy, rep: rep, m) }
                if interruptFlag.isSet { interrupted = true; break outer }
            }
        }
        let outPath = out ?? "results/\(commit)-\(URL(fileURLWithPath: trace).deletingPathExtension().lastPathComponent)-live.csv"
        try writeFileAtomically(ResultsCSV.render(rows), to: outPath)
        print("results: \(outPath) (\(rows.count) rows)\(interrupted ? " (interrupted: partial)" : "")")
        if interrupted { throw ExitCode(130) }
    }

    func report(strategy: EndStrategy, rep: Int, _ m: LiveMetrics) {
        func us(_ d: Distribution, _ ppm: UInt64) -> String {
            d.percentile(ppm: ppm).map { String(format: "%.1f", Double($0) / 1000) } ?? "-"
        }
        print("== \(strategy.rawValue) rep \(rep)\(m.stoppedEarly ? " (stopped early)" : "")")
        print("requests \(m.requests)  physical_irqs \(m.physicalIRQs)  storm_irqs \(m.stormIRQs)  guest_interrupts \(m.guestInterrupts)  guest_spurious \(m.guestSpurious)  peak_irqs_per_ms \(m.peakIRQsPerMs)  unconsumed \(m.unconsumedRequests)")
        for (n, d) in m.distributions where d.count > 0 {
            print("  \(n.padding(toLength: 18, withPad: " ", startingAt: 0)) p50 \(us(d, 500_000)) us  p99 \(us(d, 990_000)) us  p999 \(us(d, 999_000)) us  max \(String(format: "%.1f", Double(d.max) / 1000)) us  (n=\(d.count))")
        }
        for line in LatencyHistogramText.render(name: "request_to_guest", m.requestToGuest) { print(line) }
    }
}
