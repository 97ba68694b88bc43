import Foundation

/// A crossover report as aligned terminal columns, GitHub markdown, or CSV (one line per grid
/// point, for scripts and plots).
public enum CrossoverRendering {
    public static func render(_ reports: [CrossoverReport], format: CompareFormat) -> String {
        switch format {
        case .table: reports.map(table).joined(separator: "\n")
        case .markdown: reports.map(markdown).joined(separator: "\n")
        case .csv: csv(reports)
        }
    }

    static func heading(_ r: CrossoverReport) -> String {
        var s = "\(r.metric) (\(r.direction == .lowerIsBetter ? "lower" : "higher") is better)"
        if let o = r.over { s += " over \(o)" }
        if let b = r.baseline { s += ", against \(b)" }
        return s
    }

    static func sliceTitle(_ s: CrossoverReport.Slice) -> String {
        s.trace + (s.others.isEmpty ? "" : " (\(s.others))")
    }

    static func bestText(_ best: [String]) -> String { best.isEmpty ? "-" : best.joined(separator: "=") }

    /// The crossovers and wins of a slice, as sentences.
    static func sentences(_ r: CrossoverReport, _ s: CrossoverReport.Slice) -> [String] {
        var out: [String] = []
        if let o = r.over {
            if s.changes.isEmpty, let only = s.points.first?.best, s.points.allSatisfy({ $0.best == only }) {
                out.append("\(bestText(only)) is best at every swept \(o)")
            }
            for c in s.changes {
                out.append("best changes from \(bestText(c.from)) to \(bestText(c.to)) between \(o)=\(c.before) and \(o)=\(c.after)")
            }
        }
        out += s.wins.map(\.sentence)
        return out
    }

    static func cells(_ r: CrossoverReport, _ p: CrossoverReport.Point) -> [String] {
        (r.over == nil ? [] : [p.value]) + p.values.map(cell) + [bestText(p.best)]
    }

    static func table(_ r: CrossoverReport) -> String {
        var out = heading(r) + "\n"
        for s in r.slices {
            out += "\n" + sliceTitle(s) + "\n"
            let header = (r.over.map { [$0] } ?? []) + r.strategies + ["best"]
            let rows = s.points.map { cells(r, $0) }
            let numeric = Set((r.over == nil ? 0 : 1)..<(header.count - 1))
            out += alignColumns([header] + rows, rightAligned: numeric)
            for line in sentences(r, s) { out += "  - \(line)\n" }
        }
        return out
    }

    static func markdown(_ r: CrossoverReport) -> String {
        var out = "## \(mdEscape(heading(r)))\n"
        for s in r.slices {
            out += "\n### \(mdEscape(sliceTitle(s)))\n\n"
            let header = (r.over.map { [$0] } ?? []) + r.strategies + ["best"]
            out += "| " + header.map(mdEscape).joined(separator: " | ") + " |\n"
            out += "|" + header.indices.map { i in i == header.count - 1 || (r.over != nil && i == 0) ? "---|" : "---:|" }.joined() + "\n"
            for p in s.points {
                var c = cells(r, p).map(mdEscape)
                c[c.count - 1] = "**\(c[c.count - 1])**"
                out += "| " + c.joined(separator: " | ") + " |\n"
            }
            let lines = sentences(r, s)
            if !lines.isEmpty { out += "\n" + lines.map { "- \(mdEscape($0))\n" }.joined() }
        }
        return out
    }

    public static func csvHeader(strategies: [String]) -> String {
        (["trace", "others", "metric", "param", "value", "best", "best_value", "changed_from", "beats_baseline"] + strategies)
            .map(CSVText.field).joined(separator: ",")
    }

    static func csv(_ reports: [CrossoverReport]) -> String {
        var strategies: [String] = []
        for r in reports { for s in r.strategies where !strategies.contains(s) { strategies.append(s) } }
        var out = csvHeader(strategies: strategies) + "\n"
        for r in reports {
            for s in r.slices {
                for p in s.points {
                    let changed = s.changes.first { $0.after == p.value }.map { bestText($0.from) } ?? ""
                    // Empty without a baseline (no wins are computed then).
                    let beats = s.wins.filter { $0.values.contains(p.value) }.map(\.strategy).joined(separator: "+")
                    var cells = [s.trace, s.others, r.metric, r.over ?? "", p.value, bestText(p.best),
                                 p.bestValue.map(formatNumber) ?? "", changed, beats]
                    for st in strategies {
                        let i = r.strategies.firstIndex(of: st)
                        cells.append(i.flatMap { p.values[$0] }.map(formatNumber) ?? "")
                    }
                    out += cells.map(CSVText.field).joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }
}
