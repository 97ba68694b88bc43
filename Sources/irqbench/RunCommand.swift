import ArgumentParser
import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQRun
import IRQTrace

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay traces under end strategies and write the metrics as a results CSV.",
        discussion: """
            With no arguments this is irqbench's main job: every trace in traces/ on every controller \
            configuration (--controllers all) under every strategy each can run, a summary table on \
            the terminal, and results/<commit>.csv (written atomically; <commit> is irqbench's git \
            commit, so results of different commits sit side by side).

            Trace formats are recognised by content: the native pcap format, the text CSV, network \
            captures (pcap, pcapng), Linux ftrace text (plain or gzip) and /proc/interrupts specs.

            A trace that cannot be read or replayed is reported on one line and left out; the others \
            are still replayed and written, and the exit status is 1.

            --timeline FILE.csv also writes what happened to each request (docs/timeline.md): one row \
            per request with its arrival, claim, guest claim, handler start and done times, and one \
            row per guest service start; --worst N keeps only each replay's N worst requests by \
            --worst-by. The results and every other output are the same with or without it.
            """)

    @OptionGroup var input: TraceSelectionOptions
    @OptionGroup var scenario: ScenarioOptions
    @OptionGroup var reading: TraceReadingOptions

    @Option(help: ArgumentHelp(
        "Controller configurations to replay side by side: IRQCHIP[/GUEST_IRQCHIP], comma-separated, or all. Default: all for the shipped traces, the --param selectors (plic) for --trace.",
        discussion: "Known: \(Scenario.controllerConfigurations.joined(separator: ", ")). Each replays the strategies it can run (--strategy all), or those of --strategy it accepts.",
        valueName: "list"))
    var controllers: String?

    @Option(help: ArgumentHelp("Results CSV to write. Default: results/<commit>.csv for the shipped traces, results/<commit>-<trace>.csv for --trace.", valueName: "file.csv"))
    var out: String?

    @Option(help: ArgumentHelp("Replays run in parallel (default: the number of cores). Results do not depend on it.", valueName: "n"))
    var jobs: Int = SweepConfig.defaultJobs

    @Flag(help: "Print no table or summary (errors and the results path only).")
    var quiet = false

    @Option(help: ArgumentHelp("Also write each trace's physical IRQ rate over time (per ms, per strategy) as DIR/<trace>.rate.csv (DIR/<trace>.<controllers>.rate.csv on other controllers than the PLIC), for 'irqbench plot rate'.",
                               valueName: "dir"))
    var rateDir: String?

    @Option(help: ArgumentHelp("Also write every latency distribution as an HdrHistogram percentile distribution file, DIR/<trace>.<strategy>[@<controllers>].<distribution>.hgrm (values in microseconds), for HdrHistogram's plotters.",
                               valueName: "dir"))
    var hgrm: String?

    @Option(help: ArgumentHelp("Also write a per-request timeline CSV: every request's arrival, claim, guest claim, handler start and done times (empty when never reached), and every guest service start, per replay (docs/timeline.md defines each column).",
                               valueName: "file.csv"))
    var timeline: String?

    @Option(help: ArgumentHelp("With --timeline: only the N worst requests of each replay by --worst-by, worst first (kept in a heap of N: bounded memory on any trace), and no service-start rows.",
                               valueName: "n"))
    var worst: Int?

    @Option(name: .customLong("worst-by"),
            help: ArgumentHelp("With --worst: the latency that ranks requests, a per-request distribution of docs/model.md §9 (default \(TimelineLatency.requestToDone.rawValue)). A request that never got there ranks worst.",
                               valueName: "latency"))
    var worstBy: TimelineLatency?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be >= 1") }
        if let n = worst {
            guard timeline != nil else { throw ValidationError("--worst needs --timeline FILE.csv") }
            guard n >= 1 else { throw ValidationError("--worst \(n): keep at least 1 request per replay") }
        }
        if worstBy != nil && worst == nil { throw ValidationError("--worst-by needs --worst N") }
        if let t = timeline, let o = out, URL(fileURLWithPath: t).standardizedFileURL == URL(fileURLWithPath: o).standardizedFileURL {
            throw ValidationError("--timeline and --out name the same file: \(t)")
        }
        if controllers != nil && scenario.params.contains(where: { $0.hasPrefix("irqchip=") || $0.hasPrefix("guest_irqchip=") }) {
            throw ValidationError("--controllers and --param irqchip/guest_irqchip both choose the controllers: give one of them")
        }
        if controllers != nil, let p = scenario.platform {
            throw ValidationError("--controllers and --platform \(p) both choose the controllers: give one of them")
        }
        _ = try controllerScenarios()
    }

    /// The scenarios to replay, one per controller configuration, with their strategies.
    func controllerScenarios() throws -> [(scenario: Scenario, strategies: [EndStrategy])] {
        let base = try scenario.scenario()
        // A platform preset or an irqchip --param picks the controllers; otherwise the main job runs all.
        let chosen = scenario.platform != nil || scenario.params.contains { $0.hasPrefix("irqchip=") || $0.hasPrefix("guest_irqchip=") }
        let labels: [String]
        switch controllers {
        case "all"?: labels = Scenario.controllerConfigurations
        case let list?: labels = list.split(separator: ",").map(String.init)
        case nil: labels = input.traces.isEmpty && !chosen ? Scenario.controllerConfigurations : [base.controllerLabel]
        }
        let requested = scenario.strategy == "all" ? nil : try scenario.strategies(checked: false)
        let settings = try scenario.sourceSettings().0
        var out: [(Scenario, [EndStrategy])] = []
        for label in labels {
            var s = base
            do { try s.setControllers(label); try s.validate() }
            catch { throw ValidationError("controllers \(label): \(error)") }
            // Each configuration runs what it can of the requested strategies.
            let strategies = requested.map { r in r.filter { (try? s.check(strategy: $0, sources: settings)) != nil } }
                ?? s.applicableStrategies(sources: settings)
            if strategies.isEmpty {
                let why = requested.flatMap { r in r.lazy.compactMap { t -> String? in
                    do { try s.check(strategy: t, sources: settings); return nil } catch { return "\(error)" }
                }.first } ?? "no strategy fits"
                throw ValidationError("controllers \(label): \(why)")
            }
            out.append((s, strategies))
        }
        return out
    }

    func run() throws {
        let paths = try input.paths()
        var config = SweepConfig()
        config.platform = try scenario.preset()
        (config.sources, config.sourcesSHA256) = try scenario.sourceSettings()
        config.traceOptions = reading.traceOptions
        // git runs beside the first replays (a few ms of wall time otherwise): the commit is
        // needed only for the rows, after the first configuration's replays.
        let commitLookup = JoinableThread { toolCommit() }
        config.jobs = jobs
        config.progress = quiet ? nil : ProgressLine()
        // Shared by the controller configurations' sweeps: each trace's first pass once per run.
        config.firstPasses = FirstPassCache()
        // Made before any replay, so a timeline path that cannot be written stops the run at once.
        var timelineParts: TimelineParts?
        if let path = timeline {
            do { timelineParts = try TimelineParts(target: path) } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
            config.timeline = TimelineSpec(worst: worst, worstBy: worstBy ?? .requestToDone,
                                           partsDirectory: timelineParts!.directory)
        }

        // One sweep per controller configuration, in order: rows come out configuration by
        // configuration, each as a run of that configuration alone would write them.
        var result = SweepResult(outcomes: [], failures: [])
        var rows: [ResultRow] = []
        var failedTraces = Set<String>()
        // Rate series per trace and configuration: the summary's groups (trace, params).
        var series: [String: [RateSeries]] = [:]
        var seriesFile: [String: String] = [:]
        for (s, strategies) in try controllerScenarios() {
            config.scenario = s
            config.strategies = strategies
            let r = Sweep.run(traces: paths, config: config)
            config.commit = commitLookup.join()
            for f in r.failures where failedTraces.insert(f.tracePath).inserted {
                printError("error: \(f.message)")
                result.failures.append(f)
            }
            result.outcomes += r.outcomes
            rows += r.resultRows(config: config)
            for o in r.outcomes {
                let key = RunSummary.groupLabel(trace: o.traceName, params: config.paramsDescription)
                series[key, default: []].append(
                    RateSeries(strategy: o.strategy.rawValue, bucketNs: o.rateBucketNs, counts: o.rateSeries))
                seriesFile[key] = o.controller == Scenario().controllerLabel
                    ? "\(o.traceName).rate.csv"
                    : "\(o.traceName).\(o.controller.replacingOccurrences(of: "/", with: "+")).rate.csv"
            }
        }
        reportTraceNotes(result.outcomes)

        guard !result.outcomes.isEmpty else {
            printError("no trace could be replayed; no results written")
            throw ExitCode(1)
        }
        let outPath = out ?? defaultOutput(commit: config.commit, paths: paths)
        try writeFileAtomically(ResultsCSV.render(rows), to: outPath)

        if let dir = rateDir {
            for (key, s) in series.sorted(by: { $0.key < $1.key }) {
                let path = (dir as NSString).appendingPathComponent(seriesFile[key]!)
                try writeFileAtomically(RateSeriesCSV.render(s), to: path)
                print("rate series: \(path)")
            }
        }
        if let dir = hgrm {
            let files = try HgrmExport.write(result.outcomes, to: dir)
            print("hgrm: \(files.count) files in \(dir)")
        }
        if let parts = timelineParts {
            do {
                let n = try parts.write(result.outcomes.compactMap(\.timeline))
                print("timeline: \(parts.target) (\(n) rows)")
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
        if !quiet {
            print(SummaryTable.render(result.outcomes))
            print("")
            for line in RunSummary.lines(rows: rows.filter { !$0.metric.contains(LatencyBuckets.infix) }, series: series) {
                print(line)
            }
            print("")
        }
        print("results: \(outPath) (\(rows.count) rows, \(result.outcomes.count) replays)")
        if !result.failures.isEmpty { throw ExitCode(1) }
    }

    func defaultOutput(commit: String, paths: [String]) -> String {
        if input.traces.isEmpty { return "results/\(commit).csv" }
        let first = URL(fileURLWithPath: paths[0]).deletingPathExtension().lastPathComponent
        return "results/\(commit)-\(first)\(paths.count > 1 ? "+\(paths.count - 1)" : "").csv"
    }

    /// Warnings the readers left (truncation, reordering, gap compression), once per trace.
    func reportTraceNotes(_ outcomes: [ReplayOutcome]) {
        var seen = Set<String>()
        for o in outcomes where seen.insert(o.tracePath).inserted {
            let r = o.report
            if r.truncated { printError("warning: \(o.tracePath): ends inside its last record; replayed the \(r.recordCount) complete records") }
            if r.reorderedRecords > 0 { printError("note: \(o.tracePath): \(r.reorderedRecords) records went back in time and were sorted into place") }
            if r.compressedGaps > 0 { printError("note: \(o.tracePath): \(r.compressedGaps) idle gaps compressed (\(r.removedGapNs) ns removed)") }
            for n in r.notes { printError("note: \(n)") }
        }
    }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

extension TimelineLatency: ExpressibleByArgument {}
