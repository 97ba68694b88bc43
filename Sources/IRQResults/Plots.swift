import Foundation

/// The pictures of `irqbench plot`. Each `*Script` function returns the gnuplot body and data files
/// (testable without gnuplot); the matching function without the suffix renders them.
public enum Plots {
    public struct Curve: Sendable {
        public var label: String
        public var distribution: LatencyDistribution
        public init(label: String, distribution: LatencyDistribution) {
            self.label = label
            self.distribution = distribution
        }
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    // MARK: latency CDF

    /// Cumulative fraction of samples at or below each bucket bound, log latency axis. With `tail`,
    /// the complement (fraction above) on a log axis instead, which spreads out p99 ... p99.99.
    public static func latencyCDFScript(title: String, curves: [Curve], tail: Bool) -> (body: String, data: [String: String]) {
        var data: [String: String] = [:]
        var plots: [String] = []
        var lo = UInt64.max, hi: UInt64 = 0
        // An OLD/NEW pair of one strategy shares its colour; the dash tells them apart.
        let groups = orderedUnique(curves.map(pairName))
        for (i, c) in curves.enumerated() where c.distribution.total > 0 {
            let cdf = c.distribution.cdf
            var text = "# bound_ns fraction\n"
            // Start the step at the lower edge of the first non-empty bucket so the curve rises from 0.
            if let first = c.distribution.counts.firstIndex(where: { $0 > 0 }) {
                let edge = max(1, LatencyBuckets.lowerBound(ofBucket: first))
                text += "\(edge) \(tail ? 1.0 : 0.0)\n"
                lo = min(lo, edge)
            }
            for (bound, _, f) in cdf {
                guard let bound else { continue } // the overflow bucket has no finite x
                let y = tail ? 1 - f : f
                if tail && y <= 0 { break }
                text += "\(bound) \(y)\n"
                if f > 0 { hi = max(hi, bound) }
                if f >= 1 { break }
            }
            let name = "cdf\(i).dat"
            data[name] = text
            let dash = c.label.hasSuffix("(OLD)") ? " dt 2" : ""
            plots.append("\(Gnuplot.quote(name)) using 1:2 with steps lw 2\(dash) lc rgb '\(palette[groups.firstIndex(of: pairName(c))! % palette.count])' title \(Gnuplot.quote(c.label + " (n=\(c.distribution.total))"))")
        }
        var body = """
            set title \(Gnuplot.quote(title))
            set logscale x 10
            set xlabel 'latency (upper bound of bucket)'
            set xtics (\(latencyTics))
            set grid xtics ytics mxtics
            set key outside right top
            """
        if lo <= hi { body += "\nset xrange [\(lo / 2):\(max(hi * 2, lo * 10))]" }
        if tail {
            body += "\nset logscale y 10\nset ylabel 'fraction of samples above'\nset format y '%g'"
        } else {
            body += "\nset yrange [0:1.02]\nset ylabel 'fraction of samples at or below'"
        }
        body += plots.isEmpty
            ? "\nset label 1 'no samples' at graph 0.5, graph 0.5 center\nplot [1:10] [0:1] NaN notitle"
            : "\nplot " + plots.joined(separator: ", \\\n     ")
        return (body, data)
    }

    public static func latencyCDF(title: String, curves: [Curve], tail: Bool = false, format: PlotFormat, to output: String) throws {
        let s = latencyCDFScript(title: title, curves: curves, tail: tail)
        try Gnuplot.render(body: s.body, data: s.data, format: format, to: output)
    }

    static func pairName(_ c: Curve) -> String {
        for suffix in [" (OLD)", " (NEW)"] where c.label.hasSuffix(suffix) { return String(c.label.dropLast(suffix.count)) }
        return c.label
    }

    static let latencyTics: String = {
        let names = ["10ns", "100ns", "1us", "10us", "100us", "1ms", "10ms", "100ms", "1s", "10s", "100s"]
        var v: UInt64 = 10
        return names.map { n in defer { v *= 10 }; return "'\(n)' \(v)" }.joined(separator: ", ")
    }()

    // MARK: IRQ rate over time

    /// Physical IRQs per bucket against time, one step line per strategy: a storm is a wall.
    public static func rateScript(title: String, series: [RateSeries], logY: Bool) -> (body: String, data: [String: String]) {
        var data: [String: String] = [:]
        var plots: [String] = []
        for (i, s) in series.enumerated() {
            let ms = Double(s.bucketNs) / 1_000_000
            var text = "# time_ms irqs_per_bucket\n"
            for (k, c) in s.counts.enumerated() { text += "\(Double(k) * ms) \(c)\n" }
            // Close the last step at its end so the final bucket is drawn with its full width.
            if let last = s.counts.last { text += "\(Double(s.counts.count) * ms) \(last)\n" }
            let name = "rate\(i).dat"
            data[name] = text
            var label = s.strategy
            if let w = s.peakWindow() {
                label += " (peak \(w.peak) at \(formatDuration(w.startNs))-\(formatDuration(w.endNs)))"
            }
            plots.append("\(Gnuplot.quote(name)) using 1:2 with steps lw 1.5 lc rgb '\(palette[i % palette.count])' title \(Gnuplot.quote(label))")
        }
        let bucket = series.first.map { formatDuration($0.bucketNs) } ?? "bucket"
        var body = """
            set title \(Gnuplot.quote(title))
            set xlabel 'time since the first trace event (ms)'
            set ylabel \(Gnuplot.quote("physical IRQs per \(bucket)"))
            set grid
            set key outside right top
            """
        body += logY ? "\nset logscale y 10\nset yrange [0.8:*]" : "\nset yrange [0:*]"
        body += plots.isEmpty
            ? "\nset label 1 'no series' at graph 0.5, graph 0.5 center\nplot [0:1] NaN notitle"
            : "\nplot " + plots.joined(separator: ", \\\n     ")
        return (body, data)
    }

    public static func rate(title: String, series: [RateSeries], logY: Bool = false, format: PlotFormat, to output: String) throws {
        let s = rateScript(title: title, series: series, logY: logY)
        try Gnuplot.render(body: s.body, data: s.data, format: format, to: output)
    }

    // MARK: before/after

    /// Horizontal bars of the percent change of every metric that moved, largest first, coloured by
    /// verdict (red worse, green better, grey ~, orange changed without direction). Changes from 0
    /// have no percentage; they are drawn at the clamp and marked in their label.
    public static func comparisonBarsScript(title: String, report: ComparisonReport, limit: Int = 40) -> (body: String, data: [String: String]) {
        let clamp = 1000.0
        let moved = report.rows.filter { $0.verdict != .same && $0.delta != nil && $0.delta != 0 }
        let ranked = moved.sorted { a, b in
            let x = a.percent.map(abs) ?? .infinity, y = b.percent.map(abs) ?? .infinity
            return x != y ? x > y : a.key.label < b.key.label
        }.prefix(limit)
        var text = "# index percent color label\n"
        for (i, r) in ranked.reversed().enumerated() {
            var p = r.percent ?? ((r.delta ?? 0) > 0 ? clamp : -clamp)
            var label = "\(r.key.trace) \(r.key.strategy) \(r.key.metric)"
            if r.percent == nil { label += " (from 0)" } else if abs(p) > clamp { label += " (\(String(format: "%+.0f%%", p)))"; p = p > 0 ? clamp : -clamp }
            let color: Int
            switch r.verdict {
            case .worse: color = 0xd62728
            case .better: color = 0x2ca02c
            case .changed: color = r.isRegression ? 0xd62728 : 0xff7f0e
            default: color = 0x999999
            }
            text += "\(i) \(p) \(color) \"\(label.replacingOccurrences(of: "\"", with: "'"))\"\n"
        }
        let height = max(1, ranked.count)
        var body = """
            set title \(Gnuplot.quote(title + (moved.count > limit ? " (largest \(limit) of \(moved.count) changes)" : "")))
            set xlabel 'change (% of OLD; red worse, green better, grey not significant)'
            set grid xtics
            set style fill solid 0.85 border -1
            set ytics nomirror font ',8'
            set yrange [-0.7:\(Double(height) - 0.3)]
            set yzeroaxis lt -1
            unset key
            """
        body += ranked.isEmpty
            ? "\nset label 1 'no metric changed' at graph 0.5, graph 0.5 center\nplot [-1:1] NaN notitle"
            : "\nplot 'bars.dat' using ($2/2):1:(abs($2)/2):(0.38):3:ytic(4) with boxxyerror lc rgb variable"
        return (body, ["bars.dat": text])
    }

    public static func comparisonBars(title: String, report: ComparisonReport, limit: Int = 40, format: PlotFormat, to output: String) throws {
        let s = comparisonBarsScript(title: title, report: report, limit: limit)
        try Gnuplot.render(body: s.body, data: s.data, format: format, to: output)
    }

    // MARK: from results files

    /// One CDF picture per (trace, parameters, kind, distribution) found in `rows`, a curve per
    /// strategy; repetitions are summed. Returns the paths written.
    public static func latencyCDFs(rows: [ResultRow], directory: String, prefix: String = "",
                                   tail: Bool = false, format: PlotFormat) throws -> [String] {
        struct Group: Hashable { var trace: String; var params: String; var kind: MetricKind; var name: String }
        var order: [Group] = []
        var curves: [Group: [(String, LatencyDistribution)]] = [:]
        let byGroup = Dictionary(grouping: rows.filter { LatencyBuckets.split($0.metric) != nil }) {
            Group(trace: $0.trace, params: $0.params, kind: $0.kind, name: LatencyBuckets.split($0.metric)!.name)
        }
        for r in rows {
            guard let (name, _) = LatencyBuckets.split(r.metric) else { continue }
            let g = Group(trace: r.trace, params: r.params, kind: r.kind, name: name)
            guard curves[g] == nil else { continue }
            order.append(g)
            let members = byGroup[g]!
            curves[g] = orderedUnique(members.map(\.strategy)).map { s in
                (s, LatencyBuckets.distributions(in: members.filter { $0.strategy == s })[name]!)
            }
        }
        let paramSets = Dictionary(grouping: order, by: \.trace).mapValues { orderedUnique($0.map(\.params)) }
        var written: [String] = []
        for g in order {
            let stem = URL(fileURLWithPath: g.trace).deletingPathExtension().lastPathComponent
            let sets = paramSets[g.trace]!
            let paramsPart = sets.count > 1 ? "-p\(sets.firstIndex(of: g.params)!)" : ""
            let kindPart = g.kind == .sim ? "" : "-\(g.kind.rawValue)"
            let file = "\(prefix)\(stem)\(paramsPart)\(kindPart)-\(g.name)-\(tail ? "tail" : "cdf").\(format.rawValue)"
            let path = URL(fileURLWithPath: directory).appendingPathComponent(file).path
            var title = "\(g.name): \(g.trace)"
            if !g.params.isEmpty { title += " (\(g.params))" }
            if g.kind != .sim { title += " [\(g.kind.rawValue)]" }
            try latencyCDF(title: title, curves: curves[g]!.map { Curve(label: $0.0, distribution: $0.1) },
                           tail: tail, format: format, to: path)
            written.append(path)
        }
        return written
    }
}

/// 850 ns, 2.05 us, 28.1 ms, 1.5 s: three significant digits, the unit that fits.
public func formatDuration(_ ns: UInt64) -> String { formatDuration(Double(ns)) }

public func formatDuration(_ ns: Double) -> String {
    let units: [(Double, String)] = [(1e9, "s"), (1e6, "ms"), (1e3, "us")]
    for (scale, unit) in units where ns >= scale {
        return String(format: "%.3g", ns / scale) + " " + unit
    }
    return String(format: "%.0f", ns) + " ns"
}
