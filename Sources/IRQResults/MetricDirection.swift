/// Which way a metric should move. Compare uses it to call a change better or worse.
public enum MetricDirection: String, Sendable, Equatable {
    case lowerIsBetter = "lower"
    case higherIsBetter = "higher"
    /// Shown but never judged: it describes the input or the workload, not the strategy's quality.
    case informational = "info"
    /// Must be equal on both sides, else the two runs did not see the same input (compare exits 3).
    case mustMatch = "match"
}

/// The direction of every metric, in one place. Rules are tried in order and the first glob that
/// matches the metric name wins, so put specific names before the broad patterns.
public enum MetricDirections {
    public static let rules: [(pattern: String, direction: MetricDirection)] = [
        // A different request count means a different input: nothing after it is comparable.
        ("requests", .mustMatch),
        // How many vIRQs the guest took depends on coalescing, which is neither good nor bad.
        ("guest_interrupts", .informational),
        // Histogram buckets are judged through their distribution, not bucket by bucket.
        ("*_hist_le_*", .informational),
        // docs/model.md §9 latencies, with every suffix (_p50 ... _mean).
        ("claim_to_complete_*", .lowerIsBetter),
        ("request_to_guest_*", .lowerIsBetter),
        ("request_to_done_*", .lowerIsBetter),
        ("host_latency_*", .lowerIsBetter),
        // docs/model.md §9 counts and times.
        ("physical_irqs", .lowerIsBetter),
        ("spurious_claims", .lowerIsBetter),
        ("storm_irqs", .lowerIsBetter),
        ("guest_spurious", .lowerIsBetter),
        ("lost_edges", .lowerIsBetter),
        ("stray_completes", .lowerIsBetter),
        ("peak_irqs_per_ms", .lowerIsBetter),
        ("sim_end", .lowerIsBetter),
        ("hyp_busy", .lowerIsBetter),
        // What the trace reader did, and the live harness's own jitter: facts, not quality.
        ("trace_*", .informational),
        ("device_lateness_*", .informational),
        ("run_end", .informational),
        ("stopped_early", .informational),
        ("unconsumed_requests", .lowerIsBetter),
        // Simulated happenings per request (`irqbench bench`): what the workload costs the model
        // (how much it coalesces), not how fast the replay is.
        ("events_per_request", .informational),
        // Wall-clock metrics of `irqbench bench` and live mode.
        ("replay_read_ratio", .lowerIsBetter),
        ("*_per_sec", .higherIsBetter),
        ("*throughput*", .higherIsBetter),
        ("ns_per_*", .lowerIsBetter),
        ("*_ns", .lowerIsBetter),
        ("*latency*", .lowerIsBetter),
        ("*_mallocs", .lowerIsBetter),
        ("malloc*", .lowerIsBetter),
        ("peak_rss*", .lowerIsBetter),
    ]

    /// Unknown metrics are informational: a new metric must not fail CI until someone says which
    /// way is good for it (add a rule above).
    public static func direction(of metric: String) -> MetricDirection {
        for rule in rules where globMatch(rule.pattern, metric) { return rule.direction }
        return .informational
    }
}

/// Shell-style glob: `*` any run of characters, `?` one character, everything else literal.
public func globMatch(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.unicodeScalars), t = Array(text.unicodeScalars)
    var pi = 0, ti = 0
    var starP = -1, starT = 0
    while ti < t.count {
        if pi < p.count && (p[pi] == "?" || (p[pi] != "*" && p[pi] == t[ti])) {
            pi += 1; ti += 1
        } else if pi < p.count && p[pi] == "*" {
            starP = pi; starT = ti; pi += 1
        } else if starP >= 0 {
            // Let the last star swallow one more character and retry.
            pi = starP + 1; starT += 1; ti = starT
        } else {
            return false
        }
    }
    while pi < p.count && p[pi] == "*" { pi += 1 }
    return pi == p.count
}
