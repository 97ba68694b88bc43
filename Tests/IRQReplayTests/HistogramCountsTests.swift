import Histogram
@testable import IRQReplay
import IRQTrace
import Testing

/// The replay's plain-memory bucket counts give the distributions exactly what recording each
/// sample into them gives: the same buckets, percentiles, summary rows and .hgrm text.
struct HistogramCountsTests {
    /// Values across the buckets: small exact ones, bucket edges, nanoseconds to about three days.
    /// (Not further: once values past about 2^48 are recorded, the library's walk over the
    /// recorded values takes minutes in a debug build, whichever path recorded them. Values past
    /// 2^62 are clamped alike by both paths, see `indexAndLowestValueAreInverse`.)
    static func samples(seed: UInt64) -> [UInt64] {
        var g = SplitMix64(seed: seed)
        var out: [UInt64] = [0, 1, 2047, 2048, 2049, 4095, 4096, (1 << 48) - 1]
        for _ in 0..<2_000 {
            let magnitude = g.next() % 48
            out.append(magnitude == 0 ? 0 : g.next() >> (64 - magnitude))
        }
        return out
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func bucketCountsEqualRecordingEachSample(seed: UInt64) {
        let values = Self.samples(seed: seed)
        var direct = Distribution()
        for v in values { direct.record(v) }
        var counted = Distribution()
        let counts = HistogramCounts()
        for v in values {
            counted.recordScalars(v)
            counts.record(.requestToDone, v)
        }
        // Another kind's counts stay apart.
        var host = Distribution()
        host.recordScalars(77)
        counts.record(.hostLatency, 77)
        counts.flush(.requestToDone, into: &counted)
        #expect(counted.count == direct.count && counted.sum == direct.sum)
        #expect(counted.min == direct.min && counted.max == direct.max)
        #expect(counted.recordedBuckets.map { "\($0.value):\($0.count)" } == direct.recordedBuckets.map { "\($0.value):\($0.count)" })
        #expect(counted.summary.map(\.value) == direct.summary.map(\.value))
        #expect(counted.countAtOrBelow(123_456) == direct.countAtOrBelow(123_456))
        // The .hgrm text, on latencies of the replay's range (the library's percentile walk over
        // values up to 2^62 is slow in a debug build).
        var hgrmDirect = Distribution()
        var hgrmCounted = Distribution()
        for v in values.prefix(1_000) {
            let ns = v % 50_000_000
            hgrmDirect.record(ns)
            hgrmCounted.recordScalars(ns)
            counts.record(.claimToComplete, ns)
        }
        counts.flush(.claimToComplete, into: &hgrmCounted)
        #expect(hgrmCounted.percentileDistributionText() == hgrmDirect.percentileDistributionText())
        // A flush empties the counts: flushing again adds nothing.
        var again = Distribution()
        counts.flush(.requestToDone, into: &again)
        #expect(again.histogram.totalCount == 0)
        counts.flush(.hostLatency, into: &host)
        #expect(host.histogram.totalCount == 1)
    }

    /// A flush reads only the buckets between the distribution's min and max: samples at the
    /// edges of that range (first and last bucket of an eight-bucket block, the top bucket that
    /// holds 2^62 and everything above) all arrive, and counted records add up like single ones.
    @Test func boundedFlushKeepsEveryCount() {
        let top = HistogramCounts.index(1 << 62)
        let edges: [[UInt64]] = [
            [HistogramCounts.lowestValue(8 * 300 + 7), HistogramCounts.lowestValue(8 * 301)],
            [HistogramCounts.lowestValue(8 * 301 - 1), HistogramCounts.lowestValue(8 * 400 + 7), 3_000_000],
            [0, .max],
            [(1 << 62) - 1, 1 << 62, (1 << 62) + 5],
            [HistogramCounts.lowestValue(top - 1), .max],
            [12_345],
        ]
        let layout = Distribution(presizedUpTo: Distribution.highestTrackable).histogram
        for values in edges {
            let counts = HistogramCounts()
            var direct = Distribution()
            var counted = Distribution()
            var expected: [UInt64: UInt64] = [:]
            for (i, v) in values.enumerated() {
                let n = UInt64(i + 1)
                direct.record(v, count: n)
                counted.recordScalars(v, count: n)
                counts.record(.hostLatency, v, count: n)
                expected[layout.lowestEquivalentForValue(min(v, 1 << 62)), default: 0] += n
            }
            counts.flush(.hostLatency, into: &counted)
            #expect(counted.histogram.totalCount == counted.count, "\(values)")
            #expect(counted.recordedBuckets.map { "\($0.value):\($0.count)" }
                        == expected.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }, "\(values)")
            for ns: UInt64 in [0, 12_344, 12_345, 3_000_000, (1 << 62) - 2] {
                #expect(counted.countAtOrBelow(ns) == direct.countAtOrBelow(ns), "\(values) \(ns)")
            }
            // The library's own walk over recorded values overflows its running sum of values
            // near 2^62, so the summary is compared with a directly recorded one below 2^48.
            if values.allSatisfy({ $0 < 1 << 48 }) {
                #expect(counted.summary.map(\.value) == direct.summary.map(\.value), "\(values)")
            }
            // Nothing is left behind in the counts: a second flush into a copy adds nothing.
            var again = counted
            counts.flush(.hostLatency, into: &again)
            #expect(again.histogram.totalCount == counted.count)
        }
    }

    /// A flushed distribution keeps only its buckets (no histogram is made for a replay), and
    /// whatever is added to it afterwards (a sample, counted samples, another distribution,
    /// a second flush) counts as if every sample had been recorded directly; flushing into an
    /// empty presized distribution (live mode's) gives the same as into a grown one.
    @Test func samplesAddedAfterAFlushCountAsRecordedDirectly() {
        let values = Self.samples(seed: 9).map { $0 % 80_000_000 }
        let (first, second) = (values.prefix(1_200), values.dropFirst(1_200))
        var direct = Distribution()
        for v in values { direct.record(v) }
        func flushed(_ part: some Sequence<UInt64>, into d: inout Distribution) {
            let counts = HistogramCounts()
            for v in part { d.recordScalars(v); counts.record(.requestToGuest, v) }
            counts.flush(.requestToGuest, into: &d)
        }
        func same(_ d: Distribution, _ label: String) {
            #expect(d.count == direct.count && d.sum == direct.sum && d.min == direct.min && d.max == direct.max, "\(label)")
            #expect(d.recordedBuckets.map { "\($0.value):\($0.count)" } == direct.recordedBuckets.map { "\($0.value):\($0.count)" }, "\(label)")
            #expect(d.summary.map(\.value) == direct.summary.map(\.value), "\(label)")
            #expect(d.histogram.totalCount == direct.histogram.totalCount, "\(label)")
            for ns: UInt64 in [0, 2_047, 99_999, 5_000_000] {
                #expect(d.countAtOrBelow(ns) == direct.countAtOrBelow(ns), "\(label) \(ns)")
            }
            #expect(d.percentileDistributionText() == direct.percentileDistributionText(), "\(label)")
        }
        var twoFlushes = Distribution()
        flushed(first, into: &twoFlushes)
        flushed(second, into: &twoFlushes)
        same(twoFlushes, "two flushes")
        var thenRecorded = Distribution()
        flushed(first, into: &thenRecorded)
        for (i, v) in second.enumerated() {
            if i % 2 == 0 { thenRecorded.record(v) } else { thenRecorded.record(v, count: 1) }
        }
        same(thenRecorded, "flush, then record")
        var merged = Distribution()
        flushed(first, into: &merged)
        var rest = Distribution()
        flushed(second, into: &rest)
        merged.merge(rest)
        same(merged, "flush, then merge")
        var presized = Distribution(presizedUpTo: Distribution.highestTrackable)
        flushed(values, into: &presized)
        same(presized, "presized, flushed")
    }

    /// Every bucket's lowest value maps back to its own bucket, and to the library's lowest
    /// equivalent value of any value in it.
    @Test func indexAndLowestValueAreInverse() {
        let template = Distribution().histogram
        var i = 0
        while i < HistogramCounts.index(1 << 62) {
            let lowest = HistogramCounts.lowestValue(i)
            #expect(HistogramCounts.index(lowest) == i)
            #expect(template.lowestEquivalentForValue(lowest) == lowest)
            i += 97
        }
        // Values past 2^62 count as 2^62, as Distribution.record clamps them.
        #expect(HistogramCounts.index(.max) == HistogramCounts.index(1 << 62))
        #expect(HistogramCounts.index((1 << 62) + 12_345) == HistogramCounts.index(1 << 62))
        // Recording needs no clamp: past 2^62 values have slots of the same layout, the last one
        // the counts' last (flush adds them to 2^62's bucket, `boundedFlushKeepsEveryCount`).
        let top = HistogramCounts.index(1 << 62)
        #expect(HistogramCounts.slot(1 << 62) == top)
        #expect(HistogramCounts.slot((1 << 62) + (1 << 52)) == top + 1)
        #expect(HistogramCounts.slot(1 << 63) == top + 1024)
        #expect(HistogramCounts.slot(.max) == HistogramCounts.perKind - 1)
        #expect(HistogramCounts.slot(0) == 0 && HistogramCounts.slot(2047) == 2047 && HistogramCounts.slot(2048) == 2048)
    }
}

/// Several percentiles from one walk are each the nearest-rank sample's bucket, as sorting the
/// samples finds it.
struct DistributionPercentileTests {
    @Test(arguments: [UInt64(5), 6, 7])
    func oneWalkGivesEachNearestRank(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var d = Distribution()
        var samples: [UInt64] = []
        for _ in 0..<(1 + g.next() % 3_000) {
            let v = g.next() % (g.next() % 2 == 0 ? 5_000 : 80_000_000)
            samples.append(v)
            d.record(v)
        }
        samples.sort()
        let asked: [UInt64] = [0, 1, 500_000, 500_001, 990_000, 999_000, 999_999, 1_000_000]
        let walked = d.percentiles(ppm: asked)
        for (i, ppm) in asked.enumerated() {
            let rank = max(1, (Int(ppm) * samples.count + 999_999) / 1_000_000)
            let sample = samples[rank - 1]
            let expected = min(max(d.histogram.lowestEquivalentForValue(sample), samples.first!), samples.last!)
            #expect(walked[i] == expected, "ppm \(ppm) of \(samples.count)")
            #expect(d.percentile(ppm: ppm) == expected)
        }
        #expect(Distribution().percentiles(ppm: [500_000, 990_000]) == [nil, nil])
    }
}
