import Histogram
@testable import IRQReplay
import IRQTrace
import Testing

/// A distribution whose histogram grows to its largest sample (`Distribution()`) reports what
/// one sized for 2^62 from the start reports: the bucket layout depends only on the lowest
/// discernible value and the significant digits, never on the histogram's size.
struct DistributionGrowthTests {
    /// Values of every magnitude up to 2^48 (the library's walks over larger values are slow in
    /// debug builds), with bucket edges.
    static func samples(seed: UInt64, count: Int) -> [UInt64] {
        var g = SplitMix64(seed: seed)
        var out: [UInt64] = [0, 1, 2, 2047, 2048, 2049, 4095, 4096, 1_000_000]
        for _ in 0..<count {
            let magnitude = g.next() % 49
            out.append(magnitude == 0 ? 0 : g.next() >> (64 - magnitude))
        }
        return out
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func growingGivesTheFullRangeResults(seed: UInt64) {
        let values = Self.samples(seed: seed, count: 1_500)
        var grown = Distribution()
        var full = Distribution(presizedUpTo: Distribution.highestTrackable)
        for (i, v) in values.enumerated() {
            if i % 3 == 0 {
                grown.record(v, count: 3)
                full.record(v, count: 3)
            } else {
                grown.record(v)
                full.record(v)
            }
        }
        #expect(grown.histogram.totalCount == full.histogram.totalCount)
        #expect(grown.recordedBuckets.map { "\($0.value):\($0.count)" } == full.recordedBuckets.map { "\($0.value):\($0.count)" })
        let ppm: [UInt64] = [1, 250_000, 500_000, 900_000, 990_000, 999_000, 999_999, 1_000_000]
        #expect(grown.percentiles(ppm: ppm) == full.percentiles(ppm: ppm))
        #expect(grown.summary.map(\.value) == full.summary.map(\.value))
        for ns: UInt64 in [0, 1, 2047, 2048, 99_999, 1 << 30, 1 << 47] {
            #expect(grown.countAtOrBelow(ns) == full.countAtOrBelow(ns))
        }
        // Grown only as far as the largest sample, not to 2^62.
        #expect(grown.histogram.highestTrackableValue < Distribution.highestTrackable)
    }

    /// The .hgrm text does not depend on how far the histogram grew: its footer's bucket count
    /// is that of the 2^62 layout either way.
    @Test func percentileTextIsTheFullRangeText() throws {
        var grown = Distribution()
        var full = Distribution(presizedUpTo: Distribution.highestTrackable)
        for v in Self.samples(seed: 5, count: 600) {
            grown.record(v % 40_000_000)
            full.record(v % 40_000_000)
        }
        let text = try #require(grown.percentileDistributionText())
        #expect(text == full.percentileDistributionText())
        #expect(text.contains("#[Buckets =           53, SubBuckets     =         2048]"))
    }

    /// Values at 2^62 and past it grow the histogram to the whole layout and count in its top
    /// bucket, as in a histogram sized for 2^62.
    @Test func largestValuesGrowToTheWholeLayout() {
        var grown = Distribution()
        var full = Distribution(presizedUpTo: Distribution.highestTrackable)
        for v: UInt64 in [3, 1 << 40, (1 << 62) - 1, 1 << 62, .max] {
            grown.record(v)
            full.record(v)
        }
        #expect(grown.histogram.highestTrackableValue >= Distribution.highestTrackable)
        #expect(grown.countAtOrBelow(1 << 40) == full.countAtOrBelow(1 << 40))
        #expect(grown.countAtOrBelow((1 << 62) - 2) == full.countAtOrBelow((1 << 62) - 2))
        #expect(grown.min == 3 && grown.max == .max && grown.count == 5)
        #expect(grown.histogram.totalCount == 5)
    }

    /// Merging into a grown distribution grows it as far as the other's samples (live mode
    /// merges its threads' presized distributions into one).
    @Test func mergeGrows() {
        var a = Distribution()
        a.record(10)
        var b = Distribution(presizedUpTo: Distribution.highestTrackable)
        for v: UInt64 in [5, 70_000, 9_000_000_000] { b.record(v) }
        a.merge(b)
        var want = Distribution(presizedUpTo: Distribution.highestTrackable)
        for v: UInt64 in [10, 5, 70_000, 9_000_000_000] { want.record(v) }
        #expect(a.recordedBuckets.map { "\($0.value):\($0.count)" } == want.recordedBuckets.map { "\($0.value):\($0.count)" })
        #expect(a.summary.map(\.value) == want.summary.map(\.value))
    }
}
