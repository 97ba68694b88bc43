import Testing
@testable import IRQResults

/// Reference values from scipy 1.17.1:
///   scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
/// which uses the exact distribution without ties when a sample has <= 8 values, else the normal
/// approximation with tie and continuity correction. `statistic` is U of x.
struct MannWhitneyTests {
    @Test func exactWithoutTies() throws {
        let t = try #require(MannWhitney([10.1, 10.4, 10.2, 10.3, 10.0], [11.0, 10.9, 11.3, 11.2, 10.8]))
        #expect(t.exact)
        #expect(t.u1 == 0)
        #expect(abs(t.pValue - 0.007936507936507936) < 1e-12)
    }

    @Test func exactWithOverlap() throws {
        let t = try #require(MannWhitney([1, 3, 5, 7, 9, 11], [2, 4, 6, 8, 10, 12, 14]))
        #expect(t.exact)
        #expect(t.u1 == 15)
        #expect(abs(t.pValue - 0.4452214452214452) < 1e-12)
    }

    @Test func asymptoticWithTies() throws {
        let t = try #require(MannWhitney([5, 5, 6, 7, 7, 7, 8, 9, 9, 10], [6, 7, 8, 8, 9, 10, 10, 11, 12, 12]))
        #expect(!t.exact)
        #expect(t.u1 == 23)
        #expect(abs(t.pValue - 0.043144487695422146) < 1e-9)
    }

    @Test func asymptoticLargeSamplesWithoutTies() throws {
        let x = (1...12).map(Double.init)
        let t = try #require(MannWhitney(x, x.map { $0 + 3.5 }))
        #expect(!t.exact)
        #expect(t.u1 == 36)
        #expect(abs(t.pValue - 0.040404119588223694) < 1e-9)
    }

    @Test func threeRunsPerSideCanNeverBeSignificant() throws {
        let t = try #require(MannWhitney([1, 2, 3], [4, 5, 6]))
        #expect(abs(t.pValue - 0.1) < 1e-12)
    }

    @Test func identicalSamplesGivePOne() throws {
        let t = try #require(MannWhitney([5, 5, 5, 5, 5], [5, 5, 5, 5, 5]))
        #expect(t.pValue == 1)
        #expect(MannWhitney([], [1]) == nil)
    }
}
