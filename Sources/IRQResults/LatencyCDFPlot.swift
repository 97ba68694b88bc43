import Foundation

extension Plots {
    /// A percentile drawn on a curve: its name (`p99`), level (0.99) and value.
    public struct Percentile: Sendable, Equatable {
        public var name: String
        public var level: Double
        public var ns: UInt64
        public init(name: String, level: Double, ns: UInt64) {
            self.name = name
            self.level = level
            self.ns = ns
        }
    }

    public struct Curve: Sendable {
        public var label: String
        public var distribution: LatencyDistribution
        public var percentiles: [Percentile]
        /// Requests that never reached the end this distribution measures (a strategy that loses
        /// them): said in the legend, since a curve of the few served ones alone looks fast.
        public var unserved: UInt64 = 0
        public init(label: String, distribution: LatencyDistribution, percentiles: [Percentile]? = nil) {
            self.label = label
            self.distribution = distribution
            self.percentiles = percentiles ?? Plots.percentiles(of: distribution)
        }
    }

    /// The percentiles marked on every curve: (metric suffix, name shown, level).
    static let markedPercentiles: [(suffix: String, name: String, level: Double)] =
        [("p50", "p50", 0.5), ("p99", "p99", 0.99), ("p999", "p99.9", 0.999)]

    /// p50, p99 and p99.9 of a distribution: the exact values where `exact` has them (the
    /// `_p50`, `_p99`, `_p999` metrics, keyed by suffix), else the bound of the bucket holding it.
    public static func percentiles(of d: LatencyDistribution, exact: [String: UInt64] = [:]) -> [Percentile] {
        markedPercentiles.compactMap { suffix, name, level in
            guard let ns = exact[suffix] ?? d.quantileBound(level) else { return nil }
            return Percentile(name: name, level: level, ns: ns)
        }
    }

    // MARK: latency CDF

    /// Latency CDFs on a log latency axis, one curve per strategy, in two panels sharing that
    /// axis: the CDF (fraction at or below) for the body of the distributions, and below it the
    /// fraction above on a log axis, where p99 and p99.9 lie a decade apart instead of squeezed
    /// against 1. Each curve's p50 (both panels), p99 and p99.9 (lower panel) are marked with
    /// its point type and named in the legend. With `tail`, only the second panel, full size.
    public static func latencyCDFScript(title: String, curves: [Curve], tail: Bool) -> (body: String, data: [String: String]) {
        var data: [String: String] = [:]
        var lo = UInt64.max, hi: UInt64 = 0, minAbove = 1.0
        let drawn = curves.enumerated().filter { $0.element.distribution.total > 0 }
        // An OLD/NEW pair of one strategy shares its colour and point type; OLD is dashed and wider.
        let groups = orderedUnique(drawn.map { pairName($0.element) })
        var cdfPlots: [String] = [], tailPlots: [String] = []
        for (i, c) in drawn {
            var style = LineStyle(groups.firstIndex(of: pairName(c))!, of: groups.count)
            if c.label.hasSuffix("(OLD)") { style.dash = "(9,4)"; style.width = 3.5 }
            if c.label.hasSuffix("(NEW)") { style.dash = "solid"; style.width = 1.5 }
            let total = Double(c.distribution.total)
            // Each non-empty bucket rises from the previous fraction at its lower edge to its own
            // at its upper edge (where in the bucket the samples lie is not known); flat between.
            var text = "# latency_ns fraction_at_or_below fraction_above\n"
            var running: UInt64 = 0, overflow: UInt64 = 0
            for (k, n) in c.distribution.counts.enumerated() where n > 0 {
                guard let upper = LatencyBuckets.upperBound(ofBucket: k) else { overflow = n; continue }
                let x0 = max(0.5, Double(LatencyBuckets.lowerBound(ofBucket: k))), x1 = max(0.5, Double(upper))
                let before = Double(running) / total
                running += n
                let after = Double(running) / total
                // Nothing above: a value far below the axis, so the line drops off the bottom
                // of the log axis instead of ending where gnuplot cannot draw 0.
                text += "\(x0) \(before) \(Self.above(before))\n\(x1) \(after) \(Self.above(after))\n"
                lo = min(lo, UInt64(x0)); hi = max(hi, UInt64(x1))
                if after < 1 { minAbove = min(minAbove, 1 - after) }
            }
            data["cdf\(i).dat"] = text
            var marks = "# latency_ns level level_above\n"
            for p in c.percentiles { marks += "\(p.ns) \(p.level) \(1 - p.level)\n" }
            data["marks\(i).dat"] = marks

            var key = "\(c.label)  n=\(c.distribution.total)"
            for p in c.percentiles { key += "  \(p.name) \(formatDuration(p.ns))" }
            if overflow > 0 { key += "  (\(overflow) above \(formatDuration(LatencyBuckets.upperBounds.last!)))" }
            if c.unserved > 0 { key += "  (\(c.unserved) never served)" }
            let point = "pt \(style.point) ps 1.5"
            let mark = "\(point) lc rgb '\(style.color)'"
            cdfPlots += ["'cdf\(i).dat' using 1:2 with lines \(style.line) notitle",
                         "'marks\(i).dat' using 1:($2 <= 0.5 ? $2 : NaN) with points \(mark) notitle",
                         "NaN with linespoints \(style.line) \(point) title \(Gnuplot.quote(key))"]
            tailPlots += ["'cdf\(i).dat' using 1:3 with lines \(style.line) notitle",
                          "'marks\(i).dat' using 1:3 with points \(mark) notitle"]
            if tail { tailPlots.append("NaN with linespoints \(style.line) \(point) title \(Gnuplot.quote(key))") }
        }
        guard !drawn.isEmpty else {
            return ("set title \(Gnuplot.quote(title))\nset label 1 'no samples' at graph 0.5, graph 0.5 center\nplot [1:10] [0:1] NaN notitle", data)
        }
        let xrange = "set xrange [\(Double(lo) / 1.6):\(Double(max(hi, lo * 10)) * 1.6)]"
        // Down to the smallest fraction above that any curve shows, a decade at a time.
        let floorDecade = min(-3, Int((log10(minAbove)).rounded(.down)))
        // Tic labels are format strings to gnuplot: a literal % is written %%.
        let yTics = (floorDecade...0).map { e in
            "'\(percentText(pow(10, Double(e))).replacingOccurrences(of: "%", with: "%%"))' 1e\(e)"
        }.joined(separator: ", ")
        // The legend goes below y = 0, inside the frame, where a CDF has nothing to draw: the
        // y axis is extended down by the legend's height (about 17 px a line of a 425 px panel).
        let keyShare = min(0.6, Double(17 * drawn.count + 14) / 425)
        let yBottom = -1.02 * keyShare / (1 - keyShare)
        let key = "set key inside right bottom opaque box lc rgb '#aaaaaa' samplen 5 spacing 1.15 width 1 font ',9'"
        let spanDecades = log10(Double(max(hi, lo * 10)) * 1.6) - log10(Double(max(lo, 1)) / 1.6)
        var body = """
            set logscale x 10
            \(xrange)
            set grid xtics ytics mxtics lc rgb '#dddddd'
            set mxtics 10
            """
        func guides(_ levels: [(String, Double)]) -> String {
            levels.enumerated().map { n, l in
                "set arrow \(n + 1) from graph 0, first \(l.1) to graph 1, first \(l.1) nohead dt (2,4) lc rgb '#777777' back\n"
                    + "set label \(n + 1) \(Gnuplot.quote(l.0)) at graph 0.995, first \(l.1) right offset 0, 0.55 tc rgb '#555555' font ',9'"
            }.joined(separator: "\n")
        }
        let tailPanel = """
            set logscale y 10
            set yrange [1e\(floorDecade):1.6]
            set ytics (\(yTics))
            set ylabel 'fraction of samples above'
            set xtics (\(latencyTics(labelled: true, labelMinor: spanDecades <= 3)))
            set xlabel 'latency'
            \(guides([("p50", 0.5), ("p99", 0.01), ("p99.9", 0.001)]))
            """
        if tail {
            // The legend goes above 100%, where no curve can be: the axis is extended up by the
            // legend's share of a 530 px plot.
            let share = min(0.6, Double(17 * drawn.count + 14) / 530)
            let decades = Double(-floorDecade) + 0.2
            let top = 1.6 * pow(10, share * decades / (1 - share))
            body += "\nset title \(Gnuplot.quote(title + " (tail)"))\n" + tailPanel
                + "\nset yrange [1e\(floorDecade):\(top)]"
                + "\n\(key.replacingOccurrences(of: "right bottom", with: "right top"))"
                + "\nplot " + tailPlots.joined(separator: ", \\\n     ")
            return (body, data)
        }
        body += """

            set multiplot title \(Gnuplot.quote(title))
            set lmargin at screen 0.08
            set rmargin at screen 0.97
            set tmargin at screen 0.93
            set bmargin at screen 0.43
            set yrange [\(String(format: "%.3f", yBottom)):1.02]
            set ytics 0, 0.1, 1
            set xzeroaxis lt -1 lc rgb '#888888'
            set ylabel 'fraction of samples at or below'
            set xtics (\(latencyTics(labelled: false, labelMinor: spanDecades <= 3)))
            unset xlabel
            \(key)
            \(guides([("p50", 0.5)]))
            plot \(cdfPlots.joined(separator: ", \\\n     "))
            unset arrow
            unset label
            unset key
            set tmargin at screen 0.40
            set bmargin at screen 0.08
            \(tailPanel)
            plot \(tailPlots.joined(separator: ", \\\n     "))
            unset multiplot
            """
        return (body, data)
    }

    public static func latencyCDF(title: String, curves: [Curve], tail: Bool = false, format: PlotFormat, to output: String) throws {
        let s = latencyCDFScript(title: title, curves: curves, tail: tail)
        try Gnuplot.render(body: s.body, data: s.data, format: format, size: tail ? nil : (1100, 850), to: output)
    }

    static func pairName(_ c: Curve) -> String {
        for suffix in [" (OLD)", " (NEW)"] where c.label.hasSuffix(suffix) { return String(c.label.dropLast(suffix.count)) }
        return c.label
    }

    /// 1ns, 10ns, ..., 100s at every decade, named when `labelled`; 2 and 5 of each decade too
    /// when `labelMinor` (short ranges, where decades alone leave the axis nearly unlabelled).
    static func latencyTics(labelled: Bool, labelMinor: Bool) -> String {
        var tics: [String] = []
        var decade: UInt64 = 1
        while decade <= 100_000_000_000 {
            for m: UInt64 in [1, 2, 5] where m == 1 || labelMinor {
                let v = decade * m
                let name = labelled ? formatDuration(v).replacingOccurrences(of: " ", with: "") : ""
                tics.append("'\(name)' \(v)")
            }
            decade *= 10
        }
        return tics.joined(separator: ", ")
    }

    /// The fraction above a cumulative fraction, or a stand-in far below any log axis for none.
    static func above(_ cumulative: Double) -> Double { cumulative < 1 ? 1 - cumulative : 1e-30 }

    /// 1 -> 100%, 0.001 -> 0.1%.
    static func percentText(_ f: Double) -> String { String(format: "%g%%", f * 100) }

    // MARK: from results files

    /// One CDF picture per (trace, parameters, kind, distribution) found in `rows`, a curve per
    /// strategy; repetitions are summed. p50/p99/p99.9 are the rows' own percentile metrics when
    /// there is one value of each (a single run), else read from the summed buckets. Returns
    /// the paths written.
    public static func latencyCDFs(rows: [ResultRow], directory: String, prefix: String = "",
                                   tail: Bool = false, format: PlotFormat) throws -> [String] {
        var written: [String] = []
        let groups = histogramGroups(rows)
        // unserved_requests (docs/model.md A.9), summed over repetitions.
        var unserved: [UnservedKey: UInt64] = [:]
        for r in rows where r.metric == "unserved_requests" {
            guard let v = UInt64(r.value), v > 0 else { continue }
            let key = UnservedKey(group: HistogramGroup(trace: r.trace, params: r.params, kind: r.kind, name: ""), strategy: r.strategy)
            unserved[key, default: 0] &+= v
        }
        let paramSets = Dictionary(grouping: groups.map(\.group), by: \.trace).mapValues { orderedUnique($0.map(\.params)) }
        for (g, members) in groups {
            let stem = URL(fileURLWithPath: g.trace).deletingPathExtension().lastPathComponent
            let sets = paramSets[g.trace]!
            let paramsPart = sets.count > 1 ? fileNamePart(params: g.params, index: sets.firstIndex(of: g.params)!, among: sets) : ""
            let kindPart = g.kind == .sim ? "" : "-\(g.kind.rawValue)"
            let file = "\(prefix)\(stem)\(paramsPart)\(kindPart)-\(g.name)-\(tail ? "tail" : "cdf").\(format.rawValue)"
            let path = URL(fileURLWithPath: directory).appendingPathComponent(file).path
            var title = "\(g.name): \(g.trace)"
            if !g.params.isEmpty { title += " (\(g.params))" }
            if g.kind != .sim { title += " [\(g.kind.rawValue)]" }
            let curves = orderedUnique(members.map(\.strategy)).map { s in
                var c = curve(label: s, name: g.name, rows: members.filter { $0.strategy == s })
                if g.name.hasPrefix("request_to_") { c.unserved = unserved[UnservedKey(group: g, strategy: s)] ?? 0 }
                return c
            }
            try latencyCDF(title: title, curves: curves, tail: tail, format: format, to: path)
            written.append(path)
        }
        return written
    }

    /// How a picture's file name tells a trace's parameter sets apart: the parameters themselves
    /// (`irqchip=gicv2` -> `-irqchip-gicv2`, `;` -> `_`), so that the main job's controllers can be
    /// found by name; the defaults' set adds nothing. A set whose spelling would be long (a sweep
    /// point) or would read like another set's falls back to its position, `-p<N>`.
    static func fileNamePart(params: String, index: Int, among sets: [String]) -> String {
        func spelled(_ p: String) -> String {
            String(p.map { c -> Character in
                switch c {
                case "=": "-"
                case ";": "_"
                case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": c
                default: "+"
                }
            })
        }
        let named = sets.map(spelled)
        let mine = named[index]
        guard mine.count <= 48, named.filter({ $0 == mine }).count == 1 else { return "-p\(index)" }
        return mine.isEmpty ? "" : "-\(mine)"
    }

    private struct UnservedKey: Hashable {
        var trace: String, params: String, kind: MetricKind, strategy: String
        init(group g: HistogramGroup, strategy: String) {
            trace = g.trace; params = g.params; kind = g.kind; self.strategy = strategy
        }
    }

    /// The group of one picture: a trace, parameter set, kind and distribution.
    public struct HistogramGroup: Hashable, Sendable {
        public var trace: String
        public var params: String
        public var kind: MetricKind
        public var name: String
    }

    /// The histogram groups of `rows` in order of appearance, each with every row of its trace,
    /// parameters and kind that belongs to the distribution (bucket rows and percentile rows).
    public static func histogramGroups(_ rows: [ResultRow]) -> [(group: HistogramGroup, rows: [ResultRow])] {
        var order: [HistogramGroup] = []
        var seen = Set<HistogramGroup>()
        for r in rows {
            guard let (name, _) = LatencyBuckets.split(r.metric) else { continue }
            let g = HistogramGroup(trace: r.trace, params: r.params, kind: r.kind, name: name)
            if seen.insert(g).inserted { order.append(g) }
        }
        let wanted = Set(order)
        var members: [HistogramGroup: [ResultRow]] = [:]
        for r in rows {
            let name: String
            if let (n, _) = LatencyBuckets.split(r.metric) {
                name = n
            } else if let suffix = markedPercentiles.first(where: { r.metric.hasSuffix("_" + $0.suffix) })?.suffix {
                name = String(r.metric.dropLast(suffix.count + 1))
            } else { continue }
            let g = HistogramGroup(trace: r.trace, params: r.params, kind: r.kind, name: name)
            if wanted.contains(g) { members[g, default: []].append(r) }
        }
        return order.map { ($0, members[$0] ?? []) }
    }

    /// The curve of one strategy's rows of one distribution (bucket rows, and its percentile
    /// rows when there is exactly one of each).
    public static func curve(label: String, name: String, rows: [ResultRow]) -> Curve {
        let d = LatencyBuckets.distributions(in: rows)[name] ?? LatencyDistribution()
        var exact: [String: UInt64] = [:]
        for (suffix, _, _) in markedPercentiles {
            let values = rows.filter { $0.metric == name + "_" + suffix }.map(\.value)
            if values.count == 1, let v = UInt64(values[0]) { exact[suffix] = v }
        }
        return Curve(label: label, distribution: d, percentiles: percentiles(of: d, exact: exact))
    }
}
