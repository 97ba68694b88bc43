import IRQResults

/// A small simulated results set: one trace, two strategies, the metrics a replay writes.
func simRows(trace: String = "nic.pcap", sha: String = String(repeating: "a", count: 64), params: String = "",
             commit: String = "c0ffee1", overrides: [String: String] = [:]) -> [ResultRow] {
    let base: [(String, String, String)] = [
        ("host-end", "requests", "1000"), ("host-end", "physical_irqs", "47"), ("host-end", "storm_irqs", "46"),
        ("host-end", "guest_interrupts", "2"), ("host-end", "peak_irqs_per_ms", "20"),
        ("host-end", "claim_to_complete_p99", "150"), ("host-end", "request_to_guest_p999", "2050"),
        ("host-end", "host_latency_p99", ""),
        ("guest-end", "requests", "1000"), ("guest-end", "physical_irqs", "1"), ("guest-end", "storm_irqs", "0"),
        ("guest-end", "guest_interrupts", "1"), ("guest-end", "peak_irqs_per_ms", "1"),
        ("guest-end", "claim_to_complete_p99", "3350"), ("guest-end", "request_to_guest_p999", "850"),
        ("guest-end", "host_latency_p99", ""),
    ]
    return base.map { s, m, v in
        ResultRow(commit: commit, trace: trace, traceSHA256: sha, params: params, strategy: s, kind: .sim,
                  metric: m, value: overrides["\(s)/\(m)"] ?? v)
    }
}

/// Measured rows: one row per repetition of `metric` for `strategy`.
func wallRows(_ values: [Double], metric: String = "requests_per_sec", strategy: String = "guest-end",
              trace: String = "nic.pcap", commit: String = "c0ffee1") -> [ResultRow] {
    values.enumerated().map { i, v in
        ResultRow(commit: commit, trace: trace, traceSHA256: String(repeating: "a", count: 64), params: "",
                  strategy: strategy, kind: .wall, metric: metric, rep: i, value: formatNumber(v))
    }
}
