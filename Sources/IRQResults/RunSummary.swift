import Foundation

/// The few lines `irqbench run` prints after its table: per trace (and parameter set), which
/// strategy has the worst tail of each latency distribution, and which one storms, how hard and when.
public enum RunSummary {
    /// The distributions of docs/model.md §9, in the order a reader cares about them.
    public static let distributions = ["request_to_guest", "request_to_done", "claim_to_complete", "host_latency"]

    /// `series` maps a group (`groupLabel`) to the per-strategy rate series of its replay, when the caller has
    /// them; they add the storm's time window. Measured rows (wall, live) count by their median
    /// over repetitions; simulated rows are preferred when a file holds both.
    public static func lines(rows: [ResultRow], series: [String: [RateSeries]] = [:]) -> [String] {
        let simRows = rows.filter { $0.kind == .sim }
        let use = simRows.isEmpty ? rows : simRows
        var out: [String] = []
        let groups = orderedUnique(use.map { GroupKey(trace: $0.trace, params: $0.params) })
        for g in groups {
            let gr = use.filter { $0.trace == g.trace && $0.params == g.params }
            var values: [String: [String: Double]] = [:] // metric -> strategy -> value
            var strategies: [String] = []
            for (k, vs) in Dictionary(grouping: gr, by: { "\($0.metric)\u{0}\($0.strategy)" }) {
                let parts = k.split(separator: "\u{0}", omittingEmptySubsequences: false)
                guard let m = median(vs.compactMap { Double($0.value) }) else { continue }
                values[String(parts[0]), default: [:]][String(parts[1])] = m
            }
            strategies = orderedUnique(gr.map(\.strategy))
            out.append(groupLabel(trace: g.trace, params: g.params) + ":")
            // A strategy that leaves requests unserved (AIA host-end-noretrigger) has short tails
            // only because it never serves the rest: it is never named the best.
            let unserved = values["unserved_requests"] ?? [:]
            let lossy = strategies.filter { (unserved[$0] ?? 0) > 0 }
            for d in distributions {
                let metric = values["\(d)_p999"].map { _ in "\(d)_p999" } ?? (values["\(d)_p99"] != nil ? "\(d)_p99" : nil)
                guard let metric, let byStrategy = values[metric], !byStrategy.isEmpty else { continue }
                let ranked = strategies.filter { byStrategy[$0] != nil }
                    .sorted { byStrategy[$0]! != byStrategy[$1]! ? byStrategy[$0]! > byStrategy[$1]! : $0 < $1 }
                let worst = ranked.first!
                var line = "  worst tail \(metric): \(worst) \(formatDuration(byStrategy[worst]!))"
                if ranked.count > 1, let best = ranked.last(where: { !lossy.contains($0) }), best != worst {
                    line += " (best \(best) \(formatDuration(byStrategy[best]!)))"
                }
                out.append(line)
            }
            if !lossy.isEmpty {
                let requests = values["requests"] ?? [:]
                out.append("  loses requests: " + lossy.map { s in
                    "\(s) never serves \(formatNumber(unserved[s]!))" + (requests[s].map { " of \(formatNumber($0))" } ?? "")
                }.joined(separator: ", "))
            }
            out.append("  " + stormLine(values: values, strategies: strategies,
                                        series: series[groupLabel(trace: g.trace, params: g.params)] ?? []))
        }
        return out
    }

    struct GroupKey: Hashable { var trace: String; var params: String }

    /// How a group (a trace and its parameters) is named, and the key of its rate series in
    /// `lines(rows:series:)`: the trace, with the non-default parameters in parentheses.
    public static func groupLabel(trace: String, params: String) -> String {
        params.isEmpty ? trace : "\(trace) (\(params))"
    }

    static func stormLine(values: [String: [String: Double]], strategies: [String], series: [RateSeries]) -> String {
        let storms = values["storm_irqs"] ?? [:]
        let ranked = strategies.filter { (storms[$0] ?? 0) > 0 }
            .sorted { storms[$0]! != storms[$1]! ? storms[$0]! > storms[$1]! : $0 < $1 }
        guard let worst = ranked.first else {
            return storms.isEmpty ? "storm: no storm_irqs metric in these results" : "storm: none (storm_irqs is 0 for every strategy)"
        }
        var line = "storm: \(worst) with \(formatNumber(storms[worst]!)) storm irqs"
        if let peak = values["peak_irqs_per_ms"]?[worst] { line += ", peak \(formatNumber(peak)) irqs/ms" }
        if let s = series.first(where: { $0.strategy == worst }), let w = s.peakWindow() {
            line += ", busiest \(formatDuration(w.startNs))-\(formatDuration(w.endNs)) after the first event"
        }
        if ranked.count > 1 {
            line += "; also " + ranked.dropFirst().map { "\($0) \(formatNumber(storms[$0]!))" }.joined(separator: ", ")
        }
        return line
    }
}
