import Foundation

/// Latency distributions as results rows: `<name>_hist_le_<bound>` holds the number of samples in
/// (previous bound, bound] nanoseconds, and `<name>_hist_le_inf` the samples above the last bound.
///
/// The bounds are log-linear, laid out as HdrHistogram lays out its counts, with 32 buckets per
/// factor of two (each bucket at most 1/32 = 3.1% of its values wide, 1 ns wide below 64 ns):
///
///     value v (integer ns) -> bucket k:   k = v                 for v < 64
///                                         k = (v >> e) + 32 e   for v >= 64, e = floor(log2 v) - 5
///     bucket k -> its bound (largest value it holds):
///                                         bound(k) = (k - 32 e + 1) * 2^e - 1,  e = max(0, floor(k / 32) - 1)
///
/// so the bounds run 0, 1, ..., 63, 65, 67, ..., 127, 131, 135, ..., 255, 263, ... up to
/// bound(1055) = 2^37 - 1 ns (137 s); larger values are counted in `_hist_le_inf`. Another tool
/// rebuilds a bucket's range from its row alone: it holds (bound(k - 1), bound(k)].
///
/// Counts are per bucket, not cumulative, so the rows of several runs (or repetitions) add up
/// bucket by bucket into the distribution of all of them; the bounds are fixed, so every run,
/// commit and strategy shares them. Empty buckets are left out of the rows: a missing bucket
/// reads as 0. The percentile metrics (`_p50`, ...) do not come from these buckets but from each
/// distribution's own HdrHistogram, which is 32 times finer and nests inside them, so the counts
/// here are exact counts of the samples.
public enum LatencyBuckets {
    /// Buckets per factor of two (HdrHistogram's sub-bucket half count).
    public static let perDoubling = 32
    static let perDoublingShift = 5
    /// Finite buckets: 64 one-nanosecond buckets, then 31 doublings of 32 buckets up to 2^37 ns.
    public static let finiteCount = 2 * perDoubling + 31 * perDoubling

    /// Buckets including the overflow bucket (index `finiteCount`).
    public static var bucketCount: Int { finiteCount + 1 }

    public static let infix = "_hist_le_"

    /// The bucket of a value in nanoseconds; `finiteCount` (overflow) above the last bound.
    public static func bucket(of v: UInt64) -> Int {
        guard v >= UInt64(2 * perDoubling) else { return Int(v) }
        let e = (63 - v.leadingZeroBitCount) - perDoublingShift
        let k = Int(v >> UInt64(e)) + perDoubling * e
        return Swift.min(k, finiteCount)
    }

    /// The largest value (ns) bucket `k` holds; nil for the overflow bucket.
    public static func upperBound(ofBucket k: Int) -> UInt64? {
        precondition(k >= 0 && k <= finiteCount, "bucket \(k) out of range")
        guard k < finiteCount else { return nil }
        let e = Swift.max(0, k / perDoubling - 1)
        return UInt64(k - perDoubling * e + 1) << UInt64(e) - 1
    }

    /// The smallest value (ns) bucket `k` holds.
    public static func lowerBound(ofBucket k: Int) -> UInt64 {
        k == 0 ? 0 : upperBound(ofBucket: k - 1)! + 1
    }

    /// Every finite bound, ascending (index = bucket).
    public static let upperBounds: [UInt64] = (0..<finiteCount).map { upperBound(ofBucket: $0)! }

    public static func metricName(_ name: String, bucket: Int) -> String {
        name + infix + (upperBound(ofBucket: bucket).map { String($0) } ?? "inf")
    }

    /// Bucket counts of samples given as (value, count) pairs in any order, e.g. the recorded
    /// values of an HdrHistogram. An array, not any sequence: a sequence of a type this module
    /// does not know is walked through witness tables, tuples copied through value witnesses
    /// (0.64 M instructions for the four distributions of a 1,000-request replay).
    public static func counts(recorded: [(value: UInt64, count: UInt64)]) -> LatencyDistribution {
        var d = LatencyDistribution()
        for (v, c) in recorded { d.counts[bucket(of: v)] += c }
        return d
    }

    public static func rows(name: String, distribution d: LatencyDistribution) -> [(metric: String, count: UInt64)] {
        d.counts.enumerated().compactMap { i, c in c == 0 ? nil : (metricName(name, bucket: i), c) }
    }

    /// Results rows for one distribution, copying provenance, strategy, kind and rep from `template`.
    public static func resultRows(name: String, template: ResultRow,
                                  recorded: [(value: UInt64, count: UInt64)]) -> [ResultRow] {
        rows(name: name, distribution: counts(recorded: recorded)).map { m, c in
            var r = template
            r.metric = m
            r.value = String(c)
            return r
        }
    }

    /// Is `metric` a histogram row at all (any bucket layout, including ones this build does
    /// not use)? Compare uses it to keep rows of another layout out of the ordinary metrics.
    public static func isHistogramMetric(_ metric: String) -> Bool { metric.contains(infix) }

    /// (distribution name, bucket index) of a histogram metric name of this layout, nil for any
    /// other metric and for bounds of another layout (e.g. the 1-2-5 series of older results).
    public static func split(_ metric: String) -> (name: String, bucket: Int)? {
        guard let r = metric.range(of: infix, options: .backwards) else { return nil }
        let name = String(metric[..<r.lowerBound]), bound = metric[r.upperBound...]
        if bound == "inf" { return (name, finiteCount) }
        guard let b = UInt64(bound), b <= upperBounds[finiteCount - 1] else { return nil }
        let k = bucket(of: b)
        return upperBounds[k] == b ? (name, k) : nil
    }

    /// Every distribution found in `rows`, keyed by name. Rows with the same metric are summed:
    /// filter first (one trace, strategy and kind) unless a sum over several is what you want.
    public static func distributions(in rows: [ResultRow]) -> [String: LatencyDistribution] {
        var out: [String: LatencyDistribution] = [:]
        for r in rows {
            guard let (name, i) = split(r.metric), let c = UInt64(r.value) else { continue }
            out[name, default: LatencyDistribution()].add(c, toBucket: i)
        }
        return out
    }
}

/// Sample counts per bucket of `LatencyBuckets`.
public struct LatencyDistribution: Equatable, Sendable {
    public var counts: [UInt64]

    public init() { counts = [UInt64](repeating: 0, count: LatencyBuckets.bucketCount) }

    /// The samples of every bucket; saturates at UInt64.max (see `add`).
    public var total: UInt64 { counts.reduce(0) { $0.addingSaturated($1) } }

    /// Adds `count` samples to bucket `k`. Counts come from files that may be damaged: a sum past
    /// UInt64.max stays at UInt64.max instead of trapping (no real run gets near it).
    public mutating func add(_ count: UInt64, toBucket k: Int) {
        counts[k] = counts[k].addingSaturated(count)
    }

    public static func + (a: LatencyDistribution, b: LatencyDistribution) -> LatencyDistribution {
        var s = a
        for i in s.counts.indices { s.add(b.counts[i], toBucket: i) }
        return s
    }

    /// The non-empty buckets, ascending: the bucket's bound (nil for the overflow bucket), its
    /// count, and the cumulative fraction of samples at or below the bound.
    public var cdf: [(upperBound: UInt64?, count: UInt64, fraction: Double)] {
        let t = Double(total)
        guard t > 0 else { return [] }
        var running: UInt64 = 0
        return counts.enumerated().compactMap { i, c in
            guard c > 0 else { return nil }
            running = running.addingSaturated(c)
            return (LatencyBuckets.upperBound(ofBucket: i), c, Double(running) / t)
        }
    }

    /// Upper bound of the bucket holding the nearest-rank p-quantile (0 < p <= 1): the value is at
    /// most this. nil when empty or when the sample lies in the overflow bucket.
    public func quantileBound(_ p: Double) -> UInt64? {
        let t = total
        guard t > 0 else { return nil }
        let rank = max(1, UInt64((p * Double(t)).rounded(.up)))
        var running: UInt64 = 0
        for (i, c) in counts.enumerated() {
            running = running.addingSaturated(c)
            if running >= rank { return LatencyBuckets.upperBound(ofBucket: i) }
        }
        return nil
    }

    /// Kolmogorov-Smirnov distance between the two bucketed CDFs.
    public func maxCDFDistance(to other: LatencyDistribution) -> Double {
        let a = Double(total), b = Double(other.total)
        guard a > 0, b > 0 else { return a == b ? 0 : 1 }
        var ra: UInt64 = 0, rb: UInt64 = 0, d = 0.0
        for i in counts.indices {
            ra = ra.addingSaturated(counts[i]); rb = rb.addingSaturated(other.counts[i])
            d = max(d, abs(Double(ra) / a - Double(rb) / b))
        }
        return d
    }
}

extension UInt64 {
    /// `self + other`, or UInt64.max when that overflows.
    @inline(__always)
    func addingSaturated(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
