import Testing
import IRQResults

struct LatencyBucketsTests {
    /// Raw samples as the (value, count) pairs an HdrHistogram's recorded values give.
    static func recorded(_ samples: [UInt64]) -> [(value: UInt64, count: UInt64)] { samples.map { ($0, 1) } }

    static let template = ResultRow(commit: "c", trace: "t.pcap", traceSHA256: "s", params: "", strategy: "host-end",
                                    kind: .sim, metric: "", value: "")

    /// The layout documented in LatencyBuckets: 1 ns buckets to 63, then 32 per doubling.
    @Test func boundsFollowTheDocumentedFormula() {
        let b = LatencyBuckets.upperBounds
        #expect(b.count == 1056)
        #expect(Array(b.prefix(64)) == Array(0...63))
        #expect(Array(b[64..<68]) == [65, 67, 69, 71])
        #expect(b[95] == 127 && b[96] == 131 && b[127] == 255 && b[128] == 263)
        #expect(b.last == (1 << 37) - 1)          // 137 s: past the 100 s the model can produce
        #expect(zip(b, b.dropFirst()).allSatisfy { $0 < $1 })
        // bound(k) = (k - 32e + 1) * 2^e - 1 with e = max(0, k / 32 - 1), written out once more here.
        for k in b.indices {
            let e = max(0, k / 32 - 1)
            #expect(b[k] == UInt64(k - 32 * e + 1) * (1 << UInt64(e)) - 1)
        }
    }

    /// At least 32 buckets in every factor of two from 1 ns to 100 s, each at most 1/32 of its values wide.
    @Test func resolutionIsAtLeast32PerDoubling() {
        var lo: UInt64 = 1
        while lo < 100_000_000_000 {
            let inside = LatencyBuckets.upperBounds.filter { $0 >= lo && $0 < 2 * lo }
            #expect(inside.count >= min(32, Int(lo)), "[\(lo), \(2 * lo))")
            lo *= 2
        }
        for k in 1..<LatencyBuckets.finiteCount {
            let low = LatencyBuckets.lowerBound(ofBucket: k), high = LatencyBuckets.upperBounds[k]
            #expect(high - low + 1 <= max(1, low / 32), "bucket \(k)")
        }
    }

    /// Worked by hand: 100 -> e = 1, k = 50 + 32 = 82, bound (51 * 2) - 1 = 101; 150 -> e = 2,
    /// k = 37 + 64 = 101, bound 38 * 4 - 1 = 151; 3350 -> e = 6, k = 52 + 192 = 244, bound
    /// 53 * 64 - 1 = 3391; 1 s -> e = 24, k = 59 + 768 = 827, bound 60 * 2^24 - 1 = 1,006,632,959.
    @Test func bucketOfAValue() {
        let cases: [(UInt64, Int, UInt64)] = [(0, 0, 0), (63, 63, 63), (64, 64, 65), (100, 82, 101), (101, 82, 101),
                                              (102, 83, 103), (150, 101, 151), (3350, 244, 3391),
                                              (1_000_000_000, 827, 1_006_632_959)]
        for (v, k, bound) in cases {
            #expect(LatencyBuckets.bucket(of: v) == k, "\(v)")
            #expect(LatencyBuckets.upperBound(ofBucket: k) == bound, "\(v)")
            #expect(LatencyBuckets.lowerBound(ofBucket: k) <= v)
        }
        #expect(LatencyBuckets.bucket(of: (1 << 37) - 1) == 1055)
        #expect(LatencyBuckets.bucket(of: 1 << 37) == LatencyBuckets.finiteCount)
        #expect(LatencyBuckets.bucket(of: .max) == LatencyBuckets.finiteCount)
        #expect(LatencyBuckets.upperBound(ofBucket: LatencyBuckets.finiteCount) == nil)
    }

    /// Every value lies in its bucket's range, at every bucket edge.
    @Test func everyBucketEdgeMapsBack() {
        for k in 0..<LatencyBuckets.finiteCount {
            let lo = LatencyBuckets.lowerBound(ofBucket: k), hi = LatencyBuckets.upperBounds[k]
            #expect(LatencyBuckets.bucket(of: lo) == k && LatencyBuckets.bucket(of: hi) == k, "bucket \(k)")
        }
    }

    @Test func rowsAreNonCumulativeAndSkipEmptyBuckets() {
        let rows = LatencyBuckets.rows(name: "claim_to_complete", distribution:
            LatencyBuckets.counts(recorded: Self.recorded([5, 10, 11, 150, 150, 151, 3350, 200_000_000_000])))
        #expect(rows.map(\.metric) == ["claim_to_complete_hist_le_5", "claim_to_complete_hist_le_10",
                                       "claim_to_complete_hist_le_11", "claim_to_complete_hist_le_151",
                                       "claim_to_complete_hist_le_3391", "claim_to_complete_hist_le_inf"])
        #expect(rows.map(\.count) == [1, 1, 1, 3, 1, 1])
    }

    @Test func roundTripThroughResultsCSV() throws {
        let samples: [UInt64] = [150, 150, 900, 2050, 28_050, 28_050, 1_000_000]
        let rows = LatencyBuckets.resultRows(name: "request_to_done", template: Self.template, recorded: Self.recorded(samples))
        let parsed = try ResultsCSV.parse(ResultsCSV.render(rows), file: "x")
        let d = try #require(LatencyBuckets.distributions(in: parsed)["request_to_done"])
        #expect(d.total == 7)
        #expect(d == LatencyBuckets.counts(recorded: Self.recorded(samples)))
        // Bucketed quantiles bound the true nearest-rank quantile from above, within 1/32.
        #expect(d.quantileBound(0.5) == 2111)          // true p50: 2050 (bucket 2048...2111)
        #expect(d.quantileBound(0.99) == 1_015_807)    // true p99: 1,000,000 (bucket 983,040...1,015,807)
        let cdf = d.cdf
        #expect(cdf.map(\.upperBound) == [151, 911, 2111, 28_159, 1_015_807])
        #expect(cdf.map(\.count) == [2, 1, 1, 2, 1])
        #expect(cdf[0].fraction == 2.0 / 7 && cdf[3].fraction == 6.0 / 7 && cdf.last?.fraction == 1)
    }

    @Test func rowsOfSeveralRunsSum() {
        let a: [UInt64] = [100, 300, 300], b: [UInt64] = [100, 7000]
        func rows(_ s: [UInt64], rep: Int) -> [ResultRow] {
            var t = Self.template
            t.kind = .wall
            t.rep = rep
            return LatencyBuckets.resultRows(name: "d", template: t, recorded: Self.recorded(s))
        }
        let summed = LatencyBuckets.distributions(in: rows(a, rep: 0) + rows(b, rep: 1))["d"]!
        #expect(summed == LatencyBuckets.counts(recorded: Self.recorded(a + b)))
        #expect(summed == LatencyBuckets.counts(recorded: Self.recorded(a)) + LatencyBuckets.counts(recorded: Self.recorded(b)))
    }

    @Test func splitRecognisesOnlyBoundsOfThisLayout() {
        #expect(LatencyBuckets.split("claim_to_complete_hist_le_151")! == ("claim_to_complete", 101))
        #expect(LatencyBuckets.split("x_hist_le_0")! == ("x", 0))
        #expect(LatencyBuckets.split("x_hist_le_inf")! == ("x", 1056))
        #expect(LatencyBuckets.split("x_hist_le_150") == nil)
        #expect(LatencyBuckets.split("x_hist_le_500") == nil)          // a bound of the old 1-2-5 layout
        #expect(LatencyBuckets.split("x_hist_le_137438953472") == nil)
        #expect(LatencyBuckets.split("claim_to_complete_p99") == nil)
        #expect(LatencyBuckets.isHistogramMetric("x_hist_le_500"))
    }

    @Test func compareReportsChangedHistogramsWithoutJudgingBuckets() {
        func rows(_ s: [UInt64]) -> [ResultRow] {
            simRows() + LatencyBuckets.resultRows(name: "claim_to_complete",
                template: ResultRow(commit: "c", trace: "nic.pcap", traceSHA256: String(repeating: "a", count: 64), params: "",
                                    strategy: "host-end", kind: .sim, metric: "", value: ""),
                recorded: Self.recorded(s))
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

    /// Results written before the log-linear layout (1-2-5 bounds) still compare: their bucket
    /// rows are set aside with a note instead of being listed as hundreds of lone metrics.
    @Test func histogramRowsOfAnotherLayoutAreSetAsideWithANote() {
        let t = ResultRow(commit: "c", trace: "nic.pcap", traceSHA256: String(repeating: "a", count: 64), params: "",
                          strategy: "host-end", kind: .sim, metric: "", value: "")
        var old = simRows()
        for (bound, count) in [("200", "2"), ("5000", "1")] {
            var r = t
            r.metric = "claim_to_complete_hist_le_" + bound
            r.value = count
            old.append(r)
        }
        let new = simRows() + LatencyBuckets.resultRows(name: "claim_to_complete", template: t, recorded: Self.recorded([150, 150, 3000]))
        let r = compareResults(old: old, new: new)
        #expect(r.exitStatus == .noRegression)
        #expect(r.notes.contains("OLD has latency histogram rows of another bucket layout (2 rows, e.g. claim_to_complete_hist_le_200): its distributions are not compared"))
        #expect(!r.notes.contains { $0.hasPrefix("only in") })
        #expect(r.distributions.isEmpty)
    }
}
