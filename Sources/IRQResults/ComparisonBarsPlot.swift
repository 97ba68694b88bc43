import Foundation

extension Plots {

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
            set xlabel 'change (% of OLD)'
            set grid xtics lc rgb '#dddddd'
            set style fill solid 0.85 border -1
            set ytics nomirror font ',8'
            set yrange [-0.7:\(Double(height) - 0.3)]
            set yzeroaxis lt -1
            set key inside right bottom opaque box lc rgb '#aaaaaa' font ',9'
            """
        // The legend's colours, drawn as empty plots so the key explains them inside the frame.
        let legend = [("worse", "#d62728"), ("better", "#2ca02c"), ("not significant or within threshold", "#999999"),
                      ("changed (no better or worse)", "#ff7f0e")]
            .map { "NaN with boxes fs solid 0.85 fc rgb '\($0.1)' title '\($0.0)'" }.joined(separator: ", ")
        body += ranked.isEmpty
            ? "\nset label 1 'no metric changed' at graph 0.5, graph 0.5 center\nplot [-1:1] NaN notitle"
            : "\nplot 'bars.dat' using ($2/2):1:(abs($2)/2):(0.38):3:ytic(4) with boxxyerror lc rgb variable notitle, " + legend
        return (body, ["bars.dat": text])
    }

    public static func comparisonBars(title: String, report: ComparisonReport, limit: Int = 40, format: PlotFormat, to output: String) throws {
        let s = comparisonBarsScript(title: title, report: report, limit: limit)
        try Gnuplot.render(body: s.body, data: s.data, format: format, to: output)
    }
}
