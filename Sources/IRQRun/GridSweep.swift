import Foundation
import IRQReplay
import IRQResults
import IRQTrace

/// `irqbench sweep`: every grid point x trace x strategy of a plan (or one part of them), replayed
/// in parallel and written as one results CSV in replay order, streamed to disk as it goes.
public enum GridSweep {
    /// What one replay of a sweep gave: its rows as text, or why it has none.
    enum Outcome: Sendable {
        case rows(String, Int)
        case failed(String)
        case skipped(String)
    }

    public struct Summary: Sendable {
        public var replays = 0
        public var failed = 0
        /// Strategies the point's controllers cannot run (a grid over irqchip): left out, not failed.
        public var skipped = 0
        public var rows = 0
    }

    /// Opens every trace once (format, a full read, its sha256) before any replay, so a bad file
    /// stops the sweep at once instead of failing at every grid point. Names must be unique: the
    /// `trace` column is the file name.
    /// `firstPasses` keeps what these opens found, for the replays to read each file once.
    public static func inspectTraces(_ paths: [String], options: TraceOptions,
                                     firstPasses: FirstPassCache? = nil) throws -> [SweepPlan.Trace] {
        var out: [SweepPlan.Trace] = []
        var byName: [String: String] = [:]
        for path in paths {
            let input = try firstPasses?.open(path: path, options: options) ?? TraceInput.open(path: path, options: options)
            let name = URL(fileURLWithPath: path).lastPathComponent
            if let other = byName.updateValue(path, forKey: name) {
                throw GridError("\(other) and \(path) have the same file name \(name), which is what the results name a trace by: rename one")
            }
            out.append(.init(path: path, name: name, sha256: input.report.sha256 ?? ""))
        }
        return out
    }

    /// Checks that every value of every axis is accepted by the model (names and value syntax),
    /// and that no axis is also fixed with --param. Combinations are checked per point later: an
    /// invalid combination fails that point only.
    public static func checkAxes(_ grid: Grid, base: Scenario, fixedNames: [String]) throws {
        for a in grid.axes {
            if fixedNames.contains(a.name) {
                throw GridError("\(a.name) is both swept (--grid) and fixed (--param): drop one")
            }
            for v in a.values {
                var s = base
                do { try s.set(a.name, v) } catch { throw GridError("--grid \(a.name): \(error)") }
            }
        }
    }

    /// The shared part of `params` (`SweepConfig.paramsDescription`) without the swept names: a
    /// preset may set a parameter that the grid then sweeps, and a row must name it once.
    public static func fixedParams(_ description: String, axes: Grid) -> String {
        let swept = Set(axes.axes.map(\.name))
        return description.split(separator: ";").filter { !swept.contains(String($0.prefix { $0 != "=" })) }
            .joined(separator: ";")
    }

    /// The scenario of point `p`: the base with every axis set, validated.
    public static func scenario(at p: Int, plan: SweepPlan, base: Scenario) throws -> Scenario {
        var s = base
        for (axis, value) in zip(plan.grid.axes, plan.grid.values(at: p)) { try s.set(axis.name, value) }
        try s.validate()
        return s
    }

    /// Replays the plan's replays that belong to `part` (all of them when nil) and writes them to
    /// `path` atomically: rows in replay order, byte-identical for any `config.jobs`. A part's file
    /// starts with its manifest and marks failed replays in place. A failed replay is handed to
    /// `onFailure` (replay number, one-line message) and the others go on.
    public static func run(plan: SweepPlan, config: SweepConfig, part: Shard?, to path: String,
                           progress: SweepProgress? = nil,
                           onFailure: (Int, String) -> Void) throws -> Summary {
        let shard = part ?? .whole
        let total = plan.replayCount
        let count = shard.size(of: total)
        var replayConfig = config
        if replayConfig.firstPasses == nil { replayConfig.firstPasses = FirstPassCache() }
        replayConfig.progress = nil
        replayConfig.rateBucketNs = nil // the per-ms series is for plots of one run; metrics do not need it
        let strategies = config.strategies
        let base = config.scenario
        let frozen = replayConfig

        var summary = Summary()
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try writeAtomically(path: path) { temporary in
            let out = try BufferedFile(path: temporary)
            if part != nil { try out.write(SweepManifest.render(plan, shard: shard)) }
            try out.write(ResultsSchema.header + "\n")
            progress?.start(total: count)
            try orderedParallel(count: count, jobs: config.jobs, window: 4 * max(1, config.jobs)) { k -> Outcome in
                let j = shard.replay(k)
                let r = plan.replay(j)
                var c = frozen
                do { c.scenario = try scenario(at: r.point, plan: plan, base: base) } catch {
                    // The point itself is refused: the message is about its parameters, not the trace.
                    return .failed("\(error)")
                }
                do { try c.scenario.check(strategy: strategies[r.strategy], sources: c.sources) } catch { return .skipped("\(error)") }
                do {
                    let outcome = try Sweep.replay(path: plan.traces[r.trace].path, strategy: strategies[r.strategy], config: c)
                    let rows = outcome.resultRows(commit: plan.commit, params: plan.params(at: r.point))
                    var text = ""
                    for row in rows { text += row.csvLine + "\n" }
                    return .rows(text, rows.count)
                } catch {
                    return .failed(Sweep.describe(error, path: plan.traces[r.trace].path))
                }
            } emit: { k, result in
                let j = shard.replay(k)
                summary.replays += 1
                switch result {
                case .rows(let text, let rows):
                    try out.write(text)
                    summary.rows += rows
                case .failed(let message):
                    summary.failed += 1
                    onFailure(j, message)
                    if part != nil { try out.write(SweepManifest.gapLine(.failed, replay: j, plan: plan, message: message)) }
                case .skipped(let message):
                    summary.skipped += 1
                    if part != nil { try out.write(SweepManifest.gapLine(.skipped, replay: j, plan: plan, message: message)) }
                }
                progress?.advance(plan.describe(j))
            }
            progress?.finish()
            if part != nil { try out.write(SweepManifest.endLine(replays: summary.replays, rows: summary.rows)) }
            try out.close()
        }
        return summary
    }
}

/// Appends text to a file through a buffer, and makes it durable on close (fsync): the atomic
/// rename that follows must not publish a file whose bytes are still only in memory.
final class BufferedFile {
    let handle: FileHandle
    var buffer = Data()
    let limit = 1 << 20

    init(path: String) throws {
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = h
        buffer.reserveCapacity(limit)
    }

    func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= limit { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
    }
}
