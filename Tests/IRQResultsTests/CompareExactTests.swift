import Testing
@testable import IRQResults

struct CompareExactTests {
    @Test func identicalRunsCompareAsZero() {
        let r = compareResults(old: simRows(commit: "aaa"), new: simRows(commit: "bbb"))
        #expect(r.exitStatus == .noRegression)
        #expect(r.exitStatus.rawValue == 0)
        #expect(r.rows.allSatisfy { $0.verdict == .same })
        #expect(r.incomparable.isEmpty)
        // `requests` is checked for equality, not listed as a judged metric.
        #expect(!r.rows.contains { $0.key.metric == "requests" })
        #expect(r.rows.count == 14)
    }

    @Test func anySimulatedChangeIsReportedExactly() {
        let r = compareResults(old: simRows(), new: simRows(overrides: ["guest-end/claim_to_complete_p99": "3351"]))
        let c = r.rows.first { $0.key.strategy == "guest-end" && $0.key.metric == "claim_to_complete_p99" }!
        #expect(c.verdict == .worse)
        #expect(c.delta == 1)
        #expect(abs(c.percent! - 100.0 / 3350) < 1e-12)
        #expect(r.exitStatus == .regression)
        #expect(r.regressions.map(\.key.metric) == ["claim_to_complete_p99"])
    }

    @Test func regressionExitOneListsTheRegressedMetrics() {
        let r = compareResults(old: simRows(), new: simRows(overrides: [
            "host-end/physical_irqs": "52", "host-end/storm_irqs": "51", "guest-end/request_to_guest_p999": "800",
        ]))
        #expect(r.exitStatus.rawValue == 1)
        #expect(Set(r.regressions.map(\.key.label)) == ["nic.pcap host-end physical_irqs", "nic.pcap host-end storm_irqs"])
        #expect(r.improvements.map(\.key.label) == ["nic.pcap guest-end request_to_guest_p999"])
        let text = CompareRendering().render(r, format: .table)
        #expect(text.contains("regressions (2):"))
        #expect(text.contains("nic.pcap host-end physical_irqs: 47 -> 52 (+10.64%)"))
        #expect(text.hasSuffix("exit 1: regression beyond threshold\n"))
    }

    @Test func improvementsOnlyExitTwo() {
        let r = compareResults(old: simRows(), new: simRows(overrides: ["host-end/storm_irqs": "0"]))
        #expect(r.exitStatus.rawValue == 2)
        #expect(r.improvements.count == 1)
        #expect(r.rows.first { $0.key.metric == "storm_irqs" && $0.key.strategy == "host-end" }?.percent == -100)
    }

    @Test func higherIsBetterMetrics() {
        #expect(MetricDirections.direction(of: "requests_per_sec") == .higherIsBetter)
        #expect(MetricDirections.direction(of: "events_per_sec") == .higherIsBetter)
        #expect(MetricDirections.direction(of: "ns_per_request") == .lowerIsBetter)
        #expect(MetricDirections.direction(of: "request_to_done_mean") == .lowerIsBetter)
        #expect(MetricDirections.direction(of: "guest_interrupts") == .informational)
        #expect(MetricDirections.direction(of: "requests") == .mustMatch)
        #expect(MetricDirections.direction(of: "claim_to_complete_hist_le_500") == .informational)
        #expect(MetricDirections.direction(of: "something_new") == .informational)
    }

    @Test func informationalChangesDoNotFail() {
        let r = compareResults(old: simRows(), new: simRows(overrides: ["host-end/guest_interrupts": "3"]))
        #expect(r.rows.first { $0.key.metric == "guest_interrupts" && $0.key.strategy == "host-end" }?.verdict == .changed)
        #expect(r.exitStatus == .noRegression)
    }

    @Test func aDistributionThatGainsSamplesIsAChangeWithoutDirection() {
        let r = compareResults(old: simRows(), new: simRows(overrides: ["host-end/host_latency_p99": "300"]))
        let c = r.rows.first { $0.key.metric == "host_latency_p99" && $0.key.strategy == "host-end" }!
        #expect(c.verdict == .changed)
        #expect(c.isRegression)
        #expect(r.exitStatus == .regression)
    }

    @Test func zeroToNonZeroHasNoPercentButExceedsAnyThreshold() {
        let t = Thresholds(rules: [.init(metric: "storm_irqs", percent: 50)])
        let r = compareResults(old: simRows(), new: simRows(overrides: ["guest-end/storm_irqs": "3"]),
                               options: CompareOptions(thresholds: t))
        let c = r.rows.first { $0.key.metric == "storm_irqs" && $0.key.strategy == "guest-end" }!
        #expect(c.percent == nil)
        #expect(c.verdict == .worse)
        #expect(percentText(c) == "from 0")
    }
}

struct IncomparableTests {
    @Test func differentTraceContentsNameTheTrace() {
        let r = compareResults(old: simRows(), new: simRows(sha: String(repeating: "b", count: 64)))
        #expect(r.exitStatus.rawValue == 3)
        #expect(r.rows.isEmpty)
        #expect(r.incomparable == ["trace nic.pcap: different contents (sha256 OLD aaaaaaaaaaaa…, NEW bbbbbbbbbbbb…)"])
    }

    @Test func differentTracesAreListed() {
        let r = compareResults(old: simRows() + simRows(trace: "disk.pcap"), new: simRows(trace: "storm.pcap"))
        #expect(r.exitStatus == .notComparable)
        #expect(r.incomparable == ["traces differ: only in OLD: nic.pcap, disk.pcap; only in NEW: storm.pcap"])
    }

    @Test func aParameterChangeIsComparedAndNamed() {
        let r = compareResults(old: simRows(params: "ratelimit_count=100;trap_entry=50"),
                               new: simRows(params: "ratelimit_count=200", overrides: ["host-end/storm_irqs": "4000"]))
        #expect(r.exitStatus == .regression)
        #expect(r.notes.contains("parameters differ, compared anyway (--strict-params refuses): trace nic.pcap: ratelimit_count 100 (OLD) vs 200 (NEW), trap_entry 50 (OLD) vs default (NEW)"))
    }

    @Test func strictParamsRefusesAParameterChange() {
        let r = compareResults(old: simRows(params: "ratelimit_count=100;trap_entry=50"),
                               new: simRows(params: "ratelimit_count=200"), options: CompareOptions(strictParams: true))
        #expect(r.exitStatus == .notComparable)
        #expect(r.incomparable == ["trace nic.pcap: parameters differ: ratelimit_count 100 (OLD) vs 200 (NEW), trap_entry 50 (OLD) vs default (NEW)"])
    }

    @Test func ignoreParamsComparesAcrossParameters() {
        let r = compareResults(old: simRows(params: "ratelimit_count=100"),
                               new: simRows(params: "ratelimit_count=200", overrides: ["host-end/storm_irqs": "40"]),
                               options: CompareOptions(ignoreParams: true))
        #expect(r.exitStatus == .improvementsOnly)
    }

    @Test func differentStrategySetsNameTheStrategies() {
        let new = simRows().filter { $0.strategy != "guest-end" } + simRows().filter { $0.strategy == "guest-end" }.map {
            var r = $0; r.strategy = "hw-eoi"; return r
        }
        let r = compareResults(old: simRows(), new: new)
        #expect(r.incomparable == ["trace nic.pcap: strategies differ: only in OLD: guest-end; only in NEW: hw-eoi"])
        #expect(r.exitStatus == .notComparable)
    }

    @Test func differentRequestCountsMeanDifferentInputs() {
        let r = compareResults(old: simRows(), new: simRows(overrides: ["host-end/requests": "999"]))
        #expect(r.incomparable == ["nic.pcap host-end: requests differs (OLD 1000, NEW 999): the inputs differ"])
        #expect(r.exitStatus.rawValue == 3)
    }

    @Test func differentSchemaVersionsAreNamed() {
        let new = simRows().map { var r = $0; r.schema = 2; return r }
        let r = compareResults(old: simRows(), new: new)
        #expect(r.incomparable.first == "schema: OLD has version 1, NEW has 2")
    }

    @Test func simulatedAgainstMeasuredIsNotComparable() {
        let r = compareResults(old: simRows(), new: wallRows([1, 2, 3]))
        #expect(r.incomparable.first == "kinds: OLD has sim, NEW has wall")
    }

    @Test func aMetricOnOneSideOnlyIsANoteNotAFailure() {
        var new = simRows()
        new.append(ResultRow(commit: "x", trace: "nic.pcap", traceSHA256: String(repeating: "a", count: 64), params: "",
                             strategy: "host-end", kind: .sim, metric: "lost_edges", value: "0"))
        let r = compareResults(old: simRows(), new: new)
        #expect(r.exitStatus == .noRegression)
        #expect(r.notes == ["only in NEW (not compared): nic.pcap host-end lost_edges"])
    }
}
