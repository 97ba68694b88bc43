import IRQReplay
import IRQResults

extension ReplayOutcome {
    /// The results rows of this replay: every docs/model.md §9 metric, the trace's own facts (what the
    /// reader did to it), then the latency histograms; all `kind = sim`.
    public func resultRows(commit: String, params: String) -> [ResultRow] {
        let template = ResultRow(commit: commit, trace: traceName, traceSHA256: report.sha256 ?? "",
                                 params: params, strategy: strategy.rawValue, kind: .sim, metric: "", value: "")
        func row(_ metric: String, _ value: String) -> ResultRow {
            var r = template
            r.metric = metric
            r.value = value
            return r
        }
        var rows = metrics.rows.map { row($0.metric, $0.value) }
        rows.append(row("trace_reordered_records", String(report.reorderedRecords)))
        rows.append(row("trace_truncated", report.truncated ? "1" : "0"))
        rows.append(row("trace_compressed_gaps", String(report.compressedGaps)))
        for (name, d) in metrics.distributions {
            rows += LatencyBuckets.resultRows(name: name, template: template, recorded: d.recordedBuckets)
        }
        return rows
    }
}

extension SweepResult {
    public func resultRows(config: SweepConfig) -> [ResultRow] {
        outcomes.flatMap { $0.resultRows(commit: config.commit, params: config.paramsDescription) }
    }
}

extension ReplayOutcome {
    /// The strategy, with the controllers after an `@` when they are not the default PLIC: how
    /// rate series, .hgrm files and tables tell replays of several controllers apart.
    public var seriesLabel: String {
        controller == Scenario().controllerLabel ? strategy.rawValue : "\(strategy.rawValue)@\(controller)"
    }
}
