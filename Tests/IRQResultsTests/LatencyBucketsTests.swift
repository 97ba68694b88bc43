import Testing
import IRQResults

struct LatencyBucketsTests {
    /// Samples as a sorted list; countAtOrBelow is what an HdrHistogram would answer.
    static func counter(_ samples: [UInt64]) -> (UInt64) -> UInt64 {
        { ns in UInt64(samples.filter { $0 <= ns }.count) }
    }

    @Test func bounds() {
        let b = LatencyBuckets.upperBounds
        #expect(b.count == 31)
        #expect(b.prefix(4) == [10, 20, 50, 100])
        #expect(b.last == 100_000_000_000)
        #expect(zip(b, b.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func rowsAreNonCumulativeAndSkipEmptyBuckets() {
        let rows = LatencyBuckets.rows(name: "claim_to_complete", countAtOrBelow: Self.counter([5, 10, 11, 150, 150, 3350, 200_000_000_000]))
        #expect(rows.map(\.metric) == ["claim_to_complete_hist_le_10", "claim_to_complete_hist_le_20",
                                       "claim_to_complete_hist_le_200", "claim_to_complete_hist_le_5000",
                                       "claim_to_complete_hist_le_inf"])
        #expect(rows.map(\.count) == [2, 1, 2, 1, 1])
    }

    @Test func roundTripThroughResultsCSV() throws {
        let samples: [UInt64] = [150, 150, 900, 2050, 28_050, 28_050, 1_000_000]
        let template = ResultRow(commit: "c", trace: "t.pcap", traceSHA256: "s", params: "", strategy: "host-end",
                                 kind: .sim, metric: "", value: "")
        let rows = LatencyBuckets.resultRows(name: "request_to_done", template: template, countAtOrBelow: Self.counter(samples))
        let parsed = try ResultsCSV.parse(ResultsCSV.render(rows), file: "x")
        let d = try #require(LatencyBuckets.distributions(in: parsed)["request_to_done"])
        #expect(d.total == 7)
        #expect(d == LatencyBuckets.counts(countAtOrBelow: Self.counter(samples)))
        // Bucketed quantiles bound the true nearest-rank quantile from above.
        #expect(d.quantileBound(0.5) == 5000)       // true p50: 2050
        #expect(d.quantileBound(0.99) == 1_000_000)  // true p99: 1,000,000
        let cdf = d.cdf
        #expect(cdf.first { $0.upperBound == 200 }?.fraction == 2.0 / 7)
        #expect(cdf.first { $0.upperBound == 50_000 }?.fraction == 6.0 / 7)
        #expect(cdf.last?.fraction == 1)
    }

    @Test func rowsOfSeveralRunsSum() {
        let a: [UInt64] = [100, 300, 300], b: [UInt64] = [100, 7000]
        func rows(_ s: [UInt64], rep: Int) -> [ResultRow] {
            LatencyBuckets.resultRows(name: "d", template: ResultRow(commit: "c", trace: "t", traceSHA256: "s", params: "",
                                      strategy: "x", kind: .wall, metric: "", rep: rep, value: ""),
                                      countAtOrBelow: Self.counter(s))
        }
        let summed = LatencyBuckets.distributions(in: rows(a, rep: 0) + rows(b, rep: 1))["d"]!
        #expect(summed == LatencyBuckets.counts(countAtOrBelow: Self.counter(a + b)))
        #expect(summed == LatencyBuckets.counts(countAtOrBelow: Self.counter(a)) + LatencyBuckets.counts(countAtOrBelow: Self.counter(b)))
    }

    @Test func splitRecognisesOnlyRealBounds() {
        #expect(LatencyBuckets.split("claim_to_complete_hist_le_500")! == ("claim_to_complete", 5))
        #expect(LatencyBuckets.split("x_hist_le_inf")! == ("x", 31))
        #expect(LatencyBuckets.split("x_hist_le_123") == nil)
        #expect(LatencyBuckets.split("claim_to_complete_p99") == nil)
    }

    @Test func compareReportsChangedHistogramsWithoutJudgingBuckets() {
        func rows(_ s: [UInt64]) -> [ResultRow] {
            simRows() + LatencyBuckets.resultRows(name: "claim_to_complete",
                template: ResultRow(commit: "c", trace: "nic.pcap", traceSHA256: String(repeating: "a", count: 64), params: "",
                                    strategy: "host-end", kind: .sim, metric: "", value: ""),
                countAtOrBelow: Self.counter(s))
        }
        let same = compareResults(old: rows([150, 150]), new: rows([150, 150]))
        #expect(same.distributions.isEmpty && same.exitStatus == .noRegression)
        let r = compareResults(old: rows([150, 150]), new: rows([150, 3000]))
        #expect(r.distributions.count == 1)
        #expect(r.distributions[0].key.metric == "claim_to_complete")
        #expect(r.distributions[0].maxCDFDistance == 0.5)
        #expect(!r.rows.contains { $0.key.metric.contains("_hist_le_") })
        #expect(CompareRendering().render(r, format: .table).contains("latency histograms changed:\n  - nic.pcap host-end claim_to_complete (KS 0.500)\n"))
    }
}
