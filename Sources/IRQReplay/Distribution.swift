import Histogram

/// One latency distribution of docs/model.md §9: exact count, sum, min and max, and an
/// HdrHistogram (3 significant digits) for the percentiles.
public struct Distribution: Sendable {
    public private(set) var histogram: Histogram<UInt64>
    public private(set) var count: UInt64 = 0
    public private(set) var sum: UInt128 = 0
    public private(set) var min: UInt64 = .max
    public private(set) var max: UInt64 = 0

    public init() {
        histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 1 << 62,
                                      numberOfSignificantValueDigits: .three)
    }

    @inline(__always)
    public mutating func record(_ v: UInt64) {
        count &+= 1
        sum &+= UInt128(v)
        if v < min { min = v }
        if v > max { max = v }
        _ = histogram.record(Swift.min(v, 1 << 62))
    }

    /// A sample whose histogram bucket is counted elsewhere (the replay's `HistogramCounts`, which
    /// adds it with `addToHistogram` at the end): only the exact count, sum, min and max.
    @inline(__always)
    mutating func recordScalars(_ v: UInt64) {
        count &+= 1
        sum &+= UInt128(v)
        if v < min { min = v }
        if v > max { max = v }
    }

    /// `n` samples in the bucket whose lowest value is `bucketValue`, already in the scalars
    /// (`recordScalars`).
    mutating func addToHistogram(_ bucketValue: UInt64, count n: UInt64) {
        _ = histogram.record(bucketValue, count: n)
    }

    /// `n` samples of value `v` at once (a fast-forwarded storm's cycles).
    public mutating func record(_ v: UInt64, count n: UInt64) {
        guard n > 0 else { return }
        count &+= n
        sum &+= UInt128(v) * UInt128(n)
        if v < min { min = v }
        if v > max { max = v }
        _ = histogram.record(Swift.min(v, 1 << 62), count: n)
    }

    /// Nearest rank: the value of rank ceil(p x N) (at least 1), p given in parts per million so
    /// the rank is computed exactly in integers. The histogram bucket's lowest value, kept within
    /// [min, max] so single-valued distributions are reported exactly.
    public func percentile(ppm: UInt64) -> UInt64? {
        percentiles(ppm: [ppm])[0]
    }

    /// Several percentiles (`ppm` ascending) in one walk over the histogram's buckets: the walk,
    /// not the arithmetic, is what a percentile costs (about 0.7 M instructions each for a
    /// replay's distribution), and every replay reports three per distribution.
    public func percentiles(ppm: [UInt64]) -> [UInt64?] {
        guard count > 0 else { return ppm.map { _ in nil } }
        var out = [UInt64?](repeating: max, count: ppm.count)
        var next = 0
        var seen: UInt128 = 0
        var rank = Self.rank(ppm[0], of: count)
        for v in histogram.recordedValues() {
            seen += UInt128(v.count)
            while seen >= rank {
                let lo = histogram.lowestEquivalentForValue(v.value)
                out[next] = Swift.min(Swift.max(lo, min), max)
                next += 1
                if next == ppm.count { return out }
                precondition(ppm[next] >= ppm[next - 1], "percentiles must be asked in ascending order")
                rank = Self.rank(ppm[next], of: count)
            }
        }
        return out
    }

    private static func rank(_ ppm: UInt64, of count: UInt64) -> UInt128 {
        Swift.max(1, (UInt128(ppm) * UInt128(count) + 999_999) / 1_000_000)
    }

    /// Adds another distribution's samples (live mode records per thread and merges at the end,
    /// so measuring threads never share a histogram).
    public mutating func merge(_ o: Distribution) {
        guard o.count > 0 else { return }
        histogram.add(o.histogram)
        count += o.count
        sum += o.sum
        min = Swift.min(min, o.min)
        max = Swift.max(max, o.max)
    }

    /// sum / N as a number (terminal summaries; results use `meanText`).
    public var mean: Double? { count > 0 ? Double(sum) / Double(count) : nil }

    /// sum / N with three decimals, rounded half up, in integer arithmetic (byte-identical everywhere).
    public var meanText: String? {
        guard count > 0 else { return nil }
        let scaled = (sum * 1000 * 2 + UInt128(count)) / (UInt128(count) * 2)
        let whole = scaled / 1000
        let frac = scaled % 1000
        let f = String(frac)
        return "\(whole).\(String(repeating: "0", count: 3 - f.count))\(f)"
    }

    /// The five reported statistics, in docs/model.md §9 order, empty when there are no samples.
    public var summary: [(suffix: String, value: String)] {
        func t(_ v: UInt64?) -> String { v.map(String.init) ?? "" }
        let p = percentiles(ppm: [500_000, 990_000, 999_000])
        return [
            ("p50", t(p[0])),
            ("p99", t(p[1])),
            ("p999", t(p[2])),
            ("max", count > 0 ? String(max) : ""),
            ("mean", meanText ?? ""),
        ]
    }

    /// The non-empty histogram buckets, ascending: (lowest value of the bucket, its count).
    /// The results' latency buckets (IRQResults LatencyBuckets) are unions of these, so they
    /// are rebuilt from them exactly, in one pass.
    public var recordedBuckets: [(value: UInt64, count: UInt64)] {
        histogram.recordedValues().map { (histogram.lowestEquivalentForValue($0.value), UInt64($0.count)) }
    }

    /// How many samples are <= `ns` (histogram resolution).
    public func countAtOrBelow(_ ns: UInt64) -> UInt64 {
        guard count > 0 else { return 0 }
        if ns >= max { return count }
        return histogram.count(within: 0...ns)
    }
}
