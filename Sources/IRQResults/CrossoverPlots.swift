import Foundation

/// Where each strategy wins, for two swept parameters at once: the winner at every (x, y) point.
public struct WinMap: Sendable, Equatable {
    public var metric: String
    public var trace: String
    /// The other parameters of this map (`params` without x and y).
    public var others: String
    public var x: String
    public var y: String
    public var xValues: [String]
    public var yValues: [String]
    /// `best[yi][xi]`: the winning strategies at that point, empty where nothing was measured.
    public var best: [[[String]]]
    public var strategies: [String]
}

extension Crossover {
    /// One map per trace and setting of the other parameters.
    public static func winMaps(rows allRows: [ResultRow], metric: String, x: String, y: String) throws -> [WinMap] {
        guard x != y else { throw CrossoverError("the two axes of a win map must differ (both are \(x))") }
        // The analysis over x, sliced by everything else (y included), gives the winners per point.
        let report = try analyse(rows: allRows, metric: metric, over: x, baseline: nil)
        var maps: [WinMap] = []
        var index: [String: Int] = [:]
        // Per map, per y row as found: the winners by x value.
        var cells: [[[String: [String]]]] = []
        for s in report.slices {
            let a = assignments(s.others)
            guard let yValue = a.first(where: { $0.name == y })?.value else {
                throw CrossoverError("\(s.trace): rows at '\(s.others)' do not name \(y)")
            }
            let others = a.filter { $0.name != y }.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
            let key = s.trace + "\u{0}" + others
            if index[key] == nil {
                index[key] = maps.count
                maps.append(WinMap(metric: metric, trace: s.trace, others: others, x: x, y: y, xValues: [], yValues: [],
                                   best: [], strategies: report.strategies))
                cells.append([])
            }
            let m = index[key]!
            maps[m].yValues.append(yValue)
            for p in s.points where !maps[m].xValues.contains(p.value) { maps[m].xValues.append(p.value) }
            cells[m].append(Dictionary(s.points.map { ($0.value, $0.best) }, uniquingKeysWith: { a, _ in a }))
        }
        // Both axes in value order, the winners laid out on the full grid.
        for m in maps.indices {
            let xs = orderValues(maps[m].xValues.map { ($0, "") }).map(\.value)
            let ys = orderValues(maps[m].yValues.enumerated().map { ($0.element, String($0.offset)) })
            maps[m].xValues = xs
            maps[m].yValues = ys.map(\.value)
            maps[m].best = ys.map { yv in xs.map { cells[m][Int(yv.params)!][$0] ?? [] } }
        }
        return maps
    }
}

extension Plots {
    /// The end strategies in documentation order: each keeps its palette colour in every sweep
    /// picture, whichever strategies a picture shows.
    static let knownStrategies = ["host-end", "guest-end", "mask-unmask", "hw-eoi", "host-end-ratelimit"]

    /// The colour of strategy `name`, the `i`-th of a picture's strategies.
    static func strategyColour(_ name: String, _ i: Int) -> String {
        palette[(knownStrategies.firstIndex(of: name) ?? knownStrategies.count + i) % palette.count]
    }

    /// Point types (circle, square, triangles, diamond): strategies on top of each other stay visible.
    static let pointTypes = [7, 5, 9, 11, 13, 15]

    /// The metric against the swept parameter, a line per strategy, a dashed line where the best
    /// strategy changes (labelled with the new winner). The x axis is logarithmic when the values
    /// are numbers spanning 20x or more, the y axis when every value is positive and they span
    /// 10x or more (storms next to quiet strategies); values that are not numbers are spread
    /// evenly and labelled.
    public static func crossoverScript(report r: CrossoverReport, slice s: CrossoverReport.Slice) -> (body: String, data: [String: String]) {
        let over = r.over ?? "point"
        let numericX = s.points.allSatisfy { Double($0.value) != nil }
        let xs = s.points.enumerated().map { numericX ? Double($0.element.value)! : Double($0.offset) }
        let logX = numericX && (xs.min() ?? 0) > 0 && (xs.max() ?? 0) / (xs.min() ?? 1) >= 20
        let ys = s.points.flatMap { $0.values.compactMap { $0 } }
        let logY = !ys.isEmpty && ys.allSatisfy { $0 > 0 } && ys.max()! / ys.min()! >= 10
        var data: [String: String] = [:]
        var plots: [String] = []
        for (si, name) in r.strategies.enumerated() {
            var text = "# \(over) \(r.metric)\n"
            for (p, x) in zip(s.points, xs) { text += "\(x) \(p.values[si].map { String($0) } ?? "-")\n" }
            let file = "s\(si).dat"
            data[file] = text
            // Earlier lines wider, so a later one drawn over an equal one leaves it visible.
            let width = max(1.0, 3.5 - 0.6 * Double(si))
            plots.append("\(Gnuplot.quote(file)) using 1:2 with linespoints lw \(width) pt \(pointTypes[si % pointTypes.count]) ps 1.0 "
                + "lc rgb '\(strategyColour(name, si))' title \(Gnuplot.quote(name))")
        }
        var body = """
            set title \(Gnuplot.quote("\(r.metric): \(CrossoverRendering.sliceTitle(s))"))
            set xlabel \(Gnuplot.quote(over))
            set ylabel \(Gnuplot.quote("\(r.metric) (\(r.direction == .lowerIsBetter ? "lower" : "higher") is better)"))
            set datafile missing '-'
            set style textbox opaque noborder
            set grid
            set key outside right top
            """
        // Decades as 100, 1k, 10M on log axes; whole numbers, not 1e+06, on a linear x axis.
        if logX { body += "\nset logscale x 10\nset format x '%.0s%c'" } else if numericX { body += "\nset format x '%.0f'" }
        if logY { body += "\nset logscale y 10\nset format y '%.0s%c'" } else { body += "\nset yrange [0:*]" }
        if numericX {
            let lo = xs.min() ?? 0, hi = xs.max() ?? 1
            body += logX ? "\nset xrange [\(lo / 1.3):\(hi * 1.3)]" : "\nset xrange [\(lo - (hi - lo) * 0.03 - (hi == lo ? 1 : 0)):\(hi + (hi - lo) * 0.03 + (hi == lo ? 1 : 0))]"
        } else {
            body += "\nset xrange [-0.5:\(Double(s.points.count) - 0.5)]"
            body += "\nset xtics (" + s.points.enumerated().map { "\(Gnuplot.quote($0.element.value)) \($0.offset)" }.joined(separator: ", ") + ")"
        }
        // A crossover lies somewhere between its two grid values: mark the middle (geometric
        // on a log axis).
        for (k, c) in s.changes.enumerated() {
            guard let a = s.points.firstIndex(where: { $0.value == c.before }), let b = s.points.firstIndex(where: { $0.value == c.after }) else { continue }
            let mid = logX ? (xs[a] * xs[b]).squareRoot() : (xs[a] + xs[b]) / 2
            body += "\nset arrow \(k + 1) from \(mid), graph 0 to \(mid), graph 1 nohead dt 2 lw 1.5 lc rgb '#444444'"
            body += "\nset label \(k + 1) \(Gnuplot.quote("best: " + CrossoverRendering.bestText(c.to))) at \(mid), graph 0.97 rotate by 90 right offset -1.3,0 font ',9' tc rgb '#444444' front boxed"
        }
        body += "\nplot " + plots.joined(separator: ", \\\n     ")
        return (body, data)
    }

    public static func crossover(report: CrossoverReport, slice: CrossoverReport.Slice, format: PlotFormat, to output: String) throws {
        let s = crossoverScript(report: report, slice: slice)
        try Gnuplot.render(body: s.body, data: s.data, format: format, to: output)
    }

    /// A cell per (x, y) grid point in the colour of its winner (strategies keep their colours;
    /// ties get colours of their own), axes labelled with the swept values.
    public static func winMapScript(_ m: WinMap) -> (body: String, data: [String: String]) {
        var winners: [[String]] = []
        for row in m.best { for b in row where !b.isEmpty && !winners.contains(b) { winners.append(b) } }
        // Single strategies first, in strategy order, then ties as they appear.
        winners.sort { a, b in
            let ka = a.count == 1 ? m.strategies.firstIndex(of: a[0])! : m.strategies.count
            let kb = b.count == 1 ? m.strategies.firstIndex(of: b[0])! : m.strategies.count
            return ka < kb
        }
        let tieColours = ["#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5"]
        var tieCount = 0
        var colour: [[String]: String] = [:]
        for w in winners {
            if w.count == 1 { colour[w] = strategyColour(w[0], m.strategies.firstIndex(of: w[0])!) }
            else { colour[w] = tieColours[tieCount % tieColours.count]; tieCount += 1 }
        }
        var text = "# xi yi rgb\n"
        for (yi, row) in m.best.enumerated() {
            for (xi, b) in row.enumerated() where !b.isEmpty {
                text += "\(xi) \(yi) \(Int(colour[b]!.dropFirst(), radix: 16)!)\n"
            }
        }
        func tics(_ values: [String]) -> String {
            "(" + values.enumerated().map { "\(Gnuplot.quote($0.element)) \($0.offset)" }.joined(separator: ", ") + ")"
        }
        var body = """
            set title \(Gnuplot.quote("best on \(m.metric): \(m.trace)" + (m.others.isEmpty ? "" : " (\(m.others))")))
            set xlabel \(Gnuplot.quote(m.x))
            set ylabel \(Gnuplot.quote(m.y))
            set xrange [-0.5:\(Double(m.xValues.count) - 0.5)]
            set yrange [-0.5:\(Double(m.yValues.count) - 0.5)]
            set xtics \(tics(m.xValues)) rotate by 45 right
            set ytics \(tics(m.yValues))
            set key outside right top title 'best strategy'
            set style fill solid 1.0 noborder
            """
        var plots = ["'map.dat' using 1:2:(0.5):(0.5):3 with boxxyerror lc rgb variable notitle"]
        for w in winners {
            plots.append("NaN with boxes lc rgb '\(colour[w]!)' title \(Gnuplot.quote(CrossoverRendering.bestText(w)))")
        }
        if winners.isEmpty { body += "\nset label 1 'no values' at graph 0.5, graph 0.5 center" }
        body += "\nplot " + plots.joined(separator: ", \\\n     ")
        return (body, ["map.dat": text])
    }

    public static func winMap(_ m: WinMap, format: PlotFormat, to output: String) throws {
        let s = winMapScript(m)
        try Gnuplot.render(body: s.body, data: s.data, format: format, to: output)
    }
}
