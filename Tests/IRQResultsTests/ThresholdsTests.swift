import Testing
@testable import IRQResults

struct ThresholdsTests {
    @Test func defaults() {
        let t = Thresholds()
        #expect(t.percent(for: "physical_irqs", kind: .sim) == 0)
        #expect(t.percent(for: "requests_per_sec", kind: .wall) == 5)
        #expect(t.percent(for: "claim_to_complete_p99", kind: .live) == 10)
    }

    @Test func fileRulesWithGlobsFirstMatchWins() throws {
        let t = try Thresholds.parse("""
            # latency tails are noisy in live mode
            metric,percent,kind
            claim_to_complete_p999,50,live
            claim_to_complete_*,20
            *_per_sec, 3 ,wall
            hyp_bus?,1%
            """, file: "t.csv")
        #expect(t.percent(for: "claim_to_complete_p999", kind: .live) == 50)
        #expect(t.percent(for: "claim_to_complete_p999", kind: .sim) == 20)
        #expect(t.percent(for: "claim_to_complete_mean", kind: .wall) == 20)
        #expect(t.percent(for: "requests_per_sec", kind: .wall) == 3)
        #expect(t.percent(for: "hyp_busy", kind: .sim) == 1)
        #expect(t.percent(for: "storm_irqs", kind: .sim) == 0) // falls through to the defaults
    }

    @Test func badLinesAreReportedWithTheirLine() {
        #expect(throws: ResultsFormatError(file: "t.csv", line: 2, reason: "percent 'lots' is not a non-negative number")) {
            try Thresholds.parse("a,1\nb,lots\n", file: "t.csv")
        }
        #expect(throws: ResultsFormatError(file: "t.csv", line: 1, reason: "kind 'cpu' is not sim, wall, live or *")) {
            try Thresholds.parse("a,1,cpu\n", file: "t.csv")
        }
    }

    @Test func aThresholdSilencesASmallSimulatedChange() throws {
        let t = try Thresholds.parse("physical_irqs,15\n", file: "t")
        let new = simRows(overrides: ["host-end/physical_irqs": "52"]) // +10.6%
        let r = compareResults(old: simRows(), new: new, options: CompareOptions(thresholds: t))
        #expect(r.rows.first { $0.key.metric == "physical_irqs" && $0.key.strategy == "host-end" }?.verdict == .notSignificant)
        #expect(r.exitStatus == .noRegression)
        // Without the file the same change is a regression.
        #expect(compareResults(old: simRows(), new: new).exitStatus == .regression)
    }

    @Test func globs() {
        #expect(globMatch("claim_to_complete_*", "claim_to_complete_p99"))
        #expect(!globMatch("claim_to_complete_*", "request_to_done_p99"))
        #expect(globMatch("*_per_sec", "events_per_sec"))
        #expect(globMatch("a*b*c", "aXXbYYc"))
        #expect(!globMatch("a*b*c", "aXXbYY"))
        #expect(globMatch("p9?", "p99"))
        #expect(globMatch("*", ""))
    }
}
