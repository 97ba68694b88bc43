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
            With no arguments this is irqbench's main job: every trace in traces/ under every \
            strategy, a summary table on the terminal, and results/<commit>.csv (written atomically; \
            <commit> is irqbench's git commit, so results of different commits sit side by side).

            Trace formats are recognised by content: the native pcap format, the text CSV, network \
            captures (pcap, pcapng), Linux ftrace text (plain or gzip) and /proc/interrupts specs.

            A trace that cannot be read or replayed is reported on one line and left out; the others \
            are still replayed and written, and the exit status is 1.
            """)

    @OptionGroup var input: TraceSelectionOptions
    @OptionGroup var scenario: ScenarioOptions
    @OptionGroup var reading: TraceReadingOptions

    @Option(help: ArgumentHelp("Results CSV to write. Default: results/<commit>.csv for the shipped traces, results/<commit>-<trace>.csv for --trace.", valueName: "file.csv"))
    var out: String?

    @Option(help: ArgumentHelp("Replays run in parallel (default: the number of cores). Results do not depend on it.", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print no table or summary (errors and the results path only).")
    var quiet = false

    @Option(help: ArgumentHelp("Also write each trace's physical IRQ rate over time (per ms, per strategy) as DIR/<trace>.rate.csv, for 'irqbench plot rate'.",
                               valueName: "dir"))
    var rateDir: String?

    @Option(help: ArgumentHelp("Also write every latency distribution as an HdrHistogram percentile distribution file, DIR/<trace>.<strategy>.<distribution>.hgrm (values in microseconds), for HdrHistogram's plotters.",
                               valueName: "dir"))
    var hgrm: String?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be >= 1") }
    }

    func run() throws {
        let paths = try input.paths()
        var config = SweepConfig()
        config.scenario = try scenario.scenario()
        (config.sources, config.sourcesSHA256) = try scenario.sourceSettings()
        config.strategies = try scenario.strategies()
        config.traceOptions = reading.traceOptions
        config.commit = toolCommit()
        config.jobs = jobs
        config.progress = quiet ? nil : ProgressLine()

        let result = Sweep.run(traces: paths, config: config)
        for f in result.failures { printError("error: \(f.message)") }
        reportTraceNotes(result.outcomes)

        guard !result.outcomes.isEmpty else {
            printError("no trace could be replayed; no results written")
            throw ExitCode(1)
        }
        let rows = result.resultRows(config: config)
        let outPath = out ?? defaultOutput(commit: config.commit, paths: paths)
        try writeFileAtomically(ResultsCSV.render(rows), to: outPath)

        var series: [String: [RateSeries]] = [:]
        for o in result.outcomes {
            series[o.traceName, default: []].append(
                RateSeries(strategy: o.strategy.rawValue, bucketNs: o.rateBucketNs, counts: o.rateSeries))
        }
        if let dir = rateDir {
            for (trace, s) in series.sorted(by: { $0.key < $1.key }) {
                let path = (dir as NSString).appendingPathComponent("\(trace).rate.csv")
                try writeFileAtomically(RateSeriesCSV.render(s), to: path)
                print("rate series: \(path)")
            }
        }
        if let dir = hgrm {
            let files = try HgrmExport.write(result.outcomes, to: dir)
            print("hgrm: \(files.count) files in \(dir)")
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
