import Foundation

public enum CompareFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a terminal.
    case table
    /// GitHub-flavoured markdown for a pull request: the changes, then every metric folded away.
    case markdown
    /// One line per compared metric, for scripts.
    case csv
}

public struct CompareRendering: Sendable {
    public var oldLabel: String
    public var newLabel: String
    /// Leave out the rows whose verdict is `same`.
    public var onlyChanges: Bool

    public init(oldLabel: String = "OLD", newLabel: String = "NEW", onlyChanges: Bool = false) {
        self.oldLabel = oldLabel
        self.newLabel = newLabel
        self.onlyChanges = onlyChanges
    }

    public func render(_ report: ComparisonReport, format: CompareFormat) -> String {
        switch format {
        case .table: table(report)
        case .markdown: markdown(report)
        case .csv: csv(report)
        }
    }

    // MARK: table

    func table(_ report: ComparisonReport) -> String {
        var out = "OLD: \(sideLabel(oldLabel, report.oldCommits))\nNEW: \(sideLabel(newLabel, report.newCommits))\n"
        if report.incomparable.isEmpty {
            let measured = report.rows.contains { $0.key.kind != .sim }
            for (group, rows) in groups(report.rows) {
                let shown = rows.filter { !onlyChanges || $0.verdict != .same }
                if shown.isEmpty { continue }
                out += "\n" + group + "\n"
                var header = ["strategy", "metric", "old", "new", "delta", "percent"]
                if measured { header += ["n", "p"] }
                header.append("verdict")
                let lines = shown.map { r -> [String] in
                    var cells = [r.key.strategy, r.key.metric + (r.key.kind == .sim ? "" : " [\(r.key.kind.rawValue)]"),
                                 cell(r.old), cell(r.new), signed(r.delta), percentText(r)]
                    if measured { cells += [r.key.kind == .sim ? "" : "\(r.oldCount)/\(r.newCount)", pText(r.pValue)] }
                    cells.append(r.verdict.rawValue)
                    return cells
                }
                out += alignColumns([header] + lines, rightAligned: Set(2..<(header.count - 1)))
            }
        }
        out += "\n" + summary(report, markdown: false)
        return out
    }

    // MARK: markdown

    func markdown(_ report: ComparisonReport) -> String {
        let status = report.exitStatus
        var out = "### irqbench compare: \(headline(report))\n\n"
        out += "OLD: \(sideLabel(oldLabel, report.oldCommits, code: true))  \nNEW: \(sideLabel(newLabel, report.newCommits, code: true))\n\n"
        if status == .notComparable {
            out += "**Not comparable:**\n\n" + report.incomparable.map { "- \(mdEscape($0))\n" }.joined()
            out += "\nExit \(status.rawValue) (\(status.meaning)).\n"
            return out
        }
        let changed = report.rows.filter { $0.verdict != .same }
        if changed.isEmpty {
            out += "No metric changed.\n"
        } else {
            out += mdTable(changed)
        }
        if !report.distributions.isEmpty {
            out += "\nLatency histograms that changed (KS = largest CDF distance):\n\n"
            out += report.distributions.map { "- \(mdEscape($0.key.label)) (KS \(String(format: "%.3f", $0.maxCDFDistance)))\n" }.joined()
        }
        for note in report.notes { out += "\n> \(mdEscape(note))\n" }
        if !onlyChanges && !report.rows.isEmpty {
            out += "\n<details><summary>All \(report.rows.count) compared metrics</summary>\n\n"
            out += mdTable(report.rows)
            out += "\n</details>\n"
        }
        out += "\nExit \(status.rawValue) (\(status.meaning)).\n"
        return out
    }

    func mdTable(_ rows: [MetricComparison]) -> String {
        var out = "| trace | strategy | metric | old | new | delta | % | p | verdict |\n"
        out += "|---|---|---|---:|---:|---:|---:|---:|:---:|\n"
        for r in rows {
            let verdict = r.isRegression ? "**\(r.verdict.rawValue)**" : (r.verdict == .notSignificant ? "\\~" : r.verdict.rawValue)
            let trace = r.key.trace + (r.key.params.isEmpty ? "" : " (\(r.key.params))")
            let metric = r.key.metric + (r.key.kind == .sim ? "" : " (\(r.key.kind.rawValue), n=\(r.oldCount)/\(r.newCount))")
            let cells = [trace, r.key.strategy, metric, cell(r.old), cell(r.new), signed(r.delta), percentText(r),
                         pText(r.pValue), verdict]
            out += "| " + cells.map(mdEscape).joined(separator: " | ") + " |\n"
        }
        return out
    }

    // MARK: csv

    public static let csvHeader =
        "trace,params,strategy,kind,metric,direction,old,new,delta,percent,p_value,n_old,n_new,threshold_percent,verdict"

    func csv(_ report: ComparisonReport) -> String {
        var out = Self.csvHeader + "\n"
        for r in report.rows where !onlyChanges || r.verdict != .same {
            let cells = [r.key.trace, r.key.params, r.key.strategy, r.key.kind.rawValue, r.key.metric,
                         r.direction.rawValue, r.old.map(formatNumber) ?? "", r.new.map(formatNumber) ?? "",
                         r.delta.map(formatNumber) ?? "", r.percent.map { String(format: "%.4f", $0) } ?? "",
                         r.pValue.map { String(format: "%.6f", $0) } ?? "", String(r.oldCount), String(r.newCount),
                         formatNumber(r.threshold), r.verdict.rawValue]
            out += cells.map(CSVText.field).joined(separator: ",") + "\n"
        }
        // Incomparability goes to the comment lines so that a script reading rows still sees why.
        for p in report.incomparable { out += "# not comparable: \(p)\n" }
        out += "# exit \(report.exitStatus.rawValue): \(report.exitStatus.meaning)\n"
        return out
    }

    // MARK: shared pieces

    func summary(_ report: ComparisonReport, markdown: Bool) -> String {
        var out = ""
        let status = report.exitStatus
        if status == .notComparable {
            out += "not comparable:\n" + report.incomparable.map { "  - \($0)\n" }.joined()
        } else {
            let reg = report.regressions, imp = report.improvements
            if !reg.isEmpty {
                out += "regressions (\(reg.count)):\n" + reg.map { "  - \($0.key.label): \(cell($0.old)) -> \(cell($0.new)) (\(percentText($0)))\n" }.joined()
            }
            if !imp.isEmpty {
                out += "improvements (\(imp.count)):\n" + imp.map { "  - \($0.key.label): \(cell($0.old)) -> \(cell($0.new)) (\(percentText($0)))\n" }.joined()
            }
            if !report.distributions.isEmpty {
                out += "latency histograms changed:\n" + report.distributions.map {
                    "  - \($0.key.label) (KS \(String(format: "%.3f", $0.maxCDFDistance)))\n"
                }.joined()
            }
            for n in report.notes { out += "note: \(n)\n" }
            let same = report.rows.filter { $0.verdict == .same }.count
            out += "\(report.rows.count) metrics compared: \(same) same, \(reg.count) worse, \(imp.count) better, "
                + "\(report.rows.filter { $0.verdict == .notSignificant }.count) ~, "
                + "\(report.rows.filter { $0.verdict == .changed && !$0.isRegression }.count) changed (informational)\n"
        }
        out += "exit \(status.rawValue): \(status.meaning)\n"
        return out
    }

    func headline(_ report: ComparisonReport) -> String {
        switch report.exitStatus {
        case .notComparable: return "not comparable"
        case .regression: return "\(report.regressions.count) regression\(report.regressions.count == 1 ? "" : "s")"
            + (report.improvements.isEmpty ? "" : ", \(report.improvements.count) improvement\(report.improvements.count == 1 ? "" : "s")")
        case .improvementsOnly: return "\(report.improvements.count) improvement\(report.improvements.count == 1 ? "" : "s"), no regression"
        case .noRegression: return "no regression"
        }
    }

    func groups(_ rows: [MetricComparison]) -> [(String, [MetricComparison])] {
        var order: [String] = []
        var byGroup: [String: [MetricComparison]] = [:]
        for r in rows {
            let g = "trace \(r.key.trace)" + (r.key.params.isEmpty ? "" : " (\(r.key.params))")
            if byGroup[g] == nil { order.append(g) }
            byGroup[g, default: []].append(r)
        }
        return order.map { ($0, byGroup[$0]!) }
    }

    func sideLabel(_ label: String, _ commits: [String], code: Bool = false) -> String {
        let c = commits.isEmpty ? "" : " (commit \(commits.joined(separator: ", ")))"
        return (code ? "`\(label)`" : label) + c
    }
}

func cell(_ v: Double?) -> String { v.map(formatNumber) ?? "-" }

func signed(_ v: Double?) -> String {
    guard let v else { return "" }
    return v > 0 ? "+" + formatNumber(v) : formatNumber(v)
}

func percentText(_ r: MetricComparison) -> String {
    if let p = r.percent { return (p > 0 ? "+" : "") + String(format: "%.2f%%", p) }
    if let o = r.old, let n = r.new, o == 0, n != 0 { return "from 0" }
    return ""
}

func pText(_ p: Double?) -> String {
    guard let p else { return "" }
    return p < 0.001 ? "<0.001" : String(format: "%.3f", p)
}

/// Integers without decimals, everything else with at most three (the schema's precision).
public func formatNumber(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 { return String(format: "%.0f", v) }
    var s = String(format: "%.3f", v)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}

func mdEscape(_ s: String) -> String {
    // Intraword underscores (metric names) are literal in GitHub markdown; pipes would split cells.
    s.replacingOccurrences(of: "|", with: "\\|")
}

func alignColumns(_ rows: [[String]], rightAligned: Set<Int>) -> String {
    guard let first = rows.first else { return "" }
    var widths = [Int](repeating: 0, count: first.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    return rows.map { r in
        r.enumerated().map { i, c in
            let pad = String(repeating: " ", count: widths[i] - c.count)
            return rightAligned.contains(i) ? pad + c : c + pad
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }.joined(separator: "\n") + "\n"
}
