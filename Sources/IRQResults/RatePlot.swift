import Foundation

extension Plots {
    /// Where a storm is drawn: the strategy with the most physical IRQs in all, and the
    /// stretches where it runs at `fraction` of its peak or more. Only when it has at least
    /// `ratio` times the IRQs of the quietest strategy: with nothing quieter to compare
    /// against, a busy stretch is no storm.
    static func stormWindows(_ series: [RateSeries], fraction: Double = 0.5, ratio: Double = 4)
        -> (strategy: String, peak: UInt32, windows: [(startNs: UInt64, endNs: UInt64)])?
    {
        let totals = series.map { $0.counts.reduce(0) { $0 + UInt64($1) } }
        guard series.count >= 2, let top = totals.indices.max(by: { totals[$0] < totals[$1] }),
              let quietest = totals.min(), Double(totals[top]) >= ratio * Double(max(quietest, 1)),
              let peak = series[top].counts.max() else { return nil }
        let s = series[top], floor = Double(peak) * fraction
        var windows: [(UInt64, UInt64)] = []
        var start: Int? = nil
        for (k, c) in s.counts.enumerated() {
            if Double(c) >= floor { if start == nil { start = k } } else if let st = start {
                windows.append((UInt64(st) * s.bucketNs, UInt64(k) * s.bucketNs)); start = nil
            }
        }
        if let st = start { windows.append((UInt64(st) * s.bucketNs, UInt64(s.counts.count) * s.bucketNs)) }
        return (s.strategy, peak, windows)
    }

    // MARK: IRQ rate over time

    /// Physical IRQs per bucket against time, one step line per strategy: a storm is a wall, and
    /// its stretches are shaded (`stormWindows`). Lines of equal rates stay visible (LineStyle).
    public static func rateScript(title: String, series: [RateSeries], logY: Bool) -> (body: String, data: [String: String]) {
        var data: [String: String] = [:]
        var plots: [String] = []
        var body = "set title \(Gnuplot.quote(title))"
        if let storm = stormWindows(series) {
            for (n, w) in storm.windows.enumerated() {
                body += "\nset object \(n + 1) rect from \(Double(w.startNs) / 1e6), graph 0 to \(Double(w.endNs) / 1e6), graph 1 fc rgb '#f4a6a6' fs solid 0.35 noborder behind"
            }
            plots.append("NaN with boxes fs solid 0.35 noborder fc rgb '#f4a6a6' title "
                + Gnuplot.quote("storm: \(storm.strategy) at half its peak (\(storm.peak)) or more"))
        }
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
            let style = LineStyle(i, of: series.count, widest: 3.5, narrowest: 1.2)
            plots.append("\(Gnuplot.quote(name)) using 1:2 with steps \(style.line) title \(Gnuplot.quote(label))")
        }
        let bucket = series.first.map { formatDuration($0.bucketNs) } ?? "bucket"
        // Headroom above the highest peak keeps the legend (inside, top right) off the lines.
        let peak = Double(series.compactMap { $0.counts.max() }.max() ?? 1)
        body += """

            set xlabel 'time since the first trace event (ms)'
            set ylabel \(Gnuplot.quote("physical IRQs per \(bucket)"))
            set grid lc rgb '#dddddd'
            set key inside right top opaque box lc rgb '#aaaaaa' samplen 5 spacing 1.15 width 1 font ',9'
            """
        body += logY ? "\nset logscale y 10\nset yrange [0.8:\(max(10, peak * 12))]" : "\nset yrange [0:\(max(1, peak * 1.5))]"
        body += plots.isEmpty
            ? "\nset label 1 'no series' at graph 0.5, graph 0.5 center\nplot [0:1] NaN notitle"
            : "\nplot " + plots.joined(separator: ", \\\n     ")
        return (body, data)
    }

    public static func rate(title: String, series: [RateSeries], logY: Bool = false, format: PlotFormat, to output: String) throws {
        let s = rateScript(title: title, series: series, logY: logY)
        try Gnuplot.render(body: s.body, data: s.data, format: format, to: output)
    }
}
