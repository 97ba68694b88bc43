import ArgumentParser
import Foundation
import IRQResults

extension PlotFormat: ExpressibleByArgument {}

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw results as pictures (PNG or SVG) with gnuplot.",
        discussion: """
            Needs gnuplot (Debian/Ubuntu: apt-get install -y gnuplot-nox; or set IRQBENCH_GNUPLOT to \
            its path). Scripts and data are written to a temporary directory; each picture is moved \
            into place whole, so a reader never sees half a file. When gnuplot fails, the error names \
            the kept script. Exit 69 when gnuplot is missing.
            """,
        subcommands: [PlotCDF.self, PlotRate.self, PlotCompare.self, PlotCrossover.self, PlotWinMap.self]
    )
}

/// Fails early with the install hint instead of after the data is prepared.
func requireGnuplot() throws {
    guard Gnuplot.locate() != nil else {
        CompareCommand.printError("irqbench plot: \(Gnuplot.missingMessage)")
        throw ExitCode(69) // EX_UNAVAILABLE
    }
}

extension PlotCommand {
    struct PlotCDF: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cdf",
            abstract: "Latency CDFs, one picture per trace and distribution, a curve per strategy.",
            discussion: """
                Reads the <name>_hist_le_<bound> rows of a results file (repetitions are summed) and \
                writes <out>/<results name>-<trace>[-<params>]-<distribution>-cdf.<format> (<params> \
                tells a trace's parameter sets apart, e.g. -irqchip-gicv2 for the main job's GIC rows; \
                -p<N> when long): on a log latency axis, \
                the CDF above and, below it, the fraction of samples above each latency on a log axis, \
                which spreads out the p99 to p99.99 range that a CDF squeezes against 1. p50, p99 and \
                p99.9 are marked on each curve and given in the legend, with the requests a strategy never \
                served (unserved_requests) on the request_to_* pictures. With --tail, only the lower \
                panel (-tail.<format>).
                """
        )

        @Argument(help: "A results CSV path, a git revision or REV:PATH (as for compare).")
        var results: String

        @Option(help: ArgumentHelp("Directory for the pictures.", valueName: "dir"))
        var out: String = "plots"

        @Option(help: "png or svg.")
        var format: PlotFormat = .png

        @Flag(help: "Draw only the tail panel (fraction above, log scale), full size.")
        var tail = false

        @Option(name: .customLong("repo"), help: ArgumentHelp("The git checkout in which revisions are resolved.", valueName: "dir"))
        var repository: String = "."

        func run() throws {
            try requireGnuplot()
            let source = try ResultsSource.resolve(results, repository: repository)
            let rows = try source.rows()
            guard rows.contains(where: { LatencyBuckets.split($0.metric) != nil }) else {
                throw ValidationError("\(source.label) has no latency histogram rows (<name>_hist_le_<bound>)")
            }
            let stem = URL(fileURLWithPath: source.label.split(separator: ":").last.map(String.init) ?? source.label)
                .deletingPathExtension().lastPathComponent
            for path in try Plots.latencyCDFs(rows: rows, directory: out, prefix: stem + "-", tail: tail, format: format) {
                print(path)
            }
        }
    }

    struct PlotRate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rate",
            abstract: "Physical IRQ rate over time, a step line per strategy: a storm shows as a wall.",
            discussion: """
                Reads a rate series file: CSV with the header strategy,bucket_ns,bucket,count and one line \
                per non-empty bucket (count = physical irqs whose claim effect falls in \
                [bucket * bucket_ns, (bucket + 1) * bucket_ns)). Each strategy's legend names its busiest \
                window; the storm is shaded (where the strategy with the most IRQs runs at half its peak \
                or more, when it has at least 4 times the IRQs of the quietest).
                """
        )

        @Argument(help: "The rate series CSV.")
        var series: String

        @Option(help: ArgumentHelp("The picture to write (.png or .svg).", valueName: "file"))
        var out: String

        @Option(help: "Title of the picture (default: the series file name).")
        var title: String?

        @Flag(help: "Logarithmic rate axis, to see the quiet strategies next to a storm.")
        var logY = false

        func validate() throws {
            guard PlotFormat(path: out) != nil else { throw ValidationError("--out must end in .png or .svg") }
        }

        func run() throws {
            try requireGnuplot()
            let s = try RateSeriesCSV.load(path: series)
            try Plots.rate(title: title ?? "physical IRQ rate: \(URL(fileURLWithPath: series).lastPathComponent)",
                           series: s, logY: logY, format: PlotFormat(path: out)!, to: out)
            print(out)
        }
    }

    struct PlotCompare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Before/after: bars of percent change per metric, and paired latency CDFs.",
            discussion: """
                Compares as `irqbench compare` does (same arguments) and draws the change of every metric \
                that moved, largest first: red worse, green better, grey not significant or within its \
                threshold. When both sides have latency histograms, also writes one picture per trace \
                and distribution with OLD (dashed) and NEW (solid) CDFs per strategy, next to --out. \
                Exits 3 when the inputs are not comparable, as compare does; otherwise 0.
                """
        )

        @OptionGroup var inputs: CompareInputOptions

        @Option(help: ArgumentHelp("The bar chart to write (.png or .svg).", valueName: "file"))
        var out: String

        @Option(help: "At most this many bars (largest changes first).")
        var limit: Int = 40

        func validate() throws {
            guard PlotFormat(path: out) != nil else { throw ValidationError("--out must end in .png or .svg") }
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() throws {
            try requireGnuplot()
            let (report, o, n) = try inputs.load()
            guard report.exitStatus != .notComparable else {
                CompareCommand.printError("not comparable:\n" + report.incomparable.map { "  - \($0)" }.joined(separator: "\n"))
                throw ExitCode(CompareExitStatus.notComparable.rawValue)
            }
            let format = PlotFormat(path: out)!
            try Plots.comparisonBars(title: "\(o.label) -> \(n.label)", report: report, limit: limit, format: format, to: out)
            print(out)
            try pairedCDFs(old: o.rows(), new: n.rows(), ignoreParams: report.paramsIgnored, format: format)
        }

        func pairedCDFs(old: [ResultRow], new: [ResultRow], ignoreParams: Bool, format: PlotFormat) throws {
            // As the user wrote it (relative stays relative), without its extension.
            let base = (out as NSString).deletingPathExtension
            func keyed(_ rows: [ResultRow]) -> [String: (group: Plots.HistogramGroup, rows: [ResultRow])] {
                var out: [String: (group: Plots.HistogramGroup, rows: [ResultRow])] = [:]
                for (g, members) in Plots.histogramGroups(rows) {
                    let key = "\(g.trace)\u{0}\(ignoreParams ? "" : g.params)\u{0}\(g.kind.rawValue)\u{0}\(g.name)"
                    out[key, default: (g, [])].rows += members
                }
                return out
            }
            let o = keyed(old), n = keyed(new)
            for key in o.keys.sorted() {
                guard let (g, oldRows) = o[key], let newRows = n[key]?.rows else { continue }
                var curves: [Plots.Curve] = []
                for s in Set(oldRows.map(\.strategy)).union(newRows.map(\.strategy)).sorted() {
                    let os = oldRows.filter { $0.strategy == s }, ns = newRows.filter { $0.strategy == s }
                    if !os.isEmpty { curves.append(Plots.curve(label: "\(s) (OLD)", name: g.name, rows: os)) }
                    if !ns.isEmpty { curves.append(Plots.curve(label: "\(s) (NEW)", name: g.name, rows: ns)) }
                }
                let stem = URL(fileURLWithPath: g.trace).deletingPathExtension().lastPathComponent
                let path = base + "-\(stem)-\(g.kind == .sim ? "" : g.kind.rawValue + "-")\(g.name).\(format.rawValue)"
                try Plots.latencyCDF(title: "\(g.name): \(g.trace), OLD dashed, NEW solid", curves: curves, format: format, to: path)
                print(path)
            }
        }
    }
}
