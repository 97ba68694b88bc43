import Testing
import IRQReplay
import IRQResults
import IRQTrace

/// The histogram rows of a replay come from each distribution's HdrHistogram. Its buckets nest
/// inside the results' buckets, so the rows must count the raw samples exactly, whatever they are.
struct HistogramRowsTests {
    @Test(arguments: [1, 2, 3])
    func rowsCountTheRawSamplesExactly(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var samples: [UInt64] = []
        // Log-uniform over 0 ns ... 2^40 ns (past the last finite bound), plus every bucket edge region.
        for _ in 0..<20_000 {
            let bits = rng.next() % 41
            samples.append(bits == 0 ? 0 : rng.next() % (UInt64(1) << bits))
        }
        for k in stride(from: 0, to: LatencyBuckets.finiteCount, by: 7) {
            samples.append(LatencyBuckets.upperBounds[k])
            samples.append(LatencyBuckets.upperBounds[k] + 1)
        }
        var d = Distribution()
        for s in samples { d.record(s) }
        let fromHistogram = LatencyBuckets.counts(recorded: d.recordedBuckets)
        let fromSamples = LatencyBuckets.counts(recorded: samples.map { (value: $0, count: UInt64(1)) })
        #expect(fromHistogram == fromSamples)
        #expect(fromHistogram.total == UInt64(samples.count))
    }

    /// The percentile metrics keep coming from the HdrHistogram, not from the coarser buckets.
    @Test func percentilesAreTheHistogramsNotTheBuckets() {
        var d = Distribution()
        for v: UInt64 in [100, 2050, 2050, 2100] { d.record(v) }
        #expect(d.summary.first { $0.suffix == "p50" }?.value == "2050")
        let buckets = LatencyBuckets.counts(recorded: d.recordedBuckets)
        #expect(buckets.quantileBound(0.5) == 2111)
    }
}
