import Foundation
import IRQCore
import IRQReplay
import IRQResults
import IRQTrace

/// What every replay of a sweep shares.
public struct SweepConfig: Sendable {
    public var scenario = Scenario()
    /// The platform preset the scenario was built from (`--platform`), for the provenance.
    public var platform: PlatformPreset? = nil
    public var sources = SourceSettings()
    /// sha256 of the per-source settings file, when one was given (part of the provenance).
    public var sourcesSHA256: String? = nil
    public var traceOptions = TraceOptions()
    public var strategies: [EndStrategy] = EndStrategy.plicStrategies
    /// The irqbench commit written into every row.
    public var commit = "unknown"
    /// Replays run at once; 1 is serial. Results do not depend on it.
    public var jobs = SweepConfig.defaultJobs
    /// Also keep per-ms physical IRQ counts (summary storm window, plots).
    public var rateBucketNs: UInt64? = 1_000_000
    public var progress: ProgressLine? = nil
    /// Also record every replay's timeline (`irqbench run --timeline`); nil: none.
    public var timeline: TimelineSpec? = nil
    /// First passes of the traces already opened, so a trace replayed again is read once
    /// (`Sweep.run` makes one when none is given).
    public var firstPasses: FirstPassCache? = nil

    public init() {}

    /// The processors this process may use, read once: `activeProcessorCount` reads the cgroup's
    /// CPU quota and cpuset files on every call, and the command line's parser makes each
    /// command (whose --jobs defaults to this) several times before it runs.
    public static let defaultJobs = ProcessInfo.processInfo.activeProcessorCount

    /// The `params` provenance column: the platform, non-default scenario parameters, the sources digest.
    public var paramsDescription: String {
        paramsProvenance(scenario: scenario, platform: platform, sourcesSHA256: sourcesSHA256)
    }
}

/// One replay's outcome.
public struct ReplayOutcome: Sendable {
    public var tracePath: String
    public var traceName: String
    /// The controllers replayed (`Scenario.controllerLabel`).
    public var controller: String
    public var strategy: EndStrategy
    public var report: TraceReport
    public var metrics: ReplayMetrics
    public var rateSeries: [UInt32]
    /// Width of a `rateSeries` bucket (ns).
    public var rateBucketNs: UInt64
    public var unconsumedRequests: UInt64
    /// Harts of the scenario (the summary's busy share is per hart).
    public var harts: Int
    /// Its timeline rows, when `SweepConfig.timeline` asked for them.
    public var timeline: TimelinePart? = nil
}

/// A trace that could not be replayed: one line saying which file and what is wrong.
public struct SweepFailure: Error, Sendable, CustomStringConvertible {
    public var tracePath: String
    public var message: String
    public var description: String { message }
}

public struct SweepResult: Sendable {
    /// In input order: traces as given, strategies in `config.strategies` order.
    public var outcomes: [ReplayOutcome]
    /// One per failed trace, in input order.
    public var failures: [SweepFailure]

    public init(outcomes: [ReplayOutcome] = [], failures: [SweepFailure] = []) {
        self.outcomes = outcomes
        self.failures = failures
    }
}

public enum Sweep {
    /// Replays every trace under every strategy, `config.jobs` at a time. A trace that fails (bad
    /// file, bad record) is reported once and left out; the others are unaffected. Outcomes are
    /// ordered by input, never by completion, so results are identical for any `jobs`.
    public static func run(traces: [String], config given: SweepConfig) -> SweepResult {
        var withCache = given
        if withCache.firstPasses == nil { withCache.firstPasses = FirstPassCache() }
        let config = withCache
        let jobs = traces.flatMap { t in config.strategies.map { (t, $0) } }
        var results: [Result<ReplayOutcome, SweepFailure>] = []
        results.reserveCapacity(jobs.count)
        // Every outcome is kept (the summary table and the rate series need them all), so the
        // window is the whole list; emit cannot throw.
        try? orderedParallel(count: jobs.count, jobs: config.jobs, window: jobs.count) { i in
            let (path, strategy) = jobs[i]
            return Result { try replay(path: path, strategy: strategy, config: config) }
                .mapError { e in SweepFailure(tracePath: path, message: describe(e, path: path)) }
        } emit: { i, r in
            results.append(r)
            config.progress?.update("replayed \(i + 1)/\(jobs.count): \(URL(fileURLWithPath: jobs[i].0).lastPathComponent) \(jobs[i].1.rawValue)")
        }
        config.progress?.finish()
        var outcomes: [ReplayOutcome] = []
        var failures: [SweepFailure] = []
        var failed = Set<String>()
        for r in results {
            switch r {
            case .success(let o): outcomes.append(o)
            case .failure(let f):
                if failed.insert(f.tracePath).inserted { failures.append(f) }
            }
        }
        outcomes.removeAll { failed.contains($0.tracePath) }
        return SweepResult(outcomes: outcomes, failures: failures)
    }

    /// One replay: open (format by content), replay to the end. A native trace's first pass
    /// runs beside the replay (`TraceInput.reading`), or is reused from `config.firstPasses`.
    public static func replay(path: String, strategy: EndStrategy, config: SweepConfig) throws -> ReplayOutcome {
        var options = ReplayOptions(rateBucketNs: config.rateBucketNs)
        if let progress = config.progress {
            let name = URL(fileURLWithPath: path).lastPathComponent
            options.progress = { n in progress.update("\(name) \(strategy.rawValue): \(n) records") }
        }
        let traceName = URL(fileURLWithPath: path).lastPathComponent
        // Run once, or twice when the file must be read again as `TraceInput.open` reads it.
        let replay = { (input: TraceInput) throws -> (ReplayEngine, ReplayMetrics, TimelinePart?) in
            let engine = try ReplayEngine(scenario: config.scenario, sources: config.sources, strategy: strategy,
                                          options: options)
            var stream = input
            guard let spec = config.timeline else { return (engine, try engine.run(&stream), nil) }
            let prefix = TimelineCSV.prefix(trace: traceName, params: config.paramsDescription, strategy: strategy.rawValue)
            if let n = spec.worst {
                let worst = WorstRequests(limit: n, by: spec.worstBy)
                let metrics = try engine.run(&stream, timeline: worst)
                return (engine, metrics, .rows(worst.rows, prefix: prefix))
            }
            let part = try TimelinePartWriter(directory: spec.partsDirectory, prefix: prefix)
            let metrics = try engine.run(&stream, timeline: part)
            try part.finish()
            return (engine, metrics, .file(part.path))
        }
        let ((engine, metrics, timeline), input) = try config.firstPasses.map {
            try $0.reading(path: path, options: config.traceOptions, replay)
        } ?? TraceInput.reading(path: path, options: config.traceOptions, replay)
        return ReplayOutcome(
            tracePath: path, traceName: traceName,
            controller: config.scenario.controllerLabel, strategy: strategy,
            report: input.report, metrics: metrics, rateSeries: engine.rateSeries, rateBucketNs: engine.rateBucketNs,
            unconsumedRequests: engine.unconsumedRequests, harts: Int(config.scenario.harts), timeline: timeline)
    }

    static func describe(_ error: Error, path: String) -> String {
        let text = String(describing: error)
        // Trace errors already name their file; replay errors do not.
        return text.contains(path) ? text : "\(path): \(text)"
    }
}
