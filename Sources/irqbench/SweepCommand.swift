import ArgumentParser
import Foundation
import IRQReplay
import IRQResults
import IRQRun
import IRQTrace

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Replay traces under every point of a parameter grid and write one results CSV.",
        discussion: """
            The grid is the cartesian product of its axes (--grid, --grid-file; the first axis is \
            the outermost loop), times the traces, times the strategies. Each row's params column \
            starts with its grid point, every axis named (defaults included), then the fixed \
            --param settings. Rows are written in grid order as replays finish, so memory stays \
            bounded whatever the grid size, and the file is byte-identical for any --jobs.

            A grid point the model refuses (e.g. guest_hart >= harts) or a replay that fails is \
            reported with its parameters on one line and left out; the others go on and the exit \
            status is 1. A trace that cannot be read stops the sweep before any replay.

            Distributed runs: --shard i/N runs part i of N disjoint, balanced parts (the same split \
            on any machine). In a Slurm job array the part is taken from SLURM_ARRAY_TASK_ID, \
            _MIN, _STEP and _COUNT when --shard is not given. A part's file starts with comment \
            lines naming its sweep; 'irqbench merge' checks them and writes the file the \
            unsharded sweep writes, byte for byte. See docs/sweeps.md.
            """)

    @Option(name: .customLong("grid"), help: ArgumentHelp("A swept parameter (repeatable). \(GridSyntax.help)", valueName: "name=spec"))
    var grid: [String] = []

    @Option(help: ArgumentHelp("Axes from a file: one NAME=SPEC per line, # comments. Its axes come before --grid's.", valueName: "file"))
    var gridFile: String?

    @OptionGroup var input: TraceSelectionOptions
    @OptionGroup var scenario: ScenarioOptions
    @OptionGroup var reading: TraceReadingOptions

    @Option(help: ArgumentHelp("Results CSV to write. Default: results/<commit>-sweep.csv (a part: results/<commit>-sweep-<i>of<N>.csv).", valueName: "file.csv"))
    var out: String?

    @Option(help: ArgumentHelp("Run only part i of N (0 <= i < N). Default: from Slurm's array variables when set, else the whole sweep.", valueName: "i/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Replays run in parallel (default: the number of cores). Results do not depend on it.", valueName: "n"))
    var jobs: Int = SweepConfig.defaultJobs

    @Flag(help: "Print the size of the grid and of this part, then stop without replaying.")
    var dryRun = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be >= 1") }
        if let s = shard { do { _ = try Shard(parsing: s) } catch { throw ValidationError(error.description) } }
        if let f = gridFile, !FileManager.default.isReadableFile(atPath: f) {
            throw ValidationError("--grid-file \(f): no such readable file")
        }
        _ = try axes()
    }

    func axes() throws -> Grid {
        var axes: [GridAxis] = []
        do {
            if let f = gridFile { axes += try GridSyntax.parseFile(String(contentsOfFile: f, encoding: .utf8), file: f) }
            for g in grid { axes.append(try GridSyntax.parseAxis(g)) }
            return try Grid(axes: axes)
        } catch let e as GridError {
            throw ValidationError("--grid: \(e)")
        }
    }

    func part() throws -> Shard? {
        do {
            if let s = shard { return try Shard(parsing: s) }
            return try Shard.fromSlurm(ProcessInfo.processInfo.environment)
        } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let grid = try axes()
        let paths = try input.paths()
        var config = SweepConfig()
        config.scenario = try scenario.unvalidatedScenario()
        config.platform = try scenario.preset()
        (config.sources, config.sourcesSHA256) = try scenario.sourceSettings()
        // A grid over the controllers decides per point which strategies can run there.
        let controllersSwept = grid.axes.contains { a in Scenario.selectors.contains { $0.name == a.name } }
        config.strategies = try scenario.strategies(checked: !controllersSwept)
        config.traceOptions = reading.traceOptions
        config.commit = toolCommit()
        config.jobs = jobs
        config.firstPasses = FirstPassCache()
        do { try GridSweep.checkAxes(grid, base: config.scenario, fixedNames: scenario.paramNames) }
        catch { throw ValidationError("\(error)") }

        let plan = SweepPlan(
            grid: grid, traces: try GridSweep.inspectTraces(paths, options: config.traceOptions, firstPasses: config.firstPasses),
            strategies: config.strategies.map(\.rawValue),
            fixedParams: GridSweep.fixedParams(config.paramsDescription, axes: grid),
            commit: config.commit, reading: SweepPlan.readingDescription(config.traceOptions))
        let part = try part()
        let shard = part ?? .whole
        let total = plan.replayCount
        guard total < Int.max else { throw ValidationError("the grid has too many replays to count") }
        let size = shard.size(of: total)
        let description = "\(grid.pointCount) grid point\(grid.pointCount == 1 ? "" : "s") x \(plan.traces.count) trace(s) x "
            + "\(plan.strategies.count) strateg\(plan.strategies.count == 1 ? "y" : "ies") = \(total) replays"
            + (part.map { ", part \($0): \(size)" } ?? "")
        if dryRun {
            print(description)
            return
        }
        let outPath = out ?? "results/\(config.commit)-sweep" + (part.map { "-\($0.index)of\($0.count)" } ?? "") + ".csv"
        let progress = SweepProgress(line: ProgressLine())
        let summary = try GridSweep.run(plan: plan, config: config, part: part, to: outPath, progress: progress) { j, message in
            printError("error: replay \(j) failed at \(plan.describe(j)): \(message)")
        }
        if summary.skipped > 0 {
            printError("note: \(summary.skipped) replays skipped: strategies the point's controllers cannot run")
        }
        print("results: \(outPath) (\(description); \(summary.rows) rows"
            + (summary.skipped > 0 ? ", \(summary.skipped) replays skipped" : "")
            + (summary.failed > 0 ? ", \(summary.failed) replays failed" : "") + ")")
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
