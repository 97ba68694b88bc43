import Testing
@testable import IRQResults

struct CompareStatisticalTests {
    @Test func noisyOverlappingRunsAreNotSignificant() {
        let r = compareResults(old: wallRows([100, 104, 98, 101, 103]), new: wallRows([102, 99, 105, 100, 97]))
        let c = r.rows[0]
        #expect(c.verdict == .notSignificant)
        #expect(c.pValue! > 0.05)
        #expect(c.old == 101 && c.new == 100) // medians
        #expect(r.exitStatus == .noRegression)
        #expect(CompareRendering().render(r, format: .table).contains("  ~\n"))
    }

    @Test func aClearDropInThroughputIsARegression() {
        // Exact Mann-Whitney for 5 vs 5 fully separated samples: p = 2/252 = 0.0079 (scipy agrees).
        let r = compareResults(old: wallRows([5.0e6, 5.1e6, 4.9e6, 5.05e6, 4.95e6]),
                               new: wallRows([4.0e6, 4.1e6, 3.9e6, 4.05e6, 3.95e6]))
        let c = r.rows[0]
        #expect(abs(c.pValue! - 0.007936507936507936) < 1e-12)
        #expect(c.verdict == .worse)
        #expect(c.percent! == -20)
        #expect(r.exitStatus == .regression)
    }

    @Test func significantButWithinThresholdIsNotCounted() {
        // Separated samples (significant) but the medians move by 2%: under the 5% wall default.
        let r = compareResults(old: wallRows([100, 101, 100.5, 100.2, 100.7]), new: wallRows([102, 103, 102.5, 102.2, 102.7]))
        #expect(r.rows[0].pValue! < 0.05)
        #expect(r.rows[0].verdict == .notSignificant)
        #expect(r.exitStatus == .noRegression)
    }

    @Test func alphaIsAnOption() {
        let old = wallRows([1, 3, 5, 7, 9, 11]), new = wallRows([2, 4, 6, 8, 10, 12, 14])
        // p = 0.445 (scipy): not significant at 0.05, significant when alpha is 0.5.
        let loose = compareResults(old: old, new: new, options: CompareOptions(thresholds: Thresholds(rules: [.init(metric: "*", percent: 0)]), alpha: 0.5))
        #expect(loose.rows[0].verdict == .better)
        #expect(compareResults(old: old, new: new).rows[0].verdict == .notSignificant)
    }

    @Test func threeRunsPerSideNeverJudged() {
        let r = compareResults(old: wallRows([10, 11, 12]), new: wallRows([20, 21, 22]))
        #expect(r.rows[0].verdict == .notSignificant)
    }
}
