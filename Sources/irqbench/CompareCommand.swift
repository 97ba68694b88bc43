import ArgumentParser
import Foundation
import IRQResults

extension CompareFormat: ExpressibleByArgument {}

/// The options that choose and judge the two sides; shared by `compare` and `plot compare`.
struct CompareInputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The baseline: a results CSV path, a git revision, or REV:PATH.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The candidate, in the same forms as OLD.", valueName: "new"))
    var new: String

    @Option(help: ArgumentHelp(
        "Per-metric thresholds: CSV lines 'metric,percent[,kind]' with globs, first match wins (see docs/compare.md).",
        valueName: "file"))
    var thresholds: String?

    @Option(help: "Significance level of the Mann-Whitney test for wall and live metrics.")
    var alpha: Double = 0.05

    @Flag(help: "Match rows without their parameters even in sweeps with several parameter sets per trace (one per side required).")
    var ignoreParams = false

    @Flag(help: "Treat runs made with different parameters as not comparable (exit 3). By default a single parameter change is compared and named.")
    var strictParams = false

    @Option(help: ArgumentHelp("When a side is a bare revision, consider only results files whose name matches this glob.",
                               valueName: "glob"))
    var match: String = "*.csv"

    @Option(name: .customLong("repo"), help: ArgumentHelp("The git checkout in which revisions are resolved.", valueName: "dir"))
    var repository: String = "."

    func validate() throws {
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1 (exclusive)") }
        if let t = thresholds, !FileManager.default.isReadableFile(atPath: t) {
            throw ValidationError("--thresholds: cannot read \(t)")
        }
    }

    /// Reads both sides and compares them. Failures to read end the process here with the
    /// documented codes (3 for an unsupported schema, 4 for anything else), never with 1, which
    /// would read as a regression in CI.
    func load() throws -> (report: ComparisonReport, old: ResultsSource, new: ResultsSource) {
        do {
            let th = try thresholds.map { try Thresholds.load(path: $0) } ?? Thresholds()
            let o = try ResultsSource.resolve(old, match: match, repository: repository)
            let n = try ResultsSource.resolve(new, match: match, repository: repository)
            for note in [o.note, n.note].compactMap({ $0 }) { CompareCommand.printError("note: \(note)") }
            let report = compareResults(old: try o.rows(), new: try n.rows(),
                                        options: CompareOptions(thresholds: th, alpha: alpha, ignoreParams: ignoreParams, strictParams: strictParams))
            return (report, o, n)
        } catch let e as ResultsFormatError where e.reason.hasPrefix("schema version") {
            CompareCommand.printError("irqbench compare: not comparable: \(e)")
            throw ExitCode(CompareExitStatus.notComparable.rawValue)
        } catch let e as ExitCode {
            throw e
        } catch {
            CompareCommand.printError("irqbench compare: \(error)")
            throw ExitCode(CompareCommand.inputErrorExitCode)
        }
    }
}

struct CompareCommand: ParsableCommand {
    static let inputErrorExitCode: Int32 = 4

    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two results files and say, with an exit code, whether anything regressed.",
        discussion: """
            Each side is a results CSV path, a git revision (the newest results/*.csv committed at that \
            revision; narrow with --match), or REV:PATH. Rows are matched by trace, parameters, strategy, \
            kind and metric.

            sim metrics are deterministic: any change counts (threshold 0%). wall and live metrics have \
            one row per repetition: the medians are shown and a two-sided Mann-Whitney U test decides; \
            '~' means not significant at --alpha, or within the metric's threshold (default 5% wall, 10% \
            live). Use at least 4 repetitions per side: with 3 the test can never reach p < 0.05. \
            Whether higher or lower is better comes from each metric's name; 'requests' must be equal \
            (else the inputs differ) and 'guest_interrupts' is informational.

            Exit codes:
              0  no regression
              1  regression beyond threshold (the regressed metrics are listed)
              2  improvements only
              3  inputs not comparable: traces (sha256), parameters, schema,
                 kinds, strategies or request counts differ (each one is named)
              4  an input could not be read (missing file, unknown revision, bad CSV)
             64  usage error
            See docs/compare.md.
            """
    )

    @OptionGroup var inputs: CompareInputOptions

    @Option(help: "Output format: table (terminal), markdown (pull requests), csv (scripts).")
    var format: CompareFormat = .table

    @Flag(help: "Leave out metrics whose verdict is 'same'.")
    var onlyChanges = false

    @Option(help: ArgumentHelp("Also draw the before/after bar chart of percent changes (.png or .svg).", valueName: "file"))
    var plot: String?

    func validate() throws {
        if let plot, PlotFormat(path: plot) == nil {
            throw ValidationError("--plot: the file name must end in .png or .svg")
        }
    }

    func run() throws {
        let (report, o, n) = try inputs.load()
        let text = CompareRendering(oldLabel: o.label, newLabel: n.label, onlyChanges: onlyChanges)
            .render(report, format: format)
        FileHandle.standardOutput.write(Data(text.utf8))
        if let plot, report.exitStatus != .notComparable {
            do {
                try Plots.comparisonBars(title: "\(o.label) -> \(n.label)", report: report,
                                         format: PlotFormat(path: plot)!, to: plot)
                Self.printError("wrote \(plot)")
            } catch {
                // The verdict stands without the picture; say why it is missing.
                Self.printError("irqbench compare: --plot: \(error)")
            }
        }
        throw ExitCode(report.exitStatus.rawValue)
    }
}

extension CompareCommand {
    /// Diagnostics go to standard error so that stdout stays the report (markdown piped into a PR comment).
    static func printError(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }
}
